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

// A term detected in this pass: the sum and number of its estimates.
struct detection {
    feature_set k;
    double      sum   = 0.0;
    int         count = 0;
};

using found_map = std::unordered_map<feature_set, size_t, feature_set_hash>;  // k -> position in a list

// One detection pass over the bins still to check, groups in `group_order`: a bin that is a
// zeroton or fails to decode as a singleton is checked off; singletons go into `detected`.
void detect_pass(const int * group_order, bin_columns & u, bin_decoder & dec, int rows, double zeroton,
                 std::vector<std::vector<char>> & to_check, std::vector<detection> & detected,
                 found_map & detected_index, peeling_stats & stats) {
    const int bins = u.bins;
    for (int g = 0; g < spex_groups; ++g) {
        const int c = group_order[g];
        for (int j = 0; j < bins; ++j) {
            if (!to_check[c][j]) {
                continue;
            }
            const double * col = u.col(c, static_cast<uint32_t>(j));
            const double   e   = energy(col, rows);
            feature_set    k;
            double         rho = 0.0;
            if (e > zeroton) {
                ++stats.bin_decodes;
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
}

// Whether any bin is still to be checked.
bool any_to_check(const std::vector<std::vector<char>> & to_check) {
    bool cont = false;
    for (const auto & g : to_check) {
        cont = cont || std::find(g.begin(), g.end(), 1) != g.end();
    }
    return cont;
}

// Peels this pass's detections: adds each mean estimate to its term in out.found, subtracts
// its signature from its bin in every group and marks those bins to be checked again.
void peel_detected(const query_design & design, bin_columns & u, const std::vector<detection> & detected,
                   found_map & found_index, std::vector<int> & times_peeled, std::vector<std::vector<char>> & to_check,
                   std::vector<double> & sigma, peeling_output & out) {
    const int p    = design.p();
    const int rows = p + 1;
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
}

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

    found_map                      found_index;  // k -> position in out.found
    std::vector<int>               times_peeled;
    std::vector<std::vector<char>> to_check(spex_groups, std::vector<char>(bins, 1));
    std::vector<int>               distinct;
    std::vector<double>            sigma;
    const double                   zeroton = opt.zeroton_tau * rows;

    for (int it = 0; it < opt.max_iter; ++it) {
        int group_order[spex_groups] = {0, 1, 2};
        for (int i = spex_groups - 1; i > 0; --i) {  // Fisher–Yates with the seeded stream
            std::swap(group_order[i], group_order[order_rng.below(uint64_t(i) + 1)]);
        }

        std::vector<detection> detected;
        found_map              detected_index;
        detect_pass(group_order, u, dec, rows, zeroton, to_check, detected, detected_index, out.stats);
        bool cont = any_to_check(to_check);
        if (opt.legacy_trap_exit && it >= 15) {
            cont = false;
        } else if (opt.trap_exit && it >= 15 && distinct[it - 1] == distinct[it - 15]) {
            cont = false;
        }

        peel_detected(design, u, detected, found_index, times_peeled, to_check, sigma, out);
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
