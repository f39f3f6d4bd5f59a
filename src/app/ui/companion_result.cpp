// companion_result: a new result replaces the one on screen, but a word result and a component
// result answer different questions about the same text, so the last one of the other kind is
// kept as the companion and shown beside the new one when both are for the same text and
// model (results_view.cpp).
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <utility>

namespace spexlens::app {

void accept_result(app_state & s, loaded_result result) {
    if (s.result && !is_synthetic(*s.result) && s.result->is_components() != result.is_components()) {
        s.companion = std::move(s.result);
    }
    s.result = std::move(result);
    s.whatif = {};
    refresh_index(s);
}

bool companion_matches(const app_state & s) {
    return s.result && s.companion && !is_synthetic(*s.result) && !is_synthetic(*s.companion) &&
           s.result->is_components() != s.companion->is_components() && s.result->text == s.companion->text &&
           s.result->model_sha256 == s.companion->model_sha256;
}

}  // namespace spexlens::app
