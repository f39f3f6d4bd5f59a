// uniform_surrogates: see uniform_surrogates.h.
//
// [SECTION] Helpers: timing, the energy support, candidate ridge options
// [SECTION] Candidates: ProxySPEX (scored on its validation fifth) and ridge-ℓ (K-fold),
//           the n <= 4 whole-cube fit
// [SECTION] The choice
#include "uniform_surrogates.h"

#include "baselines/faith_banzhaf.h"
#include "baselines/ridge_fourier.h"
#include "proxy/boosted_trees.h"
#include "proxy/tree_fourier.h"
#include "spex_error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string>

namespace spex {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Helpers: timing, the energy support
//-----------------------------------------------------------------------------

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

bool set_less(const feature_set & a, const feature_set & b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// The terms that carry `energy` of the proxy's non-constant energy, largest first, at most
// `cap` interactions, plus the constant and every first-order term, in canonical order.
std::vector<feature_set> energy_support(const sparse_fourier & proxy, int n, double energy, size_t cap,
                                        double & kept_fraction) {
    std::vector<const fourier_term *> terms;
    double                            total = 0.0;
    for (const fourier_term & t : proxy.terms) {
        if (!t.set.empty() && t.coef != 0.0) {
            terms.push_back(&t);
            total += t.coef * t.coef;
        }
    }
    std::sort(terms.begin(), terms.end(), [](const fourier_term * a, const fourier_term * b) {
        const double ea = a->coef * a->coef;
        const double eb = b->coef * b->coef;
        return ea != eb ? ea > eb : set_less(a->set, b->set);
    });
    std::vector<feature_set> support;
    support.push_back({});
    for (int i = 0; i < n; ++i) {
        support.push_back({i});
    }
    double kept         = 0.0;
    size_t interactions = 0;
    for (const fourier_term * t : terms) {
        if (total > 0.0 && kept >= energy * total) {
            break;
        }
        if (t->set.size() > 1) {
            if (interactions >= cap) {
                break;
            }
            support.push_back(t->set);
            ++interactions;
        }
        kept += t->coef * t->coef;
    }
    kept_fraction = total > 0.0 ? kept / total : 1.0;
    std::sort(support.begin(), support.end(), set_less);
    return support;
}

// Interactions the ProxySPEX refit keeps at most: N^2 / 10,000 for N calls, at most 1,500.
// Measured on the spam model's e-mails: the best support grows faster than the calls (about
// 100-250 at 1,000 calls, 500 at 2,000, 1,500 at 4,000: R^2 +0.01, +0.005, 0 against half the
// calls), and 1,500 keeps a result a readable size; its proxies need ~10,000 terms for 99.9% of
// their energy, and the largest 1,500 keep held-out R^2 within ~0.02-0.04 of the whole proxy's.
size_t support_cap(size_t rows, size_t asked) {
    if (asked > 0) {
        return asked;
    }
    const size_t quadratic = rows > 100000 ? 1500 : rows * rows / 10000;
    return std::max<size_t>(8, std::min<size_t>(quadratic, 1500));
}

// Ridge options for a candidate: K-fold on the request's folds whatever the support size, so
// every candidate's score is the same kind of number; the anchors train every fold.
ridge_options candidate_ridge_options(const surrogate_request & request) {
    ridge_options o;
    o.folds                = request.folds;
    o.anchors              = request.anchors;
    o.exact_max_parameters = 0;
    return o;
}

//-----------------------------------------------------------------------------
// [SECTION] Candidates: ProxySPEX and ridge-ℓ
//-----------------------------------------------------------------------------

// One fitted candidate.
struct candidate_fit {
    candidate_score score;
    surrogate_fit   fit;
};

// The proxy's terms on `support` (the rest dropped).
sparse_fourier restrict_to(const sparse_fourier & f, const std::vector<feature_set> & support) {
    std::map<feature_set, double> coef;
    for (const fourier_term & t : f.terms) {
        coef.emplace(t.set, t.coef);
    }
    sparse_fourier out;
    out.n = f.n;
    for (const feature_set & s : support) {
        const auto it = coef.find(s);
        out.terms.push_back({s, it == coef.end() ? 0.0 : it->second});
    }
    return out;
}

// What the ProxySPEX pipeline did on the trees' selection split.
struct validation_refit {
    double       r2     = -INFINITY;  // on the validation rows; -inf when not run
    bool         fitted = false;      // false: too few training rows for the refit's cross-validation
    ridge_report report;              // the refit's penalty, chosen by K-fold CV on the training rows
};

// f at the listed rows of masks (out[i] for rows[i]); the same sums, term by term in order, as
// sparse_fourier::evaluate, so bit-identical to it, but a term's parity is an AND and a parity
// fold per mask word instead of one bit test per feature, and the loop over rows (inside the
// loop over terms) has no branch.
std::vector<double> evaluate_rows(const sparse_fourier & f, const mask_matrix & masks,
                                  const std::vector<size_t> & rows) {
    const size_t          words = masks.words;
    const size_t          count = rows.size();
    std::vector<uint64_t> row_bits(words * count);  // word w of row k at [w * count + k]
    for (size_t k = 0; k < count; ++k) {
        for (size_t w = 0; w < words; ++w) {
            row_bits[w * count + k] = masks.row(rows[k])[w];
        }
    }
    std::vector<double>   out(count, 0.0);
    std::vector<uint64_t> x(count);
    for (const fourier_term & t : f.terms) {
        std::fill(x.begin(), x.end(), 0);
        std::vector<uint64_t> term_bits(words, 0);
        for (int i : t.set) {
            term_bits[size_t(i) / 64] |= uint64_t(1) << (i % 64);
        }
        for (size_t w = 0; w < words; ++w) {
            if (term_bits[w] == 0) {
                continue;
            }
            const uint64_t * rb = &row_bits[w * count];
            for (size_t k = 0; k < count; ++k) {
                x[k] ^= rb[k] & term_bits[w];
            }
        }
        const double c = t.coef;
        for (size_t k = 0; k < count; ++k) {
            uint64_t v = x[k];
            v ^= v >> 32;
            v ^= v >> 16;
            v ^= v >> 8;
            v ^= v >> 4;
            v ^= v >> 2;
            v ^= v >> 1;
            // c or -c exactly: flip the sign bit when the parity is odd.
            out[k] += c * (1.0 - 2.0 * double(v & 1u));
        }
    }
    return out;
}

// The ProxySPEX pipeline on the selection's training rows (support from its trees, the
// prior-mean ridge refit on those rows, its penalty by K-fold CV there), scored as R^2 on its
// validation rows.
validation_refit refit_on_selection_split(const mask_matrix & masks, const std::vector<double> & values,
                                          const gbt_selection_report & selection, const surrogate_request & request) {
    validation_refit            out;
    const std::vector<size_t> & train = selection.train_row_list;
    const std::vector<size_t> & valid = selection.valid_row_list;
    if (train.size() < 2 * size_t(request.folds) + request.anchors || valid.size() < 2) {
        return out;
    }
    const sparse_fourier           proxy = ensemble_fourier(selection.valid_model);
    double                         kept  = 0.0;
    const std::vector<feature_set> support =
        energy_support(proxy, masks.n, request.proxy_energy, support_cap(train.size(), request.max_support), kept);
    const sparse_fourier      prior       = restrict_to(proxy, support);
    const std::vector<double> prior_train = evaluate_rows(prior, masks, train);
    std::vector<double>       residual(values.size(), 0.0);
    for (size_t k = 0; k < train.size(); ++k) {
        residual[train[k]] = values[train[k]] - prior_train[k];
    }
    // fit_gbt_selected lists the training rows in ascending order, so the anchors (rows
    // 0 .. anchors-1) lead, as ridge_options::anchors expects.
    ridge_options options;
    options.folds            = request.folds;
    options.anchors          = request.anchors;
    const sparse_fourier fit = fit_ridge_fourier_rows(masks, residual, train, support, options, &out.report);
    out.fitted               = true;
    double mean              = 0.0;
    for (size_t r : valid) {
        mean += values[r];
    }
    mean /= double(valid.size());
    const std::vector<double> prior_valid = evaluate_rows(prior, masks, valid);
    const std::vector<double> fit_valid   = evaluate_rows(fit, masks, valid);
    double                    sse = 0.0, sst = 0.0;
    for (size_t k = 0; k < valid.size(); ++k) {
        const double y = values[valid[k]];
        const double e = y - prior_valid[k] - fit_valid[k];
        sse += e * e;
        sst += (y - mean) * (y - mean);
    }
    out.r2 = sst > 0.0 ? 1.0 - sse / sst : -INFINITY;
    return out;
}

candidate_fit fit_proxy_candidate(const mask_matrix & masks, const std::vector<double> & values,
                                  const surrogate_request & request) {
    const auto           t0 = clock_type::now();
    gbt_selection_report selection;
    gbt_ensemble         trees = fit_gbt_selected(masks, values, request.seed, &selection, request.anchors);

    // Scored on the trees' validation fifth, which neither the trees nor the refit below saw:
    // the same pipeline (support from the trees, prior-mean ridge refit) built from the trees
    // fitted on the other four fifths, refit on those rows, scored on the fifth; or the trees
    // themselves there, if they did better. A held-out estimate at 80% of the data, as the ridge
    // candidates' 5-fold scores are. (Refitting the trees for every fold would cost five more
    // boosted fits.)
    const auto             t_score  = clock_type::now();
    const validation_refit split    = refit_on_selection_split(masks, values, selection, request);
    const double           score_ms = ms_since(t_score);

    const auto    t_fourier = clock_type::now();
    candidate_fit c;
    c.fit.proxy_fourier                       = ensemble_fourier(trees);
    double                         kept       = 0.0;
    const std::vector<feature_set> support    = energy_support(c.fit.proxy_fourier, masks.n, request.proxy_energy,
                                                               support_cap(masks.count, request.max_support), kept);
    const double                   fourier_ms = ms_since(t_fourier);
    // The refit: ridge on the support with the proxy's coefficients as the prior mean, i.e. a
    // ridge fit of what the kept terms leave unexplained, added to them. A large penalty keeps
    // the proxy's values; a small one moves them to the least-squares fit on the support; K-fold
    // CV on all rows chooses. (Reusing the penalty per row chosen on the selection split, one
    // solve instead of a K-fold search, cost planted functions of n = 60 at 4,000 calls 0.04 of
    // held-out R^2: that split's support is capped lower, at (4/5)^2 of the rows' cap.)
    const auto           t_ridge    = clock_type::now();
    const sparse_fourier kept_terms = restrict_to(c.fit.proxy_fourier, support);
    std::vector<size_t>  all_rows(masks.count);
    for (size_t r = 0; r < masks.count; ++r) {
        all_rows[r] = r;
    }
    const std::vector<double> kept_values = evaluate_rows(kept_terms, masks, all_rows);
    std::vector<double>       residual(values.size());
    for (size_t r = 0; r < masks.count; ++r) {
        residual[r] = values[r] - kept_values[r];
    }
    ridge_options refit_options;
    refit_options.folds   = request.folds;
    refit_options.anchors = request.anchors;
    ridge_report         refit;
    const sparse_fourier correction = fit_ridge_fourier(masks, residual, support, refit_options, &refit);
    c.fit.fourier                   = kept_terms;
    for (size_t i = 0; i < support.size(); ++i) {
        c.fit.fourier.terms[i].coef += correction.terms[i].coef;  // both in support order
    }
    const double ridge_ms = ms_since(t_ridge);

    proxy_report & p             = c.fit.report.proxy;
    p.present                    = true;
    p.grid_ms                    = selection.grid_ms;
    p.trees_ms                   = selection.refit_ms;
    p.fourier_ms                 = fourier_ms;
    p.ridge_ms                   = ridge_ms;
    p.score_ms                   = score_ms;
    p.trees                      = int(trees.trees.size());
    p.max_depth                  = selection.chosen.max_depth;
    p.learning_rate              = selection.chosen.learning_rate;
    p.min_leaf                   = selection.chosen.min_leaf;
    p.validation_r2              = selection.valid_r2;
    p.proxy_terms                = int(c.fit.proxy_fourier.terms.size());
    p.support                    = int(support.size());
    p.energy_kept                = kept;
    p.ridge_lambda               = refit.lambda;
    c.fit.report.ridge_lambda    = refit.lambda;
    c.fit.report.ridge_selection = refit.selection;

    c.score.name      = "proxyspex";
    c.score.defined   = selection.valid_defined;
    c.score.cv_r2     = std::max(selection.valid_r2, split.r2);
    c.score.terms     = int(c.fit.fourier.terms.size());
    c.score.fit_ms    = ms_since(t0);
    c.fit.proxy_trees = std::move(trees);
    return c;
}

candidate_fit fit_ridge_candidate(const mask_matrix & masks, const std::vector<double> & values, int order,
                                  const surrogate_request & request) {
    const auto    t0 = clock_type::now();
    ridge_report  report;
    candidate_fit c;
    c.fit.fourier                = fit_ridge_fourier(masks, values, all_sets_up_to_order(masks.n, order),
                                                     candidate_ridge_options(request), &report);
    c.fit.report.ridge_lambda    = report.lambda;
    c.fit.report.ridge_selection = report.selection;
    c.score.name                 = "ridge-" + std::to_string(order);
    c.score.defined              = report.cv_defined;
    c.score.cv_r2                = report.cv_r2;
    c.score.terms                = int(c.fit.fourier.terms.size());
    c.score.fit_ms               = ms_since(t0);
    return c;
}

// Every one of the 2^n masks was queried (n <= 4): the least-squares fit on every set is the
// function itself. No score (nothing is held out).
surrogate_fit whole_cube_fit(const mask_matrix & masks, const std::vector<double> & values) {
    ridge_options exact;
    exact.lambdas = {1e-10};
    surrogate_fit out;
    out.fourier = fit_ridge_fourier(masks, values, all_sets_up_to_order(masks.n, masks.n), exact, nullptr);
    candidate_score score;
    score.name                 = "ridge-" + std::to_string(masks.n);
    score.terms                = int(out.fourier.terms.size());
    out.report.chosen          = score.name;
    out.report.candidates      = {score};
    out.report.ridge_lambda    = exact.lambdas[0];
    out.report.ridge_selection = "gcv";
    return out;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The choice
//-----------------------------------------------------------------------------

std::vector<int> auto_ridge_orders(int n, size_t queries) {
    std::vector<int> orders;
    for (int order = 1; order <= 3 && order <= n; ++order) {
        const size_t params = faith_banzhaf_parameter_count(n, order);
        // Order 1 whenever it fits in memory (ridge copes with more words than calls); higher
        // orders while the calls outnumber their terms.
        if (params <= max_ridge_parameters && (order == 1 || params < queries)) {
            orders.push_back(order);
        }
    }
    return orders;
}

surrogate_fit fit_uniform_surrogate(const mask_matrix & masks, const std::vector<double> & values,
                                    const surrogate_request & request) {
    if (request.folds < 2 || request.folds > 20) {
        throw spex_error("cross-validation folds must be 2..20 (got " + std::to_string(request.folds) + ")");
    }
    if (values.size() != masks.count) {
        throw spex_error("the surrogate got " + std::to_string(values.size()) + " values for " +
                         std::to_string(masks.count) + " masks");
    }
    if (masks.count < request.anchors + size_t(2 * request.folds)) {
        // A handful of players, every mask queried: the full Fourier transform fits exactly and
        // there is nothing left to cross-validate on.
        if (masks.n <= 4 && masks.count == (size_t(1) << masks.n)) {
            return whole_cube_fit(masks, values);
        }
        throw spex_error("too few queries (" + std::to_string(masks.count) + ") to cross-validate over " +
                         std::to_string(request.folds) + " folds: raise the budget");
    }
    if (!request.proxy_spex && request.ridge_orders.empty()) {
        throw spex_error("no surrogate to fit: ask for proxyspex or a ridge order");
    }
    std::vector<candidate_fit> fits;
    if (request.proxy_spex) {
        fits.push_back(fit_proxy_candidate(masks, values, request));
    }
    for (int order : request.ridge_orders) {
        fits.push_back(fit_ridge_candidate(masks, values, order, request));
    }
    // The best cross-validated R^2; the first listed on ties or when no score is defined.
    size_t best = 0;
    for (size_t i = 1; i < fits.size(); ++i) {
        const candidate_score & a = fits[i].score;
        const candidate_score & b = fits[best].score;
        if (a.defined && (!b.defined || a.cv_r2 > b.cv_r2)) {
            best = i;
        }
    }
    surrogate_fit out = std::move(fits[best].fit);
    out.report.chosen = fits[best].score.name;
    out.report.folds  = request.folds;
    for (candidate_fit & c : fits) {
        out.report.candidates.push_back(c.score);
        if (c.fit.report.proxy.present) {  // the proxy is reported whichever candidate wins
            out.report.proxy = c.fit.report.proxy;
            if (out.proxy_fourier.terms.empty()) {
                out.proxy_fourier = std::move(c.fit.proxy_fourier);
                out.proxy_trees   = std::move(c.fit.proxy_trees);
            }
        }
    }
    return out;
}

}  // namespace spex
