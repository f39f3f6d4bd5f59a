// bin_columns: the transformed SPEX samples, arranged bin-major for the decoder.
//
// After the WHT of each (group c, delay i) block, bin j of group c is the column
// U_c[:, j] in R^(p+1) (docs/method.md §3). Peeling reads and subtracts whole columns, so they are
// stored contiguously: entry (c, j, i) at ((c * bins) + j) * (p+1) + i.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spex {

struct bin_columns {
    int                 groups = 0;
    int                 bins   = 0;  // 2^b
    int                 rows   = 0;  // p + 1
    std::vector<double> data;

    double *       col(int c, uint32_t j) { return data.data() + (size_t(c) * bins + j) * rows; }
    const double * col(int c, uint32_t j) const { return data.data() + (size_t(c) * bins + j) * rows; }
};

// Transforms raw samples in query order (q = ((c*(p+1)) + i) * 2^b + z) into bin columns.
// `samples` is consumed as scratch space.
bin_columns transform_samples(std::vector<double> & samples, int groups, int p, int b);

}  // namespace spex
