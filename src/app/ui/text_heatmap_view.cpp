// text_heatmap_view: the explained text as a heat-map — each word's background is its
// first-order value on a diverging scale — with the chosen interactions drawn on it: pairs
// as arcs above the line, higher orders as a hub joined to each word. Hovering a word shows
// its numbers and highlights its interactions; in what-if mode a click masks or unmasks it.
// Long texts scroll, and only the lines in view (plus the arcs that reach them) are drawn.
// It draws a word result as a pane (result_pane.h): the run on screen, or beside a component
// result as its read-only companion.
#include "app/ui/interaction_arcs.h"
#include "app/ui/result_pane.h"
#include "app/ui/text_layout.h"
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cmath>

namespace spexlens::app {

namespace {

// Layout measures every word, too slow to repeat each frame for a long text; it is redone
// only when the text, the features, the width or the font change.
struct layout_cache {
    std::string              text;
    std::vector<layout_span> spans;
    float                    wrap_width  = -1;
    float                    line_height = -1;
    const ImFont *           font        = nullptr;
    float                    font_size   = -1;
    text_layout              layout;
};

layout_cache & cache() {
    static layout_cache the_cache;
    return the_cache;
}

const text_layout & cached_layout(const std::string & text, const std::vector<layout_span> & spans, float wrap_width,
                                  float line_height) {
    layout_cache & c    = cache();
    const ImFont * font = ImGui::GetFont();
    if (c.text != text || c.spans != spans || c.wrap_width != wrap_width || c.line_height != line_height ||
        c.font != font || c.font_size != ImGui::GetFontSize()) {
        c.text        = text;
        c.spans       = spans;
        c.wrap_width  = wrap_width;
        c.line_height = line_height;
        c.font        = font;
        c.font_size   = ImGui::GetFontSize();
        c.layout      = layout_text(c.text, c.spans, wrap_width, line_height,
                                    [](const char * b, const char * e) { return ImGui::CalcTextSize(b, e).x; });
    }
    return c.layout;
}

// A planted function has no text: its features x0, x1, ... are laid out as chips instead.
void chip_text(const loaded_result & result, std::string & text, std::vector<layout_span> & spans) {
    int cp = 0;
    for (const feature_span & f : result.features) {
        if (!text.empty()) {
            text += "   ";
            cp += 3;
        }
        const int length = static_cast<int>(std::count_if(
            f.text.begin(), f.text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
        spans.push_back({cp, cp + length});
        text += f.text;
        cp += length;
    }
}

int json_int(const ordered_json & j, const char * key, int fallback) {
    if (j.is_object() && j.contains(key) && j[key].is_number_integer()) {
        return j[key].get<int>();
    }
    return fallback;
}

void draw_truncation_note(const loaded_result & r) {
    const ordered_json window = r.json.is_object() && r.json.contains("window") ? r.json["window"] : ordered_json();
    const int          used   = json_int(window, "features_used", r.n);
    const int          total  = json_int(window, "features_total", -1);
    const char *       unit   = r.granularity == "sentence" ? "sentences" : "words";
    std::string        note   = "The text is longer than the model reads: only " + std::string(unit) + " 1-" +
                       std::to_string(used) + (total > 0 ? " of " + std::to_string(total) : std::string()) +
                       " were explained; the rest (grey) was not.";
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(150, 75, 0, 255));
    wrapped_text(note);
    ImGui::PopStyleColor();
}

void draw_feature_tooltip(const app_state & s, const result_pane & pane, int f) {
    const loaded_result & r = *pane.result;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    std::string words = r.features[static_cast<size_t>(f)].text;
    if (words.size() > 300) {
        size_t cut = 300;
        while (cut > 0 && (static_cast<unsigned char>(words[cut]) & 0xC0) == 0x80) {
            --cut;  // not inside a code point
        }
        words = words.substr(0, cut) + "\xE2\x80\xA6";
    }
    words = display_order(words);
    ImGui::TextUnformatted(words.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    draw_feature_numbers(s, pane, f);
    ImGui::EndTooltip();
}

void draw_text(app_state & s, page_actions & actions, const result_pane & pane) {
    const loaded_result & r         = *pane.result;
    const index_table &   index     = *pane.index;
    const bool            synthetic = is_synthetic(r);
    const float           font_size = ImGui::GetFontSize();
    const float           line_h    = std::round(font_size * 2.8f);  // the space above is for arcs

    ImGui::BeginChild((pane.widget_prefix + "##heatmap").c_str(), ImVec2(0, 0), true);
    // Right of the wrap width: the lanes of pairs routed across lines (interaction_arcs.h).
    const float wrap_w = std::max(ImGui::GetContentRegionAvail().x - 8.0f - cross_line_lane_room, 50.0f);

    std::string              chips;
    std::vector<layout_span> spans;
    if (synthetic) {
        chip_text(r, chips, spans);
    } else {
        spans.reserve(r.features.size());
        for (const feature_span & f : r.features) {
            spans.push_back({f.start, f.end});
        }
    }
    const text_layout & layout = cached_layout(synthetic ? chips : r.text, spans, wrap_w, line_h);
    const std::string & text   = synthetic ? chips : r.text;

    frame_geometry g;
    g.origin = ImGui::GetCursorScreenPos();
    g.origin.x += 4.0f;
    g.right     = g.origin.x + wrap_w;
    g.font_size = font_size;
    g.text_top  = line_h - font_size - 4.0f;
    g.arc_room  = g.text_top - 4.0f;
    if (synthetic) {
        g.pad_x = 4.0f;
    }

    const ImVec2 clip_min   = ImGui::GetWindowPos();
    const ImVec2 clip_max   = ImVec2(clip_min.x + ImGui::GetWindowWidth(), clip_min.y + ImGui::GetWindowHeight());
    const int    first_line = std::max(0, static_cast<int>(std::floor((clip_min.y - g.origin.y) / line_h)) - 1);
    const int    last_line =
        std::min(layout.line_count - 1, static_cast<int>(std::ceil((clip_max.y - g.origin.y) / line_h)) + 1);
    const size_t run_begin = first_line <= last_line ? layout.line_first_run[static_cast<size_t>(first_line)] : 0;
    const size_t run_end   = first_line <= last_line ? layout.line_first_run[static_cast<size_t>(last_line) + 1] : 0;

    // Hover and clicks: the whole line height above a word belongs to it.
    const ImGuiIO & io      = ImGui::GetIO();
    int             hovered = -1;
    if (ImGui::IsWindowHovered()) {
        hovered = layout.hit_test(io.MousePos.x - g.origin.x, io.MousePos.y - g.origin.y);
    }
    *pane.hovered = hovered;

    const double max_abs   = first_order_scale(index);
    size_t       tail_byte = 0;  // plain text after the last feature: the unexplained rest when truncated
    for (size_t f = 0; f < layout.feature_byte_end.size(); ++f) {
        tail_byte = std::max(tail_byte, layout.feature_byte_end[f]);
    }

    std::vector<bool> highlighted(static_cast<size_t>(std::max(r.n, 0)), false);
    if (pane.hovered_entry >= 0 && static_cast<size_t>(pane.hovered_entry) < index.entries.size()) {
        for (int f : index.entries[static_cast<size_t>(pane.hovered_entry)].set) {
            if (f >= 0 && f < r.n) {
                highlighted[static_cast<size_t>(f)] = true;
            }
        }
    }
    if (hovered >= 0 && hovered < r.n) {
        highlighted[static_cast<size_t>(hovered)] = true;
    }

    ImDrawList * draw       = ImGui::GetWindowDrawList();
    const ImU32  text_color = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32  grey_text  = IM_COL32(140, 140, 140, 255);
    const auto   masked     = [&](int f) {
        return pane.primary && s.whatif.active && static_cast<size_t>(f) < s.whatif.keep.size() &&
               !s.whatif.keep[static_cast<size_t>(f)];
    };

    // Pass 1: backgrounds, and the rectangles the browser tests click.
    for (size_t i = run_begin; i < run_end; ++i) {
        const layout_run & run = layout.runs[i];
        if (run.feature < 0) {
            continue;
        }
        const ImVec2 a  = g.box_min(layout, run);
        const ImVec2 b  = g.box_max(layout, run);
        const ImU32  bg = masked(run.feature) ? IM_COL32(225, 225, 225, 255)
                                              : diverging_color(value_at(index.first_order, run.feature), max_abs);
        draw->AddRectFilled(a, b, bg, synthetic ? 4.0f : 2.0f);
        if (synthetic) {
            draw->AddRect(a, b, ImGui::GetColorU32(ImGuiCol_Border), 4.0f);
        }
        if (layout.feature_first_run[static_cast<size_t>(run.feature)] == static_cast<int>(i)) {
            const ImVec2 centre((a.x + b.x) / 2, (a.y + b.y) / 2);
            if (centre.x >= clip_min.x && centre.x < clip_max.x && centre.y >= clip_min.y && centre.y < clip_max.y) {
                record_rect(s, pane.widget_prefix + "word:" + std::to_string(run.feature), a,
                            ImVec2(b.x - a.x, b.y - a.y));
            }
        }
    }

    // Pass 2: arcs and hyper-edges, under the text so the words stay readable.
    if (index.order >= 2) {
        draw_interactions(index, s.view, hovered, pane.hovered_entry, layout, g, first_line, last_line);
    }

    // Pass 3: text, strike-through for masked words, outlines for highlighted ones.
    for (size_t i = run_begin; i < run_end; ++i) {
        const layout_run & run = layout.runs[i];
        const ImVec2       a   = g.box_min(layout, run);
        const ImVec2       b   = g.box_max(layout, run);
        const bool         off = run.feature >= 0 ? masked(run.feature) : (r.truncated && run.byte_begin >= tail_byte);
        // ImGui draws code points left to right: right to left reversed, Arabic shaped (as measured).
        const std::string glyphs = run_glyphs(text, run);
        draw->AddText(ImVec2(a.x + g.pad_x, a.y + g.pad_y), off ? grey_text : text_color, glyphs.data(),
                      glyphs.data() + glyphs.size());
        if (run.feature >= 0 && masked(run.feature)) {
            const float y = (a.y + b.y) / 2;
            draw->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), IM_COL32(90, 90, 90, 255), 1.5f);
        }
        if (run.feature >= 0 && highlighted[static_cast<size_t>(run.feature)]) {
            draw->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), IM_COL32(0, 0, 0, 255), 2.0f, 0, 2.0f);
        }
    }

    // The scroll extent.
    ImGui::SetCursorScreenPos(ImVec2(g.origin.x - 4.0f, g.origin.y));
    ImGui::Dummy(ImVec2(layout.width + 8.0f, layout.height() + 4.0f));

    if (hovered >= 0 && hovered < r.n) {
        draw_feature_tooltip(s, pane, hovered);
        if (pane.primary && s.whatif.active && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            toggle_whatif(s, actions, hovered);
        }
    }
    ImGui::EndChild();
}

}  // namespace

void draw_word_pane(app_state & s, page_actions & actions, const result_pane & pane) {
    draw_value_legend(s, pane);
    if (pane.result->truncated) {
        draw_truncation_note(*pane.result);
    }
    draw_text(s, actions, pane);
}

}  // namespace spexlens::app
