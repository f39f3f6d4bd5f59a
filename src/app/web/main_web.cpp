// main_web: the page's frame loop — GLFW (emscripten's, on the page's canvas) with WebGL2, Dear
// ImGui's GLFW + OpenGL ES 3 backends, the DejaVu font the page ships, and one draw_page() per
// animation frame. JavaScript calls start() once the bridge functions exist.
//
// The canvas follows its CSS box (web/css/page.css makes it fill the window): every frame reads
// the box and the device pixel ratio, and sizes the backing store and ImGui's display from them
// (app/ui/canvas_metrics.h). GLFW's own window size is left alone: glfwSetWindowSize asks for
// fullscreen (and then pointer lock) when the size equals the screen's, which a browser refuses
// without a user gesture. The mouse wheel is read here too, with its delta mode, because
// emscripten's GLFW passes the raw DOM deltas with the wrong sign and scale.
#include "app/ui/canvas_metrics.h"
#include "app/ui/font_coverage.h"
#include "app/ui/views.h"
#include "app/web/browser_bridge.h"

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <algorithm>
#include <cfloat>
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/html5.h>
#include <emscripten/val.h>
#include <functional>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <string>
#include <vector>

#ifndef SPEXLENS_VERSION
#define SPEXLENS_VERSION "unknown"
#endif

namespace {

using namespace spexlens::app;

// [SECTION] State of the frame loop

constexpr const char * canvas_selector = "#canvas";  // web/index.html
constexpr float        font_size_px    = 15.0f;      // CSS pixels

GLFWwindow *         window = nullptr;
std::vector<uint8_t> font_bytes;       // the atlas reads it while building; kept for the page's life
std::vector<ImWchar> fallback_ranges;  // the CJK glyphs in the atlas (read while it builds)
std::string          clipboard;        // the last text pasted into the page (see set_clipboard)
int                  max_canvas_side  = default_max_canvas_side;  // the GPU's limit, read at start
bool                 fonts_on_the_gpu = false;                    // the GL backend has uploaded the atlas once

// Frames are drawn on demand: after input, while something changes (a run's progress, a
// teaching run), and a few frames after either so hover and popups settle. An idle page then
// costs nothing, and on a machine without a GPU (WebGL on the CPU) the canvas does not compete
// with the model for the cores while a run is in progress.
constexpr int    settle_frames       = 4;
constexpr double heartbeat_s         = 0.5;  // redraw at least this often anyway
constexpr double progress_interval_s = 0.25;
int              frames_to_draw      = settle_frames;
double           last_draw_s         = 0.0;

void wake(GLFWwindow *) { frames_to_draw = settle_frames; }
void wake_cursor(GLFWwindow * w, double, double) { wake(w); }
void wake_button(GLFWwindow * w, int, int, int) { wake(w); }
void wake_key(GLFWwindow * w, int, int, int, int) { wake(w); }
// Installed over ImGui's key callback: Tab and Shift+Tab go to the page's focus ring
// (focus_ring.h), which moves through every control across the panels; ImGui never sees Tab,
// so its own tabbing (text fields of one panel only) stays out of the way. Other keys go on to
// ImGui, whose callback calls wake_key.
void on_key(GLFWwindow * w, int key, int scancode, int action, int mods) {
    if (key == GLFW_KEY_TAB && (mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT)) == 0) {
        if (action != GLFW_RELEASE) {
            queue_tab(page_state().focus, (mods & GLFW_MOD_SHIFT) != 0);
        }
        wake(w);
        return;
    }
    ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods);
}
void wake_char(GLFWwindow * w, unsigned int) { wake(w); }

// What the views show that can change without input.
struct visible_facts {
    int          phase      = 0;
    size_t       done       = 0;
    bool         has_result = false;
    const void * result     = nullptr;
    std::string  error, status;
    size_t       text_size      = 0;
    int          whatif_id      = 0;
    bool         whatif_pending = false, teaching_running = false;
    size_t       models     = 0;
    size_t       card_chars = 0;  // the model card arrives from the page (set_card) without input
    bool         card_open  = false;
    // The probe panel: a suite arrives, the worker scores it and its scores arrive without input.
    int         probe_phase   = 0;
    size_t      probe_done    = 0;
    int         probe_request = 0;
    std::string probe_error, probe_note;
    bool        probe_open = false;
    // The attention view: its answer arrives from the worker without input.
    int  attention_phase = 0, attention_request = 0;
    bool attention_open = false;

    bool operator==(const visible_facts & o) const {
        return phase == o.phase && done == o.done && has_result == o.has_result && result == o.result &&
               error == o.error && status == o.status && text_size == o.text_size && whatif_id == o.whatif_id &&
               whatif_pending == o.whatif_pending && teaching_running == o.teaching_running && models == o.models &&
               card_chars == o.card_chars && card_open == o.card_open && probe_phase == o.probe_phase &&
               probe_done == o.probe_done && probe_request == o.probe_request && probe_error == o.probe_error &&
               probe_note == o.probe_note && probe_open == o.probe_open && attention_phase == o.attention_phase &&
               attention_request == o.attention_request && attention_open == o.attention_open;
    }
};

visible_facts facts_of(const app_state & s) {
    visible_facts f;
    f.phase             = int(s.phase);
    f.done              = s.progress.done;
    f.has_result        = s.result.has_value();
    f.result            = s.result ? static_cast<const void *>(&s.result->json) : nullptr;
    f.error             = s.error;
    f.status            = s.status;
    f.text_size         = s.text.size();
    f.whatif_id         = s.whatif.request_id;
    f.whatif_pending    = s.whatif.real_pending;
    f.teaching_running  = bool(s.teaching.run);
    f.models            = s.models.size();
    f.card_open         = s.view.model_card_open;
    f.probe_phase       = int(s.probe.phase);
    f.probe_done        = s.probe.done;
    f.probe_request     = s.probe.request_id;
    f.probe_error       = s.probe.error;
    f.probe_note        = s.probe.note;
    f.probe_open        = s.probe.open;
    f.attention_phase   = int(s.attention.phase);
    f.attention_request = s.attention.request_id;
    f.attention_open    = s.attention.open;
    if (const model_entry * m = find_model(s, s.settings.model_key)) {
        f.card_chars = m->card.size() + (m->card_missing ? 1 : 0);
    }
    return f;
}

visible_facts last_facts;

// Browsers keep the clipboard to themselves: pasting arrives as a DOM paste event, which the
// page forwards here just before ImGui handles the Ctrl+V of the same key press.
const char * get_clipboard(void *) { return clipboard.c_str(); }
void         set_clipboard(void *, const char * text) { page_bridge().copy_to_clipboard(text); }

// [SECTION] Canvas size, fonts and wheel

// The canvas's CSS box and the screen's pixel ratio now.
canvas_metrics measure_canvas() {
    double css_width = 0, css_height = 0;
    if (emscripten_get_element_css_size(canvas_selector, &css_width, &css_height) != EMSCRIPTEN_RESULT_SUCCESS) {
        css_width  = 0;  // fit_canvas takes an unknown size as 1 x 1 until the next frame
        css_height = 0;
    }
    return fit_canvas(css_width, css_height, emscripten_get_device_pixel_ratio(), max_canvas_side);
}

// (Re)builds the font atlas rasterised at `scale` times the font size and drawn at 1/scale, so
// glyphs keep their CSS size and are sharp on the screen's pixels. The GL texture is replaced
// once the backend has made one (before the first frame it makes it itself).
void build_fonts(float scale) {
    ImGuiIO & io = ImGui::GetIO();
    io.Fonts->Clear();
    if (!font_bytes.empty()) {
        ImFontConfig config;
        config.FontDataOwnedByAtlas = false;
        config.OversampleH          = scale >= 2.0f ? 1 : 2;  // enough pixels per glyph already at 2x
        io.Fonts->AddFontFromMemoryTTF(font_bytes.data(), int(font_bytes.size()), font_size_px * scale, &config,
                                       primary_glyph_ranges);
        // The CJK glyphs the texts on screen use, merged into the same font from the fallback
        // fonts in turn (a glyph comes from the first that has it).
        browser_bridge::fallback_font_state & fallback = page_bridge().fallback_font;
        if (!fallback.faces.empty() && !fallback.glyphs.empty()) {
            fallback_ranges = fallback.glyphs.ranges();  // read while the atlas builds
            for (std::vector<uint8_t> & face : fallback.faces) {
                ImFontConfig merge;
                merge.MergeMode            = true;
                merge.FontDataOwnedByAtlas = false;
                merge.OversampleH          = 1;
                io.Fonts->AddFontFromMemoryTTF(face.data(), int(face.size()), font_size_px * scale, &merge,
                                               fallback_ranges.data());
            }
        }
        fallback.dirty = false;
    } else {
        ImFontConfig config;
        config.SizePixels = 13.0f * scale;
        io.Fonts->AddFontDefault(&config);
    }
    io.FontGlobalScale = 1.0f / scale;
    if (fonts_on_the_gpu) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
}

// The texts on screen may need CJK glyphs (font_coverage.h): the first time, the page is asked
// for the fallback font; once it is there, the atlas is rebuilt with every glyph they use.
// Returns true when the atlas was rebuilt.
bool sync_fallback_glyphs(const app_state & s) {
    browser_bridge::fallback_font_state & f = page_bridge().fallback_font;
    // Each text is decoded only when it changed (a hash is much cheaper than decoding).
    static size_t seen[4] = {};
    const auto    scan    = [&](int slot, const std::string & text) {
        const size_t h = std::hash<std::string>{}(text);
        if (h == seen[slot]) {
            return false;
        }
        seen[slot] = h;
        return f.glyphs.add_text(text);
    };
    const model_entry * model = find_model(s, s.settings.model_key);
    bool                added = scan(0, s.text);
    added                     = scan(1, s.result ? s.result->text : std::string()) || added;
    added                     = scan(2, s.companion ? s.companion->text : std::string()) || added;
    added                     = scan(3, model ? model->card : std::string()) || added;
    // The probe panel's suite: its texts, names and description, once per suite read.
    static int seen_plan = 0;
    if (s.probe.plan && s.probe.plan_serial != seen_plan) {
        seen_plan                                  = s.probe.plan_serial;
        const spexlens::probe::probe_suite & suite = s.probe.plan->suite;
        std::string                          all = suite.name + '\n' + suite.description + '\n' + s.probe.plan->source;
        for (const spexlens::probe::probe_test & t : suite.tests) {
            all += '\n' + t.name + '\n' + t.capability + '\n' + t.description;
        }
        for (const std::string & text : s.probe.plan->texts) {
            all += '\n' + text;
        }
        added = f.glyphs.add_text(all) || added;
    }
    if (f.glyphs.empty()) {
        return false;
    }
    if (f.faces.empty()) {
        if (!f.requested) {
            page_bridge().request_fallback_font();
        }
        return false;
    }
    if (added || f.dirty) {
        build_fonts(page_bridge().canvas.font_scale);
        return true;
    }
    return false;
}

// Follows the canvas's CSS box and pixel ratio: resizes the backing store and rebuilds the
// fonts when they change. Returns true when anything the frame draws changed.
bool sync_canvas() {
    browser_bridge &     bridge = page_bridge();
    const canvas_metrics now    = measure_canvas();
    int                  width = 0, height = 0;
    emscripten_get_canvas_element_size(canvas_selector, &width, &height);
    const bool resized = width != now.pixel_width || height != now.pixel_height;
    if (resized) {
        emscripten_set_canvas_element_size(canvas_selector, now.pixel_width, now.pixel_height);
    }
    if (now.font_scale != bridge.canvas.font_scale) {
        build_fonts(now.font_scale);
    }
    const bool changed = resized || !same_layout(now, bridge.canvas);
    bridge.canvas      = now;
    return changed;
}

// After ImGui_ImplGlfw_NewFrame: the display is the canvas's CSS box drawn at the backing
// store's resolution, and the mouse (which GLFW reports in backing-store pixels) in CSS pixels.
void apply_canvas_to_imgui(const canvas_metrics & m) {
    ImGuiIO & io               = ImGui::GetIO();
    io.DisplaySize             = ImVec2(float(m.css_width), float(m.css_height));
    io.DisplayFramebufferScale = ImVec2(float(m.scale_x()), float(m.scale_y()));
    if (io.MousePos.x != -FLT_MAX && io.MousePos.y != -FLT_MAX) {
        io.MousePos = ImVec2(float(io.MousePos.x / m.scale_x()), float(io.MousePos.y / m.scale_y()));
    }
}

// The wheel over the canvas scrolls whatever ImGui has under the mouse. Ctrl+wheel is left to
// the browser (page zoom, which the canvas follows through the pixel ratio).
EM_BOOL on_wheel(int, const EmscriptenWheelEvent * event, void *) {
    if (event->mouse.ctrlKey) {
        return EM_FALSE;
    }
    const wheel_steps steps = wheel_steps_for(event->deltaX, event->deltaY, int(event->deltaMode));
    ImGuiIO &         io    = ImGui::GetIO();
    io.MouseWheelH += steps.x;
    io.MouseWheel += steps.y;
    wake(window);
    return EM_TRUE;  // the page itself does not scroll
}

// [SECTION] The frame

void frame() {
    app_state & s = page_state();
    glfwPollEvents();
    if (sync_canvas()) {
        frames_to_draw = std::max(frames_to_draw, settle_frames);
    }

    const double        now   = page_bridge().now_seconds();
    const visible_facts facts = facts_of(s);
    if (page_bridge().wants_frame()) {
        frames_to_draw = std::max(frames_to_draw, 1);
    } else if (!(facts == last_facts)) {
        // A run's progress alone is drawn a few times a second: every frame of a software-
        // rendered canvas is CPU time the model does not get.
        // (A probe suite's texts scored count as progress too.)
        const bool progress_only = facts.phase == last_facts.phase && facts.probe_phase == last_facts.probe_phase &&
                                   (facts.phase != 0 || facts.probe_phase != 0) && facts.error == last_facts.error &&
                                   facts.has_result == last_facts.has_result && facts.result == last_facts.result &&
                                   facts.probe_request == last_facts.probe_request &&
                                   facts.probe_error == last_facts.probe_error;
        if (!progress_only || now - last_draw_s >= progress_interval_s) {
            frames_to_draw = std::max(frames_to_draw, progress_only ? 1 : settle_frames);
        }
    }
    if (frames_to_draw <= 0 && now - last_draw_s < heartbeat_s) {
        return;
    }
    frames_to_draw -= 1;
    // Only on frames that are drawn (scanning the texts costs time a run's model could use).
    if (sync_fallback_glyphs(s)) {
        frames_to_draw = std::max(frames_to_draw, settle_frames);
    }
    last_draw_s                   = now;
    const canvas_metrics & canvas = page_bridge().canvas;
    ImGui_ImplOpenGL3_NewFrame();
    fonts_on_the_gpu = true;
    ImGui_ImplGlfw_NewFrame();
    apply_canvas_to_imgui(canvas);
    if (s.figure.pending) {
        ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // the figure is drawn with no hover on it
    }
    ImGui::NewFrame();
    draw_page(s, page_bridge());
    ImGui::Render();

    glViewport(0, 0, canvas.pixel_width, canvas.pixel_height);
    glClearColor(0.96f, 0.96f, 0.97f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    page_bridge().after_frame();
    last_facts = facts_of(s);
}

// [SECTION] What JavaScript calls

// Starts the page on the canvas (sized by its CSS box, see web/css/page.css): font = the TTF's
// bytes. Returns "" or why it could not start.
std::string start(const emscripten::val & font) {
    if (window) {
        return "already started";
    }
    if (!glfwInit()) {
        return "GLFW could not start";
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    const canvas_metrics first = measure_canvas();
    window                     = glfwCreateWindow(first.pixel_width, first.pixel_height, "spexlens", nullptr, nullptr);
    if (!window) {
        return "this browser could not create a WebGL2 context (is WebGL2 enabled?)";
    }
    glfwMakeContextCurrent(window);
    GLint renderbuffer_max = 0, viewport_max[2] = {0, 0};
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &renderbuffer_max);
    glGetIntegerv(GL_MAX_VIEWPORT_DIMS, viewport_max);
    const int gpu_max = std::min({renderbuffer_max, viewport_max[0], viewport_max[1]});
    if (gpu_max > 0) {
        max_canvas_side = std::min(gpu_max, default_max_canvas_side);
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO & io   = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing is written to storage
    io.LogFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // arrows, Tab and Enter work without a mouse
    apply_page_style();
    // Installed before ImGui's own callbacks, which call them in turn.
    glfwSetCursorPosCallback(window, wake_cursor);
    glfwSetMouseButtonCallback(window, wake_button);
    glfwSetKeyCallback(window, wake_key);
    glfwSetCharCallback(window, wake_char);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    glfwSetKeyCallback(window, on_key);  // over ImGui's: Tab goes to the page's focus ring
    ImGui_ImplOpenGL3_Init("#version 300 es");
    // GLFW's wheel path hands ImGui the raw DOM deltas (100 per notch, down positive), which
    // throws every panel to its top: the wheel is read by on_wheel instead.
    glfwSetScrollCallback(window, nullptr);
    emscripten_set_wheel_callback(canvas_selector, nullptr, EM_TRUE, on_wheel);
    io.GetClipboardTextFn = get_clipboard;
    io.SetClipboardTextFn = set_clipboard;

    font_bytes           = emscripten::convertJSArrayToNumberVector<uint8_t>(font);
    page_bridge().canvas = first;
    build_fonts(first.font_scale);

    page_state().app_version = SPEXLENS_VERSION;
    emscripten_set_main_loop(frame, 0, false);
    return "";
}

void set_clipboard_text(const std::string & text) { clipboard = text; }

}  // namespace

EMSCRIPTEN_BINDINGS(spexlens_app_main) {
    emscripten::function("start", &start);
    emscripten::function("setClipboardText", &set_clipboard_text);
}
