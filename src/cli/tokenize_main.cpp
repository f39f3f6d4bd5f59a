// spexlens-tokenize: runs a Hugging Face tokenizer.json through spexlens's own C++ tokenizer
// (src/text/hf) and prints, for every text, the ids and each token's span in the text, so
// anyone can compare it with another implementation (docs/hf-tokenizers.md):
//
//   spexlens-tokenize --tokenizer tokenizer.json [--config tokenizer_config.json]
//                     (--text S | --input FILE.jsonl) [--no-special-tokens] [--tokens]
//
// One JSON line per text: {"ids": [...], "offsets": [[start, end], ...]} with offsets in
// Unicode code points of the text (the post-processor's special tokens get [0, 0]); --tokens
// adds the token strings. Input lines are {"text": "..."} objects or JSON strings. Invalid
// UTF-8 is repaired to U+FFFD first, as everywhere in spexlens.
#include "cli/cli_io.h"
#include "text/hf/hf_tokenizer.h"
#include "text/text_error.h"
#include "text/utf8.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using json = nlohmann::json;
using spexlens::text::text_error;

constexpr size_t max_file_bytes = size_t(512) << 20;  // the largest tokenizer.json seen is 33 MB

const char * usage = "usage: spexlens-tokenize --tokenizer tokenizer.json [--config tokenizer_config.json]\n"
                     "                         (--text S | --input FILE.jsonl) [--no-special-tokens] [--tokens]\n";

struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The whole file (or stdin for "-"), refusing anything over max_file_bytes within one read.
std::string read_file(const std::string & path, const char * what) {
    if (path == "-") {
        return spexlens::read_bounded(std::cin, max_file_bytes, std::string(what) + " on stdin");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw text_error(std::string(what) + " " + path + ": cannot be opened");
    }
    return spexlens::read_bounded(in, max_file_bytes, std::string(what) + " " + path);
}

// What the command line asked for.
struct tokenize_args {
    std::string tokenizer_path, config_path, text, input_path;
    bool        have_text = false, special = true, with_tokens = false, help = false;
};

// Reads the arguments; throws usage_error on an unknown, incomplete or missing one.
tokenize_args parse_args(int argc, char ** argv) {
    tokenize_args a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg   = argv[i];
        auto              value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw usage_error(arg + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--tokenizer") {
            a.tokenizer_path = value();
        } else if (arg == "--config") {
            a.config_path = value();
        } else if (arg == "--text") {
            a.text      = value();
            a.have_text = true;
        } else if (arg == "--input") {
            a.input_path = value();
        } else if (arg == "--no-special-tokens") {
            a.special = false;
        } else if (arg == "--tokens") {
            a.with_tokens = true;
        } else if (arg == "-h" || arg == "--help") {
            a.help = true;
            return a;
        } else {
            throw usage_error("unknown argument " + arg);
        }
    }
    if (a.tokenizer_path.empty()) {
        throw usage_error("--tokenizer is required");
    }
    if (a.have_text == !a.input_path.empty()) {
        throw usage_error("give exactly one of --text and --input");
    }
    return a;
}

// One JSON line per text of an --input file (blank lines skipped).
std::string encode_lines(const spexlens::text::hf::tokenizer & t, const std::string & input, bool special,
                         bool with_tokens) {
    std::istringstream lines(input);
    std::string        line;
    size_t             number = 0;
    std::string        out;
    while (std::getline(lines, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        json j;
        try {
            j = json::parse(line);
        } catch (const json::exception &) {
            throw text_error("--input line " + std::to_string(number) + ": not valid JSON");
        }
        const json * s = j.is_string() ? &j : (j.is_object() && j.contains("text") ? &j["text"] : nullptr);
        if (s == nullptr || !s->is_string()) {
            throw text_error("--input line " + std::to_string(number) +
                             ": expected {\"text\": \"...\"} or a JSON string");
        }
        out += spexlens::text::hf::encode_to_json(t, spexlens::text::sanitize_utf8(s->get<std::string>()), special,
                                                  with_tokens);
        out += '\n';
    }
    return out;
}

}  // namespace

int main(int argc, char ** argv) {
    tokenize_args a;
    try {
        a = parse_args(argc, argv);
    } catch (const usage_error & e) {
        std::cerr << "spexlens-tokenize: " << e.what() << "\n" << usage;
        return 2;
    }
    if (a.help) {
        std::cout << usage;
        return 0;
    }

    try {
        const std::string tokenizer_json = read_file(a.tokenizer_path, "--tokenizer");
        const std::string config_json    = a.config_path.empty() ? std::string() : read_file(a.config_path, "--config");
        const auto        t              = spexlens::text::hf::tokenizer::parse(tokenizer_json, config_json);
        if (a.have_text) {
            std::cout << spexlens::text::hf::encode_to_json(*t, spexlens::text::sanitize_utf8(a.text), a.special,
                                                            a.with_tokens)
                      << "\n";
            return 0;
        }
        std::cout << encode_lines(*t, read_file(a.input_path, "--input"), a.special, a.with_tokens);
    } catch (const std::exception & e) {
        std::cerr << "spexlens-tokenize: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
