// workshop_path: which steps of the workshop path are done and what each may claim
// (workshop_path.h).
//
// Index
//   [SECTION] Reading the spec
//   [SECTION] Helpers
//   [SECTION] One function per step
//   [SECTION] The path
#include "app/model/workshop_path.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace spexlens::app {

using json = nlohmann::json;

// [SECTION] Reading the spec

namespace {

std::string required_string(const json & value, const char * key) {
    if (!value.contains(key) || !value[key].is_string() || value[key].get<std::string>().empty()) {
        throw std::runtime_error(std::string("workshop: \"") + key + "\" must be a non-empty string");
    }
    return value[key].get<std::string>();
}

}  // namespace

workshop_spec read_workshop_spec(const json & value, const std::vector<std::string> & samples) {
    if (!value.is_object()) {
        throw std::runtime_error("workshop: must be an object {\"sample\", \"shortcut\", \"shortcut_test\"}");
    }
    for (const auto & item : value.items()) {
        const std::string & key = item.key();
        if (key != "sample" && key != "shortcut" && key != "shortcut_test" && key != "contrast_capability") {
            throw std::runtime_error("workshop: unknown key \"" + key.substr(0, 40) +
                                     "\" (known: sample, shortcut, shortcut_test, contrast_capability)");
        }
    }
    workshop_spec spec;
    if (!value.contains("sample") || !value["sample"].is_number_integer() || value["sample"].get<int64_t>() < 0 ||
        value["sample"].get<uint64_t>() >= samples.size()) {
        throw std::runtime_error("workshop: \"sample\" must be the index of one of the model's " +
                                 std::to_string(samples.size()) + " samples");
    }
    spec.sample        = static_cast<size_t>(value["sample"].get<uint64_t>());
    spec.sample_text   = samples[spec.sample];
    spec.shortcut      = required_string(value, "shortcut");
    spec.shortcut_test = required_string(value, "shortcut_test");
    if (value.contains("contrast_capability")) {
        spec.contrast_capability = required_string(value, "contrast_capability");
    }
    return spec;
}

// [SECTION] Helpers

int find_feature(const loaded_result & result, const std::string & word) {
    for (int i = 0; i < result.n; ++i) {
        if (feature_label(result, i) == word) {
            return i;
        }
    }
    return -1;
}

size_t magnitude_rank(const std::vector<double> & values, size_t i) {
    size_t rank = 1;
    for (size_t j = 0; j < values.size(); ++j) {
        rank += (j != i && std::fabs(values[j]) >= std::fabs(values[i])) ? 1 : 0;
    }
    return rank;
}

std::vector<size_t> failing_cases_of(const probe_plan & plan, const probe_outcome & outcome, const std::string & test) {
    for (size_t t = 0; t < plan.suite.tests.size() && t < outcome.run.tests.size(); ++t) {
        if (plan.suite.tests[t].name == test) {
            return outcome.run.tests[t].failures;
        }
    }
    return {};
}

namespace {

std::string signed_number(double v, const char * format = "%+.2f") {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

std::string quoted(const std::string & s) { return "\xE2\x80\x9C" + s + "\xE2\x80\x9D"; }

// "raising the elevated log-odds" / "lowering ...": the direction of a word's effect.
std::string direction_words(const loaded_result & r, double value) {
    std::string measured = r.target_class.empty() ? std::string("output") : r.target_class + " " + r.target_measure;
    return std::string(value >= 0 ? "raising" : "lowering") + " the " + measured;
}

// "“7B” is the 2nd of 55 words by the size of its effect (Shapley value +0.93, raising ...)".
std::string shortcut_rank_sentence(const workshop_spec & spec, const loaded_result & r, const index_table & table) {
    const int at = find_feature(r, spec.shortcut);
    if (at < 0 || static_cast<size_t>(at) >= table.shapley.size()) {
        return "No word of this result is " + quoted(spec.shortcut) + ".";
    }
    const double value = table.shapley[static_cast<size_t>(at)];
    return quoted(spec.shortcut) + " is the " + ordinal(magnitude_rank(table.shapley, static_cast<size_t>(at))) +
           " of " + std::to_string(r.n) + " words by the size of its effect (Shapley value " + signed_number(value) +
           ", " + direction_words(r, value) + ")";
}

bool result_is_of(const workshop_facts & f, const std::string & text) {
    const loaded_result * r = f.result;
    return r != nullptr && f.table != nullptr && r->players == "text" && r->text == text &&
           (f.model_sha256.empty() || r->model_sha256 == f.model_sha256);
}

bool suite_ran(const workshop_facts & f) {
    return f.plan != nullptr && f.outcome != nullptr && f.plan->source == f.suite_source &&
           f.outcome->model_key == f.model_key;
}

const char * const busy_words = "Wait for the run in progress to finish.";

workshop_step_view make_step(workshop_step step, const char * title, const char * button) {
    workshop_step_view v;
    v.step   = step;
    v.title  = title;
    v.button = button;
    return v;
}

// Sets v.enabled, or v.waiting to the first unmet condition's words.
void gate(workshop_step_view & v, std::initializer_list<std::pair<bool, const char *>> conditions) {
    for (const auto & [met, words] : conditions) {
        if (!met) {
            v.waiting = words;
            return;
        }
    }
    v.enabled = true;
}

// [SECTION] One function per step

workshop_step_view explain_note(const workshop_spec & spec, const workshop_facts & f) {
    workshop_step_view v = make_step(WORKSHOP_EXPLAIN_NOTE, "Explain a note", "Explain the sample note");
    gate(v, {{!f.busy, busy_words}});
    v.done = result_is_of(f, spec.sample_text);
    if (v.done) {
        const double r2 = f.result->r2;
        v.claim         = std::isfinite(r2) ? "Explained with " + std::to_string(f.result->queries) +
                                          " model calls. The summary reproduces " + signed_number(100 * r2, "%.0f") +
                                          "% of how the model's output varies when words are masked (R\xC2\xB2 " +
                                          signed_number(r2, "%.2f") + ")."
                                            : "Explained; its faithfulness (R\xC2\xB2) could not be measured.";
    }
    return v;
}

workshop_step_view find_shortcut(const workshop_spec & spec, const workshop_facts & f, bool note_done) {
    const std::string  button = "Where does " + quoted(spec.shortcut) + " rank?";
    workshop_step_view v      = make_step(WORKSHOP_FIND_SHORTCUT, "Find the planted shortcut", button.c_str());
    gate(v, {{note_done, "Explain the note first (step 1)."}});
    v.done = note_done && f.pressed[WORKSHOP_FIND_SHORTCUT];
    if (v.done) {
        v.claim = shortcut_rank_sentence(spec, *f.result, *f.table) +
                  ". That is how this model's output responds to masking the word; the model card's rules give "
                  "it no role.";
    }
    return v;
}

workshop_step_view run_suite(const workshop_facts & f) {
    workshop_step_view v = make_step(WORKSHOP_RUN_SUITE, "Run the behavioural probe suite", "Run the probe suite");
    gate(v, {{!f.busy, busy_words}});
    v.done = suite_ran(f);
    if (v.done) {
        const probe::probe_run & run   = f.outcome->run;
        size_t                   tests = run.tests.size(), failed = f.outcome->failed_tests();
        std::string              failing;
        for (const probe::capability_tally & c : probe::tally_capabilities(f.plan->suite, run)) {
            if (c.failed > 0) {
                failing += (failing.empty() ? "" : "; ") + c.name + " (" + std::to_string(c.failed) + " of " +
                           std::to_string(c.tests) + ")";
            }
        }
        v.claim = std::to_string(tests - failed) + " of " + std::to_string(tests) + " tests pass on this model." +
                  (failing.empty() ? "" : " Tests with a failing case, by capability: " + failing + ".") +
                  " A suite checks behaviour on inputs built around known failure modes; it does not say why.";
    }
    return v;
}

// "“test” fails on 18 of 18 cases: changing only what it changes moves the score by a median of
// +1.9 (largest +2.6; the test allows 1)."
std::string shortcut_test_sentence(const workshop_spec & spec, const workshop_facts & f) {
    const probe_plan &    plan    = *f.plan;
    const probe_outcome & outcome = *f.outcome;
    for (size_t t = 0; t < plan.suite.tests.size() && t < outcome.run.tests.size(); ++t) {
        if (plan.suite.tests[t].name != spec.shortcut_test) {
            continue;
        }
        const probe::test_result & tr = outcome.run.tests[t];
        std::vector<double>        changes;
        for (const probe::case_result & c : outcome.run.cases) {
            if (c.kase.test == t && c.scores.size() == 2) {
                changes.push_back(c.scores[1].score - c.scores[0].score);
            }
        }
        std::string s = quoted(spec.shortcut_test) + (tr.failed ? " fails on " : " fails on none of ") +
                        (tr.failed ? std::to_string(tr.failed) + " of " : std::string()) + std::to_string(tr.cases) +
                        " cases";
        if (!changes.empty()) {
            std::vector<double> sorted = changes;
            std::sort(sorted.begin(), sorted.end());
            const double median  = sorted[sorted.size() / 2];
            const double largest = *std::max_element(sorted.begin(), sorted.end(),
                                                     [](double a, double b) { return std::fabs(a) < std::fabs(b); });
            s += ": changing only what the test changes moves the score by a median of " + signed_number(median) +
                 " (largest " + signed_number(largest);
            const auto & expect = plan.suite.tests[t].expect;
            s += expect && expect->max_change
                     ? "; the test allows at most " + signed_number(*expect->max_change, "%g") + ")"
                     : ")";
        }
        return s + (tr.failed ? "." : ": by this test the model did not learn the shortcut.");
    }
    return "The suite has no test named " + quoted(spec.shortcut_test) + ".";
}

std::string contrast_sentence(const workshop_spec & spec, const workshop_facts & f) {
    if (spec.contrast_capability.empty()) {
        return "";
    }
    for (const probe::capability_tally & c : probe::tally_capabilities(f.plan->suite, f.outcome->run)) {
        if (c.name == spec.contrast_capability) {
            return " Beside it, " + c.name + ": " + std::to_string(c.tests - c.failed) + " of " +
                   std::to_string(c.tests) + " tests pass (" + std::to_string(c.failed_cases) + " of " +
                   std::to_string(c.cases) + " cases fail; the probe panel lists them and why).";
        }
    }
    return "";
}

workshop_step_view shortcut_fails(const workshop_spec & spec, const workshop_facts & f, bool suite_done) {
    workshop_step_view v =
        make_step(WORKSHOP_SHORTCUT_FAILS, "See the shortcut's invariance test", "Show the shortcut's test");
    gate(v, {{suite_done, "Run the probe suite first (step 3)."}});
    v.done = suite_done && f.pressed[WORKSHOP_SHORTCUT_FAILS];
    if (v.done) {
        v.claim = shortcut_test_sentence(spec, f) + contrast_sentence(spec, f);
    }
    return v;
}

workshop_step_view explain_failure(const workshop_spec & spec, const workshop_facts & f, bool seen) {
    workshop_step_view v = make_step(WORKSHOP_EXPLAIN_FAILURE, "Explain a failing case", "Explain a failing case");
    const std::vector<size_t> failing =
        seen ? failing_cases_of(*f.plan, *f.outcome, spec.shortcut_test) : std::vector<size_t>{};
    gate(v, {{seen, "See the shortcut's test first (step 4)."},
             {!failing.empty(), "The shortcut's test has no failing case to explain."},
             {!f.busy, busy_words}});
    for (size_t i : failing) {
        const probe::case_result & c = f.outcome->run.cases[i];
        if (!c.kase.texts.empty() && result_is_of(f, c.kase.texts.back())) {
            v.done  = true;
            v.claim = "Case " + c.kase.id + ", explained: " + shortcut_rank_sentence(spec, *f.result, *f.table) +
                      ". The same engine shows the output of this failing case responding to the shortcut.";
        }
    }
    return v;
}

workshop_step_view compare_attention(const workshop_spec & spec, const workshop_facts & f) {
    workshop_step_view v     = make_step(WORKSHOP_ATTENTION, "Compare attention with use", "Attention beside use");
    const bool         words = f.result != nullptr && f.table != nullptr && f.result->players == "text";
    gate(v, {{f.model_attentions, "This model declares no attention output."},
             {words, "Explain a text first (step 1 or 5)."},
             {!f.busy, busy_words}});
    v.done = words && f.attention != nullptr;
    if (v.done) {
        v.claim        = f.attention->correlation;
        const int  at  = find_feature(*f.result, spec.shortcut);
        const auto row = std::find_if(f.attention->rows.begin(), f.attention->rows.end(),
                                      [at](const attention_row & r) { return r.player == at; });
        if (at >= 0 && row != f.attention->rows.end() && static_cast<size_t>(at) < f.table->shapley.size()) {
            v.claim += " " + quoted(spec.shortcut) + " is the " +
                       ordinal(static_cast<size_t>(row - f.attention->rows.begin()) + 1) + " of " +
                       std::to_string(f.attention->rows.size()) + " words by attention received and the " +
                       ordinal(magnitude_rank(f.table->shapley, static_cast<size_t>(at))) + " by use.";
        }
        v.claim += std::string(" ") + attention_honest_sentence;
    }
    return v;
}

workshop_step_view probe_layers(const workshop_facts & f) {
    workshop_step_view v = make_step(WORKSHOP_PROBE_LAYERS, "Probe the layers", "Probe the layers");
    gate(v, {{f.model_hidden_states, "This model declares no hidden states or ships no layer probe set."},
             {!f.busy, busy_words}});
    v.done = f.layers != nullptr && !f.layers->layers.empty();
    if (v.done) {
        const std::vector<std::string> lines = layer_probe_reading(*f.layers);
        v.claim                              = lines.front() + " " + lines[1] + " " + lines.back();
    }
    return v;
}

}  // namespace

// [SECTION] The path

std::vector<workshop_step_view> workshop_steps(const workshop_spec & spec, const workshop_facts & facts) {
    std::vector<workshop_step_view> steps;
    steps.push_back(explain_note(spec, facts));
    steps.push_back(find_shortcut(spec, facts, steps[WORKSHOP_EXPLAIN_NOTE].done));
    steps.push_back(run_suite(facts));
    steps.push_back(shortcut_fails(spec, facts, steps[WORKSHOP_RUN_SUITE].done));
    steps.push_back(explain_failure(spec, facts, steps[WORKSHOP_SHORTCUT_FAILS].done));
    steps.push_back(compare_attention(spec, facts));
    steps.push_back(probe_layers(facts));
    return steps;
}

void remember_claims(const std::vector<workshop_step_view> & steps, workshop_kept & kept) {
    for (const workshop_step_view & v : steps) {
        if (v.done && !v.claim.empty()) {
            kept[v.step] = v.claim;
        }
    }
}

void apply_kept_claims(std::vector<workshop_step_view> & steps, const workshop_kept & kept) {
    for (workshop_step_view & v : steps) {
        if (!v.done && !kept[v.step].empty()) {
            v.done  = true;
            v.claim = kept[v.step];
        }
    }
}

workshop_step workshop_next_step(const std::vector<workshop_step_view> & steps) {
    for (const workshop_step_view & v : steps) {
        if (!v.done) {
            return v.step;
        }
    }
    return WORKSHOP_STEP_COUNT;
}

void quiet_busy_waiting(std::vector<workshop_step_view> & steps) {
    const workshop_step next = workshop_next_step(steps);
    for (workshop_step_view & v : steps) {
        if (v.step != next && v.waiting == busy_words) {
            v.waiting.clear();
        }
    }
}

nlohmann::ordered_json workshop_state_json(const std::vector<workshop_step_view> & steps) {
    nlohmann::ordered_json out;
    out["steps"] = nlohmann::ordered_json::array();
    for (const workshop_step_view & v : steps) {
        out["steps"].push_back({{"step", static_cast<int>(v.step) + 1},
                                {"title", v.title},
                                {"done", v.done},
                                {"enabled", v.enabled},
                                {"claim", v.claim},
                                {"waiting", v.waiting}});
    }
    const workshop_step next = workshop_next_step(steps);
    out["next"]              = next == WORKSHOP_STEP_COUNT ? 0 : static_cast<int>(next) + 1;
    return out;
}

}  // namespace spexlens::app
