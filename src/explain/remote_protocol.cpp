// remote_protocol: requests to and responses from inference servers (see the header).
//
// Index
//   [SECTION] shared helpers
//   [SECTION] openai-completions: the spec and the request
//   [SECTION] openai-completions: reading log-probabilities
//   [SECTION] openai-completions: /tokenize
//   [SECTION] tei
//   [SECTION] oip-v2: metadata and the request
//   [SECTION] oip-v2: reading logits
//   [SECTION] retries
//   [SECTION] JSON forms for the bindings
#include "explain/remote_protocol.h"

#include "json/json_text.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

namespace spexlens::remote {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr const char * kOpenAI = "openai-completions";
constexpr const char * kTei    = "tei";
constexpr const char * kOip    = "oip-v2";

// Largest tensor dimension and largest logits tensor accepted from a server: bounded memory on
// bad input, and byte counts that fit a 32-bit size_t (wasm32).
constexpr int64_t kMaxDimension = int64_t(1) << 31;
constexpr size_t  kMaxLogits    = size_t(1) << 26;

// [SECTION] shared helpers

[[noreturn]] void fail(const char * protocol, const std::string & message) {
    throw remote_error(std::string(protocol) + ": " + message);
}

// `s` quoted for a message ("\" yes\"").
std::string quote_text(std::string_view s) {
    // A server's bytes may be invalid UTF-8, or cut inside a character: shown with U+FFFD.
    return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string rows_message(size_t got, size_t want) {
    return "the server returned " + std::to_string(got) + " rows for " + std::to_string(want) + " texts";
}

// j[key] when j is an object holding it, else nullptr.
const json * member(const json & j, const char * key) {
    if (!j.is_object()) {
        return nullptr;
    }
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

std::string join(const std::vector<std::string> & parts, const char * separator) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        out += (i ? separator : "") + parts[i];
    }
    return out;
}

}  // namespace

json parse_json_text(std::string_view text, std::string_view protocol, std::string_view what) {
    // Bounded: a server's answer nested 100,000 deep or with millions of keys is refused before
    // nlohmann builds it (json/json_text.h), like every other JSON a user or a server hands us.
    try {
        return parse_bounded_json<json>(text);
    } catch (const json_input_error & e) {
        const std::string head(text.substr(0, 60));
        throw remote_error(std::string(protocol) + ": " + std::string(what) + " is not JSON (it starts " +
                           quote_text(head) + ": " + e.what() + "); is the endpoint speaking this protocol?");
    }
}

// [SECTION] openai-completions: the spec and the request

completion_spec parse_completion_spec(const json & j) {
    if (!j.is_object()) {
        fail(kOpenAI, "the completion spec must be a JSON object");
    }
    completion_spec s;
    for (const auto & [key, value] : j.items()) {
        if (key == "model" && value.is_string()) {
            s.model = value.get<std::string>();
        } else if (key == "prompt" && value.is_string()) {
            s.prompt_template = value.get<std::string>();
        } else if (key == "answers" && value.is_array() && value.size() == 2 && value[0].is_string() &&
                   value[1].is_string()) {
            s.answer_pieces = {value[0].get<std::string>(), value[1].get<std::string>()};
        } else if (key == "answer_ids" && value.is_array() && value.size() == 2 && value[0].is_number_integer() &&
                   value[1].is_number_integer()) {
            s.answer_ids = {value[0].get<int32_t>(), value[1].get<int32_t>()};
        } else if (key == "bias" && value.is_number() && std::isfinite(value.get<double>())) {
            s.bias = value.get<double>();
        } else if (key == "cache_prompt" && value.is_boolean()) {
            s.cache_prompt = value.get<bool>();
        } else {
            fail(kOpenAI, "completion spec: " + quote_text(key) +
                              " is unknown or has the wrong type (expected model, prompt, answers [A, B], "
                              "answer_ids [a, b], bias, cache_prompt)");
        }
    }
    if (s.answer_pieces[0].empty() || s.answer_pieces[1].empty()) {
        fail(kOpenAI, "completion spec: \"answers\" needs two non-empty answers, as --answers A,B gives them");
    }
    if (s.answer_pieces[0] == s.answer_pieces[1]) {
        fail(kOpenAI, "both answers are " + quote_text(s.answer_pieces[0]) + "; --answers needs two different answers");
    }
    check_prompt_template(s.prompt_template);
    return s;
}

void check_prompt_template(std::string_view prompt_template) {
    size_t count = 0;
    for (size_t at = prompt_template.find("{text}"); at != std::string_view::npos;
         at        = prompt_template.find("{text}", at + 6)) {
        ++count;
    }
    if (count == 0) {
        fail(kOpenAI, "the prompt template has no {text}; put {text} where the masked text goes");
    }
    if (count > 1) {
        fail(kOpenAI, "the prompt template contains {text} " + std::to_string(count) +
                          " times; it must contain it exactly once");
    }
}

std::string fill_prompt(std::string_view prompt_template, std::string_view masked_text) {
    check_prompt_template(prompt_template);
    const size_t at  = prompt_template.find("{text}");
    std::string  out = std::string(prompt_template.substr(0, at));
    out += masked_text;
    out += prompt_template.substr(at + 6);
    return out;
}

ordered_json completion_request(const completion_spec & spec, std::string_view masked_text) {
    for (int k = 0; k < 2; ++k) {
        if (spec.answer_ids[k] < 0) {
            fail(kOpenAI, "the token id of the answer " + quote_text(spec.answer_pieces[k]) +
                              " is unknown; tokenise the answers (/tokenize) before sending requests");
        }
    }
    if (spec.answer_ids[0] == spec.answer_ids[1]) {
        fail(kOpenAI, "both answers are token " + std::to_string(spec.answer_ids[0]) +
                          "; --answers needs two answers that are different tokens");
    }
    // Every field in one place (docs/remote-llama-server.md has the requests as observed).
    // OpenAI/vLLM read logprobs (top-k log-probabilities of the one generated token);
    // llama-server reads n_probs, post_sampling_probs, samplers and cache_prompt. Equal biases
    // on both answers put them on top of the distribution without changing log p(A) - log p(B).
    // llama-server applies logit_bias only in its sampler chain, so the probabilities are read
    // after sampling (post_sampling_probs), and the chain is named: bias, then top-k 2 (which
    // keeps both answers: nothing else comes within `bias` nats of them), then the softmax.
    // Naming it matters: the default chain's temperature (0.8) rescales the difference, and
    // the server's repeat/presence penalties (fed the prompt's tokens) would shift it, even with
    // neutral values sent for each; temperature 0 would keep only the top token. The one
    // sampled token is never used, and the probabilities do not depend on it, so the call stays
    // deterministic.
    ordered_json bias                        = ordered_json::object();
    bias[std::to_string(spec.answer_ids[0])] = spec.bias;
    bias[std::to_string(spec.answer_ids[1])] = spec.bias;
    ordered_json r;
    r["model"]               = spec.model;
    r["prompt"]              = fill_prompt(spec.prompt_template, masked_text);
    r["max_tokens"]          = 1;
    r["logprobs"]            = 2;
    r["logit_bias"]          = bias;
    r["n_probs"]             = 2;
    r["post_sampling_probs"] = true;
    r["samplers"]            = ordered_json::array({"top_k"});
    r["top_k"]               = 2;
    r["cache_prompt"]        = spec.cache_prompt;
    return r;
}

// [SECTION] openai-completions: reading log-probabilities

namespace {

// One candidate token of a response: its id (-1: absent), its piece, its log-probability.
struct candidate {
    int64_t     id = -1;
    std::string piece;
    double      logprob = 0;
};

// One entry {id?, token|tok_str, logprob|prob}; prob is turned into its log.
candidate read_candidate(const json & e) {
    if (!e.is_object()) {
        fail(kOpenAI, "a returned log-probability entry is not an object");
    }
    candidate c;
    if (const json * id = member(e, "id"); id && id->is_number_integer()) {
        c.id = id->get<int64_t>();
    }
    const json * piece = member(e, "token");
    piece              = piece ? piece : member(e, "tok_str");
    if (piece && piece->is_string()) {
        c.piece = piece->get<std::string>();
    }
    if (const json * lp = member(e, "logprob"); lp && lp->is_number()) {
        c.logprob = lp->get<double>();
    } else if (const json * p = member(e, "prob"); p && p->is_number()) {
        c.logprob = std::log(p->get<double>());
    } else {
        fail(kOpenAI, "a returned token has neither \"logprob\" nor \"prob\" as a number");
    }
    return c;
}

std::vector<candidate> read_candidate_list(const json & list) {
    std::vector<candidate> out;
    for (const auto & e : list) {
        out.push_back(read_candidate(e));
    }
    return out;
}

// The first-token candidates of any of the supported response shapes; nullopt when none matches.
std::optional<std::vector<candidate>> first_token_candidates(const json & r) {
    if (const json * choices = member(r, "choices"); choices && choices->is_array() && !choices->empty()) {
        const json * lp = member((*choices)[0], "logprobs");
        if (const json * content = lp ? member(*lp, "content") : nullptr; content && content->is_array()) {
            const json * first = content->empty() ? nullptr : &(*content)[0];
            const json * top   = first ? member(*first, "top_logprobs") : nullptr;
            top                = top ? top : (first ? member(*first, "top_probs") : nullptr);  // post_sampling_probs
            if (top && top->is_array()) {
                return read_candidate_list(*top);
            }
        }
        if (const json * top = lp ? member(*lp, "top_logprobs") : nullptr; top && top->is_array() && !top->empty()) {
            if ((*top)[0].is_object()) {
                std::vector<candidate> out;  // OpenAI's legacy shape: {piece: logprob}
                for (const auto & [piece, value] : (*top)[0].items()) {
                    if (!value.is_number()) {
                        fail(kOpenAI, "the log-probability of " + quote_text(piece) + " is not a number");
                    }
                    out.push_back({-1, piece, value.get<double>()});
                }
                return out;
            }
        }
        return std::nullopt;
    }
    const json * probs = member(r, "completion_probabilities");
    if (probs && probs->is_array() && !probs->empty()) {
        for (const char * key : {"top_logprobs", "top_probs", "probs"}) {
            if (const json * list = member((*probs)[0], key); list && list->is_array()) {
                return read_candidate_list(*list);
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::array<double, 2> parse_completion_logprobs(const json & response, const completion_spec & spec) {
    const auto candidates = first_token_candidates(response);
    if (!candidates) {
        fail(kOpenAI, "the response has no log-probabilities of the next token (expected choices[0].logprobs or "
                      "completion_probabilities); does the server support logprobs/n_probs?");
    }
    std::array<double, 2> out{};
    for (int k = 0; k < 2; ++k) {
        const candidate * found = nullptr;
        for (const auto & c : *candidates) {
            const bool by_id = c.id >= 0 && spec.answer_ids[k] >= 0;
            if (by_id ? c.id == spec.answer_ids[k] : c.piece == spec.answer_pieces[k]) {
                found = &c;
                break;
            }
        }
        if (!found) {
            fail(kOpenAI, "the answer " + quote_text(spec.answer_pieces[k]) +
                              " is not among the returned log-probabilities; is the server honouring logit_bias?");
        }
        // llama-server writes log(0) as the lowest float, since JSON has no -inf.
        if (found->logprob <= -1e30) {
            fail(kOpenAI, "the server gives the answer " + quote_text(spec.answer_pieces[k]) +
                              " probability 0; its sampler cut it (temperature 0, top_k, top_p or min_p?)");
        }
        if (!std::isfinite(found->logprob)) {
            fail(kOpenAI, "the log-probability of the answer " + quote_text(spec.answer_pieces[k]) + " is " +
                              (std::isnan(found->logprob) ? "NaN" : "infinite") + "; the server's output is unusable");
        }
        out[k] = found->logprob;
    }
    return out;
}

// [SECTION] openai-completions: /tokenize

ordered_json tokenize_request(std::string_view text) {
    ordered_json r;
    r["content"]            = std::string(text);  // llama-server
    r["prompt"]             = std::string(text);  // vLLM
    r["add_special"]        = false;              // llama-server: no BOS
    r["add_special_tokens"] = false;              // vLLM: no BOS
    return r;
}

std::vector<int32_t> parse_tokenize_response(const json & response) {
    const json * tokens = member(response, "tokens");
    if (!tokens || !tokens->is_array()) {
        fail(kOpenAI, "the /tokenize response has no \"tokens\" array; is the endpoint llama-server or vLLM?");
    }
    std::vector<int32_t> ids;
    for (const auto & t : *tokens) {
        const json * id = t.is_object() ? member(t, "id") : &t;  // llama-server's with_pieces form
        if (!id || !id->is_number_integer() || id->get<int64_t>() < 0 ||
            id->get<int64_t>() > std::numeric_limits<int32_t>::max()) {
            fail(kOpenAI, "the /tokenize response holds a token that is not a non-negative 32-bit id");
        }
        ids.push_back(id->get<int32_t>());
    }
    if (const json * count = member(response, "count");
        count && count->is_number_integer() && count->get<int64_t>() != int64_t(ids.size())) {
        fail(kOpenAI, "the /tokenize response says count " + count->dump() + " but holds " +
                          std::to_string(ids.size()) + " tokens");
    }
    return ids;
}

int32_t answer_token(const std::vector<int32_t> & ids, std::string_view answer) {
    if (ids.size() != 1) {
        fail(kOpenAI, "the answer " + quote_text(answer) + " is " + std::to_string(ids.size()) +
                          " tokens for this model; --answers needs single-token answers");
    }
    return ids[0];
}

// [SECTION] tei

ordered_json tei_predict_request(const std::vector<std::string> & texts) {
    ordered_json inputs = ordered_json::array();
    for (const auto & t : texts) {
        inputs.push_back(ordered_json::array({t}));
    }
    ordered_json r;
    r["inputs"]     = std::move(inputs);
    r["raw_scores"] = true;  // logits, not softmax probabilities
    r["truncate"]   = true;  // like the local explainer's long_text "head"
    return r;
}

std::vector<std::string> parse_tei_info(const json & info) {
    const json * type = member(info, "model_type");
    if (!type || !type->is_object()) {
        fail(kTei, "the /info response has no \"model_type\"; is the endpoint Text Embeddings Inference?");
    }
    const json * classifier = member(*type, "classifier");
    if (!classifier) {
        const std::string kind = type->empty() ? "unknown" : type->begin().key();
        fail(kTei, "the server's model is of type " + quote_text(kind) +
                       ", not a sequence classifier; /predict needs a classifier");
    }
    const json * id2label = member(*classifier, "id2label");
    if (!id2label || !id2label->is_object() || id2label->empty()) {
        fail(kTei, "the classifier's /info has no id2label");
    }
    std::vector<std::string> labels(id2label->size());
    std::vector<bool>        seen(labels.size(), false);
    for (const auto & [key, value] : id2label->items()) {
        size_t     id     = 0;
        const bool digits = !key.empty() && key.size() < 10 &&
                            std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) {
            id = size_t(std::stoul(key));
        }
        if (!digits || id >= labels.size() || seen[id] || !value.is_string()) {
            fail(kTei, "id2label must map the ids 0.." + std::to_string(labels.size() - 1) +
                           " to label strings; it has " + quote_text(key));
        }
        seen[id]   = true;
        labels[id] = value.get<std::string>();
    }
    return labels;
}

namespace {

// One /predict row ([{"label", "score"}, ...]) as scores in the order of `labels`.
void read_tei_row(const json & row, const std::vector<std::string> & labels, size_t r, std::vector<float> & out) {
    if (!row.is_array()) {
        fail(kTei, "row " + std::to_string(r) + " of the /predict response is not a list of {label, score}");
    }
    std::vector<bool> seen(labels.size(), false);
    for (const auto & p : row) {
        const json * label = member(p, "label");
        const json * score = member(p, "score");
        if (!label || !label->is_string() || !score || !score->is_number()) {
            fail(kTei,
                 "row " + std::to_string(r) + " holds an entry that is not {\"label\": string, \"score\": number}");
        }
        const auto at = std::find(labels.begin(), labels.end(), label->get<std::string>());
        if (at == labels.end()) {
            fail(kTei, "the server returned the label " + label->dump() + ", which /info does not list");
        }
        const size_t c = size_t(at - labels.begin());
        const double v = score->get<double>();
        if (!std::isfinite(v) || std::fabs(v) > double(std::numeric_limits<float>::max())) {
            fail(kTei, "the server returned a non-finite score for " + label->dump() + " in row " + std::to_string(r));
        }
        seen[c]                    = true;
        out[r * labels.size() + c] = float(v);
    }
    for (size_t c = 0; c < labels.size(); ++c) {
        if (!seen[c]) {
            fail(kTei, "row " + std::to_string(r) + " has no score for the label " + quote_text(labels[c]));
        }
    }
}

}  // namespace

std::vector<float> parse_tei_predict(const json & response, const std::vector<std::string> & labels, size_t rows) {
    if (labels.empty()) {
        fail(kTei, "no labels to read the /predict response with; read them from /info first");
    }
    if (!response.is_array()) {
        fail(kTei, "the /predict response is not a list of rows");
    }
    // One text may come back as one flat row [{label, score}, ...].
    const bool   flat    = rows == 1 && !response.empty() && response[0].is_object();
    const json   wrapped = flat ? json::array({response}) : json();
    const json & batch   = flat ? wrapped : response;
    if (batch.size() != rows) {
        fail(kTei, rows_message(batch.size(), rows));
    }
    std::vector<float> out(rows * labels.size());
    for (size_t r = 0; r < rows; ++r) {
        read_tei_row(batch[r], labels, r, out);
    }
    return out;
}

// [SECTION] oip-v2: metadata and the request

namespace {

oip_tensor read_tensor(const json & t, const char * list) {
    const json * name     = member(t, "name");
    const json * datatype = member(t, "datatype");
    const json * shape    = member(t, "shape");
    if (!name || !name->is_string() || !datatype || !datatype->is_string() || !shape || !shape->is_array()) {
        fail(kOip, std::string("an entry of the metadata's \"") + list + "\" lacks name, datatype or shape");
    }
    oip_tensor out{name->get<std::string>(), datatype->get<std::string>(), {}};
    for (const auto & d : *shape) {
        if (!d.is_number_integer() || d.get<int64_t>() < -1 || d.get<int64_t>() > kMaxDimension) {
            fail(kOip, "the shape of " + quote_text(out.name) + " holds " + json_shown(d) + ", not a dimension or -1");
        }
        out.shape.push_back(d.get<int64_t>());
    }
    return out;
}

std::string shape_text(const std::vector<int64_t> & shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        out += (i ? "," : "") + std::to_string(shape[i]);
    }
    return out + "]";
}

std::string describe_tensors(const std::vector<oip_tensor> & tensors) {
    std::vector<std::string> parts;
    for (const auto & t : tensors) {
        parts.push_back(t.name + " " + t.datatype + " " + shape_text(t.shape));
    }
    return parts.empty() ? "no inputs" : join(parts, " and ");
}

}  // namespace

oip_model parse_oip_metadata(const json & metadata) {
    if (const json * error = member(metadata, "error"); error && error->is_string()) {
        fail(kOip, "the server answered the metadata request with an error: " + error->get<std::string>());
    }
    const json * name    = member(metadata, "name");
    const json * inputs  = member(metadata, "inputs");
    const json * outputs = member(metadata, "outputs");
    if (!name || !name->is_string() || !inputs || !inputs->is_array() || !outputs || !outputs->is_array()) {
        fail(kOip, "the model metadata lacks name, inputs or outputs; is the endpoint an Open Inference Protocol "
                   "v2 server (v2/models/NAME)?");
    }
    oip_model m;
    m.name = name->get<std::string>();
    if (const json * platform = member(metadata, "platform"); platform && platform->is_string()) {
        m.platform = platform->get<std::string>();
    }
    if (const json * versions = member(metadata, "versions"); versions && versions->is_array()) {
        for (const auto & v : *versions) {
            m.versions.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        }
    }
    for (const auto & t : *inputs) {
        m.inputs.push_back(read_tensor(t, "inputs"));
    }
    for (const auto & t : *outputs) {
        m.outputs.push_back(read_tensor(t, "outputs"));
    }
    const json * parameters = member(metadata, "parameters");
    if (const json * labels = parameters ? member(*parameters, "labels") : nullptr; labels && labels->is_array()) {
        for (const auto & l : *labels) {
            m.labels.push_back(l.is_string() ? l.get<std::string>() : l.dump());
        }
    }
    return m;
}

const oip_tensor & oip_logits_output(const oip_model & model) {
    if (model.outputs.size() == 1) {
        return model.outputs[0];
    }
    for (const auto & t : model.outputs) {
        if (t.name == "logits") {
            return t;
        }
    }
    std::vector<std::string> names;
    for (const auto & t : model.outputs) {
        names.push_back(t.name);
    }
    fail(kOip, "the model " + quote_text(model.name) + " has the outputs " +
                   (names.empty() ? std::string("(none)") : join(names, ", ")) +
                   "; spexlens reads the only output or the one named \"logits\"");
}

ordered_json oip_infer_request(const oip_model & model, const std::vector<std::string> & texts, bool binary_output) {
    const bool   one_bytes = model.inputs.size() == 1 && model.inputs[0].datatype == "BYTES";
    const auto & shape     = one_bytes ? model.inputs[0].shape : std::vector<int64_t>{};
    const bool   columns   = shape.size() == 2 && (shape[1] == 1 || shape[1] == -1);
    if (!one_bytes || !(shape.size() == 1 || columns)) {
        fail(kOip, "this model takes " + describe_tensors(model.inputs) +
                       "; spexlens sends text to OIP servers as one BYTES input of shape [-1] or [-1,1] — export "
                       "the model with its tokenizer (Triton ensemble / KServe transformer)");
    }
    if (shape[0] != -1 && shape[0] != int64_t(texts.size())) {
        fail(kOip, "the model's input " + quote_text(model.inputs[0].name) + " takes batches of exactly " +
                       std::to_string(shape[0]) + " texts, not " + std::to_string(texts.size()));
    }
    ordered_json input;
    input["name"]     = model.inputs[0].name;
    input["shape"]    = columns ? ordered_json::array({texts.size(), 1}) : ordered_json::array({texts.size()});
    input["datatype"] = "BYTES";
    input["data"]     = texts;
    ordered_json output;
    output["name"] = oip_logits_output(model).name;
    if (binary_output) {
        output["parameters"] = {{"binary_data", true}};
    }
    ordered_json r;
    r["inputs"]  = ordered_json::array({std::move(input)});
    r["outputs"] = ordered_json::array({std::move(output)});
    return r;
}

// [SECTION] oip-v2: reading logits

namespace {

// The response's entry for the output named `name`.
const json & find_output(const json & response, const std::string & name) {
    if (const json * error = member(response, "error"); error && error->is_string()) {
        fail(kOip, "the server answered the inference request with an error: " + error->get<std::string>());
    }
    const json * outputs = member(response, "outputs");
    if (!outputs || !outputs->is_array()) {
        fail(kOip, "the inference response has no \"outputs\" list");
    }
    for (const auto & o : *outputs) {
        if (const json * n = member(o, "name"); n && n->is_string() && n->get<std::string>() == name) {
            return o;
        }
    }
    fail(kOip, "the inference response has no output " + quote_text(name));
}

// rows and classes of an output entry, checked against the expected rows; its element count.
oip_logits shape_of(const json & out, const std::string & name, size_t rows) {
    const json *      datatype = member(out, "datatype");
    const std::string type     = datatype && datatype->is_string() ? datatype->get<std::string>() : "";
    if (type != "FP32" && type != "FP64") {
        fail(kOip, "output " + quote_text(name) + " is " + (type.empty() ? std::string("untyped") : type) +
                       "; expected FP32 or FP64");
    }
    const json * shape = member(out, "shape");
    if (!shape || !shape->is_array() || shape->empty() || shape->size() > 2) {
        fail(kOip, "output " + quote_text(name) + " has no shape [rows] or [rows, classes]");
    }
    std::vector<int64_t> dims;
    for (const auto & d : *shape) {
        if (!d.is_number_integer() || d.get<int64_t>() < 1 || d.get<int64_t>() > kMaxDimension) {
            fail(kOip, "output " + quote_text(name) + " has the shape " + shape->dump() + "; expected positive sizes");
        }
        dims.push_back(d.get<int64_t>());
    }
    if (size_t(dims[0]) != rows) {
        fail(kOip, rows_message(size_t(dims[0]), rows));
    }
    oip_logits l;
    l.rows    = rows;
    l.classes = dims.size() == 2 ? size_t(dims[1]) : 1;
    if (l.classes > kMaxLogits / std::max<size_t>(rows, 1)) {
        fail(kOip, "output " + quote_text(name) + " is too large: " + shape->dump());
    }
    return l;
}

// Appends the numbers of `data` (flat or nested, at most two levels) to `out`, refusing more
// than `limit` of them.
void flatten(const json & data, size_t limit, int depth, std::vector<double> & out, const std::string & name) {
    for (const auto & v : data) {
        if (v.is_array() && depth < 2) {
            flatten(v, limit, depth + 1, out, name);
        } else if (!v.is_number()) {
            fail(kOip, "output " + quote_text(name) + " holds " + (v.is_null() ? "null (NaN?)" : json_shown(v)) +
                           ", not a number");
        } else if (out.size() >= limit) {
            fail(kOip, "output " + quote_text(name) + " holds more values than its shape says");
        } else {
            out.push_back(v.get<double>());
        }
    }
}

// `values` narrowed to float logits in `l`, refusing NaN, infinities and values beyond float.
void store_finite(const std::vector<double> & values, oip_logits & l, const std::string & name) {
    l.values.resize(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i]) || std::fabs(values[i]) > double(std::numeric_limits<float>::max())) {
            fail(kOip, "output " + quote_text(name) + " holds a non-finite value in row " +
                           std::to_string(i / std::max<size_t>(l.classes, 1)) + "; the model's output is unusable");
        }
        l.values[i] = float(values[i]);
    }
}

}  // namespace

oip_logits parse_oip_infer_response(const json & response, const oip_model & model, size_t rows) {
    const std::string & name = oip_logits_output(model).name;
    const json &        out  = find_output(response, name);
    oip_logits          l    = shape_of(out, name, rows);
    const json *        data = member(out, "data");
    if (!data || !data->is_array()) {
        const bool binary = member(out, "parameters") && member(*member(out, "parameters"), "binary_data_size");
        fail(kOip,
             "output " + quote_text(name) +
                 (binary ? " came as binary data; read it with the binary tensor extension" : " has no \"data\" list"));
    }
    const size_t        count = l.rows * l.classes;
    std::vector<double> values;  // not reserved: the shape is the server's word, the data is what came
    flatten(*data, count, 0, values, name);
    if (values.size() != count) {
        fail(kOip, "output " + quote_text(name) + " holds " + std::to_string(values.size()) +
                       " values; its shape says " + std::to_string(count));
    }
    store_finite(values, l, name);
    return l;
}

oip_logits parse_oip_binary_response(const json & header, std::string_view binary, const oip_model & model,
                                     size_t rows) {
    const std::string & name   = oip_logits_output(model).name;
    const json &        target = find_output(header, name);
    oip_logits          l      = shape_of(target, name, rows);
    size_t              offset = 0;
    for (const auto & o : header["outputs"]) {
        const json * p    = member(o, "parameters");
        const json * size = p ? member(*p, "binary_data_size") : nullptr;
        if (&o == &target) {
            if (!size) {
                return parse_oip_infer_response(header, model, rows);  // this output came as JSON
            }
            break;
        }
        if (size && size->is_number_unsigned()) {
            offset += size->get<size_t>();
        }
    }
    const size_t width = target["datatype"] == "FP64" ? 8 : 4;
    const size_t count = l.rows * l.classes;
    const json & size  = target["parameters"]["binary_data_size"];
    if (!size.is_number_unsigned() || size.get<size_t>() != count * width || offset > binary.size() ||
        binary.size() - offset < count * width) {
        fail(kOip, "output " + quote_text(name) + " should be " + std::to_string(count * width) +
                       " bytes of binary data; the response's binary_data_size or length disagrees");
    }
    std::vector<double> values(count);
    for (size_t i = 0; i < count; ++i) {
        uint64_t bits = 0;
        for (size_t b = 0; b < width; ++b) {  // little-endian, whatever the host
            bits |= uint64_t(static_cast<unsigned char>(binary[offset + i * width + b])) << (8 * b);
        }
        if (width == 4) {
            float          f   = 0;
            const uint32_t b32 = uint32_t(bits);
            std::memcpy(&f, &b32, 4);
            values[i] = double(f);
        } else {
            std::memcpy(&values[i], &bits, 8);
        }
    }
    store_finite(values, l, name);
    return l;
}

std::vector<std::string> oip_labels(const oip_model & model, size_t classes) {
    if (model.labels.size() == classes) {
        return model.labels;
    }
    std::vector<std::string> out;
    for (size_t c = 0; c < classes; ++c) {
        out.push_back("class " + std::to_string(c));
    }
    return out;
}

// [SECTION] retries

const char * retry_action_name(retry_action a) {
    switch (a) {
    case RETRY_WAIT:
        return "wait";
    case RETRY_HALVE_BATCH:
        return "halve_batch";
    case RETRY_FAIL:
        break;
    }
    return "fail";
}

namespace {

uint64_t splitmix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as unix ms; -1 when it is not one.
int64_t parse_http_date(std::string_view s) {
    static const char * months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (s.size() != 29 || s[3] != ',' || s.substr(25) != " GMT") {
        return -1;
    }
    auto number = [&](size_t at, size_t width) -> int64_t {
        int64_t v = 0;
        for (size_t i = at; i < at + width; ++i) {
            if (s[i] < '0' || s[i] > '9') {
                return -1;
            }
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    int64_t month = -1;
    for (int i = 0; i < 12; ++i) {
        if (s.substr(8, 3) == months[i]) {
            month = i + 1;
        }
    }
    const int64_t day = number(5, 2), year = number(12, 4), h = number(17, 2), m = number(20, 2), sec = number(23, 2);
    if (month < 0 || day < 1 || day > 31 || year < 1970 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60 ||
        s[16] != ' ' || s[19] != ':' || s[22] != ':') {
        return -1;
    }
    return ((days_from_civil(year, month, day) * 24 + h) * 60 + m) * 60000 + sec * 1000;
}

std::string status_reason(int status) {
    switch (status) {
    case 0:
        return "connection error or timeout";
    case 408:
        return "HTTP 408 (request timeout)";
    case 413:
        return "HTTP 413 (request too large)";
    case 429:
        return "HTTP 429 (too many requests)";
    case 503:
        return "HTTP 503 (service unavailable or still loading)";
    default:
        return "HTTP " + std::to_string(status);
    }
}

}  // namespace

int64_t parse_retry_after(std::string_view value, int64_t now_ms) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
        value.remove_suffix(1);
    }
    if (value.empty()) {
        return -1;
    }
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return value.size() > 9 ? -1 : int64_t(std::stoll(std::string(value))) * 1000;
    }
    const int64_t at = parse_http_date(value);
    return at < 0 ? -1 : std::max<int64_t>(0, at - now_ms);
}

int64_t backoff_delay_ms(uint64_t seed, int attempt, int64_t base_ms, int64_t cap_ms) {
    const int64_t cap     = std::max<int64_t>(0, cap_ms);
    int64_t       ceiling = std::max<int64_t>(0, base_ms);
    for (int i = 1; i < attempt && ceiling < cap; ++i) {
        ceiling *= 2;
    }
    ceiling             = std::min(ceiling, cap);
    const uint64_t draw = splitmix64(seed ^ splitmix64(uint64_t(std::max(attempt, 0))));
    return int64_t(draw % uint64_t(ceiling + 1));
}

retry_decision decide_retry(const retry_input & in) {
    const int         s         = in.status;
    const bool        transient = s == 0 || s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
    const std::string why       = status_reason(s);
    if (s == 413) {
        if (in.batch_rows > 1) {
            return {RETRY_HALVE_BATCH, 0, why + ": halving the batch of " + std::to_string(in.batch_rows) + " texts"};
        }
        return {RETRY_FAIL, 0, why + " for a single text; shorten the text or raise the server's request size limit"};
    }
    if (!transient) {
        return {RETRY_FAIL, 0, "the server refused the request: " + why};
    }
    if (in.attempt >= in.max_attempts) {
        return {RETRY_FAIL, 0, "gave up after " + std::to_string(in.attempt) + " attempts: " + why};
    }
    constexpr int64_t ten_minutes = 10 * 60 * 1000;
    const int64_t     after       = parse_retry_after(in.retry_after, in.now_ms);
    if (after >= 0 && after <= ten_minutes) {
        return {RETRY_WAIT, after, why + "; waiting " + std::to_string(after) + " ms as Retry-After asks"};
    }
    const int64_t delay = backoff_delay_ms(in.seed, in.attempt, in.base_ms, in.cap_ms);
    return {RETRY_WAIT, delay, why + "; retrying in " + std::to_string(delay) + " ms"};
}

// [SECTION] JSON forms for the bindings

namespace {

ordered_json tensors_json(const std::vector<oip_tensor> & tensors) {
    ordered_json out = ordered_json::array();
    for (const auto & t : tensors) {
        ordered_json e;
        e["name"]     = t.name;
        e["datatype"] = t.datatype;
        e["shape"]    = t.shape;
        out.push_back(std::move(e));
    }
    return out;
}

// j[key] as an integer in [lo, hi], or `fallback` when absent.
int64_t integer_field(const json & j, const char * key, int64_t lo, int64_t hi, std::optional<int64_t> fallback) {
    const json * v = member(j, key);
    if (!v) {
        if (!fallback) {
            throw remote_error(std::string("retry: \"") + key + "\" is required");
        }
        return *fallback;
    }
    if (!v->is_number_integer() || v->get<int64_t>() < lo || v->get<int64_t>() > hi) {
        throw remote_error(std::string("retry: \"") + key + "\" must be an integer from " + std::to_string(lo) +
                           " to " + std::to_string(hi) + ", not " + v->dump());
    }
    return v->get<int64_t>();
}

}  // namespace

ordered_json oip_model_json(const oip_model & model) {
    ordered_json out;
    out["name"]     = model.name;
    out["versions"] = model.versions;
    out["platform"] = model.platform;
    out["inputs"]   = tensors_json(model.inputs);
    out["outputs"]  = tensors_json(model.outputs);
    if (!model.labels.empty()) {
        out["parameters"] = {{"labels", model.labels}};
    }
    out["logits_output"] = oip_logits_output(model).name;
    return out;
}

ordered_json oip_logits_json(const oip_logits & logits, const oip_model & model) {
    ordered_json out;
    out["rows"]    = logits.rows;
    out["classes"] = logits.classes;
    out["labels"]  = oip_labels(model, logits.classes);
    out["logits"]  = logits.values;
    return out;
}

retry_input parse_retry_input(const json & j) {
    if (!j.is_object()) {
        throw remote_error("retry: the input must be a JSON object");
    }
    static const char * known[] = {"status",  "attempt", "retry_after", "now_ms",    "max_attempts",
                                   "base_ms", "cap_ms",  "seed",        "batch_rows"};
    for (const auto & item : j.items()) {
        const std::string & key = item.key();
        if (std::none_of(std::begin(known), std::end(known), [&](const char * k) { return key == k; })) {
            throw remote_error("retry: unknown field " + quote_text(key));
        }
    }
    constexpr int64_t max_safe = (int64_t(1) << 53) - 1;  // integers a JS number holds exactly
    retry_input       in;
    in.status       = int(integer_field(j, "status", 0, 999, std::nullopt));
    in.attempt      = int(integer_field(j, "attempt", 1, 1000000, std::nullopt));
    in.now_ms       = integer_field(j, "now_ms", 0, max_safe, in.now_ms);
    in.max_attempts = int(integer_field(j, "max_attempts", 1, 1000000, in.max_attempts));
    in.base_ms      = integer_field(j, "base_ms", 0, 3600000, in.base_ms);
    in.cap_ms       = integer_field(j, "cap_ms", 0, 3600000, in.cap_ms);
    in.seed         = uint64_t(integer_field(j, "seed", 0, max_safe, int64_t(in.seed)));
    in.batch_rows   = size_t(integer_field(j, "batch_rows", 1, 1000000000, int64_t(in.batch_rows)));
    if (const json * after = member(j, "retry_after"); after && !after->is_null()) {
        if (!after->is_string()) {
            throw remote_error("retry: \"retry_after\" must be the Retry-After header's text");
        }
        in.retry_after = after->get<std::string>();
    }
    return in;
}

ordered_json retry_decision_json(const retry_decision & d) {
    ordered_json out;
    out["action"]   = retry_action_name(d.action);
    out["delay_ms"] = d.delay_ms;
    out["reason"]   = d.reason;
    return out;
}

}  // namespace spexlens::remote
