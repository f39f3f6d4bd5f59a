// text_error: what the text layer throws for input a user can fix (an empty text, a text over
// the size limit, a manifest with a missing field). The message says what was wrong and what
// to do; front ends print it as is.
#pragma once

#include <stdexcept>
#include <string>

namespace spexlens::text {

struct text_error : std::runtime_error {
    explicit text_error(const std::string & message) : std::runtime_error(message) {}
};

}  // namespace spexlens::text
