// features: see features.h. Sentence ends are decided on token texts (already case-folded and
// split by the tokenizer), so the rule needs no second pass over the characters, except for
// blank lines, which live in the whitespace between words.
#include "text/features.h"

#include "text/utf8.h"

namespace spexlens::text {

namespace {

// Token texts that end a sentence: ASCII and fullwidth/ideographic terminators, the ellipsis
// and the double marks. All are single-class code points, so each is a token of its own.
bool is_terminator(const std::string & t) {
    static const char * const terminators[] = {".", "!", "?", "…", "。", "！", "？", "｡", "‼", "⁇", "⁈", "⁉"};
    for (const char * s : terminators) {
        if (t == s) {
            return true;
        }
    }
    return false;
}

// Closing quotes and brackets that may follow a terminator: `"Stop!"` and `(see above.)` end
// a sentence.
bool is_closer(const std::string & t) {
    static const char * const closers[] = {")",  "]",  "}",  "\"", "'",  "”",  "’",  "»",  "›",  "」", "』", "）",
                                           "］", "｝", "＂", "＇", "〉", "》", "】", "〕", "〗", "〙", "〛", "｣"};
    for (const char * s : closers) {
        if (t == s) {
            return true;
        }
    }
    return false;
}

// Whether the word made of tokens [first, last) ends a sentence.
bool word_ends_sentence(const std::vector<token> & tokens, size_t first, size_t last) {
    size_t k = last;
    while (k > first && is_closer(tokens[k - 1].text)) {
        --k;
    }
    return k > first && is_terminator(tokens[k - 1].text);
}

// Line breaks in a stretch of whitespace (and dropped controls) between two words. "\r\n" is
// one break; U+2029 PARAGRAPH SEPARATOR is a blank line by itself, so it counts twice.
int line_breaks(std::string_view gap) {
    int    breaks = 0;
    size_t pos    = 0;
    while (pos < gap.size()) {
        const char32_t cp = next_code_point(gap, pos);
        if (cp == '\r') {
            ++breaks;
            if (pos < gap.size() && gap[pos] == '\n') {
                ++pos;
            }
        } else if (cp == '\n' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028) {
            ++breaks;
        } else if (cp == 0x2029) {
            breaks += 2;
        }
    }
    return breaks;
}

text_feature make_feature(std::string_view sanitized, const std::vector<token> & tokens, size_t first, size_t last) {
    text_feature f;
    f.start       = tokens[first].start;
    f.end         = tokens[last - 1].end;
    f.byte_start  = tokens[first].byte_start;
    f.byte_end    = tokens[last - 1].byte_end;
    f.first_token = first;
    f.token_count = last - first;
    f.text        = std::string(sanitized.substr(f.byte_start, f.byte_end - f.byte_start));
    return f;
}

}  // namespace

const char * granularity_name(feature_granularity g) { return g == GRANULARITY_SENTENCE ? "sentence" : "word"; }

bool parse_granularity(std::string_view name, feature_granularity & out) {
    if (name == "word" || name == "words") {
        out = GRANULARITY_WORD;
        return true;
    }
    if (name == "sentence" || name == "sentences") {
        out = GRANULARITY_SENTENCE;
        return true;
    }
    return false;
}

std::vector<text_feature> make_features(std::string_view sanitized, const std::vector<token> & tokens,
                                        feature_granularity granularity) {
    std::vector<text_feature> features;
    size_t                    feature_first = 0;  // first token of the feature being built
    size_t                    word_first    = 0;  // first token of the current word
    for (size_t k = 0; k < tokens.size(); ++k) {
        const bool word_ends = k + 1 == tokens.size() || tokens[k + 1].word != tokens[k].word;
        if (!word_ends) {
            continue;
        }
        bool feature_ends = true;
        if (granularity == GRANULARITY_SENTENCE && k + 1 < tokens.size()) {
            const size_t gap_from = tokens[k].byte_end;
            const size_t gap_to   = tokens[k + 1].byte_start;
            feature_ends          = word_ends_sentence(tokens, word_first, k + 1) ||
                           line_breaks(sanitized.substr(gap_from, gap_to - gap_from)) >= 2;
        }
        if (feature_ends) {
            features.push_back(make_feature(sanitized, tokens, feature_first, k + 1));
            feature_first = k + 1;
        }
        word_first = k + 1;
    }
    return features;
}

}  // namespace spexlens::text
