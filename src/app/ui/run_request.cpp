// run_request: see run_request.h.
#include "app/ui/run_request.h"

#include "app/model/component_facts.h"
#include "app/model/index_table.h"
#include "components/component_players.h"
#include "json/json_text.h"
#include "spex/interaction_indices.h"
#include "text/model_manifest.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>

namespace spexlens::app {

namespace {

using json = nlohmann::json;

// A refused request: the message names the key.
struct request_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void refuse(const std::string & key, const std::string & what) {
    throw request_error("explain(): \"" + key + "\" " + what);
}

std::string string_of(const json & o, const char * key, const std::string & fallback) {
    const auto it = o.find(key);
    if (it == o.end()) {
        return fallback;
    }
    if (!it->is_string()) {
        refuse(key, "must be a string, not " + json_shown(*it));
    }
    return it->get<std::string>();
}

int64_t integer_of(const json & o, const char * key, int64_t fallback, int64_t lo, int64_t hi) {
    const auto it = o.find(key);
    if (it == o.end()) {
        return fallback;
    }
    const bool integral =
        it->is_number_integer() || (it->is_number_float() && it->get<double>() == std::floor(it->get<double>()));
    if (!integral) {
        refuse(key, "must be an integer, not " + json_shown(*it));
    }
    const double v = it->get<double>();
    if (v < double(lo) || v > double(hi)) {
        refuse(key, "must be from " + std::to_string(lo) + " to " + std::to_string(hi) + ", not " + json_shown(*it));
    }
    return it->get<int64_t>();
}

}  // namespace

const char * method_option(int method, int decoder) {
    switch (method) {
    case PAGE_METHOD_PROXYSPEX:
        return "proxyspex";
    case PAGE_METHOD_RIDGE2:
        return "ridge-2";
    case PAGE_METHOD_SPEX:
        return decoder == 1 ? "spex-hard" : "spex-soft";
    case PAGE_METHOD_LIME:
        return "lime";
    case PAGE_METHOD_KERNELSHAP:
        return "kernelshap";
    case PAGE_METHOD_FAITH_BANZHAF2:
        return "faith-banzhaf-2";
    default:
        return "auto";
    }
}

bool parse_method_option(const std::string & name, int & method, int & decoder) {
    for (int m = 0; m < PAGE_METHOD_COUNT; ++m) {
        for (int d = 0; d < 2; ++d) {
            if (name == method_option(m, d) || (m == PAGE_METHOD_SPEX && d == 0 && name == "spex")) {
                method  = m;
                decoder = d;
                return true;
            }
        }
    }
    return false;
}

namespace {

std::string target_option(const app_state & s) {
    const model_entry * m = find_model(s, s.settings.model_key);
    if (!m || s.settings.target_index < 0 || size_t(s.settings.target_index) >= m->labels.size()) {
        return m ? m->default_target : std::string();
    }
    return m->labels[size_t(s.settings.target_index)] + ":" + s.settings.measure;
}

}  // namespace

std::string run_request_json(const app_state & s) {
    const run_settings & r = s.settings;
    ordered_json         options;
    const bool           uniform = page_method_uniform(r.method);
    options["method"]            = method_option(r.method, r.decoder);
    if (r.budget > 0) {
        options["budget"] = r.budget;
    } else if (uniform && !r.sized_by_b) {
        options["budget"] = r.calls;
    } else {
        options["b"] = r.b;
    }
    if (uniform) {
        options["early_results"] = true;  // a first result after 500 calls, refined as calls come in
    }
    options["max_order"] = r.max_order;
    options["holdout"]   = r.holdout;
    options["index"]     = spex::index_kind_name(index_choices()[size_t(r.index)].kind);
    options["seed"]      = r.seed;
    options["features"]  = r.granularity == 1 ? "sentence" : "word";
    // Word runs send no "players": their options stay exactly what they were before component
    // explanations existed (the browser test compares them with the command line's).
    if (r.components) {
        options["players"]  = players_option(r.players);
        options["ablation"] = r.mean_ablation ? "mean" : "zero";
    } else if (!r.masking.empty()) {
        options["masking"] = r.masking;
    }
    const std::string target = target_option(s);
    if (!target.empty()) {
        options["target"] = target;
    }
    return ordered_json{{"model", r.model_key}, {"text", s.text}, {"options", options}}.dump();
}

std::string apply_script_request(const std::string & options_json, app_state & s) {
    try {
        json c;
        try {
            c = parse_bounded_json<json>(options_json);
        } catch (const json_input_error & e) {
            throw request_error(std::string("explain(): the options are not valid JSON: ") + e.what());
        }
        if (!c.is_object()) {
            throw request_error("explain(): the options must be an object such as {\"text\": \"...\"}, not " +
                                json_shown(c));
        }
        static const char * const known[] = {"text",        "model",   "method",   "budget", "b",
                                             "holdout",     "seed",    "maxOrder", "index",  "target",
                                             "granularity", "players", "ablation", "masking"};
        for (auto it = c.begin(); it != c.end(); ++it) {
            if (std::find_if(std::begin(known), std::end(known), [&](const char * k) { return it.key() == k; }) ==
                std::end(known)) {
                std::string list;
                for (const char * k : known) {
                    list += (list.empty() ? "" : ", ") + std::string(k);
                }
                throw request_error("explain(): unknown option \"" + it.key() + "\" (known: " + list + ")");
            }
        }

        // A key left out takes the page's default (run_settings(), from run_defaults.h), not what
        // the controls show: a script's call means the same whatever was clicked before it.
        const run_settings defaults;
        run_settings       r    = s.settings;  // applied only when everything checks
        std::string        text = string_of(c, "text", "");
        {
            // Left out: the page's first model (the catalog's order), as the page opens with it.
            const std::string key = string_of(c, "model", s.models.empty() ? defaults.model_key : s.models.front().key);
            if (!find_model(s, key)) {
                refuse("model", "names no model of the page: \"" + key + "\"");
            }
            if (key != r.model_key) {
                r.target_index = -1;
            }
            r.model_key = key;
        }
        // Absent players means words, as an absent granularity means words: a script's explain()
        // does not inherit what the controls or an earlier call chose. The kind comes first, so
        // that without a "b" the run takes that kind's own b.
        bool             components = false;
        component_choice players;
        std::string      players_error;
        if (!parse_players_option(string_of(c, "players", "text"), components, players, players_error)) {
            refuse("players", players_error);
        }
        r.set_components(components);
        if (components) {
            r.players = players;
        }
        const std::string                   ablation_name = string_of(c, "ablation", "zero");
        spexlens::components::ablation_mode ablation      = spexlens::components::ABLATION_ZERO;
        if (!spexlens::components::parse_ablation_mode(ablation_name, ablation)) {
            refuse("ablation", "must be \"zero\" or \"mean\", not \"" + ablation_name + "\"");
        }
        r.mean_ablation = ablation == spexlens::components::ABLATION_MEAN;
        // Absent masking means the model's own, as the Run button's default.
        const std::string              masking = string_of(c, "masking", "");
        spexlens::text::masking_method parsed  = spexlens::text::MASKING_ATTENTION;
        if (!masking.empty() && !spexlens::text::parse_masking_method(masking, parsed)) {
            refuse("masking", "must be \"attention\", \"mask_token\" or \"remove\", not \"" + masking + "\"");
        }
        r.masking = masking;
        if (c.contains("budget") && c.contains("b")) {
            refuse("budget", "and \"b\" both size the run: give one");
        }
        r.budget     = integer_of(c, "budget", 0, 1, int64_t(1) << 40);
        r.sized_by_b = c.contains("b");
        r.b          = int(integer_of(c, "b", components ? defaults.other_kind_b : defaults.b, 1, 20));
        r.holdout    = int(integer_of(c, "holdout", defaults.holdout, 0, 1000000));
        r.seed       = uint64_t(integer_of(c, "seed", int64_t(defaults.seed), 0, (int64_t(1) << 53) - 1));
        r.max_order  = int(integer_of(c, "maxOrder", defaults.max_order, 1, 8));
        const std::string granularity = string_of(c, "granularity", "word");
        if (granularity != "word" && granularity != "sentence") {
            refuse("granularity", "must be \"word\" or \"sentence\", not \"" + granularity + "\"");
        }
        r.granularity            = granularity == "sentence" ? 1 : 0;
        const std::string method = string_of(c, "method", page_run_defaults.method);
        if (!parse_method_option(method, r.method, r.decoder)) {
            refuse("method", "must be auto, proxyspex, ridge-2, spex-soft, spex-hard, lime, kernelshap or "
                             "faith-banzhaf-2, not \"" +
                                 method + "\"");
        }
        if (!c.contains("budget") && !c.contains("b")) {
            // Unsized: the page's default calls for a uniform method, its default b otherwise.
            if (page_method_uniform(r.method)) {
                r.budget = defaults.calls;
            } else {
                r.sized_by_b = true;
            }
        }
        r.index = defaults.index;
        if (c.contains("index")) {
            const std::string name  = string_of(c, "index", "");
            spex::index_kind  kind  = spex::INDEX_FSII;
            bool              found = false;
            for (size_t i = 0; i < index_choices().size() && spex::parse_index_kind(name, kind); ++i) {
                if (index_choices()[i].kind == kind) {
                    r.index = int(i);
                    found   = true;
                }
            }
            if (!found) {
                refuse("index", "names no index the page offers: \"" + name + "\"");
            }
        }
        if (c.contains("target")) {
            const model_entry * m      = find_model(s, r.model_key);
            const std::string   target = string_of(c, "target", "");
            const size_t        colon  = target.find(':');
            const std::string   label  = target.substr(0, colon);
            r.target_index             = -1;
            for (size_t i = 0; m && i < m->labels.size(); ++i) {
                if (m->labels[i] == label) {
                    r.target_index = int(i);
                }
            }
            if (r.target_index < 0) {
                refuse("target", "names no class of the model: \"" + label + "\"");
            }
            const std::string measure = colon == std::string::npos ? "log-odds" : target.substr(colon + 1);
            if (measure != "logit" && measure != "log-odds" && measure != "prob") {
                refuse("target", "measure must be logit, log-odds or prob, not \"" + measure + "\"");
            }
            r.measure = measure;
        }
        s.settings = r;
        s.text     = text;
        return "";
    } catch (const request_error & e) {
        return e.what();
    }
}

}  // namespace spexlens::app
