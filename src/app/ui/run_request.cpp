// run_request: see run_request.h.
#include "app/ui/run_request.h"

#include "app/model/component_facts.h"

namespace spexlens::app {

namespace {}  // namespace

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

}  // namespace spexlens::app
