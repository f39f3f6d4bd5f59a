// model_manifest: the model.json that ships beside every model.onnx (docs/model-manifest.md).
// It is how spexlens knows a model's inputs, tokenizer, labels and default target, and how a
// user brings their own model. Parsing validates everything the text layer and the explainer
// rely on, so a bad manifest fails here with the field's name, never later with a crash.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spexlens::text {

constexpr const char * manifest_format = "spexlens.model";
// tokenizer.kind of a model whose vocabulary file is a Hugging Face tokenizer.json.
constexpr const char * tokenizer_hf_json       = "hf-tokenizer-json";
constexpr int          manifest_format_version = 1;

enum tensor_type { TENSOR_INT32, TENSOR_INT64, TENSOR_FLOAT32 };
const char * tensor_type_name(tensor_type t);  // "int32", "int64", "float32"
bool         parse_tensor_type(std::string_view name, tensor_type & out);

// What the explainer feeds into each model input.
enum input_role {
    INPUT_TOKEN_IDS,       // [batch, sequence] token ids
    INPUT_ATTENTION_MASK,  // [batch, sequence] 1 = attend, 0 = masked out
    INPUT_HEAD_MASK,       // [batch, layers, heads] (or [layers, heads]) 1 = keep; ones for word explanations
    INPUT_MLP_MASK,        // [batch, layers, ff] (or [layers, ff]) 1 = keep; ones for word explanations
    INPUT_HEAD_OFFSET,     // [batch, layers, heads, head_dim] added to a head's output; zeros unless mean-ablating
    INPUT_MLP_OFFSET,      // [batch, layers, ff] added to a neuron's activation; zeros unless mean-ablating
    INPUT_TOKEN_TYPE_IDS,  // [batch, sequence] segment ids (BERT's token_type_ids): the post-processor's
    INPUT_POSITION_IDS     // [batch, sequence] 0, 1, 2, ... per row
};
// "token_ids", "attention_mask", "head_mask", "mlp_mask", "head_offset", "mlp_offset",
// "token_type_ids", "position_ids"
const char * input_role_name(input_role r);

struct tensor_spec {
    std::string          name;
    input_role           role = INPUT_TOKEN_IDS;  // inputs only
    tensor_type          type = TENSOR_INT64;
    std::vector<int64_t> shape;  // -1 for a dynamic axis ("batch", "sequence" in the file)

    // Component inputs only: whether axis 0 is the batch, so each row can ablate differently.
    bool batched() const { return !shape.empty() && shape[0] == -1; }
};

// Per-component means for mean ablation (docs/components.md), over the training set. Empty
// when the manifest gives none; otherwise sized like the matching offset input without the batch.
struct component_means {
    std::vector<float> head;  // layers * heads * head_dim, row-major
    std::vector<float> mlp;   // layers * ff
    std::string        description;
};

// How a feature is hidden from the model.
enum masking_method {
    MASKING_ATTENTION,   // the feature's tokens get attention_mask 0; ids and positions unchanged
    MASKING_MASK_TOKEN,  // the feature's tokens are replaced by the [MASK] id; attention stays on
    MASKING_REMOVE       // the feature's tokens are deleted: later tokens move up, the row is padded
};
const char * masking_method_name(masking_method m);  // "attention", "mask_token", "remove"
bool         parse_masking_method(std::string_view name, masking_method & out);

// The number an explanation measures, computed from one row of logits.
enum target_measure {
    MEASURE_LOGIT,     // logits[c]
    MEASURE_LOG_ODDS,  // logits[c] - logsumexp(logits[j], j != c); with one output, logits[0]
    MEASURE_PROB       // softmax(logits)[c]; with one output, sigmoid(logits[0])
};
const char * target_measure_name(target_measure m);  // "logit", "log-odds", "prob"
bool         parse_target_measure(std::string_view name, target_measure & out);

struct target_spec {
    int            class_index = 0;
    target_measure measure     = MEASURE_LOG_ODDS;
};

// The optional "internals" section: a second ONNX graph, with the same inputs and logits as the
// model, that also outputs what the model computes inside (docs/attention.md). It is opened
// only when a view asks for it; explanations never need it. Empty onnx_file: none declared.
struct internals_spec {
    std::string onnx_file;      // relative to the manifest's folder, as files.onnx
    std::string attentions;     // output name: float32 [layers, batch, heads, seq, seq]; "" if absent
    std::string hidden_states;  // output name: float32 [layers + 1, batch, seq, hidden]; "" if absent

    bool declared() const { return !onnx_file.empty(); }
};

struct model_manifest {
    std::string name;
    std::string description;
    std::string onnx_file = "model.onnx";  // relative to the manifest's folder
    std::string onnx_sha256;               // lowercase hex; checked by front ends that read the file
    std::string vocab_file = "vocab.txt";  // tokenizer.json for the hf-tokenizer-json kind

    std::vector<std::string> labels;  // one per logits column
    std::vector<tensor_spec> inputs;  // token_ids and attention_mask required; masks optional
    tensor_spec              output;  // the logits, [batch, labels.size()]

    std::string tokenizer  = "spexlens-words-v1";  // or tokenizer_hf_json
    int         max_length = 128;                  // ids per input, special tokens ([CLS], [SEP], ...) included
    // spexlens-words-v1: all four required. hf-tokenizer-json: optional, -1 when not given
    // (then the tokenizer's own [PAD] / [MASK] are used; unk and cls are the tokenizer's).
    int32_t pad_id = 0, unk_id = 1, cls_id = 2, mask_id = 3;

    bool hf_tokenizer() const { return tokenizer == tokenizer_hf_json; }

    masking_method masking = MASKING_ATTENTION;
    // Under attention masking, when the model takes position_ids: a masked feature's tokens are
    // left out of the row (the kept ones keep their positions) instead of getting attention 0.
    // The same output for an encoder whose attention_mask hides keys, on fewer tokens. Not read
    // from model.json; the explain option "drop_masked_tokens": false turns it off.
    bool        drop_masked_tokens = true;
    target_spec default_target;

    component_means means;      // "component_means"; empty vectors when absent
    internals_spec  internals;  // "internals"; not declared when absent

    nlohmann::json info;  // everything else (metrics, data, licence, training), passed through

    const tensor_spec * input_with_role(input_role r) const;  // nullptr if the model lacks it
};

// Parses and validates model.json. Throws text_error naming the field, e.g.
// "model.json: inputs[1].type: expected int32, int64 or float32, got \"int8\"".
model_manifest parse_manifest(std::string_view json_text);

// A model input or output as the runtime reports it after loading the ONNX file.
struct runtime_tensor {
    runtime_tensor() = default;
    runtime_tensor(std::string name_, std::string type_, std::vector<int64_t> shape_ = {})
        : name(std::move(name_)), type(std::move(type_)), shape(std::move(shape_)) {}

    std::string          name;
    std::string          type;   // "int32", "int64", "float32", ... (ONNX Runtime's names)
    std::vector<int64_t> shape;  // -1 for a dynamic axis; empty when the runtime does not say
};

// Runtimes spell element types differently ("int64", "tensor(int64)", "float"): the manifest's
// spelling ("int64", "float32").
std::string normalized_type(const std::string & type);

// Checks the loaded model against its manifest: every manifest input exists with its type,
// the model needs no input the manifest lacks, and the output is there. Returns "" when they
// match, else one message listing every mismatch and how to fix the manifest.
std::string check_model_signature(const model_manifest & manifest, const std::vector<runtime_tensor> & inputs,
                                  const std::vector<runtime_tensor> & outputs);

// Checks the internals graph (manifest.internals, which must be declared) when it is opened:
// every declared output exists, is float32 and has its rank (5 for attentions, 4 for
// hidden_states) when the runtime reports one, and the graph takes the model's inputs. Returns ""
// when they match, else one message naming the file and each output or input at fault.
std::string check_internals_signature(const model_manifest & manifest, const std::vector<runtime_tensor> & inputs,
                                      const std::vector<runtime_tensor> & outputs);

// A message ONNX Runtime gave while running the model, made actionable where the cause is known:
// a token id past the rows of the model's embedding table ("indices element out of data bounds,
// idx=5000 must be within the inclusive range [-4004,4003]") means the vocabulary (vocab_size ids)
// is not the one the model was exported with. Anything else is returned with a prefix saying it
// came from ONNX Runtime and a pointer to check the model outside spexlens. Never longer than
// about 1,500 characters.
std::string describe_runtime_error(std::string_view message, size_t vocab_size);

// Chooses a target from a user's "CLASS[:MEASURE]" (class by label or index; measure logit,
// log-odds or prob). Empty: the manifest's default. Throws text_error listing the labels.
target_spec parse_target(const model_manifest & manifest, std::string_view spec);

// The measured value for one row of logits. NaN in -> NaN out (the explainer reports it).
double target_value(const target_spec & target, const float * logits, size_t classes);

}  // namespace spexlens::text
