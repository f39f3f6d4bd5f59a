// unicode: utf8proc wrappers for the Hugging Face tokenizer stages (see unicode.h).
//
// Index
//   [SECTION] UTF-8
//   [SECTION] normalization forms
//   [SECTION] general category and character classes
//   [SECTION] case
#include "text/hf/unicode.h"

#include <algorithm>
#include <utf8proc.h>

namespace spexlens::text::hf::unicode {

// [SECTION] UTF-8

size_t sequence_length(unsigned char lead) {
    if (lead < 0xC0) {
        return 1;
    }
    if (lead < 0xE0) {
        return 2;
    }
    if (lead < 0xF0) {
        return 3;
    }
    return 4;
}

char32_t decode(std::string_view s, size_t pos, size_t & length) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    length          = sequence_length(lead);
    if (pos + length > s.size()) {
        length = s.size() - pos;
        return 0xFFFD;
    }
    if (length == 1) {
        return lead;
    }
    char32_t cp = lead & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(s[pos + k]) & 0x3F);
    }
    return cp;
}

size_t encoded_length(char32_t cp) {
    if (cp < 0x80) {
        return 1;
    }
    if (cp < 0x800) {
        return 2;
    }
    if (cp < 0x10000) {
        return 3;
    }
    return 4;
}

void append_utf8(std::string & out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::u32string to_code_points(std::string_view s) {
    std::u32string cps;
    cps.reserve(s.size());
    for (size_t pos = 0; pos < s.size();) {
        size_t length = 0;
        cps += decode(s, pos, length);
        pos += length;
    }
    return cps;
}

std::string to_utf8(std::u32string_view cps) {
    std::string out;
    out.reserve(cps.size());
    for (char32_t cp : cps) {
        append_utf8(out, cp);
    }
    return out;
}

// [SECTION] normalization forms

namespace {

int combining_class(char32_t cp) { return utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->combining_class; }

// Appends the full (canonical or compatibility) decomposition of input code point `index`.
void decompose_one(char32_t cp, size_t index, bool compat, std::vector<normalized_code_point> & out) {
    const utf8proc_option_t options =
        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | (compat ? UTF8PROC_COMPAT : 0));
    utf8proc_int32_t       small[32];
    int                    boundclass = 0;
    const utf8proc_ssize_t n =
        utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), small, 32, options, &boundclass);
    if (n < 0) {
        out.push_back({cp, index, index});
        return;
    }
    if (n > 32) {
        std::vector<utf8proc_int32_t> big(static_cast<size_t>(n));
        boundclass = 0;
        utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), big.data(), n, options, &boundclass);
        for (utf8proc_int32_t d : big) {
            out.push_back({static_cast<char32_t>(d), index, index});
        }
        return;
    }
    for (utf8proc_ssize_t k = 0; k < n; ++k) {
        out.push_back({static_cast<char32_t>(small[k]), index, index});
    }
}

// Canonical ordering: every run of non-starters sorted (stably) by combining class.
void canonical_order(std::vector<normalized_code_point> & cps) {
    size_t i = 0;
    while (i < cps.size()) {
        if (combining_class(cps[i].cp) == 0) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < cps.size() && combining_class(cps[j].cp) != 0) {
            ++j;
        }
        if (j - i > 1) {
            std::stable_sort(cps.begin() + static_cast<std::ptrdiff_t>(i), cps.begin() + static_cast<std::ptrdiff_t>(j),
                             [](const normalized_code_point & a, const normalized_code_point & b) {
                                 return combining_class(a.cp) < combining_class(b.cp);
                             });
        }
        i = j;
    }
}

// The primary composite of `starter` + `next`, as utf8proc's composition step finds it (with
// the composition exclusions); false if they do not compose.
bool compose_pair(char32_t starter, char32_t next, char32_t & composite) {
    utf8proc_int32_t pair[2] = {static_cast<utf8proc_int32_t>(starter), static_cast<utf8proc_int32_t>(next)};
    const auto       n =
        utf8proc_normalize_utf32(pair, 2, static_cast<utf8proc_option_t>(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
    if (n != 1) {
        return false;
    }
    composite = static_cast<char32_t>(pair[0]);
    return true;
}

// Canonical composition (the loop of utf8proc_normalize_utf32), merging the sources of what it
// composes.
std::vector<normalized_code_point> compose(const std::vector<normalized_code_point> & cps) {
    std::vector<normalized_code_point> out;
    out.reserve(cps.size());
    size_t starter   = SIZE_MAX;
    int    max_class = -1;
    for (const normalized_code_point & c : cps) {
        const int cls = combining_class(c.cp);
        if (starter != SIZE_MAX && cls > max_class) {
            char32_t composite = 0;
            if (compose_pair(out[starter].cp, c.cp, composite)) {
                out[starter].cp    = composite;
                out[starter].first = std::min(out[starter].first, c.first);
                out[starter].last  = std::max(out[starter].last, c.last);
                continue;
            }
        }
        out.push_back(c);
        if (cls != 0) {
            max_class = std::max(max_class, cls);
        } else {
            starter   = out.size() - 1;
            max_class = -1;
        }
    }
    return out;
}

}  // namespace

std::vector<normalized_code_point> normalize(std::u32string_view input, normalization_form form) {
    const bool                         compat = form == normalization_form::nfkc || form == normalization_form::nfkd;
    std::vector<normalized_code_point> out;
    out.reserve(input.size());
    for (size_t i = 0; i < input.size(); ++i) {
        if (input[i] < 0x80) {  // ASCII never decomposes
            out.push_back({input[i], i, i});
        } else {
            decompose_one(input[i], i, compat, out);
        }
    }
    canonical_order(out);
    if (form == normalization_form::nfc || form == normalization_form::nfkc) {
        out = compose(out);
    }
    return out;
}

std::string normalize_utf8(std::string_view s, normalization_form form) {
    std::string out;
    for (const normalized_code_point & c : normalize(to_code_points(s), form)) {
        append_utf8(out, c.cp);
    }
    return out;
}

// [SECTION] general category and character classes

static_assert(static_cast<int>(general_category::co) == UTF8PROC_CATEGORY_CO, "category order follows utf8proc");
static_assert(static_cast<int>(general_category::zs) == UTF8PROC_CATEGORY_ZS, "category order follows utf8proc");
static_assert(static_cast<int>(general_category::mn) == UTF8PROC_CATEGORY_MN, "category order follows utf8proc");

general_category category(char32_t cp) {
    if (cp > 0x10FFFF) {
        return general_category::cn;
    }
    return static_cast<general_category>(utf8proc_category(static_cast<utf8proc_int32_t>(cp)));
}

bool is_letter(char32_t cp) {
    const general_category c = category(cp);
    return c >= general_category::lu && c <= general_category::lo;
}

bool is_mark(char32_t cp) {
    const general_category c = category(cp);
    return c >= general_category::mn && c <= general_category::me;
}

bool is_mark_nonspacing(char32_t cp) { return category(cp) == general_category::mn; }

bool is_numeric(char32_t cp) {
    const general_category c = category(cp);
    return c >= general_category::nd && c <= general_category::no;
}

bool is_punctuation(char32_t cp) {
    const general_category c = category(cp);
    return c >= general_category::pc && c <= general_category::po;
}

bool is_alphanumeric(char32_t cp) { return is_letter(cp) || is_numeric(cp); }

bool is_whitespace(char32_t cp) {
    if ((cp >= 0x09 && cp <= 0x0D) || cp == 0x85) {
        return true;
    }
    const general_category c = category(cp);
    return c == general_category::zs || c == general_category::zl || c == general_category::zp;
}

bool is_js_whitespace(char32_t cp) {
    if ((cp >= 0x09 && cp <= 0x0D) || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029) {
        return true;
    }
    return category(cp) == general_category::zs;
}

bool is_bert_control(char32_t cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
        return false;
    }
    const general_category c = category(cp);
    return c == general_category::cc || c == general_category::cf || c == general_category::co ||
           c == general_category::cs;
}

bool is_bert_punctuation(char32_t cp) {
    if ((cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) ||
        (cp >= 0x7B && cp <= 0x7E)) {
        return true;
    }
    return is_punctuation(cp);
}

bool is_chinese_char(char32_t cp) {
    // The blocks of the JS port's is_chinese_char (the Rust crate's list, with the CJK
    // extension E block starting at U+2B820).
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
           (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

// [SECTION] case

namespace {

// Case_Ignorable (Unicode 3.13): Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet or
// Single_Quote. utf8proc has no word-break property, so those 17 code points are listed.
bool is_case_ignorable(char32_t cp) {
    switch (cp) {
    case 0x0027:
    case 0x002E:
    case 0x003A:
    case 0x00B7:
    case 0x0387:
    case 0x055F:
    case 0x05F4:
    case 0x2018:
    case 0x2019:
    case 0x2024:
    case 0x2027:
    case 0xFE13:
    case 0xFE52:
    case 0xFE55:
    case 0xFF07:
    case 0xFF0E:
    case 0xFF1A:
        return true;
    default:
        break;
    }
    const general_category c = category(cp);
    return c == general_category::mn || c == general_category::me || c == general_category::cf ||
           c == general_category::lm || c == general_category::sk;
}

// Cased: Lu, Ll, Lt, or a character with a case mapping (covers the circled letters); the
// few Other_Lowercase modifier letters without a mapping are not counted.
bool is_cased(char32_t cp) {
    const general_category c = category(cp);
    if (c == general_category::lu || c == general_category::ll || c == general_category::lt) {
        return true;
    }
    const auto u = static_cast<utf8proc_int32_t>(cp);
    return utf8proc_tolower(u) != u || utf8proc_toupper(u) != u;
}

// The Final_Sigma condition for text[i]: a cased letter before it and none after it, skipping
// case-ignorable characters on both sides.
bool is_final_sigma(std::u32string_view text, size_t i) {
    bool cased_before = false;
    for (size_t j = i; j-- > 0;) {
        if (is_case_ignorable(text[j])) {
            continue;
        }
        cased_before = is_cased(text[j]);
        break;
    }
    if (!cased_before) {
        return false;
    }
    for (size_t j = i + 1; j < text.size(); ++j) {
        if (is_case_ignorable(text[j])) {
            continue;
        }
        return !is_cased(text[j]);
    }
    return true;
}

}  // namespace

void append_lowercase(std::u32string_view text, size_t i, std::u32string & out) {
    const char32_t cp = text[i];
    if (cp < 0x80) {
        out += (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
        return;
    }
    if (cp == 0x0130) {  // the one unconditional multi-character lowercase mapping
        out += U'i';
        out += char32_t(0x0307);
        return;
    }
    if (cp == 0x03A3) {
        out += is_final_sigma(text, i) ? char32_t(0x03C2) : char32_t(0x03C3);
        return;
    }
    out += static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
}

std::string to_lowercase(std::string_view s) {
    const std::u32string cps = to_code_points(s);
    std::u32string       out;
    out.reserve(cps.size());
    for (size_t i = 0; i < cps.size(); ++i) {
        append_lowercase(cps, i, out);
    }
    return to_utf8(out);
}

}  // namespace spexlens::text::hf::unicode
