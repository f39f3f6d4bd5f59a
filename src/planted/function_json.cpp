// function_json: see function_json.h.
#include "planted/function_json.h"

#include "json/json_text.h"
#include "spex/query_design.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace spexlens {

using nlohmann::json;

// "an integer", "a number 1.5", "a string", "an array", ... for messages.
static std::string type_name(const json & v) {
    if (v.is_number_integer()) {
        return "an integer";
    }
    if (v.is_number()) {
        return "the number " + json_shown(v);
    }
    const std::string name = v.type_name();
    return (name[0] == 'a' || name[0] == 'o' ? "an " : "a ") + name;
}

// A JSON integer within [lo, hi], else function_format_error naming `what`.
static long long integer_field(const json & v, const std::string & what, long long lo, long long hi) {
    if (!v.is_number_integer()) {
        throw function_format_error(what + " must be an integer, got " + type_name(v));
    }
    long long value = 0;
    if (v.is_number_unsigned()) {
        const unsigned long long u = v.get<unsigned long long>();
        if (u > static_cast<unsigned long long>(hi)) {
            throw function_format_error(what + " " + json_shown(v) + " is out of range " + std::to_string(lo) + ".." +
                                        std::to_string(hi));
        }
        value = static_cast<long long>(u);
    } else {
        value = v.get<long long>();
    }
    if (value < lo || value > hi) {
        throw function_format_error(what + " " + json_shown(v) + " is out of range " + std::to_string(lo) + ".." +
                                    std::to_string(hi));
    }
    return value;
}

static double number_field(const json & v, const std::string & what) {
    if (!v.is_number()) {
        throw function_format_error(what + " must be a number, got " + type_name(v));
    }
    const double value = v.get<double>();
    if (!std::isfinite(value)) {
        throw function_format_error(what + " is not a finite number");
    }
    return value;
}

static spex::synthetic_term parse_term(const json & item, size_t index, int n) {
    const std::string where = "term " + std::to_string(index);
    if (!item.is_object()) {
        throw function_format_error(where + " must be an object {\"set\": [...], \"coef\": x}, got " + type_name(item));
    }
    for (auto it = item.begin(); it != item.end(); ++it) {
        if (it.key() != "set" && it.key() != "coef") {
            throw function_format_error(where + ": unknown field \"" + it.key() + "\" (expected \"set\" and \"coef\")");
        }
    }
    if (!item.contains("set")) {
        throw function_format_error(where + ": missing field \"set\"");
    }
    if (!item.contains("coef")) {
        throw function_format_error(where + ": missing field \"coef\"");
    }
    const json & set = item.at("set");
    if (!set.is_array()) {
        throw function_format_error(where + ": \"set\" must be an array of feature indices, got " + type_name(set));
    }
    spex::synthetic_term term;
    for (size_t j = 0; j < set.size(); ++j) {
        const long long i = integer_field(set[j], where + ": feature index", 0, n - 1);
        term.set.push_back(static_cast<int>(i));
    }
    term.coef = number_field(item.at("coef"), where + ": \"coef\"");
    return term;
}

spex::synthetic_function parse_function_json(const std::string & text) {
    json doc;
    try {
        doc = parse_bounded_json<json>(text);
    } catch (const json_input_error & e) {
        // Syntax errors, numbers too large for a double (e.g. 1e999), nesting too deep.
        throw function_format_error(std::string("function JSON is malformed: ") + e.what());
    }
    if (!doc.is_object()) {
        throw function_format_error("function JSON must be an object {\"n\": ..., \"terms\": [...]}, got " +
                                    type_name(doc));
    }
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const std::string & k = it.key();
        if (k != "n" && k != "basis" && k != "terms" && k != "noise_sd" && k != "description") {
            throw function_format_error("function JSON: unknown field \"" + k +
                                        "\" (expected n, basis, terms, noise_sd, description)");
        }
    }
    if (!doc.contains("n")) {
        throw function_format_error("function JSON: missing field \"n\" (the number of features)");
    }
    if (!doc.contains("terms")) {
        throw function_format_error("function JSON: missing field \"terms\"");
    }

    spex::synthetic_function f;
    const long long          n = integer_field(doc.at("n"), "\"n\"", 1, spex::spex_max_n);
    f.n                        = static_cast<int>(n);

    if (doc.contains("basis")) {
        const json & basis = doc.at("basis");
        if (basis == "fourier") {
            f.basis = spex::BASIS_FOURIER;
        } else if (basis == "mobius") {
            f.basis = spex::BASIS_MOBIUS;
        } else {
            throw function_format_error("\"basis\" must be \"fourier\" or \"mobius\", got " + json_shown(basis));
        }
    }
    if (doc.contains("noise_sd")) {
        f.noise_sd = number_field(doc.at("noise_sd"), "\"noise_sd\"");
        if (f.noise_sd < 0.0) {
            throw function_format_error("\"noise_sd\" must be >= 0");
        }
    }
    if (doc.contains("description") && !doc.at("description").is_string()) {
        throw function_format_error("\"description\" must be a string");
    }

    const json & terms = doc.at("terms");
    if (!terms.is_array()) {
        throw function_format_error("\"terms\" must be an array of {\"set\": [...], \"coef\": x}, got " +
                                    type_name(terms));
    }
    for (size_t i = 0; i < terms.size(); ++i) {
        f.terms.push_back(parse_term(terms[i], i, f.n));
    }
    f.validate_and_normalize();
    return f;
}

}  // namespace spexlens
