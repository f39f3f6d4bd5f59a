// spex_error: the one exception type the engine throws.
//
// Messages are written for the person at the keyboard: they say what was wrong and
// what to change (e.g. "budget 500 too small for n = 1000: need >= 1,392 queries").
#pragma once

#include <stdexcept>
#include <string>

namespace spex {

struct spex_error : std::runtime_error {
    explicit spex_error(const std::string & message) : std::runtime_error(message) {}
};

}  // namespace spex
