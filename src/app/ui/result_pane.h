// result_pane: one result as the results tile draws it — the run on screen (s.result: what-if
// clicks and the interaction list's hover apply to it) or its companion (s.companion: the last
// result of the other kind for the same text and model, drawn read-only beside it). The word
// heat-map and the component grid both draw a pane, and share the legend and the hover
// details defined here, so both kinds read the same way.
#pragma once

#include "app/ui/app_state.h"
#include "app/ui/page_actions.h"

#include <string>

namespace spexlens::app {

struct result_pane {
    const loaded_result * result        = nullptr;
    const index_table *   index         = nullptr;
    bool                  primary       = true;     // what-if and the list's hover apply
    int *                 hovered       = nullptr;  // the feature under the mouse, written each frame
    int                   hovered_entry = -1;       // the list row under the mouse (primary only)
    std::string           widget_prefix;            // "" or "companion-": "word:3", "companion-component:3"
};

result_pane primary_pane(app_state & s);
result_pane companion_pane(app_state & s);  // requires s.companion

// The two kinds of pane (text_heatmap_view.cpp, component_grid_view.cpp).
void draw_word_pane(app_state & s, page_actions & actions, const result_pane & pane);
void draw_component_pane(app_state & s, page_actions & actions, const result_pane & pane);

// Largest |first-order value|: the full colour of the pane's scale.
double first_order_scale(const index_table & index);
// The colour bar, its ends and what the colour means ("FSII of each head and neuron group").
void draw_value_legend(app_state & s, const result_pane & pane);
// The hover details under a feature's name: the index's order-1 value, Shapley, Banzhaf and the
// three strongest interactions involving it; in what-if mode what a click does.
void draw_feature_numbers(const app_state & s, const result_pane & pane, int feature);
// What-if: flips feature f of the result on screen between kept and masked / ablated.
void toggle_whatif(app_state & s, page_actions & actions, int feature);
// The sentence under a component result: what ablating its players does, with R², and what it
// does not claim ("Causal for this ablation on this input, not a full account …").
std::string component_sentence(const loaded_result & result);
// The label of the index the user chose ("FSII").
const char * index_label(const app_state & s);

}  // namespace spexlens::app
