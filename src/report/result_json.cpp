// result_json: see result_json.h. The field order here is the order docs/result-schema.md
// documents; change both together (and bump result_schema_version for incompatible changes).
#include "report/result_json.h"

#include <cmath>

namespace spexlens {

std::string method_label(spex::method_kind method, int faith_banzhaf_order) {
    if (method == spex::METHOD_FAITH_BANZHAF) {
        return std::string(spex::method_name(method)) + "-" + std::to_string(faith_banzhaf_order);
    }
    return spex::method_name(method);
}

std::string method_label(const spex::solve_result & r) {
    if (r.method == spex::METHOD_RIDGE) {
        return "ridge-" + std::to_string(r.ridge_order);
    }
    return method_label(r.method, r.faith_banzhaf_order);
}

// SPEX's structured design and decoder ran: the SPEX method, or auto on a large n.
static bool ran_spex(const spex::solve_result & r) {
    return r.method == spex::METHOD_SPEX || (r.method == spex::METHOD_AUTO && !r.uniform_design);
}

static ordered_json json_selection(const spex::solve_result & r) {
    const spex::surrogate_report & s = r.diagnostics.surrogate;
    if (s.chosen.empty()) {
        return nullptr;
    }
    ordered_json out;
    out["chosen"]       = s.chosen;
    out["folds"]        = s.folds;
    ordered_json scores = ordered_json::array();
    for (const spex::candidate_score & c : s.candidates) {
        ordered_json item;
        item["name"]  = c.name;
        item["cv_r2"] = c.defined ? json_number(c.cv_r2) : ordered_json(nullptr);
        item["terms"] = c.terms;
        scores.push_back(item);
    }
    out["candidates"]      = scores;
    out["ridge_lambda"]    = s.candidates.empty() ? ordered_json(nullptr) : json_number(s.ridge_lambda);
    out["ridge_selection"] = s.ridge_selection.empty() ? ordered_json(nullptr) : ordered_json(s.ridge_selection);
    return out;
}

static ordered_json json_proxy(const spex::solve_result & r) {
    const spex::proxy_report & p = r.diagnostics.surrogate.proxy;
    if (!p.present) {
        return nullptr;
    }
    ordered_json out;
    out["trees"]         = p.trees;
    out["max_depth"]     = p.max_depth;
    out["learning_rate"] = json_number(p.learning_rate);
    out["min_leaf"]      = p.min_leaf;
    out["validation_r2"] = json_number(p.validation_r2);
    out["holdout_r2"]    = p.holdout_scored ? json_number(p.holdout_r2) : ordered_json(nullptr);
    out["proxy_terms"]   = p.proxy_terms;
    out["support"]       = p.support;
    out["energy_kept"]   = json_number(p.energy_kept);
    out["ridge_lambda"]  = json_number(p.ridge_lambda);
    return out;
}

ordered_json json_number(double value) { return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr); }

ordered_json json_set(const spex::feature_set & set) {
    ordered_json out = ordered_json::array();
    for (int i : set) {
        out.push_back(i);
    }
    return out;
}

static ordered_json json_term(const spex::feature_set & set, double coef) {
    ordered_json t;
    t["set"]  = json_set(set);
    t["coef"] = json_number(coef);
    return t;
}

ordered_json json_fourier_terms(const spex::sparse_fourier & f) {
    ordered_json out = ordered_json::array();
    for (const spex::fourier_term & t : f.terms) {
        out.push_back(json_term(t.set, t.coef));
    }
    return out;
}

static ordered_json json_numbers(const std::vector<double> & values) {
    ordered_json out = ordered_json::array();
    for (double v : values) {
        out.push_back(json_number(v));
    }
    return out;
}

static ordered_json json_noise(const spex::solve_result & r) {
    if (!ran_spex(r)) {
        return nullptr;
    }
    ordered_json noise;
    noise["mode"] = spex::noise_mode_name(r.noise);
    noise["sd_estimate"] =
        r.noise == spex::NOISE_REFERENCE ? ordered_json(nullptr) : json_number(r.diagnostics.noise_sd_estimate);
    noise["zeroton_tau"] = json_number(r.diagnostics.zeroton_tau);
    return noise;
}

ordered_json json_index(const spex::interaction_index & index) {
    ordered_json out;
    out["name"]         = spex::index_kind_name(index.kind);
    out["order"]        = index.order;
    ordered_json values = ordered_json::array();
    for (const spex::index_value & v : index.values) {
        ordered_json item;
        item["set"]   = json_set(v.set);
        item["value"] = json_number(v.value);
        values.push_back(item);
    }
    out["values"] = values;
    return out;
}

static ordered_json json_removal_steps(const std::vector<spex::removal_step> & steps) {
    ordered_json out = ordered_json::array();
    for (const spex::removal_step & s : steps) {
        ordered_json item;
        item["removed"]   = json_set(s.removed);
        item["predicted"] = json_number(s.predicted);
        out.push_back(item);
    }
    return out;
}

static ordered_json json_removal(const explanation_set & e) {
    if (!e.has_removal) {
        return nullptr;
    }
    ordered_json out;
    out["full_value"] = json_number(e.removal.full_value);
    out["decrease"]   = json_removal_steps(e.removal.decrease);
    out["increase"]   = json_removal_steps(e.removal.increase);
    return out;
}

static ordered_json json_diagnostics(const spex::session_config & config, const spex::solve_result & r) {
    if (r.uniform_design) {
        const spex::surrogate_report & s = r.diagnostics.surrogate;
        ordered_json                   fit;
        fit["solver"]    = "ridge";
        fit["lambda"]    = json_number(s.ridge_lambda);
        fit["selection"] = s.ridge_selection;
        ordered_json out;
        out["fit"] = fit;
        return out;
    }
    if (!ran_spex(r)) {
        const spex::lsqr_report & f = r.diagnostics.baseline_fit;
        ordered_json              fit;
        fit["solver"]          = "lsqr";
        fit["iterations"]      = f.iterations;
        fit["converged"]       = f.converged;
        fit["normal_residual"] = json_number(f.normal_residual);
        ordered_json out;
        out["fit"] = fit;
        return out;
    }
    const spex::peeling_stats & p = r.diagnostics.peeling;
    ordered_json                peeling;
    peeling["passes"]         = p.passes;
    peeling["bin_decodes"]    = p.bin_decodes;
    peeling["bch_decodes"]    = p.bch_decodes;
    peeling["peels"]          = p.peels;
    peeling["repeated_terms"] = p.repeated_terms;

    ordered_json refit = nullptr;
    if (config.refine) {
        const spex::refine_stats & s = r.diagnostics.refit;
        refit                        = ordered_json::object();
        refit["terms"]               = s.terms;
        refit["all_linear"]          = s.all_linear;
        refit["iterations"]          = s.iterations;
        refit["residual"]            = json_number(s.residual);
    }

    ordered_json out;
    out["peeling"]      = peeling;
    out["peeled_terms"] = r.diagnostics.peeled_terms;
    out["refit"]        = refit;
    return out;
}

static ordered_json json_timing(const spex::solve_timing & t, const spex::surrogate_report & s, double explain_ms) {
    ordered_json out;
    out["sampling"]  = json_number(t.sampling_ms);
    out["transform"] = json_number(t.transform_ms);
    out["decode"]    = json_number(t.decode_ms);
    out["refine"]    = json_number(t.refine_ms);
    out["total"]     = json_number(t.total_ms);
    out["explain"]   = json_number(explain_ms);
    // Each uniform-design candidate's fit, scoring included ({} for SPEX and the baselines).
    ordered_json surrogates = ordered_json::object();
    for (const spex::candidate_score & c : s.candidates) {
        surrogates[c.name] = json_number(c.fit_ms);
    }
    out["surrogates"] = surrogates;
    return out;
}

ordered_json result_to_json(const spex::session_config & config, const spex::solve_result & r,
                            const explanation_set & e, const std::string & version) {
    const bool   is_spex = ran_spex(r);
    ordered_json out;
    out["schema"]           = result_schema_name;
    out["schema_version"]   = result_schema_version;
    out["spexlens_version"] = version;

    out["method"]          = method_label(r);
    out["chosen_method"]   = r.diagnostics.surrogate.chosen.empty() ? ordered_json(method_label(r))
                                                                    : ordered_json(r.diagnostics.surrogate.chosen);
    out["design"]          = r.uniform_design ? "uniform" : is_spex ? "spex" : "baseline";
    out["n"]               = r.n;
    out["t"]               = r.design.t;
    out["t_requested"]     = r.design.t_asked;
    out["b"]               = r.design.b;
    out["p"]               = r.design.p;
    out["decoder"]         = is_spex ? ordered_json(spex::decoder_name(r.decoder)) : ordered_json(nullptr);
    out["refine"]          = is_spex ? ordered_json(config.refine) : ordered_json(nullptr);
    out["noise"]           = json_noise(r);
    out["seed"]            = r.seed;
    out["budget"]          = r.design.budget > 0 ? ordered_json(r.design.budget) : ordered_json(nullptr);
    out["queries"]         = r.queries;
    out["holdout_queries"] = r.faithfulness.holdout;
    out["partial"]         = r.partial;

    out["fourier"] = json_fourier_terms(r.fourier);
    if (e.has_mobius) {
        ordered_json mobius = ordered_json::array();
        for (const spex::mobius_term & t : e.mobius) {
            mobius.push_back(json_term(t.set, t.coef));
        }
        out["mobius"] = mobius;
    } else {
        out["mobius"] = nullptr;
    }
    out["shapley"] = json_numbers(e.shapley);
    out["banzhaf"] = json_numbers(e.banzhaf);
    out["index"]   = json_index(e.index);

    ordered_json faithfulness;
    faithfulness["r2"]      = r.faithfulness.defined ? json_number(r.faithfulness.r2) : ordered_json(nullptr);
    faithfulness["holdout"] = r.faithfulness.holdout;
    out["faithfulness"]     = faithfulness;

    out["selection"]   = json_selection(r);
    out["proxy"]       = json_proxy(r);
    out["removal"]     = json_removal(e);
    out["diagnostics"] = json_diagnostics(config, r);
    out["timing_ms"]   = json_timing(r.timing, r.diagnostics.surrogate, e.elapsed_ms);

    ordered_json notes = ordered_json::array();
    for (const std::string & s : r.notes) {
        notes.push_back(s);
    }
    for (const std::string & s : e.notes) {
        notes.push_back(s);
    }
    out["notes"]        = notes;
    out["ground_truth"] = nullptr;
    return out;
}

}  // namespace spexlens
