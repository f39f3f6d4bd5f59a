// main: the `spexlens` entry point. Dispatches to a command and turns every failure into
// one line "spexlens: error: <message>" on stderr with exit code 2 (usage) or 1 (input or
// runtime), so scripts can rely on the output and nothing escapes as an uncaught exception.
#include "cli/cli_error.h"
#include "cli/solve_command.h"
#include "planted/function_json.h"
#include "spex/spex_error.h"

#include <nlohmann/json.hpp>

#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#ifndef SPEXLENS_VERSION
#error "SPEXLENS_VERSION must be defined by the build (the CMake project version)"
#endif

namespace {

const char * const version = SPEXLENS_VERSION;

std::string main_usage() {
    return "usage: spexlens <command> [options]\n"
           "\n"
           "Feature-interaction explanations with SPEX (sparse Fourier transforms).\n"
           "\n"
           "commands:\n"
           "  solve      explain a planted function given as JSON and print the result JSON\n"
           "             (spexlens solve --help for its options)\n"
           "\n"
           "  --help     show this help\n"
           "  --version  print the version\n";
}

// Messages are printed on one line whatever they contain.
int report(const std::string & message, int code) {
    std::string line = message;
    for (char & c : line) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    std::cerr << "spexlens: error: " << line << "\n";
    return code;
}

int dispatch(const std::vector<std::string> & args) {
    if (args.empty()) {
        throw spexlens::usage_error("missing command (try 'spexlens --help')");
    }
    const std::string & command = args[0];
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << main_usage();
        return spexlens::exit_ok;
    }
    if (command == "--version") {
        std::cout << "spexlens " << version << "\n";
        return spexlens::exit_ok;
    }
    if (command == "solve") {
        return spexlens::run_solve_command(std::vector<std::string>(args.begin() + 1, args.end()), version);
    }
    if (!command.empty() && command[0] == '-') {
        throw spexlens::usage_error("unknown option '" + command + "' (try 'spexlens --help')");
    }
    throw spexlens::usage_error("unknown command '" + command + "' (try 'spexlens --help')");
}

}  // namespace

int main(int argc, char ** argv) {
    try {
        return dispatch(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const spexlens::usage_error & e) {
        return report(e.what(), spexlens::exit_usage_error);
    } catch (const spexlens::input_error & e) {
        return report(e.what(), spexlens::exit_input_error);
    } catch (const spexlens::function_format_error & e) {
        return report(e.what(), spexlens::exit_input_error);
    } catch (const spex::spex_error & e) {
        return report(e.what(), spexlens::exit_input_error);
    } catch (const nlohmann::json::exception & e) {
        return report(std::string("JSON: ") + e.what(), spexlens::exit_input_error);
    } catch (const std::bad_alloc &) {
        return report("out of memory (try a smaller budget, b or n)", spexlens::exit_input_error);
    } catch (const std::exception & e) {
        return report(e.what(), spexlens::exit_input_error);
    } catch (...) {
        return report("unexpected internal error", spexlens::exit_input_error);
    }
}
