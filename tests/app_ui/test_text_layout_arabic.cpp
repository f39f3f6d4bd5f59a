// text_layout with Arabic: the heat-map measures the shaped glyphs it draws (run_glyphs), a run
// still covers its own bytes (a LAM-ALEF ligature both letters'), a word cut between two features
// keeps its joins across the cut, a word broken across lines is not broken inside a ligature, and
// the page's main font has a glyph for every form the shaping draws of the letters it covers.
// Fixed-width measure: 10 px per code point, so a ligature (two letters, one glyph) is 10 px.
#include "app/ui/font_coverage.h"
#include "app/ui/text_layout.h"
#include "layout_test_support.h"
#include "text/arabic_shaping.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <imgui_internal.h>  // ImTextCharFromUtf8
#include <iterator>
#include <string>
#include <vector>

using namespace spexlens::app;
using ui_test::monospace;

namespace {

// The code points of UTF-8 bytes as upper-case hex, space separated.
std::string hex(const std::string & utf8) {
    std::string  out;
    const char * p = utf8.data();
    while (p < utf8.data() + utf8.size()) {
        unsigned int c   = 0;
        const int    len = ImTextCharFromUtf8(&c, p, utf8.data() + utf8.size());
        p += len > 0 ? len : 1;
        char buf[12];
        std::snprintf(buf, sizeof buf, "%04X", c);
        out += (out.empty() ? "" : " ") + std::string(buf);
    }
    return out;
}

const std::string salam = "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85";  // سلام: SEEN LAM ALEF MEEM, 8 bytes

}  // namespace

TEST_CASE("Arabic words are measured as the shaped glyphs drawn, and cover their own bytes", "[text_layout][arabic]") {
    const std::string text = salam + " " + salam;
    const auto        l    = layout_text(text, {{0, 4}, {5, 9}}, 200, 20, monospace);
    REQUIRE(l.runs.size() == 3);
    // Three glyphs each (SEEN, the LAM-ALEF ligature, MEEM): 30 px, right-aligned at 200.
    CHECK(l.runs[0].w == 30);
    CHECK(l.runs[0].x == 170);
    CHECK(l.runs[2].x == 130);
    CHECK(l.runs[0].byte_begin == 0);
    CHECK(l.runs[0].byte_end == 8);  // the ligature's run covers both of its letters
    CHECK(hex(run_glyphs(text, l.runs[0])) == "FEE1 FEFC FEB3");
    const std::string glyphs = run_glyphs(text, l.runs[0]);
    CHECK(monospace(glyphs.data(), glyphs.data() + glyphs.size()) == l.runs[0].w);
    CHECK(l.hit_test(185, 5) == 0);
    CHECK(l.hit_test(145, 5) == 1);
}

TEST_CASE("a word cut between two features keeps its joins across the cut", "[text_layout][arabic]") {
    // سل | ام: LAM and ALEF in different features make no ligature, but LAM still joins ALEF.
    const auto l = layout_text(salam, {{0, 2}, {2, 4}}, 200, 20, monospace);
    REQUIRE(l.runs.size() == 2);
    CHECK(hex(run_glyphs(salam, l.runs[0])) == "FEE0 FEB3");  // SEEN initial, LAM medial (reversed)
    CHECK(hex(run_glyphs(salam, l.runs[1])) == "FEE1 FE8E");  // ALEF final, MEEM isolated
    CHECK(l.runs[0].w == 20);
    CHECK(l.runs[1].w == 20);
    CHECK(l.runs[0].x == 180);
    CHECK(l.runs[1].x == 160);
}

TEST_CASE("a word broken across lines is not broken inside its LAM-ALEF ligature", "[text_layout][arabic]") {
    const auto               l = layout_text(salam, {{0, 4}}, 15, 20, monospace);  // room for one glyph a line
    std::vector<std::string> lines;
    for (const layout_run & run : l.runs) {
        lines.push_back(std::to_string(run.line) + ":" + std::to_string(run.byte_begin) + "-" +
                        std::to_string(run.byte_end) + ":" + hex(run_glyphs(salam, run)));
    }
    // SEEN initial, the final ligature, MEEM isolated: forms as in the unbroken word.
    CHECK(lines == std::vector<std::string>{"0:0-2:FEB3", "1:2-6:FEFC", "2:6-8:FEE1"});
}

TEST_CASE("the main font draws every form the shaping gives the Arabic letters it covers", "[fonts][arabic]") {
    std::vector<char> font;
    ImFontAtlas       atlas;
    REQUIRE(ui_test::build_main_font_atlas(atlas, font));  // DejaVu Sans, from scripts/setup.sh
    const ImFont * f     = atlas.Fonts[0];
    int            forms = 0;
    for (char32_t letter = 0x0620; letter <= 0x06FF; ++letter) {
        if (!f->FindGlyphNoFallback(static_cast<ImWchar>(letter))) {
            continue;  // the letter itself is not drawn: nor are its forms
        }
        for (int k = 0; k < 4; ++k) {
            const char32_t form =
                spexlens::text::presentation_form(letter, static_cast<spexlens::text::arabic_form>(k));
            if (form != 0) {
                INFO("U+" << std::hex << static_cast<unsigned>(form));
                CHECK(f->FindGlyphNoFallback(static_cast<ImWchar>(form)));
                ++forms;
            }
        }
    }
    for (const char32_t alef : {0x0622, 0x0623, 0x0625, 0x0627}) {
        CHECK(f->FindGlyphNoFallback(static_cast<ImWchar>(spexlens::text::lam_alef_ligature(alef, false))));
        CHECK(f->FindGlyphNoFallback(static_cast<ImWchar>(spexlens::text::lam_alef_ligature(alef, true))));
    }
    CHECK(forms > 200);
    // "The patient does not complain of chest pain." with the drawn (shaped) forms counted.
    CHECK(missing_glyphs(f, "\xD8\xA7\xD9\x84\xD9\x85\xD8\xB1\xD9\x8A\xD8\xB6 \xD9\x84\xD8\xA7 "
                            "\xD9\x8A\xD8\xB4\xD9\x83\xD9\x88 \xD9\x85\xD9\x86 \xD8\xA3\xD9\x84\xD9\x85 "
                            "\xD8\xA7\xD9\x84\xD8\xB5\xD8\xAF\xD8\xB1") == 0);
}
