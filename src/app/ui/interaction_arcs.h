// interaction_arcs: the interactions drawn on the heat-map's text, in reading order — pairs
// as arcs above the line (across lines via the margins), higher orders as a hub joined to each
// word — with the hovered word's and the hovered list row's interactions brought forward.
#pragma once

#include "app/ui/app_state.h"
#include "app/ui/text_layout.h"

#include <imgui.h>

namespace spexlens::app {

// Geometry shared by the drawing passes of one frame.
struct frame_geometry {
    ImVec2 origin;         // screen position of the layout's (0, 0)
    float  text_top  = 0;  // text's offset inside its line (the space above is for arcs)
    float  arc_room  = 0;  // height available above a word for arcs
    float  right     = 0;  // screen x of the wrap width (where cross-line arcs leave)
    float  font_size = 0;
    float  pad_x     = 1;
    float  pad_y     = 2;

    ImVec2 box_min(const text_layout & l, const layout_run & r) const {
        return ImVec2(origin.x + r.x - pad_x, origin.y + l.line_height * static_cast<float>(r.line) + text_top - pad_y);
    }
    ImVec2 box_max(const text_layout & l, const layout_run & r) const {
        const ImVec2 m = box_min(l, r);
        return ImVec2(m.x + r.w + 2 * pad_x, m.y + font_size + 2 * pad_y);
    }
    // Where arcs attach: the top centre of the feature's first box.
    ImVec2 anchor(const text_layout & l, int feature) const {
        const layout_run & r = l.runs[static_cast<size_t>(l.feature_first_run[static_cast<size_t>(feature)])];
        return ImVec2(box_min(l, r).x + r.w * 0.5f + pad_x, box_min(l, r).y);
    }
};

// Draws the capped selection of s.index's interactions whose words lie on lines
// [first_line, last_line] (or reach them) into the current window's draw list.
void draw_interactions(const app_state & s, const text_layout & layout, const frame_geometry & g, int first_line,
                       int last_line);

}  // namespace spexlens::app
