// planted_evaluator: see planted_evaluator.h.
#include "planted/planted_evaluator.h"

#include "planted/ground_truth.h"
#include "spex/spex_error.h"

#include <utility>

namespace spexlens {

planted_evaluator::planted_evaluator(spex::synthetic_function function, uint64_t seed)
    : function_(std::move(function)), noise_(seed, spex::synthetic_noise_stream) {}

void planted_evaluator::evaluate(const spex::mask_matrix & masks, double * out) {
    for (size_t r = 0; r < masks.count; ++r) {
        out[r] = function_.clean_value(masks.row(r));
        // No draw for a noiseless function, as the CLI has always done: the stream is only
        // consumed by noisy queries.
        if (function_.noise_sd > 0.0) {
            out[r] += function_.noise_sd * noise_.normal();
        }
    }
}

spex::solve_result run_planted_session(spex::session & s, const spex::synthetic_function & function, uint64_t seed,
                                       size_t batch_size) {
    planted_evaluator evaluator(function, seed);
    return spex::run_session(
        s, [&](const spex::mask_matrix & masks, double * out) { evaluator.evaluate(masks, out); }, batch_size);
}

ordered_json planted_result_json(const spex::session_config & config, const spex::solve_result & result,
                                 const spex::synthetic_function & function, const explanation_options & options,
                                 const std::string & version) {
    const explanation_set explanations = explain_surrogate(result.fourier, options);
    ordered_json          out          = result_to_json(config, result, explanations, version);
    try {
        const ground_truth_report truth = compare_with_planted(function, result.fourier, result.queries, config.seed);
        out["ground_truth"]             = ground_truth_to_json(truth);
    } catch (const spex::spex_error & e) {
        out["notes"].push_back(std::string("ground truth omitted: ") + e.what());
    }
    return out;
}

}  // namespace spexlens
