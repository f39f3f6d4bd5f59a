// bpe: byte-pair encoding by merge rank (see bpe.h).
//
// Index
//   [SECTION] merge index
//   [SECTION] encoding a word
//   [SECTION] model interface
#include "text/hf/bpe.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace spexlens::text::hf {

namespace {

uint64_t merge_key(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

uint64_t mix(uint64_t x) {  // splitmix64 finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

// The code point at s[pos] (a stray byte stands for itself), advancing pos.
char32_t decode(std::string_view s, size_t & pos) {
    const size_t len = utf8_char_len(s, pos);
    char32_t     cp  = static_cast<unsigned char>(s[pos]);
    if (len > 1) {
        cp &= 0x3Fu >> (len - 1);
        for (size_t k = 1; k < len; ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(s[pos + k]) & 0x3Fu);
        }
    }
    pos += len;
    return cp;
}

// The code point ending at s[end) (a stray byte stands for itself).
char32_t last_char(std::string_view s) {
    size_t start = s.size() - 1;
    while (start > 0 && s.size() - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
        --start;
    }
    size_t pos = start;
    return decode(s, pos);
}

uint64_t pair_key(char32_t left, char32_t right) {
    return ((static_cast<uint64_t>(left) << 21) | static_cast<uint64_t>(right)) + 1;
}

}  // namespace

// [SECTION] merge index

bpe_model::bpe_model(bpe_config config) : config_(std::move(config)) {
    size_t capacity = 16;
    while (capacity < config_.merges.size() * 2) {
        capacity *= 2;
    }
    merge_slots_.assign(capacity, merge_slot{});
    const size_t mask = capacity - 1;
    for (size_t rank = 0; rank < config_.merges.size(); ++rank) {
        const bpe_merge & m   = config_.merges[rank];
        const uint64_t    key = merge_key(m.left, m.right);
        size_t            i   = mix(key) & mask;
        while (merge_slots_[i].key != empty_key && merge_slots_[i].key != key) {
            i = (i + 1) & mask;
        }
        // A repeated pair takes its last rank, as in both reference implementations.
        merge_slots_[i].key    = key;
        merge_slots_[i].rank   = static_cast<int32_t>(rank);
        merge_slots_[i].result = m.result;
    }
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        byte_ids_[b] = config_.vocab.find(name);
    }
    for (int c = 0; c < 128; ++c) {
        const char ch = static_cast<char>(c);
        ascii_ids_[c] = config_.vocab.find(std::string_view(&ch, 1));
    }

    // The character pairs some merge can join (see the file comment of bpe.h).
    segmentable_ = config_.end_of_word_suffix.empty();
    for (const bpe_merge & m : config_.merges) {
        if (config_.vocab.token(m.left).empty() || config_.vocab.token(m.right).empty()) {
            segmentable_ = false;
        }
    }
    if (segmentable_) {
        capacity = 16;
        while (capacity < config_.merges.size() * 2) {
            capacity *= 2;
        }
        join_pairs_.assign(capacity, 0);
        const size_t pair_mask = capacity - 1;
        for (const bpe_merge & m : config_.merges) {
            size_t         pos = 0;
            const uint64_t key =
                pair_key(last_char(config_.vocab.token(m.left)), decode(config_.vocab.token(m.right), pos));
            size_t i = mix(key) & pair_mask;
            while (join_pairs_[i] != 0 && join_pairs_[i] != key) {
                i = (i + 1) & pair_mask;
            }
            join_pairs_[i] = key;
        }
    }
}

bool bpe_model::joinable(char32_t left, char32_t right) const noexcept {
    const uint64_t key  = pair_key(left, right);
    const size_t   mask = join_pairs_.size() - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
        if (join_pairs_[i] == key) {
            return true;
        }
        if (join_pairs_[i] == 0) {
            return false;
        }
    }
}

const bpe_model::merge_slot * bpe_model::find_merge(int32_t left, int32_t right) const noexcept {
    const uint64_t key  = merge_key(left, right);
    const size_t   mask = merge_slots_.size() - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
        const merge_slot & s = merge_slots_[i];
        if (s.key == key) {
            return &s;
        }
        if (s.key == empty_key) {
            return nullptr;
        }
    }
}

// [SECTION] encoding a word

// Appends the tokens of symbol word[start, end): its id, else its bytes' fallback tokens,
// else the unknown token, else nothing. Ranges are clamped to the piece (the suffix is not
// part of it). Runs of unknown tokens are fused when fuse_unk.
void bpe_model::emit(std::string_view word, size_t piece_size, int32_t id, size_t start, size_t end,
                     std::vector<word_token> & out) const {
    const uint32_t s = static_cast<uint32_t>(std::min(start, piece_size));
    const uint32_t e = static_cast<uint32_t>(std::min(end, piece_size));
    if (id < 0 && config_.byte_fallback) {
        bool all = true;
        for (size_t i = start; i < end && all; ++i) {
            all = byte_ids_[static_cast<unsigned char>(word[i])] >= 0;
        }
        if (all) {
            for (size_t i = start; i < end; ++i) {
                out.push_back(word_token{byte_ids_[static_cast<unsigned char>(word[i])], s, e});
            }
            return;
        }
    }
    if (id < 0) {
        id = config_.unk_id;
        if (id < 0) {
            return;  // no unk_token: dropped, as both implementations do
        }
    }
    if (config_.fuse_unk && id == config_.unk_id && !out.empty() && out.back().id == config_.unk_id) {
        out.back().end = e;
        return;
    }
    out.push_back(word_token{id, s, e});
}

namespace {

// One symbol per character; the last one carries the suffix. Symbols are never moved, so
// a symbol's index is the index of its first character: merges are ordered by (rank,
// index), which is the JS port's rank + index / length and the crate's (rank, pos).
struct bpe_symbol {
    uint32_t start;
    uint32_t end;
    int32_t  id;  // -1: not in the vocabulary, -2: merged into its left neighbour
    int32_t  prev;
    int32_t  next;
};

// A merge of the symbol at pos with its right neighbour, queued by (rank, pos).
struct merge_candidate {
    int32_t rank;
    int32_t pos;
    int32_t left;
    int32_t right;
    int32_t result;
};

// Applies the merges that find_merge(left id, right id) knows to the symbols, lowest (rank,
// position) first, as both implementations do.
template <class find_fn> void apply_merges(std::vector<bpe_symbol> & symbols, const find_fn & find_merge) {
    const auto later = [](const merge_candidate & a, const merge_candidate & b) {
        return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
    };
    std::vector<merge_candidate> queue;
    const auto                   consider = [&](int32_t pos) {
        if (pos < 0 || symbols[pos].next < 0) {
            return;
        }
        const int32_t left  = symbols[pos].id;
        const int32_t right = symbols[symbols[pos].next].id;
        if (left < 0 || right < 0) {
            return;
        }
        if (const auto * m = find_merge(left, right)) {
            queue.push_back(merge_candidate{m->rank, pos, left, right, m->result});
            std::push_heap(queue.begin(), queue.end(), later);
        }
    };
    for (int32_t i = 0; i + 1 < static_cast<int32_t>(symbols.size()); ++i) {
        consider(i);
    }
    while (!queue.empty()) {
        std::pop_heap(queue.begin(), queue.end(), later);
        const merge_candidate c = queue.back();
        queue.pop_back();
        bpe_symbol &  left = symbols[c.pos];
        const int32_t next = left.next;
        // Stale when either side changed since the merge_candidate was queued (a merged symbol's
        // string is longer, so its id differs).
        if (left.id != c.left || next < 0 || symbols[next].id != c.right) {
            continue;
        }
        bpe_symbol & right = symbols[next];
        left.end           = right.end;
        left.id            = c.result;
        left.next          = right.next;
        if (right.next >= 0) {
            symbols[right.next].prev = c.pos;
        }
        right.id = -2;
        consider(left.prev);
        consider(c.pos);
    }
}

}  // namespace

void bpe_model::encode_word(std::string_view piece, std::vector<word_token> & out) const {
    std::string      suffixed;
    std::string_view word = piece;
    if (!config_.end_of_word_suffix.empty()) {
        suffixed.reserve(piece.size() + config_.end_of_word_suffix.size());
        suffixed.append(piece).append(config_.end_of_word_suffix);
        word = suffixed;
    }

    // One symbol per character (bpe_symbol).
    std::vector<bpe_symbol> symbols;
    symbols.reserve(piece.size());
    for (size_t pos = 0; pos < piece.size();) {
        const size_t  len = utf8_char_len(piece, pos);
        const size_t  end = pos + len == piece.size() ? word.size() : pos + len;
        const auto    n   = static_cast<int32_t>(symbols.size());
        const auto    c   = static_cast<unsigned char>(word[pos]);
        const int32_t id  = end - pos == 1 && c < 128 ? ascii_ids_[c] : config_.vocab.find(word.substr(pos, end - pos));
        symbols.push_back(bpe_symbol{static_cast<uint32_t>(pos), static_cast<uint32_t>(end), id, n - 1, n + 1});
        pos += len;
    }
    symbols.back().next = -1;

    apply_merges(symbols, [this](int32_t left, int32_t right) { return find_merge(left, right); });

    for (int32_t i = 0; i >= 0; i = symbols[i].next) {
        emit(word, piece.size(), symbols[i].id, symbols[i].start, symbols[i].end, out);
    }
}

// [SECTION] model interface

void bpe_model::append(const word_token * tokens, size_t count, uint32_t offset, std::vector<word_token> & out) const {
    for (size_t k = 0; k < count; ++k) {
        const word_token & t = tokens[k];
        if (k == 0 && config_.fuse_unk && t.id == config_.unk_id && !out.empty() && out.back().id == config_.unk_id) {
            out.back().end = t.end + offset;
            continue;
        }
        out.push_back(word_token{t.id, t.start + offset, t.end + offset});
    }
}

void bpe_model::cached_word(std::string_view word, std::vector<word_token> & out) const {
    if (word.size() >= cache_max_bytes) {
        std::vector<word_token> computed;
        encode_word(word, computed);
        append(computed.data(), computed.size(), 0, out);
        return;
    }
    const auto hit = cache_.find(word);
    if (hit != cache_.end()) {
        append(cache_tokens_.data() + hit->second.first, hit->second.second, 0, out);
        return;
    }
    std::vector<word_token> computed;
    encode_word(word, computed);
    if (cache_.size() >= cache_capacity) {
        cache_.clear();
        cache_keys_.clear();
        cache_tokens_.clear();
    }
    cache_keys_.emplace_back(word);
    cache_.emplace(std::string_view(cache_keys_.back()), std::make_pair(cache_tokens_.size(), computed.size()));
    cache_tokens_.insert(cache_tokens_.end(), computed.begin(), computed.end());
    append(computed.data(), computed.size(), 0, out);
}

void bpe_model::tokenize(std::string_view piece, std::vector<model_token> & out) const {
    if (piece.empty()) {
        return;
    }
    std::vector<word_token> tokens;
    const int32_t           whole = config_.ignore_merges ? config_.vocab.find(piece) : -1;
    if (whole >= 0) {
        tokens.push_back(word_token{whole, 0, static_cast<uint32_t>(piece.size())});
    } else if (!segmentable_ || piece.size() < cache_max_bytes) {
        cached_word(piece, tokens);
    } else {
        // Cut between characters no merge joins; each segment's tokens are shifted to the piece.
        std::vector<word_token> segment;
        size_t                  start = 0;
        size_t                  pos   = 0;
        char32_t                prev  = decode(piece, pos);
        while (pos < piece.size()) {
            const size_t   at = pos;
            const char32_t cp = decode(piece, pos);
            if (!joinable(prev, cp)) {
                segment.clear();
                cached_word(piece.substr(start, at - start), segment);
                append(segment.data(), segment.size(), static_cast<uint32_t>(start), tokens);
                start = at;
            }
            prev = cp;
        }
        segment.clear();
        cached_word(piece.substr(start), segment);
        append(segment.data(), segment.size(), static_cast<uint32_t>(start), tokens);
    }
    out.reserve(out.size() + tokens.size());
    for (const word_token & t : tokens) {
        model_token m;
        m.id    = t.id;
        m.value = std::string(config_.vocab.token(t.id));
        m.bytes = byte_range{t.start, t.end};
        out.push_back(std::move(m));
    }
}

bool bpe_model::token_to_id(std::string_view token, int32_t & id) const { return config_.vocab.lookup(token, id); }

bool bpe_model::id_to_token(int32_t id, std::string & token) const { return config_.vocab.token_of(id, token); }

}  // namespace spexlens::text::hf
