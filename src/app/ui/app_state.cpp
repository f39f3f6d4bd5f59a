// app_state: the two helpers declared next to the state (see app_state.h).
#include "app/ui/app_state.h"

namespace spexlens::app {

const model_entry * find_model(const app_state & s, const std::string & key) {
    for (const model_entry & m : s.models) {
        if (m.key == key) {
            return &m;
        }
    }
    return nullptr;
}

bool choose_model(app_state & s, const std::string & key) {
    const model_entry * m = find_model(s, key);
    if (!m) {
        return false;
    }
    const bool changed = key != s.settings.model_key;
    if (changed) {
        s.settings.target_index = -1;  // the old model's class index means nothing here
    }
    s.settings.model_key = key;
    if (s.settings.components && !m->components.unavailable.empty()) {
        s.settings.set_components(false);
        s.status =
            "Explaining words: " + m->title + " cannot explain its components (" + m->components.unavailable + ").";
    }
    return changed;
}

void record_widget(app_state & s, const std::string & name) {
    record_rect(s, name, ImGui::GetItemRectMin(), ImGui::GetItemRectSize());
    add_focus_item(s.focus, name);
}

void record_rect(app_state & s, const std::string & name, const ImVec2 & min, const ImVec2 & size) {
    s.widget_rects[name] = ImVec4(min.x, min.y, size.x, size.y);
}

void set_card(app_state & s, const std::string & key, const std::string & text, bool found) {
    for (model_entry & m : s.models) {
        if (m.key != key) {
            continue;
        }
        m.card_requested = true;
        m.card_missing   = !found;
        m.card           = text;
        if (m.card.size() > max_card_bytes) {
            const size_t cut = m.card.rfind('\n', max_card_bytes);
            m.card.resize(cut == std::string::npos || cut == 0 ? max_card_bytes : cut);
            while (!m.card.empty() && (static_cast<unsigned char>(m.card.back()) & 0xC0) == 0x80) {
                m.card.pop_back();  // never end inside a UTF-8 sequence
            }
            if (!m.card.empty() && static_cast<unsigned char>(m.card.back()) >= 0xC0) {
                m.card.pop_back();
            }
            m.card += "\n\n[The card is longer than 256 KB; the rest is in the model's README.md.]";
        }
    }
}

int page_default_index_choice() {
    spex::index_kind kind = spex::INDEX_FSII;
    spex::parse_index_kind(page_run_defaults.index, kind);
    for (size_t i = 0; i < index_choices().size(); ++i) {
        if (index_choices()[i].kind == kind) {
            return static_cast<int>(i);
        }
    }
    return 0;
}

}  // namespace spexlens::app
