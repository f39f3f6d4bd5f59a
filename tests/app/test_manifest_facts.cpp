// manifest_facts: the facts the page's picker reads from a model.json come from the core's
// parser, in model.json's own shape, and a manifest the parser refuses gives its message.
#include "app/model/manifest_facts.h"
#include "app_test_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using nlohmann::json;
using spexlens::app::manifest_facts_json;

TEST_CASE("manifest facts are the shipped model's own fields", "[manifest]") {
    const std::string text  = app_test::read_file("models/spam-transformer/model.json");
    const json        model = json::parse(text);
    const json        facts = json::parse(manifest_facts_json(text));
    REQUIRE_FALSE(facts.contains("error"));
    CHECK(facts["name"] == model["name"]);
    CHECK(facts["description"] == model["description"]);
    CHECK(facts["labels"] == model["labels"]);
    CHECK(facts["target"] == model["target"]);  // {"class": "spam", "measure": "log-odds"}
    CHECK(facts["onnx_sha256"] == model["onnx_sha256"]);
    CHECK(facts["masking"] == "attention");
    CHECK(facts["tokenizer"]["max_length"] == model["tokenizer"]["max_length"]);
    CHECK(facts["files"] == json::parse(R"({"onnx": "model.onnx", "vocab": "vocab.txt"})"));
    CHECK(facts["sample_text"] == "");  // the spam model's samples live in the page's catalog

    const std::string planted = app_test::read_file("models/planted-and/model.json");
    CHECK(json::parse(manifest_facts_json(planted))["sample_text"] == json::parse(planted)["sample_text"]);
}

TEST_CASE("a manifest the parser refuses gives its message, not a guess", "[manifest]") {
    json bad             = json::parse(app_test::read_file("models/spam-transformer/model.json"));
    bad["files"]["onnx"] = "../../etc/passwd";
    const json outside   = json::parse(manifest_facts_json(bad.dump()));
    REQUIRE(outside.contains("error"));
    CHECK(outside["error"].get<std::string>().find("files.onnx") != std::string::npos);

    const json not_json = json::parse(manifest_facts_json("{\"name\": "));
    REQUIRE(not_json.contains("error"));
    CHECK_FALSE(not_json["error"].get<std::string>().empty());

    const json huge_number = json::parse(manifest_facts_json("{\"name\": 1e999}"));
    CHECK(huge_number.contains("error"));
    CHECK(json::parse(manifest_facts_json(""))["error"].is_string());
}
