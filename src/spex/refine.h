// refine: least-squares (optionally ridge) refit of the peeled coefficients (docs/method.md §6).
//
// The support is the peeled frequencies plus the constant and every first-order term,
// the paper's choice. The normal equations come straight from the un-peeled WHT outputs:
//   X^T y[k]     = 2^b sum_c <sigma(k), U_c[:, h_c(k)]>
//   X^T X[k, k'] = 2^b sum_c [h_c(k) = h_c(k')] * <sigma(k), sigma(k')>
// so the cost is O(K^2 C (p+1)) at worst and sparse in practice (only pairs sharing a bin),
// never a dense queries x coefficients matrix.
#pragma once

#include "bin_columns.h"
#include "query_design.h"
#include "sparse_fourier.h"

namespace spex {

struct refine_stats {
    int    terms      = 0;      // size of the refit support
    bool   all_linear = false;  // every e_i was in the support (else only those inside found terms)
    int    iterations = 0;      // conjugate-gradient iterations
    double residual   = 0.0;    // CG relative residual of the normal equations
};

// `transformed` must be the bins BEFORE peeling. `ridge` is relative to the number of
// queries N (lambda = ridge * N), 0 for plain least squares.
sparse_fourier refine_fit(const query_design & design, const bin_columns & transformed, const sparse_fourier & peeled,
                          double ridge, refine_stats & stats);

}  // namespace spex
