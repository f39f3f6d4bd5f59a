// export_formats: see export_formats.h. The JSON export is the received result with two
// changes, so any reader of the result schema reads an export too; docs/result-schema.md
// ("Page exports") documents both and what leaving the text out removes.
#include "app/model/export_formats.h"

#include "app/model/component_facts.h"
#include "report/result_json.h"
#include "spex/interaction_indices.h"

#include <cmath>

namespace spexlens::app {

namespace {

// The players option that gives this result's players ("components:group=8", "heads", ...).
std::string players_of(const loaded_result & result) {
    const component_summary & c = result.component_info;
    component_choice          choice;
    choice.group = c.group;
    choice.set   = c.set == "heads" ? COMPONENTS_HEADS : c.set == "mlp" ? COMPONENTS_NEURONS : COMPONENTS_ALL;
    return players_option(choice);
}

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
    // What the players were and how they were switched off, so a reader of the export need not
    // reconstruct it from "components" (docs/components.md).
    p["players"]  = result.is_components() ? players_of(result) : std::string("text");
    p["ablation"] = result.is_components() ? ordered_json(result.component_info.ablation) : ordered_json(nullptr);
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
        // A component's "text" is its name (L0.H1), not the user's words: it stays.
        const bool drop_feature_text = !result.is_components();
        // The words are the only part of a result that can carry the user's text: drop the text
        // and each feature's span of it. Offsets stay (they reveal word lengths, not words).
        out.erase("text");
        auto features = out.find("features");
        if (features != out.end() && features->is_array()) {
            for (ordered_json & f : *features) {
                if (f.is_object() && drop_feature_text) {
                    f.erase("text");
                }
            }
        }
    }
    out["provenance"] = provenance_json(result, table, options);
    return out.dump(2) + "\n";
}

std::string export_csv(const loaded_result & result, const index_table & table, const export_options & options) {
    // Component names are not the user's text: they are written with or without the text.
    const bool  names = options.include_text || result.is_components();
    std::string out =
        std::string("rank,order,value,features,") + (result.is_components() ? "components" : "words") + "\r\n";
    for (size_t r = 0; r < table.entries.size(); ++r) {
        const index_entry & e = table.entries[r];
        std::string         indices;
        for (int i : e.set) {
            indices += (indices.empty() ? "" : " ") + std::to_string(i);
        }
        const std::string words = names ? join_feature_names(result, e.set, 0, false) : std::string();
        out += std::to_string(r + 1) + "," + std::to_string(e.set.size()) + "," + csv_number(e.value) + "," + indices +
               "," + csv_field(words) + "\r\n";
    }
    return out;
}

std::string export_kind(const loaded_result & result) {
    if (result.is_components()) {
        return "components";
    }
    if (result.granularity == "synthetic") {
        return "planted";
    }
    return result.granularity == "sentence" ? "sentences" : "words";
}

std::string export_file_stem(const loaded_result & result, const std::string & timestamp) {
    std::string model;
    for (const char c : result.model_name) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                           c == '_' || c == '-';
        model += plain ? c : '-';
    }
    if (model.empty()) {
        model = "teaching";
    }
    std::string stem = "spexlens-" + model + "-" + export_kind(result) + "-seed" + std::to_string(result.seed);
    // "2025-01-02T03:04:05.678Z" -> "20250102T030405Z": the first 14 digits are the date and time.
    std::string digits;
    for (const char c : timestamp) {
        if (c >= '0' && c <= '9' && digits.size() < 14) {
            digits += c;
        }
    }
    if (digits.size() == 14) {
        const bool utc = !timestamp.empty() && timestamp.back() == 'Z';
        stem += "-" + digits.substr(0, 8) + "T" + digits.substr(8) + (utc ? "Z" : "");
    }
    return stem;
}

}  // namespace spexlens::app
