// arabic_shaping: see arabic_shaping.h for the rules.
//
// Index:
//   [SECTION] Unicode's tables (arabic_tables.inc) and look-ups
//   [SECTION] code points, forwards and backwards
//   [SECTION] shaping a range
#include "text/arabic_shaping.h"

#include <algorithm>
#include <utf8proc.h>

namespace spexlens::text {

// [SECTION] Unicode's tables (arabic_tables.inc) and look-ups ===============================

namespace {

struct joining_range {
    char32_t first;
    char32_t last;
    char     type;
};

struct letter_forms {
    char32_t letter;
    char32_t forms[4];  // isolated, final, initial, medial
};

struct lam_alef_forms {
    char32_t alef;
    char32_t isolated;
    char32_t final_form;
};

#include "text/arabic_tables.inc"

constexpr char32_t lam = 0x0644;

const letter_forms * forms_of(char32_t letter) {
    const auto * end = std::end(letter_forms_table);
    const auto * it  = std::lower_bound(std::begin(letter_forms_table), end, letter,
                                        [](const letter_forms & f, char32_t c) { return f.letter < c; });
    return it != end && it->letter == letter ? it : nullptr;
}

const lam_alef_forms * lam_alef_of(char32_t alef) {
    for (const lam_alef_forms & f : lam_alef_table) {
        if (f.alef == alef) {
            return &f;
        }
    }
    return nullptr;
}

// How a code point may join its neighbours once the forms available are taken into account.
struct joining {
    bool transparent = false;
    bool before      = false;  // may join the code point before it (logical order)
    bool after       = false;  // may join the code point after it
};

joining joining_of(char32_t cp) {
    const joining_type t = joining_type_of(cp);
    if (t == joining_type::T) {
        return {true, false, false};
    }
    if (t == joining_type::C) {
        return {false, true, true};
    }
    const letter_forms * f = forms_of(cp);
    if (f == nullptr) {
        return {};
    }
    const bool before = (t == joining_type::R || t == joining_type::D) && f->forms[1] != 0;
    const bool after  = (t == joining_type::L || t == joining_type::D) && f->forms[2] != 0;
    return {false, before, after};
}

bool is_combining_mark(char32_t cp) {
    const auto category = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->category;
    return category == UTF8PROC_CATEGORY_MN || category == UTF8PROC_CATEGORY_ME;
}

// [SECTION] code points, forwards and backwards =============================================

// One code point of the text (ill-formed bytes: one unit each, which joins nothing).
struct unit {
    size_t   begin = 0;
    size_t   size  = 1;
    char32_t cp    = 0;
    bool     valid = false;
};

unit decode_at(std::string_view s, size_t pos) {
    utf8proc_int32_t cp = 0;
    const auto       n  = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t *>(s.data() + pos),
                                           static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
    if (n <= 0) {
        return {pos, 1, 0, false};
    }
    return {pos, static_cast<size_t>(n), static_cast<char32_t>(cp), true};
}

// The code point that ends just before byte `pos` (pos > 0): a well-formed sequence ending there,
// else the single byte before it, ill-formed.
unit decode_before(std::string_view s, size_t pos) {
    for (size_t back = 1; back <= 4 && back <= pos; ++back) {
        const auto byte = static_cast<unsigned char>(s[pos - back]);
        if ((byte & 0xC0) != 0x80) {
            const unit u = decode_at(s.substr(0, pos), pos - back);
            return u.valid && u.size == back ? u : unit{pos - 1, 1, 0, false};
        }
    }
    return {pos - 1, 1, 0, false};
}

joining joining_of(const unit & u) { return u.valid ? joining_of(u.cp) : joining{}; }

// The neighbour a range's end finds outside it: whether it joins towards the range, and how many
// transparent code points lie between (max_transparent_skip + 1 when it looked no further).
struct context {
    bool   joins   = false;
    size_t skipped = 0;
};

// The first code point before byte `pos` that is not transparent: whether it joins what follows.
context context_before(std::string_view s, size_t pos) {
    for (size_t skipped = 0; skipped <= max_transparent_skip; ++skipped) {
        if (pos == 0) {
            return {false, skipped};
        }
        const unit    u = decode_before(s, pos);
        const joining j = joining_of(u);
        if (!j.transparent) {
            return {j.after, skipped};
        }
        pos = u.begin;
    }
    return {false, max_transparent_skip + 1};
}

// The first code point from byte `pos` on that is not transparent: whether it joins what precedes.
context context_after(std::string_view s, size_t pos) {
    for (size_t skipped = 0; skipped <= max_transparent_skip; ++skipped) {
        if (pos >= s.size()) {
            return {false, skipped};
        }
        const unit    u = decode_at(s, pos);
        const joining j = joining_of(u);
        if (!j.transparent) {
            return {j.before, skipped};
        }
        pos += u.size;
    }
    return {false, max_transparent_skip + 1};
}

void append(std::string & out, char32_t cp) {
    utf8proc_uint8_t buf[4];
    const auto       n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
    out.append(reinterpret_cast<const char *>(buf), static_cast<size_t>(n));
}

// The index of the ALEF of a LAM-ALEF ligature starting at units[i], or 0 when there is none.
size_t ligature_alef(const std::vector<unit> & units, size_t i) {
    if (!units[i].valid || units[i].cp != lam) {
        return 0;
    }
    for (size_t k = i + 1; k < units.size() && k - i - 1 <= max_transparent_skip; ++k) {
        if (units[k].valid && is_combining_mark(units[k].cp) && joining_type_of(units[k].cp) == joining_type::T) {
            continue;
        }
        return units[k].valid && lam_alef_of(units[k].cp) != nullptr ? k : 0;
    }
    return 0;
}

// The presentation form for the joins found, falling back to a form the letter has.
char32_t form_for(const letter_forms & f, bool joins_before, bool joins_after) {
    char32_t cp = 0;
    if (joins_before && joins_after) {
        cp = f.forms[3] != 0 ? f.forms[3] : f.forms[1];
    } else if (joins_before) {
        cp = f.forms[1];
    } else if (joins_after) {
        cp = f.forms[2];
    }
    return cp != 0 ? cp : f.forms[0];
}

// Collects output pieces, merging unchanged neighbours.
class piece_writer {
  public:
    piece_writer(std::string & out, std::vector<shaping_piece> * pieces) : out_(out), pieces_(pieces) {}

    void unchanged(std::string_view s, size_t begin, size_t end) {
        const size_t out_begin = out_.size();
        out_.append(s.substr(begin, end - begin));
        if (pieces_ == nullptr) {
            return;
        }
        if (!pieces_->empty() && !pieces_->back().shaped && pieces_->back().source_end == begin) {
            pieces_->back().source_end = end;
            pieces_->back().out_end    = out_.size();
        } else {
            pieces_->push_back({begin, end, out_begin, out_.size(), false});
        }
    }

    void shaped(size_t begin, size_t end, size_t out_begin) {
        if (pieces_ != nullptr) {
            pieces_->push_back({begin, end, out_begin, out_.size(), true});
        }
    }

  private:
    std::string &                out_;
    std::vector<shaping_piece> * pieces_;
};

}  // namespace

joining_type joining_type_of(char32_t cp) {
    const auto * end = std::end(joining_ranges);
    const auto * it  = std::lower_bound(std::begin(joining_ranges), end, cp,
                                        [](const joining_range & r, char32_t c) { return r.last < c; });
    if (it == end || cp < it->first) {
        return joining_type::U;
    }
    switch (it->type) {
    case 'R':
        return joining_type::R;
    case 'L':
        return joining_type::L;
    case 'D':
        return joining_type::D;
    case 'C':
        return joining_type::C;
    case 'T':
        return joining_type::T;
    default:
        return joining_type::U;
    }
}

char32_t presentation_form(char32_t letter, arabic_form form) {
    const letter_forms * f = forms_of(letter);
    return f == nullptr ? 0 : f->forms[static_cast<int>(form)];
}

char32_t lam_alef_ligature(char32_t alef, bool final_form) {
    const lam_alef_forms * f = lam_alef_of(alef);
    return f == nullptr ? 0 : final_form ? f->final_form : f->isolated;
}

std::u32string letters_of_form(char32_t form) {
    for (const letter_forms & f : letter_forms_table) {
        if (std::find(std::begin(f.forms), std::end(f.forms), form) != std::end(f.forms) && form != 0) {
            return std::u32string(1, f.letter);
        }
    }
    for (const lam_alef_forms & f : lam_alef_table) {
        if (form == f.isolated || form == f.final_form) {
            return {lam, f.alef};
        }
    }
    return {};
}

// [SECTION] shaping a range =================================================================

std::string shape_arabic(std::string_view utf8, size_t begin, size_t end, std::vector<shaping_piece> * pieces) {
    end                          = std::min(end, utf8.size());
    begin                        = std::min(begin, end);
    const std::string_view range = utf8.substr(begin, end - begin);
    if (pieces != nullptr) {
        pieces->clear();
    }
    if (std::all_of(range.begin(), range.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
        if (pieces != nullptr && !range.empty()) {  // ASCII: type U throughout, nothing to shape
            pieces->push_back({begin, end, 0, range.size(), false});
        }
        return std::string(range);
    }
    std::vector<unit> units;
    for (size_t pos = begin; pos < end; pos += units.back().size) {
        units.push_back(decode_at(utf8.substr(0, end), pos));
    }
    std::vector<joining> joins(units.size());
    for (size_t i = 0; i < units.size(); ++i) {
        joins[i] = joining_of(units[i]);
    }
    // For every unit: does the first code point that is not transparent before it join forwards,
    // and the one after it join backwards (R2: transparent ones are looked past).
    std::vector<unsigned char> before_joins(units.size()), after_joins(units.size());
    const context              first   = context_before(utf8, begin);
    bool                       last    = first.joins;
    size_t                     skipped = first.skipped;  // transparent ones between
    for (size_t i = 0; i < units.size(); ++i) {
        before_joins[i] = skipped <= max_transparent_skip && last;
        skipped         = joins[i].transparent ? skipped + 1 : 0;
        last            = joins[i].transparent ? last : joins[i].after;
    }
    const context after = context_after(utf8, end);
    last                = after.joins;
    skipped             = after.skipped;
    for (size_t i = units.size(); i-- > 0;) {
        after_joins[i] = skipped <= max_transparent_skip && last;
        skipped        = joins[i].transparent ? skipped + 1 : 0;
        last           = joins[i].transparent ? last : joins[i].before;
    }

    std::string out;
    out.reserve((end - begin) * 3 / 2);
    piece_writer writer(out, pieces);
    for (size_t i = 0; i < units.size(); ++i) {
        const unit & u          = units[i];
        const bool   join_left  = joins[i].before && before_joins[i] != 0;  // logical: the letter before
        const size_t alef       = ligature_alef(units, i);
        const size_t out_before = out.size();
        if (alef != 0) {
            append(out, lam_alef_ligature(units[alef].cp, join_left));
            for (size_t k = i + 1; k < alef; ++k) {
                out.append(utf8.substr(units[k].begin, units[k].size));
            }
            writer.shaped(u.begin, units[alef].begin + units[alef].size, out_before);
            i = alef;
            continue;
        }
        const letter_forms * f = u.valid ? forms_of(u.cp) : nullptr;
        if (f == nullptr || joins[i].transparent) {
            writer.unchanged(utf8, u.begin, u.begin + u.size);
            continue;
        }
        append(out, form_for(*f, join_left, joins[i].after && after_joins[i] != 0));
        writer.shaped(u.begin, u.begin + u.size, out_before);
    }
    return out;
}

std::string shape_arabic(std::string_view utf8) { return shape_arabic(utf8, 0, utf8.size()); }

size_t lam_alef_end(std::string_view utf8, size_t pos, size_t limit) {
    limit = std::min(limit, utf8.size());
    if (pos >= limit) {
        return pos;
    }
    std::vector<unit> units;
    for (size_t p = pos; p < limit && units.size() <= max_transparent_skip + 1;) {
        units.push_back(decode_at(utf8.substr(0, limit), p));
        p += units.back().size;
        if (units.size() == 1 && (!units[0].valid || units[0].cp != lam)) {
            return pos;
        }
    }
    const size_t alef = ligature_alef(units, 0);
    return alef == 0 ? pos : units[alef].begin + units[alef].size;
}

}  // namespace spexlens::text
