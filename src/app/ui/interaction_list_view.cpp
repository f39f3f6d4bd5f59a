// interaction_list_view: the strongest interactions of the index on screen as a sortable
// table (rank, order, value with a bar, words). Hovering a row outlines its words in the
// heat-map; rows that contain the word hovered there are tinted. "Copy" puts the rows, as
// filtered and sorted, on the clipboard as TSV.
#include "app/ui/view_helpers.h"
#include "app/ui/views.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace spexlens::app {

namespace {

constexpr size_t list_cap = 500;

enum column_id { COLUMN_RANK, COLUMN_ORDER, COLUMN_VALUE, COLUMN_WORDS };

// Applies the table's sort spec. Rank is the position by |value| (1 = strongest), so
// ascending rank is descending magnitude.
void sort_rows(const index_table & table, std::vector<size_t> & rows) {
    const ImGuiTableSortSpecs * specs = ImGui::TableGetSortSpecs();
    if (!specs || specs->SpecsCount == 0) {
        return;
    }
    const ImGuiTableColumnSortSpecs & spec      = specs->Specs[0];
    const bool                        ascending = spec.SortDirection == ImGuiSortDirection_Ascending;
    switch (spec.ColumnUserID) {
    case COLUMN_ORDER:
        sort_interactions(table, rows, SORT_BY_ORDER, ascending);
        break;
    case COLUMN_VALUE:
        sort_interactions(table, rows, SORT_BY_VALUE, ascending);
        break;
    case COLUMN_WORDS:
        sort_interactions(table, rows, SORT_BY_POSITION, ascending);
        break;
    default:
        sort_interactions(table, rows, SORT_BY_MAGNITUDE, !ascending);
        break;
    }
}

void value_cell(double value, double max_abs) {
    const ImVec2 p     = ImGui::GetCursorScreenPos();
    const float  avail = ImGui::GetContentRegionAvail().x;
    const float  h     = ImGui::GetTextLineHeight();
    const float  w     = max_abs > 0 ? static_cast<float>(std::abs(value) / max_abs) * avail : 0.0f;
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + w, p.y + h), sign_color(value, 0.35f));
    ImGui::TextUnformatted(format_value(value).c_str());
}

// The words in full, and where they are: a word that occurs twice is otherwise ambiguous.
void draw_row_tooltip(const loaded_result & r, const index_entry & e) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    const std::string words = display_order(join_feature_names(r, e.set, 120));
    ImGui::TextUnformatted(words.c_str(), words.c_str() + words.size());
    ImGui::PopTextWrapPos();
    if (r.is_components()) {
        ImGui::TextDisabled("%s", e.set.size() > 1 ? "heads / neuron groups that act together when ablated"
                                                   : "one head or neuron group");
    } else if (!is_synthetic(r)) {
        std::string where = r.granularity == "sentence" ? "sentence" : "word";
        where += e.set.size() > 1 ? "s " : " ";
        for (size_t k = 0; k < e.set.size(); ++k) {
            where += (k ? ", " : "") + std::string("#") + std::to_string(e.set[k] + 1);
        }
        ImGui::TextDisabled("%s in the text", where.c_str());
    }
    ImGui::EndTooltip();
}

std::string rows_as_tsv(const app_state & s, const std::vector<size_t> & rows, const std::vector<int> & rank) {
    std::string tsv = std::string("rank\torder\tvalue\t") + (s.result->is_components() ? "components" : "words") + "\n";
    for (size_t k = 0; k < rows.size(); ++k) {
        const index_entry & e = s.index.entries[rows[k]];
        tsv += std::to_string(rank[k]) + "\t" + std::to_string(e.set.size()) + "\t" + format_value(e.value, 6) + "\t" +
               join_feature_names(*s.result, e.set, 200) + "\n";
    }
    return tsv;
}

}  // namespace

void draw_interaction_list_view(app_state & s, page_actions & actions) {
    s.view.hovered_entry = -1;  // set again below if the mouse is on a row
    if (!s.result) {
        ImGui::TextDisabled("Interactions appear here after a run.");
        return;
    }
    const int top      = std::max(1, s.index.order);
    int       range[2] = {std::clamp(s.view.list_min_order, 1, top), std::clamp(s.view.list_max_order, 1, top)};
    ImGui::TextUnformatted("order");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    if (ImGui::SliderInt2("##list-orders", range, 1, top)) {  // stored only when moved, as on the heat-map
        s.view.list_min_order = std::min(range[0], range[1]);
        s.view.list_max_order = std::max(range[0], range[1]);
    }

    std::vector<size_t> rows = select_interactions(s.index, s.view.list_min_order, s.view.list_max_order, list_cap);
    // Rank by |value| before the table re-sorts: (entry, rank) looked up by entry.
    std::vector<std::pair<size_t, int>> rank_of;
    rank_of.reserve(rows.size());
    for (size_t k = 0; k < rows.size(); ++k) {
        rank_of.emplace_back(rows[k], static_cast<int>(k) + 1);
    }
    std::sort(rank_of.begin(), rank_of.end());
    const auto rank = [&rank_of](size_t entry) {
        const auto it = std::lower_bound(rank_of.begin(), rank_of.end(), std::make_pair(entry, 0));
        return it != rank_of.end() && it->first == entry ? it->second : 0;
    };
    double max_abs = 0;
    for (size_t e : rows) {
        max_abs = std::max(max_abs, std::abs(s.index.entries[e].value));
    }

    ImGui::SameLine();
    if (rows.empty()) {
        ImGui::TextDisabled("no interactions of these orders");
    } else {
        ImGui::TextDisabled("%zu shown%s", rows.size(), rows.size() == list_cap ? " (the strongest)" : "");
    }
    ImGui::SameLine();
    const bool copy = ImGui::SmallButton("Copy");
    record_widget(s, "copy-interactions");
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Copy these rows as tab-separated text");
    }

    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV;
    if (ImGui::BeginTable("##interactions", 4, flags, ImVec2(0, 0))) {
        const float digit = ImGui::CalcTextSize("0").x;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_DefaultSort, digit * 5,
                                COLUMN_RANK);
        ImGui::TableSetupColumn("order", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_PreferSortDescending,
                                digit * 6, COLUMN_ORDER);
        ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_PreferSortDescending,
                                digit * 13, COLUMN_VALUE);
        ImGui::TableSetupColumn(s.result->is_components() ? "components" : "words", ImGuiTableColumnFlags_WidthStretch,
                                0.0f, COLUMN_WORDS);
        ImGui::TableHeadersRow();
        sort_rows(s.index, rows);

        std::vector<int> ranks(rows.size());
        for (size_t k = 0; k < rows.size(); ++k) {
            ranks[k] = rank(rows[k]);
        }
        if (copy) {
            actions.copy_to_clipboard(rows_as_tsv(s, rows, ranks));
        }

        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(rows.size()));
        while (clipper.Step()) {
            for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) {
                const size_t        entry_index = rows[static_cast<size_t>(k)];
                const index_entry & e           = s.index.entries[entry_index];
                ImGui::TableNextRow();
                const int f = s.view.hovered_feature;
                if (f >= 0 && std::binary_search(e.set.begin(), e.set.end(), f)) {
                    ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(255, 240, 170, 255));
                }
                ImGui::TableSetColumnIndex(COLUMN_RANK);
                const std::string id = std::to_string(ranks[static_cast<size_t>(k)]) + "##row" + std::to_string(k);
                ImGui::Selectable(id.c_str(), false,
                                  ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap);
                if (ImGui::IsItemHovered()) {
                    s.view.hovered_entry = static_cast<int>(entry_index);
                    draw_row_tooltip(*s.result, e);
                }
                ImGui::TableSetColumnIndex(COLUMN_ORDER);
                ImGui::Text("%zu", e.set.size());
                ImGui::TableSetColumnIndex(COLUMN_VALUE);
                value_cell(e.value, max_abs);
                ImGui::TableSetColumnIndex(COLUMN_WORDS);
                const std::string words = display_order(join_feature_names(*s.result, e.set));
                ImGui::TextUnformatted(words.c_str(), words.c_str() + words.size());
            }
        }
        // The table scrolls in its own child window, current until EndTable.
        record_rect(s, "interactions-table", ImGui::GetWindowPos(), ImGui::GetWindowSize());
        s.scroll_offsets["interactions"] = ImGui::GetScrollY();
        ImGui::EndTable();
    }
}

}  // namespace spexlens::app
