// controls_panel: the left column in explain mode — model, text, target, features, budget
// (with the model calls and time it implies), index, method, seed, and Run / Cancel with
// progress. Settings only; the run itself is the web glue's (actions.start_run).
//
// Index of this file:
// [SECTION] Counting the text, rates and seeds
// [SECTION] Model: picker, card, derived manifest
// [SECTION] Text, target, components, masking, explain kind
// [SECTION] Budget, method, seed and Run
// [SECTION] Public: index controls, run estimate, the panel
#include "app/ui/string_input.h"
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"
#include "components/component_players.h"
#include "explain/text_explainer.h"
#include "spex/query_design.h"
#include "text/bidi.h"
#include "text/text_counts.h"

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <exception>

namespace spexlens::app {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Counting the text, rates and seeds
//-----------------------------------------------------------------------------

constexpr const char * measures[]     = {"log-odds", "logit", "prob"};
constexpr const char * measure_tips[] = {"log(p / (1 - p)) of the class's probability",
                                         "the model's raw output (logit) for the class",
                                         "the class's probability, 0..1"};
constexpr const char * methods[]      = {"auto",       "ProxySPEX",      "ridge (pairs)", "SPEX", "LIME (baseline)",
                                         "KernelSHAP", "Faith-Banzhaf-2"};
constexpr const char * method_tips[]  = {
     ("the most faithful fit for these calls: ProxySPEX or ridge regression, whichever predicts held-back calls "
      "best (cross-validated); the page says which it chose"),
     "boosted trees fitted to the masked outputs, their interactions read off exactly and refit (Butler et al. 2025)",
     "regularised regression on every word and every pair of words",
     "sparse interactions from structured masks decoded by a BCH peeling decoder (Kang et al. 2025); sized by b",
     "equal-budget baseline: linear fit on the same number of model calls",
     "equal-budget baseline: Shapley-weighted linear fit on the same number of model calls",
     "equal-budget baseline: pairwise Banzhaf fit (no regularisation) on the same number of model calls"};
static_assert(sizeof(methods) / sizeof(methods[0]) == PAGE_METHOD_COUNT, "one combo entry per page_method");
constexpr const char * decoders[]     = {"soft", "hard"};
constexpr const char * decoder_tips[] = {"soft (Chase) decoding: slower, tolerates more noise",
                                         "hard (bounded-distance) decoding"};

constexpr double default_rate_per_s = 900.0;  // queries/s before this browser has measured one
constexpr int    default_t          = 5;      // the explainer's t for words when the run is sized by b

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

using spexlens::text::text_counts;

// Whether the text holds right-to-left words (some byte at an odd level), remembered like the
// counts: the text box (ImGui's InputText) shows them in stored order, so the page says so.
bool has_right_to_left(const std::string & text) {
    static std::string last_text;
    static bool        last_answer = false;
    static bool        valid       = false;
    if (!valid || text != last_text) {
        last_text                           = text;
        const spexlens::text::bidi_levels b = spexlens::text::resolve_bidi(text);
        last_answer = std::any_of(b.levels.begin(), b.levels.end(), [](unsigned char l) { return (l & 1) != 0; });
        valid       = true;
    }
    return last_answer;
}

// count_text for the text box, remembered: the text box and the estimate ask every frame, and
// comparing a 1 MiB text with the last one is far cheaper than counting it again.
const text_counts & counted(const std::string & text) {
    static std::string last_text;
    static text_counts last_counts;
    static bool        valid = false;
    if (!valid || text != last_text) {
        last_text   = text;
        last_counts = spexlens::text::count_text(text);
        valid       = true;
    }
    return last_counts;
}

// Model calls per second for the estimate: the run in flight, else the result on screen when it
// came from this model, else this model's warm-up, else a guess (measured = false).
double measured_rate(const app_state & s, bool & measured) {
    measured                  = true;
    const model_entry * model = find_model(s, s.settings.model_key);
    if (s.progress.rate_per_s > 0 && s.phase != RUN_IDLE) {
        return s.progress.rate_per_s;
    }
    if (s.result && !is_synthetic(*s.result) && s.result->sampling_ms > 0 && model &&
        s.result->model_sha256 == model->sha256) {
        return static_cast<double>(s.result->queries + s.result->holdout) / (s.result->sampling_ms / 1000.0);
    }
    if (model && model->calls_per_s > 0) {
        return model->calls_per_s;
    }
    measured = false;
    return default_rate_per_s;
}

// A seed from the clock, within 0..2^53-1 so JavaScript reads it exactly (result schema).
uint64_t seed_from_clock(double now_s) {
    uint64_t bits = 0;
    std::memcpy(&bits, &now_s, sizeof bits);
    uint64_t z = bits + 0x9E3779B97F4A7C15ull;  // splitmix64: nearby times give unrelated seeds
    z          = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z          = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (z ^ (z >> 31)) & ((uint64_t(1) << 53) - 1);
}

template <size_t N>
bool combo_with_tips(const char * label, int & current, const char * const (&items)[N], const char * const (&tips)[N]) {
    bool changed = false;
    if (current < 0 || static_cast<size_t>(current) >= N) {
        current = 0;
    }
    if (ImGui::BeginCombo(label, items[current])) {
        for (size_t i = 0; i < N; ++i) {
            if (ImGui::Selectable(items[i], static_cast<size_t>(current) == i)) {
                changed = static_cast<size_t>(current) != i;
                current = static_cast<int>(i);
            }
            if (ImGui::IsItemHovered()) {
                ImGui::SetTooltip("%s", tips[i]);
            }
        }
        ImGui::EndCombo();
    }
    return changed;
}

//-----------------------------------------------------------------------------
// [SECTION] Model: picker, card, derived manifest
//-----------------------------------------------------------------------------

// A model from a folder with no model.json: say so, show what was derived and why, and offer
// the manifest (sha256 included) for download so a team can pin it. Drawn from the moment the
// model is picked, before it is opened (the button and notes wait for the derived manifest), so
// the controls below keep their place when the manifest arrives.
void draw_derived_manifest(app_state & s, const model_entry & model, page_actions & actions) {
    const bool derived = !model.derived_manifest.empty();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrapped_text("No model.json in this folder: spexlens derives one from config.json, tokenizer.json and the "
                 "ONNX graph.");
    ImGui::PopStyleColor();
    if (model.target_asked) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.78f, 0.3f, 1.0f));
        wrapped_text("This model has " + std::to_string(model.labels.size()) +
                     " labels and nothing says which one matters: choose it under \"target class\" (the first is "
                     "explained until you do).");
        ImGui::PopStyleColor();
    }
    ImGui::BeginDisabled(!derived);
    if (ImGui::SmallButton("Download model.json")) {
        actions.download_text("model.json", "application/json", model.derived_manifest);
    }
    record_widget(s, "download-manifest");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("%s", derived ? "Save it beside the ONNX file to pin this model: its sha256, labels, inputs "
                                          "and masking."
                                        : "Derived when the model is opened (a moment after it is picked).");
    }
    ImGui::SameLine();
    if (ImGui::TreeNode("how it was derived")) {
        for (const std::string & note : model.derived_notes) {
            ImGui::Bullet();
            ImGui::SameLine();
            wrapped_text(note);
        }
        ImGui::TreePop();
    }
    record_widget(s, "derived-notes");
    ImGui::EndDisabled();
}

void draw_model_picker(app_state & s, page_actions & actions) {
    const model_entry * model   = find_model(s, s.settings.model_key);
    const std::string   preview = model ? model->title : s.settings.model_key;
    if (ImGui::BeginCombo("model", preview.c_str())) {
        for (const model_entry & m : s.models) {
            const std::string label = m.title + (m.custom ? "  (yours)" : "") + "##" + m.key;
            if (ImGui::Selectable(label.c_str(), m.key == s.settings.model_key)) {
                const std::string key = m.key;
                if (choose_model(s, key)) {
                    actions.model_chosen(key);
                }
            }
            record_widget(s, "model:" + m.key);
            if (ImGui::IsItemHovered() && !m.description.empty()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
                ImGui::TextUnformatted(m.description.c_str());
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
        }
        ImGui::EndCombo();
    }
    record_widget(s, "model-combo");
    if (model) {
        // A folder with no model.json has no labels until it is opened and its manifest derived.
        std::string facts = model->labels.empty() ? "labels: read when it is opened" : "labels: ";
        for (size_t i = 0; i < model->labels.size(); ++i) {
            facts += (i ? ", " : "") + model->labels[i];
        }
        if (model->max_length > 0) {
            facts += " \xC2\xB7 up to " + std::to_string(model->max_length) + " tokens";
        }
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped_text(facts);
        ImGui::PopStyleColor();
    }
    if (model) {
        if (ImGui::SmallButton("model card")) {
            s.view.model_card_open = true;
            s.probe.open           = false;
            model_entry & m        = s.models[static_cast<size_t>(model - s.models.data())];
            if (!m.card_requested) {
                m.card_requested = true;
                actions.request_model_card(m.key);
            }
        }
        record_widget(s, "model-card");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("What the model was trained on, how it was tested and what it is not for "
                              "(the README.md beside it).");
        }
        ImGui::SameLine();
        if (ImGui::SmallButton("probe suite")) {
            s.probe.open           = !s.probe.open;
            s.view.model_card_open = false;
        }
        record_widget(s, "probe-panel");
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s", model->probe_suite.empty()
                                        ? "Behavioural probing: run a suite of test cases (a suite file) on this model."
                                        : "Behavioural probing: run the suite of test cases this model ships, or "
                                          "one of yours, on it.");
        }
    }
    if (model && (model->exported || !model->derived_manifest.empty())) {
        draw_derived_manifest(s, *model, actions);
    }
    if (ImGui::Button("Open a model folder\xE2\x80\xA6")) {
        actions.pick_folder();
    }
    record_widget(s, "pick-folder");
    ImGui::SameLine();
    if (ImGui::Button("files\xE2\x80\xA6")) {
        actions.pick_files();
    }
    record_widget(s, "pick-files");
    help_marker("Bring your own model: its folder as transformers / optimum export it (config.json, tokenizer.json, "
                "model.onnx or onnx/model.onnx; no model.json needed), or model.json + its .onnx + its vocabulary. "
                "Choose the folder, the files or the folder's .zip, or drop them on the page. They are read in this "
                "browser and never uploaded. A .txt file fills the text box.");
}

//-----------------------------------------------------------------------------
// [SECTION] Text, target, components, masking, explain kind
//-----------------------------------------------------------------------------

void draw_text_box(app_state & s, const model_entry * model) {
    ImGui::TextUnformatted("text");
    input_text_multiline("##text", s.text, ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * 9));
    record_widget(s, "text-box");
    const text_counts & counts = counted(s.text);
    ImGui::TextDisabled("%s words \xC2\xB7 %s characters", format_count(static_cast<int64_t>(counts.words)).c_str(),
                        format_count(static_cast<int64_t>(counts.characters)).c_str());
    ImGui::SameLine();
    const bool has_sample = model && !model->sample_text.empty();
    const bool rtl_note   = has_right_to_left(s.text);
    ImGui::BeginDisabled(!has_sample);
    if (ImGui::SmallButton("Use sample") && has_sample) {
        s.text = model->sample_text;
    }
    ImGui::EndDisabled();
    record_widget(s, "sample");
    if (rtl_note) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped_text("Right-to-left words are shown in stored order in this box while you edit; the "
                     "explanation's text shows them as they are read.");
        ImGui::PopStyleColor();
        record_widget(s, "rtl-note");
    }
}

void draw_target(app_state & s, const model_entry * model) {
    const std::vector<std::string> no_labels;
    const auto &                   labels = model ? model->labels : no_labels;
    if (s.settings.target_index >= static_cast<int>(labels.size())) {
        s.settings.target_index = -1;
    }
    const std::string default_label =
        "default" + (model && !model->default_target.empty() ? " (" + model->default_target + ")" : std::string());
    const std::string preview =
        s.settings.target_index < 0 ? default_label : labels[static_cast<size_t>(s.settings.target_index)];
    if (ImGui::BeginCombo("target class", preview.c_str())) {
        if (ImGui::Selectable(default_label.c_str(), s.settings.target_index < 0)) {
            s.settings.target_index = -1;
        }
        for (size_t i = 0; i < labels.size(); ++i) {
            const std::string label = labels[i] + "##label" + std::to_string(i);
            if (ImGui::Selectable(label.c_str(), s.settings.target_index == static_cast<int>(i))) {
                s.settings.target_index = static_cast<int>(i);
            }
        }
        ImGui::EndCombo();
    }
    int measure = 0;
    for (size_t i = 0; i < std::size(measures); ++i) {
        if (s.settings.measure == measures[i]) {
            measure = static_cast<int>(i);
        }
    }
    if (combo_with_tips("measure", measure, measures, measure_tips) || s.settings.measure != measures[measure]) {
        s.settings.measure = measures[measure];
    }
}

constexpr const char * component_sets[]      = {"heads + neuron groups", "heads only", "neurons only"};
constexpr const char * component_set_tips[]  = {"every attention head, then every layer's MLP neurons in groups",
                                                "every attention head (layers \xC3\x97 heads players)",
                                                "every layer's MLP neurons in groups, no heads"};
constexpr const char * component_set_names[] = {"players:all", "players:heads", "players:neurons"};

// Component explanations: which parts of the model are players and how a dropped one is
// switched off; what the model allows comes from its manifest (component_facts).
void draw_component_settings(app_state & s, const model_entry * model) {
    const component_facts   none;
    const component_facts & facts = model ? model->components : none;
    if (!facts.unavailable.empty() || !model) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(150, 75, 0, 255));
        wrapped_text("Not available for this model: " + (model ? facts.unavailable : std::string("no model chosen")) +
                     ".");
        ImGui::PopStyleColor();
        return;
    }
    run_settings & r   = s.settings;
    int            set = static_cast<int>(r.players.set);
    if (ImGui::BeginCombo("players", component_sets[set])) {
        for (int i = 0; i < 3; ++i) {
            if (ImGui::Selectable(component_sets[i], set == i)) {
                r.players.set = static_cast<component_set>(i);
            }
            record_widget(s, component_set_names[i]);
            if (ImGui::IsItemHovered()) {
                ImGui::SetTooltip("%s", component_set_tips[i]);
            }
        }
        ImGui::EndCombo();
    }
    record_widget(s, "players-combo");
    ImGui::BeginDisabled(r.players.set == COMPONENT_SET_HEADS);
    const std::string group_label = std::to_string(r.players.group) + (r.players.group == 1 ? " neuron" : " neurons");
    if (ImGui::BeginCombo("group size", group_label.c_str())) {
        for (int g : component_group_sizes) {
            if (ImGui::Selectable((std::to_string(g) + "##group").c_str(), r.players.group == g)) {
                r.players.group = g;
            }
            record_widget(s, "group:" + std::to_string(g));
        }
        ImGui::EndCombo();
    }
    ImGui::EndDisabled();
    record_widget(s, "group-combo");
    help_marker("MLP neurons per player: 1 explains single neurons (many players, a larger budget); larger groups "
                "are coarser and cheaper. Groups are consecutive neurons of one layer.");

    ImGui::TextUnformatted("ablation");
    ImGui::SameLine();
    int mean = r.mean_ablation ? 1 : 0;
    ImGui::RadioButton("zero", &mean, 0);
    record_widget(s, "ablation-zero");
    ImGui::SameLine();
    const bool mean_ok = facts.mean_unavailable.empty();
    ImGui::BeginDisabled(!mean_ok);
    ImGui::RadioButton("mean", &mean, 1);
    ImGui::EndDisabled();
    record_widget(s, "ablation-mean");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("%s", mean_ok ? "a dropped part outputs its training-set mean instead of its output"
                                        : facts.mean_unavailable.c_str());
    }
    r.mean_ablation = mean_ok && mean == 1;
    if (!mean_ok) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped_text("mean: " + facts.mean_unavailable);
        ImGui::PopStyleColor();
    }

    const int heads  = r.players.set == COMPONENT_SET_MLP ? 0 : facts.layers * facts.heads;
    const int groups = component_player_count(facts, r.players) - heads;
    ImGui::TextDisabled("n = %d heads + %d %s = %d players", heads, groups,
                        r.players.group == 1 ? "neurons" : "neuron groups", heads + groups);
}

constexpr const char * masking_names[] = {"", "attention", "mask_token", "remove"};
// The model's own masking, as one literal (two adjacent literals here read as a missing comma).
constexpr const char * own_masking_tip =
    "what the model's manifest says (for a folder with no model.json: the mask token when the tokenizer has one, "
    "else removal)";
constexpr const char * masking_tips[] = {
    own_masking_tip, "attention off: a masked word's tokens stay in place with attention_mask 0",
    "mask token: each of a masked word's tokens is replaced by the tokenizer's [MASK] (or unk) token",
    "remove: a masked word's tokens are deleted and later words move up (the text a reader would see)"};

// How a masked word is hidden from the model (word runs). A model answers best to the masking
// closest to what it saw in training; docs/hf-tokenizers.md says how the default is chosen.
void draw_masking(app_state & s, const model_entry * model) {
    int current = 0;
    for (size_t i = 1; i < std::size(masking_names); ++i) {
        if (s.settings.masking == masking_names[i]) {
            current = static_cast<int>(i);
        }
    }
    const std::string  own     = model && !model->masking.empty() ? model->masking : std::string("manifest");
    const std::string  first   = "model's own (" + own + ")";
    const char * const items[] = {first.c_str(), "attention off", "mask token", "remove words"};
    if (combo_with_tips("masking", current, items, masking_tips)) {
        s.settings.masking = masking_names[current];
    }
    record_widget(s, "masking-combo");
}

// Words or components (shown in both modes).
void draw_explain_choice(app_state & s) {
    int kind = s.settings.components ? 1 : 0;
    ImGui::TextUnformatted("explain");
    ImGui::SameLine();
    ImGui::RadioButton("words##explain", &kind, 0);
    record_widget(s, "explain-words");
    ImGui::SameLine();
    ImGui::RadioButton("components", &kind, 1);
    record_widget(s, "explain-components");
    s.settings.set_components(kind == 1);
    help_marker("words: which words of the text the output depends on (words are masked). components: which of "
                "the model's attention heads and MLP neurons it depends on for this text (they are ablated; the "
                "text stays whole).");
}

// What the players are and how a dropped one is hidden: component settings, or features and masking.
void draw_explain_details(app_state & s, const model_entry * model) {
    if (s.settings.components) {
        draw_component_settings(s, model);
        return;
    }
    ImGui::TextUnformatted("features");
    ImGui::SameLine();
    ImGui::RadioButton("words", &s.settings.granularity, 0);
    record_widget(s, "granularity-words");
    ImGui::SameLine();
    ImGui::RadioButton("sentences", &s.settings.granularity, 1);
    record_widget(s, "granularity-sentences");
    draw_masking(s, model);
}

//-----------------------------------------------------------------------------
// [SECTION] Budget, method, seed and Run
//-----------------------------------------------------------------------------

// "" when the controls' run can start, else why not (shown next to the disabled Run).
std::string run_blocker(const app_state & s) {
    if (s.probe.phase == PROBE_SCORING || s.probe.phase == PROBE_CANCELLING) {
        return "a probe suite is being run";
    }
    if (std::all_of(s.text.begin(), s.text.end(), [](char c) { return is_space(static_cast<unsigned char>(c)); })) {
        return "paste a text first";
    }
    if (s.settings.components) {
        const model_entry * model = find_model(s, s.settings.model_key);
        if (!model || !model->components.unavailable.empty()) {
            return "components: not available for this model";
        }
        if (component_player_count(model->components, s.settings.players) == 0) {
            return "this model has none of these components";
        }
    }
    return "";
}

// The budget: model calls for the uniform methods (a log slider), b for SPEX and its baselines.
bool draw_budget_slider(app_state & s) {
    if (!page_method_uniform(s.settings.method)) {
        const bool changed = ImGui::SliderInt(s.view.analyst ? "budget" : "time budget", &s.settings.b, 3, 8,
                                              s.view.analyst ? "b = %d" : "size %d");
        s.settings.b       = std::clamp(s.settings.b, 3, 8);
        return changed;
    }
    int        calls   = int(s.settings.calls);
    const bool changed = ImGui::SliderInt(s.view.analyst ? "model calls" : "time budget", &calls, 250, 16000,
                                          s.view.analyst ? "%d" : "%d calls", ImGuiSliderFlags_Logarithmic);
    // Round to two significant digits so the number reads as chosen, not as a pixel position.
    const int step   = calls >= 10000 ? 1000 : calls >= 1000 ? 100 : 10;
    s.settings.calls = std::clamp((calls + step / 2) / step * step, 250, 16000);
    return changed;
}

void draw_budget(app_state & s) {
    if (draw_budget_slider(s)) {
        s.settings.budget     = 0;  // the slider takes over from a budget (or b) a script set
        s.settings.sized_by_b = false;
    }
    record_widget(s, "budget-slider");
    if (s.settings.sized_by_b && page_method_uniform(s.settings.method) && s.settings.budget == 0) {
        ImGui::TextDisabled("a script sized the run by b = %d", s.settings.b);
        ImGui::SameLine();
        if (ImGui::SmallButton("use slider")) {
            s.settings.sized_by_b = false;
        }
        record_widget(s, "budget-clear");
        return;
    }
    if (s.settings.budget > 0) {
        // window.spexlens.explain({budget}) sized the last run in queries; say so rather than
        // let the slider show a b the next Run would not use.
        ImGui::TextDisabled("a script set a budget of %s calls", format_count(s.settings.budget).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton(page_method_uniform(s.settings.method) ? "use slider" : "use b")) {
            s.settings.budget = 0;
        }
        record_widget(s, "budget-clear");
        return;
    }
    const run_estimate guess = estimate_run(s);
    if (guess.queries > 0 && !s.view.analyst) {
        ImGui::TextDisabled("\xE2\x89\x88 %s in this browser \xC2\xB7 %s%s model calls",
                            format_seconds(guess.seconds).c_str(), guess.exact ? "" : "\xE2\x89\x88 ",
                            format_count(guess.queries).c_str());
    } else if (guess.queries > 0) {
        ImGui::TextDisabled("%s%s queries, \xE2\x89\x88 %s", guess.exact ? "" : "\xE2\x89\x88 ",
                            format_count(guess.queries).c_str(), format_seconds(guess.seconds).c_str());
    } else {
        ImGui::TextDisabled("queries: paste a text first");
    }
    const std::string help =
        (page_method_uniform(s.settings.method)
             ? std::string("This many random masked texts (or ablations) are run through the model and the fit "
                           "learns from them; a first result appears after 500 and is refined as more come in. ")
             : std::string("SPEX queries 3\xC2\xB7(p+1)\xC2\xB7"
                           "2^b masked texts or ablations (p grows slowly with the number of players); baselines get "
                           "exactly the same number. ")) +
        "Plus " + std::to_string(s.settings.holdout) +
        " random masks held out to measure faithfulness, plus 2 (all kept, all masked). The time uses the speed "
        "measured in this browser's last run.";
    help_marker(help.c_str());
}

void draw_method(app_state & s) {
    if (combo_with_tips("method", s.settings.method, methods, method_tips)) {
        s.settings.budget = 0;  // the new method's own budget control takes over
    }
    record_widget(s, "method-combo");
    if (s.settings.method == PAGE_METHOD_SPEX) {
        combo_with_tips("decoder", s.settings.decoder, decoders, decoder_tips);
    }
}

void draw_seed(app_state & s, page_actions & actions) {
    const float button_w = ImGui::CalcTextSize("random").x + 2 * ImGui::GetStyle().FramePadding.x;
    ImGui::SetNextItemWidth(ImGui::CalcItemWidth() - button_w - ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::InputScalar("##seed", ImGuiDataType_U64, &s.settings.seed);
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    if (ImGui::Button("random")) {
        s.settings.seed = seed_from_clock(actions.now_seconds());
    }
    record_widget(s, "seed-random");
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::TextUnformatted("seed");
    help_marker("Every random choice of a run comes from this seed: the same text, settings and seed give the "
                "same result.");
}

// Run was pressed for a run measured to take over long_run_seconds: say how long and why, and
// let the user go on, or lower the budget / pick a smaller model.
void draw_long_run_question(app_state & s, page_actions & actions) {
    const run_estimate guess = estimate_run(s);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.78f, 0.3f, 1.0f));
    wrapped_text("This run will take about " + format_seconds(guess.seconds) + ": " + format_count(guess.queries) +
                 " model calls at " +
                 format_count(static_cast<int64_t>(guess.queries / std::max(guess.seconds, 1e-9))) +
                 " calls/s, measured with this model in this browser. A smaller budget is quicker (and less "
                 "faithful); the command line runs the same explanation natively.");
    ImGui::PopStyleColor();
    if (ImGui::Button("Run anyway")) {
        s.confirm_long_run = false;
        actions.start_run(s);
    }
    record_widget(s, "run-anyway");
    ImGui::SameLine();
    if (ImGui::Button("Not now")) {
        s.confirm_long_run = false;
    }
    record_widget(s, "run-not-now");
}

void draw_run(app_state & s, page_actions & actions) {
    const bool        running = s.phase != RUN_IDLE;
    const std::string blocker = run_blocker(s);
    ImGui::BeginDisabled(running || !blocker.empty());
    if (ImGui::Button("Run", ImVec2(ImGui::GetContentRegionAvail().x * 0.5f, 0)) && !running && blocker.empty()) {
        const run_estimate guess = estimate_run(s);
        if (guess.measured && guess.seconds > long_run_seconds) {
            s.confirm_long_run = true;  // ask first (below)
        } else {
            actions.start_run(s);
        }
    }
    ImGui::EndDisabled();
    record_widget(s, "run");
    if (s.confirm_long_run && !running) {
        draw_long_run_question(s, actions);
    }
    if (!running) {
        if (!blocker.empty()) {
            ImGui::SameLine();
            ImGui::TextDisabled("%s", blocker.c_str());
        }
        return;
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(s.phase == RUN_CANCELLING);
    // With an early result on screen, stopping keeps it (and it can be exported); before one,
    // cancelling keeps whatever was shown before the run.
    if (ImGui::Button(s.run_has_early_result ? "Stop (keep this)" : "Cancel", ImVec2(-FLT_MIN, 0))) {
        actions.cancel_run(s);
    }
    ImGui::EndDisabled();
    record_widget(s, "cancel");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", s.run_has_early_result
                                    ? "Stop the run and keep the result on screen, fitted on the calls made so far"
                                    : "Stop the run; the previous result (if any) stays on screen");
    }

    const progress_info & p = s.progress;
    std::string           overlay;
    float                 fraction = 0.0f;
    if (s.phase == RUN_LOADING_MODEL) {
        overlay = "loading the model\xE2\x80\xA6";
    } else {
        fraction = p.total > 0 ? static_cast<float>(static_cast<double>(p.done) / static_cast<double>(p.total)) : 0.0f;
        overlay  = format_count(static_cast<int64_t>(p.done)) + " / " + format_count(static_cast<int64_t>(p.total)) +
                  " queries";
        if (p.rate_per_s > 0) {
            overlay += " \xC2\xB7 " + format_count(static_cast<int64_t>(p.rate_per_s)) + "/s \xC2\xB7 ETA " +
                       format_seconds(p.eta_s);
        }
        if (s.phase == RUN_CANCELLING) {
            overlay = "cancelling\xE2\x80\xA6 " + overlay;
        }
    }
    ImGui::ProgressBar(fraction, ImVec2(-FLT_MIN, 0), overlay.c_str());
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Public: index controls, run estimate, the panel
//-----------------------------------------------------------------------------

void draw_index_controls(app_state & s) {
    if (ImGui::SliderInt("max order", &s.settings.max_order, 1, 4)) {
        s.settings.max_order = std::clamp(s.settings.max_order, 1, 4);
        if (s.result) {
            refresh_index(s);
        }
    }
    help_marker("The largest interaction order shown (2 = pairs). Changing it recomputes the index from the "
                "result on screen, without new model calls.");

    const auto & choices = index_choices();
    if (s.settings.index < 0 || static_cast<size_t>(s.settings.index) >= choices.size()) {
        s.settings.index = 0;
    }
    if (ImGui::BeginCombo("index", choices.empty() ? "" : choices[static_cast<size_t>(s.settings.index)].label)) {
        for (size_t i = 0; i < choices.size(); ++i) {
            if (ImGui::Selectable(choices[i].label, static_cast<size_t>(s.settings.index) == i) &&
                static_cast<size_t>(s.settings.index) != i) {
                s.settings.index = static_cast<int>(i);
                if (s.result) {
                    refresh_index(s);
                }
            }
            record_widget(s, std::string("index:") + spex::index_kind_name(choices[i].kind));
            if (ImGui::IsItemHovered()) {
                ImGui::SetTooltip("%s", choices[i].tooltip);
            }
        }
        ImGui::EndCombo();
    }
    record_widget(s, "index-combo");
}

run_estimate estimate_run(const app_state & s) {
    run_estimate        e;
    const model_entry * model  = find_model(s, s.settings.model_key);
    const text_counts & counts = counted(s.text);
    size_t              n      = s.settings.granularity == 0 ? counts.words : counts.sentences;
    if (model && model->max_length > 1) {
        n = std::min(n, static_cast<size_t>(model->max_length - 1));  // at least one token per word
    }
    if (s.settings.components) {
        // The players are the model's parts; the text only has to be there.
        n = counts.words == 0 || !model
                ? 0
                : static_cast<size_t>(component_player_count(model->components, s.settings.players));
    }
    const bool same_kind =
        s.result && s.result->is_components() == s.settings.components &&
        (s.settings.components ? s.result->n == static_cast<int>(n)
                               : (s.result->granularity == "sentence") == (s.settings.granularity == 1));
    const bool same_text = same_kind && !is_synthetic(*s.result) && s.result->text == s.text;
    const bool uniform   = page_method_uniform(s.settings.method);
    if (uniform && n > 0 && !s.settings.sized_by_b) {
        const int64_t calls = s.settings.budget > 0 ? s.settings.budget : s.settings.calls;
        e.queries           = size_t(calls) + static_cast<size_t>(s.settings.holdout) + reference_queries;
        e.exact             = true;
    } else if (same_text && s.result->b == s.settings.b && s.result->holdout == s.settings.holdout) {
        e.queries = model_calls(*s.result);
        e.exact   = true;
    } else if (n > 0) {
        try {
            const int t = s.settings.components ? components::default_component_t(s.settings.max_order) : default_t;
            const spex::design_choice d = spex::choose_design_for_b(static_cast<int>(n), s.settings.b, t);
            e.queries                   = d.queries + static_cast<size_t>(s.settings.holdout) + reference_queries;
        } catch (const std::exception &) {
            e.queries = 0;  // too many features for one run; the run itself will say so
        }
    }
    e.seconds = static_cast<double>(e.queries) / measured_rate(s, e.measured);
    return e;
}

void draw_controls_panel(app_state & s, page_actions & actions) {
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.62f);
    draw_model_picker(s, actions);
    ImGui::Spacing();
    const model_entry * model = find_model(s, s.settings.model_key);
    draw_text_box(s, model);
    ImGui::Separator();
    if (s.view.analyst) {
        draw_target(s, model);
        draw_explain_choice(s);
        draw_explain_details(s, model);
        draw_budget(s);
        draw_index_controls(s);
        draw_method(s);
        draw_seed(s, actions);
    } else {
        draw_explain_choice(s);
        draw_budget(s);
        const bool open = ImGui::CollapsingHeader("advanced settings");
        record_widget(s, "advanced-settings");
        if (open) {
            draw_target(s, model);
            draw_explain_details(s, model);
            draw_index_controls(s);
            draw_method(s);
            draw_seed(s, actions);
        }
    }
    ImGui::PopItemWidth();
    ImGui::Separator();
    draw_run(s, actions);
}

}  // namespace spexlens::app
