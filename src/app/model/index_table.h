// index_table: the interaction index the user picked, computed from a result's surrogate
// without new model calls, so switching index or order is instant — plus the per-feature
// numbers the heat-map and hover details show, and the filtered, capped list the
// interaction views draw.
#pragma once

#include "app/model/loaded_result.h"
#include "spex/interaction_indices.h"

#include <functional>
#include <string>
#include <vector>

namespace spexlens::app {

struct index_entry {
    spex::feature_set set;
    double            value = 0.0;
};

struct index_table {
    spex::index_kind         kind  = spex::INDEX_FSII;
    int                      order = 2;
    std::vector<index_entry> entries;         // nonempty sets only, by decreasing |value|
    spex::interaction_index  index;           // as computed (∅ included where defined): what exports write
    double                   constant = 0.0;  // the ∅ entry where the index has one, else 0
    std::vector<double>      first_order;     // n values: the index's singleton entries (0 if absent)
    std::vector<double>      shapley;         // n values
    std::vector<double>      banzhaf;         // n values
    std::vector<std::string> notes;
    double                   elapsed_ms = 0.0;
};

// Every index the page offers, in menu order, with its display name ("Möbius", "k-SII", ...).
struct index_choice {
    spex::index_kind kind;
    const char *     label;
    const char *     tooltip;  // one line: what the index means
};
const std::vector<index_choice> & index_choices();

// Throws std::runtime_error (message for the user) if the order is invalid.
index_table compute_index_table(const loaded_result & result, spex::index_kind kind, int order);

// The entries the interaction views draw: |set| in [min_order, max_order], at most `cap` of
// them, largest |value| first. Indices into table.entries.
std::vector<size_t> select_interactions(const index_table & table, int min_order, int max_order, size_t cap);

// Column orders of the interactions list.
enum interaction_sort { SORT_BY_MAGNITUDE, SORT_BY_VALUE, SORT_BY_ORDER, SORT_BY_POSITION };
void sort_interactions(const index_table & table, std::vector<size_t> & rows, interaction_sort by, bool ascending);

// "not ∧ very ∧ good" from the features' labels (feature_label; exports pass labels = false
// for the features' exact texts), each shortened to max_chars code points (the last one "…";
// 0 = never shortened), never cut inside a UTF-8 sequence. "∅" for the empty set.
std::string join_feature_names(const loaded_result & result, const spex::feature_set & set, size_t max_chars = 24,
                               bool labels = true);

// The features that move the measured output most, in one sentence for the first screen:
// "Raising the spam log-odds most (Shapley values): free (+1.21), lunch (+0.80). Lowering it
// most: meeting (-0.51), friday (-0.20)." Shapley values of the surrogate (not the index the
// list shows: one number per word, whichever index is picked), at most `per_side` a side,
// only those above 1% of the largest |value|. Empty for planted functions and when no feature
// moves the output. `measured` names the output ("spam log-odds"). `label_form`, when given,
// turns each word's label into the form the sentence shows (the page: display order for
// right-to-left words, so that "(+0.50)" stays after its word).
std::string drivers_sentence(const loaded_result & result, const index_table & table, const std::string & measured,
                             size_t                                                  per_side   = 3,
                             const std::function<std::string(const std::string &)> & label_form = {});

// What a feature is called in lists and on arcs: a word without the ASCII punctuation around it
// ("pain." -> "pain", "(alone," -> "alone"; the text keeps it), unless the word is nothing but
// punctuation ("!!!"). Sentences, components and synthetic players keep their names.
std::string feature_label(const loaded_result & result, int feature);

}  // namespace spexlens::app
