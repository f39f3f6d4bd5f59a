// spexlens-words-v1 against the Python reference: every case of the generated vectors
// (tests/text/data/tokenizer_vectors.json, from scripts/model/make_tokenizer_vectors.py) must
// match field by field, plus rules worth pinning by name.
#include "text/tokenizer.h"
#include "text/utf8.h"
#include "text/vocabulary.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::text;
using nlohmann::json;

namespace {

std::vector<std::string> texts(const std::vector<token> & tokens) {
    std::vector<std::string> out;
    for (const token & t : tokens) {
        out.push_back(t.text);
    }
    return out;
}

}  // namespace

TEST_CASE("the C++ tokenizer reproduces every Python reference vector", "[tokenizer]") {
    const json vectors =
        json::parse(text_test::read_file(text_test::source_path("tests/text/data/tokenizer_vectors.json")));
    REQUIRE(vectors.at("tokenizer") == tokenizer_words_v1);

    std::string vocab_text;
    for (const json & t : vectors.at("vocab")) {
        vocab_text += t.get<std::string>() + "\n";
    }
    const vocabulary vocab = vocabulary::from_text(vocab_text);
    REQUIRE(vocab.size() == vectors.at("vocab").size());

    const json & cases = vectors.at("cases");
    REQUIRE(cases.size() >= 20);
    for (const json & c : cases) {
        INFO("case " << c.at("name").get<std::string>());
        const std::string sanitized = sanitize_utf8(text_test::from_hex(c.at("input_hex")));
        CHECK(sanitized == c.at("sanitized").get<std::string>());

        const std::vector<token> tokens   = tokenize_words_v1(sanitized);
        const json &             expected = c.at("tokens");
        REQUIRE(tokens.size() == expected.size());
        size_t words = 0;
        for (size_t k = 0; k < tokens.size(); ++k) {
            INFO("token " << k);
            const token & t = tokens[k];
            const json &  e = expected[k];
            CHECK(t.text == e.at("text").get<std::string>());
            CHECK(t.start == e.at("start").get<size_t>());
            CHECK(t.end == e.at("end").get<size_t>());
            CHECK(t.byte_start == e.at("byte_start").get<size_t>());
            CHECK(t.byte_end == e.at("byte_end").get<size_t>());
            CHECK(t.word == e.at("word").get<size_t>());
            CHECK(vocab.id_of(t.text, 1) == e.at("id").get<int32_t>());
            words = t.word + 1;
        }
        CHECK(count_words_v1(sanitized) == words);
    }
}

TEST_CASE("punctuation splits a word into tokens but not into words", "[tokenizer]") {
    const std::vector<token> tokens = tokenize_words_v1("Don't! go");
    CHECK(texts(tokens) == std::vector<std::string>{"don", "'", "t", "!", "go"});
    CHECK(tokens[3].word == 0);
    CHECK(tokens[4].word == 1);
}

TEST_CASE("a soft hyphen splits nothing and stays inside the token's span", "[tokenizer]") {
    // "ab" U+00AD "c": one token "abc" spanning all four code points.
    const std::string        s      = sanitize_utf8("ab\xC2\xAD"
                                                                "c");
    const std::vector<token> tokens = tokenize_words_v1(s);
    REQUIRE(tokens.size() == 1);
    CHECK(tokens[0].text == "abc");
    CHECK(tokens[0].start == 0);
    CHECK(tokens[0].end == 4);
    CHECK(tokens[0].byte_end == s.size());
}

TEST_CASE("control characters separate words like spaces", "[tokenizer]") {
    // NUL, BEL, ESC, DEL and a C1 control between words: they once joined "free\0money\0now"
    // into one word.
    const std::string        s      = sanitize_utf8(std::string("free\0money\x07now\x1bor\x7fnever\xC2\x90"
                                                                            "ever",
                                                                29));
    const std::vector<token> tokens = tokenize_words_v1(s);
    CHECK(texts(tokens) == std::vector<std::string>{"free", "money", "now", "or", "never", "ever"});
    CHECK(tokens[1].word == 1);
    CHECK(tokens[5].word == 5);
    CHECK(count_words_v1(s) == 6);
    // A joiner followed by a control glues nothing across it.
    CHECK(texts(tokenize_words_v1("!\xE2\x80\x8D\x01y")) == std::vector<std::string>{"!\xE2\x80\x8D", "y"});
}

TEST_CASE("a leading combining mark starts a single token", "[tokenizer]") {
    const std::vector<token> tokens = tokenize_words_v1("\xCC\x81"
                                                        "ab");
    CHECK(texts(tokens) == std::vector<std::string>{"\xCC\x81", "ab"});
}

TEST_CASE("case folding covers ASCII and Latin-1 capitals only", "[tokenizer]") {
    // \xC3\x97 is the multiplication sign (a single token, never folded); \xC3\x9E is THORN.
    CHECK(texts(tokenize_words_v1("ABC \xC3\x89\xC3\x9E \xC3\x97 \xC5\xBD")) ==
          std::vector<std::string>{"abc", "\xC3\xA9\xC3\xBE", "\xC3\x97", "\xC5\xBD"});
}

TEST_CASE("no tokens in empty or blank text", "[tokenizer]") {
    CHECK(tokenize_words_v1("").empty());
    CHECK(tokenize_words_v1(" \t\r\n\xE3\x80\x80").empty());
    CHECK(count_words_v1(" \x01\x02 ") == 0);
    CHECK(count_words_v1(" a b\x01 \x01 c") == 3);
}
