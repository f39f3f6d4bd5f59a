// solve_command: `spexlens solve`, end to end: options -> planted function -> engine session
// (evaluated by src/planted/planted_evaluator, with the function's noise) -> explanations ->
// result JSON (+ ground truth).
#pragma once

#include <string>
#include <vector>

namespace spexlens {

// Runs the command on the arguments after "solve" and returns the exit code. Errors are
// thrown (usage_error, input_error, spex::spex_error, ...) for main() to report.
int run_solve_command(const std::vector<std::string> & args, const std::string & version);

}  // namespace spexlens
