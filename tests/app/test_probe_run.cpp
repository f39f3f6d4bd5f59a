// probe_run: the page's side of a probe suite — recognising a suite among picked files, the plan
// (cases and distinct texts) of the shipped spam suite, the worker's request, a run's states with
// stale answers ignored, judging hand-made scores with the exact failing cases, the report's
// three forms and their file names, and texts cut to one line at a character boundary.
#include "app/model/probe_run.h"
#include "app_test_support.h"

#include <catch2/catch.hpp>

#include <set>

using nlohmann::json;
using namespace spexlens::app;
using app_test::read_file;

namespace {

// Two tests, four texts: "free money" is spam, "hello bob" must be but is not; "hi bob" ->
// "hi alice" must keep its label and move by at most 0.5, and does neither.
const char * tiny_suite = R"({
  "format": "spexlens-probe-suite", "version": 1, "name": "tiny", "description": "two tests",
  "target": "spam:log-odds",
  "tests": [
    {"name": "spam words", "type": "mft", "capability": "vocabulary", "expect": {"label": "spam"},
     "cases": ["free money", "hello bob"]},
    {"name": "names", "type": "inv", "capability": "invariance", "expect": {"same_label": true, "max_change": 0.5},
     "pairs": [{"base": "hi bob", "perturbed": "hi alice"}]}
  ]
})";

const char * tiny_scores = R"({"labels": ["ham", "spam"], "target": "spam:log-odds", "model_sha256": "abc",
  "scores": [{"text": "free money", "score": 2.0, "logits": [0, 2]},
             {"text": "hello bob", "score": -1.0, "logits": [1, 0]},
             {"text": "hi bob", "score": -1.0, "logits": [1, 0]},
             {"text": "hi alice", "score": 0.2, "logits": [0, 0.2]}]})";

}  // namespace

TEST_CASE("a suite file is recognised among the .json files a user picks", "[probe]") {
    CHECK(looks_like_probe_suite(read_file("models/spam-transformer/probe-suite.json")));
    CHECK(looks_like_probe_suite(tiny_suite));
    CHECK_FALSE(looks_like_probe_suite(read_file("models/spam-transformer/model.json")));
    CHECK_FALSE(looks_like_probe_suite(read_file("models/spam-bert/config.json")));
    CHECK_FALSE(looks_like_probe_suite(app_test::text_result_json()));
    CHECK_FALSE(looks_like_probe_suite(""));
    CHECK_FALSE(looks_like_probe_suite("[1, 2]"));
    CHECK_FALSE(looks_like_probe_suite(R"({"format": "spexlens-probe-report", "version": 1})"));
    CHECK_FALSE(looks_like_probe_suite(R"({"format": 3})"));
    // A broken suite that says what it is counts as one, so that reading it can say what is wrong.
    CHECK(looks_like_probe_suite(R"({"format": "spexlens-probe-suite", "version": 1, "tests": [)"));
    std::string huge = R"({"format": "spexlens-probe-suite", "version": 1, "name": "big", "description": ")";
    huge += std::string(spexlens::probe::max_suite_bytes, 'x') + "\"}";
    CHECK(looks_like_probe_suite(huge));
    CHECK_FALSE(looks_like_probe_suite(std::string(spexlens::probe::max_suite_bytes + 10, ' ') + "{}"));
}

TEST_CASE("the shipped spam suite plans 8 tests, 81 cases and their distinct texts", "[probe]") {
    const std::string path = "models/spam-transformer/probe-suite.json";
    const probe_plan  plan = plan_probe_suite(read_file(path), path);
    CHECK(plan.source == path);
    CHECK(plan.suite.tests.size() == 8);
    CHECK(plan.cases.size() == 81);
    CHECK(plan.suite.target == "spam:log-odds");
    const std::set<std::string> unique(plan.texts.begin(), plan.texts.end());
    CHECK(unique.size() == plan.texts.size());
    std::set<std::string> used;
    for (const auto & c : plan.cases) {
        used.insert(c.texts.begin(), c.texts.end());
    }
    CHECK(used == unique);
}

TEST_CASE("a suite that does not read is refused with the reader's message and the file's name", "[probe]") {
    const std::string message = app_test::runtime_error_of(
        [] { plan_probe_suite(R"({"format": "spexlens-probe-suite", "version": 2})", "mine.json"); });
    CHECK(message.rfind("mine.json: ", 0) == 0);
    CHECK(message.find("version") != std::string::npos);

    probe_session p;
    CHECK_FALSE(probe_suite_arrived(p, "{", "broken.json"));
    CHECK_FALSE(p.plan);
    CHECK(p.error.find("broken.json: ") == 0);
    CHECK(p.error.find("not valid JSON") != std::string::npos);
}

TEST_CASE("a run: request, progress, scores judged, stale answers ignored", "[probe]") {
    probe_session p;
    probe_loading(p, "models/demo/probe-suite.json");
    CHECK(p.phase == PROBE_LOADING);
    CHECK(probe_state_json(p)["phase"] == "loading");
    REQUIRE(probe_suite_arrived(p, tiny_suite, "models/demo/probe-suite.json"));
    CHECK(p.phase == PROBE_IDLE);
    REQUIRE(p.plan->texts.size() == 4);

    const json request = json::parse(probe_begin(p, "spam-transformer", 10.0));
    CHECK(request["id"] == 1);
    CHECK(request["key"] == "spam-transformer");
    CHECK(request["target"] == "spam:log-odds");
    CHECK(request["texts"] == json({"free money", "hello bob", "hi bob", "hi alice"}));
    CHECK(p.phase == PROBE_SCORING);
    CHECK(p.total == 4);
    CHECK_THROWS_AS(probe_begin(p, "spam-transformer", 11.0), std::logic_error);  // one run at a time
    // A suite arriving mid-run waits its turn (nothing changes).
    CHECK_FALSE(probe_suite_arrived(p, tiny_suite, "other.json"));
    CHECK(p.plan->source == "models/demo/probe-suite.json");

    CHECK_FALSE(probe_progress(p, 7, 3, 4));
    CHECK(probe_progress(p, 1, 2, 4));
    CHECK(p.done == 2);
    CHECK_FALSE(probe_scores_arrived(p, 0, tiny_scores, "spam-transformer", "2025-01-02T03:04:05Z", 12.5));
    CHECK(p.phase == PROBE_SCORING);
    REQUIRE(probe_scores_arrived(p, 1, tiny_scores, "spam-transformer", "2025-01-02T03:04:05Z", 12.5));
    CHECK(p.phase == PROBE_IDLE);
    REQUIRE(p.outcome);
    CHECK(p.error.empty());
    const probe_outcome & o = *p.outcome;
    CHECK(o.model == "spam-transformer");
    CHECK(o.model_key == "spam-transformer");
    CHECK(o.seconds == Approx(2.5));
    CHECK(o.failed_tests() == 2);
    CHECK(o.failing_cases() == 2);
    CHECK(o.failing == std::vector<size_t>{1, 2});  // "hello bob" (1.2) and the pair (2.1)
    CHECK(o.run.cases[1].kase.id == "1.2");
    CHECK(o.run.cases[2].kase.id == "2.1");
    CHECK(o.run.cases[2].why.find("ham") != std::string::npos);

    const json state = probe_state_json(p);
    CHECK(state["phase"] == "idle");
    CHECK(state["suite"] == "tiny");
    CHECK(state["tests"] == 2);
    CHECK(state["failed"] == 2);
    CHECK(state["cases"] == 3);
    CHECK(state["failures"] == 2);
    CHECK(state["done"] == 4);
    CHECK(state["seconds"] == Approx(2.5));

    // A late answer for the finished request changes nothing.
    CHECK_FALSE(probe_run_ended(p, 1, "late", false));
    CHECK(p.error.empty());
}

TEST_CASE("cancelling keeps the last complete run, and a failure says why", "[probe]") {
    probe_session p;
    REQUIRE(probe_suite_arrived(p, tiny_suite, "tiny.json"));
    probe_begin(p, "m", 0.0);
    REQUIRE(probe_scores_arrived(p, 1, tiny_scores, "m", "2025-01-02T03:04:05Z", 1.0));
    CHECK_FALSE(probe_cancel(p));  // nothing to cancel

    probe_begin(p, "m", 2.0);
    CHECK(p.request_id == 2);
    probe_progress(p, 2, 1, 4);
    CHECK(probe_cancel(p));
    CHECK(p.phase == PROBE_CANCELLING);
    CHECK_FALSE(probe_cancel(p));
    CHECK(probe_run_ended(p, 2, "the explanation was cancelled", true));
    CHECK(p.phase == PROBE_IDLE);
    CHECK(p.error.empty());
    CHECK(p.note.find("Cancelled after 1 of 4 texts") == 0);
    REQUIRE(p.outcome);  // the last complete run is still there
    CHECK(p.outcome->failing_cases() == 2);

    probe_begin(p, "m", 3.0);
    CHECK(p.note.empty());
    CHECK(probe_run_ended(p, 3, "the model could not be opened", false));
    CHECK(p.error == "the model could not be opened");

    // Scores that do not fit the suite (a text missing) are an error, not an outcome.
    probe_begin(p, "m", 4.0);
    p.outcome.reset();
    CHECK(probe_scores_arrived(p, 4, R"({"labels": ["ham", "spam"], "scores": []})", "m", "", 5.0));
    CHECK_FALSE(p.outcome);
    CHECK(p.error.find("The scores could not be judged: ") == 0);

    probe_loading(p, "x.json");
    probe_load_failed(p, "x.json could not be read (HTTP 404)");
    CHECK(p.phase == PROBE_IDLE);
    CHECK(p.error == "x.json could not be read (HTTP 404)");
}

TEST_CASE("the report in three forms, named after the model and the time", "[probe]") {
    const probe_plan    plan    = plan_probe_suite(tiny_suite, "tiny.json");
    const probe_outcome outcome = judge_probe_scores(plan, tiny_scores, "spam-transformer", "2025-01-02T03:04:05.678Z");

    const std::string json_text = probe_report_json_text(plan, outcome);
    CHECK(json_text.back() == '\n');
    const json report = json::parse(json_text);
    CHECK(report["format"] == "spexlens-probe-report");
    CHECK(report["suite"] == "tiny");
    CHECK(report["model"] == "spam-transformer");
    CHECK(report["model_sha256"] == "abc");
    CHECK(report["date"] == "2025-01-02");
    CHECK(report["cases"] == 3);
    CHECK(report["failed"] == 2);
    CHECK(report["tests"][0]["failures"][0]["id"] == "1.2");
    CHECK(report["capabilities"]["invariance"]["failed"] == 1);
    CHECK(report["note"] == spexlens::probe::scope_sentence);

    const std::string csv = probe_report_csv_text(plan, outcome);
    CHECK(csv.rfind("id,test,type,capability,text,perturbed_text,score,perturbed_score,", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);  // header + 3 cases

    const std::string html = probe_report_html_text(plan, outcome);
    CHECK(html.find("<html") != std::string::npos);
    CHECK(html.find("tiny") != std::string::npos);
    CHECK(html.find("2025-01-02") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);

    CHECK(probe_file_stem("spam-transformer", "2025-01-02T03:04:05.678Z") ==
          "spexlens-spam-transformer-probes-20250102T030405Z");
    CHECK(probe_file_stem("my model/v2", "2025-01-02T03:04:05Z") == "spexlens-my-model-v2-probes-20250102T030405Z");
    CHECK(probe_file_stem("", "") == "spexlens-model-probes");
}

TEST_CASE("one_line puts a text on one line and cuts it at a character boundary", "[probe]") {
    CHECK(one_line("Re: x\n\nThanks\tall") == "Re: x \xE2\x86\xB5  \xE2\x86\xB5 Thanks all");
    CHECK(one_line("a\r\nb") == "a \xE2\x86\xB5 b");
    CHECK(one_line("short", 10) == "short");
    CHECK(one_line("abcdefghijkl", 5) == "abcde\xE2\x80\xA6");
    // "é" is two bytes: a cut inside it drops it whole, a cut after it keeps it.
    CHECK(one_line("abcd\xC3\xA9xyz", 5) == "abcd\xE2\x80\xA6");
    CHECK(one_line("abc\xC3\xA9xyz", 5) == "abc\xC3\xA9\xE2\x80\xA6");
    CHECK(one_line("ab\xE4\xB8\xAD\xE6\x96\x87", 4) == "ab\xE2\x80\xA6");  // 中 cut in its middle
}

TEST_CASE("a pair on one line each shows where base and perturbed differ", "[probe]") {
    const std::string message = "Hi all, the server will be down for maintenance on Saturday morning. Sorry for the "
                                "trouble.\n\nBest regards,\n";
    const auto        lines   = one_line_pair(message + "John", message + "Priya");
    CHECK(lines.first == "\xE2\x80\xA6trouble. \xE2\x86\xB5  \xE2\x86\xB5 Best regards, \xE2\x86\xB5 John");
    CHECK(lines.second == "\xE2\x80\xA6trouble. \xE2\x86\xB5  \xE2\x86\xB5 Best regards, \xE2\x86\xB5 Priya");
    // A short shared beginning is shown whole.
    const auto short_pair = one_line_pair("Meeting moved to 3pm.", "Meeting moved to 3pm. Click here.");
    CHECK(short_pair.first == "Meeting moved to 3pm.");
    CHECK(short_pair.second == "Meeting moved to 3pm. Click here.");
    // Identical texts, or one a long prefix of the other, keep the context before the end.
    const auto longer = one_line_pair(message, message + "Bob");
    CHECK(longer.second.rfind("\xE2\x80\xA6", 0) == 0);
    CHECK(longer.second.size() < message.size());
    CHECK(longer.second.find("Bob") != std::string::npos);
}
