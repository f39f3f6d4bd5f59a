// session: see session.h.
//
// Index
//   [SECTION] names of methods, decoders and noise modes
//   [SECTION] session state and config checks
//   [SECTION] construction: the design and its masks
//   [SECTION] accessors, issuing masks, receiving values
//   [SECTION] fitting SPEX: noise estimate, peeling, refit
//   [SECTION] fitting uniform designs: result header, surrogate candidates
//   [SECTION] results: finish, early snapshots, run_session
#include "session.h"

#include "baselines/baseline_sampling.h"
#include "baselines/faith_banzhaf.h"
#include "baselines/kernel_shap.h"
#include "baselines/lime.h"
#include "baselines/ridge_fourier.h"
#include "bin_columns.h"
#include "prng.h"
#include "spex_error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace spex {

// [SECTION] names of methods, decoders and noise modes

const char * method_name(method_kind m) {
    switch (m) {
    case METHOD_SPEX:
        return "spex";
    case METHOD_LIME:
        return "lime";
    case METHOD_KERNEL_SHAP:
        return "kernelshap";
    case METHOD_FAITH_BANZHAF:
        return "faith-banzhaf";
    case METHOD_PROXY_SPEX:
        return "proxyspex";
    case METHOD_RIDGE:
        return "ridge";
    case METHOD_AUTO:
        return "auto";
    }
    return "?";
}

const char * decoder_name(decoder_kind d) { return d == DECODER_HARD ? "hard" : "soft"; }

const char * noise_mode_name(noise_mode m) {
    switch (m) {
    case NOISE_AUTO:
        return "auto";
    case NOISE_KNOWN:
        return "known";
    case NOISE_REFERENCE:
        return "reference";
    }
    return "?";
}

// [SECTION] session state and config checks

using clock_type = std::chrono::steady_clock;

// Sums of squares of values (bin energies, the refit's normal equations) must stay finite.
constexpr double max_value_magnitude = 1e100;

static double ms_since(clock_type::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
}

struct session::impl {
    session_config                config;
    design_choice                 design;
    std::unique_ptr<query_design> spex_design;     // METHOD_SPEX
    mask_matrix                   baseline_masks;  // other methods
    mask_matrix                   holdout_masks;
    bool                          uniform = false;  // ProxySPEX / ridge / auto on uniform masks: hold-out first
    size_t                        prefix  = 0;      // answered queries 0..prefix-1
    std::vector<double>           values;           // design queries, in query order
    std::vector<double>           holdout_values;
    std::vector<char>             received;
    size_t                        received_count = 0;
    size_t                        issued         = 0;
    bool                          started        = false;
    bool                          finished       = false;
    clock_type::time_point        first_batch;
    clock_type::time_point        last_value;

    size_t design_count() const { return size_t(design.queries); }
    size_t holdout_count() const { return holdout_values.size(); }

    // Query order: design then hold-out, except for uniform designs (hold-out then design).
    bool   is_design(size_t q) const { return uniform ? q >= holdout_count() : q < design_count(); }
    size_t design_index(size_t q) const { return uniform ? q - holdout_count() : q; }
    size_t holdout_index(size_t q) const { return uniform ? q : q - design_count(); }

    void copy_mask(size_t q, uint64_t * out) const {
        const size_t w = mask_words(config.n);
        if (!is_design(q)) {
            std::memcpy(out, holdout_masks.row(holdout_index(q)), w * sizeof(uint64_t));
            return;
        }
        q = design_index(q);
        if (spex_design) {
            spex_design->mask(q, out);
        } else {
            std::memcpy(out, baseline_masks.row(q), w * sizeof(uint64_t));
        }
    }
};

// True when the method fits uniform masks: ProxySPEX, ridge, and auto below auto_spex_min_n.
static bool uses_uniform_design(const session_config & c) {
    return c.method == METHOD_PROXY_SPEX || c.method == METHOD_RIDGE ||
           (c.method == METHOD_AUTO && (c.auto_spex_min_n <= 0 || c.n < c.auto_spex_min_n));
}

static void validate(const session_config & c) {
    if (c.holdout < 0 || c.holdout > 1000000) {
        throw spex_error("holdout = " + std::to_string(c.holdout) + " masks is out of range: choose 0..1,000,000");
    }
    if (c.budget < 0) {
        throw spex_error("budget must be positive (got " + std::to_string(c.budget) + ")");
    }
    if (c.chase_depth < 0 || c.chase_depth > 63) {
        throw spex_error("chase depth " + std::to_string(c.chase_depth) + " is out of range: choose 0 (= 2t) .. 63");
    }
    if (c.max_iter < 1) {
        throw spex_error("max_iter must be at least 1");
    }
    if (!(c.multiton_ratio > 0.0 && c.multiton_ratio <= 1.0)) {
        throw spex_error("multiton ratio must be in (0, 1]");
    }
    if (c.noise == NOISE_KNOWN && !(c.noise_sd >= 0.0 && std::isfinite(c.noise_sd))) {
        throw spex_error("noise sd must be a finite number >= 0");
    }
    if (!(c.refine_ridge >= 0.0 && std::isfinite(c.refine_ridge))) {
        throw spex_error("refit ridge must be a finite number >= 0");
    }
    if (c.method == METHOD_FAITH_BANZHAF && (c.faith_banzhaf_order < 1 || c.faith_banzhaf_order > 3)) {
        throw spex_error("Faith-Banzhaf order must be 1, 2 or 3 (got " + std::to_string(c.faith_banzhaf_order) + ")");
    }
    if (c.method == METHOD_RIDGE && (c.ridge_order < 1 || c.ridge_order > 3)) {
        throw spex_error("ridge order must be 1, 2 or 3 (got " + std::to_string(c.ridge_order) + ")");
    }
    if (c.cv_folds < 2 || c.cv_folds > 20) {
        throw spex_error("cross-validation folds must be 2..20 (got " + std::to_string(c.cv_folds) + ")");
    }
    if (!c.subsampling.empty() && c.method != METHOD_SPEX) {
        throw spex_error("imported subsampling matrices only apply to the SPEX method");
    }
}

// [SECTION] construction: the design and its masks

// The design the budget (or b) buys; for a uniform design, just the number of masks.
static design_choice choose_design(const session_config & config) {
    design_choice design;
    if (uses_uniform_design(config) && config.budget > 0) {
        // No SPEX design to size: the budget is the number of masks.
        if (config.n < 1 || config.n > spex_max_n) {
            throw spex_error("n = " + std::to_string(config.n) + " players is out of range: 1.." +
                             std::to_string(spex_max_n));
        }
        if (config.budget > 2000000) {
            throw spex_error("a budget of " + std::to_string(config.budget) +
                             " queries is above the limit of 2,000,000 for uniform designs");
        }
        design.n       = config.n;
        design.budget  = config.budget;
        design.queries = config.budget;
    } else if (config.budget > 0) {
        design = config.bins_first ? choose_design_bins_first(config.n, config.budget, config.t, config.t_floor)
                                   : choose_design_for_budget(config.n, config.budget, config.t, config.t_floor);
    } else {
        design = choose_design_for_b(config.n, config.b > 0 ? config.b : 8, config.t);
    }
    return design;
}

// The uniform masks of ProxySPEX, ridge and auto: the budget's number of distinct masks (b:
// as many as SPEX's design at that b); the design is updated to what was drawn.
static mask_matrix draw_uniform_masks(const session_config & config, design_choice & design) {
    const size_t asked = size_t(config.budget > 0 ? config.budget : design.queries);
    if (config.method == METHOD_RIDGE) {
        const size_t params = faith_banzhaf_parameter_count(config.n, config.ridge_order);
        if (params > ridge_max_parameters) {
            throw spex_error("ridge regression of order " + std::to_string(config.ridge_order) + " fits " +
                             (params == SIZE_MAX ? std::string("too many") : with_commas(params)) +
                             " coefficients at n = " + std::to_string(config.n) + ", above the limit of " +
                             with_commas(ridge_max_parameters) + ": use a lower order, proxyspex or auto");
        }
    }
    // Enough calls to cross-validate, or every mask of a handful of players.
    const size_t whole   = config.n <= 24 ? size_t(1) << config.n : SIZE_MAX;
    const size_t minimum = std::min(size_t(4 * config.cv_folds), whole);
    if (asked < minimum) {
        throw spex_error("a budget of " + std::to_string(asked) + " queries is too small for " +
                         method_name(config.method) + ": it needs at least " + std::to_string(minimum));
    }
    prng        rng(config.seed, PRNG_STREAM_BASELINE);
    mask_matrix masks = sample_distinct_uniform_masks(config.n, asked, rng);
    design.queries    = int64_t(masks.count);
    design.t          = 0;
    design.t_asked    = 0;
    design.p          = 0;
    if (masks.count < asked) {
        design.note = "every one of the 2^" + std::to_string(config.n) + " = " + std::to_string(masks.count) +
                      " masks is queried once (the budget allowed " + std::to_string(asked) + ")";
    }
    return masks;
}

// The masks of the other baselines (LIME, KernelSHAP, Faith-Banzhaf, uniform): count of them.
static mask_matrix draw_baseline_masks(const session_config & config, size_t count) {
    prng rng(config.seed, PRNG_STREAM_BASELINE);
    if (config.method == METHOD_FAITH_BANZHAF) {
        const size_t params = faith_banzhaf_parameter_count(config.n, config.faith_banzhaf_order);
        if (params > count) {
            throw spex_error("Faith-Banzhaf of order " + std::to_string(config.faith_banzhaf_order) + " fits " +
                             std::to_string(params) + " coefficients at n = " + std::to_string(config.n) +
                             " but the budget gives only " + std::to_string(count) +
                             " queries: raise the budget or use order 1");
        }
    }
    switch (config.method) {
    case METHOD_LIME:
        return sample_lime_masks(config.n, count, rng);
    case METHOD_KERNEL_SHAP:
        return sample_kernel_shap_masks(config.n, count, rng);
    default:
        return sample_uniform_masks(config.n, count, rng);
    }
}

session::session(const session_config & config) : impl_(new impl) {
    validate(config);
    impl & s = *impl_;
    s.config = config;
    s.design = choose_design(config);

    s.uniform = uses_uniform_design(config);
    if (config.method == METHOD_SPEX || (config.method == METHOD_AUTO && !s.uniform)) {
        s.spex_design = config.subsampling.empty() ? std::make_unique<query_design>(s.design, config.seed)
                                                   : std::make_unique<query_design>(s.design, config.subsampling);
    } else if (s.uniform) {
        // The budget buys exactly that many calls (b: as many as SPEX's design at that b).
        s.baseline_masks = draw_uniform_masks(config, s.design);
    } else {
        const size_t count = s.design_count();
        s.baseline_masks   = draw_baseline_masks(config, count);
    }
    prng holdout_rng(config.seed, PRNG_STREAM_HOLDOUT);
    s.holdout_masks = sample_uniform_masks(config.n, size_t(config.holdout), holdout_rng);

    s.values.assign(s.design_count(), 0.0);
    s.holdout_values.assign(size_t(config.holdout), 0.0);
    s.received.assign(s.design_count() + size_t(config.holdout), 0);
}

// [SECTION] accessors, issuing masks, receiving values

session::~session()                               = default;
session::session(session &&) noexcept             = default;
session & session::operator=(session &&) noexcept = default;

const session_config & session::config() const { return impl_->config; }
const design_choice &  session::design() const { return impl_->design; }
size_t                 session::design_queries() const { return impl_->design_count(); }
size_t                 session::holdout_queries() const { return impl_->holdout_values.size(); }
size_t                 session::values_received() const { return impl_->received_count; }
size_t                 session::answered_prefix() const { return impl_->prefix; }
bool                   session::uniform_design() const { return impl_->uniform; }
bool                   session::sampling_done() const { return impl_->issued == total_queries(); }

mask_batch session::next_batch(size_t max_count) {
    impl & s = *impl_;
    if (!s.started) {
        s.started     = true;
        s.first_batch = clock_type::now();
    }
    mask_batch batch;
    batch.first        = s.issued;
    const size_t count = std::min(max_count, total_queries() - s.issued);
    batch.masks        = masks(s.issued, count);
    s.issued += count;
    return batch;
}

mask_matrix session::masks(size_t first, size_t count) const {
    if (first > total_queries() || count > total_queries() - first) {
        throw spex_error("mask range [" + std::to_string(first) + ", " + std::to_string(first + count) +
                         ") is outside the session's " + std::to_string(total_queries()) + " queries");
    }
    mask_matrix m(impl_->config.n, count);
    for (size_t r = 0; r < count; ++r) {
        impl_->copy_mask(first + r, m.row(r));
    }
    return m;
}

void session::submit(size_t first, const double * values, size_t count) {
    impl & s = *impl_;
    if (first > total_queries() || count > total_queries() - first) {
        throw spex_error("values for queries [" + std::to_string(first) + ", " + std::to_string(first + count) +
                         ") do not fit the session's " + std::to_string(total_queries()) + " queries");
    }
    for (size_t r = 0; r < count; ++r) {
        const size_t q = first + r;
        if (!std::isfinite(values[r])) {
            throw spex_error("the function returned a non-finite value (" + std::to_string(values[r]) + ") for query " +
                             std::to_string(q) + ": check the model output for NaN/inf (e.g. an all-masked input)");
        }
        if (std::fabs(values[r]) > max_value_magnitude) {
            throw spex_error("the function returned " + std::to_string(values[r]) + " for query " + std::to_string(q) +
                             ": magnitudes above 1e100 overflow the transform; rescale the output (e.g. use logits, "
                             "not exponentiated scores)");
        }
        if (s.received[q]) {
            throw spex_error("query " + std::to_string(q) + " already has a value: each query is submitted once");
        }
    }
    for (size_t r = 0; r < count; ++r) {
        const size_t q = first + r;
        s.received[q]  = 1;
        if (s.is_design(q)) {
            s.values[s.design_index(q)] = values[r];
        } else {
            s.holdout_values[s.holdout_index(q)] = values[r];
        }
    }
    s.received_count += count;
    while (s.prefix < s.received.size() && s.received[s.prefix]) {
        ++s.prefix;
    }
    s.last_value = clock_type::now();
}

// [SECTION] fitting SPEX: noise estimate, peeling, refit

// Per-entry noise variance from the residual of a hard-decoding pass. Bins that peeled
// cleanly hold only noise, N(0, v) per entry; the 25th percentile of the squared entries
// (0.10153 v for chi-square with 1 dof) stays robust while up to 3/4 of entries still carry
// unresolved signal.
static double residual_noise_variance(const bin_columns & residual) {
    std::vector<double> sq(residual.data.size());
    for (size_t i = 0; i < sq.size(); ++i) {
        sq[i] = residual.data[i] * residual.data[i];
    }
    const size_t q = sq.size() / 4;
    std::nth_element(sq.begin(), sq.begin() + static_cast<std::ptrdiff_t>(q), sq.end());
    return sq[q] / 0.10153;
}

static void solve_spex(const session_config & cfg, const query_design & design, std::vector<double> samples,
                       solve_result & out) {
    const int   p           = design.p();
    const auto  t0          = clock_type::now();
    bin_columns u           = transform_samples(samples, spex_groups, p, design.b());
    out.timing.transform_ms = ms_since(t0);

    const auto        t1       = clock_type::now();
    const bin_columns original = u;
    peeling_options   opt;
    opt.decoder            = cfg.decoder;
    opt.chase_depth        = cfg.chase_depth;
    opt.max_iter           = cfg.max_iter;
    opt.trap_exit          = cfg.trap_exit;
    opt.legacy_trap_exit   = cfg.legacy_trap_exit;
    opt.multiton_ratio     = cfg.multiton_ratio;
    opt.seed               = cfg.seed;
    const double floor_tau = 1e-9;
    const double per_entry = 1.0 / design.bins();  // noise variance per query -> per WHT entry

    peeling_output peeled;
    bool           have_result = false;
    switch (cfg.noise) {
    case NOISE_REFERENCE:
        opt.zeroton_tau = floor_tau;
        break;
    case NOISE_KNOWN:
        opt.zeroton_tau = floor_tau + 1.5 * cfg.noise_sd * cfg.noise_sd * per_entry;
        break;
    case NOISE_AUTO: {
        peeling_options hard              = opt;
        hard.decoder                      = DECODER_HARD;
        hard.zeroton_tau                  = floor_tau;
        bin_columns    probe              = u;
        peeling_output first              = peel_bins(design, probe, hard);
        const double   v                  = residual_noise_variance(probe);
        opt.zeroton_tau                   = floor_tau + 1.5 * v;
        out.diagnostics.noise_sd_estimate = std::sqrt(v / per_entry);
        if (cfg.decoder == DECODER_HARD && opt.zeroton_tau <= 2 * floor_tau) {
            peeled      = std::move(first);  // noiseless: the probe already is the answer
            have_result = true;
        } else {
            peeled.stats.bch_decodes += first.stats.bch_decodes;
        }
        break;
    }
    }
    if (!have_result) {
        const int64_t probe_decodes = peeled.stats.bch_decodes;
        peeled                      = peel_bins(design, u, opt);
        peeled.stats.bch_decodes += probe_decodes;
    }
    if (cfg.noise == NOISE_KNOWN) {
        out.diagnostics.noise_sd_estimate = cfg.noise_sd;
    }
    out.diagnostics.zeroton_tau  = opt.zeroton_tau;
    out.diagnostics.peeling      = peeled.stats;
    out.diagnostics.peeled_terms = static_cast<int>(peeled.found.terms.size());
    out.timing.decode_ms         = ms_since(t1);

    const auto t2 = clock_type::now();
    if (cfg.refine) {
        out.fourier = refine_fit(design, original, peeled.found, cfg.refine_ridge, out.diagnostics.refit);
        if (!out.diagnostics.refit.all_linear) {
            out.notes.push_back("refit: too few queries to add every first-order term (" + std::to_string(design.n()) +
                                "); only features inside recovered interactions");
        }
    } else {
        out.fourier = peeled.found;
    }
    out.timing.refine_ms = ms_since(t2);
}

// [SECTION] fitting uniform designs: result header, surrogate candidates

// What every result of a session records before its fit: the method, design and queries used.
static solve_result result_header(const session_config & c, const design_choice & design, int64_t queries,
                                  bool uniform) {
    solve_result out;
    out.n              = c.n;
    out.method         = c.method;
    out.decoder        = c.decoder;
    out.noise          = c.noise;
    out.seed           = c.seed;
    out.design         = design;
    out.queries        = queries;
    out.uniform_design = uniform;
    return out;
}

// Calls per term an early result of auto asks of a ridge order above 1 (see below).
constexpr size_t early_calls_per_ridge_term = 2;

// The surrogate candidates a uniform-design method fits.
// Early results (snapshots) of auto fit the ridge candidates only, where the boosted trees would
// take the model's time away while calls are still coming in; and of those only the orders with
// at least early_calls_per_ridge_term calls per term (order 1 always). Near one call per term
// the K-fold ridge fit is ill-conditioned, its Lanczos solves run long, and it rarely scores
// better than the lower orders: measured on the page's default run (60 words, 2,122 calls),
// ridge-2's 1,831 terms took ~0.5 s in WebAssembly and scored 0.82 against ridge-1's 0.96 in
// 6 ms. The final fit (finish) tries every candidate; snapshots never change it.
static surrogate_request surrogate_request_for(const session_config & c, size_t rows, bool early = false) {
    surrogate_request r;
    r.folds   = c.cv_folds;
    r.seed    = c.seed;
    r.anchors = std::min<size_t>(2, rows);  // rows 0 and 1 keep every / no player
    switch (c.method) {
    case METHOD_PROXY_SPEX:
        r.proxy_spex = true;
        break;
    case METHOD_RIDGE:
        r.proxy_spex   = false;
        r.ridge_orders = {c.ridge_order};
        break;
    default:  // auto
        r.ridge_orders = auto_ridge_orders(c.n, early ? rows / early_calls_per_ridge_term : rows);
        r.proxy_spex   = !early || r.ridge_orders.empty();
        break;
    }
    return r;
}

// Fits the first `rows` design values of a uniform design.
static void solve_uniform(const session_config & cfg, const mask_matrix & design_masks,
                          const std::vector<double> & design_values, size_t rows, const mask_matrix & holdout_masks,
                          const std::vector<double> & holdout_values, solve_result & out, bool early = false) {
    mask_matrix masks(design_masks.n, rows);
    std::copy(design_masks.bits.begin(), design_masks.bits.begin() + std::ptrdiff_t(rows * design_masks.words),
              masks.bits.begin());
    const std::vector<double> values(design_values.begin(), design_values.begin() + std::ptrdiff_t(rows));

    const auto    t1          = clock_type::now();
    surrogate_fit fit         = fit_uniform_surrogate(masks, values, surrogate_request_for(cfg, rows, early));
    out.timing.refine_ms      = ms_since(t1);
    out.fourier               = std::move(fit.fourier);
    out.diagnostics.surrogate = std::move(fit.report);
    out.ridge_order           = cfg.method == METHOD_RIDGE ? cfg.ridge_order : 0;
    proxy_report & proxy      = out.diagnostics.surrogate.proxy;
    if (proxy.present && holdout_masks.count > 0) {
        // R^2 as r_squared computes it, from the trees' predictions: their Fourier transform is
        // exact, and its tens of thousands of terms would cost a hundred times as much.
        double mean = 0.0;
        for (size_t r = 0; r < holdout_masks.count; ++r) {
            mean += holdout_values[r];
        }
        mean /= double(holdout_masks.count);
        double residual = 0.0, total = 0.0;
        for (size_t r = 0; r < holdout_masks.count; ++r) {
            const double e = holdout_values[r] - fit.proxy_trees.predict(holdout_masks.row(r));
            residual += e * e;
            total += (holdout_values[r] - mean) * (holdout_values[r] - mean);
        }
        proxy.holdout_scored = total > 0.0;
        proxy.holdout_r2     = total > 0.0 ? 1.0 - residual / total : 0.0;
    }
}

// "a", "a and b", "a, b and c".
static std::string joined_list(const std::vector<std::string> & items) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    }
    return out;
}

static bool has_candidate(const surrogate_report & report, const std::string & name) {
    for (const candidate_score & c : report.candidates) {
        if (c.name == name) {
            return true;
        }
    }
    return false;
}

// What an early result of auto left for the final fit, e.g. " (ridge-1 only; ridge-2 and
// ProxySPEX join at the end)"; empty when it fitted every candidate the final fit will.
static std::string early_candidates_note(const surrogate_report & fitted, const surrogate_request & final_request) {
    std::vector<std::string> later;
    for (int order : final_request.ridge_orders) {
        const std::string name = "ridge-" + std::to_string(order);
        if (!has_candidate(fitted, name)) {
            later.push_back(name);
        }
    }
    if (final_request.proxy_spex && !has_candidate(fitted, "proxyspex")) {
        later.push_back("ProxySPEX");
    }
    if (later.empty()) {
        return "";
    }
    std::vector<std::string> done;
    for (const candidate_score & c : fitted.candidates) {
        done.push_back(c.name);
    }
    return " (" + joined_list(done) + " only; " + joined_list(later) + (later.size() == 1 ? " joins" : " join") +
           " at the end)";
}

// [SECTION] results: finish, early snapshots, run_session

solve_result session::finish() {
    impl & s = *impl_;
    if (!complete()) {
        throw spex_error("cannot solve yet: " + std::to_string(values_received()) + " of " +
                         std::to_string(total_queries()) + " values received");
    }
    if (s.finished) {
        throw spex_error("this session was already solved: start a new session to solve again");
    }
    s.finished    = true;
    const auto t0 = clock_type::now();

    solve_result out        = result_header(s.config, s.design, s.design.queries, s.uniform);
    out.faith_banzhaf_order = s.config.method == METHOD_FAITH_BANZHAF ? s.config.faith_banzhaf_order : 0;
    if (!s.design.note.empty()) {
        out.notes.push_back(s.design.note);
    }
    out.timing.sampling_ms =
        s.started ? std::chrono::duration<double, std::milli>(s.last_value - s.first_batch).count() : 0.0;

    if (s.uniform) {
        solve_uniform(s.config, s.baseline_masks, s.values, s.design_count(), s.holdout_masks, s.holdout_values, out);
    } else if (s.config.method == METHOD_SPEX || s.config.method == METHOD_AUTO) {
        solve_spex(s.config, *s.spex_design, std::move(s.values), out);
        if (s.config.method == METHOD_AUTO) {
            out.diagnostics.surrogate.chosen = "spex";
            out.notes.push_back("auto: SPEX's structured design, chosen for n >= " +
                                std::to_string(s.config.auto_spex_min_n) + " players");
        }
    } else {
        const auto    t1  = clock_type::now();
        lsqr_report & fit = out.diagnostics.baseline_fit;
        switch (s.config.method) {
        case METHOD_LIME:
            out.fourier = fit_lime(s.baseline_masks, s.values, lime_options{}, &fit);
            break;
        case METHOD_KERNEL_SHAP:
            out.fourier = fit_kernel_shap(s.baseline_masks, s.values, &fit);
            break;
        default:
            out.fourier = fit_faith_banzhaf(s.baseline_masks, s.values, s.config.faith_banzhaf_order, 1e-8, &fit);
            break;
        }
        if (!fit.converged) {
            out.notes.push_back(std::string(method_name(s.config.method)) + " fit stopped after " +
                                std::to_string(fit.iterations) +
                                " solver iterations before converging (queries barely outnumber its unknowns); "
                                "the fit is effectively regularised");
        }
        out.timing.refine_ms = ms_since(t1);
    }
    out.fourier.canonicalize();
    out.fourier.sort_by_magnitude();
    out.faithfulness = r_squared(out.fourier, s.holdout_masks, s.holdout_values);
    if (s.config.holdout > 0 && !out.faithfulness.defined) {
        out.notes.push_back("faithfulness R^2 is undefined: the function is constant on the held-out masks");
    }
    out.timing.total_ms = out.timing.sampling_ms + ms_since(t0);
    return out;
}

size_t session::min_snapshot_queries() const {
    const impl & s = *impl_;
    return std::min(s.design_count(), std::max<size_t>(size_t(4 * s.config.cv_folds), 50));
}

size_t session::snapshot_queries() const {
    const impl & s = *impl_;
    if (!s.uniform || s.prefix < s.holdout_count()) {
        return 0;
    }
    return s.prefix - s.holdout_count();
}

solve_result session::snapshot() const {
    const impl & s    = *impl_;
    const size_t rows = snapshot_queries();
    if (!s.uniform) {
        throw spex_error(std::string("no early result for ") + method_name(s.config.method) +
                         " with this design: only uniform designs (proxyspex, ridge, auto) answer before the end");
    }
    if (rows < min_snapshot_queries()) {
        throw spex_error("no early result yet: " + std::to_string(rows) + " design values after the hold-out, " +
                         std::to_string(min_snapshot_queries()) + " needed");
    }
    const auto   t0  = clock_type::now();
    solve_result out = result_header(s.config, s.design, int64_t(rows), true);
    out.partial      = rows < s.design_count();
    if (!s.design.note.empty()) {
        out.notes.push_back(s.design.note);
    }
    out.timing.sampling_ms =
        s.started ? std::chrono::duration<double, std::milli>(s.last_value - s.first_batch).count() : 0.0;
    solve_uniform(s.config, s.baseline_masks, s.values, rows, s.holdout_masks, s.holdout_values, out, out.partial);
    out.fourier.canonicalize();
    out.fourier.sort_by_magnitude();
    out.faithfulness = r_squared(out.fourier, s.holdout_masks, s.holdout_values);
    if (s.config.holdout > 0 && !out.faithfulness.defined) {
        out.notes.push_back("faithfulness R^2 is undefined: the function is constant on the held-out masks");
    }
    if (out.partial) {
        out.notes.push_back(
            "early result: fitted on the first " + std::to_string(rows) + " of " + std::to_string(s.design_count()) +
            " design queries" +
            (s.config.method == METHOD_AUTO
                 ? early_candidates_note(out.diagnostics.surrogate, surrogate_request_for(s.config, s.design_count()))
                 : ""));
    }
    out.timing.total_ms = out.timing.sampling_ms + ms_since(t0);
    return out;
}

solve_result run_session(session & s, const batch_evaluator & evaluate, size_t batch_size) {
    if (batch_size == 0) {
        throw spex_error("batch size must be at least 1");
    }
    std::vector<double> values;
    while (!s.sampling_done()) {
        mask_batch batch = s.next_batch(batch_size);
        values.assign(batch.masks.count, 0.0);
        evaluate(batch.masks, values.data());
        s.submit(batch.first, values.data(), values.size());
    }
    return s.finish();
}

}  // namespace spex
