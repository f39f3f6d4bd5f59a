// solve_command: see solve_command.h.
#include "cli/solve_command.h"

#include "cli/cli_io.h"
#include "cli/function_json.h"
#include "cli/ground_truth.h"
#include "cli/solve_options.h"
#include "report/explanations.h"
#include "report/result_json.h"
#include "spex/prng.h"
#include "spex/session.h"
#include "spex/spex_error.h"

#include <iostream>

namespace spexlens {

// Evaluates the planted function on each batch: clean value plus noise_sd * N(0, 1), the
// normals drawn from prng(seed, spex::synthetic_noise_stream) in query order (hold-out included),
// so a run is reproducible from its seed.
static spex::solve_result evaluate_planted(spex::session & s, const spex::synthetic_function & f, uint64_t seed,
                                           size_t batch) {
    spex::prng noise(seed, spex::synthetic_noise_stream);
    return spex::run_session(
        s,
        [&](const spex::mask_matrix & masks, double * out) {
            for (size_t r = 0; r < masks.count; ++r) {
                out[r] = f.clean_value(masks.row(r));
                if (f.noise_sd > 0.0) {
                    out[r] += f.noise_sd * noise.normal();
                }
            }
        },
        batch);
}

int run_solve_command(const std::vector<std::string> & args, const std::string & version) {
    const solve_options options = parse_solve_options(args);
    if (options.help) {
        std::cout << solve_usage();
        return 0;
    }
    const spex::synthetic_function function = parse_function_json(read_text_input(options.function_path));

    const spex::session_config config = make_session_config(options, function.n);
    spex::session              session(config);
    const spex::solve_result   result = evaluate_planted(session, function, options.seed, options.batch);

    explanation_options explain;
    explain.index                      = options.index;
    explain.index_order                = options.max_order;
    explain.max_removed                = options.max_removed;
    const explanation_set explanations = explain_surrogate(result.fourier, explain);

    ordered_json out = result_to_json(config, result, explanations, version);
    try {
        const ground_truth_report truth = compare_with_planted(function, result.fourier, result.queries, options.seed);
        out["ground_truth"]             = ground_truth_to_json(truth);
    } catch (const spex::spex_error & e) {
        out["notes"].push_back(std::string("ground truth omitted: ") + e.what());
    }
    write_text_output(options.out_path, out.dump(2) + "\n");
    return 0;
}

}  // namespace spexlens
