// linear_probe: probing classifiers on a model's layer activations (docs/probing.md).
// L2-regularised logistic regression (binary, or multinomial with class 0 as reference) fitted
// by Newton's method with a backtracking line search on features standardised inside each
// training fold; k-fold cross-validation grouped by text (no text in both a training and a test
// fold), the penalty chosen inside the training folds from a small grid; per layer the accuracy
// (mean and spread over folds), the majority-class baseline and a control task (Hewitt & Liang,
// EMNLP 2019: every word type gets a random label, drawn seeded from the label distribution,
// probed the same way) with selectivity = accuracy - control accuracy.
//
//   probe_problem p;              // rows of features per layer, labels, groups (texts), types
//   probe_report  r = run_layer_probes(p, options);   // throws probing_error with a message
//
// Pure C++17 + Eigen: no I/O, no text, no model. Rows are examples (e.g. words), their features
// whatever the front end measured (e.g. a word's mean hidden state at a layer). What a result
// means: the label is linearly decodable from that layer on these examples, not that the model
// uses it.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace spexlens::probing {

// [SECTION] Errors and limits

// A problem that cannot be probed: what() says what is wrong and what to change.
struct probing_error : std::runtime_error {
    explicit probing_error(const std::string & what) : std::runtime_error(what) {}
};

// Bounds on one run; each is checked with a message before any fitting starts.
struct probe_limits {
    size_t max_examples   = 20000;  // rows
    size_t max_dimension  = 1024;   // features per row
    size_t max_layers     = 64;     // layers probed
    size_t max_classes    = 16;     // distinct labels
    size_t max_parameters = 1025;   // (dimension + 1) * (classes - 1): the Newton system's size
    size_t max_folds      = 20;
    size_t max_iterations = 200;   // Newton iterations of one fit (the option may ask fewer)
    double max_work       = 2e10;  // examples * parameters^2 * layers: about the arithmetic of a run
};

// [SECTION] The problem and the options

// Examples, their labels, and per layer one row of features per example.
struct probe_problem {
    std::vector<Eigen::MatrixXd> layers;  // layers[l] is examples x dimension (the same for every layer)
    std::vector<int>             labels;  // 0 .. classes-1, one per example
    size_t                       classes = 2;
    std::vector<int64_t>         groups;  // the text each example comes from: folds never split a group
    std::vector<int64_t>         types;   // the word type of each example, for the control task
};

// How to probe. Every random choice (fold assignment, control labels) comes from `seed`.
struct probe_options {
    uint64_t            seed             = 1;
    size_t              folds            = 5;  // outer folds, grouped by text
    size_t              inner_folds      = 3;  // folds of the training part that choose the penalty
    std::vector<double> l2_grid          = {1e-4, 1e-3, 1e-2, 1e-1, 1.0};  // lambda of (lambda/2)|w|^2
    size_t              max_iterations   = 50;
    double              tolerance        = 1e-7;  // stop when the largest gradient entry is below it
    bool                control_task     = true;  // the word-type control (Hewitt & Liang)
    bool                shuffled_control = true;  // the same probe on the labels shuffled across examples
};

// [SECTION] One fit

// A fitted probe: standardisation of the training rows and the weights on standardised features.
struct logistic_model {
    Eigen::RowVectorXd mean;            // per feature, from the training rows
    Eigen::RowVectorXd scale;           // per feature standard deviation (1 where it is 0)
    Eigen::MatrixXd    weights;         // (dimension + 1) x (classes - 1); row 0 is the intercept
    size_t             classes    = 2;  // class 0 is the reference (logit 0)
    size_t             iterations = 0;
    bool               converged  = false;
};

// Fits on rows `x` with labels `y` (0 .. classes-1); l2 >= 0 penalises the weights but not the
// intercept. Throws probing_error on mismatched sizes. A label missing from `y` is allowed (its
// probability is driven down); a training set of one class predicts that class.
logistic_model fit_logistic(const Eigen::MatrixXd & x, const std::vector<int> & y, size_t classes, double l2,
                            const probe_options & options);
// The predicted class of each row (the first on a tie).
std::vector<int> predict(const logistic_model & model, const Eigen::MatrixXd & x);
// Mean negative log-likelihood of `y` under the model.
double log_loss(const logistic_model & model, const Eigen::MatrixXd & x, const std::vector<int> & y);

// [SECTION] Folds and control labels

// The fold (0 .. folds-1) of each example: distinct groups are shuffled with the seed and dealt
// out in turn, so every example of a group shares its fold. Throws probing_error when there are
// fewer distinct groups than folds.
std::vector<size_t> grouped_folds(const std::vector<int64_t> & groups, size_t folds, uint64_t seed, uint64_t stream);

// The control task's labels: each distinct type gets one label, drawn with the seed from the
// empirical distribution of `labels`; every example takes its type's label.
std::vector<int> control_labels(const std::vector<int64_t> & types, const std::vector<int> & labels, size_t classes,
                                uint64_t seed);

// The shuffled control's labels: `labels` permuted across examples with the seed (the class
// counts stay the same), so no representation can predict them and a probe scores about chance.
std::vector<int> shuffled_labels(const std::vector<int> & labels, uint64_t seed);

// [SECTION] The run

// One layer's probe, cross-validated.
struct layer_result {
    size_t layer               = 0;
    double accuracy            = 0.0;  // mean over the outer folds of the test accuracy
    double accuracy_sd         = 0.0;  // sample standard deviation over the folds
    double majority            = 0.0;  // the training fold's majority class, scored on the test fold
    double control_accuracy    = 0.0;  // the same probe on the control task's labels
    double control_accuracy_sd = 0.0;
    double control_majority    = 0.0;  // the majority baseline of the control labels
    double selectivity         = 0.0;  // accuracy - control_accuracy
    // The same probe on labels shuffled across examples (shuffled_labels): about chance when the
    // probe cannot memorise noise; a probe far above it here would be overfitting.
    double shuffled_accuracy    = 0.0;
    double shuffled_accuracy_sd = 0.0;
    double l2                   = 0.0;  // the penalty chosen most often across the outer folds
    size_t unconverged          = 0;    // fits that hit the iteration cap (counted, reported)
};

// What run_layer_probes found: counts of the problem, and one result per layer.
struct probe_report {
    size_t                    examples = 0;
    size_t                    groups   = 0;  // distinct texts
    size_t                    types    = 0;  // distinct word types
    std::vector<size_t>       class_counts;  // examples per label
    std::vector<size_t>       control_class_counts;
    std::vector<layer_result> layers;
};

// Checks the problem against the limits (throws probing_error with a message) and probes every
// layer: the same folds for every layer and for the control task.
probe_report run_layer_probes(const probe_problem & problem, const probe_options & options,
                              const probe_limits & limits = probe_limits());

}  // namespace spexlens::probing
