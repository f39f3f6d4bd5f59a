// component_facts: see component_facts.h. Everything is asked of the core's own manifest
// parser and component players (src/text, src/components), so the page offers exactly what a
// run will accept and says why not in the core's words.
#include "app/model/component_facts.h"

#include "components/component_players.h"
#include "text/model_manifest.h"

#include <exception>

namespace spexlens::app {

namespace {

// "" when the core would build these players, else its message.
std::string refusal(const text::model_manifest & m, components::component_set set, components::ablation_mode a) {
    components::player_spec spec;
    spec.components = true;
    spec.set        = set;
    spec.group      = 1;  // any group up to the layer's width works once one does
    try {
        components::component_players players(m, spec, a);
    } catch (const std::exception & e) {
        return e.what();
    }
    return "";
}

}  // namespace

component_facts read_component_facts(const std::string & manifest_json) {
    component_facts      facts;
    text::model_manifest m;
    try {
        m = text::parse_manifest(manifest_json);
    } catch (const std::exception & e) {
        facts.unavailable      = e.what();
        facts.mean_unavailable = facts.unavailable;
        return facts;
    }
    const text::tensor_spec * head = m.input_with_role(text::INPUT_HEAD_MASK);
    const text::tensor_spec * mlp  = m.input_with_role(text::INPUT_MLP_MASK);
    const auto                axis = [](const text::tensor_spec * t, size_t from_end) {
        return t == nullptr ? 0 : int(t->shape[t->shape.size() - from_end]);
    };
    facts.layers  = head ? axis(head, 2) : axis(mlp, 2);
    facts.heads   = axis(head, 1);
    facts.ff      = axis(mlp, 1);
    facts.batched = (head || mlp) && (!head || head->batched()) && (!mlp || mlp->batched());
    facts.offsets =
        (!head || m.input_with_role(text::INPUT_HEAD_OFFSET)) && (!mlp || m.input_with_role(text::INPUT_MLP_OFFSET));
    facts.has_means = !m.means.head.empty() || !m.means.mlp.empty();

    // Offer what the model has: heads and neurons, or the one kind it has.
    const components::component_set widest = head && mlp ? components::COMPONENT_SET_HEADS_AND_MLP
                                             : mlp       ? components::COMPONENT_SET_MLP
                                                         : components::COMPONENT_SET_HEADS;
    facts.unavailable                      = refusal(m, widest, components::ABLATION_ZERO);
    facts.mean_unavailable =
        facts.unavailable.empty() ? refusal(m, widest, components::ABLATION_MEAN) : facts.unavailable;
    return facts;
}

int component_player_count(const component_facts & facts, const component_choice & choice) {
    const int heads  = choice.set == COMPONENT_SET_MLP ? 0 : facts.layers * facts.heads;
    const int group  = choice.group < 1 ? 1 : choice.group;
    const int groups = choice.set == COMPONENT_SET_HEADS || facts.ff <= 0 ? 0 : (facts.ff + group - 1) / group;
    return heads + groups * facts.layers;
}

std::string players_option(const component_choice & choice) {
    components::player_spec spec;
    spec.components = true;
    spec.set        = choice.set;
    spec.group      = choice.group;
    return components::player_spec_name(spec);
}

bool parse_players_option(const std::string & option, bool & components, component_choice & choice,
                          std::string & error) {
    components::player_spec spec;
    if (!components::parse_player_spec(option.empty() ? "text" : option, spec, error)) {
        return false;
    }
    components = spec.components;
    if (spec.components) {
        choice.set   = spec.set == components::COMPONENT_SET_HEADS ? COMPONENT_SET_HEADS
                       : spec.set == components::COMPONENT_SET_MLP ? COMPONENT_SET_MLP
                                                                   : COMPONENT_SET_HEADS_AND_MLP;
        choice.group = spec.group;
    }
    return true;
}

}  // namespace spexlens::app
