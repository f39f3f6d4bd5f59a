// bidi: paragraph direction, resolved levels and visual order of Hebrew, Arabic and mixed
// lines. Every expected order below was worked out by hand from UAX #9's rules (the comment on
// each case says which); rev() reverses a word's code points, so "rev(shalom)" is how a
// left-to-right reader of the code points sees שלום on screen.
#include "text/bidi.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace spexlens::text;

namespace {

const std::string shalom  = "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D";          // שלום (hello)
const std::string olam    = "\xD7\xA2\xD7\x95\xD7\x9C\xD7\x9D";          // עולם (world)
const std::string ani     = "\xD7\x90\xD7\xA0\xD7\x99";                  // אני (I)
const std::string ben     = "\xD7\x91\xD7\x9F";                          // בן (aged)
const std::string ala     = "\xD7\xA2\xD7\x9C\xD7\x94";                  // עלה (rose)
const std::string marhaba = "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7";  // مرحبا (hello)
const std::string aam     = "\xD8\xB9\xD8\xA7\xD9\x85";                  // عام (year)

size_t code_point_size(const std::string & s, size_t i) {
    size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) {
        ++j;
    }
    return j - i;
}

// The code points of a well-formed string in reverse order.
std::string rev(const std::string & s) {
    std::vector<std::string> cps;
    for (size_t i = 0; i < s.size(); i += code_point_size(s, i)) {
        cps.push_back(s.substr(i, code_point_size(s, i)));
    }
    std::string out;
    for (size_t k = cps.size(); k-- > 0;) {
        out += cps[k];
    }
    return out;
}

// The text's code points in visual order (left to right), by the levels resolve_bidi gives.
std::string visual(const std::string & s) {
    const bidi_levels          b = resolve_bidi(s);
    std::vector<std::string>   cps;
    std::vector<unsigned char> levels;
    for (size_t i = 0; i < s.size(); i += code_point_size(s, i)) {
        cps.push_back(s.substr(i, code_point_size(s, i)));
        levels.push_back(b.levels[i]);
    }
    std::string out;
    for (size_t k : visual_order(levels)) {
        out += cps[k];
    }
    return out;
}

// The level of every code point, as digits.
std::string level_digits(const std::string & s) {
    const bidi_levels b = resolve_bidi(s);
    std::string       out;
    for (size_t i = 0; i < s.size(); i += code_point_size(s, i)) {
        out += static_cast<char>('0' + b.levels[i]);
    }
    return out;
}

}  // namespace

TEST_CASE("the paragraph direction is the first strong character's (P2-P3)", "[bidi]") {
    CHECK(paragraph_level(shalom + " hello") == 1);
    CHECK(paragraph_level("hello " + shalom) == 0);
    CHECK(paragraph_level("123, (" + shalom + ")") == 1);  // numbers and punctuation are not strong
    CHECK(paragraph_level(marhaba) == 1);                  // Arabic letters (AL) are right to left
    CHECK(paragraph_level("123 ...") == 0);                // no strong character: left to right
    CHECK(paragraph_level("") == 0);
    CHECK(paragraph_level("42\n" + shalom) == 0);  // the first paragraph ends at the newline
}

TEST_CASE("a Hebrew sentence is one right-to-left stretch, drawn reversed", "[bidi]") {
    const std::string text = shalom + " " + olam;
    CHECK(level_digits(text) == "111111111");
    CHECK(visual(text) == rev(olam) + " " + rev(shalom));
}

TEST_CASE("an English sentence with a Hebrew word keeps its order around it", "[bidi]") {
    // The spaces between "said" and the Hebrew word sit between L and R: N2 gives them the
    // paragraph's direction (0).
    const std::string text = "I said " + shalom + " to him";
    CHECK(level_digits(text) == "000000011110000000");
    CHECK(visual(text) == "I said " + rev(shalom) + " to him");
}

TEST_CASE("two Hebrew words in an English sentence are reversed together, the comma between them too", "[bidi]") {
    // ", " lies between R and R: N1 makes it R. The final "." lies between L and eos (L).
    const std::string text = "He said " + shalom + ", " + olam + " today.";
    CHECK(visual(text) == "He said " + rev(olam) + " ," + rev(shalom) + " today.");
}

TEST_CASE("a Hebrew sentence with an English word and a number", "[bidi]") {
    // אני Bob בן 30: "Bob" is L at level 2 (I2); "30" is EN with R before it (W7 does not
    // apply), level 2; the spaces between R and L fall back to the paragraph's R (level 1).
    const std::string text = ani + " Bob " + ben + " 30";
    CHECK(level_digits(text) == "1111222111122");
    CHECK(visual(text) == "30 " + rev(ben) + " Bob " + rev(ani));
}

TEST_CASE("a number after an English word in a Hebrew sentence joins the English stretch (W7)", "[bidi]") {
    // "iPhone 15": 15 follows the strong L, so it becomes L, and the space between is L too.
    const std::string text = shalom + " iPhone 15";
    CHECK(level_digits(text) == "11111222222222");
    CHECK(visual(text) == "iPhone 15 " + rev(shalom));
}

TEST_CASE("separators and terminators inside a number stay with it (W4, W5)", "[bidi]") {
    // עלה 3.5%: "." between two EN is EN (W4), "%" next to EN is EN (W5): "3.5%" at level 2.
    const std::string text = ala + " 3.5%";
    CHECK(level_digits(text) == "11112222");
    CHECK(visual(text) == "3.5% " + rev(ala));
}

TEST_CASE("Arabic letters and numbers", "[bidi]") {
    CHECK(level_digits(marhaba) == "11111");
    CHECK(visual(marhaba) == rev(marhaba));
    // A European number after Arabic letters is an Arabic number (W2); either way level 2.
    const std::string year = aam + " 2024";
    CHECK(level_digits(year) == "11112222");
    CHECK(visual(year) == "2024 " + rev(aam));
    // Arabic-Indic digits (AN) ٢٠٢٤ keep their order too.
    const std::string indic = aam + " \xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA4";
    CHECK(visual(indic) == "\xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA4 " + rev(aam));
}

TEST_CASE("punctuation at the edges of a right-to-left paragraph", "[bidi]") {
    // "(" between sos (R) and R, ")." between R and eos (R): all level 1.
    const std::string text = "(" + shalom + ").";
    CHECK(level_digits(text) == "1111111");
    CHECK(visual(text) == ".)" + rev(shalom) + "(");
    // Drawn, the brackets are mirrored (L4) so they still enclose the word.
    CHECK(reversed_for_display(text) == ".(" + rev(shalom) + ")");
    // An English paragraph ending in a Hebrew word and "!": the "!" lies between R and eos
    // (L), so it takes the paragraph's direction and stays at the end.
    CHECK(visual("Say " + shalom + "!") == "Say " + rev(shalom) + "!");
}

TEST_CASE("every paragraph has its own direction, and trailing spaces take it (P1, L1)", "[bidi]") {
    const std::string text = shalom + " \nhello " + olam;
    const bidi_levels b    = resolve_bidi(text);
    REQUIRE(b.paragraphs.size() == 2);
    CHECK(b.paragraphs[0].begin == 0);
    CHECK(b.paragraphs[0].end == 10);  // 8 bytes of Hebrew, the space and the newline
    CHECK(b.paragraphs[0].level == 1);
    CHECK(b.paragraphs[1].level == 0);
    CHECK(b.paragraph_level_at(3) == 1);
    CHECK(b.paragraph_level_at(12) == 0);
    CHECK(b.paragraph_level_at(999) == 0);
    CHECK(level_digits(text) == "1111"
                                "11"
                                "000000"
                                "1111");
    // CR LF ends one paragraph, not two.
    CHECK(resolve_bidi("a\r\nb").paragraphs.size() == 2);
    // A space at the end of a left-to-right paragraph after Hebrew is at level 0 (L1), not 1.
    CHECK(level_digits("a " + shalom + " ") == "0011110");
}

TEST_CASE("L2 reverses from the highest level down to the lowest odd one", "[bidi]") {
    CHECK(visual_order({}).empty());
    CHECK(visual_order({0, 0, 0}) == std::vector<size_t>{0, 1, 2});
    CHECK(visual_order({0, 1, 1, 0}) == std::vector<size_t>{0, 2, 1, 3});
    CHECK(visual_order({1, 1, 1}) == std::vector<size_t>{2, 1, 0});
    CHECK(visual_order({1, 2, 2, 1, 1}) == std::vector<size_t>{4, 3, 1, 2, 0});
    CHECK(visual_order({0, 1, 2, 2, 1, 0}) == std::vector<size_t>{0, 4, 2, 3, 1, 5});
}

TEST_CASE("a reversed run keeps combining marks after their base", "[bidi]") {
    // שָׁ: shin, qamats, shin dot; then lamed. Reversed: lamed, then the shin with its marks.
    const std::string shin_marks = "\xD7\xA9\xD6\xB8\xD7\x81";
    const std::string lamed      = "\xD7\x9C";
    CHECK(reversed_for_display(shin_marks + lamed) == lamed + shin_marks);
    CHECK(reversed_for_display("") == "");
    CHECK(reversed_for_display("\xC2\xAB"
                               "a"
                               "\xC2\xBB") == "\xC2\xAB"
                                              "a"
                                              "\xC2\xBB");  // « a » mirrored back
}

TEST_CASE("empty and ill-formed UTF-8 give levels for every byte and no crash", "[bidi]") {
    const bidi_levels empty = resolve_bidi("");
    CHECK(empty.levels.empty());
    CHECK(empty.paragraphs.empty());
    const std::string bad = "\xFF" + shalom + "\xC3 \xE2\x82";
    const bidi_levels b   = resolve_bidi(bad);
    REQUIRE(b.levels.size() == bad.size());
    CHECK(b.paragraphs.size() == 1);
    CHECK(b.paragraphs[0].level == 1);  // the broken bytes are neutral; the Hebrew is the first strong
    CHECK(reversed_for_display(bad).size() == bad.size());

    // Random bytes (seeded): levels stay within 0..2 and cover the text; a reversed run keeps
    // every byte. On well-formed text, reversing twice gives the text back.
    std::mt19937                       rng(14);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> pick(0, 7);
    const std::vector<std::string>     parts = {shalom, marhaba, "ab", " ", "(", "3", "\xD6\xB8", "\xC2\xBB"};
    for (int round = 0; round < 300; ++round) {
        std::string random_bytes, well_formed = "x";  // a base first: a leading mark has none
        for (int i = 0; i < 24; ++i) {
            random_bytes += static_cast<char>(byte(rng));
            well_formed += parts[static_cast<size_t>(pick(rng))];
        }
        const bidi_levels r = resolve_bidi(random_bytes);
        REQUIRE(r.levels.size() == random_bytes.size());
        for (unsigned char level : r.levels) {
            REQUIRE(level <= 2);
        }
        REQUIRE(reversed_for_display(random_bytes).size() == random_bytes.size());
        REQUIRE(reversed_for_display(reversed_for_display(well_formed)) == well_formed);
    }
}

TEST_CASE("a label is drawn in visual order, line by line", "[bidi]") {
    CHECK(visual_label("") == "");
    CHECK(visual_label("not good") == "not good");
    CHECK(visual_label(shalom) == rev(shalom));
    // An interaction's words as the list shows them: "שלום + Bob" is a right-to-left label
    // (first strong is Hebrew): Bob, then " + ", then the Hebrew word at the right.
    CHECK(visual_label(shalom + " + Bob") == "Bob + " + rev(shalom));
    CHECK(visual_label("Bob + " + shalom) == "Bob + " + rev(shalom));
    CHECK(visual_label("(" + shalom + ")") == "(" + rev(shalom) + ")");  // mirrored brackets
    CHECK(visual_label(shalom + "\nhi " + olam) == rev(shalom) + "\nhi " + rev(olam));
    CHECK(visual_label("\xFF" + shalom).size() == shalom.size() + 1);
}
