// The canvas follows the window (app/ui/canvas_metrics.h): backing store = CSS box x device
// pixel ratio, fonts rasterised at that ratio, wheel deltas in ImGui's steps; the page lays
// out in whatever CSS size it is given, the wheel scrolls the interactions table, and exports
// are named after what they hold and when.
#include "app/model/export_formats.h"
#include "app/ui/canvas_metrics.h"
#include "app/ui/views.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace spexlens::app;
using ui_test::harness;

// [SECTION] Canvas size and pixel ratio

TEST_CASE("the backing store is the CSS box times the device pixel ratio", "[canvas]") {
    const double sizes[][2] = {{1280, 800}, {1366, 768}, {1600, 900}, {1920, 1080}, {1024, 700}, {801, 599}};
    for (const auto & size : sizes) {
        for (const double dpr : {1.0, 1.25, 1.5, 2.0, 3.0}) {
            INFO(size[0] << " x " << size[1] << " at " << dpr);
            const canvas_metrics m = fit_canvas(size[0], size[1], dpr);
            CHECK(m.css_width == size[0]);
            CHECK(m.css_height == size[1]);
            CHECK(m.pixel_ratio == dpr);
            CHECK(m.pixel_width == std::lround(size[0] * dpr));
            CHECK(m.pixel_height == std::lround(size[1] * dpr));
            CHECK(m.scale_x() == Approx(dpr).epsilon(1e-3));
            CHECK(m.font_scale == float(dpr));
        }
    }
    // 1366 x 1.5 = 2049 exactly; 1365 x 1.5 = 2047.5 rounds up, as Math.round does.
    CHECK(fit_canvas(1366, 768, 1.5).pixel_width == 2049);
    CHECK(fit_canvas(1365, 767, 1.5).pixel_width == 2048);
    CHECK(fit_canvas(1365, 767, 1.5).pixel_height == 1151);
}

TEST_CASE("odd pixel ratios and sizes are tamed", "[canvas]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    // Unknown ratio: 1x. Unknown or empty box: 1 x 1, never 0 (a 0-sized canvas loses WebGL).
    for (const double bad : {0.0, -2.0, nan, inf}) {
        CHECK(fit_canvas(800, 600, bad).pixel_width == 800);
    }
    const canvas_metrics empty = fit_canvas(0, nan, 2.0);
    CHECK(empty.pixel_width == 2);
    CHECK(empty.pixel_height == 2);
    // A zoomed-out page draws at its own (low) resolution; the glyphs stay rasterised at 1x.
    const canvas_metrics zoomed_out = fit_canvas(2560, 1600, 0.5);
    CHECK(zoomed_out.pixel_width == 1280);
    CHECK(zoomed_out.font_scale == 1.0f);
    CHECK(fit_canvas(100, 100, 0.01).pixel_ratio == min_pixel_ratio);
    CHECK(fit_canvas(100, 100, 9.0).pixel_ratio == max_pixel_ratio);
    CHECK(fit_canvas(100, 100, 4.0).font_scale == max_font_scale);
    // Float noise in devicePixelRatio does not change the font atlas.
    CHECK(fit_canvas(100, 100, 1.4999999).font_scale == 1.5f);
    // The GPU's limit lowers the ratio for the whole canvas, keeping its proportions.
    const canvas_metrics huge = fit_canvas(5000, 2500, 2.0, 8192);
    CHECK(huge.pixel_width == 8192);
    CHECK(huge.pixel_height == 4096);
    CHECK(huge.pixel_ratio == Approx(8192.0 / 5000.0));
}

TEST_CASE("a change of CSS size, pixels or fonts is a change of layout", "[canvas]") {
    const canvas_metrics a = fit_canvas(1280, 800, 1.0);
    CHECK(same_layout(a, fit_canvas(1280, 800, 1.0)));
    CHECK_FALSE(same_layout(a, fit_canvas(1281, 800, 1.0)));
    CHECK_FALSE(same_pixels(a, fit_canvas(1280, 800, 2.0)));
    CHECK_FALSE(same_layout(a, fit_canvas(1280, 800, 2.0)));
    // 1280.2 CSS pixels round to the same backing store but lay out differently.
    CHECK(same_pixels(a, fit_canvas(1280.2, 800, 1.0)));
    CHECK_FALSE(same_layout(a, fit_canvas(1280.2, 800, 1.0)));
}

// [SECTION] Mouse wheel

TEST_CASE("wheel deltas become ImGui steps: one notch is one step, down is negative", "[canvas][wheel]") {
    // Chromium: 100 pixels per notch, positive deltaY when the user scrolls down.
    CHECK(wheel_steps_for(0, 100, wheel_delta_pixel).y == -1.0f);
    CHECK(wheel_steps_for(0, -300, wheel_delta_pixel).y == 3.0f);
    // Firefox: 3 lines per notch.
    CHECK(wheel_steps_for(0, 3, wheel_delta_line).y == -1.0f);
    // A trackpad's small deltas stay fractional.
    CHECK(wheel_steps_for(0, 4, wheel_delta_pixel).y == Approx(-0.04f));
    CHECK(wheel_steps_for(0, 1, wheel_delta_page).y == -6.0f);
    // Horizontal: positive deltaX (scroll right) is negative MouseWheelH.
    CHECK(wheel_steps_for(100, 0, wheel_delta_pixel).x == -1.0f);
    CHECK(wheel_steps_for(std::numeric_limits<double>::quiet_NaN(), 0, wheel_delta_pixel).x == 0.0f);
}

TEST_CASE("the wheel scrolls the top-interactions table under the mouse", "[canvas][wheel]") {
    harness h;
    ui_test::show(h.s, ui_test::large_result(300, 5));
    h.frames(3);
    REQUIRE(h.has("interactions-table"));
    REQUIRE(h.s.scroll_offsets.count("interactions") == 1);
    CHECK(h.s.scroll_offsets.at("interactions") == 0.0f);
    h.wheel("interactions-table", wheel_steps_for(0, 300, wheel_delta_pixel).y);  // three notches down
    const float down = h.s.scroll_offsets.at("interactions");
    CHECK(down > 0.0f);
    h.wheel("interactions-table", wheel_steps_for(0, -300, wheel_delta_pixel).y);
    CHECK(h.s.scroll_offsets.at("interactions") < down);
}

// [SECTION] Layout at other sizes and pixel ratios

TEST_CASE("the page lays out in the CSS size it is given, at any framebuffer scale", "[canvas]") {
    const double sizes[][2] = {{1024, 700}, {1366, 768}, {1920, 1080}};
    for (const auto & size : sizes) {
        INFO(size[0] << " x " << size[1]);
        harness h;
        ui_test::add_demo_model(h.s);
        ui_test::show(h.s, ui_test::load_result("tests/app/data/planted_and_result.json"));
        const canvas_metrics m                 = fit_canvas(size[0], size[1], 2.0);
        ImGui::GetIO().DisplaySize             = ImVec2(float(m.css_width), float(m.css_height));
        ImGui::GetIO().DisplayFramebufferScale = ImVec2(float(m.scale_x()), float(m.scale_y()));
        h.frames(3);
        for (const char * widget : {"run", "export-json", "word:0", "interactions-table"}) {
            INFO(widget);
            REQUIRE(h.has(widget));
            const ImVec4 r = h.s.widget_rects.at(widget);
            CHECK(r.x >= 0);
            CHECK(r.y >= 0);
            CHECK(r.x + r.z <= size[0] + 0.5);
            CHECK(r.y + r.w <= size[1] + 0.5);
        }
        // The draw data covers the display in CSS pixels and is scaled to the backing store.
        CHECK(ImGui::GetDrawData()->DisplaySize.x == float(size[0]));
        CHECK(ImGui::GetDrawData()->FramebufferScale.x == Approx(2.0f));
    }
}

// [SECTION] Export names

TEST_CASE("export names say words, sentences, components or planted, the seed and the time", "[export]") {
    loaded_result r;
    r.model_name  = "spam-transformer";
    r.seed        = 7;
    r.granularity = "word";
    CHECK(export_file_stem(r, "2025-01-02T03:04:05.678Z") == "spexlens-spam-transformer-words-seed7-20250102T030405Z");
    r.granularity = "sentence";
    CHECK(export_kind(r) == "sentences");
    r.players     = "components";
    r.granularity = "component";
    CHECK(export_file_stem(r, "2025-01-02T03:04:05Z") == "spexlens-spam-transformer-components-seed7-20250102T030405Z");
    r.players     = "text";
    r.granularity = "synthetic";
    r.model_name  = "";
    CHECK(export_file_stem(r, "2025-12-31T23:59:59.999Z") == "spexlens-teaching-planted-seed7-20251231T235959Z");
    r.model_name  = "custom:my model/v2";
    r.granularity = "word";
    CHECK(export_file_stem(r, "") == "spexlens-custom-my-model-v2-words-seed7");
    CHECK(export_file_stem(r, "2025-01-02T03:04:05+01:00") ==
          "spexlens-custom-my-model-v2-words-seed7-20250102T030405");
}
