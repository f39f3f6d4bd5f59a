// Baseline mask samplers (LIME / KernelSHAP / uniform) and the input checks every
// baseline fit shares.
#include "baseline_test_support.h"
#include "spex/baselines/baseline_sampling.h"
#include "spex/baselines/faith_banzhaf.h"
#include "spex/baselines/kernel_shap.h"
#include "spex/baselines/lime.h"
#include "spex/baselines/lsqr.h"
#include "spex/baselines/mask_design.h"
#include "spex/spex_error.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

using namespace spex;

namespace {

int row_popcount(const mask_matrix & m, size_t r) {
    int k = 0;
    for (int i = 0; i < m.n; ++i) {
        k += m.keeps(r, i) ? 1 : 0;
    }
    return k;
}

bool padding_clear(const mask_matrix & m) {
    if (m.n % 64 == 0) {
        return true;
    }
    const uint64_t pad = ~((uint64_t(1) << (m.n % 64)) - 1);
    for (size_t r = 0; r < m.count; ++r) {
        if ((m.row(r)[m.words - 1] & pad) != 0) {
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("baseline samplers are deterministic per seed", "[baselines]") {
    for (int n : {5, 64, 130}) {
        prng a(7, PRNG_STREAM_BASELINE), b(7, PRNG_STREAM_BASELINE), c(8, PRNG_STREAM_BASELINE);
        CHECK(sample_uniform_masks(n, 50, a).bits == sample_uniform_masks(n, 50, b).bits);
        CHECK(sample_lime_masks(n, 50, a).bits == sample_lime_masks(n, 50, b).bits);
        CHECK(sample_kernel_shap_masks(n, 50, a).bits == sample_kernel_shap_masks(n, 50, b).bits);
        CHECK(sample_kernel_shap_masks(n, 50, a, false).bits == sample_kernel_shap_masks(n, 50, b, false).bits);

        prng a2(7, PRNG_STREAM_BASELINE);
        CHECK(sample_uniform_masks(n, 50, a2).bits != sample_uniform_masks(n, 50, c).bits);
        CHECK(sample_lime_masks(n, 50, a2).bits != sample_lime_masks(n, 50, c).bits);
        CHECK(sample_kernel_shap_masks(n, 50, a2).bits != sample_kernel_shap_masks(n, 50, c).bits);
    }
}

TEST_CASE("baseline samplers leave padding bits zero", "[baselines]") {
    for (int n : {1, 3, 63, 64, 65, 130}) {
        prng rng(11, PRNG_STREAM_BASELINE);
        CHECK(padding_clear(sample_uniform_masks(n, 40, rng)));
        CHECK(padding_clear(sample_lime_masks(n, 40, rng)));
        CHECK(padding_clear(sample_kernel_shap_masks(n, 41, rng)));
        CHECK(padding_clear(sample_kernel_shap_masks(n, 41, rng, false)));
    }
}

TEST_CASE("uniform masks keep each bit with probability one half", "[baselines]") {
    const int    n     = 100;
    const size_t count = 4000;
    prng         rng(3, PRNG_STREAM_BASELINE);
    const auto   m = sample_uniform_masks(n, count, rng);
    REQUIRE(m.count == count);
    REQUIRE(m.n == n);
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
        int kept = 0;
        for (size_t r = 0; r < count; ++r) {
            kept += m.keeps(r, i) ? 1 : 0;
        }
        // sd of a column frequency is 0.5/sqrt(4000) ~ 0.008; 0.04 is five sd.
        CHECK(std::fabs(kept / double(count) - 0.5) < 0.04);
        total += kept;
    }
    CHECK(std::fabs(total / (double(count) * n) - 0.5) < 0.005);
}

TEST_CASE("LIME masks start with the instance and are otherwise uniform", "[baselines]") {
    const int  n = 70;
    prng       rng(5, PRNG_STREAM_BASELINE);
    const auto m = sample_lime_masks(n, 3000, rng);
    CHECK(row_popcount(m, 0) == n);
    double kept = 0.0;
    for (size_t r = 1; r < m.count; ++r) {
        kept += row_popcount(m, r);
    }
    CHECK(std::fabs(kept / (double(m.count - 1) * n) - 0.5) < 0.01);
    CHECK_THROWS_AS(sample_lime_masks(n, 0, rng), spex_error);
}

TEST_CASE("KernelSHAP masks: anchors, pairing and the Shapley-kernel size law", "[baselines]") {
    const int    n     = 10;
    const size_t count = 40002;
    for (bool paired : {true, false}) {
        prng       rng(9, PRNG_STREAM_BASELINE);
        const auto m = sample_kernel_shap_masks(n, count, rng, paired);
        REQUIRE(m.count == count);
        CHECK(row_popcount(m, 0) == 0);
        CHECK(row_popcount(m, 1) == n);

        std::vector<double> hist(n + 1, 0.0);
        std::vector<double> feature_kept(n, 0.0);
        bool                all_complementary = true;
        for (size_t r = 2; r < count; ++r) {
            hist[row_popcount(m, r)] += 1.0;
            for (int i = 0; i < n; ++i) {
                feature_kept[i] += m.keeps(r, i) ? 1.0 : 0.0;
            }
            if (r % 2 == 1) {
                for (int i = 0; i < n; ++i) {
                    all_complementary = all_complementary && (m.keeps(r, i) != m.keeps(r - 1, i));
                }
            }
        }
        CHECK(all_complementary == paired);
        CHECK(hist[0] == 0.0);
        CHECK(hist[n] == 0.0);
        // Expected law, written out here rather than taken from the library.
        double z = 0.0;
        for (int s = 1; s < n; ++s) {
            z += (n - 1.0) / (s * (n - s));
        }
        const double rows = double(count - 2);
        for (int s = 1; s < n; ++s) {
            const double p  = (n - 1.0) / (s * (n - s)) / z;
            const double sd = std::sqrt(rows * p * (1.0 - p));
            CHECK(std::fabs(hist[s] - rows * p) < 5.0 * sd + 1.0);
        }
        // Given its size a subset is uniform, so every player is kept about half the time.
        for (int i = 0; i < n; ++i) {
            CHECK(std::fabs(feature_kept[i] / rows - 0.5) < 0.02);
        }
    }
    const auto p   = kernel_shap_size_probabilities(n);
    double     sum = 0.0;
    for (double v : p) {
        sum += v;
    }
    CHECK(sum == Approx(1.0).epsilon(1e-12));
    CHECK(p[1] == Approx(p[n - 1]));
    CHECK(p[1] > p[n / 2]);
}

TEST_CASE("KernelSHAP masks at n = 1 only repeat the anchors", "[baselines]") {
    prng       rng(1, PRNG_STREAM_BASELINE);
    const auto m = sample_kernel_shap_masks(1, 5, rng);
    CHECK(m.bits == std::vector<uint64_t>{0, 1, 0, 1, 0});
    CHECK_THROWS_AS(sample_kernel_shap_masks(4, 1, rng), spex_error);
    CHECK_THROWS_AS(sample_uniform_masks(0, 4, rng), spex_error);
}

TEST_CASE("baseline fits reject bad inputs with spex_error", "[baselines]") {
    const int                 n = 6;
    prng                      rng(2, PRNG_STREAM_BASELINE);
    const auto                lime_m = sample_lime_masks(n, 40, rng);
    const auto                shap_m = sample_kernel_shap_masks(n, 40, rng);
    const auto                unif_m = sample_uniform_masks(n, 40, rng);
    const std::vector<double> good(40, 1.0);
    const std::vector<double> short_values(39, 1.0);
    std::vector<double>       nan_values(40, 1.0);
    nan_values[17] = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> inf_values(40, 1.0);
    inf_values[3] = std::numeric_limits<double>::infinity();

    SECTION("size mismatch") {
        CHECK_THROWS_AS(fit_lime(lime_m, short_values, lime_options{}), spex_error);
        CHECK_THROWS_AS(fit_kernel_shap(shap_m, short_values), spex_error);
        CHECK_THROWS_AS(fit_faith_banzhaf(unif_m, short_values, 1), spex_error);
        CHECK_THROWS_WITH(fit_lime(lime_m, short_values, lime_options{}), Catch::Contains("39 model values for 40"));
    }
    SECTION("non-finite values") {
        CHECK_THROWS_AS(fit_lime(lime_m, nan_values, lime_options{}), spex_error);
        CHECK_THROWS_AS(fit_kernel_shap(shap_m, nan_values), spex_error);
        CHECK_THROWS_AS(fit_faith_banzhaf(unif_m, nan_values, 1), spex_error);
        CHECK_THROWS_AS(fit_kernel_shap(shap_m, inf_values), spex_error);
        CHECK_THROWS_WITH(fit_lime(lime_m, nan_values, lime_options{}), Catch::Contains("value 17"));
    }
    SECTION("malformed masks") {
        mask_matrix bad = unif_m;
        bad.row(4)[0] |= uint64_t(1) << 40;  // a bit beyond player n-1
        CHECK_THROWS_AS(fit_faith_banzhaf(bad, good, 1), spex_error);
        mask_matrix empty;
        CHECK_THROWS_AS(fit_lime(empty, {}, lime_options{}), spex_error);
    }
    SECTION("method-specific") {
        lime_options opt;
        opt.kernel_width = 0.0;
        CHECK_THROWS_AS(fit_lime(lime_m, good, opt), spex_error);
        opt             = lime_options{};
        opt.ridge_alpha = -1.0;
        CHECK_THROWS_AS(fit_lime(lime_m, good, opt), spex_error);
        opt.ridge_alpha = 0.0;
        const auto few  = sample_lime_masks(n, n, rng);  // n masks for n + 1 unknowns
        CHECK_THROWS_WITH(fit_lime(few, std::vector<double>(n, 0.0), opt), Catch::Contains("ridge_alpha > 0"));
        // KernelSHAP holds rows 0 and 1 exact, so they must be the empty and full masks.
        CHECK_THROWS_WITH(fit_kernel_shap(unif_m, good), Catch::Contains("sample_kernel_shap_masks"));
        CHECK_THROWS_AS(fit_faith_banzhaf(unif_m, good, 0), spex_error);
        CHECK_THROWS_AS(fit_faith_banzhaf(unif_m, good, 4), spex_error);
        CHECK_THROWS_AS(fit_faith_banzhaf(unif_m, good, 1, -1.0), spex_error);
    }
}

namespace {

struct dense_operator : linear_operator {
    Eigen::MatrixXd a;
    Eigen::Index    rows() const override { return a.rows(); }
    Eigen::Index    cols() const override { return a.cols(); }
    void            apply(const Eigen::VectorXd & z, Eigen::VectorXd & out) const override { out = a * z; }
    void apply_adjoint(const Eigen::VectorXd & r, Eigen::VectorXd & out) const override { out = a.transpose() * r; }
};

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, prng & rng) {
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index j = 0; j < cols; ++j) {
        for (Eigen::Index i = 0; i < rows; ++i) {
            m(i, j) = rng.normal();
        }
    }
    return m;
}

}  // namespace

TEST_CASE("mask_design products equal the dense sign matrix", "[baselines]") {
    for (int n : {1, 63, 64, 130}) {
        prng            rng(12, PRNG_STREAM_BASELINE);
        const auto      m = sample_uniform_masks(n, 203, rng);  // a partial last 64-row block
        Eigen::MatrixXd s(static_cast<Eigen::Index>(m.count), n);
        for (size_t r = 0; r < m.count; ++r) {
            for (int i = 0; i < n; ++i) {
                s(static_cast<Eigen::Index>(r), i) = m.keeps(r, i) ? -1.0 : 1.0;
            }
        }
        Eigen::VectorXd v(n), u(s.rows());
        for (auto & x : v) {
            x = rng.normal();
        }
        for (auto & x : u) {
            x = rng.normal();
        }
        const mask_design d(m);
        Eigen::VectorXd   sv, su;
        d.multiply(v, sv);
        d.multiply_transpose(u, su);
        CHECK((sv - s * v).norm() < 1e-12 * (1.0 + (s * v).norm()));
        CHECK((su - s.transpose() * u).norm() < 1e-12 * (1.0 + (s.transpose() * u).norm()));
        CHECK(d.kept(5) == static_cast<int>(((1.0 - s.row(5).array()) / 2.0).sum()));

        // A row subset, in the given order.
        const mask_design sub(m, {7, 2, 100});
        sub.multiply(v, sv);
        CHECK(std::fabs(sv[0] - s.row(7).dot(v)) < 1e-12 * (1.0 + v.norm()));
        CHECK(std::fabs(sv[2] - s.row(100).dot(v)) < 1e-12 * (1.0 + v.norm()));
    }
}

TEST_CASE("LSQR matches dense least squares, ridge and minimum-norm solutions", "[baselines]") {
    prng           rng(13, PRNG_STREAM_BASELINE);
    dense_operator op;

    op.a                    = random_matrix(60, 15, rng);
    const Eigen::VectorXd b = random_matrix(60, 1, rng).col(0).array() + 5.0;  // far outside range(A)
    lsqr_report           report;
    const Eigen::VectorXd z = solve_lsqr(op, b, lsqr_options{}, &report);
    CHECK(report.converged);
    CHECK((z - op.a.colPivHouseholderQr().solve(b)).norm() < 1e-10);

    lsqr_options damped;
    damped.damping              = 3.0;
    const Eigen::MatrixXd gram  = op.a.transpose() * op.a + 3.0 * Eigen::MatrixXd::Identity(15, 15);
    const Eigen::VectorXd ridge = gram.ldlt().solve(op.a.transpose() * b);
    CHECK((solve_lsqr(op, b, damped) - ridge).norm() < 1e-10);

    // Under-determined and consistent: the minimum-norm solution A^T (A A^T)^-1 b.
    op.a                     = random_matrix(8, 20, rng);
    const Eigen::VectorXd c  = random_matrix(8, 1, rng).col(0);
    const Eigen::VectorXd mn = op.a.transpose() * (op.a * op.a.transpose()).ldlt().solve(c);
    CHECK((solve_lsqr(op, c, lsqr_options{}) - mn).norm() < 1e-10);

    // Running far past the rounding floor stays put instead of diverging.
    op.a = random_matrix(300, 100, rng);
    lsqr_options strict;
    strict.tolerance          = 0.0;
    strict.max_iterations     = 1000;
    const Eigen::VectorXd far = solve_lsqr(op, b.head(1).replicate(300, 1), strict, &report);
    CHECK(report.iterations > 500);  // ~50 reach the floor; the estimates then decay to 0
    CHECK((far - op.a.colPivHouseholderQr().solve(b.head(1).replicate(300, 1))).norm() < 1e-9);
}
