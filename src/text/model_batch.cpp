// model_batch: see model_batch.h. One explanation builds ~5,000 rows of ~130 positions, so a
// row is a copy of the unmasked template followed by writes over the dropped features' token
// ranges only, found by scanning the mask's zero bits a 64-bit word at a time. No allocation
// happens per row, and none at all once `out` has grown to the batch size.
#include "text/model_batch.h"

#include "text/text_error.h"

#include <algorithm>

namespace spexlens::text {

void build_model_batch(const prepared_text & prepared, const model_manifest & manifest, const spex::mask_matrix & masks,
                       model_batch & out) {
    const size_t players = prepared.features.size();
    if (masks.n < 0 || static_cast<size_t>(masks.n) != players) {
        throw text_error("the masks are over " + std::to_string(masks.n) + " players but the text has " +
                         std::to_string(players) + " features");
    }
    const size_t seq = 1 + prepared.token_ids.size();
    out.rows         = masks.count;
    out.seq_length   = seq;
    out.input_ids.resize(masks.count * seq);
    out.attention_mask.resize(masks.count * seq);
    out.head_mask.clear();  // a word explanation ablates no component
    out.mlp_mask.clear();
    out.head_offset.clear();
    out.mlp_offset.clear();

    const bool    by_attention = manifest.masking == MASKING_ATTENTION;
    const int32_t mask_id      = manifest.mask_id;
    for (size_t r = 0; r < masks.count; ++r) {
        int32_t * ids       = out.input_ids.data() + r * seq;
        int32_t * attention = out.attention_mask.data() + r * seq;
        ids[0]              = manifest.cls_id;  // [CLS] is never masked
        std::copy(prepared.token_ids.begin(), prepared.token_ids.end(), ids + 1);
        std::fill(attention, attention + seq, 1);

        const uint64_t * row = masks.row(r);
        for (size_t w = 0; w < masks.words; ++w) {
            // Zero bits are dropped features; the padding bits past n are zero too, so cut them.
            uint64_t     dropped = ~row[w];
            const size_t base    = w * 64;
            if (players - base < 64) {
                dropped &= (uint64_t(1) << (players - base)) - 1;
            }
            while (dropped != 0) {
                const size_t         i    = base + static_cast<size_t>(__builtin_ctzll(dropped));
                const text_feature & f    = prepared.features[i];
                const size_t         from = 1 + f.first_token;  // +1: [CLS] holds position 0
                if (by_attention) {
                    std::fill(attention + from, attention + from + f.token_count, 0);
                } else {
                    std::fill(ids + from, ids + from + f.token_count, mask_id);
                }
                dropped &= dropped - 1;
            }
        }
    }
}

}  // namespace spexlens::text
