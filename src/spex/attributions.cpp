#include "attributions.h"

#include "mobius.h"

namespace spex {

std::vector<double> shapley_values(const sparse_fourier & f) {
    require_valid_terms(f, "shapley_values");
    std::vector<double> phi(static_cast<size_t>(f.n), 0.0);
    for (const fourier_term & t : f.terms) {
        const size_t d = t.set.size();
        // Even-degree terms take the same value at x = 0 and x = 1 for every feature in
        // them, so they move no Shapley value.
        if (d % 2 == 0) {
            continue;
        }
        const double share = -2.0 * t.coef / static_cast<double>(d);
        for (int i : t.set) {
            phi[static_cast<size_t>(i)] += share;
        }
    }
    return phi;
}

std::vector<double> banzhaf_values(const sparse_fourier & f) {
    require_valid_terms(f, "banzhaf_values");
    std::vector<double> beta(static_cast<size_t>(f.n), 0.0);
    for (const fourier_term & t : f.terms) {
        if (t.set.size() == 1) {
            // += rather than =: an uncanonicalized f may list {i} twice.
            beta[static_cast<size_t>(t.set[0])] += -2.0 * t.coef;
        }
    }
    return beta;
}

}  // namespace spex
