// spexlens_bench_surrogate: where the time of a default `auto` explanation goes (the early
// results at ~500 and ~2,000 design calls and the final fit at 4,000), stage by stage, and
// the held-out R^2 each reaches.
//
//   spexlens_bench_surrogate planted [--n 60] [--terms 250] [--degree 3] [--sigma 0.5]
//                                    [--seeds 1-10] [--budgets 4000] [--repeat 1] [--no-snapshots] [--batch 64]
//   spexlens_bench_surrogate replay FILE.json... [--repeat 1] [--no-snapshots] [--batch 64]
//
// `planted` explains random sparse functions (synthetic_function.h) with Gaussian noise.
// `replay` replays recorded model outputs: each file holds {"n", "seed", "values": [...]}, the
// target value of every query of an auto session (budget 4,000, hold-out 1,000) in query order,
// hold-out first, so the session redraws the same masks from the seed and gets the same answers.
// Early results are taken as the text explainer takes them (the first at 500 design calls,
// then at 4x the calls of the last one), with batches of 64 as the page's worker sends (--batch). Prints one line per
// run and the medians of every stage (of `repeat` runs each, then over runs).
#include "spex/mask_matrix.h"
#include "spex/prng.h"
#include "spex/session.h"
#include "spex/synthetic_function.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace {

struct run_figures {
    std::map<std::string, double> ms;  // stage -> ms
    std::map<std::string, double> r2;  // result -> held-out R^2
    std::string                   chosen;
};

double median(std::vector<double> v) {
    if (v.empty()) {
        return 0.0;
    }
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

void add_candidates(run_figures & f, const std::string & prefix, const spex::solve_result & r) {
    f.ms[prefix + "total"]  = r.timing.refine_ms;
    f.ms[prefix + "engine"] = r.timing.total_ms - r.timing.sampling_ms;  // the whole finish() / snapshot()
    f.r2[prefix + "r2"]     = r.faithfulness.r2;
    for (const spex::candidate_score & c : r.diagnostics.surrogate.candidates) {
        f.ms[prefix + c.name] = c.fit_ms;
    }
    const spex::proxy_report & p = r.diagnostics.surrogate.proxy;
    if (p.present) {
        f.ms[prefix + "proxy.grid"]    = p.grid_ms;
        f.ms[prefix + "proxy.trees"]   = p.trees_ms;
        f.ms[prefix + "proxy.fourier"] = p.fourier_ms;
        f.ms[prefix + "proxy.ridge"]   = p.ridge_ms;
        f.ms[prefix + "proxy.score"]   = p.score_ms;
        f.r2[prefix + "proxy_holdout"] = p.holdout_r2;
        f.ms[prefix + "proxy.support"] = p.support;
        f.ms[prefix + "proxy.ntrees"]  = p.trees;
        f.ms[prefix + "proxy.terms"]   = p.proxy_terms;
    }
}

// One session fed by `value(query)`, with early results as the text explainer takes them.
size_t batch_rows = 64;  // the page's worker default (--batch)

run_figures run_once(const spex::session_config & cfg, const std::function<double(size_t, const uint64_t *)> & value,
                     bool snapshots) {
    spex::session       s(cfg);
    run_figures         f;
    size_t              next_snapshot = std::max<size_t>(500, s.min_snapshot_queries());
    int                 taken         = 0;
    std::vector<double> out;
    while (!s.sampling_done()) {
        spex::mask_batch b = s.next_batch(batch_rows);
        out.resize(b.masks.count);
        for (size_t i = 0; i < b.masks.count; ++i) {
            out[i] = value(b.first + i, b.masks.row(i));
        }
        s.submit(b.first, out.data(), out.size());
        if (snapshots && !s.complete() && s.snapshot_queries() >= next_snapshot) {
            const spex::solve_result r = s.snapshot();
            next_snapshot              = std::max(next_snapshot, s.snapshot_queries()) * 4;
            add_candidates(f, "snap" + std::to_string(++taken) + ".", r);
            f.ms["snap" + std::to_string(taken) + ".rows"] = double(r.queries);
        }
    }
    const spex::solve_result r = s.finish();
    add_candidates(f, "final.", r);
    f.chosen = r.diagnostics.surrogate.chosen;
    return f;
}

// `repeat` runs; each stage's median (R^2 and choice are deterministic).
run_figures run_repeated(const spex::session_config &                            cfg,
                         const std::function<double(size_t, const uint64_t *)> & value, bool snapshots, int repeat) {
    std::map<std::string, std::vector<double>> ms;
    run_figures                                first;
    for (int k = 0; k < repeat; ++k) {
        run_figures f = run_once(cfg, value, snapshots);
        for (const auto & [key, v] : f.ms) {
            ms[key].push_back(v);
        }
        if (k == 0) {
            first = f;
        }
    }
    for (const auto & [key, v] : ms) {
        first.ms[key] = median(v);
    }
    return first;
}

void print_run(const std::string & label, const run_figures & f) {
    std::printf("%s chosen=%s", label.c_str(), f.chosen.c_str());
    for (const auto & [key, v] : f.r2) {
        std::printf(" %s=%.4f", key.c_str(), v);
    }
    std::printf("\n   ");
    for (const auto & [key, v] : f.ms) {
        std::printf(" %s=%.1f", key.c_str(), v);
    }
    std::printf("\n");
    std::fflush(stdout);
}

void print_summary(const std::vector<run_figures> & runs) {
    std::map<std::string, std::vector<double>> ms, r2;
    for (const run_figures & f : runs) {
        for (const auto & [key, v] : f.ms) {
            ms[key].push_back(v);
        }
        for (const auto & [key, v] : f.r2) {
            r2[key].push_back(v);
        }
    }
    std::printf("\nmedian over %zu runs (ms; support/ntrees/rows are counts):\n", runs.size());
    for (const auto & [key, v] : ms) {
        std::printf("  %-22s %9.1f\n", key.c_str(), median(v));
    }
    std::printf("mean held-out R^2:\n");
    for (const auto & [key, v] : r2) {
        double s = 0.0;
        for (double x : v) {
            s += x;
        }
        std::printf("  %-22s %9.4f\n", key.c_str(), s / double(v.size()));
    }
}

const char * arg(int argc, char ** argv, const char * name, const char * fallback) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == name) {
            return argv[i + 1];
        }
    }
    return fallback;
}

bool flag(int argc, char ** argv, const char * name) {
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == name) {
            return true;
        }
    }
    return false;
}

std::vector<int> int_list(const std::string & s) {
    std::vector<int> out;
    const size_t     dash = s.find('-');
    if (dash != std::string::npos && s.find(',') == std::string::npos) {
        for (int v = std::atoi(s.substr(0, dash).c_str()); v <= std::atoi(s.substr(dash + 1).c_str()); ++v) {
            out.push_back(v);
        }
        return out;
    }
    size_t at = 0;
    while (at <= s.size()) {
        const size_t comma = s.find(',', at);
        out.push_back(std::atoi(s.substr(at, comma - at).c_str()));
        if (comma == std::string::npos) {
            break;
        }
        at = comma + 1;
    }
    return out;
}

}  // namespace

int main(int argc, char ** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: spexlens_bench_surrogate planted|replay ... (see the source)\n");
        return 2;
    }
    const std::string mode      = argv[1];
    const int         repeat    = std::atoi(arg(argc, argv, "--repeat", "1"));
    const bool        snapshots = !flag(argc, argv, "--no-snapshots");
    batch_rows                  = size_t(std::atoi(arg(argc, argv, "--batch", "64")));
    std::vector<run_figures> runs;
    if (mode == "planted") {
        const int    n      = std::atoi(arg(argc, argv, "--n", "60"));
        const int    terms  = std::atoi(arg(argc, argv, "--terms", "250"));
        const int    degree = std::atoi(arg(argc, argv, "--degree", "3"));
        const double sigma  = std::atof(arg(argc, argv, "--sigma", "0.5"));
        for (int budget : int_list(arg(argc, argv, "--budgets", "4000"))) {
            for (int seed : int_list(arg(argc, argv, "--seeds", "1-10"))) {
                spex::synthetic_function f = spex::random_sparse_function(n, terms, degree, uint64_t(seed));
                spex::session_config     cfg;
                cfg.n       = n;
                cfg.method  = spex::METHOD_AUTO;
                cfg.budget  = budget;
                cfg.seed    = uint64_t(seed);
                cfg.holdout = 1000;
                // Noise in query order, the same whatever the batches.
                std::vector<double> noise(size_t(budget) + 1000);
                spex::prng          rng(uint64_t(seed), spex::synthetic_noise_stream);
                for (double & e : noise) {
                    e = sigma * rng.normal();
                }
                const run_figures r = run_repeated(
                    cfg, [&](size_t q, const uint64_t * m) { return f.clean_value(m) + noise[q]; }, snapshots, repeat);
                print_run("planted n=" + std::to_string(n) + " budget=" + std::to_string(budget) +
                              " seed=" + std::to_string(seed),
                          r);
                runs.push_back(r);
            }
        }
    } else if (mode == "replay") {
        for (int i = 2; i < argc; ++i) {
            const std::string file = argv[i];
            if (file.rfind("--", 0) == 0) {
                ++i;
                continue;
            }
            std::ifstream        in(file);
            const nlohmann::json j = nlohmann::json::parse(in);
            spex::session_config cfg;
            cfg.n                            = j["n"].get<int>();
            cfg.method                       = spex::METHOD_AUTO;
            cfg.budget                       = j.value("budget", 4000);
            cfg.seed                         = j["seed"].get<uint64_t>();
            cfg.holdout                      = j.value("holdout", 1000);
            cfg.noise                        = spex::NOISE_REFERENCE;
            const std::vector<double> values = j["values"].get<std::vector<double>>();
            const run_figures         r      = run_repeated(
                             cfg, [&](size_t q, const uint64_t *) { return values.at(q); }, snapshots, repeat);
            print_run(file + " n=" + std::to_string(cfg.n) + " recorded_r2=" + std::to_string(j.value("r2", 0.0)), r);
            runs.push_back(r);
        }
    } else {
        std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
        return 2;
    }
    print_summary(runs);
    return 0;
}
