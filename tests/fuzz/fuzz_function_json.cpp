// fuzz_function_json: a planted function file (`spexlens solve --function`).
#include "fuzz_support.h"
#include "planted/function_json.h"
#include "spex/spex_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    try {
        (void)spexlens::parse_function_json(fuzz::bytes(data, size));
    } catch (const spexlens::function_format_error &) {
    } catch (const spex::spex_error &) {
    }
    return 0;
}
