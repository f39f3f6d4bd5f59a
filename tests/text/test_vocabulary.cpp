// Vocabulary files: line i is id i, line ends as Python's text mode reads them, and broken
// files (no tokens, duplicates, invalid UTF-8) refused with the line numbers.
#include "text/text_error.h"
#include "text/vocabulary.h"

#include <catch2/catch.hpp>

using namespace spexlens::text;
using Catch::Matchers::Contains;

TEST_CASE("line i of the vocabulary is id i", "[vocabulary]") {
    const vocabulary v = vocabulary::from_text("[PAD]\n[UNK]\nhello\nworld\n");
    CHECK(v.size() == 4);
    CHECK(v.id_of("hello", 1) == 2);
    CHECK(v.id_of("world", 1) == 3);
    CHECK(v.id_of("missing", 1) == 1);
    CHECK(v.id_of("missing", 7) == 7);
    CHECK(v.contains("world"));
    CHECK_FALSE(v.contains("World"));
    CHECK(v.token_at(2) == "hello");
}

TEST_CASE("the final newline is optional and CRLF or CR end lines too", "[vocabulary]") {
    for (const char * text : {"a\nb\nc", "a\nb\nc\n", "a\r\nb\r\nc\r\n", "a\rb\rc"}) {
        const vocabulary v = vocabulary::from_text(text);
        INFO("vocabulary " << text);
        CHECK(v.size() == 3);
        CHECK(v.id_of("c", -1) == 2);
        CHECK_FALSE(v.contains("c\r"));
    }
}

TEST_CASE("empty lines keep their id but match nothing", "[vocabulary]") {
    const vocabulary v = vocabulary::from_text("a\n\n\nb\n\n");
    CHECK(v.size() == 5);  // as Python's load_vocab: one trailing empty line is dropped
    CHECK(v.id_of("b", -1) == 3);
    CHECK(v.id_of("", -1) == -1);
}

TEST_CASE("a vocabulary without tokens is refused", "[vocabulary]") {
    CHECK_THROWS_WITH(vocabulary::from_text(""), Contains("the file has no tokens"));
    CHECK_THROWS_AS(vocabulary::from_text("\n\n\n"), text_error);
}

TEST_CASE("a duplicate token is refused naming both lines", "[vocabulary]") {
    CHECK_THROWS_WITH(vocabulary::from_text("[PAD]\nfree\nmoney\nfree\n"),
                      Contains("\"free\" is on line 2 and again on line 4"));
}

TEST_CASE("invalid UTF-8 in the vocabulary is refused naming the line", "[vocabulary]") {
    CHECK_THROWS_WITH(vocabulary::from_text("ok\nbad\xFF\n"), Contains("line 2 is not valid UTF-8"));
}
