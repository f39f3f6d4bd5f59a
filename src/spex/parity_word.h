// parity_word: up to 256 BCH parity bits (one delay signature D[1..p]k) in four words.
//
// p = deg g <= m*t <= 13*16 = 208, so four words always suffice. Bit j is parity bit j,
// i.e. delay row 1+j of the D matrix (docs/method.md §2).
#pragma once

#include <array>
#include <cstdint>

namespace spex {

constexpr int max_parity_bits = 256;

struct parity_word {
    std::array<uint64_t, 4> w{};

    bool get(int j) const { return (w[j >> 6] >> (j & 63)) & 1u; }
    void flip(int j) { w[j >> 6] ^= uint64_t(1) << (j & 63); }
    void set(int j) { w[j >> 6] |= uint64_t(1) << (j & 63); }

    parity_word & operator^=(const parity_word & o) {
        for (int i = 0; i < 4; ++i) {
            w[i] ^= o.w[i];
        }
        return *this;
    }
    bool operator==(const parity_word & o) const { return w == o.w; }
    bool operator!=(const parity_word & o) const { return w != o.w; }

    int popcount() const {
        int c = 0;
        for (uint64_t x : w) {
            c += __builtin_popcountll(x);
        }
        return c;
    }
};

}  // namespace spex
