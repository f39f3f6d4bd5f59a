// model_batch: see model_batch.h. One explanation builds ~5,000 rows of ~130 positions, so a
// row is a copy of the unmasked template followed by writes over the dropped features' token
// ranges only, found by scanning the mask's zero bits a 64-bit word at a time. No allocation
// happens per row, and none at all once `out` has grown to the batch size.
#include "text/model_batch.h"

#include "text/text_error.h"

#include <algorithm>

namespace spexlens::text {

bool drops_masked_tokens(const model_manifest & manifest) {
    return manifest.drop_masked_tokens && manifest.masking == MASKING_ATTENTION &&
           manifest.input_with_role(INPUT_POSITION_IDS) != nullptr;
}

namespace {

// Calls visit(i) for every feature i that row r of `masks` drops (a zero bit), in order.
template <typename Visit>
void for_each_dropped(const spex::mask_matrix & masks, size_t r, size_t players, Visit visit) {
    const uint64_t * row = masks.row(r);
    for (size_t w = 0; w < masks.words; ++w) {
        // Zero bits are dropped features; the padding bits past n are zero too, so cut them.
        uint64_t     dropped = ~row[w];
        const size_t base    = w * 64;
        if (players - base < 64) {
            dropped &= (uint64_t(1) << (players - base)) - 1;
        }
        while (dropped != 0) {
            visit(base + static_cast<size_t>(__builtin_ctzll(dropped)));
            dropped &= dropped - 1;
        }
    }
}

// The dropped-tokens layout (model_batch.h): each row holds the specials before, the kept
// tokens and the specials after, each with its position in the whole text, then padding
// (attention 0, position 0) up to the batch's longest row.
void build_dropped_rows(const prepared_text & prepared, const model_manifest & manifest,
                        const spex::mask_matrix & masks, model_batch & out) {
    const sequence_frame & frame   = prepared.frame;
    const size_t           before  = frame.before.size();
    const size_t           used    = prepared.token_ids.size();
    const size_t           after   = frame.after.size();
    const size_t           players = prepared.features.size();
    const bool             types   = manifest.input_with_role(INPUT_TOKEN_TYPE_IDS) != nullptr;

    // Which text tokens each row keeps, and the longest row.
    std::vector<char> kept_token(masks.count * used, 1);
    size_t            longest = masks.count == 0 ? 0 : before + after;
    for (size_t r = 0; r < masks.count; ++r) {
        char * kept  = kept_token.data() + r * used;
        size_t count = used;
        for_each_dropped(masks, r, players, [&](size_t i) {
            const text_feature & f = prepared.features[i];
            std::fill(kept + f.first_token, kept + f.first_token + f.token_count, 0);
            count -= f.token_count;
        });
        longest = std::max(longest, before + count + after);
    }

    const size_t seq = longest;
    out.rows         = masks.count;
    out.seq_length   = seq;
    out.input_ids.assign(masks.count * seq, frame.pad_id);
    out.attention_mask.assign(masks.count * seq, 0);
    out.token_type_ids.assign(types ? masks.count * seq : 0, 0);
    out.position_ids.assign(masks.count * seq, 0);
    for (size_t r = 0; r < masks.count; ++r) {
        int32_t *    ids       = out.input_ids.data() + r * seq;
        int32_t *    attention = out.attention_mask.data() + r * seq;
        int32_t *    pos       = out.position_ids.data() + r * seq;
        int32_t *    type_ids  = types ? out.token_type_ids.data() + r * seq : nullptr;
        const char * kept      = kept_token.data() + r * used;
        size_t       at        = 0;
        auto         put       = [&](int32_t id, size_t position, int32_t type) {
            ids[at]       = id;
            attention[at] = 1;
            pos[at]       = static_cast<int32_t>(position);
            if (type_ids != nullptr) {
                type_ids[at] = type;
            }
            ++at;
        };
        for (size_t k = 0; k < before; ++k) {
            put(frame.before[k], k, frame.before_types[k]);
        }
        for (size_t k = 0; k < used; ++k) {
            if (kept[k]) {
                put(prepared.token_ids[k], before + k, frame.type_id);
            }
        }
        for (size_t k = 0; k < after; ++k) {
            put(frame.after[k], before + used + k, frame.after_types[k]);
        }
    }
}

// The unmasked row (the frame's specials around the text's tokens) and its type ids.
void full_row(const prepared_text & prepared, std::vector<int32_t> & full_ids, std::vector<int32_t> & full_types) {
    const sequence_frame & frame  = prepared.frame;
    const size_t           before = frame.before.size();
    const size_t           used   = prepared.token_ids.size();
    const size_t           seq    = before + used + frame.after.size();
    full_ids.resize(seq);
    full_types.resize(seq);
    std::copy(frame.before.begin(), frame.before.end(), full_ids.begin());
    std::copy(prepared.token_ids.begin(), prepared.token_ids.end(), full_ids.begin() + before);
    std::copy(frame.after.begin(), frame.after.end(), full_ids.begin() + before + used);
    std::copy(frame.before_types.begin(), frame.before_types.end(), full_types.begin());
    std::fill(full_types.begin() + before, full_types.begin() + before + used, frame.type_id);
    std::copy(frame.after_types.begin(), frame.after_types.end(), full_types.begin() + before + used);
}

// Removes the dropped text tokens from a row of seq ids: the kept tokens in order, then the
// specials after, then padding (attention 0, type 0).
void compact_row(const prepared_text & prepared, const std::vector<char> & dropped_token, size_t seq, int32_t * ids,
                 int32_t * attention, int32_t * type_ids) {
    const sequence_frame & frame  = prepared.frame;
    const size_t           before = frame.before.size();
    const size_t           used   = prepared.token_ids.size();
    size_t                 at     = before;
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

}  // namespace

void build_model_batch(const prepared_text & prepared, const model_manifest & manifest, const spex::mask_matrix & masks,
                       model_batch & out) {
    const size_t players = prepared.features.size();
    if (masks.n < 0 || static_cast<size_t>(masks.n) != players) {
        throw text_error("the masks are over " + std::to_string(masks.n) + " players but the text has " +
                         std::to_string(players) + " features");
    }
    out.head_mask.clear();  // a word explanation ablates no component
    out.mlp_mask.clear();
    out.head_offset.clear();
    out.mlp_offset.clear();
    if (drops_masked_tokens(manifest)) {
        build_dropped_rows(prepared, manifest, masks, out);
        return;
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

    // The unmasked row, its type ids, and whether each text token is dropped in this row.
    std::vector<int32_t> full_ids, full_types;
    full_row(prepared, full_ids, full_types);
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

        bool any_dropped = false;
        for_each_dropped(masks, r, players, [&](size_t i) {
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
        });
        if (manifest.masking == MASKING_REMOVE && any_dropped) {
            compact_row(prepared, dropped_token, seq, ids, attention, type_ids);
        }
    }
}

}  // namespace spexlens::text
