// loaded_result: real results of both command-line tools read back field by field, malformed
// results rejected with the field named, and the surrogate evaluated as the result's own
// numbers (removal predictions, Möbius constant) say it should be.
#include "app/model/loaded_result.h"
#include "app_test_support.h"
#include "spex/mask_matrix.h"
#include "spex/prng.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <limits>

using spexlens::ordered_json;
using spexlens::app::loaded_result;
using spexlens::app::parse_result;
using namespace app_test;

namespace {

// s[start:end] in Python: the code points at offsets start..end-1 (counted by UTF-8 lead bytes).
std::string code_point_slice(const std::string & s, int start, int end) {
    std::string out;
    int         index = -1;
    for (char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++index;
        }
        if (index >= start && index < end) {
            out += c;
        }
    }
    return out;
}

std::vector<bool> keep_all_but(int n, const std::vector<int> & removed) {
    std::vector<bool> keep(size_t(n), true);
    for (int i : removed) {
        keep[size_t(i)] = false;
    }
    return keep;
}

std::vector<int> ints(const ordered_json & a) {
    std::vector<int> out;
    for (const auto & v : a) {
        out.push_back(v.get<int>());
    }
    return out;
}

}  // namespace

TEST_CASE("a text explainer result reads back with its features, model and faithfulness", "[loaded_result]") {
    const ordered_json  raw = text_result();
    const loaded_result r   = parse_result(text_result_json());

    CHECK(r.n == 13);
    CHECK(r.method == "spex");
    CHECK(r.decoder == "soft");
    CHECK(r.granularity == "word");
    CHECK(r.text == "The food was not very good and the service was slow, never again.");
    REQUIRE(r.features.size() == 13);
    CHECK(r.features[3].text == "not");
    CHECK(r.features[10].text == "slow,");
    for (const auto & f : r.features) {
        CHECK(code_point_slice(r.text, f.start, f.end) == f.text);
    }
    CHECK(r.features[1].start == 4);
    CHECK(r.features[1].end == 8);

    const ordered_json manifest = ordered_json::parse(read_file("models/planted-and/model.json"));
    CHECK(r.model_name == "planted-and");
    CHECK(r.model_sha256 == manifest["onnx_sha256"].get<std::string>());
    CHECK(r.labels == std::vector<std::string>{"other", "planted"});
    CHECK(r.target_class == "planted");
    CHECK(r.target_measure == "log-odds");
    CHECK_FALSE(r.truncated);

    CHECK(r.seed == 3);
    CHECK(r.b == 4);
    CHECK(r.t == raw["t"].get<int>());
    CHECK(r.budget == 0);  // sized by b: "budget" is null
    CHECK(r.queries == raw["queries"].get<int64_t>());
    CHECK(r.queries > 0);
    CHECK(r.holdout == 1000);
    CHECK(r.r2 == raw["faithfulness"]["r2"].get<double>());
    CHECK(r.full_value == raw["full_value"].get<double>());
    CHECK(r.baseline_value == raw["baseline_value"].get<double>());
    CHECK(r.full_value == -4.0);
    CHECK(r.total_ms == raw["timing_ms"]["total"].get<double>());
    CHECK(r.interpretation.find("not the model's mechanism") != std::string::npos);
    CHECK_FALSE(r.ground_truth.present);

    REQUIRE(r.surrogate.terms.size() == raw["fourier"].size());
    CHECK(r.surrogate.n == 13);
    for (size_t k = 0; k < r.surrogate.terms.size(); ++k) {
        CHECK(r.surrogate.terms[k].set == ints(raw["fourier"][k]["set"]));
        CHECK(r.surrogate.terms[k].coef == raw["fourier"][k]["coef"].get<double>());
    }
    CHECK(r.json == raw);
}

TEST_CASE("a spexlens solve result reads back as a synthetic result with its ground truth", "[loaded_result]") {
    const loaded_result r   = parse_result(solve_result_json());
    const ordered_json  raw = ordered_json::parse(solve_result_json());

    CHECK(r.n == 40);
    CHECK(r.granularity == "synthetic");
    CHECK(r.text.empty());
    REQUIRE(r.features.size() == 40);
    CHECK(r.features[0].text == "x0");
    CHECK(r.features[39].text == "x39");
    CHECK(r.features[5].start == -1);
    CHECK(r.model_name.empty());
    CHECK(std::isnan(r.full_value));
    CHECK(std::isnan(r.baseline_value));
    CHECK(r.seed == 5);
    CHECK(r.b == 6);
    CHECK(r.t == 3);

    REQUIRE(r.ground_truth.present);
    CHECK(r.ground_truth.planted.size() == raw["ground_truth"]["planted"].get<size_t>());
    CHECK(r.ground_truth.planted.size() == 15);  // the demo's Möbius terms expand into 15 Fourier terms
    CHECK(r.ground_truth.recovered == 15);
    CHECK(r.ground_truth.missed.empty());
    CHECK(r.ground_truth.spurious == raw["ground_truth"]["spurious"].get<int>());
    CHECK(r.ground_truth.r2_clean == raw["ground_truth"]["r2_clean"].get<double>());
}

TEST_CASE("malformed results are rejected with the field named", "[loaded_result]") {
    auto error_for = [](const ordered_json & j) { return runtime_error_of([&] { parse_result(j.dump()); }); };

    CHECK_THAT(runtime_error_of([] { parse_result("{\"schema\": "); }), Catch::Contains("malformed"));
    CHECK_THAT(error_for(ordered_json::array({1, 2})), Catch::Contains("must be an object"));

    ordered_json j = text_result();
    j.erase("fourier");
    CHECK_THAT(error_for(j), Catch::Contains("\"fourier\" is missing"));

    j      = text_result();
    j["n"] = "13";
    CHECK_THAT(error_for(j), Catch::Contains("\"n\" must be an integer"));

    j           = text_result();
    j["schema"] = "something.else";
    CHECK_THAT(error_for(j), Catch::Contains("\"schema\""));

    j                   = text_result();
    j["schema_version"] = 2;
    CHECK_THAT(error_for(j), Catch::Contains("\"schema_version\""));

    j                      = text_result();
    j["fourier"][2]["set"] = "3";
    CHECK_THAT(error_for(j), Catch::Contains("\"fourier[2].set\""));

    j                       = text_result();
    j["fourier"][1]["coef"] = nullptr;
    CHECK_THAT(error_for(j), Catch::Contains("\"fourier[1].coef\""));

    j                      = text_result();
    j["fourier"][0]["set"] = ordered_json::array({13});
    CHECK_THAT(error_for(j), Catch::Contains("\"fourier[0].set[0]\"") && Catch::Contains("0..12"));

    j                      = text_result();
    j["fourier"][0]["set"] = ordered_json::array({4, 2});
    CHECK_THAT(error_for(j), Catch::Contains("increasing"));

    j = text_result();
    j["features"].erase(0);
    CHECK_THAT(error_for(j), Catch::Contains("\"features\""));

    j                        = text_result();
    j["features"][4]["text"] = 7;
    CHECK_THAT(error_for(j), Catch::Contains("\"features[4].text\" must be a string"));

    j                       = text_result();
    j["faithfulness"]["r2"] = "high";
    CHECK_THAT(error_for(j), Catch::Contains("\"faithfulness.r2\""));

    j          = text_result();
    j["model"] = 3;
    CHECK_THAT(error_for(j), Catch::Contains("\"model\" must be an object"));

    j                           = ordered_json::parse(solve_result_json());
    j["ground_truth"]["missed"] = ordered_json::array({ordered_json::array({1, 1})});
    CHECK_THAT(error_for(j), Catch::Contains("\"ground_truth.missed[0]\""));
}

TEST_CASE("hostile results read back in bounded time: 1e999, deep nesting, 100,000 keys", "[loaded_result]") {
    CHECK_THAT(runtime_error_of([] { parse_result("{\"schema\": 1e999}"); }),
               Catch::Equals("result JSON is malformed: number overflow parsing '1e999'"));
    CHECK_THAT(runtime_error_of([] { parse_result(std::string(100000, '[') + std::string(100000, ']')); }),
               Catch::StartsWith("result JSON is malformed: nested more than 64 levels deep"));
    // ordered_json looks keys up linearly: 100,000 keys took 11 s to read before they were capped.
    std::string many = "{";
    for (int i = 0; i < 100000; ++i) {
        many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
    }
    many += "}";
    const auto t0      = std::chrono::steady_clock::now();
    const auto message = runtime_error_of([&] { parse_result(many); });
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 2.0);
    CHECK_THAT(message, Catch::Equals("result JSON is malformed: an object has more than 10000 keys"));
}

TEST_CASE("null numbers read as NaN", "[loaded_result]") {
    ordered_json j          = text_result();
    j["faithfulness"]["r2"] = nullptr;
    j["full_value"]         = nullptr;
    const loaded_result r   = parse_result(j.dump());
    CHECK(std::isnan(r.r2));
    CHECK(std::isnan(r.full_value));
    CHECK(r.baseline_value == -0.5);
}

TEST_CASE("the surrogate's value matches the result's own predictions", "[loaded_result]") {
    const ordered_json  raw = text_result();
    const loaded_result r   = parse_result(raw.dump());

    // f̂(all kept) is the removal search's full value, and each removal step's prediction is f̂
    // with those features masked.
    const double all = r.surrogate_value(std::vector<bool>(13, true));
    CHECK(all == Approx(raw["removal"]["full_value"].get<double>()).margin(1e-12));
    int steps = 0;
    for (const char * side : {"decrease", "increase"}) {
        for (const auto & step : raw["removal"][side]) {
            CHECK(r.surrogate_value(keep_all_but(13, ints(step["removed"]))) ==
                  Approx(step["predicted"].get<double>()).margin(1e-12));
            ++steps;
        }
    }
    CHECK(steps > 0);

    // f̂(none kept) = Σ F(k) = the Möbius constant; planted-and is exactly sparse, so both ends
    // also match the model's measured outputs.
    double mobius_constant = 0.0;
    for (const auto & t : raw["mobius"]) {
        if (t["set"].empty()) {
            mobius_constant = t["coef"].get<double>();
        }
    }
    const double none = r.surrogate_value(std::vector<bool>(13, false));
    CHECK(none == Approx(mobius_constant).margin(1e-12));
    CHECK(none == Approx(r.baseline_value).margin(1e-6));
    CHECK(all == Approx(r.full_value).margin(1e-6));

    // Against the engine's own evaluation on bit-packed masks.
    spex::prng rng(11);
    for (int trial = 0; trial < 50; ++trial) {
        std::vector<bool> keep(13);
        spex::mask_matrix mask(13, 1);
        for (int i = 0; i < 13; ++i) {
            keep[size_t(i)] = rng.bit();
            mask.set(0, i, keep[size_t(i)]);
        }
        CHECK(r.surrogate_value(keep) == Approx(r.surrogate.evaluate(mask.row(0))).margin(1e-12));
    }

    CHECK_THROWS_AS(r.surrogate_value(std::vector<bool>(12, true)), std::invalid_argument);
}

TEST_CASE("the held-out R\xC2\xB2 is read in plain words, with its limits", "[loaded_result]") {
    loaded_result r;
    r.granularity = "word";
    r.r2          = 0.9634;
    r.holdout     = 500;
    CHECK(spexlens::app::r2_reading(r) == "This summary reproduces 96% of how the model's output varies when words "
                                          "are masked (R\xC2\xB2 0.963 on 500 masks it was not fitted on).");
    r.players     = "components";
    r.granularity = "component";
    r.r2          = 0.42;
    CHECK(spexlens::app::r2_reading(r) ==
          "This summary reproduces 42% of how the model's output varies when heads and neurons are ablated "
          "(R\xC2\xB2 0.420 on 500 masks it was not fitted on). Most of the response is not captured: read it with "
          "care.");
    r.players     = "text";
    r.granularity = "sentence";
    r.r2          = -0.3;
    CHECK(spexlens::app::r2_reading(r).rfind("This summary predicts the model's output worse than its average does "
                                             "when sentences are masked",
                                             0) == 0);
    r.r2 = std::numeric_limits<double>::quiet_NaN();
    CHECK(spexlens::app::r2_reading(r).empty());
}

TEST_CASE("the decision is stated from the result's own value and target", "[loaded_result]") {
    loaded_result r;
    r.labels         = {"ham", "spam"};
    r.target_class   = "spam";
    r.target_measure = "log-odds";
    r.full_value     = 3.41;
    CHECK(spexlens::app::decision_sentence(r) ==
          "The model decides spam on this text: p(spam) = 0.97 (log-odds +3.41).");
    r.full_value = -2.0;
    CHECK(spexlens::app::decision_sentence(r) ==
          "The model decides ham on this text: p(spam) = 0.12 (log-odds -2.00).");
    r.labels = {"a", "b", "spam"};
    CHECK(spexlens::app::decision_sentence(r) ==
          "The model does not decide spam on this text: p(spam) = 0.12 (log-odds -2.00).");
    r.target_measure = "prob";
    r.full_value     = 0.75;
    CHECK(spexlens::app::decision_sentence(r) == "The model decides spam on this text: p(spam) = 0.75.");
    r.target_measure = "logit";
    CHECK(spexlens::app::decision_sentence(r).empty());
    r.target_measure = "log-odds";
    r.full_value     = std::numeric_limits<double>::quiet_NaN();
    CHECK(spexlens::app::decision_sentence(r).empty());
    // A real result of the text explainer: its own numbers.
    const loaded_result real = parse_result(read_file("tests/app/data/planted_and_result.json"));
    CHECK_THAT(spexlens::app::decision_sentence(real), Catch::StartsWith("The model "));
}
