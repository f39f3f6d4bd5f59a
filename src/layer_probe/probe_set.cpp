// probe_set: see probe_set.h.
#include "layer_probe/probe_set.h"

#include "json/json_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace spexlens::layer_probe {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string & where, const std::string & what) {
    throw layer_probe_error("probe set: " + where + ": " + what);
}

void only_keys(const json & object, std::initializer_list<const char *> allowed, const std::string & where) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find_if(allowed.begin(), allowed.end(), [&](const char * k) { return it.key() == k; }) ==
            allowed.end()) {
            std::string list;
            for (const char * k : allowed) {
                list += (list.empty() ? "" : ", ") + std::string(k);
            }
            fail(where, "unknown key \"" + it.key() + "\" (the keys are " + list + ")");
        }
    }
}

std::string string_field(const json & object, const char * key, size_t max_bytes, const std::string & where,
                         bool required = true) {
    if (!object.contains(key)) {
        if (required) {
            fail(where, "\"" + std::string(key) + "\" is missing");
        }
        return "";
    }
    const json & v = object[key];
    if (!v.is_string()) {
        fail(where, "\"" + std::string(key) + "\" must be a string, got " + json_shown(v));
    }
    const std::string & s = v.get_ref<const std::string &>();
    if (s.size() > max_bytes) {
        fail(where, "\"" + std::string(key) + "\" is " + std::to_string(s.size()) + " bytes, more than the limit of " +
                        std::to_string(max_bytes));
    }
    return s;
}

size_t offset_field(const json & target, const char * key, const std::string & where) {
    if (!target.contains(key) || !target[key].is_number_integer() || target[key].get<int64_t>() < 0) {
        fail(where, "\"" + std::string(key) + "\" must be a non-negative integer (a code point offset), got " +
                        (target.contains(key) ? json_shown(target[key]) : std::string("nothing")));
    }
    return size_t(target[key].get<int64_t>());
}

// Code points of well-formed UTF-8 (nlohmann has checked it); continuation bytes are not counted.
size_t code_points(const std::string & s) {
    return size_t(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The code points [start, end) of well-formed UTF-8 `s`.
std::string span_text(const std::string & s, size_t start, size_t end) {
    std::string out;
    size_t      point = 0;
    for (char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++point;
        }
        if (point > start && point <= end) {
            out += c;
        }
    }
    return out;
}

std::vector<std::string> parse_labels(const json & doc) {
    if (!doc.contains("labels") || !doc["labels"].is_array()) {
        fail("labels", "must be an array of 2 to " + std::to_string(max_labels) + " label names");
    }
    std::vector<std::string> labels;
    std::set<std::string>    seen;
    for (const json & v : doc["labels"]) {
        if (!v.is_string() || v.get_ref<const std::string &>().empty() ||
            v.get_ref<const std::string &>().size() > max_name_bytes) {
            fail("labels", "every label must be a non-empty string of at most " + std::to_string(max_name_bytes) +
                               " bytes, got " + json_shown(v));
        }
        if (!seen.insert(v.get<std::string>()).second) {
            fail("labels", "\"" + v.get<std::string>() + "\" is listed twice");
        }
        labels.push_back(v.get<std::string>());
    }
    if (labels.size() < 2 || labels.size() > max_labels) {
        fail("labels",
             "must list 2 to " + std::to_string(max_labels) + " labels, not " + std::to_string(labels.size()));
    }
    return labels;
}

probe_target parse_target(const json & t, const probe_set & set, size_t text_points, const std::string & where) {
    if (!t.is_object()) {
        fail(where, "a target must be an object {\"start\", \"end\", \"label\"}, got " + json_shown(t));
    }
    only_keys(t, {"start", "end", "label", "word"}, where);
    probe_target target;
    target.start = offset_field(t, "start", where);
    target.end   = offset_field(t, "end", where);
    if (target.start >= target.end || target.end > text_points) {
        fail(where, "the span [" + std::to_string(target.start) + ", " + std::to_string(target.end) +
                        ") must be non-empty and inside the text's " + std::to_string(text_points) + " code points");
    }
    const std::string label = string_field(t, "label", max_name_bytes, where);
    const auto        it    = std::find(set.labels.begin(), set.labels.end(), label);
    if (it == set.labels.end()) {
        fail(where, "label \"" + label + "\" is not one of the set's \"labels\"");
    }
    target.label = size_t(it - set.labels.begin());
    return target;
}

probe_text parse_text(const json & t, probe_set & set, size_t index) {
    std::string where = "texts[" + std::to_string(index) + "]";
    if (!t.is_object()) {
        fail(where, "must be an object {\"id\", \"text\", \"targets\"}, got " + json_shown(t));
    }
    only_keys(t, {"id", "text", "targets"}, where);
    probe_text text;
    text.id = t.contains("id") ? string_field(t, "id", max_name_bytes, where) : std::to_string(index);
    where += " (" + text.id + ")";
    text.text = string_field(t, "text", max_text_bytes, where);
    if (!t.contains("targets") || !t["targets"].is_array() || t["targets"].empty()) {
        fail(where, "\"targets\" must be a non-empty array of {\"start\", \"end\", \"label\"}");
    }
    const size_t points = code_points(text.text);
    for (size_t k = 0; k < t["targets"].size(); ++k) {
        const std::string at     = where + ".targets[" + std::to_string(k) + "]";
        probe_target      target = parse_target(t["targets"][k], set, points, at);
        if (t["targets"][k].contains("word")) {  // optional check: the span's text as the writer saw it
            const json &      word = t["targets"][k]["word"];
            const std::string span = span_text(text.text, target.start, target.end);
            if (!word.is_string() || word.get_ref<const std::string &>() != span) {
                fail(at, "\"word\" is " + json_shown(word) + " but the span [" + std::to_string(target.start) + ", " +
                             std::to_string(target.end) + ") of the text is \"" + span + "\"");
            }
        }
        if (++set.targets > max_targets) {
            fail(at, "the set has more than " + std::to_string(max_targets) + " targets; split it");
        }
        text.targets.push_back(target);
    }
    return text;
}

}  // namespace

probe_set parse_probe_set(std::string_view json_text) {
    if (json_text.size() > max_set_bytes) {
        throw layer_probe_error("probe set: the file is " + std::to_string(json_text.size()) +
                                " bytes, more than the limit of " + std::to_string(max_set_bytes) + "; split it");
    }
    json doc;
    try {
        doc = parse_bounded_json<json>(json_text, 10000);
    } catch (const json_input_error & e) {
        throw layer_probe_error(std::string("probe set: not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) {
        throw layer_probe_error("probe set: the file must hold one JSON object, got " + json_shown(doc));
    }
    only_keys(doc, {"format", "name", "description", "question", "labels", "texts", "source"}, "the file");
    const std::string format = string_field(doc, "format", max_name_bytes, "format");
    if (format != probe_set_format) {
        fail("format", "must be \"" + std::string(probe_set_format) + "\", got \"" + format + "\"");
    }
    probe_set set;
    set.name        = string_field(doc, "name", max_name_bytes, "name");
    set.description = string_field(doc, "description", max_description_bytes, "description", false);
    set.question    = string_field(doc, "question", max_description_bytes, "question");
    set.labels      = parse_labels(doc);
    if (!doc.contains("texts") || !doc["texts"].is_array() || doc["texts"].empty()) {
        fail("texts", "must be a non-empty array of {\"id\", \"text\", \"targets\"}");
    }
    if (doc["texts"].size() > max_texts) {
        fail("texts", std::to_string(doc["texts"].size()) + " texts, more than the limit of " +
                          std::to_string(max_texts) + "; split the set");
    }
    for (size_t i = 0; i < doc["texts"].size(); ++i) {
        set.texts.push_back(parse_text(doc["texts"][i], set, i));
    }
    return set;
}

std::string target_type(const probe_text & text, const probe_target & target) {
    std::string out = span_text(text.text, target.start, target.end);
    for (char & c : out) {
        c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    }
    return out;
}

}  // namespace spexlens::layer_probe
