// text_layout: see text_layout.h.
//
// Index:
//   [SECTION] segments: the text cut into features and the text between them
//   [SECTION] lines: wrapping in reading order
//   [SECTION] visual placement: each line's runs by their bidi levels
//   [SECTION] text_layout and layout_text
#include "app/ui/text_layout.h"

#include "text/arabic_shaping.h"
#include "text/bidi.h"

#include <algorithm>
#include <cmath>

namespace spexlens::app {

namespace {

// [SECTION] segments: the text cut into features and the text between them ==============

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t next_code_point(const std::string & text, size_t i) {
    ++i;
    while (i < text.size() && is_continuation(text[i])) {
        ++i;
    }
    return i;
}

// The width of bytes [begin, end) of the text as drawn at this level (run_glyphs): ASCII left to
// right as it is, anything else in its display form (Arabic shaped, right to left reversed).
float measure_piece(const std::string & text, size_t begin, size_t end, int level, const measure_fn & measure) {
    const bool ascii =
        std::all_of(text.begin() + static_cast<std::ptrdiff_t>(begin), text.begin() + static_cast<std::ptrdiff_t>(end),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii && level % 2 == 0) {
        return measure(text.data() + begin, text.data() + end);
    }
    const std::string glyphs = spexlens::text::display_form(text, begin, end, level % 2 != 0);
    return measure(glyphs.data(), glyphs.data() + glyphs.size());
}

// Where a line may break, byte by byte: at ASCII white space, and always at a newline. Not the
// tokenizer's code point classes (text/char_class.h): those decide what a word is; these only
// where the heat-map wraps the text the user typed, which keeps every other byte on its line.
enum wrap_class { WRAP_WORD, WRAP_SPACE, WRAP_NEWLINE };

wrap_class wrap_class_of(char c) {
    if (c == '\n') {
        return WRAP_NEWLINE;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        return WRAP_SPACE;
    }
    return WRAP_WORD;
}

// A stretch of the text that is one feature, or the plain text between two features.
struct segment {
    size_t begin   = 0;
    size_t end     = 0;
    int    feature = -1;
};

// Cuts the text into segments covering every byte, from the spans' code point offsets. The
// spans are walked once with a forward-only cursor, so offsets cost O(text) in total.
std::vector<segment> make_segments(const std::string & text, const std::vector<layout_span> & spans,
                                   text_layout & out) {
    out.feature_byte_begin.assign(spans.size(), 0);
    out.feature_byte_end.assign(spans.size(), 0);
    std::vector<segment> segments;
    size_t               cursor_cp   = 0;
    size_t               cursor_byte = 0;
    size_t               covered     = 0;  // bytes before this are in a segment already
    auto                 advance_to  = [&](size_t cp) {
        while (cursor_cp < cp && cursor_byte < text.size()) {
            cursor_byte = next_code_point(text, cursor_byte);
            ++cursor_cp;
        }
        return cursor_byte;
    };
    size_t previous_end_cp = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
        if (spans[i].start < 0 || spans[i].end <= spans[i].start) {
            continue;
        }
        const size_t start = std::max(static_cast<size_t>(spans[i].start), previous_end_cp);
        const size_t end   = static_cast<size_t>(spans[i].end);
        if (end <= start) {
            continue;
        }
        const size_t begin_byte = advance_to(start);
        const size_t end_byte   = advance_to(end);
        if (end_byte <= begin_byte) {
            continue;  // past the end of the text
        }
        if (begin_byte > covered) {
            segments.push_back({covered, begin_byte, -1});
        }
        segments.push_back({begin_byte, end_byte, static_cast<int>(i)});
        out.feature_byte_begin[i] = begin_byte;
        out.feature_byte_end[i]   = end_byte;
        covered                   = end_byte;
        previous_end_cp           = end;
    }
    if (covered < text.size()) {
        segments.push_back({covered, text.size(), -1});
    }
    return segments;
}

// [SECTION] lines: wrapping in reading order ==============================================

// Places pieces of text left to right, wrapping lines, and merges touching pieces of the
// same segment on one line into one run.
class line_builder {
  public:
    line_builder(text_layout & out, float wrap_width) : out_(out), wrap_(wrap_width) {}

    float x() const { return x_; }
    bool  fits(float w) const { return x_ + w <= wrap_; }
    bool  at_soft_line_start() const { return x_ == 0 && soft_; }

    void new_line(bool soft) {
        ++line_;
        x_    = 0;
        soft_ = soft;
    }

    void emit(size_t begin, size_t end, int feature, float w, int level) {
        if (!out_.runs.empty()) {
            layout_run & last = out_.runs.back();
            if (last.line == line_ && last.feature == feature && last.byte_end == begin && last.level == level) {
                last.byte_end = end;
                last.w += w;
                x_ += w;
                return;
            }
        }
        out_.runs.push_back({begin, end, feature, line_, x_, w, level});
        x_ += w;
    }

    int lines() const { return line_ + 1; }

  private:
    text_layout & out_;
    float         wrap_;
    float         x_    = 0;
    int           line_ = 0;
    bool          soft_ = false;  // the current line started by wrapping, not at '\n'
};

struct piece {
    size_t begin   = 0;
    size_t end     = 0;
    int    feature = -1;
    float  w       = 0;
    int    level   = 0;
};

// [begin, end) cut at segment boundaries and where the bidi level changes; `seg` is advanced
// (pieces come in reading order).
void split_pieces(const std::vector<segment> & segments, const std::vector<unsigned char> & levels, size_t & seg,
                  size_t begin, size_t end, std::vector<piece> & out) {
    out.clear();
    while (seg < segments.size() && segments[seg].end <= begin) {
        ++seg;
    }
    size_t s = seg;
    while (begin < end && s < segments.size()) {
        const size_t segment_end = std::min(end, segments[s].end);
        size_t       piece_end   = begin + 1;
        while (piece_end < segment_end && levels[piece_end] == levels[begin]) {
            ++piece_end;  // levels change only between code points
        }
        out.push_back({begin, piece_end, segments[s].feature, 0, levels[begin]});
        begin = piece_end;
        if (begin >= segments[s].end) {
            ++s;
        }
    }
}

void finish(text_layout & out, int line_count) {
    out.line_count = line_count;
    out.line_first_run.assign(static_cast<size_t>(line_count) + 1, out.runs.size());
    for (size_t r = out.runs.size(); r-- > 0;) {
        out.line_first_run[static_cast<size_t>(out.runs[r].line)] = r;
    }
    // Empty lines start where the next nonempty line starts.
    for (size_t l = static_cast<size_t>(line_count); l-- > 0;) {
        out.line_first_run[l] = std::min(out.line_first_run[l], out.line_first_run[l + 1]);
    }
    const size_t n = out.feature_byte_begin.size();
    out.feature_first_run.assign(n, -1);
    out.feature_last_run.assign(n, -1);
    for (size_t r = 0; r < out.runs.size(); ++r) {
        const layout_run & run = out.runs[r];
        if (run.feature >= 0) {
            const auto f = static_cast<size_t>(run.feature);
            if (out.feature_first_run[f] < 0) {
                out.feature_first_run[f] = static_cast<int>(r);
            }
            out.feature_last_run[f] = static_cast<int>(r);
        }
    }
}

// [SECTION] visual placement: each line's runs by their bidi levels ======================

bool all_space(const std::string & text, const layout_run & run) {
    for (size_t b = run.byte_begin; b < run.byte_end; ++b) {
        if (wrap_class_of(text[b]) != WRAP_SPACE) {
            return false;
        }
    }
    return true;
}

// Gives every run its visual x, line by line: spaces at the end of a line take the paragraph's
// level (UAX #9 L1), the runs are ordered by L2, and a right-to-left paragraph's lines are
// right-aligned within the wrap width. Then the widest line.
void place_lines(const std::string & text, const spexlens::text::bidi_levels & bidi, float wrap_width,
                 text_layout & out) {
    out.line_level.assign(static_cast<size_t>(out.line_count), 0);
    std::vector<unsigned char> levels;
    for (size_t line = 0; line < static_cast<size_t>(out.line_count); ++line) {
        const size_t first = out.line_first_run[line];
        const size_t last  = out.line_first_run[line + 1];
        if (first == last) {
            continue;
        }
        const int base       = bidi.paragraph_level_at(out.runs[first].byte_begin);
        out.line_level[line] = base;
        for (size_t r = last; r-- > first && all_space(text, out.runs[r]);) {
            out.runs[r].level = base;
        }
        levels.clear();
        float line_width = 0;
        for (size_t r = first; r < last; ++r) {
            levels.push_back(static_cast<unsigned char>(out.runs[r].level));
            line_width += out.runs[r].w;
        }
        float x = base % 2 ? std::max(wrap_width - line_width, 0.0f) : 0.0f;
        for (const size_t k : spexlens::text::visual_order(levels)) {
            layout_run & run = out.runs[first + k];
            run.x            = x;
            x += run.w;
        }
    }
    for (const layout_run & run : out.runs) {
        out.width = std::max(out.width, run.x + run.w);
    }
}

}  // namespace

// [SECTION] text_layout and layout_text ====================================================

layout_rect text_layout::run_rect(const layout_run & run) const {
    return {run.x, line_height * static_cast<float>(run.line), run.w, line_height};
}

layout_rect text_layout::feature_rect(int feature) const {
    if (feature < 0 || static_cast<size_t>(feature) >= feature_first_run.size() ||
        feature_first_run[static_cast<size_t>(feature)] < 0) {
        return {};
    }
    return run_rect(runs[static_cast<size_t>(feature_first_run[static_cast<size_t>(feature)])]);
}

int text_layout::hit_test(float px, float py) const {
    if (line_height <= 0 || py < 0) {
        return -1;
    }
    const auto line = static_cast<size_t>(std::floor(py / line_height));
    if (line >= static_cast<size_t>(line_count)) {
        return -1;
    }
    for (size_t r = line_first_run[line]; r < line_first_run[line + 1]; ++r) {
        if (px >= runs[r].x && px < runs[r].x + runs[r].w) {
            return runs[r].feature;
        }
    }
    return -1;
}

std::string run_glyphs(const std::string & text, const layout_run & run) {
    return spexlens::text::display_form(text, run.byte_begin, run.byte_end, run.rtl());
}

text_layout layout_text(const std::string & text, const std::vector<layout_span> & spans, float wrap_width,
                        float line_height, const measure_fn & measure) {
    text_layout out;
    out.line_height                            = line_height;
    const std::vector<segment>        segments = make_segments(text, spans, out);
    const spexlens::text::bidi_levels bidi     = spexlens::text::resolve_bidi(text);
    const float                       wrap     = std::max(wrap_width, 1.0f);
    line_builder                      lines(out, wrap);
    std::vector<piece>                pieces;
    size_t                            seg = 0;

    size_t p = 0;
    while (p < text.size()) {
        const wrap_class kind = wrap_class_of(text[p]);
        if (kind == WRAP_NEWLINE) {
            lines.new_line(false);
            ++p;
            continue;
        }
        size_t q = p + 1;
        while (q < text.size() && wrap_class_of(text[q]) == kind) {
            ++q;
        }
        split_pieces(segments, bidi.levels, seg, p, q, pieces);
        if (kind == WRAP_SPACE) {
            // Spaces at a wrap are dropped: the line break stands for them.
            for (const piece & sp : pieces) {
                if (lines.at_soft_line_start()) {
                    break;
                }
                const float w = measure_piece(text, sp.begin, sp.end, sp.level, measure);
                if (!lines.fits(w)) {
                    lines.new_line(true);
                    break;
                }
                lines.emit(sp.begin, sp.end, sp.feature, w, sp.level);
            }
        } else {
            float total = 0;
            for (piece & wp : pieces) {
                wp.w = measure_piece(text, wp.begin, wp.end, wp.level, measure);
                total += wp.w;
            }
            if (lines.x() > 0 && !lines.fits(total)) {
                lines.new_line(true);
            }
            if (lines.fits(total)) {
                for (const piece & wp : pieces) {
                    lines.emit(wp.begin, wp.end, wp.feature, wp.w, wp.level);
                }
            } else {
                // Wider than a whole line (a URL, a long token): break between code points, not
                // inside a LAM-ALEF ligature (one glyph).
                for (const piece & wp : pieces) {
                    for (size_t c = wp.begin; c < wp.end;) {
                        const size_t c_end = std::max(std::min(next_code_point(text, c), wp.end),
                                                      spexlens::text::lam_alef_end(text, c, wp.end));
                        const float  w     = measure_piece(text, c, c_end, wp.level, measure);
                        if (lines.x() > 0 && !lines.fits(w)) {
                            lines.new_line(true);
                        }
                        lines.emit(c, c_end, wp.feature, w, wp.level);
                        c = c_end;
                    }
                }
            }
        }
        p = q;
    }
    finish(out, lines.lines());
    place_lines(text, bidi, wrap, out);
    return out;
}

}  // namespace spexlens::app
