// Layer probe sets (src/layer_probe): the format refuses malformed files with messages; a
// target's vector is the mean of its word's tokens' hidden states, found with the real
// spexlens-words-v1 tokenizer of models/planted-and ([CLS] first, "good," is two tokens); shapes
// and values that do not fit are refused; the report has the documented fields.
#include "layer_probe/layer_probe_run.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace spexlens::layer_probe;
using nlohmann::json;

namespace {

std::string read_file(const std::string & path) {
    std::ifstream in(std::string(SPEXLENS_SOURCE_DIR) + "/" + path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct planted_and {
    spexlens::text::model_manifest manifest =
        spexlens::text::parse_manifest(read_file("models/planted-and/model.json"));
    spexlens::text::model_tokenizer tokenizer =
        spexlens::text::model_tokenizer::from_file(manifest, read_file("models/planted-and/vocab.txt"));
};

json base_set() {
    return json{{"format", probe_set_format},
                {"name", "test"},
                {"question", "is the word positive?"},
                {"labels", {"no", "yes"}},
                {"texts",
                 {{{"id", "a"},
                   {"text", "food is good, service slow."},
                   {"targets",
                    {{{"start", 8}, {"end", 12}, {"label", "yes"}, {"word", "good"}},
                     {{"start", 22}, {"end", 26}, {"label", "no"}}}}}}}};
}

std::string parse_error(const json & doc) {
    try {
        parse_probe_set(doc.dump());
    } catch (const layer_probe_error & e) {
        return e.what();
    }
    return "no error";
}

// hidden_states[l][0][pos][j] = 100 l + pos + 0.5 j for one text of `seq` positions.
std::vector<float> synthetic_states(size_t layers, size_t seq, size_t dim) {
    std::vector<float> out;
    for (size_t l = 0; l < layers; ++l)
        for (size_t p = 0; p < seq; ++p)
            for (size_t j = 0; j < dim; ++j)
                out.push_back(float(100.0 * double(l) + double(p) + 0.5 * double(j)));
    return out;
}

}  // namespace

TEST_CASE("probing: the probe set format is read and malformed sets are refused with messages") {
    const probe_set set = parse_probe_set(base_set().dump());
    CHECK(set.name == "test");
    CHECK(set.targets == 2);
    REQUIRE(set.texts.size() == 1);
    CHECK(set.texts[0].targets[0].label == 1);
    CHECK(target_type(set.texts[0], set.texts[0].targets[1]) == "slow");

    json doc      = base_set();
    doc["format"] = "v0";
    CHECK_THAT(parse_error(doc), Catch::Contains("format: must be \"spexlens-layer-probe-set/1\""));
    doc          = base_set();
    doc["extra"] = 1;
    CHECK_THAT(parse_error(doc), Catch::Contains("unknown key \"extra\""));
    doc = base_set();
    doc.erase("question");
    CHECK_THAT(parse_error(doc), Catch::Contains("\"question\" is missing"));
    doc           = base_set();
    doc["labels"] = {"no"};
    CHECK_THAT(parse_error(doc), Catch::Contains("must list 2 to 16 labels"));
    doc           = base_set();
    doc["labels"] = {"no", "no"};
    CHECK_THAT(parse_error(doc), Catch::Contains("\"no\" is listed twice"));
    doc                                    = base_set();
    doc["texts"][0]["targets"][0]["label"] = "maybe";
    CHECK_THAT(parse_error(doc), Catch::Contains("texts[0] (a).targets[0]: label \"maybe\" is not one of"));
    doc                                  = base_set();
    doc["texts"][0]["targets"][1]["end"] = 99;
    CHECK_THAT(parse_error(doc), Catch::Contains("inside the text's 27 code points"));
    doc                                    = base_set();
    doc["texts"][0]["targets"][1]["start"] = -1;
    CHECK_THAT(parse_error(doc), Catch::Contains("non-negative integer"));
    doc                                   = base_set();
    doc["texts"][0]["targets"][0]["word"] = "food";
    CHECK_THAT(parse_error(doc), Catch::Contains("\"word\" is \"food\" but the span [8, 12) of the text is \"good\""));
    doc                        = base_set();
    doc["texts"][0]["targets"] = json::array();
    CHECK_THAT(parse_error(doc), Catch::Contains("non-empty array"));
    CHECK_THAT(parse_error(json::array()), Catch::Contains("one JSON object"));
    try {
        parse_probe_set("{\"format\": ");
        FAIL("no error");
    } catch (const layer_probe_error & e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("not valid JSON"));
    }
}

TEST_CASE("probing: a target's vector is the mean of its word's tokens' hidden states") {
    planted_and     m;
    layer_probe_run run(parse_probe_set(base_set().dump()), m.manifest, m.tokenizer);
    REQUIRE(run.texts() == 1);
    // [CLS] food is good , service slow . -> 8 positions.
    const auto & input = run.input(0);
    REQUIRE(input.rows == 1);
    REQUIRE(input.seq_length == 8);
    CHECK(input.input_ids[0] == 2);  // [CLS]
    const std::vector<float> states = synthetic_states(3, 8, 4);
    CHECK_FALSE(run.complete());
    run.submit_hidden_states(0, states.data(), {3, 1, 8, 4});
    CHECK(run.complete());
    const auto p = run.problem();
    REQUIRE(p.layers.size() == 3);
    REQUIRE(p.labels == std::vector<int>{1, 0});
    for (size_t l = 0; l < 3; ++l) {
        for (Eigen::Index j = 0; j < 4; ++j) {
            // "good," holds positions 3 and 4; "slow." positions 6 and 7.
            CHECK(p.layers[l](0, j) == Approx(100.0 * double(l) + 3.5 + 0.5 * double(j)));
            CHECK(p.layers[l](1, j) == Approx(100.0 * double(l) + 6.5 + 0.5 * double(j)));
        }
    }
    CHECK(p.types[0] != p.types[1]);
}

TEST_CASE("probing: spans across words, bad shapes and non-finite states are refused") {
    planted_and m;
    json        doc                      = base_set();
    doc["texts"][0]["targets"][0]["end"] = 20;  // "good, service"
    doc["texts"][0]["targets"][0].erase("word");
    CHECK_THROWS_WITH(layer_probe_run(parse_probe_set(doc.dump()), m.manifest, m.tokenizer),
                      Catch::Contains("is not inside one word"));
    doc                        = base_set();
    doc["texts"][0]["text"]    = "food is  good";
    doc["texts"][0]["targets"] = {{{"start", 7}, {"end", 8}, {"label", "no"}}};
    CHECK_THROWS_WITH(layer_probe_run(parse_probe_set(doc.dump()), m.manifest, m.tokenizer),
                      Catch::Contains("is in no word the model reads"));

    layer_probe_run    run(parse_probe_set(base_set().dump()), m.manifest, m.tokenizer);
    std::vector<float> states = synthetic_states(2, 8, 4);
    CHECK_THROWS_WITH(run.submit_hidden_states(0, states.data(), {2, 1, 7, 4}),
                      Catch::Contains("expected the shape [layers, 1, 8, dimension]"));
    CHECK_THROWS_WITH(run.submit_hidden_states(1, states.data(), {2, 1, 8, 4}), Catch::Contains("text 1 of 1"));
    CHECK_THROWS_WITH(run.problem(), Catch::Contains("no hidden states for text a"));
    states[(1 * 8 + 4) * 4 + 2] = std::numeric_limits<float>::quiet_NaN();  // layer 1, position 4 ("good,")
    CHECK_THROWS_WITH(run.submit_hidden_states(0, states.data(), {2, 1, 8, 4}),
                      Catch::Contains("a value at layer 1 is not finite"));
}

TEST_CASE("probing: the report names layers, counts labels and carries the statement") {
    // 12 texts "X is good" / "X is bad": layer 1's state is +1 on "good" tokens and -1 on
    // "bad", so the label is decodable there; the embeddings layer is constant.
    planted_and m;
    json        doc = base_set();
    doc["texts"]    = json::array();
    for (int i = 0; i < 12; ++i) {
        const bool        good = i % 2 == 0;
        const std::string text = std::string(i % 3 == 0 ? "food" : "service") + " is " + (good ? "good" : "bad");
        const size_t      at   = text.size() - (good ? 4 : 3);
        doc["texts"].push_back({{"id", "t" + std::to_string(i)},
                                {"text", text},
                                {"targets", {{{"start", at}, {"end", text.size()}, {"label", good ? "yes" : "no"}}}}});
    }
    layer_probe_run run(parse_probe_set(doc.dump()), m.manifest, m.tokenizer);
    for (size_t i = 0; i < run.texts(); ++i) {
        const size_t       seq = run.input(i).seq_length;
        std::vector<float> states(2 * seq * 3, 1.0f);
        for (size_t j = 0; j < 3; ++j) {
            states[(seq + seq - 1) * 3 + j] = i % 2 == 0 ? 1.0f : -1.0f;
        }
        run.submit_hidden_states(i, states.data(), {2, 1, int64_t(seq), 3});
    }
    spexlens::probing::probe_options o = parse_run_options(R"({"seed": 3, "folds": 4})");
    CHECK(o.seed == 3);
    CHECK(o.folds == 4);
    const auto r = run.report(o, "planted-and");
    CHECK(r["probe_set"] == "test");
    CHECK(r["model"] == "planted-and");
    CHECK(r["examples"] == 12);
    CHECK(r["label_counts"]["yes"] == 6);
    REQUIRE(r["layers"].size() == 2);
    CHECK(r["layers"][0]["name"] == "embeddings");
    CHECK(r["layers"][1]["name"] == "layer 1");
    CHECK(r["layers"][1]["accuracy"].get<double>() == 1.0);
    CHECK(r["layers"][0]["accuracy"].get<double>() <= 0.6);
    CHECK_THAT(r["statement"].get<std::string>(), Catch::Contains("does not show that the model uses"));
    // 2 word types ("good", "bad") in 3 dimensions: the control cannot mean much, and the report says so.
    REQUIRE(r["notes"].size() == 1);
    CHECK_THAT(r["notes"][0].get<std::string>(), Catch::Contains("only 2 word types for 3 dimensions"));
    spexlens::probing::probe_report many;
    many.types = 100;
    many.layers.resize(2);
    CHECK(report_notes(many, 64).empty());
    many.layers[1].unconverged = 3;
    REQUIRE(report_notes(many, 64).size() == 1);
    CHECK_THAT(report_notes(many, 64)[0], Catch::Contains("3 fits stopped at the iteration cap"));
    CHECK_THROWS_WITH(parse_run_options(R"({"seed": -1})"), Catch::Contains("\"seed\" must be a non-negative integer"));
    CHECK_THROWS_WITH(parse_run_options(R"({"fold": 3})"), Catch::Contains("unknown key \"fold\""));
}
