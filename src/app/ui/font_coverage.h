// font_coverage: which characters the page's fonts can draw, and which glyphs of the CJK
// fallback font the text on screen needs. The page's main font (DejaVu Sans) covers Latin, Greek,
// Cyrillic and symbols (primary_glyph_ranges); Chinese, Japanese and Korean text needs the
// fallback (fonts/cjk-fallback.ttf, a subset of Debian's Droid Sans Fallback), which the page
// loads only when a text needs it. The atlas then gets exactly the fallback glyphs the texts on
// screen use (ImGui 1.86 rasterises every glyph of its ranges up front, so all 27,000 CJK glyphs
// at a HiDPI scale would make an atlas of tens of megabytes).
#pragma once

#include <cstddef>
#include <imgui.h>
#include <set>
#include <string>
#include <vector>

namespace spexlens::app {

// The main font's ranges (pairs of first, last; zero-terminated), for AddFontFromMemoryTTF.
extern const ImWchar primary_glyph_ranges[];

// True when c lies in the main font's ranges.
bool in_primary_ranges(unsigned int c);

// True when c lies in the CJK fallback font's ranges (CJK symbols and punctuation, kana, Hangul,
// CJK unified ideographs, compatibility ideographs, full-width forms).
bool in_fallback_ranges(unsigned int c);

// The fallback glyphs the page's texts need, collected as texts appear. Bounded: past max_glyphs
// distinct characters the rest are left out (drawn as '?', the exports keep them).
class fallback_glyphs {
  public:
    static constexpr size_t max_glyphs = 3000;

    // Adds the fallback characters of a UTF-8 text; true when any was new (rebuild the atlas).
    bool add_text(const std::string & utf8);

    // True when some text needed a character the cap left out.
    bool capped() const { return capped_; }

    bool   empty() const { return needed_.empty(); }
    size_t size() const { return needed_.size(); }

    // The needed characters as atlas ranges (consecutive ones merged; zero-terminated). The
    // vector must outlive the atlas build that reads it.
    std::vector<ImWchar> ranges() const;

  private:
    std::set<ImWchar> needed_;
    bool              capped_ = false;
};

// Characters of a UTF-8 text that `font` cannot draw (spaces and control characters aside), its
// Arabic letters in the shaped forms the page draws: what the page would show as '?'.
size_t missing_glyphs(const ImFont * font, const std::string & utf8);

}  // namespace spexlens::app
