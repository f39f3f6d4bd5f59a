// cli_io: see cli_io.h.
#include "cli/cli_io.h"

#include "cli/cli_error.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sys/stat.h>

namespace spexlens {

static std::string reason(int err) { return err ? std::string(": ") + std::strerror(err) : std::string(); }

std::string read_bounded(std::istream & in, size_t max_bytes, const std::string & what) {
    std::string out;
    char        buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        out.append(buffer, static_cast<size_t>(in.gcount()));
        if (out.size() > max_bytes) {
            throw input_error(what + " is larger than " + std::to_string(max_bytes >> 20) +
                              " MiB, the most spexlens reads; is it the right file?");
        }
    }
    if (in.bad()) {
        throw input_error("cannot read " + what);
    }
    return out;
}

std::string read_text_input(const std::string & path, size_t max_bytes) {
    if (path == "-") {
        return read_bounded(std::cin, max_bytes, "the function on stdin");
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
        throw input_error("cannot read function file '" + path + "': it is a directory");
    }
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw input_error("cannot open function file '" + path + "'" + reason(errno));
    }
    return read_bounded(in, max_bytes, "function file '" + path + "'");
}

void write_text_output(const std::string & path, const std::string & text) {
    if (path.empty()) {
        std::cout << text;
        std::cout.flush();
        if (!std::cout) {
            throw input_error("cannot write the result to stdout");
        }
        return;
    }
    errno = 0;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        throw input_error("cannot open output file '" + path + "' for writing" + reason(errno));
    }
    out << text;
    out.flush();
    if (!out) {
        throw input_error("cannot write output file '" + path + "'");
    }
}

}  // namespace spexlens
