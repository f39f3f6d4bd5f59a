// onig_regex: the regular expressions of tokenizer.json (Split and Replace patterns), run by
// Oniguruma as the Rust `tokenizers` crate does, plus text_pattern, the {"String": s} or
// {"Regex": r} pattern object those stages take.
//
// Matching follows JavaScript's String.prototype.matchAll, which the JS port
// (@huggingface/tokenizers) uses: leftmost matches, non-overlapping, and after an empty match the
// search resumes one code point further (an empty match at the very end counts).
//
// Time is bounded: a match attempt gives up after a fixed number of backtracking steps, and then
// the search throws text_error instead of hanging on a hostile pattern.
//
// Index
//   [SECTION] regex_match
//   [SECTION] onig_regex
//   [SECTION] text_pattern
#pragma once

#include "text/hf/hf_types.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens::text::hf {

// [SECTION] regex_match

// One capture group of a match; `matched` is false for a group that took no part in it.
struct regex_group {
    bool       matched = false;
    byte_range range;
};

// One match: the whole matched byte range and capture groups 1..n.
struct regex_match {
    byte_range               whole;
    std::vector<regex_group> groups;
};

// [SECTION] onig_regex

// A compiled Oniguruma regex (UTF-8, Oniguruma syntax as the Rust crate's onig::Regex::new).
// Movable, not copyable.
class onig_regex {
  public:
    // Compiles `pattern`. (?i) folds ASCII letters only, as the JS port's rewrite of (?i:...)
    // does (Oniguruma alone would also fold e.g. U+017F to "s"). A pattern Oniguruma rejects throws
    // text_error "<context>: bad regex \"<pattern>\": <Oniguruma's message>".
    onig_regex(std::string_view pattern, std::string_view context);
    ~onig_regex();
    onig_regex(onig_regex && other) noexcept;
    onig_regex & operator=(onig_regex && other) noexcept;
    onig_regex(const onig_regex &)             = delete;
    onig_regex & operator=(const onig_regex &) = delete;

    // The number of capture groups.
    size_t group_count() const;

    // The leftmost match starting at byte `from` or later (lookbehind sees the text before
    // `from`); false if there is none. Throws text_error if the regex backtracks too long.
    bool search(std::string_view text, size_t from, regex_match & m) const;

    // All matches, as matchAll finds them.
    std::vector<regex_match> find_all(std::string_view text) const;

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// [SECTION] text_pattern

// The "pattern" object of Split and Replace: {"String": s} matches `s` literally, {"Regex": r}
// is an onig_regex.
class text_pattern {
  public:
    // Parses the pattern object `j`; `context` names the component for errors, e.g.
    // "tokenizer.json: pre_tokenizer Split". `literal_is_group`: a String pattern counts as one
    // capture group (the JS port wraps it in "(...)" for Split with "invert": false).
    text_pattern(const nlohmann::json & j, std::string_view context, bool literal_is_group = false);

    // True for a {"String": s} pattern.
    bool is_literal() const { return !regex_; }

    // As onig_regex::search.
    bool search(std::string_view text, size_t from, regex_match & m) const;

    // As onig_regex::find_all.
    std::vector<regex_match> find_all(std::string_view text) const;

  private:
    std::string                 literal_;
    bool                        literal_is_group_ = false;
    std::unique_ptr<onig_regex> regex_;
};

}  // namespace spexlens::text::hf
