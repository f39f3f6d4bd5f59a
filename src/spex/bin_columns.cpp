#include "bin_columns.h"

#include "wht.h"

namespace spex {

bin_columns transform_samples(std::vector<double> & samples, int groups, int p, int b) {
    bin_columns u;
    u.groups        = groups;
    u.bins          = 1 << b;
    u.rows          = p + 1;
    const size_t bs = size_t(u.bins);
    u.data.assign(size_t(groups) * bs * u.rows, 0.0);
    for (int c = 0; c < groups; ++c) {
        for (int i = 0; i <= p; ++i) {
            double * block = samples.data() + (size_t(c) * u.rows + i) * bs;
            fwht_inplace(block, b);
            for (size_t j = 0; j < bs; ++j) {
                u.col(c, static_cast<uint32_t>(j))[i] = block[j];
            }
        }
    }
    return u;
}

}  // namespace spex
