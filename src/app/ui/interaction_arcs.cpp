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

std::vector<ImVec2> cross_line_route(const text_layout & layout, const frame_geometry & g, int first, int second,
                                     float lane_x) {
    const auto run_of = [&](const std::vector<int> & runs, int f) -> const layout_run * {
        if (f < 0 || static_cast<size_t>(f) >= runs.size() || runs[static_cast<size_t>(f)] < 0) {
            return nullptr;
        }
        return &layout.runs[static_cast<size_t>(runs[static_cast<size_t>(f)])];
    };
    const layout_run * a = run_of(layout.feature_last_run, first);
    const layout_run * b = run_of(layout.feature_first_run, second);
    if (!a || !b || a->line == b->line) {
        return {};
    }
    if (a->line > b->line) {
        std::swap(a, b);
    }
    const ImVec2 start(g.box_min(layout, *a).x + a->w * 0.5f + g.pad_x, g.box_max(layout, *a).y);
    const ImVec2 end(g.box_min(layout, *b).x + b->w * 0.5f + g.pad_x, g.box_min(layout, *b).y);
    // The gap below line l: from its boxes' bottom to the next line's boxes' top.
    const auto gap_middle = [&](int line, float bottom_of_line) {
        const float next_top = g.origin.y + layout.line_height * static_cast<float>(line + 1) + g.text_top - g.pad_y;
        return 0.5f * (bottom_of_line + next_top);
    };
    const float below_first = gap_middle(a->line, start.y);
    if (b->line == a->line + 1) {
        return {start, ImVec2(start.x, below_first), ImVec2(end.x, below_first), end};
    }
    const float above_second = gap_middle(b->line - 1, end.y - layout.line_height + g.font_size + 2 * g.pad_y);
    return {start,
            ImVec2(start.x, below_first),
            ImVec2(lane_x, below_first),
            ImVec2(lane_x, above_second),
            ImVec2(end.x, above_second),
            end};
}

namespace {

// A polyline with its corners rounded (radius up to `radius`, less where a segment is short).
void draw_route(ImDrawList * draw, const std::vector<ImVec2> & points, float radius, ImU32 color, float thickness) {
    if (points.size() < 2) {
        return;
    }
    const auto toward = [](ImVec2 from, ImVec2 to, float distance) {
        const float dx = to.x - from.x, dy = to.y - from.y;
        const float length = std::sqrt(dx * dx + dy * dy);
        return length > 0 ? ImVec2(from.x + dx / length * distance, from.y + dy / length * distance) : from;
    };
    const auto length = [](ImVec2 p, ImVec2 q) {
        return std::sqrt((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y));
    };
    draw->PathLineTo(points.front());
    for (size_t i = 1; i + 1 < points.size(); ++i) {
        const float r =
            std::min({radius, 0.5f * length(points[i - 1], points[i]), 0.5f * length(points[i], points[i + 1])});
        draw->PathLineTo(toward(points[i], points[i - 1], r));
        draw->PathBezierQuadraticCurveTo(points[i], toward(points[i], points[i + 1], r));
    }
    draw->PathLineTo(points.back());
    draw->PathStroke(color, 0, thickness);
}

}  // namespace

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
    int                 lane = 0;  // cross-line pairs drawn so far
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
            // Across lines, a curve from one word to the other would sweep over the text between
            // them; the pair is routed through the gaps between lines (and, past the next line,
            // down a lane right of the text; three lanes so parallel pairs stay apart).
            const float               lane_x = g.right + 4.0f + 4.0f * static_cast<float>(lane++ % 3);
            const std::vector<ImVec2> route  = cross_line_route(layout, g, entry.set[0], entry.set[1], lane_x);
            draw_route(draw, route, 6.0f, color, thickness);
        } else {
            draw_hyperedge(draw, anchors, g.arc_room * 0.8f, color, thickness);
        }
    }
}

void draw_interaction_controls(app_state & s, const char * click_hint) {
    const int top      = std::max(2, s.index.order);
    int       range[2] = {std::clamp(s.view.min_order, 2, top), std::clamp(s.view.max_order, 2, top)};
    ImGui::TextUnformatted(s.view.analyst ? "interactions drawn: order" : "groups acting together: size");
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
