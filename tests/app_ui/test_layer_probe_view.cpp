// The probing view drawn headlessly: its button shows only for a model that declares hidden
// states and ships a layer probe set; Run sends layer_probe_begin's request through
// page_actions; the report (a real one, tests/app/data/layer_probe_report.json) is drawn as a
// table with the reading and the statement; an error is shown; a model without hidden states
// gets no button.
#include "app/ui/views.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace spexlens::app;
using ui_test::harness;

namespace {

void show_model(harness & h, bool hidden_states, const std::string & set) {
    loaded_result r = ui_test::load_result("tests/app/data/planted_and_result.json");
    model_entry   m;
    m.key             = "clinical-readmission";
    m.title           = "clinical";
    m.sha256          = r.model_sha256;
    m.hidden_states   = hidden_states;
    m.layer_probe_set = set;
    h.s.models.push_back(m);
    h.s.settings.model_key = m.key;
    ui_test::show(h.s, std::move(r));
    h.frames(2);
}

}  // namespace

TEST_CASE("the probing view runs the model's layer probe set and shows the report", "[layer_probe]") {
    harness h;
    show_model(h, true, "layer-probe-medication.json");
    REQUIRE(h.has("layer-probe-open"));
    h.click("layer-probe-open");
    h.frames(1);
    REQUIRE(h.s.layer_probe.open);
    REQUIRE(h.has("layer-probe-run"));
    CHECK_FALSE(h.has("layer-probe-table"));
    h.click("layer-probe-run");
    h.frames(1);
    REQUIRE(h.actions.layer_probe_requests.size() == 1);
    const nlohmann::json request = nlohmann::json::parse(h.actions.layer_probe_requests[0]);
    CHECK(request["set"] == "models/clinical-readmission/layer-probe-medication.json");
    CHECK(request["key"] == "clinical-readmission");
    CHECK(request["seed"] == h.s.settings.seed);
    CHECK(h.s.layer_probe.phase == LAYER_PROBE_RUNNING);
    layer_probe_progress(h.s.layer_probe, request["id"].get<int>(), 10, 205);
    h.frames(1);
    CHECK(h.s.layer_probe.done == 10);
    REQUIRE(layer_probe_arrived(h.s.layer_probe, request["id"].get<int>(),
                                ui_test::read_file("tests/app/data/layer_probe_report.json"), h.actions.clock_s));
    h.frames(2);
    CHECK(h.has("layer-probe-table"));
    CHECK(h.has("layer-probe-reading"));
    REQUIRE(h.s.layer_probe.facts);
    CHECK(h.s.layer_probe.facts->layers.size() == 4);
    h.click("layer-probe-close");
    h.frames(1);
    CHECK_FALSE(h.s.layer_probe.open);
}

TEST_CASE("the probing view shows why a run failed, and no button without hidden states", "[layer_probe]") {
    harness h;
    show_model(h, true, "set.json");
    h.click("layer-probe-open");
    h.frames(1);
    h.click("layer-probe-run");
    h.frames(1);
    layer_probe_failed(h.s.layer_probe, h.s.layer_probe.request_id, "the internals graph could not be opened");
    h.frames(2);
    CHECK(h.s.layer_probe.error == "the internals graph could not be opened");
    CHECK(h.has("layer-probe-run"));  // it can be tried again
    CHECK_FALSE(h.has("layer-probe-table"));
}

TEST_CASE("the probing view's button needs hidden states and a probe set", "[layer_probe]") {
    {
        harness h;  // one ImGui context at a time
        show_model(h, false, "set.json");
        CHECK_FALSE(h.has("layer-probe-open"));
        CHECK(h.has("attention-open"));  // the drawing got as far as the buttons
    }
    {
        harness h;
        show_model(h, true, "");
        CHECK_FALSE(h.has("layer-probe-open"));
    }
}
