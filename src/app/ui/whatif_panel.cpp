// whatif_panel: what-if mode. The user masks words by clicking them in the heat-map; this
// panel lists what is masked and sets the surrogate's prediction f̂ next to the real
// model's output on that masked text (one fresh model call), so the surrogate can be
// checked on exactly the input the user cares about.
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cmath>

namespace spexlens::app {

namespace {

void set_all(app_state & s, page_actions & actions, bool kept) {
    s.whatif.keep.assign(static_cast<size_t>(s.result->n), kept);
    whatif_mask_changed(s, actions);
}

void draw_masked_words(const app_state & s) {
    const loaded_result & r = *s.result;
    std::string           list;
    size_t                masked = 0;
    for (size_t i = 0; i < s.whatif.keep.size() && i < r.features.size(); ++i) {
        if (s.whatif.keep[i]) {
            continue;
        }
        if (++masked <= 40) {
            list += (list.empty() ? "" : ", ") + display_order(feature_label(r, static_cast<int>(i)));
        }
    }
    if (masked > 40) {
        list += " \xE2\x80\xA6 and " + std::to_string(masked - 40) + " more";
    }
    const char * verb = r.is_components() ? "ablated" : "masked";
    ImGui::SameLine();
    ImGui::TextDisabled("%zu of %d %s", masked, r.n, verb);
    if (masked > 0) {
        wrapped_text(std::string(verb) + ": " + list);
    }
}

void draw_values(const app_state & s) {
    const whatif_state & w         = s.whatif;
    const bool           synthetic = is_synthetic(*s.result);
    const char *         real_name = synthetic ? "planted" : "model";
    ImGui::Text("f\xCC\x82 %s", format_value(w.surrogate).c_str());
    ImGui::SameLine(0, 24);
    if (w.real_pending) {
        ImGui::Text("%s \xE2\x80\xA6", real_name);
    } else if (!w.real_error.empty()) {
        ImGui::NewLine();
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(170, 0, 0, 255));
        wrapped_text(std::string(real_name) + ": " + w.real_error);
        ImGui::PopStyleColor();
    } else if (w.real_known) {
        ImGui::Text("%s %s", real_name, format_value(w.real_value).c_str());
        ImGui::SameLine(0, 24);
        ImGui::Text("%s \xE2\x88\x92 f\xCC\x82 = %s", real_name, format_value(w.real_value - w.surrogate).c_str());
    } else {
        ImGui::TextDisabled("%s: not asked yet", real_name);
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrapped_text(synthetic ? "The planted value is the function itself at this mask, without noise."
                 : s.result->is_components()
                     ? "The model value is one fresh model call on the whole text with these components ablated (" +
                           s.result->component_info.ablation + " ablation)."
                     : std::string("The model value is one fresh model call on this masked text."));
    ImGui::PopStyleColor();
}

}  // namespace

void whatif_mask_changed(app_state & s, page_actions & actions) {
    if (!s.result) {
        return;
    }
    const loaded_result & r = *s.result;
    whatif_state &        w = s.whatif;
    w.surrogate             = r.surrogate_value(w.keep);
    w.real_error.clear();
    ++w.request_id;  // any answer still on its way is for an older mask
    const bool all_kept = std::all_of(w.keep.begin(), w.keep.end(), [](bool k) { return k; });
    const bool all_off  = std::none_of(w.keep.begin(), w.keep.end(), [](bool k) { return k; });
    double     known    = 0;
    if (all_kept && std::isfinite(r.full_value)) {
        known = r.full_value;
    } else if (all_off && std::isfinite(r.baseline_value)) {
        known = r.baseline_value;
    } else if (!planted_value(r, w.keep, known)) {
        w.real_pending = true;
        w.real_known   = false;
        actions.request_whatif(s);
        return;
    }
    w.real_pending = false;
    w.real_known   = true;
    w.real_value   = known;
}

void draw_whatif_panel(app_state & s, page_actions & actions) {
    ImGui::BeginDisabled(!s.result);
    bool         active = s.whatif.active && s.result;
    const char * label  = s.result && s.result->is_components() ? "what-if: ablate components by clicking them"
                                                                : "what-if: mask words by clicking them";
    if (ImGui::Checkbox((std::string(label) + "###whatif").c_str(), &active) && s.result) {
        s.whatif.active = active;
        if (active) {
            set_all(s, actions, true);  // start from the text as explained
        }
    }
    ImGui::EndDisabled();
    record_widget(s, "whatif-toggle");
    if (!s.result || !s.whatif.active) {
        return;
    }
    if (s.whatif.keep.size() != static_cast<size_t>(s.result->n)) {
        set_all(s, actions, true);
    }
    if (ImGui::SmallButton("reset (all kept)")) {
        set_all(s, actions, true);
    }
    record_widget(s, "whatif-reset");
    ImGui::SameLine();
    if (ImGui::SmallButton(s.result->is_components() ? "ablate all" : "mask all")) {
        set_all(s, actions, false);
    }
    record_widget(s, "whatif-mask-all");
    draw_masked_words(s);
    draw_values(s);
}

}  // namespace spexlens::app
