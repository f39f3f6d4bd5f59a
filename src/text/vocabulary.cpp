// vocabulary: see vocabulary.h. Line splitting follows the Python reference's load_vocab (text
// mode, so "\r\n" and "\r" are line ends, then split on "\n" and drop one trailing empty
// line), so both sides give every token the same id. Unlike the reference, a duplicate token
// is an error here: Python silently keeps the last id, which hides a broken vocabulary file.
#include "text/vocabulary.h"

#include "text/text_error.h"
#include "text/utf8.h"

namespace spexlens::text {

namespace {

std::vector<std::string> split_lines(std::string_view contents) {
    std::vector<std::string> lines;
    std::string              line;
    for (size_t i = 0; i < contents.size(); ++i) {
        const char c = contents[i];
        if (c == '\n' || c == '\r') {
            lines.push_back(std::move(line));
            line.clear();
            if (c == '\r' && i + 1 < contents.size() && contents[i + 1] == '\n') {
                ++i;
            }
        } else {
            line.push_back(c);
        }
    }
    // A final line end is optional: only text after the last line end is one more line.
    if (!line.empty()) {
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace

vocabulary vocabulary::from_text(std::string_view contents) {
    vocabulary v;
    v.tokens_ = split_lines(contents);
    v.ids_.reserve(v.tokens_.size());
    for (size_t i = 0; i < v.tokens_.size(); ++i) {
        const std::string & t = v.tokens_[i];
        if (t.empty()) {
            continue;
        }
        if (sanitize_utf8(t) != t) {
            throw text_error("vocabulary: line " + std::to_string(i + 1) + " is not valid UTF-8");
        }
        const auto inserted = v.ids_.emplace(t, static_cast<int32_t>(i));
        if (!inserted.second) {
            const size_t first = static_cast<size_t>(inserted.first->second);
            throw text_error("vocabulary: the token \"" + t + "\" is on line " + std::to_string(first + 1) +
                             " and again on line " + std::to_string(i + 1) +
                             "; every token must appear once (line i is id i - 1)");
        }
    }
    if (v.ids_.empty()) {
        throw text_error("vocabulary: the file has no tokens (expected one token per line, line 1 is id 0)");
    }
    return v;
}

int32_t vocabulary::id_of(std::string_view token, int32_t unk_id) const {
    const auto it = ids_.find(std::string(token));
    return it == ids_.end() ? unk_id : it->second;
}

bool vocabulary::contains(std::string_view token) const { return ids_.find(std::string(token)) != ids_.end(); }

}  // namespace spexlens::text
