// layer_probe_run: see layer_probe_run.h.
#include "layer_probe/layer_probe_run.h"

#include "json/json_text.h"
#include "spex/mask_matrix.h"
#include "text/prepared_text.h"

#include <cmath>
#include <map>

namespace spexlens::layer_probe {

const char * const honest_statement =
    "Accuracy at a layer means the label is linearly decodable from that layer's word vectors on these texts; it "
    "does not show that the model uses this information. Selectivity is the accuracy minus that of a control task "
    "(each word type given a random label): a probe that only memorises word types scores as well on the control. "
    "The same probe on labels shuffled across words scores about chance.";

std::string layer_name(size_t layer) { return layer == 0 ? "embeddings" : "layer " + std::to_string(layer); }

probing::probe_options parse_run_options(std::string_view json_text) {
    probing::probe_options o;
    if (json_text.empty()) {
        return o;
    }
    nlohmann::json doc;
    try {
        doc = parse_bounded_json<nlohmann::json>(json_text, 100);
    } catch (const json_input_error & e) {
        throw layer_probe_error(std::string("probe options: not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) {
        throw layer_probe_error("probe options: expected an object {\"seed\", \"folds\"}");
    }
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const bool known = it.key() == "seed" || it.key() == "folds";
        if (!known || !it->is_number_unsigned() || it->get<uint64_t>() > (uint64_t(1) << 53)) {
            throw layer_probe_error("probe options: " +
                                    (known
                                         ? "\"" + it.key() + "\" must be a non-negative integer, got " + json_shown(*it)
                                         : "unknown key \"" + it.key() + "\" (the keys are seed, folds)"));
        }
    }
    o.seed  = doc.value("seed", o.seed);
    o.folds = doc.value("folds", o.folds);
    return o;
}

namespace {

text::prepared_text prepare(const probe_text & t, const text::model_manifest & manifest,
                            const text::model_tokenizer & tokenizer) {
    try {
        return text::prepare_text(t.text, tokenizer, manifest, text::GRANULARITY_WORD, text::LONG_TEXT_HEAD);
    } catch (const std::exception & e) {
        throw layer_probe_error("probe set: text " + t.id + ": " + e.what());
    }
}

}  // namespace

std::vector<std::string> report_notes(const probing::probe_report & r, size_t dimension) {
    std::vector<std::string> notes;
    if (r.types <= dimension + 1) {
        notes.push_back("only " + std::to_string(r.types) + " word types for " + std::to_string(dimension) +
                        " dimensions: a linear probe can memorise every type, so the control task measures how "
                        "decodable the word's identity is, and selectivity says little (docs/probing.md)");
    }
    size_t unconverged = 0;
    for (const auto & l : r.layers) {
        unconverged += l.unconverged;
    }
    if (unconverged > 0) {
        notes.push_back(std::to_string(unconverged) +
                        " fits stopped at the iteration cap before converging; their accuracies may be a little low");
    }
    return notes;
}

layer_probe_run::layer_probe_run(probe_set set, const text::model_manifest & manifest,
                                 const text::model_tokenizer & tokenizer)
    : set_(std::move(set)) {
    const size_t before = tokenizer.frame().before.size();
    for (const probe_text & t : set_.texts) {
        const text::prepared_text p = prepare(t, manifest, tokenizer);
        std::vector<located>      words;
        for (const probe_target & target : t.targets) {
            const text::text_feature * hit = nullptr;
            for (const text::text_feature & f : p.features) {
                if (f.start < target.end && target.start < f.end) {
                    if (hit || target.start < f.start || target.end > f.end) {
                        throw layer_probe_error("probe set: text " + t.id + ": the target [" +
                                                std::to_string(target.start) + ", " + std::to_string(target.end) +
                                                ") is not inside one word; a target must lie within a single word");
                    }
                    hit = &f;
                }
            }
            if (!hit) {
                throw layer_probe_error("probe set: text " + t.id + ": the target [" + std::to_string(target.start) +
                                        ", " + std::to_string(target.end) + ") is in no word the model reads (" +
                                        (p.window.truncated ? "past its window" : "whitespace") + ")");
            }
            words.push_back({before + hit->first_token, hit->token_count});
        }
        spex::mask_matrix all(int(p.features.size()), 1);
        for (size_t i = 0; i < p.features.size(); ++i) {
            all.set(0, int(i), true);
        }
        text::model_batch batch;
        text::build_model_batch(p, manifest, all, batch);
        inputs_.push_back(std::move(batch));
        words_.push_back(std::move(words));
    }
    vectors_.resize(set_.texts.size());
}

void layer_probe_run::submit_hidden_states(size_t i, const float * data, const std::vector<int64_t> & dims) {
    if (i >= texts()) {
        throw layer_probe_error("hidden states for text " + std::to_string(i) + " of " + std::to_string(texts()));
    }
    const std::string at = "hidden states of text " + set_.texts[i].id;
    if (dims.size() != 4 || dims[1] != 1 || dims[2] != int64_t(inputs_[i].seq_length) || dims[0] < 1 || dims[3] < 1) {
        throw layer_probe_error(at + ": expected the shape [layers, 1, " + std::to_string(inputs_[i].seq_length) +
                                ", dimension] (the internals graph's hidden_states for this one input)");
    }
    if (layers_ == 0) {
        layers_    = size_t(dims[0]);
        dimension_ = size_t(dims[3]);
        if (double(set_.targets) * double(layers_) * double(dimension_) > double(max_stored_values)) {
            throw layer_probe_error(at + ": " + std::to_string(set_.targets) + " targets at " +
                                    std::to_string(layers_) + " layers of " + std::to_string(dimension_) +
                                    " numbers are too many to keep; use fewer targets");
        }
    } else if (size_t(dims[0]) != layers_ || size_t(dims[3]) != dimension_) {
        throw layer_probe_error(at + ": " + std::to_string(dims[0]) + " layers of " + std::to_string(dims[3]) +
                                ", but earlier texts had " + std::to_string(layers_) + " of " +
                                std::to_string(dimension_));
    }
    const size_t       seq = size_t(dims[2]);
    std::vector<float> out;
    for (const located & w : words_[i]) {
        for (size_t l = 0; l < layers_; ++l) {
            for (size_t j = 0; j < dimension_; ++j) {
                double sum = 0.0;
                for (size_t k = w.first; k < w.first + w.count; ++k) {
                    const float v = data[(l * seq + k) * dimension_ + j];
                    if (!std::isfinite(v)) {
                        throw layer_probe_error(at + ": a value at layer " + std::to_string(l) +
                                                " is not finite (NaN or infinite)");
                    }
                    sum += double(v);
                }
                out.push_back(float(sum / double(w.count)));
            }
        }
    }
    vectors_[i] = std::move(out);
}

bool layer_probe_run::complete() const {
    for (size_t i = 0; i < texts(); ++i) {
        if (vectors_[i].empty()) {
            return false;
        }
    }
    return texts() > 0;
}

probing::probe_problem layer_probe_run::problem() const {
    probing::probe_problem p;
    p.classes = set_.labels.size();
    p.layers.assign(layers_, Eigen::MatrixXd(Eigen::Index(set_.targets), Eigen::Index(dimension_)));
    std::map<std::string, int64_t> type_ids;
    Eigen::Index                   row = 0;
    for (size_t i = 0; i < texts(); ++i) {
        if (vectors_[i].empty()) {
            throw layer_probe_error("no hidden states for text " + set_.texts[i].id + ": run the model on every text");
        }
        for (size_t k = 0; k < set_.texts[i].targets.size(); ++k, ++row) {
            const probe_target & t = set_.texts[i].targets[k];
            p.labels.push_back(int(t.label));
            p.groups.push_back(int64_t(i));
            const auto type = type_ids.emplace(target_type(set_.texts[i], t), int64_t(type_ids.size())).first;
            p.types.push_back(type->second);
            for (size_t l = 0; l < layers_; ++l) {
                for (size_t j = 0; j < dimension_; ++j) {
                    p.layers[l](row, Eigen::Index(j)) = vectors_[i][(k * layers_ + l) * dimension_ + j];
                }
            }
        }
    }
    return p;
}

nlohmann::ordered_json layer_probe_run::report(const probing::probe_options & options,
                                               const std::string &            model_name) const {
    const probing::probe_report r      = probing::run_layer_probes(problem(), options);
    nlohmann::ordered_json      layers = nlohmann::ordered_json::array();
    for (const auto & l : r.layers) {
        layers.push_back({{"layer", l.layer},
                          {"name", layer_name(l.layer)},
                          {"accuracy", l.accuracy},
                          {"accuracy_sd", l.accuracy_sd},
                          {"majority", l.majority},
                          {"control_accuracy", l.control_accuracy},
                          {"control_accuracy_sd", l.control_accuracy_sd},
                          {"control_majority", l.control_majority},
                          {"selectivity", l.selectivity},
                          {"shuffled_accuracy", l.shuffled_accuracy},
                          {"shuffled_accuracy_sd", l.shuffled_accuracy_sd},
                          {"l2", l.l2},
                          {"unconverged_fits", l.unconverged}});
    }
    nlohmann::ordered_json counts = nlohmann::ordered_json::object(), control = nlohmann::ordered_json::object();
    for (size_t k = 0; k < set_.labels.size(); ++k) {
        counts[set_.labels[k]]  = r.class_counts[k];
        control[set_.labels[k]] = r.control_class_counts[k];
    }
    nlohmann::ordered_json out;
    out["probe_set"]            = set_.name;
    out["question"]             = set_.question;
    out["model"]                = model_name;
    out["seed"]                 = options.seed;
    out["folds"]                = options.folds;
    out["texts"]                = r.groups;
    out["examples"]             = r.examples;
    out["word_types"]           = r.types;
    out["labels"]               = set_.labels;
    out["label_counts"]         = counts;
    out["control_label_counts"] = control;
    out["dimension"]            = dimension_;
    out["layers"]               = layers;
    out["notes"]                = report_notes(r, dimension_);
    out["statement"]            = honest_statement;
    return out;
}

}  // namespace spexlens::layer_probe
