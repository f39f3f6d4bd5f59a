// fuzz_probe_suite: a behavioural probe suite file (docs/probe-suites.md) through the whole
// path a front end takes — parse, expand, the texts to score — then judged against scores made
// up from each text (a hash, so every expectation is sometimes met and sometimes not) and
// written as the JSON, CSV and HTML reports.
#include "fuzz_support.h"
#include "probe/probe_report.h"
#include "probe/probe_suite.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace spexlens::probe;
    try {
        const probe_suite             suite = parse_probe_suite(fuzz::bytes(data, size));
        const std::vector<probe_case> cases = expand_suite(suite);
        (void)expansion_json(suite, cases).dump();
        nlohmann::json scores = {{"labels", {"ham", "spam"}}, {"target", "spam:log-odds"}};
        nlohmann::json rows   = nlohmann::json::array();
        for (const std::string & text : distinct_texts(cases)) {
            const double score = double(std::hash<std::string>{}(text) % 2001) / 100.0 - 10.0;
            rows.push_back({{"text", text}, {"score", score}, {"logits", {0.0, score}}});
        }
        scores["scores"]         = rows;
        const model_scores model = parse_model_scores(scores.dump());
        const probe_run    run   = judge_suite(suite, cases, model);
        const report_info  info{"fuzz-model", "2026-01-01"};
        (void)report_json(suite, run, info).dump();
        (void)report_csv(suite, run);
        (void)report_html(suite, run, info);
    } catch (const probe_error &) {
    }
    return 0;
}
