// Helpers shared by the engine tests: run a session on a planted synthetic function and
// score what came back against the known answer.
#pragma once

#include "spex/mask_matrix.h"
#include "spex/prng.h"
#include "spex/session.h"
#include "spex/synthetic_function.h"

#include <cmath>
#include <map>

namespace spex_test {

// Evaluates f (plus seeded Gaussian noise) on every mask the session hands out.
inline spex::solve_result solve_planted(const spex::synthetic_function & f, spex::session_config cfg,
                                        uint64_t noise_seed = 1) {
    spex::session s(cfg);
    spex::prng    noise(noise_seed, spex::synthetic_noise_stream);
    return spex::run_session(s, [&](const spex::mask_matrix & m, double * out) {
        for (size_t r = 0; r < m.count; ++r) {
            out[r] = f.clean_value(m.row(r)) + (f.noise_sd > 0.0 ? f.noise_sd * noise.normal() : 0.0);
        }
    });
}

struct recovery_score {
    int    planted   = 0;  // non-constant planted terms
    int    recovered = 0;  // present in the output support
    double max_error = 0.0;
    double r2_clean  = 0.0;  // against the noiseless function, 5,000 uniform masks
};

inline recovery_score score(const spex::synthetic_function & f, const spex::sparse_fourier & got) {
    recovery_score                      s;
    std::map<spex::feature_set, double> est;
    for (const auto & t : got.terms) {
        est[t.set] = t.coef;
    }
    for (const auto & t : f.terms) {
        if (t.set.empty()) {
            continue;
        }
        ++s.planted;
        auto it = est.find(t.set);
        if (it != est.end()) {
            ++s.recovered;
            s.max_error = std::max(s.max_error, std::fabs(it->second - t.coef));
        } else {
            s.max_error = std::max(s.max_error, std::fabs(t.coef));
        }
    }
    const spex::faithfulness_result fit = spex::r2_against_clean(f, got, 5000, 12345);
    s.r2_clean                          = fit.defined ? fit.r2 : 1.0;
    return s;
}

}  // namespace spex_test
