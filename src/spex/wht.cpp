#include "wht.h"

#include <cstddef>

namespace spex {

void fwht_inplace(double * v, int b) {
    const size_t size = size_t(1) << b;
    for (size_t half = 1; half < size; half <<= 1) {
        for (size_t start = 0; start < size; start += 2 * half) {
            for (size_t i = start; i < start + half; ++i) {
                const double x = v[i];
                const double y = v[i + half];
                v[i]           = x + y;
                v[i + half]    = x - y;
            }
        }
    }
    const double scale = 1.0 / static_cast<double>(size);
    for (size_t i = 0; i < size; ++i) {
        v[i] *= scale;
    }
}

}  // namespace spex
