// probe_run: see probe_run.h. The suite, the judging and the report are src/probe's; this file
// adds what the page needs around them: recognising a suite among the files the user picks, the
// worker's request, the state of a run, file names and one-line texts for the panel's tables.
//
// Index
//   [SECTION] Reading a suite
//   [SECTION] Judging and the report
//   [SECTION] A run in the page
#include "app/model/probe_run.h"

#include "app/model/export_formats.h"
#include "json/json_text.h"

#include <stdexcept>

namespace spexlens::app {

using nlohmann::json;
using nlohmann::ordered_json;

// [SECTION] Reading a suite

namespace {

constexpr const char * suite_format = "spexlens-probe-suite";
constexpr size_t       sniff_bytes  = 64 * 1024;  // how much of an unreadable file is searched for the format

}  // namespace

bool looks_like_probe_suite(std::string_view text) {
    if (text.size() <= probe::max_suite_bytes) {
        try {
            const json doc = parse_bounded_json<json>(text);
            if (!doc.is_object()) {
                return false;
            }
            const auto format = doc.find("format");
            return format != doc.end() && format->is_string() && format->get_ref<const std::string &>() == suite_format;
        } catch (const std::exception &) {
            // Not JSON: recognised below when it names the format, so the reader can say why.
        }
    }
    const std::string_view head  = text.substr(0, sniff_bytes);
    const size_t           first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    return first != std::string_view::npos && head[first] == '{' && head.find("\"format\"") != std::string_view::npos &&
           head.find(std::string("\"") + suite_format + "\"") != std::string_view::npos;
}

probe_plan plan_probe_suite(std::string_view text, const std::string & source) {
    probe_plan plan;
    plan.source = source;
    try {
        plan.suite = probe::parse_probe_suite(text);
        plan.cases = probe::expand_suite(plan.suite);
    } catch (const probe::probe_error & e) {
        throw probe::probe_error(source.empty() ? std::string(e.what()) : source + ": " + e.what());
    }
    plan.texts = probe::distinct_texts(plan.cases);
    return plan;
}

// [SECTION] Judging and the report

size_t probe_outcome::failed_tests() const {
    size_t failed = 0;
    for (const probe::test_result & t : run.tests) {
        failed += !t.passed();
    }
    return failed;
}

probe_outcome judge_probe_scores(const probe_plan & plan, std::string_view scores_json, const std::string & model,
                                 const std::string & timestamp) {
    probe_outcome out;
    out.run       = probe::judge_suite(plan.suite, plan.cases, probe::parse_model_scores(scores_json));
    out.model     = model;
    out.timestamp = timestamp;
    for (size_t i = 0; i < out.run.cases.size(); ++i) {
        if (!out.run.cases[i].passed) {
            out.failing.push_back(i);
        }
    }
    return out;
}

namespace {

// The report's date: the day of the timestamp ("2025-01-02T03:04:05Z" -> "2025-01-02").
probe::report_info info_of(const probe_outcome & outcome) {
    return {outcome.model, outcome.timestamp.substr(0, std::min<size_t>(10, outcome.timestamp.size()))};
}

}  // namespace

std::string probe_report_json_text(const probe_plan & plan, const probe_outcome & outcome) {
    return probe::report_json(plan.suite, outcome.run, info_of(outcome)).dump(2) + "\n";
}

std::string probe_report_csv_text(const probe_plan & plan, const probe_outcome & outcome) {
    return probe::report_csv(plan.suite, outcome.run);
}

std::string probe_report_html_text(const probe_plan & plan, const probe_outcome & outcome) {
    return probe::report_html(plan.suite, outcome.run, info_of(outcome));
}

std::string probe_file_stem(const std::string & model, const std::string & timestamp) {
    std::string       name = file_name_part(model);
    const std::string time = file_time_part(timestamp);
    return "spexlens-" + (name.empty() ? std::string("model") : name) + "-probes" + (time.empty() ? "" : "-" + time);
}

std::string one_line(std::string_view text, size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes) + 8);
    size_t i = 0;
    for (; i < text.size() && out.size() < max_bytes; ++i) {
        const char c = text[i];
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;  // CRLF is one break
        }
        if (c == '\n' || c == '\r') {
            out += " \xE2\x86\xB5 ";  // ↵
        } else if (c == '\t') {
            out += ' ';
        } else {
            out += c;
        }
    }
    if (i < text.size()) {
        // Cut at a character boundary: drop a trailing UTF-8 sequence the limit cut short.
        size_t lead = out.size();
        while (lead > 0 && (static_cast<unsigned char>(out[lead - 1]) & 0xC0) == 0x80) {
            --lead;
        }
        if (lead > 0 && static_cast<unsigned char>(out[lead - 1]) >= 0xC0) {
            const auto   b    = static_cast<unsigned char>(out[lead - 1]);
            const size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            if (out.size() - (lead - 1) < need) {
                out.resize(lead - 1);
            }
        }
        out += "\xE2\x80\xA6";  // …
    }
    return out;
}

std::pair<std::string, std::string> one_line_pair(std::string_view base, std::string_view perturbed, size_t max_bytes) {
    constexpr size_t long_prefix = 40;  // a shared beginning longer than this is skipped
    constexpr size_t context     = 20;  // bytes kept before the first difference (then back to a word)
    size_t           same        = 0;
    while (same < base.size() && same < perturbed.size() && base[same] == perturbed[same]) {
        ++same;
    }
    if (same <= long_prefix) {
        return {one_line(base, max_bytes), one_line(perturbed, max_bytes)};
    }
    size_t start = same - context;
    // Back to the start of the word (after a space or line break), at most as far again.
    size_t word = start;
    while (word > same - 2 * context && base[word - 1] != ' ' && base[word - 1] != '\n') {
        --word;
    }
    start = base[word - 1] == ' ' || base[word - 1] == '\n' ? word : start;
    while (start < same && (static_cast<unsigned char>(base[start]) & 0xC0) == 0x80) {
        ++start;  // never inside a UTF-8 sequence
    }
    const std::string lead = "\xE2\x80\xA6";  // …
    return {lead + one_line(base.substr(start), max_bytes), lead + one_line(perturbed.substr(start), max_bytes)};
}

// [SECTION] A run in the page

const char * probe_phase_name(probe_phase phase) {
    switch (phase) {
    case PROBE_LOADING:
        return "loading";
    case PROBE_SCORING:
        return "scoring";
    case PROBE_CANCELLING:
        return "cancelling";
    case PROBE_IDLE:
        break;
    }
    return "idle";
}

namespace {

bool scoring(const probe_session & p) { return p.phase == PROBE_SCORING || p.phase == PROBE_CANCELLING; }

}  // namespace

void probe_loading(probe_session & p, const std::string & source) {
    if (scoring(p)) {
        return;
    }
    p.phase   = PROBE_LOADING;
    p.loading = source;
    p.error.clear();
    p.note.clear();
}

bool probe_suite_arrived(probe_session & p, std::string_view text, const std::string & source) {
    if (scoring(p)) {
        return false;
    }
    p.phase = PROBE_IDLE;
    p.loading.clear();
    p.error.clear();
    p.note.clear();
    try {
        probe_plan plan = plan_probe_suite(text, source);
        p.plan          = std::move(plan);
        p.outcome.reset();
        ++p.plan_serial;
        p.show_all_cases = false;
        return true;
    } catch (const std::exception & e) {
        p.error = e.what();
        return false;
    }
}

void probe_load_failed(probe_session & p, const std::string & message) {
    if (scoring(p)) {
        return;
    }
    p.phase = PROBE_IDLE;
    p.loading.clear();
    p.error = message;
}

std::string probe_begin(probe_session & p, const std::string & model_key, double now_s) {
    if (!p.plan || scoring(p)) {
        throw std::logic_error("probe_begin: no suite to score, or a run in flight");
    }
    ++p.request_id;
    p.phase     = PROBE_SCORING;
    p.model_key = model_key;
    p.done      = 0;
    p.total     = p.plan->texts.size();
    p.started_s = now_s;
    p.loading.clear();
    p.error.clear();
    p.note.clear();
    ordered_json request = {
        {"id", p.request_id}, {"key", model_key}, {"texts", p.plan->texts}, {"target", p.plan->suite.target}};
    return request.dump();
}

bool probe_progress(probe_session & p, int id, size_t done, size_t total) {
    if (!scoring(p) || id != p.request_id) {
        return false;
    }
    p.done  = done;
    p.total = total;
    return true;
}

bool probe_scores_arrived(probe_session & p, int id, std::string_view scores_json, const std::string & model,
                          const std::string & timestamp, double now_s) {
    if (!scoring(p) || id != p.request_id || !p.plan) {
        return false;
    }
    p.phase = PROBE_IDLE;
    p.done  = p.total;
    try {
        probe_outcome outcome = judge_probe_scores(*p.plan, scores_json, model, timestamp);
        outcome.model_key     = p.model_key;
        outcome.seconds       = now_s - p.started_s;
        p.outcome             = std::move(outcome);
    } catch (const std::exception & e) {
        p.error = std::string("The scores could not be judged: ") + e.what();
    }
    return true;
}

bool probe_run_ended(probe_session & p, int id, const std::string & message, bool cancelled) {
    if (!scoring(p) || id != p.request_id) {
        return false;
    }
    p.phase = PROBE_IDLE;
    if (cancelled) {
        p.note = "Cancelled after " + std::to_string(p.done) + " of " + std::to_string(p.total) +
                 " texts; nothing was judged" + (p.outcome ? " (the last complete run is still shown)." : ".");
    } else {
        p.error = message;
    }
    return true;
}

bool probe_cancel(probe_session & p) {
    if (p.phase != PROBE_SCORING) {
        return false;
    }
    p.phase = PROBE_CANCELLING;
    return true;
}

ordered_json probe_state_json(const probe_session & p) {
    ordered_json out = {{"open", p.open},
                        {"phase", probe_phase_name(p.phase)},
                        {"suite", p.plan ? p.plan->suite.name : std::string()},
                        {"source", p.plan ? p.plan->source : p.loading},
                        {"model", p.outcome ? p.outcome->model : std::string()},
                        {"done", p.done},
                        {"total", p.total}};
    if (p.outcome && p.plan) {
        out["tests"]    = p.outcome->run.tests.size();
        out["failed"]   = p.outcome->failed_tests();
        out["cases"]    = p.outcome->run.cases.size();
        out["failures"] = p.outcome->failing_cases();
        out["seconds"]  = p.outcome->seconds;
    } else {
        out["tests"]    = p.plan ? p.plan->suite.tests.size() : 0;
        out["failed"]   = nullptr;
        out["cases"]    = p.plan ? p.plan->cases.size() : 0;
        out["failures"] = nullptr;
        out["seconds"]  = nullptr;
    }
    out["error"] = p.error;
    out["note"]  = p.note;
    return out;
}

}  // namespace spexlens::app
