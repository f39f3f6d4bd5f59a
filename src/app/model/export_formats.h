// export_formats: what the page downloads. The JSON is the result schema
// (docs/result-schema.md) with the index the user is looking at and a "provenance" object
// (app version, model name + sha256, seed, budget, timestamp); the CSV lists that index's
// interactions. Text can be left out of both, for sharing a result without the note. A PNG of
// the canvas gets text chunks that say what it shows (png_provenance, png_with_text).
#pragma once

#include "app/model/index_table.h"
#include "app/model/loaded_result.h"

#include <string>
#include <vector>

namespace spexlens::app {

// The inference runtime that answered the model calls, as the front end reports it
// ("onnxruntime-web", "1.30.0", "wasm", 1). An empty name means unknown: not written.
struct runtime_info {
    std::string name;
    std::string version;
    std::string backend;
    int         threads = 0;
};

struct export_options {
    bool         include_text = true;  // false: drop "text" and every feature's words
    std::string  app_version;
    std::string  timestamp;  // ISO 8601 UTC, supplied by the caller (the page's clock)
    runtime_info runtime;    // written in the provenance of a model's result ("runtime")
};

// The export JSON, pretty-printed (2 spaces): result.json with "index" replaced by
// table.index and "provenance" appended; without text, the top-level "text" and every
// feature's "text" removed (docs/result-schema.md, "Page exports") — except a component's, which
// is its name (L1.H2), not the user's words. The provenance records "players" and "ablation".
std::string export_json(const loaded_result & result, const index_table & table, const export_options & options);

// CSV, RFC 4180 quoting and CRLF line ends: rank,order,value,features,words, one row per
// table.entries item (the ∅ constant is not an interaction), values with full precision,
// features as space-separated indices, words joined by " ∧ " (empty without text). A component
// result names its last column "components" and keeps the names (L0.H1) without the text.
std::string export_csv(const loaded_result & result, const index_table & table, const export_options & options);

// The shown index as shapiq's InteractionValues JSON (the layout of InteractionValues.to_json_file,
// read back by InteractionValues.from_json_file): "object_name", "data_type", "version" (null: not
// written by shapiq), "created_from", "description", "parameters" (spexlens' provenance),
// "timestamp", "metadata" {n_players, index, max_order, min_order, estimated, estimation_budget,
// baseline_value} and "data" {"Empty": value of ∅, "0": ..., "0,3": ...}. Index names are shapiq's
// ("Moebius", "SII", "BII", "STII", "FSII", "FBII", "k-SII", "SV", "BV"); the Fourier index has no
// shapiq name and throws std::runtime_error saying to pick another. Without text the description
// names no word; with it, "parameters.feature_names" lists the features' labels.
std::string export_shapiq_json(const loaded_result & result, const index_table & table, const export_options & options);

// What a result explains, as a file name part: "words", "sentences", "components" or
// "planted" (a teaching run's planted function).
std::string export_kind(const loaded_result & result);

// The file name (without extension) of an export, saying what it is and when it was made:
// spexlens-<model>-<kind>-seed<seed>-<time>, e.g.
// "spexlens-spam-transformer-components-seed7-20250102T030405Z". <model> is the model's name
// with anything but letters, digits, '.', '_' and '-' turned into '-' ("teaching" for a
// planted function); <time> is `timestamp` (ISO 8601, as export_options.timestamp) in the
// basic format, which sorts by time and is a valid file name everywhere; left out when the
// timestamp has no date and time.
std::string export_file_stem(const loaded_result & result, const std::string & timestamp);

// The parts of an export's file name: a name with anything but letters, digits, '.', '_' and
// '-' turned into '-', and an ISO 8601 timestamp in the basic format ("20250102T030405Z"; ""
// when it has no date and time). export_file_stem and the probe report's name use both.
std::string file_name_part(const std::string & name);
std::string file_time_part(const std::string & timestamp);

// One text chunk of a PNG: a keyword (1-79 printable Latin-1 characters, PNG's rule; spexlens
// uses ASCII ones) and UTF-8 text, written as an uncompressed iTXt chunk.
struct png_text {
    std::string keyword;
    std::string text;
};

// What a PNG export carries besides the pixels, so the file says what it shows wherever it is
// copied: "Title", "Software", "Creation Time", "Description" (the decision, R² and what the
// numbers are), "Source" (model name and sha256, or the planted function), "Comment" (method,
// seed, calls, index) and "spexlens-provenance" (the JSON export's provenance object). The text
// itself is never written (the picture may show it; the chunks do not repeat it).
std::vector<png_text> png_provenance(const loaded_result & result, const index_table & table,
                                     const export_options & options);

// `png` with `texts` inserted right after its IHDR chunk (readers see them before the pixels).
// Throws std::runtime_error when `png` is not a PNG (signature, IHDR first, chunk lengths) or a
// keyword breaks PNG's rules; the pixels and every other chunk are copied unchanged.
std::string png_with_text(const std::string & png, const std::vector<png_text> & texts);

}  // namespace spexlens::app
