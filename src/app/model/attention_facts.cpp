// attention_facts: see attention_facts.h and docs/attention.md.
//
// Index
//   [SECTION] availability and requests
//   [SECTION] the view's facts
#include "app/model/attention_facts.h"

#include "text/model_manifest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

namespace spexlens::app {

const char * const attention_honest_sentence =
    "Attention shows what the model looks at, not what it uses: a word can draw attention and change nothing "
    "when it is masked, and the reverse.";

// [SECTION] availability and requests

bool manifest_declares_attentions(const std::string & manifest_text) {
    try {
        return !text::parse_manifest(manifest_text).internals.attentions.empty();
    } catch (const std::exception &) {
        return false;
    }
}

std::string attention_key(const loaded_result & r) {
    return r.model_sha256 + '\n' + r.granularity + '\n' + std::to_string(r.n) + '\n' + r.text;
}

std::string attention_unavailable(const loaded_result * result, bool model_declares_attentions) {
    if (result == nullptr) {
        return "Explain a text first: attention is read for the text just explained.";
    }
    if (result->is_components() || result->granularity == "synthetic" || result->model_sha256.empty()) {
        return "Attention is shown beside word explanations of a model; explain the words of a text.";
    }
    if (!model_declares_attentions) {
        return "This model declares no attention output (model.json \"internals\"), so there is no attention to show.";
    }
    return "";
}

bool attention_wanted(attention_session & a, const loaded_result & r) {
    const std::string key = attention_key(r);
    if (a.for_key != key) {
        a.for_key = key;
        a.phase   = ATTENTION_WANTED;
        a.received.reset();
        a.error.clear();
        ++a.request_id;  // an answer still on its way belongs to the old text
    }
    return a.phase == ATTENTION_WANTED;
}

void attention_sent(attention_session & a) {
    if (a.phase == ATTENTION_WANTED) {
        a.phase = ATTENTION_RUNNING;
    }
}

void attention_arrived(attention_session & a, int id, const std::vector<float> & values,
                       const std::vector<int64_t> & dims, const std::vector<int> & token_players, size_t players) {
    if (id != a.request_id) {
        return;
    }
    try {
        if (dims.size() != 5 || dims[1] != 1 || dims[3] != dims[4] || dims[0] <= 0 || dims[2] <= 0 || dims[3] <= 0) {
            std::string shown;
            for (const int64_t d : dims) {
                shown += (shown.empty() ? "" : ", ") + std::to_string(d);
            }
            throw attention::attention_error("attention: the internals graph gave attentions of shape [" + shown +
                                             "]; expected [layers, 1, heads, seq, seq] for one text");
        }
        attention::attention_tensor t;
        t.layers   = size_t(dims[0]);
        t.heads    = size_t(dims[2]);
        t.seq      = size_t(dims[3]);
        t.values   = values;  // [layers, 1, heads, seq, seq] is [layers, heads, seq, seq]
        a.received = attention::analyse_attention(t, token_players, players);
        a.phase    = ATTENTION_READY;
        a.error.clear();
        if (a.choice.layer >= t.layers || a.choice.head >= t.heads) {
            a.choice = attention::series_choice{};
        }
    } catch (const std::exception & e) {
        a.received.reset();
        a.phase = ATTENTION_FAILED;
        a.error = e.what();
    }
}

void attention_failed(attention_session & a, int id, const std::string & message) {
    if (id != a.request_id) {
        return;
    }
    a.received.reset();
    a.phase = ATTENTION_FAILED;
    a.error = message;
}

// [SECTION] the view's facts

std::string ordinal(size_t k) {
    const size_t tens   = k % 100;
    const char * suffix = "th";
    if (tens < 11 || tens > 13) {
        suffix = k % 10 == 1 ? "st" : k % 10 == 2 ? "nd" : k % 10 == 3 ? "rd" : "th";
    }
    return std::to_string(k) + suffix;
}

namespace {

std::string percent(double share) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f%%", 100.0 * share);
    return buffer;
}

// "“Ward”: 2nd of 23 by attention, 21st by use" (ranks counted from the largest).
std::string disagreement_line(const loaded_result & r, const attention::disagreement & d, size_t n) {
    const auto from_top = [n](double rank) { return ordinal(size_t(std::lround(double(n) + 1.0 - rank))); };
    return "\xE2\x80\x9C" + feature_label(r, int(d.player)) + "\xE2\x80\x9D: " + from_top(d.attention_rank) + " of " +
           std::to_string(n) + " by attention, " + from_top(d.use_rank) + " by use";
}

}  // namespace

attention_view_facts make_attention_facts(const attention::received_attention & received, const loaded_result & r,
                                          const index_table & table, const attention::series_choice & choice,
                                          bool sort_by_use, size_t top) {
    if (received.players != size_t(r.n) || table.shapley.size() != size_t(r.n)) {
        throw attention::attention_error("attention: read for " + std::to_string(received.players) +
                                         " words but the result on screen has " + std::to_string(r.n));
    }
    attention_view_facts      f;
    const std::vector<double> series = attention::attention_series(received, choice);
    f.series                         = attention::series_name(received, choice);
    if (choice.kind == attention::SERIES_ROLLOUT) {
        f.series += received.rollout_from == attention::ROLLOUT_FIRST_TOKEN ? " (read from the [CLS] row)"
                                                                            : " (the mean of every token's row)";
    }
    for (int p = 0; p < r.n; ++p) {
        f.rows.push_back({p, feature_label(r, p), series[size_t(p)], table.shapley[size_t(p)]});
        f.attention_max = std::max(f.attention_max, series[size_t(p)]);
        f.use_max       = std::max(f.use_max, std::abs(table.shapley[size_t(p)]));
    }
    std::stable_sort(f.rows.begin(), f.rows.end(), [sort_by_use](const attention_row & a, const attention_row & b) {
        return sort_by_use ? std::abs(a.effect) > std::abs(b.effect) : a.attention > b.attention;
    });

    const attention::attention_use_comparison c = attention::compare_with_use(series, table.shapley, top);
    f.spearman                                  = c.spearman;
    char rho[64];
    std::snprintf(rho, sizeof rho, "%+.2f", c.spearman);
    f.correlation = std::isnan(c.spearman)
                        ? "Rank correlation: undefined here (fewer than two words, or one ranking is all ties)."
                        : std::string("Rank correlation (Spearman) between the attention a word receives and its use "
                                      "(|Shapley value|): \xCF\x81 = ") +
                              rho + " over " + std::to_string(r.n) + " words.";
    f.special     = percent(attention::special_share(received, choice)) +
                " of this attention goes to the special tokens ([CLS], [SEP]), which are not words.";
    for (const attention::disagreement & d : c.looked_at_little_used) {
        f.looked_at_little_used.push_back(disagreement_line(r, d, size_t(r.n)));
    }
    for (const attention::disagreement & d : c.used_little_looked_at) {
        f.used_little_looked_at.push_back(disagreement_line(r, d, size_t(r.n)));
    }
    return f;
}

}  // namespace spexlens::app
