// explain_options: how one text explanation is configured, and its JSON form. The command-line
// explainer and the page both pass options as JSON (docs/text-explainer.md), so both accept
// exactly the same names and both refuse the same mistakes with the same messages.
#pragma once

#include "components/component_players.h"
#include "report/explanations.h"
#include "spex/session.h"
#include "text/features.h"
#include "text/prepared_text.h"

#include <string>
#include <string_view>

namespace spexlens {

struct text_explain_options {
    spex::session_config      engine;                      // n is set from the text; seed, budget, method, ...
    explanation_options       explanations;                // index and its order, removal search
    std::string               method_label = "spex-soft";  // as the user named it
    text::feature_granularity granularity  = text::GRANULARITY_WORD;
    text::long_text_policy    long_text    = text::LONG_TEXT_HEAD;
    text::text_limits         limits;
    std::string               target;   // "CLASS[:MEASURE]"; empty: the manifest's default
    components::player_spec   players;  // words/sentences (default) or model components
    components::ablation_mode ablation = components::ABLATION_ZERO;
};

// Parses {"method": "spex-soft", "budget": 5000, "b": 6, "max_order": 2, "index": "fsii",
// "seed": 1, "features": "word", "target": "spam:log-odds", "long_text": "head",
// "holdout": 1000, "max_removed": 7, "t": 5, "refine": true, "noise": "reference",
// "players": "components:group=8", "ablation": "zero"}; every key
// is optional, unknown keys are refused (a typo must not silently fall back to a default).
// Two defaults differ from the engine's: a budget is spent bins first (t no lower than
// max_order, at least 2), and noise is "reference" (a model is deterministic). Throws
// text::text_error.
text_explain_options parse_explain_options(std::string_view json_text);

}  // namespace spexlens
