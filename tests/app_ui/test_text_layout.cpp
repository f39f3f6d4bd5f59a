// text_layout: wrapping, line breaks inside and between features, code point offsets over
// multi-byte UTF-8, and hit testing — with a fixed-width measure (10 px per code point), so
// every expected position below can be worked out by hand.
#include "app/model/loaded_result.h"
#include "app/ui/interaction_arcs.h"
#include "app/ui/text_layout.h"
#include "layout_test_support.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace spexlens::app;
using ui_test::monospace;

namespace {

std::string run_text(const std::string & text, const layout_run & run) {
    return text.substr(run.byte_begin, run.byte_end - run.byte_begin);
}

// Every run as "line:x:text[:feature]", for compact expectations.
std::vector<std::string> describe(const std::string & text, const text_layout & layout) {
    std::vector<std::string> out;
    for (const layout_run & run : layout.runs) {
        out.push_back(std::to_string(run.line) + ":" + std::to_string(static_cast<int>(run.x)) + ":" +
                      run_text(text, run) + (run.feature >= 0 ? ":" + std::to_string(run.feature) : ""));
    }
    return out;
}

}  // namespace

TEST_CASE("words wrap at spaces and the space at a wrap is not drawn", "[text_layout]") {
    const std::string text = "aa bb cc";
    const auto        l    = layout_text(text, {{0, 2}, {3, 5}, {6, 8}}, 50, 20, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:0:aa:0", "0:20: ", "0:30:bb:1", "1:0:cc:2"});
    CHECK(l.line_count == 2);
    CHECK(l.height() == 40);
    CHECK(l.width == 50);
    const layout_rect r = l.feature_rect(2);
    CHECK(r.x == 0);
    CHECK(r.y == 20);
    CHECK(r.w == 20);
    CHECK(r.h == 20);
}

TEST_CASE("text between features (punctuation, brackets) is drawn as plain runs", "[text_layout]") {
    const std::string text = "Hi, (there) you";
    const auto        l    = layout_text(text, {{0, 2}, {5, 10}}, 1000, 20, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:0:Hi:0", "0:20:, (", "0:50:there:1", "0:100:) you"});
    CHECK(l.hit_test(5, 10) == 0);
    CHECK(l.hit_test(25, 10) == -1);  // the comma belongs to no feature
    CHECK(l.hit_test(55, 10) == 1);
    CHECK(l.hit_test(55, 25) == -1);  // below the only line
    CHECK(l.hit_test(-1, 10) == -1);
}

TEST_CASE("line breaks, empty lines and a feature that spans a line break", "[text_layout]") {
    const std::string text = "one two\n\nthree\nfour five";
    // Features: "one", "two\n\nthree" (a sentence across a blank line), "four five".
    const auto l = layout_text(text, {{0, 3}, {4, 14}, {15, 24}}, 1000, 10, monospace);
    CHECK(describe(text, l) ==
          std::vector<std::string>{"0:0:one:0", "0:30: ", "0:40:two:1", "2:0:three:1", "3:0:four five:2"});
    CHECK(l.line_count == 4);
    CHECK(l.feature_first_run[1] == 2);
    CHECK(l.feature_last_run[1] == 3);
    CHECK(l.feature_rect(1).y == 0);  // its first line's rectangle
    CHECK(l.feature_rect(1).x == 40);
    REQUIRE(l.line_first_run.size() == 5);
    CHECK(l.line_first_run[1] == l.line_first_run[2]);  // the empty line has no runs
    CHECK(l.line_first_run[4] == l.runs.size());
}

TEST_CASE("offsets are code points: accented letters and emoji keep their words intact", "[text_layout]") {
    // "café" is 4 code points / 5 bytes; "☕" 1 / 3; "naïve" 5 / 6.
    const std::string text = "caf\xC3\xA9 \xE2\x98\x95 na\xC3\xAFve!";
    const auto        l    = layout_text(text, {{0, 4}, {5, 6}, {7, 12}}, 1000, 20, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:0:caf\xC3\xA9:0", "0:40: ", "0:50:\xE2\x98\x95:1",
                                                        "0:60: ", "0:70:na\xC3\xAFve:2", "0:120:!"});
    CHECK(l.feature_byte_begin == std::vector<size_t>{0, 6, 10});
    CHECK(l.feature_byte_end == std::vector<size_t>{5, 9, 16});
}

TEST_CASE("a word wider than the line is broken between code points", "[text_layout]") {
    const std::string text = "x \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 y";
    const auto        l    = layout_text(text, {{2, 7}}, 30, 10, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:0:x ", "1:0:\xC3\xA9\xC3\xA9\xC3\xA9:0",
                                                        "2:0:\xC3\xA9\xC3\xA9:0", "2:20: ", "3:0:y"});
}

TEST_CASE("a word touching a feature wraps as one word", "[text_layout]") {
    // "(b)" is one word made of three segments; it moves to the next line as a whole.
    const std::string text = "aaaa (b)";
    const auto        l    = layout_text(text, {{0, 4}, {6, 7}}, 60, 10, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:0:aaaa:0", "0:40: ", "1:0:(", "1:10:b:1", "1:20:)"});
}

TEST_CASE("unusable spans get no runs and overlapping spans are cut", "[text_layout]") {
    const std::string text = "abc def";
    const auto        l    = layout_text(text, {{0, 3}, {2, 5}, {-1, -1}, {6, 99}, {50, 60}}, 1000, 10, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:0:abc:0", "0:30: d:1", "0:50:e", "0:60:f:3"});
    CHECK(l.feature_first_run[2] == -1);
    CHECK(l.feature_first_run[4] == -1);
    CHECK(l.feature_rect(4).w == 0);
    CHECK(l.feature_rect(17).w == 0);
}

TEST_CASE("an empty text lays out as one empty line", "[text_layout]") {
    const auto l = layout_text("", {}, 100, 10, monospace);
    CHECK(l.runs.empty());
    CHECK(l.line_count == 1);
    CHECK(l.hit_test(1, 1) == -1);
}

TEST_CASE("every feature of a real truncated result lands on its own words", "[text_layout]") {
    const loaded_result      r = ui_test::load_result("tests/app_ui/data/truncated_text_result.json");
    std::vector<layout_span> spans;
    for (const feature_span & f : r.features) {
        spans.push_back({f.start, f.end});
    }
    const auto l = layout_text(r.text, spans, 300, 20, monospace);
    REQUIRE(r.truncated);
    REQUIRE(static_cast<int>(spans.size()) == r.n);
    for (size_t f = 0; f < spans.size(); ++f) {
        INFO("feature " << f);
        CHECK(r.text.substr(l.feature_byte_begin[f], l.feature_byte_end[f] - l.feature_byte_begin[f]) ==
              r.features[f].text);
        CHECK(l.feature_first_run[f] >= 0);
    }
    // Every byte of the text is drawn once, except the line breaks and the spaces at wraps.
    size_t drawn = 0;
    for (const layout_run & run : l.runs) {
        drawn += run.byte_end - run.byte_begin;
        CHECK(run.x + run.w <= 300);
    }
    CHECK(drawn <= r.text.size());
    CHECK(drawn > r.text.size() * 9 / 10);
    CHECK(l.runs.back().byte_end == r.text.size());  // the unexplained rest is laid out too
}

// A segment of a route (axis-aligned) crosses the inside of a box.
static bool crosses(ImVec2 p, ImVec2 q, ImVec2 lo, ImVec2 hi) {
    const float eps = 0.01f;
    if (p.y == q.y) {
        return p.y > lo.y + eps && p.y < hi.y - eps && std::max(p.x, q.x) > lo.x + eps &&
               std::min(p.x, q.x) < hi.x - eps;
    }
    return p.x > lo.x + eps && p.x < hi.x - eps && std::max(p.y, q.y) > lo.y + eps && std::min(p.y, q.y) < hi.y - eps;
}

TEST_CASE("a pair on two lines is routed between the lines, never through a word or off the pane", "[text_layout]") {
    // 24 four-letter words, two to a line of 100 px (10 px per code point): 12 lines.
    std::string              text;
    std::vector<layout_span> spans;
    for (int w = 0; w < 24; ++w) {
        spans.push_back({static_cast<int>(text.size()), static_cast<int>(text.size()) + 4});
        text += "word ";
    }
    const text_layout l = layout_text(text, spans, 100, 28, monospace);
    REQUIRE(l.line_count == 12);
    frame_geometry g;
    g.origin           = ImVec2(0, 0);
    g.font_size        = 10;
    g.text_top         = 28 - 10 - 4;
    g.arc_room         = g.text_top - 4;
    g.right            = 100;
    const float lane   = g.right + 6;
    int         routed = 0, adjacent = 0;
    for (int a = 0; a < 24; ++a) {
        for (int b = a + 1; b < 24; ++b) {
            const auto route  = cross_line_route(l, g, a, b, lane);
            const int  line_a = l.runs[static_cast<size_t>(l.feature_first_run[static_cast<size_t>(a)])].line;
            const int  line_b = l.runs[static_cast<size_t>(l.feature_first_run[static_cast<size_t>(b)])].line;
            if (line_a == line_b) {
                CHECK(route.empty());
                continue;
            }
            ++routed;
            adjacent += line_b == line_a + 1;
            REQUIRE(route.size() == (line_b == line_a + 1 ? 4u : 6u));
            const layout_run & ra = l.runs[static_cast<size_t>(l.feature_first_run[static_cast<size_t>(a)])];
            const layout_run & rb = l.runs[static_cast<size_t>(l.feature_first_run[static_cast<size_t>(b)])];
            // From the bottom of the first word to the top of the second, at their centres.
            CHECK(route.front().y == Approx(g.box_max(l, ra).y));
            CHECK(route.front().x == Approx(0.5f * (g.box_min(l, ra).x + g.box_max(l, ra).x)));
            CHECK(route.back().y == Approx(g.box_min(l, rb).y));
            CHECK(route.back().x == Approx(0.5f * (g.box_min(l, rb).x + g.box_max(l, rb).x)));
            for (size_t i = 0; i + 1 < route.size(); ++i) {
                const ImVec2 p = route[i], q = route[i + 1];
                REQUIRE((p.x == q.x || p.y == q.y));  // axis-aligned
                CHECK(std::max(p.x, q.x) <= lane);    // inside the pane: the lane at most
                CHECK(std::min(p.x, q.x) >= 0);
                for (const layout_run & run : l.runs) {
                    if (run.feature >= 0) {
                        INFO("pair " << a << "-" << b << ", segment " << i << ", word " << run.feature);
                        CHECK_FALSE(crosses(p, q, g.box_min(l, run), g.box_max(l, run)));
                    }
                }
            }
        }
    }
    CHECK(routed > 200);
    CHECK(adjacent == 11 * 4);
}
