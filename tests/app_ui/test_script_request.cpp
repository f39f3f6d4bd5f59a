// apply_script_request: window.spexlens.explain(options) checked whole before anything changes.
// Unknown method names once ran SPEX silently, a number where a string belongs threw a
// type_error through embind after half of the settings had changed.
#include "app/ui/run_request.h"
#include "defaults/run_defaults.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

#include <string>

using spexlens::app::app_state;
using spexlens::app::apply_script_request;

namespace {

app_state page() {
    app_state s;
    ui_test::add_demo_model(s);
    s.text = "what the text box held";
    return s;
}

}  // namespace

TEST_CASE("script requests: a valid request sets every key it names", "[script]") {
    app_state s = page();
    REQUIRE(apply_script_request(R"({"text": "not good at all", "model": "planted-and", "method": "spex-hard",
        "b": 4, "holdout": 200, "seed": 9, "maxOrder": 3, "target": "planted:prob", "granularity": "sentence"})",
                                 s) == "");
    CHECK(s.text == "not good at all");
    CHECK(s.settings.b == 4);
    CHECK(s.settings.sized_by_b);
    CHECK(s.settings.budget == 0);
    CHECK(s.settings.holdout == 200);
    CHECK(s.settings.seed == 9);
    CHECK(s.settings.max_order == 3);
    CHECK(s.settings.target_index == 1);
    CHECK(s.settings.measure == "prob");
    CHECK(s.settings.granularity == 1);
    CHECK(s.settings.decoder == 1);
    // Keys left out take a script's defaults, not what an earlier call chose.
    REQUIRE(apply_script_request(R"({"budget": 1000})", s) == "");
    CHECK(s.settings.budget == 1000);
    CHECK_FALSE(s.settings.sized_by_b);
    CHECK(s.settings.granularity == 0);
    CHECK(s.text.empty());  // no text given: none (the run then asks for one)
}

TEST_CASE("script requests: every key left out takes the page's default from run_defaults.h", "[script]") {
    app_state s = page();
    // The controls moved away from every default.
    s.settings.seed      = 42;
    s.settings.max_order = 4;
    s.settings.holdout   = 77;
    s.settings.calls     = 9000;
    s.settings.index     = 0;
    s.settings.method    = spexlens::app::PAGE_METHOD_LIME;
    REQUIRE(apply_script_request(R"({"text": "not good at all"})", s) == "");
    const spexlens::run_defaults & d = spexlens::page_run_defaults;
    CHECK(s.settings.model_key == "planted-and");  // the page's first model
    CHECK(s.settings.method == spexlens::app::PAGE_METHOD_AUTO);
    CHECK(s.settings.budget == d.calls);
    CHECK(s.settings.holdout == d.holdout);
    CHECK(s.settings.seed == d.seed);
    CHECK(s.settings.max_order == d.max_order);
    CHECK(std::string(spex::index_kind_name(spexlens::app::index_choices()[size_t(s.settings.index)].kind)) == "FSII");
    // A method sized by b takes the page's b for its kind.
    REQUIRE(apply_script_request(R"({"text": "not good at all", "method": "spex-soft"})", s) == "");
    CHECK(s.settings.sized_by_b);
    CHECK(s.settings.budget == 0);
    CHECK(s.settings.b == d.spex_b);
    // And the controls of a fresh page start there too.
    const spexlens::app::run_settings fresh;
    CHECK(fresh.holdout == d.holdout);
    CHECK(fresh.b == d.spex_b);
    CHECK(fresh.calls == d.calls);
    CHECK(fresh.max_order == d.max_order);
    CHECK(std::string(spex::index_kind_name(spexlens::app::index_choices()[size_t(fresh.index)].kind)) == "FSII");
}

TEST_CASE("script requests: bad keys, types and values are refused by name and change nothing", "[script]") {
    const app_state before  = page();
    const auto      refused = [&](const std::string & request, const std::string & expected) {
        app_state         s       = page();
        const std::string message = apply_script_request(request, s);
        INFO(request);
        CHECK_THAT(message, Catch::Contains(expected));
        CHECK(s.text == before.text);
        CHECK(s.settings.b == before.settings.b);
        CHECK(s.settings.method == before.settings.method);
        CHECK(s.settings.seed == before.settings.seed);
    };
    refused(R"({"method": "nonsense", "text": "changed", "b": 3})", R"("method" must be auto, proxyspex)");
    refused(R"({"b": "x"})", R"("b" must be an integer, not "x")");
    refused(R"({"b": 99})", R"("b" must be from 1 to 20, not 99)");
    refused(R"({"b": 2.5})", R"("b" must be an integer)");
    refused(R"({"seed": -1, "text": "changed"})", R"("seed" must be from 0 to 9007199254740991)");
    refused(R"({"model": 3})", R"("model" must be a string, not 3)");
    refused(R"({"model": "gpt-9"})", R"("model" names no model of the page: "gpt-9")");
    refused(R"({"text": ["a"]})", R"("text" must be a string)");
    refused(R"({"sed": 3})", R"(unknown option "sed" (known: text, model, method)");
    refused(R"({"budget": 100, "b": 3})", R"("budget" and "b" both size the run)");
    refused(R"({"target": "spam"})", R"("target" names no class of the model: "spam")");
    refused(R"({"target": "planted:odds"})", R"(measure must be logit, log-odds or prob, not "odds")");
    refused(R"({"index": "nope"})", R"("index" names no index the page offers)");
    refused(R"({"masking": "blur"})", R"("masking" must be "attention", "mask_token" or "remove")");
    refused(R"({"ablation": 1})", R"("ablation" must be a string)");
    refused(R"({"granularity": "paragraph"})", R"("granularity" must be "word" or "sentence")");
    refused(R"({"players": "everything"})", R"("players" )");
    refused(R"([1, 2])", "the options must be an object");
    refused(R"({"seed": 1e999})", "not valid JSON: number overflow");
}
