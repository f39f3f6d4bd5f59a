#include "faithfulness.h"

namespace spex {

faithfulness_result r_squared(const sparse_fourier & surrogate, const mask_matrix & masks,
                              const std::vector<double> & values) {
    faithfulness_result out;
    out.holdout = static_cast<int>(masks.count);
    if (masks.count == 0) {
        return out;
    }
    double mean = 0.0;
    for (size_t r = 0; r < masks.count; ++r) {
        mean += values[r];
    }
    mean /= static_cast<double>(masks.count);
    double residual = 0.0, total = 0.0;
    for (size_t r = 0; r < masks.count; ++r) {
        const double e = values[r] - surrogate.evaluate(masks.row(r));
        residual += e * e;
        total += (values[r] - mean) * (values[r] - mean);
    }
    if (total > 0.0) {
        out.r2      = 1.0 - residual / total;
        out.defined = true;
    }
    return out;
}

}  // namespace spex
