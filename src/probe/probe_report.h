// probe_report: a probe suite judged on a model's scores, and the report in three forms — the
// JSON the command line prints, a CSV of every case and a one-page HTML summary a compliance
// officer can file (docs/probe-suites.md).
//
//   model_scores scores = parse_model_scores(scores_json);        // what the front end measured
//   probe_run run = judge_suite(suite, cases, scores);             // pass / fail, and why
//   nlohmann::ordered_json report = report_json(suite, run, info); // also report_csv, report_html
//
// The front end runs the model on distinct_texts(cases) and hands back, per text, the score (the
// suite's target measured on the model's output, e.g. the log-odds of "spam") and the output
// row (logits, or probabilities: anything whose largest entry is the predicted class).
#pragma once

#include "probe/probe_suite.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace spexlens::probe {

// [SECTION] Scores

// One text as the model saw it.
struct text_score {
    double      score = 0.0;  // the target measure
    std::string label;        // the predicted label
};

struct model_scores {
    std::vector<std::string>                    labels;  // the model's labels, one per output column
    std::string                                 target;  // how the score was measured ("spam:log-odds"); shown only
    std::string                                 model_sha256;  // shown only; may be empty
    std::unordered_map<std::string, text_score> by_text;
};

// The predicted label of one output row: the label of the largest entry (the first on a tie);
// a model with one output column predicts labels[0] when its logit is above 0, else
// "not <labels[0]>". Throws probe_error when the row and the labels differ in size.
std::string predicted_label(const std::vector<std::string> & labels, const std::vector<double> & row);

// Reads {"labels": [...], "target": "spam:log-odds", "model_sha256": "..." (optional),
// "scores": [{"text": "...", "score": 1.25, "logits": [-0.4, 0.9]}, ...]}. Every number must be
// finite, every row as long as labels, every text given once. Throws probe_error.
model_scores parse_model_scores(std::string_view json_text);

// [SECTION] Judging

struct case_result {
    probe_case              kase;    // the case judged
    std::vector<text_score> scores;  // one per text
    bool                    passed = false;
    std::string             why;  // empty when passed, else e.g. "predicted \"ham\", expected \"spam\""
};

struct test_result {
    size_t              cases  = 0;
    size_t              failed = 0;
    std::vector<size_t> failures;  // indices into probe_run::cases, in case order
    bool                passed() const { return failed == 0; }
};

struct probe_run {
    std::vector<case_result> cases;   // in the order of expand_suite
    std::vector<test_result> tests;   // one per suite test
    std::vector<std::string> labels;  // the model's (from model_scores)
    std::string              target;
    std::string              model_sha256;
    size_t                   failed_cases() const;
};

// One capability of a run: its tests, those with a failing case, their cases and failing cases.
struct capability_tally {
    std::string name;
    size_t      tests = 0, failed = 0, cases = 0, failed_cases = 0;
};

// The capabilities of `suite` in order of first appearance (the report's order), tallied on `run`.
std::vector<capability_tally> tally_capabilities(const probe_suite & suite, const probe_run & run);

// Judges one case of `test` on the scores of its texts (in case order).
case_result judge_case(const probe_test & test, const probe_case & kase, const std::vector<text_score> & scores);

// Judges every case. Throws probe_error when a text has no score, or an mft test expects a label
// the model does not have ("test \"x\": expects label \"spm\", which is not one of the model's
// labels (ham, spam)").
probe_run judge_suite(const probe_suite & suite, const std::vector<probe_case> & cases, const model_scores & scores);

// [SECTION] The report

// What the caller knows about the run: the model's name and the date to print (the core has no
// clock; the page and the command line give today's).
struct report_info {
    std::string model;
    std::string date;
};

// The sentence every report carries: what passing (and failing) a probe suite shows.
extern const char * const scope_sentence;

// {"format": "spexlens-probe-report", "version": 1, "suite", "model", "model_sha256", "date",
//  "target", "cases", "failed", "failure_rate", "tests": [{"name", "type", "capability",
//  "cases", "failed", "failure_rate", "passed", "failures": [{"id", "texts", "scores", "labels",
//  "why"}]}], "capabilities": {name: {"tests", "failed", "cases", "failed_cases"}}, "note"}.
// A capability's "failed" counts its tests with at least one failing case.
nlohmann::ordered_json report_json(const probe_suite & suite, const probe_run & run, const report_info & info);

// Every case, one row each, RFC 4180 with CRLF: id,test,type,capability,text,perturbed_text,
// score,perturbed_score,label,perturbed_label,expected,passed,why. A text a spreadsheet would run
// as a formula (=, +, -, @ first) gets a leading apostrophe.
std::string report_csv(const probe_suite & suite, const probe_run & run);

// One self-contained HTML page (no script, no outside resource): the suite, model, target and
// date; pass/fail per capability and per test; the failing cases (the first max_html_failures;
// the JSON and CSV list them all); the scope sentence. Every text is HTML-escaped.
constexpr size_t max_html_failures = 40;
std::string      report_html(const probe_suite & suite, const probe_run & run, const report_info & info);

// [SECTION] One call for front ends

// The suite file and the scores document through parse, expand and judge.
struct evaluated_suite {
    probe_suite             suite;
    std::vector<probe_case> cases;
    probe_run               run;
};
evaluated_suite evaluate_suite(std::string_view suite_text, std::string_view scores_json);

// The suite's expansion as JSON for a front end that must score it: {"suite", "description",
// "model_hint", "target", "tests": [{"name", "type", "capability", "description", "cases"}],
// "cases": [{"id", "test", "type", "texts", "expect"}], "texts": [...distinct texts]}.
nlohmann::ordered_json expansion_json(const probe_suite & suite, const std::vector<probe_case> & cases);

// An expectation as JSON ({"label": "spam"}, {"same_label": true, "max_change": 0.5},
// {"direction": "up", "margin": 1}) and in words ("label spam", "score up by >= 1").
nlohmann::ordered_json expectation_json(test_type type, const expectation & e);
std::string            expectation_text(test_type type, const expectation & e);

}  // namespace spexlens::probe
