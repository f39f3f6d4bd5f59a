// export_panel: downloads of the result on screen — JSON (the result schema plus the index
// shown and provenance), CSV (that index's interactions) and a PNG of the canvas. The text
// can be left out, for sharing a result without the text it was computed on. File names say
// what the result explains and when (export_file_stem).
#include "app/model/export_formats.h"
#include "app/ui/views.h"

#include <exception>
#include <functional>

namespace spexlens::app {

export_options page_export_options(const app_state & s, const std::string & timestamp) {
    export_options options;
    options.include_text = s.view.include_text_in_export;
    options.app_version  = s.app_version;
    options.timestamp    = timestamp;
    if (!s.ort_version.empty()) {
        options.runtime = {"onnxruntime-web", s.ort_version, "wasm", s.ort_threads};
    }
    return options;
}

void draw_export_panel(app_state & s, page_actions & actions) {
    const bool has_result = s.result.has_value();
    ImGui::BeginDisabled(!has_result);
    ImGui::TextUnformatted("export");
    ImGui::SameLine();
    // One button per export; a failure (e.g. the Fourier index for shapiq) goes to the error banner.
    const auto button = [&](const char * label, const char * widget,
                            const std::function<void(const export_options &)> & run) {
        if (ImGui::Button(label) && has_result) {
            try {
                run(page_export_options(s, actions.now_iso8601()));
            } catch (const std::exception & e) {
                s.error = std::string("export failed: ") + e.what();
            }
        }
        record_widget(s, widget);
    };
    const auto stem = [&](const export_options & o) { return export_file_stem(*s.result, o.timestamp); };
    button("JSON", "export-json", [&](const export_options & o) {
        actions.download_text(stem(o) + ".json", "application/json", export_json(*s.result, s.index, o));
    });
    ImGui::SameLine();
    button("CSV", "export-csv", [&](const export_options & o) {
        actions.download_text(stem(o) + ".csv", "text/csv", export_csv(*s.result, s.index, o));
    });
    ImGui::SameLine();
    button("PNG", "export-png", [&](const export_options & o) {
        // The next frame draws the figure instead of the page; the browser takes that frame.
        s.figure.pending   = true;
        s.figure.timestamp = o.timestamp;
        actions.download_canvas_png(stem(o) + ".png", png_provenance(*s.result, s.index, o));
    });
    ImGui::SameLine();
    button("shapiq", "export-shapiq", [&](const export_options & o) {
        actions.download_text(stem(o) + ".shapiq.json", "application/json", export_shapiq_json(*s.result, s.index, o));
    });
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("The index on screen as shapiq's InteractionValues JSON: in Python, "
                          "shapiq.InteractionValues.from_json_file(path), then its plots (network, force, upset).");
    }
    ImGui::Checkbox("include the text in exports", &s.view.include_text_in_export);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Off: the JSON and CSV carry the numbers and feature positions, not the words. "
                          "The PNG is the screen as it is, with the model, seed, method and R\xC2\xB2 written into "
                          "the file as text chunks (never the text).");
    }
    ImGui::EndDisabled();
}

}  // namespace spexlens::app
