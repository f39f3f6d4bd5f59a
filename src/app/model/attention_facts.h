// attention_facts: the page's attention view as data (docs/attention.md). The worker runs the
// model's internals graph on the text just explained and hands back its attention tensor and the
// player of each token; this file turns them, with the result on screen, into what the view
// draws: per word the attention it receives beside its use (|Shapley value|), sorted either way,
// the chosen series (rollout, a layer's mean of heads, one head), the rank correlation, the words
// where the rankings disagree most, and the share of attention on special tokens. It also keeps
// the view's requests in order (one per text and model, answers for older ones ignored).
#pragma once

#include "app/model/index_table.h"
#include "app/model/loaded_result.h"
#include "attention/attention_analysis.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spexlens::app {

// The sentence the view always shows (issue 13: attention read with scepticism).
extern const char * const attention_honest_sentence;

// Whether a model.json (as the page holds it) declares an internals graph with attentions.
// False for text that does not parse.
bool manifest_declares_attentions(const std::string & manifest_text);

enum attention_phase {
    ATTENTION_IDLE,     // nothing asked (the view is closed, or there is nothing to read)
    ATTENTION_WANTED,   // the view needs the attention of the result on screen: the web glue asks the worker
    ATTENTION_RUNNING,  // asked (request_id); the answer is on its way
    ATTENTION_READY,    // `received` holds it
    ATTENTION_FAILED    // `error` says why
};

// The attention view's state in app_state.
struct attention_session {
    bool                                         open       = false;
    attention_phase                              phase      = ATTENTION_IDLE;
    int                                          request_id = 0;
    std::string                                  for_key;  // attention_key of the result it was asked for
    std::string                                  error;
    std::optional<attention::received_attention> received;
    attention::series_choice                     choice;
    bool                                         sort_by_use = false;  // else by attention
};

// What identifies the attention of a result: the model, the features and the text.
std::string attention_key(const loaded_result & r);

// Why the view cannot show attention for this result, in one line, or "" when it can: no
// result, not a word (or sentence) explanation of a model, or a model that declares no
// attentions output.
std::string attention_unavailable(const loaded_result * result, bool model_declares_attentions);

// Called every frame the view is open: when the result on screen is not the one the session
// holds or asked for, the session wants it (phase WANTED, a new request_id). Returns whether
// the glue should now ask the worker (phase WANTED).
bool attention_wanted(attention_session & a, const loaded_result & r);
// The glue sent request a.request_id.
void attention_sent(attention_session & a);
// The worker's answer for request `id`: the internals output `values` with its `dims`
// ([layers, batch = 1, heads, seq, seq]) and the player of each of its seq positions
// (attention::special_token, padding_token or 0..n-1). Older requests are ignored. Bad
// shapes and values become the session's error (the analysis names what is wrong).
void attention_arrived(attention_session & a, int id, const std::vector<float> & values,
                       const std::vector<int64_t> & dims, const std::vector<int> & token_players, size_t players);
void attention_failed(attention_session & a, int id, const std::string & message);

// One word of the view.
struct attention_row {
    int         player = 0;
    std::string label;
    double      attention = 0.0;  // received, in the chosen series
    double      effect    = 0.0;  // the word's Shapley value (signed); use is its magnitude
};

struct attention_view_facts {
    std::string                series;               // "rollout (read from the [CLS] row)", "layer 2, head 3"
    std::vector<attention_row> rows;                 // sorted by attention or by use, largest first
    double                     attention_max = 0.0;  // for the bars
    double                     use_max       = 0.0;
    double                     spearman      = 0.0;    // NaN when undefined
    std::string                correlation;            // the correlation in one sentence
    std::string                special;                // the share on special tokens in one sentence
    std::vector<std::string>   looked_at_little_used;  // "“Ward”: 2nd of 23 by attention, 21st by use"
    std::vector<std::string>   used_little_looked_at;
};

// The view's facts for the result on screen and its index table (use: table.shapley). Throws
// attention_error when the attention covers another number of words than the result.
attention_view_facts make_attention_facts(const attention::received_attention & received, const loaded_result & r,
                                          const index_table & table, const attention::series_choice & choice,
                                          bool sort_by_use, size_t top = 3);

// "1st", "2nd", "3rd", "11th", "22nd".
std::string ordinal(size_t k);

}  // namespace spexlens::app
