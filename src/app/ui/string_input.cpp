// string_input: see string_input.h.
#include "app/ui/string_input.h"

namespace spexlens::app {

namespace {

// ImGui edits the buffer in place and asks for more room through this callback; the string
// is resized to the requested length and ImGui is handed the new data pointer.
int resize_callback(ImGuiInputTextCallbackData * data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto * value = static_cast<std::string *>(data->UserData);
        value->resize(static_cast<size_t>(data->BufTextLen));
        data->Buf = value->data();
    }
    return 0;
}

}  // namespace

bool input_text(const char * label, std::string & value, ImGuiInputTextFlags flags) {
    return ImGui::InputText(label, value.data(), value.capacity() + 1, flags | ImGuiInputTextFlags_CallbackResize,
                            resize_callback, &value);
}

bool input_text_multiline(const char * label, std::string & value, const ImVec2 & size, ImGuiInputTextFlags flags) {
    return ImGui::InputTextMultiline(label, value.data(), value.capacity() + 1, size,
                                     flags | ImGuiInputTextFlags_CallbackResize, resize_callback, &value);
}

}  // namespace spexlens::app
