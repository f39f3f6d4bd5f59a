// fuzz_text: any bytes as a text to explain with the shipped spam model's words tokenizer
// (src/text/prepared_text): UTF-8 repair, words (ideographs one by one), sentences, the window and
// its policies; and the same bytes through the heat-map's right-to-left ordering (src/text/bidi)
// and Arabic shaping (src/text/arabic_shaping): the levels must cover every byte, reversing must
// keep the bytes' count, shaping's pieces must tile input and output with every shaped piece the
// presentation form of exactly its letters (its marks after it), a label's display form must be
// as long as the shaped text, and shaping two halves must give the whole's forms.
#include "fuzz_support.h"
#include "spex/spex_error.h"
#include "text/arabic_shaping.h"
#include "text/bidi.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"
#include "text/prepared_text.h"
#include "text/text_error.h"

#include <algorithm>
#include <string>
#include <vector>

namespace {

// The code point at the start of well-formed UTF-8 bytes (what shaping wrote or shaped), and its size.
char32_t first_code_point(const std::string & s, size_t & size) {
    const auto b = [&](size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[i])); };
    size         = s.empty() ? 0 : b(0) < 0x80 ? 1 : b(0) < 0xE0 ? 2 : b(0) < 0xF0 ? 3 : 4;
    if (size == 0 || size > s.size()) {
        __builtin_trap();
    }
    char32_t cp = size == 1 ? b(0) : b(0) & (0xFF >> (size + 1));
    for (size_t i = 1; i < size; ++i) {
        cp = (cp << 6) | (b(i) & 0x3F);
    }
    return cp;
}

// A shaped piece: its output is the form of its input's letters, followed by the marks between them.
void check_shaped_piece(const std::string & in, const std::string & out) {
    size_t               form_size  = 0;
    const std::u32string letters    = spexlens::text::letters_of_form(first_code_point(out, form_size));
    size_t               first_size = 0, last_size = 0;
    const char32_t       first = first_code_point(in, first_size);
    if (letters.size() == 1 && (first != letters[0] || first_size != in.size() || form_size != out.size())) {
        __builtin_trap();
    }
    if (letters.size() == 2) {  // LAM, the marks, an ALEF of two bytes
        const std::string alef = in.substr(in.size() - std::min<size_t>(2, in.size()));
        if (first != letters[0] || first_code_point(alef, last_size) != letters[1] ||
            out.substr(form_size) != in.substr(first_size, in.size() - first_size - last_size)) {
            __builtin_trap();
        }
    }
    if (letters.empty() || letters.size() > 2) {
        __builtin_trap();
    }
}

void check_shaping(const std::string & text) {
    using namespace spexlens::text;
    std::vector<shaping_piece> pieces;
    const std::string          shaped = shape_arabic(text, 0, text.size(), &pieces);
    size_t                     source = 0, out = 0;
    for (const shaping_piece & p : pieces) {
        if (p.source_begin != source || p.out_begin != out || p.source_end <= p.source_begin) {
            __builtin_trap();
        }
        const std::string in_bytes  = text.substr(p.source_begin, p.source_end - p.source_begin);
        const std::string out_bytes = shaped.substr(p.out_begin, p.out_end - p.out_begin);
        if (p.shaped) {
            check_shaped_piece(in_bytes, out_bytes);
        } else if (in_bytes != out_bytes) {
            __builtin_trap();
        }
        source = p.source_end;
        out    = p.out_end;
    }
    if (source != text.size() || out != shaped.size() || visual_label(text).size() != shaped.size()) {
        __builtin_trap();
    }
    if (!pieces.empty()) {  // two halves cut between pieces shape as the whole does
        const size_t cut = pieces[text.size() % pieces.size()].source_begin;
        if (shape_arabic(text, 0, cut) + shape_arabic(text, cut, text.size()) != shaped) {
            __builtin_trap();
        }
    }
}

}  // namespace

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
    if (reversed_for_display(text).size() != text.size()) {
        __builtin_trap();
    }
    check_shaping(text);
    return 0;
}
