#include "query_design.h"

#include "mask_matrix.h"
#include "prng.h"
#include "spex_error.h"

#include <cstring>
#include <string>

namespace spex {

static void check_n(int n) {
    if (n < 1) {
        throw spex_error("n = " + std::to_string(n) + ": there must be at least one feature to explain");
    }
    if (n > spex_max_n) {
        throw spex_error("n = " + std::to_string(n) + " features is above the supported maximum of " +
                         std::to_string(spex_max_n) + ": group features (e.g. sentences instead of words)");
    }
}

design_choice choose_design_for_budget(int n, int64_t budget, int t, int t_floor) {
    check_n(n);
    if (t_floor < 1 || t_floor > t) {
        throw spex_error("t_floor = " + std::to_string(t_floor) + " must be in 1..t (t = " + std::to_string(t) + ")");
    }
    for (int tt = t; tt >= t_floor; --tt) {
        const int p = parity_length(n, tt);
        int       b = 0;
        while (b < 12 && design_query_count(p, b + 1) <= budget) {
            ++b;
        }
        if (b >= 3) {
            design_choice d;
            d.n       = n;
            d.t       = tt;
            d.t_asked = t;
            d.b       = b;
            d.p       = p;
            d.queries = design_query_count(p, b);
            d.budget  = budget;
            if (tt < t) {
                d.note = "budget " + with_commas(budget) + " is too small for degree t = " + std::to_string(t) +
                         " at n = " + std::to_string(n) + " (needs " +
                         with_commas(design_query_count(parity_length(n, t), 3)) +
                         "); using t = " + std::to_string(tt) + ": interactions above order " + std::to_string(tt) +
                         " are no longer guaranteed to be found";
            }
            return d;
        }
    }
    const int64_t need = design_query_count(parity_length(n, t_floor), 3);
    throw spex_error("budget " + with_commas(budget) + " is too small for n = " + std::to_string(n) +
                     ": need >= " + with_commas(need) + " queries (t = " + std::to_string(t_floor) + ", b = 3)");
}

design_choice choose_design_bins_first(int n, int64_t budget, int t, int t_floor) {
    if (t_floor < 1 || t_floor > t) {
        throw spex_error("t_floor = " + std::to_string(t_floor) + " must be in 1..t (t = " + std::to_string(t) + ")");
    }
    // The degree-first search at t_floor finds the largest b (or throws the usual message).
    design_choice d = choose_design_for_budget(n, budget, t_floor, t_floor);
    for (int tt = t; tt > t_floor; --tt) {
        const int p = parity_length(n, tt);
        if (design_query_count(p, d.b) <= budget) {
            d.t       = tt;
            d.p       = p;
            d.queries = design_query_count(p, d.b);
            break;
        }
    }
    d.t_asked = t;
    if (d.t < t) {
        d.note = "budget " + with_commas(budget) + " buys b = " + std::to_string(d.b) +
                 " with t = " + std::to_string(d.t) + " (bins first): interactions above order " + std::to_string(d.t) +
                 " are not guaranteed to be found";
    }
    return d;
}

design_choice choose_design_for_b(int n, int b, int t) {
    check_n(n);
    if (b < spex_min_b || b > spex_max_b) {
        throw spex_error("b = " + std::to_string(b) + " is out of range: choose b in " + std::to_string(spex_min_b) +
                         ".." + std::to_string(spex_max_b) + " (2^b bins per group)");
    }
    design_choice d;
    d.n       = n;
    d.t       = t;
    d.t_asked = t;
    d.b       = b;
    d.p       = parity_length(n, t);
    d.queries = design_query_count(d.p, b);
    return d;
}

query_design::query_design(const design_choice & choice, uint64_t seed)
    : b_(choice.b), code_(make_bch_code(choice.n, choice.t)) {
    prng rng(seed, PRNG_STREAM_SUBSAMPLING);
    rows_.assign(spex_groups, std::vector<uint32_t>(choice.n, 0));
    for (int c = 0; c < spex_groups; ++c) {
        for (int i = 0; i < choice.n; ++i) {
            rows_[c][i] = static_cast<uint32_t>(rng.next_u64() >> (64 - b_));
        }
    }
    build_bitsets();
}

query_design::query_design(const design_choice &                                  choice,
                           const std::vector<std::vector<std::vector<uint8_t>>> & subsampling)
    : b_(choice.b), code_(make_bch_code(choice.n, choice.t)) {
    if (subsampling.size() != size_t(spex_groups)) {
        throw spex_error("imported subsampling matrices: expected " + std::to_string(spex_groups) + " groups, got " +
                         std::to_string(subsampling.size()));
    }
    rows_.assign(spex_groups, std::vector<uint32_t>(choice.n, 0));
    for (int c = 0; c < spex_groups; ++c) {
        if (subsampling[c].size() != size_t(choice.n)) {
            throw spex_error("imported subsampling matrix " + std::to_string(c) + " has " +
                             std::to_string(subsampling[c].size()) + " rows, expected n = " + std::to_string(choice.n));
        }
        for (int i = 0; i < choice.n; ++i) {
            if (subsampling[c][i].size() != size_t(b_)) {
                throw spex_error("imported subsampling matrix " + std::to_string(c) + " row " + std::to_string(i) +
                                 " has " + std::to_string(subsampling[c][i].size()) +
                                 " columns, expected b = " + std::to_string(b_));
            }
            uint32_t row = 0;
            for (int r = 0; r < b_; ++r) {
                row = (row << 1) | (subsampling[c][i][r] ? 1u : 0u);
            }
            rows_[c][i] = row;
        }
    }
    build_bitsets();
}

void query_design::build_bitsets() {
    const int    n = code_.n;
    const size_t w = mask_words(n);
    columns_.assign(spex_groups * b_, std::vector<uint64_t>(w, 0));
    for (int c = 0; c < spex_groups; ++c) {
        for (int r = 0; r < b_; ++r) {
            uint64_t * col = columns_[c * b_ + r].data();
            for (int i = 0; i < n; ++i) {
                mask_set(col, i, (rows_[c][i] >> (b_ - 1 - r)) & 1u);
            }
        }
    }
    delays_.assign(code_.p + 1, std::vector<uint64_t>(w, 0));
    for (int j = 0; j < code_.p; ++j) {
        for (int i = 0; i < n; ++i) {
            mask_set(delays_[1 + j].data(), i, code_.feature_parity[i].get(j));
        }
    }
}

void query_design::mask(size_t q, uint64_t * out) const {
    const size_t per_delay = size_t(1) << b_;
    const size_t z         = q % per_delay;
    const size_t ci        = q / per_delay;
    const int    i         = static_cast<int>(ci % (code_.p + 1));
    const int    c         = static_cast<int>(ci / (code_.p + 1));
    const size_t w         = mask_words(code_.n);
    std::memcpy(out, delays_[i].data(), w * sizeof(uint64_t));
    for (int r = 0; r < b_; ++r) {
        if ((z >> (b_ - 1 - r)) & 1u) {  // l_r is bit b-1-r of z (MSB-first)
            const uint64_t * col = columns_[c * b_ + r].data();
            for (size_t k = 0; k < w; ++k) {
                out[k] ^= col[k];
            }
        }
    }
}

std::vector<std::vector<std::vector<uint8_t>>> query_design::subsampling() const {
    std::vector<std::vector<std::vector<uint8_t>>> m(spex_groups);
    for (int c = 0; c < spex_groups; ++c) {
        m[c].assign(code_.n, std::vector<uint8_t>(b_, 0));
        for (int i = 0; i < code_.n; ++i) {
            for (int r = 0; r < b_; ++r) {
                m[c][i][r] = static_cast<uint8_t>((rows_[c][i] >> (b_ - 1 - r)) & 1u);
            }
        }
    }
    return m;
}

}  // namespace spex
