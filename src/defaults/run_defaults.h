// run_defaults: the defaults of a run, written once (a header-only library below explain and the
// app, so both read the same constants). The command-line explainer's come into
// force through parse_explain_options (a key left out takes its value from cli_run_defaults);
// the page's through run_settings (src/app/ui/app_state.h), the hook window.spexlens.explain
// (apply_script_request: a key left out takes the page's default, not what the controls show)
// and page_default_options_json, which the page's worker and the benchmarks read from the core
// (core.pageDefaultOptions()). No JavaScript file writes a default of its own.
#pragma once

#include <cstdint>
#include <string>

namespace spexlens {

struct run_defaults {
    const char * method;            // "auto": ProxySPEX or ridge, chosen by cross-validation
    int64_t      calls;             // model calls of a uniform-design method (auto, proxyspex, ridge)
    int          holdout;           // held-out masks for the faithfulness R^2
    int          spex_b;            // b of SPEX and the baselines for words or sentences
    int          component_spex_b;  // b of SPEX and the baselines for components
    int          max_order;         // order of the interaction index
    const char * index;             // index name as parse_index_kind reads it
    uint64_t     seed;
    bool         early_results;  // snapshots while the calls come in
};

// The command line: every held-out mask it can afford (1,000 measure R^2 within about 0.007), no
// early results (a result file is written once), SPEX at spectral-explain's b = 8.
// (component_spex_b: the command line uses spex_b for components too.)
inline constexpr run_defaults cli_run_defaults{"auto", 4000, 1000, 8, 8, 2, "fsii", 0, false};

// The page: 500 held-out masks (R^2 within about 0.01) so a 60-word e-mail fits the time a
// presenter waits, early results on, SPEX at b = 5 for words and 6 for the 40 components of the
// shipped model (docs/benchmarks.md "The page", docs/components.md).
inline constexpr run_defaults page_run_defaults{"auto", 4000, 500, 5, 6, 2, "fsii", 0, true};

// The page's default run as explain options (docs/text-explainer.md): {"method": "auto",
// "budget": 4000, "holdout": 500, "max_order": 2, "index": "fsii", "seed": 0, "features": "word",
// "early_results": true}.
inline std::string page_default_options_json() {
    const run_defaults & d = page_run_defaults;
    return std::string("{\"method\": \"") + d.method + "\", \"budget\": " + std::to_string(d.calls) +
           ", \"holdout\": " + std::to_string(d.holdout) + ", \"max_order\": " + std::to_string(d.max_order) +
           ", \"index\": \"" + d.index + "\", \"seed\": " + std::to_string(d.seed) +
           ", \"features\": \"word\", \"early_results\": " + (d.early_results ? "true" : "false") + "}";
}

}  // namespace spexlens
