// utf8: see utf8.h. The decoder follows Unicode's Table 3-7 (well-formed byte sequences) and
// replaces each maximal subpart of an ill-formed sequence by one U+FFFD, which is exactly what
// Python's bytes.decode("utf-8", "replace") does; the tokenizer vectors pin the two together.
#include "text/utf8.h"

namespace spexlens::text {

namespace {

constexpr char replacement[] = "\xEF\xBF\xBD";  // U+FFFD

bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// For a lead byte: the sequence length and the allowed range of the second byte (the only
// byte whose range depends on the lead: it excludes overlongs, surrogates and > U+10FFFF).
// Returns 0 for bytes that cannot start a sequence.
int sequence_length(unsigned char lead, unsigned char & second_lo, unsigned char & second_hi) {
    second_lo = 0x80;
    second_hi = 0xBF;
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (lead == 0xE0) {
            second_lo = 0xA0;  // no overlong 3-byte forms
        } else if (lead == 0xED) {
            second_hi = 0x9F;  // no surrogates U+D800..DFFF
        }
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (lead == 0xF0) {
            second_lo = 0x90;  // no overlong 4-byte forms
        } else if (lead == 0xF4) {
            second_hi = 0x8F;  // nothing above U+10FFFF
        }
        return 4;
    }
    return 0;  // 80..C1 (continuations, overlong 2-byte leads) and F5..FF
}

}  // namespace

std::string sanitize_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    const size_t n = bytes.size();
    size_t       i = 0;
    while (i < n) {
        const unsigned char lead = static_cast<unsigned char>(bytes[i]);
        if (lead < 0x80) {
            out.push_back(static_cast<char>(lead));
            ++i;
            continue;
        }
        unsigned char lo = 0, hi = 0;
        const int     len = sequence_length(lead, lo, hi);
        if (len == 0) {
            out += replacement;
            ++i;
            continue;
        }
        // Consume the longest valid prefix; an incomplete one is one maximal subpart.
        size_t j = i + 1;
        for (int k = 1; k < len && j < n; ++k, ++j) {
            const unsigned char b      = static_cast<unsigned char>(bytes[j]);
            const bool          inside = k == 1 ? (b >= lo && b <= hi) : is_continuation(b);
            if (!inside) {
                break;
            }
        }
        if (j - i == static_cast<size_t>(len)) {
            out.append(bytes.data() + i, len);
        } else {
            out += replacement;
        }
        i = j;
    }
    return out;
}

char32_t next_code_point(std::string_view s, size_t & pos) {
    const unsigned char lead = static_cast<unsigned char>(s[pos]);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    int      len = 0;
    char32_t cp  = 0;
    if (lead >= 0xF0) {
        len = 4;
        cp  = lead & 0x07;
    } else if (lead >= 0xE0) {
        len = 3;
        cp  = lead & 0x0F;
    } else {
        len = 2;
        cp  = lead & 0x1F;
    }
    // Well-formed input is the precondition; still never read past the end or accept a
    // broken sequence, so a misuse yields U+FFFD instead of undefined behaviour.
    if (lead < 0xC2 || lead > 0xF4 || pos + len > s.size()) {
        ++pos;
        return 0xFFFD;
    }
    for (int k = 1; k < len; ++k) {
        const unsigned char b = static_cast<unsigned char>(s[pos + k]);
        if (!is_continuation(b)) {
            ++pos;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    pos += len;
    return cp;
}

size_t count_code_points(std::string_view s) {
    size_t count = 0;
    for (const char c : s) {
        count += is_continuation(static_cast<unsigned char>(c)) ? 0 : 1;
    }
    return count;
}

void append_utf8(std::string & out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

}  // namespace spexlens::text
