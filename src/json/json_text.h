// json_text: reading JSON a user handed us (model.json, config.json, tokenizer.json, explain
// options, function files, results read back) without trusting it, and showing a bad value in
// an error message without printing all of it. Header-only; every layer that parses JSON uses it.
//
//   parse_bounded_json<json>(text)   parses, refusing nesting deeper than max_json_depth and
//                                    objects with more than max_json_object_keys keys *before*
//                                    nlohmann builds anything (so no later dump or walk can
//                                    overflow the stack, and ordered_json's linear key lookup
//                                    cannot turn quadratic); throws json_input_error with a
//                                    message free of nlohmann's "[json.exception…]" prefix
//   json_shown(value)                at most ~60 characters of a value, never deeper than a few
//                                    levels: "got [1,[2,[...]]]", "got \"int8\""
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace spexlens {

// Deeper nesting than any file spexlens reads (tokenizer.json needs about 6 levels).
constexpr size_t max_json_depth = 64;

// More keys in one object than any file spexlens reads has (a vocabulary of 1,000,000 tokens is
// one object; a result's objects have a few dozen keys).
constexpr size_t max_json_object_keys = 4'000'000;

// JSON a user gave us that cannot be read: what() is the reason, for a message such as
// "model.json: not valid JSON: <what>".
struct json_input_error : std::runtime_error {
    explicit json_input_error(const std::string & what) : std::runtime_error(what) {}
};

// nlohmann's messages start "[json.exception.parse_error.101] "; people need the rest.
inline std::string json_message(const std::exception & e) {
    const std::string what = e.what();
    const size_t      cut  = what.find("] ");
    return what.compare(0, 16, "[json.exception.") == 0 && cut != std::string::npos ? what.substr(cut + 2) : what;
}

// The deepest nesting and the largest object in `text`, scanning at most until a limit is
// passed (strings and escapes are skipped; the text need not be valid JSON). Linear time.
struct json_shape {
    size_t depth        = 0;  // deepest nesting reached (capped at max_depth + 1)
    size_t largest      = 0;  // most keys in one object (capped at max_keys + 1)
    size_t depth_offset = 0;  // byte offset where nesting first passed max_depth
};

inline json_shape scan_json_shape(std::string_view text, size_t max_depth, size_t max_keys) {
    json_shape          shape;
    std::vector<size_t> keys;  // per open container: keys so far (objects only)
    std::vector<bool>   is_object;
    bool                in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            keys.push_back(0);
            is_object.push_back(c == '{');
            shape.depth = std::max(shape.depth, keys.size());
            if (keys.size() > max_depth) {
                shape.depth_offset = i;
                return shape;
            }
        } else if (c == '}' || c == ']') {
            if (!keys.empty()) {
                keys.pop_back();
                is_object.pop_back();
            }
        } else if (c == ':' && !keys.empty() && is_object.back()) {
            shape.largest = std::max(shape.largest, ++keys.back());
            if (shape.largest > max_keys) {
                return shape;
            }
        }
    }
    return shape;
}

// Parses `text` as Json (nlohmann::json or nlohmann::ordered_json) within the limits above;
// max_keys lowers the object size limit (ordered_json looks keys up linearly: keep it small).
template <typename Json> Json parse_bounded_json(std::string_view text, size_t max_keys = max_json_object_keys) {
    const json_shape shape = scan_json_shape(text, max_json_depth, max_keys);
    if (shape.depth > max_json_depth) {
        throw json_input_error("nested more than " + std::to_string(max_json_depth) + " levels deep (at byte " +
                               std::to_string(shape.depth_offset) + "); no file spexlens reads needs that");
    }
    if (shape.largest > max_keys) {
        throw json_input_error("an object has more than " + std::to_string(max_keys) + " keys");
    }
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::exception & e) {  // parse_error, and out_of_range for 1e999
        throw json_input_error(json_message(e));
    }
}

namespace detail {

template <typename Json> void shown_into(const Json & v, std::string & out, size_t budget, int depth) {
    if (out.size() > budget) {
        return;
    }
    if (v.is_array() || v.is_object()) {
        const bool object = v.is_object();
        out += object ? '{' : '[';
        if (depth >= 3 && !v.empty()) {
            out += "...";
        } else {
            bool first = true;
            for (auto it = v.begin(); it != v.end() && out.size() <= budget; ++it) {
                out += first ? "" : ",";
                first = false;
                if (object) {
                    out += Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace) + ":";
                }
                shown_into(*it, out, budget, depth + 1);
            }
        }
        out += object ? '}' : ']';
        return;
    }
    if (v.is_string() && v.template get_ref<const std::string &>().size() > budget) {
        out += Json(v.template get_ref<const std::string &>().substr(0, budget))
                   .dump(-1, ' ', false, Json::error_handler_t::replace);
        return;
    }
    out += v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace detail

// A value as the user wrote it, shortened to about max_chars (cut on a UTF-8 boundary, "..."
// appended) and never more than three levels deep: safe for any value, however large or deep.
template <typename Json> std::string json_shown(const Json & v, size_t max_chars = 60) {
    std::string out;
    detail::shown_into(v, out, max_chars, 0);
    if (out.size() > max_chars) {
        size_t cut = max_chars - 3;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out = out.substr(0, cut) + "...";
    }
    return out;
}

}  // namespace spexlens
