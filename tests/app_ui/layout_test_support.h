// Helpers shared by the text-layout tests: a monospace measure and the page's main font atlas.
#pragma once

#include "app/ui/font_coverage.h"

#include <fstream>
#include <imgui.h>
#include <iterator>
#include <vector>

namespace ui_test {

// Every code point is 10 pixels wide (continuation bytes add nothing).
inline float monospace(const char * begin, const char * end) {
    float w = 0;
    for (const char * p = begin; p < end; ++p) {
        w += (static_cast<unsigned char>(*p) & 0xC0) != 0x80 ? 10.0f : 0.0f;
    }
    return w;
}

// The page's main font (DejaVu Sans from Debian, installed by scripts/setup.sh) at 15 px with
// the page's primary glyph ranges, built into `atlas`; `font` keeps the TTF's bytes alive.
// Returns false when the font file is missing or the atlas does not build.
inline bool build_main_font_atlas(ImFontAtlas & atlas, std::vector<char> & font) {
    std::ifstream in("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", std::ios::binary);
    if (!in.good()) {
        return false;
    }
    font.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;
    atlas.AddFontFromMemoryTTF(font.data(), static_cast<int>(font.size()), 15.0f, &config,
                               spexlens::app::primary_glyph_ranges);
    return atlas.Build();
}

}  // namespace ui_test
