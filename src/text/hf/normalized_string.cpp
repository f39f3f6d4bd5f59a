// normalized_string: a piece of the input with, for each of its bytes, the original bytes it
// came from (hf_types.h). Alignments follow the Rust crate's NormalizedString: every byte of a
// code point carries the original range of the whole code point (or of the code points it was
// made from), so a normalized range maps back by taking the smallest start and largest end.
#include "text/hf/hf_types.h"
#include "text/hf/unicode.h"

#include <algorithm>

namespace spexlens::text::hf {

normalized_string::normalized_string(std::string_view text, size_t original_start)
    : normalized_(text), original_span_{original_start, original_start + text.size()} {
    alignments_.reserve(text.size());
    for (size_t pos = 0; pos < text.size();) {
        const size_t length =
            std::min(unicode::sequence_length(static_cast<unsigned char>(text[pos])), text.size() - pos);
        const byte_range whole{original_start + pos, original_start + pos + length};
        alignments_.insert(alignments_.end(), length, whole);
        pos += length;
    }
}

byte_range normalized_string::original(byte_range r) const {
    const size_t n   = alignments_.size();
    const size_t end = std::min(r.end, n);
    if (r.start >= end) {
        // An empty range: the place in the original where normalized byte r.start would be.
        size_t at = original_span_.start;
        if (r.start < n) {
            at = alignments_[r.start].start;
        } else if (n > 0) {
            at = alignments_.back().end;
        }
        return {at, at};
    }
    byte_range out = alignments_[r.start];
    for (size_t i = r.start + 1; i < end; ++i) {
        out.start = std::min(out.start, alignments_[i].start);
        out.end   = std::max(out.end, alignments_[i].end);
    }
    return out;
}

void normalized_string::transform(const std::vector<std::pair<char32_t, int>> & changes, size_t initial_removed) {
    const std::string & old = normalized_;
    std::string         text;
    text.reserve(old.size());
    std::vector<byte_range> alignments;
    alignments.reserve(old.size());

    size_t     pos     = 0;  // the next old byte not yet consumed
    const auto skip_cp = [&]() {
        if (pos < old.size()) {
            pos += std::min(unicode::sequence_length(static_cast<unsigned char>(old[pos])), old.size() - pos);
        }
    };
    for (size_t k = 0; k < initial_removed; ++k) {
        skip_cp();
    }

    for (const auto & [cp, change] : changes) {
        byte_range align;
        if (change > 0) {
            // Inserted: aligned with the old code point before it, or the one after it at the start.
            if (pos > 0) {
                align = alignments_[pos - 1];
            } else if (!old.empty()) {
                align = alignments_[0];
            } else {
                align = {original_span_.start, original_span_.start};
            }
        } else {
            // Replaces the next old code point (and removes -change more), aligned with it as the
            // Rust crate does.
            if (pos < old.size()) {
                align = alignments_[pos];
            } else {
                const size_t at = old.empty() ? original_span_.start : alignments_.back().end;
                align           = {at, at};
            }
            skip_cp();
            for (int k = 0; k < -change; ++k) {
                skip_cp();
            }
        }
        const size_t before = text.size();
        unicode::append_utf8(text, cp);
        alignments.insert(alignments.end(), text.size() - before, align);
    }
    normalized_ = std::move(text);
    alignments_ = std::move(alignments);
}

normalized_string normalized_string::slice(byte_range r) const {
    const size_t      end   = std::min(r.end, normalized_.size());
    const size_t      start = std::min(r.start, end);
    normalized_string out;
    out.normalized_    = normalized_.substr(start, end - start);
    out.alignments_    = std::vector<byte_range>(alignments_.begin() + static_cast<std::ptrdiff_t>(start),
                                              alignments_.begin() + static_cast<std::ptrdiff_t>(end));
    out.original_span_ = original({start, end});
    return out;
}

}  // namespace spexlens::text::hf
