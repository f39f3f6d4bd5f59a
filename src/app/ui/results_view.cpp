// results_view: the tile above the interactions list. Before a run it says what will appear;
// after, it draws the result on screen as a word heat-map or a component grid, with the
// order-range / cap controls both share. When a word result and a component result exist for
// the same text and model, both are drawn, side by side (stacked when the tile is narrow),
// each labelled with what it measured; otherwise a button offers to run the missing one.
#include "app/ui/interaction_arcs.h"
#include "app/ui/result_pane.h"
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cmath>

namespace spexlens::app {

namespace {

constexpr float side_by_side_min_width = 760.0f;  // below this, two columns of cells are too cramped

void draw_introduction(const app_state & s) {
    if (s.teaching.enabled) {
        if (s.teaching.run) {
            ImGui::TextUnformatted("Explaining the planted function\xE2\x80\xA6 the result appears here when the "
                                   "run is done.");
            return;
        }
        wrapped_text("Teaching mode: pick a planted function on the left and press Run. Its answer is known, so "
                     "the table on the left sets every planted term next to what was recovered.");
        ImGui::Spacing();
        wrapped_text("The features x0, x1, ... then appear here as a heat-map, with arcs joining features whose "
                     "effect together differs from the sum of their effects alone. Try a smaller budget b to see "
                     "what SPEX misses when it has too few queries.");
        return;
    }
    if (s.phase != RUN_IDLE) {
        ImGui::TextUnformatted("Explaining\xE2\x80\xA6 the result appears here when the run is done.");
        return;
    }
    wrapped_text("Paste a text on the left, pick a model and press Run. spexlens masks words of the text, runs the "
                 "model on each masked text in this browser, and fits a small surrogate f\xCC\x82 to the outputs.");
    ImGui::Spacing();
    wrapped_text("The text then appears here as a heat-map: red words raise the measured output, blue words lower "
                 "it. Arcs join words whose effect together differs from the sum of their effects alone. The "
                 "numbers describe how this model's output responds to masking, not how the model works inside.");
    ImGui::Spacing();
    wrapped_text("With Explain: components, the text stays whole and the players are the model's attention heads "
                 "and groups of MLP neurons, switched off (ablated) one combination at a time.");
}

// Runs the other kind of explanation on the text and model of the result on screen, so that
// the two can be shown side by side.
void draw_explain_other(app_state & s, page_actions & actions) {
    const loaded_result & r          = *s.result;
    const bool            want_words = r.is_components();
    const model_entry *   model      = find_model(s, s.settings.model_key);
    for (const model_entry & m : s.models) {
        if (!r.model_sha256.empty() && m.sha256 == r.model_sha256) {
            model = &m;  // the model the result came from, even if the picker has moved on
        }
    }
    const std::string why_not =
        want_words ? std::string() : (model ? model->components.unavailable : std::string("the model is not loaded"));
    const bool disabled = s.phase != RUN_IDLE || !why_not.empty();
    ImGui::BeginDisabled(disabled);
    if (ImGui::SmallButton(want_words ? "Explain words too" : "Explain components too") && !disabled) {
        s.text = r.text;
        if (model) {
            s.settings.model_key = model->key;
        }
        s.settings.set_components(!want_words);
        actions.start_run(s);
    }
    ImGui::EndDisabled();
    record_widget(s, "explain-other");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("%s", !why_not.empty() ? why_not.c_str()
                                : want_words
                                    ? "Mask the words of this text too, with the controls' budget, and show the "
                                      "word heat-map next to these components."
                                    : "Ablate this model's heads and neuron groups on this text too, with the "
                                      "controls' settings, and show them next to these words.");
    }
}

// A pane in its own child window, under a heading that says what it measured.
void draw_labelled_pane(app_state & s, page_actions & actions, const result_pane & pane, ImVec2 size) {
    ImGui::BeginChild((pane.widget_prefix + "##pane").c_str(), size, false);
    const bool components = pane.result->is_components();
    ImGui::TextUnformatted(components ? "Components: ablating heads and neuron groups" : "Words: masking words");
    const char * note = pane.primary ? "(latest run: what-if, list and exports)" : "(earlier run, for comparison)";
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(note).x) {
        ImGui::NewLine();  // a narrow pane: the note goes under the heading rather than off its edge
    }
    ImGui::TextDisabled("%s", note);
    if (components) {
        draw_component_pane(s, actions, pane);
    } else {
        draw_word_pane(s, actions, pane);
    }
    ImGui::EndChild();
}

}  // namespace

void draw_results_view(app_state & s, page_actions & actions) {
    if (!s.result) {
        s.view.hovered_feature   = -1;
        s.view.companion_hovered = -1;
        draw_introduction(s);
        return;
    }
    const bool components = s.result->is_components();
    const bool both       = companion_matches(s);
    draw_interaction_controls(s, components ? "click cells to ablate them" : "click words to mask them");
    if (!both && !is_synthetic(*s.result)) {
        ImGui::SameLine();
        draw_explain_other(s, actions);
    }
    if (!both) {
        s.view.companion_hovered = -1;
        const result_pane pane   = primary_pane(s);
        if (components) {
            draw_component_pane(s, actions, pane);
        } else {
            draw_word_pane(s, actions, pane);
        }
        return;
    }
    // Components first (left or top) whichever ran last, so the layout does not swap sides.
    const result_pane   primary   = primary_pane(s);
    const result_pane   companion = companion_pane(s);
    const result_pane & first     = components ? primary : companion;
    const result_pane & second    = components ? companion : primary;
    const ImVec2        avail     = ImGui::GetContentRegionAvail();
    if (avail.x >= side_by_side_min_width) {
        const float w = std::floor((avail.x - ImGui::GetStyle().ItemSpacing.x) / 2);
        draw_labelled_pane(s, actions, first, ImVec2(w, avail.y));
        ImGui::SameLine();
        draw_labelled_pane(s, actions, second, ImVec2(0, avail.y));
    } else {
        const float h = std::floor((avail.y - ImGui::GetStyle().ItemSpacing.y) / 2);
        draw_labelled_pane(s, actions, first, ImVec2(0, h));
        draw_labelled_pane(s, actions, second, ImVec2(0, 0));
    }
}

}  // namespace spexlens::app
