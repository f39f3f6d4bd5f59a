#include "peeling.h"

#include "bch_decoder.h"
#include "prng.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

namespace spex {

namespace {

double energy(const double * col, int rows) {
    double e = 0.0;
    for (int i = 0; i < rows; ++i) {
        e += col[i] * col[i];
    }
    return e;
}

// sigma(k) = (-1)^(D k) as +-1 per delay row, row 0 always +1.
void signature_signs(const parity_word & sig, int p, std::vector<double> & out) {
    out.resize(p + 1);
    out[0] = 1.0;
    for (int j = 0; j < p; ++j) {
        out[1 + j] = sig.get(j) ? -1.0 : 1.0;
    }
}

struct bin_decoder {
    const query_design &    design;
    const bch_decoder &     bch;
    const peeling_options & opt;
    int                     depth;
    std::vector<double>     reliability;
    std::vector<double>     sigma;

    // Decodes and verifies one bin. Returns true and sets (k, rho) when the bin holds a
    // (dominant) singleton whose hash matches the bin.
    bool process(int c, uint32_t j, const double * col, double col_energy, feature_set & k, double & rho) {
        const int   p = design.p();
        parity_word bits;
        if (opt.decoder == DECODER_SOFT) {
            if (col[0] == 0.0) {
                return false;  // no reference sign: treat as a multiton
            }
            reliability.resize(p);
            const double s0 = col[0] > 0.0 ? 1.0 : -1.0;
            for (int i = 0; i < p; ++i) {
                const double s = col[1 + i] * s0;
                if (s < 0.0) {
                    bits.set(i);
                }
                reliability[i] = std::fabs(s);
            }
        } else {
            const bool neg0 = col[0] < 0.0;
            for (int i = 0; i < p; ++i) {
                if ((col[1 + i] < 0.0) != neg0) {
                    bits.set(i);
                }
            }
        }
        const bch_decode_result r =
            opt.decoder == DECODER_SOFT ? bch.decode_chase(bits, reliability.data(), depth) : bch.decode_hard(bits);
        // On failure k is empty; like the reference, that still goes to verification and can
        // only pass in bin 0, as the constant term.
        k = r.ok ? r.k : feature_set{};
        if (design.bin(c, k) != j) {
            return false;
        }
        signature_signs(design.signature(k), p, sigma);
        double dot = 0.0;
        for (int i = 0; i <= p; ++i) {
            dot += sigma[i] * col[i];
        }
        rho             = dot / (p + 1);
        double residual = 0.0;
        for (int i = 0; i <= p; ++i) {
            const double d = col[i] - rho * sigma[i];
            residual += d * d;
        }
        return residual < opt.multiton_ratio * col_energy;
    }
};

struct detection {
    feature_set k;
    double      sum   = 0.0;
    int         count = 0;
};

}  // namespace

peeling_output peel_bins(const query_design & design, bin_columns & u, const peeling_options & opt) {
    const int      p    = design.p();
    const int      rows = p + 1;
    const int      bins = u.bins;
    bch_decoder    bch(design.code());
    bin_decoder    dec{design, bch, opt, opt.chase_depth > 0 ? opt.chase_depth : 2 * design.code().t, {}, {}};
    prng           order_rng(opt.seed, PRNG_STREAM_PEELING);
    peeling_output out;
    out.found.n = design.n();

    std::unordered_map<feature_set, size_t, feature_set_hash> found_index;  // k -> position in out.found
    std::vector<int>                                          times_peeled;
    std::vector<std::vector<char>>                            to_check(spex_groups, std::vector<char>(bins, 1));
    std::vector<int>                                          distinct;
    std::vector<double>                                       sigma;
    const double                                              zeroton = opt.zeroton_tau * rows;

    for (int it = 0; it < opt.max_iter; ++it) {
        int group_order[spex_groups] = {0, 1, 2};
        for (int i = spex_groups - 1; i > 0; --i) {  // Fisher–Yates with the seeded stream
            std::swap(group_order[i], group_order[order_rng.below(uint64_t(i) + 1)]);
        }

        std::vector<detection>                                    detected;
        std::unordered_map<feature_set, size_t, feature_set_hash> detected_index;
        for (int c : group_order) {
            for (int j = 0; j < bins; ++j) {
                if (!to_check[c][j]) {
                    continue;
                }
                const double * col = u.col(c, static_cast<uint32_t>(j));
                const double   e   = energy(col, rows);
                feature_set    k;
                double         rho = 0.0;
                if (e > zeroton) {
                    ++out.stats.bin_decodes;
                    if (dec.process(c, static_cast<uint32_t>(j), col, e, k, rho)) {
                        auto ins = detected_index.emplace(k, detected.size());
                        if (ins.second) {
                            detected.push_back({k, 0.0, 0});
                        }
                        detection & d = detected[ins.first->second];
                        d.sum += rho;
                        d.count += 1;
                        continue;
                    }
                }
                to_check[c][j] = 0;
            }
        }

        bool cont = false;
        for (const auto & g : to_check) {
            cont = cont || std::find(g.begin(), g.end(), 1) != g.end();
        }
        if (opt.legacy_trap_exit && it >= 15) {
            cont = false;
        } else if (opt.trap_exit && it >= 15 && distinct[it - 1] == distinct[it - 15]) {
            cont = false;
        }

        for (const detection & d : detected) {
            const double v   = d.sum / d.count;  // peel_average: the mean of this pass's estimates
            auto         ins = found_index.emplace(d.k, out.found.terms.size());
            if (ins.second) {
                out.found.terms.push_back({d.k, 0.0});
                times_peeled.push_back(0);
            }
            out.found.terms[ins.first->second].coef += v;
            if (++times_peeled[ins.first->second] == 2) {
                ++out.stats.repeated_terms;
            }
            signature_signs(design.signature(d.k), p, sigma);
            for (int c = 0; c < spex_groups; ++c) {
                const uint32_t h   = design.bin(c, d.k);
                double *       col = u.col(c, h);
                for (int i = 0; i < rows; ++i) {
                    col[i] -= v * sigma[i];
                }
                to_check[c][h] = 1;
            }
            ++out.stats.peels;
        }
        distinct.push_back(static_cast<int>(out.found.terms.size()));
        out.stats.passes = it + 1;
        if (!cont) {
            break;
        }
    }
    out.stats.bch_decodes = bch.decode_count();
    return out;
}

}  // namespace spex
