// text_layout with right-to-left text: visual x of each run for Hebrew, Arabic and mixed
// paragraphs, right alignment and wrapping of a right-to-left paragraph, and hit tests. Fixed
// width measure (10 px per code point): every x below is worked out by hand from the levels
// (tests/text/test_bidi.cpp checks those against UAX #9). Last, the page's main font draws
// Hebrew and Arabic from its own ranges (no '?').
#include "app/ui/font_coverage.h"
#include "app/ui/text_layout.h"
#include "app/ui/view_helpers.h"
#include "layout_test_support.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace spexlens::app;
using ui_test::monospace;

namespace {

const std::string shalom = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D";  // שלום, 4 code points
const std::string olam   = "\xD7\xA2\xD7\x95\xD7\x9C\xD7\x9D";  // עולם, 4
const std::string ani    = "\xD7\x90\xD7\xA0\xD7\x99";          // אני, 3
const std::string ben    = "\xD7\x91\xD7\x9F";                  // בן, 2

// Every run, in reading order, as "line:x:text[:feature]".
std::vector<std::string> describe(const std::string & text, const text_layout & layout) {
    std::vector<std::string> out;
    for (const layout_run & run : layout.runs) {
        out.push_back(std::to_string(run.line) + ":" + std::to_string(static_cast<int>(run.x)) + ":" +
                      text.substr(run.byte_begin, run.byte_end - run.byte_begin) +
                      (run.feature >= 0 ? ":" + std::to_string(run.feature) : ""));
    }
    return out;
}

// The middle of every feature's rectangle hits that feature (the arcs and what-if rely on it).
void check_rects_hit_their_features(const text_layout & l, int features) {
    for (int f = 0; f < features; ++f) {
        const layout_rect r = l.feature_rect(f);
        REQUIRE(r.w > 0);
        CHECK(l.hit_test(r.x + r.w / 2, r.y + r.h / 2) == f);
    }
}

}  // namespace

TEST_CASE("a Hebrew line is right-aligned and its words run right to left", "[text_layout][bidi]") {
    const std::string text = shalom + " " + olam;
    const auto        l    = layout_text(text, {{0, 4}, {5, 9}}, 200, 20, monospace);
    // 90 px of text at the right of 200: עולם at 110, the space at 150, שלום at 160.
    CHECK(describe(text, l) == std::vector<std::string>{"0:160:" + shalom + ":0", "0:150: ", "0:110:" + olam + ":1"});
    REQUIRE(l.line_level.size() == 1);
    CHECK(l.line_level[0] == 1);
    CHECK(l.runs[0].rtl());
    CHECK(l.runs[2].rtl());
    CHECK(l.width == 200);
    CHECK(l.feature_rect(0).x == 160);
    CHECK(l.hit_test(165, 10) == 0);
    CHECK(l.hit_test(115, 10) == 1);
    CHECK(l.hit_test(155, 10) == -1);  // the space
    CHECK(l.hit_test(50, 10) == -1);   // left of the right-aligned line
    check_rects_hit_their_features(l, 2);
}

TEST_CASE("a Hebrew paragraph wraps in reading order and every line is right-aligned", "[text_layout][bidi]") {
    const std::string text = shalom + " " + olam + " " + shalom;
    // Wrap at 95: "שלום עולם" (90) fits, the space and the third word go to line 1.
    const auto l = layout_text(text, {{0, 4}, {5, 9}, {10, 14}}, 95, 20, monospace);
    CHECK(describe(text, l) ==
          std::vector<std::string>{"0:55:" + shalom + ":0", "0:45: ", "0:5:" + olam + ":1", "1:55:" + shalom + ":2"});
    CHECK(l.line_count == 2);
    CHECK(l.line_level == std::vector<int>{1, 1});
    CHECK(l.hit_test(60, 30) == 2);
    CHECK(l.hit_test(60, 10) == 0);
    CHECK(l.hit_test(10, 10) == 1);
    check_rects_hit_their_features(l, 3);
}

TEST_CASE("Hebrew words in an English sentence are reversed in place", "[text_layout][bidi]") {
    const std::string text = "He said " + shalom + " " + olam + " today";
    const auto        l    = layout_text(text, {{0, 2}, {3, 7}, {8, 12}, {13, 17}, {18, 23}}, 1000, 20, monospace);
    // Levels: "He said " 0, "שלום עולם" 1 (the space between two R is R), " today" 0.
    CHECK(describe(text, l) == std::vector<std::string>{"0:0:He:0", "0:20: ", "0:30:said:1",
                                                        "0:70: ", "0:130:" + shalom + ":2",
                                                        "0:120: ", "0:80:" + olam + ":3", "0:170: ", "0:180:today:4"});
    CHECK(l.line_level == std::vector<int>{0});
    CHECK_FALSE(l.runs[0].rtl());
    CHECK(l.runs[4].rtl());
    CHECK(l.width == 230);
    check_rects_hit_their_features(l, 5);
}

TEST_CASE("a Hebrew line with an English word and a number keeps those left to right", "[text_layout][bidi]") {
    // אני Bob בן 30 ("I'm Bob, aged 30"): Bob and 30 at level 2, drawn left to right; the line
    // (130 px) is right-aligned at 200 and read from the right: אני, Bob, בן, 30.
    const std::string text = ani + " Bob " + ben + " 30";
    const auto        l    = layout_text(text, {{0, 3}, {4, 7}, {8, 10}, {11, 13}}, 200, 20, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:170:" + ani + ":0", "0:160: ", "0:130:Bob:1",
                                                        "0:120: ", "0:100:" + ben + ":2", "0:90: ", "0:70:30:3"});
    CHECK(l.runs[0].rtl());
    CHECK_FALSE(l.runs[2].rtl());  // Bob
    CHECK_FALSE(l.runs[6].rtl());  // 30
    CHECK(l.hit_test(135, 5) == 1);
    CHECK(l.hit_test(175, 5) == 0);
    CHECK(l.hit_test(75, 5) == 3);
    check_rects_hit_their_features(l, 4);
}

TEST_CASE("an Arabic line runs right to left", "[text_layout][bidi]") {
    const std::string marhaba = "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7";  // مرحبا, 5
    const std::string aam     = "\xD8\xB9\xD8\xA7\xD9\x85";                  // عام, 3
    const std::string text    = marhaba + " " + aam + " 2024";
    const auto        l       = layout_text(text, {{0, 5}, {6, 9}, {10, 14}}, 150, 20, monospace);
    // 140 px at the right of 150: 2024 (level 2) at 10, space, عام at 60, space, مرحبا at 100.
    CHECK(describe(text, l) ==
          std::vector<std::string>{"0:100:" + marhaba + ":0", "0:90: ", "0:60:" + aam + ":1", "0:50: ", "0:10:2024:2"});
    check_rects_hit_their_features(l, 3);
}

TEST_CASE("each paragraph has its own direction", "[text_layout][bidi]") {
    const std::string text = shalom + "\nhello";
    const auto        l    = layout_text(text, {{0, 4}, {5, 10}}, 100, 20, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:60:" + shalom + ":0", "1:0:hello:1"});
    CHECK(l.line_level == std::vector<int>{1, 0});
}

TEST_CASE("a feature holding English and Hebrew is cut into runs by direction, one feature throughout",
          "[text_layout][bidi]") {
    const std::string text = "I said " + shalom + " to him";
    const auto        l    = layout_text(text, {{0, 18}}, 1000, 20, monospace);
    CHECK(describe(text, l) == std::vector<std::string>{"0:0:I said :0", "0:70:" + shalom + ":0", "0:110: to him:0"});
    CHECK(l.feature_first_run[0] == 0);
    CHECK(l.feature_last_run[0] == 2);
    for (float x = 5; x < 180; x += 10) {
        CHECK(l.hit_test(x, 5) == 0);
    }
}

TEST_CASE("ill-formed UTF-8 beside Hebrew lays out every byte", "[text_layout][bidi]") {
    const std::string text  = "\xFF" + shalom + "\xC3 x";
    const auto        l     = layout_text(text, {{1, 5}}, 100, 20, monospace);
    size_t            bytes = 0;
    for (const layout_run & run : l.runs) {
        bytes += run.byte_end - run.byte_begin;
        CHECK(run.x >= 0);
        CHECK(run.x + run.w <= 100);
    }
    CHECK(bytes == text.size());
    CHECK(l.feature_first_run[0] >= 0);
}

TEST_CASE("the main font's ranges draw Hebrew and Arabic, not '?'", "[fonts][bidi]") {
    std::vector<char> font;
    ImFontAtlas       atlas;
    REQUIRE(ui_test::build_main_font_atlas(atlas, font));  // DejaVu Sans, from scripts/setup.sh
    // "The patient denies chest pain." in Hebrew, with niqqud on the first word, and in Arabic.
    const std::string hebrew =
        "\xD7\x94\xD6\xB7\xD7\x9E\xD6\xBC\xD6\xB8\xD7\x98\xD7\x95\xD6\xBC\xD7\xA4\xD6\xB8\xD7\x9C "
        "\xD7\x9E\xD7\x9B\xD7\x97\xD7\x99\xD7\xA9 \xD7\x9B\xD7\x90\xD7\x91\xD7\x99\xD7\x9D "
        "\xD7\x91\xD7\x97\xD7\x96\xD7\x94.";
    const std::string arabic =
        "\xD8\xA7\xD9\x84\xD9\x85\xD8\xB1\xD9\x8A\xD8\xB6 \xD9\x8A\xD9\x86\xD9\x81\xD9\x8A "
        "\xD8\xA3\xD9\x84\xD9\x85 \xD8\xA7\xD9\x84\xD8\xB5\xD8\xAF\xD8\xB1 \xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA4.";
    CHECK(missing_glyphs(atlas.Fonts[0], hebrew) == 0);
    CHECK(missing_glyphs(atlas.Fonts[0], arabic) == 0);
    CHECK(in_primary_ranges(0x05D0));  // alef
    CHECK(in_primary_ranges(0x0627));  // alif
    CHECK(in_primary_ranges(0xFE8D));  // the presentation forms the shaping draws (ALEF isolated)
}

TEST_CASE("labels and sentences on screen are drawn in display order, exports keep the text's", "[bidi]") {
    using spexlens::app::display_order;
    CHECK(display_order("free \xE2\x88\xA7 lunch") == "free \xE2\x88\xA7 lunch");  // ASCII and symbols: as is
    // "שלום" (shin, lamed, vav, final mem) is drawn final mem first.
    CHECK(display_order("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D") == "\xD7\x9D\xD7\x95\xD7\x9C\xD7\xA9");
    // A pair label that starts in Hebrew reads right to left: its first word is drawn at the right.
    CHECK(display_order("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE2\x88\xA7 world") ==
          "world \xE2\x88\xA7 \xD7\x9D\xD7\x95\xD7\x9C\xD7\xA9");
}
