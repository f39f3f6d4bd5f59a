// teaching_run: teaching mode. A planted function (the CLI's function format,
// docs/function-format.md) is explained by the same engine session the text explainer uses,
// a slice of queries per frame so the page stays responsive, and the result carries the
// ground truth so a workshop sees what was recovered, what was missed, and what a too-small
// budget does.
#pragma once

#include "spex/session.h"
#include "spex/synthetic_function.h"

#include <memory>
#include <string>
#include <vector>

namespace spexlens::app {

struct teaching_preset {
    std::string name;           // short, for the picker
    std::string description;    // one or two sentences for the workshop
    std::string function_json;  // the CLI's function format
    int         b = 4;          // the budget the preset is shown at first (it says what that b shows)
};

// The shipped presets (the first is models/synthetic/planted_demo.json's function).
const std::vector<teaching_preset> & teaching_presets();

struct teaching_settings {
    int         b         = 4;
    int         t         = 3;
    int         max_order = 2;
    uint64_t    seed      = 0;
    double      noise_sd  = -1.0;  // < 0: the function's own noise_sd
    std::string decoder   = "soft";
};

class teaching_run {
  public:
    // Parses the function (throws std::runtime_error with the field named) and sizes the session.
    teaching_run(const std::string & function_json, const teaching_settings & settings);
    ~teaching_run();

    size_t total_queries() const;
    size_t queries_done() const;
    bool   done() const;

    // Evaluates queries for about `budget_ms` of wall time (at least one batch).
    void step(double budget_ms);

    // After done(): the result JSON (docs/result-schema.md) with "ground_truth" filled,
    // granularity "synthetic" and features named x0..x{n-1} — `spexlens solve`'s result for
    // the same function, seed, b and t otherwise. Throws std::runtime_error before done() or
    // when called twice.
    std::string finish(const std::string & version);

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace spexlens::app
