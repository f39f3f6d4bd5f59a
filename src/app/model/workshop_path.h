// workshop_path: the guided sequence a workshop walks through on a teaching model (issue 13,
// docs/page.md "The workshop path"): explain a note -> find the planted shortcut -> run the
// behavioural probe suite -> see the shortcut's invariance test fail -> explain a failing case ->
// compare attention with use -> probe the layers. Each step is a button in the page; this file
// decides, from what the page holds, which steps are done, which can be taken now, and the one
// sentence each finished step may claim, worded as what it is (how this model's output responds
// to masking words, what a probe measured) and never as the model's reasoning. Plain C++ so it is
// tested natively; the view (src/app/ui/workshop_view.cpp) only draws it and presses buttons.
//
//   workshop_spec spec = read_workshop_spec(catalog_entry["workshop"], samples);  // from catalog.json
//   workshop_facts facts = ...;                       // the page's result, probe outcome, attention, ...
//   for (const workshop_step_view & step : workshop_steps(spec, facts)) ...
//
// Index
//   [SECTION] The path a model ships
//   [SECTION] What the page holds
//   [SECTION] The steps
#pragma once

#include "app/model/attention_facts.h"
#include "app/model/index_table.h"
#include "app/model/layer_probe_facts.h"
#include "app/model/loaded_result.h"
#include "app/model/probe_run.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace spexlens::app {

// [SECTION] The path a model ships

// catalog.json's "workshop" object of a model (docs/page.md): which of its samples the path
// explains first, the planted shortcut's word, the name of the suite test that checks the
// shortcut, and a capability whose tests the path reports beside it (e.g. "negation").
struct workshop_spec {
    size_t      sample = 0;  // index into the model's samples
    std::string sample_text;
    std::string shortcut;             // the word as the explanation labels it ("7B")
    std::string shortcut_test;        // a test name of the model's probe suite
    std::string contrast_capability;  // "" when none
};

// Reads a catalog entry's "workshop" value; `samples` are the entry's sample texts. Throws
// std::runtime_error naming the field when it is not an object of that shape (unknown keys, a
// sample out of range, an empty shortcut or test name).
workshop_spec read_workshop_spec(const nlohmann::json & value, const std::vector<std::string> & samples);

// [SECTION] What the page holds

enum workshop_step {
    WORKSHOP_EXPLAIN_NOTE,     // explain the path's note (a shortcut note)
    WORKSHOP_FIND_SHORTCUT,    // where does the shortcut word rank?
    WORKSHOP_RUN_SUITE,        // the model's behavioural probe suite
    WORKSHOP_SHORTCUT_FAILS,   // the shortcut's invariance test, read
    WORKSHOP_EXPLAIN_FAILURE,  // explain a failing case of that test
    WORKSHOP_ATTENTION,        // attention beside use, for the result on screen
    WORKSHOP_PROBE_LAYERS,     // probing classifiers on the model's layers
    WORKSHOP_STEP_COUNT
};

// What the page holds now; every pointer may be null. The view gathers it each frame.
struct workshop_facts {
    std::string           model_key;          // the path's model
    std::string           model_sha256;       // its ONNX file's, "" until the page opened it
    std::string           suite_source;       // where the page reads its shipped suite from
    const loaded_result * result  = nullptr;  // the result on screen
    const index_table *   table   = nullptr;  // its index table (Shapley values)
    const probe_plan *    plan    = nullptr;  // the suite read last and its outcome
    const probe_outcome * outcome = nullptr;
    // The attention view's facts for the result on screen, sorted by attention (present once the
    // model's attention has been read for this result).
    const attention_view_facts * attention           = nullptr;
    const layer_probe_facts *    layers              = nullptr;  // the probing view's report for this model
    bool                         model_attentions    = false;    // the path's model declares an attentions output
    bool                         model_hidden_states = false;    // ... and hidden states and ships a layer probe set
    bool                         busy                = false;    // an explanation, suite or probe run is in flight
    std::array<bool, WORKSHOP_STEP_COUNT> pressed{};             // the steps whose button was pressed
};

// [SECTION] The steps

// One step as the view draws it.
struct workshop_step_view {
    workshop_step step = WORKSHOP_EXPLAIN_NOTE;
    std::string   title;   // "Explain a note from the shortcut's ward"
    std::string   button;  // the button's label
    bool          done    = false;
    bool          enabled = false;  // the button can be pressed now
    std::string   claim;            // done: what the step showed, in one or two sentences
    std::string   waiting;          // not enabled: what it waits for
};

// The path's steps in order, judged on `facts`.
std::vector<workshop_step_view> workshop_steps(const workshop_spec & spec, const workshop_facts & facts);

// The claims of steps done earlier, so that a step stays done when the page moves on (explaining
// the failing case replaces the note's result, yet the note was explained): "" for a step never
// done.
using workshop_kept = std::array<std::string, WORKSHOP_STEP_COUNT>;

// Remembers the claim of every step done now (a newer claim replaces the older).
void remember_claims(const std::vector<workshop_step_view> & steps, workshop_kept & kept);

// Marks done, with its kept claim, every step not done now that was done before.
void apply_kept_claims(std::vector<workshop_step_view> & steps, const workshop_kept & kept);

// The first step not done (WORKSHOP_STEP_COUNT when all are).
workshop_step workshop_next_step(const std::vector<workshop_step_view> & steps);

// While a run is in flight every step waits for it; only the next step says so (call after
// apply_kept_claims): the others' "wait for the run" line is dropped, so the panel does not
// repeat it seven times. Other reasons to wait are kept.
void quiet_busy_waiting(std::vector<workshop_step_view> & steps);

// The result's feature labelled `word` (feature_label, exact), or -1.
int find_feature(const loaded_result & result, const std::string & word);

// The failing cases of the suite test named `test` in `outcome`: indices into outcome.run.cases.
std::vector<size_t> failing_cases_of(const probe_plan & plan, const probe_outcome & outcome, const std::string & test);

// 1-based rank of values[i] among values by magnitude (ties count against it).
size_t magnitude_rank(const std::vector<double> & values, size_t i);

// For window.spexlens.state().workshop: {"steps": [{"step", "title", "done", "enabled", "claim",
// "waiting"}], "next"}.
nlohmann::ordered_json workshop_state_json(const std::vector<workshop_step_view> & steps);

}  // namespace spexlens::app
