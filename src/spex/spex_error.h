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

// A count with thousands separators for messages: 1392 -> "1,392", -5000 -> "-5,000".
inline std::string with_commas(long long v) {
    std::string digits = std::to_string(v < 0 ? -v : v);
    for (int pos = static_cast<int>(digits.size()) - 3; pos > 0; pos -= 3) {
        digits.insert(static_cast<size_t>(pos), ",");
    }
    return v < 0 ? "-" + digits : digits;
}

}  // namespace spex
