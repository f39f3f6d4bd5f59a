// boosted_trees: gradient-boosted regression trees (squared loss) on binary masks, the
// proxy learner of ProxySPEX (Butler et al., NeurIPS 2025). The fitted ensemble is turned
// into a sparse Fourier function exactly by tree_fourier.h.
//
// Method. Boosting starts from the mean of the training values; each tree is fitted to the
// current residuals g_r = y_r - prediction_r and its leaves add learning_rate * G / (H + λ)
// (G = sum of residuals in the leaf, H = number of rows, λ = leaf_l2). Because every
// feature is one bit, a split is a feature index: rows with the bit 0 go to child0, rows
// with the bit 1 to child1, and the gain of splitting on f only needs the per-feature sums
//   G1(f) = sum of g over node rows with bit f set,  H1(f) = number of those rows.
// Trees grow level by level to max_depth.
//
// Speed. The training rows are copied once into two layouts:
//   - row-major bytes (ceil(n / 8) per row). To accumulate G1 over a node, each row adds its
//     residual to one bin per group of 8 features (in nodes of >= 512 rows; 256 bins a
//     group) or of 4 features (16 bins a group), the bin being the row's bits in that
//     group: n / 8 (n / 4) branch-free adds per row whatever the mask density. G1(f) is
//     then read out of the bins of f's group (a fold of the table, ~2 adds per bin).
//   - one bitset over the training rows per feature (column-major), so H1(f) is a popcount
//     of (node rows AND column f), and a split's children are two word-wise ANDs.
// Only the smaller child of a split is accumulated; the larger is parent - smaller. The
// last level needs no sums at all (a leaf's G is G1 or G - G1 of its parent's split).
// fit_gbt_selected at 4,000 masks x 40-80 features of the spam model takes ~150-190 ms
// natively (the two selection fits ~110 ms, the refit on all rows ~75 ms; they usually reach
// the 500-tree cap), measured with spexlens_bench_surrogate.
//
// A feature already tested on a path puts all of the node's rows in one child, so with
// min_leaf >= 1 it is never chosen again: paths test distinct features.
//
// Determinism. Rows are visited in ascending order, sums are sequential, split ties go to
// the lowest feature index and the validation fold comes from spex::prng, so the same
// inputs and seed give a bit-identical ensemble natively and in WebAssembly (the engine is
// compiled with -ffp-contract=off).
#pragma once

#include "spex/mask_matrix.h"
#include "spex/prng.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spex {

// prng stream of the validation fold drawn by fit_gbt_selected.
constexpr uint64_t PRNG_STREAM_GBT_SELECTION = PRNG_STREAM_USER + 17;

// Hyperparameters of one boosted-trees fit.
struct gbt_params {
    int max_depth = 4;            // levels of splits per tree (1..10); a tree of depth d has <= 2^d leaves and
                                  // carries Fourier terms of degree <= d
    int    trees          = 100;  // number of boosting rounds (>= 0); fewer when early stopping ends the fit
    double learning_rate  = 0.1;  // shrinkage in (0, 1] applied to every leaf value
    int    min_leaf       = 5;    // fewest training rows a leaf may hold (>= 1); larger values smooth the fit
    double leaf_l2        = 1.0;  // ridge penalty λ >= 0 on leaf values: a leaf holds G / (H + λ)
    int    early_stopping = 0;    // with validation rows: stop after this many trees without a new validation
                                  // minimum and keep only the best prefix (0 = fit all `trees`)
};

// One tree node: an internal node tests `feature`, a leaf has feature = -1 and a value.
struct gbt_node {
    int    feature = -1;   // bit tested here, -1 for a leaf
    int    child0  = -1;   // node index for rows with the bit 0 (player removed)
    int    child1  = -1;   // node index for rows with the bit 1 (player kept)
    double value   = 0.0;  // leaf output (already scaled by the learning rate); 0 at internal nodes
};

// A regression tree; nodes[0] is the root (a single leaf for a constant tree).
struct gbt_tree {
    std::vector<gbt_node> nodes;

    // Output for one bit-packed mask (see mask_matrix.h).
    double predict(const uint64_t * mask) const;

    // Length of the longest root-to-leaf path (0 for a single leaf or an empty tree).
    int depth() const;
};

// Base value plus a sum of trees, over masks of n players.
struct gbt_ensemble {
    int                   n    = 0;
    double                base = 0.0;  // mean of the training values (the boosting start)
    std::vector<gbt_tree> trees;

    // base + sum of the trees' outputs for one bit-packed mask.
    double predict(const uint64_t * mask) const;
};

// What fit_gbt saw on the validation rows.
struct gbt_fit_trace {
    std::vector<double> valid_mse;         // [t] = validation mean squared error after t trees, t = 0..fitted_trees
    int                 fitted_trees = 0;  // trees fitted before stopping
    int                 best_trees   = 0;  // t with the smallest valid_mse (first one on ties)
    double              best_mse     = 0.0;
};

// Fits a boosted ensemble to (masks, values) on the rows `train_rows` (indices into masks;
// repeats allowed). With valid_rows, the validation error after every tree is recorded in
// *trace (if given), and p.early_stopping > 0 enables early stopping. Throws spex_error on
// inconsistent sizes, non-finite values, out-of-range row indices or parameters.
gbt_ensemble fit_gbt(const mask_matrix & masks, const std::vector<double> & values,
                     const std::vector<size_t> & train_rows, const gbt_params & p,
                     const std::vector<size_t> * valid_rows = nullptr, gbt_fit_trace * trace = nullptr);

// One setting of the selection grid and how it did on the validation fold.
struct gbt_grid_point {
    gbt_params params;          // as tried (params.trees = the cap on rounds)
    int        best_trees = 0;  // rounds at the validation minimum
    double     valid_r2   = 0.0;
};

// How fit_gbt_selected chose its hyperparameters.
struct gbt_selection_report {
    gbt_params                  chosen;                 // the winning setting, chosen.trees = rounds of the final refit
    double                      valid_r2      = 0;      // validation R^2 of the winning setting
    bool                        valid_defined = false;  // false when the validation values are constant
    size_t                      train_rows    = 0;      // rows of the selection's training fold
    size_t                      valid_rows    = 0;      // rows of the validation fold
    std::vector<gbt_grid_point> grid;                   // every setting tried, in grid order
    double                      grid_ms  = 0.0;         // wall time of the grid's fits (profiling only)
    double                      refit_ms = 0.0;         // wall time of the refit on all rows
    // The winning setting's ensemble fitted on the training fold only (its best prefix), and
    // the two folds' rows (ascending; the anchors in the training fold), so a caller can score
    // what it builds from the trees on rows they never saw.
    gbt_ensemble        valid_model;
    std::vector<size_t> train_row_list;
    std::vector<size_t> valid_row_list;
};

// Fewest masks fit_gbt_selected accepts.
constexpr size_t gbt_min_selection_rows = 10;

// Hyperparameters chosen on a 20% validation fold (drawn from prng(seed,
// PRNG_STREAM_GBT_SELECTION)) over a small grid (depth 4 and 5 at learning rate 0.15), each
// setting with early stopping, which picks the number of trees; the best by validation R^2
// (first on ties) is refitted on all rows with a quarter more trees than its best count (the
// refit has a quarter more rows). min_leaf scales with the number of rows. The first
// `anchors` rows (e.g. the all-kept and all-masked masks, far from a uniform draw) always
// train and never validate. Needs at least gbt_min_selection_rows masks. report may be null.
gbt_ensemble fit_gbt_selected(const mask_matrix & masks, const std::vector<double> & values, uint64_t seed,
                              gbt_selection_report * report = nullptr, size_t anchors = 0);

}  // namespace spex
