// linear_probe: see linear_probe.h.
//
// Index:
//   [SECTION] Helpers
//   [SECTION] Logistic regression by Newton's method
//   [SECTION] Folds and control labels
//   [SECTION] Checks of the problem
//   [SECTION] Cross-validation
#include "probing/linear_probe.h"

#include "spex/prng.h"
#include "spex/spex_error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace spexlens::probing {

namespace {

// [SECTION] Helpers

// Streams of the seed, one per purpose (spex/prng.h).
constexpr uint64_t stream_outer_folds = spex::PRNG_STREAM_USER + 301;
constexpr uint64_t stream_inner_folds = spex::PRNG_STREAM_USER + 302;  // + outer fold index * 2
constexpr uint64_t stream_control     = spex::PRNG_STREAM_USER + 303;
constexpr uint64_t stream_shuffled    = spex::PRNG_STREAM_USER + 401;  // past the inner folds' streams

std::string count(size_t v) { return spex::with_commas(static_cast<long long>(v)); }

// [1, x] standardised with the model's mean and scale.
Eigen::MatrixXd design(const logistic_model & m, const Eigen::MatrixXd & x) {
    Eigen::MatrixXd out(x.rows(), x.cols() + 1);
    out.col(0).setOnes();
    out.rightCols(x.cols()) = (x.rowwise() - m.mean).array().rowwise() / m.scale.array();
    return out;
}

// Per row: the class logits (class 0 fixed at 0) turned into probabilities, stably.
Eigen::MatrixXd probabilities(const Eigen::MatrixXd & xd, const Eigen::MatrixXd & w, Eigen::VectorXd & log_norm) {
    const Eigen::MatrixXd z = xd * w;  // n x (K-1)
    Eigen::MatrixXd       p(z.rows(), z.cols());
    log_norm.resize(z.rows());
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
        const double top = std::max(0.0, z.row(i).maxCoeff());
        double       sum = std::exp(-top);
        for (Eigen::Index k = 0; k < z.cols(); ++k) {
            p(i, k) = std::exp(z(i, k) - top);
            sum += p(i, k);
        }
        p.row(i) /= sum;
        log_norm(i) = top + std::log(sum);
    }
    return p;
}

// The penalised objective: mean negative log-likelihood + (l2/2)|w|^2 (+ a tiny ridge on the
// intercept, which keeps the Newton system positive definite when a class is absent).
constexpr double intercept_ridge = 1e-8;

double objective(const Eigen::MatrixXd & xd, const std::vector<int> & y, const Eigen::MatrixXd & w, double l2) {
    Eigen::VectorXd log_norm;
    probabilities(xd, w, log_norm);
    const Eigen::MatrixXd z   = xd * w;
    double                nll = 0.0;
    for (Eigen::Index i = 0; i < xd.rows(); ++i) {
        nll += log_norm(i) - (y[size_t(i)] > 0 ? z(i, y[size_t(i)] - 1) : 0.0);
    }
    const double n = double(xd.rows());
    return nll / n + 0.5 * l2 * w.bottomRows(w.rows() - 1).squaredNorm() +
           0.5 * intercept_ridge * w.row(0).squaredNorm();
}

// [SECTION] Logistic regression by Newton's method

// Gradient and Hessian of the objective at w, parameters ordered class-major (class k's d+1
// weights together).
void gradient_hessian(const Eigen::MatrixXd & xd, const std::vector<int> & y, const Eigen::MatrixXd & w, double l2,
                      Eigen::VectorXd & grad, Eigen::MatrixXd & hess) {
    const Eigen::Index    d1 = xd.cols(), k1 = w.cols(), n = xd.rows();
    Eigen::VectorXd       log_norm;
    const Eigen::MatrixXd p = probabilities(xd, w, log_norm);
    Eigen::MatrixXd       r = p;
    for (Eigen::Index i = 0; i < n; ++i) {
        if (y[size_t(i)] > 0) {
            r(i, y[size_t(i)] - 1) -= 1.0;
        }
    }
    grad.resize(d1 * k1);
    hess.resize(d1 * k1, d1 * k1);
    Eigen::VectorXd penalty = Eigen::VectorXd::Constant(d1, l2);
    penalty(0)              = intercept_ridge;
    for (Eigen::Index a = 0; a < k1; ++a) {
        grad.segment(a * d1, d1) = xd.transpose() * r.col(a) / double(n) + penalty.cwiseProduct(w.col(a));
        for (Eigen::Index b = a; b < k1; ++b) {
            Eigen::VectorXd weight = -p.col(a).cwiseProduct(p.col(b));
            if (a == b) {
                weight += p.col(a);
            }
            const Eigen::MatrixXd block        = xd.transpose() * weight.asDiagonal() * xd / double(n);
            hess.block(a * d1, b * d1, d1, d1) = block;
            hess.block(b * d1, a * d1, d1, d1) = block.transpose();
        }
        hess.block(a * d1, a * d1, d1, d1).diagonal() += penalty;
    }
}

void standardise(logistic_model & m, const Eigen::MatrixXd & x) {
    m.mean  = x.colwise().mean();
    m.scale = ((x.rowwise() - m.mean).array().square().colwise().sum() / double(std::max<Eigen::Index>(1, x.rows())))
                  .sqrt()
                  .matrix();
    for (Eigen::Index j = 0; j < m.scale.size(); ++j) {
        if (!(m.scale(j) > 1e-12)) {
            m.scale(j) = 1.0;
        }
    }
}

void check_fit_input(const Eigen::MatrixXd & x, const std::vector<int> & y, size_t classes) {
    if (size_t(x.rows()) != y.size() || x.rows() == 0 || classes < 2) {
        throw probing_error("a probe needs at least one example, one label per example and two classes (got " +
                            count(size_t(x.rows())) + " rows, " + count(y.size()) + " labels, " + count(classes) +
                            " classes)");
    }
    for (int label : y) {
        if (label < 0 || size_t(label) >= classes) {
            throw probing_error("label " + std::to_string(label) + " is outside 0.." + std::to_string(classes - 1));
        }
    }
}

}  // namespace

logistic_model fit_logistic(const Eigen::MatrixXd & x, const std::vector<int> & y, size_t classes, double l2,
                            const probe_options & options) {
    check_fit_input(x, y, classes);
    logistic_model m;
    m.classes = classes;
    standardise(m, x);
    const Eigen::MatrixXd xd = design(m, x);
    m.weights                = Eigen::MatrixXd::Zero(xd.cols(), Eigen::Index(classes - 1));
    double          current  = objective(xd, y, m.weights, l2);
    Eigen::VectorXd grad;
    Eigen::MatrixXd hess;
    for (m.iterations = 0; m.iterations < options.max_iterations; ++m.iterations) {
        gradient_hessian(xd, y, m.weights, l2, grad, hess);
        if (grad.lpNorm<Eigen::Infinity>() < options.tolerance) {
            m.converged = true;
            break;
        }
        const Eigen::VectorXd step = hess.ldlt().solve(grad);
        const Eigen::MatrixXd dir  = Eigen::Map<const Eigen::MatrixXd>(step.data(), xd.cols(), m.weights.cols());
        double                t    = 1.0;
        double                next = objective(xd, y, m.weights - dir, l2);
        // Armijo backtracking: the objective is convex, so a short enough step always decreases it.
        while (!(next <= current - 1e-4 * t * grad.dot(step)) && t > 1e-10) {
            t *= 0.5;
            next = objective(xd, y, m.weights - t * dir, l2);
        }
        if (!(next < current)) {  // no progress possible in floating point: as good as it gets
            m.converged = true;
            break;
        }
        m.weights -= t * dir;
        current = next;
    }
    return m;
}

std::vector<int> predict(const logistic_model & model, const Eigen::MatrixXd & x) {
    const Eigen::MatrixXd z = design(model, x) * model.weights;
    std::vector<int>      out(size_t(x.rows()), 0);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
        double best = 0.0;  // class 0's logit
        for (Eigen::Index k = 0; k < z.cols(); ++k) {
            if (z(i, k) > best) {
                best           = z(i, k);
                out[size_t(i)] = int(k + 1);
            }
        }
    }
    return out;
}

double log_loss(const logistic_model & model, const Eigen::MatrixXd & x, const std::vector<int> & y) {
    return objective(design(model, x), y, model.weights, 0.0) -
           0.5 * intercept_ridge * model.weights.row(0).squaredNorm();
}

// [SECTION] Folds and control labels

std::vector<size_t> grouped_folds(const std::vector<int64_t> & groups, size_t folds, uint64_t seed, uint64_t stream) {
    std::vector<int64_t> distinct(groups);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (folds < 2 || distinct.size() < folds) {
        throw probing_error("cross-validation with " + count(folds) + " folds needs at least " + count(folds) +
                            " different texts, and the probe set has " + count(distinct.size()) +
                            ": ask for fewer folds (at least 2) or add texts");
    }
    spex::prng rng(seed, stream);
    for (size_t i = distinct.size() - 1; i > 0; --i) {  // Fisher-Yates
        std::swap(distinct[i], distinct[size_t(rng.below(i + 1))]);
    }
    std::map<int64_t, size_t> fold_of;
    for (size_t i = 0; i < distinct.size(); ++i) {
        fold_of[distinct[i]] = i % folds;
    }
    std::vector<size_t> out(groups.size());
    for (size_t i = 0; i < groups.size(); ++i) {
        out[i] = fold_of[groups[i]];
    }
    return out;
}

std::vector<int> shuffled_labels(const std::vector<int> & labels, uint64_t seed) {
    std::vector<int> out(labels);
    spex::prng       rng(seed, stream_shuffled);
    for (size_t i = out.size(); i > 1; --i) {  // Fisher-Yates
        std::swap(out[i - 1], out[size_t(rng.below(i))]);
    }
    return out;
}

std::vector<int> control_labels(const std::vector<int64_t> & types, const std::vector<int> & labels, size_t classes,
                                uint64_t seed) {
    std::vector<double> share(classes, 0.0);
    for (int label : labels) {
        share[size_t(label)] += 1.0 / double(labels.size());
    }
    std::map<int64_t, int> label_of;  // ordered: types draw in ascending order, whatever the row order
    for (int64_t t : types) {
        label_of[t] = 0;
    }
    spex::prng rng(seed, stream_control);
    for (auto & entry : label_of) {
        const double u   = rng.uniform();
        double       sum = 0.0;
        entry.second     = int(classes - 1);
        for (size_t k = 0; k < classes; ++k) {
            sum += share[k];
            if (u < sum) {
                entry.second = int(k);
                break;
            }
        }
    }
    std::vector<int> out(types.size());
    for (size_t i = 0; i < types.size(); ++i) {
        out[i] = label_of[types[i]];
    }
    return out;
}

namespace {

// [SECTION] Checks of the problem

void check_sizes(const probe_problem & p, const probe_options & o, const probe_limits & lim) {
    const size_t n = p.labels.size();
    if (p.layers.empty()) {
        throw probing_error("no layers to probe: give at least one layer of features");
    }
    if (p.layers.size() > lim.max_layers) {
        throw probing_error(count(p.layers.size()) + " layers is more than the " + count(lim.max_layers) +
                            " a run probes: probe fewer layers");
    }
    if (n == 0) {
        throw probing_error("no examples to probe: the probe set has no targets");
    }
    if (n > lim.max_examples) {
        throw probing_error(count(n) + " examples is more than the limit of " + count(lim.max_examples) +
                            ": use fewer targets");
    }
    if (p.groups.size() != n || p.types.size() != n) {
        throw probing_error("every example needs a label, a group and a type (got " + count(n) + " labels, " +
                            count(p.groups.size()) + " groups, " + count(p.types.size()) + " types)");
    }
    if (p.classes < 2 || p.classes > lim.max_classes) {
        throw probing_error("a probe needs 2 to " + count(lim.max_classes) + " labels, not " + count(p.classes));
    }
    if (o.folds < 2 || o.folds > lim.max_folds) {
        throw probing_error("folds must be 2 to " + count(lim.max_folds) + ", not " + count(o.folds));
    }
    if (o.l2_grid.empty() || o.inner_folds < 2 || o.max_iterations == 0 || o.max_iterations > lim.max_iterations) {
        throw probing_error("the options need a non-empty penalty grid, at least 2 inner folds and 1 to " +
                            count(lim.max_iterations) + " iterations");
    }
    for (double l2 : o.l2_grid) {
        if (!(l2 > 0.0 && l2 < 1e6)) {
            throw probing_error("every penalty of the grid must be a positive number below 1e6");
        }
    }
}

void check_layers(const probe_problem & p, const probe_limits & lim) {
    const Eigen::Index n = Eigen::Index(p.labels.size()), d = p.layers[0].cols();
    if (d == 0 || size_t(d) > lim.max_dimension) {
        throw probing_error("each example needs 1 to " + count(lim.max_dimension) + " features per layer, not " +
                            count(size_t(d)));
    }
    const size_t parameters = size_t(d + 1) * (p.classes - 1);
    if (parameters > lim.max_parameters) {
        throw probing_error("a probe of " + count(size_t(d)) + " features and " + count(p.classes) + " labels has " +
                            count(parameters) + " parameters, more than the limit of " + count(lim.max_parameters) +
                            ": reduce the dimension or the labels");
    }
    if (double(n) * double(parameters) * double(parameters) * double(p.layers.size()) > lim.max_work) {
        throw probing_error("probing " + count(size_t(n)) + " examples of " + count(size_t(d)) + " features at " +
                            count(p.layers.size()) + " layers is too much work for one run: use fewer examples or " +
                            "layers");
    }
    for (size_t l = 0; l < p.layers.size(); ++l) {
        const Eigen::MatrixXd & x = p.layers[l];
        if (x.rows() != n || x.cols() != d) {
            throw probing_error("layer " + count(l) + " has " + count(size_t(x.rows())) + " x " +
                                count(size_t(x.cols())) + " features; every layer needs " + count(size_t(n)) + " x " +
                                count(size_t(d)));
        }
        for (Eigen::Index i = 0; i < n; ++i) {
            for (Eigen::Index j = 0; j < d; ++j) {
                if (!std::isfinite(x(i, j))) {
                    throw probing_error("layer " + count(l) + ", example " + count(size_t(i)) + ", feature " +
                                        count(size_t(j)) + " is not a finite number (NaN or infinite): the model's " +
                                        "activations overflowed or the input is broken");
                }
            }
        }
    }
}

std::vector<size_t> check_labels(const probe_problem & p) {
    std::vector<size_t> counts(p.classes, 0);
    for (int label : p.labels) {
        if (label < 0 || size_t(label) >= p.classes) {
            throw probing_error("label " + std::to_string(label) + " is outside 0.." + std::to_string(p.classes - 1));
        }
        ++counts[size_t(label)];
    }
    if (std::count(counts.begin(), counts.end(), size_t(0)) >= std::ptrdiff_t(p.classes - 1)) {
        throw probing_error("every example has the same label: a probe needs examples of at least two labels");
    }
    return counts;
}

// [SECTION] Cross-validation

struct split {
    std::vector<Eigen::Index> train, test;
};

split make_split(const std::vector<size_t> & fold, size_t k) {
    split s;
    for (size_t i = 0; i < fold.size(); ++i) {
        (fold[i] == k ? s.test : s.train).push_back(Eigen::Index(i));
    }
    return s;
}

template <typename T> std::vector<T> pick(const std::vector<T> & v, const std::vector<Eigen::Index> & rows) {
    std::vector<T> out;
    out.reserve(rows.size());
    for (Eigen::Index r : rows) {
        out.push_back(v[size_t(r)]);
    }
    return out;
}

double accuracy(const std::vector<int> & predicted, const std::vector<int> & truth) {
    size_t right = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
        right += predicted[i] == truth[i] ? 1 : 0;
    }
    return truth.empty() ? 0.0 : double(right) / double(truth.size());
}

int majority_class(const std::vector<int> & labels, size_t classes) {
    std::vector<size_t> counts(classes, 0);
    for (int label : labels) {
        ++counts[size_t(label)];
    }
    return int(std::max_element(counts.begin(), counts.end()) - counts.begin());
}

// The penalty of the grid with the lowest held-out log-loss over inner folds of the training rows.
double choose_l2(const Eigen::MatrixXd & x, const std::vector<int> & y, const std::vector<int64_t> & groups,
                 size_t classes, const probe_options & o, uint64_t stream, size_t & unconverged) {
    std::vector<int64_t> distinct(groups);
    std::sort(distinct.begin(), distinct.end());
    const size_t inner =
        std::min(o.inner_folds, size_t(std::unique(distinct.begin(), distinct.end()) - distinct.begin()));
    if (inner < 2 || o.l2_grid.size() == 1) {
        return o.l2_grid[o.l2_grid.size() / 2];
    }
    const std::vector<size_t> fold = grouped_folds(groups, inner, o.seed, stream);
    std::vector<double>       loss(o.l2_grid.size(), 0.0);
    for (size_t k = 0; k < inner; ++k) {
        const split           s  = make_split(fold, k);
        const Eigen::MatrixXd xt = x(s.train, Eigen::all), xv = x(s.test, Eigen::all);
        for (size_t g = 0; g < o.l2_grid.size(); ++g) {
            const logistic_model m = fit_logistic(xt, pick(y, s.train), classes, o.l2_grid[g], o);
            unconverged += m.converged ? 0 : 1;
            loss[g] += log_loss(m, xv, pick(y, s.test));
        }
    }
    return o.l2_grid[size_t(std::min_element(loss.begin(), loss.end()) - loss.begin())];
}

struct cv_score {
    double              mean = 0.0, sd = 0.0, majority = 0.0;
    std::vector<double> l2;
    size_t              unconverged = 0;
};

cv_score cross_validate(const Eigen::MatrixXd & x, const std::vector<int> & y, const probe_problem & p,
                        const std::vector<size_t> & fold, const probe_options & o) {
    cv_score            score;
    std::vector<double> acc;
    for (size_t k = 0; k < o.folds; ++k) {
        const split            s  = make_split(fold, k);
        const Eigen::MatrixXd  xt = x(s.train, Eigen::all);
        const std::vector<int> yt = pick(y, s.train), yv = pick(y, s.test);
        const double l2 = choose_l2(xt, yt, pick(p.groups, s.train), p.classes, o, stream_inner_folds + 2 * (k + 1),
                                    score.unconverged);
        const logistic_model m        = fit_logistic(xt, yt, p.classes, l2, o);
        const int            majority = majority_class(yt, p.classes);
        score.unconverged += m.converged ? 0 : 1;
        acc.push_back(accuracy(predict(m, x(s.test, Eigen::all)), yv));
        score.majority += accuracy(std::vector<int>(yv.size(), majority), yv) / double(o.folds);
        score.l2.push_back(l2);
    }
    score.mean = std::accumulate(acc.begin(), acc.end(), 0.0) / double(acc.size());
    for (double a : acc) {
        score.sd += (a - score.mean) * (a - score.mean) / double(acc.size() - 1);
    }
    score.sd = std::sqrt(score.sd);
    return score;
}

// The value chosen most often (the smallest on a tie).
double most_often(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    double best     = values.front();
    size_t best_run = 0;
    for (size_t i = 0; i < values.size();) {
        size_t j = i;
        while (j < values.size() && values[j] == values[i]) {
            ++j;
        }
        if (j - i > best_run) {
            best_run = j - i;
            best     = values[i];
        }
        i = j;
    }
    return best;
}

}  // namespace

probe_report run_layer_probes(const probe_problem & problem, const probe_options & options,
                              const probe_limits & limits) {
    check_sizes(problem, options, limits);
    check_layers(problem, limits);
    probe_report report;
    report.examples                   = problem.labels.size();
    report.class_counts               = check_labels(problem);
    const std::vector<size_t> fold    = grouped_folds(problem.groups, options.folds, options.seed, stream_outer_folds);
    const std::vector<int>    control = control_labels(problem.types, problem.labels, problem.classes, options.seed);
    report.control_class_counts.assign(problem.classes, 0);
    for (int c : control) {
        ++report.control_class_counts[size_t(c)];
    }
    std::vector<int64_t> distinct(problem.groups);
    std::sort(distinct.begin(), distinct.end());
    report.groups = size_t(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
    distinct      = problem.types;
    std::sort(distinct.begin(), distinct.end());
    report.types              = size_t(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
    const bool control_varies = std::count(report.control_class_counts.begin(), report.control_class_counts.end(),
                                           size_t(0)) < std::ptrdiff_t(problem.classes - 1);
    for (size_t l = 0; l < problem.layers.size(); ++l) {
        const cv_score real = cross_validate(problem.layers[l], problem.labels, problem, fold, options);
        layer_result   r;
        r.layer       = l;
        r.accuracy    = real.mean;
        r.accuracy_sd = real.sd;
        r.majority    = real.majority;
        r.l2          = most_often(real.l2);
        r.unconverged = real.unconverged;
        if (options.control_task && control_varies) {
            const cv_score ctl    = cross_validate(problem.layers[l], control, problem, fold, options);
            r.control_accuracy    = ctl.mean;
            r.control_accuracy_sd = ctl.sd;
            r.control_majority    = ctl.majority;
            r.unconverged += ctl.unconverged;
        } else if (options.control_task) {  // every type drew the same label: the control is trivial
            r.control_accuracy = r.control_majority = 1.0;
        }
        r.selectivity = r.accuracy - r.control_accuracy;
        if (options.shuffled_control) {
            const cv_score shuffled = cross_validate(problem.layers[l], shuffled_labels(problem.labels, options.seed),
                                                     problem, fold, options);
            r.shuffled_accuracy     = shuffled.mean;
            r.shuffled_accuracy_sd  = shuffled.sd;
            r.unconverged += shuffled.unconverged;
        }
        report.layers.push_back(r);
    }
    return report;
}

}  // namespace spexlens::probing
