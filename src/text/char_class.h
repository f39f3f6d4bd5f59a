// char_class: the code point classes and case folding of spexlens-words-v1 (docs/tokenizer.md,
// section 2 and 4). Fixed tables copied from scripts/model/spexlens_tokenizer.py, no Unicode
// database, so Python, native C++ and WebAssembly classify every code point alike. Shared by
// the tokenizer and by the word count that checks a text's size before tokenizing it.
#pragma once

namespace spexlens::text {

enum char_class {
    CHAR_SPACE,   // ends the current token and word
    CHAR_WORD,    // runs of these form one token
    CHAR_SINGLE,  // a token of its own
    CHAR_EXTEND,  // appended to the open token
    CHAR_JOINER,  // U+200D: appended, and glues the next code point on too
    CHAR_DROP     // skipped entirely
};

char_class classify(char32_t cp);

// A-Z and U+00C0..U+00DE except U+00D7 -> lower case; every other code point unchanged.
inline char32_t fold_case(char32_t cp) {
    if ((cp >= 0x41 && cp <= 0x5A) || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) {
        return cp + 0x20;
    }
    return cp;
}

}  // namespace spexlens::text
