// probe_panel: behavioural probe suites in the page (docs/probe-suites.md, docs/page.md "Probe
// suites"). Drawn over the right-hand tiles, like the model card, from the "probe suite" button
// under the model picker: run the suite the chosen model ships, or a suite file the user opens,
// on that model in the worker (progress, Cancel); then pass/fail per capability and per test, the
// failing (or all) cases with their texts, scores and why each failed, one click to explain a
// case with the same engine and settings, and the report as JSON, CSV and HTML. The reading,
// judging and report are C++ (src/probe, src/app/model/probe_run.h); the page only scores texts.
//
// Index
//   [SECTION] Starting a run, explaining a case
//   [SECTION] Header: suite, buttons, progress
//   [SECTION] Summary: capabilities and tests
//   [SECTION] Cases
//   [SECTION] The panel
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <exception>
#include <initializer_list>
#include <utility>

namespace spexlens::app {

namespace {

constexpr ImU32 failed_colour = IM_COL32(170, 20, 20, 255);
constexpr ImU32 passed_colour = IM_COL32(20, 110, 40, 255);

// "12.5%".
std::string percent(size_t part, size_t whole) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", whole ? 100.0 * double(part) / double(whole) : 0.0);
    return buffer;
}

std::string score_text(double score) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%+.4f", score);
    return buffer;
}

}  // namespace

// [SECTION] Starting a run, explaining a case

// Where the site keeps a shipped model's suite.
std::string shipped_suite_path(const model_entry & m) { return "models/" + m.key + "/" + m.probe_suite; }

// The chosen model's suite: read it (the run starts when it arrives), or run it again.
void run_shipped_suite(app_state & s, page_actions & actions, const model_entry & model) {
    const std::string path = shipped_suite_path(model);
    if (s.probe.plan && s.probe.plan->source == path) {
        start_probe_run(s, actions);
        return;
    }
    probe_loading(s.probe, path);
    actions.load_probe_suite(path);
}

// Puts `text` in the text box and explains it with the model the suite ran on and the current
// settings (the Run button's path), with the panel closed so the result is in view.
void explain_case_text(app_state & s, page_actions & actions, const std::string & text) {
    if (s.probe.outcome && find_model(s, s.probe.outcome->model_key) && choose_model(s, s.probe.outcome->model_key)) {
        actions.model_chosen(s.settings.model_key);
    }
    s.text                 = text;
    s.teaching.enabled     = false;
    s.confirm_long_run     = false;
    s.probe.open           = false;
    s.view.model_card_open = false;
    if (s.phase == RUN_IDLE && s.probe.phase == PROBE_IDLE) {
        actions.start_run(s);
    }
}

namespace {

// [SECTION] Header: suite, buttons, progress

void draw_buttons(app_state & s, page_actions & actions) {
    probe_session &     p        = s.probe;
    const model_entry * model    = find_model(s, s.settings.model_key);
    const bool          busy     = p.phase != PROBE_IDLE;
    const bool          explains = s.phase != RUN_IDLE;
    const bool          ships    = model && !model->probe_suite.empty();
    ImGui::BeginDisabled(busy || explains || !ships);
    if (ImGui::Button("Run the model's probe suite") && !busy && !explains && ships) {
        run_shipped_suite(s, actions, *model);
    }
    ImGui::EndDisabled();
    record_widget(s, "probe-run");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("%s", !ships     ? "This model ships no probe suite: open one (a suite file) instead."
                                : explains ? "An explanation is running; the suite can run once it has finished."
                                           : "The behavioural probes written for this model, run on it here.");
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(busy || explains);
    if (ImGui::Button("Open a suite\xE2\x80\xA6") && !busy && !explains) {
        actions.pick_probe_suite();
    }
    ImGui::EndDisabled();
    record_widget(s, "probe-open");
    help_marker("A probe suite is a JSON file of test cases built around known failure modes (docs/probe-suites.md): "
                "minimum functionality, invariance and directional expectations. It runs on the chosen model as soon "
                "as it is opened; the file is read in this browser and never uploaded.");
    // A suite the user opened, or one for another model: run it (again) on the chosen model.
    if (p.plan && model && (!ships || p.plan->source != shipped_suite_path(*model))) {
        ImGui::SameLine();
        ImGui::BeginDisabled(busy || explains);
        const std::string label = "Run it on " + model->title + "##probe-rerun";
        if (ImGui::Button(label.c_str()) && !busy && !explains) {
            start_probe_run(s, actions);
        }
        ImGui::EndDisabled();
        record_widget(s, "probe-rerun");
    }
}

void draw_progress(app_state & s, page_actions & actions) {
    probe_session & p = s.probe;
    if (p.phase == PROBE_LOADING) {
        ImGui::TextDisabled("Reading %s\xE2\x80\xA6", p.loading.c_str());
        return;
    }
    if (p.phase != PROBE_SCORING && p.phase != PROBE_CANCELLING) {
        return;
    }
    const float fraction = p.total ? static_cast<float>(double(p.done) / double(p.total)) : 0.0f;
    std::string overlay  = format_count(static_cast<int64_t>(p.done)) + " / " +
                          format_count(static_cast<int64_t>(p.total)) + " texts scored";
    if (p.phase == PROBE_CANCELLING) {
        overlay = "cancelling\xE2\x80\xA6 " + overlay;
    }
    const float cancel_w = ImGui::CalcTextSize("Cancel").x + 2 * ImGui::GetStyle().FramePadding.x;
    ImGui::ProgressBar(fraction,
                       ImVec2(ImGui::GetContentRegionAvail().x - cancel_w - ImGui::GetStyle().ItemSpacing.x, 0),
                       overlay.c_str());
    record_widget(s, "probe-progress");
    ImGui::SameLine();
    ImGui::BeginDisabled(p.phase == PROBE_CANCELLING);
    if (ImGui::Button("Cancel") && probe_cancel(p)) {
        actions.cancel_probe_scoring(p.request_id);
    }
    ImGui::EndDisabled();
    record_widget(s, "probe-cancel");
}

void draw_suite_facts(const app_state & s) {
    const probe_plan & plan = *s.probe.plan;
    const std::string  facts =
        "Suite: " + plan.suite.name + " (" + plan.source + ") \xC2\xB7 " + std::to_string(plan.suite.tests.size()) +
        " tests \xC2\xB7 " + format_count(static_cast<int64_t>(plan.cases.size())) + " cases \xC2\xB7 " +
        format_count(static_cast<int64_t>(plan.texts.size())) + " distinct texts \xC2\xB7 score: " +
        (plan.suite.target.empty() ? std::string("the model's own target") : plan.suite.target);
    wrapped_text(facts);
    if (!plan.suite.description.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped_text(plan.suite.description);
        ImGui::PopStyleColor();
    }
}

// "On spam-transformer: 8 of 8 tests passed · 0 of 81 cases failed (0.0%) · 93 texts scored in 1.2 s",
// the scope sentence, and the exports.
void draw_outcome_head(app_state & s, page_actions & actions) {
    const probe_plan &    plan    = *s.probe.plan;
    const probe_outcome & outcome = *s.probe.outcome;
    const size_t          tests   = outcome.run.tests.size();
    const size_t          cases   = outcome.run.cases.size();
    const size_t          failing = outcome.failing_cases();
    ImGui::PushStyleColor(ImGuiCol_Text, failing ? failed_colour : passed_colour);
    wrapped_text("On " + outcome.model + ": " + std::to_string(tests - outcome.failed_tests()) + " of " +
                 std::to_string(tests) + " tests passed \xC2\xB7 " + format_count(static_cast<int64_t>(failing)) +
                 " of " + format_count(static_cast<int64_t>(cases)) + " cases failed (" + percent(failing, cases) +
                 ")");
    ImGui::PopStyleColor();
    record_widget(s, "probe-summary");
    ImGui::TextDisabled("%s texts scored in %s \xC2\xB7 score: %s", format_count(int64_t(plan.texts.size())).c_str(),
                        format_seconds(outcome.seconds).c_str(), outcome.run.target.c_str());
    wrapped_text(probe::scope_sentence);
    record_widget(s, "probe-scope");

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("report");
    const auto button = [&](const char * label, const char * widget, const char * extension, const char * mime,
                            std::string (*form)(const probe_plan &, const probe_outcome &)) {
        ImGui::SameLine();
        if (ImGui::Button(label)) {
            try {
                const std::string name = probe_file_stem(outcome.model, actions.now_iso8601()) + extension;
                actions.download_text(name, mime, form(plan, outcome));
            } catch (const std::exception & e) {
                s.error = std::string("export failed: ") + e.what();
            }
        }
        record_widget(s, widget);
    };
    button("JSON", "probe-export-json", ".json", "application/json", &probe_report_json_text);
    button("CSV", "probe-export-csv", ".csv", "text/csv", &probe_report_csv_text);
    button("HTML", "probe-export-html", ".html", "text/html", &probe_report_html_text);
    help_marker("JSON: the report spexlens-probe prints. CSV: every case, one row each. HTML: a one-page summary to "
                "print or file (no script, loads nothing). The texts are in all three.");
}

// [SECTION] Summary: capabilities and tests

// record_widget for an item in a table cell, cut to the cell (what can be hovered and clicked).
void record_clipped(app_state & s, const std::string & name) {
    const ImDrawList * draw = ImGui::GetWindowDrawList();
    const ImVec2       min(std::max(ImGui::GetItemRectMin().x, draw->GetClipRectMin().x),
                           std::max(ImGui::GetItemRectMin().y, draw->GetClipRectMin().y));
    const ImVec2       max(std::min(ImGui::GetItemRectMax().x, draw->GetClipRectMax().x),
                           std::min(ImGui::GetItemRectMax().y, draw->GetClipRectMax().y));
    record_rect(s, name, min, ImVec2(std::max(max.x - min.x, 0.0f), std::max(max.y - min.y, 0.0f)));
}

// A table's columns, each stretched by its weight, and the header row.
void stretch_columns(std::initializer_list<std::pair<const char *, float>> columns) {
    for (const auto & [name, weight] : columns) {
        ImGui::TableSetupColumn(name, ImGuiTableColumnFlags_WidthStretch, weight);
    }
    ImGui::TableHeadersRow();
}

void draw_summary(app_state & s) {
    const probe_plan &        plan    = *s.probe.plan;
    const probe_outcome &     outcome = *s.probe.outcome;
    constexpr ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    ImGui::TextUnformatted("By capability");
    if (ImGui::BeginTable("##probe-capabilities", 5, flags)) {
        stretch_columns(
            {{"capability", 4.0f}, {"tests", 1.0f}, {"failed tests", 1.3f}, {"cases", 1.0f}, {"failed cases", 1.3f}});
        for (const probe::capability_tally & c : probe::tally_capabilities(plan.suite, outcome.run)) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.name.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%zu", c.tests);
            ImGui::TableNextColumn();
            ImGui::PushStyleColor(ImGuiCol_Text, c.failed ? failed_colour : passed_colour);
            ImGui::Text("%zu", c.failed);
            ImGui::PopStyleColor();
            ImGui::TableNextColumn();
            ImGui::Text("%zu", c.cases);
            ImGui::TableNextColumn();
            ImGui::Text("%zu", c.failed_cases);
        }
        ImGui::EndTable();
    }
    record_widget(s, "probe-capabilities");
    ImGui::Spacing();
    ImGui::TextUnformatted("By test");
    if (ImGui::BeginTable("##probe-tests", 6, flags)) {
        stretch_columns({{"test", 4.0f},
                         {"type", 2.4f},
                         {"capability", 2.4f},
                         {"cases", 0.9f},
                         {"failed", 0.9f},
                         {"failure rate", 1.3f}});
        for (size_t i = 0; i < plan.suite.tests.size() && i < outcome.run.tests.size(); ++i) {
            const probe::probe_test &  test = plan.suite.tests[i];
            const probe::test_result & r    = outcome.run.tests[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushStyleColor(ImGuiCol_Text, r.passed() ? passed_colour : failed_colour);
            ImGui::TextUnformatted(r.passed() ? "\xE2\x9C\x93" : "\xE2\x9C\x97");  // ✓ / ✗
            ImGui::PopStyleColor();
            ImGui::SameLine();
            ImGui::TextUnformatted(test.name.c_str());
            if (ImGui::IsItemHovered() && !test.description.empty()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
                ImGui::TextUnformatted(test.description.c_str());
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
            record_clipped(s, "probe-test:" + std::to_string(i + 1));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(probe::test_type_title(test.type));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(test.capability.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%zu", r.cases);
            ImGui::TableNextColumn();
            ImGui::Text("%zu", r.failed);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(percent(r.failed, r.cases).c_str());
        }
        ImGui::EndTable();
    }
    record_widget(s, "probe-tests");
}

// [SECTION] Cases

// The full texts of a case, for the tooltip over its one-line row.
void case_tooltip(const probe::case_result & c) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    const char * roles[] = {"base", "perturbed"};
    for (size_t k = 0; k < c.kase.texts.size(); ++k) {
        if (c.kase.texts.size() == 2) {
            ImGui::TextDisabled("%s (score %s, %s)", roles[k], score_text(c.scores[k].score).c_str(),
                                c.scores[k].label.c_str());
        }
        ImGui::TextUnformatted(c.kase.texts[k].c_str());
    }
    if (!c.why.empty()) {
        ImGui::Separator();
        ImGui::TextUnformatted(c.why.c_str());
    }
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

// One case in two lines: the text (or base and perturbed), their scores and labels, what it had
// to show and why it failed, and the buttons that explain its texts.
void draw_case_row(app_state & s, page_actions & actions, size_t index) {
    const probe_plan &         plan  = *s.probe.plan;
    const probe::case_result & c     = s.probe.outcome->run.cases[index];
    const probe::probe_test &  test  = plan.suite.tests[c.kase.test];
    const bool                 pair  = c.kase.texts.size() == 2;
    const bool                 ready = s.phase == RUN_IDLE && s.probe.phase == PROBE_IDLE;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(c.kase.id.c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, c.passed ? passed_colour : failed_colour);
    ImGui::TextUnformatted(c.passed ? "passed" : "failed");
    ImGui::PopStyleColor();

    ImGui::TableNextColumn();
    ImGui::TextUnformatted(test.name.c_str());
    ImGui::TextDisabled("%s", probe::test_type_name(test.type));

    ImGui::TableNextColumn();
    ImGui::BeginGroup();
    if (pair) {
        const auto lines = one_line_pair(c.kase.texts[0], c.kase.texts[1]);
        ImGui::TextUnformatted(lines.first.c_str());
        ImGui::TextUnformatted(("\xE2\x86\x92 " + lines.second).c_str());
    } else {
        ImGui::TextUnformatted(one_line(c.kase.texts[0]).c_str());
        ImGui::TextUnformatted("");
    }
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) {
        case_tooltip(c);
    }
    record_clipped(s, "probe-case:" + c.kase.id);

    ImGui::TableNextColumn();
    for (size_t k = 0; k < 2; ++k) {
        ImGui::TextUnformatted(k < c.scores.size() ? score_text(c.scores[k].score).c_str() : "");
    }
    ImGui::TableNextColumn();
    for (size_t k = 0; k < 2; ++k) {
        ImGui::TextUnformatted(k < c.scores.size() ? c.scores[k].label.c_str() : "");
    }

    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", probe::expectation_text(test.type, c.kase.expect).c_str());
    ImGui::PushStyleColor(ImGuiCol_Text, failed_colour);
    ImGui::TextUnformatted(c.why.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered() && !c.why.empty()) {
        case_tooltip(c);
    }

    ImGui::TableNextColumn();
    ImGui::PushID(static_cast<int>(index));
    ImGui::BeginDisabled(!ready);
    // A pair explains its perturbed text (what the perturbation made of the base) or its base.
    if (ImGui::SmallButton(pair ? "Explain perturbed" : "Explain this case") && ready) {
        explain_case_text(s, actions, c.kase.texts.back());
    }
    record_widget(s, "probe-explain:" + c.kase.id);
    if (pair) {
        if (ImGui::SmallButton("Explain base") && ready) {
            explain_case_text(s, actions, c.kase.texts.front());
        }
        record_widget(s, "probe-explain-base:" + c.kase.id);
    }
    ImGui::EndDisabled();
    ImGui::PopID();
}

// The failing cases, or every case, one row each (only the rows in view are drawn).
void draw_cases(app_state & s, page_actions & actions, bool all) {
    const probe_outcome & outcome = *s.probe.outcome;
    const size_t          count   = all ? outcome.run.cases.size() : outcome.failing.size();
    if (count == 0) {
        ImGui::PushStyleColor(ImGuiCol_Text, passed_colour);
        wrapped_text("No case failed. \"all cases\" lists every case; each can be explained from there.");
        ImGui::PopStyleColor();
        record_widget(s, "probe-no-failures");
        return;
    }
    constexpr ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable(all ? "##probe-all-cases" : "##probe-failing-cases", 7, flags)) {
        ImGui::TableSetupColumn("case", ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn("test", ImGuiTableColumnFlags_WidthStretch, 1.5f);
        ImGui::TableSetupColumn("text (base \xE2\x86\x92 perturbed)", ImGuiTableColumnFlags_WidthStretch, 4.2f);
        ImGui::TableSetupColumn("score", ImGuiTableColumnFlags_WidthStretch, 0.9f);
        ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthStretch, 0.7f);
        ImGui::TableSetupColumn("expected \xC2\xB7 why it failed", ImGuiTableColumnFlags_WidthStretch, 3.6f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed,
                                ImGui::CalcTextSize("Explain perturbed").x + 2 * ImGui::GetStyle().FramePadding.x);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(count));
        while (clipper.Step()) {
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                draw_case_row(s, actions, all ? size_t(row) : outcome.failing[size_t(row)]);
            }
        }
        ImGui::EndTable();
    }
}

}  // namespace

// [SECTION] The panel

std::string probe_blocker(const app_state & s) {
    if (!s.probe.plan) {
        return "open a probe suite first";
    }
    if (s.probe.phase == PROBE_SCORING || s.probe.phase == PROBE_CANCELLING) {
        return "a probe suite is being run";
    }
    if (s.phase != RUN_IDLE) {
        return "an explanation is running; the suite can run once it has finished";
    }
    if (!find_model(s, s.settings.model_key)) {
        return "choose a model first";
    }
    return "";
}

bool start_probe_run(app_state & s, page_actions & actions) {
    const std::string blocker = probe_blocker(s);
    if (!blocker.empty()) {
        s.probe.error = "The probe suite cannot run now: " + blocker + ".";
        if (s.probe.phase == PROBE_LOADING) {
            s.probe.phase = PROBE_IDLE;
        }
        return false;
    }
    actions.score_probe_texts(probe_begin(s.probe, s.settings.model_key, actions.now_seconds()));
    return true;
}

void probe_suite_received(app_state & s, page_actions & actions, const std::string & text, const std::string & source) {
    s.probe.open           = true;
    s.view.model_card_open = false;
    if (probe_suite_arrived(s.probe, text, source)) {
        start_probe_run(s, actions);
    }
}

void draw_probe_panel(app_state & s, page_actions & actions) {
    probe_session & p = s.probe;
    draw_buttons(s, actions);
    draw_progress(s, actions);
    if (!p.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, failed_colour);
        wrapped_text(p.error);
        ImGui::PopStyleColor();
        record_widget(s, "probe-error");
    }
    if (!p.note.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped_text(p.note);
        ImGui::PopStyleColor();
    }
    if (!p.plan) {
        if (p.phase == PROBE_IDLE && p.error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            wrapped_text("Behavioural probing: run a suite of test cases built around known failure modes (CheckList's "
                         "minimum functionality, invariance and directional expectations) on the chosen model, and "
                         "see which pass, which fail and why; explain any case with one click.");
            ImGui::PopStyleColor();
        }
        return;
    }
    ImGui::Separator();
    draw_suite_facts(s);
    if (!p.outcome) {
        return;
    }
    ImGui::Separator();
    draw_outcome_head(s, actions);
    ImGui::Spacing();
    if (ImGui::BeginTabBar("##probe-tabs")) {
        const bool summary = ImGui::BeginTabItem("summary");
        record_widget(s, "probe-tab-summary");
        if (summary) {
            draw_summary(s);
            ImGui::EndTabItem();
        }
        const std::string failing_label =
            "failing cases (" + format_count(int64_t(p.outcome->failing.size())) + ")###failing";
        const bool failing = ImGui::BeginTabItem(failing_label.c_str());
        record_widget(s, "probe-tab-failing");
        if (failing) {
            draw_cases(s, actions, false);
            ImGui::EndTabItem();
        }
        const std::string all_label = "all cases (" + format_count(int64_t(p.outcome->run.cases.size())) + ")###all";
        const bool        all       = ImGui::BeginTabItem(all_label.c_str());
        record_widget(s, "probe-tab-all");
        if (all) {
            draw_cases(s, actions, true);
            ImGui::EndTabItem();
        }
        p.show_all_cases = all;
        ImGui::EndTabBar();
    }
}

}  // namespace spexlens::app
