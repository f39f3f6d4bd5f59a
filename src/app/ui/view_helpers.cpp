// view_helpers: see view_helpers.h.
#include "app/ui/view_helpers.h"

#include "app/ui/app_state.h"
#include "text/bidi.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace spexlens::app {

namespace {

// The ends of the scale (ColorBrewer RdBu): dark enough to read as a sign on a projector,
// light enough at the heat-map's strength that black text on them stays legible.
constexpr float red[3]  = {202, 0, 32};
constexpr float blue[3] = {5, 113, 176};

ImU32 mix_with_white(const float (&end)[3], float t, float alpha) {
    const auto channel = [&](float c) { return static_cast<int>(std::lround(255.0f + (c - 255.0f) * t)); };
    return IM_COL32(channel(end[0]), channel(end[1]), channel(end[2]), static_cast<int>(std::lround(alpha * 255.0f)));
}

}  // namespace

ImU32 diverging_color(double value, double max_abs, float alpha) {
    if (!(max_abs > 0) || !std::isfinite(value)) {
        return mix_with_white(red, 0.0f, alpha);
    }
    const auto t = static_cast<float>(std::min(1.0, std::abs(value) / max_abs));
    return mix_with_white(value >= 0 ? red : blue, t, alpha);
}

ImU32 sign_color(double value, float alpha) { return mix_with_white(value >= 0 ? red : blue, 1.0f, alpha); }

std::string format_value(double value, int precision) {
    if (!std::isfinite(value)) {
        return "n/a";
    }
    if (std::abs(value) < 0.5 * std::pow(10.0, -precision)) {
        // Rounding residue shows as 0, not as "-0.000".
        return precision > 0 ? "0." + std::string(static_cast<size_t>(precision), '0') : "0";
    }
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%+.*f", precision, value);
    return buffer;
}

std::string format_count(int64_t count) {
    std::string digits = std::to_string(count < 0 ? -count : count);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return count < 0 ? "-" + out : out;
}

std::string format_seconds(double seconds) {
    char buffer[64];
    if (!std::isfinite(seconds)) {
        return "n/a";
    }
    if (seconds < 1.0) {
        std::snprintf(buffer, sizeof buffer, "%.0f ms", seconds * 1000.0);
    } else if (seconds < 100.0) {
        std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.0f s", seconds);
    }
    return buffer;
}

bool is_synthetic(const loaded_result & result) { return result.granularity == "synthetic" || result.text.empty(); }

std::string measured_name(const loaded_result & result) {
    if (result.target_class.empty()) {
        return "f(x)";
    }
    return result.target_class + (result.target_measure.empty() ? "" : " " + result.target_measure);
}

bool planted_value(const loaded_result & r, const std::vector<bool> & keep, double & out) {
    if (!r.ground_truth.present || !r.json.is_object() || !r.json.contains("ground_truth")) {
        return false;
    }
    const ordered_json & g = r.json["ground_truth"];
    if (!g.is_object() || !g.contains("planted_constant") || !g["planted_constant"].is_number()) {
        return false;
    }
    out = g["planted_constant"].get<double>();
    for (const spex::fourier_term & term : r.ground_truth.planted) {
        size_t kept = 0;
        for (int f : term.set) {
            kept += f >= 0 && static_cast<size_t>(f) < keep.size() && keep[static_cast<size_t>(f)];
        }
        out += kept % 2 == 0 ? term.coef : -term.coef;
    }
    return true;
}

double value_at(const std::vector<double> & v, int i) {
    return i >= 0 && static_cast<size_t>(i) < v.size() ? v[static_cast<size_t>(i)] : 0.0;
}

void help_marker(const char * text) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void wrapped_text(const std::string & text) {
    // Lines break at spaces only: ImGui's own wrapping also breaks after '.' and ',', which cuts
    // numbers ("+1." / "45"). A word wider than the line is left to ImGui's wrapping.
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::BeginGroup();  // one item for the whole paragraph (record_widget, hover)
    ImGui::PushTextWrapPos(0.0f);
    const char * const end  = text.c_str() + text.size();
    const char *       line = text.c_str();
    while (line < end) {
        const char * newline = std::find(line, end, '\n');
        const char * cut     = newline;  // the line's end if it all fits
        if (width > 0.0f && ImGui::CalcTextSize(line, newline).x > width) {
            const char * fits = nullptr;
            for (const char * p = line; p < newline; ++p) {
                if (*p == ' ') {
                    if (ImGui::CalcTextSize(line, p).x > width) {
                        break;  // widths only grow from here
                    }
                    fits = p;
                }
            }
            cut = fits != nullptr ? fits : newline;
        }
        ImGui::TextUnformatted(line, cut);
        line = cut < end ? cut + 1 : end;
    }
    if (text.empty()) {
        ImGui::TextUnformatted("");
    }
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
}

// The method in plain words: what auto chose and what that is, or the method itself.
std::string method_in_words(const loaded_result & r) {
    const std::string & m     = r.chosen_method.empty() ? r.method : r.chosen_method;
    std::string         words = m;
    if (m == "proxyspex") {
        words = "ProxySPEX: boosted trees fitted to the masked outputs, their interactions refit";
    } else if (m.rfind("ridge-", 0) == 0) {
        words = m == "ridge-1"   ? "ridge regression on single words"
                : m == "ridge-2" ? "ridge regression on words and pairs"
                                 : "ridge regression on words, pairs and triples";
    } else if (m == "spex") {
        words = "SPEX (" + r.decoder + " decoder)";
    }
    if (r.method == "auto") {
        words = "auto \xE2\x86\x92 " + words;
    }
    if (r.partial) {
        words += " (early result)";
    }
    return words;
}

bool begin_overlay_window(const char * title, bool * open, const ImVec2 & pos, const ImVec2 & size) {
    ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(size, ImGuiCond_Always);
    return ImGui::Begin(title, open, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
}

void overlay_close_button(app_state & s, bool * open, const char * widget) {
    if (ImGui::Button("Close")) {
        *open = false;
    }
    record_widget(s, widget);
    ImGui::Separator();
}

std::string display_order(const std::string & utf8) {
    const bool ascii =
        std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    return ascii ? utf8 : text::visual_label(utf8);
}

}  // namespace spexlens::app
