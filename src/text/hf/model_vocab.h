// model_vocab: the string <-> id table the Hugging Face models (WordPiece, BPE, Unigram,
// WordLevel) share, built for fast loading of large vocabularies (gemma3: 262k tokens). All
// token strings live in one arena and the string -> id index is an open-addressing table of
// ids, so loading does no per-token heap allocation.
//
// Index
//   [SECTION] vocab_table
//   [SECTION] utf8 helpers
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spexlens::text::hf {

// [SECTION] vocab_table

// Token strings and their ids. Ids need not be dense; vocab_size() is 1 + the largest id.
class vocab_table {
  public:
    // Prepares room for `tokens` tokens of about `bytes` bytes in total.
    void reserve(size_t tokens, size_t bytes);

    // Adds `token` with `id` (>= 0, not yet used). If the string is already present, the
    // string now maps to `id` (the later entry wins, as in both reference implementations)
    // and the result is false.
    bool insert(std::string_view token, int32_t id);

    // The id of `token`, or -1.
    int32_t find(std::string_view token) const noexcept;

    // Whether some token has `id`.
    bool has_id(int32_t id) const {
        return id >= 0 && static_cast<size_t>(id) < by_id_.size() && by_id_[id].second != absent;
    }

    // The string of `id`; precondition has_id(id).
    std::string_view token(int32_t id) const {
        return std::string_view(arena_.data() + by_id_[id].first, by_id_[id].second);
    }

    // The model interface's lookups (model::token_to_id / id_to_token) for every model kind:
    // false when absent, and then `id` / `out` are left as they were.
    bool lookup(std::string_view token, int32_t & id) const noexcept {
        const int32_t found = find(token);
        if (found >= 0) {
            id = found;
        }
        return found >= 0;
    }
    bool token_of(int32_t id, std::string & out) const {
        if (!has_id(id)) {
            return false;
        }
        out = std::string(token(id));
        return true;
    }

    // 1 + the largest id (0 when empty).
    size_t vocab_size() const { return by_id_.size(); }

    // Number of distinct ids.
    size_t size() const { return count_; }

    // Length in bytes of the longest token.
    size_t max_token_bytes() const { return max_token_bytes_; }

  private:
    // An index slot: the string's hash fingerprint, id and place in the arena (id -1: empty),
    // so a probe touches the arena only when the fingerprints agree.
    struct slot {
        uint32_t fingerprint = 0;
        int32_t  id          = -1;
        uint32_t offset      = 0;
        uint32_t length      = 0;
    };
    static constexpr uint32_t absent = 0xffffffffu;
    static uint64_t           hash(std::string_view s) noexcept;
    void                      grow();

    std::string                                arena_;
    std::vector<std::pair<uint32_t, uint32_t>> by_id_;  // offset, length (absent: no token)
    std::vector<slot>                          slots_;  // size a power of two
    size_t                                     count_           = 0;
    size_t                                     distinct_        = 0;  // distinct strings indexed
    size_t                                     max_token_bytes_ = 0;
};

// [SECTION] utf8 helpers

// Length of the UTF-8 sequence starting at s[pos], clamped to the string; a stray byte counts
// as one, so a walk over any bytes always advances and terminates.
inline size_t utf8_char_len(std::string_view s, size_t pos) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    size_t              n = 1;
    if (c >= 0xF0) {
        n = 4;
    } else if (c >= 0xE0) {
        n = 3;
    } else if (c >= 0xC0) {
        n = 2;
    }
    return pos + n <= s.size() ? n : s.size() - pos;
}

}  // namespace spexlens::text::hf
