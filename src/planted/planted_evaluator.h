// planted_evaluator: how a planted function answers the engine's queries, and the result JSON
// of a planted run. `spexlens solve` and the page's teaching mode both go through here, so the
// same function, seed and design give the same result (apart from timing_ms) in either.
//
// A query's value is the function's clean value at the mask plus noise_sd * N(0, 1), the
// normals drawn from prng(seed, spex::synthetic_noise_stream) one per query in query order
// (design queries first, then the hold-out masks), as docs/function-format.md documents.
#pragma once

#include "report/explanations.h"
#include "report/result_json.h"
#include "spex/mask_matrix.h"
#include "spex/prng.h"
#include "spex/session.h"
#include "spex/synthetic_function.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace spexlens {

// Evaluates batches in the order the session hands them out; the noise stream advances by one
// normal per noisy query, so batch sizes do not change the values.
class planted_evaluator {
  public:
    planted_evaluator(spex::synthetic_function function, uint64_t seed);

    // Values of the next masks.count queries into out[0 .. masks.count).
    void evaluate(const spex::mask_matrix & masks, double * out);

    const spex::synthetic_function & function() const { return function_; }

  private:
    spex::synthetic_function function_;
    spex::prng               noise_;
};

// Runs every batch of `s` synchronously through a planted_evaluator (the CLI's path).
spex::solve_result run_planted_session(spex::session & s, const spex::synthetic_function & function, uint64_t seed,
                                       size_t batch_size);

// The result JSON of a finished planted run: explanations of the surrogate, result_to_json, and
// "ground_truth" filled by compare_with_planted (or null plus a note when the function is too
// large to expand). Throws spex::spex_error for invalid explanation options.
ordered_json planted_result_json(const spex::session_config & config, const spex::solve_result & result,
                                 const spex::synthetic_function & function, const explanation_options & options,
                                 const std::string & version);

}  // namespace spexlens
