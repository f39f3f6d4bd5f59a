// Faith-Banzhaf baseline: parameter counts, exact recovery of low-degree functions, and
// agreement with the uniform least-squares fit solved densely in the Möbius basis.
#include "baseline_test_support.h"
#include "spex/baselines/baseline_sampling.h"
#include "spex/baselines/faith_banzhaf.h"
#include "spex/spex_error.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cmath>
#include <map>

using namespace spex;

namespace {

// All 2^n masks, row r = the bits of r.
mask_matrix all_masks(int n) {
    mask_matrix m(n, size_t(1) << n);
    for (size_t r = 0; r < m.count; ++r) {
        m.row(r)[0] = r;
    }
    return m;
}

feature_set set_of(uint32_t bits) {
    feature_set s;
    for (int i = 0; i < 32; ++i) {
        if (bits & (uint32_t(1) << i)) {
            s.push_back(i);
        }
    }
    return s;
}

// The Faith-Banzhaf fit as defined: least squares of sum_{T ⊆ x, |T| <= order} c(T) over the
// given masks, solved densely in the Möbius basis, then mapped to Fourier coefficients by
// F(k) = (-1)^|k| sum_{S ⊇ k} 2^-|S| c(S).
std::map<feature_set, double> dense_faith_banzhaf(const mask_matrix & m, const std::vector<double> & y, int order) {
    const int             n = m.n;
    std::vector<uint32_t> basis;
    for (uint32_t s = 0; s < (uint32_t(1) << n); ++s) {
        if (__builtin_popcount(s) <= order) {
            basis.push_back(s);
        }
    }
    const Eigen::Index N = static_cast<Eigen::Index>(m.count);
    const Eigen::Index P = static_cast<Eigen::Index>(basis.size());
    Eigen::MatrixXd    x(N, P);
    Eigen::VectorXd    yy(N);
    for (Eigen::Index r = 0; r < N; ++r) {
        const uint32_t bits = spex_test::row_bits(m, static_cast<size_t>(r));
        for (Eigen::Index c = 0; c < P; ++c) {
            x(r, c) = (basis[c] & bits) == basis[c] ? 1.0 : 0.0;
        }
        yy[r] = y[static_cast<size_t>(r)];
    }
    const Eigen::VectorXd         c = x.colPivHouseholderQr().solve(yy);
    std::map<feature_set, double> fourier;
    for (Eigen::Index a = 0; a < P; ++a) {
        // Fourier image of one Möbius term: prod_{i in S} x_i = 2^-|S| sum_{k ⊆ S} (-1)^|k| chi_k.
        const uint32_t s = basis[a];
        for (uint32_t k = s;; k = (k - 1) & s) {
            const int    deg  = __builtin_popcount(k);
            const double sign = deg % 2 ? -1.0 : 1.0;
            fourier[set_of(k)] += sign * c[a] / double(uint32_t(1) << __builtin_popcount(s));
            if (k == 0) {
                break;
            }
        }
    }
    return fourier;
}

double max_diff(const sparse_fourier & f, const std::map<feature_set, double> & ref) {
    double err = 0.0;
    for (const auto & kv : ref) {
        err = std::max(err, std::fabs(spex_test::coef_of(f, kv.first) - kv.second));
    }
    return err;
}

// Random Fourier function of degree <= d on n players: every parity up to degree d present.
sparse_fourier random_low_degree(int n, int d, prng & rng) {
    sparse_fourier f;
    f.n = n;
    for (uint32_t k = 0; k < (uint32_t(1) << n); ++k) {
        if (__builtin_popcount(k) <= d) {
            f.terms.push_back({set_of(k), 2.0 * rng.uniform() - 1.0});
        }
    }
    return f;
}

std::vector<double> evaluate(const sparse_fourier & f, const mask_matrix & m) {
    std::vector<double> y(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = f.evaluate(m.row(r));
    }
    return y;
}

}  // namespace

TEST_CASE("Faith-Banzhaf parameter counts", "[baselines][faithbanzhaf]") {
    CHECK(faith_banzhaf_parameter_count(10, 1) == 11);
    CHECK(faith_banzhaf_parameter_count(10, 2) == 56);
    CHECK(faith_banzhaf_parameter_count(100, 2) == 5051);
    CHECK(faith_banzhaf_parameter_count(10, 3) == 176);
    CHECK(faith_banzhaf_parameter_count(2, 3) == 4);  // C(2,3) = 0
    CHECK(faith_banzhaf_parameter_count(4096, 2) == 8390657);
    CHECK(faith_banzhaf_parameter_count(4096, 3) > faith_banzhaf_max_parameters);
}

TEST_CASE("Faith-Banzhaf recovers a function of degree <= order exactly", "[baselines][faithbanzhaf]") {
    struct scenario {
        int    n, order;
        size_t count;
    };
    for (scenario sc : {scenario{10, 1, 60}, scenario{10, 2, 200}, scenario{8, 3, 250}, scenario{20, 2, 400}}) {
        prng                          rng(41, PRNG_STREAM_BASELINE);
        const auto                    truth = random_low_degree(sc.n, sc.order, rng);
        const auto                    m     = sample_uniform_masks(sc.n, sc.count, rng);
        const auto                    y     = evaluate(truth, m);
        std::map<feature_set, double> ref;
        for (const auto & t : truth.terms) {
            ref[t.set] = t.coef;
        }
        lsqr_report report;
        const auto  exact = fit_faith_banzhaf(m, y, sc.order, 0.0, &report);
        CHECK(report.converged);
        REQUIRE(exact.terms.size() == faith_banzhaf_parameter_count(sc.n, sc.order));
        CHECK(max_diff(exact, ref) < 1e-9);
        // The default relative ridge of 1e-8 biases coefficients by about that much.
        CHECK(max_diff(fit_faith_banzhaf(m, y, sc.order), ref) < 1e-6);
    }
}

TEST_CASE("Faith-Banzhaf order 1 works across mask words", "[baselines][faithbanzhaf]") {
    const int      n = 150;
    prng           rng(42, PRNG_STREAM_BASELINE);
    const auto     m = sample_uniform_masks(n, 700, rng);
    sparse_fourier truth;
    truth.n = n;
    truth.terms.push_back({{}, 0.3});
    for (int i = 0; i < n; ++i) {
        truth.terms.push_back({{i}, 2.0 * rng.uniform() - 1.0});
    }
    const auto                    fit = fit_faith_banzhaf(m, evaluate(truth, m), 1, 0.0);
    std::map<feature_set, double> ref;
    for (const auto & t : truth.terms) {
        ref[t.set] = t.coef;
    }
    CHECK(max_diff(fit, ref) < 1e-9);
}

TEST_CASE("Faith-Banzhaf with all masks equals the exact uniform least-squares fit", "[baselines][faithbanzhaf]") {
    for (int n : {8, 10}) {
        for (int order : {1, 2, 3}) {
            prng       rng(43 + n, PRNG_STREAM_BASELINE);
            const auto func = spex_test::random_moebius(n, 30, 6, rng);  // terms up to degree 6
            const auto m    = all_masks(n);
            const auto y    = spex_test::evaluate_all(func, m);
            const auto ref  = dense_faith_banzhaf(m, y, order);
            const auto fit  = fit_faith_banzhaf(m, y, order, 0.0);
            CHECK(max_diff(fit, ref) < 1e-9);
            // A function with terms above the order is not reproduced: the fit is a projection.
            double resid = 0.0;
            for (size_t r = 0; r < m.count; ++r) {
                resid = std::max(resid, std::fabs(fit.evaluate(m.row(r)) - y[r]));
            }
            CHECK(resid > 1e-3);
        }
    }
}

TEST_CASE("Faith-Banzhaf on sampled masks equals the dense Möbius-basis fit", "[baselines][faithbanzhaf]") {
    const int  n = 9;
    prng       rng(44, PRNG_STREAM_BASELINE);
    const auto func = spex_test::random_moebius(n, 25, 5, rng);
    const auto m    = sample_uniform_masks(n, 160, rng);  // P = 46 for order 2
    const auto y    = spex_test::evaluate_all(func, m);
    CHECK(max_diff(fit_faith_banzhaf(m, y, 2, 0.0), dense_faith_banzhaf(m, y, 2)) < 1e-9);
    CHECK(max_diff(fit_faith_banzhaf(m, y, 1, 0.0), dense_faith_banzhaf(m, y, 1)) < 1e-9);
}

TEST_CASE("Faith-Banzhaf refuses budgets below the parameter count", "[baselines][faithbanzhaf]") {
    prng                      rng(45, PRNG_STREAM_BASELINE);
    const auto                m = sample_uniform_masks(20, 100, rng);  // order 2 needs 211
    const std::vector<double> y(100, 1.0);
    CHECK_THROWS_AS(fit_faith_banzhaf(m, y, 2), spex_error);
    CHECK_THROWS_WITH(fit_faith_banzhaf(m, y, 2),
                      Catch::Contains("needs at least 211 queries for n = 20") && Catch::Contains("budget gives 100"));
    CHECK_NOTHROW(fit_faith_banzhaf(m, y, 1));
    const auto wide = sample_uniform_masks(300, 10, rng);  // order 2: 45,151 parameters
    CHECK_THROWS_WITH(fit_faith_banzhaf(wide, std::vector<double>(10, 0.0), 2), Catch::Contains("cap"));
}
