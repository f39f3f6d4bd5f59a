// synthetic_function: planted sparse functions with a known answer, for teaching mode,
// the `spexlens solve` CLI, the tests and the benchmark (docs/method.md §8, "Synthetic recovery").
//
// A function is a list of terms in the Fourier basis, f(x) = sum F(k) (-1)^<x,k>, or the
// Möbius basis, f(x) = sum a(S) [S subset of kept features], plus optional Gaussian noise
// on every query drawn from a seeded stream.
#pragma once

#include "faithfulness.h"
#include "feature_set.h"
#include "prng.h"
#include "sparse_fourier.h"

#include <cstdint>
#include <vector>

namespace spex {

enum function_basis { BASIS_FOURIER, BASIS_MOBIUS };

struct synthetic_term {
    feature_set set;
    double      coef = 0.0;
};

struct synthetic_function {
    int                         n     = 0;
    function_basis              basis = BASIS_FOURIER;
    std::vector<synthetic_term> terms;
    double                      noise_sd = 0.0;

    // Noiseless value at one bit-packed mask.
    double clean_value(const uint64_t * mask) const;

    // Checks n in 1..4096, sets sorted, distinct and in range, coefficients finite, noise_sd >= 0.
    // Sorts each set. Throws spex_error naming the offending term.
    void validate_and_normalize();
};

// The planted benchmark family of docs/method.md §8: f = constant + sum_{k in K} F(k)(-1)^<x,k> with s distinct
// random k of degree uniform in [1, max_degree], |F| uniform in [min_abs, max_abs], random sign.
synthetic_function random_sparse_function(int n, int s, int max_degree, uint64_t seed, double constant = 1.0,
                                          double min_abs = 0.5, double max_abs = 2.0);

// Streams a synthetic run draws from (after the engine's own, see prng.h).
constexpr uint64_t synthetic_noise_stream    = PRNG_STREAM_USER + 1;  // per-query noise, in query order
constexpr uint64_t synthetic_r2_clean_stream = PRNG_STREAM_USER + 2;  // masks for the clean R^2

// R^2 of a surrogate against the NOISELESS function on `masks` uniform masks drawn from
// prng(seed, synthetic_r2_clean_stream): how close the explanation is to the planted truth.
faithfulness_result r2_against_clean(const synthetic_function & f, const sparse_fourier & surrogate, size_t masks,
                                     uint64_t seed);

// The function's exact Fourier expansion (Möbius terms expanded; throws beyond degree 20).
sparse_fourier synthetic_fourier(const synthetic_function & f);

}  // namespace spex
