// fuzz_manifest: model.json (src/text/model_manifest) and, when it parses, the tokenizer it
// names built over a fixed vocabulary; then a config.json through derive_manifest.
#include "fuzz_support.h"
#include "spex/spex_error.h"
#include "text/exported_folder.h"
#include "text/model_manifest.h"
#include "text/model_tokenizer.h"
#include "text/text_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    static const std::string vocab          = fuzz::source_file("models/spam-transformer/vocab.txt");
    static const std::string bert_tokenizer = fuzz::source_file("models/spam-bert/tokenizer.json");
    const std::string        text           = fuzz::bytes(data, size);
    try {
        const auto manifest = spexlens::text::parse_manifest(text);
        (void)spexlens::text::model_tokenizer::from_file(manifest, vocab);
    } catch (const spexlens::text::text_error &) {
    } catch (const spex::spex_error &) {
    }
    // The same bytes as a folder's config.json.
    spexlens::text::exported_folder folder;
    folder.name           = "fuzz";
    folder.config_json    = text;
    folder.tokenizer_json = bert_tokenizer;
    folder.onnx_file      = "model.onnx";
    folder.onnx_sha256    = std::string(64, 'a');
    folder.inputs         = {{"input_ids", "int64", {-1, -1}}, {"attention_mask", "int64", {-1, -1}}};
    folder.outputs        = {{"logits", "float32", {-1, 2}}};
    try {
        (void)spexlens::text::derive_manifest(folder);
    } catch (const spexlens::text::text_error &) {
    } catch (const spex::spex_error &) {
    }
    return 0;
}
