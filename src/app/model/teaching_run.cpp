// teaching_run: see teaching_run.h. The queries are answered by src/planted's evaluator and
// the result is written by planted_result_json, the code `spexlens solve` runs, so a teaching
// run and `spexlens solve --b B --t T --seed S --max-order L [--decoder D]` on the same
// function give the same result apart from timing_ms (and the two fields appended here).
#include "app/model/teaching_run.h"

#include "planted/function_json.h"
#include "planted/planted_evaluator.h"

#include <chrono>
#include <stdexcept>

namespace spexlens::app {

namespace {

// Masks per slice: small enough that one batch of a large function stays well inside a frame.
constexpr size_t teaching_batch = 256;

spex::decoder_kind parse_decoder(const std::string & name) {
    if (name == "soft") {
        return spex::DECODER_SOFT;
    }
    if (name == "hard") {
        return spex::DECODER_HARD;
    }
    throw std::runtime_error("decoder '" + name + "' must be soft or hard");
}

spex::synthetic_function parse_with_noise(const std::string & function_json, const teaching_settings & settings) {
    spex::synthetic_function f = parse_function_json(function_json);
    if (settings.noise_sd >= 0.0) {
        f.noise_sd = settings.noise_sd;
    }
    return f;
}

// What `spexlens solve` configures for these flags (src/cli/solve_options.cpp,
// make_session_config): every other field at the CLI's default, which is the session's.
spex::session_config make_config(int n, const teaching_settings & settings) {
    if (settings.max_order < 1) {
        throw std::runtime_error("the interaction order must be at least 1");
    }
    spex::session_config c;
    c.n       = n;
    c.b       = settings.b;
    c.t       = settings.t;
    c.t_floor = settings.t < 2 ? settings.t : 2;
    c.decoder = parse_decoder(settings.decoder);
    c.seed    = settings.seed;
    return c;
}

}  // namespace

struct teaching_run::impl {
    teaching_settings    settings;
    spex::session_config config;
    spex::session        session;
    planted_evaluator    evaluator;
    std::vector<double>  values;
    bool                 finished = false;

    impl(const spex::synthetic_function & function, const teaching_settings & s)
        : settings(s), config(make_config(function.n, s)), session(config), evaluator(function, s.seed) {}
};

teaching_run::teaching_run(const std::string & function_json, const teaching_settings & settings)
    : impl_(std::make_unique<impl>(parse_with_noise(function_json, settings), settings)) {}

teaching_run::~teaching_run() = default;

size_t teaching_run::total_queries() const { return impl_->session.total_queries(); }
size_t teaching_run::queries_done() const { return impl_->session.values_received(); }
bool   teaching_run::done() const { return impl_->session.complete(); }

void teaching_run::step(double budget_ms) {
    const auto start = std::chrono::steady_clock::now();
    do {
        const spex::mask_batch batch = impl_->session.next_batch(teaching_batch);
        if (batch.empty()) {
            return;
        }
        impl_->values.resize(batch.masks.count);
        impl_->evaluator.evaluate(batch.masks, impl_->values.data());
        impl_->session.submit(batch.first, impl_->values.data(), batch.masks.count);
    } while (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() < budget_ms);
}

std::string teaching_run::finish(const std::string & version) {
    if (impl_->finished) {
        throw std::runtime_error("this teaching run has already finished");
    }
    if (!done()) {
        throw std::runtime_error("the teaching run is not done: " + std::to_string(queries_done()) + " of " +
                                 std::to_string(total_queries()) + " queries evaluated");
    }
    impl_->finished                 = true;
    const spex::solve_result result = impl_->session.finish();

    explanation_options options;
    options.index       = spex::INDEX_FSII;
    options.index_order = impl_->settings.max_order;
    ordered_json out    = planted_result_json(impl_->config, result, impl_->evaluator.function(), options, version);

    // What the page needs to draw a planted function like a text (docs/result-schema.md).
    out["granularity"]    = "synthetic";
    ordered_json features = ordered_json::array();
    for (int i = 0; i < result.n; ++i) {
        ordered_json f;
        f["text"] = "x" + std::to_string(i);
        features.push_back(f);
    }
    out["features"] = features;
    return out.dump(2) + "\n";
}

}  // namespace spexlens::app
