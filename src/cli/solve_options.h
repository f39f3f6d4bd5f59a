// solve_options: the `spexlens solve` command line, parsed into one plain struct.
//
// Parsing only checks syntax and ranges a flag can know about on its own (integers are
// integers, enums are known names, --budget and --b exclude each other); whatever depends
// on the function (n, budget large enough, ...) is left to the engine. Every problem is a
// usage_error with a one-line message.
#pragma once

#include "spex/interaction_indices.h"
#include "spex/session.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spexlens {

// Largest seed accepted: 2^53 - 1, so JavaScript reads seeds in the result JSON exactly.
constexpr uint64_t max_seed = (uint64_t(1) << 53) - 1;

struct solve_options {
    bool        help = false;   // --help: print solve_usage() and do nothing else
    std::string function_path;  // --function FILE ("-" = stdin)
    std::string out_path;       // --out FILE; empty = stdout

    spex::method_kind method              = spex::METHOD_SPEX;
    int               faith_banzhaf_order = 2;       // with METHOD_FAITH_BANZHAF
    int               ridge_order         = 2;       // with METHOD_RIDGE
    int               folds               = 5;       // --folds: CV of auto / proxyspex / ridge
    std::string       method_label        = "spex";  // as given: spex, lime, kernelshap, faith-banzhaf-1/-2

    int64_t budget = 0;  // --budget; 0 = not given
    int     b      = 0;  // --b; 0 = not given (the session then uses b = 8)
    int     t      = 5;

    spex::decoder_kind decoder  = spex::DECODER_SOFT;
    bool               refine   = true;
    spex::noise_mode   noise    = spex::NOISE_AUTO;
    double             noise_sd = 0.0;  // with NOISE_KNOWN

    uint64_t         seed        = 0;
    int              max_order   = 2;
    spex::index_kind index       = spex::INDEX_FSII;
    int              holdout     = 1000;
    int              max_removed = 7;  // 0 = no removal search
    size_t           batch       = 4096;
};

// Parses the arguments after "solve". Throws usage_error.
solve_options parse_solve_options(const std::vector<std::string> & args);

// The session configuration these options ask for (n comes from the function).
spex::session_config make_session_config(const solve_options & options, int n);

// Multi-line help text for `spexlens solve --help`.
std::string solve_usage();

}  // namespace spexlens
