// interaction_arcs: the interactions drawn on the heat-map's text, in reading order — pairs
// as arcs above the line (across lines through the gaps between lines and a lane right of the
// text, never through a word), higher orders as a hub joined to each
// word — with the hovered word's and the hovered list row's interactions brought forward. The
// selection, the stroke of each interaction, the hub-and-spokes drawing and the order range /
// cap controls are shared with the component view (component_grid_view.cpp).
#pragma once

#include "app/ui/app_state.h"
#include "app/ui/text_layout.h"

#include <imgui.h>
#include <vector>

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

// One interaction to draw and how: stronger is thicker and more opaque; the hovered feature's
// and the hovered list row's are brought forward and the rest faded.
struct interaction_stroke {
    size_t entry     = 0;  // into index.entries
    ImU32  color     = 0;
    float  thickness = 1.0f;
    bool   focus     = false;
};

// The capped selection of index's interactions of order view.min_order..view.max_order, plus
// up to three of the hovered feature's and the hovered row's even below the cap; weakest first
// so the strong ones are drawn on top. Only sets of two or more features.
std::vector<interaction_stroke> interaction_strokes(const index_table & index, const view_settings & view,
                                                    int hovered_feature, int hovered_entry);

// The path of a pair on two different lines, routed through the gaps between lines so it never
// crosses text: down from the bottom of the earlier feature (its last box) into the gap below its
// line; if the later feature is on the next line, along that gap to above it; else along that gap
// to lane_x (a lane right of the wrap width), down the lane to the gap above the later feature's
// line and back along it; then down into the later feature's top (its first box). Corners are
// square here (draw_route rounds them). Empty when a feature has no box or both are on one line.
std::vector<ImVec2> cross_line_route(const text_layout & layout, const frame_geometry & g, int first, int second,
                                     float lane_x);

// Room to leave right of the wrap width for cross_line_route's lanes (pixels).
constexpr float cross_line_lane_room = 14.0f;

// A higher-order interaction: a hub `rise` above the highest anchor, a line to each anchor.
void draw_hyperedge(ImDrawList * draw, const std::vector<ImVec2> & anchors, float rise, ImU32 color, float thickness);

// Draws the strokes whose words lie on lines [first_line, last_line] (or reach them) into
// the current window's draw list.
void draw_interactions(const index_table & index, const view_settings & view, int hovered_feature, int hovered_entry,
                       const text_layout & layout, const frame_geometry & g, int first_line, int last_line);

// "interactions drawn: order [a, b] at most [cap]" and why none are drawn, above the panes.
// `click_hint` is what a click does in what-if mode ("click words to mask them").
void draw_interaction_controls(app_state & s, const char * click_hint);

}  // namespace spexlens::app
