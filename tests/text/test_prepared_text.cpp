// prepare_text: empty and oversized texts are refused with advice; long texts follow the
// policy and the window report and note say exactly what is explained.
#include "text/prepared_text.h"
#include "text/text_error.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::text;
using Catch::Matchers::Contains;
using text_test::test_manifest;
using text_test::test_vocabulary;

TEST_CASE("a short text is prepared whole", "[prepare]") {
    const prepared_text p =
        prepare_text("FREE money! Click here.", test_vocabulary(), test_manifest(), GRANULARITY_WORD);
    CHECK(p.text == "FREE money! Click here.");
    CHECK(p.tokens.size() == 6);
    CHECK(p.token_ids == std::vector<int32_t>{4, 5, 6, 7, 8, 9});
    CHECK(p.features.size() == 4);
    CHECK(p.granularity == GRANULARITY_WORD);
    CHECK(p.window.policy == LONG_TEXT_HEAD);
    CHECK(p.window.max_length == 128);
    CHECK(p.window.tokens_total == 6);
    CHECK(p.window.tokens_used == 6);
    CHECK(p.window.features_total == 4);
    CHECK(p.window.features_used == 4);
    CHECK_FALSE(p.window.truncated);
    CHECK(p.notes.empty());
}

TEST_CASE("unknown tokens get the manifest's unk id", "[prepare]") {
    const prepared_text p = prepare_text("free lunch", test_vocabulary(), test_manifest(), GRANULARITY_WORD);
    CHECK(p.token_ids == std::vector<int32_t>{4, 1});
}

TEST_CASE("a text without words is refused", "[prepare]") {
    for (const char * text : {"", " \t\r\n ", "\x01\x02\x7f", " \xC2\xAD\t\x1b "}) {
        INFO("text of " << std::string(text).size() << " bytes");
        CHECK_THROWS_WITH(prepare_text(text, test_vocabulary(), test_manifest(), GRANULARITY_WORD),
                          Contains("the text has no words to explain"));
    }
    CHECK_THROWS_WITH(prepare_text(std::string("\0\0", 2), test_vocabulary(), test_manifest(), GRANULARITY_SENTENCE),
                      Contains("the text has no words to explain"));
}

TEST_CASE("a text over the word limit is refused with advice that fits the model's window", "[prepare]") {
    std::string text;
    for (int i = 0; i < 100000; ++i) {
        text += "w ";
    }
    CHECK_THROWS_WITH(prepare_text(text, test_vocabulary(), test_manifest(), GRANULARITY_WORD),
                      "the text has 100,000 words, over the limit of 10,000 words; this model reads at most 128 "
                      "tokens of it, so paste the part you want explained");
}

TEST_CASE("a text over the byte limit is refused with its size and the limit", "[prepare]") {
    text_limits limits;
    limits.max_bytes = 10;
    CHECK_THROWS_WITH(
        prepare_text("eleven byte", test_vocabulary(), test_manifest(), GRANULARITY_WORD, LONG_TEXT_HEAD, limits),
        "the text is 11 bytes, over the limit of 10 bytes; explain a shorter excerpt");
    CHECK_NOTHROW(
        prepare_text("ten bytes!", test_vocabulary(), test_manifest(), GRANULARITY_WORD, LONG_TEXT_HEAD, limits));
    // The default limit is 1 MiB.
    CHECK_THROWS_WITH(
        prepare_text(std::string((1u << 20) + 1, 'a'), test_vocabulary(), test_manifest(), GRANULARITY_WORD),
        Contains("the text is 1,048,577 bytes, over the limit of 1,048,576 bytes"));
}

TEST_CASE("under the head policy the leading features that fit are explained", "[prepare]") {
    // max_length 8: [CLS] + 7 tokens. Words: free(1) money!(2) click(1) here.(2) more(1) = 7 fit
    // exactly up to "more"; "words" does not.
    const std::string   text = "free money! click here. more words";
    const prepared_text p    = prepare_text(text, test_vocabulary(), test_manifest(8), GRANULARITY_WORD);
    CHECK(p.window.truncated);
    CHECK(p.window.tokens_total == 8);
    CHECK(p.window.tokens_used == 7);
    CHECK(p.window.features_total == 6);
    CHECK(p.window.features_used == 5);
    CHECK(p.window.unexplained_from == 29);
    CHECK(p.features.size() == 5);
    CHECK(p.token_ids.size() == 7);
    CHECK(p.tokens.size() == 8);  // every token is kept for display
    REQUIRE(p.notes.size() == 1);
    CHECK(p.notes[0] == "the text has 8 tokens but the model reads 7 (max_length 8 with [CLS]): words 1\u20135 of 6 "
                        "are explained, the rest (from character 29) is not");
}

TEST_CASE("the head policy keeps only whole sentences", "[prepare]") {
    const std::string   text = "Free money! Click here now. Bye.";
    const prepared_text p    = prepare_text(text, test_vocabulary(), test_manifest(8), GRANULARITY_SENTENCE);
    // "Free money!" is 3 tokens; "Click here now." 4 more = 7 fits; "Bye." does not.
    CHECK(p.features.size() == 2);
    CHECK(p.window.features_total == 3);
    CHECK(p.window.tokens_used == 7);
    CHECK(p.window.unexplained_from == 28);
    REQUIRE(p.notes.size() == 1);
    CHECK_THAT(p.notes[0], Contains("sentences 1\u20132 of 3 are explained, the rest (from character 28) is not"));

    const prepared_text one =
        prepare_text("Free money now!!! Bye.", test_vocabulary(), test_manifest(8), GRANULARITY_SENTENCE);
    REQUIRE(one.notes.size() == 1);
    CHECK_THAT(one.notes[0], Contains("sentence 1 of 2 is explained"));
}

TEST_CASE("a text that exactly fills the window is not truncated", "[prepare]") {
    const prepared_text p =
        prepare_text("free money! click here. more", test_vocabulary(), test_manifest(8), GRANULARITY_WORD);
    CHECK_FALSE(p.window.truncated);
    CHECK(p.window.tokens_used == 7);
    CHECK(p.notes.empty());
}

TEST_CASE("the refuse policy refuses a text that does not fit", "[prepare]") {
    CHECK_THROWS_WITH(prepare_text("free money! click here. more words", test_vocabulary(), test_manifest(8),
                                   GRANULARITY_WORD, LONG_TEXT_REFUSE),
                      "the text has 8 tokens but the model reads 7 (max_length 8 with [CLS]); shorten the text, or "
                      "use the head policy to explain its first 5 words");
    const prepared_text p =
        prepare_text("free money!", test_vocabulary(), test_manifest(8), GRANULARITY_WORD, LONG_TEXT_REFUSE);
    CHECK(p.window.policy == LONG_TEXT_REFUSE);
    CHECK_FALSE(p.window.truncated);
}

TEST_CASE("a first word longer than the window is refused", "[prepare]") {
    CHECK_THROWS_WITH(prepare_text("!!!!!!!!!! free", test_vocabulary(), test_manifest(8), GRANULARITY_WORD),
                      "the first word has 10 tokens but the model reads 7 (max_length 8 with [CLS]), so not even it "
                      "fits; shorten it");
    CHECK_THROWS_WITH(prepare_text("free money click here now, more words.", test_vocabulary(), test_manifest(8),
                                   GRANULARITY_SENTENCE),
                      Contains("the first sentence has 9 tokens but the model reads 7 (max_length 8 with [CLS]), so "
                               "not even it fits; explain by words instead, or shorten it"));
}

TEST_CASE("repaired UTF-8 is noted", "[prepare]") {
    const prepared_text p =
        prepare_text("free \xFF\xFE money \xEF\xBF\xBD", test_vocabulary(), test_manifest(), GRANULARITY_WORD);
    REQUIRE(p.notes.size() == 2);
    CHECK(p.notes[0] ==
          "the text was not valid UTF-8: 2 ill-formed byte sequences were replaced by U+FFFD (\xEF\xBF\xBD)");
    // The U+FFFD that was already in the text is noted too: it stands for a character lost earlier.
    CHECK_THAT(p.notes[1], Catch::StartsWith("the text contains 1 U+FFFD replacement character (\xEF\xBF\xBD)"));
}

TEST_CASE("replacement characters that arrive in the text are noted (a lone surrogate upstream)", "[prepare]") {
    // What a browser or Node hands over for "free \uD800 money \uDC00": each lone surrogate as U+FFFD.
    const prepared_text p =
        prepare_text("free \xEF\xBF\xBD money \xEF\xBF\xBD", test_vocabulary(), test_manifest(), GRANULARITY_WORD);
    REQUIRE(p.notes.size() == 1);
    CHECK_THAT(p.notes[0], Catch::StartsWith("the text contains 2 U+FFFD replacement characters"));
    CHECK_THAT(p.notes[0], Catch::Contains("lone UTF-16 surrogate"));
    const prepared_text clean = prepare_text("free money", test_vocabulary(), test_manifest(), GRANULARITY_WORD);
    CHECK(clean.notes.empty());
}

TEST_CASE("special ids outside the vocabulary are refused", "[prepare]") {
    const vocabulary small = vocabulary::from_text("[PAD]\n[UNK]\n[CLS]\n");
    CHECK_THROWS_WITH(prepare_text("free", small, test_manifest(), GRANULARITY_WORD),
                      "model.json: tokenizer.special_ids.mask: id 3 is outside the vocabulary (3 tokens, ids 0-2)");
}

TEST_CASE("long-text policy names parse both ways", "[prepare]") {
    long_text_policy p = LONG_TEXT_HEAD;
    CHECK(parse_long_text_policy("refuse", p));
    CHECK(p == LONG_TEXT_REFUSE);
    CHECK_FALSE(parse_long_text_policy("tail", p));
    CHECK(std::string(long_text_policy_name(LONG_TEXT_HEAD)) == "head");
}
