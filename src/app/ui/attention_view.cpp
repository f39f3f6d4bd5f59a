// attention_view: attention beside use (docs/attention.md) — a window over the right-hand
// tiles, opened by its button under the results. For the text just explained: per word the
// attention it receives (the chosen series) next to its use (|Shapley value|, the sign in the
// bar's colour), sorted either way; the rank correlation, the words where the two rankings
// disagree most, the share on special tokens and the honest sentence. Every number and line
// comes from app/model/attention_facts.h; this file only draws them.
//
// Index
//   [SECTION] series selector and table
//   [SECTION] the window
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

namespace spexlens::app {

// [SECTION] series selector and table

namespace {

// A bar as wide as value / max of the cell, with the number over it.
void bar_cell(double value, double max, ImU32 color, const std::string & shown) {
    const ImVec2 p     = ImGui::GetCursorScreenPos();
    const float  avail = ImGui::GetContentRegionAvail().x;
    const float  h     = ImGui::GetTextLineHeight();
    const float  w     = max > 0 ? static_cast<float>(std::abs(value) / max) * avail : 0.0f;
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + h), color);
    ImGui::TextUnformatted(shown.c_str());
}

// Rollout, or a layer's mean of heads, or one head: two combos.
void draw_series_selector(app_state & s) {
    attention_session &                   a       = s.attention;
    const attention::received_attention & r       = *a.received;
    attention::series_choice &            c       = a.choice;
    const std::string                     kinds[] = {"rollout", "mean of heads", "one head"};
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    if (ImGui::BeginCombo("##attention-series", kinds[c.kind].c_str())) {
        for (int k = 0; k < 3; ++k) {
            if (ImGui::Selectable(kinds[k].c_str(), c.kind == k)) {
                c.kind = static_cast<attention::series_kind>(k);
            }
        }
        ImGui::EndCombo();
    }
    record_widget(s, "attention-series");
    if (c.kind != attention::SERIES_ROLLOUT) {
        int layer = int(c.layer) + 1;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
        if (ImGui::SliderInt("layer", &layer, 1, int(r.layers))) {
            c.layer = size_t(std::clamp(layer, 1, int(r.layers)) - 1);
        }
        record_widget(s, "attention-layer");
    }
    if (c.kind == attention::SERIES_HEAD) {
        int head = int(c.head) + 1;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
        if (ImGui::SliderInt("head", &head, 1, int(r.heads))) {
            c.head = size_t(std::clamp(head, 1, int(r.heads)) - 1);
        }
        record_widget(s, "attention-head");
    }
    ImGui::SameLine();
    ImGui::TextDisabled("sort by");
    ImGui::SameLine();
    if (ImGui::RadioButton("attention", !a.sort_by_use)) {
        a.sort_by_use = false;
    }
    ImGui::SameLine();
    if (ImGui::RadioButton("use", a.sort_by_use)) {
        a.sort_by_use = true;
    }
    record_widget(s, "attention-sort-use");
}

void draw_word_table(const attention_view_facts & f) {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("##attention-words", 3, flags, ImVec2(0, 0))) {
        return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("word", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("attention received", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("use: Shapley value", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableHeadersRow();
    for (const attention_row & row : f.rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(row.label.c_str());
        ImGui::TableNextColumn();
        bar_cell(row.attention, f.attention_max, IM_COL32(120, 120, 120, 90), format_value(row.attention));
        ImGui::TableNextColumn();
        bar_cell(row.effect, f.use_max, sign_color(row.effect, 0.35f), format_value(row.effect));
    }
    ImGui::EndTable();
}

void draw_lines(const char * title, const std::vector<std::string> & lines) {
    ImGui::TextDisabled("%s", title);
    if (lines.empty()) {
        ImGui::TextUnformatted("  (none)");
    }
    for (const std::string & line : lines) {
        wrapped_text("  " + line);
    }
}

// The facts for the result on screen, or why there are none yet.
void draw_attention_content(app_state & s) {
    attention_session &   a        = s.attention;
    const loaded_result * r        = s.result ? &*s.result : nullptr;
    bool                  declares = false;  // the model that made the result declares attentions
    for (const model_entry & m : s.models) {
        declares = declares || (r != nullptr && m.attentions && !m.sha256.empty() && m.sha256 == r->model_sha256);
    }
    const std::string unavailable = attention_unavailable(r, declares);
    if (!unavailable.empty()) {
        wrapped_text(unavailable);
        record_widget(s, "attention-unavailable");
        return;
    }
    attention_wanted(a, *r);  // the web glue sends the request after this frame
    if (a.phase == ATTENTION_FAILED) {
        wrapped_text("The attention could not be read: " + a.error);
        record_widget(s, "attention-error");
        return;
    }
    if (a.phase != ATTENTION_READY || !a.received) {
        ImGui::TextDisabled("Running the model once more to read its attention\xE2\x80\xA6");
        return;
    }
    attention_view_facts f;
    try {
        f = make_attention_facts(*a.received, *r, s.index, a.choice, a.sort_by_use);
    } catch (const std::exception & e) {
        wrapped_text(std::string("The attention could not be shown: ") + e.what());
        return;
    }
    wrapped_text(attention_honest_sentence);
    record_widget(s, "attention-honest");
    ImGui::Separator();
    draw_series_selector(s);
    ImGui::TextDisabled("%s", f.series.c_str());
    wrapped_text(f.correlation);
    record_widget(s, "attention-correlation");
    wrapped_text(f.special);
    draw_lines("looked at, little used:", f.looked_at_little_used);
    draw_lines("used, little looked at:", f.used_little_looked_at);
    ImGui::Separator();
    draw_word_table(f);
}

}  // namespace

// [SECTION] the window

void draw_attention_button(app_state & s) {
    if (ImGui::Button("Attention beside use\xE2\x80\xA6")) {
        s.attention.open = true;
    }
    record_widget(s, "attention-open");
    help_marker("For the text just explained: the attention each word receives inside the model, next to how much "
                "masking it changes the output, and where the two disagree.");
}

void draw_attention_window(app_state & s, const ImVec2 & pos, const ImVec2 & size) {
    if (!s.attention.open) {
        return;
    }
    if (begin_overlay_window("Attention beside use###attention-window", &s.attention.open, pos, size)) {
        overlay_close_button(s, &s.attention.open, "attention-close");
        draw_attention_content(s);
    }
    ImGui::End();
}

}  // namespace spexlens::app
