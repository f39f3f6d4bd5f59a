#include "baseline_sampling.h"

#include "spex/spex_error.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <unordered_set>

namespace spex {

namespace {

void check_players(int n, const char * who) {
    if (n < 1) {
        throw spex_error(std::string(who) + ": n = " + std::to_string(n) + " players; need n >= 1");
    }
}

uint64_t last_word_mask(int n) {
    const int used = n & 63;
    return used == 0 ? ~uint64_t(0) : (uint64_t(1) << used) - 1;
}

void fill_uniform_row(mask_matrix & m, size_t r, prng & rng) {
    uint64_t * row = m.row(r);
    for (size_t w = 0; w < m.words; ++w) {
        row[w] = rng.next_u64();
    }
    row[m.words - 1] &= last_word_mask(m.n);
}

void fill_full_row(mask_matrix & m, size_t r) {
    uint64_t * row = m.row(r);
    std::fill(row, row + m.words, ~uint64_t(0));
    row[m.words - 1] &= last_word_mask(m.n);
}

}  // namespace

mask_matrix sample_uniform_masks(int n, size_t count, prng & rng) {
    check_players(n, "sample_uniform_masks");
    mask_matrix m(n, count);
    for (size_t r = 0; r < count; ++r) {
        fill_uniform_row(m, r, rng);
    }
    return m;
}

mask_matrix sample_distinct_uniform_masks(int n, size_t count, prng & rng) {
    check_players(n, "sample_distinct_uniform_masks");
    // Dense case (at most 2^24 masks to order; size_t is 32 bits in WebAssembly): a seeded
    // Fisher-Yates order of every mask, the all-kept and all-masked first.
    const size_t space = n <= 24 ? size_t(1) << n : 0;
    if (space > 0 && count >= space / 2) {
        const size_t        full = space - 1;
        std::vector<size_t> order(space);
        std::iota(order.begin(), order.end(), size_t(0));
        std::swap(order[0], order[full]);  // order[0] = all kept
        std::swap(order[1], order[full]);  // order[1] = all masked (0), order[full] = 1
        for (size_t i = space - 1; i > 2; --i) {
            const size_t j = 2 + size_t(rng.below(uint64_t(i - 1)));
            std::swap(order[i], order[j]);
        }
        const size_t rows = std::min(count, space);
        mask_matrix  m(n, rows);
        for (size_t r = 0; r < rows; ++r) {
            m.row(r)[0] = uint64_t(order[r]);
        }
        return m;
    }
    mask_matrix m(n, count);
    if (count > 0) {
        fill_full_row(m, 0);
    }
    // Sparse case: rejection of repeats through a hash set of rows (row 1 is already all zero).
    struct row_hash {
        size_t operator()(const std::vector<uint64_t> & r) const {
            uint64_t h = 0x9e3779b97f4a7c15ull;
            for (uint64_t w : r) {
                h = (h ^ w) * 0x100000001b3ull;
                h ^= h >> 29;
            }
            return size_t(h);
        }
    };
    std::unordered_set<std::vector<uint64_t>, row_hash> seen;
    for (size_t r = 0; r < std::min<size_t>(count, 2); ++r) {
        seen.emplace(m.row(r), m.row(r) + m.words);
    }
    for (size_t r = 2; r < count; ++r) {
        do {
            fill_uniform_row(m, r, rng);
        } while (!seen.emplace(m.row(r), m.row(r) + m.words).second);
    }
    return m;
}

mask_matrix sample_lime_masks(int n, size_t count, prng & rng) {
    check_players(n, "sample_lime_masks");
    if (count < 1) {
        throw spex_error("sample_lime_masks: LIME needs a budget of at least 1 query (the instance itself)");
    }
    mask_matrix m(n, count);
    fill_full_row(m, 0);
    for (size_t r = 1; r < count; ++r) {
        fill_uniform_row(m, r, rng);
    }
    return m;
}

std::vector<double> kernel_shap_size_probabilities(int n) {
    if (n < 2) {
        return {};
    }
    std::vector<double> p(static_cast<size_t>(n) + 1, 0.0);
    double              total = 0.0;
    for (int s = 1; s < n; ++s) {
        p[s] = static_cast<double>(n - 1) / (static_cast<double>(s) * static_cast<double>(n - s));
        total += p[s];
    }
    for (double & v : p) {
        v /= total;
    }
    return p;
}

mask_matrix sample_kernel_shap_masks(int n, size_t count, prng & rng, bool paired) {
    check_players(n, "sample_kernel_shap_masks");
    if (count < 2) {
        throw spex_error("sample_kernel_shap_masks: KernelSHAP needs a budget of at least 2 queries (the empty and "
                         "the full mask); got " +
                         std::to_string(count));
    }
    mask_matrix m(n, count);
    fill_full_row(m, 1);
    if (n == 1) {
        for (size_t r = 2; r < count; ++r) {
            if (r % 2 == 1) {
                fill_full_row(m, r);
            }
        }
        return m;
    }

    // Inverse-CDF draw of the size over an unnormalised cumulative table (exact IEEE ops only).
    std::vector<double> cumulative(static_cast<size_t>(n - 1));
    double              total = 0.0;
    for (int s = 1; s < n; ++s) {
        total += 1.0 / (static_cast<double>(s) * static_cast<double>(n - s));
        cumulative[s - 1] = total;
    }
    // A persistent permutation: a partial Fisher-Yates shuffle from any starting order yields
    // a uniform subset, so it never needs resetting and a row costs O(min(s, n-s)).
    std::vector<int> perm(static_cast<size_t>(n));
    std::iota(perm.begin(), perm.end(), 0);

    for (size_t r = 2; r < count; ++r) {
        if (paired && r % 2 == 1) {
            const uint64_t * prev = m.row(r - 1);
            uint64_t *       row  = m.row(r);
            for (size_t w = 0; w < m.words; ++w) {
                row[w] = ~prev[w];
            }
            row[m.words - 1] &= last_word_mask(n);
            continue;
        }
        const double u           = rng.uniform() * total;
        const auto   it          = std::upper_bound(cumulative.begin(), cumulative.end(), u);
        const int    size        = std::min(static_cast<int>(it - cumulative.begin()) + 1, n - 1);
        const bool   keep_chosen = size <= n - size;
        const int    picks       = keep_chosen ? size : n - size;
        if (!keep_chosen) {
            fill_full_row(m, r);
        }
        for (int t = 0; t < picks; ++t) {
            const int j = t + static_cast<int>(rng.below(static_cast<uint64_t>(n - t)));
            std::swap(perm[t], perm[j]);
            m.set(r, perm[t], keep_chosen);
        }
    }
    return m;
}

}  // namespace spex
