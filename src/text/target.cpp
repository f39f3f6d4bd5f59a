// target: choosing and computing what an explanation measures (model_manifest.h). Everything
// is computed in double from the float logits, with max-shifted exponentials, so no logit
// range overflows; a NaN anywhere in the row makes the value NaN, which the explainer reports
// rather than explaining a broken model output.
#include "text/model_manifest.h"
#include "text/text_error.h"

#include <cmath>
#include <limits>

namespace spexlens::text {

namespace {

// 1 / (1 + exp(-x)) without overflow for either sign of x.
double stable_sigmoid(double x) {
    if (x >= 0) {
        return 1.0 / (1.0 + std::exp(-x));
    }
    const double e = std::exp(x);
    return e / (1.0 + e);
}

// log(sum exp(logits[j])) over j != skip. -inf when every term is -inf; +inf if one is +inf.
double logsumexp_except(const float * logits, size_t classes, size_t skip) {
    double m = -std::numeric_limits<double>::infinity();
    for (size_t j = 0; j < classes; ++j) {
        if (j != skip && logits[j] > m) {
            m = logits[j];
        }
    }
    if (std::isinf(m)) {
        return m;
    }
    double sum = 0.0;
    for (size_t j = 0; j < classes; ++j) {
        if (j != skip) {
            sum += std::exp(static_cast<double>(logits[j]) - m);
        }
    }
    return m + std::log(sum);  // with one term, sum is exactly 1 and the result exactly m
}

bool all_digits(std::string_view s) {
    if (s.empty() || s.size() > 9) {
        return false;
    }
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

std::string label_list(const model_manifest & manifest) {
    std::string s;
    for (size_t i = 0; i < manifest.labels.size(); ++i) {
        s += (i == 0 ? "" : ", ") + manifest.labels[i] + " (" + std::to_string(i) + ")";
    }
    return s;
}

bool find_class(const model_manifest & manifest, std::string_view name, int & out) {
    for (size_t i = 0; i < manifest.labels.size(); ++i) {
        if (manifest.labels[i] == name) {
            out = static_cast<int>(i);
            return true;
        }
    }
    if (all_digits(name)) {
        const int index = std::stoi(std::string(name));
        if (index < static_cast<int>(manifest.labels.size())) {
            out = index;
            return true;
        }
    }
    return false;
}

}  // namespace

const char * target_measure_name(target_measure m) {
    switch (m) {
    case MEASURE_LOGIT:
        return "logit";
    case MEASURE_LOG_ODDS:
        return "log-odds";
    case MEASURE_PROB:
        return "prob";
    }
    return "?";
}

bool parse_target_measure(std::string_view name, target_measure & out) {
    for (target_measure m : {MEASURE_LOGIT, MEASURE_LOG_ODDS, MEASURE_PROB}) {
        if (name == target_measure_name(m)) {
            out = m;
            return true;
        }
    }
    return false;
}

target_spec parse_target(const model_manifest & manifest, std::string_view spec) {
    target_spec target = manifest.default_target;
    if (spec.empty()) {
        return target;
    }
    // A label may itself contain ':', so a whole-spec label match wins over splitting.
    std::string_view class_part = spec;
    if (!find_class(manifest, spec, target.class_index)) {
        const size_t colon = spec.rfind(':');
        if (colon != std::string_view::npos) {
            class_part                     = spec.substr(0, colon);
            const std::string_view measure = spec.substr(colon + 1);
            if (!parse_target_measure(measure, target.measure)) {
                throw text_error("target \"" + std::string(spec) + "\": unknown measure \"" + std::string(measure) +
                                 "\"; use logit, log-odds or prob");
            }
        }
        // An empty class ("prob" alone needs the colon: ":prob") keeps the default class.
        if (!class_part.empty() && !find_class(manifest, class_part, target.class_index)) {
            throw text_error("target \"" + std::string(spec) + "\": unknown class \"" + std::string(class_part) +
                             "\"; the model's classes are " + label_list(manifest) +
                             " (give a label or an index, optionally with :logit, :log-odds or :prob)");
        }
    }
    return target;
}

double target_value(const target_spec & target, const float * logits, size_t classes) {
    if (target.class_index < 0 || static_cast<size_t>(target.class_index) >= classes) {
        throw text_error("target class " + std::to_string(target.class_index) + " is outside the model's " +
                         std::to_string(classes) + " outputs");
    }
    for (size_t j = 0; j < classes; ++j) {
        if (std::isnan(logits[j])) {
            return std::numeric_limits<double>::quiet_NaN();
        }
    }
    const size_t c = static_cast<size_t>(target.class_index);
    const double x = logits[c];
    if (target.measure == MEASURE_LOGIT) {
        return x;
    }
    // One output is a binary classifier's logit: it already is the log-odds of class 0.
    const double log_odds = classes == 1 ? x : x - logsumexp_except(logits, classes, c);
    if (target.measure == MEASURE_LOG_ODDS) {
        return log_odds;
    }
    // softmax(l)[c] = 1 / (1 + sum_{j != c} exp(l_j - l_c)) = sigmoid(log-odds of c).
    return stable_sigmoid(log_odds);
}

}  // namespace spexlens::text
