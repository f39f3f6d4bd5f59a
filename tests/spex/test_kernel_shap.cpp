// KernelSHAP baseline: exactness where theory says so, convergence to brute-force
// Shapley values, efficiency, and agreement with a dense constrained least squares.
#include "baseline_test_support.h"
#include "spex/baselines/baseline_sampling.h"
#include "spex/baselines/kernel_shap.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace spex;
using spex_test::additive_phi;

namespace {

double max_phi_error(const sparse_fourier & f, const std::vector<double> & phi) {
    double err = 0.0;
    for (size_t i = 0; i < phi.size(); ++i) {
        err = std::max(err, std::fabs(additive_phi(f, static_cast<int>(i)) - phi[i]));
    }
    return err;
}

double phi_sum(const sparse_fourier & f) {
    double s = 0.0;
    for (int i = 0; i < f.n; ++i) {
        s += additive_phi(f, i);
    }
    return s;
}

}  // namespace

TEST_CASE("KernelSHAP is exact on an additive function", "[baselines][kernelshap]") {
    for (int n : {2, 10, 150}) {
        prng                rng(31, PRNG_STREAM_BASELINE);
        const auto          m = sample_kernel_shap_masks(n, static_cast<size_t>(3 * n + 40), rng);
        std::vector<double> a(n);
        for (double & v : a) {
            v = 2.0 * rng.uniform() - 1.0;
        }
        std::vector<double> y(m.count, 0.4);
        for (size_t r = 0; r < m.count; ++r) {
            for (int i = 0; i < n; ++i) {
                y[r] += m.keeps(r, i) ? a[i] : 0.0;
            }
        }
        lsqr_report report;
        const auto  f = fit_kernel_shap(m, y, &report);
        CHECK(report.converged);
        CHECK(max_phi_error(f, a) < 1e-9);
        CHECK(std::fabs(f.evaluate(m.row(0)) - y[0]) < 1e-12);  // phi_0 = f(∅)
    }
}

TEST_CASE("KernelSHAP with paired sampling is exact for pairwise interactions", "[baselines][kernelshap]") {
    const int  n = 8;
    prng       rng(32, PRNG_STREAM_BASELINE);
    const auto func  = spex_test::random_moebius(n, 20, 2, rng);
    const auto exact = spex_test::brute_force_shapley(func);
    const auto m     = sample_kernel_shap_masks(n, 60, rng, true);
    const auto f     = fit_kernel_shap(m, spex_test::evaluate_all(func, m));
    CHECK(max_phi_error(f, exact) < 1e-9);
}

TEST_CASE("KernelSHAP approaches the exact Shapley values with many samples", "[baselines][kernelshap]") {
    const int n = 8;
    prng      rng(33, PRNG_STREAM_BASELINE);
    // Pairwise interactions with unpaired sampling, and third-order ones with pairing: in both
    // cases the estimate is inexact at small budgets and tightens as the budget grows.
    struct scenario {
        int  degree;
        bool paired;
    };
    for (scenario sc : {scenario{2, false}, scenario{3, true}}) {
        const auto func  = spex_test::random_moebius(n, 20, sc.degree, rng);
        const auto exact = spex_test::brute_force_shapley(func);
        double     scale = 0.0;
        for (double v : exact) {
            scale = std::max(scale, std::fabs(v));
        }
        prng         small_rng(34, PRNG_STREAM_BASELINE), big_rng(35, PRNG_STREAM_BASELINE);
        const auto   m_small   = sample_kernel_shap_masks(n, 40, small_rng, sc.paired);
        const auto   m_big     = sample_kernel_shap_masks(n, 40000, big_rng, sc.paired);
        const auto   f_small   = fit_kernel_shap(m_small, spex_test::evaluate_all(func, m_small));
        const auto   f_big     = fit_kernel_shap(m_big, spex_test::evaluate_all(func, m_big));
        const double err_small = max_phi_error(f_small, exact);
        const double err_big   = max_phi_error(f_big, exact);
        CHECK(err_small > 1e-6);        // the problem is genuinely not solved exactly
        CHECK(err_big < 0.02 * scale);  // ~1/sqrt(N) convergence
        CHECK(err_big < err_small);
    }
}

TEST_CASE("KernelSHAP holds efficiency and the anchor values exactly", "[baselines][kernelshap]") {
    const int  n = 12;
    prng       rng(36, PRNG_STREAM_BASELINE);
    const auto func = spex_test::random_moebius(n, 30, 5, rng);
    const auto m    = sample_kernel_shap_masks(n, 101, rng);
    const auto y    = spex_test::evaluate_all(func, m);
    const auto f    = fit_kernel_shap(m, y);
    CHECK(std::fabs(phi_sum(f) - (y[1] - y[0])) < 1e-12);
    CHECK(std::fabs(f.evaluate(m.row(0)) - y[0]) < 1e-12);
    CHECK(std::fabs(f.evaluate(m.row(1)) - y[1]) < 1e-12);
}

TEST_CASE("KernelSHAP equals a dense equality-constrained least squares", "[baselines][kernelshap]") {
    const int n = 7;
    // Unpaired rows, and paired ones (the fit collapses each complementary pair into one
    // scaled row) with an odd count so the last row is a lone one.
    for (bool paired : {false, true}) {
        prng       rng(37, PRNG_STREAM_BASELINE);
        const auto func = spex_test::random_moebius(n, 25, 4, rng);
        const auto m    = sample_kernel_shap_masks(n, 45, rng, paired);
        const auto y    = spex_test::evaluate_all(func, m);

        // KKT system: minimise |X phi - (y - f0)|^2 over rows 2.. subject to 1^T phi = f(1) - f(0).
        const Eigen::Index R = static_cast<Eigen::Index>(m.count) - 2;
        Eigen::MatrixXd    x(R, n);
        Eigen::VectorXd    t(R);
        for (Eigen::Index r = 0; r < R; ++r) {
            for (int i = 0; i < n; ++i) {
                x(r, i) = m.keeps(static_cast<size_t>(r) + 2, i) ? 1.0 : 0.0;
            }
            t[r] = y[static_cast<size_t>(r) + 2] - y[0];
        }
        Eigen::MatrixXd kkt     = Eigen::MatrixXd::Zero(n + 1, n + 1);
        kkt.topLeftCorner(n, n) = x.transpose() * x;
        kkt.block(0, n, n, 1).setOnes();
        kkt.block(n, 0, 1, n).setOnes();
        Eigen::VectorXd rhs(n + 1);
        rhs.head(n)               = x.transpose() * t;
        rhs[n]                    = y[1] - y[0];
        const Eigen::VectorXd sol = kkt.fullPivLu().solve(rhs);

        const auto f = fit_kernel_shap(m, y);
        for (int i = 0; i < n; ++i) {
            CHECK(std::fabs(additive_phi(f, i) - sol[i]) < 1e-9);
        }
    }
}

TEST_CASE("KernelSHAP edge cases: one player, anchors only", "[baselines][kernelshap]") {
    prng       rng(38, PRNG_STREAM_BASELINE);
    const auto m1 = sample_kernel_shap_masks(1, 6, rng);
    const auto f1 = fit_kernel_shap(m1, {2.0, 5.0, 2.0, 5.0, 2.0, 5.0});
    CHECK(additive_phi(f1, 0) == Approx(3.0).epsilon(1e-15));

    // Only the two anchors: efficiency fixes the sum, the minimum-norm split is equal shares.
    const auto m2 = sample_kernel_shap_masks(4, 2, rng);
    const auto f2 = fit_kernel_shap(m2, {1.0, 3.0});
    for (int i = 0; i < 4; ++i) {
        CHECK(additive_phi(f2, i) == Approx(0.5).epsilon(1e-15));
    }
}
