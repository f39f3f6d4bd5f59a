#include "explain/text_explainer.h"

#include "explain/component_result_json.h"
#include "explain/text_result_json.h"
#include "spex/spex_error.h"
#include "text/server_text.h"
#include "text/text_error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace spexlens {

namespace {

std::optional<components::component_players> make_components(const text::model_manifest & manifest,
                                                             const text_explain_options & options) {
    if (!options.players.components) {
        return std::nullopt;
    }
    if (text::is_server_text(manifest)) {
        throw text::text_error("a model behind an inference server is explained by its words or sentences: its "
                               "heads and neurons cannot be masked from here (leave out the players option)");
    }
    return components::component_players(manifest, options.players, options.ablation);
}

int player_count(const text::prepared_text & prepared, const std::optional<components::component_players> & c) {
    return c ? c->size() : int(prepared.features.size());
}

spex::session_config sized_config(const text_explain_options & options, int n) {
    spex::session_config config = options.engine;
    config.n                    = n;
    return config;
}

std::string describe_mask(const spex::mask_matrix & masks, size_t row) {
    int kept = 0;
    for (int i = 0; i < masks.n; ++i) {
        kept += masks.keeps(row, i) ? 1 : 0;
    }
    return std::to_string(kept) + " of " + std::to_string(masks.n) + " features kept";
}

// The manifest with the user's masking method, when the options name one, and their choice on
// dropping masked tokens.
text::model_manifest with_masking(const text::model_manifest & manifest, const text_explain_options & options) {
    text::model_manifest m = manifest;
    if (options.masking_set) {
        m.masking = options.masking;
    }
    m.drop_masked_tokens = options.drop_masked_tokens;
    return m;
}

}  // namespace

text_explainer::text_explainer(std::string_view text, const text::model_manifest & manifest,
                               const text::vocabulary & vocab, const text_explain_options & options)
    : text_explainer(text, manifest, text::model_tokenizer::words_v1(manifest, vocab), options) {}

text_explainer::text_explainer(std::string_view text, const text::model_manifest & manifest,
                               const text::model_tokenizer & tokenizer, const text_explain_options & options)
    : manifest_(with_masking(manifest, options)), options_(options),
      prepared_(text::prepare_text(text, tokenizer, manifest_, options.granularity, options.long_text, options.limits)),
      components_(make_components(manifest, options)), target_(text::parse_target(manifest, options.target)),
      vocab_size_(tokenizer.vocab_size()), session_(sized_config(options, player_count(prepared_, components_))),
      next_snapshot_(std::max(options.first_result, session_.min_snapshot_queries())) {}

int text_explainer::features() const { return player_count(prepared_, components_); }

// Word runs mask the text; component runs keep every word and ablate components instead.
void text_explainer::build_batch(const spex::mask_matrix & masks, text::model_batch & out) const {
    if (text::is_server_text(manifest_)) {  // the server tokenizes: one masked text per row
        out      = text::model_batch();
        out.rows = masks.count;
        text::masked_texts(prepared_, masks, out.texts);
        return;
    }
    if (!components_) {
        text::build_model_batch(prepared_, manifest_, masks, out);
        return;
    }
    spex::mask_matrix whole_text(int(prepared_.features.size()), masks.count);
    for (size_t r = 0; r < masks.count; ++r) {
        for (int i = 0; i < whole_text.n; ++i) {
            whole_text.set(r, i, true);
        }
    }
    text::build_model_batch(prepared_, manifest_, whole_text, out);
    components_->fill_tensors(masks, out);
}

const text::model_batch & text_explainer::next_batch(size_t max_rows, size_t & first) {
    first                 = handed_out_;
    const int        n    = features();
    const size_t     refs = handed_out_ < reference_queries ? std::min(max_rows, reference_queries - handed_out_) : 0;
    spex::mask_batch engine_part;
    if (max_rows > refs) {
        engine_part = session_.next_batch(max_rows - refs);
    }
    spex::mask_matrix masks(n, refs + engine_part.masks.count);
    for (size_t r = 0; r < refs; ++r) {
        if (handed_out_ + r == 0) {  // query 0 keeps everything
            for (int i = 0; i < n; ++i) {
                masks.set(r, i, true);
            }
        }
    }
    std::copy(engine_part.masks.bits.begin(), engine_part.masks.bits.end(), masks.bits.begin() + refs * masks.words);
    handed_out_ += masks.count;
    build_batch(masks, batch_);
    return batch_;
}

void text_explainer::submit_logits(size_t first, const float * logits, size_t rows, size_t classes) {
    if (classes != manifest_.labels.size()) {
        throw text::text_error("the model returned " + std::to_string(classes) +
                               " outputs per input but its manifest names " + std::to_string(manifest_.labels.size()) +
                               " labels; fix \"labels\" in model.json");
    }
    if (first + rows > handed_out_) {
        throw spex::spex_error("submit_logits: queries " + std::to_string(first) + ".." + std::to_string(first + rows) +
                               " were not handed out yet");
    }
    std::vector<double> values(rows);
    for (size_t r = 0; r < rows; ++r) {
        values[r] = text::target_value(target_, logits + r * classes, classes);
        if (!std::isfinite(values[r])) {
            const size_t            q = first + r;
            const spex::mask_matrix m =
                q < reference_queries ? spex::mask_matrix() : session_.masks(q - reference_queries, 1);
            const std::string what = q == 0   ? "the unmasked text"
                                     : q == 1 ? "the fully masked text"
                                              : "masked input #" + std::to_string(q) + " (" + describe_mask(m, 0) + ")";
            throw text::text_error("the model's output is not a finite number (NaN or infinity) for " + what +
                                   "; the explanation stopped. Check the model with the same input outside spexlens.");
        }
    }
    size_t r = 0;
    for (; r < rows && first + r < reference_queries; ++r) {
        const size_t q = first + r;
        if (reference_received_[q]) {
            throw spex::spex_error("submit_logits: query " + std::to_string(q) + " was already submitted");
        }
        reference_received_[q]                   = true;
        (q == 0 ? full_value_ : baseline_value_) = values[r];
        ++reference_done_;
    }
    if (r < rows) {
        session_.submit(first + r - reference_queries, values.data() + r, rows - r);
    }
}

const text::model_batch & text_explainer::batch_for_mask(const std::vector<bool> & keep) {
    if (keep.size() != size_t(features())) {
        throw text::text_error("the what-if mask has " + std::to_string(keep.size()) + " entries for " +
                               std::to_string(features()) + " features");
    }
    spex::mask_matrix masks(features(), 1);
    for (int i = 0; i < features(); ++i) {
        masks.set(0, i, keep[size_t(i)]);
    }
    build_batch(masks, whatif_batch_);
    return whatif_batch_;
}

double text_explainer::target_of(const float * logits, size_t classes) const {
    if (classes != manifest_.labels.size()) {
        throw text::text_error("the model returned " + std::to_string(classes) + " outputs but its manifest names " +
                               std::to_string(manifest_.labels.size()) + " labels");
    }
    return text::target_value(target_, logits, classes);
}

ordered_json text_explainer::explain_result(const spex::solve_result & result, const std::string & version) const {
    const explanation_set explanations = explain_surrogate(result.fourier, options_.explanations);
    ordered_json          out          = result_to_json(session_.config(), result, explanations, version);
    add_text_fields(out, {prepared_, manifest_, target_, full_value_, baseline_value_});
    if (components_) {
        add_component_fields(out, *components_, manifest_, target_);
    }
    return out;
}

ordered_json text_explainer::finish(const std::string & version) {
    if (reference_done_ < reference_queries) {
        throw spex::spex_error("finish: the unmasked and fully masked queries have no values yet");
    }
    return explain_result(session_.finish(), version);
}

bool text_explainer::snapshot_due() const {
    return options_.early_results && session_.uniform_design() && !complete() && reference_done_ == reference_queries &&
           session_.snapshot_queries() >= next_snapshot_;
}

ordered_json text_explainer::snapshot(const std::string & version) {
    if (reference_done_ < reference_queries) {
        throw spex::spex_error("snapshot: the unmasked and fully masked queries have no values yet");
    }
    spex::solve_result result        = session_.snapshot();
    next_snapshot_                   = std::max(next_snapshot_, session_.snapshot_queries()) * 4;
    const spex::surrogate_report & s = result.diagnostics.surrogate;
    for (const spex::candidate_score & c : s.candidates) {
        if (c.name == s.chosen && c.defined && options_.target_r2 > 0.0 && c.cv_r2 >= options_.target_r2) {
            target_reached_ = true;
            result.notes.push_back("stopped early: the cross-validated R^2 of " + c.name + " reached the target " +
                                   std::to_string(options_.target_r2) + " after " + std::to_string(result.queries) +
                                   " design calls");
        }
    }
    return explain_result(result, version);
}

}  // namespace spexlens
