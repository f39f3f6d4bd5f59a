// bidi: right-to-left text for display — the paragraph direction, the embedding level of every
// byte, the visual order of a line's runs, and the code points of a right-to-left run in the
// order a left-to-right glyph drawer must draw them.
//
// A simplification of the Unicode Bidirectional Algorithm (UAX #9), enough for plain text that
// mixes Hebrew or Arabic with Latin words and numbers:
//   kept:      P1 (paragraphs end at a newline, U+2029 or another class-B character), P2–P3
//              (first strong character), W1–W7 (marks, Arabic and European numbers with their
//              separators and terminators), N1–N2 (neutrals from their neighbours, else the
//              paragraph's direction), I1–I2, L1 (trailing white space and tabs at paragraph
//              level; the layout applies it at its own line ends), L2 (reversal), and for a
//              reversed run L3's spirit (a combining mark stays after its base) and L4 for
//              brackets (mirrored: '(' drawn as ')').
//   left out:  explicit embeddings, overrides and isolates (X1–X10: LRE, RLE, LRO, RLO, PDF,
//              LRI, RLI, FSI and PDI are treated as invisible, like BN, so text inside them
//              takes the surrounding direction), bracket pairs (N0), mirroring beyond the ASCII
//              brackets and « » ‹ ›.
// Arabic letters are drawn joined: display_form and visual_label shape them (arabic_shaping.h:
// contextual forms and the LAM-ALEF ligature from Unicode's data) before reversing a run.
// Ill-formed UTF-8 is decoded byte by byte as U+FFFD (a neutral), so any bytes are safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::text {

// One paragraph of a text: bytes [begin, end) (its closing newline included) and its level,
// 0 left to right, 1 right to left.
struct bidi_paragraph {
    size_t begin = 0;
    size_t end   = 0;
    int    level = 0;
};

// A text's resolved levels: one per byte (every byte of a code point has its level; even is
// left to right, odd right to left), and its paragraphs in order.
struct bidi_levels {
    std::vector<unsigned char>  levels;
    std::vector<bidi_paragraph> paragraphs;

    // The paragraph level of the paragraph holding byte `pos` (0 past the end).
    int paragraph_level_at(size_t pos) const;
};

// P2–P3: 1 when the first strong character of `paragraph` is right to left (Hebrew R, Arabic
// AL), 0 when it is left to right or there is none.
int paragraph_level(std::string_view paragraph);

// Splits `utf8` into paragraphs (P1) and resolves the level of every byte (see the list above).
// Linear in the text's length.
bidi_levels resolve_bidi(std::string_view utf8);

// L2: the visual order of items with these levels, left to right, as indices into `levels`:
// from the highest level down to the lowest odd one, every maximal stretch at that level or
// higher is reversed.
std::vector<size_t> visual_order(const std::vector<unsigned char> & levels);

// The UTF-8 of a right-to-left run as a left-to-right drawer must get it: code points
// reversed, each combining mark kept after its base, brackets mirrored. Ill-formed bytes are
// kept, each as one unit. No shaping (display_form shapes, then reverses).
std::string reversed_for_display(std::string_view utf8);

// What a left-to-right glyph drawer must get for the bytes [begin, end) of `text`, a run at one
// level: its Arabic letters shaped with the text around the run as their context
// (shape_arabic(text, begin, end)), then, when `rtl`, reversed as reversed_for_display does.
std::string display_form(std::string_view text, size_t begin, size_t end, bool rtl);

// A short one-line label (a word, an interaction's words) in the order a left-to-right drawer
// must draw it: levels resolved, runs ordered by L2, every run in its display_form. Its
// direction is its own first strong character's. Line breaks are kept in place, not reordered.
std::string visual_label(std::string_view utf8);

}  // namespace spexlens::text
