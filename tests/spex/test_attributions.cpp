// Shapley and Banzhaf values from Fourier terms against their subset-sum definitions.
#include "brute_force.h"
#include "spex/attributions.h"
#include "spex/mobius.h"
#include "spex/spex_error.h"

#include <catch2/catch.hpp>

#include <cmath>

namespace {

const double kTol = 1e-9;

}  // namespace

TEST_CASE("shapley_values and banzhaf_values match the subset sums", "[attributions]") {
    for (int trial = 0; trial < 12; ++trial) {
        spex::prng                 rng(400 + static_cast<uint64_t>(trial), spex::PRNG_STREAM_USER);
        const int                  n      = 5 + trial % 8;  // 5..12
        const spex::sparse_fourier f      = spex_bf::random_fourier(rng, n, 20, 6);
        const std::vector<double>  values = spex_bf::value_table(f);
        const std::vector<double>  phi    = spex::shapley_values(f);
        const std::vector<double>  beta   = spex::banzhaf_values(f);
        REQUIRE(phi.size() == static_cast<size_t>(n));
        REQUIRE(beta.size() == static_cast<size_t>(n));
        double phi_sum = 0.0;
        for (int i = 0; i < n; ++i) {
            const uint32_t bit = 1u << i;
            double         sv = 0.0, bv = 0.0;
            for (uint32_t s = 0; s < values.size(); ++s) {
                if (s & bit) {
                    continue;
                }
                const int    size     = spex_bf::popcount(s);
                const double marginal = values[s | bit] - values[s];
                sv += spex_bf::factorial(size) * spex_bf::factorial(n - size - 1) / spex_bf::factorial(n) * marginal;
                bv += marginal;
            }
            bv = std::ldexp(bv, 1 - n);
            INFO("n = " << n << ", i = " << i);
            CHECK(std::fabs(phi[static_cast<size_t>(i)] - sv) < kTol);
            CHECK(std::fabs(beta[static_cast<size_t>(i)] - bv) < kTol);
            phi_sum += phi[static_cast<size_t>(i)];
        }
        // Efficiency: the values share out f(1) - f(0).
        CHECK(std::fabs(phi_sum - (values.back() - values.front())) < kTol);
    }
}

TEST_CASE("the AND of two features splits evenly", "[attributions]") {
    // f = x0 * x1 on three features: phi = beta = (1/2, 1/2, 0).
    const spex::sparse_fourier f    = spex::mobius_to_fourier(3, {{{0, 1}, 1.0}});
    const std::vector<double>  phi  = spex::shapley_values(f);
    const std::vector<double>  beta = spex::banzhaf_values(f);
    CHECK(phi == std::vector<double>{0.5, 0.5, 0.0});
    CHECK(beta == std::vector<double>{0.5, 0.5, 0.0});
}

TEST_CASE("attributions reject terms outside 0..n-1", "[attributions]") {
    spex::sparse_fourier f;
    f.n     = 3;
    f.terms = {{{0, 3}, 1.0}};
    CHECK_THROWS_AS(spex::shapley_values(f), spex::spex_error);
    CHECK_THROWS_WITH(spex::banzhaf_values(f), Catch::Contains("banzhaf_values") && Catch::Contains("n = 3"));
}
