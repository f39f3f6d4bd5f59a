// unigram: Viterbi segmentation over a byte trie of the pieces (see unigram.h).
//
// Index
//   [SECTION] trie
//   [SECTION] viterbi
//   [SECTION] model interface
#include "text/hf/unigram.h"

#include "text/text_error.h"

#include <algorithm>
#include <utility>

namespace spexlens::text::hf {

namespace {

constexpr double   unk_penalty = 10.0;  // both implementations: unknown score = min score - 10
constexpr uint64_t child_mask  = (uint64_t{1} << 24) - 1;

uint64_t mix(uint64_t x) {  // splitmix64 finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

}  // namespace

// [SECTION] trie

int32_t unigram_model::child(int32_t node, unsigned char b) const noexcept {
    const uint64_t key  = (static_cast<uint64_t>(node) << 8) | b;
    const size_t   mask = slots_.size() - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
        const uint64_t s = slots_[i];
        if (s == 0) {
            return -1;
        }
        if ((s >> 24) == key) {
            return static_cast<int32_t>(s & child_mask);
        }
    }
}

int32_t unigram_model::add_child(int32_t node, unsigned char b) {
    const int32_t existing = child(node, b);
    if (existing >= 0) {
        return existing;
    }
    if ((used_ + 1) * 10 > slots_.size() * 7) {  // keep the load under 0.7
        std::vector<uint64_t> old(slots_.size() * 2, 0);
        old.swap(slots_);
        const size_t mask = slots_.size() - 1;
        for (const uint64_t s : old) {
            if (s != 0) {
                size_t i = mix(s >> 24) & mask;
                while (slots_[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots_[i] = s;
            }
        }
    }
    const auto id = static_cast<int32_t>(node_piece_.size());
    if (static_cast<uint64_t>(id) > child_mask) {
        throw text_error("tokenizer.json: model.vocab: the Unigram vocabulary is too large");
    }
    node_piece_.push_back(-1);
    const uint64_t key  = (static_cast<uint64_t>(node) << 8) | b;
    const size_t   mask = slots_.size() - 1;
    size_t         i    = mix(key) & mask;
    while (slots_[i] != 0) {
        i = (i + 1) & mask;
    }
    slots_[i] = (key << 24) | static_cast<uint64_t>(id);
    ++used_;
    return id;
}

unigram_model::unigram_model(unigram_config config) : config_(std::move(config)) {
    double min_score = 0;
    for (size_t i = 0; i < config_.scores.size(); ++i) {
        min_score = i == 0 ? config_.scores[i] : std::min(min_score, config_.scores[i]);
    }
    unk_score_ = min_score - unk_penalty;
    // JS port: the unknown piece itself scores as an unknown character.
    if (config_.unk_id >= 0) {
        config_.scores[config_.unk_id] = unk_score_;
    }

    size_t bytes = 0;
    for (size_t id = 0; id < config_.vocab.vocab_size(); ++id) {
        bytes += config_.vocab.token(static_cast<int32_t>(id)).size();
    }
    size_t capacity = 16;
    while (capacity * 7 < bytes * 10) {
        capacity *= 2;
    }
    slots_.assign(capacity, 0);
    node_piece_.reserve(bytes / 2 + 1);
    node_piece_.push_back(-1);  // root
    for (size_t id = 0; id < config_.vocab.vocab_size(); ++id) {
        const std::string_view piece = config_.vocab.token(static_cast<int32_t>(id));
        if (piece.empty()) {
            continue;
        }
        int32_t node = 0;
        for (const char c : piece) {
            node = add_child(node, static_cast<unsigned char>(c));
        }
        node_piece_[node] = static_cast<int32_t>(id);  // a repeated piece keeps its last id
    }
}

// [SECTION] viterbi

namespace {

// A lattice node: a piece (or an unknown character) over bytes [start, end) of the piece.
struct lattice_node {
    uint32_t start;
    uint32_t end;
    int32_t  id;
    int32_t  prev;      // best predecessor node, -1: the start of the piece
    int32_t  next_end;  // next node ending at the same position
    double   score;
    double   backtrace;
};

// The lattice, as the JS port builds it: nodes in insertion order (by start, then length),
// and per end position the list of nodes ending there in insertion order. A node's best
// predecessor is the first one of maximal (predecessor score + node score).
struct lattice {
    std::vector<lattice_node> nodes;
    std::vector<int32_t>      end_head;
    std::vector<int32_t>      end_tail;

    // An empty lattice over a piece of n bytes.
    explicit lattice(size_t n) : end_head(n + 1, -1), end_tail(n + 1, -1) { nodes.reserve(n * 2); }

    // Adds a node with its best predecessor; a node whose start no node reaches is dropped.
    void insert(size_t start, size_t end, int32_t id, double score) {
        lattice_node nd{static_cast<uint32_t>(start), static_cast<uint32_t>(end), id, -1, -1, score, score};
        if (start > 0) {
            bool found = false;
            for (int32_t l = end_head[start]; l >= 0; l = nodes[l].next_end) {
                const double s = nodes[l].backtrace + score;
                if (!found || s > nd.backtrace) {
                    found        = true;
                    nd.backtrace = s;
                    nd.prev      = l;
                }
            }
            if (!found) {
                return;  // unreachable start (never happens: every character has a node)
            }
        } else {
            nd.backtrace = 0 + score;
        }
        const auto k = static_cast<int32_t>(nodes.size());
        nodes.push_back(nd);
        if (end_tail[end] >= 0) {
            nodes[end_tail[end]].next_end = k;
        } else {
            end_head[end] = k;
        }
        end_tail[end] = k;
    }

    // The first node of maximal score ending at `end`, or -1.
    int32_t best_ending_at(size_t end) const {
        int32_t best  = -1;
        double  score = 0;
        for (int32_t l = end_head[end]; l >= 0; l = nodes[l].next_end) {
            if (best < 0 || nodes[l].backtrace > score) {
                best  = l;
                score = nodes[l].backtrace;
            }
        }
        return best;
    }
};

// 1 at each byte of the piece where a UTF-8 character starts, and at its end.
std::vector<char> char_boundaries(std::string_view piece) {
    const size_t      n = piece.size();
    std::vector<char> boundary(n + 1, 0);
    for (size_t pos = 0; pos < n; pos += utf8_char_len(piece, pos)) {
        boundary[pos] = 1;
    }
    boundary[n] = 1;
    return boundary;
}

// Appends the path ending at node `best` to out, in reading order; unknown characters in a
// row fuse into one unknown token, and without an unk_id they are dropped.
void emit_path(const lattice & lat, int32_t best, const unigram_config & config, std::vector<model_token> & out) {
    std::vector<int32_t> path;
    for (int32_t k = best; k >= 0; k = lat.nodes[k].prev) {
        path.push_back(k);
    }
    const int32_t unk   = config.unk_id;
    bool          fused = false;  // whether out.back() is an unknown token of this piece
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        const lattice_node & nd = lat.nodes[*it];
        if (nd.id < 0) {
            continue;  // unknown without an unk_id: dropped
        }
        if (nd.id == unk && fused) {
            out.back().bytes.end = nd.end;
            continue;
        }
        model_token tok;
        tok.id    = nd.id;
        tok.value = std::string(config.vocab.token(nd.id));
        tok.bytes = byte_range{nd.start, nd.end};
        out.push_back(std::move(tok));
        fused = nd.id == unk;
    }
}

}  // namespace

void unigram_model::tokenize(std::string_view piece, std::vector<model_token> & out) const {
    const size_t n = piece.size();
    if (n == 0) {
        return;
    }
    const std::vector<char> boundary = char_boundaries(piece);
    lattice                 lat(n);
    for (size_t start = 0; start < n; start += utf8_char_len(piece, start)) {
        const size_t char_len = utf8_char_len(piece, start);
        bool         single   = false;
        int32_t      t        = 0;
        for (size_t p = start; p < n; ++p) {
            t = child(t, static_cast<unsigned char>(piece[p]));
            if (t < 0) {
                break;
            }
            const int32_t id = node_piece_[t];
            if (id >= 0 && boundary[p + 1]) {
                lat.insert(start, p + 1, id, config_.scores[id]);
                single = single || p + 1 - start == char_len;
            }
        }
        if (!single) {
            lat.insert(start, start + char_len, config_.unk_id, unk_score_);
        }
    }
    emit_path(lat, lat.best_ending_at(n), config_, out);
}

// [SECTION] model interface

bool unigram_model::token_to_id(std::string_view token, int32_t & id) const { return config_.vocab.lookup(token, id); }

bool unigram_model::id_to_token(int32_t id, std::string & token) const { return config_.vocab.token_of(id, token); }

}  // namespace spexlens::text::hf
