// mask_matrix: a batch of bit-packed masks over n players.
//
// A mask x in {0,1}^n keeps player i when bit i is 1 (docs/method.md §1).
// Bit i lives in word i / 64 at bit position i % 64. Rows are padded to whole
// 64-bit words; padding bits are always zero so parity and popcount stay exact.
// At n = 4096 a mask is 512 bytes, so even 50k masks fit in ~25 MB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spex {

inline size_t mask_words(int n) { return (static_cast<size_t>(n) + 63) / 64; }

inline bool mask_keeps(const uint64_t * row, int i) { return (row[i >> 6] >> (i & 63)) & 1u; }

inline void mask_set(uint64_t * row, int i, bool keep) {
    const uint64_t bit = uint64_t(1) << (i & 63);
    if (keep) {
        row[i >> 6] |= bit;
    } else {
        row[i >> 6] &= ~bit;
    }
}

struct mask_matrix {
    int                   n     = 0;
    size_t                words = 0;  // 64-bit words per mask
    size_t                count = 0;  // number of masks
    std::vector<uint64_t> bits;       // count * words, row-major

    mask_matrix() = default;
    mask_matrix(int n_players, size_t n_masks)
        : n(n_players), words(mask_words(n_players)), count(n_masks), bits(n_masks * mask_words(n_players), 0) {}

    uint64_t *       row(size_t r) { return bits.data() + r * words; }
    const uint64_t * row(size_t r) const { return bits.data() + r * words; }
    bool             keeps(size_t r, int i) const { return mask_keeps(row(r), i); }
    void             set(size_t r, int i, bool keep) { mask_set(row(r), i, keep); }
};

}  // namespace spex
