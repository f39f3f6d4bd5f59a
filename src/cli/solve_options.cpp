// solve_options: see solve_options.h.
#include "cli/solve_options.h"

#include "cli/cli_error.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

namespace spexlens {

std::string solve_usage() {
    return "usage: spexlens solve --function FILE [options]\n"
           "\n"
           "Explains a planted function with SPEX (or a baseline) and prints one JSON result\n"
           "(schema spexlens.result, see docs/result-schema.md).\n"
           "\n"
           "  --function FILE    function JSON (docs/function-format.md); '-' reads stdin\n"
           "  --out FILE         write the result to FILE instead of stdout\n"
           "  --method NAME      spex | auto | proxyspex | ridge-1 | ridge-2 | ridge-3 | lime |\n"
           "                     kernelshap | faith-banzhaf-1 | faith-banzhaf-2 (default spex; the\n"
           "                     others get the same number of queries: --budget, or SPEX's at --b)\n"
           "  --folds K          cross-validation folds of auto / proxyspex / ridge (default 5)\n"
           "  --budget N         query budget: b (and, if needed, a lower t) chosen to fit N\n"
           "  --b B              2^B bins per group, 1..16 (default 8; not with --budget)\n"
           "  --t T              BCH capability: the interaction degree recovery is\n"
           "                     guaranteed for (default 5)\n"
           "  --decoder KIND     soft | hard (default soft)\n"
           "  --refine on|off    least-squares refit of the peeled terms (default on)\n"
           "  --noise MODE       auto (estimate the noise) | reference (assume none) |\n"
           "                     SD (known per-query noise sd, a number >= 0); default auto\n"
           "  --seed S           integer 0..2^53-1 (default 0); same seed, same output\n"
           "  --index NAME       interaction index to report (default FSII):\n"
           "                     " +
           spex::index_kind_list() +
           "\n"
           "  --max-order L      order of that index (default 2)\n"
           "  --holdout M        held-out uniform masks for the faithfulness R^2 (default 1000)\n"
           "  --removal R        remove up to R features in the removal search (default 7;\n"
           "                     0 skips it)\n"
           "  --batch N          masks evaluated per batch (default 4096)\n"
           "  --help             show this help\n";
}

static const std::set<std::string> value_flags = {
    "--function", "--out",  "--method",    "--budget", "--b",       "--t",       "--decoder", "--refine",
    "--noise",    "--seed", "--max-order", "--index",  "--holdout", "--removal", "--batch",   "--folds",
};

// Strict decimal integer in [lo, hi]: digits only (an optional leading '-' when lo < 0).
static int64_t parse_integer(const std::string & flag, const std::string & text, int64_t lo, int64_t hi) {
    const std::string range = " (expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) + ")";
    size_t            i     = (!text.empty() && text[0] == '-') ? 1 : 0;
    if (i == text.size()) {
        throw usage_error(flag + " '" + text + "' is not an integer" + range);
    }
    for (size_t j = i; j < text.size(); ++j) {
        if (text[j] < '0' || text[j] > '9') {
            throw usage_error(flag + " '" + text + "' is not an integer" + range);
        }
    }
    errno                 = 0;
    const long long value = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE || value < lo || value > hi) {
        throw usage_error(flag + " " + text + " is out of range" + range);
    }
    return value;
}

static uint64_t parse_seed(const std::string & text) {
    for (char c : text) {
        if (c < '0' || c > '9') {
            throw usage_error("--seed '" + text + "' must be an integer in 0.." + std::to_string(max_seed));
        }
    }
    if (text.empty() || text.size() > 16) {
        throw usage_error("--seed '" + text + "' must be an integer in 0.." + std::to_string(max_seed));
    }
    const unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
    if (value > max_seed) {
        throw usage_error("--seed " + text + " is too large: seeds are integers in 0.." + std::to_string(max_seed) +
                          " so JSON readers (JavaScript) keep them exact");
    }
    return value;
}

static double parse_noise_sd(const std::string & text) {
    char * end         = nullptr;
    errno              = 0;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(value) || value < 0.0) {
        throw usage_error("--noise '" + text + "' must be auto, reference or a finite number >= 0");
    }
    return value;
}

static void parse_method(const std::string & text, solve_options & o) {
    o.method_label = text;
    if (text == "spex") {
        o.method = spex::METHOD_SPEX;
    } else if (text == "lime") {
        o.method = spex::METHOD_LIME;
    } else if (text == "kernelshap") {
        o.method = spex::METHOD_KERNEL_SHAP;
    } else if (text == "faith-banzhaf-1" || text == "faith-banzhaf-2") {
        o.method              = spex::METHOD_FAITH_BANZHAF;
        o.faith_banzhaf_order = text.back() - '0';
    } else if (text == "auto") {
        o.method = spex::METHOD_AUTO;
    } else if (text == "proxyspex") {
        o.method = spex::METHOD_PROXY_SPEX;
    } else if (text == "ridge-1" || text == "ridge-2" || text == "ridge-3") {
        o.method      = spex::METHOD_RIDGE;
        o.ridge_order = text.back() - '0';
    } else {
        throw usage_error("unknown --method '" + text +
                          "': choose spex, auto, proxyspex, ridge-1, ridge-2, ridge-3, lime, kernelshap, "
                          "faith-banzhaf-1 or faith-banzhaf-2");
    }
}

static bool parse_on_off(const std::string & flag, const std::string & text) {
    if (text == "on") {
        return true;
    }
    if (text == "off") {
        return false;
    }
    throw usage_error(flag + " '" + text + "' must be on or off");
}

static void apply(const std::string & flag, const std::string & value, solve_options & o) {
    const int64_t int_max = std::numeric_limits<int>::max();
    if (flag == "--function") {
        if (value.empty()) {
            throw usage_error("--function needs a file name ('-' for stdin)");
        }
        o.function_path = value;
    } else if (flag == "--out") {
        if (value.empty()) {
            throw usage_error("--out needs a file name");
        }
        o.out_path = value;
    } else if (flag == "--method") {
        parse_method(value, o);
    } else if (flag == "--budget") {
        o.budget = parse_integer(flag, value, 1, int64_t(1) << 40);
    } else if (flag == "--b") {
        o.b = static_cast<int>(parse_integer(flag, value, spex::spex_min_b, spex::spex_max_b));
    } else if (flag == "--t") {
        o.t = static_cast<int>(parse_integer(flag, value, 1, 64));
    } else if (flag == "--decoder") {
        if (value == "soft") {
            o.decoder = spex::DECODER_SOFT;
        } else if (value == "hard") {
            o.decoder = spex::DECODER_HARD;
        } else {
            throw usage_error("--decoder '" + value + "' must be soft or hard");
        }
    } else if (flag == "--refine") {
        o.refine = parse_on_off(flag, value);
    } else if (flag == "--noise") {
        if (value == "auto") {
            o.noise = spex::NOISE_AUTO;
        } else if (value == "reference") {
            o.noise = spex::NOISE_REFERENCE;
        } else {
            o.noise    = spex::NOISE_KNOWN;
            o.noise_sd = parse_noise_sd(value);
        }
    } else if (flag == "--seed") {
        o.seed = parse_seed(value);
    } else if (flag == "--max-order") {
        o.max_order = static_cast<int>(parse_integer(flag, value, 1, spex::spex_max_n));
    } else if (flag == "--index") {
        if (!spex::parse_index_kind(value, o.index)) {
            throw usage_error("unknown --index '" + value + "': choose one of " + spex::index_kind_list());
        }
    } else if (flag == "--folds") {
        o.folds = static_cast<int>(parse_integer(flag, value, 2, 20));
    } else if (flag == "--holdout") {
        o.holdout = static_cast<int>(parse_integer(flag, value, 0, 1000000));
    } else if (flag == "--removal") {
        o.max_removed = static_cast<int>(parse_integer(flag, value, 0, spex::spex_max_n));
    } else if (flag == "--batch") {
        o.batch = static_cast<size_t>(parse_integer(flag, value, 1, int_max));
    }
}

solve_options parse_solve_options(const std::vector<std::string> & args) {
    solve_options         o;
    std::set<std::string> seen;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string & arg = args[i];
        if (arg == "--help" || arg == "-h") {
            o.help = true;
            return o;
        }
        std::string  flag = arg;
        std::string  value;
        bool         inline_value = false;
        const size_t eq           = arg.find('=');
        if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            flag         = arg.substr(0, eq);
            value        = arg.substr(eq + 1);
            inline_value = true;
        }
        if (value_flags.count(flag) == 0) {
            if (arg.rfind("-", 0) == 0 && arg != "-") {
                throw usage_error("unknown option '" + flag + "' for solve (see spexlens solve --help)");
            }
            throw usage_error("unexpected argument '" + arg + "' (see spexlens solve --help)");
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) {
                throw usage_error(flag + " needs a value");
            }
            value = args[++i];
        }
        if (!seen.insert(flag).second) {
            throw usage_error(flag + " is given twice");
        }
        apply(flag, value, o);
    }
    if (seen.count("--budget") && seen.count("--b")) {
        throw usage_error("--budget and --b both size the design: give only one");
    }
    if (o.function_path.empty()) {
        throw usage_error("missing --function FILE (see spexlens solve --help)");
    }
    return o;
}

spex::session_config make_session_config(const solve_options & o, int n) {
    spex::session_config c;
    c.n                   = n;
    c.method              = o.method;
    c.budget              = o.budget;
    c.b                   = o.b;
    c.t                   = o.t;
    c.t_floor             = o.t < 2 ? o.t : 2;
    c.decoder             = o.decoder;
    c.refine              = o.refine;
    c.noise               = o.noise;
    c.noise_sd            = o.noise_sd;
    c.faith_banzhaf_order = o.faith_banzhaf_order;
    c.ridge_order         = o.ridge_order;
    c.cv_folds            = o.folds;
    c.seed                = o.seed;
    c.holdout             = o.holdout;
    return c;
}

}  // namespace spexlens
