// index_table: every index the page offers equals the engine's own computation on the
// result's surrogate (and the index the explainer wrote), the per-feature numbers are what
// they claim, and the list helpers filter, cap, sort and name interactions correctly.
#include "app/model/index_table.h"
#include "app_test_support.h"
#include "spex/attributions.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

using spexlens::ordered_json;
using spexlens::app::index_table;
using spexlens::app::loaded_result;
using spexlens::app::parse_result;
using namespace app_test;

namespace {

// The value of `set` among index values, or NaN when it is not listed.
double value_of(const std::vector<spex::index_value> & values, const spex::feature_set & set) {
    for (const auto & v : values) {
        if (v.set == set) {
            return v.value;
        }
    }
    return std::nan("");
}

// A table with the given (set, value) entries, as compute_index_table would order them.
index_table table_of(std::vector<spexlens::app::index_entry> entries) {
    index_table t;
    t.entries = std::move(entries);
    return t;
}

std::vector<spex::feature_set> sets_of(const index_table & t, const std::vector<size_t> & rows) {
    std::vector<spex::feature_set> out;
    for (size_t r : rows) {
        out.push_back(t.entries[r].set);
    }
    return out;
}

// Well-formed UTF-8 (no truncated sequence, no stray continuation byte).
bool valid_utf8(const std::string & s) {
    for (size_t i = 0; i < s.size();) {
        const unsigned char c    = static_cast<unsigned char>(s[i]);
        size_t              more = 0;
        if (c >= 0x80) {
            if ((c & 0xE0) == 0xC0) {
                more = 1;
            } else if ((c & 0xF0) == 0xE0) {
                more = 2;
            } else if ((c & 0xF8) == 0xF0) {
                more = 3;
            } else {
                return false;
            }
        }
        if (i + more >= s.size()) {
            return false;
        }
        for (size_t k = 1; k <= more; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                return false;
            }
        }
        i += more + 1;
    }
    return true;
}

}  // namespace

TEST_CASE("the page offers every index, each with a label and a tooltip", "[index_table]") {
    const auto & choices = spexlens::app::index_choices();
    REQUIRE(choices.size() == 10);
    const std::vector<std::string> labels = {"M\u00f6bius", "Fourier", "SII", "k-SII",        "STII",
                                             "FSII",        "FBII",    "BII", "Shapley (SV)", "Banzhaf (BV)"};
    std::set<int>                  kinds;
    for (size_t i = 0; i < choices.size(); ++i) {
        CHECK(choices[i].label == labels[i]);
        CHECK(std::string(choices[i].tooltip).size() > 20);
        CHECK(std::string(choices[i].tooltip).find('\n') == std::string::npos);
        kinds.insert(choices[i].kind);
    }
    CHECK(kinds.size() == 10);
    CHECK(choices[8].kind == spex::INDEX_SV);
    CHECK(choices[9].kind == spex::INDEX_BV);
}

TEST_CASE("every index table equals the engine's index on the same surrogate", "[index_table]") {
    const loaded_result r = parse_result(text_result_json());
    for (const auto & choice : spexlens::app::index_choices()) {
        for (int order = 1; order <= 3; ++order) {
            INFO(choice.label << " order " << order);
            const index_table             table = spexlens::app::compute_index_table(r, choice.kind, order);
            const spex::interaction_index ref   = spex::compute_interaction_index(r.surrogate, choice.kind, order);
            const bool                    per_feature = choice.kind == spex::INDEX_SV || choice.kind == spex::INDEX_BV;

            CHECK(table.kind == choice.kind);
            CHECK(table.order == (per_feature ? 1 : order));
            CHECK(table.notes.empty() == (!per_feature || order == 1));

            // Entries: the nonempty sets of the engine's list, in its order; ∅ is the constant.
            std::vector<spex::index_value> nonempty;
            for (const auto & v : ref.values) {
                if (!v.set.empty()) {
                    nonempty.push_back(v);
                }
            }
            REQUIRE(table.entries.size() == nonempty.size());
            REQUIRE(!table.entries.empty());
            for (size_t k = 0; k < nonempty.size(); ++k) {
                CHECK(table.entries[k].set == nonempty[k].set);
                CHECK(table.entries[k].value == nonempty[k].value);
                CHECK(int(table.entries[k].set.size()) <= table.order);
                if (k > 0) {
                    CHECK(std::fabs(table.entries[k].value) <= std::fabs(table.entries[k - 1].value));
                }
            }
            const double constant = value_of(ref.values, {});
            CHECK(table.constant == (std::isnan(constant) ? 0.0 : constant));
            REQUIRE(table.index.values.size() == ref.values.size());

            REQUIRE(table.first_order.size() == 13);
            for (int i = 0; i < 13; ++i) {
                const double v = value_of(ref.values, {i});
                CHECK(table.first_order[size_t(i)] == (std::isnan(v) ? 0.0 : v));
            }
            CHECK(table.shapley == spex::shapley_values(r.surrogate));
            CHECK(table.banzhaf == spex::banzhaf_values(r.surrogate));
        }
    }
}

TEST_CASE("index tables agree with what the explainer wrote and with Shapley efficiency", "[index_table]") {
    const ordered_json  raw = text_result();
    const loaded_result r   = parse_result(raw.dump());

    // The explainer wrote FSII of order 2.
    const index_table fsii = spexlens::app::compute_index_table(r, spex::INDEX_FSII, 2);
    REQUIRE(raw["index"]["name"] == "FSII");
    REQUIRE(fsii.index.values.size() == raw["index"]["values"].size());
    for (size_t k = 0; k < fsii.index.values.size(); ++k) {
        CHECK(fsii.index.values[k].value == Approx(raw["index"]["values"][k]["value"].get<double>()).margin(1e-12));
    }
    for (size_t i = 0; i < 13; ++i) {
        CHECK(fsii.shapley[i] == Approx(raw["shapley"][i].get<double>()).margin(1e-12));
        CHECK(fsii.banzhaf[i] == Approx(raw["banzhaf"][i].get<double>()).margin(1e-12));
    }

    double sum = 0.0;
    for (double v : fsii.shapley) {
        sum += v;
    }
    const double all  = r.surrogate_value(std::vector<bool>(13, true));
    const double none = r.surrogate_value(std::vector<bool>(13, false));
    CHECK(sum == Approx(all - none).margin(1e-9));
    CHECK(std::fabs(all - none) > 1.0);  // not trivially zero

    // SV's first-order values are the Shapley values.
    const index_table sv = spexlens::app::compute_index_table(r, spex::INDEX_SV, 3);
    for (size_t i = 0; i < 13; ++i) {
        CHECK(sv.first_order[i] == Approx(sv.shapley[i]).margin(1e-12));
    }

    // Switching index is a pure function of the surrogate: back to FSII gives the same table.
    (void)spexlens::app::compute_index_table(r, spex::INDEX_KSII, 3);
    const index_table again = spexlens::app::compute_index_table(r, spex::INDEX_FSII, 2);
    REQUIRE(again.entries.size() == fsii.entries.size());
    for (size_t k = 0; k < again.entries.size(); ++k) {
        CHECK(again.entries[k].set == fsii.entries[k].set);
        CHECK(again.entries[k].value == fsii.entries[k].value);
    }
    CHECK(r.json == raw);
}

TEST_CASE("an invalid order is a user-facing error", "[index_table]") {
    const loaded_result r = parse_result(text_result_json());
    CHECK_THAT(runtime_error_of([&] { spexlens::app::compute_index_table(r, spex::INDEX_FSII, 0); }),
               Catch::Contains("order"));
}

TEST_CASE("select_interactions filters by order and caps, strongest first", "[index_table]") {
    const index_table t =
        table_of({{{3, 5}, -4.0}, {{1}, 3.0}, {{0, 2, 7}, 2.5}, {{2, 6}, 2.0}, {{4}, -1.0}, {{1, 2}, 0.5}});

    CHECK(sets_of(t, spexlens::app::select_interactions(t, 2, 2, 100)) ==
          std::vector<spex::feature_set>{{3, 5}, {2, 6}, {1, 2}});
    CHECK(sets_of(t, spexlens::app::select_interactions(t, 2, 3, 2)) ==
          std::vector<spex::feature_set>{{3, 5}, {0, 2, 7}});
    CHECK(spexlens::app::select_interactions(t, 1, 3, 100).size() == 6);
    CHECK(spexlens::app::select_interactions(t, 1, 1, 100) == std::vector<size_t>{1, 4});
    CHECK(spexlens::app::select_interactions(t, 4, 9, 100).empty());
    CHECK(spexlens::app::select_interactions(t, 1, 3, 0).empty());
}

TEST_CASE("sort_interactions orders by each column", "[index_table]") {
    using spexlens::app::sort_interactions;
    const index_table   t    = table_of({{{3, 5}, -4.0}, {{1}, 3.0}, {{0, 7}, 2.5}, {{3}, -2.5}, {{1, 2}, 0.5}});
    std::vector<size_t> rows = {0, 1, 2, 3, 4};

    sort_interactions(t, rows, spexlens::app::SORT_BY_POSITION, true);
    CHECK(sets_of(t, rows) == std::vector<spex::feature_set>{{0, 7}, {1}, {1, 2}, {3}, {3, 5}});
    sort_interactions(t, rows, spexlens::app::SORT_BY_POSITION, false);
    CHECK(sets_of(t, rows) == std::vector<spex::feature_set>{{3, 5}, {3}, {1, 2}, {1}, {0, 7}});

    sort_interactions(t, rows, spexlens::app::SORT_BY_VALUE, true);
    CHECK(rows == std::vector<size_t>{0, 3, 4, 2, 1});
    sort_interactions(t, rows, spexlens::app::SORT_BY_VALUE, false);
    CHECK(rows == std::vector<size_t>{1, 2, 4, 3, 0});

    // |2.5| ties: the shorter set first, whichever direction.
    sort_interactions(t, rows, spexlens::app::SORT_BY_MAGNITUDE, false);
    CHECK(rows == std::vector<size_t>{0, 1, 3, 2, 4});
    sort_interactions(t, rows, spexlens::app::SORT_BY_MAGNITUDE, true);
    CHECK(rows == std::vector<size_t>{4, 3, 2, 1, 0});

    // By order, strongest first within an order.
    sort_interactions(t, rows, spexlens::app::SORT_BY_ORDER, true);
    CHECK(rows == std::vector<size_t>{1, 3, 0, 2, 4});
    sort_interactions(t, rows, spexlens::app::SORT_BY_ORDER, false);
    CHECK(rows == std::vector<size_t>{0, 2, 4, 1, 3});

    // A subset of rows stays a subset.
    std::vector<size_t> some = {4, 0};
    sort_interactions(t, some, spexlens::app::SORT_BY_POSITION, true);
    CHECK(some == std::vector<size_t>{4, 0});
}

TEST_CASE("join_feature_names shortens at code point boundaries", "[index_table]") {
    using spexlens::app::join_feature_names;
    loaded_result r;
    r.n        = 6;
    r.features = {{"na\u00efve", 0, 5},
                  {"\U0001F600\U0001F600\U0001F600", 6, 9},
                  {"\u6771\u4eac\u90fd\u5e81", 10, 14},
                  {"abc", 15, 18},
                  {"na\u0308ive", 19, 25},  // combining diaeresis: 6 code points
                  {"supercalifragilisticexpialidocious", 26, 60}};

    CHECK(join_feature_names(r, {0, 3}) == "na\u00efve \u2227 abc");
    CHECK(join_feature_names(r, {0, 1, 2}, 3) ==
          "na\u2026 \u2227 \U0001F600\U0001F600\U0001F600 \u2227 \u6771\u4eac\u2026");
    CHECK(join_feature_names(r, {0}, 4) == "na\u00ef\u2026");
    CHECK(join_feature_names(r, {0}, 5) == "na\u00efve");
    CHECK(join_feature_names(r, {1}, 2) == "\U0001F600\u2026");
    CHECK(join_feature_names(r, {1}, 1) == "\u2026");
    CHECK(join_feature_names(r, {2}, 2) == "\u6771\u2026");
    CHECK(join_feature_names(r, {4}, 3) == "na\u2026");
    CHECK(join_feature_names(r, {5}) == "supercalifragilisticexp\u2026");  // 24 code points by default
    CHECK(join_feature_names(r, {5}, 0) == "supercalifragilisticexpialidocious");
    CHECK(join_feature_names(r, {}) == "\u2205");
    CHECK(join_feature_names(r, {3, 9}) == "abc \u2227 x9");

    for (int i = 0; i < 6; ++i) {
        for (size_t max_chars = 1; max_chars < 12; ++max_chars) {
            const std::string s = join_feature_names(r, {i}, max_chars);
            INFO(i << " " << max_chars << " " << s);
            CHECK(valid_utf8(s));
            CHECK(s.size() <= 4 * max_chars);
        }
    }
    CHECK_FALSE(valid_utf8(std::string("na\xc3", 3)));  // the checker itself can fail
}

TEST_CASE("a word's label drops the ASCII punctuation around it, other players keep their names", "[index_table]") {
    using spexlens::app::feature_label;
    using spexlens::app::join_feature_names;
    loaded_result r;
    r.n           = 6;
    r.granularity = "word";
    r.features    = {
           {"pain.", 0, 5}, {"(alone,", 6, 13}, {"!!!", 14, 17}, {"Re:", 18, 21}, {"\u00abcaf\u00e9\u00bb", 22, 28},
           {"U.S.", 29, 33}};
    CHECK(feature_label(r, 0) == "pain");
    CHECK(feature_label(r, 1) == "alone");
    CHECK(feature_label(r, 2) == "!!!");  // nothing but punctuation: kept whole
    CHECK(join_feature_names(r, {0, 3}) == "pain \u2227 Re");
    CHECK(feature_label(r, 4) == "\u00abcaf\u00e9\u00bb");  // only ASCII punctuation is trimmed
    CHECK(feature_label(r, 5) == "U.S");
    CHECK(feature_label(r, 9) == "x9");
    r.granularity = "sentence";
    CHECK(feature_label(r, 0) == "pain.");
    r.granularity = "component";
    r.features    = {{"L0.mlp[0:4]", 0, 0}};
    CHECK(feature_label(r, 0) == "L0.mlp[0:4]");
}

TEST_CASE("the drivers sentence names the features that raise and lower the output most", "[index_table]") {
    using spexlens::app::drivers_sentence;
    using spexlens::app::feature_label;
    loaded_result r;
    r.n           = 5;
    r.granularity = "word";
    for (const char * w : {"Free", "lunch!", "meeting", "on", "friday."}) {
        r.features.push_back({w, 0, 0});
    }
    index_table t;
    t.shapley = {1.214, 0.8, -0.51, 0.001, -0.2};
    CHECK(drivers_sentence(r, t, "spam log-odds") == "Raising the spam log-odds most (Shapley values): Free (+1.21), "
                                                     "lunch (+0.80). Lowering it most: meeting (-0.51), "
                                                     "friday (-0.20).");
    CHECK(drivers_sentence(r, t, "spam log-odds", 1) ==
          "Raising the spam log-odds most (Shapley values): Free (+1.21). Lowering it most: meeting (-0.51).");
    // The page shows each word in its display form (labels only; the rest of the sentence as is).
    const auto bracketed = [](const std::string & label) { return "<" + label + ">"; };
    CHECK(drivers_sentence(r, t, "spam log-odds", 1, bracketed) ==
          "Raising the spam log-odds most (Shapley values): <Free> (+1.21). Lowering it most: <meeting> (-0.51).");
    // Only one side, and values under 1% of the largest left out ("on").
    t.shapley = {-1.0, -0.5, -0.005, 0.0, 0.0};
    CHECK(drivers_sentence(r, t, "p") == "Lowering the p most (Shapley values): Free (-1.00), lunch (-0.50).");
    t.shapley = {0, 0, 0, 0, 0};
    CHECK(drivers_sentence(r, t, "p").empty());
    r.granularity = "synthetic";
    t.shapley     = {1, 0, 0, 0, 0};
    CHECK(drivers_sentence(r, t, "p").empty());

    // A real result: its own top word leads.
    const loaded_result real  = parse_result(read_file("tests/app/data/planted_and_result.json"));
    const index_table   table = compute_index_table(real, spex::INDEX_FSII, 2);
    size_t              top   = 0;
    for (size_t i = 1; i < table.shapley.size(); ++i) {
        top = table.shapley[i] > table.shapley[top] ? i : top;
    }
    const std::string sentence = drivers_sentence(real, table, "output");
    INFO(sentence);
    CHECK(sentence.find(feature_label(real, int(top))) != std::string::npos);
}
