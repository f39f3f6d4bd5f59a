// Component explanations on the canvas (docs/components.md): the layer grid of heads and
// neuron groups, hover and what-if ablation clicks on its cells, component names in the
// interactions list, the word and component results side by side, and the controls that
// produce the players / ablation options.
#include "../app/component_fixture.h"
#include "app/ui/run_request.h"
#include "app/ui/views.h"
#include "spex/query_design.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace spexlens::app;
using spexlens::ordered_json;
using ui_test::harness;

namespace {

loaded_result components_shown(const component_fixture::options & o = {}) {
    return parse_result(component_fixture::component_result(o).dump());
}

loaded_result words_shown(const component_fixture::options & o = {}) {
    return parse_result(component_fixture::word_result(o).dump());
}

// The shipped spam model as the picker knows it, with a manifest that allows components.
void add_spam_model(app_state & s, bool batched = true, bool means = false) {
    model_entry m;
    m.key            = "spam-transformer";
    m.title          = "Spam transformer";
    m.labels         = {"ham", "spam"};
    m.default_target = "spam:log-odds";
    m.sha256         = std::string(64, 'b');
    m.max_length     = 128;
    m.components     = read_component_facts(component_fixture::manifest(batched, means, means));
    s.models.push_back(m);
    s.settings.model_key = m.key;
}

ImVec4 rect(const harness & h, const std::string & name) {
    INFO(name);
    REQUIRE(h.has(name));
    return h.s.widget_rects.at(name);
}

}  // namespace

TEST_CASE("a component result draws a cell per head and neuron group, layer by layer", "[components]") {
    harness h;
    add_spam_model(h.s);
    accept_result(h.s, components_shown());
    h.frames(3);
    for (int i = 0; i < 40; ++i) {
        CHECK(h.has("component:" + std::to_string(i)));
    }
    CHECK_FALSE(h.has("component:40"));
    CHECK_FALSE(h.has("word:0"));  // the text is not what was explained
    // Layer 0's heads share a row, left to right; its neuron strip is under it; layer 1 under that.
    const ImVec4 h0 = rect(h, "component:0"), h3 = rect(h, "component:3");
    const ImVec4 n0 = rect(h, "component:8"), l1 = rect(h, "component:4"), n1 = rect(h, "component:24");
    CHECK(h0.y == h3.y);
    CHECK(h3.x > h0.x);
    CHECK(n0.y > h0.y);
    CHECK(l1.y > n0.y);
    CHECK(n1.y > l1.y);
    CHECK(h.s.error.empty());

    h.hover("component:6");
    CHECK(h.s.view.hovered_feature == 6);
    h.hover("run");
    CHECK(h.s.view.hovered_feature == -1);
}

TEST_CASE("heads-only and neurons-only results draw just what exists", "[components]") {
    component_fixture::options o;
    o.set = "heads";
    {
        harness heads;  // one harness (one ImGui context) at a time
        accept_result(heads.s, components_shown(o));
        heads.frames(3);
        CHECK(heads.has("component:7"));
        CHECK_FALSE(heads.has("component:8"));
        CHECK(rect(heads, "component:4").y > rect(heads, "component:0").y);  // layer 1 under layer 0
    }
    o.set = "mlp";
    harness neurons;
    accept_result(neurons.s, components_shown(o));
    neurons.frames(3);
    CHECK(neurons.has("component:31"));
    CHECK_FALSE(neurons.has("component:32"));
}

TEST_CASE("what-if on components: a click ablates a cell and asks the model, another restores it",
          "[components][whatif]") {
    harness h;
    add_spam_model(h.s);
    accept_result(h.s, components_shown());
    h.frames(2);
    h.click("component:6");
    CHECK(h.actions.whatif_requests == 0);  // nothing happens outside what-if mode

    h.click("whatif-toggle");
    REQUIRE(h.s.whatif.active);
    h.click("component:6");
    REQUIRE(h.s.whatif.keep.size() == 40);
    CHECK_FALSE(h.s.whatif.keep[6]);
    CHECK(std::count(h.s.whatif.keep.begin(), h.s.whatif.keep.end(), false) == 1);
    CHECK(h.actions.whatif_requests == 1);
    CHECK(h.s.whatif.real_pending);
    CHECK(h.s.whatif.surrogate == h.s.result->surrogate_value(h.s.whatif.keep));

    h.click("component:12");
    CHECK_FALSE(h.s.whatif.keep[12]);
    CHECK(h.actions.whatif_requests == 2);

    h.click("component:6");  // restored; 12 is still ablated: a model call for that mask
    CHECK(h.actions.whatif_requests == 3);
    h.click("component:12");
    CHECK(std::all_of(h.s.whatif.keep.begin(), h.s.whatif.keep.end(), [](bool k) { return k; }));
    CHECK(h.s.whatif.real_known);  // all kept: the result's own full value, no model call
    CHECK(h.s.whatif.real_value == h.s.result->full_value);
    CHECK(h.actions.whatif_requests == 3);
}

TEST_CASE("the interactions list names components: L1.H2 \xE2\x88\xA7 L0.mlp[32:40]", "[components]") {
    harness h;
    h.s.settings.max_order = 3;  // the fixture's triple of heads
    accept_result(h.s, components_shown());
    h.frames(2);
    h.click("copy-interactions");
    REQUIRE(h.actions.clipboard.size() == 1);
    const std::string & tsv = h.actions.clipboard[0];
    CHECK(tsv.rfind("rank\torder\tvalue\tcomponents\n", 0) == 0);
    CHECK_THAT(tsv, Catch::Contains("L1.H2 \xE2\x88\xA7 L0.mlp[32:40]"));
    CHECK_THAT(tsv, Catch::Contains("L0.H0 \xE2\x88\xA7 L0.H1 \xE2\x88\xA7 L1.H1"));
}

TEST_CASE("word and component results for the same text and model are shown side by side", "[components][companion]") {
    harness h;
    add_spam_model(h.s);
    accept_result(h.s, words_shown());
    h.frames(2);
    CHECK(h.has("word:0"));
    CHECK(h.has("explain-other"));  // "Explain components too"
    CHECK_FALSE(companion_matches(h.s));

    accept_result(h.s, components_shown());
    h.frames(3);
    REQUIRE(companion_matches(h.s));
    CHECK(h.has("component:0"));
    CHECK(h.has("companion-word:0"));
    CHECK_FALSE(h.has("word:0"));
    CHECK_FALSE(h.has("explain-other"));
    // Two columns at 1280 px: the words to the right of the components, level with them.
    CHECK(rect(h, "companion-word:0").x > rect(h, "component:3").x);
    // Hovering the companion's word does not claim to be the list's feature.
    h.hover("companion-word:1");
    CHECK(h.s.view.companion_hovered == 1);
    CHECK(h.s.view.hovered_feature == -1);

    // A word run after it: words on screen, the component result becomes the companion.
    accept_result(h.s, words_shown());
    h.frames(3);
    CHECK(companion_matches(h.s));
    CHECK(h.has("word:0"));
    CHECK(h.has("companion-component:0"));
    CHECK_FALSE(h.s.result->is_components());
    CHECK(h.s.companion->is_components());

    // Narrow: stacked, components above the words.
    ImGui::GetIO().DisplaySize = ImVec2(900, 900);
    h.frames(3);
    CHECK(rect(h, "word:0").y > rect(h, "companion-component:0").y);
}

TEST_CASE("no side by side for another text or model, and the button runs the missing kind",
          "[components][companion]") {
    harness h;
    add_spam_model(h.s);
    component_fixture::options other;
    other.text = "A different e-mail entirely";
    accept_result(h.s, words_shown(other));
    accept_result(h.s, components_shown());
    h.frames(3);
    CHECK(h.s.companion.has_value());
    CHECK_FALSE(companion_matches(h.s));
    CHECK_FALSE(h.has("companion-word:0"));

    h.s.text = "something else in the box";
    h.click("explain-other");  // "Explain words too"
    CHECK(h.actions.start_runs == 1);
    CHECK_FALSE(h.s.settings.components);
    CHECK(h.s.text == h.s.result->text);  // the explained text, not what the box holds now
}

TEST_CASE("the controls choose components and write players and ablation into the options", "[components][controls]") {
    harness h;
    add_spam_model(h.s, true, false);
    h.s.text = "Win a free prize now";
    h.frames(2);
    ordered_json words = ordered_json::parse(run_request_json(h.s))["options"];
    CHECK_FALSE(words.contains("players"));  // word runs send what they always sent
    CHECK_FALSE(words.contains("ablation"));
    CHECK_FALSE(h.has("players-combo"));

    h.click("explain-components");
    REQUIRE(h.s.settings.components);
    REQUIRE(h.has("players-combo"));
    ordered_json o = ordered_json::parse(run_request_json(h.s))["options"];
    CHECK(o["players"] == "components:group=8");
    CHECK(o["ablation"] == "zero");
    // The default method spends the budget slider's calls on components too.
    CHECK(o["method"] == "auto");
    CHECK(o["budget"] == h.s.settings.calls);
    CHECK(estimate_run(h.s).queries == static_cast<int64_t>(h.s.settings.calls) + 500 + 2);
    // With SPEX: n = 8 heads + 32 groups at the components' own b = 6 and t = 3 (the core's
    // defaults): the budget line's queries are that design's.
    h.s.settings.method = PAGE_METHOD_SPEX;
    o                   = ordered_json::parse(run_request_json(h.s))["options"];
    CHECK(o["b"] == 6);
    const run_estimate e = estimate_run(h.s);
    CHECK(e.queries == static_cast<int64_t>(spex::choose_design_for_b(40, 6, 3).queries) + 500 + 2);
    h.s.settings.method = PAGE_METHOD_AUTO;

    h.click("group-combo");
    h.frames(2);  // a popup is sized on its first frame and placed on the next
    h.click("group:4");
    CHECK(h.s.settings.players.group == 4);
    h.click("players-combo");
    h.frames(2);
    h.click("players:neurons");
    CHECK(ordered_json::parse(run_request_json(h.s))["options"]["players"] == "neurons:group=4");
    h.click("players-combo");
    h.frames(2);
    h.click("players:heads");
    CHECK(ordered_json::parse(run_request_json(h.s))["options"]["players"] == "heads");

    // Mean ablation is offered only when the manifest has means and offsets.
    h.click("ablation-mean");
    CHECK_FALSE(h.s.settings.mean_ablation);
    CHECK(ordered_json::parse(run_request_json(h.s))["options"]["ablation"] == "zero");

    h.click("run");
    CHECK(h.actions.start_runs == 1);
}

TEST_CASE("mean ablation can be chosen when the manifest allows it", "[components][controls]") {
    harness h;
    add_spam_model(h.s, true, true);
    h.s.text = "Win a free prize now";
    h.frames(2);
    h.click("explain-components");
    h.click("ablation-mean");
    CHECK(h.s.settings.mean_ablation);
    CHECK(ordered_json::parse(run_request_json(h.s))["options"]["ablation"] == "mean");
}

TEST_CASE("a model with unbatched masks cannot run components, and Run says so", "[components][controls]") {
    harness h;
    add_spam_model(h.s, false, false);
    h.s.text = "Win a free prize now";
    h.frames(2);
    h.click("explain-components");
    CHECK_FALSE(h.has("players-combo"));
    h.click("run");
    CHECK(h.actions.start_runs == 0);
    h.click("explain-words");
    h.click("run");
    CHECK(h.actions.start_runs == 1);  // words still work on it
}

TEST_CASE("words and components each keep their own b when the user switches between them", "[components][controls]") {
    harness h;
    add_spam_model(h.s, true, false);
    h.s.text = "Win a free prize now";
    h.frames(2);
    CHECK(h.s.settings.b == 5);
    h.click("explain-components");
    CHECK(h.s.settings.b == 6);
    h.s.settings.b = 7;  // as the slider would
    h.click("explain-words");
    CHECK_FALSE(h.s.settings.components);
    CHECK(h.s.settings.b == 5);
    h.click("explain-components");
    CHECK(h.s.settings.b == 7);
}

TEST_CASE("choosing a model without component inputs while explaining components goes back to words", "[components]") {
    harness h;
    add_spam_model(h.s);
    model_entry words_only;
    words_only.key                    = "custom:spam-bert";
    words_only.title                  = "spam-bert";
    words_only.labels                 = {"ham", "spam"};
    words_only.components.unavailable = "this model has no head_mask input";
    h.s.models.push_back(words_only);
    h.s.text = "free money now";
    h.frames(2);
    h.click("explain-components");
    h.frames(2);
    REQUIRE(h.s.settings.components);
    const int component_b = h.s.settings.b;
    // What the page does after a folder is opened (select_model), and the picker.
    CHECK(spexlens::app::choose_model(h.s, "custom:spam-bert"));
    CHECK_FALSE(h.s.settings.components);
    CHECK(h.s.settings.other_kind_b == component_b);  // the components' b waits for their return
    CHECK_THAT(h.s.status, Catch::Contains("Explaining words: spam-bert cannot explain its components"));
    h.frames(2);
    h.click("run");
    CHECK(h.actions.start_runs == 1);  // Run is not blocked by the other model's choice
    // An unknown key changes nothing.
    CHECK_FALSE(spexlens::app::choose_model(h.s, "no-such-model"));
    CHECK(h.s.settings.model_key == "custom:spam-bert");
}
