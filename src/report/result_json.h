// result_json: one explained session -> the versioned result JSON (docs/result-schema.md).
//
// This is the single serialisation of a result that the CLI, the command-line text explainer
// and the page share ("one JSON schema, documented once"). It takes only engine objects and
// the explanations, never CLI options, files or planted functions; a front end that knows
// more (e.g. the CLI's ground truth) fills the "ground_truth" slot, which is null here.
// Keys keep the documented order (ordered_json); non-finite numbers are written as null.
#pragma once

#include "report/explanations.h"
#include "spex/session.h"

#include <nlohmann/json.hpp>

#include <string>

namespace spexlens {

constexpr const char * result_schema_name    = "spexlens.result";
constexpr int          result_schema_version = 1;

using ordered_json = nlohmann::ordered_json;

// The method as the user names it: "spex", "lime", "kernelshap", "faith-banzhaf-1", ...
std::string method_label(spex::method_kind method, int faith_banzhaf_order);
// The method of a result: as above, "ridge-2" for ridge of order 2, "auto" for auto.
std::string method_label(const spex::solve_result & result);

// A double, or null if it is NaN or infinite (JSON has no such numbers).
ordered_json json_number(double value);

// A feature set as a JSON array of indices.
ordered_json json_set(const spex::feature_set & set);

// Fourier terms as [{"set": [...], "coef": x}, ...] in the given order.
ordered_json json_fourier_terms(const spex::sparse_fourier & f);

// An interaction index as the result's "index" object: {"name", "order", "values": [{"set", "value"}]}.
ordered_json json_index(const spex::interaction_index & index);

// The full result. `config` is the session's configuration (for what solve_result does not
// record, e.g. refine and the requested budget); `version` is the spexlens version string.
ordered_json result_to_json(const spex::session_config & config, const spex::solve_result & result,
                            const explanation_set & explanations, const std::string & version);

}  // namespace spexlens
