// sparse_fourier: a real function on {0,1}^n given by few Fourier coefficients,
//   f(x) = sum_k F(k) * (-1)^<x,k>,
// the common currency of the engine: SPEX, the refit and every baseline produce one,
// and every explanation (Möbius, Shapley, indices, removal) and the faithfulness R^2
// are computed from one.
#pragma once

#include "feature_set.h"

#include <cstdint>
#include <vector>

namespace spex {

struct fourier_term {
    feature_set set;  // the frequency k
    double      coef = 0.0;
};

struct sparse_fourier {
    int                       n = 0;
    std::vector<fourier_term> terms;  // distinct sets; order is not significant

    // f(x) for one bit-packed mask (see mask_matrix.h).
    double evaluate(const uint64_t * mask) const;

    // Largest |k| among the terms (0 for an empty or constant function).
    int max_degree() const;

    // Sort terms by decreasing |coef|, ties by set (shorter first, then lexicographic),
    // so printed lists are deterministic.
    void sort_by_magnitude();

    // Merge duplicate sets (summing coefficients) and drop terms whose coefficient is 0.
    void canonicalize();
};

}  // namespace spex
