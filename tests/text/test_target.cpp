// Targets: "CLASS[:MEASURE]" parsing and the measured value of one row of logits.
#include "text/model_manifest.h"
#include "text/text_error.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace spexlens::text;
using Catch::Matchers::Contains;

namespace {

model_manifest three_class_manifest() {
    nlohmann::json j     = text_test::valid_manifest_json();
    j["labels"]          = {"neg", "neutral", "pos:strong"};
    j["output"]["shape"] = {"batch", 3};
    j["target"]          = {{"class", "neutral"}, {"measure", "logit"}};
    return parse_manifest(j.dump());
}

}  // namespace

TEST_CASE("an empty target is the manifest's default", "[target]") {
    const target_spec t = parse_target(text_test::test_manifest(), "");
    CHECK(t.class_index == 1);
    CHECK(t.measure == MEASURE_LOG_ODDS);
}

TEST_CASE("a target names its class by label or index and may add a measure", "[target]") {
    const model_manifest m = text_test::test_manifest();
    CHECK(parse_target(m, "ham").class_index == 0);
    CHECK(parse_target(m, "ham").measure == MEASURE_LOG_ODDS);  // the default measure
    CHECK(parse_target(m, "spam:prob").measure == MEASURE_PROB);
    CHECK(parse_target(m, "0:logit").class_index == 0);
    CHECK(parse_target(m, "0:logit").measure == MEASURE_LOGIT);
    CHECK(parse_target(m, "1").class_index == 1);
    CHECK(parse_target(m, ":prob").class_index == 1);  // the default class
    CHECK(parse_target(m, ":prob").measure == MEASURE_PROB);
}

TEST_CASE("a label containing a colon still parses", "[target]") {
    const model_manifest m = three_class_manifest();
    CHECK(parse_target(m, "pos:strong").class_index == 2);
    CHECK(parse_target(m, "pos:strong").measure == MEASURE_LOGIT);
    CHECK(parse_target(m, "pos:strong:prob").class_index == 2);
    CHECK(parse_target(m, "pos:strong:prob").measure == MEASURE_PROB);
}

TEST_CASE("an unknown target class or measure is refused with the choices", "[target]") {
    const model_manifest m = text_test::test_manifest();
    CHECK_THROWS_WITH(parse_target(m, "eggs"),
                      Contains("unknown class \"eggs\"; the model's classes are ham (0), spam (1)"));
    CHECK_THROWS_WITH(parse_target(m, "2"), Contains("unknown class \"2\""));
    CHECK_THROWS_WITH(parse_target(m, "spam:odds"), Contains("unknown measure \"odds\"; use logit, log-odds or prob"));
}

TEST_CASE("two-class log-odds is exactly the logit difference", "[target]") {
    const float logits[2] = {0.25f, 2.0f};
    CHECK(target_value({1, MEASURE_LOG_ODDS}, logits, 2) == double(2.0f) - double(0.25f));
    CHECK(target_value({0, MEASURE_LOG_ODDS}, logits, 2) == double(0.25f) - double(2.0f));
    CHECK(target_value({1, MEASURE_LOGIT}, logits, 2) == 2.0);
    CHECK(target_value({1, MEASURE_PROB}, logits, 2) == Approx(1.0 / (1.0 + std::exp(-1.75))).epsilon(1e-15));
}

TEST_CASE("multi-class log-odds and probabilities", "[target]") {
    const float  logits[3] = {1.0f, -0.5f, 2.0f};
    const double sum_other = std::exp(1.0) + std::exp(-0.5);
    CHECK(target_value({2, MEASURE_LOG_ODDS}, logits, 3) == Approx(2.0 - std::log(sum_other)).epsilon(1e-14));
    const double z = std::exp(1.0) + std::exp(-0.5) + std::exp(2.0);
    CHECK(target_value({0, MEASURE_PROB}, logits, 3) == Approx(std::exp(1.0) / z).epsilon(1e-14));
    double total = 0;
    for (int c = 0; c < 3; ++c) {
        total += target_value({c, MEASURE_PROB}, logits, 3);
    }
    CHECK(total == Approx(1.0).epsilon(1e-14));
}

TEST_CASE("extreme logits neither overflow nor lose the answer", "[target]") {
    const float logits[3] = {1000.0f, -1000.0f, 999.0f};
    CHECK(target_value({0, MEASURE_LOG_ODDS}, logits, 3) == Approx(1.0).epsilon(1e-12));
    CHECK(target_value({1, MEASURE_LOG_ODDS}, logits, 3) == Approx(-2000.0 - std::log1p(std::exp(-1.0))));
    CHECK(target_value({0, MEASURE_PROB}, logits, 3) == Approx(1.0 / (1.0 + std::exp(-1.0))).epsilon(1e-12));
    CHECK(target_value({1, MEASURE_PROB}, logits, 3) == 0.0);
    const float inf[2] = {-std::numeric_limits<float>::infinity(), 3.0f};
    CHECK(target_value({1, MEASURE_PROB}, inf, 2) == 1.0);
    CHECK(target_value({0, MEASURE_PROB}, inf, 2) == 0.0);
}

TEST_CASE("one output is a logit with a sigmoid probability", "[target]") {
    const float logit[1] = {-2.0f};
    CHECK(target_value({0, MEASURE_LOGIT}, logit, 1) == -2.0);
    CHECK(target_value({0, MEASURE_LOG_ODDS}, logit, 1) == -2.0);
    CHECK(target_value({0, MEASURE_PROB}, logit, 1) == Approx(1.0 / (1.0 + std::exp(2.0))).epsilon(1e-15));
    const float big[1] = {-800.0f};
    CHECK(target_value({0, MEASURE_PROB}, big, 1) >= 0.0);
    CHECK(std::isfinite(target_value({0, MEASURE_PROB}, big, 1)));
}

TEST_CASE("NaN logits give NaN for every measure", "[target]") {
    const float logits[3] = {1.0f, std::numeric_limits<float>::quiet_NaN(), 0.0f};
    for (target_measure m : {MEASURE_LOGIT, MEASURE_LOG_ODDS, MEASURE_PROB}) {
        CHECK(std::isnan(target_value({0, m}, logits, 3)));
    }
    CHECK_THROWS_AS(target_value({3, MEASURE_LOGIT}, logits, 3), text_error);
}

TEST_CASE("measure names parse both ways", "[target]") {
    target_measure m = MEASURE_LOGIT;
    CHECK(parse_target_measure("log-odds", m));
    CHECK(m == MEASURE_LOG_ODDS);
    CHECK_FALSE(parse_target_measure("odds", m));
    CHECK(std::string(target_measure_name(MEASURE_PROB)) == "prob");
}
