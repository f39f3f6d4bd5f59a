// probe_report: see probe_report.h; the report's fields are in docs/probe-suites.md.
//
// Index
//   [SECTION] Formatting
//   [SECTION] CSV and HTML escaping
//   [SECTION] Scores
//   [SECTION] Judging
//   [SECTION] Expectations as JSON and words
//   [SECTION] The report
//   [SECTION] One call for front ends
#include "probe/probe_report.h"

#include "json/json_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace spexlens::probe {

using nlohmann::json;
using nlohmann::ordered_json;

const char * const scope_sentence =
    "Passing a probe suite shows how the model behaved on these cases only: it is evidence about these inputs, "
    "not a guarantee of correct behaviour on any other text, and a failing case is a finding about that input, "
    "not an explanation of why the model behaves so.";

namespace {

// [SECTION] Formatting

// A number for people: 6 significant digits ("0.312345", "-2.5", "1e-07").
std::string number(double x) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
    return buffer;
}

std::string signed_number(double x) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%+.6g", x);
    return buffer;
}

std::string quoted(const std::string & s) { return "\"" + s + "\""; }

// A number for files: the shortest text that reads back as the same double.
std::string exact_number(double x) { return json(x).dump(); }

[[noreturn]] void scores_fail(const std::string & what) { throw probe_error("probe scores: " + what); }

double finite_number(const json & v, const std::string & field) {
    if (!v.is_number() || !std::isfinite(v.get<double>())) {
        scores_fail(field + ": expected a finite number, got " + json_shown(v));
    }
    return v.get<double>();
}

// The labels an mft expectation may name for this model.
std::vector<std::string> predictable_labels(const std::vector<std::string> & labels) {
    if (labels.size() == 1) {
        return {labels[0], "not " + labels[0]};
    }
    return labels;
}

// [SECTION] CSV and HTML escaping

// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break; a text a
// spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe. (The page's
// exports do the same in src/app/model/export_formats.cpp, a layer this one may not include.)
std::string csv_text(const std::string & text) {
    const bool  formula = !text.empty() && std::string("=+-@").find(text[0]) != std::string::npos;
    std::string s       = formula ? "'" + text : text;
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (const char c : s) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

std::string html(const std::string & text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string percent(size_t failed, size_t cases) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", cases ? 100.0 * double(failed) / double(cases) : 0.0);
    return buffer;
}

double rate(size_t failed, size_t cases) { return cases ? double(failed) / double(cases) : 0.0; }

}  // namespace

std::vector<capability_tally> tally_capabilities(const probe_suite & suite, const probe_run & run) {
    std::vector<capability_tally> out;
    for (size_t i = 0; i < suite.tests.size(); ++i) {
        const std::string & name = suite.tests[i].capability;
        auto it = std::find_if(out.begin(), out.end(), [&](const capability_tally & c) { return c.name == name; });
        if (it == out.end()) {
            out.push_back({name});
            it = out.end() - 1;
        }
        ++it->tests;
        it->failed += run.tests[i].passed() ? 0 : 1;
        it->cases += run.tests[i].cases;
        it->failed_cases += run.tests[i].failed;
    }
    return out;
}

// [SECTION] Scores

std::string predicted_label(const std::vector<std::string> & labels, const std::vector<double> & row) {
    if (labels.empty() || row.size() != labels.size()) {
        throw probe_error("probe scores: an output row has " + std::to_string(row.size()) + " entries for " +
                          std::to_string(labels.size()) + " labels");
    }
    if (labels.size() == 1) {
        return row[0] > 0.0 ? labels[0] : "not " + labels[0];
    }
    return labels[size_t(std::max_element(row.begin(), row.end()) - row.begin())];
}

model_scores parse_model_scores(std::string_view json_text) {
    json doc;
    try {
        doc = parse_bounded_json<json>(json_text);
    } catch (const json_input_error & e) {
        scores_fail(std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) {
        scores_fail("expected an object {\"labels\", \"target\", \"scores\"}, got " + json_shown(doc));
    }
    for (const auto & item : doc.items()) {
        if (item.key() != "labels" && item.key() != "target" && item.key() != "scores" &&
            item.key() != "model_sha256") {
            scores_fail(item.key() + ": unknown field (known: labels, target, model_sha256, scores)");
        }
    }
    model_scores out;
    const json & labels = doc.contains("labels") ? doc["labels"] : json();
    if (!labels.is_array() || labels.empty()) {
        scores_fail("labels: expected a non-empty array of the model's labels, got " + json_shown(labels));
    }
    for (const json & l : labels) {
        if (!l.is_string() || l.get_ref<const std::string &>().empty()) {
            scores_fail("labels: expected non-empty strings, got " + json_shown(l));
        }
        out.labels.push_back(l.get<std::string>());
    }
    for (const char * key : {"target", "model_sha256"}) {
        if (doc.contains(key)) {
            if (!doc[key].is_string() || doc[key].get_ref<const std::string &>().size() > max_name_bytes) {
                scores_fail(std::string(key) + ": expected a short string, got " + json_shown(doc[key]));
            }
        }
    }
    out.target          = doc.value("target", std::string());
    out.model_sha256    = doc.value("model_sha256", std::string());
    const json & scores = doc.contains("scores") ? doc["scores"] : json();
    if (!scores.is_array()) {
        scores_fail("scores: expected an array [{\"text\", \"score\", \"logits\"}], got " + json_shown(scores));
    }
    if (scores.size() > 2 * max_total_cases) {
        scores_fail("scores: more texts than a suite can have (" + std::to_string(2 * max_total_cases) + ")");
    }
    for (size_t i = 0; i < scores.size(); ++i) {
        const std::string field = "scores[" + std::to_string(i) + "]";
        const json &      s     = scores[i];
        if (!s.is_object() || !s.contains("text") || !s["text"].is_string() || !s.contains("score") ||
            !s.contains("logits")) {
            scores_fail(field + ": expected {\"text\", \"score\", \"logits\"}, got " + json_shown(s));
        }
        const json & logits = s["logits"];
        if (!logits.is_array() || logits.size() != out.labels.size()) {
            scores_fail(field + ".logits: expected " + std::to_string(out.labels.size()) +
                        " numbers (one per label), got " + json_shown(logits));
        }
        std::vector<double> row;
        for (const json & x : logits) {
            row.push_back(finite_number(x, field + ".logits"));
        }
        text_score t;
        t.score = finite_number(s["score"], field + ".score");
        t.label = predicted_label(out.labels, row);
        if (!out.by_text.emplace(s["text"].get<std::string>(), t).second) {
            scores_fail(field + ".text: this text was already scored; give each text once");
        }
    }
    return out;
}

// [SECTION] Judging

size_t probe_run::failed_cases() const {
    size_t n = 0;
    for (const test_result & t : tests) {
        n += t.failed;
    }
    return n;
}

case_result judge_case(const probe_test & test, const probe_case & kase, const std::vector<text_score> & scores) {
    if (scores.size() != kase.texts.size()) {
        throw probe_error("probe: case " + kase.id + " has " + std::to_string(kase.texts.size()) + " texts but " +
                          std::to_string(scores.size()) + " scores");
    }
    case_result r;
    r.kase   = kase;
    r.scores = scores;
    std::vector<std::string> why;
    const expectation &      e = kase.expect;
    if (test.type == TEST_MFT) {
        const text_score & s = scores[0];
        if (!e.label.empty() && s.label != e.label) {
            why.push_back("predicted " + quoted(s.label) + ", expected " + quoted(e.label));
        }
        if (e.min_score && !(s.score >= *e.min_score)) {
            why.push_back("score " + number(s.score) + " is below the minimum " + number(*e.min_score));
        }
        if (e.max_score && !(s.score <= *e.max_score)) {
            why.push_back("score " + number(s.score) + " is above the maximum " + number(*e.max_score));
        }
    } else {
        const text_score & base      = scores[0];
        const text_score & perturbed = scores[1];
        const double       change    = perturbed.score - base.score;
        const std::string  moved     = "score moved by " + signed_number(change) + " (" + number(base.score) + " -> " +
                                  number(perturbed.score) + ")";
        if (test.type == TEST_INV) {
            if (e.same_label && base.label != perturbed.label) {
                why.push_back("prediction changed from " + quoted(base.label) + " to " + quoted(perturbed.label));
            }
            if (e.max_change && !(std::fabs(change) <= *e.max_change)) {
                why.push_back(moved + ", more than the tolerance " + number(*e.max_change));
            }
        } else if (e.direction == DIRECTION_UP && !(change >= e.margin)) {
            why.push_back(moved + "; expected up by at least " + number(e.margin));
        } else if (e.direction == DIRECTION_DOWN && !(change <= -e.margin)) {
            why.push_back(moved + "; expected down by at least " + number(e.margin));
        }
    }
    r.passed = why.empty();
    for (size_t i = 0; i < why.size(); ++i) {
        r.why += (i ? "; " : "") + why[i];
    }
    return r;
}

probe_run judge_suite(const probe_suite & suite, const std::vector<probe_case> & cases, const model_scores & scores) {
    probe_run run;
    run.labels       = scores.labels;
    run.target       = scores.target;
    run.model_sha256 = scores.model_sha256;
    run.tests.resize(suite.tests.size());
    const std::vector<std::string> allowed = predictable_labels(scores.labels);
    std::string                    allowed_list;
    for (const std::string & l : allowed) {
        allowed_list += (allowed_list.empty() ? "" : ", ") + l;
    }
    for (const probe_case & c : cases) {
        if (c.test >= suite.tests.size()) {
            throw probe_error("probe: case " + c.id + " names test " + std::to_string(c.test) + " of " +
                              std::to_string(suite.tests.size()));
        }
        const probe_test & test = suite.tests[c.test];
        if (test.type == TEST_MFT && !c.expect.label.empty() &&
            std::find(allowed.begin(), allowed.end(), c.expect.label) == allowed.end()) {
            throw probe_error("probe suite: test " + quoted(test.name) + " (case " + c.id + ") expects the label " +
                              quoted(c.expect.label) + ", which is not one of the model's labels (" + allowed_list +
                              "); is this the model the suite was written for?");
        }
        std::vector<text_score> s;
        for (const std::string & text : c.texts) {
            const auto it = scores.by_text.find(text);
            if (it == scores.by_text.end()) {
                throw probe_error("probe scores: no score for the text " + json_shown(json(text)) + " (case " + c.id +
                                  ")");
            }
            s.push_back(it->second);
        }
        run.cases.push_back(judge_case(test, c, s));
        test_result & t = run.tests[c.test];
        ++t.cases;
        if (!run.cases.back().passed) {
            ++t.failed;
            t.failures.push_back(run.cases.size() - 1);
        }
    }
    return run;
}

// [SECTION] Expectations as JSON and words

ordered_json expectation_json(test_type type, const expectation & e) {
    ordered_json out = ordered_json::object();
    switch (type) {
    case TEST_MFT:
        if (!e.label.empty()) {
            out["label"] = e.label;
        }
        if (e.min_score) {
            out["min_score"] = *e.min_score;
        }
        if (e.max_score) {
            out["max_score"] = *e.max_score;
        }
        break;
    case TEST_INV:
        out["same_label"] = e.same_label;
        if (e.max_change) {
            out["max_change"] = *e.max_change;
        }
        break;
    case TEST_DIR:
        out["direction"] = e.direction == DIRECTION_UP ? "up" : "down";
        out["margin"]    = e.margin;
        break;
    }
    return out;
}

std::string expectation_text(test_type type, const expectation & e) {
    std::vector<std::string> parts;
    switch (type) {
    case TEST_MFT:
        if (!e.label.empty()) {
            parts.push_back("label " + quoted(e.label));
        }
        if (e.min_score && e.max_score) {
            parts.push_back(number(*e.min_score) + " <= score <= " + number(*e.max_score));
        } else if (e.min_score) {
            parts.push_back("score >= " + number(*e.min_score));
        } else if (e.max_score) {
            parts.push_back("score <= " + number(*e.max_score));
        }
        break;
    case TEST_INV:
        if (e.same_label) {
            parts.push_back("same label");
        }
        if (e.max_change) {
            parts.push_back("|score change| <= " + number(*e.max_change));
        }
        break;
    case TEST_DIR:
        parts.push_back(e.direction == DIRECTION_UP ? "score change >= " + number(e.margin)
                                                    : "score change <= " + number(e.margin > 0.0 ? -e.margin : 0.0));
        break;
    }
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        out += (i ? " and " : "") + parts[i];
    }
    return out;
}

// [SECTION] The report

ordered_json report_json(const probe_suite & suite, const probe_run & run, const report_info & info) {
    const size_t total  = run.cases.size();
    const size_t failed = run.failed_cases();
    ordered_json out;
    out["format"]       = "spexlens-probe-report";
    out["version"]      = 1;
    out["suite"]        = suite.name;
    out["model"]        = info.model;
    out["model_sha256"] = run.model_sha256;
    out["date"]         = info.date;
    out["target"]       = run.target;
    out["cases"]        = total;
    out["failed"]       = failed;
    out["failure_rate"] = rate(failed, total);
    ordered_json tests  = ordered_json::array();
    for (size_t i = 0; i < suite.tests.size(); ++i) {
        const probe_test &  test     = suite.tests[i];
        const test_result & t        = run.tests[i];
        ordered_json        failures = ordered_json::array();
        for (const size_t k : t.failures) {
            const case_result & c      = run.cases[k];
            ordered_json        scores = ordered_json::array();
            ordered_json        labels = ordered_json::array();
            for (const text_score & s : c.scores) {
                scores.push_back(s.score);
                labels.push_back(s.label);
            }
            failures.push_back({{"id", c.kase.id},
                                {"texts", c.kase.texts},
                                {"scores", scores},
                                {"labels", labels},
                                {"expected", expectation_text(test.type, c.kase.expect)},
                                {"why", c.why}});
        }
        tests.push_back({{"name", test.name},
                         {"type", test_type_name(test.type)},
                         {"capability", test.capability},
                         {"cases", t.cases},
                         {"failed", t.failed},
                         {"failure_rate", rate(t.failed, t.cases)},
                         {"passed", t.passed()},
                         {"failures", failures}});
    }
    out["tests"]              = tests;
    ordered_json capabilities = ordered_json::object();
    for (const capability_tally & c : tally_capabilities(suite, run)) {
        capabilities[c.name] = {
            {"tests", c.tests}, {"failed", c.failed}, {"cases", c.cases}, {"failed_cases", c.failed_cases}};
    }
    out["capabilities"] = capabilities;
    out["note"]         = scope_sentence;
    return out;
}

std::string report_csv(const probe_suite & suite, const probe_run & run) {
    std::string out = "id,test,type,capability,text,perturbed_text,score,perturbed_score,label,perturbed_label,"
                      "expected,passed,why\r\n";
    for (const case_result & c : run.cases) {
        const probe_test & test = suite.tests[c.kase.test];
        const bool         pair = c.kase.texts.size() == 2;
        out += csv_text(c.kase.id) + "," + csv_text(test.name) + "," + test_type_name(test.type) + "," +
               csv_text(test.capability) + "," + csv_text(c.kase.texts[0]) + "," +
               (pair ? csv_text(c.kase.texts[1]) : "") + "," + exact_number(c.scores[0].score) + "," +
               (pair ? exact_number(c.scores[1].score) : "") + "," + csv_text(c.scores[0].label) + "," +
               (pair ? csv_text(c.scores[1].label) : "") + "," + csv_text(expectation_text(test.type, c.kase.expect)) +
               "," + (c.passed ? "true" : "false") + "," + csv_text(c.why) + "\r\n";
    }
    return out;
}

namespace {

// A result cell: "pass" or "FAIL".
std::string verdict_cell(bool passed) {
    return passed ? std::string("<td class=\"pass\">pass</td>") : std::string("<td class=\"fail\">FAIL</td>");
}

// The document head: title, security policy and the style sheet.
std::string html_head(const probe_suite & suite, const report_info & info) {
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n";
    h += "<title>Probe report: " + html(suite.name) + " on " + html(info.model) + "</title>\n";
    h += "<style>\n"
         "body{font:13px/1.4 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#111}\n"
         "h1{font-size:20px;margin:0 0 8px}h2{font-size:15px;margin:18px 0 6px}\n"
         "table{border-collapse:collapse;width:100%;margin:4px 0}\n"
         "th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}\n"
         "th{background:#eee}td.num{text-align:right}\n"
         ".pass{color:#075e07;font-weight:600}.fail{color:#a00000;font-weight:700}\n"
         ".scope{border:1px solid #888;background:#f6f6f6;padding:6px 8px}\n"
         ".meta th{width:160px}.texts div+div{margin-top:4px;border-top:1px dashed #ccc}\n"
         "@media print{body{margin:0;max-width:none;font-size:10px}}\n"
         "</style>\n</head>\n<body>\n";
    return h;
}

// The table of what was run on what, the overall result and the scope sentence.
std::string html_summary(const probe_suite & suite, const probe_run & run, const report_info & info) {
    std::string  h;
    const size_t total        = run.cases.size();
    const size_t failed       = run.failed_cases();
    size_t       tests_failed = 0;
    for (const test_result & t : run.tests) {
        tests_failed += t.passed() ? 0 : 1;
    }
    h += "<h1>Behavioural probe report</h1>\n<table class=\"meta\">\n";
    h += "<tr><th>Suite</th><td>" + html(suite.name) + "</td></tr>\n";
    if (!suite.description.empty()) {
        h += "<tr><th>About the suite</th><td>" + html(suite.description) + "</td></tr>\n";
    }
    h += "<tr><th>Model</th><td>" + html(info.model) +
         (run.model_sha256.empty() ? "" : " <small>(sha256 " + html(run.model_sha256) + ")</small>") + "</td></tr>\n";
    h += "<tr><th>Score measured</th><td>" +
         html(run.target.empty() ? std::string("the model's default target") : run.target) + "</td></tr>\n";
    h += "<tr><th>Date</th><td>" + html(info.date) + "</td></tr>\n";
    h += "<tr><th>Result</th><td><span class=\"" + std::string(tests_failed ? "fail" : "pass") + "\">" +
         std::to_string(run.tests.size() - tests_failed) + " of " + std::to_string(run.tests.size()) +
         " tests passed</span>; " + std::to_string(failed) + " of " + std::to_string(total) + " cases failed (" +
         percent(failed, total) + ")</td></tr>\n</table>\n";
    h += "<p class=\"scope\">" + html(scope_sentence) + "</p>\n";
    return h;
}

// Pass/fail per capability.
std::string html_capabilities(const probe_suite & suite, const probe_run & run) {
    std::string h;
    h += "<h2>By capability</h2>\n<table>\n<tr><th>Capability</th><th>Tests</th><th>Tests failed</th>"
         "<th>Cases</th><th>Cases failed</th><th>Result</th></tr>\n";
    for (const capability_tally & c : tally_capabilities(suite, run)) {
        h += "<tr><td>" + html(c.name) + "</td><td class=\"num\">" + std::to_string(c.tests) +
             "</td><td class=\"num\">" + std::to_string(c.failed) + "</td><td class=\"num\">" +
             std::to_string(c.cases) + "</td><td class=\"num\">" + std::to_string(c.failed_cases) + "</td>" +
             verdict_cell(c.failed == 0) + "</tr>\n";
    }
    h += "</table>\n";
    return h;
}

// Pass/fail per test, with its expectation.
std::string html_tests(const probe_suite & suite, const probe_run & run) {
    std::string h;
    h += "<h2>By test</h2>\n<table>\n<tr><th>Test</th><th>Type</th><th>Capability</th><th>Expected</th>"
         "<th>Cases</th><th>Failed</th><th>Rate</th><th>Result</th></tr>\n";
    for (size_t i = 0; i < suite.tests.size(); ++i) {
        const probe_test &  test = suite.tests[i];
        const test_result & t    = run.tests[i];
        // The test's expectation, or "per case" when its listed cases bring their own.
        std::string expected = test.expect ? expectation_text(test.type, *test.expect) : "per case";
        for (const listed_case & l : test.listed) {
            if (l.expect) {
                expected = "per case";
            }
        }
        h += "<tr><td>" + html(test.name) +
             (test.description.empty() ? "" : "<br><small>" + html(test.description) + "</small>") + "</td><td>" +
             test_type_name(test.type) + " <small>(" + test_type_title(test.type) + ")</small></td><td>" +
             html(test.capability) + "</td><td>" + html(expected) + "</td><td class=\"num\">" +
             std::to_string(t.cases) + "</td><td class=\"num\">" + std::to_string(t.failed) +
             "</td><td class=\"num\">" + percent(t.failed, t.cases) + "</td>" + verdict_cell(t.passed()) + "</tr>\n";
    }
    h += "</table>\n";
    return h;
}

// The first max_html_failures failing cases, with their texts, scores, labels and why.
std::string html_failures(const probe_suite & suite, const probe_run & run) {
    std::string  h;
    const size_t failed = run.failed_cases();
    h += "<h2>Failing cases</h2>\n";
    if (failed == 0) {
        h += "<p>No case failed.</p>\n";
    } else {
        h += "<table>\n<tr><th>Case</th><th>Test</th><th>Text(s)</th><th>Score(s)</th><th>Label(s)</th>"
             "<th>Why it failed</th></tr>\n";
        size_t shown = 0;
        for (const case_result & c : run.cases) {
            if (c.passed || shown == max_html_failures) {
                continue;
            }
            ++shown;
            std::string texts, scores, labels;
            for (size_t k = 0; k < c.kase.texts.size(); ++k) {
                const std::string role = c.kase.texts.size() == 2 ? (k == 0 ? "base: " : "perturbed: ") : "";
                texts += "<div>" + html(role) + html(c.kase.texts[k]) + "</div>";
                scores += "<div>" + number(c.scores[k].score) + "</div>";
                labels += "<div>" + html(c.scores[k].label) + "</div>";
            }
            h += "<tr><td>" + html(c.kase.id) + "</td><td>" + html(suite.tests[c.kase.test].name) +
                 "</td><td class=\"texts\">" + texts + "</td><td class=\"num texts\">" + scores +
                 "</td><td class=\"texts\">" + labels + "</td><td>" + html(c.why) + "</td></tr>\n";
        }
        h += "</table>\n";
        if (failed > shown) {
            h += "<p>" + std::to_string(failed - shown) +
                 " more failing cases are listed in the JSON and CSV exports of this report.</p>\n";
        }
    }
    return h;
}

}  // namespace

std::string report_html(const probe_suite & suite, const probe_run & run, const report_info & info) {
    std::string h = html_head(suite, info);
    h += html_summary(suite, run, info);
    h += html_capabilities(suite, run);
    h += html_tests(suite, run);
    h += html_failures(suite, run);
    h += "<p><small>Generated by spexlens from the probe suite file and the model's outputs on its cases. Types: "
         "mft = minimum functionality, inv = invariance, dir = directional expectation (CheckList, Ribeiro et al. "
         "2020).</small></p>\n</body>\n</html>\n";
    return h;
}

// [SECTION] One call for front ends

evaluated_suite evaluate_suite(std::string_view suite_text, std::string_view scores_json) {
    evaluated_suite out;
    out.suite = parse_probe_suite(suite_text);
    out.cases = expand_suite(out.suite);
    out.run   = judge_suite(out.suite, out.cases, parse_model_scores(scores_json));
    return out;
}

ordered_json expansion_json(const probe_suite & suite, const std::vector<probe_case> & cases) {
    ordered_json out;
    out["suite"]              = suite.name;
    out["description"]        = suite.description;
    out["model_hint"]         = suite.model_hint;
    out["target"]             = suite.target;
    ordered_json        tests = ordered_json::array();
    std::vector<size_t> counts(suite.tests.size(), 0);
    for (const probe_case & c : cases) {
        ++counts[c.test];
    }
    for (size_t i = 0; i < suite.tests.size(); ++i) {
        const probe_test & t = suite.tests[i];
        tests.push_back({{"name", t.name},
                         {"type", test_type_name(t.type)},
                         {"capability", t.capability},
                         {"description", t.description},
                         {"cases", counts[i]}});
    }
    out["tests"]      = tests;
    ordered_json list = ordered_json::array();
    for (const probe_case & c : cases) {
        const test_type type = suite.tests[c.test].type;
        list.push_back({{"id", c.id},
                        {"test", c.test},
                        {"type", test_type_name(type)},
                        {"texts", c.texts},
                        {"expect", expectation_json(type, c.expect)}});
    }
    out["cases"] = list;
    out["texts"] = distinct_texts(cases);
    return out;
}

}  // namespace spexlens::probe
