// export_bindings: the page's export formats for the command-line explainer (embind). Glue
// only: the formats are src/app/model/export_formats's, tested natively; this reads a result
// back as the page does and hands it over. C++ exceptions become JS Errors with the same message.
//
//   const text = core.shapiqExport(resultJson, JSON.stringify({
//       app_version, timestamp, include_text, runtime: {name, version, backend, threads}}));
//   // shapiq's InteractionValues JSON of the result's own index (its "index" name and order)
#include "app/model/export_formats.h"
#include "app/model/index_table.h"
#include "app/model/loaded_result.h"
#include "spex/interaction_indices.h"
#include "wasm/js_glue.h"

#include <nlohmann/json.hpp>

#include <emscripten/bind.h>
#include <stdexcept>
#include <string>

namespace {

using spexlens::wasm::guarded;

// The export options from {app_version, timestamp, include_text, runtime}; absent keys keep
// their defaults (text included, runtime unknown). A key of the wrong type is refused by name.
spexlens::app::export_options parse_export_options(const std::string & options_json) {
    const nlohmann::json o = nlohmann::json::parse(options_json);
    if (!o.is_object()) {
        throw std::runtime_error("export options: expected a JSON object");
    }
    spexlens::app::export_options out;
    out.app_version  = o.value("app_version", std::string());
    out.timestamp    = o.value("timestamp", std::string());
    out.include_text = o.value("include_text", true);
    if (o.contains("runtime") && o["runtime"].is_object()) {
        const nlohmann::json & r = o["runtime"];
        out.runtime.name         = r.value("name", std::string());
        out.runtime.version      = r.value("version", std::string());
        out.runtime.backend      = r.value("backend", std::string());
        out.runtime.threads      = r.value("threads", 0);
    }
    return out;
}

// shapiq's InteractionValues JSON of a result's own index ("index": name and order), as the
// page's *shapiq* export writes it (export_shapiq_json). The Fourier index is refused there.
std::string shapiq_export(const std::string & result_json, const std::string & options_json) {
    return guarded([&] {
        const spexlens::app::loaded_result result = spexlens::app::parse_result(result_json);
        const auto &                       index  = result.json.at("index");
        spex::index_kind                   kind   = spex::INDEX_FSII;
        if (!spex::parse_index_kind(index.at("name").get<std::string>(), kind)) {
            throw std::runtime_error("the result's index \"" + index.at("name").get<std::string>() +
                                     "\" is not one of " + spex::index_kind_list());
        }
        const spexlens::app::index_table table =
            spexlens::app::compute_index_table(result, kind, index.at("order").get<int>());
        return spexlens::app::export_shapiq_json(result, table, parse_export_options(options_json));
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(spexlens_export) { emscripten::function("shapiqExport", &shapiq_export); }
