// ridge_fourier: ridge-regularised least squares in the Fourier basis on a given support
// (a list of distinct frequencies, e.g. every set of degree <= 2, or the sparse support
// found by another method), with the penalty chosen by cross-validation, for uniform
// random masks. Uses: "ridge Faith-Banzhaf" (support = all sets of degree <= order) and
// the refit of a small support.
//
// Model: f(x) = sum_{k in support} F(k) (-1)^<x,k>, fitted by
//   min_F  sum_r (y_r - f(x_r))^2 + lambda * sum_{k penalised} F(k)^2.
// By default the constant (the empty set) is not penalised; it is then eliminated by
// centring y and the other columns (intercept = mean(y) - mean(X)^T F), so every solve is
// a pure shift (A + lambda I) F = b with A = X~^T X~ the centred Gram.
//
// Two paths, chosen by the number of non-constant parameters P:
//  * P <= exact_max_parameters ("gcv" / "loo"): the Gram is formed exactly from bit-packed
//    parity columns (G[S,T] = N - 2 popcount(col_S XOR col_T)), eigendecomposed once, and
//    every lambda of the grid is scored in closed form: generalised cross-validation
//    (default; O(P) per lambda) or, with exact_loo, the exact leave-one-out residuals
//    e_r / (1 - h_rr) (adds an N x P x P product).
//  * larger P ("kfold"): K-fold cross-validation, rows assigned to folds by position mod K.
//    No Gram is formed: products X v and X^T u use the bit-packed design with 8-bit lookup
//    tables (one table of 256 partial sums per 8 columns, resp. per 8 rows), so a product
//    with the N x P design costs ~N P / 8 lookups and memory stays O(N P / 8 bytes). Each
//    fold solves all lambdas of the grid at once with one multi-shift Lanczos run (full
//    reorthogonalisation; Krylov spaces are shift-invariant), and the held-out predictions
//    come for free from the products of the Lanczos vectors with the fold's rows. The final
//    fit on all rows at the chosen lambda is one more Lanczos solve.
// cv_r2 = 1 - SSE_cv / SST (SST about the mean of the rows used) at the chosen lambda, so
// different surrogates can be compared by it. Deterministic: fixed summation orders, no
// threads, no unordered containers; the exact path's eigendecomposition is our own fixed-order
// solver (symmetric_eigen.h), so results are bit-identical natively and in WebAssembly.
#pragma once

#include "spex/feature_set.h"
#include "spex/mask_matrix.h"
#include "spex/sparse_fourier.h"

#include <cstddef>
#include <string>
#include <vector>

namespace spex {

// Largest support accepted (the exact path stores P x P doubles; the K-fold path costs
// ~folds x iterations x N P / 4 table lookups).
constexpr size_t ridge_max_parameters = 20000;

// How fit_ridge_fourier chooses and solves.
struct ridge_options {
    int                 folds = 5;  // K of K-fold CV on the large-support path; rows go to fold (position mod K)
    std::vector<double> lambdas;    // penalty grid (>= 0, finite); empty: ridge_default_lambdas(N)
    bool                penalize_constant    = false;  // false: the empty set's coefficient is not shrunk
    size_t              exact_max_parameters = 800;    // P at or below: eigendecomposition + GCV/LOO; above: K-fold
    bool                exact_loo            = false;  // exact path: exact leave-one-out instead of GCV
    double              tolerance = 1e-4;  // K-fold path, CV solves: relative residual ||b - (A+lambda)F|| / ||b||
    double              final_tolerance = 1e-7;  // K-fold path, the final fit on all rows at the chosen lambda
    int                 max_iterations  = 300;
    // The first `anchors` rows (of the rows used, in order) are not uniform draws (e.g. the
    // all-kept and all-masked masks): they train every fold and are never scored, so cv_r2
    // estimates R^2 on uniform masks. The exact path's GCV/LOO ignore this (all rows score).
    size_t anchors = 0;  // K-fold path: Lanczos steps per solve (also capped at P)
};

// What fit_ridge_fourier chose and how the solves went.
struct ridge_report {
    double              lambda     = 0.0;      // the chosen penalty
    double              cv_r2      = 0.0;      // cross-validated R^2 at lambda (GCV, LOO or K-fold)
    bool                cv_defined = false;    // false when the scored values are constant (no denominator)
    std::string         selection;             // "gcv", "loo" or "kfold"
    int                 folds = 0;             // K for "kfold", N for "loo", 0 for "gcv"
    std::vector<double> lambdas;               // the grid, ascending
    std::vector<double> cv_r2_path;            // CV R^2 per grid value; NaN where a K-fold solve did not converge
    int                 cg_iterations = 0;     // Lanczos steps (design products) over all solves; 0 on the exact path
    bool                converged     = true;  // every K-fold solve reached the tolerance at the chosen lambda
    size_t              parameters    = 0;     // support size, constant included
    size_t              rows          = 0;     // N, the rows used
};

// The default grid: N * {1e-8, 1e-6, then 10^e for e = -4, -3.5, ..., 1} (13 values), N = rows used.
std::vector<double> ridge_default_lambdas(size_t rows);

// Every set of degree <= order over n players: ∅, then {i}, then {i,j} (i < j), ... each
// degree in lexicographic order. Throws spex_error above ridge_max_parameters sets.
std::vector<feature_set> all_sets_up_to_order(int n, int order);

// Ridge fit of values (one per mask) on `support` (distinct sets, indices in [0, n)), lambda
// chosen from the grid by cross-validation (ties go to the larger lambda). The result has
// one term per support set, in support order. Needs N >= 2 rows (and N >= folds on the
// K-fold path). Throws spex_error on malformed input.
sparse_fourier fit_ridge_fourier(const mask_matrix & masks, const std::vector<double> & values,
                                 const std::vector<feature_set> & support, const ridge_options & opt = {},
                                 ridge_report * report = nullptr);

// The same on the listed rows of masks only (distinct, < masks.count, in the order that
// defines the folds), so a caller can run its own outer cross-validation.
sparse_fourier fit_ridge_fourier_rows(const mask_matrix & masks, const std::vector<double> & values,
                                      const std::vector<size_t> & rows, const std::vector<feature_set> & support,
                                      const ridge_options & opt = {}, ridge_report * report = nullptr);

}  // namespace spex
