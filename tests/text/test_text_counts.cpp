// count_text: the page's counts under the text box are the features a run would have.
#include "text/text_counts.h"

#include <catch2/catch.hpp>

#include <string>

using spexlens::text::count_text;

TEST_CASE("count_text counts word and sentence features as a run makes them", "[text_counts]") {
    SECTION("prose: punctuation stays with its word, sentences end at . ! ? and at a blank line") {
        const auto c = count_text("Free lunch! Come at noon. Bring a friend\n\nSee you there");
        CHECK(c.words == 11);
        CHECK(c.sentences == 4);
        CHECK(c.characters == 55);
    }
    SECTION("Chinese without spaces: every ideograph is a word, the full stop joins the last") {
        const auto c =
            count_text("\xE9\x80\x81\xE8\xB4\xA7\xE5\xA4\xAA\xE6\x85\xA2\xE4\xBA\x86\xE3\x80\x82");  // 送货太慢了。
        CHECK(c.words == 5);
        CHECK(c.sentences == 1);
        CHECK(c.characters == 6);
    }
    SECTION("Japanese mixed with Latin: ideographs apart, kana and Latin runs whole") {
        const auto c = count_text("\xE7\x94\xA8iPhone\xE6\x8B\x8D");  // 用iPhone拍
        CHECK(c.words == 3);
    }
    SECTION("empty, only spaces, and ill-formed bytes") {
        CHECK(count_text("").words == 0);
        CHECK(count_text(" \n\t ").words == 0);
        CHECK(count_text(" \n\t ").sentences == 0);
        const auto c = count_text(std::string("ok \xFF\xFE done", 10));
        CHECK(c.words == 3);        // the repaired bytes are a word of their own
        CHECK(c.characters == 10);  // each bad byte is one U+FFFD
    }
}
