// component_players: a model's attention heads and MLP neurons as the players of an explanation
// (docs/components.md). The text stays whole; each player switches one head, or one group of
// neurons, on or off, and fill_tensors turns the engine's masks into the model's component
// inputs, one ablation per row. Knows the manifest's component inputs, nothing of words or UI.
#pragma once

#include "spex/mask_matrix.h"
#include "text/model_batch.h"
#include "text/model_manifest.h"

#include <string>
#include <string_view>
#include <vector>

namespace spexlens::components {

enum component_set {
    COMPONENT_SET_HEADS_AND_MLP,  // "components[:group=G]"
    COMPONENT_SET_HEADS,          // "heads"
    COMPONENT_SET_MLP             // "neurons[:group=G]"
};
const char * component_set_name(component_set s);  // "heads+mlp", "heads", "mlp"

enum ablation_mode {
    ABLATION_ZERO,  // a dropped player outputs zero
    ABLATION_MEAN   // a dropped player outputs its training-set mean (manifest component_means)
};
const char * ablation_mode_name(ablation_mode a);  // "zero", "mean"
bool         parse_ablation_mode(std::string_view name, ablation_mode & out);

constexpr int default_group = 8;

// SPEX's t when a component run is sized by b and no t is given: 3, or the index order up to
// 5. On the shipped model at b = 6 it halves the model calls of t = 5 for a held-out R² within
// 0.01 (docs/components.md), which keeps the page under 5 s.
inline int default_component_t(int max_order) { return max_order < 3 ? 3 : (max_order > 5 ? 5 : max_order); }

// What the "players" option asked for, when it names components.
struct player_spec {
    bool          components = false;  // false: words or sentences ("text")
    component_set set        = COMPONENT_SET_HEADS_AND_MLP;
    int           group      = default_group;  // neurons per MLP player
};

// Parses "text", "components", "components:group=G", "heads", "neurons", "neurons:group=G".
// Returns false and sets `error` to a message naming the accepted forms.
bool parse_player_spec(std::string_view text, player_spec & out, std::string & error);

// "components:group=8", "heads", "neurons:group=4", "text": the canonical option string.
std::string player_spec_name(const player_spec & spec);

enum component_kind { COMPONENT_HEAD, COMPONENT_MLP };

struct component_player {
    component_kind kind  = COMPONENT_HEAD;
    int            layer = 0;
    int            first = 0;  // the head, or the group's first neuron
    int            count = 1;  // 1 for a head; the group's neurons
    std::string    name;       // "L1.H2", "L0.mlp[32:40]", "L0.mlp[7]"
};

// The model's component inputs as the manifest declares them; 0 where the model lacks one.
struct component_layout {
    int  layers          = 0;
    int  heads           = 0;  // per layer
    int  ff              = 0;  // neurons per layer
    int  head_dim        = 0;  // from head_offset; 0 without it
    bool has_head_offset = false;
    bool has_mlp_offset  = false;
};

class component_players {
  public:
    // Throws text::text_error when the model cannot serve the request: no such mask input, a
    // mask without a batch axis, a group wider than a layer, mean ablation without means.
    component_players(const text::model_manifest & manifest, const player_spec & spec, ablation_mode ablation);

    const std::vector<component_player> & players() const { return players_; }
    const component_layout &              layout() const { return layout_; }
    const player_spec &                   spec() const { return spec_; }
    ablation_mode                         ablation() const { return ablation_; }
    int                                   size() const { return int(players_.size()); }

    // Writes the component tensors of `out` for masks over size() players (bit set = kept):
    // masks (1 kept, 0 dropped) and, for mean ablation, offsets (the mean where dropped). A
    // tensor no player touches is left empty; the caller feeds ones (masks) or zeros (offsets).
    // Throws text::text_error if masks.n differs from size().
    void fill_tensors(const spex::mask_matrix & masks, text::model_batch & out) const;

  private:
    player_spec                   spec_;
    ablation_mode                 ablation_;
    component_layout              layout_;
    std::vector<component_player> players_;
    std::vector<float>            head_means_;  // layers * heads * head_dim (mean ablation only)
    std::vector<float>            mlp_means_;   // layers * ff
};

}  // namespace spexlens::components
