// utf8: bytes -> well-formed UTF-8, and the code point walk the tokenizer needs.
//
// Ill-formed input is repaired, never rejected: each maximal subpart of an ill-formed sequence
// becomes U+FFFD (Unicode's recommended practice, identical to Python's errors="replace" and
// the browser's TextDecoder), so every byte string a user pastes can be explained.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace spexlens::text {

// Returns `bytes` with every ill-formed subpart replaced by U+FFFD (EF BF BD).
std::string sanitize_utf8(std::string_view bytes);

// Decodes the code point at `pos` of well-formed UTF-8 `s`, advancing `pos` past it.
// Precondition: `s` came from sanitize_utf8 and pos < s.size().
char32_t next_code_point(std::string_view s, size_t & pos);

// Number of code points in well-formed UTF-8.
size_t count_code_points(std::string_view s);

// Appends the UTF-8 encoding of `cp` (a Unicode scalar value) to `out`.
void append_utf8(std::string & out, char32_t cp);

}  // namespace spexlens::text
