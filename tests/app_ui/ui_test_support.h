// Helpers shared by the app-UI tests: a headless Dear ImGui context that draws the page
// frame by frame and feeds it mouse input, a page_actions fake that records what the views
// asked of the browser, fixtures, and a large result built in code.
#pragma once

#include "app/ui/app_state.h"
#include "app/ui/page_actions.h"

#include <string>
#include <vector>

namespace ui_test {

struct download {
    std::string filename;
    std::string mime;
    std::string content;
};

struct fake_actions : spexlens::app::page_actions {
    int                                  start_runs      = 0;
    int                                  cancels         = 0;
    int                                  whatif_requests = 0;
    int                                  last_request_id = -1;
    int                                  file_picks      = 0;
    int                                  folder_picks    = 0;
    std::vector<std::string>             models_chosen;
    std::vector<std::string>             cards_requested;
    std::vector<std::string>             suites_loaded;  // load_probe_suite paths
    int                                  suite_picks = 0;
    std::vector<std::string>             score_requests;  // score_probe_texts requests
    std::vector<int>                     scoring_cancels;
    std::vector<std::string>             layer_probe_requests;  // probe_layers requests
    std::vector<download>                downloads;
    std::vector<std::string>             pngs;
    std::vector<spexlens::app::png_text> png_texts;  // the last PNG's text chunks
    std::vector<std::string>             clipboard;
    double                               clock_s = 1.0e9;

    void start_run(spexlens::app::app_state &) override { ++start_runs; }
    void cancel_run(spexlens::app::app_state &) override { ++cancels; }
    void request_whatif(spexlens::app::app_state & s) override {
        ++whatif_requests;
        last_request_id = s.whatif.request_id;
    }
    void pick_files() override { ++file_picks; }
    void pick_folder() override { ++folder_picks; }
    void model_chosen(const std::string & key) override { models_chosen.push_back(key); }
    void request_model_card(const std::string & key) override { cards_requested.push_back(key); }
    void load_probe_suite(const std::string & path) override { suites_loaded.push_back(path); }
    void pick_probe_suite() override { ++suite_picks; }
    void score_probe_texts(const std::string & request_json) override { score_requests.push_back(request_json); }
    void cancel_probe_scoring(int id) override { scoring_cancels.push_back(id); }
    void probe_layers(const std::string & request_json) override { layer_probe_requests.push_back(request_json); }
    void download_text(const std::string & filename, const std::string & mime, const std::string & content) override {
        downloads.push_back({filename, mime, content});
    }
    void download_canvas_png(const std::string &                          filename,
                             const std::vector<spexlens::app::png_text> & texts) override {
        pngs.push_back(filename);
        png_texts = texts;
    }
    void        copy_to_clipboard(const std::string & text) override { clipboard.push_back(text); }
    std::string now_iso8601() override { return "2025-01-02T03:04:05Z"; }
    double      now_seconds() override { return clock_s += 1.25; }
};

// One ImGui context (1280 x 900, font atlas built, no renderer) and one page state.
class harness {
  public:
    harness();
    ~harness();
    harness(const harness &)             = delete;
    harness & operator=(const harness &) = delete;

    void frame();  // NewFrame, draw_page, Render
    void frames(int count);
    bool has(const std::string & widget) const;
    // Moves the mouse to the centre of a widget recorded in the last frame.
    void hover(const std::string & widget);
    // Hover, press, release: one click, over three frames.
    void click(const std::string & widget);
    // Scrolls whatever is under the widget's centre by `lines` wheel steps (negative: down).
    void wheel(const std::string & widget, float steps);
    // Tab (backward: Shift+Tab) as the web glue hands it to the page, then a frame.
    void tab(bool backward = false);
    // A key of ImGui's key map (ImGuiKey_Space, ImGuiKey_Enter, ...) down for one frame, then up.
    void press(int imgui_key);

    spexlens::app::app_state s;
    fake_actions             actions;
};

std::string                  source_path(const std::string & relative);
std::string                  read_file(const std::string & relative);
spexlens::app::loaded_result load_result(const std::string & relative);
// Puts a result on screen as the web glue does: s.result, then refresh_index.
void show(spexlens::app::app_state & s, spexlens::app::loaded_result result);

// A text result built in code: n word features (some with accents, a line break every 40
// words), first-order terms for every word and random pairs and triples.
spexlens::app::loaded_result large_result(int n, uint64_t seed);

// A page state with one model in the picker.
void add_demo_model(spexlens::app::app_state & s);

}  // namespace ui_test
