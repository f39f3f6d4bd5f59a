// function_json: the planted-function file (docs/function-format.md) -> spex::synthetic_function.
//
// The file format is the CLI's public input, so this parser is strict: wrong types, unknown
// fields and out-of-range numbers are rejected with a message naming the field, before the
// engine's own checks (validate_and_normalize) run.
#pragma once

#include "spex/synthetic_function.h"

#include <stdexcept>
#include <string>

namespace spexlens {

// A malformed function file; the message names the field.
struct function_format_error : std::runtime_error {
    explicit function_format_error(const std::string & message) : std::runtime_error(message) {}
};

// Parses and validates; the result is normalized (each set sorted). Throws function_format_error for
// malformed JSON or fields, spex::spex_error for what validate_and_normalize rejects.
spex::synthetic_function parse_function_json(const std::string & text);

}  // namespace spexlens
