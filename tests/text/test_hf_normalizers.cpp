// Hugging Face normalizers (src/text/hf/normalizers.h) and normalized_string alignments. The
// expected texts were produced by the JS port @huggingface/tokenizers 0.2.0, the parity oracle
// (its Tokenizer's normalizer on the same config and input).
#include "text/hf/hf_types.h"
#include "text/hf/normalizers.h"
#include "text/hf/unicode.h"
#include "text/text_error.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace spexlens::text;
using namespace spexlens::text::hf;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

normalized_string normalize_with(const json & config, const std::string & input) {
    const std::unique_ptr<normalizer> n = parse_normalizer(config);
    REQUIRE(n != nullptr);
    normalized_string s(input);
    n->normalize(s);
    REQUIRE(s.alignments().size() == s.str().size());
    return s;
}

// The original text behind normalized bytes [start, end).
std::string original_of(const normalized_string & s, const std::string & input, size_t start, size_t end) {
    const byte_range r = s.original({start, end});
    return input.substr(r.start, r.size());
}

// The original text behind the first occurrence of `needle` in the normalized text.
std::string original_of(const normalized_string & s, const std::string & input, const std::string & needle) {
    const size_t at = s.str().find(needle);
    REQUIRE(at != std::string::npos);
    return original_of(s, input, at, at + needle.size());
}

const json bert_uncased = {{"type", "BertNormalizer"},
                           {"clean_text", true},
                           {"handle_chinese_chars", true},
                           {"strip_accents", nullptr},
                           {"lowercase", true}};

}  // namespace

TEST_CASE("normalized_string aligns every byte with its original code point", "[hf][normalizer]") {
    const std::string input = "a\xC3\xA9\xE4\xB8\xAD";  // "aé中"
    normalized_string s(input, 10);
    CHECK(s.str() == input);
    CHECK(s.original_span() == byte_range{10, 16});
    CHECK(s.original({1, 3}) == byte_range{11, 13});
    CHECK(s.original({3, 6}) == byte_range{13, 16});
    CHECK(s.original({1, 1}) == byte_range{11, 11});  // an empty range keeps its place
    CHECK(s.original({6, 6}) == byte_range{16, 16});

    const normalized_string tail = s.slice({1, 6});
    CHECK(tail.str() == "\xC3\xA9\xE4\xB8\xAD");
    CHECK(tail.original_span() == byte_range{11, 16});
    CHECK(tail.original({0, 2}) == byte_range{11, 13});
}

TEST_CASE("normalized_string::transform follows the Rust transform_range rules", "[hf][normalizer]") {
    normalized_string s("abc");
    // Remove "a", replace "b" by "X", insert "Y" after it, replace "c" by "Z".
    s.transform({{U'X', 0}, {U'Y', 1}, {U'Z', 0}}, 1);
    CHECK(s.str() == "XYZ");
    CHECK(s.original({0, 1}) == byte_range{1, 2});
    CHECK(s.original({1, 2}) == byte_range{1, 2});  // inserted: aligned with the code point before it
    CHECK(s.original({2, 3}) == byte_range{2, 3});
    CHECK(s.original_span() == byte_range{0, 3});  // the whole piece still covers the removed "a"

    normalized_string t("abc");
    t.transform({{U'>', 1}, {U'a', -2}}, 0);  // insert at the start, then "a" swallows "b" and "c"
    CHECK(t.str() == ">a");
    CHECK(t.original({0, 1}) == byte_range{0, 1});  // at the start: aligned with the code point after it
    CHECK(t.original({1, 2}) == byte_range{0, 1});
}

TEST_CASE("BertNormalizer cleans, pads CJK, lowercases and strips accents as the JS port", "[hf][normalizer]") {
    const std::string       input = "H\xC3\xA9llo \xE4\xB8\xAD\xE6\x96\x87!";  // "Héllo 中文!"
    const normalized_string s     = normalize_with(bert_uncased, input);
    CHECK(s.str() == "hello  \xE4\xB8\xAD  \xE6\x96\x87 !");
    CHECK(original_of(s, input, "e") == "\xC3\xA9");  // "e" is what is left of "é"
    CHECK(original_of(s, input, "\xE4\xB8\xAD") == "\xE4\xB8\xAD");
    CHECK(original_of(s, input, 6, 7) == "\xE4\xB8\xAD");  // the padding space before 中 comes from 中
    CHECK(original_of(s, input, "!") == "!");

    // Controls and U+FFFD go, tab becomes a space, Σ before a letter stays σ (JS port output).
    const std::string raw =
        "H\xC3\xA9llo \xE4\xB8\xAD\xE6\x96\x87!\t\xCE\x91\xCE\xA3\xE2\x80\x8B" + std::string(1, '\0') + "x";
    CHECK(normalize_with(bert_uncased, raw).str() == "hello  \xE4\xB8\xAD  \xE6\x96\x87 ! \xCE\xB1\xCF\x83x");

    // Cased BERT (lowercase false, strip_accents null) keeps the accent and the case.
    const json cased = {{"type", "BertNormalizer"},
                        {"clean_text", true},
                        {"handle_chinese_chars", true},
                        {"strip_accents", nullptr},
                        {"lowercase", false}};
    CHECK(normalize_with(cased, input).str() == "H\xC3\xA9llo  \xE4\xB8\xAD  \xE6\x96\x87 !");
    // strip_accents true without lowercase strips (and leaves NFD behind).
    json strip             = cased;
    strip["strip_accents"] = true;
    CHECK(normalize_with(strip, "H\xC3\xA9!").str() == "He!");
}

TEST_CASE("NFKC, NFC and NFD keep alignments on the characters they came from", "[hf][normalizer]") {
    const std::string       ligature = "\xEF\xAC\x81ne \xE2\x91\xA0";  // "ﬁne ①"
    const normalized_string k        = normalize_with({{"type", "NFKC"}}, ligature);
    CHECK(k.str() == "fine 1");
    CHECK(original_of(k, ligature, 0, 1) == "\xEF\xAC\x81");  // "f" and "i" both come from "ﬁ"
    CHECK(original_of(k, ligature, 1, 2) == "\xEF\xAC\x81");
    CHECK(original_of(k, ligature, 0, 3) == "\xEF\xAC\x81n");
    CHECK(original_of(k, ligature, 5, 6) == "\xE2\x91\xA0");

    // NFC composes "e" + U+0301 and Hangul jamo; the composite covers all its parts.
    const std::string       decomposed = "e\xCC\x81 \xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8 \xE2\x84\xAB";  // "é 각 Å"
    const normalized_string c          = normalize_with({{"type", "NFC"}}, decomposed);
    CHECK(c.str() == "\xC3\xA9 \xEA\xB0\x81 \xC3\x85");
    CHECK(original_of(c, decomposed, "\xC3\xA9") == "e\xCC\x81");
    CHECK(original_of(c, decomposed, "\xEA\xB0\x81") == "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8");

    const normalized_string d = normalize_with({{"type", "NFD"}}, "\xC3\xA9");
    CHECK(d.str() == "e\xCC\x81");
    CHECK(d.original({1, 3}) == byte_range{0, 2});

    // Canonical ordering: U+0323 (class 220) goes before U+0308 (class 230).
    CHECK(unicode::normalize_utf8("a\xCC\x88\xCC\xA3", unicode::normalization_form::nfd) == "a\xCC\xA3\xCC\x88");
    CHECK(unicode::normalize_utf8("\xE1\xBA\xA0\xCC\x88", unicode::normalization_form::nfc) == "\xE1\xBA\xA0\xCC\x88");
    CHECK(normalize_with({{"type", "NFKD"}}, "\xEF\xAC\x81").str() == "fi");
}

TEST_CASE("Lowercase is JavaScript's toLowerCase", "[hf][normalizer]") {
    // "ΟΔΟΣ ΑΣ.Β İx" -> "οδος ασ.β i̇x" (final sigma at a word end only; İ -> i + U+0307).
    const std::string       input = "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\x91\xCE\xA3.\xCE\x92 \xC4\xB0x";
    const normalized_string s     = normalize_with({{"type", "Lowercase"}}, input);
    CHECK(s.str() == "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82 \xCE\xB1\xCF\x83.\xCE\xB2 i\xCC\x87x");
    CHECK(original_of(s, input, "i\xCC\x87") == "\xC4\xB0");
}

TEST_CASE("Replace, Strip, StripAccents, Prepend and Sequence", "[hf][normalizer]") {
    // Gemma 3: spaces become U+2581, each aligned with its space.
    const json              gemma = {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\xE2\x96\x81"}};
    const std::string       input = "Hello  world";
    const normalized_string g     = normalize_with(gemma, input);
    CHECK(g.str() == "Hello\xE2\x96\x81\xE2\x96\x81world");
    CHECK(g.original({5, 8}) == byte_range{5, 6});
    CHECK(g.original({8, 11}) == byte_range{6, 7});
    CHECK(original_of(g, input, "world") == "world");

    // A regex with JavaScript's "$&" and "$$" in the content (JS port output).
    CHECK(normalize_with({{"type", "Replace"}, {"pattern", {{"Regex", "o+"}}}, {"content", "[$&]$$"}}, "foo bar boo")
              .str() == "f[oo]$ bar b[oo]$");

    // Strip uses JavaScript's whitespace: U+FEFF is stripped, U+0085 is not.
    CHECK(normalize_with({{"type", "Strip"}, {"strip_left", true}, {"strip_right", false}}, " \xEF\xBB\xBF a \xC2\x85")
              .str() == "a \xC2\x85");
    const normalized_string stripped =
        normalize_with({{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}}, "  ab  ");
    CHECK(stripped.str() == "ab");
    CHECK(stripped.original({0, 2}) == byte_range{2, 4});

    // StripAccents removes every mark (not only Mn) and does not decompose "é" (JS port).
    CHECK(normalize_with({{"type", "StripAccents"}}, "\xC3\xA9 e\xCC\x81 \xE0\xA4\xB9\xE0\xA4\xBF").str() ==
          "\xC3\xA9 e \xE0\xA4\xB9");

    const normalized_string p = normalize_with({{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}, "hi");
    CHECK(p.str() == "\xE2\x96\x81hi");
    CHECK(p.original({0, 3}) == byte_range{0, 1});

    const json              seq   = {{"type", "Sequence"},
                                     {"normalizers", {{{"type", "NFD"}}, {{"type", "StripAccents"}}, {{"type", "Lowercase"}}}}};
    const std::string       creme = "Cr\xC3\xA8me Br\xC3\xBBl\xC3\xA9"
                                    "e";
    const normalized_string c     = normalize_with(seq, creme);
    CHECK(c.str() == "creme brulee");
    CHECK(original_of(c, creme, "brulee") == "Br\xC3\xBBl\xC3\xA9"
                                             "e");

    CHECK(normalize_with({{"type", "ByteLevel"}}, " \xC3\xA9").str() == "\xC4\xA0\xC3\x83\xC2\xA9");  // "ĠÃ©"
    CHECK(normalize_text(*parse_normalizer({{"type", "NFKC"}}), "\xEF\xAC\x81") == "fi");
}

TEST_CASE("normalizers the JS port lacks or malformed ones are errors a user can read", "[hf][normalizer]") {
    CHECK(parse_normalizer(nullptr) == nullptr);
    CHECK_THROWS_WITH(parse_normalizer({{"type", "Precompiled"}, {"precompiled_charsmap", "AAAA"}}),
                      "tokenizer.json: normalizer Precompiled is not supported");
    CHECK_THROWS_WITH(parse_normalizer({{"type", "Sequence"}, {"normalizers", {{{"type", "Nmt"}}}}}),
                      "tokenizer.json: normalizer Nmt is not supported");
    CHECK_THROWS_AS(parse_normalizer({{"type", "Replace"}, {"pattern", {{"Regex", "(unclosed"}}}, {"content", ""}}),
                    text_error);
    CHECK_THROWS_WITH(parse_normalizer({{"type", "Replace"}, {"pattern", {{"Regex", "(unclosed"}}}, {"content", ""}}),
                      Contains("tokenizer.json: normalizer Replace: bad regex \"(unclosed\": "));
    CHECK_THROWS_WITH(parse_normalizer({{"type", "BertNormalizer"}, {"lowercase", "yes"}}),
                      Contains("\"lowercase\" must be true or false"));
    CHECK_THROWS_AS(parse_normalizer(json::array()), text_error);
}

TEST_CASE("unicode helpers classify as the JS port does", "[hf][normalizer]") {
    CHECK(unicode::is_js_whitespace(0xFEFF));
    CHECK_FALSE(unicode::is_js_whitespace(0x85));
    CHECK(unicode::is_whitespace(0x85));
    CHECK_FALSE(unicode::is_whitespace(0xFEFF));
    CHECK(unicode::is_bert_punctuation('$'));
    CHECK(unicode::is_bert_punctuation(0x3001));        // "、"
    CHECK_FALSE(unicode::is_bert_punctuation(0x20AC));  // "€" is a symbol
    CHECK(unicode::is_bert_control(0x200B));
    CHECK_FALSE(unicode::is_bert_control('\t'));
    CHECK(unicode::is_chinese_char(0x4E2D));
    CHECK(unicode::category(0x0301) == unicode::general_category::mn);
    CHECK(unicode::to_lowercase("\xCE\xA3") == "\xCF\x83");  // a lone capital sigma is not final
}
