// teaching_panel: the left column in teaching mode. A planted function (known answer) is
// explained by the same engine, a slice per frame so the page keeps drawing; the result
// lands in the same views as a text result, and the table here sets each planted term next
// to what was recovered, so a workshop sees what a budget buys and what it misses.
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <exception>

namespace spexlens::app {

namespace {

constexpr double step_budget_ms = 8.0;  // half a 60 Hz frame for the engine, the rest for drawing

void start(app_state & s) {
    const auto & presets = teaching_presets();
    if (presets.empty()) {
        s.error = "no teaching presets are available";
        return;
    }
    try {
        const teaching_preset & preset = presets[static_cast<size_t>(s.teaching.preset)];
        s.teaching.settings.max_order  = s.settings.max_order;  // one max order for the page
        s.teaching.run                 = std::make_unique<teaching_run>(preset.function_json, s.teaching.settings);
    } catch (const std::exception & e) {
        s.error = e.what();
        s.teaching.run.reset();
    }
}

// What a written term's row says: close to the planted value, found but off, or missed (the
// surrogate has nothing there).
enum term_verdict { VERDICT_CLOSE, VERDICT_OFF, VERDICT_MISSED };

term_verdict verdict_of(const planted_term_check & c) {
    if (c.close) {
        return VERDICT_CLOSE;
    }
    return std::fabs(c.estimate) < 1e-9 * std::max(1.0, std::fabs(c.planted)) ? VERDICT_MISSED : VERDICT_OFF;
}

void draw_truth_table(const loaded_result & r) {
    const planted_summary & g      = r.ground_truth;
    const bool              mobius = g.basis == "mobius";
    int                     missed = 0;
    for (const planted_term_check & c : g.written) {
        missed += verdict_of(c) == VERDICT_MISSED ? 1 : 0;
    }
    ImGui::Text("planted %zu \xC2\xB7 close %d \xC2\xB7 off %d \xC2\xB7 missed %d", g.written.size(), g.close,
                int(g.written.size()) - g.close - missed, missed);
    help_marker(mobius ? "The function was written in the Mobius basis: a(S) is what the features of S add "
                         "together when all of them are kept. Each planted a(S) is set next to the "
                         "surrogate's a(S) on the same set. Close: within 10% of the planted value (plus a "
                         "noise floor); off: found but further away; missed: nothing there."
                       : "The function was written in the Fourier basis: F(k) is the coefficient of "
                         "(-1)^<x,k>. Each planted F(k) is set next to the surrogate's F(k). Close: within "
                         "10% of the planted value (plus a noise floor); off: found but further away; "
                         "missed: nothing there.");
    if (g.spurious > 0) {
        ImGui::TextDisabled("%d Fourier term%s found that the function does not have", g.spurious,
                            g.spurious == 1 ? "" : "s");
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY;
    const float           rows  = static_cast<float>(std::min<size_t>(g.written.size(), 12) + 1);
    if (!ImGui::BeginTable("##truth", 4, flags, ImVec2(0, rows * ImGui::GetTextLineHeightWithSpacing() + 8))) {
        return;
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("set", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(mobius ? "planted a(S)" : "planted F(k)", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("recovered", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (const planted_term_check & c : g.written) {
        const term_verdict v = verdict_of(c);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(join_feature_names(r, c.set).c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(format_value(c.planted).c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(v == VERDICT_MISSED ? "-" : format_value(c.estimate).c_str());
        ImGui::TableSetColumnIndex(3);
        const ImU32 colour = v == VERDICT_CLOSE ? IM_COL32(0, 120, 40, 255)
                             : v == VERDICT_OFF ? IM_COL32(170, 90, 0, 255)
                                                : IM_COL32(190, 0, 0, 255);
        ImGui::PushStyleColor(ImGuiCol_Text, colour);
        ImGui::TextUnformatted(v == VERDICT_CLOSE ? "\xE2\x9C\x93 close"
                               : v == VERDICT_OFF ? "\xE2\x89\x88 off"
                                                  : "\xE2\x9C\x97 missed");
        ImGui::PopStyleColor();
    }
    ImGui::EndTable();
}

}  // namespace

void advance_teaching_run(app_state & s) {
    if (!s.teaching.run) {
        return;
    }
    try {
        teaching_run & run = *s.teaching.run;
        if (!run.done()) {
            run.step(step_budget_ms);
        }
        if (run.done()) {
            s.result = parse_result(run.finish(s.app_version));
            s.teaching.run.reset();
            s.whatif.active = false;
            refresh_index(s);
        }
    } catch (const std::exception & e) {
        s.error = e.what();
        s.teaching.run.reset();
    }
}

void draw_teaching_panel(app_state & s, page_actions &) {
    teaching_state & t       = s.teaching;
    const auto &     presets = teaching_presets();
    const bool       running = t.run != nullptr;
    if (!presets.empty()) {
        t.preset = std::clamp(t.preset, 0, static_cast<int>(presets.size()) - 1);
    }
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.62f);
    ImGui::BeginDisabled(running);
    if (ImGui::BeginCombo("function", presets.empty() ? "" : presets[static_cast<size_t>(t.preset)].name.c_str())) {
        for (size_t i = 0; i < presets.size(); ++i) {
            if (ImGui::Selectable(presets[i].name.c_str(), static_cast<size_t>(t.preset) == i)) {
                if (static_cast<size_t>(t.preset) != i) {
                    t.settings.b = presets[i].b;  // each preset opens at the budget its description is about
                }
                t.preset = static_cast<int>(i);
            }
        }
        ImGui::EndCombo();
    }
    if (!presets.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped_text(presets[static_cast<size_t>(t.preset)].description);
        ImGui::PopStyleColor();
    }

    teaching_settings & ts = t.settings;
    ImGui::SliderInt("budget", &ts.b, 2, 8, "b = %d");
    ts.b = std::clamp(ts.b, 2, 8);
    ImGui::SliderInt("t", &ts.t, 1, 8);
    ts.t = std::clamp(ts.t, 1, 8);
    help_marker("The interaction degree SPEX's decoding is guaranteed for; a larger t costs more queries.");

    bool override_noise = ts.noise_sd >= 0;
    if (ImGui::Checkbox("set the noise", &override_noise)) {
        ts.noise_sd = override_noise ? 0.0 : -1.0;
    }
    help_marker("Off: the function's own noise. On: Gaussian noise of this standard deviation on every query.");
    if (override_noise) {
        ImGui::InputDouble("noise sd", &ts.noise_sd, 0.01, 0.1, "%.3f");
        ts.noise_sd = std::max(ts.noise_sd, 0.0);
    }
    ImGui::InputScalar("seed", ImGuiDataType_U64, &ts.seed);
    int decoder = ts.decoder == "hard" ? 1 : 0;
    ImGui::Combo("decoder", &decoder, "soft\0hard\0");
    ts.decoder = decoder == 1 ? "hard" : "soft";
    ImGui::EndDisabled();
    ImGui::PopItemWidth();

    ImGui::Separator();
    ImGui::BeginDisabled(running || presets.empty());
    if (ImGui::Button("Run", ImVec2(ImGui::GetContentRegionAvail().x * 0.5f, 0)) && !running) {
        start(s);
    }
    ImGui::EndDisabled();
    record_widget(s, "teaching-run");
    if (t.run) {
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(-FLT_MIN, 0))) {
            t.run.reset();
        }
        record_widget(s, "cancel");
    }
    if (t.run) {
        const size_t      done  = t.run->queries_done();
        const size_t      total = t.run->total_queries();
        const std::string overlay =
            format_count(static_cast<int64_t>(done)) + " / " + format_count(static_cast<int64_t>(total)) + " queries";
        ImGui::ProgressBar(total > 0 ? static_cast<float>(static_cast<double>(done) / static_cast<double>(total))
                                     : 0.0f,
                           ImVec2(-FLT_MIN, 0), overlay.c_str());
    }

    ImGui::Separator();
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.62f);
    draw_index_controls(s);
    ImGui::PopItemWidth();
    if (s.result && s.result->ground_truth.present) {
        ImGui::Separator();
        draw_truth_table(*s.result);
    }
}

}  // namespace spexlens::app
