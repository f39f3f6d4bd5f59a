// cli_io: reading the input file (or stdin for "-") and writing the output (stdout or a file),
// with failures turned into one-line input_errors instead of silent empty reads.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace spexlens {

// The most a function file (or stdin) may hold: far above any real function, far below what
// /dev/zero or a wrong file would make the reader hold.
constexpr size_t max_function_bytes = size_t(256) << 20;

// All of `in`, in 64 KiB reads, refusing more than max_bytes as soon as it is passed (so
// /dev/zero and endless pipes stop at once). what names the input in the message.
std::string read_bounded(std::istream & in, size_t max_bytes, const std::string & what);

// The whole file as text; "-" reads stdin. Throws input_error if it cannot be read or holds
// more than max_bytes.
std::string read_text_input(const std::string & path, size_t max_bytes = max_function_bytes);

// Writes text to stdout when path is empty, else to the file (created or truncated).
// Throws input_error if the file cannot be written completely.
void write_text_output(const std::string & path, const std::string & text);

}  // namespace spexlens
