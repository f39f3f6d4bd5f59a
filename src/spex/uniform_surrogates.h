// uniform_surrogates: the surrogates fitted to a model's answers on uniform random masks, and
// the cross-validated choice between them that the `auto` method makes.
//
// Candidates (each returns the common sparse_fourier form):
//   proxyspex  on the boosted trees' early-stopping validation fold (a seeded fifth of the
//              rows): the whole pipeline built from the trees fitted on the other four fifths
//              (support, prior-mean refit on those rows), or those trees alone if better. That
//              fold also chose the trees' depth and number, so the score is slightly optimistic;
//              refitting the trees for every fold would cost five more boosted fits.
// `auto` keeps the best score. The ProxySPEX refit is ridge on the support with the proxy's
// coefficients as the prior mean (a ridge fit of what the kept terms leave unexplained).
#pragma once

#include "mask_matrix.h"
#include "proxy/boosted_trees.h"
#include "sparse_fourier.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spex {

// One candidate's cross-validated score.
struct candidate_score {
    std::string name;             // "proxyspex", "ridge-1", "ridge-2", "ridge-3"
    double      cv_r2   = 0.0;    // K-fold R^2 on the training queries
    bool        defined = false;  // false when the values are constant (no denominator) or CV was skipped
    double      fit_ms  = 0.0;    // the candidate's fit on all rows plus its K fold fits
    int         terms   = 0;      // terms of its surrogate fitted on all rows
};

// What the boosted-tree proxy of ProxySPEX looked like.
struct proxy_report {
    bool   present        = false;
    int    trees          = 0;
    int    max_depth      = 0;
    double learning_rate  = 0.0;
    int    min_leaf       = 0;
    double validation_r2  = 0.0;  // the proxy on its early-stopping validation fold
    int    proxy_terms    = 0;    // Fourier terms of the whole ensemble
    int    support        = 0;    // terms kept for the refit (energy threshold + first order)
    double energy_kept    = 0.0;  // fraction of the proxy's non-constant energy in the support
    double ridge_lambda   = 0.0;  // the refit's penalty
    double holdout_r2     = 0.0;  // the proxy itself on the session's hold-out masks
    bool   holdout_scored = false;
    // Wall time of each stage (profiling; not part of the result): the trees' selection grid,
    // their refit on all rows, the ensemble's Fourier transform and energy support, the ridge
    // refit, and the score on the validation fifth.
    double grid_ms = 0.0, trees_ms = 0.0, fourier_ms = 0.0, ridge_ms = 0.0, score_ms = 0.0;
};

// The outcome of fit_uniform_surrogate, carried into the result JSON.
struct surrogate_report {
    std::string                  chosen;  // candidate name; empty for SPEX and the baselines
    int                          folds = 0;
    std::vector<candidate_score> candidates;
    proxy_report                 proxy;
    double                       ridge_lambda = 0.0;  // the chosen candidate's final penalty
    std::string                  ridge_selection;     // "gcv", "loo" or "kfold"
};

// Which candidates to fit.
struct surrogate_request {
    bool             proxy_spex = true;
    std::vector<int> ridge_orders;          // e.g. {1, 2}
    int              folds        = 5;      // 2..20
    uint64_t         seed         = 0;      // the trees' validation split
    double           proxy_energy = 0.999;  // energy of the proxy the refit support keeps
    size_t           max_support  = 0;      // interactions the refit may keep; 0: min(rows^2 / 10,000, 1,500)
    // Leading rows that are not uniform draws (the all-kept and all-masked masks): they train
    // every fold and are never scored, so the scores estimate R^2 on uniform masks, as the
    // held-out R^2 does.
    size_t anchors = 0;
};

// The surrogate fitted on all rows, the proxy's trees and their full Fourier transform (both
// empty unless ProxySPEX was fitted) and the report. The transform is exact, so the trees
// predict what it does (up to rounding) at a fraction of the cost of its many terms.
struct surrogate_fit {
    sparse_fourier   fourier;
    gbt_ensemble     proxy_trees;
    sparse_fourier   proxy_fourier;
    surrogate_report report;
};

// Ridge orders auto tries for n players and this many queries: order 1 while its parameter
// count stays under max_ridge_parameters (memory and time in the page), higher orders while it
// also stays under the queries.
constexpr size_t max_ridge_parameters = 2500;
std::vector<int> auto_ridge_orders(int n, size_t queries);

// Fits every requested candidate and keeps the best by cross-validated R^2 (the only one when
// one is requested). Needs at least 2 * folds rows; throws spex_error otherwise or on bad input.
surrogate_fit fit_uniform_surrogate(const mask_matrix & masks, const std::vector<double> & values,
                                    const surrogate_request & request);

}  // namespace spex
