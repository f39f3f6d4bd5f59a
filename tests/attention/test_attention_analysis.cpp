// Attention analysis on toys small enough to compute by hand: a 3-token, 2-layer model whose
// received attention and rollout are worked out in the comments, Spearman on known pairs (ties
// included), the disagreements, and the messages for bad shapes, maps and values.
#include "attention/attention_analysis.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace spexlens::attention;
using Catch::Matchers::Contains;

namespace {

// Layer 1 and layer 2 of the toy, query by key, over [CLS], w0, w1.
const std::vector<float> layer1 = {0.5f, 0.25f, 0.25f,  //
                                   0.5f, 0.5f,  0.0f,   //
                                   0.0f, 0.5f,  0.5f};
const std::vector<float> layer2 = {0.0f, 0.0f, 1.0f,  //
                                   1.0f, 0.0f, 0.0f,  //
                                   0.0f, 1.0f, 0.0f};

attention_tensor toy() {
    attention_tensor t;
    t.layers = 2;
    t.heads  = 1;
    t.seq    = 3;
    t.values = layer1;
    t.values.insert(t.values.end(), layer2.begin(), layer2.end());
    return t;
}

template <typename F> std::string message_of(F && body) {
    try {
        body();
    } catch (const attention_error & e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("token_word_map lays out the frame, the players' tokens and padding") {
    // [CLS] t0 t1 t2 [SEP] pad pad: player 0 holds t0, player 1 holds t1 and t2.
    const std::vector<int> map = token_word_map(1, 3, {{0, 1}, {1, 2}}, 1, 7);
    CHECK(map == std::vector<int>{special_token, 0, 1, 1, special_token, padding_token, padding_token});
    CHECK_THAT(message_of([] { token_word_map(1, 3, {{0, 1}}, 1, 4); }), Contains("only 4 positions"));
    CHECK_THAT(message_of([] { token_word_map(1, 3, {{2, 2}}, 1, 5); }), Contains("player 0 holds tokens 2 to 4"));
}

TEST_CASE("received attention of the 3-token, 2-layer toy, by hand") {
    const received_attention r = analyse_attention(toy(), {special_token, 0, 1}, 2);
    REQUIRE(r.input_tokens == 3);
    // Layer 1: w0 gets (0.25 + 0.5 + 0.5) / 3, w1 (0.25 + 0 + 0.5) / 3, [CLS] (0.5 + 0.5 + 0) / 3.
    CHECK(r.received(0, 0, 0) == Approx(1.25 / 3));
    CHECK(r.received(0, 0, 1) == Approx(0.25));
    CHECK(r.special_per_head[0] == Approx(1.0 / 3));
    // Layer 2: each token gets one query's whole attention.
    CHECK(r.received(1, 0, 0) == Approx(1.0 / 3));
    CHECK(r.received(1, 0, 1) == Approx(1.0 / 3));
    CHECK(r.padding_per_head[0] == 0.0);
    // One head: the head mean is that head.
    CHECK(attention_series(r, {SERIES_LAYER_MEAN, 0, 0})[0] == Approx(1.25 / 3));
}

TEST_CASE("the rollout of the toy, by hand, from the [CLS] row") {
    // (A1 + I) / 2 = [.75 .125 .125; .25 .75 0; 0 .25 .75], (A2 + I) / 2 = [.5 0 .5; .5 .5 0; 0 .5 .5];
    // row 0 of the product (layer 2 on the left) = 0.5 * row 0 + 0.5 * row 2 of the first.
    const received_attention r = analyse_attention(toy(), {special_token, 0, 1}, 2);
    CHECK(r.rollout_from == ROLLOUT_FIRST_TOKEN);
    CHECK(r.rollout[0] == Approx(0.1875));
    CHECK(r.rollout[1] == Approx(0.4375));
    CHECK(r.special_rollout == Approx(0.375));
    CHECK(special_share(r, {SERIES_ROLLOUT, 0, 0}) == Approx(0.375));
}

TEST_CASE("without a leading special token the rollout reads the mean row") {
    // Rows of the product: [.375 .1875 .4375], [.5 .4375 .0625], [.125 .5 .375]; their mean.
    const received_attention r = analyse_attention(toy(), {0, 1, 2}, 3);
    CHECK(r.rollout_from == ROLLOUT_MEAN_ROW);
    CHECK(r.rollout[0] == Approx(1.0 / 3));
    CHECK(r.rollout[1] == Approx(0.375));
    CHECK(r.rollout[2] == Approx(0.875 / 3));
    CHECK(r.special_rollout == 0.0);
}

TEST_CASE("padding is neither a query nor a player, and its share is reported") {
    // The toy with a fourth, padded position: input queries give it nothing; its own row is
    // anything (here uniform) and must not count.
    attention_tensor t = toy();
    t.seq              = 4;
    t.values.clear();
    for (const auto * layer : {&layer1, &layer2}) {
        for (size_t q = 0; q < 3; ++q) {
            t.values.insert(t.values.end(), layer->begin() + long(q * 3), layer->begin() + long(q * 3 + 3));
            t.values.push_back(0.0f);
        }
        t.values.insert(t.values.end(), 4, 0.25f);
    }
    const received_attention r = analyse_attention(t, {special_token, 0, 1, padding_token}, 2);
    CHECK(r.input_tokens == 3);
    CHECK(r.received(0, 0, 0) == Approx(1.25 / 3));
    CHECK(r.rollout[1] == Approx(0.4375));
}

TEST_CASE("the mean of heads, layer by layer") {
    // A second head attending uniformly: layer 1's mean for w0 is (1.25 / 3 + 1 / 3) / 2.
    attention_tensor t = toy();
    t.heads            = 2;
    t.values.clear();
    for (const auto * layer : {&layer1, &layer2}) {
        t.values.insert(t.values.end(), layer->begin(), layer->end());
        t.values.insert(t.values.end(), 9, 1.0f / 3);
    }
    const received_attention r = analyse_attention(t, {special_token, 0, 1}, 2);
    CHECK(r.received(0, 1, 0) == Approx(1.0 / 3));
    CHECK(attention_series(r, {SERIES_LAYER_MEAN, 0, 0})[0] == Approx((1.25 / 3 + 1.0 / 3) / 2));
    CHECK(attention_series(r, {SERIES_HEAD, 1, 0})[1] == Approx(1.0 / 3));
    CHECK(r.special_mean[0] == Approx((1.0 / 3 + 1.0 / 3) / 2));
    CHECK(series_name(r, {SERIES_HEAD, 1, 0}) == "layer 2, head 1");
    CHECK(series_name(r, {SERIES_LAYER_MEAN, 0, 0}) == "layer 1, mean of 2 heads");
    CHECK_THAT(message_of([&] { attention_series(r, {SERIES_HEAD, 0, 2}); }), Contains("head 3 does not exist"));
    CHECK_THAT(message_of([&] { attention_series(r, {SERIES_LAYER_MEAN, 2, 0}); }), Contains("layer 3 does not exist"));
}

TEST_CASE("bad shapes, maps and values are refused with messages") {
    attention_tensor short_tensor = toy();
    short_tensor.values.pop_back();
    CHECK_THAT(message_of([&] {
                   analyse_attention(short_tensor, {special_token, 0, 1}, 2);
               }),
               Contains("needs 18 values but there are 17"));
    CHECK_THAT(message_of([] {
                   analyse_attention(toy(), {special_token, 0}, 2);
               }),
               Contains("token map has 2 positions but the tensor 3"));
    CHECK_THAT(message_of([] {
                   analyse_attention(toy(), {special_token, 0, 2}, 2);
               }),
               Contains("position 2 names player 2 but there are 2"));
    attention_tensor nan_tensor = toy();
    nan_tensor.values[13]       = std::nanf("");
    CHECK_THAT(message_of([&] {
                   analyse_attention(nan_tensor, {special_token, 0, 1}, 2);
               }),
               Contains("layer 2, head 1, query 1, key 1: NaN"));
    attention_tensor scores = toy();
    scores.values[0]        = 2.0f;
    CHECK_THAT(message_of([&] { analyse_attention(scores, {special_token, 0, 1}, 2); }), Contains("not 1"));
    CHECK_THAT(message_of([] {
                   analyse_attention(toy(), {padding_token, padding_token, padding_token}, 2);
               }),
               Contains("every position is padding"));
    attention_tensor huge = toy();
    huge.seq              = max_sequence + 1;
    CHECK_THAT(message_of([&] { analyse_attention(huge, std::vector<int>(max_sequence + 1, 0), 1); }),
               Contains("not analysed"));
}

TEST_CASE("average ranks give ties the mean of their ranks") {
    CHECK(average_ranks({3.0, 1.0, 3.0, 2.0}) == std::vector<double>{3.5, 1.0, 3.5, 2.0});
    CHECK(average_ranks({5.0, 5.0, 5.0}) == std::vector<double>{2.0, 2.0, 2.0});
}

TEST_CASE("Spearman on known pairs, ties included") {
    CHECK(spearman({1, 2, 3, 4}, {4, 3, 2, 1}) == Approx(-1.0));
    CHECK(spearman({10, 20, 30}, {1, 3, 2}) == Approx(0.5));  // 1 - 6 * 2 / (3 * 8)
    // b's ranks [1, 2, 3.5, 5, 3.5]: 8 / sqrt(10 * 9.5).
    CHECK(spearman({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}) == Approx(8.0 / std::sqrt(95.0)));
    CHECK(std::isnan(spearman({1, 2, 3}, {2, 2, 2})));
    CHECK(std::isnan(spearman({1}, {2})));
    CHECK_THAT(message_of([] { spearman({1, 2}, {1, 2, 3}); }), Contains("cannot compare 2 values with 3"));
    CHECK_THAT(message_of([] { spearman({1, std::nan("")}, {1, 2}); }), Contains("value 1 is not a finite number"));
}

TEST_CASE("the comparison with use ranks effects by magnitude and lists the disagreements") {
    // Ranks of attention [4, 3, 2, 1], of |effects| [2, 3, 1, 4]; gaps / 3: 2/3, 0, 1/3, -1.
    const attention_use_comparison c = compare_with_use({0.4, 0.3, 0.2, 0.1}, {-0.1, 0.2, 0.0, -3.0}, 5);
    CHECK(c.spearman == Approx(-0.4));
    REQUIRE(c.looked_at_little_used.size() == 2);
    CHECK(c.looked_at_little_used[0].player == 0);
    CHECK(c.looked_at_little_used[0].gap == Approx(2.0 / 3));
    CHECK(c.looked_at_little_used[1].player == 2);
    REQUIRE(c.used_little_looked_at.size() == 1);
    CHECK(c.used_little_looked_at[0].player == 3);
    CHECK(c.used_little_looked_at[0].use_rank == 4.0);
    CHECK(c.used_little_looked_at[0].gap == Approx(-1.0));
    const attention_use_comparison capped = compare_with_use({0.4, 0.3, 0.2, 0.1}, {-0.1, 0.2, 0.0, -3.0}, 1);
    CHECK(capped.looked_at_little_used.size() == 1);
}
