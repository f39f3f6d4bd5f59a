// The explainer end to end on C++ fake models: masks -> model inputs -> logits -> result JSON.
#include "explain/explain_options.h"
#include "explain/text_explainer.h"
#include "fake_models.h"
#include "spex/spex_error.h"
#include "text/text_error.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>

using spexlens::ordered_json;
using spexlens::text_explainer;
using spexlens::text::text_error;
using namespace spexlens_test;

namespace {

const std::vector<std::string> demo_words = {"not", "good", "very", "slow", "service", "food", "never", "again"};
const char *                   demo_text  = "The food was not good and the service was very slow , never again";

struct fixture {
    spexlens::text::model_manifest manifest;
    spexlens::text::vocabulary     vocab;
    planted_model                  model;

    explicit fixture(const std::string & masking = "attention", int max_length = 128)
        : manifest(spexlens::text::parse_manifest(fake_manifest_json(masking, max_length))),
          vocab(fake_vocabulary(demo_words)) {
        auto id         = [&](const char * w) { return vocab.id_of(w, 1); };
        model.bias      = 0.5;
        model.main      = {{id("good"), 2.0}, {id("slow"), -1.0}, {id("food"), 0.25}};
        model.and_terms = {{{id("not"), id("good")}, -3.0},
                           {{id("very"), id("slow")}, -1.5},
                           {{id("never"), id("again")}, -2.0},
                           {{id("not"), id("very"), id("good")}, 1.25}};
    }

    // Runs every batch through the fake model; `poison` (if set) returns NaN for that query.
    // With `snapshots`, every early result that falls due is taken, as the page's loop does.
    ordered_json explain(const std::string & text, const std::string & options_json, size_t poison = SIZE_MAX,
                         std::vector<ordered_json> * snapshots = nullptr) {
        text_explainer x(text, manifest, vocab, spexlens::parse_explain_options(options_json));
        size_t         first = 0;
        for (;;) {
            const auto & batch = x.next_batch(300, first);
            if (batch.rows == 0) {
                break;
            }
            std::vector<float> logits = model.run(batch);
            if (poison >= first && poison < first + batch.rows) {
                logits[(poison - first) * 2 + 1] = std::numeric_limits<float>::quiet_NaN();
            }
            x.submit_logits(first, logits.data(), batch.rows, 2);
            if (snapshots && x.snapshot_due()) {
                snapshots->push_back(x.snapshot("test"));
            }
        }
        return x.finish("test");
    }
};

// Index of the feature whose text is `word` (features are words here).
int feature_of(const ordered_json & result, const std::string & word) {
    const auto & features = result["features"];
    for (size_t i = 0; i < features.size(); ++i) {
        std::string t = features[i]["text"].get<std::string>();
        if (t == word) {
            return int(i);
        }
    }
    FAIL("no feature " << word);
    return -1;
}

}  // namespace

TEST_CASE("the planted AND terms come back exactly through the text pipeline", "[explain]") {
    for (const char * masking : {"attention", "mask_token"}) {
        fixture      f(masking);
        ordered_json r    = f.explain(demo_text, R"({"b": 5, "seed": 3, "max_order": 3})");
        const int    not_ = feature_of(r, "not"), good = feature_of(r, "good"), very = feature_of(r, "very"),
                  slow = feature_of(r, "slow"), never = feature_of(r, "never"), again = feature_of(r, "again"),
                  food = feature_of(r, "food");
        CHECK(mobius_coef(r, {}) == Approx(0.5).margin(1e-6));
        CHECK(mobius_coef(r, {good}) == Approx(2.0).margin(1e-6));
        CHECK(mobius_coef(r, {slow}) == Approx(-1.0).margin(1e-6));
        CHECK(mobius_coef(r, {food}) == Approx(0.25).margin(1e-6));
        CHECK(mobius_coef(r, {not_, good}) == Approx(-3.0).margin(1e-6));
        CHECK(mobius_coef(r, {very, slow}) == Approx(-1.5).margin(1e-6));
        CHECK(mobius_coef(r, {never, again}) == Approx(-2.0).margin(1e-6));
        CHECK(mobius_coef(r, {not_, very, good}) == Approx(1.25).margin(1e-6));
        CHECK(mobius_coef(r, {feature_of(r, "the")}) == Approx(0.0).margin(1e-6));
        CHECK(r["faithfulness"]["r2"].get<double>() > 0.999999);
        // Reference values: everything kept, everything masked.
        CHECK(r["full_value"].get<double>() == Approx(0.5 + 2 - 1 + 0.25 - 3 - 1.5 - 2 + 1.25));
        CHECK(r["baseline_value"].get<double>() == Approx(0.5));
        CHECK(r["model"]["masking"] == masking);
    }
}

TEST_CASE("the result carries the text, features with offsets, model, target and window", "[explain]") {
    fixture           f;
    const std::string text = "Caf\xc3\xa9 was not good! Never again.";
    ordered_json      r    = f.explain(text, R"({"b": 4, "seed": 1, "features": "word"})");
    CHECK(r["schema"] == "spexlens.result");
    CHECK(r["text"] == text);
    CHECK(r["granularity"] == "word");
    REQUIRE(r["features"].size() == 6);
    CHECK(r["n"] == 6);
    CHECK(r["features"][0]["text"] == "Caf\xc3\xa9");
    CHECK(r["features"][0]["start"] == 0);
    CHECK(r["features"][0]["end"] == 4);       // code points
    CHECK(r["features"][0]["byte_end"] == 5);  // bytes
    CHECK(r["features"][3]["text"] == "good!");
    CHECK(r["model"]["name"] == "fake-planted");
    CHECK(r["target"]["class"] == "planted");
    CHECK(r["target"]["measure"] == "log-odds");
    CHECK(r["window"]["truncated"] == false);
    CHECK(r["seed"] == 1);
    CHECK(r["interpretation"].get<std::string>().find("not the model's mechanism") != std::string::npos);
}

TEST_CASE("sentence features group the words of each sentence", "[explain]") {
    fixture      f;
    ordered_json r = f.explain("The food was not good. The service was very slow. Never again.",
                               R"({"b": 3, "features": "sentence", "max_order": 3})");
    REQUIRE(r["features"].size() == 3);
    CHECK(r["features"][1]["text"] == "The service was very slow.");
    // Sentence 0 holds not+good: its effect is 2 - 3 + 0.25 (+ the 3-term needs "very", elsewhere).
    CHECK(mobius_coef(r, {0}) == Approx(2.0 - 3.0 + 0.25).margin(1e-6));
    CHECK(mobius_coef(r, {0, 1}) == Approx(1.25).margin(1e-6));
}

TEST_CASE("a text longer than the window is explained up to the window and says so", "[explain]") {
    fixture      f("attention", 8);  // [CLS] + 7 tokens
    ordered_json r = f.explain("not good at all , very slow and never again", R"({"b": 3})");
    CHECK(r["window"]["truncated"] == true);
    CHECK(r["window"]["tokens_used"].get<int>() <= 7);
    CHECK(r["n"].get<int>() == int(r["window"]["features_used"].get<int>()));
    CHECK(r["n"].get<int>() < 11);
    CHECK_FALSE(r["notes"].empty());
}

TEST_CASE("a NaN model output stops the explanation with a message naming the input", "[explain]") {
    fixture f;
    try {
        f.explain(demo_text, R"({"b": 4})", 17);
        FAIL("expected an error");
    } catch (const text_error & e) {
        CHECK(std::string(e.what()).find("not a finite number") != std::string::npos);
        CHECK(std::string(e.what()).find("#17") != std::string::npos);
    }
    CHECK_THROWS_AS(f.explain(demo_text, R"({"b": 4})", 0), text_error);
}

TEST_CASE("logits of the wrong width, repeats and early finish are refused", "[explain]") {
    fixture        f;
    text_explainer x(demo_text, f.manifest, f.vocab, spexlens::parse_explain_options(R"({"b": 4})"));
    size_t         first = 0;
    const auto &   batch = x.next_batch(10, first);
    REQUIRE(batch.rows == 10);
    std::vector<float> logits = f.model.run(batch);
    CHECK_THROWS_AS(x.submit_logits(first, logits.data(), 5, 4), text_error);
    x.submit_logits(first, logits.data(), 10, 2);
    CHECK_THROWS_AS(x.submit_logits(first, logits.data(), 1, 2), spex::spex_error);
    CHECK_THROWS_AS(x.submit_logits(50, logits.data(), 1, 2), spex::spex_error);
    CHECK_THROWS_AS(x.finish("test"), spex::spex_error);
    CHECK(x.queries_done() == 10);
}

TEST_CASE("bad texts and options give messages, not crashes", "[explain]") {
    fixture f;
    auto    make = [&](const std::string & text, const std::string & options) {
        text_explainer x(text, f.manifest, f.vocab, spexlens::parse_explain_options(options));
    };
    CHECK_THROWS_AS(make("", "{}"), text_error);
    CHECK_THROWS_AS(make(" \n\t ", "{}"), text_error);
    std::string huge;
    for (int i = 0; i < 100000; ++i) {
        huge += "word ";
    }
    CHECK_THROWS_AS(make(huge, "{}"), text_error);
    CHECK_THROWS_AS(make(demo_text, R"({"target": "nonsense"})"), text_error);
    CHECK_THROWS_AS(spexlens::parse_explain_options(R"({"budgte": 100})"), text_error);
    CHECK_THROWS_AS(spexlens::parse_explain_options(R"({"budget": 100, "b": 4})"), text_error);
    CHECK_THROWS_AS(spexlens::parse_explain_options(R"({"method": "shap"})"), text_error);
    CHECK_THROWS_AS(spexlens::parse_explain_options(R"({"seed": -1})"), text_error);
    CHECK_THROWS_AS(spexlens::parse_explain_options("not json"), text_error);
    CHECK_THROWS_AS(make(demo_text, R"({"budget": 10})"), spex::spex_error);
}

TEST_CASE("the same seed gives the same result, another seed other masks", "[explain]") {
    fixture      f;
    ordered_json a = f.explain(demo_text, R"({"b": 4, "seed": 7, "method": "lime"})");
    ordered_json b = f.explain(demo_text, R"({"b": 4, "seed": 7, "method": "lime"})");
    ordered_json c = f.explain(demo_text, R"({"b": 4, "seed": 8, "method": "lime"})");
    a.erase("timing_ms");
    b.erase("timing_ms");
    c.erase("timing_ms");
    CHECK(a.dump() == b.dump());
    CHECK(a.dump() != c.dump());
}

TEST_CASE("early results carry what the page reads and leave the final result unchanged", "[explain][snapshot]") {
    // Batches of 300: early results at 98 design calls (ridge-1 only: ridge-2's 1 + n + n(n-1)/2
    // terms need twice as many calls) and at 398 (both), then the final fit on 1,200.
    fixture                   f;
    const std::string         on  = R"({"method": "auto", "budget": 1200, "holdout": 200, "seed": 3,
                                       "early_results": true, "first_result": 50})";
    const std::string         off = R"({"method": "auto", "budget": 1200, "holdout": 200, "seed": 3})";
    std::vector<ordered_json> early;
    ordered_json              with    = f.explain(demo_text, on, SIZE_MAX, &early);
    ordered_json              without = f.explain(demo_text, off);
    REQUIRE(early.size() == 2);
    for (const ordered_json & e : early) {
        // src/app/model/loaded_result.cpp reads these (the rest of the schema is there too).
        CHECK(e["schema"] == "spexlens.result");
        CHECK(e["partial"] == true);
        CHECK(e["n"] == with["n"]);
        CHECK(e["method"] == "auto");
        CHECK(e["queries"].get<int64_t>() < with["queries"].get<int64_t>());
        CHECK(e["features"] == with["features"]);
        CHECK(e["text"] == with["text"]);
        CHECK(e["full_value"] == with["full_value"]);
        CHECK(e["baseline_value"] == with["baseline_value"]);
        CHECK(e["model"] == with["model"]);
        CHECK(e["target"] == with["target"]);
        CHECK(e["faithfulness"]["holdout"] == 200);
        CHECK(e["fourier"].is_array());
        CHECK_FALSE(e["fourier"].empty());
        CHECK(e["selection"]["candidates"].is_array());
        CHECK(e["mobius"].is_array());
        CHECK(e["index"]["values"].is_array());
        CHECK(e["shapley"].size() == e["n"].get<size_t>());
        bool noted = false;
        for (const auto & note : e["notes"]) {
            noted |= note.get<std::string>().rfind("early result: fitted on the first ", 0) == 0;
        }
        CHECK(noted);
    }
    CHECK(early[0]["queries"] == 98);
    CHECK(early[0]["selection"]["candidates"].size() == 1);
    CHECK(early[1]["queries"] == 398);
    CHECK(early[1]["selection"]["candidates"].size() == 2);
    CHECK(with["partial"] == false);
    with.erase("timing_ms");
    without.erase("timing_ms");
    CHECK(with.dump() == without.dump());
}

TEST_CASE("explain options: text defaults and the noise and design switches", "[explain]") {
    const spexlens::text_explain_options d = spexlens::parse_explain_options("{}");
    CHECK(d.engine.noise == spex::NOISE_REFERENCE);  // a model is deterministic
    CHECK_FALSE(d.engine.bins_first);
    CHECK(d.engine.t == 5);
    CHECK(d.engine.t_floor == 2);
    const auto o = spexlens::parse_explain_options(R"({"noise": 0.25, "design": "bins-first", "max_order": 3})");
    CHECK(o.engine.noise == spex::NOISE_KNOWN);
    CHECK(o.engine.noise_sd == 0.25);
    CHECK(o.engine.bins_first);
    CHECK(o.engine.t_floor == 3);  // a budget never buys a t below the order the user reads
    CHECK(spexlens::parse_explain_options(R"({"noise": "auto"})").engine.noise == spex::NOISE_AUTO);
    CHECK_THROWS_AS(spexlens::parse_explain_options(R"({"noise": -1})"), text_error);
    CHECK_THROWS_AS(spexlens::parse_explain_options(R"({"noise": "loud"})"), text_error);
    CHECK_THROWS_AS(spexlens::parse_explain_options(R"({"design": "random"})"), text_error);
    // Bins first through the whole explainer: the budget buys b = 7 at t = 2 for 60 words.
    fixture     f;
    std::string text;
    for (int i = 0; i < 60; ++i) {
        text += demo_words[size_t(i) % demo_words.size()] + " ";
    }
    const ordered_json r =
        f.explain(text, R"({"method": "spex-soft", "budget": 6912, "design": "bins-first", "holdout": 10})");
    CHECK(r["b"] == 7);
    CHECK(r["t"] == 2);
    CHECK(r["queries"].get<int>() <= 6912);
}

TEST_CASE("what-if: the model input of a user's mask and its target value", "[explain]") {
    fixture        f;
    text_explainer x(demo_text, f.manifest, f.vocab, spexlens::parse_explain_options(R"({"b": 3})"));
    const int      n        = x.features();
    auto           value_at = [&](const std::vector<bool> & keep) {
        const std::vector<float> logits = f.model.run(x.batch_for_mask(keep));
        REQUIRE(logits.size() == 2);
        return x.target_of(logits.data(), 2);
    };
    std::vector<bool> keep(size_t(n), true);
    const double      all_kept = value_at(keep);
    // bias + good + slow + food + every AND term present.
    CHECK(all_kept == Approx(0.5 + 2.0 - 1.0 + 0.25 - 3.0 - 1.5 - 2.0 + 1.25));

    // Mask "not": the not-good and not-very-good terms vanish.
    const auto & p = x.prepared();
    for (size_t i = 0; i < p.features.size(); ++i) {
        if (p.features[i].text == "not") {
            keep[i] = false;
        }
    }
    CHECK(value_at(keep) == Approx(all_kept + 3.0 - 1.25));

    CHECK_THROWS_AS(x.batch_for_mask(std::vector<bool>(size_t(n) + 1, true)), text_error);
    const float three[3] = {0, 0, 0};
    CHECK_THROWS_AS(x.target_of(three, 3), text_error);
}

TEST_CASE("explain options: hostile JSON gets a one-line message, never a library exception or a crash",
          "[explain][options]") {
    const auto message_of = [](const std::string & json_text) {
        try {
            spexlens::parse_explain_options(json_text);
        } catch (const std::exception & e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const auto nested = [](size_t depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); };
    // 1e999 escaped as nlohmann's out_of_range.406; 100,000 levels overflowed the stack when the
    // bad value was printed in the message.
    CHECK_THAT(message_of("{\"seed\": 1e999}"), Catch::StartsWith("explain options: not valid JSON: number overflow"));
    CHECK_THAT(message_of("{\"b\": " + nested(100000) + "}"),
               Catch::StartsWith("explain options: not valid JSON: nested more than 64 levels deep"));
    const std::string shown = message_of("{\"b\": " + nested(10) + "}");
    CHECK_THAT(shown, Catch::Contains("[[[[...]]]]"));
    CHECK(shown.size() < 200);
}

TEST_CASE("run defaults: the command line's and the page's come from run_defaults.h", "[explain]") {
    // Left out, every key takes the command line's default.
    const spexlens::text_explain_options cli = spexlens::parse_explain_options("{}");
    CHECK(cli.engine.budget == spexlens::cli_run_defaults.calls);
    CHECK(cli.engine.holdout == spexlens::cli_run_defaults.holdout);
    CHECK(cli.explanations.index_order == spexlens::cli_run_defaults.max_order);
    CHECK(cli.explanations.index == spex::INDEX_FSII);
    CHECK(cli.early_results == spexlens::cli_run_defaults.early_results);
    CHECK(spexlens::parse_explain_options(R"({"method": "spex-soft"})").engine.b == spexlens::cli_run_defaults.spex_b);
    // The page's default run, as its worker and the benchmarks read it from the core.
    const spexlens::text_explain_options page = spexlens::parse_explain_options(spexlens::page_default_options_json());
    CHECK(page.engine.budget == spexlens::page_run_defaults.calls);
    CHECK(page.engine.holdout == spexlens::page_run_defaults.holdout);
    CHECK(page.early_results);
    CHECK(page.engine.method == spex::METHOD_AUTO);
    // The command line's help states the same numbers (scripts/explain/cli_args.mjs).
    std::ifstream     in(std::string(SPEXLENS_SOURCE_DIR) + "/scripts/explain/cli_args.mjs");
    const std::string usage((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(!usage.empty());
    CHECK(usage.find("faithfulness R^2 (default " + std::to_string(spexlens::cli_run_defaults.holdout) + ")") !=
          std::string::npos);
    CHECK(usage.find(std::to_string(spexlens::cli_run_defaults.calls) + " for auto, proxyspex and ridge, b=" +
                     std::to_string(spexlens::cli_run_defaults.spex_b)) != std::string::npos);
    CHECK(usage.find("--seed S               seed for every random choice (default " +
                     std::to_string(spexlens::cli_run_defaults.seed) + ")") != std::string::npos);
}
