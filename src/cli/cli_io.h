// cli_io: reading the input file (or stdin for "-") and writing the output (stdout or a file),
// with failures turned into one-line input_errors instead of silent empty reads.
#pragma once

#include <string>

namespace spexlens {

// The whole file as text; "-" reads stdin. Throws input_error if it cannot be read.
std::string read_text_input(const std::string & path);

// Writes text to stdout when path is empty, else to the file (created or truncated).
// Throws input_error if the file cannot be written completely.
void write_text_output(const std::string & path, const std::string & text);

}  // namespace spexlens
