// bch_code: the shortened systematic binary BCH code whose parity block is SPEX's
// delay matrix D (docs/method.md §2, "Delay matrix").
//
// For n players and design capability t: the smallest field GF(2^m), m >= ceil(log2(2t+2)),
// whose narrow-sense BCH code (roots alpha^1..alpha^2t) has kc = 2^m-1-p >= n message bits,
// shortened to n. Built exactly as galois does, so masks can match the reference bit for bit.
//
// Word layout of the shortened code (length n + p), as polynomial exponents:
//   exponent n+p-1-q  holds feature q (q = 0..n-1),  exponent p-1-j  holds parity bit j.
#pragma once

#include "parity_word.h"

#include <cstdint>
#include <vector>

namespace spex {

constexpr int max_bch_t = 16;  // keeps p <= 13*16 < max_parity_bits

struct bch_code {
    int n        = 0;  // shortened message length (= number of players)
    int t        = 0;  // requested design capability
    int m        = 0;  // field degree
    int nc       = 0;  // 2^m - 1
    int kc       = 0;  // nc - p
    int p        = 0;  // deg g = number of parity bits = number of non-zero delays
    int t_decode = 0;  // t' = floor((delta-1)/2), delta-1 = length of the run 1,2,3.. in the root set

    std::vector<uint8_t>     generator;       // g, index = power of x, size p+1, binary
    std::vector<parity_word> feature_parity;  // per feature q: bit j = D[1+j][q]
};

// Size of the code for (n, t) from cyclotomic cosets alone, in microseconds (no field tables).
struct bch_size {
    int m = 0, nc = 0, kc = 0, p = 0, t_decode = 0;
};
bch_size bch_size_for(int n, int t);  // throws spex_error if no m <= 13 fits n

inline int parity_length(int n, int t) { return bch_size_for(n, t).p; }

bch_code make_bch_code(int n, int t);

// Delay signature D[1..p]k mod 2 of a set k of features (XOR of its features' parity columns).
template <class Set> parity_word delay_signature(const bch_code & code, const Set & k) {
    parity_word s;
    for (int q : k) {
        s ^= code.feature_parity[q];
    }
    return s;
}

}  // namespace spex
