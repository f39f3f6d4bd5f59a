// text_counts: how many word and sentence features a text would give, counted by the same
// functions an explanation uses (sanitize_utf8, tokenize_words_v1, make_features), so the count
// under the page's text box and its time estimate agree with the run: an ideograph of Chinese
// or Japanese text is a word of its own, punctuation stays with its word, NUL and other
// controls separate words as they do in a run.
#pragma once

#include <cstddef>
#include <string_view>

namespace spexlens::text {

// The features of a text at each granularity, and its code points after UTF-8 repair.
struct text_counts {
    size_t words      = 0;  // word features (make_features, GRANULARITY_WORD)
    size_t sentences  = 0;  // sentence features (GRANULARITY_SENTENCE)
    size_t characters = 0;  // code points of the repaired text
};

// Counts `raw` (any bytes). Linear in its length.
text_counts count_text(std::string_view raw);

}  // namespace spexlens::text
