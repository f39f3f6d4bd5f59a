// browser_bridge: see browser_bridge.h. JavaScript-facing names are camelCase (embind), the
// page's functions live on globalThis.spexlensPage (web/js/page_main.mjs).
#include "app/web/browser_bridge.h"

#include "app/model/export_formats.h"
#include "app/model/manifest_facts.h"
#include "app/ui/run_request.h"
#include "app/ui/views.h"
#include "components/component_players.h"
#include "explain/text_explainer.h"

#include <algorithm>
#include <cmath>
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <map>
#include <string>

#ifndef SPEXLENS_VERSION
#define SPEXLENS_VERSION "unknown"
#endif

namespace spexlens::app {

namespace {

using emscripten::val;

val page() { return val::global("spexlensPage"); }

}  // namespace

void browser_bridge::start_run(app_state & s) {
    if (s.phase != RUN_IDLE) {
        return;
    }
    s.error.clear();
    s.status        = "Starting…";
    s.phase         = RUN_RUNNING;
    s.progress      = {};
    s.run_started_s = now_seconds();
    page().call<void>("startRun", run_request_json(s));
}

void browser_bridge::cancel_run(app_state & s) {
    if (s.phase == RUN_RUNNING) {
        s.phase  = RUN_CANCELLING;
        s.status = "Cancelling…";
        page().call<void>("cancelRun");
    }
}

void browser_bridge::request_whatif(app_state & s) {
    std::string bits(s.whatif.keep.size(), '1');
    for (size_t i = 0; i < bits.size(); ++i) {
        bits[i] = s.whatif.keep[i] ? '1' : '0';
    }
    // whatif_mask_changed has already given this mask a new request id.
    if (s.phase != RUN_IDLE || s.probe.phase == PROBE_SCORING || s.probe.phase == PROBE_CANCELLING) {
        // The worker's model is busy with the run, and an early result's explainer is still
        // taking calls: the real output is asked once the run has finished.
        s.whatif.real_pending = false;
        s.whatif.real_known   = false;
        s.whatif.real_error   = "the model's own output can be asked once the run has finished";
        return;
    }
    s.whatif.real_pending = true;
    s.whatif.real_known   = false;
    s.whatif.real_error.clear();
    page().call<void>("whatIf", s.whatif.request_id, bits);
}

void browser_bridge::pick_files() { page().call<void>("pickFiles"); }

void browser_bridge::pick_folder() { page().call<void>("pickFolder"); }

void browser_bridge::model_chosen(const std::string & key) { page().call<void>("modelChosen", key); }

void browser_bridge::request_model_card(const std::string & key) { page().call<void>("requestModelCard", key); }

void browser_bridge::load_probe_suite(const std::string & path) { page().call<void>("loadProbeSuite", path); }

void browser_bridge::pick_probe_suite() { page().call<void>("pickProbeSuite"); }

void browser_bridge::score_probe_texts(const std::string & request_json) {
    page().call<void>("scoreProbeTexts", request_json);
}

void browser_bridge::cancel_probe_scoring(int id) { page().call<void>("cancelProbeScoring", id); }

void browser_bridge::probe_layers(const std::string & request_json) { page().call<void>("probeLayers", request_json); }

void browser_bridge::request_fallback_font() {
    fallback_font.requested = true;
    page().call<void>("loadFallbackFont");
}

void browser_bridge::download_text(const std::string & filename, const std::string & mime,
                                   const std::string & content) {
    page().call<void>("downloadText", filename, mime, content);
}

void browser_bridge::download_canvas_png(const std::string & filename, const std::vector<png_text> & texts) {
    png_filename_ = filename;
    png_texts_    = texts;
}

// The canvas is read right after the frame is drawn (WebGL clears it once shown); the text
// chunks go in here, so the page glue only hands bytes over and saves them.
void browser_bridge::after_frame() {
    app_state & s = page_state();
    // The attention view wants the attention of the result on screen: asked once the worker's
    // model is free (the worker reads it from its last finished run).
    if (s.attention.open && s.attention.phase == ATTENTION_WANTED && s.phase == RUN_IDLE &&
        s.probe.phase != PROBE_SCORING && s.probe.phase != PROBE_CANCELLING) {
        attention_sent(s.attention);
        page().call<void>("requestAttention", s.attention.request_id);
    }
    if (png_filename_.empty()) {
        s.figure.pending = false;
        return;
    }
    if (s.figure.pending && !s.figure.drawn) {
        return;  // the PNG button's frame drew the page; the next one draws the figure
    }
    s.figure.pending                    = false;
    const std::string          filename = png_filename_;
    const std::vector<uint8_t> bytes =
        emscripten::convertJSArrayToNumberVector<uint8_t>(page().call<emscripten::val>("canvasPngBytes"));
    const std::string canvas(bytes.begin(), bytes.end());
    png_filename_.clear();
    try {
        const std::string png = png_with_text(canvas, png_texts_);
        page().call<void>(
            "downloadBytes", filename, std::string("image/png"),
            emscripten::val(emscripten::typed_memory_view(png.size(), reinterpret_cast<const uint8_t *>(png.data()))));
    } catch (const std::exception & e) {
        page_state().error = std::string("PNG export failed: ") + e.what();
    }
}

void browser_bridge::copy_to_clipboard(const std::string & text) { page().call<void>("copyText", text); }

std::string browser_bridge::now_iso8601() { return page().call<std::string>("nowIso"); }

double browser_bridge::now_seconds() { return emscripten_get_now() / 1000.0; }

app_state & page_state() {
    static app_state s;
    return s;
}

browser_bridge & page_bridge() {
    static browser_bridge b;
    return b;
}

}  // namespace spexlens::app

// [SECTION] Functions JavaScript calls (web/js/page_main.mjs)
namespace {

using namespace spexlens::app;
using spexlens::ordered_json;

// The catalog's "workshop" of a model (with its "samples" texts): its path, or why it cannot
// be read (the path is then not offered; the view says why).
void read_workshop(model_entry & e, const ordered_json & m) {
    if (!m.contains("workshop") || m["workshop"].is_null()) {
        return;
    }
    try {
        const std::vector<std::string> samples = m.value("samples", std::vector<std::string>{});
        e.workshop = read_workshop_spec(nlohmann::json::parse(m["workshop"].dump()), samples);
    } catch (const std::exception & ex) {
        e.workshop_error = std::string("catalog.json, model ") + e.key + ": " + ex.what();
    }
}

// Models the page can use: [{key, title, description, labels, default_target, sample_text,
// sha256, masking, max_length, custom, manifest_text, exported, derived_manifest, derived_notes,
// target_asked, probe_suite, layer_probe_set, samples, workshop}]; the manifest says whether the model's
// heads and neurons can be ablated (component explanations).
void set_models(const std::string & json_text) {
    app_state &                   s = page_state();
    std::map<std::string, double> speeds;  // measured speeds survive a republish
    for (const model_entry & m : s.models) {
        speeds[m.key + '\n' + m.sha256] = m.calls_per_s;
    }
    s.models.clear();
    for (const auto & m : ordered_json::parse(json_text)) {
        model_entry e;
        e.key              = m.value("key", "");
        e.title            = m.value("title", e.key);
        e.description      = m.value("description", "");
        e.labels           = m.value("labels", std::vector<std::string>{});
        e.default_target   = m.value("default_target", "");
        e.sample_text      = m.value("sample_text", "");
        e.sha256           = m.value("sha256", "");
        e.masking          = m.value("masking", "");
        e.max_length       = m.value("max_length", 0);
        e.custom           = m.value("custom", false);
        e.components       = read_component_facts(m.value("manifest_text", ""));
        e.exported         = m.value("exported", false);
        e.derived_manifest = m.value("derived_manifest", "");
        e.derived_notes    = m.value("derived_notes", std::vector<std::string>{});
        e.target_asked     = m.value("target_asked", false);
        e.probe_suite      = m.value("probe_suite", "");
        e.attentions       = manifest_declares_attentions(m.value("manifest_text", ""));
        e.hidden_states    = manifest_declares_hidden_states(m.value("manifest_text", ""));
        e.layer_probe_set  = m.value("layer_probe_set", "");
        read_workshop(e, m);
        e.calls_per_s = speeds.count(e.key + '\n' + e.sha256) ? speeds[e.key + '\n' + e.sha256] : 0.0;
        s.models.push_back(e);
    }
    if (!find_model(s, s.settings.model_key) && !s.models.empty()) {
        s.settings.model_key = s.models.front().key;
    }
}

// Model calls per second measured with a model (its warm-up), for the estimate before Run.
void set_model_speed(const std::string & key, double calls_per_s) {
    for (model_entry & m : page_state().models) {
        if (m.key == key && std::isfinite(calls_per_s) && calls_per_s > 0) {
            m.calls_per_s = calls_per_s;
        }
    }
}

void select_model(const std::string & key) { choose_model(page_state(), key); }

// One fallback font's bytes (empty, with `problem`, when it could not be loaded).
void set_fallback_font(const emscripten::val & bytes, const std::string & problem) {
    browser_bridge::fallback_font_state & f    = page_bridge().fallback_font;
    std::vector<uint8_t>                  face = emscripten::convertJSArrayToNumberVector<uint8_t>(bytes);
    if (face.empty()) {
        f.failed = problem.empty() ? "a fallback font file is empty" : problem;
        return;
    }
    f.faces.push_back(std::move(face));
    f.dirty = true;
}

void set_model_card(const std::string & key, const std::string & text, bool found) {
    set_card(page_state(), key, text, found);
}

void on_progress(double done, double total) {
    app_state & s = page_state();
    if (s.phase == RUN_IDLE) {
        return;
    }
    s.progress.done       = size_t(done);
    s.progress.total      = size_t(total);
    const double elapsed  = page_bridge().now_seconds() - s.run_started_s;
    s.progress.rate_per_s = elapsed > 0 && done > 0 ? done / elapsed : 0.0;
    s.progress.eta_s      = s.progress.rate_per_s > 0 ? (total - done) / s.progress.rate_per_s : 0.0;
    s.status              = s.phase == RUN_CANCELLING ? "Cancelling…" : "Running the model on masked texts…";
}

// A finished explanation; "" on success, else why the page could not show it.
std::string on_result(const std::string & json_text) {
    app_state & s = page_state();
    s.phase       = RUN_IDLE;
    try {
        accept_result(s, parse_result(json_text));
    } catch (const std::exception & e) {
        s.error = std::string("The result could not be shown: ") + e.what();
        return s.error;
    }
    s.run_has_early_result = false;
    s.status = std::string(s.result->partial ? "Stopped: " : "Done: ") + std::to_string(model_calls(*s.result)) +
               " model calls.";
    return "";
}

// An early result of the run in flight (uniform methods): shown at once, the run goes on; Stop
// keeps it. "" on success, else why the page could not show it (the run goes on regardless).
std::string on_early_result(const std::string & json_text) {
    app_state & s = page_state();
    if (s.phase == RUN_IDLE) {
        return "";
    }
    try {
        accept_result(s, parse_result(json_text));
    } catch (const std::exception & e) {
        return std::string("The early result could not be shown: ") + e.what();
    }
    s.run_has_early_result = true;
    s.status               = "First result from " + std::to_string(model_calls(*s.result)) +
               " model calls; refining as more come in (Stop keeps it).";
    return "";
}

void on_error(const std::string & message) {
    app_state & s          = page_state();
    s.phase                = RUN_IDLE;
    s.run_has_early_result = false;
    s.status.clear();
    s.error = message;
}

void on_cancelled() {
    app_state & s          = page_state();
    s.phase                = RUN_IDLE;
    s.run_has_early_result = false;
    s.status               = "Cancelled; the previous result (if any) is still shown.";
}

void on_whatif(int request_id, double value, const std::string & error) {
    whatif_state & w = page_state().whatif;
    if (request_id != w.request_id) {
        return;  // an answer for a mask the user has since changed
    }
    w.real_pending = false;
    w.real_known   = error.empty();
    w.real_value   = value;
    w.real_error   = error;
}

// [SECTION] Probe suites (probe_panel.cpp; web/js/page_main.mjs scores the texts in the worker)

// A suite file's text: shipped (`source` is its path in the site) or the user's (its name).
void on_probe_suite(const std::string & text, const std::string & source) {
    probe_suite_received(page_state(), page_bridge(), text, source);
}

// A shipped suite file could not be read.
void on_probe_suite_error(const std::string & message) {
    page_state().probe.open = true;
    probe_load_failed(page_state().probe, message);
}

void on_probe_progress(int id, double done, double total) {
    probe_progress(page_state().probe, id, size_t(done), size_t(total));
}

// The worker's scores document for request `id`, and the model's name as it read it.
void on_probe_scores(int id, const std::string & scores_json, const std::string & model) {
    probe_scores_arrived(page_state().probe, id, scores_json, model, page_bridge().now_iso8601(),
                         page_bridge().now_seconds());
}

void on_probe_error(int id, const std::string & message, bool cancelled) {
    probe_run_ended(page_state().probe, id, "The probe suite could not be run: " + message, cancelled);
}

// The attention of the last finished run's text (web/js/page_main.mjs requestAttention): the
// internals graph's attentions (Float32Array, dims [layers, 1, heads, seq, seq]) and each
// position's player (Int32Array), or why they could not be read.
void on_attention(int id, const val & values, const val & dims, const val & players, const std::string & error) {
    app_state & s = page_state();
    if (!error.empty()) {
        attention_failed(s.attention, id, error);
        return;
    }
    std::vector<int64_t> shape;
    for (const double d : emscripten::convertJSArrayToNumberVector<double>(dims)) {
        shape.push_back(std::isfinite(d) && d >= 0 && d < 1e9 ? int64_t(d) : -1);
    }
    attention_arrived(s.attention, id, emscripten::convertJSArrayToNumberVector<float>(values), shape,
                      emscripten::convertJSArrayToNumberVector<int>(players), s.result ? size_t(s.result->n) : 0);
}

// The probing view's run `id` (web/js/page_main.mjs probeLayers): progress, the report the core
// wrote, or why it failed.
void on_layer_probe_progress(int id, double done, double total) {
    layer_probe_progress(page_state().layer_probe, id, size_t(done), size_t(total));
}

void on_layer_probe_report(int id, const std::string & report_json, const std::string & error) {
    app_state & s = page_state();
    if (!error.empty()) {
        layer_probe_failed(s.layer_probe, id, "The layers could not be probed: " + error);
        return;
    }
    layer_probe_arrived(s.layer_probe, id, report_json, page_bridge().now_seconds());
}

// Whether a .json file the user picked or dropped is a probe suite (user_files.mjs asks).
bool is_probe_suite(const std::string & text) { return looks_like_probe_suite(text); }

void set_text(const std::string & text) { page_state().text = text; }

void set_error(const std::string & message) { page_state().error = message; }

void set_status(const std::string & message) { page_state().status = message; }

void set_browser_facts(int ort_threads, const std::string & ort_version, bool isolated, bool single_file) {
    page_state().ort_threads           = ort_threads;
    page_state().ort_version           = ort_version;
    page_state().cross_origin_isolated = isolated;
    page_state().single_file           = single_file;
}

// window.spexlens.explain: sets the controls from `config` (the hook's options), then starts
// the run exactly as the Run button does. "" when started, else the reason it could not.
std::string request_run(const std::string & config_json) {
    app_state & s = page_state();
    if (s.phase != RUN_IDLE) {
        return "a run is already in progress";
    }
    if (s.probe.phase == PROBE_SCORING || s.probe.phase == PROBE_CANCELLING) {
        return "a probe suite is being run; explain once it has finished";
    }
    // Checked whole in native C++ (run_request.cpp); nothing changes when it is refused.
    const std::string refused = apply_script_request(config_json, s);
    if (!refused.empty()) {
        return refused;
    }
    s.teaching.enabled = false;
    page_bridge().start_run(s);
    return "";
}

std::string export_json_now(bool include_text) {
    app_state & s = page_state();
    if (!s.result) {
        return "";
    }
    export_options options = page_export_options(s, page_bridge().now_iso8601());
    options.include_text   = include_text;
    return export_json(*s.result, s.index, options);
}

// The attention view's state and, once the attention is read, what it shows.
ordered_json attention_state_json(const app_state & s) {
    const attention_session & a   = s.attention;
    ordered_json              out = {
                     {"open", a.open}, {"phase", int(a.phase)}, {"ready", a.phase == ATTENTION_READY}, {"error", a.error}};
    if (a.phase == ATTENTION_READY && a.received && s.result) {
        try {
            const attention_view_facts f =
                make_attention_facts(*a.received, *s.result, s.index, a.choice, a.sort_by_use);
            out["series"]                = f.series;
            out["spearman"]              = spexlens::json_number(f.spearman);
            out["correlation"]           = f.correlation;
            out["special"]               = f.special;
            out["honest"]                = attention_honest_sentence;
            out["looked_at_little_used"] = f.looked_at_little_used;
            out["used_little_looked_at"] = f.used_little_looked_at;
            out["words"]                 = f.rows.size();
        } catch (const std::exception & e) {
            out["error"] = e.what();
        }
    }
    return out;
}

// The probing view's state and, once the report is in, its best layer and sentences.
ordered_json layer_probe_state_json(const app_state & s) {
    const layer_probe_session & p   = s.layer_probe;
    ordered_json                out = {{"open", p.open},   {"running", p.phase == LAYER_PROBE_RUNNING},
                                       {"done", p.done},   {"total", p.total},
                                       {"error", p.error}, {"ready", p.facts.has_value()}};
    if (p.facts) {
        const layer_probe_facts & f = *p.facts;
        out["layers"]               = f.layers.size();
        out["best"]                 = f.layers[f.best].name;
        out["best_accuracy"]        = f.layers[f.best].accuracy;
        out["examples"]             = f.examples;
        out["seed"]                 = f.seed;
        out["reading"]              = layer_probe_reading(f);
        out["statement"]            = f.statement;
    }
    return out;
}

// What the page shows, for the browser tests and the DOM summary.
std::string state_json() {
    const app_state & s       = page_state();
    ordered_json      widgets = ordered_json::object();
    for (const auto & [name, r] : s.widget_rects) {
        widgets[name] = {r.x, r.y, r.z, r.w};
    }
    ordered_json out = {{"phase", s.phase == RUN_IDLE            ? "idle"
                                  : s.phase == RUN_RUNNING       ? "running"
                                  : s.phase == RUN_LOADING_MODEL ? "loading"
                                                                 : "cancelling"},
                        {"error", s.error},
                        {"status", s.status},
                        {"model", s.settings.model_key},
                        {"text_length", s.text.size()},
                        {"progress", {{"done", s.progress.done}, {"total", s.progress.total}}},
                        {"has_result", s.result.has_value()},
                        {"early_result", s.run_has_early_result},
                        {"has_companion", s.companion.has_value()},
                        {"side_by_side", companion_matches(s)},
                        {"teaching", s.teaching.enabled},
                        {"teaching_running", bool(s.teaching.run)},
                        {"workshop", workshop_page_state(s)},
                        {"view_mode", s.view.analyst ? "analyst" : "presenter"},
                        {"browser",
                         {{"ort_threads", s.ort_threads},
                          {"ort_version", s.ort_version},
                          {"isolated", s.cross_origin_isolated},
                          {"single_file", s.single_file}}},
                        {"widgets", widgets}};
    if (const model_entry * m = find_model(s, s.settings.model_key)) {
        out["model_card"] = {{"open", s.view.model_card_open},
                             {"chars", m->card.size()},
                             {"missing", m->card_missing},
                             {"starts", m->card.substr(0, 80)}};
    }
    const canvas_metrics & c = page_bridge().canvas;
    out["canvas"]            = {{"css", {c.css_width, c.css_height}},
                                {"pixels", {c.pixel_width, c.pixel_height}},
                                {"pixel_ratio", c.pixel_ratio},
                                {"font_scale", c.font_scale}};
    // What the fonts cover: characters of the text box and of the result's text the page would
    // draw as '?' with the atlas it has now.
    const browser_bridge::fallback_font_state & f     = page_bridge().fallback_font;
    const ImFontAtlas *                         atlas = ImGui::GetCurrentContext() ? ImGui::GetIO().Fonts : nullptr;
    const ImFont * font = atlas && atlas->IsBuilt() && !atlas->Fonts.empty() ? atlas->Fonts[0] : nullptr;
    out["fonts"]        = {{"missing_glyphs_text", missing_glyphs(font, s.text)},
                           {"missing_glyphs_result", s.result ? missing_glyphs(font, s.result->text) : 0},
                           {"fallback_requested", f.requested},
                           {"fallback_fonts", f.faces.size()},
                           {"fallback_glyphs", f.glyphs.size()},
                           {"fallback_capped", f.glyphs.capped()},
                           {"fallback_failed", f.failed}};
    ordered_json scroll = ordered_json::object();
    for (const auto & [name, y] : s.scroll_offsets) {
        scroll[name] = y;
    }
    out["scroll"]      = scroll;
    out["focused"]     = s.focus.focused;  // the control Tab moved the focus to ("" when none)
    out["probe"]       = probe_state_json(s.probe);
    out["attention"]   = attention_state_json(s);
    out["layer_probe"] = layer_probe_state_json(s);
    if (s.result) {
        out["result"] = {{"n", s.result->n},
                         {"r2", spexlens::json_number(s.result->r2)},
                         {"seed", s.result->seed},
                         {"queries", s.result->queries},
                         {"partial", s.result->partial},
                         {"method", s.result->method},
                         {"chosen_method", s.result->chosen_method},
                         {"granularity", s.result->granularity},
                         {"players", s.result->players},
                         {"index", spex::index_kind_name(s.index.kind)},
                         {"index_order", s.index.order}};
        out["whatif"] = {{"active", s.whatif.active},
                         {"masked", std::count(s.whatif.keep.begin(), s.whatif.keep.end(), false)},
                         {"surrogate", spexlens::json_number(s.whatif.surrogate)},
                         {"pending", s.whatif.real_pending},
                         {"real_known", s.whatif.real_known},
                         {"real_value", spexlens::json_number(s.whatif.real_value)},
                         {"real_error", s.whatif.real_error}};
    }
    return out.dump();
}

std::string app_version() { return SPEXLENS_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(spexlens_app) {
    emscripten::function("setModels", &set_models);
    emscripten::function("selectModel", &select_model);
    emscripten::function("setModelSpeed", &set_model_speed);
    emscripten::function("setModelCard", &set_model_card);
    emscripten::function("setFallbackFont", &set_fallback_font);
    emscripten::function("onProgress", &on_progress);
    emscripten::function("onResult", &on_result);
    emscripten::function("onEarlyResult", &on_early_result);
    emscripten::function("onError", &on_error);
    emscripten::function("onCancelled", &on_cancelled);
    emscripten::function("onWhatIf", &on_whatif);
    emscripten::function("onProbeSuite", &on_probe_suite);
    emscripten::function("onProbeSuiteError", &on_probe_suite_error);
    emscripten::function("onProbeProgress", &on_probe_progress);
    emscripten::function("onProbeScores", &on_probe_scores);
    emscripten::function("onProbeError", &on_probe_error);
    emscripten::function("isProbeSuite", &is_probe_suite);
    emscripten::function("onAttention", &on_attention);
    emscripten::function("onLayerProbeProgress", &on_layer_probe_progress);
    emscripten::function("onLayerProbeReport", &on_layer_probe_report);
    emscripten::function("setText", &set_text);
    emscripten::function("setError", &set_error);
    emscripten::function("setStatus", &set_status);
    emscripten::function("setBrowserFacts", &set_browser_facts);
    emscripten::function("manifestFacts", &spexlens::app::manifest_facts_json);
    emscripten::function("requestRun", &request_run);
    emscripten::function("exportJson", &export_json_now);
    emscripten::function("stateJson", &state_json);
    emscripten::function("version", &app_version);
}
