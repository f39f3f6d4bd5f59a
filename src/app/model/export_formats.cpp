// export_formats: see export_formats.h. The JSON export is the received result with two
// changes, so any reader of the result schema reads an export too; docs/result-schema.md
// ("Page exports") documents both and what leaving the text out removes.
#include "app/model/export_formats.h"

#include "report/result_json.h"
#include "spex/interaction_indices.h"

#include <cmath>

namespace spexlens::app {

namespace {

ordered_json provenance_json(const loaded_result & result, const index_table & table, const export_options & options) {
    ordered_json p;
    p["app"]         = "spexlens";
    p["app_version"] = options.app_version;
    p["exported_at"] = options.timestamp;
    if (result.model_name.empty()) {
        p["model"] = nullptr;  // a planted function: no model was called
    } else {
        ordered_json model;
        model["name"]   = result.model_name;
        model["sha256"] = result.model_sha256;
        p["model"]      = model;
    }
    p["seed"]    = result.seed;
    p["budget"]  = result.budget > 0 ? ordered_json(result.budget) : ordered_json(nullptr);
    p["b"]       = result.b;
    p["queries"] = result.queries;
    ordered_json shown;
    shown["name"]      = spex::index_kind_name(table.kind);
    shown["order"]     = table.order;
    p["index_shown"]   = shown;
    p["text_included"] = options.include_text;
    return p;
}

// A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break. A word that
// a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe.
std::string csv_field(const std::string & text) {
    const bool  formula = !text.empty() && std::string("=+-@").find(text[0]) != std::string::npos;
    std::string s       = formula ? "'" + text : text;
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    return out + "\"";
}

// Shortest text that reads back as the same double (nlohmann's formatting); empty if not finite.
std::string csv_number(double value) { return std::isfinite(value) ? ordered_json(value).dump() : std::string(); }

}  // namespace

std::string export_json(const loaded_result & result, const index_table & table, const export_options & options) {
    ordered_json out = result.json;
    out["index"]     = json_index(table.index);
    if (!options.include_text) {
        // The words are the only part of a result that can carry the user's text: drop the text
        // and each feature's span of it. Offsets stay (they reveal word lengths, not words).
        out.erase("text");
        auto features = out.find("features");
        if (features != out.end() && features->is_array()) {
            for (ordered_json & f : *features) {
                if (f.is_object()) {
                    f.erase("text");
                }
            }
        }
    }
    out["provenance"] = provenance_json(result, table, options);
    return out.dump(2) + "\n";
}

std::string export_csv(const loaded_result & result, const index_table & table, const export_options & options) {
    std::string out = "rank,order,value,features,words\r\n";
    for (size_t r = 0; r < table.entries.size(); ++r) {
        const index_entry & e = table.entries[r];
        std::string         indices;
        for (int i : e.set) {
            indices += (indices.empty() ? "" : " ") + std::to_string(i);
        }
        const std::string words = options.include_text ? join_feature_names(result, e.set, 0) : std::string();
        out += std::to_string(r + 1) + "," + std::to_string(e.set.size()) + "," + csv_number(e.value) + "," + indices +
               "," + csv_field(words) + "\r\n";
    }
    return out;
}

}  // namespace spexlens::app
