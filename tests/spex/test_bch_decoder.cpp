// BCH decoding as SPEX uses it: the message part is unknown (all zero), so the error
// pattern is the frequency k plus any flipped parity bits.
#include "spex/bch_decoder.h"
#include "spex/prng.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace spex;

namespace {

std::vector<int> random_set(prng & r, int n, int weight) {
    std::vector<int> k;
    while (static_cast<int>(k.size()) < weight) {
        const int q = static_cast<int>(r.below(uint64_t(n)));
        if (std::find(k.begin(), k.end(), q) == k.end()) {
            k.push_back(q);
        }
    }
    std::sort(k.begin(), k.end());
    return k;
}

// Hamming distance between the received word (zero message, parity `received`) and the
// codeword of k.
int distance_to_codeword(const bch_code & c, const parity_word & received, const std::vector<int> & k) {
    parity_word d = delay_signature(c, k);
    d ^= received;
    return d.popcount() + static_cast<int>(k.size());
}

}  // namespace

TEST_CASE("up to t' errors are always corrected", "[bch][decoder]") {
    prng r(21);
    for (int n : {8, 64, 300, 1000, 4096}) {
        for (int t : {2, 3, 5}) {
            const bch_code c = make_bch_code(n, t);
            bch_decoder    dec(c);
            for (int trial = 0; trial < 60; ++trial) {
                const int              weight   = static_cast<int>(r.below(uint64_t(std::min(n, c.t_decode)) + 1));
                const int              flips    = static_cast<int>(r.below(uint64_t(c.t_decode - weight) + 1));
                const std::vector<int> k        = random_set(r, n, weight);
                parity_word            received = delay_signature(c, k);
                for (int j : random_set(r, c.p, flips)) {
                    received.flip(j);
                }
                const bch_decode_result out = dec.decode_hard(received);
                INFO("n=" << n << " t=" << t << " |k|=" << weight << " flips=" << flips);
                REQUIRE(out.ok);
                REQUIRE(out.k == k);
                REQUIRE(out.corrections == weight + flips);
            }
        }
    }
}

TEST_CASE("beyond t' the decoder fails or lands on another codeword within t'", "[bch][decoder]") {
    prng           r(22);
    const bch_code c = make_bch_code(1000, 5);
    bch_decoder    dec(c);
    int            failures = 0, trials = 0;
    for (int extra = 1; extra <= 4; ++extra) {
        for (int trial = 0; trial < 100; ++trial, ++trials) {
            const int              errors   = c.t_decode + extra;
            const int              weight   = static_cast<int>(r.below(uint64_t(errors) + 1));
            const std::vector<int> k        = random_set(r, c.n, weight);
            parity_word            received = delay_signature(c, k);
            for (int j : random_set(r, c.p, errors - weight)) {
                received.flip(j);
            }
            const bch_decode_result out = dec.decode_hard(received);
            if (!out.ok) {
                ++failures;
                continue;
            }
            // A miscorrection is still a valid bounded-distance answer, never the planted k.
            REQUIRE(out.k != k);
            REQUIRE(out.corrections <= c.t_decode);
            REQUIRE(distance_to_codeword(c, received, out.k) == out.corrections);
        }
    }
    CHECK(failures > trials * 9 / 10);  // shortened codes miscorrect rarely
}

TEST_CASE("general received words decode to the nearest codeword", "[bch][decoder]") {
    prng           r(23);
    const bch_code c = make_bch_code(200, 4);
    bch_decoder    dec(c);
    for (int trial = 0; trial < 50; ++trial) {
        // Positions are exponents 0..n+p-1; errors anywhere in the word.
        const std::vector<int>  err = random_set(r, c.n + c.p, static_cast<int>(r.below(uint64_t(c.t_decode) + 1)));
        const bch_decode_result out = dec.decode_positions(err);
        REQUIRE(out.ok);
        REQUIRE(out.corrections == static_cast<int>(err.size()));
        std::vector<int> expect;
        for (int pos : err) {
            if (pos >= c.p) {
                expect.push_back(c.n + c.p - 1 - pos);
            }
        }
        std::sort(expect.begin(), expect.end());
        REQUIRE(out.k == expect);
    }
}

TEST_CASE("Chase decoding repairs flips on the least reliable bits", "[bch][decoder][chase]") {
    prng           r(24);
    const bch_code c = make_bch_code(1000, 5);
    bch_decoder    dec(c);
    int            hard_ok = 0, chase_ok = 0;
    for (int trial = 0; trial < 40; ++trial) {
        const std::vector<int> k        = random_set(r, c.n, 3);
        const std::vector<int> flips    = random_set(r, c.p, 4);  // 3 + 4 = 7 > t' = 5
        parity_word            received = delay_signature(c, k);
        std::vector<double>    reliability(c.p);
        for (int j = 0; j < c.p; ++j) {
            reliability[j] = 1.0 + r.uniform();
        }
        for (int j : flips) {
            received.flip(j);
            reliability[j] = 0.05 + 0.1 * r.uniform();  // the corrupted signs are the weakest
        }
        const bch_decode_result hard  = dec.decode_hard(received);
        const bch_decode_result chase = dec.decode_chase(received, reliability.data(), 2 * c.t);
        hard_ok += (hard.ok && hard.k == k) ? 1 : 0;
        chase_ok += (chase.ok && chase.k == k) ? 1 : 0;
    }
    CHECK(hard_ok == 0);
    CHECK(chase_ok == 40);
}

TEST_CASE("Chase tries at most 1 + L(L+1)/2 decodes and returns the hard result when all fail",
          "[bch][decoder][chase]") {
    const bch_code c = make_bch_code(500, 5);
    bch_decoder    dec(c);
    prng           r(25);
    parity_word    received;
    for (int j = 0; j < c.p; ++j) {
        if (r.bit()) {
            received.flip(j);  // a random sign pattern: almost surely undecodable
        }
    }
    std::vector<double> reliability(c.p);
    for (double & v : reliability) {
        v = r.uniform();
    }
    for (int depth : {0, 4, 10}) {
        const int64_t before = dec.decode_count();
        dec.decode_chase(received, reliability.data(), depth);
        CHECK(dec.decode_count() - before <= 1 + depth * (depth + 1) / 2);
    }
}
