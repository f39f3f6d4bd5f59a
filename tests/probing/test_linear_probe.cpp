// The probing core (src/probing): logistic regression recovers known coefficients, a planted
// representation reaches the accuracy its label noise allows, a pure-noise layer and the
// control task stay at chance, the seed decides everything, and bad input gets a message.
#include "probing/linear_probe.h"
#include "spex/prng.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

using namespace spexlens::probing;

namespace {

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// A planted problem: `groups` texts of `per_group` examples, dimension d. Layer 0 is pure noise;
// layer 1 holds the label as the sign of a known direction (w . x > 0), each label then flipped
// with probability `flip` (counted in `flipped`). Types are drawn at random from 40, independent
// of everything, so the control task's labels are unpredictable from the features.
probe_problem planted(size_t groups, size_t per_group, Eigen::Index d, double flip, uint64_t seed, size_t & flipped) {
    spex::prng      rng(seed, 7);
    const size_t    n = groups * per_group;
    probe_problem   p;
    Eigen::VectorXd w(d);
    for (Eigen::Index j = 0; j < d; ++j) {
        w(j) = rng.normal();
    }
    p.layers.assign(2, Eigen::MatrixXd(Eigen::Index(n), d));
    flipped = 0;
    for (size_t i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < d; ++j) {
            p.layers[0](Eigen::Index(i), j) = rng.normal();
            p.layers[1](Eigen::Index(i), j) = rng.normal();
        }
        int label = p.layers[1].row(Eigen::Index(i)).dot(w) > 0.0 ? 1 : 0;
        if (rng.uniform() < flip) {
            label = 1 - label;
            ++flipped;
        }
        p.labels.push_back(label);
        p.groups.push_back(int64_t(i / per_group));
        p.types.push_back(int64_t(rng.below(40)));
    }
    return p;
}

std::string message_of(const probe_problem & p, const probe_options & o, const probe_limits & l = probe_limits()) {
    try {
        run_layer_probes(p, o, l);
    } catch (const probing_error & e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("probing: logistic regression recovers the coefficients of a known logistic model") {
    // y ~ Bernoulli(sigmoid(0.5 + 2 x)), x ~ N(0, 1), n = 20,000: the maximum-likelihood estimate's
    // standard error is about 0.03 for the slope, so 0.15 is five of them (and a tiny penalty).
    spex::prng       rng(3, 1);
    const int        n = 20000;
    Eigen::MatrixXd  x(n, 1);
    std::vector<int> y;
    for (int i = 0; i < n; ++i) {
        x(i, 0) = rng.normal();
        y.push_back(rng.uniform() < sigmoid(0.5 + 2.0 * x(i, 0)) ? 1 : 0);
    }
    probe_options        o;
    const logistic_model m = fit_logistic(x, y, 2, 1e-6, o);
    REQUIRE(m.converged);
    // Weights are on the standardised feature: slope = 2 * scale, intercept = 0.5 + 2 * mean.
    CHECK(m.weights(1, 0) / m.scale(0) == Approx(2.0).margin(0.15));
    CHECK(m.weights(0, 0) - m.weights(1, 0) * m.mean(0) / m.scale(0) == Approx(0.5).margin(0.1));
    // A large penalty shrinks the slope towards 0.
    CHECK(std::abs(fit_logistic(x, y, 2, 10.0, o).weights(1, 0)) < 0.2);
}

TEST_CASE("probing: multinomial regression recovers three classes' coefficients") {
    // Logits (0, 1.5 x0, -1 + 1.5 x1) with class 0 as reference; n = 20,000.
    spex::prng       rng(4, 1);
    const int        n = 20000;
    Eigen::MatrixXd  x(n, 2);
    std::vector<int> y;
    for (int i = 0; i < n; ++i) {
        x(i, 0)         = rng.normal();
        x(i, 1)         = rng.normal();
        const double e1 = std::exp(1.5 * x(i, 0)), e2 = std::exp(-1.0 + 1.5 * x(i, 1));
        const double u = rng.uniform() * (1.0 + e1 + e2);
        y.push_back(u < 1.0 ? 0 : (u < 1.0 + e1 ? 1 : 2));
    }
    const logistic_model m = fit_logistic(x, y, 3, 1e-6, probe_options());
    REQUIRE(m.converged);
    CHECK(m.weights(1, 0) / m.scale(0) == Approx(1.5).margin(0.15));
    CHECK(m.weights(2, 1) / m.scale(1) == Approx(1.5).margin(0.15));
    CHECK(std::abs(m.weights(2, 0)) < 0.1);  // class 1 does not depend on x1
    CHECK(std::abs(m.weights(1, 1)) < 0.1);
    std::vector<int> predicted = predict(m, x);
    CHECK(predicted.size() == size_t(n));
}

TEST_CASE("probing: a planted representation reaches the accuracy its label noise allows, noise stays at chance") {
    // 10% of the labels flipped: a perfect probe of the planted direction scores 1 - flipped/n
    // (about 0.90). The probe learns the direction from 800 examples in 8 dimensions; its own
    // error on the clean rule is a few percent, so it must land within 0.05 below that ceiling and
    // cannot be much above it (only chance agreement with flipped labels could lift it).
    size_t              flipped = 0;
    const probe_problem p       = planted(200, 5, 8, 0.10, 11, flipped);
    const double        ceiling = 1.0 - double(flipped) / 1000.0;
    REQUIRE(ceiling == Approx(0.9).margin(0.04));
    probe_options      o;
    const probe_report r = run_layer_probes(p, o);
    REQUIRE(r.layers.size() == 2);
    const layer_result & noise = r.layers[0];
    const layer_result & real  = r.layers[1];
    CHECK(real.accuracy > ceiling - 0.05);
    CHECK(real.accuracy < ceiling + 0.02);
    CHECK(real.accuracy_sd < 0.06);
    // Pure noise: chance is the majority share (about 0.5); 1,000 test decisions have a standard
    // error of 0.016, so 0.06 is almost four of them.
    CHECK(std::abs(noise.accuracy - 0.5) < 0.06);
    CHECK(noise.accuracy < noise.majority + 0.04);
    // The control task: types carry no information in any layer, so it stays near its own chance.
    CHECK(real.control_accuracy < std::max(real.control_majority, 0.5) + 0.05);
    CHECK(real.selectivity > 0.25);
    // Shuffled labels: no layer predicts them, so both probes stay at chance (0.06, as above).
    CHECK(std::abs(real.shuffled_accuracy - 0.5) < 0.06);
    CHECK(std::abs(noise.shuffled_accuracy - 0.5) < 0.06);
    CHECK(real.accuracy - real.shuffled_accuracy > 0.3);
    CHECK(std::abs(noise.selectivity) < 0.12);
    CHECK(r.examples == 1000);
    CHECK(r.groups == 200);
    CHECK(r.types == 40);
}

TEST_CASE("probing: folds never split a text and the seed decides them") {
    std::vector<int64_t> groups;
    for (int64_t g = 0; g < 30; ++g) {
        for (int k = 0; k < 1 + int(g % 4); ++k) {
            groups.push_back(g * 7);
        }
    }
    const auto a = grouped_folds(groups, 5, 1, 9), b = grouped_folds(groups, 5, 1, 9),
               c = grouped_folds(groups, 5, 2, 9);
    CHECK(a == b);
    CHECK(a != c);
    std::vector<size_t> texts_in_fold(5, 0);
    for (size_t i = 0; i < groups.size(); ++i) {
        for (size_t j = 0; j < groups.size(); ++j) {
            if (groups[i] == groups[j]) {
                REQUIRE(a[i] == a[j]);
            }
        }
        if (i == 0 || groups[i] != groups[i - 1]) {
            ++texts_in_fold[a[i]];
        }
    }
    for (size_t count : texts_in_fold) {
        CHECK(count == 6);  // 30 texts dealt over 5 folds
    }
}

TEST_CASE("probing: control labels follow the types and the label distribution, seeded") {
    std::vector<int64_t> types;
    std::vector<int>     labels;
    for (int i = 0; i < 4000; ++i) {
        types.push_back(i % 1000);
        labels.push_back(i % 4 == 0 ? 1 : 0);  // 25% ones
    }
    const auto a = control_labels(types, labels, 2, 5), b = control_labels(types, labels, 2, 5);
    CHECK(a == b);
    CHECK(a != control_labels(types, labels, 2, 6));
    size_t ones = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        REQUIRE(a[i] == a[i % 1000]);  // one label per type
        ones += a[i] == 1 ? 1 : 0;
    }
    // 1,000 types drawing 1 with probability 0.25: sd of the share 0.014, so 0.06 is > 4 of them.
    CHECK(double(ones) / 4000.0 == Approx(0.25).margin(0.06));
}

TEST_CASE("probing: shuffled labels are a seeded permutation of the labels") {
    std::vector<int> labels;
    for (int i = 0; i < 1000; ++i) {
        labels.push_back(i < 300 ? 1 : (i < 500 ? 2 : 0));
    }
    const auto a = shuffled_labels(labels, 5);
    CHECK(a == shuffled_labels(labels, 5));
    CHECK(a != shuffled_labels(labels, 6));
    CHECK(a != labels);
    auto sorted_a = a, sorted_labels = labels;
    std::sort(sorted_a.begin(), sorted_a.end());
    std::sort(sorted_labels.begin(), sorted_labels.end());
    CHECK(sorted_a == sorted_labels);  // the same class counts
    size_t kept = 0;                   // a permutation, not a shift: about 0.3*0.3 + 0.2*0.2 + 0.5*0.5 agree
    for (size_t i = 0; i < a.size(); ++i) {
        kept += a[i] == labels[i] ? 1 : 0;
    }
    CHECK(double(kept) / 1000.0 == Approx(0.38).margin(0.06));
}

TEST_CASE("probing: the same seed gives the same report, bit for bit") {
    size_t              flipped = 0;
    const probe_problem p       = planted(20, 5, 6, 0.2, 5, flipped);
    probe_options       o;
    o.seed                = 77;
    const probe_report r1 = run_layer_probes(p, o), r2 = run_layer_probes(p, o);
    for (size_t l = 0; l < r1.layers.size(); ++l) {
        CHECK(r1.layers[l].accuracy == r2.layers[l].accuracy);
        CHECK(r1.layers[l].control_accuracy == r2.layers[l].control_accuracy);
        CHECK(r1.layers[l].l2 == r2.layers[l].l2);
    }
    o.seed                     = 78;
    const probe_report r3      = run_layer_probes(p, o);
    bool               differs = false;
    for (size_t l = 0; l < r1.layers.size(); ++l) {
        differs = differs || r1.layers[l].accuracy != r3.layers[l].accuracy ||
                  r1.layers[l].control_accuracy != r3.layers[l].control_accuracy;
    }
    CHECK(differs);
}

TEST_CASE("probing: bad input is refused with a message") {
    size_t        flipped = 0;
    probe_problem p       = planted(10, 3, 4, 0.1, 1, flipped);
    probe_options o;
    CHECK(message_of(p, o) == "no error");

    probe_problem nan   = p;
    nan.layers[1](4, 2) = std::nan("");
    CHECK_THAT(message_of(nan, o), Catch::Contains("layer 1, example 4, feature 2 is not a finite number"));
    probe_problem inf   = p;
    inf.layers[0](0, 0) = HUGE_VAL;
    CHECK_THAT(message_of(inf, o), Catch::Contains("not a finite number"));

    probe_problem one = p;
    std::fill(one.labels.begin(), one.labels.end(), 1);
    CHECK_THAT(message_of(one, o), Catch::Contains("every example has the same label"));

    probe_options many = o;
    many.folds         = 11;
    CHECK_THAT(message_of(p, many), Catch::Contains("needs at least 11 different texts, and the probe set has 10"));
    many.folds = 1;
    CHECK_THAT(message_of(p, many), Catch::Contains("folds must be 2 to 20"));

    probe_limits small;
    small.max_examples = 20;
    CHECK_THAT(message_of(p, o, small), Catch::Contains("30 examples is more than the limit of 20"));
    small               = probe_limits();
    small.max_dimension = 3;
    CHECK_THAT(message_of(p, o, small), Catch::Contains("1 to 3 features"));
    small            = probe_limits();
    small.max_layers = 1;
    CHECK_THAT(message_of(p, o, small), Catch::Contains("2 layers is more than the 1"));
    small          = probe_limits();
    small.max_work = 1000;
    CHECK_THAT(message_of(p, o, small), Catch::Contains("too much work"));

    probe_options iterations  = o;
    iterations.max_iterations = 0;
    CHECK_THAT(message_of(p, iterations), Catch::Contains("iterations"));

    probe_problem ragged = p;
    ragged.layers[1]     = Eigen::MatrixXd::Zero(29, 4);
    CHECK_THAT(message_of(ragged, o), Catch::Contains("layer 1 has 29 x 4 features"));
    probe_problem label = p;
    label.labels[3]     = 2;
    CHECK_THAT(message_of(label, o), Catch::Contains("label 2 is outside 0..1"));
    probe_problem groups = p;
    groups.groups.pop_back();
    CHECK_THAT(message_of(groups, o), Catch::Contains("a label, a group and a type"));
    probe_problem none;
    CHECK_THAT(message_of(none, o), Catch::Contains("no layers"));
}

TEST_CASE("probing: a fit that hits the iteration cap is counted, not hidden") {
    size_t        flipped = 0;
    probe_problem p       = planted(20, 5, 6, 0.0, 2, flipped);
    probe_options o;
    o.max_iterations     = 1;
    o.l2_grid            = {1e-4};
    const probe_report r = run_layer_probes(p, o);
    CHECK(r.layers[1].unconverged > 0);
    o.max_iterations      = 50;
    const probe_report ok = run_layer_probes(p, o);
    CHECK(ok.layers[1].unconverged == 0);
}
