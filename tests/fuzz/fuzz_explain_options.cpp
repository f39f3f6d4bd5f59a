// fuzz_explain_options: the explain options JSON the page and the CLI hand the core.
#include "explain/explain_options.h"
#include "fuzz_support.h"
#include "spex/spex_error.h"
#include "text/text_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    try {
        (void)spexlens::parse_explain_options(fuzz::bytes(data, size));
    } catch (const spexlens::text::text_error &) {
    } catch (const spex::spex_error &) {
    }
    return 0;
}
