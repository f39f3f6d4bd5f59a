#include "lsqr.h"

#include "spex/spex_error.h"

#include <algorithm>
#include <cmath>

namespace spex {

int lsqr_iteration_cap(double work_per_iteration, Eigen::Index cols) {
    const double structural = std::min(2.0 * static_cast<double>(cols) + 100.0, 5000.0);
    const double by_work = work_per_iteration > 0.0 ? std::max(100.0, lsqr_work_budget / work_per_iteration) : 5000.0;
    return static_cast<int>(std::min(structural, by_work));
}

namespace {

// One Golub-Kahan step: beta u = A v - alpha u, then alpha v = A^T u - beta v (tmp is scratch).
// Returns the running estimate of ||A|| (the bidiagonal's with the damping) updated by it.
double bidiagonalise_step(const linear_operator & a, Eigen::VectorXd & u, Eigen::VectorXd & v, Eigen::VectorXd & tmp,
                          double & alpha, double & beta, double damp, double anorm) {
    a.apply(v, tmp);
    u    = tmp - alpha * u;
    beta = u.norm();
    if (beta > 0.0) {
        u /= beta;
        anorm = std::sqrt(anorm * anorm + alpha * alpha + beta * beta + damp * damp);
        a.apply_adjoint(u, tmp);
        v     = tmp - beta * v;
        alpha = v.norm();
        if (alpha > 0.0) {
            v /= alpha;
        }
    } else {
        anorm = std::sqrt(anorm * anorm + alpha * alpha + damp * damp);
    }
    return anorm;
}

// What one step's rotations give the update of x and the stopping tests.
struct lsqr_rotation {
    double rho;
    double phi;
    double theta;
    double tau;
    double psi;
};

// A rotation folds the damping row into the bidiagonal, a second one eliminates beta; rhobar
// and phibar carry over to the next step.
lsqr_rotation rotate_step(double & rhobar, double & phibar, double alpha, double beta, double damp) {
    double rhobar1 = rhobar;
    double psi     = 0.0;
    if (damp > 0.0) {
        rhobar1          = std::hypot(rhobar, damp);
        const double cs1 = rhobar / rhobar1;
        const double sn1 = damp / rhobar1;
        psi              = sn1 * phibar;
        phibar           = cs1 * phibar;
    }
    const double rho   = std::hypot(rhobar1, beta);
    const double cs    = rhobar1 / rho;
    const double sn    = beta / rho;
    const double theta = sn * alpha;
    rhobar             = -cs * alpha;
    const double phi   = cs * phibar;
    phibar             = sn * phibar;
    const double tau   = sn * phi;
    return {rho, phi, theta, tau, psi};
}

}  // namespace

Eigen::VectorXd solve_lsqr(const linear_operator & a, const Eigen::VectorXd & b, const lsqr_options & options,
                           lsqr_report * report) {
    if (b.size() != a.rows()) {
        throw spex_error("solve_lsqr: right-hand side has the wrong length");
    }
    if (!(options.damping >= 0.0) || !std::isfinite(options.damping)) {
        throw spex_error("solve_lsqr: damping must be finite and >= 0");
    }
    const Eigen::Index cols     = a.cols();
    const int          max_iter = options.max_iterations > 0 ? options.max_iterations
                                                             : static_cast<int>(std::min<Eigen::Index>(2 * cols + 100, 5000));
    const double       damp     = std::sqrt(options.damping);
    const double       tol      = options.tolerance;

    Eigen::VectorXd x = Eigen::VectorXd::Zero(cols);
    lsqr_report     local;

    // Golub-Kahan bidiagonalisation: beta u = b, alpha v = A^T u.
    Eigen::VectorXd u     = b;
    const double    bnorm = u.norm();
    double          beta  = bnorm;
    Eigen::VectorXd v     = Eigen::VectorXd::Zero(cols);
    double          alpha = 0.0;
    if (beta > 0.0) {
        u /= beta;
        a.apply_adjoint(u, v);
        alpha = v.norm();
    }
    if (alpha > 0.0) {
        v /= alpha;
    }
    if (alpha * beta == 0.0) {
        local.converged = true;  // A^T b = 0: z = 0 is a solution
        if (report != nullptr) {
            *report = local;
        }
        return x;
    }

    Eigen::VectorXd w = v;
    Eigen::VectorXd tmp;
    double          rhobar = alpha;
    double          phibar = beta;
    double          anorm  = 0.0;
    double          res2   = 0.0;  // accumulated damping part of ||r||^2
    double          rnorm  = beta;
    double          test2  = 1.0;
    int             iter   = 0;
    bool            done   = false;
    while (iter < max_iter && !done) {
        ++iter;
        anorm = bidiagonalise_step(a, u, v, tmp, alpha, beta, damp, anorm);

        const lsqr_rotation r   = rotate_step(rhobar, phibar, alpha, beta, damp);
        const double        rho = r.rho, phi = r.phi, theta = r.theta, tau = r.tau, psi = r.psi;

        x += (phi / rho) * w;
        w = v - (theta / rho) * w;

        res2                = res2 + psi * psi;
        rnorm               = std::sqrt(phibar * phibar + res2);
        const double arnorm = alpha * std::fabs(tau);
        const double xnorm  = x.norm();
        const double test1  = rnorm / bnorm;
        test2               = (anorm * rnorm) > 0.0 ? arnorm / (anorm * rnorm) : 0.0;
        const double rtol   = tol + tol * anorm * xnorm / bnorm;
        done                = test1 <= rtol || test2 <= tol || beta == 0.0 || alpha == 0.0;
    }
    local.iterations      = iter;
    local.residual_norm   = rnorm;
    local.normal_residual = test2;
    local.converged       = done;
    if (report != nullptr) {
        *report = local;
    }
    return x;
}

}  // namespace spex
