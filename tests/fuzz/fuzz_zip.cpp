// fuzz_zip: a model folder's .zip (src/text/zip_archive): list it, then extract every file.
#include "fuzz_support.h"
#include "text/text_error.h"
#include "text/zip_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    const std::string          bytes = fuzz::bytes(data, size);
    spexlens::text::zip_limits limits;
    limits.max_entries     = 1000;
    limits.max_entry_bytes = 1u << 20;
    try {
        const spexlens::text::zip_archive archive(
            bytes.size(),
            [&](uint64_t offset, size_t length) {
                if (offset > bytes.size() || length > bytes.size() - offset) {
                    std::abort();  // the reader must never ask past the end
                }
                return bytes.substr(static_cast<size_t>(offset), length);
            },
            limits);
        for (const auto & entry : archive.entries()) {
            try {
                if (archive.extract(entry.path).size() != entry.size) {
                    std::abort();
                }
            } catch (const spexlens::text::text_error &) {
            }
        }
    } catch (const spexlens::text::text_error &) {
    }
    return 0;
}
