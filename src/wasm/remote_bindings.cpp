// remote_bindings: the JavaScript face of the remote-inference protocols (src/explain/remote_protocol.h,
// issue 16) for the Node command-line explainer. Glue only: the Node side does HTTP, caching and
// flags; what to send, how to read the answer and whether to retry are decided in C++ and tested
// natively. JSON strings in and out; a refusal becomes a JS Error carrying the C++ message (one
// line, starting with the protocol's name).
//
//   openai-completions (llama-server, vLLM):
//     core.remoteTokenizeRequest(text)                  -> body of POST /tokenize
//     core.remoteParseTokenize(responseText)            -> "[ids]"
//     core.remoteAnswerToken(idsJson, answer)           -> the answer's one token id (number)
//     core.remoteCompletionRequest(specJson, maskedText) -> body of POST /v1/completions
//         specJson: {"model", "prompt", "answers": [A, B], "answer_ids": [a, b], "bias", "cache_prompt"}
//     core.remoteParseCompletion(responseText, specJson) -> "[logpA, logpB]" (one row of "logits")
//   tei (Text Embeddings Inference):
//     core.remoteParseTeiInfo(infoText)                  -> "[labels]" in id order (GET /info)
//     core.remoteTeiRequest(textsJson)                   -> body of POST /predict
//     core.remoteParseTei(responseText, labelsJson, rows) -> "[logits]" row-major [rows, labels]
//   oip-v2 (KServe, Triton):
//     core.remoteParseOipMetadata(metadataText)          -> the model, normalised (GET v2/models/NAME)
//     core.remoteOipRequest(metadataText, textsJson, binaryOutput) -> body of POST v2/models/NAME/infer
//     core.remoteParseOip(responseText, metadataText, rows) -> {"rows", "classes", "labels", "logits"}
//     core.remoteParseOipBinary(headerText, bytes, metadataText, rows) -> the same, for a response
//         using the binary tensor extension (headerText: its first Inference-Header-Content-Length
//         bytes; bytes: a Uint8Array of the rest)
//   retries:
//     core.remoteDecideRetry(inputJson) -> {"action": "wait"|"halve_batch"|"fail", "delay_ms", "reason"}
//         inputJson: {"status" (0: connection error/timeout), "attempt" (1-based), "retry_after",
//         "now_ms", "max_attempts", "base_ms", "cap_ms", "seed", "batch_rows"}
// metadataText may be the server's metadata response or remoteParseOipMetadata's output.
#include "explain/remote_protocol.h"
#include "wasm/js_glue.h"

#include <algorithm>
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <string>
#include <vector>

namespace {

using emscripten::val;
using spexlens::wasm::guarded;
namespace remote = spexlens::remote;

nlohmann::json parse(const std::string & text, const char * protocol, const char * what) {
    return remote::parse_json_text(text, protocol, what);
}

std::vector<std::string> string_list(const std::string & text, const char * protocol, const char * what) {
    const auto j = parse(text, protocol, what);
    if (!j.is_array() || !std::all_of(j.begin(), j.end(), [](const nlohmann::json & e) { return e.is_string(); })) {
        throw remote::remote_error(std::string(protocol) + ": " + what + " must be a JSON array of strings");
    }
    return j.get<std::vector<std::string>>();
}

std::string tokenize_request(const std::string & text) {
    return guarded([&] { return remote::tokenize_request(text).dump(); });
}

std::string parse_tokenize(const std::string & response) {
    return guarded([&] {
        return nlohmann::json(remote::parse_tokenize_response(parse(response, "openai-completions",
                                                                    "the /tokenize "
                                                                    "response")))
            .dump();
    });
}

double answer_token(const std::string & ids_json, const std::string & answer) {
    return guarded([&] {
        const auto ids = parse(ids_json, "openai-completions", "the answer's ids");
        if (!ids.is_array() ||
            !std::all_of(ids.begin(), ids.end(), [](const nlohmann::json & e) { return e.is_number_integer(); })) {
            throw remote::remote_error("openai-completions: the answer's ids must be a JSON array of integers");
        }
        return double(remote::answer_token(ids.get<std::vector<int32_t>>(), answer));
    });
}

std::string completion_request(const std::string & spec_json, const std::string & masked_text) {
    return guarded([&] {
        const auto spec = remote::parse_completion_spec(parse(spec_json, "openai-completions", "the completion spec"));
        return remote::completion_request(spec, masked_text).dump();
    });
}

std::string parse_completion(const std::string & response, const std::string & spec_json) {
    return guarded([&] {
        const auto spec = remote::parse_completion_spec(parse(spec_json, "openai-completions", "the completion spec"));
        const auto lp =
            remote::parse_completion_logprobs(parse(response, "openai-completions", "the completion response"), spec);
        return nlohmann::json::array({lp[0], lp[1]}).dump();
    });
}

std::string parse_tei_info(const std::string & info) {
    return guarded(
        [&] { return nlohmann::json(remote::parse_tei_info(parse(info, "tei", "the /info response"))).dump(); });
}

std::string tei_request(const std::string & texts_json) {
    return guarded([&] { return remote::tei_predict_request(string_list(texts_json, "tei", "the texts")).dump(); });
}

std::string parse_tei(const std::string & response, const std::string & labels_json, double rows) {
    return guarded([&] {
        const auto labels = string_list(labels_json, "tei", "the labels");
        return nlohmann::json(
                   remote::parse_tei_predict(parse(response, "tei", "the /predict response"), labels, size_t(rows)))
            .dump();
    });
}

remote::oip_model oip_model_of(const std::string & metadata) {
    return remote::parse_oip_metadata(parse(metadata, "oip-v2", "the model metadata"));
}

std::string parse_oip_metadata(const std::string & metadata) {
    return guarded([&] { return remote::oip_model_json(oip_model_of(metadata)).dump(); });
}

std::string oip_request(const std::string & metadata, const std::string & texts_json, bool binary_output) {
    return guarded([&] {
        return remote::oip_infer_request(oip_model_of(metadata), string_list(texts_json, "oip-v2", "the texts"),
                                         binary_output)
            .dump();
    });
}

std::string parse_oip(const std::string & response, const std::string & metadata, double rows) {
    return guarded([&] {
        const auto model = oip_model_of(metadata);
        const auto l =
            remote::parse_oip_infer_response(parse(response, "oip-v2", "the inference response"), model, size_t(rows));
        return remote::oip_logits_json(l, model).dump();
    });
}

std::string parse_oip_binary(const std::string & header, const val & bytes, const std::string & metadata, double rows) {
    std::string binary(bytes["length"].as<size_t>(), '\0');
    val(emscripten::typed_memory_view(binary.size(), reinterpret_cast<unsigned char *>(binary.data())))
        .call<void>("set", bytes);
    return guarded([&] {
        const auto model = oip_model_of(metadata);
        const auto l     = remote::parse_oip_binary_response(
                parse(header, "oip-v2", "the inference response's JSON header"), binary, model, size_t(rows));
        return remote::oip_logits_json(l, model).dump();
    });
}

std::string decide_retry(const std::string & input_json) {
    return guarded([&] {
        const auto in = remote::parse_retry_input(parse(input_json, "retry", "the retry input"));
        return remote::retry_decision_json(remote::decide_retry(in)).dump();
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(spexlens_remote) {
    emscripten::function("remoteTokenizeRequest", &tokenize_request);
    emscripten::function("remoteParseTokenize", &parse_tokenize);
    emscripten::function("remoteAnswerToken", &answer_token);
    emscripten::function("remoteCompletionRequest", &completion_request);
    emscripten::function("remoteParseCompletion", &parse_completion);
    emscripten::function("remoteParseTeiInfo", &parse_tei_info);
    emscripten::function("remoteTeiRequest", &tei_request);
    emscripten::function("remoteParseTei", &parse_tei);
    emscripten::function("remoteParseOipMetadata", &parse_oip_metadata);
    emscripten::function("remoteOipRequest", &oip_request);
    emscripten::function("remoteParseOip", &parse_oip);
    emscripten::function("remoteParseOipBinary", &parse_oip_binary);
    emscripten::function("remoteDecideRetry", &decide_retry);
}
