// teaching_presets: the functions teaching mode offers, in the CLI's function format
// (docs/function-format.md), each chosen to show one thing SPEX does or cannot do. The first
// is models/synthetic/planted_demo.json verbatim (a test keeps the two equal).
#include "app/model/teaching_run.h"

namespace spexlens::app {

namespace {

// models/synthetic/planted_demo.json
const char * planted_demo_json = R"json({
  "n": 40,
  "basis": "mobius",
  "terms": [
    { "set": [], "coef": 0.2 },
    { "set": [3], "coef": 1.0 },
    { "set": [7], "coef": -0.5 },
    { "set": [18], "coef": 0.3 },
    { "set": [3, 12], "coef": 2.0 },
    { "set": [25, 26], "coef": -1.2 },
    { "set": [5, 20, 31], "coef": -1.5 }
  ],
  "noise_sd": 0.05
}
)json";

// Features 4 and 7 do nothing alone and add 3.0 together; feature 1 works alone, for contrast.
const char * pair_json = R"json({
  "description": "features 4 and 7 only matter together; feature 1 matters alone",
  "n": 12,
  "basis": "mobius",
  "terms": [
    { "set": [1], "coef": 1.0 },
    { "set": [4, 7], "coef": 3.0 }
  ],
  "noise_sd": 0.0
}
)json";

// 10 random Fourier terms of degree 1..3 among 256 features (drawn once, fixed here).
const char * sparse_json = R"json({
  "description": "256 features, 10 planted interactions of degree 1 to 3, a little noise",
  "n": 256,
  "basis": "fourier",
  "terms": [
    { "set": [44], "coef": -1.15 },
    { "set": [46], "coef": -1.33 },
    { "set": [113], "coef": -0.57 },
    { "set": [73, 214], "coef": 1.31 },
    { "set": [77, 202], "coef": -1.48 },
    { "set": [232, 238], "coef": -1.04 },
    { "set": [29, 48, 187], "coef": -1.86 },
    { "set": [30, 105, 254], "coef": 1.52 },
    { "set": [31, 63, 114], "coef": 1.37 },
    { "set": [52, 92, 96], "coef": -1.06 }
  ],
  "noise_sd": 0.05
}
)json";

// 40 random Fourier terms of degree 1..3 among 32 features (drawn once, fixed here): at b = 2
// the 3 groups have 4 bins each, far too few to isolate 40 terms, so peeling stalls (a test
// keeps that true, and b = 4 enough).
const char * crowded_json = R"json({
  "description": "32 features, 40 planted interactions of degree 1 to 3",
  "n": 32,
  "basis": "fourier",
  "terms": [
    { "set": [0], "coef": -1.7 },
    { "set": [1], "coef": 0.73 },
    { "set": [5], "coef": 1.92 },
    { "set": [10], "coef": 1.17 },
    { "set": [11], "coef": -0.73 },
    { "set": [12], "coef": -0.6 },
    { "set": [15], "coef": 0.62 },
    { "set": [16], "coef": -0.82 },
    { "set": [25], "coef": -1.61 },
    { "set": [26], "coef": 0.75 },
    { "set": [27], "coef": 1.8 },
    { "set": [30], "coef": -0.8 },
    { "set": [31], "coef": -1.13 },
    { "set": [0, 30], "coef": 1.86 },
    { "set": [1, 17], "coef": -1.21 },
    { "set": [3, 6], "coef": -0.5 },
    { "set": [5, 25], "coef": -1.59 },
    { "set": [6, 25], "coef": 1.22 },
    { "set": [7, 10], "coef": -1.24 },
    { "set": [7, 31], "coef": 1.99 },
    { "set": [8, 15], "coef": 1.1 },
    { "set": [11, 27], "coef": 1.68 },
    { "set": [14, 21], "coef": -1.45 },
    { "set": [19, 30], "coef": -0.63 },
    { "set": [22, 24], "coef": 0.53 },
    { "set": [1, 6, 23], "coef": -0.61 },
    { "set": [1, 13, 23], "coef": -0.72 },
    { "set": [3, 4, 19], "coef": 1.47 },
    { "set": [5, 7, 24], "coef": -1.67 },
    { "set": [5, 16, 19], "coef": -1.28 },
    { "set": [8, 12, 27], "coef": -1.74 },
    { "set": [8, 20, 23], "coef": -1.54 },
    { "set": [9, 16, 24], "coef": 1.93 },
    { "set": [9, 22, 30], "coef": -0.73 },
    { "set": [11, 16, 18], "coef": 0.51 },
    { "set": [16, 21, 30], "coef": -1.74 },
    { "set": [20, 21, 22], "coef": 1.39 },
    { "set": [21, 28, 31], "coef": -0.93 },
    { "set": [22, 23, 28], "coef": -0.62 },
    { "set": [22, 24, 26], "coef": -1.94 }
  ],
  "noise_sd": 0.0
}
)json";

}  // namespace

const std::vector<teaching_preset> & teaching_presets() {
    static const std::vector<teaching_preset> presets = {
        {"Planted demo",
         "40 features with three single effects, two pairs and a triple (Mobius basis), plus a little noise. "
         "The function of models/synthetic/planted_demo.json.",
         planted_demo_json},
        {"Pair that only matters together",
         "Features 4 and 7 add 3.0 only when both are kept: neither does anything alone. Compare the Mobius "
         "list (one pair term) with the Shapley values (1.5 each).",
         pair_json},
        {"Many features, few interactions",
         "256 features but only 10 interactions, with a little noise: at b = 4, t = 3 SPEX finds every one "
         "with 1,344 queries, where just listing the pairs would mean 32,640 candidates.",
         sparse_json},
        {"Too many interactions for a small budget",
         "40 interactions among 32 features, shown at b = 2. SPEX hashes them into 2^b bins per group: at b = 2 "
         "(4 bins) they collide and most are missed, at b = 3 it depends on the seed, from b = 4 every one is "
         "found. Raise b and run again.",
         crowded_json, 2},
    };
    return presets;
}

}  // namespace spexlens::app
