// explanations: see explanations.h.
#include "report/explanations.h"

#include "spex/attributions.h"

#include <chrono>

namespace spexlens {

explanation_set explain_surrogate(const spex::sparse_fourier & surrogate, const explanation_options & options) {
    const auto      start = std::chrono::steady_clock::now();
    explanation_set e;

    const int degree = surrogate.max_degree();
    if (degree <= max_mobius_expand_degree) {
        e.mobius     = spex::fourier_to_mobius(surrogate, max_mobius_expand_degree);
        e.has_mobius = true;
    } else {
        e.notes.push_back("Mobius form omitted: the surrogate has a term of degree " + std::to_string(degree) + " > " +
                          std::to_string(max_mobius_expand_degree) + ", which would expand into 2^" +
                          std::to_string(degree) + " subsets; interaction indices are still exact");
    }
    e.shapley = spex::shapley_values(surrogate);
    e.banzhaf = spex::banzhaf_values(surrogate);
    e.index   = spex::compute_interaction_index(surrogate, options.index, options.index_order);
    if (options.max_removed > 0) {
        e.removal     = spex::removal_search(surrogate, options.max_removed);
        e.has_removal = true;
    }
    e.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return e;
}

}  // namespace spexlens
