// tree_fourier: the exact Fourier transform of a regression tree and of a boosted ensemble
// (boosted_trees.h), in the engine's sparse_fourier form f(x) = sum_k F(k) (-1)^<x,k>.
//
// Method. A leaf reached by the path conditions x_j = b_j (j in P) contributes
//   value * prod_{j in P} [x_j = b_j],  [x_j = 1] = (1 - chi_j) / 2,  [x_j = 0] = (1 + chi_j) / 2,
// whose expansion is value * 2^-|P| * sum_{S ⊆ P} prod_{j in S} (b_j ? -1 : +1) chi_S: 2^|P|
// terms of degree <= |P|. A tree is the sum over its leaves, an ensemble the sum over its
// trees plus the base value as the ∅ term. A path may test a feature more than once: a
// repeated test with the same outcome is dropped (the indicator is idempotent) and one with
// the opposite outcome makes the leaf unreachable, so it contributes nothing.
//
// Each set's coefficient is summed in the order its contributions arrive (trees in order,
// leaves depth first, subsets in a fixed order), and the output is sorted, so the output order
// and every floating-point sum are deterministic. The sets are found through a hash table that
// is only looked up, never iterated, so the hash cannot change a result.
#pragma once

#include "boosted_trees.h"
#include "spex/sparse_fourier.h"

namespace spex {

// Fourier coefficients of one tree over n players, canonical (sets in lexicographic order,
// no zero coefficients). Throws spex_error if a node index or feature is out of range or
// the nodes do not form a tree rooted at nodes[0].
sparse_fourier tree_fourier(const gbt_tree & tree, int n);

// Fourier coefficients of base + sum of the trees over ens.n players, canonical as above.
sparse_fourier ensemble_fourier(const gbt_ensemble & ens);

}  // namespace spex
