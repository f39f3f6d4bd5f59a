// onig_regex: Oniguruma behind tokenizer.json's regex patterns (see onig_regex.h).
//
// Index
//   [SECTION] initialisation and limits
//   [SECTION] onig_regex
//   [SECTION] text_pattern
#include "text/hf/onig_regex.h"

#include "json/json_text.h"
#include "text/hf/unicode.h"
#include "text/text_error.h"

#include <algorithm>
#include <new>
#include <oniguruma.h>

namespace spexlens::text::hf {

// [SECTION] initialisation and limits

namespace {

// Backtracking steps one match attempt may take (Oniguruma's default is 10 million; real
// tokenizer patterns need a few per byte), and steps one search may take over all its start
// positions. Either limit reached makes search() throw instead of running on.
constexpr unsigned long retry_limit_in_match  = 2'000'000;
constexpr unsigned long retry_limit_in_search = 20'000'000;

// Initialises Oniguruma once, for UTF-8, with the limits above.
void ensure_onig_initialised() {
    static const bool done = [] {
        OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
        onig_initialize(encodings, 1);
        onig_set_retry_limit_in_match(retry_limit_in_match);
        onig_set_retry_limit_in_search(retry_limit_in_search);
        return true;
    }();
    (void)done;
}

std::string onig_message(int code, OnigErrorInfo * info) {
    OnigUChar buffer[ONIG_MAX_ERROR_MESSAGE_LEN + 1] = {};
    if (info != nullptr) {
        onig_error_code_to_str(buffer, code, info);
    } else {
        onig_error_code_to_str(buffer, code);
    }
    return std::string(reinterpret_cast<const char *>(buffer));
}

// The class a POSIX bracket name stands for in the JS port's rewrite of Oniguruma patterns
// (Unicode properties rather than Oniguruma's own POSIX sets, e.g. [:punct:] takes in the
// symbols \p{S}); nullptr for a name it does not rewrite.
const char * posix_class_fragment(std::string_view name) {
    static const std::pair<const char *, const char *> fragments[] = {
        {"alpha", "\\p{Alphabetic}"}, {"alnum", "\\p{Alphabetic}\\p{Nd}"},
        {"digit", "\\p{Nd}"},         {"lower", "\\p{Lowercase}"},
        {"upper", "\\p{Uppercase}"},  {"space", "\\p{White_Space}"},
        {"blank", "\\t\\p{Zs}"},      {"punct", "\\p{P}\\p{S}"},
        {"cntrl", "\\p{Cc}"},         {"word", "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}"},
        {"xdigit", "0-9A-Fa-f"},
    };
    for (const auto & [key, fragment] : fragments) {
        if (name == key) {
            return fragment;
        }
    }
    return nullptr;
}

// `pattern` with its POSIX brackets inside character classes ([[:punct:]], [^[:^alpha:]x])
// spelled as the JS port spells them, so both match the same characters.
std::string rewrite_posix_classes(std::string_view pattern) {
    std::string out;
    out.reserve(pattern.size());
    int depth = 0;
    for (size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            out += c;
            out += pattern[++i];
            continue;
        }
        if (c == '[' && depth > 0 && i + 1 < pattern.size() && pattern[i + 1] == ':') {
            const size_t close = pattern.find(":]", i + 2);
            if (close != std::string_view::npos) {
                std::string_view name    = pattern.substr(i + 2, close - i - 2);
                const bool       negated = !name.empty() && name[0] == '^';
                if (negated) {
                    name.remove_prefix(1);
                }
                if (const char * fragment = posix_class_fragment(name)) {
                    out += negated ? "[^" + std::string(fragment) + "]" : std::string(fragment);
                    i = close + 1;
                    continue;
                }
            }
        }
        if (c == '[') {
            ++depth;
        } else if (c == ']' && depth > 0) {
            --depth;
        }
        out += c;
    }
    return out;
}

// The byte just past an empty match at `at`: the next code point boundary.
size_t next_boundary(std::string_view text, size_t at) {
    return at + std::min(unicode::sequence_length(static_cast<unsigned char>(text[at])), text.size() - at);
}

}  // namespace

// [SECTION] onig_regex

struct onig_regex::impl {
    regex_t *   regex = nullptr;
    std::string pattern;
    std::string context;

    ~impl() {
        if (regex != nullptr) {
            onig_free(regex);
        }
    }
};

onig_regex::onig_regex(std::string_view pattern, std::string_view context) : impl_(std::make_unique<impl>()) {
    ensure_onig_initialised();
    impl_->pattern = std::string(pattern);
    impl_->context = std::string(context);
    // JS port: POSIX brackets mean what its rewrite makes of them (see rewrite_posix_classes).
    const std::string rewritten = rewrite_posix_classes(pattern);
    OnigErrorInfo     info{};
    const auto *      begin = reinterpret_cast<const OnigUChar *>(rewritten.data());
    const int         code  = onig_new(&impl_->regex, begin, begin + rewritten.size(), ONIG_OPTION_IGNORECASE_IS_ASCII,
                                       ONIG_ENCODING_UTF8, ONIG_SYNTAX_DEFAULT, &info);
    if (code != ONIG_NORMAL) {
        impl_->regex = nullptr;
        throw text_error(impl_->context + ": bad regex \"" + impl_->pattern + "\": " + onig_message(code, &info));
    }
}

onig_regex::~onig_regex()                                        = default;
onig_regex::onig_regex(onig_regex && other) noexcept             = default;
onig_regex & onig_regex::operator=(onig_regex && other) noexcept = default;

size_t onig_regex::group_count() const {
    const int n = onig_number_of_captures(impl_->regex);
    return n > 0 ? static_cast<size_t>(n) : 0;
}

bool onig_regex::search(std::string_view text, size_t from, regex_match & m) const {
    if (from > text.size()) {
        return false;
    }
    const auto * str = reinterpret_cast<const OnigUChar *>(text.data());
    const auto * end = str + text.size();
    // A region per call keeps concurrent searches with one regex safe.
    std::unique_ptr<OnigRegion, void (*)(OnigRegion *)> owned(onig_region_new(),
                                                              [](OnigRegion * r) { onig_region_free(r, 1); });
    OnigRegion *                                        region = owned.get();
    if (region == nullptr) {
        throw std::bad_alloc();
    }
    const int r = onig_search(impl_->regex, str, end, str + from, end, region, ONIG_OPTION_NONE);
    if (r == ONIG_MISMATCH) {
        return false;
    }
    if (r < 0) {
        throw text_error(impl_->context + ": the regex \"" + impl_->pattern + "\" gave up on this text (" +
                         onig_message(r, nullptr) + "); try a shorter text or a tokenizer with a simpler pattern");
    }
    m.whole = {static_cast<size_t>(region->beg[0]), static_cast<size_t>(region->end[0])};
    m.groups.assign(region->num_regs > 1 ? static_cast<size_t>(region->num_regs - 1) : 0, regex_group{});
    for (int g = 1; g < region->num_regs; ++g) {
        if (region->beg[g] != ONIG_REGION_NOTPOS) {
            m.groups[static_cast<size_t>(g - 1)] = {
                true, {static_cast<size_t>(region->beg[g]), static_cast<size_t>(region->end[g])}};
        }
    }
    return true;
}

std::vector<regex_match> onig_regex::find_all(std::string_view text) const {
    std::vector<regex_match> out;
    size_t                   from = 0;
    regex_match              m;
    while (from <= text.size() && search(text, from, m)) {
        out.push_back(m);
        if (m.whole.end > m.whole.start) {
            from = m.whole.end;
        } else if (m.whole.end >= text.size()) {
            break;
        } else {
            from = next_boundary(text, m.whole.end);
        }
    }
    return out;
}

// [SECTION] text_pattern

text_pattern::text_pattern(const nlohmann::json & j, std::string_view context, bool literal_is_group)
    : literal_is_group_(literal_is_group) {
    if (j.is_object() && j.contains("String") && j["String"].is_string()) {
        literal_ = j["String"].get<std::string>();
        return;
    }
    if (j.is_object() && j.contains("Regex") && j["Regex"].is_string()) {
        regex_ = std::make_unique<onig_regex>(j["Regex"].get<std::string>(), context);
        return;
    }
    throw text_error(std::string(context) +
                     ": \"pattern\" must be {\"String\": \"...\"} or {\"Regex\": \"...\"}, not " + json_shown(j));
}

bool text_pattern::search(std::string_view text, size_t from, regex_match & m) const {
    if (regex_) {
        return regex_->search(text, from, m);
    }
    if (from > text.size()) {
        return false;
    }
    const size_t at = text.find(literal_, from);
    if (at == std::string_view::npos) {
        return false;
    }
    m.whole = {at, at + literal_.size()};
    m.groups.clear();
    if (literal_is_group_) {
        m.groups.push_back({true, m.whole});
    }
    return true;
}

std::vector<regex_match> text_pattern::find_all(std::string_view text) const {
    if (regex_) {
        return regex_->find_all(text);
    }
    std::vector<regex_match> out;
    size_t                   from = 0;
    regex_match              m;
    while (from <= text.size() && search(text, from, m)) {
        out.push_back(m);
        if (m.whole.end > m.whole.start) {
            from = m.whole.end;
        } else if (m.whole.end >= text.size()) {
            break;
        } else {
            from = next_boundary(text, m.whole.end);
        }
    }
    return out;
}

}  // namespace spexlens::text::hf
