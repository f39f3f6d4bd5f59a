#include "linear_surrogate.h"

namespace spex {

sparse_fourier linear_to_fourier(double intercept, const Eigen::VectorXd & slopes) {
    const int      n = static_cast<int>(slopes.size());
    sparse_fourier out;
    out.n = n;
    out.terms.reserve(static_cast<size_t>(n) + 1);
    out.terms.push_back({feature_set{}, intercept + 0.5 * slopes.sum()});
    for (int i = 0; i < n; ++i) {
        out.terms.push_back({feature_set{i}, -0.5 * slopes[i]});
    }
    return out;
}

}  // namespace spex
