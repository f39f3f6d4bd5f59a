// post_processors: tokenizer.json's "post_processor" reduced to what it does to one sequence
// (see hf_tokenizer.h). Special tokens are looked up by their string, as the JavaScript port
// does; the id written in the file is the fallback when the vocabulary lacks the string.
#include "text/hf/hf_tokenizer.h"
#include "text/text_error.h"

namespace spexlens::text::hf {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string & where, const std::string & what) {
    throw text_error("tokenizer.json: " + where + ": " + what);
}

special_piece special_from(const tokenizer & owner, const std::string & where, const std::string & token,
                           const json * fallback_id, int32_t type_id) {
    special_piece p;
    p.token   = token;
    p.type_id = type_id;
    if (owner.token_to_id(token, p.id)) {
        return p;
    }
    if (fallback_id != nullptr && fallback_id->is_number_integer()) {
        p.id = fallback_id->get<int32_t>();
        return p;
    }
    fail(where, "special token \"" + token + "\" is neither an added token nor in the vocabulary");
}

// BertProcessing / RobertaProcessing: "cls": ["[CLS]", 101], "sep": ["[SEP]", 102].
single_template cls_sep(const json & j, const tokenizer & owner, const std::string & type) {
    single_template t;
    for (const char * key : {"cls", "sep"}) {
        const std::string where = "post_processor " + type + "." + key;
        auto              it    = j.find(key);
        if (it == j.end() || !it->is_array() || it->size() != 2 || !(*it)[0].is_string()) {
            fail(where, "expected [\"token\", id]");
        }
        special_piece p = special_from(owner, where, (*it)[0].get<std::string>(), &(*it)[1], 0);
        (std::string(key) == "cls" ? t.prefix : t.suffix).push_back(std::move(p));
    }
    t.description = type + ": " + t.prefix[0].token + " $A " + t.suffix[0].token;
    return t;
}

single_template template_processing(const json & j, const tokenizer & owner) {
    const std::string where = "post_processor TemplateProcessing.single";
    auto              it    = j.find("single");
    if (it == j.end() || !it->is_array()) {
        fail(where, "expected a list of SpecialToken and Sequence items");
    }
    const json *    specials = j.contains("special_tokens") ? &j["special_tokens"] : nullptr;
    single_template t;
    bool            seen_sequence = false;
    std::string     shown;
    for (size_t k = 0; k < it->size(); ++k) {
        const json &      item = (*it)[k];
        const std::string at   = where + "[" + std::to_string(k) + "]";
        if (item.is_object() && item.contains("Sequence")) {
            const json & s = item["Sequence"];
            if (seen_sequence) {
                fail(at, "a single-sequence template has one Sequence");
            }
            seen_sequence      = true;
            t.sequence_type_id = s.value("type_id", 0);
            shown += std::string(shown.empty() ? "" : " ") + "$A";
        } else if (item.is_object() && item.contains("SpecialToken")) {
            const json & s = item["SpecialToken"];
            if (!s.contains("id") || !s["id"].is_string()) {
                fail(at, "SpecialToken.id: expected a string");
            }
            const std::string token    = s["id"].get<std::string>();
            const json *      fallback = nullptr;
            if (specials != nullptr && specials->is_object() && specials->contains(token)) {
                const json & ids = (*specials)[token]["ids"];
                if (ids.is_array() && ids.size() == 1) {
                    fallback = &ids[0];
                }
            }
            special_piece p = special_from(owner, at, token, fallback, s.value("type_id", 0));
            (seen_sequence ? t.suffix : t.prefix).push_back(std::move(p));
            shown += std::string(shown.empty() ? "" : " ") + token;
        } else {
            fail(at, "expected a SpecialToken or a Sequence");
        }
    }
    if (!seen_sequence) {
        fail(where, "the template has no Sequence");
    }
    t.description = "TemplateProcessing: " + shown;
    return t;
}

}  // namespace

single_template parse_post_processor(const json & j, const tokenizer & owner) {
    if (j.is_null()) {
        return single_template{{}, {}, 0, "none"};
    }
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) {
        fail("post_processor", "expected an object with a \"type\"");
    }
    const std::string type = j["type"].get<std::string>();
    if (type == "TemplateProcessing") {
        return template_processing(j, owner);
    }
    if (type == "BertProcessing" || type == "RobertaProcessing") {
        return cls_sep(j, owner, type);
    }
    if (type == "ByteLevel") {
        // Changes offsets only (trim_offsets); adds no token.
        return single_template{{}, {}, 0, "ByteLevel"};
    }
    if (type == "Sequence") {
        // Each processor wraps what the one before produced.
        single_template out{{}, {}, 0, "Sequence"};
        const json &    list = j.contains("processors") ? j["processors"] : json::array();
        if (!list.is_array()) {
            fail("post_processor Sequence.processors", "expected a list");
        }
        std::string shown;
        for (const json & p : list) {
            single_template inner = parse_post_processor(p, owner);
            inner.prefix.insert(inner.prefix.end(), out.prefix.begin(), out.prefix.end());
            out.prefix = std::move(inner.prefix);
            out.suffix.insert(out.suffix.end(), inner.suffix.begin(), inner.suffix.end());
            out.sequence_type_id = inner.sequence_type_id;
            shown += (shown.empty() ? "" : ", ") + inner.description;
        }
        out.description = "Sequence(" + shown + ")";
        return out;
    }
    throw text_error("tokenizer.json: post_processor " + type + " is not supported");
}

}  // namespace spexlens::text::hf
