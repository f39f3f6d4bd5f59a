// export_panel: downloads of the result on screen — JSON (the result schema plus the index
// shown and provenance), CSV (that index's interactions) and a PNG of the canvas. The text
// can be left out, for sharing a result without the text it was computed on.
#include "app/model/export_formats.h"
#include "app/ui/views.h"

#include <exception>

namespace spexlens::app {

namespace {

// The model's name as a file name part ("custom:my model" -> "custom-my-model").
std::string file_part(const std::string & name) {
    std::string out;
    for (const char c : name) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                           c == '_' || c == '-';
        out += plain ? c : '-';
    }
    return out.empty() ? "result" : out;
}

std::string file_stem(const loaded_result & r) {
    return "spexlens-" + file_part(r.model_name.empty() ? "synthetic" : r.model_name) + "-" + std::to_string(r.seed);
}

export_options options_for(const app_state & s, page_actions & actions) {
    export_options options;
    options.include_text = s.view.include_text_in_export;
    options.app_version  = s.app_version;
    options.timestamp    = actions.now_iso8601();
    return options;
}

}  // namespace

void draw_export_panel(app_state & s, page_actions & actions) {
    const bool has_result = s.result.has_value();
    ImGui::BeginDisabled(!has_result);
    ImGui::TextUnformatted("export");
    ImGui::SameLine();
    if (ImGui::Button("JSON") && has_result) {
        try {
            actions.download_text(file_stem(*s.result) + ".json", "application/json",
                                  export_json(*s.result, s.index, options_for(s, actions)));
        } catch (const std::exception & e) {
            s.error = std::string("export failed: ") + e.what();
        }
    }
    record_widget(s, "export-json");
    ImGui::SameLine();
    if (ImGui::Button("CSV") && has_result) {
        try {
            actions.download_text(file_stem(*s.result) + ".csv", "text/csv",
                                  export_csv(*s.result, s.index, options_for(s, actions)));
        } catch (const std::exception & e) {
            s.error = std::string("export failed: ") + e.what();
        }
    }
    record_widget(s, "export-csv");
    ImGui::SameLine();
    if (ImGui::Button("PNG") && has_result) {
        actions.download_canvas_png(file_stem(*s.result) + ".png");
    }
    record_widget(s, "export-png");
    ImGui::Checkbox("include the text in exports", &s.view.include_text_in_export);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Off: the JSON and CSV carry the numbers and feature positions, not the words. "
                          "The PNG is the screen as it is.");
    }
    ImGui::EndDisabled();
}

}  // namespace spexlens::app
