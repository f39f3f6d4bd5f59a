// layer_probe_facts: probing classifiers in the page (docs/probing.md) — the state of a layer
// probe run and its report read back, in plain C++ so it is tested natively. The worker runs the
// model's internals graph on the probe set's texts and the core's probes (web/js/
// layer_probe_scoring.mjs, src/layer_probe); this file decides what the page asks for, follows
// the run (stale answers ignored) and turns the report into rows and sentences the view shows.
//
//   std::string request = layer_probe_begin(s.layer_probe, "clinical-readmission",
//                                           "models/clinical-readmission/layer-probe-medication.json", 1);
//   layer_probe_progress(s.layer_probe, id, done, total);  // while the worker runs the texts
//   layer_probe_arrived(s.layer_probe, id, report_json);   // or layer_probe_failed(..., message)
//   for (const std::string & line : layer_probe_reading(*s.layer_probe.facts)) ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::app {

// [SECTION] The report

// True when the manifest (model.json, or one derived from an exported folder) declares an
// internals graph with a hidden-states output; false for anything else, unreadable included.
bool manifest_declares_hidden_states(const std::string & manifest_text);

// One layer's probe (src/probing's layer_result as the report writes it).
struct layer_probe_row {
    std::string name;               // "embeddings", "layer 1", ...
    double      accuracy    = 0.0;  // cross-validated, on texts the probe did not see
    double      accuracy_sd = 0.0;  // spread over the folds
    double      majority    = 0.0;  // always answering the most frequent label
    double      shuffled    = 0.0;  // the same probe on labels shuffled across words
    double      control     = 0.0;  // the word-type control task (Hewitt & Liang)
    double      selectivity = 0.0;  // accuracy - control
    size_t      unconverged = 0;    // fits that hit the iteration cap
};

// A layer probe report read back.
struct layer_probe_facts {
    std::string                  probe_set;  // the set's name
    std::string                  question;   // "Is this medication current or discontinued?"
    std::string                  model;
    std::string                  statement;  // what accuracy at a layer means and does not
    std::vector<std::string>     labels;
    std::vector<std::string>     notes;  // what a reader should know about this run
    size_t                       texts = 0, examples = 0, word_types = 0, folds = 0;
    uint64_t                     seed = 0;
    std::vector<layer_probe_row> layers;
    size_t                       best = 0;  // the layer with the highest accuracy (the first on a tie)
};

// Reads the report JSON (docs/probing.md "The report"). Throws std::runtime_error with a message
// naming the field when it is not one.
layer_probe_facts read_layer_probe_report(std::string_view json_text);

// How to read one layer, in words: "0.58 of the words right, 0.10 above always answering the
// most frequent label (0.48) and 0.18 above the same probe on shuffled labels (0.40)".
std::string layer_probe_row_sentence(const layer_probe_row & row);

// The lines the view shows under the table, in order: the question and the best layer, how far
// above chance that is (with a plain verdict: "barely above chance" within two standard
// deviations of the better baseline, else "linearly decodable"), the report's notes, and the
// statement that decodable is not used.
std::vector<std::string> layer_probe_reading(const layer_probe_facts & facts);

// [SECTION] A run in the page

enum layer_probe_phase {
    LAYER_PROBE_IDLE,     // nothing asked, or the last run ended (facts or error say how)
    LAYER_PROBE_RUNNING,  // the worker runs the texts and the probes
};

// The probing view's state (app_state::layer_probe).
struct layer_probe_session {
    bool                             open       = false;  // the view is shown
    layer_probe_phase                phase      = LAYER_PROBE_IDLE;
    int                              request_id = 0;  // the run in flight; answers to others are stale
    std::string                      model_key;       // the model the run (or facts) belong to
    std::string                      set_path;        // the probe set's path in the site
    size_t                           done = 0, total = 0;
    double                           started_s = 0.0, seconds = 0.0;
    std::optional<layer_probe_facts> facts;
    std::string                      error;  // why the last run failed, in words
};

// Starts a run: a fresh request id, the phase, and the worker's request as JSON
// {"id", "key", "set", "seed", "folds"}.
std::string layer_probe_begin(layer_probe_session & p, const std::string & model_key, const std::string & set_path,
                              uint64_t seed, double now_s);
// Progress of the run `id` (ignored when stale).
void layer_probe_progress(layer_probe_session & p, int id, size_t done, size_t total);
// The report of the run `id` arrived: read it (a report that cannot be read becomes the error).
// Ignored when stale. Returns whether it was taken.
bool layer_probe_arrived(layer_probe_session & p, int id, std::string_view report_json, double now_s);
// The run `id` failed with `message` (ignored when stale).
void layer_probe_failed(layer_probe_session & p, int id, const std::string & message);
// The chosen model changed: facts of another model are dropped, a run in flight is forgotten.
void layer_probe_model_changed(layer_probe_session & p, const std::string & model_key);

}  // namespace spexlens::app
