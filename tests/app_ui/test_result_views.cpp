// The views over real results (the app-model suite's text result, and a truncated one with
// multi-byte words): words on the heat-map, what-if clicks, index switches, hover, the
// interactions list and the exports.
#include "app/ui/views.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

using namespace spexlens::app;
using ui_test::harness;

namespace {

const char * const text_fixture      = "tests/app/data/planted_and_result.json";
const char * const truncated_fixture = "tests/app_ui/data/truncated_text_result.json";

void show_fixture(harness & h, const char * path) {
    ui_test::add_demo_model(h.s);
    ui_test::show(h.s, ui_test::load_result(path));
    h.frames(3);
}

}  // namespace

TEST_CASE("a text result puts every word on the heat-map in reading order", "[result]") {
    for (const char * path : {text_fixture, truncated_fixture}) {
        INFO(path);
        harness h;
        show_fixture(h, path);
        const loaded_result & r = *h.s.result;
        REQUIRE(h.s.index.first_order.size() == static_cast<size_t>(r.n));
        REQUIRE(h.has("word:0"));
        CHECK(h.s.error.empty());
        float previous_y = -1, previous_x = -1;
        for (int i = 0; i < r.n && h.has("word:" + std::to_string(i)); ++i) {
            const ImVec4 w = h.s.widget_rects.at("word:" + std::to_string(i));
            CHECK(w.z > 0);
            CHECK(w.w > 0);
            // Reading order: later words are lower, or on the same line further right.
            CHECK((w.y > previous_y || (w.y == previous_y && w.x > previous_x)));
            previous_y = w.y;
            previous_x = w.x;
        }
    }
}

TEST_CASE("the model's decision is stated above the faithfulness, inside the window", "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    REQUIRE(h.has("decision"));
    const ImVec4 d = h.s.widget_rects.at("decision");
    CHECK(d.y >= 0);
    CHECK(d.y + d.w <= ImGui::GetIO().DisplaySize.y);
    CHECK_FALSE(spexlens::app::decision_sentence(*h.s.result).empty());
}

TEST_CASE("what the model was made for is said under the decision, for its own model only", "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    CHECK_FALSE(h.has("domain"));  // no model in the picker has this result's sha256
    model_entry m;
    m.key         = "the-model";
    m.description = "Sentiment of restaurant reviews";
    m.sha256      = h.s.result->model_sha256;
    h.s.models.push_back(m);
    h.frames(2);
    REQUIRE(h.has("domain"));
    CHECK(h.s.widget_rects.at("domain").y > h.s.widget_rects.at("decision").y);
    h.s.models.back().sha256 = "another";
    h.frames(2);
    CHECK_FALSE(h.has("domain"));
}

TEST_CASE("hovering a word reports it and hovering elsewhere does not", "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    h.hover("word:3");
    h.frame();
    CHECK(h.s.view.hovered_feature == 3);
    h.hover("run");
    CHECK(h.s.view.hovered_feature == -1);
}

TEST_CASE("what-if: clicking a word masks it, asks the model, and a second click unmasks it", "[result][whatif]") {
    harness h;
    show_fixture(h, text_fixture);
    const loaded_result & r = *h.s.result;

    h.click("word:3");
    CHECK_FALSE(h.s.whatif.active);  // clicks on words do nothing outside what-if mode
    CHECK(h.actions.whatif_requests == 0);

    h.click("whatif-toggle");
    REQUIRE(h.s.whatif.active);
    REQUIRE(h.s.whatif.keep.size() == static_cast<size_t>(r.n));
    CHECK(std::all_of(h.s.whatif.keep.begin(), h.s.whatif.keep.end(), [](bool k) { return k; }));
    CHECK(h.actions.whatif_requests == 0);  // all kept: the model's value is the result's full_value
    CHECK(h.s.whatif.real_known);
    CHECK(h.s.whatif.real_value == r.full_value);

    h.click("word:3");
    CHECK_FALSE(h.s.whatif.keep[3]);
    CHECK(std::count(h.s.whatif.keep.begin(), h.s.whatif.keep.end(), false) == 1);
    CHECK(h.actions.whatif_requests == 1);
    CHECK(h.actions.last_request_id == h.s.whatif.request_id);
    CHECK(h.s.whatif.real_pending);
    CHECK(h.s.whatif.surrogate == r.surrogate_value(h.s.whatif.keep));
    CHECK(h.s.whatif.surrogate != Approx(r.surrogate_value(std::vector<bool>(static_cast<size_t>(r.n), true))));

    // The answer arrives; the panel shows it.
    h.s.whatif.real_pending = false;
    h.s.whatif.real_known   = true;
    h.s.whatif.real_value   = 0.25;
    h.frames(2);

    h.click("word:3");
    CHECK(h.s.whatif.keep[3]);
    CHECK(h.actions.whatif_requests == 1);
    CHECK(h.s.whatif.real_value == r.full_value);

    h.click("whatif-toggle");
    CHECK_FALSE(h.s.whatif.active);
    h.click("word:3");
    CHECK(h.s.whatif.keep[3]);
}

TEST_CASE("switching the index recomputes it at once and keeps the what-if mask", "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    h.click("whatif-toggle");
    h.click("word:1");
    REQUIRE_FALSE(h.s.whatif.keep[1]);
    const int    request = h.s.whatif.request_id;
    const auto & choices = index_choices();
    for (size_t k = 0; k < choices.size(); ++k) {
        INFO(choices[k].label);
        h.s.settings.index = static_cast<int>(k);
        refresh_index(h.s);
        CHECK(h.s.index.kind == choices[k].kind);
        CHECK(h.s.index.first_order.size() == static_cast<size_t>(h.s.result->n));
        h.frames(2);
        CHECK(h.s.error.empty());
    }
    CHECK_FALSE(h.s.whatif.keep[1]);  // same result: the mask stays
    CHECK(h.s.whatif.request_id == request);

    // A different result resets it.
    ui_test::show(h.s, ui_test::load_result(truncated_fixture));
    CHECK(h.s.whatif.keep.size() == static_cast<size_t>(h.s.result->n));
    CHECK(std::all_of(h.s.whatif.keep.begin(), h.s.whatif.keep.end(), [](bool k) { return k; }));
    CHECK(h.s.whatif.request_id > request);
    h.frames(2);
}

TEST_CASE("an index that cannot be computed is reported, not drawn", "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    h.s.settings.max_order = 0;
    refresh_index(h.s);
    CHECK_FALSE(h.s.error.empty());
    h.frames(2);
    CHECK(h.has("dismiss-error"));
    h.s.settings.max_order = 2;
    refresh_index(h.s);
    h.click("dismiss-error");
    CHECK(h.s.error.empty());
    CHECK(h.s.index.order == 2);
}

TEST_CASE("the interactions list copies its rows as TSV", "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    h.click("copy-interactions");
    REQUIRE(h.actions.clipboard.size() == 1);
    const std::string & tsv = h.actions.clipboard[0];
    CHECK(tsv.rfind("rank\torder\tvalue\twords\n", 0) == 0);
    const auto rows = select_interactions(h.s.index, h.s.view.list_min_order, h.s.view.list_max_order, 500);
    CHECK(static_cast<size_t>(std::count(tsv.begin(), tsv.end(), '\n')) == rows.size() + 1);
    // Default sort: rank 1 (the strongest) first.
    CHECK(tsv.find("\n1\t") == tsv.find('\n'));
}

TEST_CASE("the PNG is a figure: decision, drivers, R² in words, legends, the heat-map and the provenance", "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    h.frame();
    h.click("export-png");
    REQUIRE(h.s.figure.pending);
    h.frame();  // the figure's frame, which the browser takes as the PNG
    CHECK(h.s.figure.drawn);
    for (const char * name : {"figure-title", "figure-r2", "figure-body", "figure-provenance", "word:0"}) {
        INFO(name);
        REQUIRE(h.has(name));
        const ImVec4 r = h.s.widget_rects.at(name);
        CHECK(r.x >= 0);
        CHECK(r.y >= 0);
        CHECK(r.x + r.z <= 1280);
        CHECK(r.y + r.w <= 900);
    }
    for (const char * name : {"run", "export-png", "interactions-table", "model-combo"}) {
        INFO(name);
        CHECK_FALSE(h.has(name));  // a figure, not the page
    }
    // The footer sits below the heat-map; the heat-map below the title.
    CHECK(h.s.widget_rects.at("figure-provenance").y > h.s.widget_rects.at("figure-body").y);
    CHECK(h.s.widget_rects.at("figure-body").y > h.s.widget_rects.at("figure-title").y);
    h.frame();  // then the page again
    CHECK_FALSE(h.s.figure.pending);
    CHECK(h.has("run"));
    CHECK_FALSE(h.has("figure-title"));
}

TEST_CASE("exports download JSON and CSV named after the model, words, seed and time, and the canvas as PNG",
          "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    const loaded_result & r = *h.s.result;
    // fake_actions' clock says 2025-01-02T03:04:05Z.
    const std::string stem = "spexlens-" + r.model_name + "-words-seed" + std::to_string(r.seed) + "-20250102T030405Z";

    h.click("export-json");
    REQUIRE(h.actions.downloads.size() == 1);
    CHECK(h.actions.downloads[0].filename == stem + ".json");
    CHECK(h.actions.downloads[0].mime == "application/json");
    const auto json = nlohmann::json::parse(h.actions.downloads[0].content);
    CHECK(json.at("schema") == "spexlens.result");
    CHECK(h.actions.downloads[0].content.find(r.text) != std::string::npos);

    h.click("export-csv");
    REQUIRE(h.actions.downloads.size() == 2);
    CHECK(h.actions.downloads[1].filename == stem + ".csv");
    CHECK(h.actions.downloads[1].mime == "text/csv");

    h.click("export-png");
    CHECK(h.actions.pngs == std::vector<std::string>{stem + ".png"});
    CHECK(h.s.figure.pending);  // the next frame is the figure, then the page again
    h.frames(2);
    // The PNG carries what it shows: the model's hash and the provenance, as text chunks.
    std::map<std::string, std::string> texts;
    for (const auto & t : h.actions.png_texts) {
        texts[t.keyword] = t.text;
    }
    CHECK(texts.count("spexlens-provenance") == 1);
    CHECK(texts["Source"].find(r.model_sha256) != std::string::npos);

    h.click("export-shapiq");
    REQUIRE(h.actions.downloads.size() == 3);
    CHECK(h.actions.downloads[2].filename == stem + ".shapiq.json");
    CHECK(nlohmann::json::parse(h.actions.downloads[2].content).at("object_name") == "InteractionValues");

    h.s.view.include_text_in_export = false;
    h.frame();
    h.click("export-json");
    REQUIRE(h.actions.downloads.size() == 4);
    CHECK(h.actions.downloads[3].content.find(r.text) == std::string::npos);
}

TEST_CASE("without a result the exports and what-if do nothing", "[result]") {
    harness h;
    h.frame();
    h.click("export-json");
    h.click("export-png");
    h.click("whatif-toggle");
    CHECK(h.actions.downloads.empty());
    CHECK(h.actions.pngs.empty());
    CHECK_FALSE(h.s.whatif.active);
}

TEST_CASE("the heat-map says what the arcs mean when interactions are drawn", "[result]") {
    harness h;
    show_fixture(h, text_fixture);
    CHECK(h.has("arc-legend"));
    h.s.view.min_order = 1;
    h.s.view.max_order = 1;  // no arcs drawn: no legend for them
    h.frames(2);
    CHECK_FALSE(h.has("arc-legend"));
}
