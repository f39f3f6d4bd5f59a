// font_coverage: see font_coverage.h.
#include "app/ui/font_coverage.h"

#include "text/arabic_shaping.h"

#include <imgui_internal.h>  // ImTextCharFromUtf8: decode as ImGui draws

namespace spexlens::app {

// Latin (with extensions and IPA), combining marks, Greek, Cyrillic, Latin extended additional,
// punctuation, currency, letter-like symbols, arrows, maths (∧, ≈, ≤), box drawing, geometric
// shapes, miscellaneous symbols and check marks: what DejaVu Sans covers and the page uses.
// Hebrew and Arabic too (right to left, text/bidi.h), with the Arabic presentation forms the
// shaping draws (text/arabic_shaping.h; DejaVu Sans has Forms-B and the letters' forms of Forms-A).
const ImWchar primary_glyph_ranges[] = {
    0x0020, 0x024F, 0x0250, 0x02FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x0400, 0x052F, 0x0590, 0x05FF, 0x0600,
    0x06FF, 0x1E00, 0x1EFF, 0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F, 0x2190, 0x21FF, 0x2200, 0x22FF,
    0x2500, 0x25FF, 0x2600, 0x26FF, 0x2713, 0x2717, 0xFB50, 0xFBFF, 0xFE70, 0xFEFC, 0,
};

namespace {

// What cjk-fallback.ttf holds (cmake/assemble_site.cmake subsets Droid Sans Fallback to these).
constexpr unsigned int fallback_ranges[][2] = {
    {0x3000, 0x30FF},  // CJK symbols and punctuation, hiragana, katakana
    {0x3130, 0x318F},  // Hangul compatibility jamo
    {0x31F0, 0x31FF},  // katakana phonetic extensions
    {0x3200, 0x32FF},  // enclosed CJK letters and months
    {0x4E00, 0x9FFF},  // CJK unified ideographs
    {0xAC00, 0xD7AF},  // Hangul syllables
    {0xF900, 0xFAFF},  // CJK compatibility ideographs
    {0xFF00, 0xFFEF},  // half-width and full-width forms
};

bool in_ranges(const ImWchar * ranges, unsigned int c) {
    for (const ImWchar * r = ranges; r[0] != 0; r += 2) {
        if (c >= r[0] && c <= r[1]) {
            return true;
        }
    }
    return false;
}

// Calls f(c) for every code point of a UTF-8 text (invalid bytes decode as U+FFFD).
template <typename F> void for_each_code_point(const std::string & utf8, F f) {
    const char * p   = utf8.data();
    const char * end = p + utf8.size();
    while (p < end) {
        unsigned int c   = 0;
        const int    len = ImTextCharFromUtf8(&c, p, end);
        p += len > 0 ? len : 1;
        f(c);
    }
}

}  // namespace

bool in_primary_ranges(unsigned int c) { return in_ranges(primary_glyph_ranges, c); }

bool in_fallback_ranges(unsigned int c) {
    for (const auto & r : fallback_ranges) {
        if (c >= r[0] && c <= r[1]) {
            return true;
        }
    }
    return false;
}

bool fallback_glyphs::add_text(const std::string & utf8) {
    bool added = false;
    for_each_code_point(utf8, [&](unsigned int c) {
        if (in_primary_ranges(c) || !in_fallback_ranges(c)) {
            return;
        }
        const auto glyph = static_cast<ImWchar>(c);
        if (needed_.count(glyph)) {
            return;
        }
        if (needed_.size() >= max_glyphs) {
            capped_ = true;
            return;
        }
        needed_.insert(glyph);
        added = true;
    });
    return added;
}

std::vector<ImWchar> fallback_glyphs::ranges() const {
    std::vector<ImWchar> out;
    for (const ImWchar c : needed_) {
        if (!out.empty() && out.back() + 1 == c) {
            out.back() = c;
        } else {
            out.push_back(c);
            out.push_back(c);
        }
    }
    out.push_back(0);
    return out;
}

size_t missing_glyphs(const ImFont * font, const std::string & utf8) {
    size_t missing = 0;
    for_each_code_point(text::shape_arabic(utf8), [&](unsigned int c) {  // as drawn: Arabic shaped
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == ' ') {
            return;  // controls and spaces are not drawn (past the BMP, emoji, decode as U+FFFD: missing)
        }
        if (!font || !font->FindGlyphNoFallback(static_cast<ImWchar>(c))) {
            ++missing;
        }
    });
    return missing;
}

}  // namespace spexlens::app
