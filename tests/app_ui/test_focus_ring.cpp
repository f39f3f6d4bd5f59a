// Tab and Shift+Tab through the page's controls (focus_ring.h): reading order across the
// panels, wrapping, a text field activated for typing, Space pressing the focused button.
#include "app/ui/focus_ring.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <imgui_internal.h>

using namespace spexlens::app;
using ui_test::harness;

namespace {

// The names Tab visits from a page with nothing focused, until it comes back to the first.
std::vector<std::string> tab_cycle(harness & h) {
    std::vector<std::string> seen;
    for (int i = 0; i < 400; ++i) {
        h.tab();
        h.frame();  // focused is read back at the start of the next frame
        if (!seen.empty() && h.s.focus.focused == seen.front()) {
            return seen;
        }
        seen.push_back(h.s.focus.focused);
    }
    FAIL("Tab never came back to the first control");
    return seen;
}

ptrdiff_t position(const std::vector<std::string> & names, const std::string & name) {
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : it - names.begin();
}

}  // namespace

TEST_CASE("next_focus_index wraps both ways and starts at an end when nothing is focused", "[focus]") {
    CHECK(next_focus_index(-1, 1, 5) == 0);
    CHECK(next_focus_index(-1, -1, 5) == 4);
    CHECK(next_focus_index(4, 1, 5) == 0);
    CHECK(next_focus_index(0, -1, 5) == 4);
    CHECK(next_focus_index(2, 3, 5) == 0);
    CHECK(next_focus_index(2, -7, 5) == 0);
    CHECK(next_focus_index(1, 0, 5) == 1);
    CHECK(next_focus_index(-1, 0, 5) == -1);
    CHECK(next_focus_index(0, 1, 0) == -1);
}

TEST_CASE("Tab visits every control once, in reading order across the panels, and wraps", "[focus]") {
    harness h;
    ui_test::add_demo_model(h.s);
    ui_test::show(h.s, ui_test::load_result("tests/app/data/planted_and_result.json"));
    h.s.text = h.s.result->text;
    h.frames(3);
    const std::vector<std::string> cycle = tab_cycle(h);
    std::string                    listed;
    for (const std::string & name : cycle) {
        listed += name + " ";
    }
    INFO("cycle of " << cycle.size() << ": " << listed);
    // No control twice, none unnamed.
    std::vector<std::string> sorted = cycle;
    std::sort(sorted.begin(), sorted.end());
    CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    CHECK(position(cycle, "") < 0);
    // The title bar's view switch, then the left column top to bottom: model, text, Run.
    const ptrdiff_t presenter = position(cycle, "mode-presenter");
    const ptrdiff_t model     = position(cycle, "model-combo");
    const ptrdiff_t text      = position(cycle, "text-box");
    const ptrdiff_t run       = position(cycle, "run");
    REQUIRE(presenter >= 0);
    REQUIRE(model >= 0);
    REQUIRE(text >= 0);
    REQUIRE(run >= 0);
    CHECK(presenter < model);
    CHECK(model < text);
    CHECK(text < run);
    // Controls of the other panels follow: the exports of the result in the details tile.
    CHECK(position(cycle, "export-json") > run);
    CHECK(position(cycle, "export-png") > run);
    // Every control the page drew that is not disabled is a stop: the ring is not a short list.
    CHECK(cycle.size() >= 12);

    // Shift+Tab walks the same ring backwards.
    h.tab();
    h.frame();
    REQUIRE(h.s.focus.focused == cycle[1]);
    h.tab(true);
    h.frame();
    CHECK(h.s.focus.focused == cycle[0]);
    h.tab(true);
    h.frame();
    CHECK(h.s.focus.focused == cycle.back());
}

TEST_CASE("Tab onto the text box activates it for typing, and Tab again leaves it", "[focus]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frames(2);
    for (int i = 0; i < 100 && h.s.focus.focused != "text-box"; ++i) {
        h.tab();
        h.frame();
    }
    REQUIRE(h.s.focus.focused == "text-box");
    h.frame();
    CHECK(ImGui::GetIO().WantTextInput);
    ImGui::GetIO().AddInputCharactersUTF8("Hi");
    h.frames(2);
    CHECK(h.s.text.find("Hi") != std::string::npos);
    h.tab();
    h.frame();
    CHECK(h.s.focus.focused != "text-box");
    CHECK_FALSE(ImGui::GetIO().WantTextInput);
    CHECK(h.s.text.find("Hi") != std::string::npos);  // nothing typed is lost on leaving
}

TEST_CASE("Space presses the button Tab focused, and a disabled Run is not a stop", "[focus]") {
    harness h;
    ui_test::add_demo_model(h.s);
    h.frames(2);
    // No text: Run is disabled, so Tab passes it by.
    std::vector<std::string> cycle = tab_cycle(h);
    CHECK(position(cycle, "run") < 0);

    h.s.text = "Free lunch on friday for everyone";
    h.frames(2);
    for (int i = 0; i < 100 && h.s.focus.focused != "run"; ++i) {
        h.tab();
        h.frame();
    }
    REQUIRE(h.s.focus.focused == "run");
    CHECK(h.actions.start_runs == 0);  // focusing is not pressing
    h.press(ImGuiKey_Space);
    CHECK(h.actions.start_runs == 1);
}
