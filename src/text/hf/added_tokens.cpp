// added_tokens: see hf_tokenizer.h. A byte trie: added tokens are valid UTF-8 and begin with a
// lead byte, so byte matches fall on the same code point boundaries as the JavaScript port's
// UTF-16 matches and find the same tokens.
#include "text/hf/hf_tokenizer.h"

namespace spexlens::text::hf {

added_token_splitter::added_token_splitter(const std::vector<std::string> & contents) {
    nodes_.emplace_back();
    for (size_t t = 0; t < contents.size(); ++t) {
        const std::string & content = contents[t];
        if (content.empty()) {
            continue;  // an empty token would match everywhere; tokenizer.json never has one
        }
        uint32_t at = 0;
        for (unsigned char c : content) {
            auto it = nodes_[at].next.find(c);
            if (it == nodes_[at].next.end()) {
                const auto fresh = static_cast<uint32_t>(nodes_.size());
                nodes_[at].next.emplace(c, fresh);
                nodes_.emplace_back();
                at = fresh;
            } else {
                at = it->second;
            }
        }
        nodes_[at].token = static_cast<int>(t);  // a later duplicate wins, as in the port's trie
    }
}

std::vector<added_token_splitter::piece> added_token_splitter::split(std::string_view text) const {
    std::vector<piece> out;
    const size_t       n     = text.size();
    size_t             start = 0;
    size_t             i     = 0;
    while (i < n) {
        uint32_t at       = 0;
        int      match    = -1;
        size_t   match_to = i;
        for (size_t j = i; j < n; ++j) {
            auto it = nodes_[at].next.find(static_cast<unsigned char>(text[j]));
            if (it == nodes_[at].next.end()) {
                break;
            }
            at = it->second;
            if (nodes_[at].token >= 0) {
                match    = nodes_[at].token;
                match_to = j + 1;
            }
        }
        if (match < 0) {
            ++i;
            continue;
        }
        if (i > start) {
            out.push_back({start, i, -1});
        }
        out.push_back({i, match_to, match});
        i = start = match_to;
    }
    if (start < n) {
        out.push_back({start, n, -1});
    }
    return out;
}

}  // namespace spexlens::text::hf
