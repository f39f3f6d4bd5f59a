// session: the engine's pull-based API. One session = one explanation of one function.
//
//   spex::session s(config);                  // sizes the design, draws every random choice
//   while (!s.sampling_done()) {
//       spex::mask_batch batch = s.next_batch(1024);       // masks to evaluate
//       ... evaluate f on batch.masks however you like (now, in a worker, on a server) ...
//       s.submit(batch.first, values.data(), values.size());
//   }
//   spex::solve_result r = s.finish();        // WHT -> peel -> refit -> R^2
//
// The caller owns evaluation, so the browser can run inference asynchronously without
// Asyncify; progress is values_received() / total_queries(). Values may arrive in any order
// (each query exactly once). The same session runs the equal-budget baselines (LIME,
// KernelSHAP, Faith-Banzhaf) and the uniform-design surrogates (ProxySPEX, ridge regression,
// `auto`): only the masks and the fit differ.
//
// Uniform designs answer early: their hold-out masks come first in query order, then the
// design, and any prefix of a uniform design is itself a uniform design, so snapshot() fits
// the values received so far without ending the session (the page's first result after a
// slice of the budget; the CLI's --target-r2).
#pragma once

#include "baselines/lsqr_report.h"
#include "faithfulness.h"
#include "mask_matrix.h"
#include "peeling.h"
#include "query_design.h"
#include "refine.h"
#include "sparse_fourier.h"
#include "uniform_surrogates.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace spex {

enum method_kind {
    METHOD_SPEX,           // structured design, BCH peeling decoder (Kang et al. 2025)
    METHOD_LIME,           // baseline
    METHOD_KERNEL_SHAP,    // baseline
    METHOD_FAITH_BANZHAF,  // baseline: unregularised order-ℓ least squares on uniform masks
    METHOD_PROXY_SPEX,     // uniform masks, boosted-tree proxy, its Fourier support refit by ridge
    METHOD_RIDGE,          // uniform masks, ridge Fourier regression of order ridge_order
    METHOD_AUTO            // picks the design and the surrogate (see uniform_surrogates.h)
};

// How SPEX separates empty bins from noise (docs/method.md §4, "Zeroton").
enum noise_mode {
    NOISE_AUTO,      // estimate the per-entry noise from a hard-decoding pass's residual (default)
    NOISE_KNOWN,     // the caller states the per-query noise sd (session_config::noise_sd)
    NOISE_REFERENCE  // the references' behaviour: noise_sd = 0, so noise-only bins are always decoded
};

const char * method_name(method_kind m);  // "spex", "lime", "kernelshap", "faith-banzhaf", "proxyspex", "ridge", "auto"
const char * decoder_name(decoder_kind d);   // "hard", "soft"
const char * noise_mode_name(noise_mode m);  // "auto", "known", "reference"

struct session_config {
    int         n      = 0;
    method_kind method = METHOD_SPEX;

    // Size: a query budget (b and, if needed, t chosen analytically), else b directly.
    int64_t budget     = 0;      // 0: use b
    int     b          = 0;      // 0 with budget 0: b = 8 (spectral-explain's default)
    int     t          = 5;      // BCH capability = the interaction order recovery is guaranteed for
    int     t_floor    = 2;      // lowest t a small budget may fall back to
    bool    bins_first = false;  // with a budget: choose_design_bins_first instead of degree first

    // SPEX decoding.
    decoder_kind decoder          = DECODER_SOFT;
    int          chase_depth      = 0;  // 0: 2t
    int          max_iter         = 100;
    bool         trap_exit        = true;
    bool         legacy_trap_exit = false;
    double       multiton_ratio   = 0.9;
    noise_mode   noise            = NOISE_AUTO;
    double       noise_sd         = 0.0;  // per-query noise sd, with NOISE_KNOWN

    bool   refine       = true;
    double refine_ridge = 0.0;  // relative to the query count

    int faith_banzhaf_order = 2;
    int ridge_order         = 2;  // METHOD_RIDGE: 1..3

    // Uniform-design surrogates (ProxySPEX, ridge, auto).
    int cv_folds = 5;  // K of the cross-validation that scores (and, for auto, picks) the surrogate
    // auto uses SPEX's structured design from this many players on, uniform masks below
    // (docs/benchmarks.md measures where SPEX starts to win); 0: never.
    int auto_spex_min_n = 0;

    uint64_t seed    = 0;
    int      holdout = 1000;  // uniform held-out masks for the faithfulness R^2 (extra queries)

    // Optional imported subsampling matrices [c][i][r] (SPEX only); empty: drawn from the seed.
    std::vector<std::vector<std::vector<uint8_t>>> subsampling;
};

struct solve_timing {
    double sampling_ms  = 0.0;  // first batch handed out -> last value received (model time included)
    double transform_ms = 0.0;
    double decode_ms    = 0.0;  // peeling, noise estimation included
    double refine_ms    = 0.0;  // the refit (SPEX) or the baseline's fit
    double total_ms     = 0.0;  // sampling + finish()
};

struct solve_diagnostics {
    peeling_stats    peeling;
    refine_stats     refit;
    double           zeroton_tau       = 0.0;  // per-entry energy cutoff used by the decoder
    double           noise_sd_estimate = 0.0;  // per-query noise sd implied by the cutoff (auto/known)
    int              peeled_terms      = 0;
    lsqr_report      baseline_fit;  // LIME / KernelSHAP / Faith-Banzhaf solver (baselines only)
    surrogate_report surrogate;     // ProxySPEX / ridge / auto: candidates, scores, the proxy
};

struct solve_result {
    int                      n       = 0;
    method_kind              method  = METHOD_SPEX;
    decoder_kind             decoder = DECODER_SOFT;
    noise_mode               noise   = NOISE_AUTO;
    uint64_t                 seed    = 0;
    design_choice            design;
    int64_t                  queries             = 0;  // model calls used, hold-out excluded
    int                      faith_banzhaf_order = 0;
    int                      ridge_order         = 0;      // METHOD_RIDGE
    bool                     uniform_design      = false;  // uniform masks (else SPEX's or a baseline's)
    bool                     partial             = false;  // a snapshot: fitted on the first `queries` of the design
    sparse_fourier           fourier;                      // sorted by |coef|
    faithfulness_result      faithfulness;
    solve_diagnostics        diagnostics;
    solve_timing             timing;
    std::vector<std::string> notes;
};

struct mask_batch {
    size_t      first = 0;  // query index of the batch's first mask
    mask_matrix masks;
    bool        empty() const { return masks.count == 0; }
};

class session {
  public:
    explicit session(const session_config & config);  // validates; throws spex_error
    ~session();
    session(session &&) noexcept;
    session & operator=(session &&) noexcept;

    const session_config & config() const;
    const design_choice &  design() const;

    size_t design_queries() const;   // counted as the method's queries
    size_t holdout_queries() const;  // extra, for R^2
    size_t total_queries() const { return design_queries() + holdout_queries(); }
    size_t values_received() const;
    // Length of the longest run of answered queries from query 0 (values may arrive out of order).
    size_t answered_prefix() const;
    bool   uniform_design() const;  // holdout first, then a uniform design: snapshots possible
    double progress() const { return total_queries() ? double(values_received()) / double(total_queries()) : 1.0; }
    bool   sampling_done() const;  // every mask handed out
    bool   complete() const { return values_received() == total_queries(); }

    // Next up to max_count masks not yet handed out, in query order; empty when all are out.
    mask_batch next_batch(size_t max_count);
    // Masks of any range again (e.g. to retry a batch a worker lost).
    mask_matrix masks(size_t first, size_t count) const;
    // Values for queries [first, first+count). Throws spex_error on a bad range, a repeat, or a
    // non-finite value (the message names the query).
    void submit(size_t first, const double * values, size_t count);

    // Runs the transform, decoding and fits. Throws spex_error unless complete().
    solve_result finish();

    // Design queries a snapshot would use now: the answered prefix past the hold-out masks
    // (0 unless uniform_design() and every hold-out value is in).
    size_t snapshot_queries() const;
    // Fits the first snapshot_queries() design values as finish() would fit the whole design
    // (except that auto's early results fit only its ridge candidates with at least two calls
    // per term — ridge-1 always — which take milliseconds where the boosted trees, or a ridge
    // order with about as many terms as calls, take the model's time; a note names what joins
    // at the end), R^2 on the full hold-out set; result.partial is set unless every design
    // value was used.
    // The session goes on: more values can arrive and finish() is unchanged by snapshots.
    // Throws spex_error unless snapshot_queries() >= min_snapshot_queries(n).
    solve_result snapshot() const;
    size_t       min_snapshot_queries() const;

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Convenience: evaluates every batch synchronously with `evaluate(masks, out)`, out has masks.count slots.
using batch_evaluator = std::function<void(const mask_matrix & masks, double * out)>;
solve_result run_session(session & s, const batch_evaluator & evaluate, size_t batch_size = 4096);

}  // namespace spex
