// canvas_metrics: how big the page's canvas is and how finely it is drawn. The page lays out in
// CSS pixels (ImGui's DisplaySize, so widget rectangles and mouse coordinates are CSS pixels);
// the canvas's backing store is that size times the device pixel ratio, so text and lines are
// drawn at the screen's own resolution (crisp at 1.5x and 2x). The fonts are rasterised at the
// same ratio and drawn scaled back, so they stay sharp. Pure functions, decided here and not in
// the JavaScript glue, so they are tested natively (tests/app_ui/test_canvas_metrics.cpp).
#pragma once

#include <algorithm>
#include <cmath>

namespace spexlens::app {

// [SECTION] Canvas size and pixel ratio

// The canvas's layout size and its backing store, for one frame.
struct canvas_metrics {
    double css_width    = 0.0;  // the canvas element's size in CSS pixels (ImGui's DisplaySize)
    double css_height   = 0.0;
    double pixel_ratio  = 1.0;  // backing-store pixels per CSS pixel actually used
    int    pixel_width  = 1;    // the backing store (canvas.width, canvas.height)
    int    pixel_height = 1;
    float  font_scale   = 1.0f;  // the fonts are rasterised at this multiple of their size

    // Backing-store pixels per CSS pixel along each axis (ImGui's DisplayFramebufferScale):
    // exactly what maps the layout onto the rounded backing store.
    double scale_x() const { return css_width > 0 ? pixel_width / css_width : 1.0; }
    double scale_y() const { return css_height > 0 ? pixel_height / css_height : 1.0; }
};

// Pixel ratios outside this range are clamped (a zoomed-out page can report 0.25; 4 is beyond
// any screen the page is made for and would make the software-rendered canvas slow).
constexpr double min_pixel_ratio = 0.25;
constexpr double max_pixel_ratio = 4.0;
// Fonts are rasterised at most at 3x: the atlas of the page's glyph ranges at 4x would be
// 16 MB or more of texture for a difference no one can see.
constexpr float max_font_scale = 3.0f;
// The backing store's longest side when the WebGL context does not say (WebGL2 guarantees
// at least 4096 for a renderbuffer; desktop GPUs and SwiftShader allow 8192 or more).
constexpr int default_max_canvas_side = 8192;

// The font rasterisation scale for a pixel ratio: the ratio itself (to 1/100, so float noise
// in devicePixelRatio does not rebuild the atlas), never below 1 (a zoomed-out page draws the
// 1x glyphs smaller, which stays legible), at most max_font_scale.
inline float font_scale_for(double pixel_ratio) {
    const double r = std::isfinite(pixel_ratio) ? pixel_ratio : 1.0;
    return float(std::clamp(std::round(r * 100.0) / 100.0, 1.0, double(max_font_scale)));
}

// The metrics for a canvas of css_width x css_height CSS pixels on a screen with
// device_pixel_ratio device pixels per CSS pixel: backing store = round(CSS size x ratio), at
// least 1 x 1. A non-finite or non-positive size is taken as 1; a non-finite or non-positive
// ratio as 1; the ratio is clamped to [min_pixel_ratio, max_pixel_ratio] and lowered further
// if the backing store's longest side would exceed max_side (the GPU's limit).
inline canvas_metrics fit_canvas(double css_width, double css_height, double device_pixel_ratio,
                                 int max_side = default_max_canvas_side) {
    const auto     sane_size = [](double v) { return std::isfinite(v) && v > 0 ? v : 1.0; };
    canvas_metrics m;
    m.css_width          = sane_size(css_width);
    m.css_height         = sane_size(css_height);
    double ratio         = std::isfinite(device_pixel_ratio) && device_pixel_ratio > 0 ? device_pixel_ratio : 1.0;
    ratio                = std::clamp(ratio, min_pixel_ratio, max_pixel_ratio);
    const double longest = std::max(m.css_width, m.css_height);
    if (max_side > 0 && longest * ratio > max_side) {
        ratio = max_side / longest;
    }
    m.pixel_ratio  = ratio;
    m.pixel_width  = std::max(1, int(std::lround(m.css_width * ratio)));
    m.pixel_height = std::max(1, int(std::lround(m.css_height * ratio)));
    if (max_side > 0) {
        m.pixel_width  = std::min(m.pixel_width, max_side);
        m.pixel_height = std::min(m.pixel_height, max_side);
    }
    m.font_scale = font_scale_for(ratio);
    return m;
}

// True when a and b have the same backing store and font atlas (otherwise the canvas must be
// resized or the fonts rebuilt); the CSS size can still differ, see same_layout.
inline bool same_pixels(const canvas_metrics & a, const canvas_metrics & b) {
    return a.pixel_width == b.pixel_width && a.pixel_height == b.pixel_height && a.font_scale == b.font_scale;
}

// True when a and b lay the page out identically and draw it at the same resolution.
inline bool same_layout(const canvas_metrics & a, const canvas_metrics & b) {
    return same_pixels(a, b) && a.css_width == b.css_width && a.css_height == b.css_height;
}

// [SECTION] Mouse wheel

// Wheel movement in ImGui's units: one step is one notch of a mouse wheel; positive y scrolls
// up (towards the top), positive x scrolls left.
struct wheel_steps {
    float x = 0.0f;
    float y = 0.0f;
};

// DOM WheelEvent.deltaMode values.
constexpr int wheel_delta_pixel = 0;
constexpr int wheel_delta_line  = 1;
constexpr int wheel_delta_page  = 2;

// A DOM wheel event's deltas (positive: content moves up / left, i.e. the user scrolls down /
// right) in ImGui's steps: 100 pixels (Chromium's notch), 3 lines (Firefox's notch) or a
// sixth of a page make a step, with the sign flipped. Trackpads send many small deltas, which
// stay fractional steps so scrolling stays smooth. Unknown modes count as pixels.
inline wheel_steps wheel_steps_for(double delta_x, double delta_y, int delta_mode) {
    double per_step = 100.0;
    if (delta_mode == wheel_delta_line) {
        per_step = 3.0;
    } else if (delta_mode == wheel_delta_page) {
        per_step = 1.0 / 6.0;
    }
    const auto steps = [per_step](double d) { return std::isfinite(d) ? float(-d / per_step) : 0.0f; };
    return {steps(delta_x), steps(delta_y)};
}

}  // namespace spexlens::app
