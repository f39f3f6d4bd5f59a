// export_formats: see export_formats.h. The JSON export is the received result with two
// changes, so any reader of the result schema reads an export too; docs/result-schema.md
// ("Page exports") documents both and what leaving the text out removes.
//
// Index
//   [SECTION] provenance and CSV fields
//   [SECTION] JSON and CSV exports
//   [SECTION] file names and the figure's PNG text
//   [SECTION] PNG chunks: iTXt text in a PNG
//   [SECTION] shapiq export
#include "app/model/export_formats.h"

#include "app/model/component_facts.h"
#include "report/result_json.h"
#include "spex/interaction_indices.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <utility>
#include <zlib.h>

namespace spexlens::app {

// [SECTION] provenance and CSV fields

namespace {

// The players option that gives this result's players ("components:group=8", "heads", ...).
std::string players_of(const loaded_result & result) {
    const component_summary & c = result.component_info;
    component_choice          choice;
    choice.group = c.group;
    choice.set   = c.set == "heads" ? COMPONENT_SET_HEADS
                   : c.set == "mlp" ? COMPONENT_SET_MLP
                                    : COMPONENT_SET_HEADS_AND_MLP;
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
    // Who answered the model calls: none for a planted function, unknown when not reported.
    if (!result.model_name.empty() && !options.runtime.name.empty()) {
        ordered_json runtime;
        runtime["name"]    = options.runtime.name;
        runtime["version"] = options.runtime.version;
        runtime["backend"] = options.runtime.backend;
        runtime["threads"] = options.runtime.threads;
        p["runtime"]       = runtime;
    } else {
        p["runtime"] = nullptr;
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

// [SECTION] JSON and CSV exports

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

// [SECTION] file names and the figure's PNG text

std::string export_kind(const loaded_result & result) {
    if (result.is_components()) {
        return "components";
    }
    if (result.granularity == "synthetic") {
        return "planted";
    }
    return result.granularity == "sentence" ? "sentences" : "words";
}

std::string file_name_part(const std::string & name) {
    std::string out;
    for (const char c : name) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                           c == '_' || c == '-';
        out += plain ? c : '-';
    }
    return out;
}

std::string file_time_part(const std::string & timestamp) {
    // "2025-01-02T03:04:05.678Z" -> "20250102T030405Z": the first 14 digits are the date and time.
    std::string digits;
    for (const char c : timestamp) {
        if (c >= '0' && c <= '9' && digits.size() < 14) {
            digits += c;
        }
    }
    if (digits.size() != 14) {
        return "";
    }
    const bool utc = !timestamp.empty() && timestamp.back() == 'Z';
    return digits.substr(0, 8) + "T" + digits.substr(8) + (utc ? "Z" : "");
}

std::string export_file_stem(const loaded_result & result, const std::string & timestamp) {
    std::string model = file_name_part(result.model_name);
    if (model.empty()) {
        model = "teaching";
    }
    std::string       stem = "spexlens-" + model + "-" + export_kind(result) + "-seed" + std::to_string(result.seed);
    const std::string time = file_time_part(timestamp);
    if (!time.empty()) {
        stem += "-" + time;
    }
    return stem;
}

std::vector<png_text> png_provenance(const loaded_result & result, const index_table & table,
                                     const export_options & options) {
    std::vector<png_text> out;
    const bool            planted = result.model_name.empty();
    out.push_back({"Title", planted ? "spexlens: a planted function of " + std::to_string(result.n) + " features"
                                    : "spexlens: " + result.model_name + ", " + std::to_string(result.n) + " " +
                                          export_kind(result)});
    out.push_back({"Software", "spexlens " + options.app_version});
    if (!options.timestamp.empty()) {
        out.push_back({"Creation Time", options.timestamp});
    }
    std::string description = decision_sentence(result);
    char        r2[64]      = "faithfulness R\xC2\xB2 (held out): n/a";
    if (std::isfinite(result.r2)) {
        std::snprintf(r2, sizeof r2, "faithfulness R\xC2\xB2 (held out): %.3f", result.r2);
    }
    description += std::string(description.empty() ? "" : " ") + r2 + ".";
    if (!result.interpretation.empty()) {
        description += " " + result.interpretation;
    }
    out.push_back({"Description", description});
    out.push_back({"Source", planted ? std::string("a planted function (teaching mode)")
                                     : "model " + result.model_name + ", ONNX sha256 " + result.model_sha256});
    const std::string method = result.chosen_method.empty() || result.chosen_method == result.method
                                   ? result.method
                                   : result.method + " (chose " + result.chosen_method + ")";
    out.push_back({"Comment", "method " + method + ", seed " + std::to_string(result.seed) + ", " +
                                  std::to_string(result.queries) + " model calls, index " +
                                  spex::index_kind_name(table.kind) + " up to order " + std::to_string(table.order)});
    out.push_back({"spexlens-provenance", provenance_json(result, table, options).dump()});
    return out;
}

// [SECTION] PNG chunks: iTXt text in a PNG

namespace {

uint32_t read_be32(const std::string & s, size_t at) {
    return uint32_t(uint8_t(s[at])) << 24 | uint32_t(uint8_t(s[at + 1])) << 16 | uint32_t(uint8_t(s[at + 2])) << 8 |
           uint32_t(uint8_t(s[at + 3]));
}

void write_be32(std::string & out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(char((v >> shift) & 0xFF));
    }
}

// A PNG chunk: length, type, data, CRC-32 of type + data (zlib's crc32, the PNG specification's).
void write_chunk(std::string & out, const char type[4], const std::string & data) {
    if (data.size() > 0x7FFFFFFFu) {
        throw std::runtime_error("PNG: a text chunk is larger than PNG allows");
    }
    write_be32(out, uint32_t(data.size()));
    const std::string body = std::string(type, 4) + data;
    out += body;
    write_be32(out, uint32_t(crc32(0L, reinterpret_cast<const Bytef *>(body.data()), uInt(body.size()))));
}

}  // namespace

std::string png_with_text(const std::string & png, const std::vector<png_text> & texts) {
    static const std::string signature("\x89PNG\r\n\x1A\n", 8);
    if (png.size() < 8 + 12 + 13 || png.compare(0, 8, signature) != 0) {
        throw std::runtime_error("PNG: not a PNG file (no PNG signature)");
    }
    if (read_be32(png, 8) != 13 || png.compare(12, 4, "IHDR") != 0) {
        throw std::runtime_error("PNG: the first chunk is not a 13-byte IHDR");
    }
    // Walk every chunk: the lengths must add up to the file, ending with IEND.
    size_t at  = 8;
    bool   end = false;
    while (at < png.size()) {
        if (png.size() - at < 12) {
            throw std::runtime_error("PNG: a chunk is cut off at byte " + std::to_string(at));
        }
        const uint32_t length = read_be32(png, at);
        if (length > png.size() - at - 12) {
            throw std::runtime_error("PNG: a chunk at byte " + std::to_string(at) + " runs past the end of the file");
        }
        end = png.compare(at + 4, 4, "IEND") == 0;
        at += 12 + size_t(length);
        if (end) {
            break;
        }
    }
    if (!end) {
        throw std::runtime_error("PNG: no IEND chunk");
    }
    std::string out = png.substr(0, 8 + 12 + 13);
    for (const png_text & t : texts) {
        const bool printable = std::all_of(t.keyword.begin(), t.keyword.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u >= 32 && u <= 126;
        });
        if (t.keyword.empty() || t.keyword.size() > 79 || !printable || t.keyword.front() == ' ' ||
            t.keyword.back() == ' ' || t.keyword.find("  ") != std::string::npos) {
            throw std::runtime_error("PNG: \"" + t.keyword + "\" is not a valid text keyword");
        }
        // iTXt: keyword, 0, compression flag 0, method 0, no language tag, no translated keyword, text.
        std::string data = t.keyword;
        data.push_back('\0');
        data.push_back('\0');
        data.push_back('\0');
        data.push_back('\0');
        data.push_back('\0');
        data += t.text;
        write_chunk(out, "iTXt", data);
    }
    out.append(png, 8 + 12 + 13, at - (8 + 12 + 13));
    return out;
}

// [SECTION] shapiq export

namespace {

// shapiq's name of an index, or nullptr when shapiq has none (the Fourier index).
const char * shapiq_index_name(spex::index_kind kind) {
    static const std::pair<spex::index_kind, const char *> names[] = {
        {spex::INDEX_MOBIUS, "Moebius"}, {spex::INDEX_SII, "SII"},   {spex::INDEX_BII, "BII"},
        {spex::INDEX_STII, "STII"},      {spex::INDEX_FSII, "FSII"}, {spex::INDEX_FBII, "FBII"},
        {spex::INDEX_KSII, "k-SII"},     {spex::INDEX_SV, "SV"},     {spex::INDEX_BV, "BV"}};
    for (const auto & [k, name] : names) {
        if (k == kind) {
            return name;
        }
    }
    return nullptr;
}

std::string format_r2(double r2) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", r2);
    return text;
}

}  // namespace

std::string export_shapiq_json(const loaded_result & result, const index_table & table,
                               const export_options & options) {
    const char * name = shapiq_index_name(table.kind);
    if (name == nullptr) {
        throw std::runtime_error("shapiq has no Fourier index: pick another index (e.g. Moebius or FSII) to export "
                                 "for shapiq");
    }
    const bool singles = table.kind == spex::INDEX_SV || table.kind == spex::INDEX_BV;
    const int  order   = singles ? 1 : table.order;
    // Indices defined on ∅ carry it as the baseline; the others start at order 1 (shapiq's own rule).
    const bool empty = std::any_of(table.index.values.begin(), table.index.values.end(),
                                   [](const spex::index_value & v) { return v.set.empty(); }) ||
                       table.kind == spex::INDEX_MOBIUS || table.kind == spex::INDEX_STII ||
                       table.kind == spex::INDEX_FSII || table.kind == spex::INDEX_FBII ||
                       table.kind == spex::INDEX_KSII;
    // Without the model's fully masked output (planted functions, results that leave it out) the
    // surrogate's value there stands in: shapiq requires a number.
    const double baseline = empty ? table.constant
                            : std::isfinite(result.baseline_value)
                                ? result.baseline_value
                                : result.surrogate_value(std::vector<bool>(static_cast<size_t>(result.n), false));

    ordered_json data = ordered_json::object();
    if (empty) {
        data["Empty"] = json_number(table.constant);
    }
    // Every interaction the index has, as shapiq keys them: sorted indices joined by ",".
    std::vector<spex::index_value> values = table.index.values;
    std::sort(values.begin(), values.end(), [](const spex::index_value & a, const spex::index_value & b) {
        return a.set.size() != b.set.size() ? a.set.size() < b.set.size() : a.set < b.set;
    });
    for (const spex::index_value & v : values) {
        if (v.set.empty()) {
            continue;
        }
        std::string key;
        for (size_t k = 0; k < v.set.size(); ++k) {
            key += (k ? "," : "") + std::to_string(v.set[k]);
        }
        data[key] = json_number(v.value);
    }

    ordered_json parameters = ordered_json::object();
    parameters["spexlens"]  = provenance_json(result, table, options);
    if (options.include_text) {
        ordered_json names = ordered_json::array();
        for (int i = 0; i < result.n; ++i) {
            names.push_back(feature_label(result, i));
        }
        parameters["feature_names"] = names;
    }
    parameters["measured"] =
        result.target_class.empty() ? std::string("f(x)") : result.target_class + " " + result.target_measure;
    parameters["faithfulness_r2"] = json_number(result.r2);

    ordered_json metadata;
    metadata["n_players"]         = result.n;
    metadata["index"]             = name;
    metadata["max_order"]         = order;
    metadata["min_order"]         = empty ? 0 : 1;
    metadata["estimated"]         = true;
    metadata["estimation_budget"] = result.queries;
    metadata["baseline_value"]    = json_number(baseline);

    ordered_json out;
    out["object_name"]  = "InteractionValues";
    out["data_type"]    = "interaction_values";
    out["version"]      = nullptr;
    out["created_from"] = "spexlens " + options.app_version + " (" +
                          (result.model_name.empty() ? std::string("a planted function") : result.model_name) + ")";
    out["description"] = "How this model's output responds to masking its " + export_kind(result) +
                         ", as a surrogate fitted to masked model calls (held-out R^2 " +
                         (std::isfinite(result.r2) ? format_r2(result.r2) : std::string("n/a")) + "); the " + name +
                         " index computed from it.";
    out["parameters"] = parameters;
    out["timestamp"]  = options.timestamp;
    out["metadata"]   = metadata;
    out["data"]       = data;
    return out.dump(2);
}

}  // namespace spexlens::app
