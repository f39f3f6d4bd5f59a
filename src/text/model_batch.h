// model_batch: engine masks -> the tensors one model call takes. Every input of one text has
// the same shape, the frame's specials before ([CLS]) + the used tokens + the frame's specials
// after ([SEP]), so a batch is one dense block. A masked feature's tokens get attention 0 or the
// [MASK] id (positions never move), or under removal are deleted: the later tokens move up and
// the row ends in padding with attention 0.
//
// Dropped tokens (attention masking, a model with position_ids, manifest.drop_masked_tokens): a
// masked feature's tokens are left out and every kept token keeps its position id, so the row
// is what attention masking gives on fewer tokens. The batch is as long as its longest row
// (seq_length varies from batch to batch); shorter rows end in padding with attention 0.
#pragma once

#include "spex/mask_matrix.h"
#include "text/model_manifest.h"
#include "text/prepared_text.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spexlens::text {

struct model_batch {
    size_t               rows       = 0;
    size_t               seq_length = 0;  // frame + prepared.token_ids.size() (less when tokens are dropped)
    std::vector<int32_t> input_ids;       // rows * seq_length, row-major
    std::vector<int32_t> attention_mask;  // rows * seq_length
    // Only when the manifest has these inputs (empty otherwise): rows * seq_length.
    std::vector<int32_t> token_type_ids;  // the frame's type ids; padding 0
    std::vector<int32_t> position_ids;    // 0, 1, 2, ... in every row; each kept token's own when dropping

    // Component explanations only (src/components), in the manifest's shapes with batch = rows;
    // empty otherwise, and the caller feeds ones (masks) or zeros (offsets).
    std::vector<float> head_mask;    // rows * layers * heads
    std::vector<float> mlp_mask;     // rows * layers * ff
    std::vector<float> head_offset;  // rows * layers * heads * head_dim
    std::vector<float> mlp_offset;   // rows * layers * ff

    // Server-text models only (text/server_text.h): one masked text per row; the tensors above
    // are empty and seq_length is 0.
    std::vector<std::string> texts;
};

// Fills `out` (reusing its storage) for masks over prepared.features.size() players. Bit i of
// a mask set = feature i kept. The frame's specials are always kept. Throws text_error if
// masks.n differs.
void build_model_batch(const prepared_text & prepared, const model_manifest & manifest, const spex::mask_matrix & masks,
                       model_batch & out);

// True when build_model_batch leaves masked tokens out of the rows for this manifest (attention
// masking, a position_ids input, drop_masked_tokens on).
bool drops_masked_tokens(const model_manifest & manifest);

}  // namespace spexlens::text
