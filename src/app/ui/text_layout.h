// text_layout: word-wrapped layout of a text whose features are spans of it, for the
// heat-map. Every byte of the text lands in a run (a piece of one feature, or of the plain
// text between features, on one line), so punctuation and spaces between words are drawn
// as they are. Independent of drawing: the caller passes a width measure, which lets the
// tests use a fixed-width one and the page ImGui's font.
//
// Right-to-left text (Hebrew, Arabic; text/bidi.h for what of UAX #9 is kept): runs stay in
// reading order, but each gets its visual x. A line of a right-to-left paragraph is
// right-aligned within the wrap width and its runs flow right to left; inside a left-to-right
// paragraph a right-to-left stretch of words is reversed in place. A run is all at one level;
// a right-to-left run's code points must be drawn reversed and its Arabic letters shaped: draw
// run_glyphs(text, run), the display form layout_text measured.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace spexlens::app {

// Width in pixels of the UTF-8 bytes [begin, end).
using measure_fn = std::function<float(const char * begin, const char * end)>;

// A feature's span of the text: Unicode code point offsets, half-open (docs/result-schema.md).
struct layout_span {
    int start = -1;
    int end   = -1;

    bool operator==(const layout_span & o) const { return start == o.start && end == o.end; }
    bool operator!=(const layout_span & o) const { return !(*this == o); }
};

struct layout_rect {
    float x = 0, y = 0, w = 0, h = 0;
    bool  contains(float px, float py) const { return px >= x && px < x + w && py >= y && py < y + h; }
};

struct layout_run {
    size_t byte_begin = 0;  // into the text; the run draws text[byte_begin, byte_end)
    size_t byte_end   = 0;
    int    feature    = -1;  // -1: text between (or after) features
    int    line       = 0;
    float  x          = 0;  // visual: where the run starts, left to right
    float  w          = 0;
    int    level      = 0;  // embedding level: odd is right to left

    // True when the run's code points must be drawn in reverse (run_glyphs does).
    bool rtl() const { return level % 2 != 0; }
};

struct text_layout {
    float                   line_height = 0;
    float                   width       = 0;  // widest line
    int                     line_count  = 0;
    std::vector<layout_run> runs;               // reading order
    std::vector<size_t>     line_first_run;     // line_count + 1 entries: line l is runs [l], [l+1])
    std::vector<int>        line_level;         // per line: its paragraph's level (1: right to left; 0 if empty)
    std::vector<int>        feature_first_run;  // per feature: its first run, -1 if it has none
    std::vector<int>        feature_last_run;
    std::vector<size_t>     feature_byte_begin;  // per feature (0 when the span was unusable)
    std::vector<size_t>     feature_byte_end;

    float       height() const { return line_height * static_cast<float>(line_count); }
    layout_rect run_rect(const layout_run & run) const;
    // The feature's rectangle on its first line (empty rect when the feature has no run).
    layout_rect feature_rect(int feature) const;
    // The feature under a point, or -1 (runs of plain text count as no feature).
    int hit_test(float px, float py) const;
};

// Lays the text out in lines of at most wrap_width (a word wider than that is broken between
// code points). Lines break at '\n' and at spaces; the spaces where a line was wrapped are
// not drawn. Spans must be in reading order; a span overlapping the one before it is cut to
// start after it, and a span that is empty or outside the text gets no run. Lines are wrapped
// in reading order; then each line's runs are placed by their bidi levels (see above).
text_layout layout_text(const std::string & text, const std::vector<layout_span> & spans, float wrap_width,
                        float line_height, const measure_fn & measure);

// What to draw for a run, left to right: text::display_form of its bytes (Arabic letters shaped
// with the text around the run as context, reversed when right to left). layout_text measured
// the run's width from these glyphs; the run still covers its own bytes of the text (a ligature
// covers both of its letters), which is what colouring, hover and clicks map to.
std::string run_glyphs(const std::string & text, const layout_run & run);

}  // namespace spexlens::app
