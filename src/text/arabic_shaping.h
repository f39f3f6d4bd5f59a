// arabic_shaping: Arabic letters in the contextual forms a glyph-by-glyph drawer (Dear ImGui) must
// get for the words to be drawn joined, as Unicode's presentation forms (U+FB50–FDFF Forms-A,
// U+FE70–FEFF Forms-B).
//
// The data is Unicode's own (src/text/arabic_tables.inc, written by
// scripts/unicode/make_arabic_tables.py): joining types from ArabicShaping.txt (T for unlisted
// Mn, Me and Cf), the forms by inverting UnicodeData.txt's <isolated>/<final>/<initial>/<medial>
// decompositions. The rules (The Unicode Standard, §9.2 "Arabic", R1–R7, as a renderer without
// OpenType tables can follow them):
//   - transparent code points (type T: marks, tashkeel, most format characters) are skipped when a
//     letter looks for its neighbours, but no further than max_transparent_skip of them;
//   - a letter joins the one before it when it is R or D and that one is L or D; it joins the one
//     after it when it is L or D and that one is R or D; join-causing U+200D ZWJ and U+0640 TATWEEL
//     (type C) join on both sides, U+200C ZWNJ and everything else of type U on neither;
//   - joined on both sides: medial; before only: final; after only: initial; neither: isolated;
//   - LAM followed by ALEF, ALEF WITH MADDA, HAMZA ABOVE or HAMZA BELOW (with only combining marks
//     between them) is the mandatory ligature U+FEF5–FEFC, isolated or final by LAM's left side;
//     the marks follow the ligature;
//   - a letter with no presentation form stays as it is; a letter that lacks the forms for a side
//     (ALEF MAKSURA has no initial form) joins nothing on that side, so its neighbours do not
//     reach for a join that is not drawn.
// Pure and linear in the bytes shaped (each looks at most max_transparent_skip + 1 code points
// beyond the range); ill-formed UTF-8 passes through byte for byte and joins nothing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::text {

// Transparent code points a letter looks past for a neighbour; beyond this many it has none.
constexpr size_t max_transparent_skip = 64;

// Joining types (ArabicShaping.txt): U non-joining, R right-joining (ALEF, DAL, REH, WAW...),
// L left-joining, D dual-joining, C join-causing (ZWJ, TATWEEL), T transparent (marks).
enum class joining_type : unsigned char { U, R, L, D, C, T };

// The joining type of a code point from Unicode's data.
joining_type joining_type_of(char32_t cp);

// The four positional forms of a letter.
enum class arabic_form : unsigned char { isolated, final_form, initial, medial };

// The presentation form of `letter` in `form`, or 0 when Unicode has none.
char32_t presentation_form(char32_t letter, arabic_form form);

// The LAM-ALEF ligature of LAM followed by `alef` (isolated, or final when LAM joins the letter
// before it), or 0 when `alef` is not one of the four ALEFs that make one.
char32_t lam_alef_ligature(char32_t alef, bool final_form);

// The nominal letters a presentation form of the table stands for (one letter, or LAM and an ALEF
// for a ligature); empty for any other code point.
std::u32string letters_of_form(char32_t form);

// Where shaping took input bytes [source_begin, source_end) to output bytes [out_begin, out_end).
// The pieces of one call tile both in order. A piece is unchanged (the same bytes) or one shaped
// letter: its presentation form, or LAM-ALEF's ligature followed by the marks between them.
struct shaping_piece {
    size_t source_begin = 0;
    size_t source_end   = 0;
    size_t out_begin    = 0;
    size_t out_end      = 0;
    bool   shaped       = false;
};

// The bytes [begin, end) of `utf8` with every Arabic letter in its contextual form; the bytes
// just outside the range (up to max_transparent_skip + 1 code points each side) give the letters
// at its ends their neighbours, so shaping a text piece by piece gives the same forms as shaping
// it whole (a LAM-ALEF ligature forms only when both letters are in the range). `pieces`, when
// given, receives how input maps to output (unchanged stretches merged). begin and end are
// clamped to the text.
std::string shape_arabic(std::string_view utf8, size_t begin, size_t end,
                         std::vector<shaping_piece> * pieces = nullptr);

// The whole text shaped.
std::string shape_arabic(std::string_view utf8);

// Where a LAM-ALEF ligature that starts at byte `pos` of `utf8` ends (past its ALEF), if its ALEF
// lies before `limit`; `pos` when none starts there. What wraps a line between code points must
// not cut a ligature (its letters are one glyph).
size_t lam_alef_end(std::string_view utf8, size_t pos, size_t limit);

}  // namespace spexlens::text
