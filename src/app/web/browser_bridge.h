// browser_bridge: the page's C++ side of the conversation with JavaScript (web/js/page_main.mjs).
// It implements page_actions by calling functions the page registered on
// `globalThis.spexlensPage`, and receives the answers (progress, results, errors, what-if
// values, pasted text) through the embind functions in browser_bridge.cpp. The Run button and
// window.spexlens.explain both end in start_run(), so the canvas and the hook share one path.
#pragma once

#include "app/ui/app_state.h"
#include "app/ui/canvas_metrics.h"
#include "app/ui/font_coverage.h"
#include "app/ui/page_actions.h"

#include <cstdint>
#include <string>
#include <vector>

namespace spexlens::app {

class browser_bridge : public page_actions {
  public:
    void start_run(app_state & s) override;
    void cancel_run(app_state & s) override;
    void request_whatif(app_state & s) override;
    void pick_files() override;
    void pick_folder() override;
    void model_chosen(const std::string & key) override;
    void request_model_card(const std::string & key) override;
    void load_probe_suite(const std::string & path) override;
    void pick_probe_suite() override;
    void score_probe_texts(const std::string & request_json) override;
    void cancel_probe_scoring(int id) override;
    void probe_layers(const std::string & request_json) override;
    void download_text(const std::string & filename, const std::string & mime, const std::string & content) override;
    void download_canvas_png(const std::string & filename, const std::vector<png_text> & texts) override;
    void copy_to_clipboard(const std::string & text) override;
    std::string now_iso8601() override;
    double      now_seconds() override;

    // Called by the frame loop after the frame is drawn: a PNG asked for this frame is taken
    // now, while the WebGL drawing buffer still holds it.
    void after_frame();
    // True when something outside the views (a PNG request, a font that arrived) needs a frame drawn.
    bool wants_frame() const { return !png_filename_.empty() || fallback_font.dirty; }

    // The canvas as the frame loop last sized it (main_web.cpp); window.spexlens.state()
    // reports it so the browser tests can check the backing store against the CSS box.
    canvas_metrics canvas;

    // The CJK fallback fonts (font_coverage.h): the glyphs the texts on screen need, the fonts'
    // bytes once the page has loaded them (setFallbackFont, once per file: CJK ideographs and
    // kana, then Hangul), and whether the atlas must be rebuilt.
    struct fallback_font_state {
        fallback_glyphs                   glyphs;
        std::vector<std::vector<uint8_t>> faces;
        bool                              requested = false;  // asked the page for the font files
        std::string                       failed;             // why one could not be loaded ("" while fine)
        bool                              dirty = false;      // the atlas lacks glyphs it could have
    } fallback_font;
    // Asks the page to load fonts/cjk-fallback.ttf and fonts/hangul-fallback.ttf (it answers with
    // setFallbackFont for each).
    void request_fallback_font();

  private:
    std::string           png_filename_;
    std::vector<png_text> png_texts_;
};

// The one page state and bridge (the page has a single canvas).
app_state &      page_state();
browser_bridge & page_bridge();

}  // namespace spexlens::app
