// attention_analysis: what a transformer's attention weights say about one text, set beside
// what the explanation says the model *uses* (docs/attention.md). From one text's attention
// probabilities [layers, heads, seq, seq] (query by key) and the map from token positions to
// players (0..n-1; the frame's special tokens and padding belong to no player), it computes the
// attention each player receives per layer and head, the mean over heads, an attention rollout
// (Abnar & Zuidema 2020), and the rank agreement of any of these with the players' use
// (magnitudes of first-order effects). Pure C++ + Eigen: it knows tokens and players only.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace spexlens::attention {

// A bad tensor, map or vector: the message says what is wrong and what was expected.
class attention_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What a token position holds, in token_word maps: a player's index (>= 0), or one of these.
constexpr int special_token = -1;  // [CLS], [SEP], ...: part of the input, but no player
constexpr int padding_token = -2;  // padding: not part of the input (attention_mask 0)

// Largest sequence analysed (the rollout multiplies seq x seq matrices per layer) and the
// largest tensor accepted, so a broken output costs bounded time and memory.
constexpr size_t max_sequence      = 1024;
constexpr size_t max_tensor_values = size_t(1) << 26;  // 256 MB of float32

// The map for a row laid out as the text layer lays it out: `before` special tokens, the
// text's tokens (text_tokens of them; player p holds tokens [first, first + count) of them,
// given as player_tokens[p] = {first, count}), `after` special tokens, then padding up to
// `seq` positions. Throws attention_error when the parts do not fit in `seq` or a player's
// tokens lie outside the text's.
std::vector<int> token_word_map(size_t before, size_t text_tokens,
                                const std::vector<std::pair<size_t, size_t>> & player_tokens, size_t after, size_t seq);

// One text's attention probabilities, row-major [layers, heads, seq, seq]: values[((l * heads
// + h) * seq + q) * seq + k] is how much query token q attends to key token k in layer l, head h.
struct attention_tensor {
    size_t             layers = 0;
    size_t             heads  = 0;
    size_t             seq    = 0;
    std::vector<float> values;
};

// How the rollout's per-player numbers were read off the rolled-out matrix.
enum rollout_row {
    ROLLOUT_FIRST_TOKEN,  // the row of the first position, a special token ([CLS]): what feeds the classifier
    ROLLOUT_MEAN_ROW      // the mean of the rows of every input token (no leading special token)
};

// The attention each player receives. Queries are the input's tokens (every position that is
// not padding, [CLS] and [SEP] included); a player's share in one head is the mean over those
// queries of the attention to the player's tokens, summed over its tokens.
struct received_attention {
    size_t              layers = 0, heads = 0, players = 0;
    size_t              input_tokens = 0;  // positions that are not padding
    std::vector<double> per_head;          // [layers][heads][players]
    std::vector<double> head_mean;         // [layers][players]: the mean of per_head over heads
    std::vector<double> rollout;           // [players]
    rollout_row         rollout_from = ROLLOUT_FIRST_TOKEN;
    // The same mean share given to the special tokens (all of them together), and to padding
    // (should be 0: a sign the attention mask was not applied otherwise).
    std::vector<double> special_per_head;  // [layers][heads]
    std::vector<double> special_mean;      // [layers]
    double              special_rollout = 0.0;
    std::vector<double> padding_per_head;  // [layers][heads]

    double received(size_t layer, size_t head, size_t player) const {
        return per_head[(layer * heads + head) * players + player];
    }
};

// Checks the tensor and the map and computes everything above. Throws attention_error naming
// the problem: a shape that does not match its values, a map of another length or naming a
// player >= players, a NaN or infinite or negative value (with its layer, head, query and
// key), a query row that does not sum to 1 (not softmax probabilities), no input token, a
// tensor over the limits.
received_attention analyse_attention(const attention_tensor & tensor, const std::vector<int> & token_word,
                                     size_t players);

// Which per-player series a view shows.
enum series_kind {
    SERIES_ROLLOUT,     // the rollout through every layer
    SERIES_LAYER_MEAN,  // one layer, the mean of its heads
    SERIES_HEAD         // one layer, one head
};
struct series_choice {
    series_kind kind  = SERIES_ROLLOUT;
    size_t      layer = 0;
    size_t      head  = 0;
};
// The chosen series (players values). Throws attention_error for a layer or head out of range.
std::vector<double> attention_series(const received_attention & r, const series_choice & choice);
// The share of attention on special tokens for the same choice.
double special_share(const received_attention & r, const series_choice & choice);
// "rollout", "layer 2, mean of 4 heads", "layer 2, head 3" (1-based for people).
std::string series_name(const received_attention & r, const series_choice & choice);

// Ranks 1..n of `values` in increasing order, ties given the mean of the ranks they span.
std::vector<double> average_ranks(const std::vector<double> & values);
// Spearman's rank correlation (Pearson's on average_ranks). NaN when it is undefined: fewer than
// two values, or either side constant. Throws attention_error for vectors of different lengths
// or a NaN / infinite value.
double spearman(const std::vector<double> & a, const std::vector<double> & b);

// A player on which attention and use disagree: its ranks (1 = least, n = most) and the gap
// between them as a share of n - 1 (from -1 to 1; > 0: more attention than use).
struct disagreement {
    size_t player         = 0;
    double attention_rank = 0.0;
    double use_rank       = 0.0;
    double gap            = 0.0;
};

struct attention_use_comparison {
    double                    spearman = 0.0;         // NaN when undefined
    std::vector<disagreement> looked_at_little_used;  // gap > 0, largest first
    std::vector<disagreement> used_little_looked_at;  // gap < 0, most negative first
};

// Attention (received, per player) against use: `effects` are the players' first-order effects
// (signed), ranked by magnitude. At most `top` players on each side; ties on the gap go to the
// lower player index. Throws attention_error as spearman does.
attention_use_comparison compare_with_use(const std::vector<double> & attention, const std::vector<double> & effects,
                                          size_t top);

}  // namespace spexlens::attention
