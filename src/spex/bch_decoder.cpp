#include "bch_decoder.h"

#include <algorithm>
#include <numeric>
#include <queue>

namespace spex {

bch_decoder::bch_decoder(const bch_code & code) : code_(code), field_(code.m), length_(code.n + code.p) {}

// S_e += alpha^(e * position) for e = 1..2t'. syndromes[e-1] holds S_e.
void bch_decoder::add_position(std::vector<int> & syndromes, int position) const {
    for (size_t e = 1; e <= syndromes.size(); ++e) {
        syndromes[e - 1] ^= field_.alpha_pow(static_cast<int>(e) * position);
    }
}

// True iff Lambda (degree L, Lambda(0) = 1) divides x^(2^m) - x, i.e. has L distinct non-zero
// roots in GF(2^m). Squaring is linear in characteristic 2: (sum r_i x^i)^2 = sum r_i^2 x^2i.
bool bch_decoder::splits_into_distinct_roots(const std::vector<int> & lambda, int L) const {
    const int        lead_inv = field_.div(1, lambda[L]);
    std::vector<int> monic(L + 1);
    for (int i = 0; i <= L; ++i) {
        monic[i] = field_.mul(lambda[i], lead_inv);
    }
    std::vector<int> r(L, 0), sq(2 * L, 0);
    r[1 % L] = 1;  // x mod Lambda (L >= 2)
    for (int step = 0; step < field_.m(); ++step) {
        std::fill(sq.begin(), sq.end(), 0);
        for (int i = 0; i < L; ++i) {
            sq[2 * i] = field_.mul(r[i], r[i]);
        }
        for (int d = 2 * L - 1; d >= L; --d) {  // reduce by the monic locator
            const int c = sq[d];
            if (c) {
                for (int i = 0; i <= L; ++i) {
                    sq[d - L + i] ^= field_.mul(c, monic[i]);
                }
            }
        }
        std::copy(sq.begin(), sq.begin() + L, r.begin());
    }
    // x^(2^m) mod Lambda must equal x.
    for (int i = 0; i < L; ++i) {
        if (r[i] != (i == 1 ? 1 : 0)) {
            return false;
        }
    }
    return true;
}

bch_decode_result bch_decoder::decode_hard(const parity_word & parity) const {
    std::vector<int> syndromes(2 * code_.t_decode, 0);
    for (int j = 0; j < code_.p; ++j) {
        if (parity.get(j)) {
            add_position(syndromes, code_.p - 1 - j);
        }
    }
    return decode_syndromes(syndromes);
}

bch_decode_result bch_decoder::decode_positions(const std::vector<int> & ones) const {
    std::vector<int> syndromes(2 * code_.t_decode, 0);
    for (int pos : ones) {
        add_position(syndromes, pos);
    }
    return decode_syndromes(syndromes);
}

namespace {

// Berlekamp–Massey: the shortest LFSR (error locator Lambda, into lambda, 2t' + 2 coefficients)
// generating S_1..S_2t'; returns its length L.
int berlekamp_massey(const gf2m & field, const std::vector<int> & s, std::vector<int> & lambda) {
    const int two_t = static_cast<int>(s.size());
    lambda.assign(two_t + 2, 0);
    std::vector<int> prev(two_t + 2, 0), tmp;
    lambda[0] = prev[0] = 1;
    int L = 0, shift = 1, prev_disc = 1;
    for (int r = 0; r < two_t; ++r) {
        int d = s[r];
        for (int i = 1; i <= L; ++i) {
            d ^= field.mul(lambda[i], s[r - i]);
        }
        if (d == 0) {
            ++shift;
            continue;
        }
        const int coef = field.div(d, prev_disc);
        if (2 * L <= r) {
            tmp = lambda;
            for (int i = 0; i + shift < two_t + 2; ++i) {
                lambda[i + shift] ^= field.mul(coef, prev[i]);
            }
            L         = r + 1 - L;
            prev      = tmp;
            prev_disc = d;
            shift     = 1;
        } else {
            for (int i = 0; i + shift < two_t + 2; ++i) {
                lambda[i + shift] ^= field.mul(coef, prev[i]);
            }
            ++shift;
        }
    }
    return L;
}

// Chien search over the shortened code's positions only: the pos < length with
// Lambda(alpha^-pos) == 0, into positions (at most L of them).
void chien_search(const gf2m & field, const std::vector<int> & lambda, int L, int length,
                  std::vector<int> & positions) {
    if (L == 1) {
        // Lambda = 1 + l1 x has its root at alpha^-pos with alpha^pos = l1.
        const int pos = field.log(lambda[1]);
        if (pos < length) {
            positions.push_back(pos);
        }
    } else {
        // Term i of Lambda(alpha^-pos) is alpha^(log l_i - i*pos): step each exponent by -i.
        const int        order = field.order();
        std::vector<int> exponent(L + 1, -1);
        for (int i = 1; i <= L; ++i) {
            exponent[i] = lambda[i] ? field.log(lambda[i]) : -1;
        }
        for (int pos = 0; pos < length && static_cast<int>(positions.size()) < L; ++pos) {
            int sum = 1;  // lambda[0]
            for (int i = 1; i <= L; ++i) {
                if (exponent[i] >= 0) {
                    sum ^= field.alpha_pow_reduced(exponent[i]);
                    exponent[i] -= i;
                    if (exponent[i] < 0) {
                        exponent[i] += order;
                    }
                }
            }
            if (sum == 0) {
                positions.push_back(pos);
            }
        }
    }
}

}  // namespace

bch_decode_result bch_decoder::decode_syndromes(const std::vector<int> & s) const {
    ++decodes_;
    bch_decode_result out;
    const int         two_t = static_cast<int>(s.size());

    // Berlekamp–Massey: shortest LFSR (error locator Lambda) generating S_1..S_2t'.
    std::vector<int> lambda;
    const int        L = berlekamp_massey(field_, s, lambda);
    if (L > code_.t_decode) {
        return out;
    }
    for (int i = L + 1; i < two_t + 2; ++i) {
        if (lambda[i] != 0) {
            return out;  // locator degree disagrees with L: not a decodable pattern
        }
    }
    if (L == 0) {
        out.ok = true;  // zero syndrome: the received word is a codeword, k = empty set
        return out;
    }
    if (lambda[L] == 0) {
        return out;
    }

    // Most failing patterns (Chase's in particular) have a locator that does not split into
    // distinct linear factors over GF(2^m); reject those with m polynomial squarings before
    // paying for a Chien search over all n+p positions.
    if (L >= 2 && !splits_into_distinct_roots(lambda, L)) {
        return out;
    }

    // Chien search over the shortened code's positions only: Lambda(alpha^-pos) == 0.
    std::vector<int> positions;
    chien_search(field_, lambda, L, length_, positions);
    if (static_cast<int>(positions.size()) != L) {
        return out;
    }
    out.ok          = true;
    out.corrections = L;
    for (int pos : positions) {
        if (pos >= code_.p) {
            out.k.push_back(code_.n + code_.p - 1 - pos);
        }
    }
    std::sort(out.k.begin(), out.k.end());
    return out;
}

bch_decode_result bch_decoder::decode_chase(const parity_word & parity, const double * reliability, int depth) const {
    bch_decode_result hard = decode_hard(parity);
    if (hard.ok) {
        return hard;
    }
    depth = std::min(std::min(depth, code_.p), 63);  // patterns are 64-bit masks
    if (depth <= 0) {
        return hard;
    }

    // The `depth` least reliable parity bits; ties go to the lower index (stable sort).
    std::vector<int> order(code_.p);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return reliability[a] < reliability[b]; });
    order.resize(depth);

    std::vector<int> base(2 * code_.t_decode, 0);
    for (int j = 0; j < code_.p; ++j) {
        if (parity.get(j)) {
            add_position(base, code_.p - 1 - j);
        }
    }
    // Syndrome contribution of flipping each candidate bit.
    std::vector<std::vector<int>> flip(depth, std::vector<int>(base.size(), 0));
    for (int i = 0; i < depth; ++i) {
        add_position(flip[i], code_.p - 1 - order[i]);
    }

    // Best-first enumeration of subsets by total reliability: from a subset whose largest
    // member is i, its successors add i+1 or replace i by i+1. Each subset appears once, in
    // non-decreasing cost; ties are broken by the subset's bit pattern for determinism.
    struct pattern {
        double   cost;
        int      last;
        uint64_t bits;
        bool     operator>(const pattern & o) const { return cost != o.cost ? cost > o.cost : bits > o.bits; }
    };
    std::priority_queue<pattern, std::vector<pattern>, std::greater<pattern>> heap;
    const int                                                                 budget = depth * (depth + 1) / 2;
    bch_decode_result                                                         best;
    std::vector<int>                                                          syn(base.size());

    heap.push({0.0, -1, 0});
    for (int tried = 0; tried < budget && !heap.empty(); ++tried) {
        const pattern cur = heap.top();
        heap.pop();
        if (cur.last + 1 < depth) {
            const int    nx = cur.last + 1;
            const double rn = reliability[order[nx]];
            heap.push({cur.cost + rn, nx, cur.bits | (uint64_t(1) << nx)});
            if (cur.last >= 0) {
                heap.push({cur.cost - reliability[order[cur.last]] + rn, nx,
                           (cur.bits & ~(uint64_t(1) << cur.last)) | (uint64_t(1) << nx)});
            }
        }
        if (cur.bits == 0) {
            continue;  // the empty pattern is the hard decode that already failed
        }
        syn = base;
        for (int i = 0; i < depth; ++i) {
            if ((cur.bits >> i) & 1u) {
                for (size_t e = 0; e < syn.size(); ++e) {
                    syn[e] ^= flip[i][e];
                }
            }
        }
        bch_decode_result r = decode_syndromes(syn);
        if (!r.ok) {
            continue;
        }
        // Fewest decoder corrections wins (Chase flips are not counted); first found wins ties.
        if (!best.ok || r.corrections < best.corrections) {
            best = std::move(r);
        }
    }
    return best.ok ? best : hard;
}

}  // namespace spex
