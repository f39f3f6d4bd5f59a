// Möbius <-> Fourier conversions (docs/method.md §1, §7) against brute-force subset sums.
#include "brute_force.h"
#include "spex/mobius.h"
#include "spex/spex_error.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

using spex::feature_set;

namespace {

const double kTol = 1e-9;

}  // namespace

TEST_CASE("fourier_to_mobius matches the brute-force Möbius transform", "[mobius]") {
    for (int trial = 0; trial < 12; ++trial) {
        spex::prng                 rng(100 + static_cast<uint64_t>(trial), spex::PRNG_STREAM_USER);
        const int                  n = 6 + trial % 7;  // 6..12
        const spex::sparse_fourier f = spex_bf::random_fourier(rng, n, 25, 6);
        const std::vector<double>  a = spex_bf::mobius_table(spex_bf::value_table(f));

        const std::vector<spex::mobius_term> terms = spex::fourier_to_mobius(f);
        std::map<uint32_t, double>           got;
        for (const spex::mobius_term & t : terms) {
            REQUIRE(got.count(spex_bf::to_bits(t.set)) == 0);  // each set once
            got[spex_bf::to_bits(t.set)] = t.coef;
            CHECK(t.coef != 0.0);
        }
        for (uint32_t s = 0; s < a.size(); ++s) {
            const double expected = a[s];
            const double actual   = got.count(s) ? got[s] : 0.0;
            INFO("n = " << n << ", S bits = " << s);
            CHECK(std::fabs(actual - expected) < kTol);
        }
        // Sorted by |coef| descending, ties shorter first.
        for (size_t i = 1; i < terms.size(); ++i) {
            const double prev = std::fabs(terms[i - 1].coef);
            const double cur  = std::fabs(terms[i].coef);
            CHECK(prev >= cur);
            if (prev == cur) {
                CHECK(terms[i - 1].set.size() <= terms[i].set.size());
            }
        }
    }
}

TEST_CASE("fourier_to_mobius of one degree-3 term spreads (-2)^|S| F over its subsets", "[mobius]") {
    spex::sparse_fourier f;
    f.n              = 5;
    f.terms          = {{{1, 2, 4}, 0.5}};
    const auto terms = spex::fourier_to_mobius(f);
    REQUIRE(terms.size() == 8);
    CHECK(terms[0].set == feature_set{1, 2, 4});
    CHECK(terms[0].coef == -4.0);
    std::map<feature_set, double> got;
    for (const auto & t : terms) {
        got[t.set] = t.coef;
    }
    CHECK(got[feature_set{}] == 0.5);
    CHECK(got[feature_set{2}] == -1.0);
    CHECK(got[feature_set{1, 4}] == 2.0);
}

TEST_CASE("mobius_to_fourier reproduces f(x) = sum over kept subsets of a(S)", "[mobius]") {
    for (int trial = 0; trial < 10; ++trial) {
        spex::prng rng(200 + static_cast<uint64_t>(trial), spex::PRNG_STREAM_USER);
        const int  n = 5 + trial % 8;  // 5..12
        // Random Möbius terms: reuse the Fourier generator only for its random sets.
        const spex::sparse_fourier     sets = spex_bf::random_fourier(rng, n, 20, 6);
        std::vector<spex::mobius_term> a;
        for (const auto & t : sets.terms) {
            a.push_back({t.set, t.coef});
        }
        a.push_back(a.front());  // a duplicate set must be summed

        const spex::sparse_fourier f = spex::mobius_to_fourier(n, a);
        CHECK(f.n == n);
        const std::vector<double> values = spex_bf::value_table(f);
        for (uint32_t x = 0; x < values.size(); ++x) {
            double expected = 0.0;
            for (const auto & t : a) {
                const uint32_t s = spex_bf::to_bits(t.set);
                if ((s & x) == s) {
                    expected += t.coef;
                }
            }
            INFO("n = " << n << ", x = " << x);
            CHECK(std::fabs(values[x] - expected) < kTol);
        }
    }
}

TEST_CASE("Fourier -> Möbius -> Fourier is the identity", "[mobius]") {
    for (int trial = 0; trial < 8; ++trial) {
        spex::prng                    rng(300 + static_cast<uint64_t>(trial), spex::PRNG_STREAM_USER);
        const int                     n    = 12;
        const spex::sparse_fourier    f    = spex_bf::random_fourier(rng, n, 30, 6);
        const spex::sparse_fourier    back = spex::mobius_to_fourier(n, spex::fourier_to_mobius(f));
        std::map<feature_set, double> original, round;
        for (const auto & t : f.terms) {
            original[t.set] = t.coef;
        }
        for (const auto & t : back.terms) {
            round[t.set] = t.coef;
        }
        for (const auto & kv : original) {
            CHECK(std::fabs(round[kv.first] - kv.second) < 1e-12);
        }
        for (const auto & kv : round) {
            if (!original.count(kv.first)) {
                CHECK(std::fabs(kv.second) < 1e-12);  // only cancellation residue may appear
            }
        }
    }
}

TEST_CASE("Möbius expansion refuses terms above max_expand_degree", "[mobius]") {
    spex::sparse_fourier f;
    f.n = 40;
    feature_set big;
    for (int i = 0; i < 17; ++i) {
        big.push_back(2 * i);
    }
    f.terms = {{{0}, 1.0}, {big, 0.25}};
    CHECK_THROWS_AS(spex::fourier_to_mobius(f), spex::spex_error);
    CHECK_THROWS_WITH(spex::fourier_to_mobius(f),
                      Catch::Contains("max_expand_degree = 16") && Catch::Contains("degree 17"));
    CHECK_THROWS_AS(spex::fourier_to_mobius(f, 99), spex::spex_error);

    feature_set mid(big.begin(), big.begin() + 12);
    f.terms = {{{0}, 1.0}, {mid, 0.25}};
    CHECK_THROWS_WITH(spex::fourier_to_mobius(f, 11), Catch::Contains("max_expand_degree = 11"));
    CHECK(spex::fourier_to_mobius(f, 12).size() == (size_t(1) << 12));  // {0} ⊆ mid adds no new set

    std::vector<spex::mobius_term> a = {{mid, 1.0}};
    CHECK_THROWS_AS(spex::mobius_to_fourier(40, a, 11), spex::spex_error);
    CHECK(spex::mobius_to_fourier(40, a, 12).terms.size() == (size_t(1) << 12));
}

TEST_CASE("mobius_to_fourier rejects malformed sets", "[mobius]") {
    CHECK_THROWS_WITH(spex::mobius_to_fourier(4, {{{1, 4}, 1.0}}), Catch::Contains("outside [0, n = 4)"));
    CHECK_THROWS_WITH(spex::mobius_to_fourier(4, {{{2, 1}, 1.0}}), Catch::Contains("increasing"));
    CHECK_THROWS_AS(spex::mobius_to_fourier(4, {{{1, 1}, 1.0}}), spex::spex_error);
    CHECK_THROWS_AS(spex::mobius_to_fourier(4, {{{-1}, 1.0}}), spex::spex_error);
}
