// view_helpers: small pieces several views share — the diverging colour scale of the
// heat-map (also used by the list's bars and the legend), number formatting, and the name of
// what a result measured — so every panel states values the same way.
#pragma once

#include "app/model/loaded_result.h"

#include <cstdint>
#include <imgui.h>
#include <string>
#include <vector>

namespace spexlens::app {

// Blue (negative) through white (0) to red (positive), symmetric: |value| = max_abs is the
// full colour. max_abs <= 0 gives white.
ImU32 diverging_color(double value, double max_abs, float alpha = 1.0f);
// The full colour of a value's sign (red for >= 0, blue for < 0).
ImU32 sign_color(double value, float alpha = 1.0f);

// "+0.723" / "-1.516"; "n/a" for NaN or infinite values.
std::string format_value(double value, int precision = 3);
// "6,912".
std::string format_count(int64_t count);
// "1.2 s", "850 ms".
std::string format_seconds(double seconds);

// The output the result measured, for labels: "spam log-odds", or "f(x)" for a planted function.
std::string measured_name(const loaded_result & result);
// The method in plain words: what auto chose and what that is ("auto → ProxySPEX: boosted trees
// fitted to the masked outputs, their interactions refit"), or the method itself.
std::string method_in_words(const loaded_result & r);
bool        is_synthetic(const loaded_result & result);

// The planted function itself (noise-free) at a keep-mask, for results that carry ground
// truth: F(∅) + Σ F(k)·(-1)^|k ∩ kept|. False when the result has none.
bool planted_value(const loaded_result & result, const std::vector<bool> & keep, double & out);

// v[i], or 0 when the table has no entry for i (an index that failed to compute).
double value_at(const std::vector<double> & v, int i);

// A greyed "(?)" whose tooltip is `text`, on the same line as the previous item.
void help_marker(const char * text);

struct app_state;

// A window over the right-hand tiles (the model card, the probe panel, the attention and probing
// views): placed at `pos` with `size`, not movable, resizable or collapsible, with a close box
// that clears *open. Returns ImGui::Begin's answer; call ImGui::End() whatever it returns.
bool begin_overlay_window(const char * title, bool * open, const ImVec2 & pos, const ImVec2 & size);

// The overlay's Close button (recorded as `widget`), which clears *open, and a separator.
void overlay_close_button(app_state & s, bool * open, const char * widget);

// `utf8` in the order ImGui must draw it: a right-to-left stretch (Hebrew, Arabic) reversed, as
// the heat-map lays it out (text::visual_label). For labels and sentences on screen only; exports
// and the clipboard keep the text's own order. ASCII text comes back as it is.
std::string display_order(const std::string & utf8);

// Text wrapped to the window width at spaces (a number such as "+1.45" is never cut), without
// printf formatting (user text may contain '%'); one item for record_widget.
void wrapped_text(const std::string & text);

}  // namespace spexlens::app
