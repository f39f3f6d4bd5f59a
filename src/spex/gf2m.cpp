#include "gf2m.h"

#include "spex_error.h"

#include <string>

namespace spex {

uint32_t default_primitive_polynomial(int m) {
    static const uint32_t table[] = {
        0x7,   0xB,   0x13,  0x25,  0x43,   0x89,   // m = 2..7
        0x11D, 0x211, 0x409, 0x805, 0x1053, 0x201B  // m = 8..13
    };
    if (m < 2 || m > 13) {
        throw spex_error("GF(2^" + std::to_string(m) + ") is not supported: m must be in 2..13");
    }
    return table[m - 2];
}

gf2m::gf2m(int m) : m_(m), order_((1 << m) - 1), exp_(2 * ((1 << m) - 1) + 1), log_(1 << m, -1) {
    const uint32_t poly = default_primitive_polynomial(m);
    uint32_t       a    = 1;
    for (int e = 0; e < order_; ++e) {
        exp_[e] = static_cast<int>(a);
        log_[a] = e;
        a <<= 1;
        if (a & (1u << m)) {
            a ^= poly;
        }
    }
    for (int e = order_; e < static_cast<int>(exp_.size()); ++e) {
        exp_[e] = exp_[e - order_];
    }
}

}  // namespace spex
