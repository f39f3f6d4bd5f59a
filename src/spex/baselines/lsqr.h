// lsqr: matrix-free damped least squares for the baseline fits,
//   minimise ||b - A z||^2 + damping * ||z||^2,
// by LSQR (Paige & Saunders 1982, as scipy.sparse.linalg.lsqr), which needs only the
// products A z and A^T r.
//
// Why LSQR and not CGLS: both follow the same Krylov iterates in exact arithmetic, but
// CGLS run past its rounding floor (reached early when b has a large part outside
// range(A), e.g. a noisy model) diverges, while LSQR's rotation-based updates and
// residual estimates keep it stable and give scale-aware stopping tests.
//
// Started from z = 0 the iterates stay in range(A^T), so an under-determined problem
// without damping converges to the minimum-norm solution, as numpy's lstsq would give.
#pragma once

#include "lsqr_report.h"

#include <Eigen/Dense>

namespace spex {

// A linear map R^cols -> R^rows known only through its products.
class linear_operator {
  public:
    virtual ~linear_operator() = default;

    virtual Eigen::Index rows() const                                                          = 0;
    virtual Eigen::Index cols() const                                                          = 0;
    virtual void         apply(const Eigen::VectorXd & z, Eigen::VectorXd & out) const         = 0;  // out = A z
    virtual void         apply_adjoint(const Eigen::VectorXd & r, Eigen::VectorXd & out) const = 0;  // out = A^T r
};

struct lsqr_options {
    double damping = 0.0;  // >= 0
    // LSQR's atol = btol: stop when ||r|| <= tol (||b|| + ||A|| ||z||) (a consistent system,
    // e.g. exact recovery) or ||A^T r|| <= tol ||A|| ||r|| (a least-squares solution), with
    // r = (b - A z, sqrt(damping) z) and ||A|| LSQR's running Frobenius estimate.
    double tolerance = 1e-12;
    // 0 picks min(2 * cols + 100, 5000).
    int max_iterations = 0;
};

Eigen::VectorXd solve_lsqr(const linear_operator & a, const Eigen::VectorXd & b, const lsqr_options & options,
                           lsqr_report * report = nullptr);

// Work the fits allow one solve, in flop-equivalents (a table lookup of mask_design counts
// as 5): about 8 s natively at -O2. Designs near the interpolation threshold (rows about
// equal to unknowns, e.g. Faith-Banzhaf with N just above P, or paired KernelSHAP with N/2
// about n, since a complementary pair spans one regression direction) converge very
// slowly; stopping there acts as regularisation and the report says converged = false.
constexpr double lsqr_work_budget = 5e10;

// min(2 * cols + 100, 5000, max(100, lsqr_work_budget / work_per_iteration)).
int lsqr_iteration_cap(double work_per_iteration, Eigen::Index cols);

}  // namespace spex
