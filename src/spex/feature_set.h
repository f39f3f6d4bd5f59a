// feature_set: a set of players (features) as a sorted list of indices.
//
// Interaction sets are small (degree <= ~t, rarely above 16) while n reaches 4096,
// so a sorted index list is far smaller than an n-bit vector and hashes cheaply.
// The same type names a Fourier frequency k, a Möbius subset S and an index set T.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spex {

using feature_set = std::vector<int>;  // strictly increasing indices in [0, n)

// FNV-style mix of the indices; for unordered_map keys.
struct feature_set_hash {
    size_t operator()(const feature_set & s) const {
        uint64_t h = 0xcbf29ce484222325ull;
        for (int v : s) {
            h ^= static_cast<uint64_t>(v) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
            h *= 0x100000001b3ull;
        }
        return static_cast<size_t>(h ^ (h >> 32));
    }
};

// True if a is a subset of b (both sorted).
bool is_subset(const feature_set & a, const feature_set & b);

// Symmetric difference of two sorted sets (the set of k XOR k').
feature_set symmetric_difference(const feature_set & a, const feature_set & b);

}  // namespace spex
