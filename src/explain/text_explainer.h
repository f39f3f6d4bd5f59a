// text_explainer: one explanation of one text by one model — the text layer and the engine's
// pull session joined, with the model left outside. The caller (the Node command-line
// explainer, the page's worker, a native test) runs the model on each batch however it can,
// asynchronously if it likes, and hands the logits back:
//
//   spexlens::text_explainer x(text, manifest, vocab, options);
//   size_t first;
//   while (x.next_batch(512, first).rows > 0) { ... run the model ...; x.submit_logits(first, logits, rows, classes); }
//   ordered_json result = x.finish("0.1.0");
//
// The players are the text's words or sentences, or, with options.players naming components,
// the model's heads and neuron groups (docs/components.md): then every query sees the whole
// text and its mask ablates components instead.
//
// Query 0 keeps every feature (full_value), query 1 masks them all (baseline_value); the
// engine's design and hold-out queries follow. A non-finite model output is refused with a
// message naming the masked input, never passed to the solver.
#pragma once

#include "components/component_players.h"
#include "explain/explain_options.h"
#include "report/result_json.h"
#include "spex/session.h"
#include "text/model_batch.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"
#include "text/prepared_text.h"
#include "text/vocabulary.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens {

constexpr size_t reference_queries = 2;  // all kept, all masked

class text_explainer {
  public:
    // Prepares the text and sizes the session. Throws text::text_error (text, target) or
    // spex::spex_error (engine options, e.g. a budget too small for this many features).
    text_explainer(std::string_view text, const text::model_manifest & manifest,
                   const text::model_tokenizer & tokenizer, const text_explain_options & options);
    // The same for a spexlens-words-v1 model given its vocabulary.
    text_explainer(std::string_view text, const text::model_manifest & manifest, const text::vocabulary & vocab,
                   const text_explain_options & options);

    const text::prepared_text & prepared() const { return prepared_; }
    const text::target_spec &   target() const { return target_; }
    const spex::session &       engine() const { return session_; }
    int                         features() const;  // players: text features or components

    // ONNX Runtime's message when running this explainer's batches failed, made actionable
    // (text::describe_runtime_error with this model's vocabulary size).
    std::string describe_runtime_error(std::string_view message) const {
        return text::describe_runtime_error(message, vocab_size_);
    }

    // The component players, or nullptr when the players are words or sentences.
    const components::component_players * components() const { return components_ ? &*components_ : nullptr; }

    size_t total_queries() const { return reference_queries + session_.total_queries(); }
    size_t queries_done() const { return reference_done_ + session_.values_received(); }
    bool   sampling_done() const { return handed_out_ >= total_queries(); }
    bool   complete() const { return queries_done() == total_queries(); }

    // The model inputs of the next up to max_rows queries; rows == 0 once all are handed out.
    // `first` receives the query index of row 0. The batch stays valid until the next call.
    const text::model_batch & next_batch(size_t max_rows, size_t & first);

    // Logits for queries [first, first + rows), row-major [rows, classes]. Throws
    // text::text_error on a class count that does not match the manifest or a non-finite
    // target value, spex::spex_error on a bad range or a repeat.
    void submit_logits(size_t first, const float * logits, size_t rows, size_t classes);

    // What-if: the model inputs of one mask chosen by the user (keep.size() == features(),
    // true = kept), outside the engine's design, and the target value of its logits. Valid
    // before and after finish(). Throw text::text_error on a wrong mask size or class count.
    const text::model_batch & batch_for_mask(const std::vector<bool> & keep);
    double                    target_of(const float * logits, size_t classes) const;

    // Solves and explains; the result JSON (docs/result-schema.md, text fields included).
    // Throws spex::spex_error unless complete().
    ordered_json finish(const std::string & version);

    // Early results (options early_results / target_r2, uniform designs only): true when the
    // answered calls have reached the next point of the schedule — first_result design calls,
    // then four times as many each time (500, 2,000, 8,000: each early fit costs time the model
    // could use) — and the run is not complete (then finish() is next).
    bool snapshot_due() const;
    // The result fitted on the calls answered so far ("partial": true, the same JSON as
    // finish(); auto fits fewer candidates early, as spex::session::snapshot says, and a note
    // names those that join at the end); moves the schedule on. Nearly all its time is the
    // engine's fit: the explanations and the JSON take about a millisecond for 60 words.
    // Throws spex::spex_error when no snapshot is possible.
    ordered_json snapshot(const std::string & version);
    // True once a snapshot's cross-validated R^2 (the chosen surrogate's) reached target_r2.
    bool target_reached() const { return target_reached_; }

  private:
    void build_batch(const spex::mask_matrix & masks, text::model_batch & out) const;

    text::model_manifest                         manifest_;  // a copy: the options may change its masking
    text_explain_options                         options_;
    text::prepared_text                          prepared_;
    std::optional<components::component_players> components_;
    text::target_spec                            target_;
    size_t                                       vocab_size_ = 0;  // ids the tokenizer makes
    spex::session                                session_;
    text::model_batch                            batch_;
    text::model_batch                            whatif_batch_;
    size_t                                       handed_out_                            = 0;
    size_t                                       reference_done_                        = 0;
    bool                                         reference_received_[reference_queries] = {false, false};
    double                                       full_value_                            = 0.0;
    double                                       baseline_value_                        = 0.0;
    size_t                                       next_snapshot_                         = 0;
    bool                                         target_reached_                        = false;

    ordered_json explain_result(const spex::solve_result & result, const std::string & version) const;
};

}  // namespace spexlens
