// BCH codes: generators against the published tables, parity lengths against the published BCH tables,
// the delay matrix against galois's recurrence, and divisibility of every codeword by g.
#include "spex/bch_code.h"
#include "spex/prng.h"
#include "spex/spex_error.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace spex;

namespace {

// Generator as an octal string, highest power first (the textbook tables' format).
std::string generator_octal(const bch_code & c) {
    std::vector<int> bits(c.generator.rbegin(), c.generator.rend());
    while (bits.size() % 3) {
        bits.insert(bits.begin(), 0);
    }
    std::string s;
    for (size_t i = 0; i < bits.size(); i += 3) {
        s += char('0' + bits[i] * 4 + bits[i + 1] * 2 + bits[i + 2]);
    }
    return s.substr(s.find_first_not_of('0'));
}

// n such that (n, t) lands on field degree m with parity length p.
int message_length(int m, int p) { return (1 << m) - 1 - p; }

// The codeword of message k: exponent n+p-1-q for feature q, p-1-j for parity bit j.
std::vector<uint8_t> codeword(const bch_code & c, const std::vector<int> & k) {
    std::vector<uint8_t> w(c.n + c.p, 0);
    const parity_word    par = delay_signature(c, k);
    for (int q : k) {
        w[c.n + c.p - 1 - q] ^= 1;
    }
    for (int j = 0; j < c.p; ++j) {
        w[c.p - 1 - j] = par.get(j) ? 1 : 0;
    }
    return w;
}

bool divisible_by_generator(std::vector<uint8_t> w, const std::vector<uint8_t> & g) {
    const int p = static_cast<int>(g.size()) - 1;
    for (int e = static_cast<int>(w.size()) - 1; e >= p; --e) {
        if (w[e]) {
            for (int i = 0; i <= p; ++i) {
                w[e - p + i] ^= g[i];
            }
        }
    }
    for (int e = 0; e < p; ++e) {
        if (w[e]) {
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("generators match the published BCH tables", "[bch]") {
    struct row {
        int          n, t;
        const char * octal;
        int          nc;
    };
    // Lin & Costello, Appendix C (same primitive polynomials as MATLAB/galois).
    const row rows[] = {
        {11, 1, "23", 15},   {7, 2, "721", 15},     {5, 3, "2467", 15},     {26, 1, "45", 31},
        {21, 2, "3551", 31}, {16, 3, "107657", 31}, {11, 5, "5423325", 31}, {6, 7, "313365047", 31},
        {57, 1, "103", 63},  {51, 2, "12471", 63},  {45, 3, "1701317", 63}, {36, 5, "1033500423", 63},
    };
    for (const row & r : rows) {
        const bch_code c = make_bch_code(r.n, r.t);
        INFO("n=" << r.n << " t=" << r.t);
        CHECK(c.nc == r.nc);
        CHECK(c.kc == r.n);
        CHECK(generator_octal(c) == r.octal);
    }
}

TEST_CASE("parity lengths follow the published BCH tables", "[bch]") {
    const int t5[] = {20, 27, 35, 40, 45, 50, 55, 60, 65};  // m = 5..13
    for (int m = 5; m <= 13; ++m) {
        const bch_size s = bch_size_for(message_length(m, t5[m - 5]), 5);
        CHECK(s.m == m);
        CHECK(s.p == t5[m - 5]);
    }
    const int t6[] = {14, 25, 33, 42, 48, 54, 60, 66, 72, 78};  // m = 4..13
    for (int m = 4; m <= 13; ++m) {
        const int expect[] = {2 * m, m == 4 ? 10 : 3 * m, m == 4 ? 14 : 4 * m, t6[m - 4]};
        const int ts[]     = {2, 3, 4, 6};
        for (int i = 0; i < 4; ++i) {
            const int n = message_length(m, expect[i]);
            if (n < 1) {
                continue;
            }
            const bch_size s = bch_size_for(n, ts[i]);
            INFO("m=" << m << " t=" << ts[i]);
            CHECK(s.m == m);
            CHECK(s.p == expect[i]);
        }
    }
    // The query table's rows for t = 5.
    CHECK(parity_length(11, 5) == 20);
    CHECK(parity_length(12, 5) == 27);
    CHECK(parity_length(973, 5) == 50);
    CHECK(parity_length(974, 5) == 55);
    CHECK(parity_length(4035, 5) == 60);
    CHECK(parity_length(4036, 5) == 65);
}

TEST_CASE("decoding radius exceeds t only where the coset structure allows", "[bch]") {
    CHECK(bch_size_for(message_length(5, 20), 4).t_decode == 5);  // (t=4, m=5) -> 5
    CHECK(bch_size_for(message_length(5, 25), 6).t_decode == 7);  // (t=6, m=5) -> 7
    CHECK(bch_size_for(1, 4).t_decode == 7);                      // m = 4: all 14 roots
    for (int t = 2; t <= 8; ++t) {
        for (int n : {100, 500, 1000, 4000}) {
            const bch_size s = bch_size_for(n, t);
            INFO("n=" << n << " t=" << t);
            CHECK(s.t_decode >= t);
            if (s.m >= 6) {
                CHECK(s.t_decode == t);
            }
        }
    }
}

TEST_CASE("every codeword is divisible by the generator", "[bch]") {
    prng r(9);
    for (int t : {1, 2, 3, 5, 6, 8}) {
        for (int n : {3, 17, 100, 1000, 4096}) {
            bch_code c;
            try {
                c = make_bch_code(n, t);
            } catch (const spex_error &) {
                continue;  // no code of this size (e.g. tiny fields at large t)
            }
            for (int trial = 0; trial < 5; ++trial) {
                std::vector<int> k;
                for (int q = 0; q < n; ++q) {
                    if (r.below(4) == 0) {
                        k.push_back(q);
                    }
                }
                INFO("n=" << n << " t=" << t);
                REQUIRE(divisible_by_generator(codeword(c, k), c.generator));
            }
        }
    }
}

TEST_CASE("the delay matrix is galois's shortened systematic parity block", "[bch]") {
    // galois: P[0] = g's coefficients highest first without the constant term, and P[i] is
    // P[i-1] shifted toward the low end, XORed with P[0] if the shifted-out bit was 1.
    // Shortening keeps the last n rows: D[1+j][q] = P[kc-n+q][j]. Checked for the whole
    // parity table (t = 1..8, m = 4..13) at the largest and a small n per field.
    for (int t = 1; t <= 8; ++t) {
        for (int m = 4; m <= 13; ++m) {
            int full_n = 0;  // the longest message of field m at this t, if m is ever chosen
            for (int p = 1; p < (1 << m); ++p) {
                const int n = message_length(m, p);
                if (n < 1) {
                    break;
                }
                try {
                    const bch_size s = bch_size_for(n, t);
                    if (s.m == m && s.p == p) {
                        full_n = n;
                        break;
                    }
                } catch (const spex_error &) {
                }
            }
            if (full_n < 1) {
                continue;
            }
            for (int n : {full_n, std::max(1, full_n / 3)}) {
                if (n > 4096) {
                    continue;
                }
                const bch_code c = make_bch_code(n, t);
                if (c.m != m) {
                    continue;
                }
                INFO("t=" << t << " m=" << m << " n=" << n);
                const int                         p = c.p;
                std::vector<std::vector<uint8_t>> P(c.kc, std::vector<uint8_t>(p));
                for (int j = 0; j < p; ++j) {
                    P[0][j] = c.generator[p - j];  // highest power first, constant dropped
                }
                for (int i = 1; i < c.kc; ++i) {
                    const uint8_t out = P[i - 1][p - 1];
                    for (int j = p - 1; j > 0; --j) {
                        P[i][j] = P[i - 1][j - 1];
                    }
                    P[i][0] = 0;
                    if (out) {
                        for (int j = 0; j < p; ++j) {
                            P[i][j] ^= P[0][j];
                        }
                    }
                }
                REQUIRE(static_cast<int>(c.feature_parity.size()) == n);
                for (int q = 0; q < n; ++q) {
                    for (int j = 0; j < p; ++j) {
                        REQUIRE(c.feature_parity[q].get(j) == (P[c.kc - n + q][j] != 0));
                    }
                    for (int j = p; j < max_parity_bits; ++j) {
                        REQUIRE_FALSE(c.feature_parity[q].get(j));
                    }
                }
            }
        }
    }
}

TEST_CASE("out-of-range codes are refused with a clear message", "[bch]") {
    CHECK_THROWS_AS(bch_size_for(10, 0), spex_error);
    CHECK_THROWS_AS(bch_size_for(10, max_bch_t + 1), spex_error);
    CHECK_THROWS_AS(bch_size_for(0, 5), spex_error);
    CHECK_THROWS_WITH(bch_size_for(9000, 5), Catch::Contains("no BCH code"));
}
