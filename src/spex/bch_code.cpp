#include "bch_code.h"

#include "gf2m.h"
#include "spex_error.h"

#include <string>

namespace spex {

// Union Z of the cyclotomic cosets {e * 2^s mod nc} for e = 1..2t, as a membership table.
static std::vector<bool> root_exponents(int m, int t) {
    const int         nc = (1 << m) - 1;
    std::vector<bool> in(nc, false);
    for (int e = 1; e <= 2 * t; ++e) {
        int r = e % nc;
        while (!in[r]) {
            in[r] = true;
            r     = (2 * r) % nc;
        }
    }
    return in;
}

static int min_field_degree(int t) {
    int m = 2;
    while ((1 << m) < 2 * t + 2) {
        ++m;
    }
    return m;
}

bch_size bch_size_for(int n, int t) {
    if (t < 1 || t > max_bch_t) {
        throw spex_error("BCH capability t = " + std::to_string(t) + " is out of range: choose t in 1.." +
                         std::to_string(max_bch_t));
    }
    if (n < 1) {
        throw spex_error("a BCH code needs at least one message bit (n = " + std::to_string(n) + ")");
    }
    for (int m = min_field_degree(t); m <= 13; ++m) {
        const std::vector<bool> in = root_exponents(m, t);
        bch_size                s;
        s.m  = m;
        s.nc = (1 << m) - 1;
        for (bool b : in) {
            s.p += b ? 1 : 0;
        }
        s.kc = s.nc - s.p;
        if (s.kc < n) {
            continue;
        }
        int run = 0;
        while (run + 1 < s.nc && in[run + 1]) {
            ++run;
        }
        s.t_decode = run / 2;
        return s;
    }
    throw spex_error("no BCH code over GF(2^m), m <= 13, has " + std::to_string(n) +
                     " message bits at t = " + std::to_string(t) + ": use fewer features or a smaller t");
}

// Multiplies polynomial a (coefficients in GF(2^m), index = power) by (x - root).
static void mul_linear(const gf2m & f, std::vector<int> & a, int root) {
    a.push_back(0);
    for (size_t i = a.size() - 1; i > 0; --i) {
        a[i] = a[i - 1] ^ f.mul(a[i], root);
    }
    a[0] = f.mul(a[0], root);
}

static void shift_left_one(parity_word & r) {
    for (int i = 3; i > 0; --i) {
        r.w[i] = (r.w[i] << 1) | (r.w[i - 1] >> 63);
    }
    r.w[0] <<= 1;
}

bch_code make_bch_code(int n, int t) {
    const bch_size s = bch_size_for(n, t);
    bch_code       c;
    c.n        = n;
    c.t        = t;
    c.m        = s.m;
    c.nc       = s.nc;
    c.kc       = s.kc;
    c.p        = s.p;
    c.t_decode = s.t_decode;

    const gf2m              f(s.m);
    const std::vector<bool> in = root_exponents(s.m, t);
    std::vector<int>        g{1};
    for (int r = 1; r < s.nc; ++r) {
        if (in[r]) {
            mul_linear(f, g, f.alpha_pow(r));
        }
    }
    c.generator.resize(g.size());
    for (size_t i = 0; i < g.size(); ++i) {
        if (g[i] > 1) {
            throw spex_error("internal error: BCH generator has a non-binary coefficient");
        }
        c.generator[i] = static_cast<uint8_t>(g[i]);
    }

    // Remainders x^e mod g as bit sets (bit e' = coefficient of x^e'), walking e = p .. n+p-1,
    // i.e. features q = n-1 down to 0. Parity bit j is the coefficient of x^(p-1-j).
    const int   p = s.p;
    parity_word g_low;  // g without its x^p term, = x^p mod g
    for (int e = 0; e < p; ++e) {
        if (c.generator[e]) {
            g_low.set(e);
        }
    }
    c.feature_parity.assign(n, parity_word{});
    parity_word rem = g_low;
    for (int q = n - 1; q >= 0; --q) {
        parity_word col;
        for (int e = 0; e < p; ++e) {
            if (rem.get(e)) {
                col.set(p - 1 - e);
            }
        }
        c.feature_parity[q] = col;
        const bool carry    = rem.get(p - 1);
        shift_left_one(rem);
        if (carry) {
            rem.flip(p);   // clear the x^p bit ...
            rem ^= g_low;  // ... and reduce by g
        }
    }
    return c;
}

}  // namespace spex
