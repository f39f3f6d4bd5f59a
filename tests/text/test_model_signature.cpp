// check_model_signature: the manifest against the inputs and outputs the runtime reports.
#include "text/model_manifest.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::text;
using Catch::Matchers::Contains;

namespace {

std::vector<runtime_tensor> fixture_inputs() {
    return {{"input_ids", "int64"}, {"attention_mask", "int64"}, {"head_mask", "float32"}, {"mlp_mask", "float32"}};
}

const std::vector<runtime_tensor> fixture_outputs = {{"logits", "float32"}};

}  // namespace

TEST_CASE("a model that matches its manifest passes", "[signature]") {
    const model_manifest m = text_test::test_manifest();
    CHECK(check_model_signature(m, fixture_inputs(), fixture_outputs).empty());
    // Runtimes' other spellings of the same types, and extra outputs, are fine.
    const std::vector<runtime_tensor> inputs = {{"input_ids", "tensor(int64)"},
                                                {"attention_mask", "int64"},
                                                {"head_mask", "tensor(float)"},
                                                {"mlp_mask", "float"}};
    CHECK(check_model_signature(m, inputs, {{"hidden", "float32"}, {"logits", "tensor(float)"}}).empty());
}

TEST_CASE("a manifest input the model lacks is named with the model's real inputs", "[signature]") {
    std::vector<runtime_tensor> inputs = fixture_inputs();
    inputs[1].name                     = "mask";
    const std::string message          = check_model_signature(text_test::test_manifest(), inputs, fixture_outputs);
    CHECK_THAT(message, Contains("input \"attention_mask\" (inputs[1], role attention_mask): the model has no input "
                                 "of that name; its inputs are input_ids (int64), mask (int64), head_mask (float32), "
                                 "mlp_mask (float32)"));
    // ... and "mask" is an input the manifest does not list.
    CHECK_THAT(message, Contains("the model takes input \"mask\" (int64), which the manifest does not list"));
}

TEST_CASE("a type mismatch names both types", "[signature]") {
    std::vector<runtime_tensor> inputs = fixture_inputs();
    inputs[0].type                     = "int32";
    CHECK(check_model_signature(text_test::test_manifest(), inputs, fixture_outputs) ==
          "model.json does not match the ONNX model (1 problem):\n"
          "  - input \"input_ids\" (inputs[0], role token_ids): the manifest says int64, the model takes int32\n"
          "Edit the manifest's inputs and output to the model's real names and types listed above "
          "(docs/model-manifest.md).");
}

TEST_CASE("an input the model requires but the manifest lacks is reported", "[signature]") {
    std::vector<runtime_tensor> inputs = fixture_inputs();
    inputs.push_back({"token_type_ids", "int64"});
    CHECK_THAT(check_model_signature(text_test::test_manifest(), inputs, fixture_outputs),
               Contains("the model takes input \"token_type_ids\" (int64), which the manifest does not list"));
}

TEST_CASE("a missing or mistyped output is reported", "[signature]") {
    const model_manifest m = text_test::test_manifest();
    CHECK_THAT(check_model_signature(m, fixture_inputs(), {{"probs", "float32"}}),
               Contains("output \"logits\": the model has no output of that name; its outputs are probs (float32)"));
    CHECK_THAT(check_model_signature(m, fixture_inputs(), {{"logits", "float16"}}),
               Contains("output \"logits\": the manifest says float32, the model gives float16"));
}

TEST_CASE("every mismatch is listed in one message", "[signature]") {
    const std::vector<runtime_tensor> inputs  = {{"input_ids", "int32"}, {"extra", "int64"}};
    const std::string                 message = check_model_signature(text_test::test_manifest(), inputs, {});
    CHECK_THAT(message, Contains("(6 problems)"));
    CHECK_THAT(message, Contains("\"input_ids\""));
    CHECK_THAT(message, Contains("\"attention_mask\""));
    CHECK_THAT(message, Contains("\"head_mask\""));
    CHECK_THAT(message, Contains("\"mlp_mask\""));
    CHECK_THAT(message, Contains("\"extra\""));
    CHECK_THAT(message, Contains("its outputs are (none)"));
}

TEST_CASE("a token id past the embedding table is explained as a vocabulary that is not the model's", "[signature]") {
    const std::string ort = "Non-zero status code returned while running Gather node. Name:'/model/tokens/Gather' "
                            "Status Message: indices element out of data bounds, idx=5000 must be within the "
                            "inclusive range [-4004,4003]";
    const std::string m   = describe_runtime_error(ort, 6004);
    CHECK_THAT(m, Catch::Contains("embedding table has 4004 rows"));
    CHECK_THAT(m, Catch::Contains("token id 5000"));
    CHECK_THAT(m, Catch::Contains("6004 entries"));
    CHECK_THAT(m, Catch::Contains("not the one this ONNX file was exported with"));

    // An id inside the range, another node, or another message: passed on, marked as ORT's.
    const std::string inside = describe_runtime_error("Gather: out of data bounds, idx=3 must be within the "
                                                      "inclusive range [-4004,4003]",
                                                      10);
    CHECK_THAT(inside, Catch::StartsWith("ONNX Runtime could not run the model: "));
    CHECK_THAT(describe_runtime_error("bad alloc", 10), Catch::Contains("outside spexlens"));
    // A huge message is cut.
    CHECK(describe_runtime_error(std::string(100000, 'x'), 10).size() < 1600);
    CHECK_THAT(describe_runtime_error("Gather out of data bounds, idx=", 10), Catch::StartsWith("ONNX Runtime"));
}

TEST_CASE("the internals graph is checked against the internals section", "[signature][internals]") {
    model_manifest m                       = text_test::test_manifest();
    m.internals.onnx_file                  = "onnx/model_internals.onnx";
    m.internals.attentions                 = "attentions";
    m.internals.hidden_states              = "hidden_states";
    const std::vector<runtime_tensor> good = {{"logits", "float32", {-1, 2}},
                                              {"attentions", "float32", {3, -1, 4, -1, -1}},
                                              {"hidden_states", "tensor(float)", {4, -1, -1, 64}}};
    CHECK(check_internals_signature(m, fixture_inputs(), good).empty());
    // The runtime may report no shapes: then ranks are not checked.
    CHECK(check_internals_signature(m, fixture_inputs(), {{"attentions", "float32"}, {"hidden_states", "float32"}})
              .empty());

    const std::string missing = check_internals_signature(m, fixture_inputs(), {good[0], good[2]});
    CHECK_THAT(missing, Contains("onnx/model_internals.onnx does not match"));
    CHECK_THAT(missing, Contains("output \"attentions\" (internals.attentions): the graph has no output of that name"));
    CHECK_THAT(missing, Contains("logits (float32)"));

    const std::string wrong = check_internals_signature(
        m, fixture_inputs(),
        {{"attentions", "float16", {3, -1, 4, -1, -1}}, {"hidden_states", "float32", {4, -1, 64}}});
    CHECK_THAT(wrong, Contains("output \"attentions\" (internals.attentions): the graph gives float16"));
    CHECK_THAT(wrong,
               Contains("output \"hidden_states\" (internals.hidden_states): the graph gives 3 axes, expected 4"));

    const std::string inputs = check_internals_signature(m, {{"input_ids", "int64"}}, good);
    CHECK_THAT(inputs, Contains("input \"attention_mask\": the model takes it but the internals graph does not"));

    // Only declared outputs are checked.
    m.internals.hidden_states.clear();
    CHECK(check_internals_signature(m, fixture_inputs(), {good[1]}).empty());
}
