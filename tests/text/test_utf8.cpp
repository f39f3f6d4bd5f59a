// UTF-8 repair: one U+FFFD per maximal subpart, exactly as Python's
// bytes.decode("utf-8", "replace") (expected values below were produced by Python 3).
#include "text/utf8.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace spexlens::text;
using text_test::from_hex;

namespace {

const std::string fffd = "\xEF\xBF\xBD";

std::string repeat_fffd(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
        s += fffd;
    }
    return s;
}

}  // namespace

TEST_CASE("well-formed UTF-8 passes through unchanged", "[utf8]") {
    const std::string samples[] = {"",
                                   "plain ASCII\t\n",
                                   "caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x91\x8D",
                                   "\xEF\xBF\xBD already a replacement character",
                                   "\xF4\x8F\xBF\xBF",          // U+10FFFF, the last code point
                                   "\xED\x9F\xBF\xEE\x80\x80",  // U+D7FF and U+E000 around the surrogates
                                   std::string("nul\0inside", 10)};
    for (const std::string & s : samples) {
        CHECK(sanitize_utf8(s) == s);
    }
}

TEST_CASE("ill-formed sequences become one U+FFFD per maximal subpart", "[utf8]") {
    struct example {
        const char * hex;
        std::string  expected;
    };
    const std::vector<example> examples = {
        {"80bf", repeat_fffd(2)},           // lone continuation bytes: one each
        {"c0af", repeat_fffd(2)},           // overlong lead C0 is never valid
        {"e08080", repeat_fffd(3)},         // E0 needs A0..BF next
        {"eda080", repeat_fffd(3)},         // encoded surrogate U+D800
        {"f4908080", repeat_fffd(4)},       // above U+10FFFF
        {"f0808080", repeat_fffd(4)},       // overlong 4-byte form
        {"f888808080", repeat_fffd(5)},     // 5-byte forms do not exist
        {"f09f9841", fffd + "A"},           // truncated emoji: its prefix is one subpart
        {"e282", fffd},                     // truncated at the end
        {"e0a0", fffd},                     // truncated after a valid second byte
        {"f18080", fffd},                   // truncated 4-byte sequence
        {"e18078", fffd + "x"},             // interrupted by ASCII
        {"c2", fffd},                       // lone lead at the end
        {"f5", fffd},                       // F5..FF never start a sequence
        {"fffe", repeat_fffd(2)},           // BOM-like bytes of UTF-16
        {"61e2822062", "a" + fffd + " b"},  // the space after a broken sequence survives
    };
    for (const example & e : examples) {
        INFO("input " << e.hex);
        CHECK(sanitize_utf8(from_hex(e.hex)) == e.expected);
    }
}

TEST_CASE("next_code_point walks every encoding length", "[utf8]") {
    const std::string     s = "a\xC3\xA9\xE6\x9D\xB1\xF0\x9F\x91\x8D";
    std::vector<char32_t> cps;
    std::vector<size_t>   positions;
    size_t                pos = 0;
    while (pos < s.size()) {
        cps.push_back(next_code_point(s, pos));
        positions.push_back(pos);
    }
    CHECK(cps == std::vector<char32_t>{0x61, 0xE9, 0x6771, 0x1F44D});
    CHECK(positions == std::vector<size_t>{1, 3, 6, 10});
    CHECK(count_code_points(s) == 4);
    CHECK(count_code_points("") == 0);
}

TEST_CASE("next_code_point never reads past a truncated sequence", "[utf8]") {
    const std::string s   = "\xF0\x9F";  // violates the precondition on purpose
    size_t            pos = 0;
    CHECK(next_code_point(s, pos) == 0xFFFD);
    CHECK(pos == 1);
}

TEST_CASE("append_utf8 encodes the boundaries of every length", "[utf8]") {
    const char32_t cps[] = {0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF};
    for (const char32_t cp : cps) {
        std::string s;
        append_utf8(s, cp);
        size_t pos = 0;
        INFO("code point " << static_cast<unsigned long>(cp));
        CHECK(sanitize_utf8(s) == s);
        CHECK(next_code_point(s, pos) == cp);
        CHECK(pos == s.size());
    }
}
