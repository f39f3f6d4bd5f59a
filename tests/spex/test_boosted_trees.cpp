// boosted_trees: agreement with a naive greedy reference learner, recovery of planted
// low-degree functions (held-out R^2 and Fourier coefficients), determinism, small data,
// and input validation. The [.bench] case times fit_gbt_selected at 4,000 x 60.
#include "spex/baselines/baseline_sampling.h"
#include "spex/mask_matrix.h"
#include "spex/prng.h"
#include "spex/proxy/boosted_trees.h"
#include "spex/proxy/tree_fourier.h"
#include "spex/spex_error.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

using namespace spex;

namespace {

// f(x) = sum_T a(T) prod_{i in T} x_i (Möbius form, x in {0,1}^n).
struct planted {
    std::vector<feature_set> sets;
    std::vector<double>      coefs;

    double at(const uint64_t * x) const {
        double s = 0.0;
        for (size_t t = 0; t < sets.size(); ++t) {
            bool all = true;
            for (int i : sets[t]) {
                all = all && mask_keeps(x, i);
            }
            s += all ? coefs[t] : 0.0;
        }
        return s;
    }

    // Fourier coefficients: prod_{i in T} x_i = 2^-|T| sum_{k ⊆ T} (-1)^|k| chi_k.
    std::map<feature_set, double> fourier() const {
        std::map<feature_set, double> out;
        for (size_t t = 0; t < sets.size(); ++t) {
            const size_t d = sets[t].size();
            for (uint32_t s = 0; s < (uint32_t(1) << d); ++s) {
                feature_set k;
                for (size_t j = 0; j < d; ++j) {
                    if ((s >> j) & 1u) {
                        k.push_back(sets[t][j]);
                    }
                }
                out[k] += (k.size() % 2 ? -1.0 : 1.0) * coefs[t] / double(uint32_t(1) << d);
            }
        }
        return out;
    }
};

std::vector<size_t> iota_rows(size_t count) {
    std::vector<size_t> r(count);
    for (size_t i = 0; i < count; ++i) {
        r[i] = i;
    }
    return r;
}

double r2(const gbt_ensemble & ens, const mask_matrix & m, const std::vector<double> & y) {
    double mean = 0.0;
    for (double v : y) {
        mean += v;
    }
    mean /= double(y.size());
    double sse = 0.0, sst = 0.0;
    for (size_t r = 0; r < m.count; ++r) {
        const double e = y[r] - ens.predict(m.row(r));
        sse += e * e;
        sst += (y[r] - mean) * (y[r] - mean);
    }
    return 1.0 - sse / sst;
}

// The same greedy level-wise learner written the obvious way (no packing, no subtraction trick).
gbt_ensemble reference_fit(const mask_matrix & m, const std::vector<double> & y, const gbt_params & p) {
    const size_t N = m.count;
    gbt_ensemble ens;
    ens.n = m.n;
    for (double v : y) {
        ens.base += v;
    }
    ens.base /= double(N);
    std::vector<double> g(N);
    for (size_t r = 0; r < N; ++r) {
        g[r] = y[r] - ens.base;
    }
    auto score = [&](double s, double h) { return s * s / (h + p.leaf_l2); };
    for (int t = 0; t < p.trees; ++t) {
        double ss = 0.0;
        for (double v : g) {
            ss += v * v;
        }
        gbt_tree tree;
        tree.nodes.emplace_back();
        struct item {
            int                 node, depth;
            std::vector<size_t> rows;
        };
        std::vector<item>   queue{{0, 0, iota_rows(N)}};
        std::vector<double> delta(N, 0.0);
        for (size_t q = 0; q < queue.size(); ++q) {
            const item it = queue[q];
            double     G  = 0.0;
            for (size_t r : it.rows) {
                G += g[r];
            }
            const double H      = double(it.rows.size());
            int          best_f = -1;
            double       best   = 1e-12 * ss;
            if (it.depth < p.max_depth) {
                for (int f = 0; f < m.n; ++f) {
                    double g1 = 0.0;
                    int    h1 = 0;
                    for (size_t r : it.rows) {
                        if (m.keeps(r, f)) {
                            g1 += g[r];
                            ++h1;
                        }
                    }
                    const int h0 = int(it.rows.size()) - h1;
                    if (h1 < p.min_leaf || h0 < p.min_leaf) {
                        continue;
                    }
                    const double gain = score(g1, h1) + score(G - g1, h0) - score(G, H);
                    if (gain > best) {
                        best   = gain;
                        best_f = f;
                    }
                }
            }
            if (best_f < 0) {
                const double v                                 = p.learning_rate * G / (H + p.leaf_l2);
                tree.nodes[static_cast<size_t>(it.node)].value = v;
                for (size_t r : it.rows) {
                    delta[r] = v;
                }
                continue;
            }
            item c0{int(tree.nodes.size()), it.depth + 1, {}}, c1{int(tree.nodes.size()) + 1, it.depth + 1, {}};
            for (size_t r : it.rows) {
                (m.keeps(r, best_f) ? c1 : c0).rows.push_back(r);
            }
            tree.nodes.emplace_back();
            tree.nodes.emplace_back();
            tree.nodes[static_cast<size_t>(it.node)] = {best_f, c0.node, c1.node, 0.0};
            queue.push_back(c0);
            queue.push_back(c1);
        }
        for (size_t r = 0; r < N; ++r) {
            g[r] -= delta[r];
        }
        ens.trees.push_back(tree);
    }
    return ens;
}

void require_same_structure(const gbt_ensemble & a, const gbt_ensemble & b, double tol) {
    REQUIRE(a.trees.size() == b.trees.size());
    CHECK(std::fabs(a.base - b.base) <= tol);
    for (size_t t = 0; t < a.trees.size(); ++t) {
        REQUIRE(a.trees[t].nodes.size() == b.trees[t].nodes.size());
        for (size_t i = 0; i < a.trees[t].nodes.size(); ++i) {
            const gbt_node & x = a.trees[t].nodes[i];
            const gbt_node & y = b.trees[t].nodes[i];
            REQUIRE(x.feature == y.feature);
            REQUIRE(x.child0 == y.child0);
            REQUIRE(x.child1 == y.child1);
            if (tol == 0.0) {
                REQUIRE(x.value == y.value);
            } else {
                REQUIRE(std::fabs(x.value - y.value) <= tol);
            }
        }
    }
}

}  // namespace

TEST_CASE("boosted_trees: matches a naive greedy reference learner", "[boosted_trees]") {
    // Masks of mixed density exercise both the plain and the complemented row layout, and
    // n = 70 spans two words.
    const int   n = 70;
    prng        rng(3, PRNG_STREAM_USER + 310);
    mask_matrix m(n, 500);
    for (size_t r = 0; r < m.count; ++r) {
        const double keep = r % 3 == 0 ? 0.85 : (r % 3 == 1 ? 0.5 : 0.15);
        for (int i = 0; i < n; ++i) {
            m.set(r, i, rng.uniform() < keep);
        }
    }
    std::vector<double> y(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = 1.3 * m.keeps(r, 3) - 0.7 * (m.keeps(r, 10) && m.keeps(r, 65)) + 0.4 * m.keeps(r, 40) + rng.normal();
    }
    for (int depth : {1, 3, 5}) {
        gbt_params p;
        p.max_depth             = depth;
        p.trees                 = 6;
        p.learning_rate         = 0.3;
        p.min_leaf              = 7;
        p.leaf_l2               = 0.5;
        const gbt_ensemble fast = fit_gbt(m, y, iota_rows(m.count), p);
        const gbt_ensemble slow = reference_fit(m, y, p);
        require_same_structure(fast, slow, 1e-9);
    }
}

TEST_CASE("boosted_trees: recovers a planted degree-3 function", "[boosted_trees]") {
    planted f;
    f.sets                = {{0, 1}, {3}, {2, 5, 7}};
    f.coefs               = {2.0, -1.5, 1.0};
    const int           n = 20;
    prng                rng(21, PRNG_STREAM_USER + 311);
    mask_matrix         train = sample_uniform_masks(n, 3000, rng);
    mask_matrix         test  = sample_uniform_masks(n, 1000, rng);
    std::vector<double> y_clean(train.count), y_noisy(train.count), y_test(test.count);
    for (size_t r = 0; r < train.count; ++r) {
        y_clean[r] = f.at(train.row(r));
        y_noisy[r] = y_clean[r] + 0.05 * rng.normal();
    }
    for (size_t r = 0; r < test.count; ++r) {
        y_test[r] = f.at(test.row(r));
    }

    SECTION("noiseless: held-out R^2 > 0.99") {
        gbt_selection_report rep;
        const gbt_ensemble   ens = fit_gbt_selected(train, y_clean, 7, &rep);
        CHECK(rep.valid_r2 > 0.99);
        CHECK(r2(ens, test, y_test) > 0.99);
        CHECK(rep.grid.size() >= 2);
        CHECK(rep.train_rows + rep.valid_rows == train.count);
        CHECK(static_cast<size_t>(rep.chosen.trees) == ens.trees.size());
    }

    SECTION("noisy: the largest Fourier terms are the planted ones") {
        const gbt_ensemble ens = fit_gbt_selected(train, y_noisy, 7, nullptr);
        CHECK(r2(ens, test, y_test) > 0.98);
        sparse_fourier four = ensemble_fourier(ens);
        four.sort_by_magnitude();
        const auto truth = f.fourier();
        REQUIRE(four.terms.size() >= truth.size());
        // The top |truth| terms are exactly the planted frequencies, each within 0.04.
        for (size_t i = 0; i < truth.size(); ++i) {
            const auto it = truth.find(four.terms[i].set);
            REQUIRE(it != truth.end());
            CHECK(std::fabs(four.terms[i].coef - it->second) < 0.04);
        }
        // Everything else is small.
        for (size_t i = truth.size(); i < four.terms.size(); ++i) {
            CHECK(std::fabs(four.terms[i].coef) < 0.04);
        }
    }
}

TEST_CASE("boosted_trees: early stopping trace", "[boosted_trees]") {
    const int           n = 12;
    prng                rng(4, PRNG_STREAM_USER + 312);
    mask_matrix         m = sample_uniform_masks(n, 400, rng);
    std::vector<double> y(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = double(m.keeps(r, 0)) + rng.normal();  // mostly noise: overfits quickly
    }
    std::vector<size_t> train, valid;
    for (size_t r = 0; r < m.count; ++r) {
        (r % 4 == 0 ? valid : train).push_back(r);
    }
    gbt_params p;
    p.max_depth      = 5;
    p.trees          = 200;
    p.learning_rate  = 0.5;
    p.min_leaf       = 1;
    p.early_stopping = 10;
    gbt_fit_trace      tr;
    const gbt_ensemble ens = fit_gbt(m, y, train, p, &valid, &tr);
    CHECK(tr.fitted_trees < 200);
    CHECK(tr.valid_mse.size() == static_cast<size_t>(tr.fitted_trees) + 1);
    CHECK(ens.trees.size() == static_cast<size_t>(tr.best_trees));
    CHECK(tr.fitted_trees - tr.best_trees == 10);
    for (double v : tr.valid_mse) {
        CHECK(v >= tr.best_mse);
    }
    CHECK(tr.valid_mse[static_cast<size_t>(tr.best_trees)] == tr.best_mse);

    p.early_stopping       = 0;
    p.trees                = 30;
    const gbt_ensemble all = fit_gbt(m, y, train, p, &valid, &tr);
    CHECK(all.trees.size() == 30);
    CHECK(tr.valid_mse.size() == 31);
}

TEST_CASE("boosted_trees: same seed gives an identical ensemble", "[boosted_trees]") {
    const int           n = 30;
    prng                rng(8, PRNG_STREAM_USER + 313);
    mask_matrix         m = sample_uniform_masks(n, 800, rng);
    std::vector<double> y(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = double(m.keeps(r, 1) && m.keeps(r, 2)) - 0.5 * m.keeps(r, 9) + 0.1 * rng.normal();
    }
    gbt_selection_report ra, rb;
    const gbt_ensemble   a = fit_gbt_selected(m, y, 99, &ra);
    const gbt_ensemble   b = fit_gbt_selected(m, y, 99, &rb);
    require_same_structure(a, b, 0.0);
    CHECK(ra.valid_r2 == rb.valid_r2);
    CHECK(ra.chosen.max_depth == rb.chosen.max_depth);
    REQUIRE(ra.grid.size() == rb.grid.size());
    for (size_t i = 0; i < ra.grid.size(); ++i) {
        CHECK(ra.grid[i].valid_r2 == rb.grid[i].valid_r2);
        CHECK(ra.grid[i].best_trees == rb.grid[i].best_trees);
    }
}

TEST_CASE("boosted_trees: works on few rows and on constant data", "[boosted_trees]") {
    const int   n = 20;
    prng        rng(9, PRNG_STREAM_USER + 314);
    mask_matrix m    = sample_uniform_masks(n, 200, rng);
    mask_matrix test = sample_uniform_masks(n, 500, rng);
    auto f = [](const uint64_t * x) { return 1.0 * mask_keeps(x, 0) + 2.0 * (mask_keeps(x, 4) && mask_keeps(x, 6)); };
    std::vector<double> y(m.count), yt(test.count);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = f(m.row(r));
    }
    for (size_t r = 0; r < test.count; ++r) {
        yt[r] = f(test.row(r));
    }
    gbt_selection_report rep;
    const gbt_ensemble   ens = fit_gbt_selected(m, y, 1, &rep);
    CHECK(rep.valid_rows == 40);
    CHECK(r2(ens, test, yt) > 0.95);

    std::vector<double> constant(m.count, 2.5);
    const gbt_ensemble  c = fit_gbt_selected(m, constant, 1, &rep);
    CHECK(c.base == 2.5);
    for (size_t r = 0; r < test.count; ++r) {
        CHECK(c.predict(test.row(r)) == 2.5);
    }
    const auto four = ensemble_fourier(c);
    REQUIRE(four.terms.size() == 1);
    CHECK(four.terms[0].set.empty());
}

TEST_CASE("boosted_trees: bad inputs throw spex_error", "[boosted_trees]") {
    prng                rng(10, PRNG_STREAM_USER + 315);
    mask_matrix         m = sample_uniform_masks(8, 50, rng);
    std::vector<double> y(m.count, 1.0);
    const auto          rows = iota_rows(m.count);
    gbt_params          p;

    CHECK_THROWS_AS(fit_gbt(m, std::vector<double>(10, 1.0), rows, p), spex_error);
    std::vector<double> nan_y = y;
    nan_y[3]                  = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(fit_gbt(m, nan_y, rows, p), spex_error);
    nan_y[3] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(fit_gbt_selected(m, nan_y, 1, nullptr), spex_error);
    CHECK_THROWS_AS(fit_gbt(m, y, {}, p), spex_error);
    CHECK_THROWS_AS(fit_gbt(m, y, {0, 50}, p), spex_error);
    const std::vector<size_t> bad_valid{51};
    CHECK_THROWS_AS(fit_gbt(m, y, rows, p, &bad_valid), spex_error);

    gbt_params q = p;
    q.max_depth  = 0;
    CHECK_THROWS_AS(fit_gbt(m, y, rows, q), spex_error);
    q               = p;
    q.learning_rate = 0.0;
    CHECK_THROWS_AS(fit_gbt(m, y, rows, q), spex_error);
    q          = p;
    q.min_leaf = 0;
    CHECK_THROWS_AS(fit_gbt(m, y, rows, q), spex_error);
    q         = p;
    q.leaf_l2 = -1.0;
    CHECK_THROWS_AS(fit_gbt(m, y, rows, q), spex_error);
    q       = p;
    q.trees = -1;
    CHECK_THROWS_AS(fit_gbt(m, y, rows, q), spex_error);

    mask_matrix few = sample_uniform_masks(8, gbt_min_selection_rows - 1, rng);
    CHECK_THROWS_AS(fit_gbt_selected(few, std::vector<double>(few.count, 0.0), 1, nullptr), spex_error);
    mask_matrix none(0, 20);
    CHECK_THROWS_AS(fit_gbt_selected(none, std::vector<double>(20, 0.0), 1, nullptr), spex_error);
}

TEST_CASE("boosted_trees: selection time at 4000 x 60", "[.bench][boosted_trees_bench]") {
    const int n = 60;
    prng      rng(2025, PRNG_STREAM_USER + 316);
    planted   f;
    for (int t = 0; t < 12; ++t) {
        feature_set s;
        const int   d = 1 + static_cast<int>(rng.below(3));
        while (static_cast<int>(s.size()) < d) {
            const int i = static_cast<int>(rng.below(n));
            if (std::find(s.begin(), s.end(), i) == s.end()) {
                s.push_back(i);
            }
        }
        std::sort(s.begin(), s.end());
        f.sets.push_back(s);
        f.coefs.push_back(2.0 * rng.uniform() - 1.0);
    }
    mask_matrix         m    = sample_uniform_masks(n, 4000, rng);
    mask_matrix         test = sample_uniform_masks(n, 2000, rng);
    std::vector<double> y(m.count), yt(test.count);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = f.at(m.row(r)) + 0.1 * rng.normal();
    }
    for (size_t r = 0; r < test.count; ++r) {
        yt[r] = f.at(test.row(r));
    }
    gbt_selection_report rep;
    const auto           t0   = std::chrono::steady_clock::now();
    const gbt_ensemble   ens  = fit_gbt_selected(m, y, 5, &rep);
    const auto           t1   = std::chrono::steady_clock::now();
    const auto           four = ensemble_fourier(ens);
    const auto           t2   = std::chrono::steady_clock::now();
    std::printf("fit_gbt_selected 4000x60: %.1f ms, ensemble_fourier %.1f ms (%zu terms), held-out R^2 %.4f\n",
                std::chrono::duration<double, std::milli>(t1 - t0).count(),
                std::chrono::duration<double, std::milli>(t2 - t1).count(), four.terms.size(), r2(ens, test, yt));
    for (const auto & g : rep.grid) {
        std::printf("  depth %d lr %.2f min_leaf %d: best %d trees, valid R^2 %.4f\n", g.params.max_depth,
                    g.params.learning_rate, g.params.min_leaf, g.best_trees, g.valid_r2);
    }
    std::printf("  chosen depth %d, %d trees\n", rep.chosen.max_depth, rep.chosen.trees);
}
