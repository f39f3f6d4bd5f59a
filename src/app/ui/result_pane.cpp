// result_pane: see result_pane.h.
#include "app/ui/result_pane.h"

#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cmath>

namespace spexlens::app {

result_pane primary_pane(app_state & s) {
    result_pane p;
    p.result        = &*s.result;
    p.index         = &s.index;
    p.primary       = true;
    p.hovered       = &s.view.hovered_feature;
    p.hovered_entry = s.view.hovered_entry;
    return p;
}

result_pane companion_pane(app_state & s) {
    result_pane p;
    p.result        = &*s.companion;
    p.index         = &s.companion_index;
    p.primary       = false;
    p.hovered       = &s.view.companion_hovered;
    p.widget_prefix = "companion-";
    return p;
}

double first_order_scale(const index_table & index) {
    double max_abs = 0;
    for (double v : index.first_order) {
        max_abs = std::max(max_abs, std::abs(v));
    }
    return max_abs;
}

const char * index_label(const app_state & s) {
    const auto & choices = index_choices();
    return static_cast<size_t>(s.settings.index) < choices.size() ? choices[static_cast<size_t>(s.settings.index)].label
                                                                  : "index";
}

// What an arc means, with a small sample of each: its colour is the sign of the interaction's
// value, its thickness the size; a dot at the edge continues on another line; a hub joins three
// or more.
void draw_arc_legend(app_state & s) {
    const float  h    = ImGui::GetTextLineHeight();
    const float  w    = h * 1.6f;
    ImDrawList * draw = ImGui::GetWindowDrawList();
    const auto   arc  = [&](ImU32 color, float thickness) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const ImVec2 a(p.x + 2, p.y + h * 0.85f), b(p.x + w - 2, p.y + h * 0.85f);
        draw->AddBezierCubic(a, ImVec2(a.x, p.y), ImVec2(b.x, p.y), b, color, thickness);
        ImGui::Dummy(ImVec2(w, h));
        ImGui::SameLine();
    };
    const std::string unit = s.result && s.result->is_components() ? "parts" : "words";
    ImGui::TextDisabled("arcs:");
    ImGui::SameLine();
    arc(sign_color(1.0), 2.5f);
    ImGui::TextDisabled("raise the output together (beyond each alone)");
    ImGui::SameLine();
    arc(sign_color(-1.0), 2.5f);
    ImGui::TextDisabled("lower it together");
    record_widget(s, "arc-legend");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s",
                          ("Thicker and darker: a larger interaction value. An arc joins " + unit +
                           " whose effect together differs from the sum of their effects alone; a dot at the "
                           "right edge continues from the dot at the left edge of the line where its other end is; "
                           "a hub joins three or more.")
                              .c_str());
    }
}

void draw_value_legend(app_state & s, const result_pane & pane) {
    const loaded_result & r       = *pane.result;
    const double          max_abs = first_order_scale(*pane.index);
    const float           bar_w   = 150.0f;
    const float           h       = ImGui::GetTextLineHeight();
    ImGui::TextUnformatted(format_value(-max_abs, 2).c_str());
    ImGui::SameLine();
    const ImVec2 p    = ImGui::GetCursorScreenPos();
    ImDrawList * draw = ImGui::GetWindowDrawList();
    const ImU32  lo   = diverging_color(-1, 1);
    const ImU32  mid  = diverging_color(0, 1);
    const ImU32  hi   = diverging_color(1, 1);
    draw->AddRectFilledMultiColor(p, ImVec2(p.x + bar_w / 2, p.y + h), lo, mid, mid, lo);
    draw->AddRectFilledMultiColor(ImVec2(p.x + bar_w / 2, p.y), ImVec2(p.x + bar_w, p.y + h), mid, hi, hi, mid);
    draw->AddRect(p, ImVec2(p.x + bar_w, p.y + h), ImGui::GetColorU32(ImGuiCol_Border));
    ImGui::Dummy(ImVec2(bar_w, h));
    ImGui::SameLine();
    const char *      unit    = r.is_components()             ? "head and neuron group"
                                : is_synthetic(r)             ? "feature"
                                : r.granularity == "sentence" ? "sentence"
                                                              : "word";
    const std::string caption = s.view.analyst
                                    ? format_value(max_abs, 2) + "   colour: " + index_label(s) + " of each " + unit +
                                          " (its order-1 term), in " + measured_name(r)
                                    : format_value(max_abs, 2) + "   colour: how much each " + unit +
                                          " raises (red) or lowers " + "(blue) the " + measured_name(r) + " on its own";
    ImGui::TextWrapped("%s", caption.c_str());  // side by side, a pane is half the width
    if (s.view.max_order >= 2) {
        draw_arc_legend(s);
    }
}

void draw_feature_numbers(const app_state & s, const result_pane & pane, int f) {
    const loaded_result & r     = *pane.result;
    const index_table &   index = *pane.index;
    ImGui::Text("%s (order 1): %s", index_label(s), format_value(value_at(index.first_order, f)).c_str());
    ImGui::Text("Shapley: %s   Banzhaf: %s", format_value(value_at(index.shapley, f)).c_str(),
                format_value(value_at(index.banzhaf, f)).c_str());
    int shown = 0;
    for (const index_entry & e : index.entries) {
        if (e.set.size() < 2 || !std::binary_search(e.set.begin(), e.set.end(), f)) {
            continue;
        }
        if (shown++ == 0) {
            ImGui::TextUnformatted("strongest interactions:");
        }
        ImGui::Text("  %s  %s", format_value(e.value).c_str(), display_order(join_feature_names(r, e.set)).c_str());
        if (shown == 3) {
            break;
        }
    }
    if (pane.primary && s.whatif.active) {
        const bool   kept = static_cast<size_t>(f) < s.whatif.keep.size() && s.whatif.keep[static_cast<size_t>(f)];
        const char * verb = r.is_components() ? (kept ? "ablate" : "restore") : (kept ? "mask" : "unmask");
        ImGui::TextDisabled("click to %s", verb);
    }
}

void toggle_whatif(app_state & s, page_actions & actions, int f) {
    const auto n = static_cast<size_t>(s.result->n);
    if (s.whatif.keep.size() != n) {
        s.whatif.keep.assign(n, true);
    }
    s.whatif.keep[static_cast<size_t>(f)] = !s.whatif.keep[static_cast<size_t>(f)];
    whatif_mask_changed(s, actions);
}

}  // namespace spexlens::app
