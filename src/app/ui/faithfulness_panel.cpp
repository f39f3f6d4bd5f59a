// faithfulness_panel: how far to trust what is on screen — the held-out R², what the run
// cost (queries, time, rate), everything needed to reproduce it (seed, b, t, method, model
// sha256), the surrogate against the real output at all-kept and all-masked, the engine's
// notes, and one sentence saying what the numbers are and are not. Teaching results add
// planted vs recovered counts.
#include "app/ui/result_pane.h"
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <cmath>
#include <cstdio>

namespace spexlens::app {

namespace {

ImU32 r2_color(double r2) {
    if (r2 >= 0.8) {
        return IM_COL32(0, 120, 40, 255);
    }
    if (r2 >= 0.5) {
        return IM_COL32(170, 100, 0, 255);
    }
    return IM_COL32(190, 0, 0, 255);
}

void draw_r2(const loaded_result & r) {
    ImGui::TextUnformatted("faithfulness R\xC2\xB2 (held out)");
    help_marker("How well the surrogate f\xCC\x82 predicts the model on random masks it was not fitted on: 1 is "
                "perfect, 0 is no better than the mean. Everything else on this page is read from f\xCC\x82.");
    char value[32] = "n/a";
    if (std::isfinite(r.r2)) {
        std::snprintf(value, sizeof value, "%.3f", r.r2);
    }
    ImGui::SetWindowFontScale(1.8f);  // the one number to read from the back of the room
    ImGui::PushStyleColor(ImGuiCol_Text, std::isfinite(r.r2) ? r2_color(r.r2) : IM_COL32(90, 90, 90, 255));
    ImGui::TextUnformatted(value);
    ImGui::PopStyleColor();
    ImGui::SetWindowFontScale(1.0f);
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("(%s held-out masks)", format_count(r.holdout).c_str());
    const std::string reading = r2_reading(r);
    if (!reading.empty()) {
        wrapped_text(reading);
    }
}

// One "name  value" row of the facts table.
void fact(const char * name, const std::string & value) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextDisabled("%s", name);
    ImGui::TableSetColumnIndex(1);
    ImGui::PushTextWrapPos(0.0f);  // wraps at the column's edge
    ImGui::TextUnformatted(value.c_str(), value.c_str() + value.size());
    ImGui::PopTextWrapPos();
}

void draw_facts(app_state & s, page_actions & actions) {
    const loaded_result & r = *s.result;
    if (!ImGui::BeginTable("##facts", 2, ImGuiTableFlags_SizingStretchProp)) {
        return;
    }
    ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    const bool synthetic = is_synthetic(r);
    fact(synthetic ? "queries" : "model calls",
         format_count(r.queries) + " + " + format_count(r.holdout) + " held out");
    const double seconds = r.total_ms / 1000.0;
    fact("time", format_seconds(seconds));
    if (r.sampling_ms > 0) {
        fact("rate",
             format_count(static_cast<int64_t>(static_cast<double>(r.queries + r.holdout) / (r.sampling_ms / 1000.0))) +
                 " queries/s");
    }
    fact("seed", std::to_string(r.seed));
    if (r.b > 0) {
        fact("b, t", std::to_string(r.b) + ", " + std::to_string(r.t));
    }
    fact("method", method_in_words(r));
    if (!r.candidates.empty()) {
        std::string scores;
        for (const auto & [name, cv] : r.candidates) {
            char value[48];
            std::snprintf(value, sizeof value, "%s%s %.3f", scores.empty() ? "" : ", ", name.c_str(), cv);
            scores += std::isfinite(cv) ? value : (scores.empty() ? "" : ", ") + name + " n/a";
        }
        fact("cross-validated", scores);
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("R\xC2\xB2 of each candidate fit on calls it was not fitted on (5-fold "
                              "cross-validation on the run's own calls); auto keeps the best. The held-out R\xC2\xB2 "
                              "above is measured on separate masks.");
        }
    }
    if (std::isfinite(r.proxy_r2)) {
        char value[32];
        std::snprintf(value, sizeof value, "%.3f", r.proxy_r2);
        fact("trees alone", std::string("R\xC2\xB2 ") + value + " held out");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("The boosted-tree proxy of ProxySPEX itself, before its interactions are selected "
                              "and refit, on the same held-out masks.");
        }
    }
    if (!r.model_name.empty()) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextDisabled("model");
        ImGui::TableSetColumnIndex(1);
        ImGui::Text("%s  %s", r.model_name.c_str(), r.model_sha256.substr(0, 12).c_str());
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("sha256 of the ONNX file:\n%s", r.model_sha256.c_str());
        }
        ImGui::SameLine();
        if (ImGui::SmallButton("copy##sha")) {
            actions.copy_to_clipboard(r.model_sha256);
        }
    }
    if (!synthetic) {
        fact("target", measured_name(r));
    }
    if (r.is_components()) {
        const component_summary & c = r.component_info;
        fact("players", std::to_string(r.n) + " (" + c.set + ", " + std::to_string(c.layers) + " layers \xC3\x97 " +
                            std::to_string(c.heads) + " heads, " + std::to_string(c.ff) + " neurons" +
                            (c.set == "heads" ? std::string() : " in groups of " + std::to_string(c.group)) + ")");
        fact("ablation", c.ablation == "mean" ? "mean (training-set means)" : "zero");
    }
    // The surrogate at the two extremes, next to the real value there (the model's, measured
    // by the run, or the planted function's).
    const char * real_name = synthetic ? "planted " : "model ";
    for (const bool kept : {true, false}) {
        const std::vector<bool> keep(static_cast<size_t>(r.n), kept);
        double                  real = kept ? r.full_value : r.baseline_value;
        if (synthetic && !planted_value(r, keep, real)) {
            real = std::nan("");
        }
        fact(kept ? "all kept" : (r.is_components() ? "all ablated" : "all masked"),
             real_name + format_value(real) + ", f\xCC\x82 " + format_value(r.surrogate_value(keep)));
    }
    if (!synthetic) {
        // Why one thread, in words a presenter can act on (threads need cross-origin isolation).
        const std::string threads =
            std::to_string(s.ort_threads) + " ONNX Runtime thread" + (s.ort_threads == 1 ? "" : "s");
        fact("browser", s.cross_origin_isolated ? threads + ", cross-origin isolated"
                        : s.single_file
                            ? threads + ": opened as one file (spexlens.html), where a browser allows "
                                        "no threads; the served folder (python3 serve.py) runs faster"
                            : threads + ", not cross-origin isolated (serve.py sends the headers threads need)");
    }
    ImGui::EndTable();
}

void draw_ground_truth(const loaded_result & r) {
    const planted_summary & g = r.ground_truth;
    ImGui::Separator();
    // In the basis the function was written in, as the teaching table shows it.
    ImGui::Text("planted terms (%s): %zu, close to the planted value: %d", g.basis == "mobius" ? "Mobius" : "Fourier",
                g.written.size(), g.close);
    for (const planted_term_check & c : g.written) {
        if (!c.close) {
            ImGui::BulletText("%s: planted %s, recovered %s", join_feature_names(r, c.set).c_str(),
                              format_value(c.planted).c_str(), format_value(c.estimate).c_str());
        }
    }
    ImGui::Text("R\xC2\xB2 against the noiseless function: %s",
                std::isfinite(g.r2_clean) ? format_value(g.r2_clean, 3).c_str() : "n/a");
}

// What the numbers are, in one sentence, right under R² so it is on screen with every result.
void draw_honest_sentence(const loaded_result & r) {
    if (!r.interpretation.empty()) {
        wrapped_text(r.interpretation);
    } else if (r.is_components()) {
        wrapped_text(component_sentence(r));
    } else if (is_synthetic(r)) {
        wrapped_text("These numbers describe a planted function whose terms are known, so what was recovered can be "
                     "checked exactly.");
    } else {
        wrapped_text("These numbers show how this model's " + measured_name(r) +
                     " responds when these words are masked \xE2\x80\x94 correlational evidence about this model's "
                     "sensitivity, not a description of its internal mechanism.");
    }
    ImGui::Separator();
}

// "Made for: <the model's description> On text unlike that, its output still comes out as a
// number, and means little." Empty for planted functions and models without a description.
std::string domain_sentence(const app_state & s, const loaded_result & r) {
    if (is_synthetic(r) || r.model_sha256.empty()) {
        return "";
    }
    for (const model_entry & m : s.models) {
        if (m.sha256 == r.model_sha256 && !m.description.empty()) {
            std::string d = m.description;
            if (d.back() != '.') {
                d += '.';
            }
            return "Made for: " + d +
                   " On text unlike that, its output still comes out as a number, and means "
                   "little.";
        }
    }
    return "";
}

}  // namespace

void draw_faithfulness_panel(app_state & s, page_actions & actions) {
    if (!s.result) {
        ImGui::TextDisabled("Faithfulness and run details appear here after a run.");
        return;
    }
    const loaded_result & r = *s.result;
    // "What did it decide?" is the first question: answered above the numbers that qualify it.
    const std::string decision = decision_sentence(r);
    if (!decision.empty()) {
        wrapped_text(decision);
        record_widget(s, "decision");
    }
    const std::string drivers = drivers_sentence(r, s.index, measured_name(r), 3, display_order);
    if (!drivers.empty()) {
        wrapped_text(drivers);
        record_widget(s, "drivers");
    }
    // What the model was made for, next to what it decided: a clinical note scored by a spam
    // filter gets a number too, and the reader should see that it means little.
    const std::string domain = domain_sentence(s, r);
    if (!domain.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped_text(domain);
        ImGui::PopStyleColor();
        record_widget(s, "domain");
    }
    draw_r2(r);
    record_widget(s, "r2");
    draw_honest_sentence(r);
    draw_facts(s, actions);
    if (r.ground_truth.present) {
        draw_ground_truth(r);
    }
    if (!r.notes.empty()) {
        ImGui::Separator();
        for (const std::string & note : r.notes) {
            ImGui::Bullet();
            wrapped_text(note);
        }
    }
}

}  // namespace spexlens::app
