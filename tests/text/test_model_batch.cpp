// build_model_batch: [CLS] + the text's ids in every row, masked features hidden by attention
// or by the [MASK] id, positions never moving, and the output's storage reused.
#include "text/model_batch.h"
#include "text/text_error.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::text;
using text_test::test_manifest;
using text_test::test_vocabulary;

namespace {

// Features: "free" (1 token), "money!" (2), "click" (1) -> ids [CLS]=2, 4, 5, 6, 7.
spex::mask_matrix three_masks() {
    spex::mask_matrix m(3, 3);
    for (int i = 0; i < 3; ++i) {
        m.set(0, i, true);  // row 0 keeps all
    }
    m.set(1, 0, true);  // row 1 drops "money!" and "click"
    // row 2 drops everything
    return m;
}

std::vector<int32_t> row_of(const std::vector<int32_t> & v, size_t row, size_t seq) {
    return std::vector<int32_t>(v.begin() + row * seq, v.begin() + (row + 1) * seq);
}

}  // namespace

TEST_CASE("attention masking zeroes the dropped features' attention and keeps the ids", "[batch]") {
    const model_manifest m = test_manifest(128, "attention");
    const prepared_text  p = prepare_text("free money! click", test_vocabulary(), m, GRANULARITY_WORD);
    model_batch          b;
    build_model_batch(p, m, three_masks(), b);
    CHECK(b.rows == 3);
    CHECK(b.seq_length == 5);
    const std::vector<int32_t> ids = {2, 4, 5, 6, 7};
    for (size_t r = 0; r < 3; ++r) {
        CHECK(row_of(b.input_ids, r, 5) == ids);
    }
    CHECK(row_of(b.attention_mask, 0, 5) == std::vector<int32_t>{1, 1, 1, 1, 1});
    CHECK(row_of(b.attention_mask, 1, 5) == std::vector<int32_t>{1, 1, 0, 0, 0});
    CHECK(row_of(b.attention_mask, 2, 5) == std::vector<int32_t>{1, 0, 0, 0, 0});
}

TEST_CASE("with position_ids, dropped features' tokens are left out and kept tokens keep their positions", "[batch]") {
    model_manifest m = test_manifest(128, "attention");
    m.inputs.push_back({"position_ids", INPUT_POSITION_IDS, TENSOR_INT64, {-1, -1}});
    const prepared_text p = prepare_text("free money! click", test_vocabulary(), m, GRANULARITY_WORD);
    REQUIRE(drops_masked_tokens(m));
    model_batch       b;
    spex::mask_matrix masks(3, 3);
    masks.set(0, 0, true);  // row 0 keeps "free" and "click", drops "money!"
    masks.set(0, 2, true);
    masks.set(1, 2, true);  // row 1 keeps "click" only
    // row 2 drops everything
    build_model_batch(p, m, masks, b);
    CHECK(b.rows == 3);
    CHECK(b.seq_length == 3);  // the longest row: [CLS] free click
    CHECK(b.input_ids == std::vector<int32_t>{2, 4, 7, /**/ 2, 7, 0, /**/ 2, 0, 0});
    CHECK(b.attention_mask == std::vector<int32_t>{1, 1, 1, /**/ 1, 1, 0, /**/ 1, 0, 0});
    CHECK(b.position_ids == std::vector<int32_t>{0, 1, 4, /**/ 0, 4, 0, /**/ 0, 0, 0});

    // Every feature kept: the whole row at its own positions, as without dropping.
    spex::mask_matrix all(3, 1);
    for (int i = 0; i < 3; ++i) {
        all.set(0, i, true);
    }
    build_model_batch(p, m, all, b);
    CHECK(b.seq_length == 5);
    CHECK(b.input_ids == std::vector<int32_t>{2, 4, 5, 6, 7});
    CHECK(b.position_ids == std::vector<int32_t>{0, 1, 2, 3, 4});

    // Turned off (the explain option drop_masked_tokens: false): attention 0, full rows.
    m.drop_masked_tokens = false;
    REQUIRE_FALSE(drops_masked_tokens(m));
    build_model_batch(p, m, masks, b);
    CHECK(b.seq_length == 5);
    CHECK(row_of(b.attention_mask, 0, 5) == std::vector<int32_t>{1, 1, 0, 0, 1});
    CHECK(row_of(b.position_ids, 1, 5) == std::vector<int32_t>{0, 1, 2, 3, 4});

    // Only under attention masking: the [MASK] id keeps every token in place.
    m.drop_masked_tokens = true;
    m.masking            = MASKING_MASK_TOKEN;
    CHECK_FALSE(drops_masked_tokens(m));
}

TEST_CASE("mask-token masking replaces the dropped features' ids and keeps attention", "[batch]") {
    const model_manifest m = test_manifest(128, "mask_token");
    const prepared_text  p = prepare_text("free money! click", test_vocabulary(), m, GRANULARITY_WORD);
    model_batch          b;
    build_model_batch(p, m, three_masks(), b);
    CHECK(row_of(b.input_ids, 0, 5) == std::vector<int32_t>{2, 4, 5, 6, 7});
    CHECK(row_of(b.input_ids, 1, 5) == std::vector<int32_t>{2, 4, 3, 3, 3});
    CHECK(row_of(b.input_ids, 2, 5) == std::vector<int32_t>{2, 3, 3, 3, 3});
    CHECK(b.attention_mask == std::vector<int32_t>(15, 1));
}

TEST_CASE("masks over more than 64 features address the right tokens", "[batch]") {
    // 70 words "free." (2 tokens each): feature i covers positions 1 + 2i and 2 + 2i.
    std::string text;
    for (int i = 0; i < 70; ++i) {
        text += "free. ";
    }
    const model_manifest m = test_manifest(256, "attention");
    const prepared_text  p = prepare_text(text, test_vocabulary(), m, GRANULARITY_WORD);
    REQUIRE(p.features.size() == 70);
    spex::mask_matrix masks(70, 2);
    for (int i = 0; i < 70; ++i) {
        masks.set(0, i, i % 3 != 0);  // drop every third feature
        masks.set(1, i, i != 69);     // drop only the last, in the second mask word
    }
    model_batch b;
    build_model_batch(p, m, masks, b);
    REQUIRE(b.seq_length == 141);
    for (int i = 0; i < 70; ++i) {
        INFO("feature " << i);
        const int32_t kept0 = i % 3 != 0 ? 1 : 0;
        CHECK(b.attention_mask[1 + 2 * i] == kept0);
        CHECK(b.attention_mask[2 + 2 * i] == kept0);
        const int32_t kept1 = i != 69 ? 1 : 0;
        CHECK(b.attention_mask[141 + 1 + 2 * i] == kept1);
        CHECK(b.attention_mask[141 + 2 + 2 * i] == kept1);
    }
    CHECK(b.attention_mask[0] == 1);
    CHECK(b.attention_mask[141] == 1);
}

TEST_CASE("the batch reuses its storage across calls", "[batch]") {
    const model_manifest m = test_manifest();
    const prepared_text  p = prepare_text("free money! click", test_vocabulary(), m, GRANULARITY_WORD);
    model_batch          b;
    build_model_batch(p, m, spex::mask_matrix(3, 100), b);
    const int32_t * ids = b.input_ids.data();
    build_model_batch(p, m, three_masks(), b);
    CHECK(b.rows == 3);
    CHECK(b.input_ids.size() == 15);
    CHECK(b.input_ids.data() == ids);
    CHECK(row_of(b.attention_mask, 1, 5) == std::vector<int32_t>{1, 1, 0, 0, 0});
}

TEST_CASE("masks over the wrong number of features are refused", "[batch]") {
    const model_manifest m = test_manifest();
    const prepared_text  p = prepare_text("free money! click", test_vocabulary(), m, GRANULARITY_WORD);
    model_batch          b;
    CHECK_THROWS_WITH(build_model_batch(p, m, spex::mask_matrix(4, 2), b),
                      "the masks are over 4 players but the text has 3 features");
}
