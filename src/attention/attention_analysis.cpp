// attention_analysis: see attention_analysis.h and docs/attention.md.
//
// Index
//   [SECTION] the token map
//   [SECTION] checking the tensor
//   [SECTION] received attention and rollout
//   [SECTION] series
//   [SECTION] ranks and the comparison with use
#include "attention/attention_analysis.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace spexlens::attention {

namespace {

[[noreturn]] void fail(const std::string & what) { throw attention_error("attention: " + what); }

std::string str(size_t v) { return std::to_string(v); }

}  // namespace

// [SECTION] the token map

std::vector<int> token_word_map(size_t before, size_t text_tokens,
                                const std::vector<std::pair<size_t, size_t>> & player_tokens, size_t after,
                                size_t seq) {
    if (before + text_tokens + after > seq) {
        fail("the row has " + str(before) + " + " + str(text_tokens) + " + " + str(after) +
             " tokens but the model's output covers only " + str(seq) + " positions");
    }
    std::vector<int> map(seq, padding_token);
    std::fill(map.begin(), map.begin() + static_cast<std::ptrdiff_t>(before + text_tokens + after), special_token);
    for (size_t p = 0; p < player_tokens.size(); ++p) {
        const auto [first, count] = player_tokens[p];
        if (first > text_tokens || count > text_tokens - first) {
            fail("player " + str(p) + " holds tokens " + str(first) + " to " + str(first + count) +
                 " but the text has " + str(text_tokens));
        }
        for (size_t k = first; k < first + count; ++k) {
            map[before + k] = static_cast<int>(p);
        }
    }
    return map;
}

// [SECTION] checking the tensor

namespace {

void check_shape(const attention_tensor & t, const std::vector<int> & token_word, size_t players) {
    if (t.layers == 0 || t.heads == 0 || t.seq == 0) {
        fail("the tensor has an empty axis (layers " + str(t.layers) + ", heads " + str(t.heads) + ", sequence " +
             str(t.seq) + ")");
    }
    if (t.seq > max_sequence) {
        fail("sequences of " + str(t.seq) + " tokens are not analysed (at most " + str(max_sequence) + ")");
    }
    if (t.layers > max_tensor_values / t.heads / t.seq / t.seq) {
        fail("the tensor would hold more than " + str(max_tensor_values) + " values");
    }
    const size_t expected = t.layers * t.heads * t.seq * t.seq;
    if (t.values.size() != expected) {
        fail("the shape [" + str(t.layers) + ", " + str(t.heads) + ", " + str(t.seq) + ", " + str(t.seq) + "] needs " +
             str(expected) + " values but there are " + str(t.values.size()));
    }
    if (token_word.size() != t.seq) {
        fail("the token map has " + str(token_word.size()) + " positions but the tensor " + str(t.seq));
    }
    for (size_t k = 0; k < token_word.size(); ++k) {
        const int w = token_word[k];
        if (w < padding_token || (w >= 0 && static_cast<size_t>(w) >= players)) {
            fail("position " + str(k) + " names player " + std::to_string(w) + " but there are " + str(players));
        }
    }
}

// Every value finite and >= 0; every input query's row sums to 1 (softmax probabilities).
void check_values(const attention_tensor & t, const std::vector<int> & token_word) {
    constexpr double tolerance = 1e-3;
    for (size_t l = 0; l < t.layers; ++l) {
        for (size_t h = 0; h < t.heads; ++h) {
            for (size_t q = 0; q < t.seq; ++q) {
                const float * row = &t.values[((l * t.heads + h) * t.seq + q) * t.seq];
                double        sum = 0.0;
                for (size_t k = 0; k < t.seq; ++k) {
                    if (!std::isfinite(row[k]) || row[k] < 0.0f) {
                        fail("layer " + str(l + 1) + ", head " + str(h + 1) + ", query " + str(q) + ", key " + str(k) +
                             ": " + (std::isnan(row[k]) ? std::string("NaN") : std::to_string(row[k])) +
                             " is not a probability; the model's attention output is broken");
                    }
                    sum += row[k];
                }
                if (token_word[q] != padding_token && std::abs(sum - 1.0) > tolerance) {
                    fail("layer " + str(l + 1) + ", head " + str(h + 1) + ", query " + str(q) + ": the row sums to " +
                         std::to_string(sum) +
                         ", not 1; the output must be softmax probabilities (query by key), not scores");
                }
            }
        }
    }
}

}  // namespace

// [SECTION] received attention and rollout

namespace {

using matrix = Eigen::MatrixXd;

// The rollout over the input tokens (padding left out): per layer the head mean plus the
// identity, rows normalised, multiplied through the layers (the last layer's on the left).
matrix rollout_matrix(const attention_tensor & t, const std::vector<size_t> & input) {
    const Eigen::Index m    = static_cast<Eigen::Index>(input.size());
    matrix             roll = matrix::Identity(m, m);
    for (size_t l = 0; l < t.layers; ++l) {
        matrix a = matrix::Identity(m, m);
        for (size_t h = 0; h < t.heads; ++h) {
            for (Eigen::Index i = 0; i < m; ++i) {
                const float * row = &t.values[((l * t.heads + h) * t.seq + input[size_t(i)]) * t.seq];
                for (Eigen::Index j = 0; j < m; ++j) {
                    a(i, j) += row[input[size_t(j)]] / static_cast<double>(t.heads);
                }
            }
        }
        for (Eigen::Index i = 0; i < m; ++i) {
            a.row(i) /= a.row(i).sum();
        }
        roll = a * roll;
    }
    return roll;
}

}  // namespace

received_attention analyse_attention(const attention_tensor & t, const std::vector<int> & token_word, size_t players) {
    check_shape(t, token_word, players);
    check_values(t, token_word);
    std::vector<size_t> input;
    for (size_t k = 0; k < t.seq; ++k) {
        if (token_word[k] != padding_token) {
            input.push_back(k);
        }
    }
    if (input.empty()) {
        fail("every position is padding: there is no input token to read");
    }
    received_attention r;
    r.layers       = t.layers;
    r.heads        = t.heads;
    r.players      = players;
    r.input_tokens = input.size();
    r.per_head.assign(t.layers * t.heads * players, 0.0);
    r.head_mean.assign(t.layers * players, 0.0);
    r.special_per_head.assign(t.layers * t.heads, 0.0);
    r.special_mean.assign(t.layers, 0.0);
    r.padding_per_head.assign(t.layers * t.heads, 0.0);
    const double per_query = 1.0 / static_cast<double>(input.size());
    for (size_t l = 0; l < t.layers; ++l) {
        for (size_t h = 0; h < t.heads; ++h) {
            const size_t lh = l * t.heads + h;
            for (const size_t q : input) {
                const float * row = &t.values[(lh * t.seq + q) * t.seq];
                for (size_t k = 0; k < t.seq; ++k) {
                    const int    w = token_word[k];
                    const double v = row[k] * per_query;
                    if (w >= 0) {
                        r.per_head[lh * players + size_t(w)] += v;
                    } else if (w == special_token) {
                        r.special_per_head[lh] += v;
                    } else {
                        r.padding_per_head[lh] += v;
                    }
                }
            }
            for (size_t p = 0; p < players; ++p) {
                r.head_mean[l * players + p] += r.per_head[lh * players + p] / double(t.heads);
            }
            r.special_mean[l] += r.special_per_head[lh] / double(t.heads);
        }
    }
    const matrix roll          = rollout_matrix(t, input);
    const bool   first_special = token_word[input[0]] == special_token;
    r.rollout_from             = first_special ? ROLLOUT_FIRST_TOKEN : ROLLOUT_MEAN_ROW;
    const Eigen::VectorXd row =
        first_special ? Eigen::VectorXd(roll.row(0).transpose()) : Eigen::VectorXd(roll.colwise().mean().transpose());
    r.rollout.assign(players, 0.0);
    for (size_t j = 0; j < input.size(); ++j) {
        const int w = token_word[input[j]];
        if (w >= 0) {
            r.rollout[size_t(w)] += row(Eigen::Index(j));
        } else {
            r.special_rollout += row(Eigen::Index(j));
        }
    }
    return r;
}

// [SECTION] series

namespace {

void check_choice(const received_attention & r, const series_choice & c) {
    if (c.kind != SERIES_ROLLOUT && c.layer >= r.layers) {
        fail("layer " + str(c.layer + 1) + " does not exist (the model has " + str(r.layers) + ")");
    }
    if (c.kind == SERIES_HEAD && c.head >= r.heads) {
        fail("head " + str(c.head + 1) + " does not exist (each layer has " + str(r.heads) + ")");
    }
}

}  // namespace

std::vector<double> attention_series(const received_attention & r, const series_choice & c) {
    check_choice(r, c);
    if (c.kind == SERIES_ROLLOUT) {
        return r.rollout;
    }
    const double * from = c.kind == SERIES_LAYER_MEAN ? &r.head_mean[c.layer * r.players]
                                                      : &r.per_head[(c.layer * r.heads + c.head) * r.players];
    return std::vector<double>(from, from + r.players);
}

double special_share(const received_attention & r, const series_choice & c) {
    check_choice(r, c);
    if (c.kind == SERIES_ROLLOUT) {
        return r.special_rollout;
    }
    return c.kind == SERIES_LAYER_MEAN ? r.special_mean[c.layer] : r.special_per_head[c.layer * r.heads + c.head];
}

std::string series_name(const received_attention & r, const series_choice & c) {
    check_choice(r, c);
    if (c.kind == SERIES_ROLLOUT) {
        return "rollout";
    }
    if (c.kind == SERIES_LAYER_MEAN) {
        return "layer " + str(c.layer + 1) + ", mean of " + str(r.heads) + " heads";
    }
    return "layer " + str(c.layer + 1) + ", head " + str(c.head + 1);
}

// [SECTION] ranks and the comparison with use

std::vector<double> average_ranks(const std::vector<double> & values) {
    std::vector<size_t> order(values.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(values.size(), 0.0);
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) {
            ++j;
        }
        const double mean_rank = (double(i + 1) + double(j + 1)) / 2.0;
        for (size_t k = i; k <= j; ++k) {
            ranks[order[k]] = mean_rank;
        }
        i = j + 1;
    }
    return ranks;
}

namespace {

void check_pair(const std::vector<double> & a, const std::vector<double> & b) {
    if (a.size() != b.size()) {
        fail("cannot compare " + str(a.size()) + " values with " + str(b.size()));
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i]) || !std::isfinite(b[i])) {
            fail("value " + str(i) + " is not a finite number (" + std::to_string(a[i]) + ", " + std::to_string(b[i]) +
                 ")");
        }
    }
}

}  // namespace

double spearman(const std::vector<double> & a, const std::vector<double> & b) {
    check_pair(a, b);
    if (a.size() < 2) {
        return std::nan("");
    }
    const std::vector<double> ra = average_ranks(a), rb = average_ranks(b);
    const double              mean = (double(a.size()) + 1.0) / 2.0;
    double                    sab = 0.0, saa = 0.0, sbb = 0.0;
    for (size_t i = 0; i < a.size(); ++i) {
        sab += (ra[i] - mean) * (rb[i] - mean);
        saa += (ra[i] - mean) * (ra[i] - mean);
        sbb += (rb[i] - mean) * (rb[i] - mean);
    }
    if (saa == 0.0 || sbb == 0.0) {
        return std::nan("");
    }
    return sab / std::sqrt(saa * sbb);
}

attention_use_comparison compare_with_use(const std::vector<double> & attention, const std::vector<double> & effects,
                                          size_t top) {
    check_pair(attention, effects);
    std::vector<double> use(effects.size());
    std::transform(effects.begin(), effects.end(), use.begin(), [](double e) { return std::abs(e); });
    attention_use_comparison out;
    out.spearman = spearman(attention, use);
    if (attention.size() < 2) {
        return out;
    }
    const std::vector<double> ra = average_ranks(attention), ru = average_ranks(use);
    const double              span = double(attention.size() - 1);
    std::vector<disagreement> all;
    for (size_t p = 0; p < attention.size(); ++p) {
        all.push_back({p, ra[p], ru[p], (ra[p] - ru[p]) / span});
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const disagreement & x, const disagreement & y) { return x.gap > y.gap; });
    for (const disagreement & d : all) {
        if (d.gap > 0.0 && out.looked_at_little_used.size() < top) {
            out.looked_at_little_used.push_back(d);
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const disagreement & x, const disagreement & y) {
        return x.gap < y.gap || (x.gap == y.gap && x.player < y.player);
    });
    for (const disagreement & d : all) {
        if (d.gap < 0.0 && out.used_little_looked_at.size() < top) {
            out.used_little_looked_at.push_back(d);
        }
    }
    return out;
}

}  // namespace spexlens::attention
