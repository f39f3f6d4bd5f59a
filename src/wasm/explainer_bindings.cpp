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
//   core.createServerExplainer(text, '{"labels": [" yes", " no"]}', optionsJson): the same
//   object for a model behind an inference server; its batches carry `texts` (masked texts)
//   const value = x.targetValue(await runModel(b)); // the measured output at that mask
//   x.delete();
//
//   const t = new core.HfTokenizer(tokenizerJson, tokenizerConfigJson);  // "" without a config
//   JSON.parse(t.encode(text, true));  // {ids, offsets} as spexlens-tokenize prints them
//   t.delete();
//
//   const z = new core.ZipArchive(size, (offset, length) => bytes);  // a folder's .zip, read in slices
//   JSON.parse(z.entries());  // {folder, files: [{path, size}]}; z.extract(path) -> Uint8Array
//   z.delete();
//
// Index
//   [SECTION] manifest inputs and the cached tokenizer
//   [SECTION] one explanation (Explainer)
//   [SECTION] checks of manifests and loaded models
//   [SECTION] exported folders
//   [SECTION] tokenizers and zip archives
//   [SECTION] the bindings
#include "attention/attention_analysis.h"
#include "defaults/run_defaults.h"
#include "explain/text_explainer.h"
#include "text/exported_folder.h"
#include "text/hf/hf_tokenizer.h"
#include "text/model_manifest.h"
#include "text/server_text.h"
#include "text/utf8.h"
#include "text/vocabulary.h"
#include "text/zip_archive.h"
#include "wasm/js_glue.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#ifndef SPEXLENS_VERSION
#define SPEXLENS_VERSION "unknown"
#endif

namespace {

using emscripten::val;

using spexlens::wasm::copy_to_js;
using spexlens::wasm::guarded;
using spexlens::wasm::throw_js_error;

// [SECTION] manifest inputs and the cached tokenizer

// The manifest's inputs as JSON: [{"name", "role", "type", "shape"}].
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

// The tokenizer of the last explainer: a page explains, warms up and answers what-ifs with one
// model, and a large tokenizer.json (a Llama 3's is 9 MB) takes longer to parse than a short
// text takes to explain. Reused only for the very same manifest and vocabulary text.
spexlens::text::model_tokenizer cached_tokenizer(const spexlens::text::model_manifest & manifest,
                                                 const std::string & manifest_json, const std::string & vocab_text) {
    static std::string                                    last_manifest;
    static std::string                                    last_vocab;
    static std::optional<spexlens::text::model_tokenizer> last;
    if (!last || manifest_json != last_manifest || vocab_text != last_vocab) {
        last.reset();  // a failed parse leaves no stale entry
        last          = spexlens::text::model_tokenizer::from_file(manifest, vocab_text);
        last_manifest = manifest_json;
        last_vocab    = vocab_text;
    }
    return *last;
}

// [SECTION] one explanation (Explainer)

// One explanation. Owns the manifest and vocabulary the explainer refers to.
class explainer_handle {
  public:
    explainer_handle(const std::string & text, const std::string & manifest_json, const std::string & vocab_text,
                     const std::string & options_json)
        : manifest_(spexlens::text::parse_manifest(manifest_json)),
          tokenizer_(cached_tokenizer(manifest_, manifest_json, vocab_text)),
          explainer_(text, manifest_, tokenizer_, spexlens::parse_explain_options(options_json)) {}

    // A model behind an inference server that takes text (text/server_text.h): `server_model_json`
    // is {"name", "labels", "description"}; every batch carries `texts`, one masked text per row.
    explainer_handle(const std::string & text, const std::string & server_model_json, const std::string & options_json)
        : manifest_(spexlens::text::parse_server_model(server_model_json)),
          tokenizer_(spexlens::text::server_text_tokenizer(manifest_)),
          explainer_(text, manifest_, tokenizer_, spexlens::parse_explain_options(options_json)) {}

    // {n, total_queries, features: [...], window, notes, inputs, output, classes, target
    // ("CLASS:MEASURE", as resolved from the options and the manifest)} as JSON.
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
                              {"classes", manifest_.labels.size()},
                              {"target", manifest_.labels.at(size_t(explainer_.target().class_index)) + ":" +
                                             spexlens::text::target_measure_name(explainer_.target().measure)}}
            .dump();
    }

    size_t total_queries() const { return explainer_.total_queries(); }
    size_t queries_done() const { return explainer_.queries_done(); }

    val next_batch(size_t max_rows) {
        size_t                              first = 0;
        const spexlens::text::model_batch & b =
            guarded([&]() -> const spexlens::text::model_batch & { return explainer_.next_batch(max_rows, first); });
        return spexlens::wasm::model_batch_to_js(b, first);
    }

    // What-if: the one-row batch for a user's mask, given as a string of '1' (kept) / '0'.
    val masked_input(const std::string & keep_bits) {
        std::vector<bool> keep(keep_bits.size());
        for (size_t i = 0; i < keep_bits.size(); ++i) {
            keep[i] = keep_bits[i] == '1';
        }
        const spexlens::text::model_batch & b =
            guarded([&]() -> const spexlens::text::model_batch & { return explainer_.batch_for_mask(keep); });
        return spexlens::wasm::model_batch_to_js(b, 0);
    }

    // The attention view: for the all-kept row (maskedInput of all '1') of `seq` positions, the
    // player of each position, -1 for the frame's special tokens and -2 for padding
    // (attention/attention_analysis.h token_word_map). Word and sentence runs only.
    val token_players(size_t seq) const {
        return guarded([&] {
            if (explainer_.components() != nullptr) {
                throw std::runtime_error("attention is read beside word explanations; explain the words first");
            }
            const auto &                           p = explainer_.prepared();
            std::vector<std::pair<size_t, size_t>> ranges;
            for (const auto & f : p.features) {
                ranges.emplace_back(f.first_token, f.token_count);
            }
            return copy_to_js(spexlens::attention::token_word_map(p.frame.before.size(), p.token_ids.size(), ranges,
                                                                  p.frame.after.size(), seq));
        });
    }

    // ONNX Runtime's message when a batch failed, made actionable (text_explainer.h).
    std::string describe_runtime_error(const std::string & message) const {
        return explainer_.describe_runtime_error(message);
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
    static std::vector<float> to_floats(const val & array) {
        std::vector<float> buffer(array["length"].as<size_t>());
        val(emscripten::typed_memory_view(buffer.size(), buffer.data())).call<void>("set", array);
        return buffer;
    }

    spexlens::text::model_manifest  manifest_;
    spexlens::text::model_tokenizer tokenizer_;  // vocab.txt or tokenizer.json, as the manifest says
    spexlens::text_explainer        explainer_;
};

explainer_handle * create_explainer(const std::string & text, const std::string & manifest_json,
                                    const std::string & vocab_text, const std::string & options_json) {
    return guarded([&] { return new explainer_handle(text, manifest_json, vocab_text, options_json); });
}

// Explains `text` with a model behind an inference server (Module.createServerExplainer): the
// same object as createExplainer, whose batches hold `texts` (the Node explainer's remote
// backends send them; docs/remote-inference.md).
explainer_handle * create_server_explainer(const std::string & text, const std::string & server_model_json,
                                           const std::string & options_json) {
    return guarded([&] { return new explainer_handle(text, server_model_json, options_json); });
}

// [SECTION] checks of manifests and loaded models

// Validates a manifest; returns its normalized inputs as JSON. Throws a JS Error naming the field.
// The manifest checked and read once, in C++: what the glue needs from it, so no JS parses it
// again. {"name", "labels", "output", "onnx_sha256", "files": {"onnx", "vocab"} (defaults
// applied), "inputs": [{"name", "role", "type", "shape"}]}.
std::string check_manifest(const std::string & manifest_json) {
    return guarded([&] {
        const spexlens::text::model_manifest m = spexlens::text::parse_manifest(manifest_json);
        return nlohmann::json{{"name", m.name},
                              {"labels", m.labels},
                              {"output", m.output.name},
                              {"onnx_sha256", m.onnx_sha256},
                              {"files", {{"onnx", m.onnx_file}, {"vocab", m.vocab_file}}},
                              {"inputs", inputs_json(m)},
                              {"internals", m.internals.declared()
                                                ? nlohmann::json{{"onnx", m.internals.onnx_file},
                                                                 {"attentions", m.internals.attentions},
                                                                 {"hidden_states", m.internals.hidden_states}}
                                                : nlohmann::json()}}
            .dump();
    });
}

// The graph's tensors as the glue reports them: [{"name", "type", "shape"?}] (shape entries
// are numbers, or strings / null / -1 for dynamic axes).
std::vector<spexlens::text::runtime_tensor> runtime_tensors(const nlohmann::json & list) {
    std::vector<spexlens::text::runtime_tensor> out;
    if (!list.is_array()) {
        return out;
    }
    for (const auto & t : list) {
        spexlens::text::runtime_tensor r;
        r.name = t.value("name", std::string());
        r.type = t.value("type", std::string());
        if (t.contains("shape") && t["shape"].is_array()) {
            for (const auto & d : t["shape"]) {
                r.shape.push_back(d.is_number_integer() && d.get<int64_t>() > 0 ? d.get<int64_t>() : -1);
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

// "" when the loaded model matches its manifest, else the message listing every mismatch.
// inputs/outputs: JSON arrays of {"name", "type"} as ONNX Runtime reports them.
std::string check_signature(const std::string & manifest_json, const std::string & inputs_json_text,
                            const std::string & outputs_json_text) {
    return guarded([&] {
        const auto manifest = spexlens::text::parse_manifest(manifest_json);
        return spexlens::text::check_model_signature(manifest, runtime_tensors(nlohmann::json::parse(inputs_json_text)),
                                                     runtime_tensors(nlohmann::json::parse(outputs_json_text)));
    });
}

// "" when the internals graph (the manifest's "internals" section) has the declared outputs and
// the model's inputs, else the message naming the file and each output at fault.
std::string check_internals(const std::string & manifest_json, const std::string & inputs_json_text,
                            const std::string & outputs_json_text) {
    return guarded([&] {
        const auto manifest = spexlens::text::parse_manifest(manifest_json);
        return spexlens::text::check_internals_signature(manifest,
                                                         runtime_tensors(nlohmann::json::parse(inputs_json_text)),
                                                         runtime_tensors(nlohmann::json::parse(outputs_json_text)));
    });
}

std::string version() { return SPEXLENS_VERSION; }

// [SECTION] exported folders

// Which file of a folder is the model (paths: JSON array of relative paths).
std::string choose_onnx_file(const std::string & paths_json) {
    return guarded([&] {
        return spexlens::text::choose_onnx_file(nlohmann::json::parse(paths_json).get<std::vector<std::string>>());
    });
}

// model.json for a folder exported by transformers / optimum. folder: {"name", "config",
// "tokenizer", "tokenizer_config", "special_tokens_map", "onnx_file", "onnx_sha256", "inputs",
// "outputs"}; returns {"manifest": "<model.json text>", "notes": [...], "target_asked": bool}.
std::string derive_manifest(const std::string & folder_json) {
    return guarded([&] {
        const auto                      f = nlohmann::json::parse(folder_json);
        spexlens::text::exported_folder folder;
        folder.name                    = f.value("name", std::string());
        folder.config_json             = f.value("config", std::string());
        folder.tokenizer_json          = f.value("tokenizer", std::string());
        folder.tokenizer_config_json   = f.value("tokenizer_config", std::string());
        folder.special_tokens_map_json = f.value("special_tokens_map", std::string());
        folder.onnx_file               = f.value("onnx_file", std::string());
        folder.onnx_sha256             = f.value("onnx_sha256", std::string());
        folder.inputs                  = runtime_tensors(f.value("inputs", nlohmann::json()));
        folder.outputs                 = runtime_tensors(f.value("outputs", nlohmann::json()));
        folder.files                   = f.value("files", std::vector<std::string>());
        const auto derived             = spexlens::text::derive_manifest(folder);
        return nlohmann::json{
            {"manifest", derived.manifest_json}, {"notes", derived.notes}, {"target_asked", derived.target_asked}}
            .dump();
    });
}

// [SECTION] tokenizers and zip archives

// A Hugging Face tokenizer.json (src/text/hf) for tests and tools; encode() returns the line
// spexlens-tokenize prints, so the native and WebAssembly builds are checked the same way.
class hf_tokenizer_handle {
  public:
    hf_tokenizer_handle(const std::string & tokenizer_json, const std::string & config_json)
        : tokenizer_(guarded([&] { return spexlens::text::hf::tokenizer::parse(tokenizer_json, config_json); })) {}

    std::string encode(const std::string & text, bool add_special_tokens) const {
        return guarded([&] {
            // Lone surrogates reach C++ as ill-formed UTF-8; repair them as every text path does.
            return spexlens::text::hf::encode_to_json(*tokenizer_, spexlens::text::sanitize_utf8(text),
                                                      add_special_tokens, false);
        });
    }
    std::string description() const { return tokenizer_->description(); }

  private:
    std::shared_ptr<const spexlens::text::hf::tokenizer> tokenizer_;
};

// A model folder brought as a .zip (src/text/zip_archive.h), read through read(offset, length),
// which returns a Uint8Array (JS numbers hold offsets exactly up to 2^53). A read that fails
// should return fewer bytes; the core then says the archive could not be read.
class zip_archive_handle {
  public:
    zip_archive_handle(double size, val read)
        : archive_(guarded([&] {
              if (!(size >= 0) || size > 9007199254740992.0)
                  throw std::runtime_error("the zip archive's size is invalid");
              return spexlens::text::zip_archive(static_cast<uint64_t>(size), [read](uint64_t offset, size_t length) {
                  const val   bytes = read(static_cast<double>(offset), static_cast<double>(length));
                  std::string out(bytes["length"].as<size_t>(), '\0');
                  val(emscripten::typed_memory_view(out.size(), reinterpret_cast<uint8_t *>(out.data())))
                      .call<void>("set", bytes);
                  return out;
              });
          })) {}

    // {"folder": "<top folder or empty>", "files": [{"path", "size"}, ...]}
    std::string entries() const {
        nlohmann::json files = nlohmann::json::array();
        for (const auto & e : archive_.entries())
            files.push_back({{"path", e.path}, {"size", e.size}});
        return nlohmann::json{{"folder", archive_.folder()}, {"files", files}}.dump();
    }

    val extract(const std::string & path) const {
        const std::string bytes = guarded([&] { return archive_.extract(path); });
        return val(emscripten::typed_memory_view(bytes.size(), reinterpret_cast<const uint8_t *>(bytes.data())))
            .call<val>("slice");
    }

  private:
    spexlens::text::zip_archive archive_;
};

}  // namespace

// [SECTION] the bindings

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
        .function("targetValue", &explainer_handle::target_value)
        .function("describeRuntimeError", &explainer_handle::describe_runtime_error)
        .function("tokenPlayers", &explainer_handle::token_players);
    emscripten::class_<hf_tokenizer_handle>("HfTokenizer")
        .constructor<const std::string &, const std::string &>()
        .function("encode", &hf_tokenizer_handle::encode)
        .function("description", &hf_tokenizer_handle::description);
    emscripten::class_<zip_archive_handle>("ZipArchive")
        .constructor<double, val>()
        .function("entries", &zip_archive_handle::entries)
        .function("extract", &zip_archive_handle::extract);
    // Model calls a run makes besides its design and hold-out masks (all kept, all masked).
    emscripten::constant("referenceQueries", static_cast<double>(spexlens::reference_queries));
    emscripten::function("createExplainer", &create_explainer, emscripten::allow_raw_pointers());
    emscripten::function("createServerExplainer", &create_server_explainer, emscripten::allow_raw_pointers());
    emscripten::function("checkManifest", &check_manifest);
    emscripten::function("checkSignature", &check_signature);
    emscripten::function("checkInternals", &check_internals);
    emscripten::function("version", &version);
    emscripten::function("pageDefaultOptions", &spexlens::page_default_options_json);
    emscripten::function("chooseOnnxFile", &choose_onnx_file);
    emscripten::function("deriveManifest", &derive_manifest);
}
