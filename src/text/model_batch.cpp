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
    const sequence_frame & frame  = prepared.frame;
    const size_t           before = frame.before.size();
    const size_t           used   = prepared.token_ids.size();
    const size_t           seq    = before + used + frame.after.size();
    out.rows                      = masks.count;
    out.seq_length                = seq;
    out.input_ids.resize(masks.count * seq);
    out.attention_mask.resize(masks.count * seq);
    const bool types     = manifest.input_with_role(INPUT_TOKEN_TYPE_IDS) != nullptr;
    const bool positions = manifest.input_with_role(INPUT_POSITION_IDS) != nullptr;
    out.token_type_ids.resize(types ? masks.count * seq : 0);
    out.position_ids.resize(positions ? masks.count * seq : 0);
    out.head_mask.clear();  // a word explanation ablates no component
    out.mlp_mask.clear();
    out.head_offset.clear();
    out.mlp_offset.clear();

    // The unmasked row, its type ids, and whether each text token is dropped in this row.
    std::vector<int32_t> full_ids(seq), full_types(seq);
    std::copy(frame.before.begin(), frame.before.end(), full_ids.begin());
    std::copy(prepared.token_ids.begin(), prepared.token_ids.end(), full_ids.begin() + before);
    std::copy(frame.after.begin(), frame.after.end(), full_ids.begin() + before + used);
    std::copy(frame.before_types.begin(), frame.before_types.end(), full_types.begin());
    std::fill(full_types.begin() + before, full_types.begin() + before + used, frame.type_id);
    std::copy(frame.after_types.begin(), frame.after_types.end(), full_types.begin() + before + used);
    std::vector<char> dropped_token(used);

    for (size_t r = 0; r < masks.count; ++r) {
        int32_t * ids       = out.input_ids.data() + r * seq;
        int32_t * attention = out.attention_mask.data() + r * seq;
        int32_t * type_ids  = types ? out.token_type_ids.data() + r * seq : nullptr;
        std::copy(full_ids.begin(), full_ids.end(), ids);
        std::fill(attention, attention + seq, 1);
        if (type_ids != nullptr) {
            std::copy(full_types.begin(), full_types.end(), type_ids);
        }
        if (positions) {
            int32_t * pos = out.position_ids.data() + r * seq;
            for (size_t k = 0; k < seq; ++k) {
                pos[k] = static_cast<int32_t>(k);
            }
        }

        bool             any_dropped = false;
        const uint64_t * row         = masks.row(r);
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
                const size_t         from = before + f.first_token;
                switch (manifest.masking) {
                case MASKING_ATTENTION:
                    std::fill(attention + from, attention + from + f.token_count, 0);
                    break;
                case MASKING_MASK_TOKEN:
                    std::fill(ids + from, ids + from + f.token_count, frame.mask_id);
                    break;
                case MASKING_REMOVE:
                    if (!any_dropped) {
                        std::fill(dropped_token.begin(), dropped_token.end(), 0);
                        any_dropped = true;
                    }
                    std::fill(dropped_token.begin() + static_cast<std::ptrdiff_t>(f.first_token),
                              dropped_token.begin() + static_cast<std::ptrdiff_t>(f.first_token + f.token_count), 1);
                    break;
                }
                dropped &= dropped - 1;
            }
        }
        if (manifest.masking == MASKING_REMOVE && any_dropped) {
            // Keep the kept tokens in order, then the specials after, then padding.
            size_t at = before;
            for (size_t k = 0; k < used; ++k) {
                if (!dropped_token[k]) {
                    ids[at] = prepared.token_ids[k];
                    if (type_ids != nullptr) {
                        type_ids[at] = frame.type_id;
                    }
                    ++at;
                }
            }
            for (size_t k = 0; k < frame.after.size(); ++k, ++at) {
                ids[at] = frame.after[k];
                if (type_ids != nullptr) {
                    type_ids[at] = frame.after_types[k];
                }
            }
            for (; at < seq; ++at) {
                ids[at]       = frame.pad_id;
                attention[at] = 0;
                if (type_ids != nullptr) {
                    type_ids[at] = 0;
                }
            }
        }
    }
}

}  // namespace spexlens::text
