// hf_tokenizer: see hf_tokenizer.h. The order of the stages and the handling of added tokens
// follow the JavaScript port `@huggingface/tokenizers` (its Tokenizer.encode_text): added
// tokens are found in the original text first, each piece between them is normalized, added
// tokens marked `normalized` are found in the normalized piece, and what is left is
// pre-tokenized and given to the model. Ids are resolved from token strings as the port does.
//
// Index
//   [SECTION] helpers
//   [SECTION] parsing
//   [SECTION] encoding
#include "text/hf/hf_tokenizer.h"

#include "json/json_text.h"
#include "spex/spex_error.h"
#include "text/text_error.h"

#include <algorithm>
#include <cstring>
#include <utf8proc.h>

namespace spexlens::text::hf {

// [SECTION] helpers

namespace {

using json = nlohmann::json;

// JavaScript's String.prototype.trim whitespace (WhiteSpace and LineTerminator of ECMA-262):
// the port trims added tokens' neighbours with trimStart / trimEnd.
bool js_whitespace(utf8proc_int32_t c) {
    switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0xFEFF:
    case 0x2028:
    case 0x2029:
        return true;
    default:
        return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
    }
}

// Decodes the code point at byte i of valid UTF-8; returns its length in bytes.
size_t decode_at(std::string_view s, size_t i, utf8proc_int32_t & c) {
    const utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t *>(s.data()) + i,
                                                static_cast<utf8proc_ssize_t>(s.size() - i), &c);
    return n > 0 ? static_cast<size_t>(n) : 1;
}

// Moves `start` forward past JavaScript whitespace, not beyond `end`.
size_t trim_start(std::string_view s, size_t start, size_t end) {
    while (start < end) {
        utf8proc_int32_t c   = 0;
        const size_t     len = decode_at(s, start, c);
        if (!js_whitespace(c)) {
            break;
        }
        start += len;
    }
    return start;
}

// Moves `end` back before JavaScript whitespace, not before `start`.
size_t trim_end(std::string_view s, size_t start, size_t end) {
    while (end > start) {
        size_t k = end - 1;
        while (k > start && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) {
            --k;
        }
        utf8proc_int32_t c = 0;
        decode_at(s, k, c);
        if (!js_whitespace(c)) {
            break;
        }
        end = k;
    }
    return end;
}

// The port's lstrip / rstrip: an added token with lstrip trims the whitespace at the end of
// the piece before it, one with rstrip the whitespace at the start of the piece after it.
void strip_around_added(std::string_view s, std::vector<added_token_splitter::piece> & pieces,
                        const std::vector<size_t> & token_index, const std::vector<added_token> & added) {
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (pieces[i].token < 0) {
            continue;
        }
        const added_token & t = added[token_index[static_cast<size_t>(pieces[i].token)]];
        if (t.lstrip && i > 0) {
            pieces[i - 1].end = trim_end(s, pieces[i - 1].start, pieces[i - 1].end);
        }
        if (t.rstrip && i + 1 < pieces.size()) {
            pieces[i + 1].start = trim_start(s, pieces[i + 1].start, pieces[i + 1].end);
        }
    }
}

[[noreturn]] void fail(const std::string & what) { throw text_error("tokenizer.json: " + what); }

json parse_json(std::string_view text, const char * file) {
    try {
        return parse_bounded_json<json>(text);
    } catch (const json_input_error & e) {
        throw text_error(std::string(file) + ": not valid JSON: " + e.what());
    }
}

// A special token in tokenizer_config.json: "[MASK]" or {"content": "[MASK]", ...}.
bool special_content(const json & v, std::string & out) {
    if (v.is_string()) {
        out = v.get<std::string>();
        return true;
    }
    if (v.is_object() && v.contains("content") && v["content"].is_string()) {
        out = v["content"].get<std::string>();
        return true;
    }
    return false;
}

std::string type_of(const json & j) {
    return j.is_object() && j.contains("type") && j["type"].is_string() ? j["type"].get<std::string>() : "";
}

// Entry k of tokenizer.json's added_tokens, checked.
added_token parse_added_token(const json & added, size_t k) {
    const json &      a     = added[k];
    const std::string where = "added_tokens[" + std::to_string(k) + "]";
    if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer() || !a.contains("content") ||
        !a["content"].is_string()) {
        fail(where + ": expected an object with an integer \"id\" and a string \"content\"");
    }
    added_token tok;
    const auto  id = a["id"].get<int64_t>();
    if (id < 0 || id > INT32_MAX) {
        fail(where + ".id: " + std::to_string(id) + " is not a valid token id");
    }
    tok.id          = static_cast<int32_t>(id);
    tok.content     = a["content"].get<std::string>();
    tok.single_word = a.value("single_word", false);
    tok.lstrip      = a.value("lstrip", false);
    tok.rstrip      = a.value("rstrip", false);
    tok.special     = a.value("special", false);
    tok.normalized =
        a.contains("normalized") && a["normalized"].is_boolean() ? a["normalized"].get<bool>() : !tok.special;
    if (tok.content.empty()) {
        fail(where + ".content: an added token cannot be empty");
    }
    return tok;
}

// tokenizer_config.json (when given): the special token roles and the window.
void read_tokenizer_config(std::string_view config_json, std::unordered_map<std::string, std::string> & roles,
                           int64_t & max_length) {
    if (config_json.empty()) {
        return;
    }
    const json c = parse_json(config_json, "tokenizer_config.json");
    if (!c.is_object()) {
        throw text_error("tokenizer_config.json: expected a JSON object");
    }
    for (const char * role :
         {"mask_token", "unk_token", "pad_token", "cls_token", "sep_token", "bos_token", "eos_token"}) {
        std::string content;
        if (c.contains(role) && special_content(c[role], content)) {
            roles[role] = content;
        }
    }
    if (c.contains("model_max_length") && c["model_max_length"].is_number()) {
        const double m = c["model_max_length"].get<double>();
        if (m >= 1 && m <= 1e7) {
            max_length = static_cast<int64_t>(m);
        }
    }
    for (const char * flag : {"remove_space", "do_lowercase_and_remove_accent"}) {
        if (c.contains(flag) && c[flag].is_boolean() && c[flag].get<bool>()) {
            throw text_error(std::string("tokenizer_config.json: ") + flag + " is not supported");
        }
    }
}

// "BPE, 30,522 tokens; normalizer ...; pre-tokenizer ...; post-processor ...".
std::string describe(const json & j, size_t vocab_size, const std::string & post_processor) {
    const std::string model_type  = type_of(j["model"]).empty() ? "BPE" : type_of(j["model"]);
    std::string       description = model_type + ", " + spex::with_commas(vocab_size) + " tokens";
    // Looked up, never inserted: j["pre_tokenizer"] on a tokenizer.json without one would add the
    // key and, in an ordered object, move the normalizer the other pointer pointed at (found by
    // fuzz_hf_tokenizer: heap-use-after-free).
    for (const auto & [name, key] :
         {std::pair<const char *, const char *>{"normalizer", "normalizer"}, {"pre-tokenizer", "pre_tokenizer"}}) {
        const auto stage = j.find(key);
        if (stage != j.end() && !stage->is_null()) {
            description += std::string("; ") + name + " " + type_of(*stage);
        }
    }
    description += "; post-processor " + post_processor;
    return description;
}

}  // namespace

// [SECTION] parsing

std::shared_ptr<const tokenizer> tokenizer::parse(std::string_view tokenizer_json, std::string_view config_json) {
    const json j = parse_json(tokenizer_json, "tokenizer.json");
    if (!j.is_object()) {
        fail("expected a JSON object with \"model\", \"normalizer\", \"pre_tokenizer\" and \"post_processor\"");
    }
    if (!j.contains("model")) {
        fail("model: missing (is this a tokenizer.json saved by the tokenizers library?)");
    }
    std::shared_ptr<tokenizer> t(new tokenizer());
    t->normalizer_    = parse_normalizer(j.value("normalizer", json()));
    t->pre_tokenizer_ = parse_pre_tokenizer(j.value("pre_tokenizer", json()));
    t->model_         = parse_model(j["model"]);

    // Added tokens.
    const json & added = j.contains("added_tokens") ? j["added_tokens"] : json::array();
    if (!added.is_array()) {
        fail("added_tokens: expected a list");
    }
    std::vector<std::string> raw_contents;
    std::vector<std::string> normalized_contents;
    for (size_t k = 0; k < added.size(); ++k) {
        added_token  tok               = parse_added_token(added, k);
        const size_t index             = t->added_.size();
        t->added_by_text_[tok.content] = index;
        t->added_by_id_[tok.id]        = index;
        if (tok.normalized && t->normalizer_) {
            normalized_string ns(tok.content);
            t->normalizer_->normalize(ns);
            if (!ns.empty()) {
                t->added_by_text_[ns.str()] = index;
                normalized_contents.push_back(ns.str());
                t->normalized_tokens_.push_back(index);
            }
        } else {
            raw_contents.push_back(tok.content);
            t->raw_tokens_.push_back(index);
        }
        t->added_.push_back(std::move(tok));
    }
    t->raw_splitter_        = added_token_splitter(raw_contents);
    t->normalized_splitter_ = added_token_splitter(normalized_contents);

    read_tokenizer_config(config_json, t->special_roles_, t->model_max_length_);
    // A model's own unknown token is a role too when the config names none.
    if (!t->special_roles_.count("unk_token") && j["model"].is_object() && j["model"].contains("unk_token") &&
        j["model"]["unk_token"].is_string()) {
        t->special_roles_["unk_token"] = j["model"]["unk_token"].get<std::string>();
    }

    t->template_ = parse_post_processor(j.value("post_processor", json()), *t);

    t->description_ = describe(j, t->vocab_size(), t->template_.description);
    return t;
}

bool tokenizer::token_to_id(std::string_view token, int32_t & id) const {
    auto it = added_by_text_.find(std::string(token));
    if (it != added_by_text_.end()) {
        id = added_[it->second].id;
        return true;
    }
    return model_->token_to_id(token, id);
}

bool tokenizer::id_to_token(int32_t id, std::string & token) const {
    auto it = added_by_id_.find(id);
    if (it != added_by_id_.end()) {
        token = added_[it->second].content;
        return true;
    }
    return model_->id_to_token(id, token);
}

size_t tokenizer::vocab_size() const {
    size_t n = model_->vocab_size();
    for (const added_token & a : added_) {
        n = std::max(n, static_cast<size_t>(a.id) + 1);
    }
    return n;
}

bool tokenizer::special_token_id(std::string_view role, int32_t & id) const {
    auto it = special_roles_.find(std::string(role));
    return it != special_roles_.end() && token_to_id(it->second, id);
}

// [SECTION] encoding

void tokenizer::resolve_id(encoded_token & t) const {
    // The port maps every token string through the added tokens before the vocabulary.
    auto it = added_by_text_.find(t.value);
    if (it != added_by_text_.end()) {
        t.id = added_[it->second].id;
    }
}

void tokenizer::add_tokens_of_section(std::string_view text, size_t offset, size_t section_index,
                                      std::vector<encoded_token> & out) const {
    normalized_string ns(text, offset);
    if (normalizer_) {
        normalizer_->normalize(ns);
    }
    if (ns.empty()) {
        return;
    }
    const std::string_view                   norm   = ns.str();
    std::vector<added_token_splitter::piece> pieces = normalized_splitter_.split(norm);
    strip_around_added(norm, pieces, normalized_tokens_, added_);

    std::vector<split>       splits;
    std::vector<model_token> tokens;
    for (const added_token_splitter::piece & p : pieces) {
        if (p.end <= p.start) {
            continue;
        }
        const std::string_view piece_text = norm.substr(p.start, p.end - p.start);
        auto                   hit        = added_by_text_.find(std::string(piece_text));
        if (hit != added_by_text_.end()) {
            const added_token & a = added_[hit->second];
            encoded_token       e;
            e.id      = a.id;
            e.value   = std::string(piece_text);
            e.bytes   = ns.original({p.start, p.end});
            e.special = a.special;
            e.added   = true;
            out.push_back(std::move(e));
            continue;
        }
        splits.clear();
        split first;
        first.text          = ns.slice({p.start, p.end});
        first.section_index = section_index;
        splits.push_back(std::move(first));
        if (pre_tokenizer_) {
            pre_tokenizer_->pre_tokenize(splits);
        }
        for (const split & s : splits) {
            if (s.text.empty()) {
                continue;
            }
            tokens.clear();
            model_->tokenize(s.text.str(), tokens);
            for (model_token & m : tokens) {
                encoded_token e;
                e.id    = m.id;
                e.value = std::move(m.value);
                e.bytes = s.text.original(m.bytes);
                resolve_id(e);
                out.push_back(std::move(e));
            }
        }
    }
}

std::vector<encoded_token> tokenizer::tokenize(std::string_view text) const {
    std::vector<encoded_token>               out;
    std::vector<added_token_splitter::piece> sections = raw_splitter_.split(text);
    strip_around_added(text, sections, raw_tokens_, added_);
    for (size_t i = 0; i < sections.size(); ++i) {
        const added_token_splitter::piece & p = sections[i];
        if (p.end <= p.start) {
            continue;
        }
        const std::string_view piece_text = text.substr(p.start, p.end - p.start);
        auto                   hit        = added_by_text_.find(std::string(piece_text));
        if (hit != added_by_text_.end()) {
            const added_token & a = added_[hit->second];
            encoded_token       e;
            e.id      = a.id;
            e.value   = std::string(piece_text);
            e.bytes   = {p.start, p.end};
            e.special = a.special;
            e.added   = true;
            out.push_back(std::move(e));
            continue;
        }
        add_tokens_of_section(piece_text, p.start, i, out);
    }
    return out;
}

std::vector<encoded_token> tokenizer::encode(std::string_view text, bool add_special_tokens) const {
    std::vector<encoded_token> content = tokenize(text);
    for (encoded_token & t : content) {
        t.type_id = template_.sequence_type_id;
    }
    if (!add_special_tokens) {
        return content;
    }
    std::vector<encoded_token> out;
    out.reserve(template_.prefix.size() + content.size() + template_.suffix.size());
    auto add_special = [&out](const special_piece & s) {
        encoded_token e;
        e.id      = s.id;
        e.value   = s.token;
        e.type_id = s.type_id;
        e.special = true;
        out.push_back(std::move(e));
    };
    for (const special_piece & s : template_.prefix) {
        add_special(s);
    }
    for (encoded_token & t : content) {
        out.push_back(std::move(t));
    }
    for (const special_piece & s : template_.suffix) {
        add_special(s);
    }
    return out;
}

namespace {

// Writes `v` in decimal at `p`; returns the end.
char * write_decimal(char * p, uint64_t v) {
    char   digits[20];
    char * d = digits;
    do {
        *d++ = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (d != digits) {
        *p++ = *--d;
    }
    return p;
}

char * write_integer(char * p, int64_t v) {
    if (v < 0) {
        *p++ = '-';
        return write_decimal(p, static_cast<uint64_t>(0) - static_cast<uint64_t>(v));
    }
    return write_decimal(p, static_cast<uint64_t>(v));
}

}  // namespace

std::string encode_to_json(const tokenizer & t, std::string_view text, bool special, bool with_tokens) {
    // Byte offset -> the number of the code point holding it; the end maps to the count.
    std::vector<size_t> code_point_at(text.size() + 1, 0);
    size_t              count = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++count;
        }
        code_point_at[i] = count - 1;
    }
    code_point_at[text.size()] = count;
    auto at                    = [&](size_t byte) { return code_point_at[std::min(byte, text.size())]; };

    // The line nlohmann::json's dump() gives for {"ids": [...], "offsets": [[s, e], ...]} (keys
    // in order, no spaces), written directly: building it as a json value took longer than the
    // tokenizing (one allocation per offset pair, in WebAssembly each call through a trampoline).
    const std::vector<encoded_token> tokens = t.encode(text, special);
    std::string                      line;
    line.resize(32 + tokens.size() * (12 + 2 * 21 + 4));  // an id, an offset pair, punctuation
    char * p = &line[0];
    for (const char c : std::string_view("{\"ids\":[")) {
        *p++ = c;
    }
    for (size_t k = 0; k < tokens.size(); ++k) {
        if (k > 0) {
            *p++ = ',';
        }
        p = write_integer(p, tokens[k].id);
    }
    for (const char c : std::string_view("],\"offsets\":[")) {
        *p++ = c;
    }
    for (size_t k = 0; k < tokens.size(); ++k) {
        const encoded_token & e = tokens[k];
        if (k > 0) {
            *p++ = ',';
        }
        const bool zero = e.special && !e.added;
        *p++            = '[';
        p               = write_decimal(p, zero ? 0 : at(e.bytes.start));
        *p++            = ',';
        p               = write_decimal(p, zero ? 0 : at(e.bytes.end));
        *p++            = ']';
    }
    *p++ = ']';
    line.resize(static_cast<size_t>(p - line.data()));
    if (with_tokens) {
        line += ",\"tokens\":[";
        for (size_t k = 0; k < tokens.size(); ++k) {
            if (k > 0) {
                line += ',';
            }
            line += json(tokens[k].value).dump(-1, ' ', false, json::error_handler_t::replace);
        }
        line += ']';
    }
    line += '}';
    return line;
}

}  // namespace spexlens::text::hf
