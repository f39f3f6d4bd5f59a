// kernel_shap: KernelSHAP (Lundberg & Lee 2017) as an additive surrogate in the common
// sparse_fourier form.
//
// Fits g(x) = phi_0 + sum_i phi_i x_i by least squares under the two constraints
// phi_0 = f(∅) and sum_i phi_i = f(1) - f(∅) (efficiency), held exactly. The masks are
// drawn with the Shapley kernel (sample_kernel_shap_masks), so the regression itself is
// unweighted. Then F(∅) = phi_0 + sum_i phi_i / 2 and F({i}) = -phi_i / 2, and the
// Shapley values read back from the surrogate (spex.md §7) are exactly the phi_i.
#pragma once

#include "lsqr.h"
#include "spex/mask_matrix.h"
#include "spex/sparse_fourier.h"

#include <vector>

namespace spex {

// Row 0 must be the empty mask and row 1 the full mask (as sample_kernel_shap_masks lays
// them out); rows 2.. are the regression rows. The efficiency constraint is eliminated by
// solving for phi - (f(1) - f(∅))/n in an orthonormal basis of the plane sum = 0, rather
// than by dropping one variable (shap's way), which would couple all the others and slow
// the matrix-free solve. Complementary pairs of rows are folded into one row each. With fewer
// regression rows than n - 1 the fit returns the minimum-norm solution (as shap's lstsq).
sparse_fourier fit_kernel_shap(const mask_matrix & masks, const std::vector<double> & values,
                               lsqr_report * report = nullptr);

}  // namespace spex
