// explainer_bindings: the JavaScript face of the text explainer (embind), shared by the Node
// command-line explainer and the page's worker. Glue only: every decision lives in
// src/explain and src/text, where it is tested natively. C++ exceptions become JS Errors
// carrying the same message.
//
//   const core = await createSpexlensCore();
//   const x = core.createExplainer(text, manifestJson, vocabText, optionsJson);
//   for (let b = x.nextBatch(512); b.rows > 0; b = x.nextBatch(512)) {
//       const logits = await runModel(b);             // Float32Array [rows * classes]
//       x.submitLogits(b.first, logits, b.rows, classes);
//   }
//   const result = JSON.parse(x.finish());
//   const b = x.maskedInput('1101...');              // what-if: one user mask, after finish too
//   (a component run's batches also carry headMask, mlpMask, headOffset, mlpOffset)
//   const value = x.targetValue(await runModel(b)); // the measured output at that mask
//   x.delete();
#include "explain/text_explainer.h"
#include "text/model_manifest.h"
#include "text/vocabulary.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <memory>
#include <string>
#include <vector>

#ifndef SPEXLENS_VERSION
#define SPEXLENS_VERSION "unknown"
#endif

namespace {

using emscripten::val;

[[noreturn]] void throw_js_error(const std::string & message) { val::global("Error").new_(val(message)).throw_(); }

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

template <typename T> val copy_to_js(const std::vector<T> & v) {
    return val(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

nlohmann::json inputs_json(const spexlens::text::model_manifest & m) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto & in : m.inputs) {
        out.push_back({{"name", in.name},
                       {"role", spexlens::text::input_role_name(in.role)},
                       {"type", spexlens::text::tensor_type_name(in.type)},
                       {"shape", in.shape}});
    }
    return out;
}

// One explanation. Owns the manifest and vocabulary the explainer refers to.
class explainer_handle {
  public:
    explainer_handle(const std::string & text, const std::string & manifest_json, const std::string & vocab_text,
                     const std::string & options_json)
        : manifest_(spexlens::text::parse_manifest(manifest_json)),
          vocab_(spexlens::text::vocabulary::from_text(vocab_text)),
          explainer_(text, manifest_, vocab_, spexlens::parse_explain_options(options_json)) {}

    // {n, total_queries, features: [...], window, notes, inputs, output, labels, target} as JSON.
    std::string info() const {
        const auto &   p        = explainer_.prepared();
        nlohmann::json features = nlohmann::json::array();
        if (const auto * c = explainer_.components()) {
            for (const auto & player : c->players()) {
                features.push_back({{"text", player.name}});
            }
        } else {
            for (const auto & f : p.features) {
                features.push_back({{"text", f.text}, {"start", f.start}, {"end", f.end}});
            }
        }
        const auto & d = explainer_.engine().design();
        return nlohmann::json{{"n", explainer_.features()},
                              {"players", explainer_.components() ? "components" : "text"},
                              {"total_queries", explainer_.total_queries()},
                              {"design_queries", explainer_.engine().design_queries()},
                              {"holdout_queries", explainer_.engine().holdout_queries()},
                              {"b", d.b},
                              {"method", spex::method_name(explainer_.engine().config().method)},
                              {"uniform_design", explainer_.engine().uniform_design()},
                              {"t", d.t},
                              {"features", features},
                              {"tokens_used", p.window.tokens_used},
                              {"truncated", p.window.truncated},
                              {"notes", p.notes},
                              {"inputs", inputs_json(manifest_)},
                              {"output", manifest_.output.name},
                              {"classes", manifest_.labels.size()}}
            .dump();
    }

    size_t total_queries() const { return explainer_.total_queries(); }
    size_t queries_done() const { return explainer_.queries_done(); }

    val next_batch(size_t max_rows) {
        size_t                              first = 0;
        const spexlens::text::model_batch & b =
            guarded([&]() -> const spexlens::text::model_batch & { return explainer_.next_batch(max_rows, first); });
        return batch_to_js(b, first);
    }

    // What-if: the one-row batch for a user's mask, given as a string of '1' (kept) / '0'.
    val masked_input(const std::string & keep_bits) {
        std::vector<bool> keep(keep_bits.size());
        for (size_t i = 0; i < keep_bits.size(); ++i) {
            keep[i] = keep_bits[i] == '1';
        }
        const spexlens::text::model_batch & b =
            guarded([&]() -> const spexlens::text::model_batch & { return explainer_.batch_for_mask(keep); });
        return batch_to_js(b, 0);
    }

    double target_value(const val & logits) {
        std::vector<float> buffer = to_floats(logits);
        return guarded([&] { return explainer_.target_of(buffer.data(), buffer.size()); });
    }

    void submit_logits(size_t first, const val & logits, size_t rows, size_t classes) {
        std::vector<float> buffer = to_floats(logits);
        guarded([&] {
            if (buffer.size() != rows * classes) {
                throw std::runtime_error("submitLogits: got " + std::to_string(buffer.size()) + " numbers for " +
                                         std::to_string(rows) + " rows of " + std::to_string(classes));
            }
            explainer_.submit_logits(first, buffer.data(), rows, classes);
        });
    }

    std::string finish() {
        return guarded([&] { return explainer_.finish(SPEXLENS_VERSION).dump(); });
    }

    // Early results: whether one is due now, the result so far, and whether it met target_r2.
    bool        snapshot_due() const { return explainer_.snapshot_due(); }
    std::string snapshot() {
        return guarded([&] { return explainer_.snapshot(SPEXLENS_VERSION).dump(); });
    }
    bool target_reached() const { return explainer_.target_reached(); }

  private:
    static val batch_to_js(const spexlens::text::model_batch & b, size_t first) {
        val out = val::object();
        out.set("first", double(first));
        out.set("rows", double(b.rows));
        out.set("seqLength", double(b.seq_length));
        out.set("inputIds", copy_to_js(b.input_ids));
        out.set("attentionMask", copy_to_js(b.attention_mask));
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

    static std::vector<float> to_floats(const val & array) {
        std::vector<float> buffer(array["length"].as<size_t>());
        val(emscripten::typed_memory_view(buffer.size(), buffer.data())).call<void>("set", array);
        return buffer;
    }

    spexlens::text::model_manifest manifest_;
    spexlens::text::vocabulary     vocab_;
    spexlens::text_explainer       explainer_;
};

explainer_handle * create_explainer(const std::string & text, const std::string & manifest_json,
                                    const std::string & vocab_text, const std::string & options_json) {
    return guarded([&] { return new explainer_handle(text, manifest_json, vocab_text, options_json); });
}

// Validates a manifest; returns its normalized inputs as JSON. Throws a JS Error naming the field.
std::string check_manifest(const std::string & manifest_json) {
    return guarded([&] { return inputs_json(spexlens::text::parse_manifest(manifest_json)).dump(); });
}

// "" when the loaded model matches its manifest, else the message listing every mismatch.
// inputs/outputs: JSON arrays of {"name", "type"} as ONNX Runtime reports them.
std::string check_signature(const std::string & manifest_json, const std::string & inputs_json_text,
                            const std::string & outputs_json_text) {
    return guarded([&] {
        const auto manifest = spexlens::text::parse_manifest(manifest_json);
        auto       read     = [](const std::string & s) {
            std::vector<spexlens::text::runtime_tensor> out;
            for (const auto & t : nlohmann::json::parse(s)) {
                out.push_back({t.at("name").get<std::string>(), t.value("type", std::string())});
            }
            return out;
        };
        return spexlens::text::check_model_signature(manifest, read(inputs_json_text), read(outputs_json_text));
    });
}

std::string version() { return SPEXLENS_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(spexlens_core) {
    emscripten::class_<explainer_handle>("Explainer")
        .function("info", &explainer_handle::info)
        .function("totalQueries", &explainer_handle::total_queries)
        .function("queriesDone", &explainer_handle::queries_done)
        .function("nextBatch", &explainer_handle::next_batch)
        .function("submitLogits", &explainer_handle::submit_logits)
        .function("finish", &explainer_handle::finish)
        .function("snapshotDue", &explainer_handle::snapshot_due)
        .function("snapshot", &explainer_handle::snapshot)
        .function("targetReached", &explainer_handle::target_reached)
        .function("maskedInput", &explainer_handle::masked_input)
        .function("targetValue", &explainer_handle::target_value);
    emscripten::function("createExplainer", &create_explainer, emscripten::allow_raw_pointers());
    emscripten::function("checkManifest", &check_manifest);
    emscripten::function("checkSignature", &check_signature);
    emscripten::function("version", &version);
}
