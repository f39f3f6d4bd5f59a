// page_layout: the frame of the page — a title line, the error banner and status line, and
// the canvas tiled into the panels (controls left; text above, interactions list and
// details below on the right) — plus refresh_index, which every index or result change goes
// through, and the page's style.
//
// Index
//   [SECTION] tiles: title bar, error banner, status line
//   [SECTION] left column and details tiles
//   [SECTION] result fingerprint
//   [SECTION] model card, probe panel
//   [SECTION] the page and refresh_index
//   [SECTION] page style
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cmath>
#include <exception>

namespace spexlens::app {

// [SECTION] tiles: title bar, error banner, status line

namespace {

// Tiles, not windows: the page is a fixed layout that follows the canvas size.
constexpr ImGuiWindowFlags tile_flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                        ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;

void begin_tile(const char * name, ImVec2 pos, ImVec2 size, ImGuiWindowFlags extra = 0) {
    ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)), ImGuiCond_Always);
    ImGui::Begin(name, nullptr, tile_flags | extra);
}

float draw_title_bar(app_state & s, ImVec2 pos, float width) {
    const ImGuiStyle & style  = ImGui::GetStyle();
    const float        height = ImGui::GetTextLineHeight() + 2 * style.WindowPadding.y;
    begin_tile("##title", pos, ImVec2(width, height), ImGuiWindowFlags_NoScrollbar);
    ImGui::TextUnformatted("spexlens \xE2\x80\x94 interaction explanations, computed in this browser; nothing leaves "
                           "this machine");
    // Presenter or analyst (view_settings::analyst), then the version, at the right: the same run
    // either way, only what is shown differs. Selectables, so the bar keeps one text line's height.
    const std::string version = s.app_version.empty() ? std::string() : "   v" + s.app_version;
    const char *      names[] = {"presenter", "analyst"};
    const float       spacing = style.ItemSpacing.x;
    const float       right   = ImGui::CalcTextSize("view:").x + spacing + ImGui::CalcTextSize(names[0]).x + spacing +
                        ImGui::CalcTextSize(names[1]).x + ImGui::CalcTextSize(version.c_str()).x + spacing;
    ImGui::SameLine(std::max(ImGui::GetWindowContentRegionMax().x - right, ImGui::GetCursorPosX()));
    ImGui::TextDisabled("view:");
    for (int mode = 0; mode < 2; ++mode) {
        ImGui::SameLine();
        if (ImGui::Selectable(names[mode], s.view.analyst == (mode == 1), 0, ImGui::CalcTextSize(names[mode]))) {
            s.view.analyst = mode == 1;
        }
        record_widget(s, mode == 0 ? "mode-presenter" : "mode-analyst");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s", mode == 0 ? "The model, the text, a time budget and Run; the other settings under "
                                                "\"advanced settings\"; results in plain words."
                                              : "Every setting under its technical name (index, method, decoder, "
                                                "masking, seed).");
        }
    }
    if (!version.empty()) {
        ImGui::SameLine(0, 0);
        ImGui::TextDisabled("%s", version.c_str());
    }
    ImGui::End();
    return height;
}

float draw_error_banner(app_state & s, ImVec2 pos, float width) {
    const ImGuiStyle & style    = ImGui::GetStyle();
    const char *       dismiss  = "Dismiss";
    const float        button_w = ImGui::CalcTextSize(dismiss).x + 2 * style.FramePadding.x;
    const std::string  message  = "Error: " + s.error;
    const float        wrap_w   = std::max(width - 2 * style.WindowPadding.x - button_w - style.ItemSpacing.x, 50.0f);
    const float        text_h   = ImGui::CalcTextSize(message.c_str(), nullptr, false, wrap_w).y;
    const float        height   = std::max(text_h, ImGui::GetFrameHeight()) + 2 * style.WindowPadding.y;

    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(253, 226, 226, 255));
    ImGui::PushStyleColor(ImGuiCol_Border, IM_COL32(180, 0, 0, 255));
    begin_tile("##error", pos, ImVec2(width, height), ImGuiWindowFlags_NoScrollbar);
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(140, 0, 0, 255));
    ImGui::PushTextWrapPos(wrap_w + style.WindowPadding.x);
    ImGui::TextUnformatted(message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - button_w);
    ImGui::SetCursorPosY(style.WindowPadding.y);
    if (ImGui::Button(dismiss)) {
        s.error.clear();
    }
    record_widget(s, "dismiss-error");
    ImGui::End();
    ImGui::PopStyleColor(2);
    return height;
}

float draw_status_line(const app_state & s, ImVec2 pos, float width) {
    const float height = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().WindowPadding.y;
    begin_tile("##status", pos, ImVec2(width, height), ImGuiWindowFlags_NoScrollbar);
    ImGui::TextUnformatted(s.status.c_str(), s.status.c_str() + s.status.size());
    ImGui::End();
    return height;
}

// [SECTION] left column and details tiles

// The mode toggles stay at the top of the column; what is below them scrolls on its own.
void draw_left_column(app_state & s, page_actions & actions, ImVec2 pos, ImVec2 size) {
    begin_tile("##left", pos, size, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (ImGui::Checkbox("teaching mode", &s.teaching.enabled) && s.teaching.enabled) {
        s.workshop.enabled = false;
    }
    record_widget(s, "teaching-toggle");
    help_marker("Explain planted functions whose answer is known, to see what SPEX recovers, what it misses, "
                "and what a too-small budget does. No model is involved.");
    if (workshop_available(s)) {
        const float needed =
            ImGui::CalcTextSize("workshop path (?)").x + ImGui::GetFrameHeight() + 3 * ImGui::GetStyle().ItemSpacing.x;
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < needed) {
            ImGui::NewLine();
        }
        if (ImGui::Checkbox("workshop path", &s.workshop.enabled) && s.workshop.enabled) {
            s.teaching.enabled = false;
        }
        record_widget(s, "workshop-toggle");
        help_marker(
            "A guided walk for a workshop on a teaching model: explain a note, find the planted shortcut, "
            "run the behavioural probe suite, explain a failure, compare attention with use, probe the layers.");
    }
    ImGui::Separator();
    ImGui::BeginChild("##left-body", ImVec2(0, 0), false);
    if (s.teaching.enabled) {
        draw_teaching_panel(s, actions);
    } else if (s.workshop.enabled && workshop_available(s)) {
        draw_workshop_panel(s, actions);
    } else {
        draw_controls_panel(s, actions);
    }
    ImGui::EndChild();
    ImGui::End();
}

// Faithfulness scrolls on its own so that export and what-if stay in view at any height.
void draw_details(app_state & s, page_actions & actions, ImVec2 pos, ImVec2 size) {
    begin_tile("##details", pos, size, ImGuiWindowFlags_NoScrollbar);
    const float avail_h = ImGui::GetContentRegionAvail().y;
    ImGui::BeginChild("##faithfulness", ImVec2(0, std::floor(avail_h * 0.55f)), false);
    draw_faithfulness_panel(s, actions);
    ImGui::EndChild();
    ImGui::Separator();
    ImGui::BeginChild("##actions", ImVec2(0, 0), false);
    draw_attention_button(s);
    draw_layer_probe_button(s);
    draw_export_panel(s, actions);
    ImGui::Separator();
    draw_whatif_panel(s, actions);
    ImGui::EndChild();
    ImGui::End();
}

// [SECTION] result fingerprint

// FNV-1a over what distinguishes one result from the next, so refresh_index can tell a new
// result (reset the what-if mask) from an index or order switch (keep it).
uint64_t result_fingerprint(const loaded_result & r) {
    uint64_t   h   = 1469598103934665603ull;
    const auto mix = [&h](const void * data, size_t size) {
        const auto * bytes = static_cast<const unsigned char *>(data);
        for (size_t i = 0; i < size; ++i) {
            h = (h ^ bytes[i]) * 1099511628211ull;
        }
    };
    mix(&r.n, sizeof r.n);
    mix(&r.seed, sizeof r.seed);
    mix(&r.queries, sizeof r.queries);
    mix(&r.total_ms, sizeof r.total_ms);
    mix(&r.r2, sizeof r.r2);
    mix(r.method.data(), r.method.size());
    mix(r.model_sha256.data(), r.model_sha256.size());
    mix(r.text.data(), r.text.size());
    for (const spex::fourier_term & term : r.surrogate.terms) {
        mix(&term.coef, sizeof term.coef);
    }
    return h;
}

}  // namespace

// [SECTION] model card, probe panel

namespace {

// The chosen model's card over the right-hand tiles, until closed: its README.md as text, or
// why there is none, or that it is on its way.
void draw_model_card(app_state & s, const ImVec2 & pos, const ImVec2 & size) {
    const model_entry * model = find_model(s, s.settings.model_key);
    if (!s.view.model_card_open || model == nullptr) {
        s.view.model_card_open = false;
        return;
    }
    const std::string title = "Model card: " + model->title + "###model-card-window";
    if (begin_overlay_window(title.c_str(), &s.view.model_card_open, pos, size)) {
        overlay_close_button(s, &s.view.model_card_open, "close-model-card");
        if (!model->card_requested || (model->card.empty() && !model->card_missing)) {
            ImGui::TextDisabled("Reading the model card\xE2\x80\xA6");
        } else if (model->card_missing) {
            wrapped_text(model->card.empty() ? "This model has no model card (no README.md beside it)." : model->card);
        } else {
            wrapped_text(model->card);
        }
        record_widget(s, "model-card-text");
        s.scroll_offsets["model-card"] = ImGui::GetScrollY();
    }
    ImGui::End();
}

// The probe panel over the right-hand tiles while it is open (probe_panel.cpp draws its content).
void draw_probe_window(app_state & s, page_actions & actions, const ImVec2 & pos, const ImVec2 & size) {
    if (!s.probe.open) {
        return;
    }
    if (begin_overlay_window("Probe suite###probe-window", &s.probe.open, pos, size)) {
        const float close_w = ImGui::CalcTextSize("Close").x + 2 * ImGui::GetStyle().FramePadding.x;
        const float top_y   = ImGui::GetCursorPosY();
        ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - close_w);
        if (ImGui::Button("Close")) {
            s.probe.open = false;
        }
        record_widget(s, "probe-close");
        ImGui::SetCursorPosY(top_y);
        draw_probe_panel(s, actions);
        s.scroll_offsets["probe"] = ImGui::GetScrollY();
    }
    ImGui::End();
}

}  // namespace

// [SECTION] the page and refresh_index

void draw_page(app_state & s, page_actions & actions) {
    s.widget_rects.clear();
    s.scroll_offsets.clear();
    s.figure.drawn = false;
    if (s.figure.pending && s.result) {
        draw_export_figure(s, actions);  // this frame becomes the PNG
        s.figure.drawn = true;
        return;
    }
    s.figure.pending = false;
    begin_focus_frame(s.focus);  // Tabs pressed since the last frame move the focus now
    advance_teaching_run(s);
    const ImGuiViewport * viewport = ImGui::GetMainViewport();
    const ImVec2          origin   = viewport->WorkPos;
    const ImVec2          size     = viewport->WorkSize;

    float top = origin.y;
    top += draw_title_bar(s, ImVec2(origin.x, top), size.x);
    if (!s.error.empty()) {
        top += draw_error_banner(s, ImVec2(origin.x, top), size.x);
    }
    if (!s.status.empty()) {
        top += draw_status_line(s, ImVec2(origin.x, top), size.x);
    }

    const float body_h  = std::max(origin.y + size.y - top, 100.0f);
    const float left_w  = std::floor(std::clamp(size.x * 0.3f, std::min(260.0f, size.x * 0.45f), 340.0f));
    const float right_x = origin.x + left_w;
    const float right_w = std::max(size.x - left_w, 100.0f);
    const float text_h  = std::floor(body_h * 0.52f);
    const float list_w  = std::floor(right_w * 0.54f);

    draw_left_column(s, actions, ImVec2(origin.x, top), ImVec2(left_w, body_h));

    begin_tile("##text", ImVec2(right_x, top), ImVec2(right_w, text_h), ImGuiWindowFlags_NoScrollbar);
    draw_results_view(s, actions);
    ImGui::End();

    begin_tile("##interactions", ImVec2(right_x, top + text_h), ImVec2(list_w, body_h - text_h),
               ImGuiWindowFlags_NoScrollbar);
    draw_interaction_list_view(s, actions);
    ImGui::End();

    draw_details(s, actions, ImVec2(right_x + list_w, top + text_h), ImVec2(right_w - list_w, body_h - text_h));
    draw_probe_window(s, actions, ImVec2(right_x, top), ImVec2(right_w, body_h));
    draw_attention_window(s, ImVec2(right_x, top), ImVec2(right_w, body_h));
    draw_layer_probe_window(s, actions, ImVec2(right_x, top), ImVec2(right_w, body_h));
    draw_model_card(s, ImVec2(right_x, top), ImVec2(right_w, body_h));
}

void refresh_index(app_state & s) {
    s.view.hovered_entry = -1;
    if (!s.result) {
        s.index  = index_table{};
        s.whatif = whatif_state{};
        return;
    }
    const loaded_result & result  = *s.result;
    const auto &          choices = index_choices();
    if (s.settings.index < 0 || static_cast<size_t>(s.settings.index) >= choices.size()) {
        s.settings.index = 0;
    }
    try {
        s.index =
            compute_index_table(result, choices[static_cast<size_t>(s.settings.index)].kind, s.settings.max_order);
    } catch (const std::exception & e) {
        s.error = e.what();
        s.index = index_table{};
    }

    if (s.companion) {
        try {
            s.companion_index = compute_index_table(*s.companion, choices[static_cast<size_t>(s.settings.index)].kind,
                                                    s.settings.max_order);
        } catch (const std::exception &) {
            s.companion_index = index_table{};  // the result on screen already reported the order
        }
    }

    whatif_state & w           = s.whatif;
    const uint64_t fingerprint = result_fingerprint(result);
    if (w.keep.size() != static_cast<size_t>(result.n) || w.result_fingerprint != fingerprint) {
        w.keep.assign(static_cast<size_t>(result.n), true);
        w.result_fingerprint = fingerprint;
        w.real_pending       = false;
        w.real_known         = std::isfinite(result.full_value);
        w.real_value         = result.full_value;
        w.real_error.clear();
        ++w.request_id;  // an answer still on its way belongs to the old result
    }
    w.surrogate = result.surrogate_value(w.keep);
}

// [SECTION] page style

void apply_page_style() {
    ImGui::StyleColorsLight();
    ImGuiStyle & style     = ImGui::GetStyle();
    style.WindowRounding   = 0.0f;
    style.ChildRounding    = 0.0f;
    style.FrameRounding    = 3.0f;
    style.GrabRounding     = 3.0f;
    style.WindowBorderSize = 1.0f;
    style.FrameBorderSize  = 1.0f;  // outlined inputs stay visible on a washed-out projector
    style.WindowPadding    = ImVec2(10, 8);
    style.FramePadding     = ImVec2(6, 4);
    style.ItemSpacing      = ImVec2(8, 6);
    style.ScrollbarSize    = 14.0f;
    style.GrabMinSize      = 12.0f;

    ImVec4 * c                 = style.Colors;
    c[ImGuiCol_Text]           = ImVec4(0.00f, 0.00f, 0.00f, 1.00f);
    c[ImGuiCol_TextDisabled]   = ImVec4(0.36f, 0.36f, 0.36f, 1.00f);
    c[ImGuiCol_WindowBg]       = ImVec4(1.00f, 1.00f, 1.00f, 1.00f);
    c[ImGuiCol_ChildBg]        = ImVec4(1.00f, 1.00f, 1.00f, 0.00f);
    c[ImGuiCol_PopupBg]        = ImVec4(1.00f, 1.00f, 0.98f, 0.98f);
    c[ImGuiCol_Border]         = ImVec4(0.62f, 0.62f, 0.62f, 1.00f);
    c[ImGuiCol_FrameBg]        = ImVec4(0.95f, 0.95f, 0.95f, 1.00f);
    c[ImGuiCol_Button]         = ImVec4(0.86f, 0.90f, 0.96f, 1.00f);
    c[ImGuiCol_ButtonHovered]  = ImVec4(0.72f, 0.82f, 0.95f, 1.00f);
    c[ImGuiCol_ButtonActive]   = ImVec4(0.58f, 0.72f, 0.92f, 1.00f);
    c[ImGuiCol_Header]         = ImVec4(0.84f, 0.89f, 0.96f, 1.00f);
    c[ImGuiCol_TableRowBgAlt]  = ImVec4(0.00f, 0.00f, 0.00f, 0.04f);
    c[ImGuiCol_PlotHistogram]  = ImVec4(0.20f, 0.45f, 0.75f, 1.00f);
    c[ImGuiCol_TextSelectedBg] = ImVec4(0.26f, 0.59f, 0.98f, 0.35f);
}

}  // namespace spexlens::app
