// loaded_result: see loaded_result.h. The reader is strict about what the views rely on (n,
// the surrogate, the features) and lenient about the rest: a field a producer may leave out
// (a solve result has no text, a baseline no decoder) reads as empty, 0 or NaN, and unknown
// keys are ignored as docs/result-schema.md asks of readers.
//
// Index
//   [SECTION] limits and the field reader
//   [SECTION] sets, terms, strings and features
//   [SECTION] components
//   [SECTION] ground truth of planted functions
//   [SECTION] surrogate value and parsing a result
//   [SECTION] plain-language readings: decision, model calls, R^2
#include "app/model/loaded_result.h"

#include "explain/text_explainer.h"
#include "json/json_text.h"
#include "planted/ground_truth.h"
#include "spex/query_design.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <utility>

namespace spexlens::app {

// [SECTION] limits and the field reader

namespace {

const double not_a_number = std::numeric_limits<double>::quiet_NaN();

// No object of a result has this many keys (docs/result-schema.md).
constexpr size_t max_result_object_keys = 10000;

// Reads fields of one JSON object; every message names the field by its path ("fourier[3].set").
class field_reader {
  public:
    field_reader(const ordered_json & object, std::string path) : object_(object), path_(std::move(path)) {
        if (!object_.is_object()) {
            fail(path_.empty() ? "the result" : path_, "must be an object");
        }
    }

    const std::string & path() const { return path_; }

    std::string path_of(const char * key) const { return path_.empty() ? key : path_ + "." + key; }

    // nullptr when the key is absent or null.
    const ordered_json * optional(const char * key) const {
        const auto it = object_.find(key);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }

    const ordered_json & required(const char * key) const {
        const auto it = object_.find(key);
        if (it == object_.end()) {
            fail(path_of(key), "is missing");
        }
        return *it;
    }

    std::string string_or(const char * key, const std::string & fallback) const {
        const ordered_json * v = optional(key);
        if (v == nullptr) {
            return fallback;
        }
        if (!v->is_string()) {
            fail(path_of(key), "must be a string");
        }
        return v->get<std::string>();
    }

    // Absent or null -> fallback (NaN where the header says so).
    double number_or(const char * key, double fallback) const {
        const ordered_json * v = optional(key);
        if (v == nullptr) {
            return fallback;
        }
        if (!v->is_number()) {
            fail(path_of(key), "must be a number or null");
        }
        return v->get<double>();
    }

    int64_t integer_or(const char * key, int64_t fallback) const {
        const ordered_json * v = optional(key);
        return v == nullptr ? fallback : integer(*v, path_of(key));
    }

    uint64_t unsigned_or(const char * key, uint64_t fallback) const {
        const ordered_json * v = optional(key);
        if (v == nullptr) {
            return fallback;
        }
        if (!v->is_number_unsigned()) {
            fail(path_of(key), "must be a non-negative integer");
        }
        return v->get<uint64_t>();
    }

    bool bool_or(const char * key, bool fallback) const {
        const ordered_json * v = optional(key);
        if (v == nullptr) {
            return fallback;
        }
        if (!v->is_boolean()) {
            fail(path_of(key), "must be true or false");
        }
        return v->get<bool>();
    }

    static int64_t integer(const ordered_json & v, const std::string & path) {
        if (!v.is_number_integer()) {
            fail(path, "must be an integer");
        }
        return v.get<int64_t>();
    }

    [[noreturn]] static void fail(const std::string & path, const std::string & problem) {
        throw std::runtime_error("result JSON: \"" + path + "\" " + problem);
    }

  private:
    const ordered_json & object_;
    std::string          path_;
};

// [SECTION] sets, terms, strings and features

// A set: strictly increasing feature indices in [0, n).
spex::feature_set read_set(const ordered_json & v, const std::string & path, int n) {
    if (!v.is_array()) {
        field_reader::fail(path, "must be an array of feature indices");
    }
    spex::feature_set set;
    for (size_t i = 0; i < v.size(); ++i) {
        const std::string item  = path + "[" + std::to_string(i) + "]";
        const int64_t     index = field_reader::integer(v[i], item);
        if (index < 0 || index >= n) {
            field_reader::fail(item,
                               "= " + std::to_string(index) + " is not a feature index 0.." + std::to_string(n - 1));
        }
        if (!set.empty() && index <= set.back()) {
            field_reader::fail(path, "must list distinct feature indices in increasing order");
        }
        set.push_back(int(index));
    }
    return set;
}

// [{"set": [...], "coef": x}, ...]; a coefficient must be finite (null would mean it was not).
std::vector<spex::fourier_term> read_terms(const ordered_json & v, const std::string & path, int n) {
    if (!v.is_array()) {
        field_reader::fail(path, "must be an array of {\"set\", \"coef\"} terms");
    }
    std::vector<spex::fourier_term> terms;
    for (size_t i = 0; i < v.size(); ++i) {
        const std::string  item = path + "[" + std::to_string(i) + "]";
        const field_reader term(v[i], item);
        spex::fourier_term t;
        t.set                     = read_set(term.required("set"), term.path_of("set"), n);
        const ordered_json & coef = term.required("coef");
        if (!coef.is_number()) {
            field_reader::fail(term.path_of("coef"), "must be a finite number");
        }
        t.coef = coef.get<double>();
        terms.push_back(std::move(t));
    }
    return terms;
}

std::vector<std::string> read_strings(const ordered_json & v, const std::string & path) {
    if (!v.is_array()) {
        field_reader::fail(path, "must be an array of strings");
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) {
            field_reader::fail(path + "[" + std::to_string(i) + "]", "must be a string");
        }
        out.push_back(v[i].get<std::string>());
    }
    return out;
}

int read_offset(const field_reader & feature, const char * key) {
    const int64_t offset = feature.integer_or(key, -1);
    if (offset < -1 || offset > std::numeric_limits<int>::max()) {
        field_reader::fail(feature.path_of(key), "is out of range");
    }
    return int(offset);
}

void read_features(const field_reader & top, loaded_result & r) {
    const ordered_json * features = top.optional("features");
    if (features == nullptr) {
        // A solve result names no features: show them as x0..x{n-1}, like teaching runs.
        for (int i = 0; i < r.n; ++i) {
            r.features.push_back({"x" + std::to_string(i), -1, -1});
        }
        return;
    }
    if (!features->is_array() || features->size() != size_t(r.n)) {
        field_reader::fail("features", "must be an array of n = " + std::to_string(r.n) + " feature objects");
    }
    for (size_t i = 0; i < features->size(); ++i) {
        const field_reader feature((*features)[i], "features[" + std::to_string(i) + "]");
        feature_span       span;
        span.text  = feature.string_or("text", "x" + std::to_string(i));
        span.start = read_offset(feature, "start");
        span.end   = read_offset(feature, "end");
        r.features.push_back(std::move(span));
    }
}

// [SECTION] components

int small_int(const field_reader & object, const char * key, int64_t low) {
    const int64_t v = field_reader::integer(object.required(key), object.path_of(key));
    if (v < low || v > 1000000) {
        field_reader::fail(object.path_of(key), "= " + std::to_string(v) + " is out of range");
    }
    return int(v);
}

// The component fields (docs/components.md): each feature's kind and place in the model, and
// the model's shape. The views lay the grid out from them, so they are checked against it.
void read_components(const field_reader & top, loaded_result & r) {
    r.players = top.string_or("players", "text");
    if (!r.is_components()) {
        return;
    }
    const field_reader  info(top.required("components"), "components");
    component_summary & c         = r.component_info;
    c.layers                      = small_int(info, "layers", 1);
    c.heads                       = small_int(info, "heads", 0);
    c.ff                          = small_int(info, "ff", 0);
    c.group                       = int(info.integer_or("group", 0));
    c.set                         = info.string_or("set", "heads+mlp");
    c.ablation                    = info.string_or("ablation", "zero");
    const ordered_json & features = top.required("features");
    for (size_t i = 0; i < features.size(); ++i) {
        const field_reader f(features[i], "features[" + std::to_string(i) + "]");
        const std::string  kind = f.string_or("kind", "");
        component_feature  p;
        p.layer = small_int(f, "layer", 0);
        if (p.layer >= c.layers) {
            field_reader::fail(f.path_of("layer"),
                               "is not a layer of the model (components.layers = " + std::to_string(c.layers) + ")");
        }
        if (kind == "head") {
            p.head = small_int(f, "head", 0);
            if (p.head >= c.heads) {
                field_reader::fail(f.path_of("head"), "is not a head of the model");
            }
        } else if (kind == "mlp") {
            p.is_head = false;
            p.first   = small_int(f, "first", 0);
            p.count   = small_int(f, "count", 1);
            if (p.first + p.count > c.ff) {
                field_reader::fail(f.path(),
                                   "names neurons past the MLP width (components.ff = " + std::to_string(c.ff) + ")");
            }
        } else {
            field_reader::fail(f.path_of("kind"), "must be \"head\" or \"mlp\" in a component result");
        }
        r.components.push_back(p);
    }
}

// [SECTION] ground truth of planted functions

void read_ground_truth(const field_reader & top, loaded_result & r) {
    const ordered_json * truth = top.optional("ground_truth");
    if (truth == nullptr) {
        return;
    }
    const field_reader g(*truth, "ground_truth");
    planted_summary &  s        = r.ground_truth;
    s.present                   = true;
    s.planted                   = read_terms(g.required("planted_terms"), g.path_of("planted_terms"), r.n);
    const ordered_json & missed = g.required("missed");
    if (!missed.is_array()) {
        field_reader::fail(g.path_of("missed"), "must be an array of sets");
    }
    for (size_t i = 0; i < missed.size(); ++i) {
        s.missed.push_back(read_set(missed[i], g.path_of("missed") + "[" + std::to_string(i) + "]", r.n));
    }
    s.recovered = int(g.integer_or("recovered", 0));
    s.spurious  = int(g.integer_or("spurious", 0));
    s.r2_clean  = g.number_or("r2_clean", not_a_number);
    s.basis     = g.string_or("basis", "fourier");
    if (s.basis != "fourier" && s.basis != "mobius") {
        field_reader::fail(g.path_of("basis"), "must be \"fourier\" or \"mobius\"");
    }
    if (const ordered_json * written = g.optional("basis_terms")) {
        if (!written->is_array()) {
            field_reader::fail(g.path_of("basis_terms"), "must be an array");
        }
        for (size_t i = 0; i < written->size(); ++i) {
            const field_reader t((*written)[i], g.path_of("basis_terms") + "[" + std::to_string(i) + "]");
            planted_term_check c;
            c.set      = read_set(t.required("set"), t.path_of("set"), r.n);
            c.planted  = t.number_or("planted", not_a_number);
            c.estimate = t.number_or("estimate", not_a_number);
            c.close    = t.bool_or("close", false);
            s.close += c.close ? 1 : 0;
            s.written.push_back(std::move(c));
        }
        return;
    }
    // An older result: the Fourier terms, checked by the rule ground_truth.h states (the
    // threshold stands in for the noise floor).
    const double floor = g.number_or("threshold", 0.0);
    for (const spex::fourier_term & t : s.planted) {
        planted_term_check c;
        c.set     = t.set;
        c.planted = t.coef;
        for (const spex::fourier_term & found : r.surrogate.terms) {
            if (found.set == t.set) {
                c.estimate += found.coef;
            }
        }
        c.close = std::fabs(c.estimate - c.planted) <= ground_truth_close_relative * std::fabs(c.planted) + floor;
        s.close += c.close ? 1 : 0;
        s.written.push_back(std::move(c));
    }
}

}  // namespace

// [SECTION] surrogate value and parsing a result

double loaded_result::surrogate_value(const std::vector<bool> & keep) const {
    if (keep.size() != size_t(n)) {
        throw std::invalid_argument("surrogate_value: the mask has " + std::to_string(keep.size()) +
                                    " entries, the result has n = " + std::to_string(n));
    }
    // f̂(x) = Σ F(k)·(−1)^⟨x,k⟩: a term flips sign once per kept feature of k.
    double value = 0.0;
    for (const spex::fourier_term & t : surrogate.terms) {
        bool odd = false;
        for (int i : t.set) {
            odd ^= bool(keep[size_t(i)]);
        }
        value += odd ? -t.coef : t.coef;
    }
    return value;
}

namespace {

// Fails unless the result names this page's schema and version.
void check_schema(const field_reader & top) {
    const std::string schema = top.string_or("schema", "");
    if (schema != result_schema_name) {
        field_reader::fail("schema", "must be \"" + std::string(result_schema_name) + "\"");
    }
    const int64_t version = field_reader::integer(top.required("schema_version"), "schema_version");
    if (version != result_schema_version) {
        field_reader::fail("schema_version", "is " + std::to_string(version) + "; this page reads version " +
                                                 std::to_string(result_schema_version));
    }
}

// The method asked for, the one chosen and the candidates it was chosen from.
void read_method(const field_reader & top, loaded_result & r) {
    const ordered_json & method = top.required("method");
    if (!method.is_string()) {
        field_reader::fail("method", "must be a string");
    }
    r.method        = method.get<std::string>();
    r.chosen_method = top.string_or("chosen_method", r.method);
    r.partial       = top.bool_or("partial", false);
    r.proxy_r2      = not_a_number;
    if (const ordered_json * proxy = top.optional("proxy")) {
        r.proxy_r2 = field_reader(*proxy, "proxy").number_or("holdout_r2", not_a_number);
    }
    if (const ordered_json * selection = top.optional("selection")) {
        if (const ordered_json * list = field_reader(*selection, "selection").optional("candidates")) {
            if (!list->is_array()) {
                field_reader::fail("selection.candidates", "must be an array");
            }
            for (const ordered_json & c : *list) {
                const field_reader item(c, "selection.candidates[]");
                r.candidates.emplace_back(item.string_or("name", "?"), item.number_or("cv_r2", not_a_number));
            }
        }
    }
}

// Values, faithfulness, model calls, the run's sizes and its timing.
void read_run_facts(const field_reader & top, loaded_result & r) {
    r.full_value     = top.number_or("full_value", not_a_number);
    r.baseline_value = top.number_or("baseline_value", not_a_number);
    r.r2             = not_a_number;
    if (const ordered_json * faithfulness = top.optional("faithfulness")) {
        const field_reader f(*faithfulness, "faithfulness");
        r.r2      = f.number_or("r2", not_a_number);
        r.holdout = f.integer_or("holdout", 0);
    }
    r.queries = top.integer_or("queries", 0);
    r.budget  = top.integer_or("budget", 0);
    r.seed    = top.unsigned_or("seed", 0);
    r.b       = int(top.integer_or("b", 0));
    r.t       = int(top.integer_or("t", 0));
    if (const ordered_json * timing = top.optional("timing_ms")) {
        const field_reader t(*timing, "timing_ms");
        r.total_ms    = t.number_or("total", 0.0);
        r.sampling_ms = t.number_or("sampling", 0.0);
    }
}

// The model, the target explained and whether the text was cut to the window.
void read_model_facts(const field_reader & top, loaded_result & r) {
    if (const ordered_json * model = top.optional("model")) {
        const field_reader m(*model, "model");
        r.model_name   = m.string_or("name", "");
        r.model_sha256 = m.string_or("sha256", "");
        if (const ordered_json * labels = m.optional("labels")) {
            r.labels = read_strings(*labels, "model.labels");
        }
    }
    if (const ordered_json * target = top.optional("target")) {
        const field_reader t(*target, "target");
        r.target_class   = t.string_or("class", "");
        r.target_measure = t.string_or("measure", "");
    }
    if (const ordered_json * window = top.optional("window")) {
        r.truncated = field_reader(*window, "window").bool_or("truncated", false);
    }
}

}  // namespace

loaded_result parse_result(const std::string & json_text) {
    loaded_result r;
    try {
        // A result's objects have a few dozen keys; ordered_json finds keys linearly, so a cap keeps
        // reading linear in the file's size (100,000 keys would take seconds).
        r.json = parse_bounded_json<ordered_json>(json_text, max_result_object_keys);
    } catch (const json_input_error & e) {  // syntax, 1e999, nesting or objects too large
        throw std::runtime_error(std::string("result JSON is malformed: ") + e.what());
    }
    const field_reader top(r.json, "");

    check_schema(top);

    const int64_t n = field_reader::integer(top.required("n"), "n");
    if (n < 1 || n > spex::spex_max_n) {
        field_reader::fail("n", "= " + std::to_string(n) + " is out of range 1.." + std::to_string(spex::spex_max_n));
    }
    r.n = int(n);

    read_method(top, r);
    r.decoder        = top.string_or("decoder", "");
    r.text           = top.string_or("text", "");
    r.granularity    = top.string_or("granularity", top.optional("text") ? "" : "synthetic");
    r.interpretation = top.string_or("interpretation", "");
    if (const ordered_json * notes = top.optional("notes")) {
        r.notes = read_strings(*notes, "notes");
    }
    read_features(top, r);
    read_components(top, r);

    r.surrogate.n     = r.n;
    r.surrogate.terms = read_terms(top.required("fourier"), "fourier", r.n);

    read_run_facts(top, r);
    read_model_facts(top, r);
    read_ground_truth(top, r);
    return r;
}

// [SECTION] plain-language readings: decision, model calls, R^2

std::string decision_sentence(const loaded_result & r) {
    const bool log_odds = r.target_measure == "log-odds";
    if (r.target_class.empty() || !std::isfinite(r.full_value) || (!log_odds && r.target_measure != "prob")) {
        return "";
    }
    const double p = log_odds ? 1.0 / (1.0 + std::exp(-r.full_value)) : r.full_value;
    if (!(p >= 0.0 && p <= 1.0)) {
        return "";
    }
    std::string decided;
    if (p > 0.5) {
        decided = "decides " + r.target_class;
    } else if (r.labels.size() == 2) {
        decided = "decides " + (r.labels[0] == r.target_class ? r.labels[1] : r.labels[0]);
    } else {
        decided = "does not decide " + r.target_class;
    }
    char probability[32], odds[48] = "";
    std::snprintf(probability, sizeof probability, "%.2f", p);
    if (log_odds) {
        std::snprintf(odds, sizeof odds, " (log-odds %+.2f)", r.full_value);
    }
    return "The model " + decided + " on this text: p(" + r.target_class + ") = " + probability + odds + ".";
}

int64_t model_calls(const loaded_result & r) { return r.queries + r.holdout + int64_t(reference_queries); }

std::string r2_reading(const loaded_result & r) {
    if (!std::isfinite(r.r2)) {
        return "";
    }
    const std::string removed = r.is_components()              ? "heads and neurons are ablated"
                                : r.granularity == "synthetic" ? "features are masked"
                                : r.granularity == "sentence"  ? "sentences are masked"
                                                               : "words are masked";
    char              measured[96];
    std::snprintf(measured, sizeof measured, "(R\xC2\xB2 %.3f on %lld masks it was not fitted on)", r.r2,
                  static_cast<long long>(r.holdout));
    if (r.r2 < 0) {
        return std::string("This summary predicts the model's output worse than its average does when ") + removed +
               " " + measured + ": do not read it; a larger budget or another method may do better.";
    }
    const int   percent = static_cast<int>(std::lround(100.0 * std::min(r.r2, 1.0)));
    std::string out     = "This summary reproduces " + std::to_string(percent) +
                      "% of how the model's output varies when " + removed + " " + measured + ".";
    if (r.r2 < 0.5) {
        out += " Most of the response is not captured: read it with care.";
    }
    return out;
}

}  // namespace spexlens::app
