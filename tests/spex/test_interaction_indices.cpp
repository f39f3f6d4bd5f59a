// Interaction indices (docs/method.md §7) against brute-force definitions over all 2^n masks:
// discrete-derivative sums (SII, BII, STII), least-squares fits (FBII, FSII), the
// Bernoulli aggregation (k-SII), and the Möbius-weighted sums of the §7 table.
#include "brute_force.h"
#include "spex/attributions.h"
#include "spex/interaction_indices.h"
#include "spex/mobius.h"
#include "spex/spex_error.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <map>
#include <set>

using spex::feature_set;
using spex::index_kind;

namespace {

const double kTol = 1e-9;

const index_kind kAllKinds[] = {spex::INDEX_MOBIUS, spex::INDEX_FOURIER, spex::INDEX_SII,  spex::INDEX_BII,
                                spex::INDEX_STII,   spex::INDEX_FSII,    spex::INDEX_FBII, spex::INDEX_KSII,
                                spex::INDEX_SV,     spex::INDEX_BV};

std::map<uint32_t, double> by_bits(const spex::interaction_index & idx) {
    std::map<uint32_t, double> out;
    for (const spex::index_value & v : idx.values) {
        const uint32_t bits = spex_bf::to_bits(v.set);
        REQUIRE(out.count(bits) == 0);
        out[bits] = v.value;
    }
    return out;
}

// Compares idx with expected(T) on every T of size min_q..order; idx may hold nothing else.
void check_index(const spex::interaction_index & idx, int n, int min_q, int order,
                 const std::function<double(uint32_t)> & expected) {
    std::map<uint32_t, double> got = by_bits(idx);
    for (uint32_t t : spex_bf::subsets_up_to(n, order)) {
        if (spex_bf::popcount(t) < min_q) {
            continue;
        }
        const double want   = expected(t);
        const double actual = got.count(t) ? got[t] : 0.0;
        INFO(spex::index_kind_name(idx.kind)
             << " order " << order << ", n = " << n << ", T bits = " << t << ": got " << actual << ", want " << want);
        CHECK(std::fabs(actual - want) < kTol);
        got.erase(t);
    }
    CHECK(got.empty());  // no value outside the index's sets
}

// Möbius weight w(r, q) of the docs/method.md §7 table, transcribed independently of the engine.
double table_weight(index_kind kind, int l, int r, int q) {
    using spex_bf::binomial;
    switch (kind) {
    case spex::INDEX_MOBIUS:
        return r == q ? 1.0 : 0.0;
    case spex::INDEX_FOURIER:
        return (q % 2 ? -1.0 : 1.0) * std::ldexp(1.0, -r);
    case spex::INDEX_SII:
        return 1.0 / (r - q + 1);
    case spex::INDEX_BII:
        return std::ldexp(1.0, q - r);
    case spex::INDEX_STII:
        return q < l ? (r == q ? 1.0 : 0.0) : 1.0 / binomial(r, l);
    case spex::INDEX_FSII:
        if (r == q) {
            return 1.0;
        }
        return r <= l ? 0.0
                      : ((l - q) % 2 ? -1.0 : 1.0) * q / (l + q) * binomial(l, q) * binomial(r - 1, l) /
                            binomial(r + l - 1, l + q);
    case spex::INDEX_FBII:
        if (r == q) {
            return 1.0;
        }
        return r <= l ? 0.0 : ((l - q) % 2 ? -1.0 : 1.0) * std::ldexp(1.0, q - r) * binomial(r - q - 1, l - q);
    case spex::INDEX_KSII: {
        if (q == 0) {
            return r == 0 ? 1.0 : 0.0;
        }
        double w = 0.0;
        for (int j = 0; j <= std::min(l, r) - q; ++j) {
            w += binomial(r - q, j) * spex_bf::bernoulli(j) / (r - q - j + 1);
        }
        return w;
    }
    case spex::INDEX_SV:
        return 1.0 / (r - q + 1);
    case spex::INDEX_BV:
        return std::ldexp(1.0, q - r);
    }
    return 0.0;
}

int min_size(index_kind kind) {
    return (kind == spex::INDEX_SII || kind == spex::INDEX_BII || kind == spex::INDEX_SV || kind == spex::INDEX_BV) ? 1
                                                                                                                    : 0;
}

double sii_brute(const std::vector<double> & values, int n, uint32_t t) {
    const int      q    = spex_bf::popcount(t);
    const uint32_t rest = ((1u << n) - 1) & ~t;
    double         sum  = 0.0;
    for (uint32_t s = rest;; s = (s - 1) & rest) {
        const int size = spex_bf::popcount(s);
        sum += spex_bf::factorial(size) * spex_bf::factorial(n - size - q) / spex_bf::factorial(n - q + 1) *
               spex_bf::discrete_derivative(values, t, s);
        if (s == 0) {
            break;
        }
    }
    return sum;
}

// Solves min sum_x weight(x) (f(x) - sum_{T ⊆ x} c(T))^2 over T in `sets` (∅ first, then
// {0}), with f(0) and f(1) held exact when `pin_ends` (weights infinite there). The pins
// are eliminated (c(∅) = f(0); c({0}) absorbs f(1) - sum of the rest), not approximated by
// large weights, so the fit is accurate to rounding.
std::vector<double> subset_fit(const std::vector<double> & values, int n, const std::vector<uint32_t> & sets,
                               const std::function<double(int)> & weight, bool pin_ends) {
    const uint32_t full = (1u << n) - 1;
    const size_t   m    = sets.size();
    REQUIRE(sets[0] == 0);
    REQUIRE(sets[1] == 1);
    const size_t    first_free = pin_ends ? 2 : 0;
    Eigen::MatrixXd a(values.size(), m - first_free);
    Eigen::VectorXd y(values.size());
    a.setZero();
    y.setZero();
    for (uint32_t x = 0; x <= full; ++x) {
        if (pin_ends && (x == 0 || x == full)) {
            continue;  // rows left zero: the pins carry these masks exactly
        }
        const double w   = std::sqrt(weight(spex_bf::popcount(x)));
        double       rhs = values[x];
        if (pin_ends) {
            rhs -= values[0];  // c(∅)
            if (x & 1u) {
                rhs -= values[full] - values[0];  // c({0}) = f(1) - f(0) - sum of the free c
            }
        }
        y(x) = w * rhs;
        for (size_t c = first_free; c < m; ++c) {
            double coef = (sets[c] & x) == sets[c] ? 1.0 : 0.0;
            if (pin_ends && (x & 1u)) {
                coef -= 1.0;
            }
            a(x, static_cast<Eigen::Index>(c - first_free)) = w * coef;
        }
    }
    const Eigen::VectorXd sol = a.colPivHouseholderQr().solve(y);
    std::vector<double>   c(m, 0.0);
    for (size_t i = first_free; i < m; ++i) {
        c[i] = sol(static_cast<Eigen::Index>(i - first_free));
    }
    if (pin_ends) {
        c[0]        = values[0];
        double rest = 0.0;
        for (size_t i = 2; i < m; ++i) {
            rest += c[i];
        }
        c[1] = values[full] - values[0] - rest;
    }
    return c;
}

struct fixture {
    int                  n;
    spex::sparse_fourier f;
    std::vector<double>  values;
    std::vector<double>  a;
};

fixture make_fixture(uint64_t seed, int n, int terms) {
    spex::prng rng(seed, spex::PRNG_STREAM_USER);
    fixture    fx{n, spex_bf::random_fourier(rng, n, terms, 6), {}, {}};
    fx.values = spex_bf::value_table(fx.f);
    fx.a      = spex_bf::mobius_table(fx.values);
    return fx;
}

}  // namespace

TEST_CASE("index names parse case-insensitively and round-trip", "[indices]") {
    for (index_kind kind : kAllKinds) {
        index_kind parsed = spex::INDEX_MOBIUS;
        REQUIRE(spex::parse_index_kind(spex::index_kind_name(kind), parsed));
        CHECK(parsed == kind);
    }
    const std::pair<const char *, index_kind> aliases[] = {
        {"Möbius", spex::INDEX_MOBIUS},   {"MÖBIUS", spex::INDEX_MOBIUS}, {"moebius", spex::INDEX_MOBIUS},
        {"FOURIER", spex::INDEX_FOURIER}, {"sii", spex::INDEX_SII},       {"Bii", spex::INDEX_BII},
        {"stii", spex::INDEX_STII},       {"fSII", spex::INDEX_FSII},     {"fbii", spex::INDEX_FBII},
        {"K-SII", spex::INDEX_KSII},      {"ksii", spex::INDEX_KSII},     {"Shapley", spex::INDEX_SV},
        {"sv", spex::INDEX_SV},           {"BANZHAF", spex::INDEX_BV},    {"bv", spex::INDEX_BV}};
    for (const auto & alias : aliases) {
        index_kind parsed = spex::INDEX_MOBIUS;
        INFO(alias.first);
        REQUIRE(spex::parse_index_kind(alias.first, parsed));
        CHECK(parsed == alias.second);
    }
    index_kind untouched = spex::INDEX_BV;
    for (const char * bad : {"", "sii2", "k sii", "shap", " fourier"}) {
        CHECK_FALSE(spex::parse_index_kind(bad, untouched));
    }
    CHECK(untouched == spex::INDEX_BV);
    CHECK(spex::index_kind_list() == "mobius, fourier, SII, BII, STII, FSII, FBII, k-SII, SV, BV");
}

TEST_CASE("SII and BII match their discrete-derivative sums", "[indices]") {
    for (int trial = 0; trial < 4; ++trial) {
        const fixture fx    = make_fixture(500 + static_cast<uint64_t>(trial), 7 + trial, 20);
        const int     n     = fx.n;
        const int     order = 3;
        check_index(spex::compute_interaction_index(fx.f, spex::INDEX_SII, order), n, 1, order,
                    [&](uint32_t t) { return sii_brute(fx.values, n, t); });
        check_index(spex::compute_interaction_index(fx.f, spex::INDEX_BII, order), n, 1, order, [&](uint32_t t) {
            const uint32_t rest = ((1u << n) - 1) & ~t;
            double         sum  = 0.0;
            for (uint32_t s = rest;; s = (s - 1) & rest) {
                sum += spex_bf::discrete_derivative(fx.values, t, s);
                if (s == 0) {
                    break;
                }
            }
            return std::ldexp(sum, spex_bf::popcount(t) - n);
        });
    }
}

TEST_CASE("STII matches the Shapley-Taylor derivative sum at q = order and a(T) below", "[indices]") {
    for (int trial = 0; trial < 4; ++trial) {
        const fixture fx = make_fixture(600 + static_cast<uint64_t>(trial), 7 + trial, 20);
        const int     n  = fx.n;
        for (int order = 1; order <= 3; ++order) {
            check_index(spex::compute_interaction_index(fx.f, spex::INDEX_STII, order), n, 0, order, [&](uint32_t t) {
                if (spex_bf::popcount(t) < order) {
                    return fx.a[t];
                }
                const uint32_t rest = ((1u << n) - 1) & ~t;
                double         sum  = 0.0;
                for (uint32_t s = rest;; s = (s - 1) & rest) {
                    sum +=
                        spex_bf::discrete_derivative(fx.values, t, s) / spex_bf::binomial(n - 1, spex_bf::popcount(s));
                    if (s == 0) {
                        break;
                    }
                }
                return static_cast<double>(order) / n * sum;
            });
        }
    }
}

TEST_CASE("FBII is the uniform least-squares fit and FSII the Shapley-weighted one", "[indices]") {
    for (int trial = 0; trial < 3; ++trial) {
        const fixture fx = make_fixture(700 + static_cast<uint64_t>(trial), 7 + trial, 20);
        const int     n  = fx.n;
        for (int order = 1; order <= 3; ++order) {
            const std::vector<uint32_t> sets = spex_bf::subsets_up_to(n, order);  // ∅ then {0} first
            const std::vector<double>   fb   = subset_fit(
                    fx.values, n, sets, [](int) { return 1.0; }, false);
            const std::vector<double> fs = subset_fit(
                fx.values, n, sets, [n](int s) { return (n - 1) / (spex_bf::binomial(n, s) * s * (n - s)); }, true);
            std::map<uint32_t, double> fb_map, fs_map;
            for (size_t i = 0; i < sets.size(); ++i) {
                fb_map[sets[i]] = fb[i];
                fs_map[sets[i]] = fs[i];
            }
            check_index(spex::compute_interaction_index(fx.f, spex::INDEX_FBII, order), n, 0, order,
                        [&](uint32_t t) { return fb_map.at(t); });
            check_index(spex::compute_interaction_index(fx.f, spex::INDEX_FSII, order), n, 0, order,
                        [&](uint32_t t) { return fs_map.at(t); });
        }
    }
}

TEST_CASE("k-SII aggregates SII with Bernoulli numbers, is efficient, and spans SV to Möbius", "[indices]") {
    for (int trial = 0; trial < 4; ++trial) {
        const fixture              fx = make_fixture(800 + static_cast<uint64_t>(trial), 6 + trial, 20);
        const int                  n  = fx.n;
        std::map<uint32_t, double> sii;
        for (uint32_t t : spex_bf::subsets_up_to(n, n)) {
            if (t != 0) {
                sii[t] = sii_brute(fx.values, n, t);
            }
        }
        for (int order = 1; order <= 4; ++order) {
            const spex::interaction_index idx = spex::compute_interaction_index(fx.f, spex::INDEX_KSII, order);
            check_index(idx, n, 0, order, [&](uint32_t t) {
                if (t == 0) {
                    return fx.a[0];
                }
                double sum = 0.0;  // sum over S ⊇ T, |S| <= order of B_{|S|-|T|} SII(S)
                for (const auto & kv : sii) {
                    if ((kv.first & t) == t && spex_bf::popcount(kv.first) <= order) {
                        sum += spex_bf::bernoulli(spex_bf::popcount(kv.first) - spex_bf::popcount(t)) * kv.second;
                    }
                }
                return sum;
            });
            // Efficiency: all values, ∅ included, add up to f(1).
            double total = 0.0;
            for (const auto & v : idx.values) {
                total += v.value;
            }
            CHECK(std::fabs(total - fx.values.back()) < kTol);
        }
        // Order 1 gives the Shapley values (and a(∅)); order n gives every Möbius coefficient.
        const std::vector<double> phi = spex::shapley_values(fx.f);
        check_index(spex::compute_interaction_index(fx.f, spex::INDEX_KSII, 1), n, 0, 1,
                    [&](uint32_t t) { return t == 0 ? fx.a[0] : phi[static_cast<size_t>(__builtin_ctz(t))]; });
        check_index(spex::compute_interaction_index(fx.f, spex::INDEX_KSII, n), n, 0, n,
                    [&](uint32_t t) { return fx.a[t]; });
    }
}

TEST_CASE("the Fourier-direct route matches the Möbius-weighted sums of the §7 table", "[indices]") {
    for (int trial = 0; trial < 3; ++trial) {
        const fixture                        fx     = make_fixture(900 + static_cast<uint64_t>(trial), 10 + trial, 30);
        const std::vector<spex::mobius_term> mobius = spex::fourier_to_mobius(fx.f);
        for (index_kind kind : kAllKinds) {
            for (int order = 1; order <= 5; ++order) {
                const int effective               = (kind == spex::INDEX_SV || kind == spex::INDEX_BV) ? 1 : order;
                const spex::interaction_index idx = spex::compute_interaction_index(fx.f, kind, order);
                CHECK(idx.kind == kind);
                CHECK(idx.order == effective);
                check_index(idx, fx.n, min_size(kind), effective, [&](uint32_t t) {
                    double    sum = 0.0;
                    const int q   = spex_bf::popcount(t);
                    for (const spex::mobius_term & m : mobius) {
                        const uint32_t r = spex_bf::to_bits(m.set);
                        if ((r & t) == t) {
                            sum += table_weight(kind, effective, spex_bf::popcount(r), q) * m.coef;
                        }
                    }
                    return sum;
                });
            }
        }
    }
}

TEST_CASE("index values: supports, ∅ rules, order and sorting", "[indices]") {
    const fixture fx = make_fixture(1000, 11, 25);
    for (index_kind kind : kAllKinds) {
        const spex::interaction_index idx       = spex::compute_interaction_index(fx.f, kind, 3);
        bool                          has_empty = false;
        for (size_t i = 0; i < idx.values.size(); ++i) {
            const spex::index_value & v = idx.values[i];
            CHECK(v.value != 0.0);
            CHECK(static_cast<int>(v.set.size()) <= idx.order);
            has_empty          = has_empty || v.set.empty();
            bool inside_a_term = false;
            for (const auto & t : fx.f.terms) {
                inside_a_term = inside_a_term || spex::is_subset(v.set, t.set);
            }
            CHECK(inside_a_term);
            if (i > 0) {
                const spex::index_value & p = idx.values[i - 1];
                CHECK(spex::explanation_order(p.set, p.value, v.set, v.value));
            }
        }
        INFO(spex::index_kind_name(kind));
        CHECK(has_empty == (min_size(kind) == 0));
    }
    // SV and BV are the attribution vectors, at order 1 whatever order is asked.
    const std::vector<double> phi  = spex::shapley_values(fx.f);
    const std::vector<double> beta = spex::banzhaf_values(fx.f);
    check_index(spex::compute_interaction_index(fx.f, spex::INDEX_SV, 4), fx.n, 1, 1,
                [&](uint32_t t) { return phi[static_cast<size_t>(__builtin_ctz(t))]; });
    check_index(spex::compute_interaction_index(fx.f, spex::INDEX_BV, 4), fx.n, 1, 1,
                [&](uint32_t t) { return beta[static_cast<size_t>(__builtin_ctz(t))]; });
    // Fourier at order 2 is exactly the terms of degree <= 2.
    std::map<uint32_t, double> low;
    for (const auto & t : fx.f.terms) {
        if (t.set.size() <= 2) {
            low[spex_bf::to_bits(t.set)] = t.coef;
        }
    }
    check_index(spex::compute_interaction_index(fx.f, spex::INDEX_FOURIER, 2), fx.n, 0, 2,
                [&](uint32_t t) { return low.count(t) ? low[t] : 0.0; });
    CHECK_THROWS_AS(spex::compute_interaction_index(fx.f, spex::INDEX_SII, 0), spex::spex_error);
    CHECK_THROWS_WITH(spex::compute_interaction_index(fx.f, spex::INDEX_FSII, -2), Catch::Contains("order"));
}

TEST_CASE("closed-form weights equal the generic exact sums up to degree 30", "[indices]") {
    const index_kind closed[] = {spex::INDEX_MOBIUS, spex::INDEX_FOURIER, spex::INDEX_SII, spex::INDEX_BII,
                                 spex::INDEX_FBII,   spex::INDEX_SV,      spex::INDEX_BV};
    for (index_kind kind : closed) {
        for (int order = 1; order <= 6; ++order) {
            for (int d = 0; d <= 30; ++d) {
                for (int q = 0; q <= std::min(d, order); ++q) {
                    const double fast    = spex::fourier_index_weight(kind, order, d, q);
                    const double generic = spex::fourier_index_weight_generic(kind, order, d, q);
                    INFO(spex::index_kind_name(kind) << " order " << order << " W(" << d << ", " << q << ")");
                    CHECK(std::fabs(fast - generic) <= 1e-14 * std::fabs(generic));
                }
            }
        }
    }
    // Spot values: SII W(30, 2) = 4 / 29; FBII drops terms above its order; BII keeps only d = q.
    CHECK(spex::fourier_index_weight(spex::INDEX_SII, 3, 30, 2) == Approx(4.0 / 29.0).epsilon(1e-15));
    CHECK(spex::fourier_index_weight_generic(spex::INDEX_FBII, 3, 30, 2) == 0.0);
    CHECK(spex::fourier_index_weight_generic(spex::INDEX_BII, 3, 30, 2) == 0.0);
    CHECK(spex::fourier_index_weight_generic(spex::INDEX_BII, 3, 2, 2) == 4.0);
}

TEST_CASE("exact weights of STII, FSII and k-SII match the direct sum at small degree", "[indices]") {
    // At d <= 12 the alternating sum in doubles is still accurate to ~1e-10.
    const index_kind generic_only[] = {spex::INDEX_STII, spex::INDEX_FSII, spex::INDEX_KSII};
    for (index_kind kind : generic_only) {
        for (int order = 1; order <= 6; ++order) {
            for (int d = 0; d <= 12; ++d) {
                for (int q = 0; q <= std::min(d, order); ++q) {
                    double direct = 0.0;
                    for (int j = 0; j <= d - q; ++j) {
                        direct += spex_bf::binomial(d - q, j) * std::pow(-2.0, j) * table_weight(kind, order, q + j, q);
                    }
                    direct *= std::pow(-2.0, q);
                    INFO(spex::index_kind_name(kind) << " order " << order << " W(" << d << ", " << q << ")");
                    CHECK(spex::fourier_index_weight(kind, order, d, q) == Approx(direct).margin(1e-9));
                }
            }
        }
    }
}

TEST_CASE("efficient indices stay efficient at degree 30 (exact weights, no cancellation)", "[indices]") {
    // A degree-d term contributes sum_q C(d, q) W(d, q) to the sum of all values, and must
    // contribute its value at the full mask, (-1)^d. In doubles W(30, q) would be noise.
    // (FBII is not efficient: its values add up to the degree-<=order Fourier truncation at x = 1.)
    const index_kind efficient[] = {spex::INDEX_STII, spex::INDEX_FSII, spex::INDEX_KSII};
    for (index_kind kind : efficient) {
        for (int order = 1; order <= 6; ++order) {
            for (int d = 0; d <= 30; ++d) {
                double total = 0.0, scale = 0.0;
                for (int q = 0; q <= std::min(d, order); ++q) {
                    const double w = spex::fourier_index_weight(kind, order, d, q);
                    REQUIRE(std::isfinite(w));
                    total += spex_bf::binomial(d, q) * w;
                    scale += spex_bf::binomial(d, q) * std::fabs(w);
                }
                INFO(spex::index_kind_name(kind) << " order " << order << ", d = " << d);
                CHECK(std::fabs(total - (d % 2 ? -1.0 : 1.0)) <= 1e-12 * std::max(1.0, scale));
            }
        }
    }
}

TEST_CASE("high-degree terms give finite indices matching the closed forms", "[indices]") {
    spex::sparse_fourier f;
    f.n = 40;
    feature_set deg30, deg24;
    for (int i = 0; i < 30; ++i) {
        deg30.push_back(i);
    }
    for (int i = 10; i < 34; ++i) {
        deg24.push_back(i);
    }
    f.terms         = {{deg30, 0.7}, {deg24, -0.4}, {{}, 1.5}, {{3}, 0.3}, {{12, 35}, -0.8}, {{1, 20, 39}, 0.25}};
    const int order = 3;

    // SII(T) = (-2)^q sum_{k ⊇ T, |k|-q even} F(k) / (|k|-q+1); BII(T) = (-2)^q F(T);
    // FBII(T) = (-2)^q sum_{k ⊇ T, |k| <= order} F(k).
    auto closed = [&](index_kind kind, const feature_set & t) {
        const int q   = static_cast<int>(t.size());
        double    sum = 0.0;
        for (const auto & term : f.terms) {
            const int d = static_cast<int>(term.set.size());
            if (!spex::is_subset(t, term.set)) {
                continue;
            }
            if (kind == spex::INDEX_SII && (d - q) % 2 == 0) {
                sum += term.coef / (d - q + 1);
            } else if (kind == spex::INDEX_BII && d == q) {
                sum += term.coef;
            } else if (kind == spex::INDEX_FBII && d <= order) {
                sum += term.coef;
            }
        }
        return std::pow(-2.0, q) * sum;
    };
    for (index_kind kind : {spex::INDEX_SII, spex::INDEX_BII, spex::INDEX_FBII}) {
        const spex::interaction_index idx = spex::compute_interaction_index(f, kind, order);
        CHECK(idx.values.size() > 0);
        std::set<feature_set> seen;
        for (const auto & v : idx.values) {
            INFO(spex::index_kind_name(kind) << " set size " << v.set.size());
            CHECK(std::fabs(v.value - closed(kind, v.set)) <= 1e-12 * std::max(1.0, std::fabs(v.value)));
            seen.insert(v.set);
        }
        // Every T of size <= 3 inside deg30 with a nonzero closed form is reported.
        for (int i = 0; i < 30; i += 7) {
            for (int j = i + 1; j < 30; j += 5) {
                const feature_set t{i, j};
                if (closed(kind, t) != 0.0) {
                    CHECK(seen.count(t) == 1);
                }
            }
        }
    }
    const double f_full = [&] {
        double v = 0.0;
        for (const auto & t : f.terms) {
            v += t.set.size() % 2 ? -t.coef : t.coef;
        }
        return v;
    }();
    for (index_kind kind : {spex::INDEX_STII, spex::INDEX_FSII, spex::INDEX_KSII}) {
        for (int l = 1; l <= 3; ++l) {
            const spex::interaction_index idx   = spex::compute_interaction_index(f, kind, l);
            double                        total = 0.0;
            for (const auto & v : idx.values) {
                REQUIRE(std::isfinite(v.value));
                CHECK(std::fabs(v.value) < 1e3);
                total += v.value;
            }
            INFO(spex::index_kind_name(kind) << " order " << l);
            CHECK(std::fabs(total - f_full) < 1e-9);
        }
    }
    // k-SII of order 1 is the Shapley vector (plus a(∅)) at any degree.
    const std::vector<double> phi = spex::shapley_values(f);
    for (const auto & v : spex::compute_interaction_index(f, spex::INDEX_KSII, 1).values) {
        if (v.set.size() == 1) {
            CHECK(v.value == Approx(phi[static_cast<size_t>(v.set[0])]).epsilon(1e-12));
        }
    }
}

TEST_CASE("weights too large for exact arithmetic fail with an actionable error", "[indices]") {
    spex::sparse_fourier f;
    f.n = 100;
    feature_set big;
    for (int i = 0; i < 95; ++i) {
        big.push_back(i);
    }
    f.terms = {{big, 1.0}};
    CHECK_THROWS_WITH(spex::compute_interaction_index(f, spex::INDEX_FSII, 4),
                      Catch::Contains("FSII") && Catch::Contains("degree 95") && Catch::Contains("overflow"));
    // Closed forms have no such limit.
    const spex::interaction_index sii = spex::compute_interaction_index(f, spex::INDEX_SII, 2);
    // q = 1: (-2) / (94 + 1) per feature; q = 2: d - q = 93 is odd, so exactly 0.
    CHECK(sii.values.size() == 95);
    CHECK(sii.values.front().value == Approx(-2.0 / 95.0).epsilon(1e-15));
}
