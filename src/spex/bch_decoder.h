// bch_decoder: recovers a Fourier frequency k from the sign bits of one bin (docs/method.md §4).
//
// In SPEX the "received word" is all zero in the message part (k is unknown) and carries the
// observed parity bits; the error pattern is therefore k itself plus any flipped parity bits.
// A bounded-distance decode (Berlekamp–Massey + Chien search) returns k when
// |k| + flips <= t'. The Chase decoder additionally tries flipping the least reliable
// parity bits, which rescues bins whose weakest signs were corrupted by noise or aliasing.
#pragma once

#include "bch_code.h"
#include "feature_set.h"
#include "gf2m.h"

#include <cstdint>
#include <vector>

namespace spex {

struct bch_decode_result {
    bool        ok = false;
    feature_set k;                // decoded message-part errors = the frequency; empty on failure
    int         corrections = 0;  // v: number of errors the decoder corrected (Chase flips excluded)
};

class bch_decoder {
  public:
    explicit bch_decoder(const bch_code & code);

    // Hard decision: bit j of `parity` is the observed parity bit j.
    bch_decode_result decode_hard(const parity_word & parity) const;

    // General bounded-distance decode of a received word given by its 1-positions (exponents
    // 0..n+p-1, see bch_code.h). Returns the message-part error positions as features.
    bch_decode_result decode_positions(const std::vector<int> & ones) const;

    // Chase-II style soft decision: reliability[j] >= 0 for parity bit j (larger = surer).
    // Tries the depth*(depth+1)/2 cheapest flip patterns over the `depth` least reliable bits.
    bch_decode_result decode_chase(const parity_word & parity, const double * reliability, int depth) const;

    // Number of bounded-distance decodes run so far (a cost counter: noise-only bins are decoded again whenever they
    // reopen, docs/method.md §4).
    int64_t decode_count() const { return decodes_; }

    const bch_code & code() const { return code_; }

  private:
    bch_decode_result decode_syndromes(const std::vector<int> & syndromes) const;
    void              add_position(std::vector<int> & syndromes, int position) const;
    bool              splits_into_distinct_roots(const std::vector<int> & lambda, int L) const;

    const bch_code & code_;
    gf2m             field_;
    int              length_;  // n + p
    mutable int64_t  decodes_ = 0;
};

}  // namespace spex
