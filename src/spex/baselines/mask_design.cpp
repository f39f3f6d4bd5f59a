#include "mask_design.h"

#include "spex/spex_error.h"

#include <bitset>
#include <cmath>
#include <string>

namespace spex {

namespace {

uint64_t padding_mask(int n) {
    const int used = n & 63;
    return used == 0 ? ~uint64_t(0) : (uint64_t(1) << used) - 1;
}

// In place: afterwards bit t of a[c] is the former bit c of a[t] (Hacker's Delight, 7-3).
void transpose64(uint64_t a[64]) {
    uint64_t m = 0x00000000FFFFFFFFull;
    for (int j = 32; j != 0; j >>= 1, m ^= m << j) {
        for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
            const uint64_t t = ((a[k] >> j) ^ a[k | j]) & m;
            a[k | j] ^= t;
            a[k] ^= t << j;
        }
    }
}

// table[m] = sum over b = 0..7 of (bit b of m ? -1 : +1) * v[base + b] (entries at or past
// `size` count as 0). Built by doubling, so each entry is one add away from another.
void fill_byte_table(const double * v, size_t base, size_t size, double * table) {
    table[0] = 0.0;
    for (int b = 0; b < 8; ++b) {
        const size_t idx  = base + static_cast<size_t>(b);
        const double add  = idx < size ? v[idx] : 0.0;
        const int    half = 1 << b;
        for (int m = 0; m < half; ++m) {
            table[half + m] = table[m] - add;
            table[m] += add;
        }
    }
}

// Sum of the 8 tables' entries selected by the 8 bytes of w.
inline double lookup_word(const double * tables, uint64_t w) {
    double sum = 0.0;
    for (int k = 0; k < 8; ++k) {
        sum += tables[k * 256 + static_cast<int>((w >> (8 * k)) & 0xFF)];
    }
    return sum;
}

}  // namespace

void check_masks_and_values(const mask_matrix & masks, const std::vector<double> & values, const char * method) {
    const std::string who(method);
    if (masks.n < 1) {
        throw spex_error(who + ": the masks have n = " + std::to_string(masks.n) + " players; need n >= 1");
    }
    if (masks.words != mask_words(masks.n) || masks.bits.size() != masks.count * masks.words) {
        throw spex_error(who + ": malformed mask_matrix (words or storage size disagree with n and count); build it "
                               "with mask_matrix(n, count)");
    }
    if (values.size() != masks.count) {
        throw spex_error(who + ": got " + std::to_string(values.size()) + " model values for " +
                         std::to_string(masks.count) + " masks; evaluate the model once per mask, in mask order");
    }
    const uint64_t pad = padding_mask(masks.n);
    for (size_t r = 0; r < masks.count; ++r) {
        if ((masks.row(r)[masks.words - 1] & ~pad) != 0) {
            throw spex_error(who + ": mask " + std::to_string(r) + " has bits set beyond player n-1 = " +
                             std::to_string(masks.n - 1) + "; padding bits must be zero");
        }
    }
    for (size_t r = 0; r < values.size(); ++r) {
        if (!std::isfinite(values[r])) {
            throw spex_error(who + ": model value " + std::to_string(r) +
                             " is not finite (NaN or infinity); fix the model output for that mask");
        }
    }
}

bool mask_is_empty(const uint64_t * row, int n) {
    for (size_t w = 0; w < mask_words(n); ++w) {
        if (row[w] != 0) {
            return false;
        }
    }
    return true;
}

bool mask_is_full(const uint64_t * row, int n) {
    const size_t words = mask_words(n);
    for (size_t w = 0; w + 1 < words; ++w) {
        if (row[w] != ~uint64_t(0)) {
            return false;
        }
    }
    return row[words - 1] == padding_mask(n);
}

namespace {

std::vector<size_t> all_rows(size_t count) {
    std::vector<size_t> ids(count);
    for (size_t r = 0; r < count; ++r) {
        ids[r] = r;
    }
    return ids;
}

}  // namespace

size_t mask_popcount(const uint64_t * row, int n) {
    size_t kept = 0;
    for (size_t w = 0; w < mask_words(n); ++w) {
        kept += std::bitset<64>(row[w]).count();
    }
    return kept;
}

mask_design::mask_design(const mask_matrix & masks) : mask_design(masks, all_rows(masks.count)) {}

mask_design::mask_design(const mask_matrix & masks, const std::vector<size_t> & row_ids)
    : n_(masks.n), rows_(row_ids.size()), col_words_(masks.words), row_blocks_((rows_ + 63) / 64),
      by_column_word_(col_words_ * rows_), by_row_block_(row_blocks_ * n_), kept_(rows_, 0) {
    for (size_t r = 0; r < rows_; ++r) {
        const uint64_t * row  = masks.row(row_ids[r]);
        size_t           kept = 0;
        for (size_t w = 0; w < col_words_; ++w) {
            by_column_word_[w * rows_ + r] = row[w];
            kept += std::bitset<64>(row[w]).count();
        }
        kept_[r] = static_cast<int>(kept);
    }
    uint64_t block[64];
    for (size_t b = 0; b < row_blocks_; ++b) {
        for (size_t w = 0; w < col_words_; ++w) {
            for (size_t t = 0; t < 64; ++t) {
                const size_t r = b * 64 + t;
                block[t]       = r < rows_ ? by_column_word_[w * rows_ + r] : 0;
            }
            transpose64(block);
            for (size_t c = 0; c < 64 && w * 64 + c < static_cast<size_t>(n_); ++c) {
                by_row_block_[b * n_ + w * 64 + c] = block[c];
            }
        }
    }
}

void mask_design::multiply(const Eigen::VectorXd & v, Eigen::VectorXd & out) const {
    out.setZero(static_cast<Eigen::Index>(rows_));
    double tables[8 * 256];
    for (size_t w = 0; w < col_words_; ++w) {
        for (int k = 0; k < 8; ++k) {
            fill_byte_table(v.data(), w * 64 + 8 * k, static_cast<size_t>(n_), tables + k * 256);
        }
        const uint64_t * words = by_column_word_.data() + w * rows_;
        for (size_t r = 0; r < rows_; ++r) {
            out[static_cast<Eigen::Index>(r)] += lookup_word(tables, words[r]);
        }
    }
}

void mask_design::multiply_transpose(const Eigen::VectorXd & u, Eigen::VectorXd & out) const {
    out.setZero(n_);
    double tables[8 * 256];
    for (size_t b = 0; b < row_blocks_; ++b) {
        for (int k = 0; k < 8; ++k) {
            fill_byte_table(u.data(), b * 64 + 8 * k, rows_, tables + k * 256);
        }
        const uint64_t * words = by_row_block_.data() + b * n_;
        for (int i = 0; i < n_; ++i) {
            out[i] += lookup_word(tables, words[i]);
        }
    }
}

}  // namespace spex
