// probe_run: a behavioural probe suite (docs/probe-suites.md) run in the page — what the probe
// panel (src/app/ui/probe_panel.cpp) needs, in plain C++ so it is tested natively: recognising a
// suite file, reading it into the cases and the distinct texts the worker scores, the worker's
// request, judging the scores it sends back (src/probe), the report in its three export forms with
// their file names, and the state of a run (loading, scoring, cancelling) with stale answers
// ignored.
//
//   probe_suite_arrived(s.probe, file_text, "models/spam-transformer/probe-suite.json");
//   std::string request = probe_begin(s.probe, "spam-transformer", now_s);  // to the worker
//   probe_progress(s.probe, id, done, total);                                 // while it scores
//   probe_scores_arrived(s.probe, id, scores_json, "spam-transformer", now_iso, now_s);
//   std::string html = probe_report_html_text(*s.probe.plan, *s.probe.outcome);
#pragma once

#include "probe/probe_report.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spexlens::app {

// [SECTION] Reading a suite

// True when `text` is a probe suite file as far as a file picker needs to know: a JSON object
// whose "format" is "spexlens-probe-suite". A model.json, config.json or result is not. Text too
// large or too broken to parse counts when its first 64 KiB name that format, so that reading
// it (plan_probe_suite) can say what is wrong with it.
bool looks_like_probe_suite(std::string_view text);

// A suite ready to score.
struct probe_plan {
    std::string                    source;  // where it came from: a path of the site, or the file the user chose
    probe::probe_suite             suite;
    std::vector<probe::probe_case> cases;  // expand_suite's, in report order
    std::vector<std::string>       texts;  // distinct_texts(cases): what the model scores
};

// Reads and expands a suite file. Throws probe::probe_error with the suite reader's message,
// prefixed with the source ("my-suite.json: probe suite: tests[2] ...").
probe_plan plan_probe_suite(std::string_view text, const std::string & source);

// [SECTION] Judging and the report

// A plan's suite judged on one model's scores.
struct probe_outcome {
    probe::probe_run    run;
    std::string         model;          // the model's name, as the report prints it
    std::string         model_key;      // the page's key of that model ("custom:<name>" for one the user brought)
    std::string         timestamp;      // when it was judged, ISO 8601 UTC (the page's clock)
    double              seconds = 0.0;  // from the request to the scores' arrival
    std::vector<size_t> failing;        // indices into run.cases of the failing cases, in case order
    size_t              failed_tests() const;
    size_t              failing_cases() const { return run.failed_cases(); }
};

// Judges `scores_json` (the scores document web/js/probe_scoring.mjs writes) against the plan.
// Throws probe::probe_error when the scores do not fit it.
probe_outcome judge_probe_scores(const probe_plan & plan, std::string_view scores_json, const std::string & model,
                                 const std::string & timestamp);

// The report forms the page exports: the command line's JSON (2-space indent, final newline;
// its "date" is the day of outcome.timestamp), the CSV of every case, and the one-page HTML.
std::string probe_report_json_text(const probe_plan & plan, const probe_outcome & outcome);
std::string probe_report_csv_text(const probe_plan & plan, const probe_outcome & outcome);
std::string probe_report_html_text(const probe_plan & plan, const probe_outcome & outcome);

// The report's file name without extension: spexlens-<model>-probes-<time>, as the result
// exports are named (export_file_stem): "spexlens-spam-transformer-probes-20250102T030405Z".
std::string probe_file_stem(const std::string & model, const std::string & timestamp);

// A text on one line for a table row: line breaks as " \u21B5 ", tabs as spaces, cut (at a
// UTF-8 character boundary) after max_bytes with "\u2026".
std::string one_line(std::string_view text, size_t max_bytes = 160);

// A pair's base and perturbed text as one_line each, showing where they differ: when they share
// a beginning of more than 40 bytes, both start (after "\u2026") at a word about 20 bytes before
// the first difference ("\u2026trouble. \u21B5 Best regards, \u21B5 John").
std::pair<std::string, std::string> one_line_pair(std::string_view base, std::string_view perturbed,
                                                  size_t max_bytes = 160);

// [SECTION] A run in the page

enum probe_phase {
    PROBE_IDLE,        // nothing in flight
    PROBE_LOADING,     // the page is reading a suite file
    PROBE_SCORING,     // the worker is scoring the plan's texts
    PROBE_CANCELLING,  // Cancel was pressed; the worker stops within one batch
};

// "idle", "loading", "scoring", "cancelling".
const char * probe_phase_name(probe_phase phase);

// Everything the probe panel shows and the page's glue needs to know.
struct probe_session {
    probe_phase                  phase = PROBE_IDLE;
    std::optional<probe_plan>    plan;            // the suite read last
    std::optional<probe_outcome> outcome;         // plan's last run
    std::string                  loading;         // the source being read (PROBE_LOADING)
    std::string                  model_key;       // the model being scored (PROBE_SCORING / CANCELLING)
    int                          request_id = 0;  // answers for another request are ignored
    size_t                       done       = 0;  // texts scored so far
    size_t                       total      = 0;
    double                       started_s  = 0.0;
    std::string                  error;            // why the last read or run failed ("" when it did not)
    std::string                  note;             // how the last run ended when it did not finish ("Cancelled ...")
    int                          plan_serial = 0;  // counts the plans read (the page rescans the fonts' glyphs)
    // The panel: shown over the right-hand tiles, and which cases its table lists.
    bool open           = false;
    bool show_all_cases = false;
};

// A suite file is being read from `source` (a shipped suite: the page fetches it).
void probe_loading(probe_session & p, const std::string & source);

// The file of `source` has been read: it becomes the plan (the previous outcome goes), or
// p.error says why it cannot. Returns whether there is a plan now. Ignored (false) while scoring.
bool probe_suite_arrived(probe_session & p, std::string_view text, const std::string & source);

// Reading a suite file failed (the page could not fetch it): p.error says so.
void probe_load_failed(probe_session & p, const std::string & message);

// Starts scoring p.plan's texts with model `model_key`: a new request id, progress 0 / texts,
// and the worker's request as JSON, {"id", "key", "texts", "target"} (target: the suite's, "" for
// the model's own). Requires a plan and no run in flight (throws std::logic_error otherwise).
std::string probe_begin(probe_session & p, const std::string & model_key, double now_s);

// Progress of request `id`: texts scored of total. False (nothing changes) for a stale id.
bool probe_progress(probe_session & p, int id, size_t done, size_t total);

// The worker's scores for request `id`: judged into p.outcome (model: the model's name as the
// worker read it; timestamp: the page's clock), or p.error when they do not fit. False for a
// stale id.
bool probe_scores_arrived(probe_session & p, int id, std::string_view scores_json, const std::string & model,
                          const std::string & timestamp, double now_s);

// Request `id` ended without scores: cancelled (p.note says so, the last outcome stays) or
// failed (p.error is `message`). False for a stale id.
bool probe_run_ended(probe_session & p, int id, const std::string & message, bool cancelled);

// Cancel pressed: true when the worker must be told (a run was scoring), and the phase is
// PROBE_CANCELLING until it answers.
bool probe_cancel(probe_session & p);

// What the panel shows, for window.spexlens.state().probe: {"open", "phase", "suite", "source",
// "model", "done", "total", "tests", "failed" (tests with a failing case), "cases", "failures"
// (failing cases), "seconds" (the last run's, from request to scores), "error", "note"}; the
// outcome's numbers are null before a run.
nlohmann::ordered_json probe_state_json(const probe_session & p);

}  // namespace spexlens::app
