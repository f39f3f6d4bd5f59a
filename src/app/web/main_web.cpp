// main_web: the page's frame loop — GLFW (emscripten's, on the page's canvas) with WebGL2, Dear
// ImGui's GLFW + OpenGL ES 3 backends, the DejaVu font the page ships, and one draw_page() per
// animation frame. JavaScript calls start() once the bridge functions exist.
#include "app/ui/views.h"
#include "app/web/browser_bridge.h"

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <algorithm>
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>
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

GLFWwindow *         window = nullptr;
std::vector<uint8_t> font_bytes;  // the atlas reads it while building; kept for the page's life
std::string          clipboard;   // the last text pasted into the page (see set_clipboard)

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
void wake_scroll(GLFWwindow * w, double, double) { wake(w); }
void wake_key(GLFWwindow * w, int, int, int, int) { wake(w); }
void wake_char(GLFWwindow * w, unsigned int) { wake(w); }
void wake_size(GLFWwindow * w, int, int) { wake(w); }

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
    size_t       models = 0;

    bool operator==(const visible_facts & o) const {
        return phase == o.phase && done == o.done && has_result == o.has_result && result == o.result &&
               error == o.error && status == o.status && text_size == o.text_size && whatif_id == o.whatif_id &&
               whatif_pending == o.whatif_pending && teaching_running == o.teaching_running && models == o.models;
    }
};

visible_facts facts_of(const app_state & s) {
    visible_facts f;
    f.phase            = int(s.phase);
    f.done             = s.progress.done;
    f.has_result       = s.result.has_value();
    f.result           = s.result ? static_cast<const void *>(&s.result->json) : nullptr;
    f.error            = s.error;
    f.status           = s.status;
    f.text_size        = s.text.size();
    f.whatif_id        = s.whatif.request_id;
    f.whatif_pending   = s.whatif.real_pending;
    f.teaching_running = bool(s.teaching.run);
    f.models           = s.models.size();
    return f;
}

visible_facts last_facts;

// Glyphs the page can show: Latin (with extensions and IPA), Greek, Cyrillic, punctuation,
// currency, letter-like symbols, arrows, maths (∧, ≈, ≤), box drawing and geometric shapes.
// DejaVu Sans has no CJK; such characters are drawn as '?' (the exports keep them intact).
const ImWchar glyph_ranges[] = {
    0x0020, 0x024F, 0x0250, 0x02FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x0400, 0x052F,
    0x1E00, 0x1EFF, 0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F, 0x2190, 0x21FF,
    0x2200, 0x22FF, 0x2500, 0x25FF, 0x2600, 0x26FF, 0x2713, 0x2717, 0,
};

// Browsers keep the clipboard to themselves: pasting arrives as a DOM paste event, which the
// page forwards here just before ImGui handles the Ctrl+V of the same key press.
const char * get_clipboard(void *) { return clipboard.c_str(); }
void         set_clipboard(void *, const char * text) { page_bridge().copy_to_clipboard(text); }

void frame() {
    app_state & s = page_state();
    glfwPollEvents();
    const double        now   = page_bridge().now_seconds();
    const visible_facts facts = facts_of(s);
    if (page_bridge().wants_frame()) {
        frames_to_draw = std::max(frames_to_draw, 1);
    } else if (!(facts == last_facts)) {
        // A run's progress alone is drawn a few times a second: every frame of a software-
        // rendered canvas is CPU time the model does not get.
        const bool progress_only = facts.phase == last_facts.phase && facts.phase != 0 &&
                                   facts.error == last_facts.error && facts.has_result == last_facts.has_result &&
                                   facts.result == last_facts.result;
        if (!progress_only || now - last_draw_s >= progress_interval_s) {
            frames_to_draw = std::max(frames_to_draw, progress_only ? 1 : settle_frames);
        }
    }
    if (frames_to_draw <= 0 && now - last_draw_s < heartbeat_s) {
        return;
    }
    frames_to_draw -= 1;
    last_draw_s = now;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    draw_page(s, page_bridge());
    ImGui::Render();

    int width = 0, height = 0;
    glfwGetFramebufferSize(window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.96f, 0.96f, 0.97f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    page_bridge().after_frame();
    last_facts = facts_of(s);
}

// Starts the page on the canvas: font = the TTF's bytes. Returns "" or why it could not start.
std::string start(const emscripten::val & font, int width, int height) {
    if (window) {
        return "already started";
    }
    if (!glfwInit()) {
        return "GLFW could not start";
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    window = glfwCreateWindow(width, height, "spexlens", nullptr, nullptr);
    if (!window) {
        return "this browser could not create a WebGL2 context (is WebGL2 enabled?)";
    }
    glfwMakeContextCurrent(window);

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
    glfwSetScrollCallback(window, wake_scroll);
    glfwSetKeyCallback(window, wake_key);
    glfwSetCharCallback(window, wake_char);
    glfwSetWindowSizeCallback(window, wake_size);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    io.GetClipboardTextFn = get_clipboard;
    io.SetClipboardTextFn = set_clipboard;

    font_bytes = emscripten::convertJSArrayToNumberVector<uint8_t>(font);
    if (!font_bytes.empty()) {
        ImFontConfig config;
        config.FontDataOwnedByAtlas = false;
        config.OversampleH          = 2;
        io.Fonts->AddFontFromMemoryTTF(font_bytes.data(), int(font_bytes.size()), 15.0f, &config, glyph_ranges);
    }

    page_state().app_version = SPEXLENS_VERSION;
    emscripten_set_main_loop(frame, 0, false);
    return "";
}

// The canvas changed size (CSS pixels).
void resize(int width, int height) {
    if (window) {
        glfwSetWindowSize(window, width, height);
    }
}

void set_clipboard_text(const std::string & text) { clipboard = text; }

}  // namespace

EMSCRIPTEN_BINDINGS(spexlens_app_main) {
    emscripten::function("start", &start);
    emscripten::function("resize", &resize);
    emscripten::function("setClipboardText", &set_clipboard_text);
}
