// features: the players of a text explanation. A feature is a run of consecutive tokens — one
// word, or one sentence — with offsets back into the text so front ends can highlight it.
// Rules (docs/text-pipeline.md):
//   word:     a whitespace-delimited word (punctuation stays with its word: "free!" is one feature);
//             in text written without spaces every Han ideograph (BERT's is_chinese_char blocks) is
//             a word of its own, and so is each run of other characters between ideographs (kana,
//             Latin, digits, emoji): "送货太慢了。" is 送 · 货 · 太 · 慢 · 了。, "東京は晴れ" is
//             東 · 京 · は · 晴 · れ, "用iPhone拍" is 用 · iPhone · 拍. Punctuation joins the word it
//             touches: closing and other marks the word before them, opening brackets and quotes
//             (Ps, Pi: 「 “ ( ) the word after them. Sentences are unchanged (made of whole
//             whitespace-delimited words).
//   sentence: consecutive words up to one whose last non-closing token ends a sentence
//             (. ! ? … 。 ！ ？, optionally followed by closing quotes or brackets), or up to a
//             blank line (two or more line breaks between words)
#pragma once

#include "text/tokenizer.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::text {

enum feature_granularity { GRANULARITY_WORD, GRANULARITY_SENTENCE };

const char * granularity_name(feature_granularity g);  // "word", "sentence"
// "word" / "sentence" (also "words" / "sentences"); false otherwise.
bool parse_granularity(std::string_view name, feature_granularity & out);

struct text_feature {
    std::string text;             // the original text the feature spans (sanitized), untrimmed inside
    size_t      start       = 0;  // code point offsets [start, end) into the sanitized text
    size_t      end         = 0;
    size_t      byte_start  = 0;  // UTF-8 byte offsets into the same text
    size_t      byte_end    = 0;
    size_t      first_token = 0;  // tokens [first_token, first_token + token_count) of the text
    size_t      token_count = 0;
};

// Features over all `tokens` of `sanitized` (as returned by tokenize_words_v1), in reading order.
std::vector<text_feature> make_features(std::string_view sanitized, const std::vector<token> & tokens,
                                        feature_granularity granularity);

}  // namespace spexlens::text
