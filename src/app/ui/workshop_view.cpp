// workshop_view: the workshop path in the left column (docs/page.md "The workshop path"): seven
// steps on a teaching model, each a button that does what the page's own panels do (explain the
// sample note, run the probe suite, explain a failing case, open attention beside use, probe the
// layers), a mark when it is done and the one claim it may make. Which steps are done and what
// they claim is decided in src/app/model/workshop_path.cpp; this file gathers the page's facts
// and presses the buttons.
//
// Index
//   [SECTION] Facts from the page
//   [SECTION] Pressing a step
//   [SECTION] The panel
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <exception>
#include <optional>

namespace spexlens::app {

// [SECTION] Facts from the page

namespace {

// The facts of one frame, with the attention facts they point into.
struct gathered_facts {
    workshop_facts                      facts;
    std::optional<attention_view_facts> attention;
};

gathered_facts gather(const app_state & s, const model_entry & model) {
    gathered_facts   g;
    workshop_facts & f = g.facts;
    f.model_key        = model.key;
    f.model_sha256     = model.sha256;
    f.suite_source     = model.probe_suite.empty() ? "" : shipped_suite_path(model);
    // An early result of a run still in flight does not count yet: the steps wait for the final one.
    const bool settled    = s.result && !s.run_has_early_result;
    f.result              = settled ? &*s.result : nullptr;
    f.table               = settled ? &s.index : nullptr;
    f.plan                = s.probe.plan ? &*s.probe.plan : nullptr;
    f.outcome             = s.probe.outcome ? &*s.probe.outcome : nullptr;
    f.model_attentions    = model.attentions;
    f.model_hidden_states = model.hidden_states && !model.layer_probe_set.empty();
    f.busy = s.phase != RUN_IDLE || s.probe.phase != PROBE_IDLE || s.layer_probe.phase == LAYER_PROBE_RUNNING ||
             s.teaching.run != nullptr;
    const attention_session & a = s.attention;
    if (f.result != nullptr && a.phase == ATTENTION_READY && a.received && a.for_key == attention_key(*f.result)) {
        try {
            g.attention = make_attention_facts(*a.received, *f.result, s.index, a.choice, false);
        } catch (const std::exception &) {
            // the attention view shows why; the step stays not done
        }
    }
    f.attention = g.attention ? &*g.attention : nullptr;
    if (s.layer_probe.facts && s.layer_probe.model_key == model.key) {
        f.layers = &*s.layer_probe.facts;
    }
    if (s.workshop.model_key == model.key) {
        f.pressed = s.workshop.pressed;
    }
    return g;
}

// [SECTION] Pressing a step

// Closes the windows over the right-hand tiles, so the result is in view.
void close_overlays(app_state & s) {
    s.probe.open           = false;
    s.attention.open       = false;
    s.layer_probe.open     = false;
    s.view.model_card_open = false;
}

void explain_sample(app_state & s, page_actions & actions, const model_entry & model) {
    if (choose_model(s, model.key)) {
        actions.model_chosen(model.key);
    }
    s.settings.set_components(false);
    s.settings.granularity = 0;
    s.text                 = model.workshop->sample_text;
    s.confirm_long_run     = false;
    close_overlays(s);
    actions.start_run(s);
}

void press(app_state & s, page_actions & actions, const model_entry & model, workshop_step step) {
    s.workshop.pressed[step] = true;
    switch (step) {
    case WORKSHOP_EXPLAIN_NOTE:
        explain_sample(s, actions, model);
        break;
    case WORKSHOP_FIND_SHORTCUT:
        close_overlays(s);
        break;
    case WORKSHOP_RUN_SUITE:
        if (choose_model(s, model.key)) {
            actions.model_chosen(model.key);
        }
        run_shipped_suite(s, actions, model);
        s.probe.open = true;
        break;
    case WORKSHOP_SHORTCUT_FAILS:
        close_overlays(s);
        s.probe.open = true;
        break;
    case WORKSHOP_EXPLAIN_FAILURE: {
        const std::vector<size_t> failing =
            failing_cases_of(*s.probe.plan, *s.probe.outcome, model.workshop->shortcut_test);
        explain_case_text(s, actions, s.probe.outcome->run.cases[failing.front()].kase.texts.back());
        break;
    }
    case WORKSHOP_ATTENTION:
        close_overlays(s);
        s.attention.open = true;
        break;
    case WORKSHOP_PROBE_LAYERS:
        if (choose_model(s, model.key)) {
            actions.model_chosen(model.key);
        }
        close_overlays(s);
        s.layer_probe.open = true;
        start_layer_probe(s, actions, model);
        break;
    case WORKSHOP_STEP_COUNT:
        break;
    }
}

// The model the path runs on: the chosen model when it ships one, else the first that does.
const model_entry * workshop_model(const app_state & s) {
    const model_entry * chosen = find_model(s, s.settings.model_key);
    if (chosen != nullptr && chosen->workshop) {
        return chosen;
    }
    for (const model_entry & m : s.models) {
        if (m.workshop) {
            return &m;
        }
    }
    return nullptr;
}

}  // namespace

// [SECTION] The panel

bool workshop_available(const app_state & s) { return workshop_model(s) != nullptr; }

namespace {

// The steps judged on the page now, with the claims of steps done before (on the path's model).
std::vector<workshop_step_view> current_steps(const app_state & s, const model_entry & model) {
    const gathered_facts            g     = gather(s, model);
    std::vector<workshop_step_view> steps = workshop_steps(*model.workshop, g.facts);
    if (s.workshop.model_key == model.key) {
        apply_kept_claims(steps, s.workshop.kept);
    }
    quiet_busy_waiting(steps);
    return steps;
}

}  // namespace

nlohmann::ordered_json workshop_page_state(const app_state & s) {
    const model_entry * model = workshop_model(s);
    if (model == nullptr) {
        return {{"enabled", s.workshop.enabled}, {"available", false}};
    }
    nlohmann::ordered_json out = {{"enabled", s.workshop.enabled}, {"available", true}, {"model", model->key}};
    out.update(workshop_state_json(current_steps(s, *model)));
    return out;
}

void draw_workshop_panel(app_state & s, page_actions & actions) {
    const model_entry * model = workshop_model(s);
    if (model == nullptr) {
        wrapped_text("No model in this page ships a workshop path.");
        return;
    }
    wrapped_text("The workshop path on " + model->title +
                 ": seven steps, each a button. Each step says what it measured: how this model's output responds "
                 "to masking words, how it behaves on built test cases, where its attention goes, what a linear probe "
                 "reads from its layers. None of it is the model's reasoning.");
    if (s.workshop.model_key != model->key) {  // the path starts afresh on another model
        s.workshop = workshop_state{s.workshop.enabled, {}, {}, model->key, -1};
    }
    if (ImGui::Button("Start again")) {
        s.workshop = workshop_state{s.workshop.enabled, {}, {}, model->key, -1};
    }
    record_widget(s, "workshop-restart");
    if (s.phase != RUN_IDLE) {  // the controls (and their Cancel) are hidden while the path is shown
        ImGui::SameLine();
        if (ImGui::Button("Cancel the explanation")) {
            actions.cancel_run(s);
        }
        record_widget(s, "workshop-cancel");
        ImGui::Text("Explaining: %zu of %zu model calls", s.progress.done, s.progress.total);
    }
    ImGui::Separator();
    // One gathering per frame: the claims of the steps done now are kept, then the kept ones fill in.
    std::vector<workshop_step_view> steps = workshop_steps(*model->workshop, gather(s, *model).facts);
    remember_claims(steps, s.workshop.kept);
    apply_kept_claims(steps, s.workshop.kept);
    quiet_busy_waiting(steps);
    const workshop_step next = workshop_next_step(steps);
    for (const workshop_step_view & v : steps) {
        const std::string n = std::to_string(static_cast<int>(v.step) + 1);
        ImGui::PushID(static_cast<int>(v.step));
        ImGui::Text("%s. %s", n.c_str(), v.title.c_str());
        if (v.done) {
            ImGui::SameLine();
            ImGui::TextColored(ImVec4(0.08f, 0.43f, 0.16f, 1.0f), "(done)");
        }
        const bool highlight = v.step == next && v.enabled;
        if (highlight) {
            ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.98f, 0.85f, 0.45f, 1.0f));
        }
        ImGui::BeginDisabled(!v.enabled);
        if (ImGui::Button(v.button.c_str()) && v.enabled) {
            press(s, actions, *model, v.step);
        }
        ImGui::EndDisabled();
        if (highlight) {
            ImGui::PopStyleColor();
        }
        record_widget(s, "workshop-step:" + n);
        if (v.step == next && s.workshop.scrolled_to != static_cast<int>(next)) {
            // The next step's button comes into view when it becomes next (retried each frame
            // until it is fully visible, then left to the user's scrolling).
            const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight() - ImGui::GetStyle().WindowPadding.y;
            if (ImGui::GetItemRectMax().y > bottom || ImGui::GetItemRectMin().y < ImGui::GetWindowPos().y) {
                ImGui::SetScrollHereY(0.75f);
            } else {
                s.workshop.scrolled_to = static_cast<int>(next);
            }
        }
        if (!v.enabled && !v.waiting.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            wrapped_text(v.waiting);
            ImGui::PopStyleColor();
        }
        if (v.done && !v.claim.empty()) {
            wrapped_text(v.claim);
            record_widget(s, "workshop-claim:" + n);
        }
        ImGui::PopID();
        ImGui::Separator();
    }
    if (next == WORKSHOP_STEP_COUNT && s.workshop.scrolled_to != static_cast<int>(next)) {
        ImGui::SetScrollHereY(1.0f);  // every step done: the last claim comes into view, once
        s.workshop.scrolled_to = static_cast<int>(next);
    }
    s.scroll_offsets["workshop"] = ImGui::GetScrollY();
}

}  // namespace spexlens::app
