// model.json: a valid fixture parses completely; every broken field is refused with a message
// that names the field the way the file spells it.
#include "text/model_manifest.h"
#include "text/text_error.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

#include <functional>

using namespace spexlens::text;
using nlohmann::json;

namespace {

// The error parse_manifest gives for the valid fixture after `edit`; "" if it parses.
std::string error_after(const std::function<void(json &)> & edit) {
    json j = text_test::valid_manifest_json();
    edit(j);
    try {
        parse_manifest(j.dump());
    } catch (const text_error & e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the valid manifest fixture parses into every field", "[manifest]") {
    const model_manifest m =
        parse_manifest(text_test::read_file(text_test::source_path("tests/text/data/model_valid.json")));
    CHECK(m.name == "test-model");
    CHECK(m.onnx_file == "model.onnx");
    CHECK(m.vocab_file == "vocab.txt");
    CHECK(m.onnx_sha256.size() == 64);
    CHECK(m.labels == std::vector<std::string>{"ham", "spam"});
    REQUIRE(m.inputs.size() == 4);
    CHECK(m.inputs[0].name == "input_ids");
    CHECK(m.inputs[0].role == INPUT_TOKEN_IDS);
    CHECK(m.inputs[0].type == TENSOR_INT64);
    CHECK(m.inputs[0].shape == std::vector<int64_t>{-1, -1});
    CHECK(m.inputs[3].shape == std::vector<int64_t>{2, 128});
    REQUIRE(m.input_with_role(INPUT_HEAD_MASK) != nullptr);
    CHECK(m.input_with_role(INPUT_HEAD_MASK)->name == "head_mask");
    CHECK(m.output.name == "logits");
    CHECK(m.output.shape == std::vector<int64_t>{-1, 2});
    CHECK(m.tokenizer == "spexlens-words-v1");
    CHECK(m.max_length == 128);
    CHECK(m.cls_id == 2);
    CHECK(m.mask_id == 3);
    CHECK(m.masking == MASKING_ATTENTION);
    CHECK(m.default_target.class_index == 1);
    CHECK(m.default_target.measure == MEASURE_LOG_ODDS);
    CHECK(m.info.at("metrics").at("test_accuracy") == 0.97);
    CHECK(m.info.at("training").at("seed") == 1);
    CHECK_FALSE(m.info.contains("labels"));
}

TEST_CASE("optional manifest fields may be left out or varied", "[manifest]") {
    json j = text_test::valid_manifest_json();
    j.erase("description");
    j.erase("metrics");
    j["files"]             = {{"onnx", "net.onnx"}, {"vocab", "sub/words.txt"}};
    j["target"]["class"]   = 0;
    j["target"]["measure"] = "prob";
    j["masking"]           = "mask_token";
    j["inputs"]            = json::array({j["inputs"][1], j["inputs"][0]});  // order is free, masks optional
    j["output"]["shape"]   = {"batch", "labels"};
    const model_manifest m = parse_manifest(j.dump());
    CHECK(m.description.empty());
    CHECK(m.onnx_file == "net.onnx");
    CHECK(m.vocab_file == "sub/words.txt");
    CHECK(m.default_target.class_index == 0);
    CHECK(m.default_target.measure == MEASURE_PROB);
    CHECK(m.masking == MASKING_MASK_TOKEN);
    CHECK(m.input_with_role(INPUT_MLP_MASK) == nullptr);
    CHECK(m.input_with_role(INPUT_TOKEN_IDS)->name == "input_ids");
    CHECK(m.output.shape == std::vector<int64_t>{-1, -1});
    CHECK(m.info.at("data").at("license") == "MIT");
}

TEST_CASE("manifest: not JSON or not an object", "[manifest]") {
    CHECK_THROWS_WITH(parse_manifest("{ \"format\": "), Catch::Matchers::StartsWith("model.json: not valid JSON: "));
    CHECK_THROWS_WITH(parse_manifest("[1, 2]"), "model.json: expected a JSON object at the top level, got [1,2]");
}

TEST_CASE("manifest: format", "[manifest]") {
    CHECK(error_after([](json & j) { j.erase("format"); }) ==
          "model.json: format: missing (required; see docs/model-manifest.md)");
    CHECK(error_after([](json & j) { j["format"] = "onnx"; }) ==
          "model.json: format: expected \"spexlens.model\", got \"onnx\"");
}

TEST_CASE("manifest: format_version", "[manifest]") {
    CHECK(error_after([](json & j) { j["format_version"] = 2; }) ==
          "model.json: format_version: version 2 is newer than this spexlens reads (1); update spexlens");
    CHECK(error_after([](json & j) { j["format_version"] = "1"; }) ==
          "model.json: format_version: expected 1, got \"1\"");
    CHECK(error_after([](json & j) { j["format_version"] = 0; }) == "model.json: format_version: expected 1, got 0");
}

TEST_CASE("manifest: name and description", "[manifest]") {
    CHECK(error_after([](json & j) { j.erase("name"); }) ==
          "model.json: name: missing (required; see docs/model-manifest.md)");
    CHECK(error_after([](json & j) { j["name"] = ""; }) == "model.json: name: must not be empty");
    CHECK(error_after([](json & j) { j["description"] = 7; }) == "model.json: description: expected a string, got 7");
}

TEST_CASE("manifest: files", "[manifest]") {
    CHECK(error_after([](json & j) { j["files"] = "model.onnx"; }) ==
          "model.json: files: expected an object with onnx and vocab, got \"model.onnx\"");
    CHECK(error_after([](json & j) {
              j["files"] = {{"vocab", "../secret.txt"}};
          }) ==
          "model.json: files.vocab: expected a file name relative to the manifest's folder, got \"../secret.txt\"");
    CHECK(error_after([](json & j) {
              j["files"] = {{"onnx", "/tmp/model.onnx"}};
          }) ==
          "model.json: files.onnx: expected a file name relative to the manifest's folder, got \"/tmp/model.onnx\"");
}

TEST_CASE("manifest: onnx_sha256", "[manifest]") {
    CHECK(error_after([](json & j) { j.erase("onnx_sha256"); }) ==
          "model.json: onnx_sha256: missing (required; see docs/model-manifest.md)");
    CHECK(
        error_after([](json & j) { j["onnx_sha256"] = "3F1C"; }) ==
        "model.json: onnx_sha256: expected 64 lowercase hex digits (the output of sha256sum model.onnx), got \"3F1C\"");
}

TEST_CASE("manifest: labels", "[manifest]") {
    CHECK(error_after([](json & j) { j["labels"] = json::array(); }) ==
          "model.json: labels: expected a non-empty array of class names, got []");
    CHECK(error_after([](json & j) { j["labels"] = {"ham", 1}; }) == "model.json: labels[1]: expected a string, got 1");
    CHECK(error_after([](json & j) {
              j["labels"] = {"ham", "ham"};
          }) == "model.json: labels[1]: \"ham\" repeats labels[0]; labels must differ");
}

TEST_CASE("manifest: inputs", "[manifest]") {
    CHECK(error_after([](json & j) { j["inputs"] = json::object(); }) ==
          "model.json: inputs: expected a non-empty array of inputs, got {}");
    CHECK(error_after([](json & j) { j["inputs"].erase(1); }) ==
          "model.json: inputs: no input has the role \"attention_mask\" (required)");
    CHECK(error_after([](json & j) { j["inputs"][2]["name"] = "input_ids"; }) ==
          "model.json: inputs[2].name: \"input_ids\" is also the name of inputs[0]; names must differ");
    CHECK(error_after([](json & j) { j["inputs"][1].erase("name"); }) ==
          "model.json: inputs[1].name: missing (required; see docs/model-manifest.md)");
}

TEST_CASE("manifest: inputs role", "[manifest]") {
    CHECK(error_after([](json & j) { j["inputs"][1]["role"] = "mask"; }) ==
          "model.json: inputs[1].role: expected token_ids, attention_mask, token_type_ids, position_ids, head_mask, "
          "mlp_mask, head_offset or mlp_offset, got \"mask\"");
    CHECK(error_after([](json & j) { j["inputs"][1]["role"] = "token_ids"; }) ==
          "model.json: inputs[1].role: a second \"token_ids\" input (inputs[0] has that role); each role appears once");
}

TEST_CASE("manifest: inputs type", "[manifest]") {
    CHECK(error_after([](json & j) { j["inputs"][1]["type"] = "int8"; }) ==
          "model.json: inputs[1].type: expected int32, int64 or float32, got \"int8\"");
    CHECK(error_after([](json & j) { j["inputs"][0]["type"] = "float32"; }) ==
          "model.json: inputs[0].type: a token_ids input must be int32 or int64, got \"float32\"");
    CHECK(error_after([](json & j) { j["inputs"][2]["type"] = "int64"; }) ==
          "model.json: inputs[2].type: a head_mask input must be float32, got \"int64\"");
    CHECK(error_after([](json & j) { j["inputs"][0]["type"] = "int32"; }).empty());
}

TEST_CASE("manifest: inputs shape", "[manifest]") {
    CHECK(error_after([](json & j) { j["inputs"][0]["shape"] = {"batch"}; }) ==
          "model.json: inputs[0].shape: expected 2 axes, [\"batch\", \"sequence\"], got [\"batch\"]");
    CHECK(error_after([](json & j) {
              j["inputs"][0]["shape"] = {"batch", 128};
          }) ==
          "model.json: inputs[0].shape[1]: the sequence axis must be dynamic (a name such as \"sequence\"): spexlens "
          "feeds unpadded inputs in batches of varying size; export the model with dynamic axes");
    CHECK(error_after([](json & j) {
              j["inputs"][3]["shape"] = {2, "ff"};
          }) == "model.json: inputs[3].shape[1]: expected a positive integer (the input is [\"batch\", layers, ff]), "
                "got \"ff\"");
    CHECK(error_after([](json & j) {
              j["inputs"][2]["shape"] = {0, 4};
          }) == "model.json: inputs[2].shape[0]: expected an integer from 1 to 2147483647, got 0");
}

TEST_CASE("manifest: output", "[manifest]") {
    CHECK(error_after([](json & j) { j.erase("output"); }) ==
          "model.json: output: missing (required; see docs/model-manifest.md)");
    CHECK(error_after([](json & j) { j["output"]["type"] = "int64"; }) ==
          "model.json: output.type: the logits must be float32, got \"int64\"");
    CHECK(error_after([](json & j) {
              j["output"]["shape"] = {"batch", 3};
          }) == "model.json: output.shape[1]: 3 columns, but labels names 2; give one label per column");
    CHECK(error_after([](json & j) { j["output"].erase("name"); }) ==
          "model.json: output.name: missing (required; see docs/model-manifest.md)");
}

TEST_CASE("manifest: tokenizer kind and max_length", "[manifest]") {
    CHECK(error_after([](json & j) { j["tokenizer"]["kind"] = "bert-wordpiece"; }) ==
          "model.json: tokenizer.kind: expected \"spexlens-words-v1\" (docs/tokenizer.md) or "
          "\"hf-tokenizer-json\" (a Hugging Face tokenizer.json), got \"bert-wordpiece\"");
    CHECK(error_after([](json & j) { j["tokenizer"]["max_length"] = 1; }) ==
          "model.json: tokenizer.max_length: expected an integer from 2 to 4096, got 1");
    CHECK(error_after([](json & j) { j["tokenizer"]["max_length"] = 128.5; }) ==
          "model.json: tokenizer.max_length: expected an integer, got 128.5");
    CHECK(error_after([](json & j) { j["tokenizer"].erase("max_length"); }) ==
          "model.json: tokenizer.max_length: missing (required; see docs/model-manifest.md)");
}

TEST_CASE("manifest: tokenizer special_ids", "[manifest]") {
    CHECK(error_after([](json & j) { j["tokenizer"]["special_ids"].erase("mask"); }) ==
          "model.json: tokenizer.special_ids.mask: missing (required; see docs/model-manifest.md)");
    CHECK(error_after([](json & j) { j["tokenizer"]["special_ids"]["cls"] = -1; }) ==
          "model.json: tokenizer.special_ids.cls: expected an integer from 0 to 2147483647, got -1");
    CHECK(error_after([](json & j) { j["tokenizer"]["special_ids"]["mask"] = 2; }) ==
          "model.json: tokenizer.special_ids.mask: is 2, the same as cls; the special ids must differ");
}

TEST_CASE("manifest: masking", "[manifest]") {
    CHECK(error_after([](json & j) { j["masking"] = "dropout"; }) ==
          "model.json: masking: expected attention, mask_token or remove, got \"dropout\"");
    CHECK(error_after([](json & j) { j.erase("masking"); }) ==
          "model.json: masking: missing (required; see docs/model-manifest.md)");
}

TEST_CASE("manifest: target", "[manifest]") {
    CHECK(error_after([](json & j) { j["target"]["class"] = "eggs"; }) ==
          "model.json: target.class: \"eggs\" is not one of the labels (ham, spam)");
    CHECK(error_after([](json & j) { j["target"]["class"] = 2; }) ==
          "model.json: target.class: expected an integer from 0 to 1, got 2");
    CHECK(error_after([](json & j) { j["target"]["measure"] = "odds"; }) ==
          "model.json: target.measure: expected logit, log-odds or prob, got \"odds\"");
    CHECK(error_after([](json & j) { j["target"].erase("measure"); }) ==
          "model.json: target.measure: missing (required; see docs/model-manifest.md)");
}

TEST_CASE("names of manifest enums", "[manifest]") {
    tensor_type t = TENSOR_INT64;
    CHECK(parse_tensor_type("int32", t));
    CHECK(t == TENSOR_INT32);
    CHECK_FALSE(parse_tensor_type("float16", t));
    CHECK(std::string(tensor_type_name(TENSOR_FLOAT32)) == "float32");
    CHECK(std::string(input_role_name(INPUT_MLP_MASK)) == "mlp_mask");
    CHECK(std::string(masking_method_name(MASKING_MASK_TOKEN)) == "mask_token");
}

TEST_CASE("manifest: internals", "[manifest][internals]") {
    CHECK_FALSE(parse_manifest(text_test::valid_manifest_json().dump()).internals.declared());
    json j                 = text_test::valid_manifest_json();
    j["internals"]         = {{"onnx", "onnx/model_internals.onnx"}, {"attentions", "attn"}};
    const model_manifest m = parse_manifest(j.dump());
    CHECK(m.internals.declared());
    CHECK(m.internals.onnx_file == "onnx/model_internals.onnx");
    CHECK(m.internals.attentions == "attn");
    CHECK(m.internals.hidden_states.empty());
    CHECK_FALSE(m.info.contains("internals"));  // parsed, not passed through as provenance
    CHECK(error_after([](json & x) { x["internals"] = "internals.onnx"; }) ==
          "model.json: internals: expected an object, got \"internals.onnx\"");
    CHECK(error_after([](json & x) {
              x["internals"] = {{"attentions", "a"}};
          }) == "model.json: internals.onnx: missing (required; see docs/model-manifest.md)");
    CHECK(error_after([](json & x) {
              x["internals"] = {{"onnx", "../other/model.onnx"}, {"attentions", "a"}};
          }) == "model.json: internals.onnx: expected a file name relative to the manifest's folder, got "
                "\"../other/model.onnx\"");
    CHECK(error_after([](json & x) {
              x["internals"] = {{"onnx", "/abs/model.onnx"}, {"attentions", "a"}};
          }) == "model.json: internals.onnx: expected a file name relative to the manifest's folder, got "
                "\"/abs/model.onnx\"");
    CHECK(error_after([](json & x) {
              x["internals"] = {{"onnx", "i.onnx"}};
          }) ==
          "model.json: internals: names no output; give attentions, hidden_states or both (docs/model-manifest.md)");
    CHECK(error_after([](json & x) {
              x["internals"] = {{"onnx", "i.onnx"}, {"attentions", 3}};
          }) == "model.json: internals.attentions: expected a string, got 3");
    CHECK(error_after([](json & x) {
              x["internals"] = {{"onnx", "i.onnx"}, {"attention", "a"}};
          }) == "model.json: internals.attention: unknown field; internals takes onnx, attentions and hidden_states");
    CHECK(error_after([](json & x) {
              x["internals"] = {{"onnx", "i.onnx"}, {"attentions", "a"}, {"hidden_states", "a"}};
          }) == "model.json: internals.hidden_states: is the same output as internals.attentions; they must differ");
}
