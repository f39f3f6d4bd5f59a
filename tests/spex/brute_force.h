// Brute-force references for the explanation-layer tests (mobius, attributions, indices,
// removal): everything by enumerating all 2^n masks at n <= 12, straight from the
// definitions in docs/method.md §1 and §7, sharing no code with the engine's conversions.
#pragma once

#include "spex/feature_set.h"
#include "spex/prng.h"
#include "spex/sparse_fourier.h"

#include <cstdint>
#include <map>
#include <vector>

namespace spex_bf {

// Random sparse Fourier function: `count` distinct sets of degree 0..max_degree (uniform),
// coefficients uniform in ±[0.1, 1] so none is negligible.
spex::sparse_fourier random_fourier(spex::prng & rng, int n, int count, int max_degree);

uint32_t          to_bits(const spex::feature_set & s);
spex::feature_set to_set(uint32_t bits);
int               popcount(uint32_t bits);

// f at every mask; index = mask with bit i set when feature i is kept.
std::vector<double> value_table(const spex::sparse_fourier & f);

// a(S) = sum_{L ⊆ S} (-1)^{|S|-|L|} f(1_L) for every S, from a value table.
std::vector<double> mobius_table(const std::vector<double> & values);

// Delta_T f(S) = sum_{L ⊆ T} (-1)^{|T|-|L|} f(S ∪ L), for S disjoint from T.
double discrete_derivative(const std::vector<double> & values, uint32_t t, uint32_t s);

double binomial(int n, int k);
double factorial(int n);

// All subsets of {0..n-1} of size <= max_size, as bitmasks.
std::vector<uint32_t> subsets_up_to(int n, int max_size);

// Bernoulli numbers B_0..B_12 with B_1 = -1/2, written out from tables.
double bernoulli(int j);

}  // namespace spex_bf
