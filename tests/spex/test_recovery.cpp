// End-to-end recovery of planted sparse functions through the session API: exact recovery
// (n in {16, 64, 256, 1000}, s up to ~2^b/2, degree <= t, hard and soft) and noisy recovery.
#include "planted.h"

#include <catch2/catch.hpp>

using namespace spex;
using namespace spex_test;

TEST_CASE("noiseless planted functions are recovered exactly", "[recovery]") {
    struct scenario {
        int n, s, b, degree;
    };
    const scenario cases[] = {{16, 8, 4, 3}, {64, 32, 6, 5}, {256, 64, 7, 5}, {1000, 128, 8, 5}};
    for (const scenario & c : cases) {
        for (decoder_kind dec : {DECODER_HARD, DECODER_SOFT}) {
            for (uint64_t seed : {1, 2}) {
                const synthetic_function f = random_sparse_function(c.n, c.s, c.degree, 100 + seed);
                session_config           cfg;
                cfg.n                   = c.n;
                cfg.b                   = c.b;
                cfg.decoder             = dec;
                cfg.seed                = seed;
                const solve_result   r  = solve_planted(f, cfg);
                const recovery_score sc = score(f, r.fourier);
                INFO("n=" << c.n << " s=" << c.s << " b=" << c.b << " " << decoder_name(dec) << " seed=" << seed);
                CHECK(sc.recovered == sc.planted);
                CHECK(sc.max_error < 1e-9);
                CHECK(sc.r2_clean > 0.999999);
                CHECK(r.faithfulness.defined);
                CHECK(r.faithfulness.r2 > 0.999999);
                CHECK(r.queries == 3 * (r.design.p + 1) * (int64_t(1) << c.b));
            }
        }
    }
}

TEST_CASE("without refit the peeled values are already exact when noiseless", "[recovery]") {
    const synthetic_function f = random_sparse_function(200, 50, 4, 3);
    session_config           cfg;
    cfg.n                   = 200;
    cfg.b                   = 7;
    cfg.refine              = false;
    const solve_result   r  = solve_planted(f, cfg);
    const recovery_score sc = score(f, r.fourier);
    CHECK(sc.recovered == sc.planted);
    CHECK(sc.max_error < 1e-9);
    CHECK(static_cast<int>(r.fourier.terms.size()) == sc.planted + 1);  // + the constant
}

TEST_CASE("noisy queries: every term found, R^2 against the clean function >= 0.999", "[recovery][noise]") {
    synthetic_function f = random_sparse_function(256, 100, 5, 8);
    f.noise_sd           = 0.5;
    for (decoder_kind dec : {DECODER_HARD, DECODER_SOFT}) {
        session_config cfg;
        cfg.n                   = 256;
        cfg.b                   = 8;
        cfg.decoder             = dec;
        cfg.seed                = 4;
        const solve_result   r  = solve_planted(f, cfg);
        const recovery_score sc = score(f, r.fourier);
        INFO(decoder_name(dec));
        CHECK(sc.recovered == sc.planted);
        CHECK(sc.max_error < 0.05);
        CHECK(sc.r2_clean >= 0.999);
        // The automatic cutoff found the noise level from the data.
        CHECK(r.diagnostics.noise_sd_estimate == Approx(0.5).epsilon(0.25));
    }
}

TEST_CASE("the automatic noise cutoff keeps soft decoding from re-decoding noise bins", "[recovery][noise]") {
    synthetic_function f = random_sparse_function(256, 60, 5, 9);
    f.noise_sd           = 0.5;
    session_config cfg;
    cfg.n                        = 256;
    cfg.b                        = 8;
    cfg.seed                     = 5;
    const solve_result automatic = solve_planted(f, cfg);
    cfg.noise                    = NOISE_REFERENCE;
    const solve_result reference = solve_planted(f, cfg);
    // Same answer quality, far fewer Chase decodes than the reference's noise_sd = 0.
    CHECK(score(f, automatic.fourier).recovered == score(f, automatic.fourier).planted);
    CHECK(automatic.diagnostics.peeling.bin_decodes < reference.diagnostics.peeling.bin_decodes);
}

TEST_CASE("trap exit ends a peeling loop that cycles without new frequencies", "[recovery]") {
    // Degree far above t with noise and no cutoff: this seed makes the decoder peel the same
    // frequencies back and forth for ever (found by search; the run is deterministic).
    synthetic_function f = random_sparse_function(64, 30, 12, 9);
    f.noise_sd           = 0.3;
    session_config cfg;
    cfg.n         = 64;
    cfg.b         = 5;
    cfg.noise     = NOISE_REFERENCE;
    cfg.trap_exit = false;
    CHECK(solve_planted(f, cfg).diagnostics.peeling.passes == cfg.max_iter);
    cfg.trap_exit     = true;
    const int trapped = solve_planted(f, cfg).diagnostics.peeling.passes;
    CHECK(trapped < cfg.max_iter);
    CHECK(trapped >= 16);  // at least 14 passes without a new frequency
    cfg.legacy_trap_exit = true;
    CHECK(solve_planted(f, cfg).diagnostics.peeling.passes == 16);  // the references: always after pass 15
}
