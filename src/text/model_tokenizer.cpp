// model_tokenizer: see model_tokenizer.h.
#include "text/model_tokenizer.h"

#include "spex/spex_error.h"
#include "text/text_error.h"

namespace spexlens::text {

namespace {

void check_id(int32_t id, size_t vocab_size, const char * what) {
    if (id < 0 || static_cast<size_t>(id) >= vocab_size) {
        throw text_error(std::string("model.json: tokenizer.special_ids.") + what + ": id " + std::to_string(id) +
                         " is outside the vocabulary (" + spex::with_commas(static_cast<long long>(vocab_size)) +
                         " tokens)");
    }
}

}  // namespace

model_tokenizer model_tokenizer::words_v1(const model_manifest & manifest, vocabulary vocab) {
    model_tokenizer t;
    t.vocab_              = std::move(vocab);
    t.frame_.before       = {manifest.cls_id};
    t.frame_.before_types = {0};
    t.frame_.pad_id       = manifest.pad_id;
    t.frame_.mask_id      = manifest.mask_id;
    return t;
}

model_tokenizer model_tokenizer::from_file(const model_manifest & manifest, std::string_view contents) {
    if (!manifest.hf_tokenizer()) {
        return words_v1(manifest, vocabulary::from_text(contents));
    }
    model_tokenizer t;
    t.hf_                      = hf::tokenizer::parse(contents);
    const hf::tokenizer & hf   = *t.hf_;
    const auto &          tmpl = hf.post_processor();
    for (const hf::special_piece & s : tmpl.prefix) {
        t.frame_.before.push_back(s.id);
        t.frame_.before_types.push_back(s.type_id);
    }
    for (const hf::special_piece & s : tmpl.suffix) {
        t.frame_.after.push_back(s.id);
        t.frame_.after_types.push_back(s.type_id);
    }
    t.frame_.type_id = tmpl.sequence_type_id;

    // [PAD] and [MASK]: the manifest's, else the tokenizer's by the usual token strings.
    auto find = [&hf](std::initializer_list<const char *> names, int32_t & id) {
        for (const char * n : names) {
            if (hf.token_to_id(n, id)) {
                return true;
            }
        }
        return false;
    };
    const size_t size = hf.vocab_size();
    if (manifest.pad_id >= 0) {
        check_id(manifest.pad_id, size, "pad");
        t.frame_.pad_id = manifest.pad_id;
    } else if (!find({"[PAD]", "<pad>", "<|pad|>", "<|endoftext|>"}, t.frame_.pad_id)) {
        t.frame_.pad_id = 0;  // padded positions get attention 0; their id is never attended
    }
    if (manifest.mask_id >= 0) {
        check_id(manifest.mask_id, size, "mask");
        t.frame_.mask_id = manifest.mask_id;
    } else if (!find({"[MASK]", "<mask>", "<|mask|>"}, t.frame_.mask_id)) {
        t.frame_.mask_id = -1;
    }
    if (manifest.masking == MASKING_MASK_TOKEN && t.frame_.mask_id < 0) {
        throw text_error("model.json: masking: mask_token needs a mask token, and tokenizer.json has none of [MASK], "
                         "<mask>; set tokenizer.special_ids.mask or use masking attention or remove");
    }
    return t;
}

size_t model_tokenizer::vocab_size() const { return hf_ ? hf_->vocab_size() : vocab_.size(); }

}  // namespace spexlens::text
