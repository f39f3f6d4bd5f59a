// Component explanations end to end on a C++ fake model with planted joint component effects:
// the engine must recover exactly the planted terms, named by component, under zero and mean
// ablation, through the same explainer, options and result JSON as words.
#include "explain/explain_options.h"
#include "explain/text_explainer.h"
#include "fake_models.h"
#include "text/text_error.h"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using spexlens::ordered_json;
using spexlens::text_explainer;
using spexlens::text::text_error;
using namespace spexlens_test;

namespace {

const char * text = "free money , click here";

struct component_fixture {
    spexlens::text::model_manifest manifest = spexlens::text::parse_manifest(fake_component_manifest_json());
    spexlens::text::vocabulary     vocab    = fake_vocabulary({"free", "money", "click", "here"});
    component_model                model;

    component_fixture() {
        model.bias  = 0.5;
        model.terms = {{{head_slot(0, 0)}, 1.5},
                       {{head_slot(0, 1), head_slot(1, 1)}, 3.0},  // two heads that only matter together
                       {{head_slot(0, 0), neuron_slot(1, 4)}, -2.0},
                       {{head_slot(1, 0), neuron_slot(0, 0), neuron_slot(1, 7)}, 1.25},
                       {{neuron_slot(0, 5)}, -0.75}};
    }

    ordered_json explain(const std::string & options) {
        text_explainer x(text, manifest, vocab, spexlens::parse_explain_options(options));
        size_t         first = 0;
        for (auto * b = &x.next_batch(256, first); b->rows > 0; b = &x.next_batch(256, first)) {
            const std::vector<float> logits = model.run(*b);
            x.submit_logits(first, logits.data(), b->rows, 2);
        }
        return x.finish("test");
    }
};

// Möbius terms as {"L0.H1 L1.H1": coef}, dropping |coef| < 1e-6.
std::map<std::string, double> named_mobius(const ordered_json & r) {
    std::map<std::string, double> out;
    for (const auto & term : r["mobius"]) {
        std::string key;
        for (const auto & i : term["set"]) {
            key += (key.empty() ? "" : " ") + r["features"][i.get<size_t>()]["text"].get<std::string>();
        }
        if (std::abs(term["coef"].get<double>()) > 1e-6) {
            out[key] = term["coef"].get<double>();
        }
    }
    return out;
}

void check_same_terms(const std::map<std::string, double> & got, const std::map<std::string, double> & want) {
    CHECK(got.size() == want.size());
    for (const auto & [set, coef] : want) {
        INFO(set);
        REQUIRE(got.count(set) == 1);
        CHECK(got.at(set) == Approx(coef).margin(1e-6));
    }
}

// The exact Möbius transform of the explainer's value over all 2^n player masks, by asking
// the fake model (through what-if batches) at every mask.
std::map<std::string, double> brute_force_mobius(component_fixture & f, const std::string & options) {
    text_explainer      x(text, f.manifest, f.vocab, spexlens::parse_explain_options(options));
    const int           n = x.features();
    std::vector<double> value(size_t(1) << n);
    for (size_t m = 0; m < value.size(); ++m) {
        std::vector<bool> keep(static_cast<size_t>(n), false);
        for (int i = 0; i < n; ++i) {
            keep[size_t(i)] = (m >> i) & 1;
        }
        const std::vector<float> logits = f.model.run(x.batch_for_mask(keep));
        value[m]                        = x.target_of(logits.data(), 2);
    }
    for (int i = 0; i < n; ++i) {  // in-place Möbius transform over subsets
        for (size_t m = 0; m < value.size(); ++m) {
            if ((m >> i) & 1) {
                value[m] -= value[m ^ (size_t(1) << i)];
            }
        }
    }
    std::map<std::string, double> out;
    for (size_t m = 0; m < value.size(); ++m) {
        if (std::abs(value[m]) > 1e-6) {
            std::string key;
            for (int i = 0; i < n; ++i) {
                if ((m >> i) & 1) {
                    key += (key.empty() ? "" : " ") + x.components()->players()[size_t(i)].name;
                }
            }
            out[key] = value[m];
        }
    }
    return out;
}

}  // namespace

TEST_CASE("single neurons: SPEX recovers exactly the planted component interactions", "[explain][components]") {
    component_fixture  f;
    const ordered_json r = f.explain(R"({"players": "components:group=1", "b": 5, "seed": 2, "max_order": 3})");
    CHECK(r["n"] == 20);
    check_same_terms(named_mobius(r), {{"", 0.5},
                                       {"L0.H0", 1.5},
                                       {"L0.H1 L1.H1", 3.0},
                                       {"L0.H0 L1.mlp[4]", -2.0},
                                       {"L1.H0 L0.mlp[0] L1.mlp[7]", 1.25},
                                       {"L0.mlp[5]", -0.75}});
    CHECK(r["faithfulness"]["r2"].get<double>() > 0.999999);
    CHECK(r["full_value"].get<double>() == Approx(0.5 + 1.5 + 3.0 - 2.0 + 1.25 - 0.75));
    CHECK(r["baseline_value"].get<double>() == Approx(0.5));
}

TEST_CASE("groups of 4: planted neuron terms become terms of their groups", "[explain][components]") {
    component_fixture  f;
    const ordered_json r = f.explain(R"({"players": "components:group=4", "b": 4, "seed": 1, "max_order": 3})");
    REQUIRE(r["n"] == 8);
    check_same_terms(named_mobius(r), {{"", 0.5},
                                       {"L0.H0", 1.5},
                                       {"L0.H1 L1.H1", 3.0},
                                       {"L0.H0 L1.mlp[4:8]", -2.0},
                                       {"L1.H0 L0.mlp[0:4] L1.mlp[4:8]", 1.25},
                                       {"L0.mlp[4:8]", -0.75}});
}

TEST_CASE("mean ablation: the recovered terms are the exact transform of the mean-ablated model",
          "[explain][components]") {
    component_fixture f;
    const char *      options = R"({"players": "components:group=4", "ablation": "mean", "b": 4, "seed": 1,
                             "max_order": 3})";
    const auto        want    = brute_force_mobius(f, options);
    // Means move the effects: L0.H1's mean 0.25 makes "L0.H1 L1.H1" no longer the whole story.
    CHECK(want.count("L1.H1") == 1);
    check_same_terms(named_mobius(f.explain(options)), want);
}

TEST_CASE("a component result names its players, layout and ablation, in the same schema", "[explain][components]") {
    component_fixture  f;
    const ordered_json r = f.explain(R"({"players": "components:group=4", "b": 3, "seed": 7})");
    CHECK(r["schema"] == "spexlens.result");
    CHECK(r["players"] == "components");
    CHECK(r["granularity"] == "component");
    CHECK(r["text"] == text);
    CHECK(r["features"][1] == ordered_json::parse(R"({"text": "L0.H1", "kind": "head", "layer": 0, "head": 1})"));
    CHECK(r["features"][7] ==
          ordered_json::parse(R"({"text": "L1.mlp[4:8]", "kind": "mlp", "layer": 1, "first": 4, "count": 4})"));
    CHECK(r["components"] == ordered_json::parse(
                                 R"({"layers": 2, "heads": 2, "ff": 8, "group": 4, "set": "heads+mlp",
                                     "ablation": "zero"})"));
    CHECK(r["seed"] == 7);
    CHECK(r["interpretation"].get<std::string>().find("ablated (zeroed)") != std::string::npos);
    CHECK(r["interpretation"].get<std::string>().find("not a full account") != std::string::npos);

    // Words on the same model stay words.
    component_fixture  g;
    const ordered_json w = g.explain(R"({"b": 3})");
    CHECK(w["players"] == "text");
    CHECK(w["n"] == 5);
}

TEST_CASE("component what-if: a clicked set of components is ablated in one model input", "[explain][components]") {
    component_fixture f;
    text_explainer    x(text, f.manifest, f.vocab, spexlens::parse_explain_options(R"({"players": "heads", "b": 2})"));
    REQUIRE(x.features() == 4);
    std::vector<bool> keep = {true, false, true, true};  // ablate L0.H1
    const auto &      b    = x.batch_for_mask(keep);
    CHECK(b.rows == 1);
    CHECK(b.head_mask == std::vector<float>{1, 0, 1, 1});
    CHECK(b.mlp_mask.empty());                                         // heads only: the neurons are fed ones
    CHECK(b.attention_mask == std::vector<int32_t>(b.seq_length, 1));  // the text is whole
    const std::vector<float> logits = f.model.run(b);
    CHECK(x.target_of(logits.data(), 2) == Approx(0.5 + 1.5 - 2.0 + 1.25 - 0.75));
}

TEST_CASE("component options are checked", "[explain][components]") {
    component_fixture f;
    auto              error_of = [&](const std::string & options) {
        try {
            text_explainer x(text, f.manifest, f.vocab, spexlens::parse_explain_options(options));
        } catch (const text_error & e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(error_of(R"({"players": "layers"})"), Catch::Contains("explain options: players: expected text"));
    CHECK_THAT(error_of(R"({"ablation": "mean"})"), Catch::Contains("applies to component players only"));
    CHECK_THAT(error_of(R"({"players": "heads", "ablation": "resample"})"), Catch::Contains("use zero or mean"));
    CHECK_THAT(error_of(R"({"players": "components:group=64"})"), Catch::Contains("wider than a layer"));
    CHECK_THAT(error_of(R"({"players": "heads", "b": 3})"), Catch::Contains("no error"));
}

TEST_CASE("component runs default to t = 3, or the index order up to 5, and words keep t = 5",
          "[explain][components]") {
    using spexlens::parse_explain_options;
    CHECK(parse_explain_options(R"({"players": "components", "b": 6})").engine.t == 3);
    CHECK(parse_explain_options(R"({"players": "heads", "b": 6, "max_order": 4})").engine.t == 4);
    CHECK(parse_explain_options(R"({"players": "heads", "b": 6, "max_order": 9})").engine.t == 5);
    CHECK(parse_explain_options(R"({"players": "components", "b": 6, "t": 5})").engine.t == 5);
    CHECK(parse_explain_options(R"({"b": 6})").engine.t == 5);
    component_fixture  f;
    const ordered_json r = f.explain(R"({"method": "spex-soft", "players": "components:group=4", "b": 4})");
    CHECK(r["t"] == 3);
}
