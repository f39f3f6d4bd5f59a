// faithfulness: how well a surrogate predicts the real function on held-out masks (docs/method.md §8).
#pragma once

#include "mask_matrix.h"
#include "sparse_fourier.h"

#include <vector>

namespace spex {

struct faithfulness_result {
    double r2      = 0.0;
    int    holdout = 0;      // masks used (extra queries, not counted in the design's queries)
    bool   defined = false;  // false when the held-out values are constant (R^2 has no denominator)
};

// R^2 = 1 - sum (f - f_hat)^2 / sum (f - mean f)^2 over the held-out masks.
faithfulness_result r_squared(const sparse_fourier & surrogate, const mask_matrix & masks,
                              const std::vector<double> & values);

}  // namespace spex
