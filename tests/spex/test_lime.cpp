// LIME baseline: weights, exact recovery, and agreement with a dense weighted ridge
// solved independently (intercept as an unpenalised column, not by centring).
#include "baseline_test_support.h"
#include "spex/baselines/baseline_sampling.h"
#include "spex/baselines/lime.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cmath>

using namespace spex;
using spex_test::coef_of;

namespace {

// Linear function c + sum_i a_i x_i on a mask of any width.
std::vector<double> linear_values(const mask_matrix & m, double c, const std::vector<double> & a) {
    std::vector<double> y(m.count, c);
    for (size_t r = 0; r < m.count; ++r) {
        for (int i = 0; i < m.n; ++i) {
            if (m.keeps(r, i)) {
                y[r] += a[i];
            }
        }
    }
    return y;
}

// Slopes w_i back from the surrogate (F({i}) = -w_i/2) and the intercept c0 = F(∅) - sum w_i/2.
void read_linear(const sparse_fourier & f, int n, double & c0, std::vector<double> & w) {
    w.assign(n, 0.0);
    double half_sum = 0.0;
    for (int i = 0; i < n; ++i) {
        w[i] = -2.0 * coef_of(f, {i});
        half_sum += w[i] / 2.0;
    }
    c0 = coef_of(f, {}) - half_sum;
}

}  // namespace

TEST_CASE("LIME weights follow the cosine-distance kernel", "[baselines][lime]") {
    const int n = 40;
    CHECK(lime_weight(n, n, 25.0) == 1.0);  // the instance itself
    // d = 100 (empty mask): sqrt(exp(-16)) = exp(-8); d = 50 at |x| = n/4: exp(-2).
    CHECK(lime_weight(0, n, 25.0) == Approx(std::exp(-8.0)).epsilon(1e-12));
    CHECK(lime_weight(n / 4, n, 25.0) == Approx(std::exp(-2.0)).epsilon(1e-12));
    for (int k = 0; k < n; ++k) {
        CHECK(lime_weight(k, n, 25.0) < lime_weight(k + 1, n, 25.0));
    }
    // A wider kernel flattens the weights.
    CHECK(lime_weight(n / 2, n, 100.0) > lime_weight(n / 2, n, 25.0));
}

TEST_CASE("LIME without ridge recovers a linear function exactly", "[baselines][lime]") {
    for (int n : {1, 12, 130}) {
        prng                rng(21, PRNG_STREAM_BASELINE);
        const auto          m = sample_lime_masks(n, static_cast<size_t>(4 * n + 50), rng);
        std::vector<double> a(n);
        for (double & v : a) {
            v = 2.0 * rng.uniform() - 1.0;
        }
        const double c = 0.75;
        const auto   y = linear_values(m, c, a);

        lime_options opt;
        opt.ridge_alpha = 0.0;
        lsqr_report report;
        const auto  f = fit_lime(m, y, opt, &report);
        CHECK(report.converged);
        REQUIRE(f.n == n);
        REQUIRE(f.terms.size() == static_cast<size_t>(n) + 1);
        double              c0 = 0.0;
        std::vector<double> w;
        read_linear(f, n, c0, w);
        CHECK(std::fabs(c0 - c) < 1e-9);
        for (int i = 0; i < n; ++i) {
            CHECK(std::fabs(w[i] - a[i]) < 1e-9);
        }
        // The surrogate reproduces f on the masks (checks the Fourier sign convention).
        for (size_t r = 0; r < m.count; r += 7) {
            CHECK(std::fabs(f.evaluate(m.row(r)) - y[r]) < 1e-9);
        }
    }
}

TEST_CASE("LIME's default ridge shrinks the slopes a little", "[baselines][lime]") {
    const int           n = 20;
    prng                rng(22, PRNG_STREAM_BASELINE);
    const auto          m = sample_lime_masks(n, 600, rng);
    std::vector<double> a(n);
    for (double & v : a) {
        v = 2.0 * rng.uniform() - 1.0;
    }
    const auto          f  = fit_lime(m, linear_values(m, -0.3, a), lime_options{});
    double              c0 = 0.0;
    std::vector<double> w;
    read_linear(f, n, c0, w);
    double norm_a = 0.0, norm_w = 0.0, max_err = 0.0;
    for (int i = 0; i < n; ++i) {
        norm_a += a[i] * a[i];
        norm_w += w[i] * w[i];
        max_err = std::max(max_err, std::fabs(w[i] - a[i]));
    }
    CHECK(norm_w < norm_a);  // shrunk ...
    CHECK(max_err > 1e-6);   // ... genuinely ...
    CHECK(max_err < 0.05);   // ... but close (alpha = 1 against ~150 units of weight)
}

TEST_CASE("LIME matches a dense weighted ridge with unpenalised intercept", "[baselines][lime]") {
    const int  n = 9;
    prng       rng(23, PRNG_STREAM_BASELINE);
    const auto m    = sample_lime_masks(n, 120, rng);
    const auto func = spex_test::random_moebius(n, 15, 3, rng);  // non-linear: the fit is a projection
    const auto y    = spex_test::evaluate_all(func, m);

    for (double alpha : {0.0, 1.0, 7.5}) {
        for (double width : {25.0, 60.0}) {
            // Normal equations of  sum_r w_r (y_r - c0 - x_r.w)^2 + alpha |w|^2  over (c0, w).
            const Eigen::Index N = static_cast<Eigen::Index>(m.count);
            Eigen::MatrixXd    z(N, n + 1);
            Eigen::VectorXd    weight(N), yy(N);
            for (Eigen::Index r = 0; r < N; ++r) {
                int kept = 0;
                z(r, 0)  = 1.0;
                for (int i = 0; i < n; ++i) {
                    z(r, i + 1) = m.keeps(r, i) ? 1.0 : 0.0;
                    kept += m.keeps(r, i) ? 1 : 0;
                }
                const double d = (1.0 - std::sqrt(double(kept) / n)) * 100.0;
                weight[r]      = std::sqrt(std::exp(-d * d / (width * width)));
                yy[r]          = y[r];
            }
            Eigen::MatrixXd gram = z.transpose() * weight.asDiagonal() * z;
            gram.diagonal().tail(n).array() += alpha;
            const Eigen::VectorXd beta = gram.ldlt().solve(z.transpose() * weight.asDiagonal() * yy);

            lime_options opt;
            opt.ridge_alpha        = alpha;
            opt.kernel_width       = width;
            const auto          f  = fit_lime(m, y, opt);
            double              c0 = 0.0;
            std::vector<double> w;
            read_linear(f, n, c0, w);
            CHECK(std::fabs(c0 - beta[0]) < 1e-9);
            for (int i = 0; i < n; ++i) {
                CHECK(std::fabs(w[i] - beta[i + 1]) < 1e-9);
            }
        }
    }
}

TEST_CASE("LIME is deterministic and independent of row storage details", "[baselines][lime]") {
    const int  n = 200;  // several words per mask, a partial last row block
    prng       rng(24, PRNG_STREAM_BASELINE);
    const auto m    = sample_lime_masks(n, 777, rng);
    const auto func = spex_test::random_moebius(30, 40, 3, rng);  // depends on the first 30 players only
    const auto y    = spex_test::evaluate_all(func, m);
    const auto f1   = fit_lime(m, y, lime_options{});
    const auto f2   = fit_lime(m, y, lime_options{});
    REQUIRE(f1.terms.size() == f2.terms.size());
    for (size_t t = 0; t < f1.terms.size(); ++t) {
        CHECK(f1.terms[t].set == f2.terms[t].set);
        CHECK(f1.terms[t].coef == f2.terms[t].coef);
    }
}
