// attributions: per-feature (marginal) attributions read straight off the Fourier terms
// (docs/method.md §7), with no Möbius expansion, so they cost O(sum of term degrees) at any degree.
#pragma once

#include "sparse_fourier.h"

#include <vector>

namespace spex {

// Shapley values, phi_i = -2 sum_{k ∋ i, |k| odd} F(k) / |k|; size n.
// Sum_i phi_i = f(1) - f(0) (efficiency).
std::vector<double> shapley_values(const sparse_fourier & f);

// Banzhaf values, beta_i = -2 F({i}); size n.
std::vector<double> banzhaf_values(const sparse_fourier & f);

}  // namespace spex
