// baseline_sampling: the query masks of the equal-budget baselines (LIME, KernelSHAP,
// Faith-Banzhaf). The caller evaluates the model on them and hands (masks, values) to the
// matching fit, which returns a sparse_fourier surrogate, so every method is scored by
// the same R^2 / Shapley / index code as SPEX.
//
// All draws come from the caller's spex::prng (use PRNG_STREAM_BASELINE), in a fixed
// order, so a seed gives the same masks on every platform. Padding bits are zero.
#pragma once

#include "spex/mask_matrix.h"
#include "spex/prng.h"

#include <cstddef>
#include <vector>

namespace spex {

// i.i.d. uniform bits: the Faith-Banzhaf design and the hold-out masks of §8.
mask_matrix sample_uniform_masks(int n, size_t count, prng & rng);

// The uniform design of ProxySPEX, the ridge surrogates and `auto`: row 0 keeps every player,
// row 1 none, the rest are uniform draws with no mask repeated (a repeat buys no information).
// When count >= 2^n (small n) every mask is taken once, in a seeded random order after the two
// fixed rows, and the matrix has 2^n rows. Any prefix of the rows is itself a uniform design,
// which is what lets a session answer before all its queries are in (session::snapshot).
mask_matrix sample_distinct_uniform_masks(int n, size_t count, prng & rng);

// Row 0 keeps every player (LIME always queries the instance itself); rows 1.. are
// uniform, as the equal-budget comparison of spex.md §8 prescribes. (LimeTextExplainer
// itself draws the number of removed words uniformly from 1..n; its weights and fit are
// what fit_lime reproduces.) count >= 1.
mask_matrix sample_lime_masks(int n, size_t count, prng & rng);

// Row 0 keeps no player, row 1 every player (the two rows fit_kernel_shap holds exact).
// Each further row draws a size s in [1, n-1] with probability proportional to the Shapley
// kernel (n-1)/(s(n-s)), then a uniform subset of that size, so the fit is an unweighted
// regression. With paired = true (the default, as in shap) rows come in complementary
// pairs x, 1-x: the kernel is symmetric in s <-> n-s so the marginal law is unchanged, the
// even part of f drops out of the fit, and the estimate is exact for any f whose Möbius
// terms have order <= 2 (Covert & Lee 2021). An odd number of sampled rows leaves the
// last one unpaired. At n = 1 there is no size in [1, n-1]; the extra rows repeat the
// empty and full masks, which leaves the (already exact) fit unchanged. count >= 2.
mask_matrix sample_kernel_shap_masks(int n, size_t count, prng & rng, bool paired = true);

// The law of the KernelSHAP row size: element s (0..n) is (n-1)/(s(n-s)) normalised over
// s = 1..n-1, 0 at s = 0 and s = n. Empty for n < 2.
std::vector<double> kernel_shap_size_probabilities(int n);

}  // namespace spex
