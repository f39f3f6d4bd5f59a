// run_request: the request a run sends to the worker — the model key, the text and the
// explainer options (docs/text-explainer.md keys, plus "players" and "ablation" for component
// explanations, docs/components.md) — built from the controls. Native, so it is tested
// without a browser; the web glue (browser_bridge.cpp) sends it unchanged.
#pragma once

#include "app/ui/app_state.h"

#include <string>

namespace spexlens::app {

// {"model", "text", "options": {...}}.
std::string run_request_json(const app_state & s);

}  // namespace spexlens::app
