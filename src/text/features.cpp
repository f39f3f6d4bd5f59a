// features: see features.h. Sentence ends are decided on token texts (already case-folded and
// split by the tokenizer), so the rule needs no second pass over the characters, except for
// blank lines, which live in the whitespace between words. Words written without spaces are
// split at Han ideographs on tokens too: the tokenizer already makes every ideograph a token.
//
// Index
//   [SECTION] sentence ends
//   [SECTION] words split at Han ideographs
//   [SECTION] features
#include "text/features.h"

#include "text/hf/unicode.h"
#include "text/utf8.h"

namespace spexlens::text {

namespace {

// [SECTION] sentence ends

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

// [SECTION] words split at Han ideographs

// What a token is to the word rule, by its first code point.
enum token_kind {
    TOKEN_HAN,      // a Han ideograph (BERT's is_chinese_char blocks): a word of its own
    TOKEN_OPENER,   // opening punctuation (Ps, Pi: "(", "「", "“"): joins the word after it
    TOKEN_PUNCT,    // other punctuation (\p{P}: "，", "。", "」", "!", "\""): joins the word before it
    TOKEN_CONTENT,  // anything else (letters, digits, kana, symbols such as "$", emoji): words of their
                    // own between ideographs
};

token_kind kind_of(const token & t) {
    size_t         pos = 0;
    const char32_t cp  = t.text.empty() ? 0 : next_code_point(t.text, pos);
    namespace u        = hf::unicode;
    if (u::is_chinese_char(cp)) {
        return TOKEN_HAN;
    }
    const u::general_category c = u::category(cp);
    if (c == u::general_category::ps || c == u::general_category::pi) {
        return TOKEN_OPENER;
    }
    return u::is_punctuation(cp) ? TOKEN_PUNCT : TOKEN_CONTENT;
}

// Labels the tokens of the non-ideograph run [s, e) of a word [first, last) with the piece each
// belongs to (a piece is named by a token index; the labels never decrease). Leading closing
// punctuation joins the ideograph before the run, trailing opening punctuation the one after;
// the rest is a piece of its own if it holds anything but punctuation, else it joins a neighbour.
void label_run(const std::vector<token_kind> & kinds, size_t first, size_t last, size_t s, size_t e,
               std::vector<size_t> & label) {
    const bool has_prev = s > first;
    const bool has_next = e < last;
    size_t     lead     = s;  // [s, lead): closing punctuation after an ideograph
    while (has_prev && lead < e && kinds[lead - first] == TOKEN_PUNCT) {
        ++lead;
    }
    size_t trail = e;  // [trail, e): opening punctuation before an ideograph
    while (has_next && trail > lead && kinds[trail - 1 - first] == TOKEN_OPENER) {
        --trail;
    }
    bool content = false;
    for (size_t k = lead; k < trail; ++k) {
        content = content || kinds[k - first] == TOKEN_CONTENT;
    }
    const size_t core = content ? lead : has_prev ? s - 1 : e;
    for (size_t k = s; k < e; ++k) {
        label[k - first] = k < lead ? s - 1 : k < trail ? core : e;
    }
}

// Appends to `starts` where each word feature of the whitespace word [first, last) begins: every
// Han ideograph is one, and so is each run of other tokens between them (see label_run). A word
// without ideographs stays whole.
void word_pieces(const std::vector<token> & tokens, size_t first, size_t last, std::vector<size_t> & starts) {
    std::vector<token_kind> kinds(last - first);
    bool                    han = false;
    for (size_t k = first; k < last; ++k) {
        kinds[k - first] = kind_of(tokens[k]);
        han              = han || kinds[k - first] == TOKEN_HAN;
    }
    starts.push_back(first);
    if (!han) {
        return;
    }
    std::vector<size_t> label(last - first);
    for (size_t k = first; k < last;) {
        if (kinds[k - first] == TOKEN_HAN) {
            label[k - first] = k;
            ++k;
            continue;
        }
        size_t e = k;
        while (e < last && kinds[e - first] != TOKEN_HAN) {
            ++e;
        }
        label_run(kinds, first, last, k, e, label);
        k = e;
    }
    for (size_t k = first + 1; k < last; ++k) {
        if (label[k - first] != label[k - 1 - first]) {
            starts.push_back(k);
        }
    }
}

// [SECTION] features

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
    std::vector<size_t>       starts;             // word granularity: where the current word's features begin
    for (size_t k = 0; k < tokens.size(); ++k) {
        const bool word_ends = k + 1 == tokens.size() || tokens[k + 1].word != tokens[k].word;
        if (!word_ends) {
            continue;
        }
        if (granularity == GRANULARITY_WORD) {
            starts.clear();
            word_pieces(tokens, word_first, k + 1, starts);
            starts.push_back(k + 1);
            for (size_t i = 0; i + 1 < starts.size(); ++i) {
                features.push_back(make_feature(sanitized, tokens, starts[i], starts[i + 1]));
            }
            word_first = k + 1;
            continue;
        }
        bool feature_ends = true;
        if (k + 1 < tokens.size()) {
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
