// wordpiece: greedy longest-match-first WordPiece (see wordpiece.h).
#include "text/hf/wordpiece.h"

#include <algorithm>
#include <utility>

namespace spexlens::text::hf {

wordpiece_model::wordpiece_model(wordpiece_config config) : config_(std::move(config)) {}

void wordpiece_model::push(std::vector<model_token> & out, int32_t id, size_t start, size_t end) const {
    model_token t;
    t.id    = id;
    t.value = std::string(config_.vocab.token(id));
    t.bytes = byte_range{start, end};
    out.push_back(std::move(t));
}

void wordpiece_model::tokenize(std::string_view piece, std::vector<model_token> & out) const {
    if (piece.empty()) {
        return;
    }
    // Too long a word is unknown as a whole (both implementations count code points).
    size_t chars = 0;
    for (size_t pos = 0; pos < piece.size(); pos += utf8_char_len(piece, pos)) {
        ++chars;
    }
    if (chars > config_.max_input_chars_per_word) {
        push(out, config_.unk_id, 0, piece.size());
        return;
    }

    // No vocabulary string is longer than max_token_bytes, so longer candidates are skipped
    // without a lookup; this keeps a word at O(length * longest token) lookups.
    const size_t        longest = config_.vocab.max_token_bytes();
    const std::string & prefix  = config_.continuing_subword_prefix;
    const size_t        first   = out.size();
    std::string         candidate;
    std::vector<size_t> ends;
    size_t              start = 0;
    while (start < piece.size()) {
        const size_t room = start == 0 ? longest : (longest > prefix.size() ? longest - prefix.size() : 0);
        // The candidate ends, longest first, at each character boundary after start.
        const size_t limit = std::min(piece.size(), start + room);
        ends.clear();
        for (size_t pos = start; pos < piece.size();) {
            pos += utf8_char_len(piece, pos);
            if (pos > limit) {
                break;
            }
            ends.push_back(pos);
        }
        int32_t found = -1;
        size_t  end   = start;
        for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
            const std::string_view sub = piece.substr(start, *it - start);
            if (start == 0) {
                found = config_.vocab.find(sub);
            } else {
                candidate.assign(prefix);
                candidate.append(sub);
                found = config_.vocab.find(candidate);
            }
            if (found >= 0) {
                end = *it;
                break;
            }
        }
        if (found < 0) {
            out.resize(first);
            push(out, config_.unk_id, 0, piece.size());
            return;
        }
        push(out, found, start, end);
        start = end;
    }
}

bool wordpiece_model::token_to_id(std::string_view token, int32_t & id) const {
    return config_.vocab.lookup(token, id);
}

bool wordpiece_model::id_to_token(int32_t id, std::string & token) const { return config_.vocab.token_of(id, token); }

}  // namespace spexlens::text::hf
