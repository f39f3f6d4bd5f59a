// ui_test_support: see ui_test_support.h.
#include "ui_test_support.h"

#include "app/ui/views.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

using namespace spexlens::app;

namespace ui_test {

harness::harness() {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO & io   = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280, 900);
    io.DeltaTime   = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // as the page does (main_web.cpp)
    for (int k = 0; k < ImGuiKey_COUNT; ++k) {
        io.KeyMap[k] = 256 + k;  // a key-down slot per ImGui key, as a backend's key map gives
    }
    unsigned char * pixels = nullptr;
    int             width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);  // what a renderer would upload
    apply_page_style();
    s.app_version = "0.1.0-test";
    // Every setting on screen, so the tests can click any of them; presenter mode, the page's
    // default, has tests of its own (test_page.cpp).
    s.view.analyst = true;
}

harness::~harness() { ImGui::DestroyContext(); }

void harness::frame() {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    draw_page(s, actions);
    ImGui::Render();
    if (s.figure.drawn) {
        s.figure.pending = false;  // as the web glue does once it has taken the figure's frame
    }
}

void harness::tab(bool backward) {
    spexlens::app::queue_tab(s.focus, backward);
    frame();
}

void harness::press(int imgui_key) {
    ImGuiIO & io                      = ImGui::GetIO();
    io.KeysDown[io.KeyMap[imgui_key]] = true;
    frame();
    io.KeysDown[io.KeyMap[imgui_key]] = false;
    frame();
}

void harness::frames(int count) {
    for (int i = 0; i < count; ++i) {
        frame();
    }
}

bool harness::has(const std::string & widget) const { return s.widget_rects.count(widget) > 0; }

void harness::hover(const std::string & widget) {
    INFO("widget " << widget);
    REQUIRE(has(widget));
    const ImVec4 r          = s.widget_rects.at(widget);
    ImGui::GetIO().MousePos = ImVec2(r.x + r.z / 2, r.y + r.w / 2);
    frame();
}

void harness::click(const std::string & widget) {
    hover(widget);
    ImGuiIO & io    = ImGui::GetIO();
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
}

void harness::wheel(const std::string & widget, float steps) {
    hover(widget);
    ImGui::GetIO().MouseWheel = steps;
    frame();
    ImGui::GetIO().MouseWheel = 0;
    frame();
}

std::string source_path(const std::string & relative) { return std::string(SPEXLENS_SOURCE_DIR) + "/" + relative; }

std::string read_file(const std::string & relative) {
    std::ifstream in(source_path(relative), std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + relative);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

loaded_result load_result(const std::string & relative) { return parse_result(read_file(relative)); }

void show(app_state & s, loaded_result result) {
    s.result = std::move(result);
    refresh_index(s);
}

loaded_result large_result(int n, uint64_t seed) {
    static const char * const words[] = {"alpha",  "beta",         "caf\xC3\xA9", "na\xC3\xAFve",
                                         "delta,", "\xE2\x98\x95", "epsilon.",    "zeta"};
    loaded_result             r;
    r.n           = n;
    r.method      = "spex";
    r.decoder     = "soft";
    r.granularity = "word";
    int cp        = 0;
    for (int i = 0; i < n; ++i) {
        if (i > 0) {
            r.text += i % 40 == 0 ? "\n" : " ";
            ++cp;
        }
        const std::string w      = std::string(words[i % 8]) + std::to_string(i);
        int               length = 0;
        for (char c : w) {
            length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        }
        r.features.push_back({w, cp, cp + length});
        r.text += w;
        cp += length;
    }
    std::mt19937_64                        rng(seed);
    std::uniform_real_distribution<double> coef(-1.0, 1.0);
    std::uniform_int_distribution<int>     feature(0, n - 1);
    r.surrogate.n = n;
    r.surrogate.terms.push_back({{}, 0.5});
    for (int i = 0; i < n; ++i) {
        r.surrogate.terms.push_back({{i}, coef(rng)});
    }
    for (int k = 0; k < 300; ++k) {
        spex::feature_set set = {feature(rng), feature(rng), feature(rng)};
        std::sort(set.begin(), set.end());
        set.erase(std::unique(set.begin(), set.end()), set.end());
        if (k % 3 != 0 && set.size() == 3) {
            set.pop_back();  // two pairs for every triple
        }
        r.surrogate.terms.push_back({set, 0.3 * coef(rng)});
    }
    r.surrogate.canonicalize();
    r.surrogate.sort_by_magnitude();
    r.full_value     = r.surrogate_value(std::vector<bool>(static_cast<size_t>(n), true));
    r.baseline_value = r.surrogate_value(std::vector<bool>(static_cast<size_t>(n), false));
    r.r2             = 0.91;
    r.holdout        = 1000;
    r.queries        = 3 * 40 * 64;
    r.seed           = seed;
    r.b              = 6;
    r.t              = 5;
    r.total_ms       = 4321.0;
    r.sampling_ms    = 4000.0;
    r.model_name     = "large-test";
    r.model_sha256   = std::string(64, 'a');
    r.labels         = {"neg", "pos"};
    r.target_class   = "pos";
    r.target_measure = "logit";
    r.interpretation = "How this model's logit for \"pos\" responds when these words are masked.";
    r.json           = spexlens::ordered_json::object();
    return r;
}

void add_demo_model(app_state & s) {
    model_entry m;
    m.key            = "planted-and";
    m.title          = "Planted AND (known answer)";
    m.description    = "Word presence with planted AND interactions.";
    m.labels         = {"other", "planted"};
    m.default_target = "planted:log-odds";
    m.sample_text    = "The food was not very good and the service was slow, never again.";
    m.max_length     = 128;
    s.models.push_back(m);
    s.settings.model_key = m.key;
}

}  // namespace ui_test
