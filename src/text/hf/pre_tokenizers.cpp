// pre_tokenizers: tokenizer.json's pre-tokenizer stage (see pre_tokenizers.h). Behaviour
// follows the JS port @huggingface/tokenizers 0.2.0; "JS port:" comments mark where it differs
// from the Rust crate and which one is followed.
//
// Index
//   [SECTION] GPT-2 byte-level characters
//   [SECTION] cutting helpers
//   [SECTION] pre-tokenizers
//   [SECTION] parse_pre_tokenizer
#include "text/hf/pre_tokenizers.h"

#include "json/json_text.h"
#include "text/hf/normalizers.h"
#include "text/hf/onig_regex.h"
#include "text/hf/unicode.h"
#include "text/text_error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace spexlens::text::hf {

// [SECTION] GPT-2 byte-level characters

namespace {

bool byte_stands_for_itself(unsigned b) { return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE; }

const std::array<char32_t, 256> & byte_chars() {
    static const std::array<char32_t, 256> table = [] {
        std::array<char32_t, 256> t{};
        char32_t                  next = 0x100;
        for (unsigned b = 0; b < 256; ++b) {
            t[b] = byte_stands_for_itself(b) ? static_cast<char32_t>(b) : next++;
        }
        return t;
    }();
    return table;
}

}  // namespace

char32_t byte_to_char(uint8_t b) { return byte_chars()[b]; }

bool char_to_byte(char32_t c, uint8_t & b) {
    if (c < 0x100 && byte_stands_for_itself(static_cast<unsigned>(c))) {
        b = static_cast<uint8_t>(c);
        return true;
    }
    if (c >= 0x100 && c < 0x100 + 68) {
        const auto & t = byte_chars();
        for (unsigned i = 0; i < 256; ++i) {
            if (t[i] == c) {
                b = static_cast<uint8_t>(i);
                return true;
            }
        }
    }
    return false;
}

// [SECTION] cutting helpers

namespace {

std::string pre_tokenizer_context(std::string_view type) {
    return "tokenizer.json: pre_tokenizer " + std::string(type);
}

// A pre-tokenizer that cuts each untokenized, non-empty split on its own.
class piece_pre_tokenizer : public pre_tokenizer {
  public:
    void pre_tokenize(std::vector<split> & splits) const override {
        std::vector<split> out;
        out.reserve(splits.size());
        for (split & s : splits) {
            if (s.tokenized) {
                out.push_back(std::move(s));
            } else if (!s.text.empty()) {
                cut(s.text, out);
            }
        }
        splits = std::move(out);
    }

  protected:
    // Appends the pieces of `piece` to `out`.
    virtual void cut(const normalized_string & piece, std::vector<split> & out) const = 0;
};

void push_piece(std::vector<split> & out, normalized_string piece) {
    if (!piece.empty()) {
        split s;
        s.text = std::move(piece);
        out.push_back(std::move(s));
    }
}

void push_ranges(std::vector<split> & out, const normalized_string & piece, const std::vector<byte_range> & ranges) {
    for (const byte_range & r : ranges) {
        if (r.end > r.start) {
            push_piece(out, piece.slice(r));
        }
    }
}

// What cut_by_class does with a code point.
constexpr int drop   = -1;  // not part of any piece (whitespace)
constexpr int single = -2;  // a piece of its own

// Cuts `piece` into runs of code points of one class (classify(cp) >= 0); `drop` code points
// end a run and vanish, `single` ones are pieces of their own.
template <class Classify>
void cut_by_class(const normalized_string & piece, std::vector<split> & out, Classify classify) {
    const std::string &     text = piece.str();
    std::vector<byte_range> ranges;
    size_t                  run_start = 0;
    int                     run_class = drop;
    for (size_t pos = 0; pos < text.size();) {
        size_t         length = 0;
        const char32_t cp     = unicode::decode(text, pos, length);
        const int      cls    = classify(cp);
        if (cls != run_class || cls < 0) {
            if (run_class >= 0) {
                ranges.push_back({run_start, pos});
            }
            if (cls == single) {
                ranges.push_back({pos, pos + length});
            }
            run_start = pos;
            run_class = cls == single ? drop : cls;
        }
        pos += length;
    }
    if (run_class >= 0) {
        ranges.push_back({run_start, text.size()});
    }
    push_ranges(out, piece, ranges);
}

// The gaps between the matches and the (non-empty) matches, in order: the JS port's
// regex_split, i.e. the Isolated behaviour.
std::vector<byte_range> isolated_ranges(const std::string & text, const std::vector<regex_match> & matches) {
    std::vector<byte_range> ranges;
    size_t                  prev = 0;
    for (const regex_match & m : matches) {
        if (prev < m.whole.start) {
            ranges.push_back({prev, m.whole.start});
        }
        if (m.whole.end > m.whole.start) {
            ranges.push_back(m.whole);
        }
        prev = m.whole.end;
    }
    if (prev < text.size()) {
        ranges.push_back({prev, text.size()});
    }
    return ranges;
}

// JavaScript's String.prototype.split with a regex: the text between matches, and after each
// match its capture groups (an empty match where the last piece ended does not split).
std::vector<byte_range> js_split_ranges(const std::string & text, const text_pattern & pattern) {
    std::vector<byte_range> ranges;
    size_t                  p    = 0;
    size_t                  q    = 0;
    const size_t            size = text.size();
    regex_match             m;
    while (q < size && pattern.search(text, q, m) && m.whole.start < size) {
        if (m.whole.end == p) {
            q = m.whole.start + std::min(unicode::sequence_length(static_cast<unsigned char>(text[m.whole.start])),
                                         size - m.whole.start);
            continue;
        }
        ranges.push_back({p, m.whole.start});
        for (const regex_group & g : m.groups) {
            if (g.matched) {
                ranges.push_back(g.range);
            }
        }
        p = m.whole.end;
        q = p;
    }
    ranges.push_back({p, size});
    return ranges;
}

// The loop of map_to_byte_chars, out of line and owning no objects with destructors: under
// emscripten's JavaScript exception handling a call made while one is alive goes through a
// JavaScript trampoline, which costs more than the work of one byte (see normalizers.cpp).
[[gnu::noinline]] void map_bytes(const normalized_string & piece, std::string & text, std::vector<byte_range> & al) {
    const std::string & old = piece.str();
    for (size_t pos = 0; pos < old.size();) {
        size_t           length = 0;
        const char32_t   cp     = unicode::decode(old, pos, length);
        const byte_range origin = piece.original({pos, pos + length});
        // The bytes of the code point (re-encoded, as a truncated sequence decodes to U+FFFD).
        unsigned char bytes[4];
        size_t        count = 0;
        if (cp < 0x80) {
            bytes[count++] = static_cast<unsigned char>(cp);
        } else if (cp < 0x800) {
            bytes[count++] = static_cast<unsigned char>(0xC0 | (cp >> 6));
            bytes[count++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            bytes[count++] = static_cast<unsigned char>(0xE0 | (cp >> 12));
            bytes[count++] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
            bytes[count++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
        } else {
            bytes[count++] = static_cast<unsigned char>(0xF0 | (cp >> 18));
            bytes[count++] = static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F));
            bytes[count++] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
            bytes[count++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
        }
        for (size_t k = 0; k < count; ++k) {
            const char32_t c = byte_to_char(bytes[k]);  // < U+0800: one or two bytes
            if (c < 0x80) {
                text.push_back(static_cast<char>(c));
                al.push_back(origin);
            } else {
                text.push_back(static_cast<char>(0xC0 | (c >> 6)));
                text.push_back(static_cast<char>(0x80 | (c & 0x3F)));
                al.push_back(origin);
                al.push_back(origin);
            }
        }
        pos += length;
    }
}

// Maps every byte of `piece` to its GPT-2 character, each aligned with the code point it is a
// byte of.
void map_to_byte_chars(normalized_string & piece) {
    std::string             text;
    std::vector<byte_range> al;
    text.reserve(piece.str().size() * 2);
    al.reserve(piece.str().size() * 2);
    map_bytes(piece, text, al);
    piece.text()       = std::move(text);
    piece.alignments() = std::move(al);
}

}  // namespace

// [SECTION] pre-tokenizers

namespace {

// BertPreTokenizer: whitespace separates, each punctuation character is a piece of its own.
// JS port: JavaScript's \s is the whitespace (U+FEFF yes, U+0085 no; Rust's is_whitespace is the
// other way round for those two).
class bert_pre_tokenizer final : public piece_pre_tokenizer {
  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        cut_by_class(piece, out, [](char32_t cp) {
            if (unicode::is_js_whitespace(cp)) {
                return drop;
            }
            return unicode::is_bert_punctuation(cp) ? single : 0;
        });
    }
};

// Whitespace: /\w+|[^\w\s]+/g. JS port: that regex has no u flag, so \w is ASCII
// [A-Za-z0-9_] and "héllo" gives "h", "é", "llo"; the Rust crate's \w is Unicode.
class whitespace_pre_tokenizer final : public piece_pre_tokenizer {
  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        cut_by_class(piece, out, [](char32_t cp) {
            if (cp < 0x80 && (std::isalnum(static_cast<int>(cp)) != 0 || cp == '_')) {
                return 0;
            }
            return unicode::is_js_whitespace(cp) ? drop : 1;
        });
    }
};

// WhitespaceSplit: the runs of non-whitespace (JavaScript's \S).
class whitespace_split_pre_tokenizer final : public piece_pre_tokenizer {
  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        cut_by_class(piece, out, [](char32_t cp) { return unicode::is_js_whitespace(cp) ? drop : 0; });
    }
};

// Punctuation. JS port: runs of punctuation and runs of everything else (whitespace included)
// whatever "behavior" says; the Rust crate isolates each punctuation character by default.
class punctuation_pre_tokenizer final : public piece_pre_tokenizer {
  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        cut_by_class(piece, out, [](char32_t cp) { return unicode::is_bert_punctuation(cp) ? 1 : 0; });
    }
};

// Digits: runs of digits (or single digits) and runs of everything else. JS port: \d is ASCII
// 0-9; the Rust crate counts every numeric character.
class digits_pre_tokenizer final : public piece_pre_tokenizer {
  public:
    explicit digits_pre_tokenizer(bool individual) : individual_(individual) {}

  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        const bool individual = individual_;
        cut_by_class(piece, out, [individual](char32_t cp) {
            if (cp >= '0' && cp <= '9') {
                return individual ? single : 1;
            }
            return 0;
        });
    }

  private:
    bool individual_;
};

// ByteLevel: an optional leading space, GPT-2's split, then every byte as its GPT-2 character.
// JS port: the split regex uses JavaScript's \s (U+FEFF yes, U+0085 no), spelled out here for
// Oniguruma; add_prefix_space defaults to false (Rust: true).
class byte_level_pre_tokenizer final : public piece_pre_tokenizer {
  public:
    byte_level_pre_tokenizer(bool add_prefix_space, bool use_regex)
        : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {}

  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        normalized_string text = piece;
        if (add_prefix_space_ && text.str()[0] != ' ') {
            prepend_text(text, " ");
        }
        std::vector<byte_range> ranges;
        if (use_regex_) {
            for (const regex_match & m : gpt2_regex().find_all(text.str())) {
                ranges.push_back(m.whole);
            }
        } else {
            ranges.push_back({0, text.str().size()});
        }
        for (const byte_range & r : ranges) {
            if (r.end > r.start) {
                normalized_string sub = text.slice(r);
                map_to_byte_chars(sub);
                push_piece(out, std::move(sub));
            }
        }
    }

  private:
    static const onig_regex & gpt2_regex() {
        static const onig_regex regex(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\t\\n\\x{0B}\\f\\r\\x{FEFF}\\x{2028}\\x{2029}\\p{Zs}"
            "\\p{L}\\p{N}]+|[\\t\\n\\x{0B}\\f\\r\\x{FEFF}\\x{2028}\\x{2029}\\p{Zs}]+(?![^\\t\\n\\x{0B}\\f\\r\\x{FEFF}"
            "\\x{2028}\\x{2029}\\p{Zs}])|[\\t\\n\\x{0B}\\f\\r\\x{FEFF}\\x{2028}\\x{2029}\\p{Zs}]+",
            pre_tokenizer_context("ByteLevel"));
        return regex;
    }

    bool add_prefix_space_;
    bool use_regex_;
};

// Metaspace: spaces become the replacement character, which is also put in front. JS port: the
// text is never split at the replacement, whatever "split" says (the Rust crate splits before
// each one when split is true), and a missing prepend_scheme means "always" even when the legacy
// add_prefix_space is false. prepend_scheme "first" prepends only to a piece that starts at byte
// 0 of the input (the Rust rule; the JS port prepends to every piece of the first section).
class metaspace_pre_tokenizer final : public piece_pre_tokenizer {
  public:
    enum class scheme { always, first, never };

    metaspace_pre_tokenizer(std::string replacement, std::string str_rep, scheme prepend)
        : replacement_(std::move(replacement)), str_rep_(unicode::to_code_points(str_rep)), prepend_(prepend) {}

  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        normalized_string text    = piece;
        const auto &      str_rep = str_rep_;
        rewrite_code_points(text, [&str_rep](std::u32string_view cps, size_t i, std::u32string & o) {
            if (cps[i] == U' ') {
                o += str_rep;
            } else {
                o += cps[i];
            }
        });
        const bool starts_with_replacement = text.str().compare(0, replacement_.size(), replacement_) == 0;
        const bool wanted =
            prepend_ == scheme::always || (prepend_ == scheme::first && text.original_span().start == 0);
        if (!starts_with_replacement && wanted) {
            prepend_text(text, unicode::to_utf8(str_rep_));
        }
        push_piece(out, std::move(text));
    }

  private:
    std::string    replacement_;
    std::u32string str_rep_;
    scheme         prepend_;
};

// Split. JS port: with "invert": true only the matches are kept; with behavior "Removed" the
// text is cut by JavaScript's split (the capture groups of the match are kept as pieces, and a
// String pattern with "invert": false counts as one group, so it is kept); every other behavior
// (Isolated, MergedWithPrevious, MergedWithNext, Contiguous) gives the gaps and the matches
// as separate pieces. The Rust crate merges matches into their neighbours for MergedWith*.
class split_pre_tokenizer final : public piece_pre_tokenizer {
  public:
    split_pre_tokenizer(text_pattern pattern, bool removed, bool invert)
        : pattern_(std::move(pattern)), removed_(removed), invert_(invert) {}

  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        const std::string &     text = piece.str();
        std::vector<byte_range> ranges;
        if (invert_) {
            for (const regex_match & m : pattern_.find_all(text)) {
                ranges.push_back(m.whole);
            }
        } else if (removed_) {
            ranges = js_split_ranges(text, pattern_);
        } else {
            ranges = isolated_ranges(text, pattern_.find_all(text));
        }
        push_ranges(out, piece, ranges);
    }

  private:
    text_pattern pattern_;
    bool         removed_;
    bool         invert_;
};

// Replace (a pre-tokenizer in the JS port): every match becomes the content; no cut.
class replace_pre_tokenizer final : public piece_pre_tokenizer {
  public:
    replace_pre_tokenizer(text_pattern pattern, std::string content)
        : pattern_(std::move(pattern)), content_(std::move(content)) {}

  protected:
    void cut(const normalized_string & piece, std::vector<split> & out) const override {
        normalized_string text = piece;
        replace_matches(text, pattern_, content_);
        push_piece(out, std::move(text));
    }

  private:
    text_pattern pattern_;
    std::string  content_;
};

// Sequence: each pre-tokenizer in turn over all the splits.
class sequence_pre_tokenizer final : public pre_tokenizer {
  public:
    explicit sequence_pre_tokenizer(std::vector<std::unique_ptr<pre_tokenizer>> steps) : steps_(std::move(steps)) {}

    void pre_tokenize(std::vector<split> & splits) const override {
        for (const auto & step : steps_) {
            if (step) {
                step->pre_tokenize(splits);
            }
        }
    }

  private:
    std::vector<std::unique_ptr<pre_tokenizer>> steps_;
};

}  // namespace

std::vector<split> pre_tokenize_text(const pre_tokenizer & p, const normalized_string & text) {
    std::vector<split> splits(1);
    splits[0].text = text;
    p.pre_tokenize(splits);
    return splits;
}

// [SECTION] parse_pre_tokenizer

namespace {

bool get_bool(const nlohmann::json & j, const char * key, bool fallback, std::string_view type) {
    if (!j.contains(key) || j[key].is_null()) {
        return fallback;
    }
    if (!j[key].is_boolean()) {
        throw text_error(pre_tokenizer_context(type) + ": \"" + key + "\" must be true or false, not " +
                         json_shown(j[key]));
    }
    return j[key].get<bool>();
}

std::string get_string(const nlohmann::json & j, const char * key, const std::string & fallback,
                       std::string_view type) {
    if (!j.contains(key) || j[key].is_null()) {
        return fallback;
    }
    if (!j[key].is_string()) {
        throw text_error(pre_tokenizer_context(type) + ": \"" + key + "\" must be a string, not " + json_shown(j[key]));
    }
    return j[key].get<std::string>();
}

const nlohmann::json & get_pattern(const nlohmann::json & j, std::string_view type) {
    if (!j.contains("pattern")) {
        throw text_error(pre_tokenizer_context(type) + ": the field \"pattern\" is missing");
    }
    return j["pattern"];
}

std::string lower_ascii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return s;
}

// A Metaspace pre-tokenizer from its fields (type is its "type", for messages).
std::unique_ptr<pre_tokenizer> parse_metaspace(const nlohmann::json & j, const std::string & type) {
    const std::string replacement = get_string(j, "replacement", "\xE2\x96\x81", type);
    std::string       str_rep     = get_string(j, "str_rep", "", type);
    if (str_rep.empty()) {
        str_rep = replacement;
    }
    const std::string               scheme_name = get_string(j, "prepend_scheme", "always", type);
    metaspace_pre_tokenizer::scheme scheme;
    if (scheme_name == "always") {
        scheme = metaspace_pre_tokenizer::scheme::always;
    } else if (scheme_name == "first") {
        scheme = metaspace_pre_tokenizer::scheme::first;
    } else if (scheme_name == "never") {
        scheme = metaspace_pre_tokenizer::scheme::never;
    } else {
        throw text_error(pre_tokenizer_context(type) +
                         ": \"prepend_scheme\" must be \"always\", \"first\" or "
                         "\"never\", not \"" +
                         scheme_name + "\"");
    }
    return std::make_unique<metaspace_pre_tokenizer>(replacement, str_rep, scheme);
}

// A Split pre-tokenizer from its fields (type is its "type", for messages).
std::unique_ptr<pre_tokenizer> parse_split(const nlohmann::json & j, const std::string & type) {
    const std::string behavior = lower_ascii(get_string(j, "behavior", "isolated", type));
    if (behavior != "removed" && behavior != "isolated" && behavior != "mergedwithprevious" &&
        behavior != "mergedwithnext" && behavior != "contiguous") {
        throw text_error(pre_tokenizer_context(type) +
                         ": \"behavior\" must be Removed, Isolated, MergedWithPrevious, MergedWithNext or "
                         "Contiguous, not \"" +
                         get_string(j, "behavior", "", type) + "\"");
    }
    // JS port: a String pattern becomes a capture group when "invert" is present and false.
    const bool   invert_false = j.contains("invert") && j["invert"].is_boolean() && !j["invert"].get<bool>();
    text_pattern pattern(get_pattern(j, type), pre_tokenizer_context(type), invert_false);
    return std::make_unique<split_pre_tokenizer>(std::move(pattern), behavior == "removed",
                                                 get_bool(j, "invert", false, type));
}

}  // namespace

std::unique_ptr<pre_tokenizer> parse_pre_tokenizer(const nlohmann::json & j) {
    if (j.is_null()) {
        return nullptr;
    }
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) {
        throw text_error("tokenizer.json: a pre_tokenizer must be an object with a string \"type\", not " +
                         json_shown(j));
    }
    const std::string type = j["type"].get<std::string>();
    if (type == "BertPreTokenizer") {
        return std::make_unique<bert_pre_tokenizer>();
    }
    if (type == "Whitespace") {
        return std::make_unique<whitespace_pre_tokenizer>();
    }
    if (type == "WhitespaceSplit") {
        return std::make_unique<whitespace_split_pre_tokenizer>();
    }
    if (type == "Punctuation") {
        return std::make_unique<punctuation_pre_tokenizer>();
    }
    if (type == "Digits") {
        return std::make_unique<digits_pre_tokenizer>(get_bool(j, "individual_digits", false, type));
    }
    if (type == "ByteLevel") {
        return std::make_unique<byte_level_pre_tokenizer>(get_bool(j, "add_prefix_space", false, type),
                                                          get_bool(j, "use_regex", true, type));
    }
    if (type == "Metaspace") {
        return parse_metaspace(j, type);
    }
    if (type == "Split") {
        return parse_split(j, type);
    }
    if (type == "Replace") {
        text_pattern pattern(get_pattern(j, type), pre_tokenizer_context(type));
        return std::make_unique<replace_pre_tokenizer>(std::move(pattern), get_string(j, "content", "", type));
    }
    if (type == "Sequence") {
        std::vector<std::unique_ptr<pre_tokenizer>> steps;
        if (j.contains("pretokenizers") && !j["pretokenizers"].is_null()) {
            if (!j["pretokenizers"].is_array()) {
                throw text_error(pre_tokenizer_context(type) + ": \"pretokenizers\" must be a list");
            }
            for (const nlohmann::json & item : j["pretokenizers"]) {
                steps.push_back(parse_pre_tokenizer(item));
            }
        }
        return std::make_unique<sequence_pre_tokenizer>(std::move(steps));
    }
    throw text_error(pre_tokenizer_context(type) + " is not supported");
}

}  // namespace spexlens::text::hf
