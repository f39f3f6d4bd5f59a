// focus_ring: Tab through the page's controls (see focus_ring.h).
#include "app/ui/focus_ring.h"

#include <imgui_internal.h>

namespace spexlens::app {

void queue_tab(focus_ring & ring, bool backward) { ring.pending += backward ? -1 : 1; }

int next_focus_index(int current, int steps, int count) {
    if (count <= 0) {
        return -1;
    }
    if (current < 0 || current >= count) {
        // Nothing listed has the focus: Tab starts at the first control, Shift+Tab at the last.
        if (steps == 0) {
            return -1;
        }
        current = steps > 0 ? -1 : count;
    }
    const long long next = (static_cast<long long>(current) + steps) % count;
    return static_cast<int>(next < 0 ? next + count : next);
}

namespace {

// The listed control that has the focus now: the one being typed into, else ImGui's
// navigation focus.
int focused_index(const std::vector<focus_item> & items) {
    const ImGuiContext & g  = *ImGui::GetCurrentContext();
    const ImGuiID        id = g.ActiveId != 0 ? g.ActiveId : g.NavId;
    if (id == 0) {
        return -1;
    }
    for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].id == id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

// Gives `item` ImGui's navigation focus with its frame shown, scrolls it into view, and asks
// ImGui to activate it for typing when it is a text field.
void focus(const focus_item & item) {
    ImGuiContext & g = *ImGui::GetCurrentContext();
    if (g.ActiveId != 0 && g.ActiveId != item.id) {
        ImGui::ClearActiveID();  // leaves the text field being typed into
    }
    ImGui::FocusWindow(item.window);
    ImGui::SetFocusID(item.id, item.window);
    g.NavDisableHighlight  = false;
    g.NavDisableMouseHover = true;
    ImGui::ScrollToRectEx(item.window, ImRect(item.min, item.max),
                          ImGuiScrollFlags_KeepVisibleEdgeX | ImGuiScrollFlags_KeepVisibleEdgeY);
    if (item.text_field) {
        g.NavNextActivateId    = item.id;
        g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput | ImGuiActivateFlags_TryToPreserveState;
    }
}

bool window_alive(ImGuiWindow * window) {
    const ImGuiContext & g = *ImGui::GetCurrentContext();
    for (ImGuiWindow * w : g.Windows) {
        if (w == window) {
            return w->WasActive;
        }
    }
    return false;
}

}  // namespace

void begin_focus_frame(focus_ring & ring) {
    ring.last_items.swap(ring.items);
    ring.items.clear();
    if (ring.pending != 0) {
        const int steps = ring.pending;
        ring.pending    = 0;
        const int next =
            next_focus_index(focused_index(ring.last_items), steps, static_cast<int>(ring.last_items.size()));
        if (next >= 0 && window_alive(ring.last_items[static_cast<size_t>(next)].window)) {
            focus(ring.last_items[static_cast<size_t>(next)]);
        }
    }
    const int now = focused_index(ring.last_items);
    ring.focused  = now >= 0 ? ring.last_items[static_cast<size_t>(now)].name : std::string();
}

void add_focus_item(focus_ring & ring, const std::string & name) {
    const ImGuiContext &      g    = *ImGui::GetCurrentContext();
    const ImGuiLastItemData & last = g.LastItemData;
    if (last.ID == 0 || (last.InFlags & (ImGuiItemFlags_Disabled | ImGuiItemFlags_NoNav)) != 0 || !g.CurrentWindow) {
        return;
    }
    for (const focus_item & it : ring.items) {
        if (it.id == last.ID) {
            return;  // recorded twice under two names: one stop
        }
    }
    focus_item item;
    item.name       = name;
    item.id         = last.ID;
    item.window     = g.CurrentWindow;
    item.min        = last.NavRect.Min;
    item.max        = last.NavRect.Max;
    item.text_field = (last.InFlags & ImGuiItemFlags_Inputable) != 0;
    ring.items.push_back(item);
}

}  // namespace spexlens::app
