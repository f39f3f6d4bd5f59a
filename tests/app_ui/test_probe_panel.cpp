// The probe panel drawn headlessly: opened from the picker in both views, the model's suite read
// and scored through page_actions, progress and Cancel, the Run button held while it scores, the
// results (summary, failing and all cases), "Explain this case" starting the Run button's path on
// the case's text, the report's downloads, a suite the user opens, a suite that does not read,
// and a 2,000-case table that draws only the rows in view.
#include "app/ui/views.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>

using namespace spexlens::app;
using nlohmann::json;
using ui_test::harness;

namespace {

const char * tiny_suite = R"({
  "format": "spexlens-probe-suite", "version": 1, "name": "tiny", "description": "two tests",
  "target": "planted:log-odds",
  "tests": [
    {"name": "planted words", "type": "mft", "capability": "vocabulary", "expect": {"label": "planted"},
     "cases": ["not good", "very good"]},
    {"name": "names", "type": "inv", "capability": "invariance", "expect": {"same_label": true},
     "pairs": [{"base": "hi bob", "perturbed": "hi alice"}]}
  ]
})";

// "very good" is not planted (1.2 fails); the pair changes its label (2.1 fails).
const char * tiny_scores = R"({"labels": ["other", "planted"], "target": "planted:log-odds",
  "scores": [{"text": "not good", "score": 2.0, "logits": [0, 2]},
             {"text": "very good", "score": -1.0, "logits": [1, 0]},
             {"text": "hi bob", "score": -1.0, "logits": [1, 0]},
             {"text": "hi alice", "score": 0.2, "logits": [0, 0.2]}]})";

void add_model_with_suite(app_state & s) {
    ui_test::add_demo_model(s);
    s.models.back().probe_suite = "probe-suite.json";
}

int last_request_id(const ui_test::fake_actions & a) {
    REQUIRE_FALSE(a.score_requests.empty());
    return json::parse(a.score_requests.back())["id"].get<int>();
}

// The panel open on the tiny suite, opened as a file and judged on tiny_scores, drawn.
void show_judged_tiny_suite(harness & h) {
    add_model_with_suite(h.s);
    h.s.probe.open = true;
    probe_suite_received(h.s, h.actions, tiny_suite, "mine.json");
    REQUIRE(probe_scores_arrived(h.s.probe, last_request_id(h.actions), tiny_scores, "planted-and",
                                 "2025-01-02T03:04:05Z", 1e9 + 3));
    h.frames(2);
}

}  // namespace

TEST_CASE("the probe panel opens from the picker in presenter and analyst view", "[probe]") {
    for (const bool analyst : {false, true}) {
        harness h;
        add_model_with_suite(h.s);
        h.s.view.analyst = analyst;
        h.frames(2);
        REQUIRE(h.has("probe-panel"));
        CHECK_FALSE(h.has("probe-run"));
        h.click("probe-panel");
        h.frames(2);
        CHECK(h.s.probe.open);
        for (const char * name : {"probe-run", "probe-open", "probe-close"}) {
            INFO(name);
            CHECK(h.has(name));
        }
        CHECK_FALSE(h.has("probe-cancel"));
        h.click("probe-close");
        h.frames(1);
        CHECK_FALSE(h.s.probe.open);
        CHECK_FALSE(h.has("probe-run"));
    }
}

TEST_CASE("the model's suite is read, scored with progress and Cancel, and Run waits for it", "[probe]") {
    harness h;
    add_model_with_suite(h.s);
    h.s.text = "some text";
    h.frames(2);
    h.click("probe-panel");
    h.frames(2);
    h.click("probe-run");
    REQUIRE(h.actions.suites_loaded == std::vector<std::string>{"models/planted-and/probe-suite.json"});
    CHECK(h.s.probe.phase == PROBE_LOADING);

    // The page hands the file back: it is planned and scored at once with the chosen model.
    probe_suite_received(h.s, h.actions, tiny_suite, "models/planted-and/probe-suite.json");
    REQUIRE(h.actions.score_requests.size() == 1);
    const json request = json::parse(h.actions.score_requests[0]);
    CHECK(request["key"] == "planted-and");
    CHECK(request["texts"].size() == 4);
    CHECK(request["target"] == "planted:log-odds");
    probe_progress(h.s.probe, request["id"], 2, 4);
    h.frames(2);
    CHECK(h.has("probe-progress"));
    REQUIRE(h.has("probe-cancel"));

    // Run is held while the worker scores.
    h.click("run");
    CHECK(h.actions.start_runs == 0);

    h.click("probe-cancel");
    CHECK(h.actions.scoring_cancels == std::vector<int>{request["id"].get<int>()});
    CHECK(h.s.probe.phase == PROBE_CANCELLING);
    probe_run_ended(h.s.probe, request["id"], "cancelled", true);
    h.frames(2);
    CHECK_FALSE(h.has("probe-cancel"));
    CHECK(h.s.probe.note.find("Cancelled") == 0);

    // Run it again: the suite is not read twice.
    h.click("probe-run");
    CHECK(h.actions.suites_loaded.size() == 1);
    REQUIRE(h.actions.score_requests.size() == 2);
    REQUIRE(probe_scores_arrived(h.s.probe, last_request_id(h.actions), tiny_scores, "planted-and",
                                 "2025-01-02T03:04:05Z", 1e9 + 3));
    h.frames(3);
    for (const char * name : {"probe-summary", "probe-scope", "probe-export-json", "probe-export-csv",
                              "probe-export-html", "probe-tab-summary", "probe-tab-failing", "probe-tab-all",
                              "probe-capabilities", "probe-tests", "probe-test:1", "probe-test:2"}) {
        INFO(name);
        CHECK(h.has(name));
    }
    const json state = probe_state_json(h.s.probe);
    CHECK(state["tests"] == 2);
    CHECK(state["failed"] == 2);
    CHECK(state["failures"] == 2);
}

TEST_CASE("failing cases list their texts and why, and Explain puts the text in the box and runs it", "[probe]") {
    harness h;
    show_judged_tiny_suite(h);
    h.click("probe-tab-failing");
    h.frames(2);
    CHECK(h.has("probe-case:1.2"));
    CHECK(h.has("probe-case:2.1"));
    CHECK_FALSE(h.has("probe-case:1.1"));  // it passed
    CHECK(h.has("probe-explain:1.2"));
    CHECK(h.has("probe-explain:2.1"));
    CHECK(h.has("probe-explain-base:2.1"));
    CHECK_FALSE(h.has("probe-explain-base:1.2"));  // one text, one button

    h.click("probe-tab-all");
    h.frames(2);
    CHECK(h.has("probe-case:1.1"));
    CHECK(h.has("probe-explain:1.1"));

    // The pair's perturbed text is explained, with the Run button's path.
    h.s.text = "something else";
    h.click("probe-explain:2.1");
    CHECK(h.s.text == "hi alice");
    CHECK(h.actions.start_runs == 1);
    CHECK_FALSE(h.s.probe.open);
    h.s.probe.open = true;
    h.frames(2);
    h.click("probe-tab-all");
    h.frames(2);
    h.click("probe-explain-base:2.1");
    CHECK(h.s.text == "hi bob");
    CHECK(h.actions.start_runs == 2);
}

TEST_CASE("the report downloads as JSON, CSV and HTML, named after the model and the time", "[probe]") {
    harness h;
    show_judged_tiny_suite(h);
    h.click("probe-export-json");
    h.click("probe-export-csv");
    h.click("probe-export-html");
    REQUIRE(h.actions.downloads.size() == 3);
    const std::regex name(R"(spexlens-planted-and-probes-20250102T030405Z\.(json|csv|html))");
    for (const auto & d : h.actions.downloads) {
        INFO(d.filename);
        CHECK(std::regex_match(d.filename, name));
    }
    const json report = json::parse(h.actions.downloads[0].content);
    CHECK(report["model"] == "planted-and");
    CHECK(report["failed"] == 2);
    CHECK(h.actions.downloads[0].mime == "application/json");
    CHECK(h.actions.downloads[1].content.rfind("id,test,type", 0) == 0);
    CHECK(h.actions.downloads[2].mime == "text/html");
    CHECK(h.actions.downloads[2].content.find("<!DOCTYPE html>") == 0);
}

TEST_CASE("a model without a suite offers Open a suite, and a suite that does not read says why", "[probe]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frames(2);
    h.click("probe-panel");
    h.frames(2);
    h.click("probe-run");  // disabled: nothing shipped
    CHECK(h.actions.suites_loaded.empty());
    h.click("probe-open");
    CHECK(h.actions.suite_picks == 1);

    probe_suite_received(h.s, h.actions, R"({"format": "spexlens-probe-suite", "version": 1})", "mine.json");
    h.frames(2);
    CHECK(h.actions.score_requests.empty());
    REQUIRE(h.has("probe-error"));
    CHECK(h.s.probe.error.find("mine.json: ") == 0);

    // A suite that reads runs on the chosen model; "Run it on" runs it again.
    probe_suite_received(h.s, h.actions, tiny_suite, "mine.json");
    REQUIRE(h.actions.score_requests.size() == 1);
    probe_run_ended(h.s.probe, last_request_id(h.actions), "boom", false);
    h.frames(2);
    REQUIRE(h.has("probe-rerun"));
    h.click("probe-rerun");
    CHECK(h.actions.score_requests.size() == 2);
}

TEST_CASE("no suite runs while an explanation does", "[probe]") {
    harness h;
    add_model_with_suite(h.s);
    h.s.phase = RUN_RUNNING;
    probe_suite_received(h.s, h.actions, tiny_suite, "mine.json");
    CHECK(h.actions.score_requests.empty());
    CHECK(h.s.probe.error.find("an explanation is running") != std::string::npos);
    CHECK(probe_blocker(h.s) == "an explanation is running; the suite can run once it has finished");
    h.s.phase = RUN_IDLE;
    CHECK(probe_blocker(h.s).empty());
    CHECK(start_probe_run(h.s, h.actions));
    CHECK(probe_blocker(h.s) == "a probe suite is being run");
}

TEST_CASE("a table of 2000 cases draws only the rows in view", "[probe]") {
    harness h;
    add_model_with_suite(h.s);
    // 50 x 40 fill-ins: 2,000 cases ("text a0 b0", "text a0 b1", ...).
    json fill = {{"a", json::array()}, {"b", json::array()}};
    for (int i = 0; i < 50; ++i) {
        fill["a"].push_back("a" + std::to_string(i));
    }
    for (int i = 0; i < 40; ++i) {
        fill["b"].push_back("b" + std::to_string(i));
    }
    const std::string suite = R"({"format": "spexlens-probe-suite", "version": 1, "name": "big", "description": "",
      "tests": [{"name": "many", "type": "mft", "capability": "c", "expect": {"min_score": 0},
                 "template": "text {a} {b}", "fill": )" +
                              fill.dump() + "}]}";
    probe_suite_received(h.s, h.actions, suite, "big.json");
    INFO(h.s.probe.error);
    REQUIRE(h.actions.score_requests.size() == 1);
    json scores = {{"labels", {"other", "planted"}}, {"scores", json::array()}};
    for (int i = 0; i < 2000; ++i) {
        const double      score = i % 2 ? -1.0 : 1.0;  // every second case fails
        const std::string text  = "text a" + std::to_string(i / 40) + " b" + std::to_string(i % 40);
        scores["scores"].push_back({{"text", text}, {"score", score}, {"logits", {0, score}}});
    }
    REQUIRE(probe_scores_arrived(h.s.probe, last_request_id(h.actions), scores.dump(), "planted-and",
                                 "2025-01-02T03:04:05Z", 1e9 + 3));
    CHECK(h.s.probe.outcome->failing_cases() == 1000);
    h.frames(2);
    h.click("probe-tab-all");
    h.frames(2);
    size_t rows = 0;
    for (const auto & [name, rect] : h.s.widget_rects) {
        rows += name.rfind("probe-explain:", 0) == 0;
    }
    CHECK(rows > 5);
    CHECK(rows < 100);
    CHECK(h.has("probe-explain:1.1"));
}
