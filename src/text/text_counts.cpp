// text_counts: feature counts by the explanation's own functions (see text_counts.h).
#include "text/text_counts.h"

#include "text/features.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

#include <string>
#include <vector>

namespace spexlens::text {

text_counts count_text(std::string_view raw) {
    const std::string        sanitized = sanitize_utf8(raw);
    const std::vector<token> tokens    = tokenize_words_v1(sanitized);
    text_counts              counts;
    counts.words      = make_features(sanitized, tokens, GRANULARITY_WORD).size();
    counts.sentences  = make_features(sanitized, tokens, GRANULARITY_SENTENCE).size();
    counts.characters = count_code_points(sanitized);
    return counts;
}

}  // namespace spexlens::text
