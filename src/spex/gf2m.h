// gf2m: arithmetic in GF(2^m), m = 2..13, as log/antilog tables.
//
// The field is GF(2)[x]/pi_m with alpha = x, where pi_m is MATLAB's default primitive
// polynomial (the convention of the galois package), so BCH codes built on it match the
// reference implementation bit for bit. Elements are ints whose bit i is the coefficient of x^i.
#pragma once

#include <cstdint>
#include <vector>

namespace spex {

// MATLAB/galois default primitive polynomial for GF(2^m), bit i = coefficient of x^i.
uint32_t default_primitive_polynomial(int m);

class gf2m {
  public:
    explicit gf2m(int m);

    int m() const { return m_; }
    int order() const { return order_; }  // 2^m - 1, the multiplicative group order

    int alpha_pow(int e) const { return exp_[mod_order(e)]; }  // alpha^e for any integer e
    int alpha_pow_reduced(int e) const { return exp_[e]; }     // alpha^e for 0 <= e < 2 * order
    int log(int a) const { return log_[a]; }                   // a != 0
    int mul(int a, int b) const { return (a && b) ? exp_[log_[a] + log_[b]] : 0; }
    int div(int a, int b) const { return a ? exp_[log_[a] + order_ - log_[b]] : 0; }  // b != 0

  private:
    int mod_order(int e) const {
        const int r = e % order_;
        return r < 0 ? r + order_ : r;
    }

    int              m_;
    int              order_;
    std::vector<int> exp_;  // doubled so mul needs no modulo
    std::vector<int> log_;
};

}  // namespace spex
