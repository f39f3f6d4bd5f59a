// fuzz_run_request: the page's hook request, window.spexlens.explain(options), through
// apply_script_request (src/app/ui/run_request.h) against a page state holding two models, one
// of them with ablatable components. A refused request must leave the state as it was; an
// accepted one must build the worker's request JSON.
#include "app/ui/app_state.h"
#include "app/ui/run_request.h"
#include "fuzz_support.h"

#include <cstdlib>

namespace {

spexlens::app::app_state make_state() {
    spexlens::app::app_state   s;
    spexlens::app::model_entry spam;
    spam.key            = "spam-transformer";
    spam.labels         = {"ham", "spam"};
    spam.default_target = "spam:log-odds";
    spam.masking        = "attention";
    spam.max_length     = 128;
    spexlens::app::model_entry custom;
    custom.key     = "custom:folder";
    custom.labels  = {"a", "b", "c"};
    custom.custom  = true;
    custom.masking = "remove";
    s.models       = {spam, custom};
    s.text         = "the text before the request";
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    spexlens::app::app_state s       = make_state();
    const std::string        problem = spexlens::app::apply_script_request(fuzz::bytes(data, size), s);
    if (!problem.empty()) {
        // Refused: nothing half-applied.
        const spexlens::app::app_state before = make_state();
        if (s.text != before.text || s.settings.model_key != before.settings.model_key ||
            s.settings.seed != before.settings.seed) {
            std::abort();
        }
        return 0;
    }
    (void)spexlens::app::run_request_json(s);
    return 0;
}
