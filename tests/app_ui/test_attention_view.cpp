// The attention view drawn headlessly: opened by its button, it asks for the attention of the
// result on screen (phase WANTED for the web glue), draws the honest sentence, the correlation
// and the words once the attention has arrived, says why in one line when the model declares
// no attentions, and shows a broken tensor's message.
#include "app/ui/views.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::app;
using ui_test::harness;
namespace at = spexlens::attention;

namespace {

// The planted-and result on screen and its model in the picker, declaring attentions or not.
void show_result(harness & h, bool attentions) {
    loaded_result r = ui_test::load_result("tests/app/data/planted_and_result.json");
    model_entry   m;
    m.key        = "planted-and";
    m.title      = "planted-and";
    m.sha256     = r.model_sha256;
    m.attentions = attentions;
    h.s.models.push_back(m);
    h.s.settings.model_key = m.key;
    ui_test::show(h.s, std::move(r));
    h.frames(2);
}

// [CLS] w0 ... w{n-1} [SEP], one layer and one head: query q gives key k weight (k + 1) / sum.
void answer(harness & h, std::vector<float> & values, std::vector<int> & players) {
    const int n   = h.s.result->n;
    const int seq = n + 2;
    players.assign(size_t(seq), at::special_token);
    for (int p = 0; p < n; ++p) {
        players[size_t(p + 1)] = p;
    }
    values.assign(size_t(seq * seq), 0.0f);
    const float sum = float(seq * (seq + 1) / 2);
    for (int q = 0; q < seq; ++q) {
        for (int k = 0; k < seq; ++k) {
            values[size_t(q * seq + k)] = float(k + 1) / sum;
        }
    }
    attention_arrived(h.s.attention, h.s.attention.request_id, values, {1, 1, 1, seq, seq}, players, size_t(n));
}

}  // namespace

TEST_CASE("the attention view asks for the result's attention and shows it beside use", "[attention]") {
    harness h;
    show_result(h, true);
    REQUIRE(h.has("attention-open"));
    h.click("attention-open");
    h.frames(1);
    CHECK(h.s.attention.open);
    CHECK(h.s.attention.phase == ATTENTION_WANTED);
    const int asked = h.s.attention.request_id;
    attention_sent(h.s.attention);
    h.frames(1);
    CHECK(h.s.attention.request_id == asked);  // one request per text
    CHECK_FALSE(h.has("attention-honest"));

    std::vector<float> values;
    std::vector<int>   players;
    answer(h, values, players);
    REQUIRE(h.s.attention.phase == ATTENTION_READY);
    h.frames(2);
    CHECK(h.has("attention-honest"));
    CHECK(h.has("attention-correlation"));
    CHECK(h.has("attention-series"));
    h.click("attention-sort-use");
    h.frames(1);
    CHECK(h.s.attention.sort_by_use);
    h.click("attention-close");
    h.frames(1);
    CHECK_FALSE(h.s.attention.open);
}

TEST_CASE("the attention view says in one line when the model declares no attentions", "[attention]") {
    harness h;
    show_result(h, false);
    h.s.attention.open = true;
    h.frames(2);
    CHECK(h.has("attention-unavailable"));
    CHECK(h.s.attention.phase == ATTENTION_IDLE);  // nothing is asked of the worker
}

TEST_CASE("the attention view shows why a broken attention output cannot be read", "[attention]") {
    harness h;
    show_result(h, true);
    h.s.attention.open = true;
    h.frames(1);
    attention_arrived(h.s.attention, h.s.attention.request_id, {0.5f}, {1, 1, 1, 1, 1}, {at::special_token}, 3);
    h.frames(2);
    CHECK(h.s.attention.phase == ATTENTION_FAILED);
    CHECK(h.has("attention-error"));
}
