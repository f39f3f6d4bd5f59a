// export_formats: the JSON export is the received result with the shown index and a
// provenance object (and, without text, not one word of the text anywhere); the CSV is the
// shown index's entries, RFC 4180 quoted, numbers that read back exactly.
#include "app/model/export_formats.h"
#include "app_test_support.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>

using spexlens::ordered_json;
using spexlens::app::export_options;
using spexlens::app::index_table;
using spexlens::app::loaded_result;
using spexlens::app::parse_result;
using namespace app_test;

namespace {

export_options options(bool include_text) {
    export_options o;
    o.include_text = include_text;
    o.app_version  = "9.8.7";
    o.timestamp    = "2025-01-02T03:04:05Z";
    return o;
}

// An RFC 4180 reader, independent of the writer: records of fields, CRLF between records.
std::vector<std::vector<std::string>> parse_csv(const std::string & text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string>              record;
    std::string                           field;
    bool                                  quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            REQUIRE(field.empty());  // quotes only open a field
            quoted = true;
        } else if (c == ',') {
            record.push_back(field);
            field.clear();
        } else if (c == '\r') {
            REQUIRE(i + 1 < text.size());
            REQUIRE(text[i + 1] == '\n');
            record.push_back(field);
            records.push_back(record);
            record.clear();
            field.clear();
            ++i;
        } else {
            REQUIRE(c != '\n');  // a bare newline outside quotes is not a record break
            field += c;
        }
    }
    REQUIRE_FALSE(quoted);
    REQUIRE(record.empty());
    REQUIRE(field.empty());  // the last record ends with CRLF
    return records;
}

// Every string in a JSON value (object keys included).
void collect_strings(const ordered_json & j, std::vector<std::string> & out) {
    if (j.is_string()) {
        out.push_back(j.get<std::string>());
    } else if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            out.push_back(it.key());
            collect_strings(it.value(), out);
        }
    } else if (j.is_array()) {
        for (const auto & v : j) {
            collect_strings(v, out);
        }
    }
}

}  // namespace

TEST_CASE("the JSON export is the result with the shown index and provenance", "[export]") {
    const ordered_json  raw   = text_result();
    const loaded_result r     = parse_result(raw.dump());
    const index_table   table = spexlens::app::compute_index_table(r, spex::INDEX_STII, 3);

    const ordered_json out = ordered_json::parse(spexlens::app::export_json(r, table, options(true)));

    // Every key of the result, in its order, then provenance.
    std::vector<std::string> keys_in, keys_out;
    for (auto it = raw.begin(); it != raw.end(); ++it) {
        keys_in.push_back(it.key());
    }
    for (auto it = out.begin(); it != out.end(); ++it) {
        keys_out.push_back(it.key());
    }
    keys_in.push_back("provenance");
    CHECK(keys_out == keys_in);
    for (const char * key : {"fourier", "mobius", "shapley", "banzhaf", "features", "text", "faithfulness", "model"}) {
        CHECK(out[key] == raw[key]);
    }

    // The index shown, not the one the explainer wrote (FSII order 2).
    CHECK(out["index"]["name"] == "STII");
    CHECK(out["index"]["order"] == 3);
    REQUIRE(out["index"]["values"].size() == table.index.values.size());
    for (size_t k = 0; k < table.index.values.size(); ++k) {
        CHECK(out["index"]["values"][k]["set"].get<spex::feature_set>() == table.index.values[k].set);
        CHECK(out["index"]["values"][k]["value"].get<double>() == table.index.values[k].value);
    }

    const ordered_json & p = out["provenance"];
    CHECK(p["app"] == "spexlens");
    CHECK(p["app_version"] == "9.8.7");
    CHECK(p["exported_at"] == "2025-01-02T03:04:05Z");
    CHECK(p["model"]["name"] == "planted-and");
    CHECK(p["model"]["sha256"] == raw["model"]["sha256"]);
    CHECK(p["seed"] == 3);
    CHECK(p["budget"].is_null());
    CHECK(p["b"] == 4);
    CHECK(p["queries"] == raw["queries"]);
    CHECK(p["index_shown"] == ordered_json::parse(R"({"name": "STII", "order": 3})"));
    CHECK(p["text_included"] == true);
    CHECK(p["runtime"].is_null());  // not reported by the caller

    // The runtime the front end reports is written as it was given.
    export_options with_runtime = options(true);
    with_runtime.runtime        = {"onnxruntime-web", "1.30.0", "wasm", 2};
    const ordered_json runtime =
        ordered_json::parse(spexlens::app::export_json(r, table, with_runtime))["provenance"]["runtime"];
    CHECK(runtime == ordered_json::parse(R"({"name": "onnxruntime-web", "version": "1.30.0", "backend": "wasm",
                                             "threads": 2})"));

    // An export is itself a result the page can open.
    const loaded_result back = parse_result(out.dump());
    CHECK(back.surrogate.terms.size() == r.surrogate.terms.size());
    CHECK(back.features.size() == r.features.size());
}

TEST_CASE("a synthetic result exports with a null model and its budget", "[export]") {
    ordered_json j            = ordered_json::parse(solve_result_json());
    j["budget"]               = 5000;
    const loaded_result r     = parse_result(j.dump());
    const index_table   table = spexlens::app::compute_index_table(r, spex::INDEX_SV, 1);
    const ordered_json  out   = ordered_json::parse(spexlens::app::export_json(r, table, options(true)));
    CHECK(out["provenance"]["model"].is_null());
    CHECK(out["provenance"]["runtime"].is_null());  // a planted function: no model was called
    CHECK(out["provenance"]["budget"] == 5000);
    CHECK(out["provenance"]["index_shown"]["name"] == "SV");
    CHECK(out["provenance"]["index_shown"]["order"] == 1);
    CHECK(out["ground_truth"] == j["ground_truth"]);
}

TEST_CASE("without text, no word of the text is anywhere in the JSON export", "[export]") {
    SECTION("the real result") {
        const loaded_result r     = parse_result(text_result_json());
        const index_table   table = spexlens::app::compute_index_table(r, spex::INDEX_FSII, 2);
        const std::string   dump  = spexlens::app::export_json(r, table, options(false));
        const ordered_json  out   = ordered_json::parse(dump);

        CHECK_FALSE(out.contains("text"));
        REQUIRE(out["features"].size() == 13);
        for (size_t i = 0; i < 13; ++i) {
            CHECK_FALSE(out["features"][i].contains("text"));
            CHECK(out["features"][i]["start"] == r.features[i].start);  // offsets stay
        }
        CHECK(out["provenance"]["text_included"] == false);
        CHECK(dump.find(r.text) == std::string::npos);

        // No string in the export is a feature's word; the longer words occur nowhere at all
        // (short ones such as "not" also occur in the fixed interpretation sentence).
        std::vector<std::string> strings;
        collect_strings(out, strings);
        for (const auto & f : r.features) {
            INFO(f.text);
            for (const auto & s : strings) {
                CHECK(s != f.text);
            }
            if (f.text.size() >= 4) {
                CHECK(dump.find(f.text) == std::string::npos);
            }
        }
        // With the text, the same words are there (so the check above can fail).
        const std::string with_text = spexlens::app::export_json(r, table, options(true));
        CHECK(with_text.find("service") != std::string::npos);
    }
    SECTION("a text of marked words") {
        // Each word carries a marker that occurs nowhere else, so any leak of any word shows.
        ordered_json j = text_result();
        std::string  text;
        for (size_t i = 0; i < j["features"].size(); ++i) {
            const std::string word   = "w" + std::to_string(i) + "\u00e6qz";
            j["features"][i]["text"] = word;
            text += word + " ";
        }
        j["text"]                   = text;
        const loaded_result r       = parse_result(j.dump());
        const index_table   table   = spexlens::app::compute_index_table(r, spex::INDEX_FSII, 2);
        const std::string   without = spexlens::app::export_json(r, table, options(false));
        const std::string   with    = spexlens::app::export_json(r, table, options(true));
        CHECK(without.find("\u00e6qz") == std::string::npos);
        CHECK(with.find("w12\u00e6qz") != std::string::npos);
        CHECK(spexlens::app::export_csv(r, table, options(false)).find("\u00e6qz") == std::string::npos);
        CHECK(spexlens::app::export_csv(r, table, options(true)).find("\u00e6qz") != std::string::npos);
    }
}

TEST_CASE("the CSV export lists the shown index with RFC 4180 quoting", "[export]") {
    ordered_json j            = text_result();
    j["features"][3]["text"]  = "say \"hi\", ok";
    j["features"][5]["text"]  = "two\nlines";
    j["features"][0]["text"]  = "=HYPERLINK(x)";  // a spreadsheet must not run it
    const loaded_result r     = parse_result(j.dump());
    const index_table   table = spexlens::app::compute_index_table(r, spex::INDEX_FSII, 2);
    const std::string   csv   = spexlens::app::export_csv(r, table, options(true));

    CHECK(csv.rfind("rank,order,value,features,words\r\n", 0) == 0);
    CHECK(csv.find("\"say \"\"hi\"\", ok") != std::string::npos);

    const auto records = parse_csv(csv);
    REQUIRE(records.size() == table.entries.size() + 1);
    CHECK(records[0] == std::vector<std::string>{"rank", "order", "value", "features", "words"});
    bool saw_quoted  = false;
    bool saw_formula = false;
    for (size_t k = 0; k < table.entries.size(); ++k) {
        const auto & rec = records[k + 1];
        const auto & e   = table.entries[k];
        REQUIRE(rec.size() == 5);
        CHECK(rec[0] == std::to_string(k + 1));
        CHECK(rec[1] == std::to_string(e.set.size()));
        CHECK(std::strtod(rec[2].c_str(), nullptr) == e.value);  // full precision
        std::string indices;
        for (int i : e.set) {
            indices += (indices.empty() ? "" : " ") + std::to_string(i);
        }
        CHECK(rec[3] == indices);
        const std::string words = spexlens::app::join_feature_names(r, e.set, 0, false);  // exact texts
        CHECK(rec[4] == (words[0] == '=' ? "'" + words : words));
        saw_formula |= words[0] == '=';
        saw_quoted |= rec[4].find("say \"hi\", ok") != std::string::npos;
    }
    CHECK(saw_quoted);
    CHECK(saw_formula);

    const auto without = parse_csv(spexlens::app::export_csv(r, table, options(false)));
    REQUIRE(without.size() == records.size());
    for (size_t k = 1; k < without.size(); ++k) {
        CHECK(without[k][4].empty());
        CHECK(without[k][2] == records[k][2]);
    }
}

namespace {

// An independent PNG chunk reader: {type, data} in file order, each CRC checked bit by bit.
std::vector<std::pair<std::string, std::string>> png_chunks(const std::string & png) {
    REQUIRE(png.compare(0, 8, std::string("\x89PNG\r\n\x1A\n", 8)) == 0);
    const auto be32 = [&](size_t at) {
        return uint32_t(uint8_t(png[at])) << 24 | uint32_t(uint8_t(png[at + 1])) << 16 |
               uint32_t(uint8_t(png[at + 2])) << 8 | uint32_t(uint8_t(png[at + 3]));
    };
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t at = 8; at < png.size();) {
        REQUIRE(png.size() - at >= 12);
        const uint32_t length = be32(at);
        REQUIRE(length <= png.size() - at - 12);
        uint32_t crc = 0xFFFFFFFFu;
        for (size_t k = at + 4; k < at + 8 + length; ++k) {
            crc ^= uint8_t(png[k]);
            for (int bit = 0; bit < 8; ++bit) {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
            }
        }
        CHECK((crc ^ 0xFFFFFFFFu) == be32(at + 8 + length));
        out.emplace_back(png.substr(at + 4, 4), png.substr(at + 8, length));
        at += 12 + length;
    }
    return out;
}

}  // namespace

TEST_CASE("a PNG export carries what it shows as text chunks, pixels unchanged", "[export]") {
    using spexlens::app::png_provenance;
    using spexlens::app::png_text;
    using spexlens::app::png_with_text;
    const std::string     png   = read_file("docs/images/faithfulness.png");
    const loaded_result   r     = parse_result(read_file("tests/app/data/planted_and_result.json"));
    const index_table     table = spexlens::app::compute_index_table(r, spex::INDEX_FSII, 2);
    std::vector<png_text> texts = png_provenance(r, table, options(true));
    texts.push_back({"Comment", "caf\xC3\xA9 \xE2\x88\xA7 UTF-8"});
    const std::string out = png_with_text(png, texts);

    const auto before = png_chunks(png);
    const auto after  = png_chunks(out);
    REQUIRE(after.size() == before.size() + texts.size());
    CHECK(after[0].first == "IHDR");
    CHECK(after[0].second == before[0].second);
    std::map<std::string, std::string> found;
    for (size_t k = 0; k < texts.size(); ++k) {
        REQUIRE(after[1 + k].first == "iTXt");
        const std::string & data = after[1 + k].second;
        const size_t        zero = data.find('\0');
        REQUIRE(zero != std::string::npos);
        CHECK(data.compare(zero, 5, std::string(5, '\0')) == 0);  // uncompressed, no language tags
        found[data.substr(0, zero)] = data.substr(zero + 5);
    }
    for (size_t k = 1; k < before.size(); ++k) {  // every other chunk copied unchanged, in order
        CHECK(after[texts.size() + k] == before[k]);
    }
    CHECK(after.back().first == "IEND");

    CHECK(found["Software"] == "spexlens 9.8.7");
    CHECK(found["Creation Time"] == "2025-01-02T03:04:05Z");
    CHECK_THAT(found["Source"], Catch::Contains(r.model_sha256));
    CHECK_THAT(found["Description"], Catch::Contains("faithfulness R\xC2\xB2 (held out): "));
    CHECK_THAT(found["Comment"], Catch::Contains("UTF-8"));
    const ordered_json provenance = ordered_json::parse(found["spexlens-provenance"]);
    CHECK(provenance["seed"] == r.seed);
    CHECK(provenance["model"]["sha256"] == r.model_sha256);
    // The text is never written into the chunks.
    for (const auto & kv : found) {
        CHECK(kv.second.find(r.text) == std::string::npos);
    }
}

TEST_CASE("text chunks are refused for a file that is not a PNG or a bad keyword", "[export]") {
    using spexlens::app::png_with_text;
    const std::string png = read_file("docs/images/faithfulness.png");
    CHECK_THAT(runtime_error_of([&] { png_with_text("GIF89a", {}); }), Catch::Contains("not a PNG"));
    CHECK_THAT(runtime_error_of([&] { png_with_text(png.substr(0, png.size() - 20), {}); }), Catch::Contains("PNG:"));
    std::string lying = png;
    lying[33]         = '\x7F';  // the chunk after IHDR claims ~2 GB
    CHECK_THAT(runtime_error_of([&] { png_with_text(lying, {}); }), Catch::Contains("past the end"));
    for (const std::string & bad : {std::string(), std::string(80, 'k'), std::string(" lead"), std::string("a\tb")}) {
        CHECK_THAT(runtime_error_of([&] { png_with_text(png, {{bad, "x"}}); }), Catch::Contains("keyword"));
    }
    CHECK(png_with_text(png, {}) == png);  // nothing to add: the same file
}

TEST_CASE("the shapiq export is InteractionValues JSON with the shown index", "[export]") {
    using spexlens::app::export_shapiq_json;
    const loaded_result r    = parse_result(read_file("tests/app/data/planted_and_result.json"));
    const index_table   fsii = spexlens::app::compute_index_table(r, spex::INDEX_FSII, 2);
    const ordered_json  j    = ordered_json::parse(export_shapiq_json(r, fsii, options(true)));
    CHECK(j["object_name"] == "InteractionValues");
    CHECK(j["data_type"] == "interaction_values");
    const ordered_json & meta = j["metadata"];
    CHECK(meta["index"] == "FSII");
    CHECK(meta["n_players"] == r.n);
    CHECK(meta["max_order"] == 2);
    CHECK(meta["min_order"] == 0);
    CHECK(meta["estimation_budget"] == r.queries);
    // Every value of the index, keyed as shapiq keys them ("Empty", "3", "0,4").
    const ordered_json & data = j["data"];
    CHECK(data["Empty"].get<double>() == Approx(fsii.constant));
    CHECK(meta["baseline_value"].get<double>() == Approx(fsii.constant));
    size_t nonempty = 0;
    for (const auto & v : fsii.index.values) {
        if (v.set.empty()) {
            continue;
        }
        ++nonempty;
        std::string key;
        for (size_t k = 0; k < v.set.size(); ++k) {
            key += (k ? "," : "") + std::to_string(v.set[k]);
        }
        REQUIRE(data.contains(key));
        CHECK(data[key].get<double>() == Approx(v.value));
    }
    CHECK(data.size() == nonempty + 1);
    CHECK(j["parameters"]["feature_names"].size() == size_t(r.n));
    CHECK(j["parameters"]["spexlens"]["seed"] == r.seed);

    // Indices without a value on ∅ start at order 1 and take the model's fully masked output.
    const index_table  sii = spexlens::app::compute_index_table(r, spex::INDEX_SII, 2);
    const ordered_json s   = ordered_json::parse(export_shapiq_json(r, sii, options(true)));
    CHECK(s["metadata"]["index"] == "SII");
    CHECK(s["metadata"]["min_order"] == 1);
    CHECK_FALSE(s["data"].contains("Empty"));
    CHECK(s["metadata"]["baseline_value"].get<double>() == Approx(r.baseline_value));
    // A result without the fully masked output (a planted function's) takes the surrogate's there.
    loaded_result no_baseline  = r;
    no_baseline.baseline_value = std::nan("");
    const double masked        = r.surrogate_value(std::vector<bool>(static_cast<size_t>(r.n), false));
    REQUIRE(std::isfinite(masked));
    CHECK(ordered_json::parse(export_shapiq_json(no_baseline, sii, options(true)))["metadata"]["baseline_value"]
              .get<double>() == Approx(masked).margin(1e-12));
    const index_table sv = spexlens::app::compute_index_table(r, spex::INDEX_SV, 1);
    CHECK(ordered_json::parse(export_shapiq_json(r, sv, options(true)))["metadata"]["index"] == "SV");

    // Without text no word appears; the Fourier index has no shapiq name.
    const std::string quiet = export_shapiq_json(r, fsii, options(false));
    CHECK_FALSE(ordered_json::parse(quiet)["parameters"].contains("feature_names"));
    for (const auto & f : r.features) {
        CHECK(quiet.find("\"" + f.text + "\"") == std::string::npos);
    }
    const index_table fourier = spexlens::app::compute_index_table(r, spex::INDEX_FOURIER, 2);
    CHECK_THAT(runtime_error_of([&] { export_shapiq_json(r, fourier, options(true)); }),
               Catch::Contains("no Fourier index"));
}
