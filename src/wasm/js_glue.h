// js_glue: what every embind module of src/wasm needs to hand C++ results and errors to
// JavaScript: a C++ exception becomes a JS Error (thrown once the C++ frames are unwound), and a
// vector becomes a typed array the JS side owns, and a model batch becomes the feeds object.
#pragma once

#include "text/model_batch.h"

#include <emscripten/val.h>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace spexlens::wasm {

// Throws a JavaScript Error with `message`.
[[noreturn]] inline void throw_js_error(const std::string & message) {
    emscripten::val::global("Error").new_(emscripten::val(message)).throw_();
}

// Runs `body`; a C++ exception becomes a JS Error once the C++ frames are unwound.
template <typename F> auto guarded(F && body) -> decltype(body()) {
    std::string message;
    try {
        return body();
    } catch (const std::exception & e) {
        message = e.what();
    }
    throw_js_error(message);
}

// A copy of `v` as a typed array (Float32Array for float, Int32Array for int, ...).
template <typename T> emscripten::val copy_to_js(const std::vector<T> & v) {
    return emscripten::val(emscripten::typed_memory_view(v.size(), v.data())).call<emscripten::val>("slice");
}

// A model batch as the JS glue feeds it to ONNX Runtime (explain_loop.mjs makeFeeds):
// {first, rows, seqLength, inputIds, attentionMask, tokenTypeIds?, positionIds?, and for
// component runs headMask?, mlpMask?, headOffset?, mlpOffset?}.
inline emscripten::val model_batch_to_js(const text::model_batch & b, size_t first) {
    emscripten::val out = emscripten::val::object();
    out.set("first", double(first));
    out.set("rows", double(b.rows));
    out.set("seqLength", double(b.seq_length));
    out.set("inputIds", copy_to_js(b.input_ids));
    out.set("attentionMask", copy_to_js(b.attention_mask));
    if (!b.token_type_ids.empty()) {
        out.set("tokenTypeIds", copy_to_js(b.token_type_ids));
    }
    if (!b.position_ids.empty()) {
        out.set("positionIds", copy_to_js(b.position_ids));
    }
    if (!b.texts.empty()) {  // server-text models: the masked texts instead of tensors
        emscripten::val texts = emscripten::val::array();
        for (size_t i = 0; i < b.texts.size(); ++i) {
            texts.set(i, b.texts[i]);
        }
        out.set("texts", texts);
    }
    // Component runs only; an absent tensor is fed as ones (masks) or zeros (offsets).
    const std::pair<const char *, const std::vector<float> *> component_tensors[] = {{"headMask", &b.head_mask},
                                                                                     {"mlpMask", &b.mlp_mask},
                                                                                     {"headOffset", &b.head_offset},
                                                                                     {"mlpOffset", &b.mlp_offset}};
    for (const auto & [name, tensor] : component_tensors) {
        if (!tensor->empty()) {
            out.set(name, copy_to_js(*tensor));
        }
    }
    return out;
}

}  // namespace spexlens::wasm
