// Server-text models (text/server_text.h): the masked texts an inference server receives, and an
// explanation end to end with a "server" that scores the masked text itself.
#include "explain/explain_options.h"
#include "explain/text_explainer.h"
#include "fake_models.h"
#include "text/server_text.h"
#include "text/text_error.h"

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

using spexlens::ordered_json;
using spexlens::text_explainer;
using spexlens::text::text_error;
namespace text = spexlens::text;

namespace {

// The masked texts of `text` under masks given as strings of '1' (kept) / '0'.
std::vector<std::string> masked(const std::string & text, const std::vector<std::string> & rows) {
    const text::model_manifest  m = text::parse_server_model(R"({"labels": ["A", "B"]})");
    const text::model_tokenizer t = text::server_text_tokenizer(m);
    const text::prepared_text   p = text::prepare_text(text, t, m, text::GRANULARITY_WORD);
    spex::mask_matrix           masks(int(p.features.size()), rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
        REQUIRE(rows[r].size() == p.features.size());
        for (size_t i = 0; i < rows[r].size(); ++i) {
            masks.set(r, int(i), rows[r][i] == '1');
        }
    }
    std::vector<std::string> out;
    text::masked_texts(p, masks, out);
    return out;
}

// A stand-in for an LLM: log p(A) - log p(B) as a sum of terms over the words the text holds.
double server_score(const std::string & masked_text) {
    std::istringstream    in(masked_text);
    std::set<std::string> words;
    for (std::string w; in >> w;) {
        words.insert(w);
    }
    auto   has   = [&](const char * w) { return words.count(w) > 0; };
    double score = 0.25;
    score += has("urgent") ? 1.5 : 0.0;
    score += has("fever") ? 0.75 : 0.0;
    score += has("no") && has("fever") ? -2.0 : 0.0;
    score += has("chest") && has("pain") ? 3.0 : 0.0;
    return score;
}

// The Möbius coefficient of the set of features whose texts are `words`.
double coef_of(const ordered_json & r, const std::set<std::string> & words) {
    std::set<int> want;
    for (size_t i = 0; i < r["features"].size(); ++i) {
        if (words.count(r["features"][i]["text"].get<std::string>())) {
            want.insert(int(i));
        }
    }
    REQUIRE(want.size() == words.size());
    return spexlens_test::mobius_coef(r, want);
}

}  // namespace

TEST_CASE("a server model names its labels, and anything else is refused by field", "[server]") {
    const text::model_manifest m = text::parse_server_model(R"({"name": "tiny", "labels": [" yes", " no"]})");
    CHECK(text::is_server_text(m));
    CHECK(m.labels == std::vector<std::string>{" yes", " no"});
    CHECK(m.name == "tiny");
    const std::map<std::string, std::string> bad = {{R"({})", "labels: missing"},
                                                    {R"({"labels": []})", "non-empty array"},
                                                    {R"({"labels": ["a", 3]})", "labels[1]"},
                                                    {R"({"labels": ["a", ""]})", "labels[1]"},
                                                    {R"({"labels": ["a", "a"]})", "appears twice"},
                                                    {R"({"labels": ["a"], "labls": 1})", "labls: unknown key"},
                                                    {R"({"labels": ["a"], "name": 5})", "name: expected a string"},
                                                    {R"([1])", "expected an object"},
                                                    {R"({"labels": 1e999})", "not valid JSON"},
                                                    {"{", "not valid JSON"}};
    for (const auto & [json, message] : bad) {
        INFO(json);
        CHECK_THROWS_WITH(text::parse_server_model(json), Catch::Contains(message));
    }
    // A model.json can never claim to be a server model.
    CHECK_THROWS_WITH(text::parse_manifest(R"({"format": "spexlens.model", "tokenizer": {"kind": "server-text"}})"),
                      Catch::Contains("server-text") || Catch::Contains("tokenizer") || Catch::Contains("format"));
}

TEST_CASE("masked texts drop the masked words and keep the text around the kept ones", "[server]") {
    const std::string text = "  Patient has chest pain, no fever.\n";
    // features (punctuation stays with its word): Patient has chest pain, no fever.
    const auto out = masked(text, {"111111", "000000", "011111", "110111", "111011", "111110", "100001"});
    CHECK(out[0] == text);
    CHECK(out[1] == "  \n");
    CHECK(out[2] == "  has chest pain, no fever.\n");
    CHECK(out[3] == "  Patient has pain, no fever.\n");
    CHECK(out[4] == "  Patient has chest no fever.\n");
    CHECK(out[5] == "  Patient has chest pain, no\n");
    CHECK(out[6] == "  Patient fever.\n");
}

TEST_CASE("a server-text explanation recovers the server's terms from masked texts", "[server]") {
    const text::model_manifest  m = text::parse_server_model(R"({"labels": [" yes", " no"]})");
    const text::model_tokenizer t = text::server_text_tokenizer(m);
    text_explainer              x("urgent : chest pain with no fever since monday", m, t,
                                  spexlens::parse_explain_options(R"({"b": 5, "seed": 4, "max_order": 2})"));
    size_t                      first = 0, calls = 0;
    for (;;) {
        const text::model_batch & batch = x.next_batch(200, first);
        if (batch.rows == 0) {
            break;
        }
        REQUIRE(batch.texts.size() == batch.rows);
        CHECK(batch.input_ids.empty());
        std::vector<float> logits;  // [log p(yes), log p(no)]: log-odds of " yes" is their difference
        for (const std::string & s : batch.texts) {
            logits.push_back(float(server_score(s)));
            logits.push_back(0.0f);
        }
        x.submit_logits(first, logits.data(), batch.rows, 2);
        calls += batch.rows;
    }
    const ordered_json r = x.finish("test");
    CHECK(calls == x.total_queries());
    CHECK(r["full_value"].get<double>() == Approx(0.25 + 1.5 + 0.75 - 2.0 + 3.0));
    CHECK(r["baseline_value"].get<double>() == Approx(0.25));
    CHECK(coef_of(r, {"urgent"}) == Approx(1.5).margin(1e-5));
    CHECK(coef_of(r, {"fever"}) == Approx(0.75).margin(1e-5));
    CHECK(coef_of(r, {"no", "fever"}) == Approx(-2.0).margin(1e-5));
    CHECK(coef_of(r, {"chest", "pain"}) == Approx(3.0).margin(1e-5));
    CHECK(coef_of(r, {"monday"}) == Approx(0.0).margin(1e-5));
    CHECK(r["target"]["class"] == " yes");
}

TEST_CASE("a server model cannot be explained by components", "[server]") {
    const text::model_manifest  m = text::parse_server_model(R"({"labels": ["A", "B"]})");
    const text::model_tokenizer t = text::server_text_tokenizer(m);
    CHECK_THROWS_WITH(
        text_explainer("some words here", m, t, spexlens::parse_explain_options(R"({"players": "heads"})")),
        Catch::Contains("inference server"));
}
