// json_text (src/json/json_text.h) and the parse boundaries that use it: hostile JSON — numbers
// beyond a double, values nested 100,000 deep, huge values in an error message, objects with
// very many keys — gives a short message at once, never a library exception, a stack overflow
// or a minute of work. Each case here crashed, hung or leaked nlohmann's text before the fix.

#include "json/json_text.h"
#include "text/hf/hf_tokenizer.h"
#include "text/model_manifest.h"
#include "text/text_error.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <string>

using spexlens::json_input_error;
using spexlens::json_shown;
using spexlens::parse_bounded_json;
using spexlens::text::text_error;

namespace {

std::string nested(size_t depth, const std::string & inner = "1") {
    return std::string(depth, '[') + inner + std::string(depth, ']');
}

std::string message_of(const std::function<void()> & f) {
    try {
        f();
    } catch (const std::exception & e) {
        return e.what();
    }
    return "no error";
}

double seconds_of(const std::function<void()> & f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("json_text: nesting deeper than 64 levels is refused before parsing, with the byte", "[json]") {
    CHECK(parse_bounded_json<nlohmann::json>(nested(64)).is_array());
    CHECK_THAT(message_of([] { parse_bounded_json<nlohmann::json>(nested(65)); }),
               Catch::Equals("nested more than 64 levels deep (at byte 64); no file spexlens reads needs that"));
    // Brackets inside strings (and escaped quotes) do not count.
    CHECK(parse_bounded_json<nlohmann::json>("[\"" + std::string(200, '[') + "\\\"" + "\"]").is_array());
    std::string  message;
    const double s =
        seconds_of([&] { message = message_of([] { parse_bounded_json<nlohmann::json>(nested(100000)); }); });
    CHECK_THAT(message, Catch::StartsWith("nested more than 64 levels deep"));
    CHECK(s < 1.0);
}

TEST_CASE("json_text: library errors lose nlohmann's prefix, and 1e999 is an error like any other", "[json]") {
    CHECK(message_of([] { parse_bounded_json<nlohmann::json>("{\"a\": 1e999}"); }).rfind("number overflow", 0) == 0);
    CHECK(message_of([] { parse_bounded_json<nlohmann::json>("{\"a\": "); }).find("[json.exception") ==
          std::string::npos);
    CHECK_THAT(message_of([] { parse_bounded_json<nlohmann::ordered_json>("{\"a\":1,\"b\":2,\"c\":3}", 2); }),
               Catch::Equals("an object has more than 2 keys"));
}

TEST_CASE("json_text: json_shown is short and shallow for any value", "[json]") {
    CHECK(json_shown(nlohmann::json("int8")) == "\"int8\"");
    CHECK(json_shown(nlohmann::json::parse("[1,[2,[3,[4,[5]]]]]")) == "[1,[2,[3,[...]]]]");
    CHECK(json_shown(nlohmann::json::parse("{\"a\": {\"b\": 1}}")) == "{\"a\":{\"b\":1}}");
    const std::string long_text(100000, 'x');
    CHECK(json_shown(nlohmann::json(long_text)).size() == 60);
    nlohmann::json big = nlohmann::json::array();
    for (int i = 0; i < 100000; ++i) {
        big.push_back(i);
    }
    CHECK(json_shown(big).size() == 60);
    CHECK(json_shown(big).substr(57) == "...");
    // A value built deeper than any parse allows (a program, not a file, can make one).
    nlohmann::json deep = 1;
    for (int i = 0; i < 20000; ++i) {
        deep = nlohmann::json::array({std::move(deep)});
    }
    CHECK(json_shown(deep) == "[[[[...]]]]");
    // Cut on a UTF-8 boundary: "é" is two bytes, and half of one is never shown.
    std::string accents;
    for (int i = 0; i < 40; ++i) {
        accents += "\xC3\xA9";
    }
    const std::string cut = json_shown(nlohmann::json(accents), 20);
    CHECK(cut == "\"" + accents.substr(0, 16) + "...");
}

TEST_CASE("json boundaries: model.json and tokenizer.json refuse hostile JSON in one line", "[json]") {
    nlohmann::json    manifest = text_test::valid_manifest_json();
    const std::string deep_manifest =
        manifest.dump().substr(0, manifest.dump().size() - 1) + ",\"extra\":" + nested(100000) + "}";
    std::string message;
    double      s = seconds_of([&] { message = message_of([&] { spexlens::text::parse_manifest(deep_manifest); }); });
    CHECK_THAT(message, Catch::StartsWith("model.json: not valid JSON: nested more than 64 levels deep"));
    CHECK(message.size() < 200);
    CHECK(s < 1.0);

    // A deep value where a string is expected: the message shows a capped prefix of it.
    manifest["name"] = nlohmann::json::parse(nested(60));
    message          = message_of([&] { spexlens::text::parse_manifest(manifest.dump()); });
    CHECK_THAT(message, Catch::Contains("[[[[...]]]]"));
    CHECK(message.size() < 200);

    CHECK_THAT(message_of([] { spexlens::text::hf::tokenizer::parse("{\"model\": " + nested(100000) + "}"); }),
               Catch::StartsWith("tokenizer.json: not valid JSON: nested more than 64"));
}
