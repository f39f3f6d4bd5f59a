// export_figure: the PNG export drawn as a figure, not a grab of the page: what the model decided
// and which words drive it, the held-out R² in plain words, the colour and arc legends, the text
// heat-map with its interactions (or the component grid), and the provenance (model name and
// sha256, method, model calls, seed, date, app version) in a footer. The PNG button sets
// s.figure.pending; the next frame draws this instead of the page and the browser takes that
// frame (browser_bridge.cpp after_frame); the same provenance also goes into the PNG's text chunks.
#include "app/model/index_table.h"
#include "app/ui/result_pane.h"
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <cstdio>
#include <string>

namespace spexlens::app {

void draw_export_figure(app_state & s, page_actions & actions) {
    const loaded_result & r  = *s.result;
    const ImGuiViewport * vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(vp->WorkSize, ImGuiCond_Always);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(18, 14));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(255, 255, 255, 255));
    ImGui::Begin("##figure", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PushTextWrapPos(0.0f);

    // What the model decided, in words; a planted function or a logit has no decision to state.
    const std::string decision = decision_sentence(r);
    ImGui::SetWindowFontScale(1.25f);
    ImGui::TextUnformatted(decision.empty()
                               ? ("How " + measured_name(r) + " responds to masking, " + r.model_name).c_str()
                               : decision.c_str());
    ImGui::SetWindowFontScale(1.0f);
    record_widget(s, "figure-title");
    const std::string drivers = drivers_sentence(r, s.index, measured_name(r), 3, display_order);
    if (!drivers.empty()) {
        ImGui::TextUnformatted(drivers.c_str());
    }
    const std::string reading = r2_reading(r);
    if (!reading.empty()) {
        ImGui::TextUnformatted(reading.c_str());
        record_widget(s, "figure-r2");
    }
    ImGui::Separator();
    const result_pane pane = primary_pane(s);  // its pane draws the colour and arc legends

    // The footer's two lines stay at the bottom; the heat-map (or grid) takes the rest.
    const float footer_h = 2 * ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
    ImGui::BeginChild("##figure-body", ImVec2(0, -footer_h), false, ImGuiWindowFlags_NoScrollbar);
    if (r.is_components()) {
        draw_component_pane(s, actions, pane);
    } else {
        draw_word_pane(s, actions, pane);
    }
    ImGui::EndChild();
    record_widget(s, "figure-body");

    ImGui::Separator();
    const std::string sha = r.model_sha256.size() > 16 ? r.model_sha256.substr(0, 16) + "\xE2\x80\xA6" : r.model_sha256;
    char              seed[32];
    std::snprintf(seed, sizeof seed, "%llu", static_cast<unsigned long long>(r.seed));
    ImGui::TextDisabled("%s", ("model " + r.model_name + " (sha256 " + sha + ") \xC2\xB7 " + method_in_words(r) +
                               " \xC2\xB7 " + format_count(model_calls(r)) + " model calls \xC2\xB7 seed " + seed)
                                  .c_str());
    ImGui::TextDisabled("%s", ("spexlens " + s.app_version + " \xC2\xB7 " + s.figure.timestamp +
                               " \xC2\xB7 how this model's output responds to masking, not the model's reasoning")
                                  .c_str());
    record_widget(s, "figure-provenance");
    ImGui::PopTextWrapPos();
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
}

}  // namespace spexlens::app
