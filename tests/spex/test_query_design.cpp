// Query design: budget -> (t, b), masks against the defining formula, the aliasing identity,
// nested designs and imported subsampling matrices.
#include "spex/bin_columns.h"
#include "spex/mask_matrix.h"
#include "spex/prng.h"
#include "spex/query_design.h"
#include "spex/spex_error.h"
#include "spex/synthetic_function.h"

#include <catch2/catch.hpp>

#include <map>
#include <vector>

using namespace spex;

TEST_CASE("budget picks t and b analytically, lowering t when b would fall below 3", "[design]") {
    // n = 8, B = 500: t = 5 and 4 give p = 20 and b = 2; t = 3 gives p = 15, b = 3, 384 queries.
    const design_choice d = choose_design_for_budget(8, 500, 5, 2);
    CHECK(d.t == 3);
    CHECK(d.p == 15);
    CHECK(d.b == 3);
    CHECK(d.queries == 384);
    CHECK(d.t_asked == 5);
    CHECK_THAT(d.note, Catch::Contains("t = 3"));
}

TEST_CASE("budget never buys more than it pays for and caps b at 12", "[design]") {
    for (int n : {10, 60, 200, 1000, 4096}) {
        for (int64_t budget : {2000, 5000, 10000, 43008, 100000, 10000000}) {
            design_choice d;
            try {
                d = choose_design_for_budget(n, budget, 5, 2);
            } catch (const spex_error &) {
                continue;
            }
            INFO("n=" << n << " budget=" << budget);
            CHECK(d.queries <= budget);
            CHECK(d.queries == 3 * (d.p + 1) * (int64_t(1) << d.b));
            CHECK(d.b <= 12);
            if (d.b < 12 && d.t == 5) {
                CHECK(design_query_count(d.p, d.b + 1) > budget);  // the largest b that fits
            }
        }
    }
    // Query counts for t = 5, b = 8: 3 (p + 1) 2^8 with p from the BCH code of each n range.
    CHECK(choose_design_for_b(1000, 8, 5).queries == 43008);
    CHECK(choose_design_for_b(64, 6, 5).queries == 6912);
    CHECK(choose_design_for_b(4096, 4, 5).queries == 3168);
}

TEST_CASE("a budget below the floor is an error naming the minimum", "[design]") {
    CHECK_THROWS_WITH(choose_design_for_budget(1000, 500, 5, 2),
                      Catch::Contains("too small") && Catch::Contains("need >= 504"));
    CHECK_THROWS_AS(choose_design_for_b(0, 6, 5), spex_error);
    CHECK_THROWS_WITH(choose_design_for_b(4097, 6, 5), Catch::Contains("4096"));
    CHECK_THROWS_AS(choose_design_for_b(100, 0, 5), spex_error);
    CHECK_THROWS_AS(choose_design_for_b(100, 17, 5), spex_error);
}

TEST_CASE("masks are M_c l(z) XOR d_i with l read MSB-first", "[design]") {
    const design_choice   d = choose_design_for_b(70, 4, 3);
    const query_design    qd(d, 1234);
    const auto            M    = qd.subsampling();
    const bch_code &      code = qd.code();
    std::vector<uint64_t> mask(mask_words(70));
    for (size_t q = 0; q < qd.query_count(); q += 7) {
        qd.mask(q, mask.data());
        const int z = static_cast<int>(q % 16);
        const int i = static_cast<int>((q / 16) % (qd.p() + 1));
        const int c = static_cast<int>(q / 16 / (qd.p() + 1));
        for (int f = 0; f < 70; ++f) {
            int bit = (i > 0 && code.feature_parity[f].get(i - 1)) ? 1 : 0;
            for (int r = 0; r < 4; ++r) {
                bit ^= M[c][f][r] & ((z >> (3 - r)) & 1);
            }
            REQUIRE(mask_keeps(mask.data(), f) == (bit == 1));
        }
        REQUIRE((mask.back() >> (70 % 64)) == 0);  // padding stays zero
    }
}

TEST_CASE("each bin holds exactly the aliased coefficients (docs/method.md §3)", "[design]") {
    const int             n = 40;
    const design_choice   d = choose_design_for_b(n, 5, 4);
    const query_design    qd(d, 99);
    synthetic_function    f = random_sparse_function(n, 60, 4, 5);
    std::vector<double>   samples(qd.query_count());
    std::vector<uint64_t> mask(mask_words(n));
    for (size_t q = 0; q < samples.size(); ++q) {
        qd.mask(q, mask.data());
        samples[q] = f.clean_value(mask.data());
    }
    const bin_columns u = transform_samples(samples, spex_groups, qd.p(), qd.b());
    for (int c = 0; c < spex_groups; ++c) {
        std::map<uint32_t, std::vector<double>> expect;
        for (const synthetic_term & t : f.terms) {
            std::vector<double> & col = expect[qd.bin(c, t.set)];
            col.resize(qd.p() + 1, 0.0);
            const parity_word sig = qd.signature(t.set);
            col[0] += t.coef;
            for (int j = 0; j < qd.p(); ++j) {
                col[1 + j] += sig.get(j) ? -t.coef : t.coef;
            }
        }
        for (uint32_t j = 0; j < uint32_t(qd.bins()); ++j) {
            const double * got = u.col(c, j);
            for (int i = 0; i <= qd.p(); ++i) {
                const double want = expect.count(j) ? expect[j][i] : 0.0;
                REQUIRE(got[i] == Approx(want).margin(1e-12));
            }
        }
    }
}

TEST_CASE("same seed, smaller b: the design is nested in the larger one", "[design]") {
    const int             n = 100;
    const query_design    big(choose_design_for_b(n, 6, 5), 77);
    const query_design    small(choose_design_for_b(n, 4, 5), 77);
    std::vector<uint64_t> a(mask_words(n)), b(mask_words(n));
    for (int c = 0; c < spex_groups; ++c) {
        for (int f = 0; f < n; ++f) {
            REQUIRE(small.row(c, f) == (big.row(c, f) >> 2));
        }
    }
    // Sample z' of the small design is sample z' << 2 of the big one (same group and delay).
    for (size_t q = 0; q < small.query_count(); q += 5) {
        const size_t z = q % 16, ci = q / 16;
        small.mask(q, a.data());
        big.mask(ci * 64 + (z << 2), b.data());
        REQUIRE(a == b);
    }
}

TEST_CASE("imported subsampling matrices reproduce the design exactly", "[design]") {
    const design_choice   d = choose_design_for_b(33, 5, 5);
    const query_design    drawn(d, 5);
    const query_design    imported(d, drawn.subsampling());
    std::vector<uint64_t> a(1), b(1);
    for (size_t q = 0; q < drawn.query_count(); ++q) {
        drawn.mask(q, a.data());
        imported.mask(q, b.data());
        REQUIRE(a == b);
    }
    auto bad = drawn.subsampling();
    bad[1].pop_back();
    CHECK_THROWS_WITH(query_design(d, bad), Catch::Contains("rows"));
    bad = drawn.subsampling();
    bad.pop_back();
    CHECK_THROWS_AS(query_design(d, bad), spex_error);
}

TEST_CASE("bins first buys the largest b at t_floor, then the largest t that still fits", "[design]") {
    // n = 60: t = 5 needs p = 35, t = 2 only p = 12. A budget of 6,912 is t = 5 at b = 6
    // degree first, but b = 7 with t = 2 bins first.
    const design_choice degree = choose_design_for_budget(60, 6912, 5, 2);
    CHECK(degree.t == 5);
    CHECK(degree.b == 6);
    const design_choice bins = choose_design_bins_first(60, 6912, 5, 2);
    CHECK(bins.b == 7);
    CHECK(bins.t == 2);
    CHECK(bins.queries == design_query_count(parity_length(60, 2), 7));
    CHECK(bins.queries <= 6912);
    CHECK_FALSE(bins.note.empty());
    // When the larger b does not fit anyway, bins first keeps the highest t at the same b.
    // n = 11: t = 5 at b = 6 is 4,032 queries, t = 2 at b = 7 would be 4,224.
    const int64_t budget = design_query_count(parity_length(11, 5), 6);
    REQUIRE(design_query_count(parity_length(11, 2), 7) > budget);
    const design_choice same = choose_design_bins_first(11, budget, 5, 2);
    CHECK(same.b == 6);
    CHECK(same.t == 5);
    CHECK(same.note.empty());
    // Every choice stays within the budget and never below t_floor.
    for (int64_t b = 600; b < 200000; b = b * 3 / 2) {
        const design_choice d = choose_design_bins_first(100, b, 5, 3);
        CHECK(d.queries <= b);
        CHECK(d.t >= 3);
    }
    CHECK_THROWS_AS(choose_design_bins_first(60, 6912, 2, 3), spex_error);
}
