// mobius: conversions between the Fourier form f(x) = sum_k F(k) (-1)^<x,k> and the
// Möbius form f(x) = sum_{S ⊆ supp x} a(S) (docs/method.md §1, §7).
//
// The Möbius form is what users read ("these features together add a(S)"), and what
// synthetic functions are often written in, but a degree-d Fourier term spreads over all
// 2^d of its subsets. Both conversions therefore expand fully and refuse terms above a
// degree cap rather than silently running out of memory. compute_interaction_index
// (interaction_indices.h) gives Möbius coefficients up to a chosen order without the
// full expansion.
#pragma once

#include "feature_set.h"
#include "sparse_fourier.h"

#include <vector>

namespace spex {

struct mobius_term {
    feature_set set;
    double      coef = 0.0;
};

// a(S) = (-2)^|S| sum_{k ⊇ S} F(k) for every S that is a subset of some term, exact zeros
// dropped, sorted by decreasing |coef| (ties: shorter set first, then lexicographic).
// Throws spex_error if a term has degree > max_expand_degree (which must be in [0, 32]).
std::vector<mobius_term> fourier_to_mobius(const sparse_fourier & f, int max_expand_degree = 16);

// F(k) = (-1)^|k| sum_{S ⊇ k} 2^-|S| a(S); duplicate sets in `a` are summed. The result
// is sorted like sparse_fourier::sort_by_magnitude, exact zeros dropped. Same cap rules;
// also throws spex_error if a set is not strictly increasing within [0, n).
sparse_fourier mobius_to_fourier(int n, const std::vector<mobius_term> & a, int max_expand_degree = 20);

// Sort by decreasing |coef|; ties: shorter set first, then lexicographic. The one order
// every explanation list uses, so printed output is deterministic.
bool explanation_order(const feature_set & a, double va, const feature_set & b, double vb);

// Throws spex_error unless `s` is strictly increasing within [0, n). `context` names the
// caller in the message (e.g. "shapley_values").
void require_valid_set(const feature_set & s, int n, const char * context);

// require_valid_set for every term of f.
void require_valid_terms(const sparse_fourier & f, const char * context);

}  // namespace spex
