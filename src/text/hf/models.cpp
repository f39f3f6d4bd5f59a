// models: parse_model, the builder of the model stage from tokenizer.json's "model" object,
// and the vocab_table (model_vocab.h) the models share. Every field is validated here, with
// messages that start "tokenizer.json: model" and name the field, so the models themselves
// can assume consistent input.
//
// Index
//   [SECTION] vocab_table
//   [SECTION] field helpers
//   [SECTION] vocabularies
//   [SECTION] WordPiece
//   [SECTION] BPE
//   [SECTION] Unigram
//   [SECTION] WordLevel
//   [SECTION] parse_model
#include "json/json_text.h"
#include "text/hf/bpe.h"
#include "text/hf/hf_types.h"
#include "text/hf/model_vocab.h"
#include "text/hf/unigram.h"
#include "text/hf/wordpiece.h"
#include "text/text_error.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

namespace spexlens::text::hf {

using nlohmann::json;

// [SECTION] vocab_table

uint64_t vocab_table::hash(std::string_view s) noexcept {
    uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
    for (const char c : s) {
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    }
    h ^= h >> 33;  // spread into both the index (low) and fingerprint (high) bits
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

void vocab_table::reserve(size_t tokens, size_t bytes) {
    arena_.reserve(bytes);
    by_id_.reserve(tokens);
    size_t capacity = 16;
    while (capacity < tokens * 2) {
        capacity *= 2;
    }
    if (capacity > slots_.size()) {
        std::vector<slot> old(capacity);
        old.swap(slots_);
        const size_t mask = slots_.size() - 1;
        for (const slot & e : old) {
            if (e.id >= 0) {
                size_t i = hash(std::string_view(arena_.data() + e.offset, e.length)) & mask;
                while (slots_[i].id >= 0) {
                    i = (i + 1) & mask;
                }
                slots_[i] = e;
            }
        }
    }
}

void vocab_table::grow() { reserve(slots_.size(), arena_.size()); }

bool vocab_table::insert(std::string_view token_text, int32_t id) {
    if ((distinct_ + 1) * 2 > slots_.size()) {
        grow();
    }
    if (static_cast<size_t>(id) >= by_id_.size()) {
        by_id_.resize(static_cast<size_t>(id) + 1, {0, absent});
    }
    const auto offset = static_cast<uint32_t>(arena_.size());
    const auto length = static_cast<uint32_t>(token_text.size());
    by_id_[id]        = {offset, length};
    arena_.append(token_text.data(), token_text.size());
    ++count_;
    max_token_bytes_ = std::max(max_token_bytes_, token_text.size());

    const uint64_t h    = hash(token_text);
    const auto     fp   = static_cast<uint32_t>(h >> 32);
    const size_t   mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot & e = slots_[i];
        if (e.id < 0) {
            e = slot{fp, id, offset, length};
            ++distinct_;
            return true;
        }
        if (e.fingerprint == fp && e.length == length &&
            std::memcmp(arena_.data() + e.offset, token_text.data(), length) == 0) {
            e.id = id;  // the later entry wins
            return false;
        }
    }
}

int32_t vocab_table::find(std::string_view token_text) const noexcept {
    if (slots_.empty()) {
        return -1;
    }
    const uint64_t h    = hash(token_text);
    const auto     fp   = static_cast<uint32_t>(h >> 32);
    const size_t   mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const slot & e = slots_[i];
        if (e.id < 0) {
            return -1;
        }
        if (e.fingerprint == fp && e.length == token_text.size() &&
            std::memcmp(arena_.data() + e.offset, token_text.data(), token_text.size()) == 0) {
            return e.id;
        }
    }
}

namespace {

// [SECTION] field helpers

[[noreturn]] void fail(const std::string & message) { throw text_error("tokenizer.json: " + message); }

// A token for a message: JSON-quoted, shortened when long.
std::string shown(std::string_view s) {
    std::string cut(s.substr(0, 60));
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) {
        cut.pop_back();  // never end inside a character
    }
    if (!cut.empty() && static_cast<unsigned char>(cut.back()) >= 0xC0) {
        cut.pop_back();
    }
    return json(cut).dump() + (cut.size() < s.size() ? "..." : "");
}

bool has(const json & j, const char * field) {
    const auto it = j.find(field);
    return it != j.end() && !it->is_null();
}

bool get_bool(const json & j, const char * field, bool fallback) {
    if (!has(j, field)) {
        return fallback;
    }
    const json & v = j.at(field);
    if (!v.is_boolean()) {
        fail(std::string("model.") + field + " must be true or false");
    }
    return v.get<bool>();
}

// A string field; null or absent gives `fallback`.
std::string get_string(const json & j, const char * field, const std::string & fallback) {
    if (!has(j, field)) {
        return fallback;
    }
    const json & v = j.at(field);
    if (!v.is_string()) {
        fail(std::string("model.") + field + " must be a string");
    }
    return v.get<std::string>();
}

// [SECTION] vocabularies

// Ids above this are rejected, so a hostile file cannot make the id table huge.
size_t id_limit(size_t count) { return std::max<size_t>(count * 4, 65536); }

// model.vocab as an object token -> id (WordPiece, BPE, WordLevel).
vocab_table parse_vocab_object(const json & j) {
    if (!has(j, "vocab")) {
        fail("model.vocab is missing");
    }
    const json & v = j.at("vocab");
    if (!v.is_object()) {
        fail("model.vocab must be an object of token: id");
    }
    vocab_table vocab;
    vocab.reserve(v.size(), v.size() * 8);  // a guess: one pass over a large object costs more
    const size_t limit = id_limit(v.size());
    for (auto it = v.begin(); it != v.end(); ++it) {
        const json & id_json = it.value();
        if (!id_json.is_number_integer() || id_json.get<int64_t>() < 0 ||
            static_cast<uint64_t>(id_json.get<int64_t>()) >= limit) {
            fail("model.vocab: the id of " + shown(it.key()) + " must be an integer from 0 to " +
                 std::to_string(limit - 1));
        }
        const auto id = static_cast<int32_t>(id_json.get<int64_t>());
        if (vocab.has_id(id)) {
            fail("model.vocab: id " + std::to_string(id) + " is given to both " + shown(vocab.token(id)) + " and " +
                 shown(it.key()));
        }
        vocab.insert(it.key(), id);
    }
    return vocab;
}

// The id of the unk_token field (default `fallback`, "" for none), which must be in the
// vocabulary when given; -1 for none.
int32_t parse_unk(const json & j, const vocab_table & vocab, const std::string & fallback) {
    const std::string unk = get_string(j, "unk_token", fallback);
    if (unk.empty() && !has(j, "unk_token")) {
        return -1;
    }
    const int32_t id = vocab.find(unk);
    if (id < 0) {
        fail("model.unk_token " + shown(unk) + " is not in model.vocab");
    }
    return id;
}

// [SECTION] WordPiece

std::unique_ptr<model> parse_wordpiece(const json & j) {
    wordpiece_config c;
    c.vocab  = parse_vocab_object(j);
    c.unk_id = parse_unk(j, c.vocab, "[UNK]");
    // The JS port reads a missing prefix as the string "undefined"; the crate's default "##"
    // is used instead (every real file has the field).
    c.continuing_subword_prefix = get_string(j, "continuing_subword_prefix", "##");
    if (has(j, "max_input_chars_per_word")) {
        const json & m = j.at("max_input_chars_per_word");
        if (!m.is_number_integer() || m.get<int64_t>() < 0) {
            fail("model.max_input_chars_per_word must be a non-negative integer");
        }
        c.max_input_chars_per_word = static_cast<size_t>(m.get<int64_t>());
    }
    return std::make_unique<wordpiece_model>(std::move(c));
}

// [SECTION] BPE

std::unique_ptr<model> parse_bpe(const json & j) {
    if (has(j, "dropout")) {
        const json & d = j.at("dropout");
        if (!d.is_number() || d.get<double>() != 0.0) {
            fail("model BPE dropout is not supported: explanations must be deterministic");
        }
    }
    bpe_config c;
    c.vocab                     = parse_vocab_object(j);
    c.unk_id                    = parse_unk(j, c.vocab, "");
    c.fuse_unk                  = get_bool(j, "fuse_unk", false);
    c.byte_fallback             = get_bool(j, "byte_fallback", false);
    c.ignore_merges             = get_bool(j, "ignore_merges", false);
    c.continuing_subword_prefix = get_string(j, "continuing_subword_prefix", "");
    c.end_of_word_suffix        = get_string(j, "end_of_word_suffix", "");

    if (!has(j, "merges")) {
        fail("model.merges is missing");
    }
    const json & merges = j.at("merges");
    if (!merges.is_array()) {
        fail("model.merges must be an array");
    }
    c.merges.reserve(merges.size());
    const std::string & prefix = c.continuing_subword_prefix;
    std::string         joined;
    // get_ptr and the underlying containers never throw, which keeps this hot loop free of
    // Emscripten's exception trampolines.
    const json::array_t & list = *merges.get_ptr<const json::array_t *>();
    for (size_t i = 0; i < list.size(); ++i) {
        const json &     m     = list[i];
        const auto       where = [&] { return "model.merges[" + std::to_string(i) + "]: "; };
        std::string_view a, b;
        if (const std::string * s = m.get_ptr<const std::string *>()) {
            // "a b": split at the first space.
            const size_t space = s->find(' ');
            if (space == std::string::npos) {
                fail(where() + shown(*s) + " is not two tokens");
            }
            a = std::string_view(*s).substr(0, space);
            b = std::string_view(*s).substr(space + 1);
        } else {
            const json::array_t * pair = m.get_ptr<const json::array_t *>();
            const std::string * left  = pair && pair->size() == 2 ? (*pair)[0].get_ptr<const std::string *>() : nullptr;
            const std::string * right = pair && pair->size() == 2 ? (*pair)[1].get_ptr<const std::string *>() : nullptr;
            if (left == nullptr || right == nullptr) {
                fail(where() + json_shown(m) + " is not two tokens");
            }
            a = *left;
            b = *right;
        }
        bpe_merge merge;
        merge.left  = c.vocab.find(a);
        merge.right = c.vocab.find(b);
        if (merge.left < 0) {
            fail(where() + shown(a) + " is not in model.vocab");
        }
        if (merge.right < 0) {
            fail(where() + shown(b) + " is not in model.vocab");
        }
        // The crate's rule for the merged token (the prefix of the right part is dropped).
        joined.assign(a);
        const bool prefixed = !prefix.empty() && b.substr(0, prefix.size()) == prefix;
        joined.append(prefixed ? b.substr(prefix.size()) : b);
        if (c.vocab.find(joined) < 0) {
            fail(where() + "the merged token " + shown(joined) + " is not in model.vocab");
        }
        // The JS port's merged token: the plain concatenation.
        if (prefixed) {
            joined.assign(a);
            joined.append(b);
        }
        merge.result = c.vocab.find(joined);
        c.merges.push_back(merge);
    }
    return std::make_unique<bpe_model>(std::move(c));
}

// [SECTION] Unigram

std::unique_ptr<model> parse_unigram(const json & j) {
    if (!has(j, "vocab")) {
        fail("model.vocab is missing");
    }
    const json & v = j.at("vocab");
    if (!v.is_array()) {
        fail("model.vocab must be an array of [piece, score]");
    }
    if (v.empty()) {
        fail("model.vocab is empty");
    }
    unigram_config c;
    size_t         bytes = 0;
    for (const json & e : v) {
        if (e.is_array() && !e.empty() && e[0].is_string()) {
            bytes += e[0].get_ref<const std::string &>().size();
        }
    }
    c.vocab.reserve(v.size(), bytes);
    c.scores.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        const json & e = v[i];
        if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number()) {
            fail("model.vocab[" + std::to_string(i) + "] must be [piece, score]");
        }
        c.vocab.insert(e[0].get_ref<const std::string &>(), static_cast<int32_t>(i));
        c.scores.push_back(e[1].get<double>());
    }
    if (has(j, "unk_id")) {
        const json & u = j.at("unk_id");
        if (!u.is_number_integer() || u.get<int64_t>() < 0 || static_cast<size_t>(u.get<int64_t>()) >= v.size()) {
            fail("model.unk_id must be an index into model.vocab");
        }
        c.unk_id = static_cast<int32_t>(u.get<int64_t>());
    }
    c.byte_fallback = get_bool(j, "byte_fallback", false);
    return std::make_unique<unigram_model>(std::move(c));
}

// [SECTION] WordLevel

// WordLevel: the whole pre-token is one vocabulary entry or the unknown token (dropped when
// the vocabulary has no unknown token).
class wordlevel_model final : public model {
  public:
    wordlevel_model(vocab_table vocab, int32_t unk_id) : vocab_(std::move(vocab)), unk_id_(unk_id) {}

    void tokenize(std::string_view piece, std::vector<model_token> & out) const override {
        if (piece.empty()) {
            return;
        }
        int32_t id = vocab_.find(piece);
        if (id < 0) {
            id = unk_id_;
        }
        if (id >= 0) {
            out.push_back(model_token{id, std::string(vocab_.token(id)), byte_range{0, piece.size()}});
        }
    }
    bool   token_to_id(std::string_view token, int32_t & id) const override { return vocab_.lookup(token, id); }
    bool   id_to_token(int32_t id, std::string & token) const override { return vocab_.token_of(id, token); }
    size_t vocab_size() const override { return vocab_.vocab_size(); }

  private:
    vocab_table vocab_;
    int32_t     unk_id_;
};

std::unique_ptr<model> parse_wordlevel(const json & j) {
    vocab_table   vocab  = parse_vocab_object(j);
    const int32_t unk_id = has(j, "unk_token") ? parse_unk(j, vocab, "") : vocab.find("<unk>");
    return std::make_unique<wordlevel_model>(std::move(vocab), unk_id);
}

}  // namespace

// [SECTION] parse_model

std::unique_ptr<model> parse_model(const json & j) {
    if (j.is_null()) {
        return nullptr;
    }
    if (!j.is_object()) {
        fail("model must be an object");
    }
    std::string type;
    if (has(j, "type")) {
        if (!j.at("type").is_string()) {
            fail("model.type must be a string");
        }
        type = j.at("type").get<std::string>();
    } else if (has(j, "merges")) {
        type = "BPE";  // the crate accepts a BPE model without "type"
    } else if (has(j, "vocab") && j.at("vocab").is_array()) {
        type = "Unigram";
    } else if (has(j, "vocab") && j.contains("continuing_subword_prefix") && j.contains("unk_token")) {
        type = "WordPiece";  // as the JS port guesses
    } else if (has(j, "vocab")) {
        type = "WordLevel";
    } else {
        fail("model.type is missing");
    }
    if (type == "BPE") {
        return parse_bpe(j);
    }
    if (type == "WordPiece") {
        return parse_wordpiece(j);
    }
    if (type == "Unigram") {
        return parse_unigram(j);
    }
    if (type == "WordLevel") {
        return parse_wordlevel(j);
    }
    fail("model " + type + " is not supported");
}

}  // namespace spexlens::text::hf
