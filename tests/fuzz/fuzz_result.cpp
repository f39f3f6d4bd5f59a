// fuzz_result: a result JSON read back by the page (src/app/model/loaded_result), and the
// surrogate evaluated at two masks when it reads.
#include "app/model/loaded_result.h"
#include "fuzz_support.h"
#include "spex/spex_error.h"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    try {
        const auto result = spexlens::app::parse_result(fuzz::bytes(data, size));
        (void)result;
    } catch (const spex::spex_error &) {
    } catch (const std::runtime_error &) {  // parse_result's own messages
    }
    return 0;
}
