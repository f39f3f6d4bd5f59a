// focus_ring: Tab and Shift+Tab move the keyboard focus through every control of the page, in
// reading order and across its panels (title bar, left column, text, interactions, details).
//
// Dear ImGui 1.86 tabs only between text fields, and only inside one window; the page is
// tiled into several windows. So the page keeps its own ring: record_widget adds every
// interactive named widget of a frame, in the order drawn, and a Tab (queued by the glue's
// key callback, which keeps Tab away from ImGui) moves ImGui's navigation focus to the next
// one at the start of the next frame. A focused text field is activated for typing, as a
// browser does; a focused button, checkbox or choice shows ImGui's navigation frame and
// Space (or Enter) presses it. Arrow keys keep ImGui's own navigation.
#pragma once

#include <imgui.h>
#include <string>
#include <vector>

struct ImGuiWindow;

namespace spexlens::app {

// One control that can take the focus, as drawn in the last frame.
struct focus_item {
    std::string   name;        // the record_widget name ("run", "text", ...)
    unsigned int  id     = 0;  // its ImGui id
    ImGuiWindow * window = nullptr;
    ImVec2        min, max;            // its rectangle on the canvas
    bool          text_field = false;  // typed into (activated on focus)
};

// The ring: the controls of the frame being drawn and of the frame before, Tabs not yet
// applied, and the name of the control that has the focus.
struct focus_ring {
    std::vector<focus_item> items;        // this frame's, in drawing order
    std::vector<focus_item> last_items;   // the previous frame's (what a Tab moves through)
    int                     pending = 0;  // +1 per Tab, -1 per Shift+Tab, since the last frame
    std::string             focused;      // the focused control's name ("" when none)
};

// A Tab (backward: Shift+Tab) pressed since the last frame; applied by begin_focus_frame.
void queue_tab(focus_ring & ring, bool backward);

// At the start of a frame, before any widget: applies the queued Tabs to the last frame's
// controls (focus, scroll into view, activate a text field), then starts this frame's list.
void begin_focus_frame(focus_ring & ring);

// Adds the last ImGui item under `name` when it can take the focus (it has an id and is not
// disabled). Called by record_widget.
void add_focus_item(focus_ring & ring, const std::string & name);

// The index in `items` the focus moves to from `current` (an index, or -1 when no listed
// control has the focus) after `steps` Tabs (negative: Shift+Tabs), wrapping around; -1 when
// there is nothing to focus.
int next_focus_index(int current, int steps, int count);

}  // namespace spexlens::app
