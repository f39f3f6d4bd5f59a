// string_input: Dear ImGui text inputs over std::string (1.86 ships no imgui_stdlib in our
// build). The string grows through ImGui's resize callback, so a pasted 1 MiB text fits
// without a fixed buffer.
#pragma once

#include <imgui.h>
#include <string>

namespace spexlens::app {

bool input_text(const char * label, std::string & value, ImGuiInputTextFlags flags = 0);
bool input_text_multiline(const char * label, std::string & value, const ImVec2 & size = ImVec2(0, 0),
                          ImGuiInputTextFlags flags = 0);

}  // namespace spexlens::app
