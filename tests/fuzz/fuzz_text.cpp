// fuzz_text: any bytes as a text to explain with the shipped spam model's words tokenizer
// (src/text/prepared_text): UTF-8 repair, words (ideographs one by one), sentences, the window and
// its policies; and the same bytes through the heat-map's right-to-left ordering (src/text/bidi),
// whose levels must cover every byte and whose display forms must keep the bytes' count.
#include "fuzz_support.h"
#include "spex/spex_error.h"
#include "text/bidi.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"
#include "text/prepared_text.h"
#include "text/text_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace spexlens::text;
    static const model_manifest  manifest = parse_manifest(fuzz::source_file("models/spam-transformer/model.json"));
    static const model_tokenizer tokenizer =
        model_tokenizer::from_file(manifest, fuzz::source_file("models/spam-transformer/vocab.txt"));
    const std::string text = fuzz::bytes(data, size);
    for (const auto granularity : {GRANULARITY_WORD, GRANULARITY_SENTENCE}) {
        for (const auto policy : {LONG_TEXT_HEAD, LONG_TEXT_REFUSE}) {
            try {
                (void)prepare_text(text, tokenizer, manifest, granularity, policy);
            } catch (const text_error &) {
            } catch (const spex::spex_error &) {
            }
        }
    }
    const bidi_levels levels = resolve_bidi(text);
    if (levels.levels.size() != text.size()) {
        __builtin_trap();
    }
    (void)visual_order(levels.levels);
    if (visual_label(text).size() != text.size() || reversed_for_display(text).size() != text.size()) {
        __builtin_trap();
    }
    return 0;
}
