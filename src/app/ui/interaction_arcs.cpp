// interaction_arcs: see interaction_arcs.h.
#include "app/ui/interaction_arcs.h"

#include "app/ui/view_helpers.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <vector>

namespace spexlens::app {

std::vector<interaction_stroke> interaction_strokes(const index_table & index, const view_settings & view,
                                                    int hovered_feature, int hovered_entry) {
    std::vector<size_t> rows =
        select_interactions(index, view.min_order, view.max_order, static_cast<size_t>(view.arc_cap));
    int extra = 0;
    for (size_t e = 0; e < index.entries.size() && hovered_feature >= 0 && extra < 3; ++e) {
        const spex::feature_set & set = index.entries[e].set;
        if (set.size() >= 2 && std::binary_search(set.begin(), set.end(), hovered_feature)) {
            ++extra;
            if (std::find(rows.begin(), rows.end(), e) == rows.end()) {
                rows.push_back(e);
            }
        }
    }
    if (hovered_entry >= 0 && static_cast<size_t>(hovered_entry) < index.entries.size() &&
        std::find(rows.begin(), rows.end(), static_cast<size_t>(hovered_entry)) == rows.end()) {
        rows.push_back(static_cast<size_t>(hovered_entry));
    }
    std::vector<bool> focus(rows.size(), false);
    double            max_abs = 0;
    for (size_t k = 0; k < rows.size(); ++k) {
        const spex::feature_set & set = index.entries[rows[k]].set;
        focus[k]                      = static_cast<int>(rows[k]) == hovered_entry ||
                   (hovered_feature >= 0 && std::binary_search(set.begin(), set.end(), hovered_feature));
        max_abs = std::max(max_abs, std::abs(index.entries[rows[k]].value));
    }
    const bool                      any_focus = std::find(focus.begin(), focus.end(), true) != focus.end();
    std::vector<interaction_stroke> strokes;
    for (size_t k = rows.size(); k-- > 0;) {
        const index_entry & entry = index.entries[rows[k]];
        if (entry.set.size() < 2 || !(max_abs > 0)) {
            continue;
        }
        const auto strength  = static_cast<float>(std::abs(entry.value) / max_abs);
        float      alpha     = 0.25f + 0.75f * strength;
        float      thickness = 1.0f + 4.0f * strength;
        if (focus[k]) {
            alpha = 1.0f;
            thickness += 1.5f;
        } else if (any_focus) {
            alpha *= 0.25f;
        }
        strokes.push_back({rows[k], sign_color(entry.value, alpha), thickness, focus[k]});
    }
    return strokes;
}

void draw_hyperedge(ImDrawList * draw, const std::vector<ImVec2> & anchors, float rise, ImU32 color, float thickness) {
    ImVec2 hub(0, FLT_MAX);
    for (const ImVec2 & p : anchors) {
        hub.x += p.x / static_cast<float>(anchors.size());
        hub.y = std::min(hub.y, p.y);
    }
    hub.y -= rise;
    for (const ImVec2 & p : anchors) {
        draw->AddLine(hub, p, color, thickness * 0.6f);
    }
    draw->AddCircleFilled(hub, 2.5f + thickness, color);
}

void draw_interactions(const index_table & index, const view_settings & view, int hovered_feature, int hovered_entry,
                       const text_layout & layout, const frame_geometry & g, int first_line, int last_line) {
    ImDrawList *        draw = ImGui::GetWindowDrawList();
    std::vector<ImVec2> anchors;
    for (const interaction_stroke & stroke : interaction_strokes(index, view, hovered_feature, hovered_entry)) {
        const index_entry & entry = index.entries[stroke.entry];
        anchors.clear();
        int min_line = INT32_MAX, max_line = -1;
        for (int f : entry.set) {
            if (f < 0 || static_cast<size_t>(f) >= layout.feature_first_run.size() ||
                layout.feature_first_run[static_cast<size_t>(f)] < 0) {
                break;
            }
            const int line = layout.runs[static_cast<size_t>(layout.feature_first_run[static_cast<size_t>(f)])].line;
            min_line       = std::min(min_line, line);
            max_line       = std::max(max_line, line);
            anchors.push_back(g.anchor(layout, f));
        }
        if (anchors.size() != entry.set.size() || max_line < first_line || min_line > last_line) {
            continue;  // a word without a place on screen, or every end is off screen
        }
        const ImU32 color     = stroke.color;
        const float thickness = stroke.thickness;
        if (entry.set.size() == 2 && min_line == max_line) {
            const ImVec2 a  = anchors[0];
            const ImVec2 b  = anchors[1];
            const float  dx = std::abs(b.x - a.x);
            // A cubic whose two control points are at height H peaks at 0.75 H.
            const float lift = std::min(g.arc_room, 6.0f + 0.3f * dx) / 0.75f;
            draw->AddBezierCubic(a, ImVec2(a.x, a.y - lift), ImVec2(b.x, b.y - lift), b, color, thickness);
        } else if (entry.set.size() == 2) {
            // Across lines, a curve from one word to the other would sweep over every line
            // between them; instead the arc leaves the first word towards the right margin and
            // comes back from the left margin into the second (hovering shows the pair).
            const ImVec2 a    = anchors[0];
            const ImVec2 b    = anchors[1];
            const float  lift = g.arc_room;
            const ImVec2 out(g.right, a.y - lift * 0.8f);
            const ImVec2 in(g.origin.x - 2.0f, b.y - lift * 0.8f);
            draw->AddBezierCubic(a, ImVec2(a.x, a.y - lift), ImVec2(out.x - 20.0f, out.y), out, color, thickness);
            draw->AddBezierCubic(in, ImVec2(in.x + 20.0f, in.y), ImVec2(b.x, b.y - lift), b, color, thickness);
            draw->AddCircleFilled(out, 1.5f + thickness * 0.5f, color);
            draw->AddCircleFilled(in, 1.5f + thickness * 0.5f, color);
        } else {
            draw_hyperedge(draw, anchors, g.arc_room * 0.8f, color, thickness);
        }
    }
}

void draw_interaction_controls(app_state & s, const char * click_hint) {
    const int top      = std::max(2, s.index.order);
    int       range[2] = {std::clamp(s.view.min_order, 2, top), std::clamp(s.view.max_order, 2, top)};
    ImGui::TextUnformatted("interactions drawn: order");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::BeginDisabled(s.index.order < 2);
    // Shown clamped to the index's order, stored only when moved: a lower order on screen
    // for a moment must not shrink the user's choice.
    if (ImGui::SliderInt2("##orders", range, 2, top)) {
        s.view.min_order = std::min(range[0], range[1]);
        s.view.max_order = std::max(range[0], range[1]);
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::TextUnformatted("at most");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    ImGui::SliderInt("##cap", &s.view.arc_cap, 1, 100);
    s.view.arc_cap = std::clamp(s.view.arc_cap, 1, 100);
    if (s.index.order < 2) {
        ImGui::SameLine();
        ImGui::TextDisabled("(raise max order to see interactions)");
    } else if (s.whatif.active) {
        ImGui::SameLine();
        ImGui::TextDisabled("what-if: %s", click_hint);
    } else if (select_interactions(s.index, 2, s.index.order, 1).empty()) {
        // Say why nothing is drawn: at this budget the surrogate found no joint effects.
        const char * unit = !s.result                             ? "feature"
                            : s.result->is_components()           ? "component"
                            : s.result->granularity == "sentence" ? "sentence"
                                                                  : "word";
        ImGui::SameLine();
        ImGui::TextDisabled("(none found: additive at this budget; a larger b may find some)");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("SPEX recovered no interaction terms, so the explanation is a sum of single-%s\n"
                              "effects (check its R\u00b2). More queries (a larger b) can resolve interactions.",
                              unit);
        }
    }
}

}  // namespace spexlens::app
