// Ridge Fourier regression: agreement with dense least squares at lambda = 0, penalty
// selection on planted noisy problems, agreement of the K-fold and exact paths, the
// unpenalised constant, the row-subset variant and input validation.
#include "spex/baselines/baseline_sampling.h"
#include "spex/baselines/ridge_fourier.h"
#include "spex/prng.h"
#include "spex/spex_error.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

using namespace spex;

namespace {

double chi(const mask_matrix & m, size_t r, const feature_set & k) {
    unsigned parity = 0;
    for (int i : k) {
        parity ^= static_cast<unsigned>(m.keeps(r, i));
    }
    return parity ? -1.0 : 1.0;
}

// Dense OLS in the Fourier basis (all columns, constant included), by QR.
std::vector<double> dense_ols(const mask_matrix & m, const std::vector<double> & y,
                              const std::vector<feature_set> & support) {
    const Eigen::Index N = static_cast<Eigen::Index>(m.count);
    const Eigen::Index P = static_cast<Eigen::Index>(support.size());
    Eigen::MatrixXd    x(N, P);
    Eigen::VectorXd    yy(N);
    for (Eigen::Index r = 0; r < N; ++r) {
        for (Eigen::Index c = 0; c < P; ++c) {
            x(r, c) = chi(m, static_cast<size_t>(r), support[static_cast<size_t>(c)]);
        }
        yy[r] = y[static_cast<size_t>(r)];
    }
    const Eigen::VectorXd c = x.colPivHouseholderQr().solve(yy);
    return std::vector<double>(c.data(), c.data() + P);
}

// A planted function: a constant and a few terms of degree 1 and 2.
sparse_fourier planted(int n) {
    sparse_fourier f;
    f.n     = n;
    f.terms = {{{}, 3.0}, {{0}, 1.0}, {{3}, -0.8}, {{5}, 0.6}, {{1, 2}, 0.7}, {{4, 7}, -0.5}, {{2, 9}, 0.4}};
    return f;
}

double signal_variance(const sparse_fourier & f) {
    double v = 0.0;
    for (const auto & t : f.terms) {
        v += t.set.empty() ? 0.0 : t.coef * t.coef;
    }
    return v;
}

std::vector<double> noisy_values(const sparse_fourier & f, const mask_matrix & m, double sd, prng & rng) {
    std::vector<double> y(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = f.evaluate(m.row(r)) + sd * rng.normal();
    }
    return y;
}

double holdout_r2(const sparse_fourier & fit, const sparse_fourier & truth, const mask_matrix & m) {
    double sse = 0.0, mean = 0.0;
    for (size_t r = 0; r < m.count; ++r) {
        mean += truth.evaluate(m.row(r));
    }
    mean /= static_cast<double>(m.count);
    double sst = 0.0;
    for (size_t r = 0; r < m.count; ++r) {
        const double t = truth.evaluate(m.row(r));
        sse += (fit.evaluate(m.row(r)) - t) * (fit.evaluate(m.row(r)) - t);
        sst += (t - mean) * (t - mean);
    }
    return 1.0 - sse / sst;
}

double max_coef_diff(const sparse_fourier & a, const sparse_fourier & b) {
    REQUIRE(a.terms.size() == b.terms.size());
    double err = 0.0;
    for (size_t i = 0; i < a.terms.size(); ++i) {
        REQUIRE(a.terms[i].set == b.terms[i].set);
        err = std::max(err, std::fabs(a.terms[i].coef - b.terms[i].coef));
    }
    return err;
}

}  // namespace

TEST_CASE("all_sets_up_to_order lists sets by degree, lexicographically", "[ridge_fourier]") {
    const auto s = all_sets_up_to_order(4, 2);
    REQUIRE(s.size() == 11);
    CHECK(s[0].empty());
    CHECK(s[1] == feature_set{0});
    CHECK(s[4] == feature_set{3});
    CHECK(s[5] == (feature_set{0, 1}));
    CHECK(s[10] == (feature_set{2, 3}));
    CHECK(all_sets_up_to_order(60, 2).size() == 1831);
    CHECK(all_sets_up_to_order(5, 3).size() == 26);
    CHECK(all_sets_up_to_order(3, 7).size() == 8);
    CHECK_THROWS_AS(all_sets_up_to_order(200, 3), spex_error);
}

TEST_CASE("ridge at lambda = 0 equals dense least squares", "[ridge_fourier]") {
    prng                           rng(11, PRNG_STREAM_USER);
    const int                      n       = 8;
    const mask_matrix              m       = sample_uniform_masks(n, 200, rng);
    const std::vector<feature_set> support = all_sets_up_to_order(n, 2);
    std::vector<double>            y(m.count);
    for (double & v : y) {
        v = rng.normal();
    }
    const std::vector<double> ols = dense_ols(m, y, support);

    ridge_options opt;
    opt.lambdas = {0.0};
    for (int variant = 0; variant < 3; ++variant) {
        opt.exact_loo            = variant == 1;
        opt.exact_max_parameters = variant == 2 ? 0 : 800;
        opt.tolerance            = 1e-12;
        opt.final_tolerance      = 1e-12;
        ridge_report         rep;
        const sparse_fourier f = fit_ridge_fourier(m, y, support, opt, &rep);
        CHECK(rep.selection == (variant == 0 ? "gcv" : variant == 1 ? "loo" : "kfold"));
        CHECK(rep.lambda == 0.0);
        REQUIRE(f.terms.size() == support.size());
        double err = 0.0;
        for (size_t i = 0; i < support.size(); ++i) {
            CHECK(f.terms[i].set == support[i]);
            err = std::max(err, std::fabs(f.terms[i].coef - ols[i]));
        }
        CHECK(err < 1e-8);
    }
}

TEST_CASE("ridge picks a larger penalty under more noise and reports the signal fraction", "[ridge_fourier]") {
    const int                      n       = 12;
    const sparse_fourier           truth   = planted(n);
    const std::vector<feature_set> support = all_sets_up_to_order(n, 2);  // 79 parameters
    const double                   vs      = signal_variance(truth);
    for (int path = 0; path < 2; ++path) {
        ridge_options opt;
        opt.exact_max_parameters = path == 0 ? 800 : 0;
        double lambda_prev       = -1.0;
        for (double sd : {0.3, 1.5}) {
            prng                      rng(21, PRNG_STREAM_USER);
            const mask_matrix         m = sample_uniform_masks(n, 1500, rng);
            const std::vector<double> y = noisy_values(truth, m, sd, rng);
            ridge_report              rep;
            fit_ridge_fourier(m, y, support, opt, &rep);
            const double target = vs / (vs + sd * sd);
            INFO("path " << rep.selection << " sd " << sd << " lambda " << rep.lambda << " cv_r2 " << rep.cv_r2
                         << " target " << target);
            CHECK(rep.cv_r2 == Approx(target).margin(0.05));
            CHECK(rep.lambda > lambda_prev);
            lambda_prev = rep.lambda;
        }
    }
}

TEST_CASE("ridge beats the unregularised fit out of sample when N is barely above P", "[ridge_fourier]") {
    const int                      n       = 12;
    const sparse_fourier           truth   = planted(n);
    const std::vector<feature_set> support = all_sets_up_to_order(n, 2);
    prng                           rng(31, PRNG_STREAM_USER);
    const mask_matrix              m    = sample_uniform_masks(n, 100, rng);
    const std::vector<double>      y    = noisy_values(truth, m, 1.0, rng);
    const mask_matrix              test = sample_uniform_masks(n, 2000, rng);
    for (bool loo : {false, true}) {
        ridge_options opt;
        opt.exact_loo = loo;
        ridge_report         rep;
        const sparse_fourier ridge    = fit_ridge_fourier(m, y, support, opt, &rep);
        opt.lambdas                   = {0.0};
        const sparse_fourier ols      = fit_ridge_fourier(m, y, support, opt);
        const double         r2_ridge = holdout_r2(ridge, truth, test);
        const double         r2_ols   = holdout_r2(ols, truth, test);
        INFO("lambda " << rep.lambda << " ridge " << r2_ridge << " ols " << r2_ols);
        CHECK(rep.lambda > 0.0);
        CHECK(r2_ridge > r2_ols + 0.1);
    }
}

TEST_CASE("ridge K-fold and exact paths agree at the same lambda", "[ridge_fourier]") {
    const int                      n       = 20;
    const sparse_fourier           truth   = planted(n);
    const std::vector<feature_set> support = all_sets_up_to_order(n, 2);  // 211 parameters
    prng                           rng(41, PRNG_STREAM_USER);
    const mask_matrix              m = sample_uniform_masks(n, 800, rng);
    const std::vector<double>      y = noisy_values(truth, m, 0.5, rng);
    ridge_options                  opt;
    opt.lambdas         = {0.02 * 800};
    opt.tolerance       = 1e-10;
    opt.final_tolerance = 1e-10;
    ridge_report         exact_rep, kfold_rep;
    const sparse_fourier exact = fit_ridge_fourier(m, y, support, opt, &exact_rep);
    opt.exact_max_parameters   = 100;
    const sparse_fourier kfold = fit_ridge_fourier(m, y, support, opt, &kfold_rep);
    CHECK(exact_rep.selection == "gcv");
    CHECK(kfold_rep.selection == "kfold");
    CHECK(kfold_rep.folds == 5);
    CHECK(kfold_rep.converged);
    CHECK(max_coef_diff(exact, kfold) < 1e-7);
    CHECK(kfold_rep.cv_r2 == Approx(exact_rep.cv_r2).margin(0.03));
}

TEST_CASE("ridge leaves the constant unshrunk unless asked", "[ridge_fourier]") {
    const int                      n       = 10;
    const sparse_fourier           truth   = planted(n);
    const std::vector<feature_set> support = all_sets_up_to_order(n, 1);
    prng                           rng(51, PRNG_STREAM_USER);
    const mask_matrix              m    = sample_uniform_masks(n, 400, rng);
    const std::vector<double>      y    = noisy_values(truth, m, 0.1, rng);
    double                         mean = 0.0;
    for (double v : y) {
        mean += v;
    }
    mean /= static_cast<double>(y.size());
    ridge_options opt;
    opt.lambdas = {1e12};
    for (size_t limit : {size_t(800), size_t(0)}) {
        opt.exact_max_parameters = limit;
        opt.penalize_constant    = false;
        const sparse_fourier f   = fit_ridge_fourier(m, y, support, opt);
        CHECK(f.terms[0].coef == Approx(mean).epsilon(1e-6));
        CHECK(std::fabs(f.terms[1].coef) < 1e-6);
        opt.penalize_constant  = true;
        const sparse_fourier g = fit_ridge_fourier(m, y, support, opt);
        CHECK(std::fabs(g.terms[0].coef) < 1e-6);
    }
    // A moderate penalty shrinks the slopes but not the constant.
    opt.lambdas              = {400.0};
    opt.exact_max_parameters = 800;
    opt.penalize_constant    = false;
    const sparse_fourier f   = fit_ridge_fourier(m, y, support, opt);
    CHECK(f.terms[0].coef == Approx(3.0).margin(0.25));
    CHECK(f.terms[1].coef == Approx(0.5).margin(0.1));  // F({0}) = 1 shrunk by ~N / (N + lambda)
}

TEST_CASE("ridge on a row subset equals ridge on those masks", "[ridge_fourier]") {
    const int                      n       = 10;
    const sparse_fourier           truth   = planted(n);
    const std::vector<feature_set> support = all_sets_up_to_order(n, 2);
    prng                           rng(61, PRNG_STREAM_USER);
    const mask_matrix              m = sample_uniform_masks(n, 600, rng);
    const std::vector<double>      y = noisy_values(truth, m, 0.5, rng);
    std::vector<size_t>            rows;
    for (size_t r = 3; r < m.count; r += 2) {
        rows.push_back(r);
    }
    mask_matrix         sub(n, rows.size());
    std::vector<double> ysub(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        sub.row(i)[0] = m.row(rows[i])[0];
        ysub[i]       = y[rows[i]];
    }
    for (size_t limit : {size_t(800), size_t(0)}) {
        ridge_options opt;
        opt.exact_max_parameters = limit;
        ridge_report         ra, rb;
        const sparse_fourier a = fit_ridge_fourier_rows(m, y, rows, support, opt, &ra);
        const sparse_fourier b = fit_ridge_fourier(sub, ysub, support, opt, &rb);
        CHECK(ra.rows == rows.size());
        CHECK(ra.lambda == rb.lambda);
        CHECK(ra.cv_r2 == rb.cv_r2);
        CHECK(max_coef_diff(a, b) == 0.0);
    }
}

TEST_CASE("ridge rejects bad input", "[ridge_fourier]") {
    prng                           rng(71, PRNG_STREAM_USER);
    const mask_matrix              m = sample_uniform_masks(6, 50, rng);
    std::vector<double>            y(m.count, 1.0);
    const std::vector<feature_set> ok = all_sets_up_to_order(6, 1);
    CHECK_NOTHROW(fit_ridge_fourier(m, y, ok));
    CHECK_THROWS_AS(fit_ridge_fourier(m, y, {}), spex_error);
    CHECK_THROWS_WITH(fit_ridge_fourier(m, y, {{0}, {1}, {0}}), Catch::Contains("same set"));
    CHECK_THROWS_WITH(fit_ridge_fourier(m, y, {{0, 6}}), Catch::Contains("outside [0, 6)"));
    CHECK_THROWS_WITH(fit_ridge_fourier(m, y, {{-1}}), Catch::Contains("outside"));
    CHECK_THROWS_WITH(fit_ridge_fourier(m, y, {{2, 1}}), Catch::Contains("strictly increasing"));
    CHECK_THROWS_AS(fit_ridge_fourier(m, std::vector<double>(49, 1.0), ok), spex_error);
    std::vector<double> bad = y;
    bad[7]                  = std::nan("");
    CHECK_THROWS_AS(fit_ridge_fourier(m, bad, ok), spex_error);
    ridge_options opt;
    opt.lambdas = {1.0, -1.0};
    CHECK_THROWS_WITH(fit_ridge_fourier(m, y, ok, opt), Catch::Contains("lambda"));
    opt.lambdas              = {};
    opt.exact_max_parameters = 0;
    opt.folds                = 1;
    CHECK_THROWS_WITH(fit_ridge_fourier(m, y, ok, opt), Catch::Contains("folds"));
    CHECK_THROWS_WITH(fit_ridge_fourier_rows(m, y, {1, 2, 50}, ok), Catch::Contains("out of range"));
    CHECK_THROWS_WITH(fit_ridge_fourier_rows(m, y, {1, 2, 2}, ok), Catch::Contains("twice"));
    CHECK_THROWS_AS(fit_ridge_fourier_rows(m, y, {4}, ok), spex_error);
    std::vector<feature_set> huge;
    for (int i = 0; i < 20001; ++i) {
        huge.push_back({i / 200, 200 + i % 200});
    }
    const mask_matrix wide = sample_uniform_masks(400, 4, rng);
    CHECK_THROWS_WITH(fit_ridge_fourier(wide, std::vector<double>(4, 0.0), huge),
                      Catch::Contains("20,001") && Catch::Contains("20,000"));
    // A constant response fits exactly with R^2 = 1.
    ridge_report rep;
    const auto   f = fit_ridge_fourier(m, y, ok, {}, &rep);
    CHECK(f.terms[0].coef == Approx(1.0));
    CHECK(rep.cv_r2 == 1.0);
}

// Timing of the two target cases; run with "[.bench]" in a Release build.
// FNV-1a over the bit patterns of the coefficients (as test_session.cpp's golden hash).
uint64_t coefficient_hash(const sparse_fourier & f) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (const auto & t : f.terms) {
        uint64_t v = 0;
        std::memcpy(&v, &t.coef, sizeof v);
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

// The exact path (symmetric_eigen + fixed-order loops) must give the same bits on every
// platform: the constants were computed natively and the WebAssembly suite checks them too.
TEST_CASE("ridge exact path golden hash (bit-identical native and WebAssembly)", "[ridge_fourier]") {
    prng                           rng(7);
    const int                      n       = 10;
    const mask_matrix              m       = sample_uniform_masks(n, 300, rng);
    const std::vector<feature_set> support = all_sets_up_to_order(n, 2);
    std::vector<double>            y(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        const double x0 = m.keeps(r, 0), x1 = m.keeps(r, 1), x2 = m.keeps(r, 2), x3 = m.keeps(r, 3);
        const double x7 = m.keeps(r, 7);
        y[r]            = 1.5 * x0 - 0.75 * x3 + 0.5 * x1 * x2 - 0.3 * x2 * x7 + 0.01 * static_cast<double>(r % 13);
    }
    ridge_options        opt;
    ridge_report         rep;
    const sparse_fourier gcv = fit_ridge_fourier(m, y, support, opt, &rep);
    CHECK(rep.selection == "gcv");
    opt.exact_loo            = true;
    const sparse_fourier loo = fit_ridge_fourier(m, y, support, opt, &rep);
    CHECK(rep.selection == "loo");
    opt.penalize_constant        = true;
    opt.exact_loo                = false;
    const sparse_fourier plain   = fit_ridge_fourier(m, y, support, opt, &rep);
    const uint64_t       h_gcv   = coefficient_hash(gcv);
    const uint64_t       h_loo   = coefficient_hash(loo);
    const uint64_t       h_plain = coefficient_hash(plain);
    CHECK(h_gcv == 0x6a1e58cd18edb175ull);
    CHECK(h_loo == 0xbc605479e13cb603ull);
    CHECK(h_plain == 0x994ef44b4d72f4e9ull);
}

TEST_CASE("ridge timing", "[.bench][ridge_fourier_bench]") {
    const int      n     = 60;
    sparse_fourier truth = planted(n);
    for (int use = 0; use < 2; ++use) {
        prng                      rng(81, PRNG_STREAM_USER);
        const mask_matrix         m       = sample_uniform_masks(n, 4000, rng);
        const std::vector<double> y       = noisy_values(truth, m, 0.5, rng);
        std::vector<feature_set>  support = all_sets_up_to_order(n, 2);
        if (use == 1) {
            support.resize(300);
        }
        ridge_report rep;
        const auto   t0 = std::chrono::steady_clock::now();
        fit_ridge_fourier(m, y, support, {}, &rep);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::printf("P = %zu N = 4000 (%s): %.1f ms, lambda/N = %.3g, cv_r2 = %.4f, iterations = %d\n", support.size(),
                    rep.selection.c_str(), ms, rep.lambda / 4000.0, rep.cv_r2, rep.cg_iterations);
    }
}
