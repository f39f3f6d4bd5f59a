// query_design: which masks SPEX queries (docs/method.md §2).
//
// C = 3 groups; group c has a random subsampling matrix M_c in {0,1}^(n x b). With the
// delay matrix D (rows d_0 = 0, d_1..d_p from the BCH code) the query for group c, delay i
// and sample z = 0..2^b-1 is x = M_c l(z) XOR d_i, where l(z) reads z MSB-first.
// Query index: q = ((c * (p+1)) + i) * 2^b + z, so each (c, i) block is one WHT input.
//
// Masks are generated on demand (O(b * n/64) words each), never stored: a design at
// n = 4096 needs only the matrices, a few hundred KB.
#pragma once

#include "bch_code.h"
#include "feature_set.h"
#include "parity_word.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spex {

constexpr int spex_groups = 3;
constexpr int spex_max_b  = 16;
constexpr int spex_min_b  = 1;
constexpr int spex_max_n  = 4096;

// Size of a design, fixed before any mask is drawn.
struct design_choice {
    int         n       = 0;
    int         t       = 0;  // BCH design capability actually used
    int         t_asked = 0;  // what the caller asked for (t < t_asked when the budget forced it down)
    int         b       = 0;
    int         p       = 0;
    int64_t     queries = 0;  // C (p+1) 2^b
    int64_t     budget  = 0;  // the caller's budget, 0 when b was given directly
    std::string note;         // human-readable remark, e.g. why t was lowered
};

inline int64_t design_query_count(int p, int b) { return int64_t(spex_groups) * (p + 1) * (int64_t(1) << b); }

// b (and, if needed, a lower t down to t_floor) from a query budget, analytically (docs/method.md §2).
// Throws spex_error naming the minimum budget when even (t_floor, b = 3) does not fit.
design_choice choose_design_for_budget(int n, int64_t budget, int t, int t_floor);

// Bins first: the largest b that fits the budget at t_floor, then the largest t <= t that still
// fits at that b. More bins separate more terms, which matters when a budget cannot buy both a
// high t and a high b and the function's terms are many and of low order (text models).
// Throws spex_error like choose_design_for_budget.
design_choice choose_design_bins_first(int n, int64_t budget, int t, int t_floor);

// A design with b given directly. Validates ranges.
design_choice choose_design_for_b(int n, int b, int t);

class query_design {
  public:
    // M_c drawn from the seeded PRNG (stream PRNG_STREAM_SUBSAMPLING): for each group c, for
    // each feature i, one 64-bit draw whose top b bits, MSB first, are row i of M_c. Designs with
    // the same seed and smaller b therefore use the first columns of the larger one.
    query_design(const design_choice & choice, uint64_t seed);

    // M_c imported, e.g. from the reference implementation: subsampling[c][i][r], C x n x b bits.
    query_design(const design_choice & choice, const std::vector<std::vector<std::vector<uint8_t>>> & subsampling);

    int              n() const { return code_.n; }
    int              b() const { return b_; }
    int              p() const { return code_.p; }
    int              bins() const { return 1 << b_; }
    size_t           query_count() const { return size_t(spex_groups) * (code_.p + 1) * bins(); }
    const bch_code & code() const { return code_; }

    // Mask of query q into `out` (mask_words(n) words).
    void mask(size_t q, uint64_t * out) const;

    // h_c(k) = M_c^T k as an MSB-first bin index.
    uint32_t bin(int group, const feature_set & k) const {
        uint32_t h = 0;
        for (int i : k) {
            h ^= rows_[group][i];
        }
        return h;
    }
    uint32_t    row(int group, int feature) const { return rows_[group][feature]; }
    parity_word signature(const feature_set & k) const { return delay_signature(code_, k); }

    // The subsampling matrices as bits [c][i][r], for export.
    std::vector<std::vector<std::vector<uint8_t>>> subsampling() const;

  private:
    void build_bitsets();

    int                                b_;
    bch_code                           code_;
    std::vector<std::vector<uint32_t>> rows_;     // [c][i]: row i of M_c as a b-bit MSB-first integer
    std::vector<std::vector<uint64_t>> columns_;  // [c][r]: column r of M_c as an n-bit mask
    std::vector<std::vector<uint64_t>> delays_;   // [i]: d_i as an n-bit mask, i = 0..p
};

}  // namespace spex
