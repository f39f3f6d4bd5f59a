// Greedy + 1-swap removal search (docs/method.md §8 Rem(r)) against brute force at n <= 12.
#include "brute_force.h"
#include "spex/mask_matrix.h"
#include "spex/mobius.h"
#include "spex/removal_search.h"
#include "spex/spex_error.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using spex::feature_set;

namespace {

const double kTol = 1e-9;

uint32_t kept_mask(int n, const feature_set & removed) { return ((1u << n) - 1) & ~spex_bf::to_bits(removed); }

// Checks one direction (sign +1: decrease, -1: increase) against the value table.
void check_direction(const std::vector<spex::removal_step> & steps, const std::vector<double> & values, int n,
                     int max_removed, double sign) {
    const uint32_t full = (1u << n) - 1;
    CHECK(static_cast<int>(steps.size()) <= max_removed);
    double previous = values[full];
    for (size_t s = 0; s < steps.size(); ++s) {
        const spex::removal_step & step = steps[s];
        CHECK(step.removed_count == static_cast<int>(s) + 1);
        REQUIRE(static_cast<int>(step.removed.size()) == step.removed_count);
        CHECK(std::is_sorted(step.removed.begin(), step.removed.end()));
        CHECK(std::adjacent_find(step.removed.begin(), step.removed.end()) == step.removed.end());
        const uint32_t mask = kept_mask(n, step.removed);
        // The prediction is the surrogate at that mask, and moves strictly in its direction.
        CHECK(std::fabs(step.predicted - values[mask]) < kTol);
        CHECK(sign * step.predicted < sign * previous);
        previous = step.predicted;
        // 1-swap optimal: re-keeping one removed feature and removing one kept one never helps.
        for (int i : step.removed) {
            for (int j = 0; j < n; ++j) {
                if ((mask >> j) & 1u) {
                    const uint32_t swapped = (mask | (1u << i)) & ~(1u << j);
                    CHECK(sign * values[swapped] >= sign * values[mask] - kTol);
                }
            }
        }
    }
    // Stopping early means no single further removal moves the surrogate that way.
    if (static_cast<int>(steps.size()) < max_removed) {
        const uint32_t mask = steps.empty() ? full : kept_mask(n, steps.back().removed);
        for (int j = 0; j < n; ++j) {
            if ((mask >> j) & 1u) {
                CHECK(sign * values[mask & ~(1u << j)] >= sign * values[mask] - kTol);
            }
        }
    }
    // r = 1 is the best single removal, whenever one helps.
    double best_single = values[full];
    for (int j = 0; j < n; ++j) {
        best_single = sign > 0 ? std::min(best_single, values[full & ~(1u << j)])
                               : std::max(best_single, values[full & ~(1u << j)]);
    }
    if (sign * best_single < sign * values[full] - kTol) {
        REQUIRE_FALSE(steps.empty());
        CHECK(std::fabs(steps[0].predicted - best_single) < kTol);
    } else if (max_removed > 0) {
        CHECK(steps.empty());
    }
}

}  // namespace

TEST_CASE("removal search predictions are the surrogate at its masks, 1-swap optimal", "[removal]") {
    for (int trial = 0; trial < 24; ++trial) {
        spex::prng                 rng(1100 + static_cast<uint64_t>(trial), spex::PRNG_STREAM_USER);
        const int                  n           = 5 + trial % 8;  // 5..12
        const spex::sparse_fourier f           = spex_bf::random_fourier(rng, n, 6 + trial, 5);
        const std::vector<double>  values      = spex_bf::value_table(f);
        const int                  max_removed = std::min(n, 7);
        const spex::removal_result res         = spex::removal_search(f, max_removed);
        INFO("trial " << trial << ", n = " << n);
        CHECK(std::fabs(res.full_value - values.back()) < kTol);
        check_direction(res.decrease, values, n, max_removed, 1.0);
        check_direction(res.increase, values, n, max_removed, -1.0);
    }
}

TEST_CASE("removal search on a linear function removes by weight and stops", "[removal]") {
    // f = 3 x0 - x1 + 2 x2 - 4 x3 + 0.5 x4: removing a positive weight lowers f.
    const spex::sparse_fourier f =
        spex::mobius_to_fourier(5, {{{0}, 3.0}, {{1}, -1.0}, {{2}, 2.0}, {{3}, -4.0}, {{4}, 0.5}});
    const spex::removal_result res = spex::removal_search(f, 5);
    CHECK(res.full_value == Approx(0.5));
    REQUIRE(res.decrease.size() == 3);
    CHECK(res.decrease[0].removed == feature_set{0});
    CHECK(res.decrease[1].removed == feature_set{0, 2});
    CHECK(res.decrease[2].removed == feature_set{0, 2, 4});
    CHECK(res.decrease[2].predicted == Approx(-5.0));
    REQUIRE(res.increase.size() == 2);
    CHECK(res.increase[0].removed == feature_set{3});
    CHECK(res.increase[1].removed == feature_set{1, 3});
    CHECK(res.increase[1].predicted == Approx(5.5));
}

TEST_CASE("the swap pass finds a pair greedy extension misses", "[removal]") {
    // Möbius: f = -5 + 3 x0 + 7 x1 + 7 x2 - 5 x1 x2 = 3 x0 + 2 x1 + 2 x2 - 5 (1-x1)(1-x2).
    // f(1) = 7. Greedy: remove 0 (-> 4); then {0,1} or {0,2} gives 2, but {1,2} gives -2.
    const spex::sparse_fourier f =
        spex::mobius_to_fourier(4, {{{}, -5.0}, {{0}, 3.0}, {{1}, 7.0}, {{2}, 7.0}, {{1, 2}, -5.0}});
    const spex::removal_result res = spex::removal_search(f, 4);
    CHECK(res.full_value == Approx(7.0));
    REQUIRE(res.decrease.size() == 3);  // removing feature 3 never helps
    CHECK(res.decrease[0].removed == feature_set{0});
    CHECK(res.decrease[0].predicted == Approx(4.0));
    CHECK(res.decrease[1].removed == feature_set{1, 2});
    CHECK(res.decrease[1].predicted == Approx(-2.0));
    CHECK(res.decrease[2].removed == feature_set{0, 1, 2});
    CHECK(res.decrease[2].predicted == Approx(-5.0));
    CHECK(res.increase.empty());  // every removal lowers f
}

TEST_CASE("removal search edge cases", "[removal]") {
    spex::sparse_fourier f;
    f.n                                 = 3;
    f.terms                             = {{{}, 2.0}};
    const spex::removal_result constant = spex::removal_search(f, 3);
    CHECK(constant.full_value == 2.0);
    CHECK(constant.decrease.empty());
    CHECK(constant.increase.empty());
    f.terms = {{{0}, 1.0}};
    CHECK(spex::removal_search(f, 0).decrease.empty());
    CHECK(spex::removal_search(f, 10).decrease.size() <= 3);
    CHECK_THROWS_AS(spex::removal_search(f, -1), spex::spex_error);
    f.terms = {{{5}, 1.0}};
    CHECK_THROWS_WITH(spex::removal_search(f, 2), Catch::Contains("outside [0, n = 3)"));
}

TEST_CASE("removal search at n = 4096 with 5,000 terms", "[removal]") {
    spex::prng           rng(1200, spex::PRNG_STREAM_USER);
    spex::sparse_fourier f;
    f.n = 4096;
    for (int t = 0; t < 5000; ++t) {
        const int   degree = 1 + static_cast<int>(rng.below(5));
        feature_set k;
        while (static_cast<int>(k.size()) < degree) {
            const int i = static_cast<int>(rng.below(4096));
            if (std::find(k.begin(), k.end(), i) == k.end()) {
                k.push_back(i);
            }
        }
        std::sort(k.begin(), k.end());
        f.terms.push_back({k, 2.0 * rng.uniform() - 1.0});
    }
    f.canonicalize();
    const spex::removal_result res = spex::removal_search(f, 10);
    REQUIRE(res.decrease.size() == 10);
    REQUIRE(res.increase.size() == 10);
    spex::mask_matrix mask(4096, 1);
    for (int i = 0; i < 4096; ++i) {
        mask.set(0, i, true);
    }
    CHECK(std::fabs(res.full_value - f.evaluate(mask.row(0))) < 1e-9);
    for (const auto * steps : {&res.decrease, &res.increase}) {
        for (const spex::removal_step & step : *steps) {
            spex::mask_matrix m(4096, 1);
            for (int i = 0; i < 4096; ++i) {
                m.set(0, i, !std::binary_search(step.removed.begin(), step.removed.end(), i));
            }
            CHECK(std::fabs(step.predicted - f.evaluate(m.row(0))) < 1e-9);
        }
    }
    CHECK(res.decrease.back().predicted < res.full_value - 10.0);  // ten strong removals each way
    CHECK(res.increase.back().predicted > res.full_value + 10.0);
}
