// cli_io: see cli_io.h.
#include "cli/cli_io.h"

#include "cli/cli_error.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>

namespace spexlens {

static std::string reason(int err) { return err ? std::string(": ") + std::strerror(err) : std::string(); }

std::string read_text_input(const std::string & path) {
    if (path == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        if (std::cin.bad()) {
            throw input_error("cannot read the function from stdin");
        }
        return buffer.str();
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
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        throw input_error("cannot read function file '" + path + "'");
    }
    return text;
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
