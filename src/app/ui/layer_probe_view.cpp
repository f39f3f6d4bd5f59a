// layer_probe_view: probing classifiers in the page (docs/probing.md) — a window over the
// right-hand tiles, opened by its button under the results when the chosen model declares its
// hidden states and ships a layer probe set (catalog.json "layer_probe_set"). Run: the worker
// runs the model's internals graph on the set's texts and the core's probes; then per layer the
// probe's accuracy beside always answering the most frequent label and the same probe on
// shuffled labels (bars), the word-type control and selectivity, and the sentences of
// app/model/layer_probe_facts.h, the last of which says that decodable is not used.
//
// Index
//   [SECTION] table
//   [SECTION] the button and the window
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <cstdio>
#include <string>

namespace spexlens::app {

namespace {

// [SECTION] table

std::string two_places(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
    return buffer;
}

// A bar from 0 to 1 with the number over it.
void share_bar(double value, ImU32 colour) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float  w = ImGui::GetContentRegionAvail().x * static_cast<float>(value < 0 ? 0 : value > 1 ? 1 : value);
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + ImGui::GetTextLineHeight()), colour);
    ImGui::TextUnformatted(two_places(value).c_str());
}

void draw_layer_table(app_state & s, const layer_probe_facts & f) {
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("##layer-probe-table", 6, flags)) {
        return;
    }
    ImGui::TableSetupColumn("layer", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("probe accuracy", ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableSetupColumn("most frequent label", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("shuffled labels", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("word-type control", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("selectivity", ImGuiTableColumnFlags_WidthStretch, 0.9f);
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < f.layers.size(); ++i) {
        const layer_probe_row & r = f.layers[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted((r.name + (i == f.best ? "  (best)" : "")).c_str());
        ImGui::TableNextColumn();
        share_bar(r.accuracy, IM_COL32(90, 140, 220, 160));
        ImGui::SameLine();
        ImGui::TextDisabled("\xC2\xB1 %.2f", r.accuracy_sd);
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s", layer_probe_row_sentence(r).c_str());
        }
        ImGui::TableNextColumn();
        share_bar(r.majority, IM_COL32(160, 160, 160, 140));
        ImGui::TableNextColumn();
        share_bar(r.shuffled, IM_COL32(160, 160, 160, 140));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(two_places(r.control).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(((r.selectivity >= 0 ? "+" : "") + two_places(r.selectivity)).c_str());
    }
    ImGui::EndTable();
    record_widget(s, "layer-probe-table");
}

// [SECTION] the button and the window

// Why the chosen model's layers cannot be probed now ("" when they can).
std::string layer_probe_blocker(const app_state & s, const model_entry * model) {
    if (model == nullptr) {
        return "Choose a model first.";
    }
    if (!model->hidden_states) {
        return "This model declares no hidden states (an internals graph with a hidden_states output; "
               "docs/probing.md), "
               "so its layers cannot be probed here.";
    }
    if (model->layer_probe_set.empty()) {
        return "This model ships no layer probe set; the command line probes any set: scripts/spexlens-probe-layers.";
    }
    if (s.phase != RUN_IDLE) {
        return "An explanation is running; probe the layers when it has finished.";
    }
    return "";
}

void draw_layer_probe_content(app_state & s, page_actions & actions) {
    layer_probe_session & p     = s.layer_probe;
    const model_entry *   model = find_model(s, s.settings.model_key);
    layer_probe_model_changed(p, s.settings.model_key);
    wrapped_text("Probing classifiers: does a simple (linear) classifier read a property of each word off the "
                 "model's internal vectors, layer by layer? Trained on some texts, scored on others.");
    const std::string blocker = layer_probe_blocker(s, model);
    if (!blocker.empty()) {
        wrapped_text(blocker);
        return;
    }
    if (p.phase == LAYER_PROBE_RUNNING) {
        ImGui::Text("Running the model on the probe set's texts: %zu of %zu", p.done, p.total);
    } else if (ImGui::Button(p.facts ? "Probe the layers again" : "Probe the layers")) {
        start_layer_probe(s, actions, *model);
    }
    record_widget(s, "layer-probe-run");
    if (!p.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(170, 20, 20, 255));
        wrapped_text(p.error);
        ImGui::PopStyleColor();
    }
    if (!p.facts) {
        return;
    }
    const layer_probe_facts & f = *p.facts;
    ImGui::Text("%s: %zu words in %zu texts, %zu folds, seed %llu, %.1f s", f.probe_set.c_str(), f.examples, f.texts,
                f.folds, static_cast<unsigned long long>(f.seed), p.seconds);
    draw_layer_table(s, f);
    for (const std::string & line : layer_probe_reading(f)) {
        wrapped_text(line);
    }
    record_widget(s, "layer-probe-reading");
}

}  // namespace

void start_layer_probe(app_state & s, page_actions & actions, const model_entry & model) {
    actions.probe_layers(layer_probe_begin(s.layer_probe, model.key,
                                           "models/" + model.key + "/" + model.layer_probe_set, s.settings.seed,
                                           actions.now_seconds()));
}

void draw_layer_probe_button(app_state & s) {
    const model_entry * model = find_model(s, s.settings.model_key);
    if (model == nullptr || !model->hidden_states || model->layer_probe_set.empty()) {
        return;
    }
    if (ImGui::Button("Probe the layers\xE2\x80\xA6")) {
        s.layer_probe.open = true;
    }
    record_widget(s, "layer-probe-open");
    help_marker("Probing classifiers: how well a linear classifier reads a property of words that the model's "
                "probe set labels off each layer's vectors, beside chance. Readable is not the same as used.");
}

void draw_layer_probe_window(app_state & s, page_actions & actions, const ImVec2 & pos, const ImVec2 & size) {
    if (!s.layer_probe.open) {
        return;
    }
    if (begin_overlay_window("Probing classifiers###layer-probe-window", &s.layer_probe.open, pos, size)) {
        overlay_close_button(s, &s.layer_probe.open, "layer-probe-close");
        draw_layer_probe_content(s, actions);
        s.scroll_offsets["layer-probe"] = ImGui::GetScrollY();
    }
    ImGui::End();
}

}  // namespace spexlens::app
