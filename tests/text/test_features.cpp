// Word and sentence features: boundaries, texts and both kinds of offsets.
#include "text/features.h"
#include "text/utf8.h"

#include <catch2/catch.hpp>

using namespace spexlens::text;

namespace {

std::vector<text_feature> features_of(const std::string & text, feature_granularity g) {
    const std::string s = sanitize_utf8(text);
    return make_features(s, tokenize_words_v1(s), g);
}

std::vector<std::string> texts(const std::vector<text_feature> & features) {
    std::vector<std::string> out;
    for (const text_feature & f : features) {
        out.push_back(f.text);
    }
    return out;
}

}  // namespace

TEST_CASE("a word feature is a whitespace-delimited word with its punctuation", "[features]") {
    const std::vector<text_feature> f = features_of("FREE money!!  Click\there.", GRANULARITY_WORD);
    CHECK(texts(f) == std::vector<std::string>{"FREE", "money!!", "Click", "here."});
    CHECK(f[1].start == 5);
    CHECK(f[1].end == 12);
    CHECK(f[1].first_token == 1);
    CHECK(f[1].token_count == 3);
    CHECK(f[3].first_token == 5);
    CHECK(f[3].token_count == 2);
}

TEST_CASE("feature offsets are code points and bytes of the sanitized text", "[features]") {
    // "Café 👍🏽 東京" : é is 2 bytes, the emoji with its skin tone 2 code points / 8 bytes.
    const std::vector<text_feature> f =
        features_of("Caf\xC3\xA9 \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xE6\x9D\xB1\xE4\xBA\xAC", GRANULARITY_WORD);
    REQUIRE(f.size() == 4);  // 東 and 京: every Han ideograph is a word (test_cjk_features.cpp)
    CHECK(f[0].start == 0);
    CHECK(f[0].end == 4);
    CHECK(f[0].byte_start == 0);
    CHECK(f[0].byte_end == 5);
    CHECK(f[1].start == 5);
    CHECK(f[1].end == 7);
    CHECK(f[1].byte_start == 6);
    CHECK(f[1].byte_end == 14);
    CHECK(f[2].start == 8);
    CHECK(f[2].end == 9);
    CHECK(f[2].byte_start == 15);
    CHECK(f[2].byte_end == 18);
    CHECK(f[3].end == 10);
    CHECK(f[3].byte_end == 21);
    CHECK(f[3].token_count == 1);
    // Invalid bytes are counted after repair: U+FFFD is one code point of three bytes.
    const std::vector<text_feature> g = features_of("\xFF"
                                                    "ab cd",
                                                    GRANULARITY_WORD);
    CHECK(g[1].start == 4);
    CHECK(g[1].byte_start == 6);
}

TEST_CASE("sentences end after . ! ? and keep their inner whitespace", "[features]") {
    const std::vector<text_feature> f =
        features_of("Hello   world. Is it?! Yes... and no!!! Trailing words", GRANULARITY_SENTENCE);
    CHECK(texts(f) == std::vector<std::string>{"Hello   world.", "Is it?!", "Yes...", "and no!!!", "Trailing words"});
    CHECK(f[1].start == 15);
    CHECK(f[1].first_token == 3);
    CHECK(f[1].token_count == 4);
}

TEST_CASE("a period inside a word or a number does not end a sentence", "[features]") {
    const std::vector<text_feature> f = features_of(
        "It costs 3.5 dollars at www.example.com today. U.S.A and e.g. abbreviations", GRANULARITY_SENTENCE);
    // An abbreviation ending in "." does end one: the rule is deliberately simple and documented.
    CHECK(texts(f) == std::vector<std::string>{"It costs 3.5 dollars at www.example.com today.", "U.S.A and e.g.",
                                               "abbreviations"});
}

TEST_CASE("closing quotes and brackets after a terminator belong to the sentence", "[features]") {
    const std::vector<text_feature> f = features_of(
        "He said \"Stop.\" Then (see above.) ok. \xE2\x80\x9CReally?\xE2\x80\x9D she asked. \"Quoted\" words",
        GRANULARITY_SENTENCE);
    CHECK(texts(f) == std::vector<std::string>{"He said \"Stop.\"", "Then (see above.)", "ok.",
                                               "\xE2\x80\x9CReally?\xE2\x80\x9D", "she asked.", "\"Quoted\" words"});
}

TEST_CASE("a blank line ends a sentence and a single line break does not", "[features]") {
    const std::vector<text_feature> f =
        features_of("Subject: free money\nclick here\n\nBody text\r\n\r\nsigned\n \t\nend", GRANULARITY_SENTENCE);
    CHECK(texts(f) == std::vector<std::string>{"Subject: free money\nclick here", "Body text", "signed", "end"});
}

TEST_CASE("CJK full stops end sentences between words", "[features]") {
    // 東京は晴れ。 今日は！ 明日 : the terminators end words here, so they end sentences.
    const std::vector<text_feature> f =
        features_of("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAF\xE6\x99\xB4\xE3\x82\x8C\xE3\x80\x82 "
                    "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF\xEF\xBC\x81 \xE6\x98\x8E\xE6\x97\xA5",
                    GRANULARITY_SENTENCE);
    REQUIRE(f.size() == 3);
    CHECK(f[0].end == 6);
    CHECK(f[0].token_count == 6);
    CHECK(f[1].start == 7);
    CHECK(f[2].start == 12);
    // Without spaces the whole run is one word, and a sentence is made of whole words.
    CHECK(features_of("\xE6\x99\xB4\xE3\x82\x8C\xE3\x80\x82\xE4\xBB\x8A", GRANULARITY_SENTENCE).size() == 1);
}

TEST_CASE("features cover every token once and in order", "[features]") {
    const std::string s = "One. Two three!\n\nFour (five) six? Seven";
    for (feature_granularity g : {GRANULARITY_WORD, GRANULARITY_SENTENCE}) {
        const std::vector<token>        tokens = tokenize_words_v1(s);
        const std::vector<text_feature> f      = make_features(s, tokens, g);
        size_t                          next   = 0;
        for (const text_feature & x : f) {
            CHECK(x.first_token == next);
            CHECK(x.token_count > 0);
            CHECK(x.text == s.substr(x.byte_start, x.byte_end - x.byte_start));
            next += x.token_count;
        }
        CHECK(next == tokens.size());
    }
    CHECK(make_features("", {}, GRANULARITY_SENTENCE).empty());
}

TEST_CASE("granularity names parse both ways", "[features]") {
    feature_granularity g = GRANULARITY_WORD;
    CHECK(parse_granularity("sentences", g));
    CHECK(g == GRANULARITY_SENTENCE);
    CHECK(parse_granularity("word", g));
    CHECK(g == GRANULARITY_WORD);
    CHECK_FALSE(parse_granularity("paragraph", g));
    CHECK(std::string(granularity_name(GRANULARITY_SENTENCE)) == "sentence");
}
