// interaction_indices: the interaction indices of docs/method.md §7 (Möbius, Fourier, SII, BII,
// STII, FSII, FBII, k-SII) and the Shapley/Banzhaf values, all computed from Fourier terms.
//
// Every index is a Möbius-weighted sum Index(T) = sum_{R ⊇ T} w(|R|, |T|) a(R), so it is
// also a Fourier-weighted sum Index(T) = sum_{k ⊇ T} F(k) W(|k|, |T|) with
//     W(d, q) = (-2)^q sum_{j=0}^{d-q} C(d-q, j) (-2)^j w(q+j, q).
// Using W each term only visits its subsets of size <= order (no 2^d Möbius expansion).
// The alternating sum cancels catastrophically in floating point at large d, so W is
// evaluated in exact 128-bit rational arithmetic, or by a closed form where one exists.
#pragma once

#include "feature_set.h"
#include "sparse_fourier.h"

#include <string>
#include <vector>

namespace spex {

enum index_kind {
    INDEX_MOBIUS,   // a(T), |T| <= order
    INDEX_FOURIER,  // F(T), |T| <= order
    INDEX_SII,      // Shapley interaction index
    INDEX_BII,      // Banzhaf interaction index
    INDEX_STII,     // Shapley-Taylor interaction index of order ℓ
    INDEX_FSII,     // Faithful Shapley interaction index of order ℓ
    INDEX_FBII,     // Faithful Banzhaf interaction index of order ℓ
    INDEX_KSII,     // k-SII of order ℓ (shapiq's default aggregation of SII)
    INDEX_SV,       // Shapley values (order 1)
    INDEX_BV,       // Banzhaf values (order 1)
};

// Case-insensitive: "mobius"/"möbius"/"moebius", "fourier", "SII", "BII", "STII", "FSII",
// "FBII", "k-SII"/"ksii"/"k_sii", "SV"/"shapley", "BV"/"banzhaf". False if unknown.
bool parse_index_kind(const std::string & name, index_kind & out);

// Canonical name: "mobius", "fourier", "SII", "BII", "STII", "FSII", "FBII", "k-SII", "SV", "BV".
const char * index_kind_name(index_kind kind);

// "mobius, fourier, SII, BII, STII, FSII, FBII, k-SII, SV, BV", for error messages.
std::string index_kind_list();

struct index_value {
    feature_set set;
    double      value = 0.0;
};

struct interaction_index {
    index_kind               kind  = INDEX_MOBIUS;
    int                      order = 1;
    std::vector<index_value> values;  // nonzero only, by decreasing |value| (explanation_order)
};

// The index of the given order for every set T with |T| <= order that lies inside some
// term of f (every other T is exactly 0). T = ∅ is included for mobius, fourier, STII,
// FSII, FBII and k-SII (where it is a(∅) or the fitted constant) and excluded for SII,
// BII, SV and BV. SV and BV force order 1.
// Throws spex_error if order < 1, if a term is not a valid set of f, or if a term's
// degree is too high for exact STII/FSII/k-SII weights (128-bit overflow, far above 30).
interaction_index compute_interaction_index(const sparse_fourier & f, index_kind kind, int order);

// W(d, q) as compute_interaction_index uses it: the weight of a degree-d Fourier term in
// the index of each of its q-subsets (0 where the index is not defined for q).
// Closed forms for mobius, fourier, SII/SV, BII/BV and FBII; exact rationals otherwise.
double fourier_index_weight(index_kind kind, int order, int d, int q);

// The same W always by the generic exact rational sum over the Möbius weights w(r, q) of
// docs/method.md §7, closed forms bypassed. Exposed so tests can check each closed form against it.
double fourier_index_weight_generic(index_kind kind, int order, int d, int q);

}  // namespace spex
