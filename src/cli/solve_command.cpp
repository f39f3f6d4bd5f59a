// solve_command: see solve_command.h.
#include "cli/solve_command.h"

#include "cli/cli_io.h"
#include "cli/solve_options.h"
#include "planted/function_json.h"
#include "planted/planted_evaluator.h"
#include "report/explanations.h"
#include "report/result_json.h"
#include "spex/session.h"

#include <iostream>

namespace spexlens {

int run_solve_command(const std::vector<std::string> & args, const std::string & version) {
    const solve_options options = parse_solve_options(args);
    if (options.help) {
        std::cout << solve_usage();
        return 0;
    }
    const spex::synthetic_function function = parse_function_json(read_text_input(options.function_path));

    const spex::session_config config = make_session_config(options, function.n);
    spex::session              session(config);
    const spex::solve_result   result = run_planted_session(session, function, options.seed, options.batch);

    explanation_options explain;
    explain.index          = options.index;
    explain.index_order    = options.max_order;
    explain.max_removed    = options.max_removed;
    const ordered_json out = planted_result_json(config, result, function, explain, version);
    write_text_output(options.out_path, out.dump(2) + "\n");
    return 0;
}

}  // namespace spexlens
