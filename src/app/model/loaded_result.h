// loaded_result: one result JSON (docs/result-schema.md) read back into what the page draws —
// the features, the Fourier surrogate and the facts the faithfulness panel shows. Text
// explanations (from the worker) and teaching-mode runs (planted functions) both arrive as
// this schema, so every view handles one kind of object.
#pragma once

#include "report/result_json.h"
#include "spex/sparse_fourier.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spexlens::app {

// One feature as the page shows it: a span of the text (word or sentence), or a name such as
// "x3" for a planted function. start/end are Unicode code point offsets into `text`
// (-1 when the feature is not a span of a text).
struct feature_span {
    std::string text;
    int         start = -1;
    int         end   = -1;
};

// A player of a component explanation (docs/components.md): a head, or a group of MLP neurons.
struct component_feature {
    bool is_head = true;
    int  layer   = 0;
    int  head    = 0;  // heads only
    int  first   = 0;  // neurons only: [first, first + count)
    int  count   = 0;
};

// The result's "components" object: the model's shape and what was ablated how.
struct component_summary {
    int         layers = 0;
    int         heads  = 0;
    int         ff     = 0;
    int         group  = 0;
    std::string set;       // "heads+mlp", "heads" or "mlp"
    std::string ablation;  // "zero" or "mean"
};

// A planted term in the basis the function was written in, next to the surrogate's value on the
// same set (ground_truth.basis_terms, docs/result-schema.md).
struct planted_term_check {
    spex::feature_set set;
    double            planted  = 0.0;
    double            estimate = 0.0;
    bool              close    = false;  // within 10% of planted (plus the noise floor)
};

struct planted_summary {
    bool                            present = false;
    std::vector<spex::fourier_term> planted;  // non-constant planted terms (Fourier)
    std::vector<spex::feature_set>  missed;
    int                             recovered = 0;
    int                             spurious  = 0;
    double                          r2_clean  = 0.0;  // NaN when undefined
    // As written: "fourier" or "mobius", and each written term checked. Results from before these
    // fields were written get the Fourier terms, checked here by the same rule.
    std::string                     basis = "fourier";
    std::vector<planted_term_check> written;
    int                             close = 0;
};

struct loaded_result {
    ordered_json json;  // as received; the base of the JSON export

    int                       n = 0;
    std::string               method;            // "auto", "proxyspex", "spex", "lime", ...
    std::string               chosen_method;     // what auto chose ("proxyspex", "ridge-2", ...); else = method
    bool                      partial = false;   // an early result: fitted on the first `queries` calls
    std::string               decoder;           // "soft"/"hard", "" for baselines
    std::string               granularity;       // "word", "sentence", "component" or "synthetic"
    std::string               players = "text";  // "text" (words, sentences) or "components"
    std::string               text;              // the explained text ("" for synthetic)
    std::vector<feature_span> features;          // n entries, reading order
    std::string               interpretation;
    std::vector<std::string>  notes;

    spex::sparse_fourier surrogate;  // the result's "fourier" terms

    double   full_value     = 0.0;  // NaN when absent/null
    double   baseline_value = 0.0;  // NaN when absent/null
    double   r2             = 0.0;  // NaN when null
    int64_t  holdout        = 0;
    int64_t  queries        = 0;
    int64_t  budget         = 0;  // 0 when sized by b
    uint64_t seed           = 0;
    int      b              = 0;
    int      t              = 0;
    double   total_ms       = 0.0;
    double   sampling_ms    = 0.0;

    std::string              model_name;    // "" for synthetic
    std::string              model_sha256;  // "" for synthetic
    std::vector<std::string> labels;
    std::string              target_class;       // e.g. "spam"
    std::string              target_measure;     // "logit", "log-odds", "prob"
    bool                     truncated = false;  // the text was longer than the model's window

    planted_summary ground_truth;

    // The surrogates auto (or a uniform method) scored: name and cross-validated R² (NaN when
    // null), in the order tried; and the boosted-tree proxy's own held-out R² (NaN: none).
    std::vector<std::pair<std::string, double>> candidates;
    double                                      proxy_r2 = 0.0;

    // Component results only: one entry per feature, and the "components" object.
    std::vector<component_feature> components;
    component_summary              component_info;

    bool is_components() const { return players == "components"; }

    // f̂ at a keep-mask (keep.size() == n, else std::invalid_argument; true = feature kept).
    double surrogate_value(const std::vector<bool> & keep) const;
};

// Reads a result JSON. Throws std::runtime_error with a message naming the missing or
// malformed field (the page shows it; a result it cannot read is a bug, not user error).
// A result without "features" (`spexlens solve`) gets features x0..x{n-1} and, without
// "text", granularity "synthetic". A result with "players": "components" must give every
// feature its kind, layer and head (or first and count), and the "components" object.
loaded_result parse_result(const std::string & json_text);

// What the model decided on the whole text, in one sentence for people, from the result's own
// full_value and target: "The model decides spam on this text: p(spam) = 0.97 (log-odds +3.41)."
// or, when the target class loses, "The model decides ham on this text: p(spam) = 0.12 …" (two
// labels) / "The model does not decide spam on this text …" (more). "" when the result cannot
// say (a logit target, a synthetic function, no finite value).
std::string decision_sentence(const loaded_result & r);

// Every model call the result cost: its design and held-out queries plus the reference calls
// (the text with every feature kept and with every feature masked, reference_queries).
int64_t model_calls(const loaded_result & r);

// The held-out R² read in plain words: "This summary reproduces 96% of how the model's output
// varies when words are masked (R² 0.963 on 500 masks it was not fitted on)." — "heads and neurons
// are ablated" for components, "features" for a planted function; below 0.5 it adds that most of
// the response is not captured, below 0 that the summary predicts worse than the average output.
// "" when R² is undefined.
std::string r2_reading(const loaded_result & r);

}  // namespace spexlens::app
