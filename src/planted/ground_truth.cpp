// ground_truth: see ground_truth.h.
#include "planted/ground_truth.h"

#include "spex/mobius.h"  // explanation_order
#include "spex/synthetic_function.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace spexlens {

namespace {

// The surrogate's Möbius coefficient on one set: a(S) = (-2)^|S| sum_{k ⊇ S} F(k) (mobius.h),
// summed over the surrogate's terms directly, with no full expansion.
double mobius_coefficient(const spex::sparse_fourier & surrogate, const spex::feature_set & set) {
    double sum = 0.0;
    for (const spex::fourier_term & t : surrogate.terms) {
        if (std::includes(t.set.begin(), t.set.end(), set.begin(), set.end())) {
            sum += t.coef;
        }
    }
    return std::ldexp(set.size() % 2 == 0 ? sum : -sum, int(set.size()));
}

// The function's own terms (Fourier or Möbius, duplicates summed, the constant left out) next to
// the surrogate's coefficients on the same sets in the same basis.
void compare_in_written_basis(const spex::synthetic_function & function, const spex::sparse_fourier & surrogate,
                              double noise_part, ground_truth_report & report) {
    report.basis = function.basis;
    std::map<spex::feature_set, double> written;
    for (const spex::synthetic_term & t : function.terms) {
        if (!t.set.empty()) {
            written[t.set] += t.coef;
        }
    }
    std::map<spex::feature_set, double> fourier;
    for (const spex::fourier_term & t : surrogate.terms) {
        fourier[t.set] += t.coef;
    }
    for (const auto & kv : written) {
        if (kv.second == 0.0) {
            continue;
        }
        planted_basis_term term;
        term.set     = kv.first;
        term.planted = kv.second;
        if (function.basis == spex::BASIS_MOBIUS) {
            term.estimate = mobius_coefficient(surrogate, kv.first);
        } else {
            const auto it = fourier.find(kv.first);
            term.estimate = it == fourier.end() ? 0.0 : it->second;
        }
        term.close = std::fabs(term.estimate - term.planted) <=
                     ground_truth_close_relative * std::fabs(term.planted) + noise_part;
        report.close += term.close ? 1 : 0;
        report.basis_terms.push_back(term);
    }
    std::stable_sort(report.basis_terms.begin(), report.basis_terms.end(),
                     [](const planted_basis_term & a, const planted_basis_term & b) {
                         return spex::explanation_order(a.set, a.planted, b.set, b.planted);
                     });
}

}  // namespace

ground_truth_report compare_with_planted(const spex::synthetic_function & function,
                                         const spex::sparse_fourier & surrogate, int64_t queries, uint64_t seed) {
    ground_truth_report report;

    spex::sparse_fourier exact = spex::synthetic_fourier(function);
    exact.canonicalize();
    double max_all = 0.0;
    for (const spex::fourier_term & t : exact.terms) {
        max_all = std::max(max_all, std::fabs(t.coef));
    }
    std::map<spex::feature_set, double> planted;  // every planted k, constant included
    double                              max_planted = 0.0;
    report.planted.n                                = function.n;
    for (const spex::fourier_term & t : exact.terms) {
        if (std::fabs(t.coef) <= ground_truth_planted_cutoff * max_all) {
            continue;
        }
        planted[t.set] = t.coef;
        if (t.set.empty()) {
            report.planted_constant = t.coef;
        } else {
            report.planted.terms.push_back(t);
            max_planted = std::max(max_planted, std::fabs(t.coef));
        }
    }
    report.planted.sort_by_magnitude();

    const double noise_part = queries > 0 ? ground_truth_noise_z * function.noise_sd / std::sqrt(double(queries)) : 0.0;
    // Scale: the largest non-constant planted |F(k)|; if there is none, the constant; if that is 0 too, 1.
    double scale = max_planted > 0.0 ? max_planted : std::fabs(report.planted_constant);
    if (scale == 0.0) {
        scale = 1.0;
    }
    report.threshold = ground_truth_relative_tau * scale + noise_part;

    std::map<spex::feature_set, double> found;
    for (const spex::fourier_term & t : surrogate.terms) {
        found[t.set] += t.coef;
    }
    for (const spex::fourier_term & t : report.planted.terms) {
        const auto it = found.find(t.set);
        if (it != found.end() && std::fabs(it->second) >= report.threshold && it->second != 0.0) {
            ++report.recovered;
        } else {
            report.missed.push_back(t.set);
        }
    }
    report.spurious.n = function.n;
    for (const auto & kv : found) {
        if (!kv.first.empty() && planted.count(kv.first) == 0 && std::fabs(kv.second) >= report.threshold &&
            kv.second != 0.0) {
            report.spurious.terms.push_back({kv.first, kv.second});
        }
    }
    report.spurious.sort_by_magnitude();

    std::map<spex::feature_set, double> all = planted;
    for (const auto & kv : found) {
        all.emplace(kv.first, 0.0);
    }
    for (const auto & kv : all) {
        const auto   it      = found.find(kv.first);
        const double est     = it == found.end() ? 0.0 : it->second;
        report.max_abs_error = std::max(report.max_abs_error, std::fabs(est - kv.second));
    }

    const spex::faithfulness_result fit = spex::r2_against_clean(function, surrogate, ground_truth_masks, seed);
    report.r2_defined                   = fit.defined;
    report.r2_clean                     = fit.r2;
    compare_in_written_basis(function, surrogate, noise_part, report);
    return report;
}

ordered_json ground_truth_to_json(const ground_truth_report & report) {
    ordered_json out;
    out["planted_terms"]    = json_fourier_terms(report.planted);
    out["planted_constant"] = json_number(report.planted_constant);
    out["planted"]          = report.planted.terms.size();
    out["recovered"]        = report.recovered;
    ordered_json missed     = ordered_json::array();
    for (const spex::feature_set & s : report.missed) {
        missed.push_back(json_set(s));
    }
    out["missed"]         = missed;
    out["spurious"]       = report.spurious.terms.size();
    out["spurious_terms"] = json_fourier_terms(report.spurious);
    out["threshold"]      = json_number(report.threshold);
    out["max_abs_error"]  = json_number(report.max_abs_error);
    out["r2_clean"]       = report.r2_defined ? json_number(report.r2_clean) : ordered_json(nullptr);
    out["r2_clean_masks"] = ground_truth_masks;
    out["basis"]          = report.basis == spex::BASIS_MOBIUS ? "mobius" : "fourier";
    ordered_json written  = ordered_json::array();
    for (const planted_basis_term & t : report.basis_terms) {
        ordered_json term;
        term["set"]      = json_set(t.set);
        term["planted"]  = json_number(t.planted);
        term["estimate"] = json_number(t.estimate);
        term["close"]    = t.close;
        written.push_back(term);
    }
    out["basis_terms"] = written;
    out["close"]       = report.close;
    return out;
}

}  // namespace spexlens
