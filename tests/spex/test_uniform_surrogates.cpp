// The uniform-design methods through the session: distinct uniform masks with the all-kept and
// all-masked rows first, planted functions recovered by ProxySPEX, ridge and auto, auto's choice
// on two planted cases built so each candidate wins once, early results (snapshots) that leave
// the final result unchanged, and determinism (golden hash, native and WebAssembly alike).
#include "planted.h"
#include "spex/baselines/baseline_sampling.h"
#include "spex/baselines/ridge_fourier.h"
#include "spex/spex_error.h"
#include "spex/uniform_surrogates.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace spex;
using namespace spex_test;

namespace {

uint64_t fnv(uint64_t h, uint64_t w) {
    for (int i = 0; i < 8; ++i) {
        h ^= (w >> (8 * i)) & 0xFF;
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t bits_of(double x) {
    uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

session_config uniform_config(method_kind m, int n, int64_t budget, uint64_t seed = 5) {
    session_config c;
    c.n       = n;
    c.method  = m;
    c.budget  = budget;
    c.seed    = seed;
    c.holdout = 500;
    return c;
}

// A function given by Möbius (AND) terms over 0/1 features, as a synthetic_function.
synthetic_function mobius_function(int n, const std::vector<std::pair<feature_set, double>> & terms) {
    synthetic_function f;
    f.n = n;
    std::map<feature_set, double> fourier;
    for (const auto & [set, coef] : terms) {
        // prod_{i in S} x_i = 2^-|S| sum_{T ⊆ S} (-1)^|T| chi_T
        const size_t k = set.size();
        for (uint32_t sub = 0; sub < (uint32_t(1) << k); ++sub) {
            feature_set t;
            for (size_t j = 0; j < k; ++j) {
                if (sub & (uint32_t(1) << j)) {
                    t.push_back(set[j]);
                }
            }
            fourier[t] += coef * ((t.size() % 2) ? -1.0 : 1.0) / double(uint32_t(1) << k);
        }
    }
    for (const auto & [set, coef] : fourier) {
        if (coef != 0.0) {
            f.terms.push_back({set, coef});
        }
    }
    return f;
}

}  // namespace

TEST_CASE("distinct uniform masks: all kept, all masked, then no repeats", "[uniform]") {
    prng        rng(3, PRNG_STREAM_BASELINE);
    mask_matrix m = sample_distinct_uniform_masks(70, 3000, rng);
    REQUIRE(m.count == 3000);
    for (int i = 0; i < 70; ++i) {
        CHECK(m.keeps(0, i));
        CHECK_FALSE(m.keeps(1, i));
    }
    std::set<std::vector<uint64_t>> seen;
    for (size_t r = 0; r < m.count; ++r) {
        CHECK(seen.emplace(m.row(r), m.row(r) + m.words).second);
        CHECK((m.row(r)[1] >> 6) == 0);  // padding bits past n = 70 stay zero
    }

    SECTION("a small n asks for more masks than exist: each of the 2^n once") {
        prng        small_rng(3, PRNG_STREAM_BASELINE);
        mask_matrix all = sample_distinct_uniform_masks(6, 500, small_rng);
        REQUIRE(all.count == 64);
        CHECK(all.row(0)[0] == 63);
        CHECK(all.row(1)[0] == 0);
        std::set<uint64_t> rows;
        for (size_t r = 0; r < all.count; ++r) {
            rows.insert(all.row(r)[0]);
        }
        CHECK(rows.size() == 64);
    }
    SECTION("n = 40 is not a small n (2^40 masks; size_t is 32 bits in WebAssembly)") {
        prng        rng40(1, PRNG_STREAM_BASELINE);
        mask_matrix m40 = sample_distinct_uniform_masks(40, 4000, rng40);
        CHECK(m40.count == 4000);
    }
}

TEST_CASE("uniform designs hand out the hold-out masks first", "[uniform][session]") {
    session_config c = uniform_config(METHOD_PROXY_SPEX, 30, 1000);
    session        s(c);
    CHECK(s.uniform_design());
    CHECK(s.design_queries() == 1000);
    CHECK(s.holdout_queries() == 500);
    const mask_matrix first = s.masks(500, 2);  // the design's anchors come right after the hold-out
    for (int i = 0; i < 30; ++i) {
        CHECK(first.keeps(0, i));
        CHECK_FALSE(first.keeps(1, i));
    }
    CHECK_FALSE(session(uniform_config(METHOD_SPEX, 30, 1000)).uniform_design());
}

TEST_CASE("ProxySPEX, ridge and auto recover planted functions of degree <= 3", "[uniform][recovery]") {
    // Dense low-order terms plus a few of degree 3, with a little noise.
    synthetic_function f = mobius_function(24, {{{}, 0.5},
                                                {{1}, 1.5},
                                                {{4}, -1.0},
                                                {{9}, 0.7},
                                                {{2, 5}, 2.0},
                                                {{7, 8}, -1.2},
                                                {{3, 11, 17}, 1.8},
                                                {{0, 20, 22}, -1.0}});
    f.noise_sd           = 0.02;
    for (method_kind m : {METHOD_PROXY_SPEX, METHOD_AUTO}) {
        const solve_result r = solve_planted(f, uniform_config(m, 24, 3000));
        INFO(method_name(m) << " chose " << r.diagnostics.surrogate.chosen);
        const recovery_score sc = score(f, r.fourier);
        CHECK(sc.recovered == sc.planted);
        CHECK(sc.max_error < 0.05);
        CHECK(r.faithfulness.r2 > 0.99);
        CHECK(r.uniform_design);
        CHECK(r.diagnostics.surrogate.proxy.present);
        CHECK(r.diagnostics.surrogate.proxy.holdout_scored);
    }
    // Ridge of order 3 holds every term of degree <= 3: exact up to the noise.
    session_config c        = uniform_config(METHOD_RIDGE, 24, 3000);
    c.ridge_order           = 3;
    const solve_result   r  = solve_planted(f, c);
    const recovery_score sc = score(f, r.fourier);
    CHECK(sc.recovered == sc.planted);
    CHECK(sc.max_error < 0.05);
    CHECK(r.faithfulness.r2 > 0.99);
}

TEST_CASE("auto picks ridge for a dense pairwise function and ProxySPEX for a high-order one", "[uniform][auto]") {
    SECTION("every pair interacts a little: ridge-2 holds them all, trees must approximate") {
        std::vector<std::pair<feature_set, double>> terms;
        prng                                        rng(11, PRNG_STREAM_USER);
        for (int i = 0; i < 16; ++i) {
            terms.push_back({{i}, rng.normal()});
            for (int j = i + 1; j < 16; ++j) {
                terms.push_back({{i, j}, 0.5 * rng.normal()});
            }
        }
        synthetic_function f = mobius_function(16, terms);
        f.noise_sd           = 0.05;
        const solve_result r = solve_planted(f, uniform_config(METHOD_AUTO, 16, 1500));
        INFO("chose " << r.diagnostics.surrogate.chosen);
        CHECK(r.diagnostics.surrogate.chosen == "ridge-2");
        CHECK(r.faithfulness.r2 > 0.99);
    }
    SECTION("one AND of six words: no order-2 or 3 regression can hold it, the trees can") {
        synthetic_function f = mobius_function(40, {{{3}, 0.5}, {{2, 9, 14, 21, 30, 33}, 8.0}});
        f.noise_sd           = 0.01;
        const solve_result r = solve_planted(f, uniform_config(METHOD_AUTO, 40, 3000));
        INFO("chose " << r.diagnostics.surrogate.chosen);
        CHECK(r.diagnostics.surrogate.chosen == "proxyspex");
        CHECK(r.faithfulness.r2 > 0.95);
        const auto & scores = r.diagnostics.surrogate.candidates;
        REQUIRE(scores.size() >= 2);  // proxyspex and at least ridge-1, -2 were scored
        for (const candidate_score & s : scores) {
            CHECK(s.defined);
        }
    }
}

TEST_CASE("early results: snapshots fit a prefix and leave the final result unchanged", "[uniform][snapshot]") {
    synthetic_function   f = mobius_function(20, {{{}, 1.0}, {{2}, 1.0}, {{4, 6}, -2.0}, {{1, 3, 5}, 1.5}});
    const session_config c = uniform_config(METHOD_AUTO, 20, 2000);

    session uninterrupted(c);
    auto    evaluate = [&](const mask_matrix & m, double * out) {
        for (size_t r = 0; r < m.count; ++r) {
            out[r] = f.clean_value(m.row(r));
        }
    };
    const solve_result whole = run_session(uninterrupted, evaluate, 300);

    session             s(c);
    std::vector<double> values;
    int                 snapshots = 0;
    CHECK(s.snapshot_queries() == 0);
    CHECK_THROWS_AS(s.snapshot(), spex_error);
    while (!s.sampling_done()) {
        mask_batch batch = s.next_batch(300);
        values.assign(batch.masks.count, 0.0);
        evaluate(batch.masks, values.data());
        s.submit(batch.first, values.data(), values.size());
        if (s.snapshot_queries() >= s.min_snapshot_queries() && !s.complete()) {
            const solve_result early = s.snapshot();
            CHECK(early.partial);
            CHECK(early.queries == int64_t(s.snapshot_queries()));
            CHECK(early.faithfulness.holdout == 500);
            ++snapshots;
        }
    }
    CHECK(snapshots >= 3);
    const solve_result last = s.finish();
    CHECK_FALSE(last.partial);
    REQUIRE(last.fourier.terms.size() == whole.fourier.terms.size());
    for (size_t i = 0; i < last.fourier.terms.size(); ++i) {
        CHECK(last.fourier.terms[i].set == whole.fourier.terms[i].set);
        CHECK(bits_of(last.fourier.terms[i].coef) == bits_of(whole.fourier.terms[i].coef));
    }
    CHECK_THROWS_AS(session(uniform_config(METHOD_SPEX, 20, 2000)).snapshot(), spex_error);
}

TEST_CASE("early results of auto fit ridge orders with two calls per term, the rest join at the end",
          "[uniform][snapshot]") {
    // n = 20: ridge-1 has 21 terms, ridge-2 211, ridge-3 1,351. The final fit on 2,000 calls
    // tries ProxySPEX and all three; an early result only the orders with terms < calls / 2.
    synthetic_function   f = mobius_function(20, {{{}, 1.0}, {{2}, 1.0}, {{4, 6}, -2.0}, {{1, 3, 5}, 1.5}});
    const session_config c = uniform_config(METHOD_AUTO, 20, 2000);
    session              s(c);
    std::vector<double>  values;
    std::set<size_t>     seen_orders;
    bool                 past_ridge_3 = false;
    while (!s.sampling_done()) {
        mask_batch batch = s.next_batch(300);
        values.assign(batch.masks.count, 0.0);
        for (size_t r = 0; r < batch.masks.count; ++r) {
            values[r] = f.clean_value(batch.masks.row(r));
        }
        s.submit(batch.first, values.data(), values.size());
        if (s.snapshot_queries() < s.min_snapshot_queries() || s.complete()) {
            continue;
        }
        const size_t       rows  = s.snapshot_queries();
        const solve_result early = s.snapshot();
        REQUIRE(early.partial);
        std::vector<std::string> names;
        for (const candidate_score & score : early.diagnostics.surrogate.candidates) {
            names.push_back(score.name);
        }
        std::vector<std::string> expected = {"ridge-1"};
        if (211 < rows / 2) {
            expected.push_back("ridge-2");
        }
        CHECK(names == expected);
        seen_orders.insert(expected.size());
        REQUIRE_FALSE(early.notes.empty());
        const std::string & note = early.notes.back();
        if (expected.size() == 1) {
            CHECK(note.find("(ridge-1 only; ridge-2, ridge-3 and ProxySPEX join at the end)") != std::string::npos);
        } else {
            CHECK(note.find("(ridge-1 and ridge-2 only; ridge-3 and ProxySPEX join at the end)") != std::string::npos);
        }
        past_ridge_3 |= rows > 1351;  // ridge-3 then has fewer terms than calls, yet waits for the end
    }
    CHECK(seen_orders == std::set<size_t>{1, 2});
    CHECK(past_ridge_3);
    const solve_result       last = s.finish();
    std::vector<std::string> names;
    for (const candidate_score & score : last.diagnostics.surrogate.candidates) {
        names.push_back(score.name);
    }
    CHECK(names == std::vector<std::string>{"proxyspex", "ridge-1", "ridge-2", "ridge-3"});
}

TEST_CASE("uniform methods: same seed, bit-identical result, and a golden hash on every platform",
          "[uniform][determinism]") {
    // The masks and the fitted coefficients hash to constants computed once natively; the same
    // suite compiled to WebAssembly must reproduce them (every fit uses fixed-order arithmetic).
    synthetic_function f        = mobius_function(18, {{{}, 0.3}, {{1}, 1.0}, {{3, 4}, 1.5}, {{5, 6, 7}, -2.0}});
    f.noise_sd                  = 0.1;
    const method_kind methods[] = {METHOD_PROXY_SPEX, METHOD_RIDGE, METHOD_AUTO};
    // The three share their masks (one seed, one uniform design); auto chose ProxySPEX here.
    const uint64_t golden_masks     = 14904428350653398526ull;
    const uint64_t golden_results[] = {17838870659988569711ull, 3123466286572691739ull, 17838870659988569711ull};
    for (size_t k = 0; k < 3; ++k) {
        const method_kind    m = methods[k];
        const session_config c = uniform_config(m, 18, 800, 20261206);
        const solve_result   a = solve_planted(f, c);
        const solve_result   b = solve_planted(f, c);
        REQUIRE(a.fourier.terms.size() == b.fourier.terms.size());
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < a.fourier.terms.size(); ++i) {
            CHECK(a.fourier.terms[i].set == b.fourier.terms[i].set);
            CHECK(bits_of(a.fourier.terms[i].coef) == bits_of(b.fourier.terms[i].coef));
            for (int v : a.fourier.terms[i].set) {
                h = fnv(h, uint64_t(v));
            }
            h = fnv(h, bits_of(a.fourier.terms[i].coef));
        }
        session           s(c);
        const mask_matrix all = s.masks(0, s.total_queries());
        uint64_t          hm  = 0xcbf29ce484222325ull;
        for (uint64_t w : all.bits) {
            hm = fnv(hm, w);
        }
        INFO(method_name(m) << " result hash " << h << " mask hash " << hm);
        CHECK(hm == golden_masks);
        CHECK(h == golden_results[k]);
    }
}

TEST_CASE("uniform methods refuse what they cannot do with a message", "[uniform]") {
    CHECK_THROWS_WITH(session(uniform_config(METHOD_AUTO, 30, 10)), Catch::Contains("too small"));
    session_config c = uniform_config(METHOD_RIDGE, 30, 1000);
    c.ridge_order    = 4;
    CHECK_THROWS_WITH(session(c), Catch::Contains("ridge order"));
    c          = uniform_config(METHOD_AUTO, 30, 1000);
    c.cv_folds = 1;
    CHECK_THROWS_WITH(session(c), Catch::Contains("folds"));
    c = uniform_config(METHOD_AUTO, 30, 3000000);
    CHECK_THROWS_WITH(session(c), Catch::Contains("2,000,000"));
}

TEST_CASE("ridge anchors train every fold and are never scored", "[uniform][ridge_fourier]") {
    // Rows 0 and 1 (all kept, all masked) sit far from what uniform masks see: scored, they would
    // swamp the cross-validated R^2; as anchors they only train.
    prng                rng(77, PRNG_STREAM_BASELINE);
    mask_matrix         m = sample_distinct_uniform_masks(30, 1200, rng);
    std::vector<double> y(m.count);
    prng                noise(78, PRNG_STREAM_USER);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = (m.keeps(r, 3) ? 1.0 : 0.0) - (m.keeps(r, 7) ? 0.5 : 0.0) + 0.05 * noise.normal();
    }
    y[0] += 3.0;  // an all-kept output no first-order fit can reach (an AND of every word)
    y[1] -= 3.0;
    const std::vector<feature_set> support = all_sets_up_to_order(30, 1);
    ridge_options                  o;
    o.exact_max_parameters = 0;  // K-fold
    ridge_report scored, anchored;
    fit_ridge_fourier(m, y, support, o, &scored);
    o.anchors = 2;
    fit_ridge_fourier(m, y, support, o, &anchored);
    INFO("scored anchors: " << scored.cv_r2 << ", anchors kept out: " << anchored.cv_r2);
    CHECK(anchored.cv_defined);
    CHECK(anchored.cv_r2 > 0.9);
    CHECK(scored.cv_r2 < anchored.cv_r2 - 0.02);  // measured 0.947 against 0.988
    o.anchors = 1200;                             // no row left to score
    CHECK_THROWS_AS(fit_ridge_fourier(m, y, support, o, nullptr), spex_error);
}

TEST_CASE("ProxySPEX: the refit's penalty is cross-validated on all rows, the proxy scored as trees", "[uniform]") {
    synthetic_function f       = mobius_function(16, {{{}, 0.2}, {{0}, 1.0}, {{2, 3}, -1.5}, {{4, 5, 6}, 2.0}});
    f.noise_sd                 = 0.2;
    session_config           c = uniform_config(METHOD_PROXY_SPEX, 16, 1500, 11);
    const solve_result       r = solve_planted(f, c);
    const surrogate_report & s = r.diagnostics.surrogate;
    CHECK((s.ridge_selection == "gcv" || s.ridge_selection == "kfold"));  // GCV on this small support
    CHECK(s.proxy.present);
    CHECK(s.proxy.ridge_lambda == s.ridge_lambda);
    // A value of the default grid (rows x a power of ten).
    const double per_row = s.ridge_lambda / double(r.queries);
    bool         on_grid = false;
    for (double l : ridge_default_lambdas(1)) {
        on_grid = on_grid || std::fabs(per_row - l) <= 1e-12 * l;
    }
    CHECK(on_grid);
    CHECK(r.faithfulness.r2 > 0.9);
    CHECK(s.proxy.holdout_scored);  // from the trees' own predictions
    CHECK(s.proxy.holdout_r2 > 0.8);
}
