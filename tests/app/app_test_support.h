// Helpers shared by the app-model tests: the fixtures in tests/app/data/ (read natively and
// under Node with NODERAWFS) and the error message an expression throws.
#pragma once

#include "app/model/loaded_result.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace app_test {

inline std::string source_path(const std::string & relative) {
    return std::string(SPEXLENS_SOURCE_DIR) + "/" + relative;
}

inline std::string read_file(const std::string & relative) {
    std::ifstream in(source_path(relative), std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + relative);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A real text result: scripts/spexlens-explain on the planted-and model (data/README.md).
inline std::string text_result_json() { return read_file("tests/app/data/planted_and_result.json"); }

// A real `spexlens solve` result on models/synthetic/planted_demo.json (data/README.md).
inline std::string solve_result_json() { return read_file("tests/app/data/planted_demo_solve.json"); }

inline spexlens::ordered_json text_result() { return spexlens::ordered_json::parse(text_result_json()); }

// The message of the std::runtime_error `f` throws; fails the test if it throws nothing or
// something else.
inline std::string runtime_error_of(const std::function<void()> & f) {
    try {
        f();
    } catch (const std::runtime_error & e) {
        return e.what();
    } catch (...) {
        FAIL("threw something other than std::runtime_error");
    }
    FAIL("did not throw");
    return "";
}

}  // namespace app_test
