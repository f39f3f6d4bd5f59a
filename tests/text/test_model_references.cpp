// The shipped models' reference samples (models/*/reference.json, written by the scripts that
// build the models with the Python tokenizer): the C++ text layer must give the same input ids,
// and the same rows for samples with masked words. The list of models is fixed when cmake
// runs (model_references.inc in the build tree).
#include "text/model_batch.h"
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

void check_model_reference(const std::string & model) {
    const std::string    dir      = text_test::source_path("models/" + model + "/");
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
