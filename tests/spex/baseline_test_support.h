// Shared helpers of the baseline tests: set functions given by Möbius terms, evaluated
// and explained by brute force, independently of the engine's conversions.
#pragma once

#include "spex/mask_matrix.h"
#include "spex/prng.h"
#include "spex/sparse_fourier.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace spex_test {

// f(x) = sum_T a(T) [T ⊆ x], with T a bitmask over n <= 30 players.
struct moebius_function {
    int                   n = 0;
    std::vector<uint32_t> sets;
    std::vector<double>   coefs;

    double at(uint32_t x) const {
        double sum = 0.0;
        for (size_t t = 0; t < sets.size(); ++t) {
            if ((sets[t] & x) == sets[t]) {
                sum += coefs[t];
            }
        }
        return sum;
    }
};

inline uint32_t row_bits(const spex::mask_matrix & m, size_t r) {
    return static_cast<uint32_t>(m.row(r)[0]);  // n <= 30 only
}

inline std::vector<double> evaluate_all(const moebius_function & f, const spex::mask_matrix & m) {
    std::vector<double> y(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        y[r] = f.at(row_bits(m, r));
    }
    return y;
}

// Random terms: `count` distinct-or-not subsets of size 1..max_degree plus a constant,
// coefficients uniform in [-1, 1].
inline moebius_function random_moebius(int n, int count, int max_degree, spex::prng & rng) {
    moebius_function f;
    f.n = n;
    f.sets.push_back(0);
    f.coefs.push_back(2.0 * rng.uniform() - 1.0);
    for (int t = 0; t < count; ++t) {
        const int size = 1 + static_cast<int>(rng.below(static_cast<uint64_t>(max_degree)));
        uint32_t  set  = 0;
        while (__builtin_popcount(set) < size) {
            set |= uint32_t(1) << rng.below(static_cast<uint64_t>(n));
        }
        f.sets.push_back(set);
        f.coefs.push_back(2.0 * rng.uniform() - 1.0);
    }
    return f;
}

inline double factorial(int k) {
    double v = 1.0;
    for (int i = 2; i <= k; ++i) {
        v *= i;
    }
    return v;
}

// Exact Shapley values by enumerating all 2^n coalitions.
inline std::vector<double> brute_force_shapley(const moebius_function & f) {
    const int           n = f.n;
    std::vector<double> phi(static_cast<size_t>(n), 0.0);
    for (int i = 0; i < n; ++i) {
        const uint32_t bit = uint32_t(1) << i;
        for (uint32_t s = 0; s < (uint32_t(1) << n); ++s) {
            if (s & bit) {
                continue;
            }
            const int k = __builtin_popcount(s);
            phi[i] += factorial(k) * factorial(n - k - 1) / factorial(n) * (f.at(s | bit) - f.at(s));
        }
    }
    return phi;
}

// Coefficient of the set {i} (or ∅ for i < 0) in a surrogate; 0 if absent.
inline double coef_of(const spex::sparse_fourier & f, const spex::feature_set & k) {
    double sum = 0.0;
    for (const auto & t : f.terms) {
        if (t.set == k) {
            sum += t.coef;
        }
    }
    return sum;
}

// Shapley value of player i read back from an additive surrogate: phi_i = -2 F({i}).
inline double additive_phi(const spex::sparse_fourier & f, int i) { return -2.0 * coef_of(f, {i}); }

}  // namespace spex_test
