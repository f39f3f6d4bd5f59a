// teaching_run: the presets are valid functions (the first is models/synthetic/planted_demo.json),
// a run at a generous budget recovers every planted term and gives exactly what `spexlens solve`
// gives, a too-small budget visibly misses terms (the workshop's lesson), and the run slices
// its work by time.
#include "app/model/loaded_result.h"
#include "app/model/teaching_run.h"
#include "app_test_support.h"
#include "planted/function_json.h"
#include "planted/planted_evaluator.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

using spexlens::ordered_json;
using spexlens::app::teaching_presets;
using spexlens::app::teaching_run;
using spexlens::app::teaching_settings;
using namespace app_test;

namespace {

const std::string & preset_function(const std::string & name) {
    for (const auto & p : teaching_presets()) {
        if (p.name == name) {
            return p.function_json;
        }
    }
    FAIL("no preset " << name);
    static const std::string none;
    return none;
}

ordered_json run_to_end(const std::string & function_json, const teaching_settings & settings) {
    teaching_run run(function_json, settings);
    while (!run.done()) {
        run.step(50.0);
    }
    return ordered_json::parse(run.finish("test"));
}

teaching_settings settings(int b, int t, uint64_t seed) {
    teaching_settings s;
    s.b    = b;
    s.t    = t;
    s.seed = seed;
    return s;
}

// a == b, numbers within a relative 1e-9 (results may differ in the last bits across
// platforms), for comparing with the committed fixture.
void check_close(const ordered_json & a, const ordered_json & b, const std::string & path) {
    INFO(path);
    if (a.is_number() && b.is_number()) {
        const double x = a.get<double>();
        const double y = b.get<double>();
        CHECK(std::fabs(x - y) <= 1e-9 * std::max(1.0, std::max(std::fabs(x), std::fabs(y))));
        return;
    }
    REQUIRE(a.type() == b.type());
    if (a.is_object()) {
        REQUIRE(a.size() == b.size());
        for (auto it = a.begin(); it != a.end(); ++it) {
            REQUIRE(b.contains(it.key()));
            check_close(it.value(), b[it.key()], path + "." + it.key());
        }
    } else if (a.is_array()) {
        REQUIRE(a.size() == b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            check_close(a[i], b[i], path + "[" + std::to_string(i) + "]");
        }
    } else {
        CHECK(a == b);
    }
}

}  // namespace

TEST_CASE("every teaching preset is a valid function", "[teaching]") {
    const auto & presets = teaching_presets();
    REQUIRE(presets.size() >= 4);
    std::set<std::string> names;
    for (const auto & p : presets) {
        INFO(p.name);
        CHECK(names.insert(p.name).second);
        CHECK(p.description.size() > 20);
        CHECK_NOTHROW(spexlens::parse_function_json(p.function_json));
    }
    const auto pair = spexlens::parse_function_json(preset_function("Pair that only matters together"));
    CHECK(pair.basis == spex::BASIS_MOBIUS);
    const auto many = spexlens::parse_function_json(preset_function("Many features, few interactions"));
    CHECK(many.n >= 128);
    CHECK(many.terms.size() <= 12);
    CHECK(many.noise_sd > 0.0);
    const auto crowded = spexlens::parse_function_json(preset_function("Too many interactions for a small budget"));
    CHECK(crowded.terms.size() >= 35);
}

TEST_CASE("the first preset is models/synthetic/planted_demo.json", "[teaching]") {
    const auto preset = spexlens::parse_function_json(teaching_presets().front().function_json);
    const auto file   = spexlens::parse_function_json(read_file("models/synthetic/planted_demo.json"));
    CHECK(preset.n == file.n);
    CHECK(preset.basis == file.basis);
    CHECK(preset.noise_sd == file.noise_sd);
    REQUIRE(preset.terms.size() == file.terms.size());
    for (size_t k = 0; k < file.terms.size(); ++k) {
        CHECK(preset.terms[k].set == file.terms[k].set);
        CHECK(preset.terms[k].coef == file.terms[k].coef);
    }
}

TEST_CASE("a generous teaching run recovers every planted term, exactly as spexlens solve", "[teaching]") {
    const std::string function = teaching_presets().front().function_json;
    const auto        s        = settings(6, 3, 5);
    ordered_json      taught   = run_to_end(function, s);

    CHECK(taught["granularity"] == "synthetic");
    REQUIRE(taught["features"].size() == 40);
    CHECK(taught["features"][17]["text"] == "x17");
    REQUIRE(taught["ground_truth"].is_object());
    CHECK(taught["ground_truth"]["missed"].empty());
    CHECK(taught["ground_truth"]["recovered"] == taught["ground_truth"]["planted"]);
    CHECK(taught["ground_truth"]["planted"] == 15);
    CHECK(taught["index"]["name"] == "FSII");
    CHECK(taught["index"]["order"] == 2);

    // The page reads it like any result.
    const auto loaded = spexlens::app::parse_result(taught.dump());
    CHECK(loaded.granularity == "synthetic");
    CHECK(loaded.features[3].text == "x3");
    CHECK(loaded.ground_truth.missed.empty());

    // The CLI's path through the shared code (as `spexlens solve --b 6 --t 3 --seed 5` configures
    // it, with its default batch of 4096 rather than teaching mode's slices of 256).
    const spex::synthetic_function f = spexlens::parse_function_json(function);
    spex::session_config           config;
    config.n       = f.n;
    config.b       = 6;
    config.t       = 3;
    config.t_floor = 2;
    config.seed    = 5;
    spex::session                 session(config);
    const spex::solve_result      result = spexlens::run_planted_session(session, f, 5, 4096);
    spexlens::explanation_options explain;
    ordered_json                  cli = spexlens::planted_result_json(config, result, f, explain, "test");

    taught.erase("timing_ms");
    taught.erase("granularity");
    taught.erase("features");
    cli.erase("timing_ms");
    CHECK(taught == cli);

    // And what the spexlens binary wrote for the same settings (tests/app/data/README.md).
    ordered_json binary = ordered_json::parse(solve_result_json());
    binary.erase("timing_ms");
    binary.erase("spexlens_version");
    taught.erase("spexlens_version");
    check_close(taught, binary, "");
}

TEST_CASE("every preset is recovered at a generous budget", "[teaching]") {
    for (const auto & p : teaching_presets()) {
        INFO(p.name);
        const ordered_json out = run_to_end(p.function_json, settings(8, 3, 1));
        CHECK(out["ground_truth"]["missed"].empty());
        CHECK(out["ground_truth"]["planted"].get<int>() > 0);
    }
}

TEST_CASE("too small a budget misses planted interactions", "[teaching]") {
    // The preset's description promises this: b = 2 misses most terms whatever the seed, b = 4
    // recovers them all.
    const std::string & function = preset_function("Too many interactions for a small budget");
    for (uint64_t seed : {1, 2}) {
        INFO("seed " << seed);
        const ordered_json small = run_to_end(function, settings(2, 3, seed));
        CHECK(small["ground_truth"]["missed"].size() > 20);
        CHECK(small["ground_truth"]["recovered"].get<int>() < small["ground_truth"]["planted"].get<int>());
        CHECK(small["faithfulness"]["r2"].get<double>() < 0.5);

        const ordered_json enough = run_to_end(function, settings(4, 3, seed));
        CHECK(enough["ground_truth"]["missed"].empty());
        CHECK(enough["faithfulness"]["r2"].get<double>() > 0.999);
    }
}

TEST_CASE("a Mobius-planted function is checked in the Mobius basis, term by term", "[teaching]") {
    // planted_demo.json: a(3) = 1.0, a(7) = -0.5, a(18) = 0.3, a(3,12) = 2.0, a(25,26) = -1.2,
    // a(5,20,31) = -1.5. The table lists exactly these, with their signs, and no Fourier
    // by-products (x12 alone was never planted), each next to the surrogate's a(S).
    const ordered_json   out   = run_to_end(teaching_presets().front().function_json, settings(6, 3, 5));
    const ordered_json & truth = out["ground_truth"];
    CHECK(truth["basis"] == "mobius");
    REQUIRE(truth["basis_terms"].size() == 6);
    std::map<std::vector<int>, double> planted;
    for (const auto & t : truth["basis_terms"]) {
        planted[t["set"].get<std::vector<int>>()] = t["planted"].get<double>();
        INFO(t.dump());
        CHECK(t["close"] == true);
        CHECK(t["estimate"].get<double>() == Approx(t["planted"].get<double>()).epsilon(0.1));
    }
    CHECK(planted == std::map<std::vector<int>, double>{
                         {{3}, 1.0}, {{7}, -0.5}, {{18}, 0.3}, {{3, 12}, 2.0}, {{25, 26}, -1.2}, {{5, 20, 31}, -1.5}});
    CHECK(truth["close"] == 6);
    CHECK(truth["basis_terms"][0]["set"] == ordered_json::array({3, 12}));  // the largest first

    const auto loaded = spexlens::app::parse_result(out.dump());
    CHECK(loaded.ground_truth.basis == "mobius");
    CHECK(loaded.ground_truth.written.size() == 6);
    CHECK(loaded.ground_truth.close == 6);
}

TEST_CASE("a term found far from its planted value is not called close", "[teaching]") {
    // At b = 2 the crowded preset's terms collide in the bins: some are found with a wrong value,
    // which the table must mark as off, not with a tick. At b = 4 every one is close.
    const std::string & function = preset_function("Too many interactions for a small budget");
    const ordered_json  small    = run_to_end(function, settings(2, 3, 1));
    int                 off      = 0;
    for (const auto & t : small["ground_truth"]["basis_terms"]) {
        const double planted = t["planted"].get<double>(), estimate = t["estimate"].get<double>();
        const bool   close = std::fabs(estimate - planted) <= 0.1 * std::fabs(planted);
        CHECK(t["close"].get<bool>() == close);
        off += (!close && estimate != 0.0) ? 1 : 0;
    }
    CHECK(small["ground_truth"]["basis"] == "fourier");
    CHECK(small["ground_truth"]["close"].get<int>() < 20);
    const ordered_json enough = run_to_end(function, settings(4, 3, 1));
    CHECK(enough["ground_truth"]["close"] == 40);
    INFO(off << " terms found with a wrong value at b = 2");
}

TEST_CASE("the crowded preset opens at the small budget its description is about", "[teaching]") {
    const auto & crowded = teaching_presets().back();
    CHECK(crowded.name == "Too many interactions for a small budget");
    CHECK(crowded.b == 2);
    CHECK(crowded.description.find("shown at b = 2") != std::string::npos);
    const ordered_json out = run_to_end(crowded.function_json, settings(crowded.b, 3, 0));
    CHECK(out["ground_truth"]["missed"].size() > 20);
}

TEST_CASE("many features with few interactions need few queries", "[teaching]") {
    // The preset's description quotes these numbers.
    const ordered_json out = run_to_end(preset_function("Many features, few interactions"), settings(4, 3, 1));
    CHECK(out["queries"] == 1344);
    CHECK(out["n"] == 256);
    CHECK(out["ground_truth"]["missed"].empty());
    CHECK(out["ground_truth"]["spurious"] == 0);
}

TEST_CASE("a teaching run works in time slices and finishes only when done", "[teaching]") {
    teaching_run run(preset_function("Too many interactions for a small budget"), settings(10, 3, 2));
    CHECK(run.total_queries() > 10000);
    CHECK(run.queries_done() == 0);
    CHECK_THAT(runtime_error_of([&] { run.finish("test"); }), Catch::Contains("not done"));

    // A zero budget still evaluates one slice, and only one.
    run.step(0.0);
    const size_t slice = run.queries_done();
    CHECK(slice > 0);
    CHECK(slice < run.total_queries());
    run.step(0.0);
    CHECK(run.queries_done() == 2 * slice);
    CHECK_FALSE(run.done());
    CHECK_THAT(runtime_error_of([&] { run.finish("test"); }), Catch::Contains("not done"));

    int steps = 0;
    while (!run.done()) {
        run.step(1.0);
        ++steps;
    }
    CHECK(steps > 1);
    CHECK(run.queries_done() == run.total_queries());
    run.step(1.0);  // nothing left: a no-op
    const ordered_json out = ordered_json::parse(run.finish("test"));
    CHECK(out["ground_truth"]["missed"].empty());
    CHECK_THAT(runtime_error_of([&] { run.finish("test"); }), Catch::Contains("already finished"));
}

TEST_CASE("teaching settings: noise override, order, decoder and bad functions", "[teaching]") {
    const std::string & demo = teaching_presets().front().function_json;

    // noise_sd 0 overrides the demo's 0.05: the ground-truth threshold loses its noise part.
    auto quiet           = settings(6, 3, 5);
    quiet.noise_sd       = 0.0;
    const ordered_json q = run_to_end(demo, quiet);
    CHECK(q["ground_truth"]["threshold"].get<double>() < 1e-8);
    CHECK(q["faithfulness"]["r2"].get<double>() == Approx(1.0).margin(1e-9));
    const ordered_json noisy = run_to_end(demo, settings(6, 3, 5));
    CHECK(noisy["ground_truth"]["threshold"].get<double>() > 1e-4);

    auto order3          = settings(6, 3, 5);
    order3.max_order     = 3;
    order3.decoder       = "hard";
    const ordered_json o = run_to_end(demo, order3);
    CHECK(o["index"]["order"] == 3);
    CHECK(o["decoder"] == "hard");

    auto bad_decoder    = settings(6, 3, 5);
    bad_decoder.decoder = "medium";
    CHECK_THAT(runtime_error_of([&] { teaching_run run(demo, bad_decoder); }), Catch::Contains("decoder"));
    auto bad_order      = settings(6, 3, 5);
    bad_order.max_order = 0;
    CHECK_THAT(runtime_error_of([&] { teaching_run run(demo, bad_order); }), Catch::Contains("order"));

    CHECK_THAT(runtime_error_of([] { teaching_run run(R"({"n": 0, "terms": []})", teaching_settings()); }),
               Catch::Contains("\"n\""));
    CHECK_THAT(runtime_error_of(
                   [] { teaching_run run(R"({"n": 4, "terms": [{"set": [9], "coef": 1}]})", teaching_settings()); }),
               Catch::Contains("out of range"));
    CHECK_THAT(runtime_error_of([] { teaching_run run("{", teaching_settings()); }), Catch::Contains("malformed"));
}
