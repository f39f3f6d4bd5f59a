// ground_truth: how well a surrogate recovered a planted function, which only the CLI and
// teaching mode can know. Definitions, documented in docs/result-schema.md:
//
//  - planted terms: the function's non-constant Fourier terms, |F(k)| > 1e-12 max|F|
//    (Möbius-basis functions are expanded exactly; the cutoff only drops rounding residue);
//  - threshold tau = 1e-9 * scale + 5 * noise_sd / sqrt(queries), scale = the largest planted
//    non-constant |F(k)| (else |F(0)|, else 1); the second part is five standard errors of a
//    least-squares coefficient under the function's noise;
//  - recovered: a planted k whose surrogate coefficient has |F_hat(k)| >= tau;
//  - spurious: a surrogate term, not planted and non-constant, with |F_hat(k)| >= tau;
//  - max_abs_error: max over all k (constant included) of |F_hat(k) - F(k)|;
//  - r2_clean: R^2 of the surrogate against the noiseless function on 5,000 uniform masks
//    drawn from prng(seed, spex::synthetic_r2_clean_stream);
//  - in the basis the function was written in (Fourier or Möbius): each written term with the
//    surrogate's coefficient on the same set in that basis, and whether it is close:
//    |estimate - planted| <= 0.1 |planted| + 5 noise_sd / sqrt(queries) (a Möbius coefficient of a
//    pair is 4 Fourier coefficients' worth of noise, so the noise part is a floor, not exact).
#pragma once

#include "report/result_json.h"
#include "spex/sparse_fourier.h"
#include "spex/synthetic_function.h"

#include <cstdint>

namespace spexlens {

constexpr int    ground_truth_masks          = 5000;
constexpr double ground_truth_relative_tau   = 1e-9;
constexpr double ground_truth_noise_z        = 5.0;
constexpr double ground_truth_planted_cutoff = 1e-12;

constexpr double ground_truth_close_relative = 0.1;

// One term as the function was written, next to the surrogate's value on the same set.
struct planted_basis_term {
    spex::feature_set set;
    double            planted  = 0.0;
    double            estimate = 0.0;  // 0 when the surrogate has nothing on this set
    bool              close    = false;
};

struct ground_truth_report {
    spex::sparse_fourier            planted;  // non-constant planted terms, by decreasing |coef|
    double                          planted_constant = 0.0;
    double                          threshold        = 0.0;
    std::vector<spex::feature_set>  missed;    // planted but not recovered
    spex::sparse_fourier            spurious;  // surrogate terms above threshold, not planted
    int                             recovered     = 0;
    double                          max_abs_error = 0.0;
    bool                            r2_defined    = false;  // false when the clean function is constant
    double                          r2_clean      = 0.0;
    spex::function_basis            basis         = spex::BASIS_FOURIER;  // the basis the function was written in
    std::vector<planted_basis_term> basis_terms;  // its non-constant terms, by decreasing |planted|
    int                             close = 0;    // basis_terms that are close
};

// Throws spex::spex_error if the function's Fourier expansion is too large (Möbius degree > 20).
ground_truth_report compare_with_planted(const spex::synthetic_function & function,
                                         const spex::sparse_fourier & surrogate, int64_t queries, uint64_t seed);

ordered_json ground_truth_to_json(const ground_truth_report & report);

}  // namespace spexlens
