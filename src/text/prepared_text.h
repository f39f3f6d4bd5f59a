// prepared_text: one text made ready for an explanation — sanitized, tokenized, cut into
// features, with the token ids the model sees. Texts longer than the model's window follow an
// explicit policy and the result says exactly what was explained (docs/text-pipeline.md).
#pragma once

#include "text/features.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"
#include "text/tokenizer.h"
#include "text/vocabulary.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::text {

enum long_text_policy {
    LONG_TEXT_HEAD,   // explain the features that fit in the window; report the rest as unexplained
    LONG_TEXT_REFUSE  // throw text_error when the text does not fit
};
const char * long_text_policy_name(long_text_policy p);  // "head", "refuse"
bool         parse_long_text_policy(std::string_view name, long_text_policy & out);

// Hard limits, whatever the policy: beyond them a text is refused with a message, never cut.
struct text_limits {
    size_t max_bytes = 1u << 20;  // 1 MiB of UTF-8
    size_t max_words = 10000;
};

// What of the text the explanation covers.
struct window_report {
    long_text_policy policy           = LONG_TEXT_HEAD;
    int              max_length       = 0;  // ids per model input, special tokens included
    size_t           special_tokens   = 1;  // ids of the frame ([CLS], [SEP], ...) in every input
    size_t           tokens_total     = 0;  // tokens in the whole text
    size_t           tokens_used      = 0;  // tokens the model sees (all features that fit)
    size_t           features_total   = 0;
    size_t           features_used    = 0;  // = features.size() of the prepared_text
    bool             truncated        = false;
    size_t           unexplained_from = 0;  // code point offset where unexplained text starts (if truncated)
};

struct prepared_text {
    std::string        text;              // sanitized input
    std::vector<token> tokens;            // every token of the text (for sub-word tokenizers, `word` is
                                          // the feature at word granularity holding the token)
    std::vector<int32_t>      token_ids;  // ids of the tokens the model sees (without the frame)
    sequence_frame            frame;      // the special tokens around them, and the pad / mask ids
    std::vector<text_feature> features;   // the players, in reading order (only those that fit)
    feature_granularity       granularity = GRANULARITY_WORD;
    window_report             window;
    // For people, e.g. "the text has 412 tokens but the model reads 127 (max_length 128 with [CLS]):
    // words 1–93 of 301 are explained, the rest (from character 611) is not".
    std::vector<std::string> notes;
};

// Throws text_error for an empty text ("no words to explain"), a text over the limits, or a
// text that does not fit under LONG_TEXT_REFUSE. Under LONG_TEXT_HEAD a feature is used only if
// all its tokens fit; at least one must (else text_error: the first sentence is too long).
// A feature is a word (or sentence) of the text; with a sub-word tokenizer it holds every token
// whose characters overlap it, whitespace-only tokens join the next feature, and features that
// share a token are one feature (docs/hf-tokenizers.md).
prepared_text prepare_text(std::string_view raw_bytes, const model_tokenizer & tokenizer,
                           const model_manifest & manifest, feature_granularity granularity,
                           long_text_policy policy = LONG_TEXT_HEAD, const text_limits & limits = text_limits());
// The same for a spexlens-words-v1 model given its vocabulary.
prepared_text prepare_text(std::string_view raw_bytes, const vocabulary & vocab, const model_manifest & manifest,
                           feature_granularity granularity, long_text_policy policy = LONG_TEXT_HEAD,
                           const text_limits & limits = text_limits());

}  // namespace spexlens::text
