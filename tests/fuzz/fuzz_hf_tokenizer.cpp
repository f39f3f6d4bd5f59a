// fuzz_hf_tokenizer: a tokenizer.json (src/text/hf) parsed, then, when it parses, used on a few
// texts with the hard cases of the tokenizer tests.
#include "fuzz_support.h"
#include "text/hf/hf_tokenizer.h"
#include "text/text_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    static const char * const texts[] = {"Hello, world! caf\xC3\xA9 na\xC3\xAFve", "  spaces   and\ttabs\n",
                                         "\xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D",
                                         "[CLS] <s> </s> [MASK] 12345 $9.99", ""};
    try {
        const auto tokenizer = spexlens::text::hf::tokenizer::parse(fuzz::bytes(data, size));
        for (const char * t : texts) {
            (void)spexlens::text::hf::encode_to_json(*tokenizer, t, true, true);
        }
    } catch (const spexlens::text::text_error &) {
    }
    return 0;
}
