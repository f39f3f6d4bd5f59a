// probe_suite: see probe_suite.h; the format is docs/probe-suites.md.
//
// Index
//   [SECTION] Messages and field readers
//   [SECTION] Expectations
//   [SECTION] Templates
//   [SECTION] Tests
//   [SECTION] Seeded sampling (integer arithmetic only: the same sample on every platform)
//   [SECTION] Public functions
#include "probe/probe_suite.h"

#include "json/json_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

namespace spexlens::probe {

namespace {

using nlohmann::json;

// [SECTION] Messages and field readers

// Where a message points: "probe suite: tests[2] \"negation\": " or "probe suite: ".
struct where {
    std::string prefix;

    [[noreturn]] void fail(const std::string & field, const std::string & what) const {
        throw probe_error(prefix + (field.empty() ? "" : field + ": ") + what);
    }
};

const where suite_level{"probe suite: "};

std::string with_commas(uint64_t x) {
    std::string digits = std::to_string(x);
    for (int i = int(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(size_t(i), ",");
    }
    return digits;
}

// "a string", "an array", "the number 1.5", ... for "expected X, got Y".
std::string shown(const json & v) { return json_shown(v); }

std::string string_field(const json & v, const where & at, const std::string & field, size_t max_bytes,
                         bool allow_empty = false) {
    if (!v.is_string()) {
        at.fail(field, "expected a string, got " + shown(v));
    }
    const std::string & s = v.get_ref<const std::string &>();
    if (!allow_empty && s.find_first_not_of(" \t\r\n") == std::string::npos) {
        at.fail(field, "must not be empty");
    }
    if (s.size() > max_bytes) {
        at.fail(field, std::to_string(s.size()) + " bytes is longer than the limit of " + with_commas(max_bytes));
    }
    return s;
}

double number_field(const json & v, const where & at, const std::string & field) {
    if (!v.is_number()) {
        at.fail(field, "expected a number, got " + shown(v));
    }
    const double x = v.get<double>();
    if (!std::isfinite(x)) {
        at.fail(field, "expected a finite number, got " + shown(v));
    }
    return x;
}

uint64_t integer_field(const json & v, const where & at, const std::string & field, uint64_t lo, uint64_t hi) {
    if (!v.is_number_integer()) {
        at.fail(field, "expected an integer, got " + shown(v));
    }
    if (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0) {
        at.fail(field, shown(v) + " is out of range " + with_commas(lo) + ".." + with_commas(hi));
    }
    const uint64_t x = v.get<uint64_t>();
    if (x < lo || x > hi) {
        at.fail(field, shown(v) + " is out of range " + with_commas(lo) + ".." + with_commas(hi));
    }
    return x;
}

bool bool_field(const json & v, const where & at, const std::string & field) {
    if (!v.is_boolean()) {
        at.fail(field, "expected true or false, got " + shown(v));
    }
    return v.get<bool>();
}

// Refuses keys not in `known` (a typo must not fall back to a default silently).
void known_keys(const json & object, const where & at, const std::string & field,
                const std::vector<std::string> & known) {
    for (const auto & item : object.items()) {
        if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
            std::string list;
            for (const auto & k : known) {
                list += (list.empty() ? "" : ", ") + k;
            }
            at.fail(field.empty() ? item.key() : field + "." + item.key(), "unknown field (known: " + list + ")");
        }
    }
}

const json & required(const json & object, const where & at, const std::string & key) {
    if (!object.contains(key)) {
        at.fail(key, "missing (required)");
    }
    return object.at(key);
}

// [SECTION] Expectations

expectation parse_expectation(const json & v, test_type type, const where & at, const std::string & field) {
    if (!v.is_object()) {
        at.fail(field, "expected an object, got " + shown(v));
    }
    expectation e;
    switch (type) {
    case TEST_MFT:
        known_keys(v, at, field, {"label", "min_score", "max_score"});
        if (v.contains("label")) {
            e.label = string_field(v["label"], at, field + ".label", max_name_bytes);
        }
        if (v.contains("min_score")) {
            e.min_score = number_field(v["min_score"], at, field + ".min_score");
        }
        if (v.contains("max_score")) {
            e.max_score = number_field(v["max_score"], at, field + ".max_score");
        }
        if (e.label.empty() && !e.min_score && !e.max_score) {
            at.fail(field, "an mft expectation needs \"label\", \"min_score\" or \"max_score\"");
        }
        if (e.min_score && e.max_score && *e.min_score > *e.max_score) {
            at.fail(field, "min_score is above max_score");
        }
        break;
    case TEST_INV:
        known_keys(v, at, field, {"same_label", "max_change"});
        if (v.contains("same_label")) {
            e.same_label = bool_field(v["same_label"], at, field + ".same_label");
        }
        if (v.contains("max_change")) {
            e.max_change = number_field(v["max_change"], at, field + ".max_change");
            if (*e.max_change < 0.0) {
                at.fail(field + ".max_change", "must be >= 0 (it bounds |score(perturbed) - score(base)|)");
            }
        }
        if (!e.same_label && !e.max_change) {
            at.fail(field, "an inv expectation needs \"same_label\": true or \"max_change\"");
        }
        break;
    case TEST_DIR: {
        known_keys(v, at, field, {"direction", "margin"});
        const std::string d = string_field(required(v, where{at.prefix + field + "."}, "direction"), at,
                                           field + ".direction", max_name_bytes);
        if (d != "up" && d != "down") {
            at.fail(field + ".direction", "expected \"up\" or \"down\", got \"" + d + "\"");
        }
        e.direction = d == "up" ? DIRECTION_UP : DIRECTION_DOWN;
        if (v.contains("margin")) {
            e.margin = number_field(v["margin"], at, field + ".margin");
            if (e.margin < 0.0) {
                at.fail(field + ".margin", "must be >= 0 (the direction says up or down)");
            }
        }
        break;
    }
    }
    return e;
}

// [SECTION] Templates

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

// Walks a template: literal text to `literal`, each placeholder name to `placeholder`.
template <typename Literal, typename Placeholder>
void walk_template(std::string_view pattern, Literal && literal, Placeholder && placeholder) {
    for (size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
            literal('{');
            ++i;
        } else if (c == '}' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
            literal('}');
            ++i;
        } else if (c == '{') {
            const size_t close = pattern.find('}', i + 1);
            if (close == std::string_view::npos) {
                throw probe_error("unmatched '{' at byte " + std::to_string(i) + " (write {{ for a literal brace)");
            }
            const std::string_view name = pattern.substr(i + 1, close - i - 1);
            if (name.empty() || !name_start(name[0]) || !std::all_of(name.begin(), name.end(), name_char) ||
                name.size() > max_name_bytes) {
                throw probe_error(json_shown(nlohmann::json("{" + std::string(name) + "}"), 40) + " at byte " +
                                  std::to_string(i) +
                                  " is not a placeholder (letters, digits and _, not first a digit; write {{ "
                                  "and }} for literal braces)");
            }
            placeholder(name);
            i = close;
        } else if (c == '}') {
            throw probe_error("unmatched '}' at byte " + std::to_string(i) + " (write }} for a literal brace)");
        } else {
            literal(c);
        }
    }
}

uint64_t saturating_product(uint64_t a, uint64_t b) { return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b; }

// [SECTION] Tests

const std::vector<std::string> test_keys = {"name",  "type",      "capability", "description", "expect",
                                            "cases", "pairs",     "template",   "base",        "perturbed",
                                            "fill",  "max_cases", "seed"};

void parse_listed(const json & t, probe_test & test, const where & at) {
    const bool        mft  = test.type == TEST_MFT;
    const std::string key  = mft ? "cases" : "pairs";
    const json &      list = t[key];
    if (!list.is_array() || list.empty()) {
        at.fail(key, "expected a non-empty array, got " + shown(list));
    }
    if (list.size() > max_cases_per_test) {
        at.fail(key, with_commas(list.size()) + " cases, more than the limit of " + with_commas(max_cases_per_test) +
                         " per test; split the test");
    }
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string field = key + "[" + std::to_string(i) + "]";
        const json &      item  = list[i];
        listed_case       c;
        if (mft && item.is_string()) {
            c.texts.push_back(string_field(item, at, field, max_text_bytes));
        } else if (item.is_object()) {
            if (mft) {
                known_keys(item, at, field, {"text", "expect"});
                c.texts.push_back(string_field(required(item, where{at.prefix + field + "."}, "text"), at,
                                               field + ".text", max_text_bytes));
            } else {
                known_keys(item, at, field, {"base", "perturbed", "expect"});
                const where inner{at.prefix + field + "."};
                c.texts.push_back(string_field(required(item, inner, "base"), at, field + ".base", max_text_bytes));
                c.texts.push_back(
                    string_field(required(item, inner, "perturbed"), at, field + ".perturbed", max_text_bytes));
            }
            if (item.contains("expect")) {
                c.expect = parse_expectation(item["expect"], test.type, at, field + ".expect");
            }
        } else {
            at.fail(field, std::string(mft ? "expected a text or {\"text\", \"expect\"?}"
                                           : "expected {\"base\", \"perturbed\", \"expect\"?}") +
                               ", got " + shown(item));
        }
        if (!c.expect && !test.expect) {
            at.fail(field, "has no expectation: give the test an \"expect\" or the case its own");
        }
        test.listed.push_back(std::move(c));
    }
}

void parse_generated(const json & t, probe_test & test, const where & at) {
    std::vector<std::string> template_keys =
        test.type == TEST_MFT ? std::vector<std::string>{"template"} : std::vector<std::string>{"base", "perturbed"};
    std::vector<std::string> names;  // placeholders of all templates, each once
    for (const std::string & key : template_keys) {
        test.templates.push_back(string_field(required(t, at, key), at, key, max_text_bytes));
        try {
            for (const std::string & name : template_placeholders(test.templates.back())) {
                if (std::find(names.begin(), names.end(), name) == names.end()) {
                    names.push_back(name);
                }
            }
        } catch (const probe_error & e) {
            at.fail(key, e.what());
        }
    }
    if (names.size() > max_placeholders) {
        at.fail(template_keys.front(), std::to_string(names.size()) + " placeholders, more than the limit of " +
                                           std::to_string(max_placeholders));
    }
    if (!test.expect) {
        at.fail("expect", "missing: a template's cases share the test's expectation");
    }
    json fill = json::object();
    if (t.contains("fill")) {
        fill = t["fill"];
        if (!fill.is_object()) {
            at.fail("fill", "expected an object {\"placeholder\": [values...]}, got " + shown(fill));
        }
    }
    for (const std::string & name : names) {
        if (!fill.contains(name)) {
            at.fail("fill", "has no values for the placeholder {" + name + "}");
        }
    }
    test.combinations = 1;
    for (const auto & item : fill.items()) {  // sorted by name
        const std::string field = "fill." + item.key();
        if (std::find(names.begin(), names.end(), item.key()) == names.end()) {
            at.fail(field, "no template uses {" + item.key() + "}");
        }
        const json & values = item.value();
        if (!values.is_array() || values.empty()) {
            at.fail(field, "expected a non-empty array of strings, got " + shown(values));
        }
        if (values.size() > max_fill_values) {
            at.fail(field,
                    with_commas(values.size()) + " values, more than the limit of " + with_commas(max_fill_values));
        }
        fill_in               f{item.key(), {}};
        std::set<std::string> seen;
        for (size_t i = 0; i < values.size(); ++i) {
            const std::string at_i = field + "[" + std::to_string(i) + "]";
            const std::string v    = string_field(values[i], at, at_i, max_text_bytes, true);
            if (!seen.insert(v).second) {
                at.fail(at_i, json_shown(json(v), 40) + " is listed twice");
            }
            f.values.push_back(v);
        }
        test.combinations = saturating_product(test.combinations, f.values.size());
        test.fill.push_back(std::move(f));
    }
    if (t.contains("max_cases")) {
        test.max_cases = size_t(integer_field(t["max_cases"], at, "max_cases", 1, max_cases_per_test));
    }
    if (test.max_cases == 0 && test.combinations > max_cases_per_test) {
        at.fail("fill", "the fill-ins make " +
                            (test.combinations == UINT64_MAX ? std::string("more than 18 quintillion")
                                                             : with_commas(test.combinations)) +
                            " combinations, more than the limit of " + with_commas(max_cases_per_test) +
                            " cases per test; set \"max_cases\" to test a seeded sample of them");
    }
}

probe_test parse_test(const json & t, size_t index, uint64_t suite_seed, std::unordered_set<std::string> & names) {
    where at{"probe suite: tests[" + std::to_string(index) + "]: "};
    if (!t.is_object()) {
        at.fail("", "expected a test object, got " + shown(t));
    }
    probe_test test;
    test.name = string_field(required(t, at, "name"), at, "name", max_name_bytes);
    at.prefix = "probe suite: tests[" + std::to_string(index) + "] \"" + test.name + "\": ";
    if (!names.insert(test.name).second) {
        at.fail("name", "another test has this name; names must differ (they name the test in reports)");
    }
    known_keys(t, at, "", test_keys);
    const std::string type = string_field(required(t, at, "type"), at, "type", max_name_bytes);
    if (type == "mft") {
        test.type = TEST_MFT;
    } else if (type == "inv") {
        test.type = TEST_INV;
    } else if (type == "dir") {
        test.type = TEST_DIR;
    } else {
        at.fail("type", "unknown test type \"" + type +
                            "\"; use mft (minimum functionality), inv (invariance) or dir (directional expectation)");
    }
    test.capability = string_field(required(t, at, "capability"), at, "capability", max_name_bytes);
    if (t.contains("description")) {
        test.description = string_field(t["description"], at, "description", max_description_bytes, true);
    }
    if (t.contains("expect")) {
        test.expect = parse_expectation(t["expect"], test.type, at, "expect");
    } else if (test.type == TEST_INV) {
        test.expect             = expectation{};
        test.expect->same_label = true;  // invariance's default: the prediction does not change
    }
    // Which keys go with which type: mft lists "cases" or fills a "template"; inv and dir list
    // "pairs" or fill "base" and "perturbed".
    const bool                     mft = test.type == TEST_MFT;
    const std::vector<std::string> other =
        mft ? std::vector<std::string>{"pairs", "base", "perturbed"} : std::vector<std::string>{"cases", "template"};
    for (const std::string & key : other) {
        if (t.contains(key)) {
            at.fail(key, mft ? "is for inv and dir tests; an mft test gives \"cases\" or a \"template\""
                             : "is for mft tests; an " + type + " test gives \"pairs\" or \"base\" and \"perturbed\"");
        }
    }
    const bool listed    = t.contains(mft ? "cases" : "pairs");
    const bool generated = t.contains(mft ? "template" : "base") || (!mft && t.contains("perturbed"));
    if (listed == generated) {
        at.fail("", mft ? "give either \"cases\" (listed texts) or a \"template\" with \"fill\", one of them"
                        : "give either \"pairs\" (listed base/perturbed texts) or \"base\" and \"perturbed\" "
                          "templates with \"fill\", one of them");
    }
    test.seed = suite_seed;
    if (t.contains("seed")) {
        test.seed = integer_field(t["seed"], at, "seed", 0, max_seed);
    }
    if (listed) {
        for (const char * key : {"fill", "max_cases"}) {
            if (t.contains(key)) {
                at.fail(key, "applies to templates only");
            }
        }
        parse_listed(t, test, at);
    } else {
        parse_generated(t, test, at);
    }
    return test;
}

// [SECTION] Seeded sampling (integer arithmetic only: the same sample on every platform)

uint64_t splitmix64(uint64_t & state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z          = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z          = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Uniform in [0, n), n > 0, without modulo bias.
uint64_t uniform_below(uint64_t & state, uint64_t n) {
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
        const uint64_t r = splitmix64(state);
        if (r >= threshold) {
            return r % n;
        }
    }
}

uint64_t fnv1a(std::string_view s) {
    uint64_t h = 0xCBF29CE484222325ull;
    for (const char c : s) {
        h = (h ^ uint64_t(static_cast<unsigned char>(c))) * 0x100000001B3ull;
    }
    return h;
}

// The combinations of a generated test: all of them in product order, or a sample.
std::vector<std::vector<uint32_t>> combinations_of(const probe_test & test) {
    std::vector<std::vector<uint32_t>> out;
    const size_t                       k = test.fill.size();
    if (test.max_cases == 0 || test.combinations <= test.max_cases) {
        std::vector<uint32_t> digits(k, 0);
        for (uint64_t c = 0; c < test.combinations; ++c) {
            out.push_back(digits);
            for (size_t d = k; d-- > 0;) {  // the last placeholder varies fastest
                if (++digits[d] < test.fill[d].values.size()) {
                    break;
                }
                digits[d] = 0;
            }
        }
        return out;
    }
    // max_cases distinct combinations drawn uniformly (rejecting repeats), seeded by the test's
    // seed and name, then put in product order.
    uint64_t                        state = test.seed ^ (fnv1a(test.name) * 0x9E3779B97F4A7C15ull);
    std::set<std::vector<uint32_t>> chosen;
    std::vector<uint32_t>           draw(k);
    while (chosen.size() < test.max_cases) {
        for (size_t d = 0; d < k; ++d) {
            draw[d] = uint32_t(uniform_below(state, test.fill[d].values.size()));
        }
        chosen.insert(draw);
    }
    out.assign(chosen.begin(), chosen.end());  // std::set orders them lexicographically: product order
    return out;
}

}  // namespace

// [SECTION] Public functions

const char * test_type_name(test_type t) {
    switch (t) {
    case TEST_MFT:
        return "mft";
    case TEST_INV:
        return "inv";
    case TEST_DIR:
        return "dir";
    }
    return "?";
}

const char * test_type_title(test_type t) {
    switch (t) {
    case TEST_MFT:
        return "minimum functionality";
    case TEST_INV:
        return "invariance";
    case TEST_DIR:
        return "directional expectation";
    }
    return "?";
}

std::vector<std::string> template_placeholders(std::string_view pattern) {
    std::vector<std::string> names;
    walk_template(
        pattern, [](char) {},
        [&](std::string_view name) {
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                names.emplace_back(name);
            }
        });
    return names;
}

std::string fill_template(std::string_view pattern, const std::vector<std::string> & names,
                          const std::vector<std::string> & values) {
    std::string out;
    walk_template(
        pattern, [&](char c) { out += c; },
        [&](std::string_view name) {
            const auto it = std::find(names.begin(), names.end(), name);
            if (it == names.end() || size_t(it - names.begin()) >= values.size()) {
                throw probe_error("no value for the placeholder {" + std::string(name) + "}");
            }
            out += values[size_t(it - names.begin())];
        });
    return out;
}

probe_suite parse_probe_suite(std::string_view json_text) {
    if (json_text.size() > max_suite_bytes) {
        suite_level.fail("", "the file is " + with_commas(json_text.size()) + " bytes, more than the limit of " +
                                 with_commas(max_suite_bytes) + "; split it into several suites");
    }
    json doc;
    try {
        doc = parse_bounded_json<json>(json_text, 10000);
    } catch (const json_input_error & e) {  // syntax, 1e999, nesting too deep
        suite_level.fail("", std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) {
        suite_level.fail("", "expected a JSON object {\"format\": \"spexlens-probe-suite\", ...}, got " + shown(doc));
    }
    known_keys(doc, suite_level, "",
               {"format", "version", "name", "description", "model_hint", "target", "seed", "tests"});
    const json & format = required(doc, suite_level, "format");
    if (!format.is_string() || format.get<std::string>() != "spexlens-probe-suite") {
        suite_level.fail("format", "expected \"spexlens-probe-suite\", got " + shown(format));
    }
    const json & version = required(doc, suite_level, "version");
    if (!version.is_number_integer() || version.get<int64_t>() != 1) {
        suite_level.fail("version", "expected 1 (the only version this spexlens reads), got " + shown(version));
    }
    probe_suite suite;
    suite.name        = string_field(required(doc, suite_level, "name"), suite_level, "name", max_name_bytes);
    suite.description = string_field(required(doc, suite_level, "description"), suite_level, "description",
                                     max_description_bytes, true);
    if (doc.contains("model_hint")) {
        suite.model_hint = string_field(doc["model_hint"], suite_level, "model_hint", max_name_bytes);
    }
    if (doc.contains("target")) {
        suite.target = string_field(doc["target"], suite_level, "target", max_name_bytes);
    }
    if (doc.contains("seed")) {
        suite.seed = integer_field(doc["seed"], suite_level, "seed", 0, max_seed);
    }
    const json & tests = required(doc, suite_level, "tests");
    if (!tests.is_array() || tests.empty()) {
        suite_level.fail("tests", "expected a non-empty array of tests, got " + shown(tests));
    }
    if (tests.size() > max_tests) {
        suite_level.fail("tests", with_commas(tests.size()) + " tests, more than the limit of " +
                                      with_commas(max_tests) + "; split the suite");
    }
    std::unordered_set<std::string> names;
    size_t                          total = 0;
    for (size_t i = 0; i < tests.size(); ++i) {
        suite.tests.push_back(parse_test(tests[i], i, suite.seed, names));
        const probe_test & t = suite.tests.back();
        total += t.generated() ? size_t(t.max_cases ? std::min<uint64_t>(t.combinations, t.max_cases) : t.combinations)
                               : t.listed.size();
        if (total > max_total_cases) {
            suite_level.fail("tests", "more than " + with_commas(max_total_cases) + " cases in all (reached at tests[" +
                                          std::to_string(i) + "] \"" + t.name +
                                          "\"); lower max_cases or split the suite");
        }
    }
    return suite;
}

std::vector<probe_case> expand_suite(const probe_suite & suite) {
    std::vector<probe_case> cases;
    for (size_t ti = 0; ti < suite.tests.size(); ++ti) {
        const probe_test & test = suite.tests[ti];
        const where        at{"probe suite: tests[" + std::to_string(ti) + "] \"" + test.name + "\": "};
        auto               add = [&](std::vector<std::string> texts, const expectation & e) {
            probe_case c;
            c.test   = ti;
            c.index  = cases.empty() || cases.back().test != ti ? 0 : cases.back().index + 1;
            c.id     = std::to_string(ti + 1) + "." + std::to_string(c.index + 1);
            c.texts  = std::move(texts);
            c.expect = e;
            cases.push_back(std::move(c));
            if (cases.size() > max_total_cases) {
                at.fail("", "more than " + with_commas(max_total_cases) + " cases in all; lower max_cases");
            }
        };
        if (!test.generated()) {
            for (const listed_case & l : test.listed) {
                add(l.texts, l.expect ? *l.expect : *test.expect);
            }
            continue;
        }
        std::vector<std::string> names;
        for (const fill_in & f : test.fill) {
            names.push_back(f.name);
        }
        for (const std::vector<uint32_t> & combination : combinations_of(test)) {
            std::vector<std::string> values;
            for (size_t d = 0; d < combination.size(); ++d) {
                values.push_back(test.fill[d].values[combination[d]]);
            }
            std::vector<std::string> texts;
            for (size_t k = 0; k < test.templates.size(); ++k) {
                std::string text = fill_template(test.templates[k], names, values);
                std::string chosen;
                for (size_t d = 0; d < names.size(); ++d) {
                    chosen += (d ? ", " : "") + names[d] + " = " + json_shown(json(values[d]), 40);
                }
                if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
                    at.fail("", "filled with " + chosen + ", a template gives an empty text");
                }
                if (text.size() > max_text_bytes) {
                    at.fail("", "filled with " + chosen + ", a template gives a text of " + with_commas(text.size()) +
                                    " bytes, more than the limit of " + with_commas(max_text_bytes));
                }
                texts.push_back(std::move(text));
            }
            add(std::move(texts), *test.expect);
        }
    }
    return cases;
}

std::vector<std::string> distinct_texts(const std::vector<probe_case> & cases) {
    std::vector<std::string>        out;
    std::unordered_set<std::string> seen;
    for (const probe_case & c : cases) {
        for (const std::string & t : c.texts) {
            if (seen.insert(t).second) {
                out.push_back(t);
            }
        }
    }
    return out;
}

}  // namespace spexlens::probe
