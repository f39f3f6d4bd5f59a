#include "explain/component_result_json.h"

#include <string>

namespace spexlens {

namespace {

ordered_json json_players(const components::component_players & players) {
    ordered_json out = ordered_json::array();
    for (const components::component_player & p : players.players()) {
        ordered_json item;
        item["text"]  = p.name;  // readers that show feature text show the component's name
        item["kind"]  = p.kind == components::COMPONENT_HEAD ? "head" : "mlp";
        item["layer"] = p.layer;
        if (p.kind == components::COMPONENT_HEAD) {
            item["head"] = p.first;
        } else {
            item["first"] = p.first;
            item["count"] = p.count;
        }
        out.push_back(item);
    }
    return out;
}

ordered_json json_layout(const components::component_players & players) {
    const components::component_layout & l = players.layout();
    ordered_json                         out;
    out["layers"]   = l.layers;
    out["heads"]    = l.heads;
    out["ff"]       = l.ff;
    out["group"]    = players.spec().group;
    out["set"]      = components::component_set_name(players.spec().set);
    out["ablation"] = components::ablation_mode_name(players.ablation());
    return out;
}

}  // namespace

void add_component_fields(ordered_json & result, const components::component_players & players,
                          const text::model_manifest & manifest, const text::target_spec & target) {
    const bool        mean    = players.ablation() == components::ABLATION_MEAN;
    const std::string label   = manifest.labels.at(size_t(target.class_index));
    const std::string measure = text::target_measure_name(target.measure);

    result["players"]     = "components";
    result["granularity"] = "component";
    result["features"]    = json_players(players);
    result["components"]  = json_layout(players);
    result["interpretation"] =
        "How this model's " + measure + " for \"" + label + "\" on this text changes when these attention heads " +
        "and MLP neuron groups are ablated (" + (mean ? "replaced by their training-set mean" : "zeroed") +
        "), with the faithfulness R^2 above. Ablation is an intervention, so this is causal evidence for this "
        "ablation on this input; it is not a full account of the model's mechanism.";
}

}  // namespace spexlens
