// page_actions: what the views ask of the page around them. The web glue
// (src/app/web/browser_bridge.cpp) implements it with the worker, file pickers and
// downloads; the views only call these, so they never see JavaScript.
#pragma once

#include "app/model/export_formats.h"

#include <string>
#include <vector>

namespace spexlens::app {

struct app_state;

struct page_actions {
    virtual ~page_actions() = default;

    // Starts explaining s.text with s.settings (the same path window.spexlens.explain takes).
    virtual void start_run(app_state & s)  = 0;
    virtual void cancel_run(app_state & s) = 0;
    // Asks the real model for the output at the what-if mask; the answer arrives later in
    // s.whatif (real_value / real_error) for request s.whatif.request_id.
    virtual void request_whatif(app_state & s) = 0;
    // Opens the browser's file picker for a .onnx + model.json (+ vocab.txt), or a .txt text.
    virtual void pick_files() = 0;
    // Opens the browser's directory picker for a model folder (model.json, or config.json +
    // tokenizer.json + .onnx as transformers exports it).
    virtual void pick_folder() = 0;
    // The user chose another model in the picker: the page opens (and warms up) it now, so its
    // derived manifest and labels show before the first Run and that Run does not pay for them.
    virtual void model_chosen(const std::string & key) = 0;
    // The model card of `key` is wanted: the page reads it (README.md beside the model) and hands
    // it back with set_model_card.
    virtual void request_model_card(const std::string & key) = 0;
    // A probe suite shipped with the site is wanted: the page reads the file at `path` (relative
    // to the site, "models/spam-transformer/probe-suite.json") and hands its text back
    // (onProbeSuite), or why it could not (onProbeSuiteError).
    virtual void load_probe_suite(const std::string & path) = 0;
    // Opens the browser's file picker for a suite file; a .json the core recognises as a suite
    // comes back as with load_probe_suite.
    virtual void pick_probe_suite() = 0;
    // Scores a probe suite's texts in the worker: `request_json` is probe_begin's
    // {"id", "key", "texts", "target"}; progress, the scores or the error come back for that id.
    virtual void score_probe_texts(const std::string & request_json) = 0;
    // Stops scoring request `id` (within one batch); the page answers as for a cancelled run.
    virtual void cancel_probe_scoring(int id) = 0;
    // Probes the layers in the worker: `request_json` is layer_probe_begin's {"id", "key", "set",
    // "seed", "folds"}; progress and the report (or the error) come back for that id.
    virtual void probe_layers(const std::string & request_json)                                                     = 0;
    virtual void download_text(const std::string & filename, const std::string & mime, const std::string & content) = 0;
    // Saves the canvas as PNG after this frame is drawn, with `texts` as text chunks
    // (png_provenance: what the picture shows and how it was made).
    virtual void        download_canvas_png(const std::string & filename, const std::vector<png_text> & texts) = 0;
    virtual void        copy_to_clipboard(const std::string & text)                                            = 0;
    virtual std::string now_iso8601()                                                                          = 0;
    virtual double      now_seconds()                                                                          = 0;
};

}  // namespace spexlens::app
