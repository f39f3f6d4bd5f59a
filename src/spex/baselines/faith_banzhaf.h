// faith_banzhaf: the Faith-Banzhaf interaction index of order ℓ (Tsai, Yeh & Ravikumar
// 2023) as a surrogate in the common sparse_fourier form: the uniform least-squares fit
// of f by all terms of degree <= ℓ.
//
// The Möbius terms prod_{i in T} x_i with |T| <= ℓ span the same space as the Fourier
// parities (-1)^<x,k> with |k| <= ℓ, so the fit is solved directly in the Fourier basis.
// There, under uniform masks, the columns are nearly orthogonal (exactly so with all 2^n
// masks), which makes the matrix-free LSQR solve converge in few steps; the dense N x P
// matrix is never formed (at n = 100, ℓ = 2: P = 5,051, N ~ 7k).
// The Möbius coefficients of the fit are the FBII_ℓ values (spex.md §7).
#pragma once

#include "lsqr.h"
#include "spex/mask_matrix.h"
#include "spex/sparse_fourier.h"

#include <cstddef>
#include <vector>

namespace spex {

// Above this many parameters the fit is refused: each LSQR step costs ~4·N·P flops and
// N >= P, so P = 20,000 already means >= 1.6e9 flops a step (~25 s natively in all).
constexpr size_t faith_banzhaf_max_parameters = 20000;

// sum_{q=0..order} C(n, q), saturating at SIZE_MAX.
size_t faith_banzhaf_parameter_count(int n, int order);

// order in 1..3. Needs masks.count >= faith_banzhaf_parameter_count(n, order) and at most
// faith_banzhaf_max_parameters parameters. `ridge` is relative: the penalty is
// ridge * N * ||F||^2, i.e. ridge times the diagonal of the Fourier Gram (all entries N),
// which only steadies a nearly singular design. Terms come out as ∅, then {i}, then
// {i,j} (i < j), then {i,j,k}, each in lexicographic order.
sparse_fourier fit_faith_banzhaf(const mask_matrix & masks, const std::vector<double> & values, int order,
                                 double ridge = 1e-8, lsqr_report * report = nullptr);

}  // namespace spex
