// arabic_shaping: known words checked code point by code point (the expected forms are the ones
// any Arabic renderer draws, written out by hand from the joining rules), the table checked
// against utf8proc's own Unicode data, shaping a text piece by piece against shaping it whole, and
// the display forms of bidi (visual_label, display_form) shaping before they reverse.
#include "text/arabic_shaping.h"
#include "text/bidi.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <utf8proc.h>
#include <vector>

using namespace spexlens::text;

namespace {

// The code points of a UTF-8 string as upper-case hex, space separated; an ill-formed byte as "?XX".
std::string hex(const std::string & utf8) {
    std::string out;
    for (size_t pos = 0; pos < utf8.size();) {
        utf8proc_int32_t cp = 0;
        const auto       n  = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t *>(utf8.data() + pos),
                                               static_cast<utf8proc_ssize_t>(utf8.size() - pos), &cp);
        char             buf[16];
        if (n <= 0) {
            std::snprintf(buf, sizeof buf, "?%02X", static_cast<unsigned char>(utf8[pos]));
            pos += 1;
        } else {
            std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(cp));
            pos += static_cast<size_t>(n);
        }
        out += (out.empty() ? "" : " ") + std::string(buf);
    }
    return out;
}

std::string utf8_of(std::initializer_list<char32_t> cps) {
    std::string out;
    for (const char32_t cp : cps) {
        utf8proc_uint8_t buf[4];
        const auto       n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
        out.append(reinterpret_cast<const char *>(buf), static_cast<size_t>(n));
    }
    return out;
}

std::string nfkd(const std::string & utf8) {
    utf8proc_uint8_t * p   = utf8proc_NFKD(reinterpret_cast<const utf8proc_uint8_t *>(utf8.c_str()));
    std::string        out = p != nullptr ? reinterpret_cast<const char *>(p) : "";
    std::free(p);
    return out;
}

std::string shaped_hex(std::initializer_list<char32_t> cps) { return hex(shape_arabic(utf8_of(cps))); }

}  // namespace

TEST_CASE("Arabic words are shaped into their joined forms", "[arabic]") {
    // سلام: SEEN initial, LAM + ALEF the final LAM-ALEF ligature, MEEM isolated (ALEF joins nothing after it).
    CHECK(shaped_hex({0x0633, 0x0644, 0x0627, 0x0645}) == "FEB3 FEFC FEE1");
    // العربية: ALEF + LAM is no ligature (only LAM + ALEF is); ALEF isolated, LAM initial, AIN medial, REH
    // final, BEH initial, YEH medial, TEH MARBUTA final.
    CHECK(shaped_hex({0x0627, 0x0644, 0x0639, 0x0631, 0x0628, 0x064A, 0x0629}) == "FE8D FEDF FECC FEAE FE91 FEF4 FE94");
    // مرحبا: MEEM initial, REH final, HAH initial, BEH medial, ALEF final.
    CHECK(shaped_hex({0x0645, 0x0631, 0x062D, 0x0628, 0x0627}) == "FEE3 FEAE FEA3 FE92 FE8E");
    // A lone letter is isolated; the Persian PEH takes its forms from Forms-A.
    CHECK(shaped_hex({0x0628}) == "FE8F");
    CHECK(shaped_hex({0x067E, 0x067E, 0x067E}) == "FB58 FB59 FB57");
}

TEST_CASE("tashkeel marks are looked past and kept after their letters", "[arabic]") {
    // مُحَمَّد: MEEM initial + DAMMA, HAH medial + FATHA, MEEM medial + SHADDA + FATHA, DAL final.
    CHECK(shaped_hex({0x0645, 0x064F, 0x062D, 0x064E, 0x0645, 0x0651, 0x064E, 0x062F}) ==
          "FEE3 064F FEA4 064E FEE4 0651 064E FEAA");
    // لَا: LAM + FATHA + ALEF is still the ligature, the mark after it; after BEH it is final.
    CHECK(shaped_hex({0x0644, 0x064E, 0x0627}) == "FEFB 064E");
    CHECK(shaped_hex({0x0628, 0x0644, 0x064E, 0x0627}) == "FE91 FEFC 064E");
    // Up to max_transparent_skip marks are looked past, not more.
    std::string near = utf8_of({0x0628});
    for (size_t i = 0; i < max_transparent_skip; ++i) {
        near += utf8_of({0x064E});
    }
    const std::string far = near + utf8_of({0x064E});
    CHECK(hex(shape_arabic(near + utf8_of({0x0628}))).substr(0, 4) == "FE91");
    CHECK(hex(shape_arabic(far + utf8_of({0x0628}))).substr(0, 4) == "FE8F");
}

TEST_CASE("the LAM-ALEF ligatures, and what is not one", "[arabic]") {
    CHECK(shaped_hex({0x0644, 0x0622}) == "FEF5");  // ALEF WITH MADDA ABOVE
    CHECK(shaped_hex({0x0644, 0x0623}) == "FEF7");  // HAMZA ABOVE
    CHECK(shaped_hex({0x0644, 0x0625}) == "FEF9");  // HAMZA BELOW
    CHECK(shaped_hex({0x0628, 0x0644, 0x0627}) == "FE91 FEFC");
    CHECK(shaped_hex({0x0644, 0x0628}) == "FEDF FE90");               // LAM + BEH: joined, no ligature
    CHECK(shaped_hex({0x0644, 0x200D, 0x0627}) == "FEDF 200D FE8E");  // ZWJ between: joined, no ligature
    CHECK(shaped_hex({0x0644, 0x0671}) == "FEDF FB51");               // ALEF WASLA has no ligature
    // الإسلام: ALEF, LAM + HAMZA-BELOW ALEF isolated (ALEF joins nothing after it), SEEN initial, the final
    // ligature, MEEM isolated.
    CHECK(shaped_hex({0x0627, 0x0644, 0x0625, 0x0633, 0x0644, 0x0627, 0x0645}) == "FE8D FEF9 FEB3 FEFC FEE1");
}

TEST_CASE("ZWJ and TATWEEL cause joins, ZWNJ and other scripts stop them", "[arabic]") {
    CHECK(shaped_hex({0x0628, 0x200D}) == "FE91 200D");  // ZWJ after: initial
    CHECK(shaped_hex({0x200D, 0x0628}) == "200D FE90");  // ZWJ before: final
    CHECK(shaped_hex({0x200D, 0x0628, 0x200D}) == "200D FE92 200D");
    CHECK(shaped_hex({0x0628, 0x0640}) == "FE91 0640");               // TATWEEL
    CHECK(shaped_hex({0x0628, 0x200C, 0x0628}) == "FE8F 200C FE8F");  // ZWNJ: both isolated
    CHECK(shaped_hex({'a', 0x0628, 'b'}) == "0061 FE8F 0062");        // a letter between Latin ones
    CHECK(shaped_hex({0x0628, ' ', 0x0628}) == "FE8F 0020 FE8F");
    CHECK(shaped_hex({0x0628, 0x0710, 0x0628}) == "FE8F 0710 FE8F");  // Syriac ALAPH has no form: as it is
    CHECK(shaped_hex({0x05D0, 0x0628}) == "05D0 FE8F");               // Hebrew joins nothing
}

TEST_CASE("a letter lacking a side's forms joins nothing on that side", "[arabic]") {
    // NOON GHUNNA is dual-joining but Unicode gives it only isolated and final forms.
    CHECK(joining_type_of(0x06BA) == joining_type::D);
    CHECK(presentation_form(0x06BA, arabic_form::initial) == 0);
    CHECK(shaped_hex({0x06BA, 0x0628}) == "FB9E FE8F");
    CHECK(shaped_hex({0x0628, 0x06BA}) == "FE91 FB9F");
}

TEST_CASE("ill-formed bytes pass through and join nothing", "[arabic]") {
    CHECK(hex(shape_arabic("\xFF" + utf8_of({0x0628}))) == "?FF FE8F");
    CHECK(hex(shape_arabic(utf8_of({0x0628}) + "\xD8")) == "FE8F ?D8");
    CHECK(hex(shape_arabic(utf8_of({0x0628}) + "\x80" + utf8_of({0x0628}))) == "FE8F ?80 FE8F");
    CHECK(shape_arabic("") == "");
    CHECK(shape_arabic("plain ASCII (stays)") == "plain ASCII (stays)");
    CHECK(shape_arabic("abc", 2, 99) == "c");  // clamped
    CHECK(shape_arabic("abc", 5, 1) == "");
}

TEST_CASE("the joining types and forms are Unicode's", "[arabic]") {
    CHECK(joining_type_of(0x0627) == joining_type::R);  // ALEF
    CHECK(joining_type_of(0x0628) == joining_type::D);  // BEH
    CHECK(joining_type_of(0x0640) == joining_type::C);  // TATWEEL
    CHECK(joining_type_of(0x200D) == joining_type::C);  // ZWJ
    CHECK(joining_type_of(0x200C) == joining_type::U);  // ZWNJ, listed
    CHECK(joining_type_of(0x064E) == joining_type::T);  // FATHA, listed as Mn
    CHECK(joining_type_of(0x0301) == joining_type::T);  // a Latin mark: T from its category
    CHECK(joining_type_of(0x200E) == joining_type::T);  // LRM: Cf
    CHECK(joining_type_of('a') == joining_type::U);
    CHECK(lam_alef_ligature(0x0627, false) == 0xFEFB);
    CHECK(lam_alef_ligature(0x0628, false) == 0);
    CHECK(letters_of_form(0xFEFC) == std::u32string{0x0644, 0x0627});
    CHECK(letters_of_form(0xFE91) == std::u32string{0x0628});
    CHECK(letters_of_form('a').empty());
    // Every form of the table has the <isolated>, <final>, <initial> or <medial> tag of its slot in
    // utf8proc's copy of UnicodeData.txt, and the same NFKD as the letters it stands for.
    int checked = 0;
    for (char32_t cp = 0xFB50; cp <= 0xFEFC; ++cp) {
        const std::u32string letters = letters_of_form(cp);
        if (letters.empty()) {
            continue;
        }
        INFO("U+" << std::hex << static_cast<unsigned>(cp));
        const auto     type = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->decomp_type;
        const bool     lig  = letters.size() == 2;
        const char32_t isolated =
            lig ? lam_alef_ligature(letters[1], false) : presentation_form(letters[0], arabic_form::isolated);
        const char32_t final_form =
            lig ? lam_alef_ligature(letters[1], true) : presentation_form(letters[0], arabic_form::final_form);
        CHECK((type == UTF8PROC_DECOMP_TYPE_ISOLATED) == (cp == isolated));
        CHECK((type == UTF8PROC_DECOMP_TYPE_FINAL) == (cp == final_form));
        CHECK((type == UTF8PROC_DECOMP_TYPE_INITIAL) ==
              (cp == presentation_form(letters[0], arabic_form::initial) && !lig));
        CHECK((type == UTF8PROC_DECOMP_TYPE_MEDIAL) ==
              (cp == presentation_form(letters[0], arabic_form::medial) && !lig));
        std::string nominal;
        for (const char32_t c : letters) {
            nominal += utf8_of({c});
        }
        CHECK(nfkd(utf8_of({cp})) == nfkd(nominal));
        ++checked;
    }
    CHECK(checked == 242 + 8);  // the 76 letters' 242 forms and the 8 LAM-ALEF ligatures
}

TEST_CASE("shaping piece by piece gives what shaping the whole text gives", "[arabic]") {
    // "Peace be upon you, Muhammad" with tashkeel, a ZWNJ and Latin between.
    const std::string text =
        utf8_of({0x0627, 0x0644, 0x0633, 0x0651, 0x064E, 0x0644, 0x064E, 0x0627, 0x0645, ' ',    0x0639,
                 0x064E, 0x0644, 0x064E, 0x064A, 0x0652, 0x0643, 0x064F, 0x0645, ' ',    'X',    0x0645,
                 0x064F, 0x062D, 0x064E, 0x0645, 0x0651, 0x064E, 0x062F, 0x200C, 0x0628, 0x0644, 0x0623});
    std::vector<shaping_piece> pieces;
    const std::string          whole = shape_arabic(text, 0, text.size(), &pieces);
    // The pieces tile both sides; a shaped piece is one form (+ marks) standing for its letters.
    size_t source = 0, out = 0;
    for (const shaping_piece & p : pieces) {
        REQUIRE(p.source_begin == source);
        REQUIRE(p.out_begin == out);
        source = p.source_end;
        out    = p.out_end;
    }
    CHECK(source == text.size());
    CHECK(out == whole.size());
    for (size_t cut = 1; cut < text.size(); ++cut) {
        if ((static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
            continue;  // inside a code point
        }
        bool inside_piece = false;  // a ligature across the cut is two letters on either side
        for (const shaping_piece & p : pieces) {
            inside_piece = inside_piece || (p.shaped && p.source_begin < cut && cut < p.source_end);
        }
        if (!inside_piece) {
            INFO("cut at byte " << cut);
            CHECK(hex(shape_arabic(text, 0, cut) + shape_arabic(text, cut, text.size())) == hex(whole));
        }
    }
    // LAM alone, its ALEF outside the range: medial (it joins both), no ligature.
    const std::string salam = utf8_of({0x0633, 0x0644, 0x0627, 0x0645});
    CHECK(hex(shape_arabic(salam, 2, 4)) == "FEE0");
    CHECK(lam_alef_end(salam, 2, salam.size()) == 6);
    CHECK(lam_alef_end(salam, 2, 5) == 2);  // the ALEF is past the limit
    CHECK(lam_alef_end(salam, 0, salam.size()) == 0);
}

TEST_CASE("random bytes: pieces tile the input and shaped pieces are the letters' forms", "[arabic]") {
    std::mt19937                       rng(20261207);
    const std::vector<std::string>     alphabet = {utf8_of({0x0644}),
                                                   utf8_of({0x0627}),
                                                   utf8_of({0x0628}),
                                                   utf8_of({0x064E}),
                                                   utf8_of({0x200D}),
                                                   utf8_of({0x200C}),
                                                   utf8_of({0x0640}),
                                                   utf8_of({0x06BA}),
                                                   "a",
                                                   " ",
                                                   "\xD8",
                                                   "\x80"};
    std::uniform_int_distribution<int> pick(0, static_cast<int>(alphabet.size()) - 1);
    for (int trial = 0; trial < 300; ++trial) {
        std::string text;
        for (int i = 0; i < 24; ++i) {
            text += alphabet[static_cast<size_t>(pick(rng))];
        }
        std::vector<shaping_piece> pieces;
        const std::string          shaped = shape_arabic(text, 0, text.size(), &pieces);
        size_t                     source = 0;
        for (const shaping_piece & p : pieces) {
            REQUIRE(p.source_begin == source);
            source = p.source_end;
            if (!p.shaped) {
                REQUIRE(shaped.substr(p.out_begin, p.out_end - p.out_begin) ==
                        text.substr(p.source_begin, p.source_end - p.source_begin));
            }
        }
        REQUIRE(source == text.size());
        REQUIRE(visual_label(text).size() == shaped.size());
    }
}

TEST_CASE("right-to-left display forms are shaped, then reversed", "[arabic][bidi]") {
    const std::string salam = utf8_of({0x0633, 0x0644, 0x0627, 0x0645});
    CHECK(hex(visual_label(salam)) == "FEE1 FEFC FEB3");
    CHECK(hex(visual_label("Bob + " + salam)) == "0042 006F 0062 0020 002B 0020 FEE1 FEFC FEB3");
    CHECK(hex(display_form(salam, 0, salam.size(), true)) == "FEE1 FEFC FEB3");
    CHECK(hex(display_form(salam, 0, salam.size(), false)) == "FEB3 FEFC FEE1");
    // A run that is part of a word keeps the word's joins: BEH medial in بب|ب.
    const std::string beh3 = utf8_of({0x0628, 0x0628, 0x0628});
    CHECK(hex(display_form(beh3, 2, 4, true)) == "FE92");
    // Marks stay after their (shaped) letters when reversed.
    CHECK(hex(visual_label(utf8_of({0x0645, 0x064F, 0x062F}))) == "FEAA FEE3 064F");
    // Reversing alone does not shape.
    CHECK(reversed_for_display(salam) == utf8_of({0x0645, 0x0627, 0x0644, 0x0633}));
}
