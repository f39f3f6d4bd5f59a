// bidi: see bidi.h for what of UAX #9 is kept and what is left out.
//
// Index:
//   [SECTION] code points and their classes
//   [SECTION] resolving one paragraph (W1–W7, N1–N2, I1–I2, L1)
//   [SECTION] public functions
#include "text/bidi.h"

#include "text/arabic_shaping.h"

#include <algorithm>
#include <numeric>
#include <utf8proc.h>

namespace spexlens::text {

// [SECTION] code points and their classes ===================================================

namespace {

// UAX #9 bidi classes, with every explicit formatting character folded into BN (left out).
enum kind : unsigned char { K_L, K_R, K_AL, K_EN, K_ES, K_ET, K_AN, K_CS, K_NSM, K_BN, K_B, K_S, K_WS, K_ON };

// One code point of the text: where it is and its class (ill-formed bytes: one U+FFFD each).
struct unit {
    size_t   begin = 0;
    size_t   size  = 1;
    char32_t cp    = 0xFFFD;
    kind     k     = K_ON;
};

kind kind_of(char32_t cp) {
    switch (utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->bidi_class) {
    case UTF8PROC_BIDI_CLASS_L:
        return K_L;
    case UTF8PROC_BIDI_CLASS_R:
        return K_R;
    case UTF8PROC_BIDI_CLASS_AL:
        return K_AL;
    case UTF8PROC_BIDI_CLASS_EN:
        return K_EN;
    case UTF8PROC_BIDI_CLASS_ES:
        return K_ES;
    case UTF8PROC_BIDI_CLASS_ET:
        return K_ET;
    case UTF8PROC_BIDI_CLASS_AN:
        return K_AN;
    case UTF8PROC_BIDI_CLASS_CS:
        return K_CS;
    case UTF8PROC_BIDI_CLASS_NSM:
        return K_NSM;
    case UTF8PROC_BIDI_CLASS_B:
        return K_B;
    case UTF8PROC_BIDI_CLASS_S:
        return K_S;
    case UTF8PROC_BIDI_CLASS_WS:
        return K_WS;
    case UTF8PROC_BIDI_CLASS_BN:
    case UTF8PROC_BIDI_CLASS_LRE:
    case UTF8PROC_BIDI_CLASS_LRO:
    case UTF8PROC_BIDI_CLASS_RLE:
    case UTF8PROC_BIDI_CLASS_RLO:
    case UTF8PROC_BIDI_CLASS_PDF:
    case UTF8PROC_BIDI_CLASS_LRI:
    case UTF8PROC_BIDI_CLASS_RLI:
    case UTF8PROC_BIDI_CLASS_FSI:
    case UTF8PROC_BIDI_CLASS_PDI:
        return K_BN;
    default:
        return K_ON;
    }
}

unit decode(std::string_view s, size_t pos) {
    utf8proc_int32_t cp = 0;
    const auto       n  = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t *>(s.data() + pos),
                                           static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
    if (n <= 0) {
        return {pos, 1, 0xFFFD, K_ON};
    }
    return {pos, static_cast<size_t>(n), static_cast<char32_t>(cp), kind_of(static_cast<char32_t>(cp))};
}

// The end of the paragraph starting at `pos`: just past its first class-B character (a CR LF
// pair counts as one), or the end of the text.
size_t paragraph_end(std::string_view s, size_t pos) {
    while (pos < s.size()) {
        const unit u = decode(s, pos);
        pos += u.size;
        if (u.k == K_B) {
            if (u.cp == '\r' && pos < s.size() && s[pos] == '\n') {
                ++pos;
            }
            break;
        }
    }
    return pos;
}

bool is_neutral(kind k) { return k == K_B || k == K_S || k == K_WS || k == K_ON; }

// For N1: numbers count as right to left.
kind strong_side(kind k) { return k == K_L ? K_L : K_R; }

// [SECTION] resolving one paragraph (W1–W7, N1–N2, I1–I2, L1) =============================

// W1–W7 on the classes `t` (BN already removed); sos = eos = the paragraph's direction.
void resolve_weak(std::vector<kind> & t, kind sos) {
    kind prev = sos;  // W1: a mark takes the class before it
    for (kind & k : t) {
        k    = k == K_NSM ? prev : k;
        prev = k;
    }
    kind strong = sos;  // W2: a European number after Arabic letters is an Arabic number; W3
    for (kind & k : t) {
        if (k == K_L || k == K_R || k == K_AL) {
            strong = k;
        } else if (k == K_EN && strong == K_AL) {
            k = K_AN;
        }
        k = k == K_AL ? K_R : k;
    }
    for (size_t i = 1; i + 1 < t.size(); ++i) {  // W4: one separator between two numbers
        const bool same = t[i - 1] == t[i + 1];
        if (same && t[i - 1] == K_EN && (t[i] == K_ES || t[i] == K_CS)) {
            t[i] = K_EN;
        } else if (same && t[i - 1] == K_AN && t[i] == K_CS) {
            t[i] = K_AN;
        }
    }
    for (size_t i = 0; i < t.size();) {  // W5: terminators next to a European number join it
        size_t j = i;
        while (j < t.size() && t[j] == K_ET) {
            ++j;
        }
        if (j > i && ((i > 0 && t[i - 1] == K_EN) || (j < t.size() && t[j] == K_EN))) {
            std::fill(t.begin() + static_cast<std::ptrdiff_t>(i), t.begin() + static_cast<std::ptrdiff_t>(j), K_EN);
        }
        i = j > i ? j : i + 1;
    }
    strong = sos;
    for (kind & k : t) {
        k = (k == K_ES || k == K_ET || k == K_CS) ? K_ON : k;  // W6
        if (k == K_L || k == K_R) {
            strong = k;
        } else if (k == K_EN && strong == K_L) {
            k = K_L;  // W7
        }
    }
}

// N1–N2: a stretch of neutrals between two strong sides that agree takes their direction,
// otherwise the paragraph's.
void resolve_neutrals(std::vector<kind> & t, kind sos) {
    for (size_t i = 0; i < t.size();) {
        if (!is_neutral(t[i])) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < t.size() && is_neutral(t[j])) {
            ++j;
        }
        const kind before = i > 0 ? strong_side(t[i - 1]) : sos;
        const kind after  = j < t.size() ? strong_side(t[j]) : sos;
        std::fill(t.begin() + static_cast<std::ptrdiff_t>(i), t.begin() + static_cast<std::ptrdiff_t>(j),
                  before == after ? before : sos);
        i = j;
    }
}

// Levels of the paragraph's code points `units` at paragraph level `base`.
std::vector<unsigned char> resolve_paragraph(const std::vector<unit> & units, int base) {
    const kind          sos = base % 2 ? K_R : K_L;
    std::vector<kind>   t;
    std::vector<size_t> where;  // t[i] is units[where[i]]
    for (size_t u = 0; u < units.size(); ++u) {
        if (units[u].k != K_BN) {
            t.push_back(units[u].k);
            where.push_back(u);
        }
    }
    resolve_weak(t, sos);
    resolve_neutrals(t, sos);

    std::vector<unsigned char> level(units.size(), static_cast<unsigned char>(base));
    for (size_t i = 0; i < t.size(); ++i) {  // I1–I2
        int l = base;
        if (base % 2 == 0) {
            l += t[i] == K_R ? 1 : (t[i] == K_AN || t[i] == K_EN) ? 2 : 0;
        } else {
            l += t[i] == K_R ? 0 : 1;
        }
        level[where[i]] = static_cast<unsigned char>(l);
    }
    for (size_t u = 1; u < units.size(); ++u) {  // invisible characters take the level before them
        if (units[u].k == K_BN) {
            level[u] = level[u - 1];
        }
    }
    bool reset = true;  // L1: separators, and white space before them or at the end
    for (size_t u = units.size(); u-- > 0;) {
        const kind k = units[u].k;
        if (k == K_S || k == K_B) {
            level[u] = static_cast<unsigned char>(base);
            reset    = true;
        } else if ((k == K_WS || k == K_BN) && reset) {
            level[u] = static_cast<unsigned char>(base);
        } else {
            reset = false;
        }
    }
    return level;
}

// L4 for the common brackets: the glyph drawn for c in a right-to-left run.
char32_t mirrored(char32_t c) {
    static constexpr char32_t pairs[][2] = {{'(', ')'}, {'[', ']'},   {'{', '}'},
                                            {'<', '>'}, {0xAB, 0xBB}, {0x2039, 0x203A}};
    for (const auto & p : pairs) {
        if (c == p[0]) {
            return p[1];
        }
        if (c == p[1]) {
            return p[0];
        }
    }
    return c;
}

bool is_mark(char32_t cp) {
    const auto category = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->category;
    return category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_ME || category == UTF8PROC_CATEGORY_MC;
}

void append(std::string & out, char32_t cp) {
    utf8proc_uint8_t buf[4];
    const auto       n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
    out.append(reinterpret_cast<const char *>(buf), static_cast<size_t>(n));
}

}  // namespace

// [SECTION] public functions ================================================================

int bidi_levels::paragraph_level_at(size_t pos) const {
    const auto it = std::upper_bound(paragraphs.begin(), paragraphs.end(), pos,
                                     [](size_t p, const bidi_paragraph & para) { return p < para.end; });
    return it == paragraphs.end() ? 0 : it->level;
}

int paragraph_level(std::string_view paragraph) {
    for (size_t pos = 0; pos < paragraph.size();) {
        const unit u = decode(paragraph, pos);
        if (u.k == K_L) {
            return 0;
        }
        if (u.k == K_R || u.k == K_AL) {
            return 1;
        }
        if (u.k == K_B) {
            break;
        }
        pos += u.size;
    }
    return 0;
}

bidi_levels resolve_bidi(std::string_view utf8) {
    bidi_levels out;
    out.levels.assign(utf8.size(), 0);
    std::vector<unit> units;
    for (size_t begin = 0; begin < utf8.size();) {
        const size_t end   = paragraph_end(utf8, begin);
        const int    level = paragraph_level(utf8.substr(begin, end - begin));
        units.clear();
        for (size_t pos = begin; pos < end; pos += units.back().size) {
            units.push_back(decode(utf8.substr(0, end), pos));
        }
        const std::vector<unsigned char> levels = resolve_paragraph(units, level);
        for (size_t u = 0; u < units.size(); ++u) {
            std::fill_n(out.levels.begin() + static_cast<std::ptrdiff_t>(units[u].begin), units[u].size, levels[u]);
        }
        out.paragraphs.push_back({begin, end, level});
        begin = end;
    }
    return out;
}

std::vector<size_t> visual_order(const std::vector<unsigned char> & levels) {
    std::vector<size_t> order(levels.size());
    std::iota(order.begin(), order.end(), size_t{0});
    if (levels.empty()) {
        return order;
    }
    const int highest = *std::max_element(levels.begin(), levels.end());
    const int lowest  = *std::min_element(levels.begin(), levels.end());
    for (int level = highest; level >= (lowest | 1); --level) {
        for (size_t i = 0; i < order.size();) {
            if (levels[order[i]] < level) {
                ++i;
                continue;
            }
            size_t j = i;
            while (j < order.size() && levels[order[j]] >= level) {
                ++j;
            }
            std::reverse(order.begin() + static_cast<std::ptrdiff_t>(i),
                         order.begin() + static_cast<std::ptrdiff_t>(j));
            i = j;
        }
    }
    return order;
}

std::string reversed_for_display(std::string_view utf8) {
    // Clusters: a code point and the combining marks after it, as byte ranges in reading order.
    std::vector<std::pair<size_t, size_t>> clusters;
    for (size_t pos = 0; pos < utf8.size();) {
        const unit u = decode(utf8, pos);
        if (!clusters.empty() && is_mark(u.cp)) {
            clusters.back().second = pos + u.size;
        } else {
            clusters.emplace_back(pos, pos + u.size);
        }
        pos += u.size;
    }
    std::string out;
    out.reserve(utf8.size());
    for (size_t c = clusters.size(); c-- > 0;) {
        const unit base = decode(utf8, clusters[c].first);
        if (base.cp != 0xFFFD && mirrored(base.cp) != base.cp) {
            append(out, mirrored(base.cp));
            out.append(utf8.substr(clusters[c].first + base.size, clusters[c].second - clusters[c].first - base.size));
        } else {
            out.append(utf8.substr(clusters[c].first, clusters[c].second - clusters[c].first));
        }
    }
    return out;
}

std::string display_form(std::string_view text, size_t begin, size_t end, bool rtl) {
    const std::string shaped = shape_arabic(text, begin, end);
    return rtl ? reversed_for_display(shaped) : shaped;
}

namespace {

// One line of a label in drawing order (visual_label).
std::string visual_line(std::string_view line) {
    const bidi_levels                      b = resolve_bidi(line);
    std::vector<std::pair<size_t, size_t>> runs;  // of one level, in reading order
    std::vector<unsigned char>             levels;
    for (size_t i = 0; i < line.size(); ++i) {
        if (runs.empty() || b.levels[i] != levels.back()) {
            runs.emplace_back(i, i + 1);
            levels.push_back(b.levels[i]);
        } else {
            runs.back().second = i + 1;
        }
    }
    std::string out;
    out.reserve(line.size());
    for (size_t k : visual_order(levels)) {
        out += display_form(line, runs[k].first, runs[k].second, levels[k] % 2 != 0);
    }
    return out;
}

}  // namespace

std::string visual_label(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (size_t begin = 0; begin <= utf8.size();) {
        const size_t newline = std::min(utf8.find('\n', begin), utf8.size());
        out += visual_line(utf8.substr(begin, newline - begin));
        if (newline < utf8.size()) {
            out += '\n';
        }
        begin = newline + 1;
    }
    return out;
}

}  // namespace spexlens::text
