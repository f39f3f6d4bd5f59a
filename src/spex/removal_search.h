// removal_search: which features to remove (x_i = 0) to move the surrogate the most,
// for the Rem(r) removal metric of docs/method.md §8.
//
// The interaction-aware search of the paper: greedy over the surrogate, here with an
// O(terms containing i) incremental update per removal and a 1-swap local search, so it
// stays cheap at n = 4096 with thousands of terms.
#pragma once

#include "feature_set.h"
#include "sparse_fourier.h"

#include <vector>

namespace spex {

struct removal_step {
    int         removed_count = 0;  // r
    feature_set removed;            // the r removed features, sorted
    double      predicted = 0.0;    // surrogate value with exactly these removed
};

struct removal_result {
    double                    full_value = 0.0;  // surrogate at the full mask (nothing removed)
    std::vector<removal_step> decrease;          // r = 1, 2, ...: predicted strictly decreasing
    std::vector<removal_step> increase;          // r = 1, 2, ...: predicted strictly increasing
};

// For r = 1..max_removed and each direction: extend the previous removed set by the
// feature that moves the surrogate furthest, then apply improving 1-swaps (re-keep one
// removed feature, remove one kept feature) until none helps. A step is kept only if it
// moves the surrogate strictly further than step r-1 (the full mask for r = 1); the list
// stops at the first r where neither the greedy extension nor the swaps manage that, as
// the reference greedy does (it pads those r with NaN). So each list has at most
// max_removed steps, and is empty when no single removal moves the surrogate that way.
// Each step's set is 1-swap optimal; steps need not be nested.
// Throws spex_error if max_removed < 0 or a term is not a valid set of f.
removal_result removal_search(const sparse_fourier & f, int max_removed);

}  // namespace spex
