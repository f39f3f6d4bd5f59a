// peeling: the SPEX peeling decoder (docs/method.md §4–§5).
//
// Repeatedly: find singleton bins (one dominant frequency k), decode k from the bin's sign
// pattern with the BCH code, verify it, then subtract its contribution from the bins it
// lands in across all groups, which may turn multitons into new singletons.
#pragma once

#include "bin_columns.h"
#include "query_design.h"
#include "sparse_fourier.h"

#include <cstdint>

namespace spex {

enum decoder_kind { DECODER_HARD, DECODER_SOFT };

struct peeling_options {
    decoder_kind decoder          = DECODER_SOFT;
    int          chase_depth      = 0;     // soft only; 0 means 2t (spectral-explain's choice)
    double       zeroton_tau      = 1e-9;  // bin is a zeroton if ||col||^2 <= tau * (p+1)
    int          max_iter         = 100;
    bool         trap_exit        = true;   // stop after 14 passes without a new frequency
    bool         legacy_trap_exit = false;  // the references' effective rule: always stop after pass 15
    double       multiton_ratio   = 0.9;    // multi-detect: accept if ||residual||^2 / ||col||^2 < this
    uint64_t     seed             = 0;      // group order per pass (PRNG_STREAM_PEELING)
};

struct peeling_stats {
    int     passes         = 0;
    int64_t bin_decodes    = 0;  // bins handed to the decoder (each may run many BCH decodes)
    int64_t bch_decodes    = 0;  // bounded-distance decodes, Chase patterns included
    int64_t peels          = 0;  // subtractions performed
    int     repeated_terms = 0;  // frequencies peeled more than once (their values accumulate)
};

struct peeling_output {
    sparse_fourier found;  // F_hat: the sum of all values peeled for each k, in discovery order
    peeling_stats  stats;
};

// Peels `u` in place (what remains is the residual).
peeling_output peel_bins(const query_design & design, bin_columns & u, const peeling_options & options);

}  // namespace spex
