// fuzz_support: what the fuzz targets share. Each target feeds libFuzzer's bytes to one entry
// point that takes untrusted input and lets only the project's own error types through: any
// other exception (a library's, std::bad_alloc, std::out_of_range) escapes, aborts, and is a
// finding, as are crashes, hangs and leaks the sanitizers see.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace fuzz {

// A file of the source tree (SPEXLENS_SOURCE_DIR), or "" when it is absent (optional inputs
// such as the tokenizers npm packages install).
inline std::string source_file(const std::string & relative) {
    std::ifstream      in(std::string(SPEXLENS_SOURCE_DIR) + "/" + relative, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string bytes(const uint8_t * data, size_t size) {
    return std::string(reinterpret_cast<const char *>(data), size);
}

}  // namespace fuzz
