// linear_surrogate: a linear model on 0/1 masks as a sparse Fourier function, the form every
// spexlens explanation is computed from.
//
// With x_i = (1 - (-1)^x_i) / 2, f(x) = c0 + sum_i w_i x_i has
//   F(empty) = c0 + sum_i w_i / 2   and   F({i}) = -w_i / 2.
#pragma once

#include "spex/sparse_fourier.h"

#include <Eigen/Dense>

namespace spex {

sparse_fourier linear_to_fourier(double intercept, const Eigen::VectorXd & slopes);

}  // namespace spex
