// probe_bindings: the JavaScript face of the behavioural probe suites (src/probe, embind), for
// the Node command-line runner (scripts/spexlens-probe) and the page. Glue only: parsing,
// expansion, judging and the reports are src/probe's, tested natively. C++ exceptions become JS
// Errors carrying the same message.
//
//   const plan = JSON.parse(core.probeExpand(suiteText));  // {suite, target, tests, cases, texts}
//   // score every plan.texts[i] with the model: {text, score (the target measure), logits}
//   const scores = JSON.stringify({labels, target, model_sha256, scores: [...]});
//   const report = JSON.parse(core.probeReport(suiteText, scores, modelName, date));
//   const csv = core.probeCsv(suiteText, scores);
//   const html = core.probeHtml(suiteText, scores, modelName, date);
#include "probe/probe_report.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <string>

namespace {

using emscripten::val;

// As explainer_bindings.cpp: run `body`; a C++ exception becomes a JS Error once the C++ frames
// are unwound.
template <typename F> std::string guarded(F && body) {
    std::string message;
    try {
        return body();
    } catch (const std::exception & e) {
        message = e.what();
    }
    val::global("Error").new_(val(message)).throw_();
    return "";
}

std::string probe_expand(const std::string & suite_text) {
    return guarded([&] {
        const auto suite = spexlens::probe::parse_probe_suite(suite_text);
        return spexlens::probe::expansion_json(suite, spexlens::probe::expand_suite(suite)).dump();
    });
}

std::string probe_report(const std::string & suite_text, const std::string & scores_json, const std::string & model,
                         const std::string & date) {
    return guarded([&] {
        const auto e = spexlens::probe::evaluate_suite(suite_text, scores_json);
        return spexlens::probe::report_json(e.suite, e.run, {model, date}).dump();
    });
}

std::string probe_csv(const std::string & suite_text, const std::string & scores_json) {
    return guarded([&] {
        const auto e = spexlens::probe::evaluate_suite(suite_text, scores_json);
        return spexlens::probe::report_csv(e.suite, e.run);
    });
}

std::string probe_html(const std::string & suite_text, const std::string & scores_json, const std::string & model,
                       const std::string & date) {
    return guarded([&] {
        const auto e = spexlens::probe::evaluate_suite(suite_text, scores_json);
        return spexlens::probe::report_html(e.suite, e.run, {model, date});
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(spexlens_probe) {
    // The largest suite file the core reads: a front end can refuse a bigger one before reading it.
    emscripten::constant("probeMaxSuiteBytes", static_cast<double>(spexlens::probe::max_suite_bytes));
    emscripten::function("probeExpand", &probe_expand);
    emscripten::function("probeReport", &probe_report);
    emscripten::function("probeCsv", &probe_csv);
    emscripten::function("probeHtml", &probe_html);
}
