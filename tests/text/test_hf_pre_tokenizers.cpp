// Hugging Face pre-tokenizers (src/text/hf/pre_tokenizers.h). The expected pieces were produced
// by the JS port @huggingface/tokenizers 0.2.0, the parity oracle (its Tokenizer's pre_tokenizer
// on the same config and input); the configs of Llama 3, Qwen 3, GPT-4o and Gemma 3 are those of
// their tokenizer.json files. Every piece is also checked to map back to the input bytes it came
// from.
#include "text/hf/hf_types.h"
#include "text/hf/normalizers.h"
#include "text/hf/pre_tokenizers.h"
#include "text/text_error.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace spexlens::text;
using namespace spexlens::text::hf;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

struct piece {
    std::string text;      // the piece after pre-tokenization
    std::string original;  // the input bytes it covers
};

std::vector<piece> pieces_of(const std::vector<split> & splits, const std::string & input) {
    std::vector<piece> out;
    for (const split & s : splits) {
        REQUIRE(s.text.alignments().size() == s.text.str().size());
        const byte_range r = s.text.original({0, s.text.str().size()});
        REQUIRE(r.end <= input.size());
        out.push_back({s.text.str(), input.substr(r.start, r.size())});
    }
    return out;
}

std::vector<piece> run(const json & config, const std::string & input) {
    const std::unique_ptr<pre_tokenizer> p = parse_pre_tokenizer(config);
    REQUIRE(p != nullptr);
    return pieces_of(pre_tokenize_text(*p, normalized_string(input)), input);
}

std::vector<std::string> texts(const std::vector<piece> & pieces) {
    std::vector<std::string> out;
    for (const piece & p : pieces) {
        out.push_back(p.text);
    }
    return out;
}

std::vector<std::string> originals(const std::vector<piece> & pieces) {
    std::vector<std::string> out;
    for (const piece & p : pieces) {
        out.push_back(p.original);
    }
    return out;
}

// The pieces must cover the input in order (for pre-tokenizers that drop nothing).
std::string joined_originals(const std::vector<piece> & pieces) {
    std::string out;
    for (const piece & p : pieces) {
        out += p.original;
    }
    return out;
}

const char * const llama3_regex = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
                                  "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const char * const qwen3_regex  = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| "
                                  "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const char * const gpt4o_regex =
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'"
    "ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'"
    "ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

json split_then_byte_level(const char * regex, const char * behavior, bool invert) {
    return {{"type", "Sequence"},
            {"pretokenizers",
             {{{"type", "Split"}, {"pattern", {{"Regex", regex}}}, {"behavior", behavior}, {"invert", invert}},
              {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", false}}}}};
}

const std::string sample = "Hello, WORLD! It's 12345 héllo  \n\n  中文 ÀB'S don'T x\t\ty ﬁ";

}  // namespace

TEST_CASE("ByteLevel turns GPT-2's pieces into byte characters", "[hf][pre_tokenizer]") {
    const json gpt2  = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", true}};
    const auto hello = run(gpt2, " hello world");
    CHECK(texts(hello) == std::vector<std::string>{"Ġhello", "Ġworld"});
    CHECK(originals(hello) == std::vector<std::string>{" hello", " world"});

    // add_prefix_space, contractions, whitespace runs, digits, multi-byte characters, and
    // JavaScript's \s (U+FEFF is whitespace, U+0085 is not).
    const json        prefixed = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}};
    const std::string input    = "Hello   world\n\n it's 2024 ünï 中\xEF\xBB\xBF\xC2\x85x";
    const auto        p        = run(prefixed, input);
    CHECK(texts(p) == std::vector<std::string>{"ĠHello", "ĠĠ", "Ġworld", "ĊĊ", "Ġit", "'s", "Ġ2024", "ĠÃ¼nÃ¯", "Ġä¸Ń",
                                               "ï»¿", "Âħ", "x"});
    CHECK(originals(p) == std::vector<std::string>{"Hello", "  ", " world", "\n\n", " it", "'s", " 2024", " ünï", " 中",
                                                   "\xEF\xBB\xBF", "\xC2\x85", "x"});
    CHECK(joined_originals(p) == input);  // the prefix space maps onto "H", nothing is lost

    uint8_t b = 0;
    CHECK(byte_to_char(' ') == U'Ġ');
    CHECK(byte_to_char(0) == 0x100);
    CHECK(byte_to_char(0xAD) == 0x143);
    CHECK(char_to_byte(U'Ġ', b));
    CHECK(b == ' ');
    CHECK_FALSE(char_to_byte(0x144, b));
}

TEST_CASE("Llama 3, Qwen 3 and GPT-4o split as the JS port", "[hf][pre_tokenizer]") {
    const auto llama = run(split_then_byte_level(llama3_regex, "Isolated", false), sample);
    CHECK(texts(llama) == std::vector<std::string>{"Hello", ",",    "ĠWORLD",  "!",    "ĠIt", "'s",      "Ġ",
                                                   "123",   "45",   "ĠhÃ©llo", "ĠĠĊĊ", "Ġ",   "Ġä¸Ńæĸĩ", "ĠÃĢB",
                                                   "'S",    "Ġdon", "'T",      "Ġx",   "ĉ",   "ĉy",      "Ġï¬ģ"});
    CHECK(joined_originals(llama) == sample);
    CHECK(llama[9].original == " héllo");

    const auto qwen = run(split_then_byte_level(qwen3_regex, "Isolated", false), sample);
    CHECK(texts(qwen) == std::vector<std::string>{"Hello", ",",  "ĠWORLD", "!",  "ĠIt",     "'s",   "Ġ",  "1",
                                                  "2",     "3",  "4",      "5",  "ĠhÃ©llo", "ĠĠĊĊ", "Ġ",  "Ġä¸Ńæĸĩ",
                                                  "ĠÃĢB",  "'S", "Ġdon",   "'T", "Ġx",      "ĉ",    "ĉy", "Ġï¬ģ"});

    // GPT-4o: invert true keeps only the matches (here they cover everything).
    const auto gpt4o = run(split_then_byte_level(gpt4o_regex, "Removed", true), sample);
    CHECK(texts(gpt4o) == std::vector<std::string>{"Hello", ",", "ĠWORLD", "!", "ĠIt's", "Ġ", "123", "45", "ĠhÃ©llo",
                                                   "ĠĠĊĊ", "Ġ", "Ġä¸Ńæĸĩ", "ĠÃĢB'S", "Ġdon'T", "Ġx", "ĉ", "ĉy",
                                                   "Ġï¬ģ"});
    CHECK(joined_originals(gpt4o) == sample);

    // (?i) folds ASCII only, as the JS port's rewrite does: "'ſ" is not "'s".
    const json ci = {
        {"type", "Split"}, {"pattern", {{"Regex", "(?i:'s)"}}}, {"behavior", "Isolated"}, {"invert", false}};
    CHECK(texts(run(ci, "it'S it'ſ")) == std::vector<std::string>{"it", "'S", " it'ſ"});
}

TEST_CASE("Gemma 3: Replace normalizer then Split on spaces", "[hf][pre_tokenizer]") {
    const auto norm = parse_normalizer({{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "▁"}});
    const auto pre  = parse_pre_tokenizer(
         {{"type", "Split"}, {"pattern", {{"String", " "}}}, {"behavior", "MergedWithPrevious"}, {"invert", false}});
    normalized_string text(sample);
    norm->normalize(text);
    const auto p = pieces_of(pre_tokenize_text(*pre, text), sample);
    REQUIRE(p.size() == 1);
    CHECK(p[0].text == "Hello,▁WORLD!▁It's▁12345▁héllo▁▁\n\n▁▁中文▁ÀB'S▁don'T▁x\t\ty▁ﬁ");
    CHECK(p[0].original == sample);
}

TEST_CASE("Split behaviours follow the JS port", "[hf][pre_tokenizer]") {
    const auto split_cfg = [](json pattern, const char * behavior) {
        return json{{"type", "Split"}, {"pattern", std::move(pattern)}, {"behavior", behavior}};
    };
    // "invert": false makes a String pattern a capture group, so Removed keeps the delimiters.
    json removed_kept      = split_cfg({{"String", "-"}}, "Removed");
    removed_kept["invert"] = false;
    CHECK(texts(run(removed_kept, "a-b--c-")) == std::vector<std::string>{"a", "-", "b", "-", "-", "c", "-"});
    // Without "invert" the delimiters go.
    const auto removed = run(split_cfg({{"String", "-"}}, "Removed"), "a-b--c-");
    CHECK(texts(removed) == std::vector<std::string>{"a", "b", "c"});
    CHECK(originals(removed) == std::vector<std::string>{"a", "b", "c"});
    // Isolated, and MergedWithPrevious which the JS port treats as Isolated.
    json isolated      = split_cfg({{"String", "-"}}, "Isolated");
    isolated["invert"] = false;
    CHECK(texts(run(isolated, "a-b--c-")) == std::vector<std::string>{"a", "-", "b", "-", "-", "c", "-"});
    json merged      = split_cfg({{"String", "-"}}, "MergedWithPrevious");
    merged["invert"] = false;
    CHECK(texts(run(merged, "a-b--c-")) == std::vector<std::string>{"a", "-", "b", "-", "-", "c", "-"});
    // Removed with a regex: its capture groups stay, the rest of the match goes.
    json groups      = split_cfg({{"Regex", "(-)|\\s+"}}, "Removed");
    groups["invert"] = false;
    const auto g     = run(groups, "a-b  c-d");
    CHECK(texts(g) == std::vector<std::string>{"a", "-", "b", "c", "-", "d"});
    CHECK(originals(g) == std::vector<std::string>{"a", "-", "b", "c", "-", "d"});
    // invert true keeps only the matches.
    json inverted      = split_cfg({{"Regex", "\\d+"}}, "Removed");
    inverted["invert"] = true;
    CHECK(texts(run(inverted, "ab12cd345")) == std::vector<std::string>{"12", "345"});
    // Empty matches: split never cuts where the last piece ended; Isolated cuts at each one.
    json empty_removed      = split_cfg({{"Regex", "x*"}}, "Removed");
    empty_removed["invert"] = false;
    CHECK(texts(run(empty_removed, "abxc")) == std::vector<std::string>{"a", "b", "c"});
    json empty_isolated      = split_cfg({{"Regex", "x*"}}, "Isolated");
    empty_isolated["invert"] = false;
    CHECK(texts(run(empty_isolated, "abxc")) == std::vector<std::string>{"a", "b", "x", "c"});
}

TEST_CASE("Metaspace replaces spaces and prepends, without splitting (JS port)", "[hf][pre_tokenizer]") {
    const json always = {{"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", "always"}, {"split", true}};
    const auto a      = run(always, "Hello big world");
    CHECK(texts(a) == std::vector<std::string>{"▁Hello▁big▁world"});
    CHECK(originals(a) == std::vector<std::string>{"Hello big world"});

    // Already starting with a space: no second replacement character.
    CHECK(texts(run(always, " Hello world")) == std::vector<std::string>{"▁Hello▁world"});
    const json never = {{"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", "never"}, {"split", false}};
    CHECK(texts(run(never, "Hello world")) == std::vector<std::string>{"Hello▁world"});

    // "first": only a piece that starts at the beginning of the input gets the prefix.
    const json first   = {{"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", "first"}, {"split", true}};
    const auto p_first = parse_pre_tokenizer(first);
    std::vector<split> splits(2);
    splits[0].text = normalized_string("Hi you", 0);
    splits[1].text = normalized_string("there", 10);
    p_first->pre_tokenize(splits);
    REQUIRE(splits.size() == 2);
    CHECK(splits[0].text.str() == "▁Hi▁you");
    CHECK(splits[1].text.str() == "there");
    // The replacement characters map back onto the space (and the prefix onto "H").
    CHECK(splits[0].text.original({0, 3}) == byte_range{0, 1});
    CHECK(splits[0].text.original({5, 8}) == byte_range{2, 3});
}

TEST_CASE("BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation and Digits", "[hf][pre_tokenizer]") {
    const auto bert = run({{"type", "BertPreTokenizer"}}, " hello, world!! $5 ");
    CHECK(texts(bert) == std::vector<std::string>{"hello", ",", "world", "!", "!", "$", "5"});
    CHECK(originals(bert) == texts(bert));
    CHECK(texts(run({{"type", "BertPreTokenizer"}}, "中  文、x")) == std::vector<std::string>{"中", "文", "、", "x"});

    // JS port: the Whitespace regex has no u flag, so \w is ASCII.
    CHECK(texts(run({{"type", "Whitespace"}}, "héllo, world_1 ok!?")) ==
          std::vector<std::string>{"h", "é", "llo", ",", "world_1", "ok", "!?"});
    CHECK(texts(run({{"type", "WhitespaceSplit"}}, " a\xC2\xA0"
                                                   "b  c ")) == std::vector<std::string>{"a", "b", "c"});
    // JS port: runs of punctuation, whatever the behaviour.
    CHECK(texts(run({{"type", "Punctuation"}, {"behavior", "Isolated"}}, "hi!!, there")) ==
          std::vector<std::string>{"hi", "!!,", " there"});
    // JS port: \d is ASCII, so the Arabic-Indic digit ٣ is not a digit.
    CHECK(texts(run({{"type", "Digits"}, {"individual_digits", true}}, "ab123c٣4")) ==
          std::vector<std::string>{"ab", "1", "2", "3", "c٣", "4"});
    CHECK(texts(run({{"type", "Digits"}, {"individual_digits", false}}, "ab123c٣4")) ==
          std::vector<std::string>{"ab", "123", "c٣", "4"});
    CHECK(texts(run(
              {{"type", "Sequence"},
               {"pretokenizers", {{{"type", "WhitespaceSplit"}}, {{"type", "Digits"}, {"individual_digits", true}}}}},
              "ab12 c3")) == std::vector<std::string>{"ab", "1", "2", "c", "3"});
}

TEST_CASE("tokenized splits pass through and empty splits vanish", "[hf][pre_tokenizer]") {
    const auto         p = parse_pre_tokenizer({{"type", "WhitespaceSplit"}});
    std::vector<split> splits(3);
    splits[0].text      = normalized_string("a b", 0);
    splits[1].text      = normalized_string("<s> x", 3);
    splits[1].tokenized = true;
    splits[1].tokens.push_back({7, "<s> x", {0, 5}});
    splits[2].text = normalized_string("", 8);
    p->pre_tokenize(splits);
    REQUIRE(splits.size() == 3);
    CHECK(splits[0].text.str() == "a");
    CHECK(splits[1].text.str() == "b");
    CHECK(splits[1].text.original_span() == byte_range{2, 3});
    CHECK(splits[2].tokenized);
    CHECK(splits[2].text.str() == "<s> x");
    CHECK(splits[2].tokens.size() == 1);
}

TEST_CASE("pre-tokenizer errors name the component", "[hf][pre_tokenizer]") {
    CHECK(parse_pre_tokenizer(nullptr) == nullptr);
    CHECK_THROWS_WITH(parse_pre_tokenizer({{"type", "UnicodeScripts"}}),
                      "tokenizer.json: pre_tokenizer UnicodeScripts is not supported");
    CHECK_THROWS_WITH(
        parse_pre_tokenizer({{"type", "Split"}, {"pattern", {{"Regex", "[a-"}}}, {"behavior", "Isolated"}}),
        Contains("tokenizer.json: pre_tokenizer Split: bad regex \"[a-\": "));
    CHECK_THROWS_WITH(parse_pre_tokenizer({{"type", "Split"}, {"pattern", {{"Regex", "a"}}}, {"behavior", "Sideways"}}),
                      Contains("\"behavior\" must be"));
    CHECK_THROWS_WITH(parse_pre_tokenizer({{"type", "Split"}, {"pattern", "a"}, {"behavior", "Isolated"}}),
                      Contains("\"pattern\" must be"));
    CHECK_THROWS_WITH(parse_pre_tokenizer({{"type", "Metaspace"}, {"prepend_scheme", "sometimes"}}),
                      Contains("\"prepend_scheme\" must be"));
}

TEST_CASE("a catastrophic regex gives up instead of hanging", "[hf][pre_tokenizer]") {
    const json        hostile = {{"type", "Split"}, {"pattern", {{"Regex", "(a|aa)+$"}}}, {"behavior", "Isolated"}};
    const std::string input   = std::string(64, 'a') + "b";
    const auto        start   = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH(run(hostile, input), Contains("gave up on this text"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
}
