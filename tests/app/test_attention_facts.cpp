// The attention view's facts (src/app/model/attention_facts.h): what it shows for a hand-made
// result and attention, ranked by hand; its requests (one per text, older answers ignored);
// and the lines it shows when there is nothing to read.
#include "app/model/attention_facts.h"
#include "app_test_support.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace spexlens::app;
namespace at = spexlens::attention;
using Catch::Matchers::Contains;

namespace {

// Three words; Shapley values 0.1, -2.0, 0.5 (use 0.1, 2.0, 0.5).
loaded_result three_words() {
    loaded_result r;
    r.n            = 3;
    r.granularity  = "word";
    r.text         = "Ward 7B. denies";
    r.model_sha256 = "ab";
    r.features     = {{"Ward", 0, 4}, {"7B.", 5, 8}, {"denies", 9, 15}};
    return r;
}

index_table three_uses() {
    index_table t;
    t.shapley = {0.1, -2.0, 0.5};
    return t;
}

// One layer, one head: words receive 0.5, 0.1, 0.2 and the special tokens 0.2.
at::received_attention one_head() {
    at::received_attention a;
    a.layers = a.heads = 1;
    a.players          = 3;
    a.input_tokens     = 5;
    a.per_head         = {0.5, 0.1, 0.2};
    a.head_mean        = a.per_head;
    a.rollout          = {0.3, 0.2, 0.1};
    a.rollout_from     = at::ROLLOUT_FIRST_TOKEN;
    a.special_per_head = {0.2};
    a.special_mean     = {0.2};
    a.special_rollout  = 0.4;
    a.padding_per_head = {0.0};
    return a;
}

}  // namespace

TEST_CASE("the attention view's facts, ranked by hand", "[attention]") {
    const attention_view_facts f =
        make_attention_facts(one_head(), three_words(), three_uses(), {at::SERIES_HEAD, 0, 0}, false);
    CHECK(f.series == "layer 1, head 1");
    REQUIRE(f.rows.size() == 3);
    CHECK(f.rows[0].label == "Ward");
    CHECK(f.rows[1].label == "denies");
    CHECK(f.rows[2].label == "7B");
    CHECK(f.rows[2].effect == -2.0);
    CHECK(f.attention_max == 0.5);
    CHECK(f.use_max == 2.0);
    // Attention ranks (largest first) 1, 3, 2; use ranks 3, 1, 2: exactly reversed.
    CHECK(f.spearman == Approx(-1.0));
    CHECK_THAT(f.correlation, Contains("= -1.00 over 3 words"));
    CHECK(f.special == "20% of this attention goes to the special tokens ([CLS], [SEP]), which are not words.");
    REQUIRE(f.looked_at_little_used.size() == 1);
    CHECK(f.looked_at_little_used[0] == "\xE2\x80\x9CWard\xE2\x80\x9D: 1st of 3 by attention, 3rd by use");
    REQUIRE(f.used_little_looked_at.size() == 1);
    CHECK(f.used_little_looked_at[0] == "\xE2\x80\x9C"
                                        "7B\xE2\x80\x9D: 3rd of 3 by attention, 1st by use");

    const attention_view_facts by_use =
        make_attention_facts(one_head(), three_words(), three_uses(), {at::SERIES_ROLLOUT, 0, 0}, true);
    CHECK(by_use.series == "rollout (read from the [CLS] row)");
    CHECK(by_use.rows[0].label == "7B");
    CHECK(by_use.rows[1].label == "denies");
    CHECK(by_use.special.rfind("40%", 0) == 0);
    // Rollout 0.3, 0.2, 0.1 against use 0.1, 2.0, 0.5: ranks 3,2,1 and 1,3,2 give -0.5.
    CHECK(by_use.spearman == Approx(-0.5));

    loaded_result four = three_words();
    four.n             = 4;
    CHECK_THROWS_WITH(make_attention_facts(one_head(), four, three_uses(), {}, false),
                      Contains("read for 3 words but the result on screen has 4"));
}

TEST_CASE("ordinals for the disagreement lines", "[attention]") {
    CHECK(ordinal(1) == "1st");
    CHECK(ordinal(2) == "2nd");
    CHECK(ordinal(3) == "3rd");
    CHECK(ordinal(4) == "4th");
    CHECK(ordinal(11) == "11th");
    CHECK(ordinal(12) == "12th");
    CHECK(ordinal(22) == "22nd");
    CHECK(ordinal(113) == "113th");
}

TEST_CASE("attention requests: one per text, older answers ignored, bad tensors explained", "[attention]") {
    attention_session   a;
    const loaded_result r = three_words();
    CHECK(attention_wanted(a, r));
    CHECK(a.request_id == 1);
    attention_sent(a);
    CHECK(a.phase == ATTENTION_RUNNING);
    CHECK_FALSE(attention_wanted(a, r));  // asked already

    // [CLS] Ward 7B denies [SEP], one layer, one head, every query attending to "Ward" only.
    std::vector<float> values(25, 0.0f);
    for (size_t q = 0; q < 5; ++q) {
        values[q * 5 + 1] = 1.0f;
    }
    const std::vector<int> players = {at::special_token, 0, 1, 2, at::special_token};
    attention_arrived(a, 0, values, {1, 1, 1, 5, 5}, players, 3);  // an older request
    CHECK(a.phase == ATTENTION_RUNNING);
    attention_arrived(a, 1, values, {1, 1, 1, 5, 5}, players, 3);
    REQUIRE(a.phase == ATTENTION_READY);
    REQUIRE(a.received);
    CHECK(a.received->received(0, 0, 0) == Approx(1.0));
    CHECK(a.received->rollout[0] == Approx(0.5));  // ([CLS] row of (A + I) / 2): half stays, half goes to Ward
    CHECK_FALSE(attention_wanted(a, r));

    loaded_result other = r;
    other.text          = "Ward 7B. confirms";
    CHECK(attention_wanted(a, other));
    CHECK(a.request_id == 2);
    CHECK_FALSE(a.received);
    attention_arrived(a, 2, values, {1, 2, 1, 5, 5}, players, 3);
    CHECK(a.phase == ATTENTION_FAILED);
    CHECK_THAT(a.error, Contains("shape [1, 2, 1, 5, 5]"));

    other.text = "again";
    attention_wanted(a, other);
    values[3] = std::nanf("");
    attention_arrived(a, 3, values, {1, 1, 1, 5, 5}, players, 3);
    CHECK(a.phase == ATTENTION_FAILED);
    CHECK_THAT(a.error, Contains("query 0, key 3: NaN"));

    attention_failed(a, 2, "stale");
    CHECK_THAT(a.error, Contains("NaN"));
    attention_failed(a, 3, "the internals graph could not be opened");
    CHECK(a.error == "the internals graph could not be opened");
}

TEST_CASE("when there is no attention to show, the view says why in one line", "[attention]") {
    const loaded_result r = three_words();
    CHECK(attention_unavailable(&r, true).empty());
    CHECK_THAT(attention_unavailable(&r, false), Contains("declares no attention output"));
    CHECK_THAT(attention_unavailable(nullptr, true), Contains("Explain a text first"));
    loaded_result components = r;
    components.players       = "components";
    CHECK_THAT(attention_unavailable(&components, true), Contains("beside word explanations"));

    const std::string spam = app_test::read_file("models/spam-transformer/model.json");
    CHECK_FALSE(manifest_declares_attentions(spam));
    CHECK_FALSE(manifest_declares_attentions("not json"));
    nlohmann::json with = nlohmann::json::parse(spam);
    with["internals"]   = {{"onnx", "internals.onnx"}, {"hidden_states", "h"}};
    CHECK_FALSE(manifest_declares_attentions(with.dump()));  // hidden states only
    with["internals"]["attentions"] = "a";
    CHECK(manifest_declares_attentions(with.dump()));
}
