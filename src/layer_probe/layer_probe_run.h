// layer_probe_run: a probe set on one model's hidden states (docs/probing.md). Each text is
// prepared as the explainer prepares it (src/text: the same tokens, the same words); the front
// end runs the model's internals graph on each text's inputs (every word kept) and hands back its
// hidden_states [layers, 1, sequence, dimension]; a target's vector at a layer is the mean of the
// hidden states of its word's tokens. Then src/probing probes every layer.
//
//   layer_probe_run run(parse_probe_set(text), manifest, tokenizer);
//   for (size_t i = 0; i < run.texts(); ++i)
//       run.submit_hidden_states(i, data, {layers, 1, seq, dim});  // run the model on run.input(i)
//   nlohmann::ordered_json report = run.report(options, model_name);
#pragma once

#include "layer_probe/probe_set.h"
#include "probing/linear_probe.h"
#include "text/model_batch.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::layer_probe {

// Word vectors kept for one run: targets * layers * dimension numbers at most.
constexpr size_t max_stored_values = size_t(32) << 20;

// The statement every report carries.
extern const char * const honest_statement;

// Reads {"seed": N, "folds": K} (both optional) for a run; throws layer_probe_error naming the key.
probing::probe_options parse_run_options(std::string_view json_text);

// One probe set on one model: the texts' inputs out, their hidden states in, the report out.
class layer_probe_run {
  public:
    // Prepares every text and finds each target's word. Throws layer_probe_error naming the text
    // and target when a span is not inside one word, or the word is beyond the model's window.
    layer_probe_run(probe_set set, const text::model_manifest & manifest, const text::model_tokenizer & tokenizer);

    size_t            texts() const { return set_.texts.size(); }
    const probe_set & set() const { return set_; }
    // The model inputs of text i: one row, every word kept, as the explainer builds them.
    const text::model_batch & input(size_t i) const { return inputs_.at(i); }

    // Text i's hidden states, row-major with dims {layers, 1, sequence, dimension} (the
    // internals graph's hidden_states). Throws layer_probe_error on a shape that does not match
    // the text's input or earlier texts, or on a value that is not finite.
    void submit_hidden_states(size_t i, const float * data, const std::vector<int64_t> & dims);
    bool complete() const;

    // The probing problem: one row per target, its text as group and its word type (target_type)
    // as type. Throws layer_probe_error when a text's hidden states are missing.
    probing::probe_problem problem() const;
    // Probes every layer and writes the report (docs/probing.md).
    nlohmann::ordered_json report(const probing::probe_options & options, const std::string & model_name) const;

  private:
    struct located {  // one target's word: sequence positions of its tokens
        size_t first = 0, count = 0;
    };
    probe_set                         set_;
    std::vector<text::model_batch>    inputs_;
    std::vector<std::vector<located>> words_;    // per text, per target
    std::vector<std::vector<float>>   vectors_;  // per text: targets x layers x dimension
    size_t                            layers_ = 0, dimension_ = 0;
};

// What a reader of the report should know about this run, in words: too few word types for
// the control task to mean much (types <= dimension + 1), fits stopped at the iteration cap.
std::vector<std::string> report_notes(const probing::probe_report & r, size_t dimension);

// "embeddings" for layer 0, "layer N" after it.
std::string layer_name(size_t layer);

}  // namespace spexlens::layer_probe
