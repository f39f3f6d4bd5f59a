// The pull-based session API: any evaluation order, progress, errors a caller can act on,
// determinism, and masks that are bit-identical on every platform (golden hash).
#include "planted.h"
#include "spex/spex_error.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace spex;
using namespace spex_test;

namespace {

session_config small_config(uint64_t seed = 3) {
    session_config c;
    c.n       = 50;
    c.b       = 5;
    c.seed    = seed;
    c.holdout = 200;
    return c;
}

void evaluate(const synthetic_function & f, const mask_matrix & m, std::vector<double> & out) {
    out.resize(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        out[r] = f.clean_value(m.row(r));
    }
}

uint64_t fnv(uint64_t h, uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ull;
    }
    return h;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("values may arrive in any order and in any batch size", "[session]") {
    const synthetic_function f = random_sparse_function(50, 12, 3, 1);
    session                  in_order(small_config());
    const solve_result       a = run_session(
              in_order,
              [&](const mask_matrix & m, double * out) {
            for (size_t r = 0; r < m.count; ++r) {
                out[r] = f.clean_value(m.row(r));
            }
        },
              100);

    session                 s(small_config());
    std::vector<mask_batch> batches;
    while (!s.sampling_done()) {
        batches.push_back(s.next_batch(37));
    }
    CHECK(s.values_received() == 0);
    std::vector<double> values;
    for (auto it = batches.rbegin(); it != batches.rend(); ++it) {  // last batch first
        evaluate(f, it->masks, values);
        s.submit(it->first, values.data(), values.size());
    }
    CHECK(s.complete());
    CHECK(s.progress() == 1.0);
    const solve_result b = s.finish();
    REQUIRE(a.fourier.terms.size() == b.fourier.terms.size());
    for (size_t i = 0; i < a.fourier.terms.size(); ++i) {
        CHECK(a.fourier.terms[i].set == b.fourier.terms[i].set);
        CHECK(same_bits(a.fourier.terms[i].coef, b.fourier.terms[i].coef));
    }
}

TEST_CASE("masks can be fetched again for any range", "[session]") {
    session          s(small_config());
    const mask_batch first  = s.next_batch(64);
    const mask_batch second = s.next_batch(64);
    CHECK(second.first == 64);
    CHECK(s.masks(0, 64).bits == first.masks.bits);
    CHECK(s.masks(64, 64).bits == second.masks.bits);
    CHECK_THROWS_AS(s.masks(s.total_queries() - 1, 2), spex_error);
}

TEST_CASE("progress counts design and hold-out queries", "[session]") {
    session s(small_config());
    CHECK(s.holdout_queries() == 200);
    CHECK(s.design_queries() == size_t(s.design().queries));
    CHECK(s.total_queries() == s.design_queries() + 200);
    const mask_batch    b = s.next_batch(s.total_queries() / 2);
    std::vector<double> v(b.masks.count, 1.0);
    s.submit(b.first, v.data(), v.size());
    CHECK(s.progress() == Approx(double(b.masks.count) / s.total_queries()));
    CHECK_FALSE(s.complete());
}

TEST_CASE("bad submissions are refused with a message naming the query", "[session]") {
    session             s(small_config());
    const mask_batch    b = s.next_batch(10);
    std::vector<double> v(10, 0.5);
    v[3] = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(s.submit(b.first, v.data(), v.size()),
                      Catch::Contains("non-finite") && Catch::Contains("query 3"));
    CHECK(s.values_received() == 0);  // nothing from a refused batch is kept
    v[3] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(s.submit(b.first, v.data(), v.size()), spex_error);
    v[3] = 1e200;
    CHECK_THROWS_WITH(s.submit(b.first, v.data(), v.size()), Catch::Contains("rescale"));
    v[3] = 0.5;
    s.submit(b.first, v.data(), v.size());
    CHECK_THROWS_WITH(s.submit(b.first, v.data(), 1), Catch::Contains("already"));
    CHECK_THROWS_WITH(s.submit(s.total_queries(), v.data(), 1), Catch::Contains("do not fit"));
    CHECK_THROWS_WITH(s.finish(), Catch::Contains("10 of"));
}

TEST_CASE("invalid configurations fail at construction with actionable messages", "[session]") {
    session_config c = small_config();
    c.n              = 0;
    CHECK_THROWS_WITH(session(c), Catch::Contains("at least one feature"));
    c.n = 5000;
    CHECK_THROWS_WITH(session(c), Catch::Contains("4096"));
    c        = small_config();
    c.budget = 100;
    CHECK_THROWS_WITH(session(c), Catch::Contains("too small") && Catch::Contains("need >="));
    c         = small_config();
    c.holdout = -1;
    CHECK_THROWS_AS(session(c), spex_error);
    c   = small_config();
    c.t = 0;
    CHECK_THROWS_AS(session(c), spex_error);
    c                     = small_config();
    c.method              = METHOD_FAITH_BANZHAF;
    c.n                   = 400;
    c.b                   = 3;
    c.faith_banzhaf_order = 2;
    CHECK_THROWS_WITH(session(c), Catch::Contains("Faith-Banzhaf") && Catch::Contains("order 1"));
}

TEST_CASE("a small budget lowers t with a note, and the queries stay within it", "[session]") {
    session_config c = small_config();
    c.b              = 0;
    c.budget         = 800;  // t = 5 needs 864 at n = 50
    session s(c);
    CHECK(s.design().t < 5);
    CHECK(s.design().queries <= 800);
    CHECK_FALSE(s.design().note.empty());
    const synthetic_function f = random_sparse_function(50, 5, 2, 4);
    std::vector<double>      values;
    const solve_result       r = run_session(s, [&](const mask_matrix & m, double * out) {
        for (size_t i = 0; i < m.count; ++i) {
            out[i] = f.clean_value(m.row(i));
        }
    });
    REQUIRE_FALSE(r.notes.empty());
    CHECK_THAT(r.notes[0], Catch::Contains("too small"));
}

TEST_CASE("same seed gives bit-identical results, another seed other masks", "[session][determinism]") {
    synthetic_function f = random_sparse_function(120, 40, 4, 6);
    f.noise_sd           = 0.2;
    session_config c;
    c.n                  = 120;
    c.b                  = 6;
    c.seed               = 17;
    const solve_result a = solve_planted(f, c);
    const solve_result b = solve_planted(f, c);
    REQUIRE(a.fourier.terms.size() == b.fourier.terms.size());
    for (size_t i = 0; i < a.fourier.terms.size(); ++i) {
        REQUIRE(a.fourier.terms[i].set == b.fourier.terms[i].set);
        REQUIRE(same_bits(a.fourier.terms[i].coef, b.fourier.terms[i].coef));
    }
    CHECK(same_bits(a.faithfulness.r2, b.faithfulness.r2));

    session_config other = c;
    other.seed           = 18;
    CHECK(session(c).masks(0, 50).bits != session(other).masks(0, 50).bits);
}

TEST_CASE("masks for a fixed seed match the golden hash on every platform", "[session][determinism]") {
    // This hash was computed once natively; the same suite compiled to WebAssembly must
    // reproduce it, which is the engine's promise that a seed means the same masks everywhere.
    for (method_kind m : {METHOD_SPEX, METHOD_LIME, METHOD_KERNEL_SHAP, METHOD_FAITH_BANZHAF}) {
        session_config c;
        c.n                   = 100;
        c.b                   = 4;
        c.seed                = 20261124;
        c.holdout             = 100;
        c.method              = m;
        c.faith_banzhaf_order = 1;
        session           s(c);
        const mask_matrix all = s.masks(0, s.total_queries());
        uint64_t          h   = 0xcbf29ce484222325ull;
        for (uint64_t w : all.bits) {
            h = fnv(h, w);
        }
        INFO(method_name(m) << " hash " << h);
        const uint64_t golden[] = {2529966922628344225ull, 11646671404488053561ull, 8848193534411766069ull,
                                   11997931954204578575ull};
        CHECK(h == golden[m]);
    }
}

TEST_CASE("baselines run through the same session with equal query counts", "[session][baselines]") {
    const synthetic_function f = random_sparse_function(30, 10, 2, 7);
    session_config           base;
    base.n                     = 30;
    base.b                     = 5;
    base.seed                  = 2;
    const int64_t spex_queries = solve_planted(f, base).queries;
    for (method_kind m : {METHOD_LIME, METHOD_KERNEL_SHAP, METHOD_FAITH_BANZHAF}) {
        session_config c     = base;
        c.method             = m;
        const solve_result r = solve_planted(f, c);
        INFO(method_name(m));
        CHECK(r.queries == spex_queries);
        CHECK(r.method == m);
        CHECK(r.faithfulness.defined);
        CHECK(r.fourier.terms.size() > 0);
    }
    // Faith-Banzhaf of order 2 fits this degree-2 function exactly.
    session_config c      = base;
    c.method              = METHOD_FAITH_BANZHAF;
    c.faith_banzhaf_order = 2;
    CHECK(solve_planted(f, c).faithfulness.r2 > 0.999999);
}
