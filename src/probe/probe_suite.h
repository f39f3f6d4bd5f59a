// probe_suite: behavioural probe suites (docs/probe-suites.md) — CheckList's three test types
// (Ribeiro et al., ACL 2020) in a portable JSON file: minimum functionality (each case has an
// expected label or score range), invariance (a perturbation must not change the prediction,
// or must move the score by no more than a tolerance) and directional expectation (a
// perturbation must move the score up or down by at least a margin).
//
//   probe_suite suite = parse_probe_suite(file_text);   // strict: every mistake is a message
//   std::vector<probe_case> cases = expand_suite(suite); // listed cases and filled templates
//   std::vector<std::string> texts = distinct_texts(cases); // what the front end scores
//
// The layer knows nothing of models, tokens or screens: a text is a string, a score a number
// the front end measured (probe_report.h judges them). Every limit below is checked with a
// message that names the test and the field; the sample drawn from a template too large to
// expand is seeded and the same on every platform.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spexlens::probe {

// [SECTION] Limits (docs/probe-suites.md)

constexpr size_t   max_suite_bytes       = size_t(4) << 20;          // the suite file
constexpr size_t   max_tests             = 500;                      // tests in one suite
constexpr size_t   max_cases_per_test    = 2000;                     // cases one test expands to
constexpr size_t   max_total_cases       = 20000;                    // cases of the whole suite
constexpr size_t   max_text_bytes        = 20000;                    // one case text, templates filled
constexpr size_t   max_fill_values       = 1000;                     // values of one placeholder
constexpr size_t   max_placeholders      = 16;                       // placeholders of one test's templates
constexpr size_t   max_name_bytes        = 200;                      // names, capabilities, labels, targets
constexpr size_t   max_description_bytes = 5000;                     // descriptions
constexpr uint64_t max_seed              = (uint64_t(1) << 53) - 1;  // JavaScript reads it exactly

// A suite (or a scores document) that cannot be used: what() says which test and field, and
// what to write instead.
struct probe_error : std::runtime_error {
    explicit probe_error(const std::string & what) : std::runtime_error(what) {}
};

// [SECTION] The suite

enum test_type {
    TEST_MFT,  // minimum functionality: one text per case, an expected label and/or score range
    TEST_INV,  // invariance: base and perturbed text, the label kept and/or the score within a tolerance
    TEST_DIR   // directional expectation: base and perturbed text, the score moves up / down by a margin
};
const char * test_type_name(test_type t);   // "mft", "inv", "dir"
const char * test_type_title(test_type t);  // "minimum functionality", "invariance", "directional expectation"

enum score_direction { DIRECTION_UP, DIRECTION_DOWN };

// What one case must show; which fields apply depends on the test type.
struct expectation {
    // mft: the predicted label (empty: not checked) and/or min_score <= score <= max_score.
    std::string           label;
    std::optional<double> min_score;
    std::optional<double> max_score;
    // inv: the predicted label is the same for both texts and/or |score change| <= max_change.
    bool                  same_label = false;
    std::optional<double> max_change;
    // dir: score(perturbed) - score(base) >= margin (up) or <= -margin (down).
    score_direction direction = DIRECTION_UP;
    double          margin    = 0.0;
};

// A case written out in the suite: one text (mft) or a base and a perturbed text (inv, dir),
// with its own expectation when it gives one.
struct listed_case {
    std::vector<std::string>   texts;
    std::optional<expectation> expect;
};

// One placeholder of a template and the values it takes.
struct fill_in {
    std::string              name;
    std::vector<std::string> values;
};

struct probe_test {
    std::string name;  // unique within the suite
    test_type   type = TEST_MFT;
    std::string capability;   // what it probes, e.g. "negation", "invariance: names"
    std::string description;  // may be empty

    std::optional<expectation> expect;  // the test's; a listed case may give its own

    // Either listed cases ...
    std::vector<listed_case> listed;
    // ... or templates: mft one ("template"), inv / dir two ("base", "perturbed"), filled from
    // `fill` (sorted by placeholder name) as the cartesian product.
    std::vector<std::string> templates;
    std::vector<fill_in>     fill;
    uint64_t                 combinations = 0;  // product of the fill-ins' sizes (saturates at UINT64_MAX)
    size_t                   max_cases    = 0;  // > 0: sample this many when there are more combinations
    uint64_t                 seed         = 0;  // the sample's seed (the test's "seed", else the suite's)

    bool generated() const { return !templates.empty(); }
};

struct probe_suite {
    std::string             name;
    std::string             description;
    std::string             model_hint;  // which model it was written for; may be empty
    std::string             target;      // "CLASS[:MEASURE]" the scores measure; empty: the model's default
    uint64_t                seed = 0;
    std::vector<probe_test> tests;
};

// Parses and validates a suite file: the format and version, every field's type and range,
// unknown fields (a typo must not be silently ignored), unique test names, templates whose
// placeholders and fill-ins match, fill-in products within the limits unless max_cases
// samples them. Throws probe_error, e.g. "test \"names\" (tests[2]): fill.name: expected a
// non-empty array of strings, got []".
probe_suite parse_probe_suite(std::string_view json_text);

// [SECTION] Cases

// One case: the texts the model scores and what they must show.
struct probe_case {
    std::string              id;         // "<test>.<case>", both counted from 1: "3.12"
    size_t                   test  = 0;  // index into probe_suite::tests
    size_t                   index = 0;  // index within its test
    std::vector<std::string> texts;      // mft: {text}; inv, dir: {base, perturbed}
    expectation              expect;
};

// Every case of the suite, test by test: listed cases in their order, generated ones in the
// order of the product (the last placeholder by name varies fastest), or, when a test has more
// combinations than max_cases, a seeded sample of max_cases distinct combinations in that same
// order. Deterministic: the same suite gives the same cases on every platform. Throws
// probe_error for a filled text that is empty or longer than max_text_bytes, or more than
// max_total_cases cases in all.
std::vector<probe_case> expand_suite(const probe_suite & suite);

// The cases' texts without repeats, in order of first use: what the model must score.
std::vector<std::string> distinct_texts(const std::vector<probe_case> & cases);

// Fills `pattern` ("Patient {name} denies {symptom}.", "{{" and "}}" for literal braces) with
// one value per placeholder, `values[i]` for `names[i]`. Throws probe_error naming a
// placeholder without a value.
std::string fill_template(std::string_view pattern, const std::vector<std::string> & names,
                          const std::vector<std::string> & values);

// The placeholder names of a template in order of first appearance, each once. Throws
// probe_error for an unmatched brace or a malformed name (letters, digits and '_', not first a
// digit).
std::vector<std::string> template_placeholders(std::string_view pattern);

}  // namespace spexlens::probe
