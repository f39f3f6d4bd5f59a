// Component players: the "players" option, the players a manifest yields, their names, the
// component tensors of a batch, and every refusal a user can meet.
#include "components/component_players.h"
#include "fake_models.h"
#include "text/text_error.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace spexlens::components;
using spexlens::text::parse_manifest;
using spexlens::text::text_error;
using spexlens_test::fake_component_manifest_json;

namespace {

player_spec spec_of(const std::string & text) {
    player_spec s;
    std::string error;
    REQUIRE(parse_player_spec(text, s, error));
    return s;
}

std::string spec_error(const std::string & text) {
    player_spec s;
    std::string error;
    CHECK_FALSE(parse_player_spec(text, s, error));
    return error;
}

std::vector<std::string> names(const component_players & p) {
    std::vector<std::string> out;
    for (const auto & c : p.players()) {
        out.push_back(c.name);
    }
    return out;
}

}  // namespace

TEST_CASE("the players option names text, components, heads or neurons with a group", "[components]") {
    CHECK_FALSE(spec_of("text").components);
    const player_spec c = spec_of("components");
    CHECK((c.components && c.set == COMPONENT_SET_HEADS_AND_MLP && c.group == 8));
    CHECK(spec_of("components:group=1").group == 1);
    CHECK(spec_of("heads").set == COMPONENT_SET_HEADS);
    CHECK((spec_of("neurons:group=32").set == COMPONENT_SET_MLP && spec_of("neurons:group=32").group == 32));
    CHECK(player_spec_name(spec_of("components")) == "components:group=8");
    CHECK(player_spec_name(spec_of("neurons:group=4")) == "neurons:group=4");
    CHECK(player_spec_name(spec_of("heads")) == "heads");
    for (const char * bad : {"words", "components:group=0", "components:group=", "components:grp=4", "heads:group=2",
                             "neurons:group=4x", "text:group=2", ""}) {
        CHECK(spec_error(bad).find("components:group=G") != std::string::npos);
    }
}

TEST_CASE("players: every head, then neuron groups, named by layer", "[components]") {
    const auto        manifest = parse_manifest(fake_component_manifest_json());
    component_players all(manifest, spec_of("components:group=4"), ABLATION_ZERO);
    CHECK(names(all) == std::vector<std::string>{"L0.H0", "L0.H1", "L1.H0", "L1.H1", "L0.mlp[0:4]", "L0.mlp[4:8]",
                                                 "L1.mlp[0:4]", "L1.mlp[4:8]"});
    CHECK(all.layout().layers == 2);
    CHECK(all.layout().heads == 2);
    CHECK(all.layout().ff == 8);
    CHECK(all.layout().head_dim == 2);

    // A group that does not divide the layer leaves a shorter last group; 1 names single neurons.
    CHECK(names(component_players(manifest, spec_of("neurons:group=3"), ABLATION_ZERO)) ==
          std::vector<std::string>{"L0.mlp[0:3]", "L0.mlp[3:6]", "L0.mlp[6:8]", "L1.mlp[0:3]", "L1.mlp[3:6]",
                                   "L1.mlp[6:8]"});
    const component_players single(manifest, spec_of("neurons:group=1"), ABLATION_ZERO);
    CHECK(single.size() == 16);
    CHECK(single.players()[9].name == "L1.mlp[1]");
    CHECK(component_players(manifest, spec_of("heads"), ABLATION_MEAN).size() == 4);
}

TEST_CASE("the shipped model's layout gives 40 players with groups of 8", "[components]") {
    nlohmann::json j        = nlohmann::json::parse(fake_component_manifest_json(true, false));
    j["inputs"][2]["shape"] = {"batch", 2, 4};
    j["inputs"][3]["shape"] = {"batch", 2, 128};
    j["inputs"][4]["shape"] = {"batch", 2, 4, 16};
    j["inputs"][5]["shape"] = {"batch", 2, 128};
    const component_players p(parse_manifest(j.dump()), spec_of("components"), ABLATION_ZERO);
    REQUIRE(p.size() == 40);
    CHECK(p.players()[6].name == "L1.H2");
    CHECK(p.players()[8 + 4].name == "L0.mlp[32:40]");
    CHECK(p.players()[39].name == "L1.mlp[120:128]");
    CHECK(component_players(parse_manifest(j.dump()), spec_of("components:group=1"), ABLATION_ZERO).size() == 264);
}

TEST_CASE("component tensors: dropped heads and groups get mask 0, and their means under mean ablation",
          "[components]") {
    const auto        manifest = parse_manifest(fake_component_manifest_json());
    spex::mask_matrix masks(8, 2);
    for (int i = 0; i < 8; ++i) {
        masks.set(0, i, true);              // row 0 keeps everything
        masks.set(1, i, i != 1 && i != 6);  // row 1 drops L0.H1 and L1.mlp[0:4]
    }
    spexlens::text::model_batch batch;
    component_players           zero(manifest, spec_of("components:group=4"), ABLATION_ZERO);
    zero.fill_tensors(masks, batch);
    REQUIRE(batch.head_mask.size() == 2 * 4);
    REQUIRE(batch.mlp_mask.size() == 2 * 16);
    CHECK(batch.head_offset.empty());  // zero ablation: offsets stay zeros, fed by the caller
    CHECK(batch.mlp_offset.empty());
    CHECK(batch.head_mask == std::vector<float>{1, 1, 1, 1, 1, 0, 1, 1});
    for (int i = 0; i < 16; ++i) {
        CHECK(batch.mlp_mask[size_t(i)] == 1.0f);
        CHECK(batch.mlp_mask[size_t(16 + i)] == (i >= 8 && i < 12 ? 0.0f : 1.0f));
    }

    component_players mean(manifest, spec_of("components:group=4"), ABLATION_MEAN);
    mean.fill_tensors(masks, batch);
    REQUIRE(batch.head_offset.size() == 2 * 4 * 2);
    REQUIRE(batch.mlp_offset.size() == 2 * 16);
    for (size_t i = 0; i < 8; ++i) {
        CHECK(batch.head_offset[i] == 0.0f);  // row 0 keeps everything: no offsets
    }
    CHECK(batch.head_offset[8 + 2] == 0.25f);  // row 1, L0.H1: its mean vector (0.25, 9)
    CHECK(batch.head_offset[8 + 3] == 9.0f);
    CHECK(batch.head_offset[8 + 0] == 0.0f);
    CHECK(batch.mlp_offset[16 + 8 + 0] == 0.0f);   // L1 neuron 0's mean is 0
    CHECK(batch.mlp_offset[16 + 12 + 0] == 0.0f);  // L1.mlp[4:8] is kept: no offset, though its mean is 0.5
    CHECK(batch.mlp_offset[16 + 0] == 0.0f);       // L0 kept

    CHECK_THROWS_AS(zero.fill_tensors(spex::mask_matrix(7, 1), batch), text_error);
}

TEST_CASE("component requests the model cannot serve are refused with a reason", "[components]") {
    auto message = [](const std::string & manifest_json, const std::string & spec, ablation_mode a) {
        try {
            component_players p(parse_manifest(manifest_json), spec_of(spec), a);
        } catch (const text_error & e) {
            return std::string(e.what());
        }
        FAIL("no error for " << spec);
        return std::string();
    };
    CHECK_THAT(message(fake_component_manifest_json(false), "heads", ABLATION_ZERO),
               Catch::Contains("head_mask has no batch axis"));
    CHECK_THAT(message(fake_component_manifest_json(true, false), "components", ABLATION_MEAN),
               Catch::Contains("mean ablation needs"));
    CHECK_THAT(message(fake_component_manifest_json(), "components:group=9", ABLATION_ZERO),
               Catch::Contains("wider than a layer (8 neurons)"));
    CHECK_THAT(message(spexlens_test::fake_manifest_json(), "heads", ABLATION_ZERO),
               Catch::Contains("no head_mask input"));

    // Shapes are bounded before anything is sized from them: [batch, 65536, 65536] once built
    // 4 billion players (26 s, 1.9 GB, then a bare bad_alloc).
    const auto with_masks = [](std::vector<int64_t> head, std::vector<int64_t> mlp) {
        nlohmann::json j      = nlohmann::json::parse(fake_component_manifest_json(true, false));
        nlohmann::json inputs = nlohmann::json::array();
        for (auto & in : j["inputs"]) {
            if (in["role"] == "head_mask") {
                in["shape"] = {"batch", head[0], head[1]};
            } else if (in["role"] == "mlp_mask") {
                in["shape"] = {"batch", mlp[0], mlp[1]};
            } else if (in["role"] == "head_offset" || in["role"] == "mlp_offset") {
                continue;
            }
            inputs.push_back(in);
        }
        j["inputs"] = inputs;
        return j.dump();
    };
    CHECK_THAT(message(with_masks({65536, 65536}, {65536, 8}), "heads", ABLATION_ZERO),
               Catch::Contains("has the shape [batch, 65536, 65536]; spexlens takes 1 to 1024 layers"));
    CHECK_THAT(message(with_masks({1000, 1000}, {1000, 8}), "heads", ABLATION_ZERO),
               Catch::Contains("1000000 heads players, more than the 4096"));
    CHECK_THAT(message(with_masks({2, 2}, {2, 1 << 20}), "neurons:group=1", ABLATION_ZERO),
               Catch::Contains("2097152 neurons:group=1 players, more than the 4096"));
}

TEST_CASE("manifest: offsets must match their batched masks and means their offsets", "[components]") {
    auto error_of = [](const nlohmann::json & j) {
        try {
            parse_manifest(j.dump());
        } catch (const text_error & e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const nlohmann::json good = nlohmann::json::parse(fake_component_manifest_json());
    CHECK(parse_manifest(good.dump()).means.head.size() == 8);
    CHECK(parse_manifest(good.dump()).means.mlp.size() == 16);
    CHECK(parse_manifest(good.dump()).info.contains("component_means") == false);

    nlohmann::json j        = good;
    j["inputs"][4]["shape"] = {"batch", 2, 3, 2};
    CHECK_THAT(error_of(j), Catch::Contains("differ from head_mask's"));
    j                       = good;
    j["inputs"][5]["shape"] = {2, 8};
    CHECK_THAT(error_of(j), Catch::Contains("inputs[5].shape: expected 3 axes"));
    j                       = good;
    j["inputs"][2]["shape"] = {"batch", "layers", 2};
    CHECK_THAT(error_of(j), Catch::Contains("inputs[2].shape[1]: expected a positive integer"));
    j                              = good;
    j["component_means"]["mlp"][1] = {1, 2};
    CHECK_THAT(error_of(j), Catch::Contains("component_means.mlp[1]: expected an array of 8"));
    j                                  = good;
    j["component_means"]["head"][0][0] = {0.5, "x"};
    CHECK_THAT(error_of(j), Catch::Contains("component_means.head[0][0][1]: expected a number"));
    j = good;
    j["inputs"].erase(4);
    CHECK_THAT(error_of(j), Catch::Contains("component_means.head: means need a \"head_offset\" input"));
}
