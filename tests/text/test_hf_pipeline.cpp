// The Hugging Face tokenizer assembled (src/text/hf/hf_tokenizer.*) and used by the text layer:
// added tokens and the post-processor as the JavaScript port handles them, words over sub-word
// tokens (prepare_text), the frame and the three masking methods (build_model_batch), and
// model.json derived from an exported folder (exported_folder.*). The ids expected here were
// checked against @huggingface/tokenizers 0.2.0.
#include "text/exported_folder.h"
#include "text/hf/hf_tokenizer.h"
#include "text/model_batch.h"
#include "text/model_tokenizer.h"
#include "text/prepared_text.h"
#include "text/text_error.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::text;
using nlohmann::json;

namespace {

// A BERT-style tokenizer.json: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4, then a few pieces.
json bert_tokenizer_json() {
    const char * pieces[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]",  "[MASK]", "free", "money", "!",   "click",
                             "here",  "un",    "##aff", "##able", "the",    "cafe", ".",     "##s", "pain"};
    json         vocab    = json::object();
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; ++i) {
        vocab[pieces[i]] = i;
    }
    json added = json::array();
    for (int i = 0; i < 5; ++i) {
        added.push_back({{"id", i},
                         {"content", pieces[i]},
                         {"single_word", false},
                         {"lstrip", false},
                         {"rstrip", false},
                         {"normalized", false},
                         {"special", true}});
    }
    return {
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens", added},
        {"normalizer",
         {{"type", "BertNormalizer"},
          {"clean_text", true},
          {"handle_chinese_chars", true},
          {"strip_accents", nullptr},
          {"lowercase", true}}},
        {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
        {"post_processor",
         {{"type", "TemplateProcessing"},
          {"single", json::parse(R"([{"SpecialToken":{"id":"[CLS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}},
                                          {"SpecialToken":{"id":"[SEP]","type_id":0}}])")},
          {"pair", json::array()},
          {"special_tokens", json::parse(R"({"[CLS]":{"id":"[CLS]","ids":[2],"tokens":["[CLS]"]},
                                                  "[SEP]":{"id":"[SEP]","ids":[3],"tokens":["[SEP]"]}})")}}},
        {"decoder", nullptr},
        {"model",
         {{"type", "WordPiece"},
          {"unk_token", "[UNK]"},
          {"continuing_subword_prefix", "##"},
          {"max_input_chars_per_word", 100},
          {"vocab", vocab}}}};
}

std::vector<int32_t> ids_of(const std::vector<hf::encoded_token> & tokens) {
    std::vector<int32_t> out;
    for (const auto & t : tokens) {
        out.push_back(t.id);
    }
    return out;
}

model_manifest hf_manifest(const char * masking, int max_length = 64, bool token_types = true) {
    json m         = text_test::valid_manifest_json();
    m["tokenizer"] = {{"kind", "hf-tokenizer-json"}, {"max_length", max_length}};
    m["masking"]   = masking;
    m.erase("files");
    if (token_types) {
        m["inputs"].push_back({{"name", "token_type_ids"},
                               {"role", "token_type_ids"},
                               {"type", "int64"},
                               {"shape", {"batch", "sequence"}}});
    }
    return parse_manifest(m.dump());
}

std::vector<int32_t> row_of(const std::vector<int32_t> & v, size_t row, size_t seq) {
    return std::vector<int32_t>(v.begin() + row * seq, v.begin() + (row + 1) * seq);
}

}  // namespace

TEST_CASE("encode: normalizer, pre-tokenizer, WordPiece and the template, with offsets", "[hf][tokenizer]") {
    const auto t = hf::tokenizer::parse(bert_tokenizer_json().dump());
    const auto e = t->encode("Free CAFÉ unaffable!");
    // [CLS] free cafe un ##aff ##able ! [SEP]: strip_accents null follows lowercase, so "CAFÉ"
    // becomes "cafe".
    CHECK(ids_of(e) == std::vector<int32_t>{2, 5, 14, 10, 11, 12, 7, 3});
    REQUIRE(e.size() == 8);
    CHECK(e[0].special);
    CHECK(e[7].special);
    CHECK(e[2].bytes == hf::byte_range{5, 10});  // "CAFÉ" is 5 bytes
    CHECK(e[3].bytes == hf::byte_range{11, 13});
    CHECK(e[5].bytes == hf::byte_range{16, 20});
    CHECK(e[6].bytes == hf::byte_range{20, 21});
    CHECK(ids_of(t->encode("Free", false)) == std::vector<int32_t>{5});
}

TEST_CASE("added tokens are found in the original text, with lstrip and rstrip", "[hf][tokenizer]") {
    json j = bert_tokenizer_json();
    j["added_tokens"].push_back({{"id", 18},
                                 {"content", "<note>"},
                                 {"single_word", false},
                                 {"lstrip", true},
                                 {"rstrip", true},
                                 {"normalized", false},
                                 {"special", false}});
    const auto t = hf::tokenizer::parse(j.dump());
    const auto e = t->encode("free <note> [MASK]click", false);
    CHECK(ids_of(e) == std::vector<int32_t>{5, 18, 4, 8});
    CHECK(e[1].added);
    CHECK_FALSE(e[1].special);
    CHECK(e[2].special);
    CHECK(e[1].bytes == hf::byte_range{5, 11});
    int32_t id = -1;
    CHECK(t->token_to_id("<note>", id));
    CHECK(id == 18);
    CHECK(t->vocab_size() == 19);
}

TEST_CASE("post-processors reduce to specials around one sequence", "[hf][tokenizer]") {
    json j              = bert_tokenizer_json();
    j["post_processor"] = {{"type", "BertProcessing"}, {"sep", {"[SEP]", 3}}, {"cls", {"[CLS]", 2}}};
    const auto bert     = hf::tokenizer::parse(j.dump());
    CHECK(ids_of(bert->encode("free")) == std::vector<int32_t>{2, 5, 3});
    j["post_processor"] = json::parse(R"({"type":"Sequence","processors":[{"type":"ByteLevel"},
        {"type":"RobertaProcessing","sep":["[SEP]",3],"cls":["[CLS]",2],"trim_offsets":true,"add_prefix_space":false}]})");
    CHECK(ids_of(hf::tokenizer::parse(j.dump())->encode("free")) == std::vector<int32_t>{2, 5, 3});
    j["post_processor"] = nullptr;
    CHECK(ids_of(hf::tokenizer::parse(j.dump())->encode("free")) == std::vector<int32_t>{5});
    j["post_processor"] = {{"type", "Frobnicate"}};
    CHECK_THROWS_WITH(hf::tokenizer::parse(j.dump()), "tokenizer.json: post_processor Frobnicate is not supported");
}

TEST_CASE("a tokenizer.json without a pre_tokenizer is described without reading a missing key", "[hf][tokenizer]") {
    // fuzz_hf_tokenizer found const operator[] on the absent "pre_tokenizer" (undefined
    // behaviour: a heap-use-after-free under ASan). The fuzzer's input, kept in its corpus too.
    const std::string json_text =
        text_test::read_file(text_test::source_path("tests/fuzz/corpus/hf_tokenizer/regression-no-pre-tokenizer"));
    const auto t = hf::tokenizer::parse(json_text);
    CHECK_THAT(t->description(), Catch::Contains("normalizer Sequence"));
    CHECK_THAT(t->description(), !Catch::Contains("pre-tokenizer"));
}

TEST_CASE("a broken or unsupported tokenizer.json is refused by name", "[hf][tokenizer]") {
    CHECK_THROWS_WITH(hf::tokenizer::parse("{\"model\": "), Catch::StartsWith("tokenizer.json: not valid JSON"));
    CHECK_THROWS_WITH(hf::tokenizer::parse("[1, 2]"), Catch::StartsWith("tokenizer.json: expected a JSON object"));
    CHECK_THROWS_WITH(hf::tokenizer::parse("{\"normalizer\": null}"),
                      Catch::StartsWith("tokenizer.json: model: missing"));
    CHECK_THROWS_WITH(hf::tokenizer::parse("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}, \"x\": 1e999}"),
                      Catch::StartsWith("tokenizer.json: not valid JSON"));
    json j          = bert_tokenizer_json();
    j["normalizer"] = {{"type", "Precompiled"}, {"precompiled_charsmap", "AAAA"}};
    CHECK_THROWS_WITH(hf::tokenizer::parse(j.dump()), Catch::Contains("normalizer Precompiled is not supported"));
}

TEST_CASE("prepare_text: a word is every sub-word token inside it", "[hf][prepared]") {
    const model_manifest  m = hf_manifest("mask_token");
    const model_tokenizer t = model_tokenizer::from_file(m, bert_tokenizer_json().dump());
    const prepared_text   p = prepare_text("Unaffable cafes, free!", t, m, GRANULARITY_WORD);
    // Words: "Unaffable" (un ##aff ##able), "cafes," (cafe ##s [UNK]: "," is not in the
    // vocabulary), "free!" (free !).
    REQUIRE(p.features.size() == 3);
    CHECK(p.features[0].text == "Unaffable");
    CHECK(p.features[0].token_count == 3);
    CHECK(p.features[1].text == "cafes,");
    CHECK(p.features[1].first_token == 3);
    CHECK(p.features[1].token_count == 3);
    CHECK(p.features[2].text == "free!");
    CHECK(p.features[2].token_count == 2);
    CHECK(p.token_ids == std::vector<int32_t>{10, 11, 12, 14, 16, 1, 5, 7});
    CHECK(p.frame.before == std::vector<int32_t>{2});
    CHECK(p.frame.after == std::vector<int32_t>{3});
    CHECK(p.frame.mask_id == 4);
    CHECK(p.frame.pad_id == 0);
    CHECK(p.window.special_tokens == 2);
}

TEST_CASE("prepare_text: the window counts [CLS] and [SEP]", "[hf][prepared]") {
    const model_manifest  m = hf_manifest("mask_token", 6);
    const model_tokenizer t = model_tokenizer::from_file(m, bert_tokenizer_json().dump());
    // 4 positions for text: "free" (1) + "unaffable" (3) fit, "click" does not.
    const prepared_text p = prepare_text("free unaffable click", t, m, GRANULARITY_WORD);
    CHECK(p.features.size() == 2);
    CHECK(p.window.truncated);
    CHECK(p.notes.at(0).find("max_length 6 with [CLS] and [SEP]") != std::string::npos);
}

TEST_CASE("batches: the frame around the text, token types, and the three masking methods", "[hf][batch]") {
    spex::mask_matrix masks(3, 3);  // 3 players, 3 rows; row 2 drops everything
    for (int i = 0; i < 3; ++i) {
        masks.set(0, i, true);
    }
    masks.set(1, 2, true);  // row 1 drops the first two words
    for (const char * method : {"attention", "mask_token", "remove"}) {
        const model_manifest  m = hf_manifest(method);
        const model_tokenizer t = model_tokenizer::from_file(m, bert_tokenizer_json().dump());
        const prepared_text   p = prepare_text("unaffable free click", t, m, GRANULARITY_WORD);
        model_batch           b;
        build_model_batch(p, m, masks, b);
        REQUIRE(b.seq_length == 7);
        CHECK(row_of(b.input_ids, 0, 7) == std::vector<int32_t>{2, 10, 11, 12, 5, 8, 3});
        CHECK(row_of(b.attention_mask, 0, 7) == std::vector<int32_t>{1, 1, 1, 1, 1, 1, 1});
        CHECK(row_of(b.token_type_ids, 1, 7) == std::vector<int32_t>{0, 0, 0, 0, 0, 0, 0});
        CHECK(b.position_ids.empty());
        const std::string name = method;
        if (name == "attention") {
            CHECK(row_of(b.input_ids, 1, 7) == std::vector<int32_t>{2, 10, 11, 12, 5, 8, 3});
            CHECK(row_of(b.attention_mask, 1, 7) == std::vector<int32_t>{1, 0, 0, 0, 0, 1, 1});
        } else if (name == "mask_token") {
            CHECK(row_of(b.input_ids, 1, 7) == std::vector<int32_t>{2, 4, 4, 4, 4, 8, 3});
            CHECK(row_of(b.attention_mask, 1, 7) == std::vector<int32_t>{1, 1, 1, 1, 1, 1, 1});
        } else {
            CHECK(row_of(b.input_ids, 1, 7) == std::vector<int32_t>{2, 8, 3, 0, 0, 0, 0});
            CHECK(row_of(b.attention_mask, 1, 7) == std::vector<int32_t>{1, 1, 1, 0, 0, 0, 0});
            CHECK(row_of(b.input_ids, 2, 7) == std::vector<int32_t>{2, 3, 0, 0, 0, 0, 0});
        }
    }
}

TEST_CASE("mask_token masking without a mask token is refused when the tokenizer is read", "[hf][prepared]") {
    json j = bert_tokenizer_json();
    j["model"]["vocab"].erase("[MASK]");
    j["added_tokens"].erase(4);
    CHECK_THROWS_WITH(model_tokenizer::from_file(hf_manifest("mask_token"), j.dump()),
                      Catch::Contains("mask_token needs a mask token"));
    CHECK_NOTHROW(model_tokenizer::from_file(hf_manifest("remove"), j.dump()));
}

namespace {

exported_folder bert_folder() {
    exported_folder f;
    f.name                  = "my-bert";
    f.config_json           = R"({"architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "vocab_size": 18, "max_position_embeddings": 128, "pad_token_id": 0,
        "id2label": {"0": "ham", "1": "spam"}, "label2id": {"ham": 0, "spam": 1}})";
    f.tokenizer_json        = bert_tokenizer_json().dump();
    f.tokenizer_config_json = R"({"mask_token": "[MASK]", "pad_token": "[PAD]", "model_max_length": 512})";
    text_test::set_bert_classifier_graph(f);
    return f;
}

}  // namespace

TEST_CASE("derive_manifest: an optimum-style BERT folder needs no model.json", "[hf][folder]") {
    const derived_manifest d = derive_manifest(bert_folder());
    const model_manifest   m = parse_manifest(d.manifest_json);
    CHECK(m.name == "my-bert");
    CHECK(m.onnx_file == "onnx/model.onnx");
    CHECK(m.vocab_file == "tokenizer.json");
    CHECK(m.hf_tokenizer());
    CHECK(m.labels == std::vector<std::string>{"ham", "spam"});
    CHECK(m.max_length == 128);  // the position table is smaller than model_max_length
    CHECK(m.masking == MASKING_MASK_TOKEN);
    CHECK(m.mask_id == 4);
    CHECK(m.pad_id == 0);
    CHECK(m.default_target.class_index == 1);
    REQUIRE(m.input_with_role(INPUT_TOKEN_TYPE_IDS) != nullptr);
    CHECK(m.input_with_role(INPUT_TOKEN_TYPE_IDS)->name == "token_type_ids");
    CHECK_FALSE(d.target_asked);
    CHECK_FALSE(d.notes.empty());
}

TEST_CASE("derive_manifest refuses what it cannot derive, saying what to add", "[hf][folder]") {
    exported_folder f = bert_folder();
    f.config_json     = R"({"model_type": "bert"})";
    CHECK_THROWS_WITH(derive_manifest(f), Catch::Contains("no id2label"));
    f         = bert_folder();
    f.outputs = {{"logits", "float32", {-1, 3}}};
    CHECK_THROWS_WITH(derive_manifest(f), Catch::Contains("names 2 labels but the model's \"logits\" has 3 columns"));
    f        = bert_folder();
    f.inputs = {{"input_ids", "int64", {}}, {"attention_mask", "int64", {}}, {"pixel_values", "float32", {}}};
    CHECK_THROWS_WITH(derive_manifest(f), Catch::Contains("\"pixel_values\" is not one spexlens knows"));
    f             = bert_folder();
    f.config_json = R"({"vocab_size": 10, "id2label": {"0": "a", "1": "b"}})";
    CHECK_THROWS_WITH(derive_manifest(f), Catch::Contains("this tokenizer is not the model's"));
    f                = bert_folder();
    f.tokenizer_json = "{";
    CHECK_THROWS_WITH(derive_manifest(f), Catch::StartsWith("tokenizer.json: not valid JSON"));
    f             = bert_folder();
    f.config_json = R"({"id2label": {"0": "a", "1": "b", "2": "c"}})";
    f.outputs     = {{"logits", "float32", {}}};
    CHECK(derive_manifest(f).target_asked);
    // A model_type that is not a string (found by fuzz_manifest): a message, not a raw
    // nlohmann type_error escaping the parser.
    for (const char * bad : {R"({"model_type": {"onnx": "model.onnx"}, "id2label": {"0": "a", "1": "b"}})",
                             R"({"model_type": 7, "id2label": {"0": "a", "1": "b"}})",
                             R"({"model_type": ["bert"], "id2label": {"0": "a", "1": "b"}})"}) {
        f             = bert_folder();
        f.config_json = bad;
        CHECK_THROWS_AS(derive_manifest(f), text_error);
        CHECK_THROWS_WITH(derive_manifest(f), Catch::Contains("\"model_type\" must be a string such as \"bert\""));
    }
}

TEST_CASE("choose_onnx_file: one file, or the layout's names, else a question", "[hf][folder]") {
    CHECK(choose_onnx_file({"config.json", "onnx/model_quantized.onnx"}) == "onnx/model_quantized.onnx");
    CHECK(choose_onnx_file({"onnx/model_quantized.onnx", "onnx/model.onnx"}) == "onnx/model.onnx");
    CHECK(choose_onnx_file({"onnx/model.onnx", "model.onnx"}) == "model.onnx");
    CHECK_THROWS_WITH(choose_onnx_file({"a.onnx", "b.onnx"}), Catch::Contains("a.onnx and b.onnx"));
    CHECK_THROWS_WITH(choose_onnx_file({"config.json"}), Catch::Contains("no .onnx file"));
}

TEST_CASE("derive_manifest declares the internals graph when the folder has one", "[hf][folder][internals]") {
    exported_folder f            = bert_folder();
    f.files                      = {"config.json", "tokenizer.json", "onnx/model.onnx"};
    const derived_manifest plain = derive_manifest(f);
    CHECK_FALSE(parse_manifest(plain.manifest_json).internals.declared());

    f.files.push_back("onnx/model_internals.onnx");
    const derived_manifest d = derive_manifest(f);
    const model_manifest   m = parse_manifest(d.manifest_json);
    REQUIRE(m.internals.declared());
    CHECK(m.internals.onnx_file == "onnx/model_internals.onnx");
    CHECK(m.internals.attentions == "attentions");
    CHECK(m.internals.hidden_states == "hidden_states");
    CHECK(m.onnx_file == "onnx/model.onnx");  // the explanation keeps the plain graph
    bool noted = false;
    for (const std::string & note : d.notes) {
        noted = noted || note.rfind("internals: onnx/model_internals.onnx", 0) == 0;
    }
    CHECK(noted);
}
