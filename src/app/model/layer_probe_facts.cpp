// layer_probe_facts: see the header.
//
// Index
//   [SECTION] Reading the report
//   [SECTION] Sentences
//   [SECTION] A run in the page
#include "app/model/layer_probe_facts.h"

#include "json/json_text.h"
#include "text/model_manifest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace spexlens::app {

namespace {

using json = nlohmann::json;

// [SECTION] Reading the report

[[noreturn]] void bad(const std::string & what) { throw std::runtime_error("the layer probe report " + what); }

const json & field(const json & j, const char * key) {
    if (!j.is_object() || !j.contains(key)) {
        bad(std::string("has no \"") + key + "\"");
    }
    return j.at(key);
}

// j[key] when `ok` accepts it, else a message saying it is not `what`.
template <typename T, typename Ok> T typed(const json & j, const char * key, Ok ok, const char * what) {
    const json & v = field(j, key);
    if (!ok(v)) {
        bad(std::string("\"") + key + "\" is not " + what + ": got " + json_shown(v));
    }
    return v.get<T>();
}

double number(const json & j, const char * key) {
    return typed<double>(
        j, key, [](const json & v) { return v.is_number() && std::isfinite(v.get<double>()); }, "a finite number");
}

size_t count(const json & j, const char * key) {
    return typed<size_t>(
        j, key, [](const json & v) { return v.is_number_unsigned(); }, "a count");
}

std::string text(const json & j, const char * key) {
    return typed<std::string>(
        j, key, [](const json & v) { return v.is_string(); }, "a string");
}

std::vector<std::string> texts(const json & j, const char * key) {
    const json & v = field(j, key);
    if (!v.is_array()) {
        bad(std::string("\"") + key + "\" is not a list: got " + json_shown(v));
    }
    std::vector<std::string> out;
    for (const json & item : v) {
        if (!item.is_string()) {
            bad(std::string("\"") + key + "\" holds a non-string: " + json_shown(item));
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

layer_probe_row read_row(const json & l) {
    layer_probe_row r;
    r.name        = text(l, "name");
    r.accuracy    = number(l, "accuracy");
    r.accuracy_sd = number(l, "accuracy_sd");
    r.majority    = number(l, "majority");
    r.shuffled    = number(l, "shuffled_accuracy");
    r.control     = number(l, "control_accuracy");
    r.selectivity = number(l, "selectivity");
    r.unconverged = count(l, "unconverged_fits");
    return r;
}

// [SECTION] Sentences

std::string fixed(double v, const char * format = "%.2f") {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

// "0.10 above" / "0.03 below".
std::string above(double difference) { return fixed(std::abs(difference)) + (difference >= 0 ? " above" : " below"); }

}  // namespace

bool manifest_declares_hidden_states(const std::string & manifest_text) {
    try {
        return !text::parse_manifest(manifest_text).internals.hidden_states.empty();
    } catch (const std::exception &) {
        return false;
    }
}

layer_probe_facts read_layer_probe_report(std::string_view json_text) {
    json j;
    try {
        j = parse_bounded_json<json>(json_text);
    } catch (const std::exception & e) {
        bad(std::string("is not JSON: ") + e.what());
    }
    layer_probe_facts f;
    f.probe_set  = text(j, "probe_set");
    f.question   = text(j, "question");
    f.model      = text(j, "model");
    f.statement  = text(j, "statement");
    f.labels     = texts(j, "labels");
    f.notes      = texts(j, "notes");
    f.texts      = count(j, "texts");
    f.examples   = count(j, "examples");
    f.word_types = count(j, "word_types");
    f.folds      = count(j, "folds");
    f.seed       = typed<uint64_t>(
        j, "seed", [](const json & v) { return v.is_number_unsigned(); }, "a whole number >= 0");
    const json & layers = field(j, "layers");
    if (!layers.is_array() || layers.empty()) {
        bad("has no layers");
    }
    for (const json & l : layers) {
        f.layers.push_back(read_row(l));
    }
    for (size_t i = 1; i < f.layers.size(); ++i) {
        if (f.layers[i].accuracy > f.layers[f.best].accuracy) {
            f.best = i;
        }
    }
    return f;
}

std::string layer_probe_row_sentence(const layer_probe_row & row) {
    return fixed(row.accuracy) + " of the words right, " + above(row.accuracy - row.majority) +
           " always answering the most frequent label (" + fixed(row.majority) + ") and " +
           above(row.accuracy - row.shuffled) + " the same probe on shuffled labels (" + fixed(row.shuffled) + ")";
}

std::vector<std::string> layer_probe_reading(const layer_probe_facts & f) {
    std::vector<std::string> lines;
    const layer_probe_row &  best     = f.layers[f.best];
    const double             baseline = std::max(best.majority, best.shuffled);
    lines.push_back("\"" + f.question + "\" on " + std::to_string(f.examples) + " words in " + std::to_string(f.texts) +
                    " texts: best at " + best.name + ", " + layer_probe_row_sentence(best) + ".");
    if (best.accuracy - baseline <= 2.0 * best.accuracy_sd) {
        lines.push_back("That is barely above chance (within two standard deviations over the folds, " +
                        fixed(best.accuracy_sd) +
                        " each): at no layer is the answer clearly readable with a linear "
                        "probe from these words' vectors.");
    } else {
        lines.push_back("The answer is linearly decodable from " + best.name + "'s word vectors, " +
                        fixed(best.accuracy - baseline) +
                        " above the better baseline (more than two standard "
                        "deviations over the folds).");
    }
    for (const std::string & note : f.notes) {
        lines.push_back("Note: " + note + ".");
    }
    lines.push_back(f.statement);
    return lines;
}

// [SECTION] A run in the page

std::string layer_probe_begin(layer_probe_session & p, const std::string & model_key, const std::string & set_path,
                              uint64_t seed, double now_s) {
    p.phase     = LAYER_PROBE_RUNNING;
    p.model_key = model_key;
    p.set_path  = set_path;
    p.done = p.total = 0;
    p.started_s      = now_s;
    p.error.clear();
    p.facts.reset();
    ++p.request_id;
    return json{{"id", p.request_id}, {"key", model_key}, {"set", set_path}, {"seed", seed}, {"folds", 5}}.dump();
}

void layer_probe_progress(layer_probe_session & p, int id, size_t done, size_t total) {
    if (id == p.request_id && p.phase == LAYER_PROBE_RUNNING) {
        p.done  = done;
        p.total = total;
    }
}

bool layer_probe_arrived(layer_probe_session & p, int id, std::string_view report_json, double now_s) {
    if (id != p.request_id || p.phase != LAYER_PROBE_RUNNING) {
        return false;
    }
    p.phase   = LAYER_PROBE_IDLE;
    p.seconds = now_s - p.started_s;
    try {
        p.facts = read_layer_probe_report(report_json);
    } catch (const std::exception & e) {
        p.error = e.what();
    }
    return true;
}

void layer_probe_failed(layer_probe_session & p, int id, const std::string & message) {
    if (id == p.request_id && p.phase == LAYER_PROBE_RUNNING) {
        p.phase = LAYER_PROBE_IDLE;
        p.error = message.empty() ? "the layer probe failed" : message;
    }
}

void layer_probe_model_changed(layer_probe_session & p, const std::string & model_key) {
    if (model_key == p.model_key) {
        return;
    }
    p.facts.reset();
    p.error.clear();
    if (p.phase == LAYER_PROBE_RUNNING) {
        ++p.request_id;  // its answer is stale now
        p.phase = LAYER_PROBE_IDLE;
    }
    p.model_key = model_key;
}

}  // namespace spexlens::app
