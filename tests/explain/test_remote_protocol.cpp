// The remote-inference protocols (src/explain/remote_protocol.h): requests built, responses read
// and refused, retries decided. Examples come from the protocols' own texts where they have any
// (cited at each test); every refusal is checked by its message.
//
// Index
//   [SECTION] openai-completions
//   [SECTION] tei
//   [SECTION] oip-v2
//   [SECTION] retries
#include "explain/remote_protocol.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using Catch::Matchers::Contains;
using nlohmann::json;
namespace remote = spexlens::remote;

remote::completion_spec yes_no_spec() {
    remote::completion_spec s;
    s.model           = "tiny";
    s.prompt_template = "Note: {text}\nIs it urgent? Answer:";
    s.answer_ids      = {3869, 1939};
    s.answer_pieces   = {" yes", " no"};
    return s;
}

}  // namespace

// [SECTION] openai-completions

TEST_CASE("remote: the completion request carries the filled prompt, both biases and one token") {
    const auto spec = yes_no_spec();
    const auto r    = remote::completion_request(spec, "chest pain {since} monday");
    CHECK(r["prompt"] == "Note: chest pain {since} monday\nIs it urgent? Answer:");
    CHECK(r["model"] == "tiny");
    CHECK(r["max_tokens"] == 1);
    // llama-server reads the probabilities after its sampler chain: bias, top-k 2, softmax; no
    // temperature or penalties (docs/remote-llama-server.md).
    CHECK(r["samplers"].dump() == R"(["top_k"])");
    CHECK(r["top_k"] == 2);
    CHECK_FALSE(r.contains("temperature"));
    CHECK(r["logprobs"] == 2);
    CHECK(r["n_probs"] == 2);
    CHECK(r["logit_bias"]["3869"] == 100.0);
    CHECK(r["logit_bias"]["1939"] == 100.0);
    CHECK(r["cache_prompt"] == false);
    CHECK(r["post_sampling_probs"] == true);
}

TEST_CASE("remote: a prompt template needs exactly one {text}, other braces kept") {
    CHECK(remote::fill_prompt("{\"q\": \"{text}\"}", "a b") == "{\"q\": \"a b\"}");
    CHECK_THROWS_WITH(remote::check_prompt_template("Is it urgent?"), Contains("has no {text}"));
    CHECK_THROWS_WITH(remote::check_prompt_template("{text} and {text}"), Contains("contains {text} 2 times"));
    CHECK_THROWS_AS(remote::check_prompt_template("{tex}"), remote::remote_error);
    auto spec            = yes_no_spec();
    spec.prompt_template = "no placeholder";
    CHECK_THROWS_WITH(remote::completion_request(spec, "x"), Contains("openai-completions: the prompt template"));
}

TEST_CASE("remote: the completion spec parses from JSON and refuses mistakes") {
    const auto s = remote::parse_completion_spec(json::parse(
        R"({"model": "m", "prompt": "Q: {text} A:", "answers": [" yes", " no"], "answer_ids": [5, 6], "bias": 50,
            "cache_prompt": true})"));
    CHECK(s.answer_ids[1] == 6);
    CHECK(s.answer_pieces[0] == " yes");
    CHECK(s.bias == 50);
    CHECK(s.cache_prompt);
    CHECK_THROWS_WITH(remote::parse_completion_spec(json::parse(R"({"prompt": "{text}", "answers": ["a", "b"],
        "temprature": 0})")),
                      Contains("\"temprature\" is unknown"));
    CHECK_THROWS_WITH(remote::parse_completion_spec(json::parse(R"({"prompt": "{text}", "answers": ["a", "a"]})")),
                      Contains("two different answers"));
    CHECK_THROWS_WITH(remote::parse_completion_spec(json::parse(R"({"prompt": "{text}"})")),
                      Contains("two non-empty answers"));
    CHECK_THROWS_WITH(remote::parse_completion_spec(json::parse(R"({"prompt": "x", "answers": ["a", "b"]})")),
                      Contains("no {text}"));
    auto spec          = yes_no_spec();
    spec.answer_ids[1] = -1;
    CHECK_THROWS_WITH(remote::completion_request(spec, "x"), Contains("token id of the answer \" no\" is unknown"));
    spec.answer_ids = {7, 7};
    CHECK_THROWS_WITH(remote::completion_request(spec, "x"), Contains("different tokens"));
}

// The shape of OpenAI's legacy completions API (and vLLM's /v1/completions):
// choices[0].logprobs.top_logprobs is a list of {token: logprob} per generated token.
TEST_CASE("remote: log-probabilities are read from OpenAI's legacy completion shape") {
    const auto r  = json::parse(R"({"id": "cmpl-1", "object": "text_completion", "choices": [{"index": 0,
        "text": " no", "logprobs": {"tokens": [" no"], "token_logprobs": [-0.4],
        "top_logprobs": [{" no": -0.4, " yes": -1.1}], "text_offset": [0]}, "finish_reason": "length"}]})");
    const auto lp = remote::parse_completion_logprobs(r, yes_no_spec());
    CHECK(lp[0] == Approx(-1.1));
    CHECK(lp[1] == Approx(-0.4));
}

// llama-server's /v1/completions: choices[0].logprobs.content[0].top_logprobs = [{id, token, logprob}].
TEST_CASE("remote: llama-server's OpenAI shape with post_sampling_probs holds top_probs") {
    const auto r  = json::parse(R"({"choices": [{"text": " yes", "logprobs": {"content": [{"id": 3869,
        "token": " yes", "prob": 0.8, "top_probs": [{"id": 3869, "token": " yes", "prob": 0.8},
        {"id": 1939, "token": " no", "prob": 0.2}]}]}}]})");
    const auto lp = remote::parse_completion_logprobs(r, yes_no_spec());
    CHECK(lp[0] - lp[1] == Approx(std::log(4.0)));
}

TEST_CASE("remote: log-probabilities are matched by id in llama-server's OpenAI shape") {
    // The pieces differ from the spec's on purpose: with ids present, ids decide.
    const auto r  = json::parse(R"({"choices": [{"text": "yes", "logprobs": {"content": [{"id": 3869,
        "token": "yes", "logprob": -0.2, "top_logprobs": [{"id": 3869, "token": "yes", "logprob": -0.2},
        {"id": 1939, "token": "no", "logprob": -1.7}]}]}}]})");
    const auto lp = remote::parse_completion_logprobs(r, yes_no_spec());
    CHECK(lp[0] == Approx(-0.2));
    CHECK(lp[1] == Approx(-1.7));
}

// llama-server's native /completion: completion_probabilities[0] with top_logprobs, or with
// post_sampling_probs top_probs [{id, token, prob}]; older servers: probs [{tok_str, prob}].
TEST_CASE("remote: log-probabilities are read from llama.cpp's native /completion shapes") {
    const auto spec = yes_no_spec();
    const auto a    = json::parse(R"({"content": " yes", "completion_probabilities": [{"id": 3869, "token": " yes",
        "logprob": -0.1, "top_logprobs": [{"id": 3869, "token": " yes", "logprob": -0.1},
        {"id": 1939, "token": " no", "logprob": -2.4}]}]})");
    CHECK(remote::parse_completion_logprobs(a, spec)[1] == Approx(-2.4));
    const auto b  = json::parse(R"({"completion_probabilities": [{"id": 3869, "token": " yes", "prob": 0.75,
        "top_probs": [{"id": 3869, "token": " yes", "prob": 0.75}, {"id": 1939, "token": " no", "prob": 0.25}]}]})");
    const auto lb = remote::parse_completion_logprobs(b, spec);
    CHECK(lb[0] - lb[1] == Approx(std::log(3.0)));
    const auto c = json::parse(R"({"completion_probabilities": [{"content": " no",
        "probs": [{"tok_str": " no", "prob": 0.6}, {"tok_str": " yes", "prob": 0.4}]}]})");
    CHECK(remote::parse_completion_logprobs(c, spec)[0] == Approx(std::log(0.4)));
}

TEST_CASE("remote: a completion response without an answer, with NaN or of another shape is refused") {
    const auto spec    = yes_no_spec();
    const auto missing = json::parse(R"({"completion_probabilities": [{"top_logprobs": [
        {"id": 3869, "token": " yes", "logprob": -0.1}, {"id": 42, "token": " maybe", "logprob": -3}]}]})");
    CHECK_THROWS_WITH(remote::parse_completion_logprobs(missing, spec),
                      "openai-completions: the answer \" no\" is not among the returned log-probabilities; is the "
                      "server honouring logit_bias?");
    const auto zero = json::parse(R"({"completion_probabilities": [{"top_probs": [
        {"id": 3869, "token": " yes", "prob": 1.0}, {"id": 1939, "token": " no", "prob": 0.0}]}]})");
    CHECK_THROWS_WITH(remote::parse_completion_logprobs(zero, spec), Contains("\" no\" probability 0"));
    // llama-server writes log(0) as the lowest float (server-task.cpp, logarithm).
    const auto lowest = json::parse(R"({"completion_probabilities": [{"top_logprobs": [
        {"id": 3869, "token": " yes", "logprob": 0}, {"id": 1939, "token": " no", "logprob": -3.4028234663852886e38}]}]})");
    CHECK_THROWS_WITH(remote::parse_completion_logprobs(lowest, spec), Contains("its sampler cut it"));
    const auto negative = json::parse(R"({"completion_probabilities": [{"top_probs": [
        {"id": 3869, "token": " yes", "prob": -0.5}, {"id": 1939, "token": " no", "prob": 0.5}]}]})");
    CHECK_THROWS_WITH(remote::parse_completion_logprobs(negative, spec), Contains("\" yes\" is NaN"));
    const auto null_lp = json::parse(R"({"completion_probabilities": [{"top_logprobs": [
        {"id": 3869, "token": " yes", "logprob": null}, {"id": 1939, "token": " no", "logprob": -1}]}]})");
    CHECK_THROWS_WITH(remote::parse_completion_logprobs(null_lp, spec), Contains("neither \"logprob\" nor \"prob\""));
    CHECK_THROWS_WITH(remote::parse_completion_logprobs(json::parse(R"({"choices": [{"text": "yes"}]})"), spec),
                      Contains("no log-probabilities of the next token"));
    CHECK_THROWS_WITH(remote::parse_completion_logprobs(json::parse("[1, 2]"), spec), Contains("no log-probabilities"));
    CHECK_THROWS_WITH(remote::parse_json_text("<html>502 Bad Gateway</html>", "openai-completions", "the response"),
                      Contains("openai-completions: the response is not JSON (it starts \"<html>502"));
}

TEST_CASE("remote: /tokenize requests and responses of llama-server and vLLM") {
    const auto r = remote::tokenize_request(" yes");
    CHECK(r["content"] == " yes");
    CHECK(r["prompt"] == " yes");
    CHECK(r["add_special"] == false);
    CHECK(r["add_special_tokens"] == false);
    CHECK(remote::parse_tokenize_response(json::parse(R"({"tokens": [3869]})")) == std::vector<int32_t>{3869});
    CHECK(remote::parse_tokenize_response(json::parse(R"({"count": 2, "max_model_len": 2048, "tokens": [1, 3869]})")) ==
          std::vector<int32_t>{1, 3869});
    CHECK(remote::parse_tokenize_response(json::parse(R"({"tokens": [{"id": 7, "piece": "x"}]})")) ==
          std::vector<int32_t>{7});
    CHECK_THROWS_WITH(remote::parse_tokenize_response(json::parse(R"({"count": 3, "tokens": [1, 2]})")),
                      Contains("says count 3 but holds 2 tokens"));
    CHECK_THROWS_WITH(remote::parse_tokenize_response(json::parse(R"({"tokens": [-1]})")),
                      Contains("not a non-negative 32-bit id"));
    CHECK_THROWS_WITH(remote::parse_tokenize_response(json::parse(R"({"ids": [1]})")), Contains("no \"tokens\""));
    CHECK(remote::answer_token({3869}, " yes") == 3869);
    CHECK_THROWS_WITH(remote::answer_token({3869, 29871}, " yes"),
                      "openai-completions: the answer \" yes\" is 2 tokens for this model; --answers needs "
                      "single-token answers");
    CHECK_THROWS_WITH(remote::answer_token({}, ""), Contains("is 0 tokens"));
}

// [SECTION] tei

// TEI's router (router/src/http/types.rs): PredictRequest {inputs, truncate, raw_scores}; a batch
// is [[text], [text, pair], ...]; a response row is [{"score", "label"}] (example label
// "admiration", score 0.5), sorted by score, so the order of labels varies by row.
TEST_CASE("remote: TEI /predict requests are nested batches, responses reordered to /info's labels") {
    const auto r = remote::tei_predict_request({"a b", "c"});
    CHECK(r.dump() == R"({"inputs":[["a b"],["c"]],"raw_scores":true,"truncate":true})");
    const auto labels = remote::parse_tei_info(json::parse(R"({"model_id": "org/model", "model_type":
        {"classifier": {"id2label": {"1": "admiration", "0": "neutral"}, "label2id": {}}}, "max_batch_tokens": 16384})"));
    REQUIRE(labels == std::vector<std::string>{"neutral", "admiration"});
    const auto logits = remote::parse_tei_predict(json::parse(R"([[{"score": 0.5, "label": "admiration"},
        {"score": -1.25, "label": "neutral"}], [{"score": 2.0, "label": "neutral"}, {"score": 0.0, "label":
        "admiration"}]])"),
                                                  labels, 2);
    CHECK(logits == std::vector<float>{-1.25f, 0.5f, 2.0f, 0.0f});
    const auto one = remote::parse_tei_predict(
        json::parse(R"([{"score": 3, "label": "neutral"}, {"score": 4, "label": "admiration"}])"), labels, 1);
    CHECK(one == std::vector<float>{3.0f, 4.0f});
}

TEST_CASE("remote: TEI responses with wrong rows, unknown or missing labels, or no classifier are refused") {
    const std::vector<std::string> labels{"neg", "pos"};
    const auto                     row = json::parse(R"([{"score": 1, "label": "neg"}, {"score": 2, "label": "pos"}])");
    CHECK_THROWS_WITH(remote::parse_tei_predict(json::array({row, row, row}), labels, 4),
                      "tei: the server returned 3 rows for 4 texts");
    CHECK_THROWS_WITH(remote::parse_tei_predict(
                          json::parse(R"([[{"score": 1, "label": "neg"}, {"score": 2, "label": "POS"}]])"), labels, 1),
                      Contains("the label \"POS\", which /info does not list"));
    CHECK_THROWS_WITH(remote::parse_tei_predict(json::parse(R"([[{"score": 1, "label": "neg"}]])"), labels, 1),
                      Contains("no score for the label \"pos\""));
    CHECK_THROWS_WITH(
        remote::parse_tei_predict(json::parse(R"([[{"score": null, "label": "neg"}, {"score": 2, "label": "pos"}]])"),
                                  labels, 1),
        Contains("not {\"label\": string, \"score\": number}"));
    CHECK_THROWS_WITH(remote::parse_tei_predict(json::parse(R"({"error": "x"})"), labels, 1),
                      Contains("not a list of rows"));
    CHECK_THROWS_WITH(
        remote::parse_tei_info(json::parse(R"({"model_type": {"embedding": {"pooling": "cls"}}})")),
        "tei: the server's model is of type \"embedding\", not a sequence classifier; /predict needs a classifier");
    CHECK_THROWS_WITH(
        remote::parse_tei_info(json::parse(R"({"model_type": {"classifier": {"id2label": {"0": "a", "2": "b"}}}})")),
        Contains("id2label must map the ids 0..1"));
    CHECK_THROWS_WITH(remote::parse_tei_info(json::parse(R"({"version": "1"})")), Contains("no \"model_type\""));
}

// [SECTION] oip-v2

namespace {

// A text classifier exported with its tokenizer, as Triton reports a model with max_batch_size > 0
// (the metadata object of the Open Inference Protocol's inference_rest.md, "Model Metadata").
const char * kTextModel = R"({"name": "sentiment", "versions": ["1"], "platform": "ensemble",
    "inputs": [{"name": "TEXT", "datatype": "BYTES", "shape": [-1, 1]}],
    "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 2]}, {"name": "hidden", "datatype": "FP32",
    "shape": [-1, 8]}]})";

// The model of the specification's inference example (kserve/open-inference-protocol,
// specification/protocol/inference_rest.md, "Inference Request Examples"): output0 is FP32 [3, 2].
const char * kSpecModel = R"({"name": "mymodel", "platform": "onnxruntime_onnx",
    "inputs": [{"name": "input0", "datatype": "UINT32", "shape": [2, 2]}, {"name": "input1", "datatype": "BOOL",
    "shape": [3]}], "outputs": [{"name": "output0", "datatype": "FP32", "shape": [3, 2]}]})";

std::string fp32_bytes(const std::vector<float> & values) {
    std::string out;
    for (float v : values) {
        uint32_t bits = 0;
        std::memcpy(&bits, &v, 4);
        for (int b = 0; b < 4; ++b) {
            out.push_back(char((bits >> (8 * b)) & 0xff));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("remote: OIP metadata is read and the request names the BYTES input and the logits output") {
    const auto m = remote::parse_oip_metadata(json::parse(kTextModel));
    CHECK(m.name == "sentiment");
    CHECK(m.platform == "ensemble");
    CHECK(m.versions == std::vector<std::string>{"1"});
    REQUIRE(m.inputs.size() == 1);
    CHECK(m.inputs[0].shape == std::vector<int64_t>{-1, 1});
    CHECK(remote::oip_logits_output(m).name == "logits");
    const auto r = remote::oip_infer_request(m, {"good", "not good"});
    CHECK(r.dump() == R"({"inputs":[{"name":"TEXT","shape":[2,1],"datatype":"BYTES","data":["good","not good"]}],)"
                      R"("outputs":[{"name":"logits"}]})");
    const auto b = remote::oip_infer_request(m, {"x"}, true);
    CHECK(b["outputs"][0]["parameters"]["binary_data"] == true);
    auto flat            = m;
    flat.inputs[0].shape = {-1};
    CHECK(remote::oip_infer_request(flat, {"x", "y", "z"})["inputs"][0]["shape"].dump() == "[3]");
    CHECK(remote::oip_labels(m, 2) == std::vector<std::string>{"class 0", "class 1"});
    auto labelled   = m;
    labelled.labels = {"neg", "pos"};
    CHECK(remote::oip_labels(labelled, 2) == std::vector<std::string>{"neg", "pos"});
}

TEST_CASE("remote: an OIP model that does not take one BYTES text input is refused, naming its inputs") {
    const auto tokens = remote::parse_oip_metadata(json::parse(R"({"name": "bert", "platform": "onnxruntime_onnx",
        "inputs": [{"name": "input_ids", "datatype": "INT64", "shape": [-1, -1]}, {"name": "attention_mask",
        "datatype": "INT64", "shape": [-1, -1]}], "outputs": [{"name": "logits", "datatype": "FP32",
        "shape": [-1, 2]}]})"));
    CHECK_THROWS_WITH(remote::oip_infer_request(tokens, {"x"}),
                      "oip-v2: this model takes input_ids INT64 [-1,-1] and attention_mask INT64 [-1,-1]; spexlens "
                      "sends text to OIP servers as one BYTES input of shape [-1] or [-1,1] — export the model with "
                      "its tokenizer (Triton ensemble / KServe transformer)");
    const auto spec_model = remote::parse_oip_metadata(json::parse(kSpecModel));
    CHECK_THROWS_WITH(remote::oip_infer_request(spec_model, {"x"}), Contains("input0 UINT32 [2,2] and input1"));
    auto fixed            = remote::parse_oip_metadata(json::parse(kTextModel));
    fixed.inputs[0].shape = {4};
    CHECK_THROWS_WITH(remote::oip_infer_request(fixed, {"x"}), Contains("batches of exactly 4 texts, not 1"));
    auto two_outputs            = remote::parse_oip_metadata(json::parse(kTextModel));
    two_outputs.outputs[0].name = "scores";
    CHECK_THROWS_WITH(remote::oip_logits_output(two_outputs), Contains("has the outputs scores, hidden"));
    CHECK_THROWS_WITH(remote::parse_oip_metadata(json::parse(R"({"error": "model 'x' not found"})")),
                      Contains("with an error: model 'x' not found"));
    CHECK_THROWS_WITH(remote::parse_oip_metadata(json::parse(R"({"name": "x", "inputs": []})")),
                      Contains("lacks name, inputs or outputs"));
}

// The specification's inference response (inference_rest.md, "Inference Request Examples"); the
// spec's text lacks the comma after "id" : "42", added here.
TEST_CASE("remote: the specification's inference response is read as 3 rows of 2 logits, flat or nested") {
    const auto m = remote::parse_oip_metadata(json::parse(kSpecModel));
    const auto r = json::parse(R"({"id" : "42", "outputs" : [{"name" : "output0", "shape" : [ 3, 2 ],
        "datatype"  : "FP32", "data" : [ 1.0, 1.1, 2.0, 2.1, 3.0, 3.1 ]}]})");
    const auto l = remote::parse_oip_infer_response(r, m, 3);
    CHECK(l.rows == 3);
    CHECK(l.classes == 2);
    CHECK(l.values == std::vector<float>{1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f});
    auto nested                      = r;
    nested["outputs"][0]["data"]     = json::parse("[[1.0, 1.1], [2.0, 2.1], [3.0, 3.1]]");
    nested["outputs"][0]["datatype"] = "FP64";
    CHECK(remote::parse_oip_infer_response(nested, m, 3).values == l.values);
    auto one_class                   = r;
    one_class["outputs"][0]["shape"] = json::array({6});
    const auto c                     = remote::parse_oip_infer_response(one_class, m, 6);
    CHECK(c.classes == 1);
    CHECK(c.values.size() == 6);
}

TEST_CASE("remote: OIP responses with wrong rows, datatype, size or NaN are refused") {
    const auto m    = remote::parse_oip_metadata(json::parse(kSpecModel));
    const auto good = json::parse(R"({"outputs": [{"name": "output0", "shape": [3, 2], "datatype": "FP32",
        "data": [1, 2, 3, 4, 5, 6]}]})");
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(good, m, 4), "oip-v2: the server returned 3 rows for 4 texts");
    auto fp16                      = good;
    fp16["outputs"][0]["datatype"] = "FP16";
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(fp16, m, 3),
                      "oip-v2: output \"output0\" is FP16; expected FP32 or FP64");
    auto short_data                  = good;
    short_data["outputs"][0]["data"] = json::array({1, 2, 3});
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(short_data, m, 3), Contains("holds 3 values; its shape says 6"));
    auto long_data                  = good;
    long_data["outputs"][0]["data"] = json::array({1, 2, 3, 4, 5, 6, 7});
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(long_data, m, 3), Contains("more values than its shape"));
    auto nan                     = good;
    nan["outputs"][0]["data"][4] = nullptr;  // how a JSON encoder writes NaN
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(nan, m, 3), Contains("holds null (NaN?)"));
    auto huge                     = good;
    huge["outputs"][0]["data"][1] = 1e300;  // finite as FP64, infinite as a float logit
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(huge, m, 3), Contains("non-finite value in row 0"));
    auto vast                   = good;  // a shape far beyond the data: refused, nothing allocated for it
    vast["outputs"][0]["shape"] = json::array({3, int64_t(1) << 30});
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(vast, m, 3), Contains("is too large"));
    vast["outputs"][0]["shape"] = json::array({3, 1 << 20});
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(vast, m, 3), Contains("holds 6 values; its shape says 3145728"));
    auto renamed                  = good;
    renamed["outputs"][0]["name"] = "other";
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(renamed, m, 3), Contains("no output \"output0\""));
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(json::parse(R"({"error": "bad input"})"), m, 3),
                      Contains("with an error: bad input"));
}

// Triton's binary tensor data extension (triton-inference-server/server,
// docs/protocol/extension_binary_data.md, "Examples"): the response header for output0 FP32 [3, 2]
// with binary_data_size 24, then the 24 bytes.
TEST_CASE("remote: the binary tensor extension's example response is read little-endian") {
    const auto m      = remote::parse_oip_metadata(json::parse(kSpecModel));
    const auto header = json::parse(R"({"outputs" : [{"name" : "output0", "shape" : [ 3, 2 ], "datatype"  : "FP32",
        "parameters" : {"binary_data_size" : 24}}]})");
    const std::vector<float> values{0.5f, -1.5f, 2.25f, 3.0f, -0.125f, 8.0f};
    const auto               l = remote::parse_oip_binary_response(header, fp32_bytes(values), m, 3);
    CHECK(l.values == values);
    // An output before ours shifts it by its binary_data_size.
    auto two = header;
    two["outputs"].insert(two["outputs"].begin(), json::parse(R"({"name": "pre", "shape": [1], "datatype": "FP32",
        "parameters": {"binary_data_size": 4}})"));
    CHECK(remote::parse_oip_binary_response(two, fp32_bytes({99.0f}) + fp32_bytes(values), m, 3).values == values);
    CHECK_THROWS_WITH(remote::parse_oip_binary_response(header, fp32_bytes(values).substr(0, 20), m, 3),
                      Contains("should be 24 bytes of binary data"));
    const std::vector<float> with_nan{0, std::numeric_limits<float>::quiet_NaN(), 0, 0, 0, 0};
    CHECK_THROWS_WITH(remote::parse_oip_binary_response(header, fp32_bytes(with_nan), m, 3),
                      Contains("non-finite value in row 0"));
    CHECK_THROWS_WITH(remote::parse_oip_infer_response(header, m, 3), Contains("came as binary data"));
}

// [SECTION] retries

TEST_CASE("remote: transient failures wait, honouring Retry-After, then give up") {
    remote::retry_input in;
    in.status       = 503;
    in.attempt      = 2;
    in.retry_after  = "7";
    const auto wait = remote::decide_retry(in);
    CHECK(wait.action == remote::RETRY_WAIT);
    CHECK(wait.delay_ms == 7000);
    in.retry_after = "Sun, 06 Nov 1994 08:49:37 GMT";  // RFC 9110's example IMF-fixdate
    in.now_ms      = 784111777000 - 2500;              // 2.5 s before it
    CHECK(remote::decide_retry(in).delay_ms == 2500);
    in.now_ms = 784111777000 + 1000;  // already past: retry now
    CHECK(remote::decide_retry(in).delay_ms == 0);
    in.retry_after = "3600";  // an hour: more than 10 minutes, so backoff instead
    CHECK(remote::decide_retry(in).delay_ms <= 500);
    in.retry_after = "soon";
    CHECK(remote::decide_retry(in).action == remote::RETRY_WAIT);
    for (int status : {0, 408, 429, 500, 502, 503, 504}) {
        in.status  = status;
        in.attempt = 1;
        CHECK(remote::decide_retry(in).action == remote::RETRY_WAIT);
        in.attempt      = in.max_attempts;
        const auto last = remote::decide_retry(in);
        CHECK(last.action == remote::RETRY_FAIL);
        CHECK_THAT(last.reason, Contains("gave up after 8 attempts: "));
    }
    in.status = 0;
    CHECK(remote::decide_retry(in).reason == "gave up after 8 attempts: connection error or timeout");
}

TEST_CASE("remote: 413 halves the batch down to one text, other 4xx fail at once") {
    remote::retry_input in;
    in.status     = 413;
    in.batch_rows = 64;
    CHECK(remote::decide_retry(in).action == remote::RETRY_HALVE_BATCH);
    in.batch_rows   = 1;
    const auto last = remote::decide_retry(in);
    CHECK(last.action == remote::RETRY_FAIL);
    CHECK_THAT(last.reason, Contains("for a single text"));
    for (int status : {400, 401, 403, 404, 422, 501}) {
        in.status = status;
        CHECK(remote::decide_retry(in).action == remote::RETRY_FAIL);
        CHECK_THAT(remote::decide_retry(in).reason, Contains("HTTP " + std::to_string(status)));
    }
    CHECK(std::string(remote::retry_action_name(remote::RETRY_HALVE_BATCH)) == "halve_batch");
}

TEST_CASE("remote: Retry-After values that are not delays are ignored") {
    CHECK(remote::parse_retry_after("", 0) == -1);
    CHECK(remote::parse_retry_after(" 12 ", 0) == 12000);
    CHECK(remote::parse_retry_after("-3", 0) == -1);
    CHECK(remote::parse_retry_after("99999999999999999999", 0) == -1);
    CHECK(remote::parse_retry_after("Sun, 06 Xyz 1994 08:49:37 GMT", 0) == -1);
    CHECK(remote::parse_retry_after("Sun, 06 Nov 1994 25:49:37 GMT", 0) == -1);
    CHECK(remote::parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", 0) == -1);  // RFC 850: not supported
    CHECK(remote::parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", 0) == 60000);
}

TEST_CASE("remote: jittered backoff stays within [0, min(cap, base * 2^(attempt-1))] and is deterministic") {
    std::mt19937_64 rng(20261207);
    bool            varies = false;
    for (int trial = 0; trial < 2000; ++trial) {
        const uint64_t seed    = rng();
        const int      attempt = 1 + int(rng() % 20);
        const int64_t  base    = 1 + int64_t(rng() % 1000);
        const int64_t  cap     = int64_t(rng() % 60000);
        const int64_t  d       = remote::backoff_delay_ms(seed, attempt, base, cap);
        const double   ceiling = std::min(double(cap), double(base) * std::pow(2.0, attempt - 1));
        REQUIRE(d >= 0);
        REQUIRE(double(d) <= ceiling);
        REQUIRE(d == remote::backoff_delay_ms(seed, attempt, base, cap));
        varies = varies || d != remote::backoff_delay_ms(seed + 1, attempt, base, cap);
    }
    CHECK(varies);  // the seed matters
    // The default policy: attempt 1 waits at most 250 ms, attempt 10 at most the 30 s cap.
    remote::retry_input in;
    in.status    = 0;
    in.seed      = 5;
    in.attempt   = 7;
    const auto d = remote::decide_retry(in);
    CHECK(d.delay_ms == remote::backoff_delay_ms(5, 7, 250, 30000));
    CHECK(d.delay_ms <= 16000);
}

TEST_CASE("remote: the bindings' JSON forms of retries and OIP models round-trip and refuse mistakes") {
    const auto in = remote::parse_retry_input(
        json::parse(R"({"status": 413, "attempt": 3, "retry_after": "", "seed": 9, "batch_rows": 16})"));
    CHECK(in.status == 413);
    CHECK(in.attempt == 3);
    CHECK(in.seed == 9);
    CHECK(in.max_attempts == 8);
    const auto out = remote::retry_decision_json(remote::decide_retry(in));
    CHECK(out["action"] == "halve_batch");
    CHECK(out["delay_ms"] == 0);
    CHECK_THROWS_WITH(remote::parse_retry_input(json::parse(R"({"status": 503})")), "retry: \"attempt\" is required");
    CHECK_THROWS_WITH(remote::parse_retry_input(json::parse(R"({"status": 503, "attempt": 0})")),
                      Contains("\"attempt\" must be an integer from 1"));
    CHECK_THROWS_WITH(remote::parse_retry_input(json::parse(R"({"status": 503, "attempt": 1, "retries": 2})")),
                      "retry: unknown field \"retries\"");
    CHECK_THROWS_WITH(remote::parse_retry_input(json::parse(R"({"status": 503, "attempt": 1, "retry_after": 5})")),
                      Contains("Retry-After header's text"));

    auto m       = remote::parse_oip_metadata(json::parse(kTextModel));
    m.labels     = {"neg", "pos"};
    const auto j = remote::oip_model_json(m);
    CHECK(j["logits_output"] == "logits");
    const auto back = remote::parse_oip_metadata(json::parse(j.dump()));
    CHECK(back.labels == m.labels);
    CHECK(back.outputs.size() == 2);
    CHECK(remote::oip_model_json(back).dump() == j.dump());
    remote::oip_logits l;
    l.rows    = 1;
    l.classes = 2;
    l.values  = {0.25f, -0.5f};
    CHECK(remote::oip_logits_json(l, m).dump() ==
          R"({"rows":1,"classes":2,"labels":["neg","pos"],"logits":[0.25,-0.5]})");
}
