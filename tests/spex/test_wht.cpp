// The fast WHT against the defining sum, with MSB-first indices on both sides.
#include "spex/prng.h"
#include "spex/wht.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace spex;

TEST_CASE("fast WHT equals the brute-force transform", "[wht]") {
    prng r(31);
    for (int b = 0; b <= 10; ++b) {
        const size_t        size = size_t(1) << b;
        std::vector<double> v(size), ref(size, 0.0);
        for (double & x : v) {
            x = r.normal();
        }
        for (size_t j = 0; j < size; ++j) {
            for (size_t z = 0; z < size; ++z) {
                const int sign = __builtin_popcountll(z & j) & 1;
                ref[j] += sign ? -v[z] : v[z];
            }
            ref[j] /= static_cast<double>(size);
        }
        fwht_inplace(v.data(), b);
        for (size_t j = 0; j < size; ++j) {
            REQUIRE(v[j] == Approx(ref[j]).margin(1e-12));
        }
    }
}

TEST_CASE("WHT is its own inverse up to the 2^-b scale", "[wht]") {
    prng                r(32);
    const int           b = 8;
    std::vector<double> v(256), orig;
    for (double & x : v) {
        x = r.uniform();
    }
    orig = v;
    fwht_inplace(v.data(), b);
    fwht_inplace(v.data(), b);
    for (size_t i = 0; i < v.size(); ++i) {
        REQUIRE(v[i] * 256.0 == Approx(orig[i]).margin(1e-12));
    }
}
