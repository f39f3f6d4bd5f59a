// probing_bindings: the JavaScript face of the layer probes (src/layer_probe, src/probing;
// docs/probing.md), for the Node command line (scripts/spexlens-probe-layers) and, later, the
// page's worker; both go through web/js/layer_probe_scoring.mjs. Glue only: the probe set, the
// words, the word vectors, the probes and the report are C++, tested natively. C++ exceptions
// become JS Errors carrying the same message.
//
//   const run = new core.LayerProbe(probeSetText, manifestJson, vocabText);
//   for (let i = 0; i < run.texts(); i++) {
//       const b = run.input(i);                         // {rows: 1, seqLength, inputIds, attentionMask, ...}
//       const h = (await internals.run(feeds(b))).hidden_states;   // [layers, 1, seqLength, dim]
//       run.submitHiddenStates(i, h.data, h.dims);
//   }
//   const report = JSON.parse(run.report(JSON.stringify({seed, folds}), modelName));
//   run.delete();
#include "layer_probe/layer_probe_run.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"
#include "wasm/js_glue.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <string>
#include <vector>

namespace {

using emscripten::val;

using spexlens::wasm::copy_to_js;
using spexlens::wasm::guarded;
using spexlens::wasm::throw_js_error;

spexlens::layer_probe::layer_probe_run make_run(const std::string & set_text, const std::string & manifest_json,
                                                const std::string & vocab_text) {
    auto       set       = spexlens::layer_probe::parse_probe_set(set_text);
    const auto manifest  = spexlens::text::parse_manifest(manifest_json);
    const auto tokenizer = spexlens::text::model_tokenizer::from_file(manifest, vocab_text);
    return spexlens::layer_probe::layer_probe_run(std::move(set), manifest, tokenizer);
}

// One probe set on one model: the texts' inputs out, their hidden states in, the report out.
class layer_probe_handle {
  public:
    layer_probe_handle(const std::string & set_text, const std::string & manifest_json, const std::string & vocab_text)
        : run_(guarded([&] { return make_run(set_text, manifest_json, vocab_text); })) {}

    size_t texts() const { return run_.texts(); }

    // {"name", "question", "labels", "texts", "targets"} of the probe set.
    std::string info() const {
        const auto & s = run_.set();
        return nlohmann::json{{"name", s.name},
                              {"question", s.question},
                              {"labels", s.labels},
                              {"texts", s.texts.size()},
                              {"targets", s.targets}}
            .dump();
    }

    // Text i's model inputs (one row, every word kept), as an explainer batch.
    val input(size_t i) const {
        const auto & b = guarded([&]() -> const spexlens::text::model_batch & { return run_.input(i); });
        return spexlens::wasm::model_batch_to_js(b, 0);
    }

    // data: a Float32Array of hidden_states; dims: its shape [layers, 1, seqLength, dimension].
    void submit_hidden_states(size_t i, const val & data, const val & dims) {
        std::vector<float> buffer(data["length"].as<size_t>());
        val(emscripten::typed_memory_view(buffer.size(), buffer.data())).call<void>("set", data);
        std::vector<int64_t> shape;
        for (size_t k = 0, n = dims["length"].as<size_t>(); k < n; ++k) {
            shape.push_back(int64_t(dims[k].as<double>()));
        }
        guarded([&] {
            size_t count = 1;
            for (int64_t d : shape) {
                count *= d > 0 ? size_t(d) : 0;
            }
            if (count != buffer.size()) {
                throw spexlens::layer_probe::layer_probe_error("hidden states: " + std::to_string(buffer.size()) +
                                                               " numbers do not fill the shape given");
            }
            run_.submit_hidden_states(i, buffer.data(), shape);
        });
    }

    // The report (docs/probing.md) as JSON; options_json: {"seed", "folds"}, both optional.
    std::string report(const std::string & options_json, const std::string & model_name) const {
        return guarded(
            [&] { return run_.report(spexlens::layer_probe::parse_run_options(options_json), model_name).dump(); });
    }

  private:
    spexlens::layer_probe::layer_probe_run run_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(spexlens_probing) {
    // The largest probe set file the core reads: a front end can refuse a bigger one unread.
    emscripten::constant("layerProbeMaxSetBytes", static_cast<double>(spexlens::layer_probe::max_set_bytes));
    emscripten::class_<layer_probe_handle>("LayerProbe")
        .constructor<const std::string &, const std::string &, const std::string &>()
        .function("texts", &layer_probe_handle::texts)
        .function("info", &layer_probe_handle::info)
        .function("input", &layer_probe_handle::input)
        .function("submitHiddenStates", &layer_probe_handle::submit_hidden_states)
        .function("report", &layer_probe_handle::report);
}
