// The shipped models' reference samples (models/*/reference.json, written by the scripts that
// build the models with the Python tokenizer): the C++ text layer must give the same input ids,
// and the same rows for samples with masked words. The list of models is fixed when cmake
// runs (model_references.inc in the build tree).
#include "text/exported_folder.h"
#include "text/model_batch.h"
#include "text/model_tokenizer.h"
#include "text/tokenizer.h"
#include "text/utf8.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::text;
using nlohmann::json;

namespace {

const char * const model_names[] = {
#include "model_references.inc"
    nullptr};

std::string read_if_present(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    return in ? text_test::read_file(path) : std::string();
}

// A folder as transformers exports it (no model.json): the manifest is derived as the front ends
// derive it, and the Hugging Face tokenizer must give the reference ids (written by the JS port).
// Texts longer than the window: the reference cuts tokens ([CLS] + 126 + [SEP]), spexlens cuts
// at a word, so its ids are the reference's up to where its own text ends.
void check_exported_reference(const std::string & model, const std::string & dir) {
    const json      ref = json::parse(text_test::read_file(dir + "reference.json"));
    exported_folder f;
    f.name                     = model;
    f.config_json              = text_test::read_file(dir + "config.json");
    f.tokenizer_json           = text_test::read_file(dir + "tokenizer.json");
    f.tokenizer_config_json    = read_if_present(dir + "tokenizer_config.json");
    f.special_tokens_map_json  = read_if_present(dir + "special_tokens_map.json");
    f.onnx_file                = "onnx/model.onnx";
    f.onnx_sha256              = ref.at("onnx_sha256").get<std::string>();
    f.inputs                   = {{"input_ids", "int64"}, {"attention_mask", "int64"}, {"token_type_ids", "int64"}};
    f.outputs                  = {{"logits", "float32"}};
    const model_manifest  base = parse_manifest(derive_manifest(f).manifest_json);
    const model_tokenizer tokenizer = model_tokenizer::from_file(base, f.tokenizer_json);
    for (const json & sample : ref.at("samples")) {
        INFO("model " << model << ", sample " << sample.at("name").get<std::string>());
        model_manifest manifest = base;
        if (sample.contains("masking") && sample["masking"].is_string()) {
            REQUIRE(parse_masking_method(sample["masking"].get<std::string>(), manifest.masking));
        }
        const std::string   text = sanitize_utf8(sample.at("text").get<std::string>());
        const prepared_text p    = prepare_text(text, tokenizer, manifest, GRANULARITY_WORD);
        spex::mask_matrix   masks(static_cast<int>(p.features.size()), 1);
        for (size_t i = 0; i < p.features.size(); ++i) {
            masks.set(0, static_cast<int>(i), true);
        }
        for (const json & w : sample.value("hidden_words", json::array())) {
            REQUIRE(w.get<size_t>() < p.features.size());
            masks.set(0, w.get<int>(), false);
        }
        model_batch batch;
        build_model_batch(p, manifest, masks, batch);
        const auto expected_ids       = sample.at("input_ids").get<std::vector<int32_t>>();
        const auto expected_attention = sample.at("attention_mask").get<std::vector<int32_t>>();
        if (!p.window.truncated) {
            CHECK(batch.input_ids == expected_ids);
            CHECK(batch.attention_mask == expected_attention);
            CHECK(batch.token_type_ids == sample.at("token_type_ids").get<std::vector<int32_t>>());
        } else {
            // All but our closing [SEP] is the reference's prefix.
            const size_t ours = batch.input_ids.size() - 1;
            REQUIRE(ours <= expected_ids.size());
            CHECK(std::vector<int32_t>(batch.input_ids.begin(), batch.input_ids.end() - 1) ==
                  std::vector<int32_t>(expected_ids.begin(), expected_ids.begin() + static_cast<std::ptrdiff_t>(ours)));
            CHECK(std::vector<int32_t>(batch.attention_mask.begin(), batch.attention_mask.end() - 1) ==
                  std::vector<int32_t>(expected_attention.begin(),
                                       expected_attention.begin() + static_cast<std::ptrdiff_t>(ours)));
            CHECK(batch.input_ids.back() == expected_ids.back());
        }
    }
}

void check_model_reference(const std::string & model) {
    const std::string dir = text_test::source_path("models/" + model + "/");
    if (read_if_present(dir + "model.json").empty() && !read_if_present(dir + "config.json").empty()) {
        check_exported_reference(model, dir);
        return;
    }
    const model_manifest manifest = parse_manifest(text_test::read_file(dir + "model.json"));
    const vocabulary     vocab    = vocabulary::from_text(text_test::read_file(dir + manifest.vocab_file));
    const json           ref      = json::parse(text_test::read_file(dir + "reference.json"));
    CHECK(ref.at("onnx_sha256") == manifest.onnx_sha256);
    for (const json & sample : ref.at("samples")) {
        INFO("model " << model << ", sample " << sample.at("name").get<std::string>());
        const std::string    text     = sanitize_utf8(sample.at("text").get<std::string>());
        const auto           expected = sample.at("input_ids").get<std::vector<int32_t>>();
        std::vector<int32_t> ids      = {manifest.cls_id};
        for (const token & t : tokenize_words_v1(text)) {
            ids.push_back(vocab.id_of(t.text, manifest.unk_id));
        }
        if (ids.size() > static_cast<size_t>(manifest.max_length)) {
            ids.resize(manifest.max_length);  // as the reference's encode() cuts
        }
        if (!sample.contains("masked_words")) {
            CHECK(ids == expected);
            continue;
        }
        // A masked sample: hide the listed words (word features) and compare one model row.
        const prepared_text p = prepare_text(text, vocab, manifest, GRANULARITY_WORD);
        spex::mask_matrix   masks(static_cast<int>(p.features.size()), 1);
        for (size_t i = 0; i < p.features.size(); ++i) {
            masks.set(0, static_cast<int>(i), true);
        }
        for (const json & w : sample.at("masked_words")) {
            masks.set(0, w.get<int>(), false);
        }
        model_batch batch;
        build_model_batch(p, manifest, masks, batch);
        CHECK(batch.input_ids == expected);
        CHECK(batch.attention_mask == sample.at("attention_mask").get<std::vector<int32_t>>());
    }
}

}  // namespace

TEST_CASE("C++ tokenization reproduces every shipped model's reference input ids", "[references]") {
    int checked = 0;
    for (const char * const * name = model_names; *name != nullptr; ++name) {
        check_model_reference(*name);
        ++checked;
    }
    if (checked == 0) {
        WARN("no models/*/reference.json when cmake ran: nothing to compare");
    }
}

#ifdef SPEXLENS_SPAM_REFERENCE
TEST_CASE("C++ tokenization reproduces the spam transformer's reference input ids", "[references]") {
    check_model_reference("spam-transformer");
}
#endif
