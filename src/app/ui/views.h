// views: the page's panels, one function per panel, each in its own file. Every view draws
// from app_state and changes it; browser work goes through page_actions.
//
//   [SECTION] controls_panel.cpp     model picker, text box, target, granularity, budget,
//                                    max order, index, decoder, seed, Run / Cancel + progress
//   [SECTION] results_view.cpp       the result on screen (words or components), and both side
//                                    by side for the same text and model (companion_result.cpp)
//             text_heatmap_view.cpp  the text as a heat-map of first-order effects, hover
//                                    details; what-if clicks toggle masks here
//             component_grid_view.cpp  heads and neuron groups as a layer grid; what-if clicks
//                                    ablate them
//             result_pane.cpp        what both share: legend, hover numbers, what-if toggle
//             interaction_arcs.cpp   arcs (pairs) and hyper-edges (higher orders) drawn on them
//             run_request.cpp        the options a run sends (words or components)
//   [SECTION] interaction_list_view.cpp  sortable top-interactions table
//   [SECTION] faithfulness_panel.cpp R², queries, time, seed, model sha256, notes, the
//                                    honest sentence
//   [SECTION] whatif_panel.cpp       masked words, surrogate vs real model output
//   [SECTION] teaching_panel.cpp     planted functions, budget, recovered vs missed terms
//   [SECTION] export_panel.cpp       JSON / CSV / PNG downloads
//             export_figure.cpp      the PNG drawn as a figure (not a grab of the page)
//   [SECTION] probe_panel.cpp        behavioural probe suites: run one on the model, pass / fail
//                                    per capability and test, the cases, explain one, the report
//   [SECTION] attention_view.cpp     attention received per word beside its use, rank correlation
//   [SECTION] layer_probe_view.cpp   probing classifiers: a linear probe per layer beside its baselines
//   [SECTION] workshop_view.cpp      the workshop path: seven steps on a teaching model, each a button
#pragma once

#include "app/model/export_formats.h"
#include "app/ui/app_state.h"
#include "app/ui/page_actions.h"

#include <cstdint>

namespace spexlens::app {

// Draws the whole page for one frame (docked layout filling the canvas).
void draw_page(app_state & s, page_actions & actions);

void draw_controls_panel(app_state & s, page_actions & actions);
void draw_results_view(app_state & s, page_actions & actions);           // actions: "Explain words too"
void draw_interaction_list_view(app_state & s, page_actions & actions);  // actions: "Copy"
void draw_faithfulness_panel(app_state & s, page_actions & actions);     // actions: copy sha256
void draw_whatif_panel(app_state & s, page_actions & actions);
void draw_teaching_panel(app_state & s, page_actions & actions);
void draw_export_panel(app_state & s, page_actions & actions);
// The probe panel's content (page_layout.cpp draws it in a window over the right-hand tiles
// while s.probe.open). actions: read or pick a suite, score its texts, cancel, explain a case
// (start_run), download the report.
void draw_probe_panel(app_state & s, page_actions & actions);

// Attention beside use (attention_view.cpp): the button that opens the view, and the view in a
// window over the right-hand tiles while s.attention.open (it asks for the attention of the
// result on screen through s.attention; the web glue sends the request).
void draw_attention_button(app_state & s);
void draw_attention_window(app_state & s, const ImVec2 & pos, const ImVec2 & size);

// Probing classifiers (layer_probe_view.cpp): the button that opens the view (shown when the
// chosen model declares hidden states and ships a layer probe set), and the view in a window over
// the right-hand tiles while s.layer_probe.open (actions.probe_layers runs the probes).
void draw_layer_probe_button(app_state & s);
void draw_layer_probe_window(app_state & s, page_actions & actions, const ImVec2 & pos, const ImVec2 & size);

// Where the site keeps a shipped model's suite: "models/<key>/<probe_suite>".
std::string shipped_suite_path(const model_entry & m);
// The model's shipped suite: read it (the run starts when it arrives), or run it again.
void run_shipped_suite(app_state & s, page_actions & actions, const model_entry & model);
// Puts `text` in the text box and explains it with the model the suite ran on and the current
// settings (the Run button's path), with the probe panel closed so the result is in view.
void explain_case_text(app_state & s, page_actions & actions, const std::string & text);
// Runs the model's layer probe set in the worker (actions.probe_layers) with the page's seed.
void start_layer_probe(app_state & s, page_actions & actions, const model_entry & model);

// The workshop path (workshop_view.cpp): whether a model of the page ships one, the path in the
// left column (instead of the controls while s.workshop.enabled), and for
// window.spexlens.state().workshop {"enabled", "available", "model", "steps", "next"}.
bool                   workshop_available(const app_state & s);
void                   draw_workshop_panel(app_state & s, page_actions & actions);
nlohmann::ordered_json workshop_page_state(const app_state & s);

// "" when s.probe.plan can be scored now, else why not ("an explanation is running; ...").
std::string probe_blocker(const app_state & s);
// Scores s.probe.plan with the chosen model (actions.score_probe_texts with probe_begin's
// request), or puts why it cannot in s.probe.error. Returns whether it started.
bool start_probe_run(app_state & s, page_actions & actions);
// A suite file's text has arrived (shipped, or opened by the user): the panel opens, and a
// suite that reads is run at once on the chosen model; one that does not says why.
void probe_suite_received(app_state & s, page_actions & actions, const std::string & text, const std::string & source);

// The options every export of the page uses: the "include the text" box, the page's version,
// `timestamp` (the page's clock) and the ONNX Runtime the worker reported.
export_options page_export_options(const app_state & s, const std::string & timestamp);
// The PNG export's figure, drawn over the whole canvas instead of the page for one frame
// (draw_page does so while s.figure.pending): decision, drivers, R² in words, legends, the
// heat-map or grid with its interactions, and the provenance. Requires s.result.
void draw_export_figure(app_state & s, page_actions & actions);

// The page's colours and spacing: a light, high-contrast theme that survives a projector.
// Call once after ImGui::CreateContext (the web glue does).
void apply_page_style();

// Puts a new result on screen, as the web glue does with a finished run: a result of the other
// kind (words vs components) than the one it replaces keeps that one as s.companion; then
// refresh_index. The what-if mask starts all kept.
void accept_result(app_state & s, loaded_result result);
// True when s.companion is shown beside s.result: one words, one components, both for the same
// text and the same model (sha256).
bool companion_matches(const app_state & s);

// Recomputes s.index (and s.companion_index) from s.result with the chosen index and order (instant; no model calls),
// and resets the what-if surrogate value. Call after a new result or an index/order change.
// A different result (or one with another n) also resets the what-if mask to all kept.
void refresh_index(app_state & s);

// After s.whatif.keep changed: recomputes the surrogate f̂(keep) and asks for the real output
// (actions.request_whatif with a new request_id), unless it is already known: with every
// feature kept or masked it is the result's full / baseline value, and for a planted
// function it is the planted function itself.
void whatif_mask_changed(app_state & s, page_actions & actions);

// The index combo and the max order slider (explain and teaching panels both show them);
// a change recomputes s.index at once.
void draw_index_controls(app_state & s);

// Runs the teaching run in flight (s.teaching.run) for one slice of this frame; when it is done,
// its result replaces s.result. draw_page calls it every frame, so a run continues while the
// left column shows the explain controls.
void advance_teaching_run(app_state & s);

// What the controls show next to the budget slider: model calls a run with the current
// settings will make (method + hold-out + 2) and how long they should take.
struct run_estimate {
    int64_t queries  = 0;
    double  seconds  = 0.0;
    bool    exact    = false;  // taken from the result on screen (same b and features)
    bool    measured = false;  // the speed was measured with this model in this browser
};

// A run estimated to take longer than this asks before it starts (a model bigger than the
// browser runs comfortably, or a huge budget).
constexpr double long_run_seconds = 60.0;
run_estimate     estimate_run(const app_state & s);

}  // namespace spexlens::app
