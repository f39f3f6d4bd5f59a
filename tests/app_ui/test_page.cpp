// The page without a result and its controls: what is on screen, Run / Cancel through
// simulated clicks, the sample text, the error banner, and the budget estimate.
#include "app/ui/run_request.h"
#include "app/ui/views.h"
#include "spex/query_design.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::app;
using ui_test::harness;

TEST_CASE("the page without a result draws every control and records its widgets", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frames(3);
    for (const char * name : {"model-combo", "text-box", "sample", "index-combo", "budget-slider", "granularity-words",
                              "granularity-sentences", "run", "teaching-toggle", "whatif-toggle", "export-json",
                              "export-csv", "export-png"}) {
        INFO(name);
        CHECK(h.has(name));
    }
    CHECK_FALSE(h.has("cancel"));
    CHECK_FALSE(h.has("dismiss-error"));
    CHECK_FALSE(h.has("word:0"));
    // Widgets are inside the canvas.
    for (const auto & [name, r] : h.s.widget_rects) {
        INFO(name);
        CHECK(r.x >= 0);
        CHECK(r.y >= 0);
        CHECK(r.x + r.z <= 1280);
        CHECK(r.y + r.w <= 900);
    }
}

TEST_CASE("presenter mode, the page's default, shows a time budget and keeps the jargon under advanced settings",
          "[page]") {
    CHECK_FALSE(app_state{}.view.analyst);  // a fresh page opens in presenter mode
    harness h;
    ui_test::add_demo_model(h.s);
    h.s.view.analyst = false;
    h.s.text         = "Free lunch on friday";
    h.frames(3);
    for (const char * name : {"mode-presenter", "mode-analyst", "model-combo", "text-box", "sample", "explain-words",
                              "explain-components", "budget-slider", "advanced-settings", "run"}) {
        INFO(name);
        CHECK(h.has(name));
    }
    for (const char * name : {"index-combo", "method-combo", "masking-combo", "seed-random", "granularity-words"}) {
        INFO(name);
        CHECK_FALSE(h.has(name));
    }
    // Opening "advanced settings" shows the rest; the run is the same either way.
    const run_settings before = h.s.settings;
    h.click("advanced-settings");
    h.frames(2);
    for (const char * name : {"index-combo", "method-combo", "masking-combo", "seed-random", "granularity-words"}) {
        INFO(name);
        CHECK(h.has(name));
    }
    CHECK(h.s.settings.calls == before.calls);
    CHECK(h.s.settings.method == before.method);
    // The analyst switch shows everything without the header.
    h.click("mode-analyst");
    h.frames(2);
    CHECK(h.s.view.analyst);
    CHECK_FALSE(h.has("advanced-settings"));
    CHECK(h.has("index-combo"));
    h.click("mode-presenter");
    h.frames(2);
    CHECK_FALSE(h.s.view.analyst);
}

TEST_CASE("Run needs a text, and a click on it starts a run", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frame();
    h.click("run");
    CHECK(h.actions.start_runs == 0);  // disabled without text
    h.s.text = "   \n ";
    h.frame();
    h.click("run");
    CHECK(h.actions.start_runs == 0);  // only spaces is no text either
    h.s.text = "Free lunch on friday";
    h.frame();
    h.click("run");
    CHECK(h.actions.start_runs == 1);
}

TEST_CASE("while a run is in flight Run is disabled and Cancel cancels it", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.s.text                = "Free lunch on friday";
    h.s.phase               = RUN_RUNNING;
    h.s.progress.done       = 700;
    h.s.progress.total      = 2000;
    h.s.progress.rate_per_s = 850;
    h.s.progress.eta_s      = 1.5;
    h.frame();
    REQUIRE(h.has("cancel"));
    h.click("run");
    CHECK(h.actions.start_runs == 0);
    h.click("cancel");
    CHECK(h.actions.cancels == 1);
    h.s.phase = RUN_LOADING_MODEL;
    h.frames(2);
    CHECK(h.has("cancel"));
}

TEST_CASE("Use sample loads the model's sample text", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frame();
    h.click("sample");
    CHECK(h.s.text == h.s.models[0].sample_text);
}

TEST_CASE("the granularity radio buttons switch between words and sentences", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frame();
    h.click("granularity-sentences");
    CHECK(h.s.settings.granularity == 1);
    h.click("granularity-words");
    CHECK(h.s.settings.granularity == 0);
}

TEST_CASE("an error shows as a banner until it is dismissed", "[page]") {
    harness h;
    h.frame();
    const float run_y = h.s.widget_rects.at("run").y;
    h.s.error         = "model.json: \"labels\" is missing. " + std::string(300, 'x');  // wraps
    h.frame();
    REQUIRE(h.has("dismiss-error"));
    CHECK(h.s.widget_rects.at("run").y > run_y);  // the banner pushes the panels down
    h.click("dismiss-error");
    CHECK(h.s.error.empty());
    h.frame();
    CHECK_FALSE(h.has("dismiss-error"));
    CHECK(h.s.widget_rects.at("run").y == run_y);
}

TEST_CASE("the teaching toggle switches the left column", "[page]") {
    harness h;
    h.frame();
    CHECK_FALSE(h.has("teaching-run"));
    h.click("teaching-toggle");
    CHECK(h.s.teaching.enabled);
    h.frame();
    CHECK(h.has("teaching-run"));
    CHECK_FALSE(h.has("run"));
}

TEST_CASE("the budget estimate follows b, the features, and a result with the same settings", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    CHECK(estimate_run(h.s).queries == 0);  // no text, no estimate

    h.s.text            = "one two three four five six seven. Eight nine ten!";
    h.s.settings.method = PAGE_METHOD_SPEX;  // sized by b
    h.s.settings.b      = 4;
    run_estimate e      = estimate_run(h.s);
    CHECK_FALSE(e.exact);
    CHECK(e.queries == spex::choose_design_for_b(10, 4, 5).queries + 502);  // the page's 500 held-out masks
    CHECK(e.seconds == Approx(static_cast<double>(e.queries) / 900.0));

    h.s.settings.granularity = 1;  // two sentences
    CHECK(estimate_run(h.s).queries == spex::choose_design_for_b(2, 4, 5).queries + 502);

    // The sample's own result, at its b: the exact count.
    h.s.settings.granularity = 0;
    const loaded_result r    = ui_test::load_result("tests/app/data/planted_and_result.json");
    h.s.text                 = r.text;
    h.s.settings.b           = r.b;
    h.s.settings.holdout     = static_cast<int>(r.holdout);  // the estimate is exact only for the same hold-out
    const int64_t exact      = r.queries + r.holdout + 2;
    ui_test::show(h.s, r);
    e = estimate_run(h.s);
    CHECK(e.exact);
    CHECK(e.queries == exact);
    h.s.settings.b = r.b + 1;
    CHECK_FALSE(estimate_run(h.s).exact);
    CHECK(estimate_run(h.s).queries > exact);
    h.frame();

    // The default method spends the calls of the budget slider, plus the hold-out and 2.
    h.s.settings.method = PAGE_METHOD_AUTO;
    h.s.settings.calls  = 2500;
    e                   = estimate_run(h.s);
    CHECK(e.exact);
    CHECK(e.queries == 2500 + h.s.settings.holdout + 2);
    const spexlens::ordered_json o = spexlens::ordered_json::parse(run_request_json(h.s))["options"];
    CHECK(o["method"] == "auto");
    CHECK(o["budget"] == 2500);
    CHECK(o["early_results"] == true);
    CHECK_FALSE(o.contains("b"));
    h.frame();
}

TEST_CASE("random draws a new seed from the clock, within 2^53", "[page]") {
    harness h;
    h.frames(2);
    const uint64_t before = h.s.settings.seed;
    h.frames(2);
    CHECK(h.s.settings.seed == before);  // drawing alone never changes it
    h.click("seed-random");
    const uint64_t first = h.s.settings.seed;
    CHECK(first != before);
    CHECK(first < (uint64_t(1) << 53));
    h.click("seed-random");
    CHECK(h.s.settings.seed != first);
}

TEST_CASE("a query budget set by a script is shown, and clicking 'use b' hands the budget back to the slider",
          "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.s.text            = "Free lunch on friday";
    h.s.settings.budget = 3000;  // as window.spexlens.explain({budget: 3000}) leaves it
    h.frames(2);
    REQUIRE(h.has("budget-clear"));
    h.click("budget-clear");
    h.frames(2);
    CHECK(h.s.settings.budget == 0);
    CHECK_FALSE(h.has("budget-clear"));
    CHECK(estimate_run(h.s).queries > 0);  // the b estimate is back
}

TEST_CASE("a model with a derived manifest offers it for download and says what was derived", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frame();
    CHECK_FALSE(h.has("download-manifest"));  // a model that brought its model.json
    CHECK(h.has("pick-folder"));
    h.click("pick-folder");
    CHECK(h.actions.folder_picks == 1);
    h.click("pick-files");
    CHECK(h.actions.file_picks == 1);

    model_entry & m    = h.s.models[0];
    m.derived_manifest = "{\"format\": \"spexlens-model-v1\"}";
    m.derived_notes    = {"labels from config.json id2label: ham, spam"};
    m.labels           = {"a", "b", "c"};
    m.target_asked     = true;
    h.frames(2);
    REQUIRE(h.has("download-manifest"));
    CHECK(h.has("derived-notes"));
    h.click("download-manifest");
    REQUIRE(h.actions.downloads.size() == 1);
    CHECK(h.actions.downloads[0].filename == "model.json");
    CHECK(h.actions.downloads[0].mime == "application/json");
    CHECK(h.actions.downloads[0].content == m.derived_manifest);
}

namespace {
// The widgets whose top moved between two frames' rectangles, with their two tops.
std::string moved_widgets(const std::map<std::string, ImVec4> & before, const std::map<std::string, ImVec4> & after) {
    std::string out;
    for (const auto & [name, r] : before) {
        const auto it = after.find(name);
        if (it != after.end() && it->second.y != r.y) {
            out += name + " " + std::to_string(r.y) + "->" + std::to_string(it->second.y) + "; ";
        }
    }
    return out;
}
}  // namespace

TEST_CASE("a folder-layout model keeps Run in its place when its derived manifest arrives", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    model_entry & m = h.s.models[0];
    m.exported      = true;  // picked, not yet opened: no derived manifest, labels or window yet
    m.labels.clear();
    m.max_length = 0;
    h.s.text     = "Free lunch on friday";
    h.frames(2);
    REQUIRE(h.has("run"));
    REQUIRE(h.has("download-manifest"));
    const ImVec4 before     = h.s.widget_rects.at("run");
    const auto   before_all = h.s.widget_rects;
    h.click("download-manifest");
    CHECK(h.actions.downloads.empty());  // nothing to download before the model is opened

    m.derived_manifest = "{\"format\": \"spexlens-model-v1\"}";
    m.derived_notes    = {"labels from config.json id2label: ham, spam"};
    m.labels           = {"ham", "spam"};
    m.max_length       = 128;
    h.frames(2);
    const ImVec4 after = h.s.widget_rects.at("run");
    INFO("moved: " << moved_widgets(before_all, h.s.widget_rects));
    CHECK(after.y == before.y);
    CHECK(after.x == before.x);
    h.click("download-manifest");
    CHECK(h.actions.downloads.size() == 1);
}

TEST_CASE("the masking choice goes into word runs' options, never into component runs'", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.s.text = "Free lunch on friday";
    h.frame();
    CHECK(h.has("masking-combo"));
    auto options = [&] { return spexlens::ordered_json::parse(run_request_json(h.s))["options"]; };
    CHECK_FALSE(options().contains("masking"));  // the model's own
    h.s.settings.masking = "remove";
    CHECK(options()["masking"] == "remove");
    h.s.settings.set_components(true);
    CHECK_FALSE(options().contains("masking"));
}

TEST_CASE("a run measured to take over a minute asks before it starts", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.s.text = "Free lunch on friday for everyone who comes to the meeting";
    h.frame();
    h.click("run");
    CHECK(h.actions.start_runs == 1);  // no speed measured with this model: no question
    h.s.phase = RUN_IDLE;

    h.s.models[0].calls_per_s = 20.0;  // a big model: 4,502 calls take ~4 minutes
    const run_estimate guess  = estimate_run(h.s);
    CHECK(guess.measured);
    CHECK(guess.seconds > long_run_seconds);
    h.frame();
    h.click("run");
    CHECK(h.actions.start_runs == 1);
    h.frames(2);
    REQUIRE(h.has("run-anyway"));
    h.click("run-not-now");
    h.frames(2);
    CHECK_FALSE(h.has("run-anyway"));
    CHECK(h.actions.start_runs == 1);
    h.click("run");
    h.frames(2);
    h.click("run-anyway");
    CHECK(h.actions.start_runs == 2);

    h.s.models[0].calls_per_s = 5000.0;  // a small model: straight on
    h.frame();
    h.click("run");
    CHECK(h.actions.start_runs == 3);
}

TEST_CASE("the model card is asked for once, shown over the results, and closes", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frame();
    REQUIRE(h.has("model-card"));
    h.click("model-card");
    REQUIRE(h.actions.cards_requested.size() == 1);
    const std::string key = h.actions.cards_requested[0];
    CHECK(key == h.s.settings.model_key);
    REQUIRE(h.has("model-card-text"));  // "Reading the model card…" until it arrives
    set_card(h.s, key, "# Spam filter\nTrained on the SpamAssassin corpus; not for clinical notes.\n", true);
    h.frames(2);
    CHECK(h.s.view.model_card_open);
    h.click("close-model-card");
    CHECK_FALSE(h.s.view.model_card_open);
    h.frames(2);
    CHECK_FALSE(h.has("model-card-text"));
    h.click("model-card");  // the second time it is already there: not asked again
    CHECK(h.actions.cards_requested.size() == 1);
    CHECK(h.s.view.model_card_open);

    // A card longer than the cap is cut at a line end, with a note.
    std::string long_card;
    while (long_card.size() <= max_card_bytes) {
        long_card += "A line of the card about the training data, its limits and its licence.\n";
    }
    set_card(h.s, key, long_card, true);
    const model_entry * m = find_model(h.s, key);
    REQUIRE(m != nullptr);
    CHECK(m->card.size() < max_card_bytes + 200);
    CHECK(m->card.find("longer than 256 KB") != std::string::npos);

    set_card(h.s, key, "no README.md beside it", false);
    CHECK(find_model(h.s, key)->card_missing);
}

TEST_CASE("the text box says that right-to-left words are shown in stored order while edited", "[page]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.s.text = "Free lunch on friday";
    h.frames(2);
    CHECK_FALSE(h.has("rtl-note"));
    h.s.text = "The word \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D is Hebrew";  // שלום
    h.frames(2);
    CHECK(h.has("rtl-note"));
    h.s.text = "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7";  // مرحبا
    h.frames(2);
    CHECK(h.has("rtl-note"));
}
