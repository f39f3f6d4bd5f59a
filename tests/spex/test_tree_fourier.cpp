// tree_fourier: the Fourier transform of trees and ensembles against brute-force
// evaluation at every mask, including paths that test a feature twice.
#include "spex/mask_matrix.h"
#include "spex/prng.h"
#include "spex/proxy/boosted_trees.h"
#include "spex/proxy/tree_fourier.h"
#include "spex/spex_error.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace spex;

namespace {

// Appends a random subtree of at most `depth` levels and returns its root index. Features may
// repeat on a path when `allow_repeats` is set.
int random_subtree(gbt_tree & t, int n, int depth, bool allow_repeats, std::vector<int> & used, prng & rng) {
    const int idx = static_cast<int>(t.nodes.size());
    t.nodes.emplace_back();
    if (depth == 0 || rng.uniform() < 0.2) {
        t.nodes[static_cast<size_t>(idx)].value = 2.0 * rng.uniform() - 1.0;
        return idx;
    }
    int f = 0;
    do {
        f = static_cast<int>(rng.below(static_cast<uint64_t>(n)));
    } while (!allow_repeats && std::find(used.begin(), used.end(), f) != used.end());
    used.push_back(f);
    const int c0 = random_subtree(t, n, depth - 1, allow_repeats, used, rng);
    const int c1 = random_subtree(t, n, depth - 1, allow_repeats, used, rng);
    used.pop_back();
    gbt_node & nd = t.nodes[static_cast<size_t>(idx)];
    nd.feature    = f;
    nd.child0     = c0;
    nd.child1     = c1;
    return idx;
}

gbt_tree random_tree(int n, int depth, bool allow_repeats, prng & rng) {
    gbt_tree         t;
    std::vector<int> used;
    random_subtree(t, n, depth, allow_repeats, used, rng);
    return t;
}

// Max |f(x) - g(x)| over all 2^n masks.
template <class F, class G> double max_error_all_masks(int n, const F & f, const G & g) {
    mask_matrix m(n, 1);
    double      err = 0.0;
    for (uint64_t x = 0; x < (uint64_t(1) << n); ++x) {
        m.row(0)[0] = x;
        err         = std::max(err, std::fabs(f(m.row(0)) - g(m.row(0))));
    }
    return err;
}

// Fills every row of m (n < 64) with a random mask, y with value(mask) (drawn after the mask, so
// a noisy value keeps the generator's order), and rows with 0..count-1.
template <typename F>
void planted_rows(mask_matrix & m, prng & rng, std::vector<double> & y, std::vector<size_t> & rows, F value) {
    y.assign(m.count, 0.0);
    rows.resize(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        m.row(r)[0] = rng.next_u64() & ((uint64_t(1) << m.n) - 1);
        y[r]        = value(m.row(r)[0]);
        rows[r]     = r;
    }
}

}  // namespace

TEST_CASE("tree_fourier: single trees match brute force at every mask", "[tree_fourier]") {
    prng rng(11, PRNG_STREAM_USER + 300);
    for (int trial = 0; trial < 40; ++trial) {
        const int      n       = 1 + static_cast<int>(rng.below(12));
        const bool     repeats = trial % 2 == 1;
        const int      depth   = std::min(repeats ? 6 : n, 1 + static_cast<int>(rng.below(6)));
        const gbt_tree t       = random_tree(n, depth, repeats, rng);
        const auto     four    = tree_fourier(t, n);
        CHECK(four.n == n);
        CHECK(four.max_degree() <= t.depth());
        const double err = max_error_all_masks(
            n, [&](const uint64_t * x) { return t.predict(x); }, [&](const uint64_t * x) { return four.evaluate(x); });
        CHECK(err < 1e-9);
    }
}

TEST_CASE("tree_fourier: repeated and contradictory tests on a path", "[tree_fourier]") {
    // Root tests x0; its 1-child tests x0 again (child0 unreachable, child1 = x0 reached twice).
    gbt_tree t;
    t.nodes.resize(5);
    t.nodes[0]      = {0, 1, 2, 0.0};
    t.nodes[1]      = {-1, -1, -1, 3.0};    // x0 = 0
    t.nodes[2]      = {0, 3, 4, 0.0};       // x0 = 1, test x0 again
    t.nodes[3]      = {-1, -1, -1, 100.0};  // unreachable: x0 = 1 and x0 = 0
    t.nodes[4]      = {-1, -1, -1, 5.0};
    const auto four = tree_fourier(t, 2);
    // f = 3 [x0 = 0] + 5 [x0 = 1] = 4 - chi_0
    REQUIRE(four.terms.size() == 2);
    CHECK(four.terms[0].set == feature_set{});
    CHECK(four.terms[0].coef == 4.0);
    CHECK(four.terms[1].set == feature_set{0});
    CHECK(four.terms[1].coef == -1.0);
}

TEST_CASE("tree_fourier: ensembles match brute force at every mask", "[tree_fourier]") {
    prng rng(12, PRNG_STREAM_USER + 301);
    for (int trial = 0; trial < 10; ++trial) {
        gbt_ensemble ens;
        ens.n    = 4 + static_cast<int>(rng.below(9));
        ens.base = 2.0 * rng.uniform() - 1.0;
        for (int k = 0; k < 20; ++k) {
            ens.trees.push_back(random_tree(ens.n, 1 + static_cast<int>(rng.below(4)), k % 3 == 0, rng));
        }
        const auto four = ensemble_fourier(ens);
        CHECK(four.n == ens.n);
        const double err = max_error_all_masks(
            ens.n, [&](const uint64_t * x) { return ens.predict(x); },
            [&](const uint64_t * x) { return four.evaluate(x); });
        CHECK(err < 1e-9);
        // Canonical: strictly increasing sets, no zeros.
        for (size_t i = 0; i < four.terms.size(); ++i) {
            CHECK(four.terms[i].coef != 0.0);
            if (i > 0) {
                CHECK(four.terms[i - 1].set < four.terms[i].set);
            }
        }
    }
}

TEST_CASE("tree_fourier: a fitted ensemble matches brute force", "[tree_fourier]") {
    const int           n = 10;
    mask_matrix         m(n, 600);
    prng                rng(5, PRNG_STREAM_USER + 302);
    std::vector<double> y;
    std::vector<size_t> rows;
    planted_rows(m, rng, y, rows,
                 [&](uint64_t x) { return 1.5 * double((x & 3) == 3) - double((x >> 4) & 1) + 0.3 * rng.normal(); });
    gbt_params p;
    p.max_depth             = 4;
    p.trees                 = 30;
    const gbt_ensemble ens  = fit_gbt(m, y, rows, p);
    const auto         four = ensemble_fourier(ens);
    const double       err  = max_error_all_masks(
               n, [&](const uint64_t * x) { return ens.predict(x); }, [&](const uint64_t * x) { return four.evaluate(x); });
    CHECK(err < 1e-9);
    CHECK(four.max_degree() <= 4);
}

namespace {

// The reference accumulation: a std::map, each leaf's expansion added in the order the
// transform documents (trees in order, leaves depth first with child0 first, subsets by their
// bit pattern over the ascending path features).
void reference_leaves(const gbt_tree & t, int node, std::vector<std::pair<int, int>> & path,
                      std::map<feature_set, double> & acc) {
    const gbt_node & nd = t.nodes[static_cast<size_t>(node)];
    if (nd.feature >= 0) {
        path.push_back({nd.feature, 0});
        reference_leaves(t, nd.child0, path, acc);
        path.back().second = 1;
        reference_leaves(t, nd.child1, path, acc);
        path.pop_back();
        return;
    }
    if (nd.value == 0.0) {
        return;
    }
    std::vector<std::pair<int, int>> cond = path;  // fitted trees test distinct features
    std::sort(cond.begin(), cond.end());
    const size_t d     = cond.size();
    const double scale = nd.value / static_cast<double>(uint64_t(1) << d);
    for (uint64_t s = 0; s < (uint64_t(1) << d); ++s) {
        feature_set set;
        bool        negative = false;
        for (size_t j = 0; j < d; ++j) {
            if ((s >> j) & 1u) {
                set.push_back(cond[j].first);
                negative ^= cond[j].second == 1;
            }
        }
        acc[set] += negative ? -scale : scale;
    }
}

}  // namespace

TEST_CASE("tree_fourier: coefficients are bit-identical to a std::map accumulation", "[tree_fourier][determinism]") {
    // The transform finds its sets through a hash table; every sum must still be the one an
    // ordered map accumulating in arrival order gives (tens of thousands of sets: the table grows).
    const int           n = 40;
    prng                rng(9, PRNG_STREAM_USER + 303);
    mask_matrix         m(n, 1500);
    std::vector<double> y;
    std::vector<size_t> rows;
    planted_rows(m, rng, y, rows,
                 [&](uint64_t x) { return double((x & 7) == 7) - 0.5 * double((x >> 9) & 1) + rng.normal(); });
    gbt_params p;
    p.max_depth            = 5;
    p.trees                = 150;
    p.min_leaf             = 1;
    const gbt_ensemble ens = fit_gbt(m, y, rows, p);

    std::map<feature_set, double> acc;
    acc[feature_set{}] += ens.base;
    std::vector<std::pair<int, int>> path;
    for (const gbt_tree & t : ens.trees) {
        reference_leaves(t, 0, path, acc);
    }
    std::vector<fourier_term> want;
    for (const auto & [set, coef] : acc) {
        if (coef != 0.0) {
            want.push_back({set, coef});
        }
    }
    const sparse_fourier got = ensemble_fourier(ens);
    REQUIRE(want.size() > 5000);
    REQUIRE(got.terms.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        CHECK(got.terms[i].set == want[i].set);
        CHECK(std::memcmp(&got.terms[i].coef, &want[i].coef, sizeof(double)) == 0);
    }
}

TEST_CASE("tree_fourier: malformed trees throw", "[tree_fourier]") {
    gbt_tree empty;
    CHECK_THROWS_AS(tree_fourier(empty, 3), spex_error);

    gbt_tree bad_child;
    bad_child.nodes.resize(2);
    bad_child.nodes[0] = {1, 1, 7, 0.0};
    CHECK_THROWS_AS(tree_fourier(bad_child, 3), spex_error);

    gbt_tree bad_feature;
    bad_feature.nodes.resize(3);
    bad_feature.nodes[0] = {5, 1, 2, 0.0};
    CHECK_THROWS_AS(tree_fourier(bad_feature, 3), spex_error);

    gbt_tree cycle;
    cycle.nodes.resize(2);
    cycle.nodes[0] = {0, 0, 1, 0.0};
    CHECK_THROWS_AS(tree_fourier(cycle, 3), spex_error);
}
