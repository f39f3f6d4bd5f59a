#include "prng.h"

#include <cmath>

namespace spex {

uint64_t splitmix64(uint64_t & state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z          = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z          = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

prng::prng(uint64_t seed, uint64_t stream) {
    uint64_t sm = seed ^ (stream * 0xd1b54a32d192ed03ull);
    for (uint64_t & w : s_) {
        w = splitmix64(sm);
    }
}

prng prng::from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
    prng r;
    r.s_[0] = s0;
    r.s_[1] = s1;
    r.s_[2] = s2;
    r.s_[3] = s3;
    return r;
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t prng::next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t      = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

double prng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

uint64_t prng::below(uint64_t bound) {
    // Rejection on the top of the range keeps every residue equally likely.
    const uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
    uint64_t       r;
    do {
        r = next_u64();
    } while (r >= limit);
    return r % bound;
}

double prng::normal() {
    for (;;) {
        const double u = 2.0 * uniform() - 1.0;
        const double v = 2.0 * uniform() - 1.0;
        const double s = u * u + v * v;
        if (s > 0.0 && s < 1.0) {
            return u * std::sqrt(-2.0 * portable_log(s) / s);
        }
    }
}

double portable_log(double x) {
    // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172.
    int    e = 0;
    double m = std::frexp(x, &e);  // exact; m in [0.5, 1)
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        e -= 1;
    }
    const double s    = (m - 1.0) / (m + 1.0);
    const double s2   = s * s;
    double       term = s;
    double       sum  = 0.0;
    for (int k = 1; k <= 41; k += 2) {  // s^42 < 1e-32: far past double precision
        sum += term / k;
        term *= s2;
    }
    return 2.0 * sum + e * 0.69314718055994530942;
}

}  // namespace spex
