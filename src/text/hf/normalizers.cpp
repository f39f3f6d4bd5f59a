// normalizers: tokenizer.json's normalizer stage (see normalizers.h). Behaviour follows the JS
// port @huggingface/tokenizers 0.2.0; "JS port:" comments mark where it differs from the Rust
// crate and which one is followed.
//
// Index
//   [SECTION] editing helpers
//   [SECTION] JSON fields
//   [SECTION] normalizers
//   [SECTION] parse_normalizer
#include "text/hf/normalizers.h"

#include "json/json_text.h"
#include "text/hf/pre_tokenizers.h"
#include "text/hf/unicode.h"
#include "text/text_error.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace spexlens::text::hf {

// [SECTION] editing helpers

namespace {

// The code points of `s` with, for each, the union of its alignments.
struct decoded_text {
    std::u32string          cps;
    std::vector<byte_range> origins;
};

// A note on speed in WebAssembly. The core is built with emscripten's JavaScript exception
// handling (-fexceptions): a call that may throw, made while a local object with a destructor
// is alive, goes through a JavaScript trampoline (invoke_*), which costs far more than the work
// of one code point. So the per-code-point loops below live in functions that own no such
// objects (the buffers belong to the caller) and are kept out of line.

// Fills `d` (empty) with the code points of `s` and their origins.
[[gnu::noinline]] void decode_into(const normalized_string & s, decoded_text & d) {
    const std::string &             text = s.str();
    const std::vector<byte_range> & al   = s.alignments();
    d.cps.resize(text.size());
    d.origins.resize(text.size());
    size_t n = 0;
    for (size_t pos = 0; pos < text.size(); ++n) {
        const auto lead   = static_cast<unsigned char>(text[pos]);
        size_t     length = 1;
        if (lead < 0x80 && pos < al.size()) {
            // ASCII: one byte, its own alignment (what original() gives for one byte).
            d.cps[n]     = lead;
            d.origins[n] = al[pos];
        } else {
            d.cps[n]     = unicode::decode(text, pos, length);
            d.origins[n] = s.original({pos, pos + length});
        }
        pos += length;
    }
    d.cps.resize(n);
    d.origins.resize(n);
}

byte_range span_union(const decoded_text & d, size_t first, size_t last) {
    byte_range r = d.origins[first];
    for (size_t i = first + 1; i <= last; ++i) {
        r.start = std::min(r.start, d.origins[i].start);
        r.end   = std::max(r.end, d.origins[i].end);
    }
    return r;
}

// Appends `cp` to text with `align` for each of its bytes.
void emit(std::string & text, std::vector<byte_range> & al, char32_t cp, byte_range align) {
    const size_t before = text.size();
    unicode::append_utf8(text, cp);
    al.insert(al.end(), text.size() - before, align);
}

bool is_ascii(const std::string & s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Rewrites `s` into normalization form `form`, each new code point aligned with the original
// bytes of all the code points it came from (a composed "é" covers both "e" and U+0301).
[[gnu::noinline]] void emit_normalized(const std::vector<unicode::normalized_code_point> & normalized,
                                       const decoded_text & d, std::string & text, std::vector<byte_range> & al) {
    for (const unicode::normalized_code_point & c : normalized) {
        emit(text, al, c.cp, span_union(d, c.first, c.last));
    }
}

void apply_normalization_form(normalized_string & s, unicode::normalization_form form) {
    if (is_ascii(s.str())) {
        return;  // ASCII is the same in every form
    }
    decoded_text d;
    decode_into(s, d);
    std::string             text;
    std::vector<byte_range> al;
    text.reserve(s.str().size());
    al.reserve(s.str().size());
    emit_normalized(unicode::normalize(d.cps, form), d, text, al);
    s.text()       = std::move(text);
    s.alignments() = std::move(al);
}

// The loop of rewrite_each: `rewrite` appends what each code point becomes to `out`.
template <class Rewrite>
[[gnu::noinline]] void rewrite_loop(const decoded_text & d, const Rewrite & rewrite, std::u32string & out,
                                    std::string & text, std::vector<byte_range> & al) {
    const std::u32string_view cps(d.cps);
    for (size_t i = 0; i < cps.size(); ++i) {
        out.clear();
        rewrite(cps, i, out);
        for (const char32_t cp : out) {
            emit(text, al, cp, d.origins[i]);
        }
    }
}

// rewrite_code_points (normalizers.h) with the rewrite inlined.
template <class Rewrite> void rewrite_each(normalized_string & s, const Rewrite & rewrite) {
    decoded_text d;
    decode_into(s, d);
    std::string             text;
    std::vector<byte_range> al;
    std::u32string          out;
    text.reserve(s.str().size());
    al.reserve(s.str().size());
    out.reserve(8);
    rewrite_loop(d, rewrite, out, text, al);
    s.text()       = std::move(text);
    s.alignments() = std::move(al);
}

// JavaScript's GetSubstitution: `content` with "$" patterns expanded for match `m` of `text`.
std::string expand_replacement(std::string_view content, std::string_view text, const regex_match & m) {
    if (content.find('$') == std::string_view::npos) {
        return std::string(content);
    }
    const auto group_text = [&](size_t g) -> std::string {
        const regex_group & grp = m.groups[g - 1];
        return grp.matched ? std::string(text.substr(grp.range.start, grp.range.size())) : std::string();
    };
    const size_t groups = m.groups.size();
    std::string  out;
    for (size_t i = 0; i < content.size(); ++i) {
        const char c = content[i];
        if (c != '$' || i + 1 >= content.size()) {
            out += c;
            continue;
        }
        const char next = content[i + 1];
        if (next == '$') {
            out += '$';
            ++i;
        } else if (next == '&') {
            out += text.substr(m.whole.start, m.whole.size());
            ++i;
        } else if (next == '`') {
            out += text.substr(0, m.whole.start);
            ++i;
        } else if (next == '\'') {
            out += text.substr(m.whole.end);
            ++i;
        } else if (next >= '0' && next <= '9') {
            const size_t one = static_cast<size_t>(next - '0');
            if (i + 2 < content.size() && content[i + 2] >= '0' && content[i + 2] <= '9') {
                const size_t two = one * 10 + static_cast<size_t>(content[i + 2] - '0');
                if (two >= 1 && two <= groups) {
                    out += group_text(two);
                    i += 2;
                    continue;
                }
            }
            if (one >= 1 && one <= groups) {
                out += group_text(one);
                ++i;
            } else {
                out += c;
            }
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

void rewrite_code_points(normalized_string &                                                                  s,
                         const std::function<void(std::u32string_view cps, size_t i, std::u32string & out)> & rewrite) {
    rewrite_each(s, rewrite);
}

void replace_matches(normalized_string & s, const text_pattern & pattern, std::string_view content) {
    const std::string &             old     = s.str();
    const std::vector<byte_range> & old_al  = s.alignments();
    const std::vector<regex_match>  matches = pattern.find_all(old);
    if (matches.empty()) {
        return;
    }
    std::string             text;
    std::vector<byte_range> al;
    size_t                  last = 0;
    for (const regex_match & m : matches) {
        text.append(old, last, m.whole.start - last);
        al.insert(al.end(), old_al.begin() + static_cast<std::ptrdiff_t>(last),
                  old_al.begin() + static_cast<std::ptrdiff_t>(m.whole.start));
        const std::string replacement = expand_replacement(content, old, m);
        const byte_range  align       = s.original(m.whole);
        text += replacement;
        al.insert(al.end(), replacement.size(), align);
        last = m.whole.end;
    }
    text.append(old, last, std::string::npos);
    al.insert(al.end(), old_al.begin() + static_cast<std::ptrdiff_t>(last), old_al.end());
    s.text()       = std::move(text);
    s.alignments() = std::move(al);
}

void prepend_text(normalized_string & s, std::string_view prefix) {
    std::vector<std::pair<char32_t, int>> changes;
    for (char32_t cp : unicode::to_code_points(prefix)) {
        changes.emplace_back(cp, 1);
    }
    for (char32_t cp : unicode::to_code_points(s.str())) {
        changes.emplace_back(cp, 0);
    }
    s.transform(changes, 0);
}

std::string normalize_text(const normalizer & n, std::string_view text) {
    normalized_string s(text);
    n.normalize(s);
    return s.str();
}

// [SECTION] JSON fields

namespace {

std::string normalizer_context(std::string_view type) { return "tokenizer.json: normalizer " + std::string(type); }

// Field `key` of `j` as a bool; `fallback` when absent or null.
bool get_bool(const nlohmann::json & j, const char * key, bool fallback, std::string_view type) {
    if (!j.contains(key) || j[key].is_null()) {
        return fallback;
    }
    if (!j[key].is_boolean()) {
        throw text_error(normalizer_context(type) + ": \"" + key + "\" must be true or false, not " +
                         json_shown(j[key]));
    }
    return j[key].get<bool>();
}

std::optional<bool> get_optional_bool(const nlohmann::json & j, const char * key, std::string_view type) {
    if (!j.contains(key) || j[key].is_null()) {
        return std::nullopt;
    }
    return get_bool(j, key, false, type);
}

// Field `key` of `j` as a string; `fallback` when absent or null (nullptr: required).
std::string get_string(const nlohmann::json & j, const char * key, const char * fallback, std::string_view type) {
    if (!j.contains(key) || j[key].is_null()) {
        if (fallback == nullptr) {
            throw text_error(normalizer_context(type) + ": the field \"" + key + "\" is missing");
        }
        return fallback;
    }
    if (!j[key].is_string()) {
        throw text_error(normalizer_context(type) + ": \"" + key + "\" must be a string, not " + json_shown(j[key]));
    }
    return j[key].get<std::string>();
}

}  // namespace

// [SECTION] normalizers

namespace {

// BertNormalizer. JS port: fields absent from the JSON count as false (the Rust crate defaults
// clean_text, handle_chinese_chars and lowercase to true); the JS port lowercases before it
// strips accents (Rust strips first), with JavaScript's toLowerCase (final sigma included).
class bert_normalizer final : public normalizer {
  public:
    bert_normalizer(bool clean_text, bool handle_chinese_chars, std::optional<bool> strip_accents, bool lowercase)
        : clean_text_(clean_text), handle_chinese_chars_(handle_chinese_chars), lowercase_(lowercase),
          strip_accents_(strip_accents.value_or(lowercase)) {}

    void normalize(normalized_string & s) const override {
        if (clean_text_) {
            rewrite_each(s, [](std::u32string_view cps, size_t i, std::u32string & out) {
                const char32_t cp = cps[i];
                if (cp == 0 || cp == 0xFFFD || unicode::is_bert_control(cp)) {
                    return;
                }
                // JS port: /^\s$/ without the u flag, so only BMP whitespace (all of it is BMP).
                out += unicode::is_js_whitespace(cp) ? U' ' : cp;
            });
        }
        if (handle_chinese_chars_) {
            rewrite_each(s, [](std::u32string_view cps, size_t i, std::u32string & out) {
                const char32_t cp = cps[i];
                // JS port: it walks UTF-16 code units, so ideographs beyond U+FFFF (CJK extension
                // B and later) are not padded; the Rust crate pads them.
                if (cp <= 0xFFFF && unicode::is_chinese_char(cp)) {
                    out += U' ';
                    out += cp;
                    out += U' ';
                } else {
                    out += cp;
                }
            });
        }
        if (lowercase_) {
            rewrite_each(s, unicode::append_lowercase);
        }
        if (strip_accents_) {
            apply_normalization_form(s, unicode::normalization_form::nfd);
            rewrite_each(s, [](std::u32string_view cps, size_t i, std::u32string & out) {
                if (!unicode::is_mark_nonspacing(cps[i])) {
                    out += cps[i];
                }
            });
        }
    }

  private:
    bool clean_text_;
    bool handle_chinese_chars_;
    bool lowercase_;
    bool strip_accents_;
};

// NFC, NFD, NFKC, NFKD.
class unicode_normalizer final : public normalizer {
  public:
    explicit unicode_normalizer(unicode::normalization_form form) : form_(form) {}
    void normalize(normalized_string & s) const override { apply_normalization_form(s, form_); }

  private:
    unicode::normalization_form form_;
};

// Lowercase, as JavaScript's toLowerCase (the Rust crate maps each character alone, so it never
// produces a final sigma "ς").
class lowercase_normalizer final : public normalizer {
  public:
    void normalize(normalized_string & s) const override { rewrite_each(s, unicode::append_lowercase); }
};

// StripAccents. JS port: removes every mark, \p{M}, without decomposing first; the Rust crate
// removes only nonspacing marks (Mn). Either way "é" stays unless an NFD/NFKD ran before.
class strip_accents_normalizer final : public normalizer {
  public:
    void normalize(normalized_string & s) const override {
        rewrite_each(s, [](std::u32string_view cps, size_t i, std::u32string & out) {
            if (!unicode::is_mark(cps[i])) {
                out += cps[i];
            }
        });
    }
};

// Strip: removes leading and/or trailing whitespace. JS port: JavaScript's trim whitespace
// (U+FEFF yes, U+0085 no); Rust's is_whitespace is the other way round for those two.
class strip_normalizer final : public normalizer {
  public:
    strip_normalizer(bool left, bool right) : left_(left), right_(right) {}

    void normalize(normalized_string & s) const override {
        const std::u32string cps   = unicode::to_code_points(s.str());
        size_t               first = 0;
        size_t               last  = cps.size();
        if (left_) {
            while (first < last && unicode::is_js_whitespace(cps[first])) {
                ++first;
            }
        }
        if (right_) {
            while (last > first && unicode::is_js_whitespace(cps[last - 1])) {
                --last;
            }
        }
        if (first == 0 && last == cps.size()) {
            return;
        }
        rewrite_each(s, [first, last](std::u32string_view cps2, size_t i, std::u32string & out) {
            if (i >= first && i < last) {
                out += cps2[i];
            }
        });
    }

  private:
    bool left_;
    bool right_;
};

// Replace: every match of the pattern becomes `content`. JS port: replaceAll, so "$&" and the
// like in the content are expanded (the Rust crate inserts the content literally).
class replace_normalizer final : public normalizer {
  public:
    replace_normalizer(text_pattern pattern, std::string content)
        : pattern_(std::move(pattern)), content_(std::move(content)) {}
    void normalize(normalized_string & s) const override { replace_matches(s, pattern_, content_); }

  private:
    text_pattern pattern_;
    std::string  content_;
};

// Prepend. JS port: prepends to any text, even one an earlier normalizer emptied (the Rust crate
// leaves empty text empty).
class prepend_normalizer final : public normalizer {
  public:
    explicit prepend_normalizer(std::string prefix) : prefix_(std::move(prefix)) {}
    void normalize(normalized_string & s) const override { prepend_text(s, prefix_); }

  private:
    std::string prefix_;
};

// ByteLevel: every byte becomes its GPT-2 character (the Rust crate has it; the JS port does
// not know this normalizer).
class byte_level_normalizer final : public normalizer {
  public:
    void normalize(normalized_string & s) const override {
        rewrite_each(s, [](std::u32string_view cps, size_t i, std::u32string & out) {
            std::string bytes;
            unicode::append_utf8(bytes, cps[i]);
            for (char b : bytes) {
                out += byte_to_char(static_cast<uint8_t>(b));
            }
        });
    }
};

// Sequence: each normalizer in turn.
class sequence_normalizer final : public normalizer {
  public:
    explicit sequence_normalizer(std::vector<std::unique_ptr<normalizer>> normalizers)
        : normalizers_(std::move(normalizers)) {}

    void normalize(normalized_string & s) const override {
        for (const auto & n : normalizers_) {
            if (n) {
                n->normalize(s);
            }
        }
    }

  private:
    std::vector<std::unique_ptr<normalizer>> normalizers_;
};

}  // namespace

// [SECTION] parse_normalizer

std::unique_ptr<normalizer> parse_normalizer(const nlohmann::json & j) {
    if (j.is_null()) {
        return nullptr;
    }
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) {
        throw text_error("tokenizer.json: a normalizer must be an object with a string \"type\", not " + json_shown(j));
    }
    const std::string type = j["type"].get<std::string>();
    if (type == "BertNormalizer") {
        return std::make_unique<bert_normalizer>(
            get_bool(j, "clean_text", false, type), get_bool(j, "handle_chinese_chars", false, type),
            get_optional_bool(j, "strip_accents", type), get_bool(j, "lowercase", false, type));
    }
    if (type == "NFC") {
        return std::make_unique<unicode_normalizer>(unicode::normalization_form::nfc);
    }
    if (type == "NFD") {
        return std::make_unique<unicode_normalizer>(unicode::normalization_form::nfd);
    }
    if (type == "NFKC") {
        return std::make_unique<unicode_normalizer>(unicode::normalization_form::nfkc);
    }
    if (type == "NFKD") {
        return std::make_unique<unicode_normalizer>(unicode::normalization_form::nfkd);
    }
    if (type == "Lowercase") {
        return std::make_unique<lowercase_normalizer>();
    }
    if (type == "StripAccents") {
        return std::make_unique<strip_accents_normalizer>();
    }
    if (type == "Strip") {
        return std::make_unique<strip_normalizer>(get_bool(j, "strip_left", false, type),
                                                  get_bool(j, "strip_right", false, type));
    }
    if (type == "Replace") {
        if (!j.contains("pattern")) {
            throw text_error(normalizer_context(type) + ": the field \"pattern\" is missing");
        }
        return std::make_unique<replace_normalizer>(text_pattern(j["pattern"], normalizer_context(type)),
                                                    get_string(j, "content", "", type));
    }
    if (type == "Prepend") {
        return std::make_unique<prepend_normalizer>(get_string(j, "prepend", nullptr, type));
    }
    if (type == "ByteLevel") {
        return std::make_unique<byte_level_normalizer>();
    }
    if (type == "Sequence") {
        std::vector<std::unique_ptr<normalizer>> normalizers;
        if (j.contains("normalizers") && !j["normalizers"].is_null()) {
            if (!j["normalizers"].is_array()) {
                throw text_error(normalizer_context(type) + ": \"normalizers\" must be a list");
            }
            for (const nlohmann::json & item : j["normalizers"]) {
                normalizers.push_back(parse_normalizer(item));
            }
        }
        return std::make_unique<sequence_normalizer>(std::move(normalizers));
    }
    throw text_error(normalizer_context(type) + " is not supported");
}

}  // namespace spexlens::text::hf
