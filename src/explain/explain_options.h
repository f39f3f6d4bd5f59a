// explain_options: how one text explanation is configured, and its JSON form. The command-line
// explainer and the page both pass options as JSON (docs/text-explainer.md), so both accept
// exactly the same names and both refuse the same mistakes with the same messages.
#pragma once

#include "components/component_players.h"
#include "defaults/run_defaults.h"
#include "report/explanations.h"
#include "spex/session.h"
#include "text/features.h"
#include "text/prepared_text.h"

#include <string>
#include <string_view>

namespace spexlens {

// Model calls a uniform-design method (auto, proxyspex, ridge) spends when neither budget nor b
// is given (docs/benchmarks.md: where the held-out R^2 of a 40-80-word e-mail levels off).
constexpr int64_t default_uniform_budget = cli_run_defaults.calls;

struct text_explain_options {
    spex::session_config      engine;                       // n is set from the text; seed, budget, method, ...
    explanation_options       explanations;                 // index and its order, removal search
    std::string               method_label       = "auto";  // as the user named it
    bool                      early_results      = false;   // snapshots while the calls come in (uniform designs)
    size_t                    first_result       = 500;     // design calls before the first early result
    double                    target_r2          = 0.0;     // > 0: stop once the cross-validated R^2 reaches it
    text::feature_granularity granularity        = text::GRANULARITY_WORD;
    text::long_text_policy    long_text          = text::LONG_TEXT_HEAD;
    bool                      masking_set        = false;  // "masking" given: overrides the manifest's
    text::masking_method      masking            = text::MASKING_ATTENTION;
    bool                      drop_masked_tokens = true;  // model_manifest::drop_masked_tokens
    text::text_limits         limits;
    std::string               target;   // "CLASS[:MEASURE]"; empty: the manifest's default
    components::player_spec   players;  // words/sentences (default) or model components
    components::ablation_mode ablation = components::ABLATION_ZERO;
};

// Parses {"method": "spex-soft", "budget": 5000, "b": 6, "max_order": 2, "index": "fsii",
// "seed": 1, "features": "word", "target": "spam:log-odds", "long_text": "head",
// "holdout": 1000, "max_removed": 7, "t": 5, "refine": true, "noise": "reference",
// "players": "components:group=8", "ablation": "zero", "folds": 5, "early_results": true,
// "first_result": 500, "target_r2": 0.95, "masking": "remove", "drop_masked_tokens": true}; every key
// is optional, unknown keys are refused (a typo must not silently fall back to a default).
// Defaults that differ from the engine's: the method is auto, with default_uniform_budget
// calls when neither budget nor b is given; a SPEX budget is spent bins first (t no lower than
// max_order, at least 2); noise is "reference" (a model is deterministic). early_results and
// target_r2 need a uniform-design method. Throws text::text_error.
text_explain_options parse_explain_options(std::string_view json_text);

}  // namespace spexlens
