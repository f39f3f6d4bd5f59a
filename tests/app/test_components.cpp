// Component explanations on the page's model side (docs/components.md): what a manifest
// allows, the players option both ways, component results read back, and exports that keep
// the component names and record the players and the ablation.
#include "app/model/component_facts.h"
#include "app/model/export_formats.h"
#include "app/model/index_table.h"
#include "app_test_support.h"
#include "component_fixture.h"

#include <catch2/catch.hpp>

using spexlens::ordered_json;
using namespace spexlens::app;
using namespace app_test;

namespace {

loaded_result parse(const ordered_json & j) { return parse_result(j.dump()); }

}  // namespace

TEST_CASE("component facts come from the manifest's mask inputs, offsets and means", "[components]") {
    const component_facts full = read_component_facts(component_fixture::manifest(true, true, true));
    CHECK(full.layers == 2);
    CHECK(full.heads == 4);
    CHECK(full.ff == 128);
    CHECK(full.batched);
    CHECK(full.offsets);
    CHECK(full.has_means);
    CHECK(full.unavailable.empty());
    CHECK(full.mean_unavailable.empty());

    const component_facts no_means = read_component_facts(component_fixture::manifest(true, true, false));
    CHECK(no_means.unavailable.empty());
    CHECK_THAT(no_means.mean_unavailable, Catch::Contains("component_means"));

    const component_facts no_offsets = read_component_facts(component_fixture::manifest(true, false, false));
    CHECK(no_offsets.unavailable.empty());
    CHECK_THAT(no_offsets.mean_unavailable, Catch::Contains("head_offset"));

    // Means with nowhere to feed them: the core refuses the manifest, and the page says why.
    CHECK_THAT(read_component_facts(component_fixture::manifest(true, false, true)).unavailable,
               Catch::Contains("means need a \"head_offset\" input"));

    const component_facts unbatched = read_component_facts(component_fixture::manifest(false, false, false));
    CHECK(unbatched.layers == 2);
    CHECK_FALSE(unbatched.batched);
    CHECK_THAT(unbatched.unavailable, Catch::Contains("batch"));
    CHECK_FALSE(unbatched.mean_unavailable.empty());

    ordered_json words_only = ordered_json::parse(component_fixture::manifest(true, false, false));
    auto &       inputs     = words_only["inputs"];
    inputs.erase(inputs.begin() + 2, inputs.end());  // keep the text inputs only
    CHECK_THAT(read_component_facts(words_only.dump()).unavailable, Catch::Contains("no head_mask input"));
    CHECK_FALSE(read_component_facts("{not json").unavailable.empty());
    CHECK_FALSE(read_component_facts("").unavailable.empty());
}

TEST_CASE("the shipped spam model's manifest gives its shape: 2 layers x 4 heads, 128 neurons", "[components]") {
    const component_facts f = read_component_facts(read_file("models/spam-transformer/model.json"));
    CHECK(f.layers == 2);
    CHECK(f.heads == 4);
    CHECK(f.ff == 128);
    CHECK(f.batched);
    CHECK(f.offsets);
    CHECK(f.has_means);
    CHECK(f.unavailable.empty());
    CHECK(f.mean_unavailable.empty());
}

TEST_CASE("player counts are L*H heads plus ceil(F/G)*L neuron groups", "[components]") {
    const component_facts f = read_component_facts(component_fixture::manifest(true, false, false));
    CHECK(component_player_count(f, {COMPONENT_SET_HEADS_AND_MLP, 8}) == 40);
    CHECK(component_player_count(f, {COMPONENT_SET_HEADS, 8}) == 8);
    CHECK(component_player_count(f, {COMPONENT_SET_MLP, 8}) == 32);
    CHECK(component_player_count(f, {COMPONENT_SET_HEADS_AND_MLP, 1}) == 264);
    CHECK(component_player_count(f, {COMPONENT_SET_HEADS_AND_MLP, 3}) == 8 + 43 * 2);
    CHECK(component_player_count(f, {COMPONENT_SET_MLP, 128}) == 2);
}

TEST_CASE("players options are written and read back as docs/components.md spells them", "[components]") {
    CHECK(players_option({COMPONENT_SET_HEADS_AND_MLP, 8}) == "components:group=8");
    CHECK(players_option({COMPONENT_SET_HEADS, 8}) == "heads");
    CHECK(players_option({COMPONENT_SET_MLP, 4}) == "neurons:group=4");

    bool             components = true;
    component_choice choice;
    std::string      error;
    REQUIRE(parse_players_option("text", components, choice, error));
    CHECK_FALSE(components);
    REQUIRE(parse_players_option("components", components, choice, error));
    CHECK(components);
    CHECK(choice.set == COMPONENT_SET_HEADS_AND_MLP);
    CHECK(choice.group == 8);
    REQUIRE(parse_players_option("neurons:group=16", components, choice, error));
    CHECK(choice.set == COMPONENT_SET_MLP);
    CHECK(choice.group == 16);
    REQUIRE(parse_players_option("heads", components, choice, error));
    CHECK(choice.set == COMPONENT_SET_HEADS);
    for (const char * bad : {"head", "components:group=0", "components:group=x", "neurons:size=4", "heads:group=2"}) {
        INFO(bad);
        error.clear();
        CHECK_FALSE(parse_players_option(bad, components, choice, error));
        CHECK_FALSE(error.empty());
    }
}

TEST_CASE("a component result is read with its players' kinds, places and names", "[components][result]") {
    const loaded_result r = parse(component_fixture::component_result());
    REQUIRE(r.n == 40);
    CHECK(r.is_components());
    CHECK(r.granularity == "component");
    REQUIRE(r.components.size() == 40);
    CHECK(r.features[6].text == "L1.H2");
    CHECK(r.components[6].is_head);
    CHECK(r.components[6].layer == 1);
    CHECK(r.components[6].head == 2);
    CHECK(r.features[12].text == "L0.mlp[32:40]");
    CHECK_FALSE(r.components[12].is_head);
    CHECK(r.components[12].layer == 0);
    CHECK(r.components[12].first == 32);
    CHECK(r.components[12].count == 8);
    CHECK(r.components[39].layer == 1);
    CHECK(r.component_info.layers == 2);
    CHECK(r.component_info.heads == 4);
    CHECK(r.component_info.ff == 128);
    CHECK(r.component_info.group == 8);
    CHECK(r.component_info.set == "heads+mlp");
    CHECK(r.component_info.ablation == "zero");
    CHECK(join_feature_names(r, {6, 12}) == "L1.H2 \xE2\x88\xA7 L0.mlp[32:40]");

    // A word result says "text" (or nothing) and has no component entries.
    const loaded_result words = parse(component_fixture::word_result());
    CHECK_FALSE(words.is_components());
    CHECK(words.components.empty());
    CHECK_FALSE(parse_result(text_result_json()).is_components());
}

TEST_CASE("heads-only and neurons-only results read as such", "[components][result]") {
    component_fixture::options o;
    o.set                 = "heads";
    const loaded_result h = parse(component_fixture::component_result(o));
    CHECK(h.n == 8);
    CHECK(std::all_of(h.components.begin(), h.components.end(), [](const component_feature & c) { return c.is_head; }));
    o.set                 = "mlp";
    o.group               = 1;
    const loaded_result m = parse(component_fixture::component_result(o));
    CHECK(m.n == 256);
    CHECK(m.features[3].text == "L0.mlp[3]");
    CHECK(m.components[200].layer == 1);
    CHECK(m.components[200].first == 72);
}

TEST_CASE("a component result that does not match its model is refused, naming the field", "[components][result]") {
    ordered_json j = component_fixture::component_result();
    j.erase("components");
    CHECK_THAT(runtime_error_of([&] { parse(j); }), Catch::Contains("\"components\" is missing"));

    j                        = component_fixture::component_result();
    j["features"][3]["kind"] = "word";
    CHECK_THAT(runtime_error_of([&] { parse(j); }), Catch::Contains("features[3].kind"));

    j                        = component_fixture::component_result();
    j["features"][2]["head"] = 4;
    CHECK_THAT(runtime_error_of([&] { parse(j); }), Catch::Contains("features[2].head"));

    j                         = component_fixture::component_result();
    j["features"][9]["layer"] = 2;
    CHECK_THAT(runtime_error_of([&] { parse(j); }), Catch::Contains("features[9].layer"));

    j                          = component_fixture::component_result();
    j["features"][39]["count"] = 9;
    CHECK_THAT(runtime_error_of([&] { parse(j); }), Catch::Contains("past the MLP width"));
}

TEST_CASE("exports of a component result keep the component names and record players and ablation",
          "[components][export]") {
    component_fixture::options o;
    o.ablation            = "mean";
    const loaded_result r = parse(component_fixture::component_result(o));
    const index_table   t = compute_index_table(r, spex::INDEX_FSII, 2);
    export_options      opt;
    opt.include_text        = false;
    opt.app_version         = "1.0";
    opt.timestamp           = "2025-01-02T03:04:05Z";
    const ordered_json json = ordered_json::parse(export_json(r, t, opt));
    CHECK_FALSE(json.contains("text"));  // the user's text is still left out
    CHECK(json["features"][6]["text"] == "L1.H2");
    CHECK(json["features"][12]["text"] == "L0.mlp[32:40]");
    CHECK(json["players"] == "components");
    CHECK(json["provenance"]["players"] == "components:group=8");
    CHECK(json["provenance"]["ablation"] == "mean");

    const std::string csv = export_csv(r, t, opt);
    CHECK(csv.rfind("rank,order,value,features,components\r\n", 0) == 0);
    CHECK_THAT(csv, Catch::Contains("6 12,L1.H2 \xE2\x88\xA7 L0.mlp[32:40]"));

    const loaded_result words = parse(component_fixture::word_result());
    const ordered_json  w =
        ordered_json::parse(export_json(words, compute_index_table(words, spex::INDEX_FSII, 2), opt));
    CHECK(w["provenance"]["players"] == "text");
    CHECK(w["provenance"]["ablation"].is_null());
    CHECK_FALSE(w["features"][0].contains("text"));
}
