// interaction_arcs: see interaction_arcs.h.
#include "app/ui/interaction_arcs.h"

#include "app/ui/view_helpers.h"

#include <algorithm>
#include <cfloat>
#include <cstdint>
#include <cmath>
#include <vector>

namespace spexlens::app {

namespace {

// The interactions to draw: the chosen ones, plus those of the hovered word and the hovered
// list row even when they are below the cap. `focus` marks the hovered ones.
void interactions_to_draw(const app_state & s, std::vector<size_t> & rows, std::vector<bool> & focus) {
    rows = select_interactions(s.index, s.view.min_order, s.view.max_order, static_cast<size_t>(s.view.arc_cap));
    const int hovered_feature = s.view.hovered_feature;
    const int hovered_entry   = s.view.hovered_entry;
    int       extra           = 0;
    for (size_t e = 0; e < s.index.entries.size() && hovered_feature >= 0 && extra < 3; ++e) {
        const spex::feature_set & set = s.index.entries[e].set;
        if (set.size() >= 2 && std::binary_search(set.begin(), set.end(), hovered_feature)) {
            ++extra;
            if (std::find(rows.begin(), rows.end(), e) == rows.end()) {
                rows.push_back(e);
            }
        }
    }
    if (hovered_entry >= 0 && static_cast<size_t>(hovered_entry) < s.index.entries.size() &&
        std::find(rows.begin(), rows.end(), static_cast<size_t>(hovered_entry)) == rows.end()) {
        rows.push_back(static_cast<size_t>(hovered_entry));
    }
    focus.assign(rows.size(), false);
    for (size_t k = 0; k < rows.size(); ++k) {
        const spex::feature_set & set = s.index.entries[rows[k]].set;
        focus[k]                      = static_cast<int>(rows[k]) == hovered_entry ||
                   (hovered_feature >= 0 && std::binary_search(set.begin(), set.end(), hovered_feature));
    }
}

}  // namespace

void draw_interactions(const app_state & s, const text_layout & layout, const frame_geometry & g, int first_line,
                       int last_line) {
    std::vector<size_t> rows;
    std::vector<bool>   focus;
    interactions_to_draw(s, rows, focus);
    const bool any_focus = std::find(focus.begin(), focus.end(), true) != focus.end();
    double     max_abs   = 0;
    for (size_t e : rows) {
        max_abs = std::max(max_abs, std::abs(s.index.entries[e].value));
    }
    ImDrawList *        draw = ImGui::GetWindowDrawList();
    std::vector<ImVec2> anchors;
    // Weakest first, so the strong ones are drawn on top.
    for (size_t k = rows.size(); k-- > 0;) {
        const index_entry & entry = s.index.entries[rows[k]];
        if (entry.set.size() < 2 || !(max_abs > 0)) {
            continue;
        }
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
        const auto strength  = static_cast<float>(std::abs(entry.value) / max_abs);
        float      alpha     = 0.25f + 0.75f * strength;
        float      thickness = 1.0f + 4.0f * strength;
        if (focus[k]) {
            alpha = 1.0f;
            thickness += 1.5f;
        } else if (any_focus) {
            alpha *= 0.25f;
        }
        const ImU32 color = sign_color(entry.value, alpha);
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
            ImVec2 hub(0, FLT_MAX);
            for (const ImVec2 & p : anchors) {
                hub.x += p.x / static_cast<float>(anchors.size());
                hub.y = std::min(hub.y, p.y);
            }
            hub.y -= g.arc_room * 0.8f;
            for (const ImVec2 & p : anchors) {
                draw->AddLine(hub, p, color, thickness * 0.6f);
            }
            draw->AddCircleFilled(hub, 2.5f + thickness, color);
        }
    }
}

}  // namespace spexlens::app
