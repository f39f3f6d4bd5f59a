// index_table: see index_table.h. Everything here is a pure function of the result's Fourier
// surrogate, computed by the engine's own index code (src/spex/interaction_indices.h), so the
// page shows exactly the numbers `spexlens solve --index ...` and the text explainer write.
#include "app/model/index_table.h"

#include "spex/attributions.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

namespace spexlens::app {

const std::vector<index_choice> & index_choices() {
    static const std::vector<index_choice> choices = {
        {spex::INDEX_MOBIUS, "M\u00f6bius",
         "What a set adds only when all of its features are kept, beyond its subsets (inclusion-exclusion)."},
        {spex::INDEX_FOURIER, "Fourier",
         "The surrogate's own coefficients, what SPEX recovers: a term flips sign with each kept feature."},
        {spex::INDEX_SII, "SII",
         "Shapley interaction index: a set's joint effect, averaged over the orders features are added in."},
        {spex::INDEX_KSII, "k-SII",
         "SII regrouped up to the order so that, like Shapley values, all values sum to f(all) - f(none)."},
        {spex::INDEX_STII, "STII",
         "Shapley-Taylor: below the order the pure effects; sets of the order absorb every higher interaction."},
        {spex::INDEX_FSII, "FSII",
         "Faithful Shapley: the best additive fit of the model's output with sets up to the order (Shapley "
         "weights)."},
        {spex::INDEX_FBII, "FBII",
         "Faithful Banzhaf: the best additive fit with sets up to the order over uniformly random masks."},
        {spex::INDEX_BII, "BII",
         "Banzhaf interaction index: a set's joint effect when every other feature is kept or masked at random."},
        {spex::INDEX_SV, "Shapley (SV)",
         "Each feature's effect averaged over the orders features are added in; they sum to f(all) - f(none)."},
        {spex::INDEX_BV, "Banzhaf (BV)",
         "Each feature's effect when every other feature is kept or masked at random (50/50)."},
    };
    return choices;
}

index_table compute_index_table(const loaded_result & result, spex::index_kind kind, int order) {
    const auto start       = std::chrono::steady_clock::now();
    const bool per_feature = kind == spex::INDEX_SV || kind == spex::INDEX_BV;
    if (order < 1) {
        throw std::runtime_error("the interaction order must be at least 1 (got " + std::to_string(order) + ")");
    }

    index_table table;
    table.index = spex::compute_interaction_index(result.surrogate, kind, order);
    table.kind  = table.index.kind;
    table.order = table.index.order;  // 1 for SV and BV, whatever was asked

    table.first_order.assign(size_t(result.n), 0.0);
    for (const spex::index_value & v : table.index.values) {
        if (v.set.empty()) {
            table.constant = v.value;
            continue;
        }
        if (v.set.size() == 1 && v.set[0] < result.n) {
            table.first_order[size_t(v.set[0])] = v.value;
        }
        table.entries.push_back({v.set, v.value});
    }
    table.shapley = spex::shapley_values(result.surrogate);
    table.banzhaf = spex::banzhaf_values(result.surrogate);

    if (per_feature && order != 1) {
        table.notes.push_back(std::string(kind == spex::INDEX_SV ? "Shapley" : "Banzhaf") +
                              " values are per feature (order 1); the order setting does not apply");
    }
    table.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return table;
}

std::vector<size_t> select_interactions(const index_table & table, int min_order, int max_order, size_t cap) {
    std::vector<size_t> rows;
    for (size_t i = 0; i < table.entries.size() && rows.size() < cap; ++i) {
        const int size = int(table.entries[i].set.size());
        if (size >= min_order && size <= max_order) {
            rows.push_back(i);
        }
    }
    return rows;
}

void sort_interactions(const index_table & table, std::vector<size_t> & rows, interaction_sort by, bool ascending) {
    // Primary key per column (reversed when descending); ties always go by position (shorter
    // set first, then lexicographic) so the list never jitters between frames.
    auto primary = [&](const index_entry & a, const index_entry & b) -> int {
        double ka = 0.0;
        double kb = 0.0;
        switch (by) {
        case SORT_BY_MAGNITUDE:
            ka = std::fabs(a.value);
            kb = std::fabs(b.value);
            break;
        case SORT_BY_VALUE:
            ka = a.value;
            kb = b.value;
            break;
        case SORT_BY_ORDER:
            ka = double(a.set.size());
            kb = double(b.set.size());
            break;
        case SORT_BY_POSITION:
            // By the set's first feature, then lexicographically: std::vector's operator< does both.
            return a.set < b.set ? -1 : (b.set < a.set ? 1 : 0);
        }
        return ka < kb ? -1 : (kb < ka ? 1 : 0);
    };
    std::stable_sort(rows.begin(), rows.end(), [&](size_t ra, size_t rb) {
        const index_entry & a = table.entries.at(ra);
        const index_entry & b = table.entries.at(rb);
        const int           c = primary(a, b);
        if (c != 0) {
            return ascending ? c < 0 : c > 0;
        }
        if (by == SORT_BY_ORDER && std::fabs(a.value) != std::fabs(b.value)) {
            return std::fabs(a.value) > std::fabs(b.value);  // within an order, strongest first
        }
        if (a.set.size() != b.set.size()) {
            return a.set.size() < b.set.size();
        }
        return a.set < b.set;
    });
}

namespace {

// The first max_chars code points of s, the last replaced by "…" when s is longer. Counts lead
// bytes (not 10xxxxxx), so a cut always falls on a code point boundary.
std::string shorten_utf8(const std::string & s, size_t max_chars) {
    if (max_chars == 0) {
        return s;
    }
    auto   is_lead     = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
    size_t code_points = 0;
    size_t keep_bytes  = s.size();
    for (size_t i = 0; i < s.size(); ++i) {
        if (!is_lead(s[i])) {
            continue;
        }
        if (code_points == max_chars - 1) {
            keep_bytes = i;  // where the ellipsis would go
        }
        if (++code_points > max_chars) {
            return s.substr(0, keep_bytes) + "\u2026";
        }
    }
    return s;
}

}  // namespace

std::string drivers_sentence(const loaded_result & result, const index_table & table, const std::string & measured,
                             size_t per_side, const std::function<std::string(const std::string &)> & label_form) {
    if (result.granularity == "synthetic" || table.shapley.empty()) {
        return "";
    }
    double largest = 0.0;
    for (double v : table.shapley) {
        largest = std::isfinite(v) ? std::max(largest, std::fabs(v)) : largest;
    }
    if (largest <= 0.0) {
        return "";
    }
    std::vector<int> order(table.shapley.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return table.shapley[size_t(a)] > table.shapley[size_t(b)]; });
    const auto list = [&](bool raising) {
        std::string out;
        size_t      taken = 0;
        for (size_t k = 0; k < order.size() && taken < per_side; ++k) {
            const int    i = raising ? order[k] : order[order.size() - 1 - k];
            const double v = table.shapley[size_t(i)];
            if (!std::isfinite(v) || (raising ? v : -v) <= 0.01 * largest) {
                break;
            }
            char value[32];
            std::snprintf(value, sizeof value, "%+.2f", v);
            const std::string label = feature_label(result, i);
            out += (taken == 0 ? "" : ", ") + (label_form ? label_form(label) : label) + " (" + value + ")";
            ++taken;
        }
        return out;
    };
    const std::string up   = list(true);
    const std::string down = list(false);
    std::string       out;
    if (!up.empty()) {
        out = "Raising the " + measured + " most (Shapley values): " + up + ".";
    }
    if (!down.empty()) {
        out += std::string(out.empty() ? "" : " ") +
               (up.empty() ? "Lowering the " + measured + " most (Shapley values)" : "Lowering it most") + ": " + down +
               ".";
    }
    return out;
}

std::string feature_label(const loaded_result & result, int feature) {
    if (feature < 0 || size_t(feature) >= result.features.size()) {
        return "x" + std::to_string(feature);
    }
    const std::string & text = result.features[size_t(feature)].text;
    if (result.granularity != "word") {
        return text;
    }
    const auto punct = [](char c) {
        return static_cast<unsigned char>(c) < 0x80 && std::ispunct(static_cast<unsigned char>(c));
    };
    size_t first = 0, last = text.size();
    while (first < last && punct(text[first])) {
        ++first;
    }
    while (last > first && punct(text[last - 1])) {
        --last;
    }
    return first == last ? text : text.substr(first, last - first);
}

std::string join_feature_names(const loaded_result & result, const spex::feature_set & set, size_t max_chars,
                               bool labels) {
    if (set.empty()) {
        return "\u2205";
    }
    std::string out;
    for (size_t k = 0; k < set.size(); ++k) {
        const int         i    = set[k];
        const bool        real = i >= 0 && size_t(i) < result.features.size();
        const std::string name = labels || !real ? feature_label(result, i) : result.features[size_t(i)].text;
        if (k > 0) {
            out += " \u2227 ";
        }
        out += shorten_utf8(name, max_chars);
    }
    return out;
}

}  // namespace spexlens::app
