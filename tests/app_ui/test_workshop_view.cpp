// The workshop path drawn headlessly: its toggle shows only when a model ships a path; each
// step's button does what the page's panels do (a run with the path's note, the shipped suite
// read and scored, the failing case explained, the attention and probing views opened and the
// layer probes asked for); a step is done only once the page holds what it asked for; the
// claims are drawn; teaching mode and the path take turns in the left column.
#include "app/model/probe_run.h"
#include "app/ui/views.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace spexlens::app;
using ui_test::harness;

namespace {

const char * const suite_path = "models/m/probe-suite.json";

void add_path_model(harness & h, bool with_path) {
    const loaded_result r = ui_test::load_result("tests/app/data/planted_and_result.json");
    model_entry         m;
    m.key             = "m";
    m.title           = "a teaching model";
    m.sha256          = r.model_sha256;
    m.probe_suite     = "probe-suite.json";
    m.attentions      = true;
    m.hidden_states   = true;
    m.layer_probe_set = "set.json";
    if (with_path) {
        m.workshop = read_workshop_spec(
            {{"sample", 0}, {"shortcut", "good"}, {"shortcut_test", "the ward does not matter"}}, {r.text});
    }
    h.s.models.push_back(m);
    h.s.settings.model_key = m.key;
    h.frames(2);
}

bool step_done(const harness & h, int n) {
    return workshop_page_state(h.s)["steps"][static_cast<size_t>(n - 1)]["done"].get<bool>();
}

}  // namespace

TEST_CASE("the workshop path is offered only when a model ships one", "[workshop]") {
    harness h;
    add_path_model(h, false);
    CHECK(h.has("teaching-toggle"));
    CHECK_FALSE(h.has("workshop-toggle"));
    CHECK_FALSE(workshop_page_state(h.s)["available"].get<bool>());
}

TEST_CASE("the workshop path's buttons walk the page from a note to the layers", "[workshop]") {
    harness h;
    add_path_model(h, true);
    REQUIRE(h.has("workshop-toggle"));
    h.click("workshop-toggle");
    h.frames(1);
    REQUIRE(h.s.workshop.enabled);
    CHECK_FALSE(h.has("run"));  // the path replaces the controls
    REQUIRE(h.has("workshop-step:1"));

    // 1: the path's note is explained (the glue's run finishes with the real result).
    h.click("workshop-step:1");
    h.frames(1);
    CHECK(h.actions.start_runs == 1);
    CHECK(h.s.text == h.s.models[0].workshop->sample_text);
    CHECK_FALSE(step_done(h, 1));  // pressed is not done: the result is not there yet
    ui_test::show(h.s, ui_test::load_result("tests/app/data/planted_and_result.json"));
    h.frames(2);
    CHECK(step_done(h, 1));
    CHECK(h.has("workshop-claim:1"));

    // 2: reading the shortcut's rank needs only the press.
    h.click("workshop-step:2");
    h.frames(2);
    CHECK(step_done(h, 2));
    CHECK(h.has("workshop-claim:2"));

    // 3: the shipped suite is read, then scored; the outcome makes the step done.
    h.click("workshop-step:3");
    h.frames(1);
    REQUIRE(h.actions.suites_loaded == std::vector<std::string>{suite_path});
    CHECK(h.s.probe.open);
    // The suite and scores of the app tests, with the second pair ending on "ward f" rather than
    // on the text on screen, so that step 5 waits for its own result.
    const auto elsewhere = [](std::string json) {
        const std::string text = "The food was not very good and the service was slow, never again.";
        return json.replace(json.find(text), text.size(), "ward f");
    };
    probe_suite_received(h.s, h.actions, elsewhere(ui_test::read_file("tests/app/data/workshop_suite.json")),
                         suite_path);
    REQUIRE(h.actions.score_requests.size() == 1);
    const int id = nlohmann::json::parse(h.actions.score_requests[0])["id"].get<int>();
    REQUIRE(probe_scores_arrived(h.s.probe, id, elsewhere(ui_test::read_file("tests/app/data/workshop_scores.json")),
                                 "m", "2026-12-07T00:00:00Z", 1.0));
    h.frames(2);
    CHECK(step_done(h, 3));

    // 4 opens the probe panel on the failing test; 5 explains its second failing case's text.
    h.click("workshop-step:4");
    h.frames(3);
    CHECK(step_done(h, 4));
    CHECK_FALSE(step_done(h, 5));
    CHECK(h.s.probe.open);
    h.click("workshop-step:5");
    h.frames(1);
    CHECK(h.actions.start_runs == 2);
    CHECK(h.s.text == "ward b");  // the first failing case's perturbed text
    CHECK_FALSE(h.s.probe.open);

    // 6 opens attention beside use; 7 opens the probing view and asks for the layer probes. (Step 5
    // stays next and in view until its result arrives: the user scrolls down to the others.)
    h.wheel("workshop-step:5", -20);
    h.frames(1);
    h.click("workshop-step:6");
    h.frames(1);
    CHECK(h.s.attention.open);
    CHECK_FALSE(step_done(h, 6));  // the attention has not been read
    h.frames(3);
    h.click("workshop-step:7");
    h.frames(1);
    CHECK(h.s.layer_probe.open);
    CHECK_FALSE(h.s.attention.open);
    REQUIRE(h.actions.layer_probe_requests.size() == 1);
    CHECK(nlohmann::json::parse(h.actions.layer_probe_requests[0])["set"] == "models/m/set.json");
    const nlohmann::json state = workshop_page_state(h.s);
    CHECK(state["next"] == 5);  // the failing case's result has not arrived

    // Teaching mode and the path take turns in the left column (its toggles at the top).
    h.wheel("workshop-step:6", 40);
    h.frames(1);
    h.click("teaching-toggle");
    h.frames(1);
    CHECK(h.s.teaching.enabled);
    CHECK_FALSE(h.s.workshop.enabled);
}
