// run_request: see run_request.h.
#include "app/ui/run_request.h"

#include "app/model/component_facts.h"

namespace spexlens::app {

namespace {

const char * method_option(int method, int decoder) {
    switch (method) {
    case 1:
        return "lime";
    case 2:
        return "kernelshap";
    case 3:
        return "faith-banzhaf-2";
    default:
        return decoder == 1 ? "spex-hard" : "spex-soft";
    }
}

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
    options["method"] = method_option(r.method, r.decoder);
    if (r.budget > 0) {
        options["budget"] = r.budget;
    } else {
        options["b"] = r.b;
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
    }
    const std::string target = target_option(s);
    if (!target.empty()) {
        options["target"] = target;
    }
    return ordered_json{{"model", r.model_key}, {"text", s.text}, {"options", options}}.dump();
}

}  // namespace spexlens::app
