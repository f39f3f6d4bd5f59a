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

// The explain-options name of a page_method ("auto", "proxyspex", "ridge-2", "spex-soft" /
// "spex-hard" by decoder 0 / 1, "lime", "kernelshap", "faith-banzhaf-2").
const char * method_option(int method, int decoder);
// The reverse ("spex" too); false for a name the page does not offer.
bool parse_method_option(const std::string & name, int & method, int & decoder);

// A script's request, window.spexlens.explain(options): options_json is a JSON object with the
// keys of docs/page.md ("text", "model", "method", "budget" or "b", "holdout", "seed",
// "maxOrder", "index", "target", "granularity", "players", "ablation", "masking"). Every key is
// checked first — unknown keys, wrong types and values out of range are refused with a message
// naming the key — and only then are s.settings and s.text changed, so a refused request
// changes nothing. Keys left out take the page's defaults for a script (words, the model's own
// masking, auto), not what the controls show. Returns "" when applied.
std::string apply_script_request(const std::string & options_json, app_state & s);

}  // namespace spexlens::app
