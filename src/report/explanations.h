// explanations: everything spexlens derives from a Fourier surrogate without new model calls
// (docs/method.md §7): the Möbius form, Shapley and Banzhaf values, one interaction index, and the
// removal search. One function computes the lot, so the CLI, the text explainer and the page
// all explain a surrogate the same way.
#pragma once

#include "spex/interaction_indices.h"
#include "spex/mobius.h"
#include "spex/removal_search.h"
#include "spex/sparse_fourier.h"

#include <string>
#include <vector>

namespace spexlens {

// The Möbius expansion is capped at this Fourier degree (2^d subsets per term).
constexpr int max_mobius_expand_degree = 16;

struct explanation_options {
    spex::index_kind index       = spex::INDEX_FSII;
    int              index_order = 2;
    int              max_removed = 7;  // 0: skip the removal search
};

struct explanation_set {
    bool                           has_mobius = false;  // false when a term's degree exceeds the cap
    std::vector<spex::mobius_term> mobius;              // sorted by decreasing |coef|
    std::vector<double>            shapley;             // n values
    std::vector<double>            banzhaf;             // n values
    spex::interaction_index        index;
    bool                           has_removal = false;  // false when max_removed = 0
    spex::removal_result           removal;
    std::vector<std::string>       notes;  // e.g. why the Möbius form is missing
    double                         elapsed_ms = 0.0;
};

// Throws spex::spex_error for invalid options (e.g. index order < 1).
explanation_set explain_surrogate(const spex::sparse_fourier & surrogate, const explanation_options & options);

}  // namespace spexlens
