// lsqr_report: how a baseline's least-squares solve went (see lsqr.h). Kept apart from the
// solver so results can carry it without pulling Eigen into every header.
#pragma once

namespace spex {

// How a fit's solve went; every baseline fit can fill one.
struct lsqr_report {
    int    iterations      = 0;
    double residual_norm   = 0.0;    // estimate of ||r||
    double normal_residual = 0.0;    // estimate of ||A^T r|| / (||A|| ||r||), the backward error
    bool   converged       = false;  // met a stopping test within max_iterations
};

}  // namespace spex
