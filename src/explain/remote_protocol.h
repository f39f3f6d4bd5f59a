// remote_protocol: what the command-line explainer says to an inference server a team already runs
// (issue 16), and how it reads the answers — pure functions, no I/O. The Node glue
// (scripts/explain) owns the HTTP transport, the cache and the flags; it calls these through
// WebAssembly (src/wasm/remote_bindings.cpp), so every decision about a request, a response or a
// retry is made here and tested natively (tests/explain/test_remote_protocol.cpp).
//
// One model call is one masked text (the text with the masked words removed). Three protocols:
//   - openai-completions (llama.cpp's llama-server, vLLM): an LLM's next-token log-probabilities
//     of two answers; a row's "logits" are [log p(A), log p(B)], so the explainer's log-odds of
//     class 0 is log p(A) - log p(B);
//   - tei (Text Embeddings Inference /predict): a sequence classifier's raw scores per label;
//   - oip-v2 (Open Inference Protocol v2: KServe, Triton): a model whose one input is the text
//     (BYTES) and whose output is FP32/FP64 logits [rows, classes].
// Every refusal is a remote_error whose message is one line naming the protocol and what to do.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::remote {

// A request that cannot be built or a response that cannot be read; what() is one line a user
// can act on, starting with the protocol's name ("openai-completions: ...").
class remote_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// `text` parsed as JSON; malformed JSON becomes a remote_error naming `protocol` and `what`
// ("tei: the /predict response is not JSON (...)").
nlohmann::json parse_json_text(std::string_view text, std::string_view protocol, std::string_view what);

// ---------------------------------------------------------------------------------------------
// OpenAI-compatible completions (llama-server, vLLM)

// How an LLM is asked one yes/no question about a masked text.
struct completion_spec {
    std::string                model;                 // sent as "model"; may be empty (llama-server ignores it)
    std::string                prompt_template;       // contains "{text}" exactly once
    std::array<int32_t, 2>     answer_ids{-1, -1};    // token ids of answers A and B (-1: unknown, match by piece)
    std::array<std::string, 2> answer_pieces;         // the answers as tokenizer pieces (" yes"), for string matching
    double                     bias         = 100;    // logit_bias on both answers: puts them on top, keeps A - B
    bool                       cache_prompt = false;  // llama-server's prompt cache (off: deterministic results)
};

// Parses {"model", "prompt", "answer_ids": [a, b], "answers": ["A", "B"], "bias", "cache_prompt"};
// prompt and answers are required, unknown keys refused. Throws remote_error.
completion_spec parse_completion_spec(const nlohmann::json & j);

// Checks that `prompt_template` contains "{text}" exactly once; throws remote_error otherwise.
void check_prompt_template(std::string_view prompt_template);

// The template with its one "{text}" replaced by `masked_text`; other braces are kept literally.
std::string fill_prompt(std::string_view prompt_template, std::string_view masked_text);

// The body of POST /v1/completions (or llama-server's /completion) asking for the next token's
// top-2 log-probabilities with both answers biased to the top. Throws remote_error on a bad spec.
nlohmann::ordered_json completion_request(const completion_spec & spec, std::string_view masked_text);

// [log p(A), log p(B)] from a completion response: OpenAI's choices[0].logprobs (top_logprobs[0]
// as {token: logprob}, or content[0].top_logprobs as [{id?, token, logprob}]) or llama.cpp's
// native completion_probabilities[0] (top_logprobs / top_probs / probs with id or tok_str and
// logprob or prob). Answers are matched by id where the response has ids, else by piece.
// Throws remote_error on a missing answer, a non-finite value or an unknown shape.
std::array<double, 2> parse_completion_logprobs(const nlohmann::json & response, const completion_spec & spec);

// The body of POST /tokenize for llama-server ({"content"}) and vLLM ({"prompt"}) at once,
// without special tokens (no BOS: the ids are those of the text itself).
nlohmann::ordered_json tokenize_request(std::string_view text);

// The ids of a /tokenize response ({"tokens": [...]}, with or without vLLM's "count"; llama-server's
// [{"id", "piece"}] form too). Throws remote_error.
std::vector<int32_t> parse_tokenize_response(const nlohmann::json & response);

// The one token id of `answer` tokenised as `ids`; throws remote_error when it is not exactly
// one token (--answers needs single-token answers).
int32_t answer_token(const std::vector<int32_t> & ids, std::string_view answer);

// ---------------------------------------------------------------------------------------------
// Text Embeddings Inference (/predict, /info)

// The body of POST /predict for a batch: {"inputs": [[text], ...], "raw_scores": true,
// "truncate": true}. Always the nested form: TEI reads a flat pair [a, b] as one text pair.
nlohmann::ordered_json tei_predict_request(const std::vector<std::string> & texts);

// The classifier's labels in id order, from /info's model_type.classifier.id2label. Throws
// remote_error for an embedding or reranker model, or ids that are not 0..k-1.
std::vector<std::string> parse_tei_info(const nlohmann::json & info);

// Row-major logits [rows, labels.size()] in the order of `labels` from a /predict response
// ([[{"label", "score"}, ...], ...]). Throws remote_error on a wrong row count, a missing or
// unknown label or a non-finite score.
std::vector<float> parse_tei_predict(const nlohmann::json & response, const std::vector<std::string> & labels,
                                     size_t rows);

// ---------------------------------------------------------------------------------------------
// Open Inference Protocol v2 (KServe, Triton)

// One tensor of a model's metadata.
struct oip_tensor {
    std::string          name;
    std::string          datatype;  // "BYTES", "FP32", ...
    std::vector<int64_t> shape;     // -1: variable
};

// A model's metadata (GET v2/models/NAME[/versions/V]).
struct oip_model {
    std::string              name;
    std::vector<std::string> versions;
    std::string              platform;
    std::vector<oip_tensor>  inputs;
    std::vector<oip_tensor>  outputs;
    std::vector<std::string> labels;  // metadata "parameters": {"labels": [...]} if the server sends it
};

// Parses a model metadata response. Throws remote_error on a malformed one.
oip_model parse_oip_metadata(const nlohmann::json & metadata);

// The output spexlens reads: the only output, else the one named "logits". Throws remote_error.
const oip_tensor & oip_logits_output(const oip_model & model);

// The body of POST v2/models/NAME/infer: the texts as the model's one BYTES input, shape [rows]
// or [rows, 1] as its metadata says, asking for the logits output (as binary data when
// `binary_output`, the binary tensor extension). Throws remote_error, naming the inputs the model
// has, when it is not a single BYTES input.
nlohmann::ordered_json oip_infer_request(const oip_model & model, const std::vector<std::string> & texts,
                                         bool binary_output = false);

// Logits read from an inference response.
struct oip_logits {
    std::vector<float> values;  // row-major [rows, classes]
    size_t             rows    = 0;
    size_t             classes = 0;
};

// The logits output of a JSON inference response: FP32 or FP64, shape [rows, classes] or [rows]
// (one class), data flat or nested. Throws remote_error on wrong rows, datatype, size or NaN.
oip_logits parse_oip_infer_response(const nlohmann::json & response, const oip_model & model, size_t rows);

// The same from a response using the binary tensor extension: `header` is the JSON part (its
// Inference-Header-Content-Length bytes), `binary` the bytes after it; outputs with a
// "binary_data_size" parameter are laid out in order, little-endian.
oip_logits parse_oip_binary_response(const nlohmann::json & header, std::string_view binary, const oip_model & model,
                                     size_t rows);

// Class labels for `classes` outputs: the metadata's parameters.labels when it has exactly that
// many, else "class 0" .. "class k-1" (neither Triton nor KServe reports labels in metadata).
std::vector<std::string> oip_labels(const oip_model & model, size_t classes);

// ---------------------------------------------------------------------------------------------
// Retries: the transport asks, this decides

// What the transport does after a failed request.
enum retry_action { RETRY_WAIT, RETRY_HALVE_BATCH, RETRY_FAIL };

// The name of `a` as the bindings spell it: "wait", "halve_batch", "fail".
const char * retry_action_name(retry_action a);

// One failed request, as the transport saw it.
struct retry_input {
    int         status  = 0;           // HTTP status; 0 for a connection error or a timeout
    int         attempt = 1;           // 1-based number of the attempt that failed
    std::string retry_after;           // the Retry-After header (seconds or an HTTP-date); may be empty
    int64_t     now_ms       = 0;      // unix time in ms, to read an HTTP-date
    int         max_attempts = 8;      // attempts before giving up
    int64_t     base_ms      = 250;    // first backoff ceiling
    int64_t     cap_ms       = 30000;  // largest backoff
    uint64_t    seed         = 0;      // jitter: a pure function of (seed, attempt)
    size_t      batch_rows   = 1;      // texts in the failed request (413 halves it)
};

// What to do: wait delay_ms and retry, halve the batch and retry now, or fail with `reason`.
struct retry_decision {
    retry_action action   = RETRY_FAIL;
    int64_t      delay_ms = 0;
    std::string  reason;
};

// Connection errors, 408, 429, 500, 502, 503, 504: wait (Retry-After when given and at most
// 10 minutes, else exponential backoff with full jitter, capped) until max_attempts, then fail
// ("gave up after N attempts: ..."); 413: halve the batch (fail at one text); any other status:
// fail at once.
retry_decision decide_retry(const retry_input & in);

// Retry-After as a delay in ms from `now_ms` (delta-seconds or an IMF-fixdate HTTP-date, a past
// date giving 0); -1 when empty or unreadable.
int64_t parse_retry_after(std::string_view value, int64_t now_ms);

// The jittered backoff of `attempt`: uniform in [0, min(cap_ms, base_ms * 2^(attempt-1))],
// a pure function of (seed, attempt).
int64_t backoff_delay_ms(uint64_t seed, int attempt, int64_t base_ms, int64_t cap_ms);

// ---------------------------------------------------------------------------------------------
// JSON forms for the bindings (src/wasm/remote_bindings.cpp)

// {"name", "versions", "platform", "inputs", "outputs": [{"name", "datatype", "shape"}],
// "parameters": {"labels"}?, "logits_output"}: parse_oip_metadata reads it back unchanged.
nlohmann::ordered_json oip_model_json(const oip_model & model);

// {"rows", "classes", "labels" (oip_labels), "logits": [row-major]}.
nlohmann::ordered_json oip_logits_json(const oip_logits & logits, const oip_model & model);

// Reads {"status", "attempt", "retry_after", "now_ms", "max_attempts", "base_ms", "cap_ms",
// "seed", "batch_rows"}: status and attempt required, the rest defaulting as in retry_input;
// unknown keys refused. Throws remote_error.
retry_input parse_retry_input(const nlohmann::json & j);

// {"action": "wait" | "halve_batch" | "fail", "delay_ms", "reason"}.
nlohmann::ordered_json retry_decision_json(const retry_decision & d);

}  // namespace spexlens::remote
