// workshop_path: the workshop path's spec as the catalog gives it, and each step judged on what
// the page holds — a real result (planted-and), a probe suite judged on hand-made scores whose
// shortcut test fails on known cases, attention facts and a layer probe report — with the
// claims' numbers checked against values computed here by hand.
#include "app/model/workshop_path.h"
#include "app_test_support.h"

#include <catch2/catch.hpp>

#include <cmath>

using nlohmann::json;
using namespace spexlens::app;

namespace {

const std::string the_text = "The food was not very good and the service was slow, never again.";

// tests/app/data/workshop_suite.json: a "ward" test that moves three notes to another ward (the
// second perturbed text is the planted-and result's text) and a negation test. Its scores
// (workshop_scores.json): "ward a" -> "ward b" moves +2.5 (fails), "ward c" -> the text +1.5
// (fails), "ward d" -> "ward e" +0.25 (passes): median change +1.5, largest +2.5.
const std::string suite_text  = app_test::read_file("tests/app/data/workshop_suite.json");
const std::string scores_text = app_test::read_file("tests/app/data/workshop_scores.json");

workshop_spec spec() {
    return read_workshop_spec(json{{"sample", 1},
                                   {"shortcut", "good"},
                                   {"shortcut_test", "the ward does not matter"},
                                   {"contrast_capability", "negation"}},
                              {"another note", "ward c then " + the_text});
}

// The page's state at the start of each test: the real result and its index table.
struct page {
    loaded_result  result = parse_result(app_test::text_result_json());
    index_table    table  = compute_index_table(result, spex::INDEX_FSII, 2);
    probe_plan     plan   = plan_probe_suite(suite_text, "models/m/probe-suite.json");
    probe_outcome  outcome;
    workshop_facts facts() {
        workshop_facts f;
        f.model_key    = "m";
        f.model_sha256 = result.model_sha256;
        f.suite_source = "models/m/probe-suite.json";
        return f;
    }
};

bool contains(const std::string & haystack, const std::string & needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the catalog's workshop object is read, and a malformed one is refused by name", "[workshop]") {
    const workshop_spec s = spec();
    CHECK(s.sample == 1);
    CHECK(s.sample_text == "ward c then " + the_text);
    CHECK(s.shortcut == "good");
    CHECK(s.contrast_capability == "negation");
    const std::vector<std::string> samples = {"a", "b"};
    const json                     good    = {{"sample", 0}, {"shortcut", "7B"}, {"shortcut_test", "t"}};
    CHECK(read_workshop_spec(good, samples).contrast_capability.empty());
    const auto refused = [&](json value, const std::string & words) {
        const std::string message = app_test::runtime_error_of([&] { read_workshop_spec(value, samples); });
        INFO(message);
        CHECK(contains(message, words));
    };
    refused(json::array(), "must be an object");
    json unknown       = good;
    unknown["shorcut"] = "x";
    refused(unknown, "unknown key \"shorcut\"");
    json out_of_range      = good;
    out_of_range["sample"] = 2;
    refused(out_of_range, "one of the model's 2 samples");
    json negative      = good;
    negative["sample"] = -1;
    refused(negative, "\"sample\"");
    json empty_word        = good;
    empty_word["shortcut"] = "";
    refused(empty_word, "\"shortcut\" must be a non-empty string");
    json no_test = good;
    no_test.erase("shortcut_test");
    refused(no_test, "\"shortcut_test\"");
}

TEST_CASE("with nothing done, only the steps that need nothing are open", "[workshop]") {
    page           p;
    workshop_facts f     = p.facts();
    auto           steps = workshop_steps(spec(), f);
    REQUIRE(steps.size() == WORKSHOP_STEP_COUNT);
    CHECK(steps[WORKSHOP_EXPLAIN_NOTE].enabled);
    CHECK_FALSE(steps[WORKSHOP_FIND_SHORTCUT].enabled);
    CHECK(steps[WORKSHOP_FIND_SHORTCUT].waiting == "Explain the note first (step 1).");
    CHECK(steps[WORKSHOP_RUN_SUITE].enabled);
    CHECK_FALSE(steps[WORKSHOP_SHORTCUT_FAILS].enabled);
    CHECK_FALSE(steps[WORKSHOP_EXPLAIN_FAILURE].enabled);
    CHECK(steps[WORKSHOP_ATTENTION].waiting == "This model declares no attention output.");
    CHECK_FALSE(steps[WORKSHOP_PROBE_LAYERS].enabled);
    for (const auto & v : steps) {
        CHECK_FALSE(v.done);
    }
    CHECK(workshop_next_step(steps) == WORKSHOP_EXPLAIN_NOTE);
    const auto state = workshop_state_json(steps);
    CHECK(state["next"] == 1);
    CHECK(state["steps"].size() == WORKSHOP_STEP_COUNT);

    f.busy = true;
    steps  = workshop_steps(spec(), f);
    CHECK_FALSE(steps[WORKSHOP_EXPLAIN_NOTE].enabled);
    CHECK(steps[WORKSHOP_EXPLAIN_NOTE].waiting == "Wait for the run in progress to finish.");
    CHECK(steps[WORKSHOP_RUN_SUITE].waiting == "Wait for the run in progress to finish.");
    // Shown, only the next step says to wait; other reasons to wait stay.
    quiet_busy_waiting(steps);
    CHECK(steps[WORKSHOP_EXPLAIN_NOTE].waiting == "Wait for the run in progress to finish.");
    CHECK(steps[WORKSHOP_RUN_SUITE].waiting.empty());
    CHECK_FALSE(steps[WORKSHOP_RUN_SUITE].enabled);
    CHECK(steps[WORKSHOP_ATTENTION].waiting == "This model declares no attention output.");
    size_t waits = 0;
    for (const auto & v : steps) {
        waits += v.waiting == "Wait for the run in progress to finish." ? 1 : 0;
    }
    CHECK(waits == 1);
}

TEST_CASE("explaining the note and finding the shortcut claim the measured R² and the word's rank", "[workshop]") {
    page          p;
    workshop_spec s  = spec();
    s.sample_text    = the_text;  // the path's note is the result's text
    workshop_facts f = p.facts();
    f.result         = &p.result;
    f.table          = &p.table;
    auto steps       = workshop_steps(s, f);
    REQUIRE(steps[WORKSHOP_EXPLAIN_NOTE].done);
    CHECK(contains(steps[WORKSHOP_EXPLAIN_NOTE].claim, "reproduces 100% of how the model's output varies"));
    CHECK(steps[WORKSHOP_FIND_SHORTCUT].enabled);
    CHECK_FALSE(steps[WORKSHOP_FIND_SHORTCUT].done);  // not pressed yet
    CHECK(workshop_next_step(steps) == WORKSHOP_FIND_SHORTCUT);

    f.pressed[WORKSHOP_FIND_SHORTCUT] = true;
    steps                             = workshop_steps(s, f);
    REQUIRE(steps[WORKSHOP_FIND_SHORTCUT].done);
    // "good" is feature 5; its rank by |Shapley| among the 13 words, counted here.
    const double good = p.table.shapley[5];
    size_t       rank = 1;
    for (size_t j = 0; j < p.table.shapley.size(); ++j) {
        rank += (j != 5 && std::fabs(p.table.shapley[j]) >= std::fabs(good)) ? 1 : 0;
    }
    REQUIRE(rank == 3);  // slow, never, then good (the planted-and model's values)
    CHECK(contains(steps[WORKSHOP_FIND_SHORTCUT].claim, "\xE2\x80\x9Cgood\xE2\x80\x9D is the 3rd of 13 words"));
    CHECK(contains(steps[WORKSHOP_FIND_SHORTCUT].claim, good > 0 ? "raising" : "lowering"));

    // A result of another model (other sha256) or another text does not count.
    f.model_sha256 = "0000";
    CHECK_FALSE(workshop_steps(s, f)[WORKSHOP_EXPLAIN_NOTE].done);
    f.model_sha256 = p.result.model_sha256;
    s.sample_text  = "another text";
    CHECK_FALSE(workshop_steps(s, f)[WORKSHOP_EXPLAIN_NOTE].done);
}

TEST_CASE("the suite's steps count the tests, read the shortcut test's changes and explain its failure", "[workshop]") {
    page p;
    p.outcome           = judge_probe_scores(p.plan, scores_text, "m", "2026-12-07T00:00:00Z");
    p.outcome.model_key = "m";
    workshop_facts f    = p.facts();
    f.plan              = &p.plan;
    f.outcome           = &p.outcome;
    auto steps          = workshop_steps(spec(), f);
    REQUIRE(steps[WORKSHOP_RUN_SUITE].done);
    CHECK(contains(steps[WORKSHOP_RUN_SUITE].claim, "1 of 2 tests pass on this model"));
    CHECK(contains(steps[WORKSHOP_RUN_SUITE].claim, "invariance: ward (1 of 1)"));
    CHECK(steps[WORKSHOP_SHORTCUT_FAILS].enabled);
    CHECK_FALSE(steps[WORKSHOP_EXPLAIN_FAILURE].enabled);

    f.pressed[WORKSHOP_SHORTCUT_FAILS] = true;
    steps                              = workshop_steps(spec(), f);
    REQUIRE(steps[WORKSHOP_SHORTCUT_FAILS].done);
    const std::string & claim = steps[WORKSHOP_SHORTCUT_FAILS].claim;
    INFO(claim);
    CHECK(contains(claim, "fails on 2 of 3 cases"));
    CHECK(contains(claim, "median of +1.50 (largest +2.50; the test allows at most 1)"));
    CHECK(contains(claim, "negation: 1 of 1 tests pass (0 of 1 cases fail"));
    CHECK(failing_cases_of(p.plan, p.outcome, "the ward does not matter") == std::vector<size_t>{1, 2});
    REQUIRE(steps[WORKSHOP_EXPLAIN_FAILURE].enabled);
    CHECK_FALSE(steps[WORKSHOP_EXPLAIN_FAILURE].done);

    // The result on screen is the second failing case's perturbed text.
    f.result = &p.result;
    f.table  = &p.table;
    steps    = workshop_steps(spec(), f);
    REQUIRE(steps[WORKSHOP_EXPLAIN_FAILURE].done);
    CHECK(contains(steps[WORKSHOP_EXPLAIN_FAILURE].claim,
                   "Case 2.2, explained: \xE2\x80\x9Cgood\xE2\x80\x9D is the 3rd"));

    // The suite of another model, or another suite file, does not count.
    p.outcome.model_key = "other";
    CHECK_FALSE(workshop_steps(spec(), f)[WORKSHOP_RUN_SUITE].done);
    p.outcome.model_key = "m";
    f.suite_source      = "models/m/another.json";
    CHECK_FALSE(workshop_steps(spec(), f)[WORKSHOP_RUN_SUITE].done);
}

TEST_CASE("a shortcut test that passes is claimed as passing, and a missing one is named", "[workshop]") {
    page p;
    // The same scores with every ward move small and the labels kept.
    const std::string calm = R"({"labels": ["ham", "spam"], "target": "spam:log-odds",
  "scores": [{"text": "not good", "score": -1.0, "logits": [1, 0]},
             {"text": "ward a", "score": -1.0, "logits": [1, 0]},
             {"text": "ward b", "score": -0.9, "logits": [0.9, 0]},
             {"text": "ward c", "score": -0.5, "logits": [0.5, 0]},
             {"text": ")" + the_text +
                             R"(", "score": -0.4, "logits": [0.4, 0]},
             {"text": "ward d", "score": -2.0, "logits": [2, 0]},
             {"text": "ward e", "score": -1.75, "logits": [1.75, 0]}]})";
    p.outcome                          = judge_probe_scores(p.plan, calm, "m", "2026-12-07T00:00:00Z");
    p.outcome.model_key                = "m";
    workshop_facts f                   = p.facts();
    f.plan                             = &p.plan;
    f.outcome                          = &p.outcome;
    f.pressed[WORKSHOP_SHORTCUT_FAILS] = true;
    auto steps                         = workshop_steps(spec(), f);
    INFO(steps[WORKSHOP_SHORTCUT_FAILS].claim);
    CHECK(contains(steps[WORKSHOP_SHORTCUT_FAILS].claim, "fails on none of 3 cases"));
    CHECK(contains(steps[WORKSHOP_SHORTCUT_FAILS].claim, "did not learn the shortcut"));
    CHECK(steps[WORKSHOP_EXPLAIN_FAILURE].waiting == "The shortcut's test has no failing case to explain.");

    workshop_spec other = spec();
    other.shortcut_test = "no such test";
    CHECK(contains(workshop_steps(other, f)[WORKSHOP_SHORTCUT_FAILS].claim, "has no test named"));
}

TEST_CASE("attention and the layers are claimed with their own sentences", "[workshop]") {
    page           p;
    workshop_facts f      = p.facts();
    f.result              = &p.result;
    f.table               = &p.table;
    f.model_attentions    = true;
    f.model_hidden_states = true;
    attention_view_facts a;
    a.correlation = "Rank correlation 0.40.";
    for (int player : {3, 5, 10}) {  // "good" (5) is the 2nd by attention
        attention_row row;
        row.player = player;
        a.rows.push_back(row);
    }
    f.attention = &a;
    layer_probe_facts layers;
    layers.question  = "Is it?";
    layers.statement = "Decodable is not used.";
    layer_probe_row row;
    row.name     = "layer 1";
    row.accuracy = 0.9;
    row.majority = 0.5;
    row.shuffled = 0.5;
    layers.layers.push_back(row);
    f.layers   = &layers;
    auto steps = workshop_steps(spec(), f);
    REQUIRE(steps[WORKSHOP_ATTENTION].done);
    const std::string & claim = steps[WORKSHOP_ATTENTION].claim;
    INFO(claim);
    CHECK(contains(claim, "Rank correlation 0.40."));
    CHECK(contains(claim, "is the 2nd of 3 words by attention received and the 3rd by use"));
    CHECK(contains(claim, attention_honest_sentence));
    REQUIRE(steps[WORKSHOP_PROBE_LAYERS].done);
    CHECK(contains(steps[WORKSHOP_PROBE_LAYERS].claim, "\"Is it?\""));
    CHECK(contains(steps[WORKSHOP_PROBE_LAYERS].claim, "linearly decodable"));
    CHECK(contains(steps[WORKSHOP_PROBE_LAYERS].claim, "Decodable is not used."));

    f.result = nullptr;
    steps    = workshop_steps(spec(), f);
    CHECK_FALSE(steps[WORKSHOP_ATTENTION].done);
    CHECK(steps[WORKSHOP_ATTENTION].waiting == "Explain a text first (step 1 or 5).");
}

TEST_CASE("the shipped catalog's workshop reads against its own model's samples and suite", "[workshop]") {
    const json catalog = json::parse(app_test::read_file("web/catalog.json"));
    size_t     paths   = 0;
    for (const json & m : catalog["models"]) {
        if (!m.contains("workshop")) {
            continue;
        }
        ++paths;
        std::vector<std::string> samples;
        for (const json & s : m["samples"]) {
            samples.push_back(s["text"]);
        }
        const workshop_spec s    = read_workshop_spec(m["workshop"], samples);
        const std::string   path = "models/" + m["key"].get<std::string>() + "/" + m["probe_suite"].get<std::string>();
        const probe_plan    plan = plan_probe_suite(app_test::read_file(path), path);
        bool                has  = false;
        for (const auto & t : plan.suite.tests) {
            has = has || t.name == s.shortcut_test;
        }
        CHECK(has);
        CHECK(contains(s.sample_text, " " + s.shortcut + " "));
    }
    CHECK(paths >= 1);
}

TEST_CASE("a step done once stays done with its claim when the page moves on", "[workshop]") {
    page          p;
    workshop_spec s  = spec();
    s.sample_text    = the_text;
    workshop_facts f = p.facts();
    f.result         = &p.result;
    f.table          = &p.table;
    workshop_kept kept;
    auto          steps = workshop_steps(s, f);
    remember_claims(steps, kept);
    REQUIRE(steps[WORKSHOP_EXPLAIN_NOTE].done);
    CHECK(kept[WORKSHOP_EXPLAIN_NOTE] == steps[WORKSHOP_EXPLAIN_NOTE].claim);
    CHECK(kept[WORKSHOP_FIND_SHORTCUT].empty());  // not done: nothing kept

    f.result = nullptr;  // another text explained: the note's result is gone
    f.table  = nullptr;
    steps    = workshop_steps(s, f);
    CHECK_FALSE(steps[WORKSHOP_EXPLAIN_NOTE].done);
    apply_kept_claims(steps, kept);
    CHECK(steps[WORKSHOP_EXPLAIN_NOTE].done);
    CHECK(steps[WORKSHOP_EXPLAIN_NOTE].claim == kept[WORKSHOP_EXPLAIN_NOTE]);
    CHECK_FALSE(steps[WORKSHOP_FIND_SHORTCUT].done);
    CHECK(workshop_next_step(steps) == WORKSHOP_FIND_SHORTCUT);
}
