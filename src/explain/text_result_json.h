// text_result_json: the fields a text explanation adds to the engine's result JSON
// (docs/result-schema.md, "Text explanations"): the text, its features with offsets, the model,
// the target, the reference values and what part of a long text was explained.
#pragma once

#include "report/result_json.h"
#include "text/model_manifest.h"
#include "text/prepared_text.h"

namespace spexlens {

struct text_result_context {
    const text::prepared_text &  prepared;
    const text::model_manifest & manifest;
    const text::target_spec &    target;
    double                       full_value     = 0.0;
    double                       baseline_value = 0.0;
};

// Appends the text fields to `result` (as written by result_to_json) and its notes.
void add_text_fields(ordered_json & result, const text_result_context & context);

}  // namespace spexlens
