// font_coverage: which CJK glyphs the texts on screen need, and that with them merged from the
// fallback fonts a Chinese, Japanese and Korean text draws no '?' — with the fonts the page's
// are cut from (DejaVu Sans, Droid Sans Fallback, Nanum Gothic; scripts/setup.sh installs them).
#include "app/ui/font_coverage.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace spexlens::app;

namespace {

std::vector<char> read_bytes(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const std::string dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const std::string droid  = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
const std::string nanum  = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf";  // Droid has no Hangul syllables

// A note in three scripts and English, with CJK punctuation and a full-width digit.
const std::string clinical_cjk = "Patient: 患者否认胸痛。検査は正常です。환자는 흉통을 부인함 （２）";

}  // namespace

TEST_CASE("the CJK glyphs of texts are collected once, merged into ranges, and bounded", "[fonts]") {
    fallback_glyphs g;
    CHECK_FALSE(g.add_text("Free lunch, caf\xC3\xA9, \xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1 \xE2\x89\x88"));
    CHECK(g.empty());
    CHECK(g.add_text("患者否认胸痛。"));
    CHECK(g.size() == 7);
    CHECK_FALSE(g.add_text("胸痛"));                            // nothing new: no rebuild
    CHECK(g.add_text("\xE3\x81\x81\xE3\x81\x82\xE3\x81\x83"));  // U+3041..U+3043: one range
    const std::vector<ImWchar> r = g.ranges();
    REQUIRE(r.size() % 2 == 1);
    CHECK(r.back() == 0);
    size_t covered = 0;
    bool   merged  = false;
    for (size_t i = 0; i + 1 < r.size(); i += 2) {
        CHECK(r[i] <= r[i + 1]);
        covered += static_cast<size_t>(r[i + 1] - r[i] + 1);
        merged = merged || (r[i] == 0x3041 && r[i + 1] == 0x3043);
    }
    CHECK(covered == g.size());
    CHECK(merged);
    CHECK_FALSE(g.capped());
    // Past the cap the rest are left out, and that is recorded.
    std::string many;
    for (unsigned int c = 0x4E00; c < 0x4E00 + 3100; ++c) {
        many += static_cast<char>(0xE0 | (c >> 12));
        many += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        many += static_cast<char>(0x80 | (c & 0x3F));
    }
    g.add_text(many);
    CHECK(g.size() == fallback_glyphs::max_glyphs);
    CHECK(g.capped());
}

TEST_CASE("with the fallback glyphs merged in, a Chinese, Japanese and Korean note draws no '?'", "[fonts]") {
    std::vector<char> main_font = read_bytes(dejavu);
    std::vector<char> cjk_font  = read_bytes(droid);
    std::vector<char> hangul    = read_bytes(nanum);
    {
        ImFontAtlas  atlas;
        ImFontConfig config;
        config.FontDataOwnedByAtlas = false;
        atlas.AddFontFromMemoryTTF(main_font.data(), int(main_font.size()), 15.0f, &config, primary_glyph_ranges);
        REQUIRE(atlas.Build());
        CHECK(missing_glyphs(atlas.Fonts[0], "Patient denies chest pain; caf\xC3\xA9 \xE2\x89\x88 \xE2\x9C\x93") == 0);
        CHECK(missing_glyphs(atlas.Fonts[0], clinical_cjk) >= 20);  // the main font alone: '?'
    }
    fallback_glyphs g;
    REQUIRE(g.add_text(clinical_cjk));
    const std::vector<ImWchar> ranges = g.ranges();
    ImFontAtlas                atlas;
    ImFontConfig               config;
    config.FontDataOwnedByAtlas = false;
    atlas.AddFontFromMemoryTTF(main_font.data(), int(main_font.size()), 15.0f, &config, primary_glyph_ranges);
    ImFontConfig merge;
    merge.MergeMode            = true;
    merge.FontDataOwnedByAtlas = false;
    atlas.AddFontFromMemoryTTF(cjk_font.data(), int(cjk_font.size()), 15.0f, &merge, ranges.data());
    REQUIRE(atlas.Build());
    CHECK(missing_glyphs(atlas.Fonts[0], clinical_cjk) == 9);  // the nine Hangul syllables
    ImFontConfig second;
    second.MergeMode            = true;
    second.FontDataOwnedByAtlas = false;
    atlas.AddFontFromMemoryTTF(hangul.data(), int(hangul.size()), 15.0f, &second, ranges.data());
    REQUIRE(atlas.Build());
    CHECK(missing_glyphs(atlas.Fonts[0], clinical_cjk) == 0);
    // Emoji are outside both fonts (and outside ImGui's 16-bit characters): still counted.
    CHECK(missing_glyphs(atlas.Fonts[0], "\xF0\x9F\x98\x80") == 1);
    // The atlas holds the few glyphs the text needs, not every CJK glyph.
    CHECK(atlas.TexHeight <= 1024);
}
