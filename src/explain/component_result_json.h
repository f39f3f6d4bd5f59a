// component_result_json: turns a text result into a component result (docs/components.md):
// the players become heads and neuron groups, with their layout, the ablation used and the
// interpretation worded for ablation. Applied after add_text_fields, which wrote the text,
// model, target and reference values.
#pragma once

#include "components/component_players.h"
#include "report/result_json.h"
#include "text/model_manifest.h"

namespace spexlens {

void add_component_fields(ordered_json & result, const components::component_players & players,
                          const text::model_manifest & manifest, const text::target_spec & target);

}  // namespace spexlens
