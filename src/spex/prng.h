// prng: the engine's one pseudo-random generator, identical bit for bit on every
// platform (native x86-64, WebAssembly).
//
// Algorithm: xoshiro256** (Blackman & Vigna), state seeded from (seed, stream) by
// splitmix64. Derived values use only integer math and IEEE-exact double operations
// (+ - * / sqrt) plus our own polynomial log, so no libm or std:: distribution whose
// output differs across standard libraries is involved.
//
// Each purpose draws from its own stream, so adding draws in one place (e.g. a larger
// hold-out set) never shifts the masks of another.
#pragma once

#include <cstdint>

namespace spex {

enum prng_stream : uint64_t {
    PRNG_STREAM_SUBSAMPLING = 1,     // the C subsampling matrices M_c
    PRNG_STREAM_HOLDOUT     = 2,     // uniform hold-out masks for the faithfulness R^2
    PRNG_STREAM_PEELING     = 3,     // group order of each peeling pass
    PRNG_STREAM_BASELINE    = 4,     // masks of the LIME / KernelSHAP / Faith-Banzhaf baselines
    PRNG_STREAM_USER        = 1000,  // first id free for callers (e.g. synthetic noise)
};

uint64_t splitmix64(uint64_t & state);

class prng {
  public:
    explicit prng(uint64_t seed, uint64_t stream = 0);
    // Raw state, for checking the generator against the published xoshiro256** vectors.
    static prng from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);

    uint64_t next_u64();
    double   uniform();  // [0, 1) with 53 random bits
    bool     bit() { return (next_u64() >> 63) != 0; }
    uint64_t below(uint64_t bound);  // uniform in [0, bound), unbiased; bound > 0
    double   normal();               // standard normal (Marsaglia polar method)

  private:
    prng()         = default;
    uint64_t s_[4] = {0, 0, 0, 0};
};

// Natural log from + - * / only, so it is bit-identical across platforms (x > 0).
double portable_log(double x);

}  // namespace spex
