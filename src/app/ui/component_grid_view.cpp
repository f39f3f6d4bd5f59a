// component_grid_view: a component result (docs/components.md) as the model's shape — one
// row of head cells per layer (L0.H0 …) and under it that layer's strip of MLP neuron groups
// (wrapped when there are many) — each cell coloured by its first-order value on the
// heat-map's scale. Interactions join cells: pairs as bowed edges, higher orders as a hub with
// a spoke to each cell, chosen and styled exactly as the word arcs are (interaction_arcs.h).
// Hover shows a cell's numbers; in what-if mode a click ablates or restores it. Under the
// grid, one sentence says what the colours are and are not.
#include "app/ui/interaction_arcs.h"
#include "app/ui/result_pane.h"
#include "app/ui/view_helpers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace spexlens::app {

namespace {

struct cell_rect {
    ImVec2 min, max;
    bool   placed = false;

    ImVec2 centre() const { return ImVec2((min.x + max.x) / 2, (min.y + max.y) / 2); }
    bool   contains(ImVec2 p) const { return placed && p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y; }
};

// "head 2 of layer 1" / "MLP neurons 32–39 of layer 0": the name spelled out for the tooltip.
std::string describe(const component_feature & c) {
    if (c.is_head) {
        return "attention head " + std::to_string(c.head) + " of layer " + std::to_string(c.layer);
    }
    if (c.count == 1) {
        return "MLP neuron " + std::to_string(c.first) + " of layer " + std::to_string(c.layer);
    }
    return "MLP neurons " + std::to_string(c.first) + "\xE2\x80\x93" + std::to_string(c.first + c.count - 1) +
           " of layer " + std::to_string(c.layer);
}

// Places every cell, layer by layer, from `origin` in a width of `width`; returns the height.
float place_cells(const loaded_result & r, ImVec2 origin, float width, std::vector<cell_rect> & cells,
                  std::vector<std::pair<float, std::string>> & row_labels) {
    const float line     = ImGui::GetTextLineHeight();
    const float gap      = 4.0f;
    const float label_w  = ImGui::CalcTextSize("L00 mlp").x + 8.0f;
    const float usable   = std::max(width - label_w, 40.0f);
    const float head_h   = std::round(line * 1.7f);
    const float neuron_h = std::round(line * 1.3f);
    const float edge_gap = std::round(line * 1.2f);  // room for the hubs of hyper-edges
    cells.assign(r.components.size(), cell_rect{});
    float y = origin.y + edge_gap;
    for (int layer = 0; layer < r.component_info.layers; ++layer) {
        for (const bool heads : {true, false}) {
            std::vector<size_t> members;
            for (size_t i = 0; i < r.components.size(); ++i) {
                if (r.components[i].layer == layer && r.components[i].is_head == heads) {
                    members.push_back(i);
                }
            }
            if (members.empty()) {
                continue;  // heads only, or neurons only: draw just what exists
            }
            const float h       = heads ? head_h : neuron_h;
            const float max_w   = heads ? 90.0f : 60.0f;
            const float min_w   = heads ? 40.0f : 12.0f;
            const float fit_w   = usable / static_cast<float>(members.size()) - gap;
            const float cell_w  = std::floor(std::clamp(fit_w, min_w, max_w));
            const auto  per_row = std::max<size_t>(1, static_cast<size_t>((usable + gap) / (cell_w + gap)));
            row_labels.emplace_back(y, "L" + std::to_string(layer) + (heads ? "" : " mlp"));
            for (size_t k = 0; k < members.size(); ++k) {
                const float x     = origin.x + label_w + static_cast<float>(k % per_row) * (cell_w + gap);
                const float top   = y + static_cast<float>(k / per_row) * (h + gap);
                cells[members[k]] = {ImVec2(x, top), ImVec2(x + cell_w, top + h), true};
            }
            y += static_cast<float>((members.size() + per_row - 1) / per_row) * (h + gap) + gap;
        }
        y += edge_gap;
    }
    return y - origin.y;
}

// The short label drawn in a cell when it fits: the head's name, or the neurons' range.
std::string cell_label(const loaded_result & r, size_t i) {
    const component_feature & c = r.components[i];
    if (c.is_head) {
        return r.features[i].text;
    }
    return c.count == 1 ? std::to_string(c.first) : std::to_string(c.first) + ":" + std::to_string(c.first + c.count);
}

void draw_edges(const app_state & s, const result_pane & pane, int hovered, const std::vector<cell_rect> & cells,
                float rise) {
    const index_table & index = *pane.index;
    if (index.order < 2) {
        return;
    }
    ImDrawList *        draw = ImGui::GetWindowDrawList();
    std::vector<ImVec2> anchors;
    for (const interaction_stroke & stroke : interaction_strokes(index, s.view, hovered, pane.hovered_entry)) {
        const spex::feature_set & set = index.entries[stroke.entry].set;
        anchors.clear();
        for (int f : set) {
            if (f >= 0 && static_cast<size_t>(f) < cells.size() && cells[static_cast<size_t>(f)].placed) {
                anchors.push_back(cells[static_cast<size_t>(f)].centre());
            }
        }
        if (anchors.size() != set.size()) {
            continue;
        }
        if (anchors.size() == 2) {
            // Bowed to the left of the direction of travel, so an edge between two cells of one
            // row arcs over the cells between them instead of running along them.
            const ImVec2 a = anchors[0], b = anchors[1];
            const ImVec2 mid((a.x + b.x) / 2, (a.y + b.y) / 2);
            const float  dx = b.x - a.x, dy = b.y - a.y;
            const float  bow = 0.25f;
            draw->AddBezierQuadratic(a, ImVec2(mid.x + dy * bow, mid.y - std::abs(dx) * bow - 4.0f), b, stroke.color,
                                     stroke.thickness);
        } else {
            draw_hyperedge(draw, anchors, rise, stroke.color, stroke.thickness);
        }
    }
}

void draw_cell_tooltip(const app_state & s, const result_pane & pane, int f) {
    const loaded_result & r = *pane.result;
    ImGui::BeginTooltip();
    ImGui::Text("%s", r.features[static_cast<size_t>(f)].text.c_str());
    ImGui::TextDisabled("%s", describe(r.components[static_cast<size_t>(f)]).c_str());
    ImGui::Separator();
    draw_feature_numbers(s, pane, f);
    ImGui::EndTooltip();
}

void draw_grid(app_state & s, page_actions & actions, const result_pane & pane, float height) {
    const loaded_result & r     = *pane.result;
    const index_table &   index = *pane.index;
    ImGui::BeginChild((pane.widget_prefix + "##components").c_str(), ImVec2(0, height), true);
    const ImVec2                               origin = ImGui::GetCursorScreenPos();
    std::vector<cell_rect>                     cells;
    std::vector<std::pair<float, std::string>> row_labels;
    const float extent = place_cells(r, origin, ImGui::GetContentRegionAvail().x, cells, row_labels);

    const ImGuiIO & io      = ImGui::GetIO();
    int             hovered = -1;
    if (ImGui::IsWindowHovered()) {
        for (size_t i = 0; i < cells.size(); ++i) {
            if (cells[i].contains(io.MousePos)) {
                hovered = static_cast<int>(i);
            }
        }
    }
    *pane.hovered = hovered;

    std::vector<bool> highlighted(cells.size(), false);
    if (pane.hovered_entry >= 0 && static_cast<size_t>(pane.hovered_entry) < index.entries.size()) {
        for (int f : index.entries[static_cast<size_t>(pane.hovered_entry)].set) {
            highlighted[static_cast<size_t>(f)] = static_cast<size_t>(f) < cells.size();
        }
    }
    if (hovered >= 0) {
        highlighted[static_cast<size_t>(hovered)] = true;
    }
    const auto ablated = [&](size_t i) {
        return pane.primary && s.whatif.active && i < s.whatif.keep.size() && !s.whatif.keep[i];
    };

    ImDrawList * draw      = ImGui::GetWindowDrawList();
    const double max_abs   = first_order_scale(index);
    const ImU32  border    = ImGui::GetColorU32(ImGuiCol_Border);
    const ImU32  text      = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32  grey_text = IM_COL32(140, 140, 140, 255);
    for (const auto & [y, label] : row_labels) {
        draw->AddText(ImVec2(origin.x, y + 2.0f), ImGui::GetColorU32(ImGuiCol_TextDisabled), label.c_str());
    }
    // Pass 1: fills, and the rectangles the tests click.
    for (size_t i = 0; i < cells.size(); ++i) {
        const cell_rect & c = cells[i];
        if (!c.placed) {
            continue;
        }
        const ImU32 fill = ablated(i) ? IM_COL32(225, 225, 225, 255)
                                      : diverging_color(value_at(index.first_order, static_cast<int>(i)), max_abs);
        draw->AddRectFilled(c.min, c.max, fill, 3.0f);
        draw->AddRect(c.min, c.max, border, 3.0f);
        record_rect(s, pane.widget_prefix + "component:" + std::to_string(i), c.min,
                    ImVec2(c.max.x - c.min.x, c.max.y - c.min.y));
    }
    // Pass 2: interactions, under the labels.
    draw_edges(s, pane, hovered, cells, ImGui::GetTextLineHeight());
    // Pass 3: labels that fit, crosses on ablated cells, outlines on highlighted ones.
    for (size_t i = 0; i < cells.size(); ++i) {
        const cell_rect & c = cells[i];
        if (!c.placed) {
            continue;
        }
        const std::string label = cell_label(r, i);
        const ImVec2      size  = ImGui::CalcTextSize(label.c_str());
        if (size.x + 4.0f <= c.max.x - c.min.x) {
            const ImVec2 at(c.centre().x - size.x / 2, c.centre().y - size.y / 2);
            draw->AddText(at, ablated(i) ? grey_text : text, label.c_str());
        }
        if (ablated(i)) {
            draw->AddLine(c.min, c.max, IM_COL32(90, 90, 90, 255), 1.5f);
            draw->AddLine(ImVec2(c.min.x, c.max.y), ImVec2(c.max.x, c.min.y), IM_COL32(90, 90, 90, 255), 1.5f);
        }
        if (highlighted[i]) {
            draw->AddRect(ImVec2(c.min.x - 1, c.min.y - 1), ImVec2(c.max.x + 1, c.max.y + 1), IM_COL32(0, 0, 0, 255),
                          3.0f, 0, 2.0f);
        }
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(ImVec2(1.0f, extent));  // the scroll extent

    if (hovered >= 0) {
        draw_cell_tooltip(s, pane, hovered);
        if (pane.primary && s.whatif.active && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            toggle_whatif(s, actions, hovered);
        }
    }
    ImGui::EndChild();
}

}  // namespace

// What the grid shows, said plainly: ablation is an intervention, so this is causal evidence,
// but only for this ablation, this input and this model's output.
std::string component_sentence(const loaded_result & r) {
    const std::string & set    = r.component_info.set;
    const std::string   what   = set == "heads" ? "these heads"
                                 : set == "mlp" ? "these neuron groups"
                                                : "these heads and neuron groups";
    const std::string   how    = r.component_info.ablation == "mean" ? "mean ablation" : "zero ablation";
    const std::string   output = r.target_class.empty() ? "output"
                                                        : (r.target_measure.empty() ? "output" : r.target_measure) +
                                                            " for '" + r.target_class + "'";
    char                r2[32] = "n/a";
    if (std::isfinite(r.r2)) {
        std::snprintf(r2, sizeof r2, "%.2f", r.r2);
    }
    return "What ablating " + what + " (" + how + ") does to this model's " + output +
           " on this text; R\xC2\xB2 = " + std::string(r2) +
           " on held-out ablations. Causal for this ablation on this input, not a full account of the model's "
           "mechanism.";
}

void draw_component_pane(app_state & s, page_actions & actions, const result_pane & pane) {
    draw_value_legend(s, pane);
    const std::string sentence = component_sentence(*pane.result);
    const float       wrap_w   = ImGui::GetContentRegionAvail().x;
    const float       footer =
        ImGui::CalcTextSize(sentence.c_str(), nullptr, false, wrap_w).y + ImGui::GetStyle().ItemSpacing.y;
    draw_grid(s, actions, pane, std::max(ImGui::GetContentRegionAvail().y - footer, ImGui::GetTextLineHeight() * 4));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrapped_text(sentence);
    ImGui::PopStyleColor();
}

}  // namespace spexlens::app
