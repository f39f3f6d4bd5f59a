// Word features in text written without spaces: every Han ideograph is a word of its own, runs
// of other characters between ideographs are one word each, punctuation joins the word it
// touches, sentences are unchanged; and the features map onto a model's tokens (ours and a
// WordPiece BERT's) with no token shared and unknown characters masked with their feature.
//
// Index
//   [SECTION] helpers: features, texts, offsets checked against the text
//   [SECTION] the word rule per script
//   [SECTION] offsets, long texts, sentences
//   [SECTION] features onto model tokens
#include "text/exported_folder.h"
#include "text/features.h"
#include "text/hf/unicode.h"
#include "text/model_batch.h"
#include "text/prepared_text.h"
#include "text/utf8.h"
#include "text_test_support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <random>

using namespace spexlens::text;

// [SECTION] helpers: features, texts, offsets checked against the text

namespace {

std::vector<text_feature> words_of(const std::string & text) {
    const std::string s = sanitize_utf8(text);
    return make_features(s, tokenize_words_v1(s), GRANULARITY_WORD);
}

std::vector<std::string> texts(const std::vector<text_feature> & features) {
    std::vector<std::string> out;
    for (const text_feature & f : features) {
        out.push_back(f.text);
    }
    return out;
}

// code_points[b]: the code points in the first b bytes of `s` (b = 0 .. s.size()).
std::vector<size_t> code_points_before(const std::string & s) {
    std::vector<size_t> out(s.size() + 1, 0);
    for (size_t i = 0; i < s.size(); ++i) {
        out[i + 1] = out[i] + ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 ? 1 : 0);
    }
    return out;
}

// Every feature's text, code point and byte offsets agree with the text; the features take the
// tokens in order, each exactly once; no word feature holds whitespace.
void check_against_text(const std::string & s, const std::vector<token> & tokens,
                        const std::vector<text_feature> & features, bool words) {
    const std::vector<size_t> code_points = code_points_before(s);
    size_t                    next        = 0;
    for (const text_feature & f : features) {
        INFO("feature '" << f.text << "'");
        REQUIRE(f.byte_end <= s.size());
        CHECK(f.text == s.substr(f.byte_start, f.byte_end - f.byte_start));
        CHECK(f.start == code_points[f.byte_start]);
        CHECK(f.end == code_points[f.byte_end]);
        CHECK(f.first_token == next);
        REQUIRE(f.token_count > 0);
        CHECK(tokens[f.first_token].byte_start == f.byte_start);
        CHECK(tokens[f.first_token + f.token_count - 1].byte_end == f.byte_end);
        if (words) {
            CHECK(f.text.find(' ') == std::string::npos);
            CHECK(f.text.find("\u3000") == std::string::npos);
        }
        next += f.token_count;
    }
    CHECK(next == tokens.size());
}

void check_words(const std::string & text) {
    const std::string s = sanitize_utf8(text);
    const auto        t = tokenize_words_v1(s);
    check_against_text(s, t, make_features(s, t, GRANULARITY_WORD), true);
    check_against_text(s, t, make_features(s, t, GRANULARITY_SENTENCE), false);
}

}  // namespace

// [SECTION] the word rule per script

TEST_CASE("Chinese: every ideograph is a word, punctuation joins the one before", "[features][cjk]") {
    const std::string text = "这个产品质量很好，但是送货太慢了。";
    CHECK(texts(words_of(text)) == std::vector<std::string>{"这", "个", "产", "品", "质", "量", "很", "好，", "但",
                                                            "是", "送", "货", "太", "慢", "了。"});
    check_words(text);
    // Ideographs outside the basic block: extension A, extension B (4 bytes), compatibility.
    CHECK(texts(words_of("㐀𠀀豈字")) == std::vector<std::string>{"㐀", "𠀀", "豈", "字"});
}

TEST_CASE("Japanese: kanji one by one, kana runs between them one word each", "[features][cjk]") {
    const std::string text = "東京は晴れ。今日は暑いです！";
    CHECK(texts(words_of(text)) ==
          std::vector<std::string>{"東", "京", "は", "晴", "れ。", "今", "日", "は", "暑", "いです！"});
    // Katakana with the prolonged sound mark and the middle dot stay one run.
    CHECK(texts(words_of("コーヒー・ショップで飲む")) == std::vector<std::string>{"コーヒー・ショップで", "飲", "む"});
    // Kana alone, without ideographs, is one word as before.
    CHECK(texts(words_of("ありがとう ございます")) == std::vector<std::string>{"ありがとう", "ございます"});
    // The iteration mark 々 is not an ideograph to BERT (U+3005, Lm): it is a word of its own.
    CHECK(texts(words_of("人々")) == std::vector<std::string>{"人", "々"});
    check_words(text);
}

TEST_CASE("Korean is written with spaces: its words are unchanged", "[features][cjk]") {
    const std::string text = "환자는 흉통을 부인함. 좋아요!";
    CHECK(texts(words_of(text)) == std::vector<std::string>{"환자는", "흉통을", "부인함.", "좋아요!"});
    check_words(text);
}

TEST_CASE("mixed Chinese, English and digits: runs between ideographs stay whole", "[features][cjk]") {
    const std::string text = "我买了3个iPhone 15，价格是$999。Free!";
    // "$999。Free!" has no ideograph after it: one run; "$" is a symbol, not punctuation.
    CHECK(texts(words_of(text)) ==
          std::vector<std::string>{"我", "买", "了", "3", "个", "iPhone", "15，", "价", "格", "是", "$999。Free!"});
    CHECK(texts(words_of("用iPhone拍的照片")) == std::vector<std::string>{"用", "iPhone", "拍", "的", "照", "片"});
    check_words(text);
}

TEST_CASE("punctuation 「」。， joins the ideograph it touches", "[features][cjk]") {
    const std::string text = "他说「你好」，然后走了。";
    CHECK(texts(words_of(text)) == std::vector<std::string>{"他", "说", "「你", "好」，", "然", "后", "走", "了。"});
    // Opening marks (Ps, Pi) join the word after them, closing and other marks the word before.
    CHECK(texts(words_of("（注）“好”")) == std::vector<std::string>{"（注）", "“好”"});
    // Punctuation between a run and an ideograph stays with the run it touches first.
    CHECK(texts(words_of("好，OK（对）")) == std::vector<std::string>{"好，", "OK", "（对）"});
    // A word that is only punctuation is still one word.
    CHECK(texts(words_of("好 。。。 的")) == std::vector<std::string>{"好", "。。。", "的"});
    check_words(text);
}

TEST_CASE("full-width spaces separate words like any space", "[features][cjk]") {
    const std::string               text = "你好\u3000世界\u3000\u3000OK";
    const std::vector<text_feature> f    = words_of(text);
    CHECK(texts(f) == std::vector<std::string>{"你", "好", "世", "界", "OK"});
    REQUIRE(f.size() == 5);
    CHECK(f[2].start == 3);
    CHECK(f[2].byte_start == 9);  // 你好 and U+3000: three 3-byte code points
    CHECK(f[4].start == 7);
    check_words(text);
}

TEST_CASE("an emoji between ideographs is a word of its own", "[features][cjk]") {
    const std::string               text = "好👍🏽吃";
    const std::vector<text_feature> f    = words_of(text);
    REQUIRE(texts(f) == std::vector<std::string>{"好", "👍🏽", "吃"});
    CHECK(f[1].start == 1);
    CHECK(f[1].end == 3);  // the emoji and its skin tone
    CHECK(f[1].byte_start == 3);
    CHECK(f[1].byte_end == 11);
    CHECK(f[2].start == 3);
    CHECK(f[2].byte_start == 11);
    CHECK(f[2].byte_end == 14);
    check_words(text);
    check_words("家👨‍👩‍👧人，好！");
}

TEST_CASE("random mixes of scripts keep the rule's invariants", "[features][cjk]") {
    // Seeded: a failure names a text that can be replayed.
    const char * const pieces[] = {"中", "文", "好", "𠀀",     "は", "れ",   "ア",     "ー",   "a", "B", "7",
                                   "$",  "，", "。", "「",     "」", "（",   "）",     "“",    "”", "!", "\"",
                                   "(",  ")",  " ",  "\u3000", "👍",  "🏽", "\u00AD", "\xFF", "\n"};
    const size_t       count    = sizeof(pieces) / sizeof(pieces[0]);
    std::mt19937       rng(14);
    for (int round = 0; round < 500; ++round) {
        std::string  raw;
        const size_t length = rng() % 40;
        for (size_t i = 0; i < length; ++i) {
            raw += pieces[rng() % count];
        }
        const std::string s      = sanitize_utf8(raw);
        const auto        tokens = tokenize_words_v1(s);
        const auto        f      = make_features(s, tokens, GRANULARITY_WORD);
        INFO("text '" << s << "'");
        check_against_text(s, tokens, f, true);
        check_against_text(s, tokens, make_features(s, tokens, GRANULARITY_SENTENCE), false);
        for (const text_feature & x : f) {
            const size_t last = x.first_token + x.token_count;
            size_t       han = 0, punct = 0;
            for (size_t k = x.first_token; k < last; ++k) {
                size_t         pos = 0;
                const char32_t cp  = next_code_point(tokens[k].text, pos);
                han += spexlens::text::hf::unicode::is_chinese_char(cp) ? 1 : 0;
                punct += spexlens::text::hf::unicode::is_punctuation(cp) ? 1 : 0;
                CHECK(tokens[k].word == tokens[x.first_token].word);  // within one whitespace word
            }
            CHECK(han <= 1);
            if (punct == x.token_count) {  // only punctuation: its whole whitespace word has no ideograph
                for (const token & t : tokens) {
                    size_t pos = 0;
                    CHECK((t.word != tokens[x.first_token].word ||
                           !spexlens::text::hf::unicode::is_chinese_char(next_code_point(t.text, pos))));
                }
            }
        }
    }
}

// [SECTION] offsets, long texts, sentences

TEST_CASE("offsets stay exact around invalid bytes and soft hyphens in Chinese", "[features][cjk]") {
    // An invalid byte becomes U+FFFD (a symbol: a word of its own between ideographs); a soft
    // hyphen is dropped and belongs to no feature's text.
    const std::vector<text_feature> f = words_of("好\xFF吃\u00AD的");
    // The soft hyphen lies within the token before it (docs/text-pipeline.md, Offsets).
    REQUIRE(texts(f) == std::vector<std::string>{"好", "\uFFFD", "吃\u00AD", "的"});
    CHECK(f[3].start == 4);
    CHECK(f[3].byte_start == 11);
    check_words("好\xFF吃\u00AD的 a\u00ADb 中");
}

TEST_CASE("a 10,000-character Chinese text gives one word per ideograph in bounded time", "[features][cjk]") {
    // Ideographs cycled from a sentence, a full-width comma after every 25th one.
    const std::u32string cycle = U"这个产品质量很好但是送货太慢了我们下次再买";
    std::u32string       cps;
    size_t               ideographs = 0;
    while (cps.size() < 10000) {
        cps.push_back(cycle[ideographs % cycle.size()]);
        ++ideographs;
        if (ideographs % 25 == 0) {
            cps.push_back(U'，');
        }
    }
    std::string text;
    for (const char32_t cp : cps) {
        append_utf8(text, cp);
    }
    const auto                      started = std::chrono::steady_clock::now();
    const std::vector<token>        tokens  = tokenize_words_v1(text);
    const std::vector<text_feature> f       = make_features(text, tokens, GRANULARITY_WORD);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    CHECK(f.size() == ideographs);
    std::string twenty_fifth;
    append_utf8(twenty_fifth, cycle[24 % cycle.size()]);
    CHECK(f[24].text == twenty_fifth + "，");
    CHECK(seconds < 5.0);  // linear: well under a second even with the sanitizers
    check_against_text(text, tokens, f, true);
    CHECK(make_features(text, tokens, GRANULARITY_SENTENCE).size() == 1);  // no terminator, no space

    // Through the whole preparation for our model: every ideograph a feature, the head that fits
    // its window (127 tokens after [CLS]) explained.
    using text_test::read_file;
    using text_test::source_path;
    const model_manifest m  = parse_manifest(read_file(source_path("models/spam-transformer/model.json")));
    const vocabulary     v  = vocabulary::from_text(read_file(source_path("models/spam-transformer/vocab.txt")));
    const auto           t0 = std::chrono::steady_clock::now();
    const prepared_text  p  = prepare_text(text, v, m, GRANULARITY_WORD);
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 5.0);
    CHECK(p.window.features_total == ideographs);
    CHECK(p.window.truncated);
    CHECK(p.window.tokens_used <= 127);
    CHECK(p.window.features_used == p.window.tokens_used - p.window.tokens_used / 26);  // a comma every 25th
}

TEST_CASE("sentence features are unchanged: whole words, split at terminators", "[features][cjk]") {
    const std::string               text = "东西很好。 但是太贵了！ 下次";
    const std::vector<text_feature> s    = make_features(text, tokenize_words_v1(text), GRANULARITY_SENTENCE);
    CHECK(texts(s) == std::vector<std::string>{"东西很好。", "但是太贵了！", "下次"});
    // Without a space after the terminator the run stays one sentence (a known limit).
    CHECK(make_features("晴れ。今日は", tokenize_words_v1("晴れ。今日は"), GRANULARITY_SENTENCE).size() == 1);
}

// [SECTION] features onto model tokens

namespace {

// A feature's model tokens all lie in its text, and masking it hides exactly its tokens (in
// place; when the manifest drops masked tokens, the row keeps all the others).
void check_masks_by_feature(const prepared_text & p, const model_manifest & manifest) {
    const int         n      = static_cast<int>(p.features.size());
    const size_t      before = p.frame.before.size();
    spex::mask_matrix masks(n, static_cast<size_t>(n));
    for (int r = 0; r < n; ++r) {
        for (int i = 0; i < n; ++i) {
            masks.set(static_cast<size_t>(r), i, i != r);  // row r hides feature r only
        }
    }
    model_batch b;
    if (drops_masked_tokens(manifest)) {
        build_model_batch(p, manifest, masks, b);
        const size_t frame = p.frame.before.size() + p.frame.after.size();
        for (int r = 0; r < n; ++r) {
            const auto row =
                b.attention_mask.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(r) * b.seq_length);
            CHECK(static_cast<size_t>(std::count(row, row + static_cast<std::ptrdiff_t>(b.seq_length), 1)) ==
                  frame + p.token_ids.size() - p.features[static_cast<size_t>(r)].token_count);
        }
    }
    model_manifest m     = manifest;
    m.drop_masked_tokens = false;
    build_model_batch(p, m, masks, b);
    REQUIRE(b.rows == static_cast<size_t>(n));
    for (int r = 0; r < n; ++r) {
        const text_feature & f = p.features[static_cast<size_t>(r)];
        INFO("feature " << r << " '" << f.text << "'");
        for (size_t k = 0; k < p.token_ids.size(); ++k) {
            const size_t at     = static_cast<size_t>(r) * b.seq_length + before + k;
            const bool   inside = k >= f.first_token && k < f.first_token + f.token_count;
            const bool   hidden =
                m.masking == MASKING_MASK_TOKEN ? b.input_ids[at] == p.frame.mask_id : b.attention_mask[at] == 0;
            CHECK(hidden == inside);
            if (inside) {
                CHECK(p.tokens[k].byte_start >= f.byte_start);
                CHECK(p.tokens[k].byte_end <= f.byte_end);
            }
        }
    }
}

exported_folder spam_bert_folder() {
    using text_test::read_file;
    using text_test::source_path;
    exported_folder f;
    f.name                    = "spam-bert";
    f.config_json             = read_file(source_path("models/spam-bert/config.json"));
    f.tokenizer_json          = read_file(source_path("models/spam-bert/tokenizer.json"));
    f.tokenizer_config_json   = read_file(source_path("models/spam-bert/tokenizer_config.json"));
    f.special_tokens_map_json = read_file(source_path("models/spam-bert/special_tokens_map.json"));
    text_test::set_bert_classifier_graph(f);
    return f;
}

}  // namespace

TEST_CASE("our own model: one feature per ideograph, unknown ones [UNK] and masked alone", "[features][cjk][model]") {
    using text_test::read_file;
    using text_test::source_path;
    const model_manifest m = parse_manifest(read_file(source_path("models/spam-transformer/model.json")));
    const vocabulary     v = vocabulary::from_text(read_file(source_path("models/spam-transformer/vocab.txt")));
    const prepared_text p = prepare_text("这个产品质量很好，但是送货太慢了。", v, m, GRANULARITY_WORD);
    REQUIRE(p.features.size() == 15);
    CHECK(p.features[7].text == "好，");
    CHECK(p.features[7].token_count == 2);
    // The vocabulary knows 是 and 了 but not 这: [UNK] for one, real ids for the others.
    CHECK(p.token_ids[p.features[0].first_token] == m.unk_id);
    CHECK(p.token_ids[p.features[9].first_token] == v.id_of("是", m.unk_id));
    CHECK(p.token_ids[p.features[9].first_token] != m.unk_id);
    check_masks_by_feature(p, m);
}

TEST_CASE("spam-bert (WordPiece, Chinese characters split): features map to its tokens one to one",
          "[features][cjk][model][hf]") {
    const derived_manifest d = derive_manifest(spam_bert_folder());
    const model_manifest   m = parse_manifest(d.manifest_json);
    const model_tokenizer  t = model_tokenizer::from_file(m, spam_bert_folder().tokenizer_json);
    const prepared_text p = prepare_text("这个产品质量很好，但是送货太慢了。", t, m, GRANULARITY_WORD);
    CHECK(texts(p.features) == std::vector<std::string>{"这", "个", "产", "品", "质", "量", "很", "好，", "但", "是",
                                                        "送", "货", "太", "慢", "了。"});
    REQUIRE(p.features.size() == 15);
    int32_t unk = -1;
    REQUIRE(t.hf_tokenizer().token_to_id("[UNK]", unk));
    size_t unknown = 0;
    for (const text_feature & f : p.features) {
        // One token per ideograph (BERT pads them with spaces), plus the punctuation after it.
        CHECK(f.token_count == (f.text.size() == 3 ? 1u : 2u));
        unknown += p.token_ids[f.first_token] == unk ? 1 : 0;
    }
    CHECK(unknown == 13);  // of the 15 ideographs only 是 and 了 are in its 4,000-token vocabulary
    check_masks_by_feature(p, m);

    // Japanese: BERT keeps a kana run as one word ([UNK] if its pieces are unknown); that is
    // one of our features too, so no token is shared.
    const prepared_text j = prepare_text("東京は晴れ。今日は暑いです！", t, m, GRANULARITY_WORD);
    CHECK(texts(j.features) ==
          std::vector<std::string>{"東", "京", "は", "晴", "れ。", "今", "日", "は", "暑", "いです！"});
    check_masks_by_feature(j, m);
}
