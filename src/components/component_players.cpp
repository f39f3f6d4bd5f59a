// component_players: see component_players.h. Player order is fixed (all heads layer by
// layer, then all neuron groups layer by layer) so a feature index means the same component
// in every result for the same options.
#include "components/component_players.h"

#include "spex/query_design.h"
#include "text/text_error.h"

#include <algorithm>
#include <charconv>

namespace spexlens::components {

namespace {

using text::text_error;

const char * const spec_forms =
    "expected text, components, components:group=G, heads, neurons or neurons:group=G (G neurons per player)";

// The layers and width of one mask input; refuses what per-row ablation cannot use.
void read_mask(const text::model_manifest & m, text::input_role role, int & layers, int & width) {
    const text::tensor_spec * t    = m.input_with_role(role);
    const char *              what = role == text::INPUT_HEAD_MASK ? "attention heads" : "MLP neurons";
    if (t == nullptr) {
        throw text_error(std::string("this model has no ") + text::input_role_name(role) + " input, so its " + what +
                         " cannot be players; explain its words, or export it with the component inputs of "
                         "docs/components.md");
    }
    if (!t->batched()) {
        throw text_error(std::string("this model's ") + text::input_role_name(role) +
                         " has no batch axis, so every ablation would need a model call of its own; re-export it "
                         "with the shape [\"batch\", layers, width] (docs/components.md)");
    }
    // Bounded before anything is sized from them: a manifest declaring [batch, 65536, 65536] would
    // otherwise build billions of players before the engine's n <= 4096 is checked.
    const int64_t max_layers = 1024, max_width = 1 << 20;
    if (t->shape[1] < 1 || t->shape[1] > max_layers || t->shape[2] < 1 || t->shape[2] > max_width) {
        throw text_error(std::string("this model's ") + text::input_role_name(role) + " has the shape [batch, " +
                         std::to_string(t->shape[1]) + ", " + std::to_string(t->shape[2]) + "]; spexlens takes 1 to " +
                         std::to_string(max_layers) + " layers and 1 to " + std::to_string(max_width) + " " + what +
                         " per layer (docs/components.md)");
    }
    layers = int(t->shape[1]);
    width  = int(t->shape[2]);
}

std::string mlp_name(int layer, int first, int count) {
    const std::string l = "L" + std::to_string(layer) + ".mlp[";
    return count == 1 ? l + std::to_string(first) + "]"
                      : l + std::to_string(first) + ":" + std::to_string(first + count) + "]";
}

}  // namespace

const char * component_set_name(component_set s) {
    switch (s) {
    case COMPONENT_SET_HEADS_AND_MLP:
        return "heads+mlp";
    case COMPONENT_SET_HEADS:
        return "heads";
    case COMPONENT_SET_MLP:
        return "mlp";
    }
    return "?";
}

const char * ablation_mode_name(ablation_mode a) { return a == ABLATION_MEAN ? "mean" : "zero"; }

bool parse_ablation_mode(std::string_view name, ablation_mode & out) {
    if (name == "zero" || name == "mean") {
        out = name == "mean" ? ABLATION_MEAN : ABLATION_ZERO;
        return true;
    }
    return false;
}

bool parse_player_spec(std::string_view text, player_spec & out, std::string & error) {
    player_spec            spec;
    const size_t           colon = text.find(':');
    const std::string_view head  = text.substr(0, colon);
    if (head == "text" && colon == std::string_view::npos) {
        out = spec;
        return true;
    }
    spec.components = true;
    if (head == "components") {
        spec.set = COMPONENT_SET_HEADS_AND_MLP;
    } else if (head == "neurons") {
        spec.set = COMPONENT_SET_MLP;
    } else if (head == "heads" && colon == std::string_view::npos) {
        spec.set = COMPONENT_SET_HEADS;
    } else {
        error = spec_forms + std::string(", got \"") + std::string(text) + "\"";
        return false;
    }
    if (colon != std::string_view::npos) {
        const std::string_view arg = text.substr(colon + 1);
        const std::string_view key = "group=";
        int                    g   = 0;
        const char *           end = arg.data() + arg.size();
        if (arg.substr(0, key.size()) != key || std::from_chars(arg.data() + key.size(), end, g).ptr != end ||
            arg.size() == key.size() || g < 1) {
            error = spec_forms + std::string(", got \"") + std::string(text) + "\" (G is a positive integer)";
            return false;
        }
        spec.group = g;
    }
    out = spec;
    return true;
}

std::string player_spec_name(const player_spec & spec) {
    if (!spec.components) {
        return "text";
    }
    if (spec.set == COMPONENT_SET_HEADS) {
        return "heads";
    }
    return std::string(spec.set == COMPONENT_SET_MLP ? "neurons" : "components") +
           ":group=" + std::to_string(spec.group);
}

component_players::component_players(const text::model_manifest & manifest, const player_spec & spec,
                                     ablation_mode ablation)
    : spec_(spec), ablation_(ablation) {
    const bool use_heads = spec.set != COMPONENT_SET_MLP;
    const bool use_mlp   = spec.set != COMPONENT_SET_HEADS;
    if (use_heads) {
        read_mask(manifest, text::INPUT_HEAD_MASK, layout_.layers, layout_.heads);
    }
    if (use_mlp) {
        int layers = 0;
        read_mask(manifest, text::INPUT_MLP_MASK, layers, layout_.ff);
        if (use_heads && layers != layout_.layers) {
            throw text_error("the model's head_mask has " + std::to_string(layout_.layers) +
                             " layers but its mlp_mask has " + std::to_string(layers) + "; fix the manifest");
        }
        layout_.layers = layers;
        if (spec.group > layout_.ff) {
            throw text_error("a group of " + std::to_string(spec.group) + " neurons is wider than a layer (" +
                             std::to_string(layout_.ff) + " neurons); choose a group of 1 to " +
                             std::to_string(layout_.ff));
        }
    }
    if (const text::tensor_spec * t = manifest.input_with_role(text::INPUT_HEAD_OFFSET)) {
        if (t->shape.size() < 4 || t->shape[3] < 1 || t->shape[3] > 65536) {
            throw text_error("this model's head_offset must have the shape [batch, layers, heads, head_dim] with "
                             "head_dim 1 to 65536 (docs/components.md)");
        }
        layout_.has_head_offset = true;
        layout_.head_dim        = int(t->shape[3]);
    }
    const int64_t groups  = use_mlp ? (int64_t(layout_.ff) + spec.group - 1) / spec.group : 0;
    const int64_t players = int64_t(layout_.layers) * ((use_heads ? layout_.heads : 0) + groups);
    if (players > spex::spex_max_n) {
        throw text_error("this model has " + std::to_string(players) + " " + player_spec_name(spec) +
                         " players, more than the " + std::to_string(spex::spex_max_n) +
                         " spexlens explains at once; choose heads only, or neurons in larger groups "
                         "(neurons:group=G)");
    }
    layout_.has_mlp_offset = manifest.input_with_role(text::INPUT_MLP_OFFSET) != nullptr;

    if (ablation == ABLATION_MEAN) {
        const bool heads_ok = !use_heads || (layout_.has_head_offset && !manifest.means.head.empty());
        const bool mlp_ok   = !use_mlp || (layout_.has_mlp_offset && !manifest.means.mlp.empty());
        if (!heads_ok || !mlp_ok) {
            throw text_error(std::string("mean ablation needs the model's ") + (heads_ok ? "mlp" : "head") +
                             "_offset input and its means under \"component_means\" in model.json "
                             "(docs/components.md); this model has not got them, so use zero ablation");
        }
        if (use_heads) {
            head_means_ = manifest.means.head;
        }
        if (use_mlp) {
            mlp_means_ = manifest.means.mlp;
        }
    }

    for (int l = 0; use_heads && l < layout_.layers; ++l) {
        for (int h = 0; h < layout_.heads; ++h) {
            players_.push_back({COMPONENT_HEAD, l, h, 1, "L" + std::to_string(l) + ".H" + std::to_string(h)});
        }
    }
    for (int l = 0; use_mlp && l < layout_.layers; ++l) {
        for (int first = 0; first < layout_.ff; first += spec.group) {
            const int count = std::min(spec.group, layout_.ff - first);
            players_.push_back({COMPONENT_MLP, l, first, count, mlp_name(l, first, count)});
        }
    }
}

void component_players::fill_tensors(const spex::mask_matrix & masks, text::model_batch & out) const {
    if (masks.n != size()) {
        throw text_error("the masks are over " + std::to_string(masks.n) + " players but there are " +
                         std::to_string(size()) + " components");
    }
    const size_t rows       = masks.count;
    const bool   use_heads  = spec_.set != COMPONENT_SET_MLP;
    const bool   use_mlp    = spec_.set != COMPONENT_SET_HEADS;
    const bool   mean       = ablation_ == ABLATION_MEAN;
    const size_t head_block = size_t(layout_.layers) * size_t(layout_.heads);
    const size_t mlp_block  = size_t(layout_.layers) * size_t(layout_.ff);
    const size_t dim        = size_t(layout_.head_dim);
    out.head_mask.assign(use_heads ? rows * head_block : 0, 1.0f);
    out.mlp_mask.assign(use_mlp ? rows * mlp_block : 0, 1.0f);
    out.head_offset.assign(use_heads && mean ? rows * head_block * dim : 0, 0.0f);
    out.mlp_offset.assign(use_mlp && mean ? rows * mlp_block : 0, 0.0f);

    for (size_t r = 0; r < rows; ++r) {
        for (int i = 0; i < size(); ++i) {
            if (masks.keeps(r, i)) {
                continue;
            }
            const component_player & p = players_[size_t(i)];
            if (p.kind == COMPONENT_HEAD) {
                const size_t at                    = size_t(p.layer) * size_t(layout_.heads) + size_t(p.first);
                out.head_mask[r * head_block + at] = 0.0f;
                if (mean) {
                    std::copy_n(head_means_.begin() + long(at * dim), dim,
                                out.head_offset.begin() + long((r * head_block + at) * dim));
                }
            } else {
                const size_t at = size_t(p.layer) * size_t(layout_.ff) + size_t(p.first);
                std::fill_n(out.mlp_mask.begin() + long(r * mlp_block + at), p.count, 0.0f);
                if (mean) {
                    std::copy_n(mlp_means_.begin() + long(at), p.count,
                                out.mlp_offset.begin() + long(r * mlp_block + at));
                }
            }
        }
    }
}

}  // namespace spexlens::components
