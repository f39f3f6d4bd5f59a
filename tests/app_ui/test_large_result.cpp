// A 1000-word result: the heat-map draws only what is in view, scrolls, and a frame stays
// cheap. Timings are printed, not asserted (they depend on the machine and the sanitizers).
#include "app/ui/views.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

#include <chrono>

using namespace spexlens::app;
using ui_test::harness;

namespace {

// The words recorded on screen in the last frame.
std::vector<int> visible_words(const app_state & s) {
    std::vector<int> words;
    for (const auto & entry : s.widget_rects) {
        if (entry.first.rfind("word:", 0) == 0) {
            words.push_back(std::stoi(entry.first.substr(5)));
        }
    }
    std::sort(words.begin(), words.end());
    return words;
}

}  // namespace

TEST_CASE("a 1000-word result draws only the lines in view and scrolls", "[large]") {
    harness    h;
    const auto build_start = std::chrono::steady_clock::now();
    ui_test::show(h.s, ui_test::large_result(1000, 11));
    const double index_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - build_start).count();
    REQUIRE(h.s.error.empty());
    REQUIRE(h.s.index.first_order.size() == 1000);
    h.s.view.arc_cap = 100;
    h.frames(2);  // the first frame lays the text out

    const auto start = std::chrono::steady_clock::now();
    const int  count = 10;
    h.frames(count);
    const double frame_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / count;
    WARN("1000 features: index " << index_ms << " ms, one frame " << frame_ms << " ms, "
                                 << ImGui::GetDrawData()->TotalVtxCount << " vertices");

    std::vector<int> words = visible_words(h.s);
    REQUIRE_FALSE(words.empty());
    CHECK(words.front() == 0);
    CHECK(words.size() < 600);  // not the whole text
    for (int w : words) {
        const ImVec4 r = h.s.widget_rects.at("word:" + std::to_string(w));
        CHECK(r.y >= 0);
        CHECK(r.y + r.w <= 900);
    }
    // The draw lists stay bounded by what is visible, not by the text's length.
    CHECK(ImGui::GetDrawData()->TotalVtxCount < 200000);

    h.wheel("word:0", -30.0f);
    const std::vector<int> scrolled = visible_words(h.s);
    REQUIRE_FALSE(scrolled.empty());
    CHECK(scrolled.front() > words.back());

    // Hover and what-if still land on the right word after scrolling.
    const std::string target = "word:" + std::to_string(scrolled[scrolled.size() / 2]);
    h.hover(target);
    h.frame();
    CHECK(h.s.view.hovered_feature == scrolled[scrolled.size() / 2]);
    h.click("whatif-toggle");
    h.frame();
    h.click(target);
    CHECK_FALSE(h.s.whatif.keep[static_cast<size_t>(scrolled[scrolled.size() / 2])]);
    CHECK(h.actions.whatif_requests == 1);
}

TEST_CASE("the text box takes a 1 MiB text", "[large]") {
    harness h;
    ui_test::add_demo_model(h.s);
    std::string text;
    while (text.size() < (1u << 20)) {
        text += "caf\xC3\xA9 lunch on friday, please bring nothing.\n";
    }
    h.s.text = text;
    h.frames(2);
    h.click("text-box");  // focused: ImGui now edits the whole text
    h.frames(2);
    CHECK(h.s.text == text);
    CHECK(estimate_run(h.s).queries > 0);
}
