// app_state: everything the page's views read and edit, in one struct. Views draw from it
// and change it; they never talk to the browser directly, only through page_actions
// (implemented by the web glue in src/app/web/), so the views know nothing of JavaScript.
#pragma once

#include "app/model/attention_facts.h"
#include "app/model/component_facts.h"
#include "app/model/index_table.h"
#include "app/model/layer_probe_facts.h"
#include "app/model/loaded_result.h"
#include "app/model/probe_run.h"
#include "app/model/teaching_run.h"
#include "app/model/workshop_path.h"
#include "app/ui/focus_ring.h"
#include "defaults/run_defaults.h"

#include <array>
#include <cstdint>
#include <imgui.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace spexlens::app {

// A model the page can explain with: shipped (models/<name>/) or brought by the user.
struct model_entry {
    std::string              key;    // "spam-transformer", or "custom:<name>"
    std::string              title;  // for the picker
    std::string              description;
    std::vector<std::string> labels;
    std::string              default_target;  // e.g. "spam:log-odds"
    std::string              sample_text;
    std::string              sha256;
    std::string              masking;  // the manifest's: "attention" / "mask_token" / "remove"
    int                      max_length = 0;
    bool                     custom     = false;
    component_facts          components;  // from the manifest: can its heads / neurons be ablated
    // A folder with no model.json (config.json + tokenizer.json + ONNX): the manifest the core
    // derived once the model was opened, what it chose and why, and whether it could not tell
    // which label to explain (more than two). Empty for models that bring their model.json.
    // exported: the model is such a folder (known before it is opened, so the page keeps the
    // derived manifest's place from the start and nothing below it jumps when it arrives).
    bool                     exported = false;
    std::string              derived_manifest;
    std::vector<std::string> derived_notes;
    bool                     target_asked = false;
    // Model calls per second measured with this model in this browser (its warm-up when it was
    // opened); 0 until measured. Sizes the time estimate before a Run.
    double calls_per_s = 0.0;
    // The behavioural probe suite the model ships (catalog.json "probe_suite"), a file in its
    // folder; empty: none (docs/probe-suites.md).
    std::string probe_suite;
    bool        attentions    = false;  // the manifest declares an internals graph with attentions
    bool        hidden_states = false;  // ... and with hidden states (the probing view)
    // The layer probe set the model ships (catalog.json "layer_probe_set"), a file in its folder;
    // empty: none (docs/probing.md).
    std::string layer_probe_set;
    // The workshop path the model ships (catalog.json "workshop", docs/page.md), or why its
    // description could not be read (the path is then not offered for this model).
    std::optional<workshop_spec> workshop;
    std::string                  workshop_error;
    // The model card (the folder's README.md), fetched the first time it is asked for.
    bool        card_requested = false;
    bool        card_missing   = false;  // asked, and there is none (the text says why)
    std::string card;
};

enum run_phase { RUN_IDLE, RUN_LOADING_MODEL, RUN_RUNNING, RUN_CANCELLING };

// The methods the page offers, in the method combo's order (run_request.cpp names them).
enum page_method {
    PAGE_METHOD_AUTO,       // the default: ProxySPEX or ridge, chosen by cross-validation
    PAGE_METHOD_PROXYSPEX,  // boosted-tree proxy, its Fourier support refit
    PAGE_METHOD_RIDGE2,     // ridge regression on every word and pair
    PAGE_METHOD_SPEX,       // structured masks, BCH peeling (sized by b)
    PAGE_METHOD_LIME,
    PAGE_METHOD_KERNELSHAP,
    PAGE_METHOD_FAITH_BANZHAF2,
    PAGE_METHOD_COUNT
};

// True for the methods that spend a budget of uniform random masks and answer early.
inline bool page_method_uniform(int m) { return m >= PAGE_METHOD_AUTO && m <= PAGE_METHOD_RIDGE2; }

// Model calls a uniform-method run spends by default (run_defaults.h, docs/benchmarks.md "The page").
constexpr int64_t page_default_calls = page_run_defaults.calls;

// The position of run_defaults.h's page index in index_choices() (FSII).
int page_default_index_choice();

// The options of the next run, as the controls show them; they start at the page's defaults
// (run_defaults.h), which window.spexlens.explain also falls back to for every key it is not given.
struct run_settings {
    std::string      model_key;          // "" until the catalog arrives: then its first model (the page's default)
    int              target_index = -1;  // into the model's labels; -1: the model's default target
    std::string      masking;            // word runs: "" the model's own, else attention | mask_token | remove
    std::string      measure     = "log-odds";                  // logit | log-odds | prob
    bool             components  = false;                       // explain the model's heads and neurons, not the words
    int              granularity = 0;                           // 0 words, 1 sentences (word explanations)
    component_choice players;                                   // component explanations: which heads / neuron groups
    bool             mean_ablation = false;                     // component explanations: mean instead of zero ablation
    int              b             = page_run_defaults.spex_b;  // budget as b (queries shown next to it)
    // Words and components each keep their own b: the other kind's waits here. Components start
    // at b = 6, where the shipped model's 40 components reach R² >= 0.9 (docs/components.md).
    int other_kind_b = page_run_defaults.component_spex_b;
    // Held-out masks for R² (500 rather than the command line's 1000: run_defaults.h).
    int      holdout    = page_run_defaults.holdout;
    int64_t  budget     = 0;  // > 0: a query budget instead of b (set by the hook)
    int      max_order  = page_run_defaults.max_order;
    int      index      = page_default_index_choice();  // into index_choices(): FSII, as the command line
    int      decoder    = 0;                            // 0 soft, 1 hard
    int      method     = PAGE_METHOD_AUTO;             // page_method
    int64_t  calls      = page_default_calls;           // model calls of a uniform-method run (the budget slider)
    bool     sized_by_b = false;  // a script sized the run by b: a uniform method spends SPEX's calls at b
    uint64_t seed       = page_run_defaults.seed;

    // Switches between word and component explanations, each with its own b.
    void set_components(bool on) {
        if (on != components) {
            std::swap(b, other_kind_b);
            components = on;
        }
    }
};

struct progress_info {
    size_t done       = 0;
    size_t total      = 0;
    double rate_per_s = 0.0;  // queries per second so far
    double eta_s      = 0.0;
};

struct whatif_state {
    bool              active = false;      // clicking words toggles their mask
    std::vector<bool> keep;                // n flags; true = kept
    double            surrogate    = 0.0;  // f̂(keep), recomputed on every change
    bool              real_pending = false;
    bool              real_known   = false;
    double            real_value   = 0.0;
    std::string       real_error;
    int               request_id         = 0;  // answers for older requests are ignored
    uint64_t          result_fingerprint = 0;  // which result keep belongs to (refresh_index)
};

struct view_settings {
    int  min_order              = 2;  // interactions drawn on the text
    int  max_order              = 2;
    int  arc_cap                = 12;  // at most this many arcs / hyper-edges
    int  list_min_order         = 1;
    int  list_max_order         = 8;
    int  hovered_feature        = -1;
    int  companion_hovered      = -1;  // a feature of s.companion under the mouse
    int  hovered_entry          = -1;  // into index.entries
    bool include_text_in_export = true;
    bool model_card_open        = false;  // the model card window
    // Analyst mode: every setting, under its technical name (index, b, decoder, masking, seed).
    // Presenter mode (the page's default): the model, the text, words or components, a time
    // budget and Run; the rest under "advanced settings", and captions in plain words.
    bool analyst = false;
};

// The workshop path (workshop_view.cpp): shown in the left column instead of the controls while
// enabled; which of its steps' buttons were pressed (the "see" steps are done once pressed).
struct workshop_state {
    bool                                  enabled = false;
    std::array<bool, WORKSHOP_STEP_COUNT> pressed{};
    workshop_kept                         kept;       // the claims of steps done (they stay done)
    std::string                           model_key;  // the model the pressed flags and claims belong to
    int scrolled_to = -1;  // the step the column last scrolled to (the next one, once per step)
};

struct teaching_state {
    bool                          enabled = false;
    int                           preset  = 0;
    teaching_settings             settings;
    std::unique_ptr<teaching_run> run;  // non-null while running
};

struct app_state {
    // Models and input.
    std::vector<model_entry> models;
    std::string              text;  // the text box (UTF-8)
    run_settings             settings;

    // The run in flight.
    run_phase     phase                = RUN_IDLE;
    bool          run_has_early_result = false;  // s.result is this run's early result: Stop keeps it
    bool          confirm_long_run     = false;  // Run was pressed for a run over long_run_seconds: asking
    progress_info progress;
    double        run_started_s = 0.0;

    // The result on screen (absent before the first run).
    std::optional<loaded_result> result;
    index_table                  index;  // for result, with settings.index / max_order
    // The last result of the other kind (words vs components), kept when a run of one kind
    // replaces the other so both can be shown side by side for the same text and model.
    std::optional<loaded_result> companion;
    index_table                  companion_index;
    whatif_state                 whatif;
    view_settings                view;
    teaching_state               teaching;
    workshop_state               workshop;
    probe_session                probe;        // the probe panel: a suite, its run in the worker, the report
    attention_session            attention;    // the attention view: attention received beside use
    layer_probe_session          layer_probe;  // the probing view: a layer probe run and its report

    // The PNG export's figure (export_figure.cpp): pending from the PNG button until the frame
    // that drew it has been taken (the web glue clears it); drawn is set by the frame that drew it.
    struct figure_state {
        bool        pending = false;
        bool        drawn   = false;
        std::string timestamp;  // the export's time, printed in the figure's footer
    } figure;

    // Messages: the latest error (red banner until dismissed) and a status line.
    std::string error;
    std::string status;

    // Browser facts the faithfulness panel shows.
    int         ort_threads = 1;
    std::string ort_version;  // ONNX Runtime Web's version, as the worker reports it ("" until then)
    bool        cross_origin_isolated = false;
    bool        single_file           = false;  // the page is spexlens.html (everything inlined, often file://)
    std::string app_version;

    // Screen rectangles of named widgets from the last frame ("run", "cancel", "word:12", ...),
    // so the browser tests can click the real canvas where a widget is.
    std::map<std::string, ImVec4> widget_rects;  // x, y, w, h in canvas (CSS) pixels
    // Vertical scroll offsets of named scrolling areas in the last frame ("interactions": the
    // top-interactions table), so the browser tests can see that the mouse wheel scrolls them.
    std::map<std::string, float> scroll_offsets;
    // Tab / Shift+Tab through the page's controls (focus_ring.h); record_widget fills it.
    focus_ring focus;
};

const model_entry * find_model(const app_state & s, const std::string & key);

// Makes `key` the chosen model (the picker, or a model the user just brought). A class index
// of the previous model is dropped; when components were being explained and this model has
// no component inputs, the page goes back to words and says why, so Run is never blocked by a
// choice the user made for another model. Returns whether the model changed.
bool choose_model(app_state & s, const std::string & key);

// The model card of `key` has arrived (found: the text of its README.md) or there is none (the
// text says why). A card longer than max_card_bytes is cut there, at a line end, with a note.
constexpr size_t max_card_bytes = 256 * 1024;
void             set_card(app_state & s, const std::string & key, const std::string & text, bool found);

// Remembers the last item's rectangle under `name` (call right after the widget), and adds it to the
// Tab ring when it can take the focus.
void record_widget(app_state & s, const std::string & name);
// The same for a rectangle that is not an ImGui item (a word drawn on the heat-map).
void record_rect(app_state & s, const std::string & name, const ImVec2 & min, const ImVec2 & size);

}  // namespace spexlens::app
