// cli_error: the two kinds of failure the CLI reports, so main() can pick the exit code.
//
// A usage_error means the command line itself is wrong (unknown flag, bad value, flags that
// exclude each other) and exits with 2. An input_error means the command line was fine but
// what it pointed at was not (unreadable file, malformed function JSON) and exits with 1,
// like the engine's spex_error. Both carry a one-line message for "spexlens: error: ...".
#pragma once

#include <stdexcept>
#include <string>

namespace spexlens {

constexpr int exit_ok          = 0;
constexpr int exit_input_error = 1;
constexpr int exit_usage_error = 2;

struct usage_error : std::runtime_error {
    explicit usage_error(const std::string & message) : std::runtime_error(message) {}
};

struct input_error : std::runtime_error {
    explicit input_error(const std::string & message) : std::runtime_error(message) {}
};

}  // namespace spexlens
