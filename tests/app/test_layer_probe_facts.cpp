// The page's probing view: a real layer probe report read back (tests/app/data/
// layer_probe_report.json, written by scripts/spexlens-probe-layers), the sentences it shows, and
// a run's state with stale answers ignored.
#include "app/model/layer_probe_facts.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

using namespace spexlens::app;

namespace {

std::string fixture() {
    std::ifstream     in(std::string(SPEXLENS_SOURCE_DIR) + "/tests/app/data/layer_probe_report.json");
    std::stringstream buffer;
    buffer << in.rdbuf();
    REQUIRE(!buffer.str().empty());
    return buffer.str();
}

bool contains(const std::string & text, const std::string & part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("app: a layer probe report is read back, its best layer found") {
    const std::string       text = fixture();
    const nlohmann::json    j    = nlohmann::json::parse(text);
    const layer_probe_facts f    = read_layer_probe_report(text);
    REQUIRE(f.layers.size() == j["layers"].size());
    CHECK(f.model == "clinical-readmission");
    CHECK(f.question == j["question"].get<std::string>());
    CHECK(f.examples == j["examples"].get<size_t>());
    CHECK(f.labels == j["labels"].get<std::vector<std::string>>());
    size_t best = 0;  // the highest accuracy, computed here from the JSON
    for (size_t i = 0; i < j["layers"].size(); ++i) {
        CHECK(f.layers[i].name == j["layers"][i]["name"].get<std::string>());
        CHECK(f.layers[i].accuracy == j["layers"][i]["accuracy"].get<double>());
        CHECK(f.layers[i].shuffled == j["layers"][i]["shuffled_accuracy"].get<double>());
        CHECK(f.layers[i].control == j["layers"][i]["control_accuracy"].get<double>());
        if (j["layers"][i]["accuracy"].get<double>() > j["layers"][best]["accuracy"].get<double>()) {
            best = i;
        }
    }
    CHECK(f.best == best);
}

TEST_CASE("app: the probing view's sentences say what the numbers are and what they are not") {
    layer_probe_facts f = read_layer_probe_report(fixture());
    // A hand-made report: accuracy 0.58 +- 0.05 against majority 0.48 and shuffled 0.40 is
    // barely above chance (0.58 - 0.48 = 0.10 <= 2 * 0.05).
    f.layers                       = {{"embeddings", 0.53, 0.04, 0.48, 0.50, 0.98, -0.45, 0},
                                      {"layer 1", 0.58, 0.05, 0.48, 0.40, 0.97, -0.39, 0}};
    f.best                         = 1;
    f.notes                        = {"only 13 word types"};
    std::vector<std::string> lines = layer_probe_reading(f);
    REQUIRE(lines.size() == 4);
    CHECK(contains(lines[0], "best at layer 1, 0.58 of the words right, 0.10 above always answering the most "
                             "frequent label (0.48) and 0.18 above the same probe on shuffled labels (0.40)"));
    CHECK(contains(lines[1], "barely above chance"));
    CHECK(lines[2] == "Note: only 13 word types.");
    CHECK(contains(lines[3], "does not show that the model uses"));
    // Clearly above: 0.90 +- 0.02 against 0.50.
    f.layers[1] = {"layer 1", 0.90, 0.02, 0.50, 0.49, 0.70, 0.20, 0};
    lines       = layer_probe_reading(f);
    CHECK(contains(lines[1], "linearly decodable from layer 1's word vectors, 0.40 above the better baseline"));
    CHECK(contains(layer_probe_row_sentence({"x", 0.45, 0.0, 0.50, 0.47, 0.5, 0.0, 0}), "0.05 below always answering"));
}

TEST_CASE("app: a report that is not one is refused with a message naming the field") {
    CHECK_THROWS_WITH(read_layer_probe_report("not json"), Catch::Contains("is not JSON"));
    nlohmann::json j = nlohmann::json::parse(fixture());
    j["layers"][1].erase("shuffled_accuracy");
    CHECK_THROWS_WITH(read_layer_probe_report(j.dump()), Catch::Contains("\"shuffled_accuracy\""));
    j                          = nlohmann::json::parse(fixture());
    j["layers"][0]["accuracy"] = "high";
    CHECK_THROWS_WITH(read_layer_probe_report(j.dump()), Catch::Contains("\"accuracy\" is not a finite number"));
    j["layers"] = nlohmann::json::array();
    CHECK_THROWS_WITH(read_layer_probe_report(j.dump()), Catch::Contains("has no layers"));
    CHECK_THROWS_WITH(read_layer_probe_report(std::string(100, '[')), Catch::Contains("is not JSON"));
}

TEST_CASE("app: a layer probe run follows its own request and ignores stale answers") {
    layer_probe_session  p;
    const std::string    request = layer_probe_begin(p, "clinical-readmission", "models/c/set.json", 7, 10.0);
    const nlohmann::json r       = nlohmann::json::parse(request);
    CHECK(r["id"] == p.request_id);
    CHECK(r["key"] == "clinical-readmission");
    CHECK(r["set"] == "models/c/set.json");
    CHECK(r["seed"] == 7);
    CHECK(p.phase == LAYER_PROBE_RUNNING);
    layer_probe_progress(p, p.request_id, 20, 205);
    CHECK(p.done == 20);
    layer_probe_progress(p, p.request_id + 1, 99, 205);  // stale
    CHECK(p.done == 20);
    CHECK_FALSE(layer_probe_arrived(p, p.request_id - 1, fixture(), 11.0));
    CHECK(p.phase == LAYER_PROBE_RUNNING);
    CHECK(layer_probe_arrived(p, p.request_id, fixture(), 12.5));
    CHECK(p.phase == LAYER_PROBE_IDLE);
    REQUIRE(p.facts);
    CHECK(p.seconds == Approx(2.5));
    // A broken report becomes the error, not a crash.
    layer_probe_begin(p, "clinical-readmission", "models/c/set.json", 7, 20.0);
    CHECK(layer_probe_arrived(p, p.request_id, "{}", 21.0));
    CHECK_FALSE(p.facts);
    CHECK(contains(p.error, "has no \"probe_set\""));
    // Failure, then a model change while running drops the run.
    layer_probe_begin(p, "clinical-readmission", "models/c/set.json", 7, 30.0);
    layer_probe_failed(p, p.request_id, "the internals graph has no \"hidden_states\" output");
    CHECK(p.phase == LAYER_PROBE_IDLE);
    CHECK(contains(p.error, "hidden_states"));
    layer_probe_begin(p, "clinical-readmission", "models/c/set.json", 7, 40.0);
    const int id = p.request_id;
    layer_probe_model_changed(p, "spam-transformer");
    CHECK(p.phase == LAYER_PROBE_IDLE);
    CHECK_FALSE(layer_probe_arrived(p, id, fixture(), 41.0));
}
