// prepared_text: see prepared_text.h. The order of checks is deliberate: the byte limit before
// decoding, the word limit before building tokens (count_words_v1 allocates nothing), so a huge
// paste is refused in one cheap pass with a message saying how to split it.
#include "text/prepared_text.h"

#include "text/text_error.h"
#include "text/utf8.h"

namespace spexlens::text {

namespace {

// 1234567 -> "1,234,567": limits are large numbers people compare by eye.
std::string grouped(size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out.push_back(',');
        }
        out.push_back(digits[i]);
    }
    return out;
}

std::string plural(size_t n, const char * one, const char * many) { return grouped(n) + " " + (n == 1 ? one : many); }

const char * feature_noun(feature_granularity g, size_t n) {
    if (g == GRANULARITY_SENTENCE) {
        return n == 1 ? "sentence" : "sentences";
    }
    return n == 1 ? "word" : "words";
}

size_t count_replacements(std::string_view s) {
    size_t count = 0;
    for (size_t pos = s.find("\xEF\xBF\xBD"); pos != std::string_view::npos; pos = s.find("\xEF\xBF\xBD", pos + 3)) {
        ++count;
    }
    return count;
}

void check_special_ids(const vocabulary & vocab, const model_manifest & manifest) {
    const char *  names[4] = {"pad", "unk", "cls", "mask"};
    const int32_t ids[4]   = {manifest.pad_id, manifest.unk_id, manifest.cls_id, manifest.mask_id};
    for (int i = 0; i < 4; ++i) {
        if (ids[i] < 0 || static_cast<size_t>(ids[i]) >= vocab.size()) {
            throw text_error(std::string("model.json: tokenizer.special_ids.") + names[i] + ": id " +
                             std::to_string(ids[i]) + " is outside the vocabulary (" +
                             plural(vocab.size(), "token", "tokens") + ", ids 0-" + std::to_string(vocab.size() - 1) +
                             ")");
        }
    }
}

// Leading features whose tokens all fit in `capacity` tokens. Features cover the tokens in
// order without gaps, so the ones that fit are a prefix.
size_t features_that_fit(const std::vector<text_feature> & features, size_t capacity) {
    size_t used = 0;
    while (used < features.size() && features[used].first_token + features[used].token_count <= capacity) {
        ++used;
    }
    return used;
}

}  // namespace

const char * long_text_policy_name(long_text_policy p) { return p == LONG_TEXT_REFUSE ? "refuse" : "head"; }

bool parse_long_text_policy(std::string_view name, long_text_policy & out) {
    if (name == "head") {
        out = LONG_TEXT_HEAD;
        return true;
    }
    if (name == "refuse") {
        out = LONG_TEXT_REFUSE;
        return true;
    }
    return false;
}

prepared_text prepare_text(std::string_view raw_bytes, const vocabulary & vocab, const model_manifest & manifest,
                           feature_granularity granularity, long_text_policy policy, const text_limits & limits) {
    check_special_ids(vocab, manifest);
    if (raw_bytes.size() > limits.max_bytes) {
        throw text_error("the text is " + plural(raw_bytes.size(), "byte", "bytes") + ", over the limit of " +
                         plural(limits.max_bytes, "byte", "bytes") + "; explain a shorter excerpt");
    }

    prepared_text p;
    p.granularity = granularity;
    p.text        = sanitize_utf8(raw_bytes);

    const size_t words = count_words_v1(p.text);
    if (words == 0) {
        throw text_error(raw_bytes.empty() ? "the text has no words to explain: it is empty"
                                           : "the text has no words to explain: it holds only whitespace and "
                                             "invisible control characters");
    }
    if (words > limits.max_words) {
        throw text_error("the text has " + plural(words, "word", "words") + ", over the limit of " +
                         plural(limits.max_words, "word", "words") + "; split it into parts of at most " +
                         grouped(limits.max_words) + " words and explain each part");
    }

    p.tokens                           = tokenize_words_v1(p.text);
    std::vector<text_feature> features = make_features(p.text, p.tokens, granularity);

    // [CLS] takes one of the model's max_length positions.
    const size_t    capacity = static_cast<size_t>(manifest.max_length) - 1;
    window_report & w        = p.window;
    w.policy                 = policy;
    w.max_length             = manifest.max_length;
    w.tokens_total           = p.tokens.size();
    w.features_total         = features.size();
    const size_t fit         = features_that_fit(features, capacity);

    if (fit < features.size()) {
        const std::string too_long = "the text has " + plural(p.tokens.size(), "token", "tokens") +
                                     " but the model reads " + grouped(capacity) + " (max_length " +
                                     std::to_string(manifest.max_length) + " with [CLS])";
        if (policy == LONG_TEXT_REFUSE) {
            std::string advice = "; shorten the text";
            if (fit > 0) {
                advice += ", or use the head policy to explain its first " +
                          plural(fit, feature_noun(granularity, 1), feature_noun(granularity, 2));
            }
            throw text_error(too_long + advice);
        }
        if (fit == 0) {
            const std::string noun = feature_noun(granularity, 1);
            std::string       advice =
                granularity == GRANULARITY_SENTENCE ? "explain by words instead, or shorten it" : "shorten it";
            throw text_error("the first " + noun + " has " + plural(features[0].token_count, "token", "tokens") +
                             " but the model reads " + grouped(capacity) + " (max_length " +
                             std::to_string(manifest.max_length) + " with [CLS]), so not even it fits; " + advice);
        }
        w.truncated        = true;
        w.unexplained_from = features[fit].start;
        const std::string explained =
            fit == 1 ? std::string(feature_noun(granularity, 1)) + " 1 of " + grouped(features.size()) + " is explained"
                     : std::string(feature_noun(granularity, 2)) + " 1\u2013" + grouped(fit) + " of " +
                           grouped(features.size()) + " are explained";
        p.notes.push_back(too_long + ": " + explained + ", the rest (from character " + grouped(w.unexplained_from) +
                          ") is not");
    }
    features.resize(fit);
    p.features      = std::move(features);
    w.features_used = fit;
    w.tokens_used   = fit == 0 ? 0 : p.features.back().first_token + p.features.back().token_count;

    p.token_ids.reserve(w.tokens_used);
    for (size_t k = 0; k < w.tokens_used; ++k) {
        p.token_ids.push_back(vocab.id_of(p.tokens[k].text, manifest.unk_id));
    }

    const size_t replaced = count_replacements(p.text) - count_replacements(raw_bytes);
    if (replaced > 0) {
        p.notes.push_back("the text was not valid UTF-8: " +
                          plural(replaced, "ill-formed byte sequence was", "ill-formed byte sequences were") +
                          " replaced by U+FFFD (\xEF\xBF\xBD)");
    }
    return p;
}

}  // namespace spexlens::text
