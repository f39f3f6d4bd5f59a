// spexlens_bench_engine: recovery, speed and memory of the SPEX engine on planted sparse
// functions (docs/method.md §8 "Synthetic recovery", §10.4 for the reference figures).
//
//   spexlens_bench_engine [--out FILE] [--quick] [--repeat R]
//
// Every case runs in a forked child so its peak RSS is its own. Prints a Markdown table
// and writes all figures as JSON (default build/bench/engine.json).
#include "spex/mask_matrix.h"
#include "spex/prng.h"
#include "spex/session.h"
#include "spex/synthetic_function.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

struct bench_case {
    int                n;
    int                s;
    int                b;
    double             sigma;
    spex::decoder_kind decoder;
    spex::noise_mode   noise = spex::NOISE_AUTO;
};

long peak_rss_kb() {
    std::ifstream in("/proc/self/status");
    std::string   line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::strtol(line.c_str() + 6, nullptr, 10);
        }
    }
    return -1;
}

nlohmann::json run_case(const bench_case & c, uint64_t seed) {
    spex::synthetic_function f = spex::random_sparse_function(c.n, c.s, 5, seed);
    f.noise_sd                 = c.sigma;
    spex::session_config cfg;
    cfg.n       = c.n;
    cfg.b       = c.b;
    cfg.decoder = c.decoder;
    cfg.noise   = c.noise;
    cfg.seed    = seed;
    spex::session            s(cfg);
    spex::prng               noise(seed, spex::synthetic_noise_stream);
    const spex::solve_result r = spex::run_session(s, [&](const spex::mask_matrix & m, double * out) {
        for (size_t i = 0; i < m.count; ++i) {
            out[i] = f.clean_value(m.row(i)) + (c.sigma > 0.0 ? c.sigma * noise.normal() : 0.0);
        }
    });

    std::map<spex::feature_set, double> est;
    double                              max_coef = 0.0;
    for (const auto & t : r.fourier.terms) {
        est[t.set] = t.coef;
    }
    int planted = 0, recovered = 0;
    for (const auto & t : f.terms) {
        if (t.set.empty()) {
            continue;
        }
        ++planted;
        recovered += est.count(t.set) ? 1 : 0;
        max_coef = std::max(max_coef, std::fabs(t.coef));
    }
    // Spurious: output terms that were not planted with |coef| above a tenth of the smallest
    // planted magnitude (0.5), i.e. large enough to mislead a reader.
    int spurious = 0;
    for (const auto & t : r.fourier.terms) {
        bool is_planted = false;
        for (const auto & p : f.terms) {
            if (p.set == t.set) {
                is_planted = true;
                break;
            }
        }
        spurious += (!is_planted && std::fabs(t.coef) > 0.05) ? 1 : 0;
    }

    nlohmann::json j;
    j["n"]                 = c.n;
    j["s"]                 = c.s;
    j["b"]                 = c.b;
    j["t"]                 = r.design.t;
    j["sigma"]             = c.sigma;
    j["decoder"]           = spex::decoder_name(c.decoder);
    j["noise_mode"]        = spex::noise_mode_name(c.noise);
    j["seed"]              = seed;
    j["queries"]           = r.queries;
    j["planted"]           = planted;
    j["recovered"]         = recovered;
    j["spurious"]          = spurious;
    j["r2_clean"]          = spex::r2_against_clean(f, r.fourier, 5000, 2026).r2;
    j["r2_holdout"]        = r.faithfulness.r2;
    j["bin_decodes"]       = r.diagnostics.peeling.bin_decodes;
    j["bch_decodes"]       = r.diagnostics.peeling.bch_decodes;
    j["peel_passes"]       = r.diagnostics.peeling.passes;
    j["noise_sd_estimate"] = r.diagnostics.noise_sd_estimate;
    j["timing_ms"]         = {{"sampling", r.timing.sampling_ms},
                              {"transform", r.timing.transform_ms},
                              {"decode", r.timing.decode_ms},
                              {"refine", r.timing.refine_ms},
                              {"decode_refine", r.timing.decode_ms + r.timing.refine_ms},
                              {"total", r.timing.total_ms}};
    j["peak_rss_mb"]       = peak_rss_kb() / 1024.0;
    return j;
}

// Runs one case in a child process and returns its JSON (or an error object).
nlohmann::json run_isolated(const bench_case & c, uint64_t seed) {
    int fd[2];
    if (pipe(fd) != 0) {
        return {{"error", "pipe failed"}};
    }
    const pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        std::string out;
        try {
            out = run_case(c, seed).dump();
        } catch (const std::exception & e) {
            out = nlohmann::json{{"error", e.what()}}.dump();
        }
        size_t off = 0;
        while (off < out.size()) {
            const ssize_t w = write(fd[1], out.data() + off, out.size() - off);
            if (w <= 0) {
                break;
            }
            off += size_t(w);
        }
        close(fd[1]);
        _exit(0);
    }
    close(fd[1]);
    std::string buf;
    char        chunk[4096];
    ssize_t     got;
    while ((got = read(fd[0], chunk, sizeof chunk)) > 0) {
        buf.append(chunk, size_t(got));
    }
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (buf.empty()) {
        return {{"error", "case crashed"}};
    }
    return nlohmann::json::parse(buf);
}

// Median of repeated runs by decode+refine time, so one slow run on a busy machine does not
// set the figure.
nlohmann::json median_run(const bench_case & c, int repeat) {
    std::vector<nlohmann::json> runs;
    for (int i = 0; i < repeat; ++i) {
        runs.push_back(run_isolated(c, 1));
        if (runs.back().contains("error")) {
            return runs.back();
        }
    }
    std::sort(runs.begin(), runs.end(), [](const nlohmann::json & a, const nlohmann::json & b) {
        return a["timing_ms"]["decode_refine"].get<double>() < b["timing_ms"]["decode_refine"].get<double>();
    });
    nlohmann::json m = runs[runs.size() / 2];
    m["repeat"]      = repeat;
    return m;
}

}  // namespace

int main(int argc, char ** argv) {
    std::string out_path = "build/bench/engine.json";
    bool        quick    = false;
    int         repeat   = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--out" && i + 1 < argc) {
            out_path = argv[++i];
        } else if (a == "--quick") {
            quick = true;
        } else if (a == "--repeat" && i + 1 < argc) {
            repeat = std::max(1, std::atoi(argv[++i]));
        } else {
            std::cerr << "usage: spexlens_bench_engine [--out FILE] [--quick] [--repeat R]\n";
            return 2;
        }
    }

    std::vector<bench_case> cases;
    const std::vector<int>  ns = quick ? std::vector<int>{64, 1000} : std::vector<int>{64, 256, 1000, 4096};
    for (int n : ns) {
        for (int s : {50, 200}) {
            for (double sigma : {0.0, 0.5}) {
                for (spex::decoder_kind d : {spex::DECODER_HARD, spex::DECODER_SOFT}) {
                    cases.push_back({n, s, 8, sigma, d});
                }
            }
        }
    }
    // The reference rows of docs/method.md §10.4, noiseless, and the second bar: sigma = 0.5.
    cases.push_back({256, 100, 8, 0.0, spex::DECODER_HARD});
    cases.push_back({256, 100, 8, 0.0, spex::DECODER_SOFT});
    cases.push_back({256, 100, 8, 0.5, spex::DECODER_HARD});
    cases.push_back({256, 100, 8, 0.5, spex::DECODER_SOFT});
    // The same with the references' zeroton rule (noise_sd = 0): every noise-only bin is decoded.
    cases.push_back({256, 100, 8, 0.5, spex::DECODER_HARD, spex::NOISE_REFERENCE});
    cases.push_back({256, 100, 8, 0.5, spex::DECODER_SOFT, spex::NOISE_REFERENCE});

    nlohmann::json all = nlohmann::json::array();
    std::printf(
        "| n | s | σ | decoder | cutoff | queries | recovered | spurious | R² (clean) | sampling ms | transform ms | "
        "decode ms | refine ms | decode+refine ms | peak RSS MB |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const bench_case & c : cases) {
        const nlohmann::json j = median_run(c, repeat);
        all.push_back(j);
        if (j.contains("error")) {
            std::printf("| %d | %d | %.1f | %s | error: %s |\n", c.n, c.s, c.sigma, spex::decoder_name(c.decoder),
                        j["error"].get<std::string>().c_str());
            continue;
        }
        const auto & t = j["timing_ms"];
        std::printf(
            "| %d | %d | %.1f | %s | %s | %lld | %d/%d | %d | %.6f | %.1f | %.2f | %.1f | %.1f | %.1f | %.1f |\n", c.n,
            c.s, c.sigma, spex::decoder_name(c.decoder), spex::noise_mode_name(c.noise), j["queries"].get<long long>(),
            j["recovered"].get<int>(), j["planted"].get<int>(), j["spurious"].get<int>(), j["r2_clean"].get<double>(),
            t["sampling"].get<double>(), t["transform"].get<double>(), t["decode"].get<double>(),
            t["refine"].get<double>(), t["decode_refine"].get<double>(), j["peak_rss_mb"].get<double>());
        std::fflush(stdout);
    }

    const std::filesystem::path parent = std::filesystem::path(out_path).parent_path();
    if (!parent.empty()) {
        std::filesystem::create_directories(parent);
    }
    std::ofstream  out(out_path);
    nlohmann::json doc = {{"benchmark", "spexlens engine, planted sparse functions"},
                          {"planted", "f = 1 + sum F(k)(-1)^<x,k>, degree 1..5, |F| in [0.5, 2], random sign"},
                          {"t", 5},
                          {"cases", all}};
    out << doc.dump(2) << "\n";
    std::fprintf(stderr, "wrote %s\n", out_path.c_str());
    return out ? 0 : 1;
}
