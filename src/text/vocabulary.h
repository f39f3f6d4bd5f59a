// vocabulary: token string -> id, read from the manifest's vocabulary file (one token per line,
// line i is id i; docs/model-manifest.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace spexlens::text {

class vocabulary {
  public:
    vocabulary() = default;
    // Parses the file's contents. A final newline is optional; "\r\n" and a lone "\r" end a
    // line too (as in Python's text mode, which the reference's load_vocab uses). Empty lines
    // keep their id but match nothing (a token is never empty). Throws text_error on a file
    // without tokens, a duplicate token (naming the lines) or invalid UTF-8.
    static vocabulary from_text(std::string_view contents);

    // The id of `token`, or `unk_id` when it is not in the vocabulary.
    int32_t id_of(std::string_view token, int32_t unk_id) const;
    bool    contains(std::string_view token) const;

    size_t              size() const { return tokens_.size(); }
    const std::string & token_at(size_t id) const { return tokens_.at(id); }

  private:
    std::vector<std::string>                 tokens_;
    std::unordered_map<std::string, int32_t> ids_;
};

}  // namespace spexlens::text
