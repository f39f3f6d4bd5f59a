// prepared_text: see prepared_text.h. The order of checks is deliberate: the byte limit before
// decoding, the word limit before building tokens (count_words_v1 allocates nothing), so a huge
// paste is refused in one cheap pass with a message saying how to split it.
//
// Index
//   [SECTION] wording for messages: numbers, plurals, nouns
//   [SECTION] special ids, the window and the frame
//   [SECTION] sub-word tokens under words and sentences
//   [SECTION] long-text policy names
//   [SECTION] preparing a text: limits, tokens, window, notes
#include "text/prepared_text.h"

#include "text/text_error.h"
#include "text/utf8.h"

#include <algorithm>

namespace spexlens::text {

// [SECTION] wording for messages: numbers, plurals, nouns

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

// [SECTION] special ids, the window and the frame

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

// "[CLS]", "[CLS] and [SEP]", "<s>, <t> and </s>": the frame's tokens, for messages.
std::string frame_names(const sequence_frame & frame, const model_tokenizer & tokenizer) {
    std::vector<std::string> names;
    for (const std::vector<int32_t> * ids : {&frame.before, &frame.after}) {
        for (const int32_t id : *ids) {
            std::string name = "[CLS]";
            if (tokenizer.hf() && !tokenizer.hf_tokenizer().id_to_token(id, name)) {
                name = "id " + std::to_string(id);
            }
            names.push_back(name);
        }
    }
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    }
    return out;
}

// [SECTION] sub-word tokens under words and sentences

// A sub-word tokenizer's tokens as text tokens: offsets in code points and bytes of `text`.
std::vector<token> subword_tokens(std::string_view text, const std::vector<hf::encoded_token> & encoded) {
    std::vector<size_t> code_point_at(text.size() + 1, 0);
    size_t              count = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++count;
        }
        code_point_at[i] = count - 1;
    }
    code_point_at[text.size()] = count;
    std::vector<token> out;
    out.reserve(encoded.size());
    for (const hf::encoded_token & e : encoded) {
        token t;
        t.text       = e.value;
        t.byte_start = std::min(e.bytes.start, text.size());
        t.byte_end   = std::min(std::max(e.bytes.end, t.byte_start), text.size());
        t.start      = code_point_at[t.byte_start];
        t.end        = code_point_at[t.byte_end];
        out.push_back(std::move(t));
    }
    return out;
}

// The features each token overlaps, lo[k]..hi[k] (a token overlapping none: the next feature,
// or the last), and linked[i] = 1 where features i and i + 1 must become one: they share a
// token, or the tokens run out of order with them.
void link_features(const std::vector<text_feature> & words, const std::vector<token> & tokens,
                   std::vector<char> & linked, std::vector<size_t> & lo, std::vector<size_t> & hi) {
    const size_t n    = words.size();
    auto         link = [&linked](size_t a, size_t b) {
        for (size_t i = a; i < b; ++i) {
            linked[i] = 1;
        }
    };
    for (size_t k = 0; k < tokens.size(); ++k) {
        const size_t s = tokens[k].byte_start, e = tokens[k].byte_end;
        // The first feature ending after s.
        size_t f =
            static_cast<size_t>(std::upper_bound(words.begin(), words.end(), s,
                                                 [](size_t pos, const text_feature & w) { return pos < w.byte_end; }) -
                                words.begin());
        if (f < n && e > s && words[f].byte_start < e) {
            size_t last = f;
            while (last + 1 < n && words[last + 1].byte_start < e) {
                ++last;
            }
            lo[k] = f;
            hi[k] = last;
            link(f, last);
        } else {
            lo[k] = hi[k] = std::min(f, n - 1);
        }
        if (k > 0 && lo[k] < hi[k - 1]) {
            link(lo[k], hi[k - 1]);
        }
    }
}

// A group without tokens joins the group before it (the first one, the group after it):
// each group's number among the kept groups, kept = how many groups hold tokens.
std::vector<size_t> merge_empty_groups(const std::vector<size_t> & tokens_in, size_t & kept) {
    const size_t        groups = tokens_in.size();
    std::vector<size_t> merged_into(groups);
    kept = 0;
    for (size_t g = 0; g < groups; ++g) {
        if (tokens_in[g] == 0) {
            // Before any group with tokens: joins the first one, which is numbered 0.
            merged_into[g] = kept > 0 ? kept - 1 : 0;
        } else {
            merged_into[g] = kept++;
        }
    }
    return merged_into;
}

// Puts sub-word tokens under the text's features (words or sentences, built from
// spexlens-words-v1's whitespace words). A token belongs to the features its bytes overlap; a
// token overlapping none (whitespace, or an inserted marker) to the next feature, or the last;
// features sharing a token, or out of order with the tokens, become one; a feature left without
// tokens joins its neighbour. Tokens' `word` becomes their feature's index.
std::vector<text_feature> features_over_subwords(std::string_view text, const std::vector<text_feature> & words,
                                                 std::vector<token> & tokens) {
    const size_t n = words.size();
    if (n == 0 || tokens.empty()) {
        return {};
    }
    // linked[i]: feature i and i + 1 are one.
    std::vector<char>   linked(n, 0);
    std::vector<size_t> lo(tokens.size()), hi(tokens.size());
    link_features(words, tokens, linked, lo, hi);
    // Groups of linked features, and how many tokens each holds.
    std::vector<size_t> group_of(n);
    size_t              groups = 0;
    for (size_t i = 0; i < n; ++i) {
        group_of[i] = groups;
        if (!linked[i]) {
            ++groups;
        }
    }
    std::vector<size_t> tokens_in(groups, 0);
    for (size_t k = 0; k < tokens.size(); ++k) {
        ++tokens_in[group_of[lo[k]]];
    }
    size_t                    kept        = 0;
    const std::vector<size_t> merged_into = merge_empty_groups(tokens_in, kept);
    std::vector<text_feature> out(kept);
    std::vector<char>         started(kept, 0);
    for (size_t i = 0; i < n; ++i) {
        const size_t   g = merged_into[group_of[i]];
        text_feature & f = out[g];
        if (!started[g]) {
            f          = words[i];
            started[g] = 1;
        } else {
            f.start      = std::min(f.start, words[i].start);
            f.end        = std::max(f.end, words[i].end);
            f.byte_start = std::min(f.byte_start, words[i].byte_start);
            f.byte_end   = std::max(f.byte_end, words[i].byte_end);
        }
    }
    for (size_t g = 0; g < kept; ++g) {
        out[g].text        = std::string(text.substr(out[g].byte_start, out[g].byte_end - out[g].byte_start));
        out[g].token_count = 0;
    }
    for (size_t k = 0; k < tokens.size(); ++k) {
        const size_t g = merged_into[group_of[lo[k]]];
        if (out[g].token_count == 0) {
            out[g].first_token = k;
        }
        ++out[g].token_count;
        tokens[k].word = g;
    }
    return out;
}

}  // namespace

// [SECTION] long-text policy names

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

// [SECTION] preparing a text: limits, tokens, window, notes

prepared_text prepare_text(std::string_view raw_bytes, const vocabulary & vocab, const model_manifest & manifest,
                           feature_granularity granularity, long_text_policy policy, const text_limits & limits) {
    return prepare_text(raw_bytes, model_tokenizer::words_v1(manifest, vocab), manifest, granularity, policy, limits);
}

namespace {

// Fails when the (sanitized) text has no words, or more than limits.max_words.
void check_word_count(std::string_view raw_bytes, const std::string & text, const model_manifest & manifest,
                      const text_limits & limits) {
    const size_t words = count_words_v1(text);
    if (words == 0) {
        throw text_error(raw_bytes.empty() ? "the text has no words to explain: it is empty"
                                           : "the text has no words to explain: it holds only whitespace and "
                                             "invisible control characters");
    }
    if (words > limits.max_words) {
        // The advice fits the model: one that reads 128 tokens gains nothing from 10,000-word parts.
        throw text_error("the text has " + plural(words, "word", "words") + ", over the limit of " +
                         plural(limits.max_words, "word", "words") + "; this model reads at most " +
                         plural(static_cast<size_t>(std::max(manifest.max_length, 0)), "token", "tokens") +
                         " of it, so paste the part you want explained");
    }
}

// Fits the features into the model's window beside the frame's special tokens: cuts them to
// the ones that fit (head policy, with a note) or refuses (refuse policy, or nothing fits), and
// fills p.frame, p.window and p.features.
void fit_window(prepared_text & p, std::vector<text_feature> & features, const model_tokenizer & tokenizer,
                const model_manifest & manifest, feature_granularity granularity, long_text_policy policy) {
    // The frame's special tokens ([CLS], [SEP], ...) take some of the model's max_length positions.
    p.frame                         = tokenizer.frame();
    const size_t      frame_size    = p.frame.before.size() + p.frame.after.size();
    const std::string specials      = frame_names(p.frame, tokenizer);
    const std::string with_specials = specials.empty() ? "" : " with " + specials;
    if (static_cast<size_t>(manifest.max_length) <= frame_size) {
        throw text_error("model.json: tokenizer.max_length " + std::to_string(manifest.max_length) +
                         " leaves no room for text beside " + specials);
    }
    const size_t    capacity = static_cast<size_t>(manifest.max_length) - frame_size;
    window_report & w        = p.window;
    w.special_tokens         = frame_size;
    w.policy                 = policy;
    w.max_length             = manifest.max_length;
    w.tokens_total           = p.tokens.size();
    w.features_total         = features.size();
    const size_t fit         = features_that_fit(features, capacity);

    if (fit < features.size()) {
        const std::string too_long = "the text has " + plural(p.tokens.size(), "token", "tokens") +
                                     " but the model reads " + grouped(capacity) + " (max_length " +
                                     std::to_string(manifest.max_length) + with_specials + ")";
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
                             std::to_string(manifest.max_length) + with_specials + "), so not even it fits; " + advice);
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
}

// Notes on U+FFFD: ill-formed UTF-8 replaced here, or replacement characters already in the text.
void add_encoding_notes(prepared_text & p, std::string_view raw_bytes) {
    const size_t replaced = count_replacements(p.text) - count_replacements(raw_bytes);
    if (replaced > 0) {
        p.notes.push_back("the text was not valid UTF-8: " +
                          plural(replaced, "ill-formed byte sequence was", "ill-formed byte sequences were") +
                          " replaced by U+FFFD (\xEF\xBF\xBD)");
    }
    // U+FFFD already in the text: characters lost before spexlens saw it (a lone UTF-16 surrogate
    // from a browser or a shell, a file read in the wrong encoding). Said, since they look alike.
    const size_t arrived = count_replacements(raw_bytes);
    if (arrived > 0) {
        p.notes.push_back("the text contains " +
                          plural(arrived, "U+FFFD replacement character", "U+FFFD replacement characters") +
                          " (\xEF\xBF\xBD): characters lost before spexlens read the text, e.g. a lone UTF-16 "
                          "surrogate or a file read in the wrong encoding; each is explained as it is");
    }
}

}  // namespace

prepared_text prepare_text(std::string_view raw_bytes, const model_tokenizer & tokenizer,
                           const model_manifest & manifest, feature_granularity granularity, long_text_policy policy,
                           const text_limits & limits) {
    if (!tokenizer.hf()) {
        check_special_ids(tokenizer.vocab(), manifest);
    }
    if (raw_bytes.size() > limits.max_bytes) {
        throw text_error("the text is " + plural(raw_bytes.size(), "byte", "bytes") + ", over the limit of " +
                         plural(limits.max_bytes, "byte", "bytes") + "; explain a shorter excerpt");
    }

    prepared_text p;
    p.granularity = granularity;
    p.text        = sanitize_utf8(raw_bytes);

    check_word_count(raw_bytes, p.text, manifest, limits);

    p.tokens                           = tokenize_words_v1(p.text);
    std::vector<text_feature> features = make_features(p.text, p.tokens, granularity);
    std::vector<int32_t>      subword_ids;
    if (tokenizer.hf()) {
        const std::vector<hf::encoded_token> encoded = tokenizer.hf_tokenizer().tokenize(p.text);
        p.tokens                                     = subword_tokens(p.text, encoded);
        features                                     = features_over_subwords(p.text, features, p.tokens);
        if (features.empty()) {
            throw text_error("the text has no words to explain: the model's tokenizer makes no tokens of it");
        }
        subword_ids.reserve(encoded.size());
        for (const hf::encoded_token & e : encoded) {
            subword_ids.push_back(e.id);
        }
    }

    fit_window(p, features, tokenizer, manifest, granularity, policy);
    const window_report & w = p.window;
    p.token_ids.reserve(w.tokens_used);
    for (size_t k = 0; k < w.tokens_used; ++k) {
        p.token_ids.push_back(tokenizer.hf() ? subword_ids[k]
                                             : tokenizer.vocab().id_of(p.tokens[k].text, manifest.unk_id));
    }

    add_encoding_notes(p, raw_bytes);
    return p;
}

}  // namespace spexlens::text
