// lime: the LIME text explainer (Ribeiro et al. 2016, lime's LimeTextExplainer) as a
// first-order surrogate in the common sparse_fourier form.
//
// Each mask x is weighted by its cosine distance to the instance (the all-ones mask),
//   d = 100 * (1 - cos(x, 1)) = 100 * (1 - sqrt(|x| / n)),  weight = sqrt(exp(-d^2 / width^2)),
// (the empty mask has d = 100, as sklearn's cosine distance gives for a zero row), and a
// weighted ridge regression with an unpenalised intercept, as sklearn's Ridge, fits
// c0 + sum_i w_i x_i on the 0/1 features. With x_i = (1 - (-1)^{x_i}) / 2 this is
//   F(∅) = c0 + sum_i w_i / 2,  F({i}) = -w_i / 2.
// lime fits all n features when asked for num_features = n, which is what the
// equal-budget comparison does; its top-K feature selection is not reproduced.
#pragma once

#include "lsqr.h"
#include "spex/mask_matrix.h"
#include "spex/sparse_fourier.h"

#include <vector>

namespace spex {

struct lime_options {
    double kernel_width = 25.0;  // LimeTextExplainer default
    double ridge_alpha  = 1.0;   // sklearn Ridge default, as lime uses it
};

// The LIME weight of a mask that keeps `kept` of n players (1 for the instance itself).
double lime_weight(int kept, int n, double kernel_width);

// Any masks work (sample_lime_masks gives lime's design); values[r] = f(masks row r).
// ridge_alpha = 0 needs at least n + 1 masks. The solve is matrix-free (LSQR on the
// weighted, centred design), seconds at n = 4096 with 40k masks; `report`, if given,
// receives how the solve converged.
sparse_fourier fit_lime(const mask_matrix & masks, const std::vector<double> & values, const lime_options & opt,
                        lsqr_report * report = nullptr);

}  // namespace spex
