// explain_options: the JSON options of an explanation (see explain_options.h), checked key by
// key; each message names the key and what it accepts.
//
// Index
//   [SECTION] messages and field readers
//   [SECTION] the document and the defaults
//   [SECTION] options by group: budget, design, players, model
//   [SECTION] parse_explain_options
#include "explain/explain_options.h"

#include "json/json_text.h"
#include "spex/interaction_indices.h"
#include "text/text_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

namespace spexlens {

namespace {

using nlohmann::json;
using text::text_error;

// [SECTION] messages and field readers

// Largest seed accepted: 2^53 - 1, so JavaScript reads seeds in the result JSON exactly.
constexpr uint64_t max_json_seed = (uint64_t(1) << 53) - 1;

[[noreturn]] void fail(const std::string & key, const std::string & what) {
    throw text_error("explain options: " + key + ": " + what);
}

int64_t get_integer(const json & v, const std::string & key, int64_t lo, int64_t hi) {
    if (!v.is_number_integer() && !v.is_number_unsigned()) {
        fail(key, "expected an integer, got " + json_shown(v));
    }
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) {
        fail(key, json_shown(v) + " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
    }
    const int64_t x = v.get<int64_t>();
    if (x < lo || x > hi) {
        fail(key, std::to_string(x) + " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
    }
    return x;
}

std::string get_string(const json & v, const std::string & key) {
    if (!v.is_string()) {
        fail(key, "expected a string, got " + json_shown(v));
    }
    return v.get<std::string>();
}

// auto | proxyspex | ridge[-1|-2|-3] | spex-soft | spex-hard | spex | lime | kernelshap | faith-banzhaf[-1|-2|-3]
void apply_method(const std::string & name, text_explain_options & o) {
    spex::session_config & e = o.engine;
    if (name == "auto") {
        e.method = spex::METHOD_AUTO;
    } else if (name == "proxyspex") {
        e.method = spex::METHOD_PROXY_SPEX;
    } else if (name == "ridge" || name == "ridge-1" || name == "ridge-2" || name == "ridge-3") {
        e.method      = spex::METHOD_RIDGE;
        e.ridge_order = name == "ridge" ? 2 : name.back() - '0';
    } else if (name == "spex" || name == "spex-soft") {
        e.method  = spex::METHOD_SPEX;
        e.decoder = spex::DECODER_SOFT;
    } else if (name == "spex-hard") {
        e.method  = spex::METHOD_SPEX;
        e.decoder = spex::DECODER_HARD;
    } else if (name == "lime") {
        e.method = spex::METHOD_LIME;
    } else if (name == "kernelshap") {
        e.method = spex::METHOD_KERNEL_SHAP;
    } else if (name == "faith-banzhaf" || name == "faith-banzhaf-1" || name == "faith-banzhaf-2" ||
               name == "faith-banzhaf-3") {
        e.method              = spex::METHOD_FAITH_BANZHAF;
        e.faith_banzhaf_order = name == "faith-banzhaf" ? 2 : name.back() - '0';
    } else {
        fail("method", "unknown method \"" + name +
                           "\"; use auto, proxyspex, ridge[-1|-2|-3], spex-soft, spex-hard, lime, kernelshap or "
                           "faith-banzhaf[-1|-2|-3]");
    }
    o.method_label = name == "spex"            ? "spex-soft"
                     : name == "faith-banzhaf" ? "faith-banzhaf-2"
                     : name == "ridge"         ? "ridge-2"
                                               : name;
}

// [SECTION] the document and the defaults

// The parsed document; a syntax error or anything but an object is a text_error.
json parse_document(std::string_view json_text) {
    json doc;
    try {
        doc = parse_bounded_json<json>(json_text);
    } catch (const json_input_error & e) {  // syntax, 1e999, nesting too deep
        throw text_error(std::string("explain options: not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) {
        throw text_error("explain options: expected a JSON object");
    }
    return doc;
}

// The command line's defaults (run_defaults.h); every key may override them.
text_explain_options default_options() {
    text_explain_options o;
    o.engine.b                 = 0;
    o.engine.method            = spex::METHOD_AUTO;
    o.method_label             = cli_run_defaults.method;
    o.engine.holdout           = cli_run_defaults.holdout;
    o.engine.seed              = cli_run_defaults.seed;
    o.explanations.index_order = cli_run_defaults.max_order;
    o.early_results            = cli_run_defaults.early_results;
    if (!spex::parse_index_kind(cli_run_defaults.index, o.explanations.index)) {
        throw text::text_error("internal: run_defaults.h names an unknown index");
    }
    // A model is deterministic: what a noise estimate would call noise is the model's own small
    // interactions, so every bin is decoded (the references' rule) unless the user says otherwise.
    o.engine.noise = spex::NOISE_REFERENCE;
    return o;
}

// Fails on a key this parser does not know.
void check_known_keys(const json & doc) {
    static const std::set<std::string> known = {
        "method",        "budget",       "b",         "t",         "max_order",         "index",
        "seed",          "features",     "target",    "long_text", "holdout",           "max_removed",
        "refine",        "noise",        "design",    "players",   "ablation",          "folds",
        "early_results", "first_result", "target_r2", "masking",   "drop_masked_tokens"};
    for (const auto & item : doc.items()) {
        if (!known.count(item.key())) {
            fail(item.key(), "unknown option (known: method, budget, b, t, max_order, index, seed, features, "
                             "target, long_text, holdout, max_removed, refine, noise, design, players, ablation, "
                             "folds, early_results, first_result, target_r2, masking, drop_masked_tokens)");
        }
    }
}

// [SECTION] options by group: budget, design, players, model

// method, budget or b, folds and the early results (early_results, first_result, target_r2).
void apply_budget(const json & doc, text_explain_options & o) {
    if (doc.contains("budget") && doc.contains("b")) {
        fail("budget", "give either budget or b, not both");
    }
    if (doc.contains("method")) {
        apply_method(get_string(doc["method"], "method"), o);
    }
    if (doc.contains("budget")) {
        o.engine.budget = get_integer(doc["budget"], "budget", 1, int64_t(1) << 40);
    }
    const bool uniform = o.engine.method == spex::METHOD_AUTO || o.engine.method == spex::METHOD_PROXY_SPEX ||
                         o.engine.method == spex::METHOD_RIDGE;
    if (uniform && !doc.contains("budget") && !doc.contains("b")) {
        o.engine.budget = default_uniform_budget;
    } else if (!doc.contains("budget") && !doc.contains("b")) {
        o.engine.b = cli_run_defaults.spex_b;
    }
    if (doc.contains("folds")) {
        o.engine.cv_folds = int(get_integer(doc["folds"], "folds", 2, 20));
    }
    if (doc.contains("early_results")) {
        if (!doc["early_results"].is_boolean()) {
            fail("early_results", "expected true or false");
        }
        o.early_results = doc["early_results"].get<bool>();
    }
    if (doc.contains("first_result")) {
        o.first_result = size_t(get_integer(doc["first_result"], "first_result", 1, int64_t(1) << 40));
    }
    if (doc.contains("target_r2")) {
        const json & v = doc["target_r2"];
        if (!v.is_number() || !(v.get<double>() > 0.0 && v.get<double>() <= 1.0)) {
            fail("target_r2", "expected a number in (0, 1], got " + json_shown(v));
        }
        o.target_r2     = v.get<double>();
        o.early_results = true;
    }
    if ((o.early_results || o.target_r2 > 0.0) && !uniform) {
        fail(o.target_r2 > 0.0 ? "target_r2" : "early_results",
             "needs a method that answers early: auto, proxyspex or ridge (uniform masks)");
    }
}

// b, max_order, t, the design rule, the index, the seed and the feature granularity.
void apply_design(const json & doc, text_explain_options & o) {
    if (doc.contains("b")) {
        o.engine.b = int(get_integer(doc["b"], "b", 1, 20));
    }
    if (doc.contains("max_order")) {
        o.explanations.index_order = int(get_integer(doc["max_order"], "max_order", 1, 16));
    }
    if (doc.contains("t")) {
        o.engine.t = int(get_integer(doc["t"], "t", 1, 16));
    }
    // How a budget is spent (docs/text-explainer.md): "degree-first" is the engine's and the SPEX
    // paper's choice (the highest t, then the largest b); "bins-first" buys the largest b at
    // t = max_order (at least 2), then the highest t that still fits. t_floor is set below,
    // once the players (which choose the default t) are known.
    if (doc.contains("design")) {
        const std::string name = get_string(doc["design"], "design");
        if (name != "degree-first" && name != "bins-first") {
            fail("design", "unknown design rule \"" + name + "\"; use degree-first or bins-first");
        }
        o.engine.bins_first = name == "bins-first";
    }
    if (doc.contains("index")) {
        const std::string name = get_string(doc["index"], "index");
        if (!spex::parse_index_kind(name, o.explanations.index)) {
            fail("index", "unknown index \"" + name + "\"; use one of " + spex::index_kind_list());
        }
    }
    if (doc.contains("seed")) {
        o.engine.seed = uint64_t(get_integer(doc["seed"], "seed", 0, int64_t(max_json_seed)));
    }
    if (doc.contains("features")) {
        const std::string name = get_string(doc["features"], "features");
        if (!text::parse_granularity(name, o.granularity)) {
            fail("features", "unknown granularity \"" + name + "\"; use word or sentence");
        }
    }
}

// The players (words, sentences or components) and the ablation; sets t's default and floor.
void apply_players(const json & doc, text_explain_options & o) {
    if (doc.contains("players")) {
        std::string error;
        if (!components::parse_player_spec(get_string(doc["players"], "players"), o.players, error)) {
            fail("players", error);
        }
    }
    if (doc.contains("ablation")) {
        const std::string name = get_string(doc["ablation"], "ablation");
        if (!components::parse_ablation_mode(name, o.ablation)) {
            fail("ablation", "unknown ablation \"" + name + "\"; use zero or mean");
        }
        if (!o.players.components) {
            fail("ablation", "applies to component players only (players: components, heads or neurons)");
        }
    }
    if (o.players.components && !doc.contains("t")) {
        o.engine.t = components::default_component_t(o.explanations.index_order);
    }
    o.engine.t_floor = std::min(o.engine.t, std::max(2, o.explanations.index_order));
}

// target, masking, long_text, holdout, max_removed, refine and noise.
void apply_model_options(const json & doc, text_explain_options & o) {
    if (doc.contains("target")) {
        o.target = get_string(doc["target"], "target");
    }
    if (doc.contains("masking")) {
        const std::string name = get_string(doc["masking"], "masking");
        if (!text::parse_masking_method(name, o.masking)) {
            fail("masking", "unknown method \"" + name + "\"; use attention, mask_token or remove");
        }
        o.masking_set = true;
    }
    if (doc.contains("drop_masked_tokens")) {
        if (!doc["drop_masked_tokens"].is_boolean()) {
            fail("drop_masked_tokens", "expected true or false, got " + json_shown(doc["drop_masked_tokens"]));
        }
        o.drop_masked_tokens = doc["drop_masked_tokens"].get<bool>();
    }
    if (doc.contains("long_text")) {
        const std::string name = get_string(doc["long_text"], "long_text");
        if (!text::parse_long_text_policy(name, o.long_text)) {
            fail("long_text", "unknown policy \"" + name + "\"; use head or refuse");
        }
    }
    if (doc.contains("holdout")) {
        o.engine.holdout = int(get_integer(doc["holdout"], "holdout", 0, 1000000));
    }
    if (doc.contains("max_removed")) {
        o.explanations.max_removed = int(get_integer(doc["max_removed"], "max_removed", 0, 64));
    }
    if (doc.contains("refine")) {
        if (!doc["refine"].is_boolean()) {
            fail("refine", "expected true or false");
        }
        o.engine.refine = doc["refine"].get<bool>();
    }
    if (doc.contains("noise")) {
        const json & v = doc["noise"];
        if (v.is_string() && v.get<std::string>() == "auto") {
            o.engine.noise = spex::NOISE_AUTO;
        } else if (v.is_string() && v.get<std::string>() == "reference") {
            o.engine.noise = spex::NOISE_REFERENCE;
        } else if (v.is_number() && v.get<double>() >= 0.0 && std::isfinite(v.get<double>())) {
            o.engine.noise    = spex::NOISE_KNOWN;
            o.engine.noise_sd = v.get<double>();
        } else {
            fail("noise", "expected \"auto\", \"reference\" or a per-query noise sd >= 0, got " + json_shown(v));
        }
    }
}

}  // namespace

// [SECTION] parse_explain_options

text_explain_options parse_explain_options(std::string_view json_text) {
    const json           doc = parse_document(json_text);
    text_explain_options o   = default_options();
    check_known_keys(doc);
    apply_budget(doc, o);
    apply_design(doc, o);
    apply_players(doc, o);
    apply_model_options(doc, o);
    return o;
}

}  // namespace spexlens
