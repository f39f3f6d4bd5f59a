// tokenizer: see tokenizer.h. A line-by-line port of tokenize() in
// scripts/model/spexlens_tokenizer.py; the state variables keep the reference's names and
// meaning so the two can be compared side by side. Two details matter for byte equality:
// dropped code points are skipped before anything else (they neither open a word nor clear a
// pending joiner), and a token ends where the next token or space begins, so a dropped code
// point inside or right after a token lies within that token's offsets.
#include "text/tokenizer.h"

#include "text/char_class.h"
#include "text/utf8.h"

namespace spexlens::text {

std::vector<token> tokenize_words_v1(std::string_view sanitized) {
    std::vector<token> tokens;
    size_t             word      = 0;  // index of the current word (valid once a word opened)
    bool               any_word  = false;
    bool               in_word   = false;
    bool               open      = false;  // a token is being built in `current`
    bool               open_word = false;  // ...and it is a word-class token (else single)
    bool               glue_next = false;  // the previous kept code point was a joiner
    token              current;

    size_t cp_index = 0;  // code point offset of the code point at byte `pos`
    size_t pos      = 0;
    auto   close    = [&](size_t end, size_t byte_end) {
        current.end      = end;
        current.byte_end = byte_end;
        tokens.push_back(std::move(current));
        current = token();
        open    = false;
    };

    while (pos < sanitized.size()) {
        const size_t     byte_start = pos;
        const char32_t   cp         = next_code_point(sanitized, pos);
        const size_t     i          = cp_index++;
        const char_class cls        = classify(cp);
        if (cls == CHAR_DROP) {
            continue;
        }
        if (cls == CHAR_SPACE) {
            if (open) {
                close(i, byte_start);
            }
            in_word   = false;
            glue_next = false;
            continue;
        }
        if (!in_word) {
            word     = any_word ? word + 1 : 0;
            any_word = true;
            in_word  = true;
        }
        const bool extends =
            open && (glue_next || cls == CHAR_EXTEND || cls == CHAR_JOINER || (cls == CHAR_WORD && open_word));
        glue_next = cls == CHAR_JOINER;
        if (extends) {
            append_utf8(current.text, fold_case(cp));
            continue;
        }
        if (open) {
            close(i, byte_start);
        }
        // A word code point opens a word token; anything else (single, or a stray extend or
        // joiner with nothing to attach to) opens a single token.
        open               = true;
        open_word          = cls == CHAR_WORD;
        current.start      = i;
        current.byte_start = byte_start;
        current.word       = word;
        append_utf8(current.text, fold_case(cp));
    }
    if (open) {
        close(cp_index, sanitized.size());
    }
    return tokens;
}

size_t count_words_v1(std::string_view sanitized) {
    size_t words   = 0;
    bool   in_word = false;
    size_t pos     = 0;
    while (pos < sanitized.size()) {
        const char_class cls = classify(next_code_point(sanitized, pos));
        if (cls == CHAR_SPACE) {
            in_word = false;
        } else if (cls != CHAR_DROP && !in_word) {
            in_word = true;
            ++words;
        }
    }
    return words;
}

}  // namespace spexlens::text
