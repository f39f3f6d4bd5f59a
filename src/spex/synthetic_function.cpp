#include "synthetic_function.h"

#include "baselines/baseline_sampling.h"
#include "mask_matrix.h"
#include "mobius.h"
#include "query_design.h"
#include "spex_error.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

namespace spex {

double synthetic_function::clean_value(const uint64_t * mask) const {
    double sum = 0.0;
    if (basis == BASIS_FOURIER) {
        for (const synthetic_term & t : terms) {
            unsigned parity = 0;
            for (int i : t.set) {
                parity ^= static_cast<unsigned>(mask_keeps(mask, i));
            }
            sum += parity ? -t.coef : t.coef;
        }
    } else {
        for (const synthetic_term & t : terms) {
            bool all = true;
            for (int i : t.set) {
                if (!mask_keeps(mask, i)) {
                    all = false;
                    break;
                }
            }
            sum += all ? t.coef : 0.0;
        }
    }
    return sum;
}

void synthetic_function::validate_and_normalize() {
    if (n < 1 || n > spex_max_n) {
        throw spex_error("function n = " + std::to_string(n) + " is out of range: n must be in 1.." +
                         std::to_string(spex_max_n));
    }
    if (!(noise_sd >= 0.0 && std::isfinite(noise_sd))) {
        throw spex_error("noise_sd must be a finite number >= 0");
    }
    std::set<feature_set> seen;
    for (size_t t = 0; t < terms.size(); ++t) {
        feature_set & s = terms[t].set;
        std::sort(s.begin(), s.end());
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i] < 0 || s[i] >= n) {
                throw spex_error("term " + std::to_string(t) + ": feature index " + std::to_string(s[i]) +
                                 " is out of range 0.." + std::to_string(n - 1));
            }
            if (i > 0 && s[i] == s[i - 1]) {
                throw spex_error("term " + std::to_string(t) + ": feature " + std::to_string(s[i]) +
                                 " appears twice in one set");
            }
        }
        if (!std::isfinite(terms[t].coef)) {
            throw spex_error("term " + std::to_string(t) + ": coefficient is not a finite number");
        }
        if (!seen.insert(s).second) {
            throw spex_error("term " + std::to_string(t) + ": the same set appears in two terms");
        }
    }
}

synthetic_function random_sparse_function(int n, int s, int max_degree, uint64_t seed, double constant, double min_abs,
                                          double max_abs) {
    if (max_degree < 1 || max_degree > n) {
        throw spex_error("planted degree must be in 1..n");
    }
    prng                  rng(seed, PRNG_STREAM_USER);
    synthetic_function    f;
    std::set<feature_set> used;
    f.n = n;
    if (constant != 0.0) {
        f.terms.push_back({{}, constant});
        used.insert({});
    }
    int guard = 0;
    while (static_cast<int>(f.terms.size()) < s + (constant != 0.0 ? 1 : 0)) {
        if (++guard > 100 * s + 1000) {
            throw spex_error("cannot plant " + std::to_string(s) + " distinct terms of degree <= " +
                             std::to_string(max_degree) + " over n = " + std::to_string(n));
        }
        const int   d = 1 + static_cast<int>(rng.below(uint64_t(max_degree)));
        feature_set k;
        while (static_cast<int>(k.size()) < d) {
            const int i = static_cast<int>(rng.below(uint64_t(n)));
            if (std::find(k.begin(), k.end(), i) == k.end()) {
                k.push_back(i);
            }
        }
        std::sort(k.begin(), k.end());
        if (!used.insert(k).second) {
            continue;
        }
        const double mag = min_abs + (max_abs - min_abs) * rng.uniform();
        f.terms.push_back({k, rng.bit() ? mag : -mag});
    }
    return f;
}

sparse_fourier synthetic_fourier(const synthetic_function & f) {
    if (f.basis == BASIS_FOURIER) {
        sparse_fourier out;
        out.n = f.n;
        for (const synthetic_term & t : f.terms) {
            out.terms.push_back({t.set, t.coef});
        }
        return out;
    }
    std::vector<mobius_term> a;
    for (const synthetic_term & t : f.terms) {
        a.push_back({t.set, t.coef});
    }
    return mobius_to_fourier(f.n, a, 20);
}

faithfulness_result r2_against_clean(const synthetic_function & f, const sparse_fourier & surrogate, size_t masks,
                                     uint64_t seed) {
    prng                rng(seed, synthetic_r2_clean_stream);
    const mask_matrix   m = sample_uniform_masks(f.n, masks, rng);
    std::vector<double> clean(m.count);
    for (size_t r = 0; r < m.count; ++r) {
        clean[r] = f.clean_value(m.row(r));
    }
    return r_squared(surrogate, m, clean);
}

}  // namespace spex
