// component_facts: what the page needs to offer component explanations (docs/components.md) —
// the model's shape (layers, heads, MLP width) and which ablations its manifest supports, read
// from the manifest text the page already has — and the "players" option a choice of
// components becomes, both ways, so the controls, the hook and the exports agree. The answers
// come from the core (src/text, src/components), so the page refuses what a run would refuse.
#pragma once

#include "components/component_players.h"

#include <string>

namespace spexlens::app {

// Which components are players: the component layer's own enum (heads and MLP neurons, heads
// only, neurons only), so the page and a run cannot disagree on what a choice means.
using spexlens::components::component_set;
using spexlens::components::COMPONENT_SET_HEADS;
using spexlens::components::COMPONENT_SET_HEADS_AND_MLP;
using spexlens::components::COMPONENT_SET_MLP;

struct component_choice {
    component_set set   = COMPONENT_SET_HEADS_AND_MLP;
    int           group = 8;  // neurons per group (ignored for heads only)
};

// From a model manifest (docs/model-manifest.md, docs/components.md).
struct component_facts {
    int  layers    = 0;
    int  heads     = 0;      // per layer; 0 without a head_mask input
    int  ff        = 0;      // MLP neurons per layer; 0 without an mlp_mask input
    bool batched   = false;  // both masks have a leading "batch" axis (one ablation per row)
    bool offsets   = false;  // head_offset and mlp_offset inputs exist
    bool has_means = false;  // "component_means" is present

    // "" when component explanations can run, else why not (for the controls to show).
    std::string unavailable;
    // "" when mean ablation can run, else why not.
    std::string mean_unavailable;
};

// Never throws: a manifest that cannot be read says so in `unavailable`.
component_facts read_component_facts(const std::string & manifest_json);

// Players of a choice on a model: heads L·H (unless neurons only) plus ⌈F/G⌉·L groups
// (unless heads only). 0 when the model has none of them.
int component_player_count(const component_facts & facts, const component_choice & choice);

// "components:group=8", "heads", "neurons:group=4".
std::string players_option(const component_choice & choice);
// Reads a players option; "text" (or "") is words. False with the core's `error` otherwise.
bool parse_players_option(const std::string & option, bool & components, component_choice & choice,
                          std::string & error);

// The group sizes the controls offer (1, 2, 4, 8, 16, 32, 64, 128).
constexpr int component_group_sizes[] = {1, 2, 4, 8, 16, 32, 64, 128};

}  // namespace spexlens::app
