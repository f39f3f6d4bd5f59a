// ridge_fourier: ridge regression in the Fourier basis with the penalty chosen by GCV, exact
// LOO or K-fold CV (see ridge_fourier.h). The exact path eigendecomposes the centred Gram
// with symmetric_eigen (fixed-order scalar Householder + QL), and every reduction on the
// result path is a plain loop in a fixed order, so a fit is bit-identical natively and in
// WebAssembly.
//
// Index of this file:
// [SECTION] Small helpers
// [SECTION] The bit-packed Fourier design (fourier_design)
// [SECTION] The normal operator and multi-shift Lanczos (large supports)
// [SECTION] Argument checks and scoring helpers
// [SECTION] The fit's pieces: checks, columns, the exact and the K-fold paths
// [SECTION] Public API: default penalties, supports, fits
#include "ridge_fourier.h"

#include "faith_banzhaf.h"
#include "mask_design.h"
#include "spex/spex_error.h"
#include "symmetric_eigen.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace spex {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Small helpers
//-----------------------------------------------------------------------------

double dot(const std::vector<double> & a, const std::vector<double> & b) {
    double s = 0.0;
    for (size_t i = 0; i < a.size(); ++i) {
        s += a[i] * b[i];
    }
    return s;
}

// Bits set in x. WebAssembly has i64.popcnt; without the x86 POPCNT extension the builtin
// becomes a libgcc call, so a branch-free SWAR count is used there.
inline int popcount64(uint64_t x) {
#if defined(__wasm__) || defined(__POPCNT__)
    return __builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return static_cast<int>((x * 0x0101010101010101ull) >> 56);
#endif
}

//-----------------------------------------------------------------------------
// [SECTION] The bit-packed Fourier design (fourier_design)
//-----------------------------------------------------------------------------

// The Fourier design of the non-constant (or all, if the constant is penalised) support
// columns over the used rows, bit-packed both ways. Rows are laid out segment by segment, each
// segment starting on a 64-row boundary (padding rows have all bits zero and y = 0), so a
// segment is a contiguous word range of every column. Segments 0..folds-1 are the folds (row
// i past the anchors in fold (i - anchors) mod folds); with anchors, one more segment holds
// them: it trains every fold and is never held out. folds() counts every segment, so
// skip = folds() (no segment) means all rows.
class fourier_design {
  public:
    fourier_design(const mask_matrix & masks, const std::vector<double> & values, const std::vector<size_t> & rows,
                   const std::vector<const feature_set *> & cols, int folds, size_t anchors)
        : folds_(folds + (anchors > 0 ? 1 : 0)), p_(cols.size()), cb_((cols.size() + 7) / 8) {
        const size_t n_rows   = rows.size();
        const size_t uniform  = n_rows - anchors;
        const size_t segments = static_cast<size_t>(folds_);
        seg_begin_.resize(segments + 1);
        seg_count_.resize(segments);
        size_t at = 0;
        for (size_t k = 0; k < segments; ++k) {
            const size_t cnt = k == static_cast<size_t>(folds)
                                   ? anchors
                                   : uniform / static_cast<size_t>(folds) + (k < uniform % folds ? 1 : 0);
            seg_begin_[k]    = at;
            seg_count_[k]    = cnt;
            at += (cnt + 63) / 64 * 64;
        }
        seg_begin_[segments] = at;
        r_                   = at;
        rw_                  = at / 64;
        local_of_.resize(n_rows);
        y_.assign(r_, 0.0);
        for (size_t i = 0; i < n_rows; ++i) {
            const size_t j     = i - anchors;
            const size_t local = i < anchors
                                     ? seg_begin_[static_cast<size_t>(folds)] + i
                                     : seg_begin_[j % static_cast<size_t>(folds)] + j / static_cast<size_t>(folds);
            local_of_[i]       = local;
            y_[local]          = values[rows[i]];
        }
        // Player columns over the local rows, then each support column as their XOR.
        const int             n = masks.n;
        std::vector<uint64_t> player(static_cast<size_t>(n) * rw_, 0);
        for (size_t i = 0; i < n_rows; ++i) {
            const uint64_t * m     = masks.row(rows[i]);
            const size_t     local = local_of_[i];
            for (size_t w = 0; w < masks.words; ++w) {
                uint64_t x = m[w];
                while (x) {
                    const int j = static_cast<int>(w * 64) + __builtin_ctzll(x);
                    x &= x - 1;
                    player[static_cast<size_t>(j) * rw_ + local / 64] |= uint64_t(1) << (local % 64);
                }
            }
        }
        cols_.assign(p_ * rw_, 0);
        for (size_t c = 0; c < p_; ++c) {
            uint64_t * dst = &cols_[c * rw_];
            for (int j : *cols[c]) {
                const uint64_t * src = &player[static_cast<size_t>(j) * rw_];
                for (size_t w = 0; w < rw_; ++w) {
                    dst[w] ^= src[w];
                }
            }
        }
        // Byte planes: row_plane_[b * r_ + r] = parity bits of columns 8b..8b+7 at row r;
        // col_plane_[j * p_ + c] = parity bits of column c at rows 8j..8j+7.
        row_plane_.assign((cb_ + 3) / 4 * 4 * r_, 0);  // whole groups of four planes; extra planes are zero
        col_plane_.assign(r_ / 8 * p_, 0);
        for (size_t c = 0; c < p_; ++c) {
            for (size_t w = 0; w < rw_; ++w) {
                uint64_t x = cols_[c * rw_ + w];
                for (size_t t = 0; t < 8; ++t) {
                    col_plane_[(w * 8 + t) * p_ + c] = static_cast<uint8_t>(x >> (8 * t));
                }
                while (x) {
                    const size_t r = w * 64 + static_cast<size_t>(__builtin_ctzll(x));
                    x &= x - 1;
                    row_plane_[(c / 8) * r_ + r] |= static_cast<uint8_t>(1u << (c % 8));
                }
            }
        }
    }

    size_t                      params() const { return p_; }
    size_t                      padded_rows() const { return r_; }
    int                         folds() const { return folds_; }
    size_t                      fold_begin(int k) const { return seg_begin_[static_cast<size_t>(k)]; }
    size_t                      fold_count(int k) const { return seg_count_[static_cast<size_t>(k)]; }
    const std::vector<double> & y() const { return y_; }
    bool                        bit(size_t r, size_t c) const { return (cols_[c * rw_ + r / 64] >> (r % 64)) & 1u; }

    // Rows outside fold `skip` (skip = folds(): all rows).
    size_t train_count(int skip) const {
        size_t t = 0;
        for (int k = 0; k < folds_; ++k) {
            t += k == skip ? 0 : seg_count_[static_cast<size_t>(k)];
        }
        return t;
    }

    // Calls fn(r) for every real row outside fold `skip`, fold by fold.
    template <typename Fn> void for_train_rows(int skip, Fn && fn) const {
        for (int k = 0; k < folds_; ++k) {
            if (k == skip) {
                continue;
            }
            for (size_t r = seg_begin_[static_cast<size_t>(k)];
                 r < seg_begin_[static_cast<size_t>(k)] + seg_count_[static_cast<size_t>(k)]; ++r) {
                fn(r);
            }
        }
    }

    // p[c] = fraction of rows outside fold `skip` where column c has parity 1.
    std::vector<double> bit_fractions(int skip) const {
        const double        t = static_cast<double>(train_count(skip));
        std::vector<double> p(p_, 0.0);
        for (size_t c = 0; c < p_; ++c) {
            uint64_t cnt = 0;
            for (int k = 0; k < folds_; ++k) {
                if (k == skip) {
                    continue;
                }
                for (size_t w = seg_begin_[static_cast<size_t>(k)] / 64;
                     w < seg_begin_[static_cast<size_t>(k) + 1] / 64; ++w) {
                    cnt += static_cast<uint64_t>(popcount64(cols_[c * rw_ + w]));
                }
            }
            p[c] = static_cast<double>(cnt) / t;
        }
        return p;
    }

    // out[r] = sum over columns c with parity bit (r, c) = 1 of v[c], for every real row
    // (padding rows get 0). Per 8 columns, a table of the 256 partial sums (kept in L1)
    // is applied to all rows, four such groups per pass; the order of additions is fixed.
    void row_sums(const std::vector<double> & v, std::vector<double> & out) const {
        out.assign(r_, 0.0);
        std::vector<double> & t = scratch_;
        t.resize(4 * 256);
        for (size_t b0 = 0; b0 < cb_; b0 += 4) {
            for (size_t q = 0; q < 4; ++q) {
                double * tq = &t[q * 256];
                tq[0]       = 0.0;
                for (unsigned m = 1; m < 256; ++m) {
                    const size_t c = (b0 + q) * 8 + static_cast<size_t>(__builtin_ctz(m));
                    tq[m]          = tq[m & (m - 1)] + (c < p_ ? v[c] : 0.0);
                }
            }
            const uint8_t * p0 = &row_plane_[b0 * r_];
            const uint8_t * p1 = p0 + r_;
            const uint8_t * p2 = p1 + r_;
            const uint8_t * p3 = p2 + r_;
            const double *  t0 = &t[0], *t1 = &t[256], *t2 = &t[512], *t3 = &t[768];
            for (int k = 0; k < folds_; ++k) {
                const size_t first = seg_begin_[static_cast<size_t>(k)];
                const size_t last  = first + seg_count_[static_cast<size_t>(k)];
                for (size_t r = first; r < last; ++r) {
                    out[r] += (t0[p0[r]] + t1[p1[r]]) + (t2[p2[r]] + t3[p3[r]]);
                }
            }
        }
    }

    // out[c] = sum over rows r outside fold `skip` with parity bit (r, c) = 1 of u[r]
    // (u is indexed by local row; padding entries must be 0). Per 8 rows, a table of the
    // 256 partial sums is applied to all columns, four such groups (32 rows) per pass.
    void col_sums(const std::vector<double> & u, int skip, std::vector<double> & out) const {
        const size_t rb         = r_ / 8;  // a multiple of 8: folds start on 64-row boundaries
        const size_t skip_first = skip < folds_ ? seg_begin_[static_cast<size_t>(skip)] / 8 : rb;
        const size_t skip_last  = skip < folds_ ? seg_begin_[static_cast<size_t>(skip) + 1] / 8 : rb;
        out.assign(p_, 0.0);
        std::vector<double> & t = scratch_;
        t.resize(4 * 256);
        for (size_t j0 = 0; j0 < rb; j0 += 4) {
            if (j0 == skip_first) {
                j0 = skip_last;
                if (j0 >= rb) {
                    break;
                }
            }
            for (size_t q = 0; q < 4; ++q) {
                double *       tq = &t[q * 256];
                const double * uq = &u[(j0 + q) * 8];
                tq[0]             = 0.0;
                for (unsigned m = 1; m < 256; ++m) {
                    tq[m] = tq[m & (m - 1)] + uq[__builtin_ctz(m)];
                }
            }
            const uint8_t * p0 = &col_plane_[j0 * p_];
            const uint8_t * p1 = p0 + p_;
            const uint8_t * p2 = p1 + p_;
            const uint8_t * p3 = p2 + p_;
            const double *  t0 = &t[0], *t1 = &t[256], *t2 = &t[512], *t3 = &t[768];
            for (size_t c = 0; c < p_; ++c) {
                out[c] += (t0[p0[c]] + t1[p1[c]]) + (t2[p2[c]] + t3[p3[c]]);
            }
        }
    }

    // G[a][b] = sum over all real rows of chi_a chi_b (row-major P x P).
    std::vector<double> gram(size_t n_rows) const {
        std::vector<double> g(p_ * p_, 0.0);
        for (size_t a = 0; a < p_; ++a) {
            for (size_t b = a; b < p_; ++b) {
                uint64_t cnt = 0;
                for (size_t w = 0; w < rw_; ++w) {
                    cnt += static_cast<uint64_t>(popcount64(cols_[a * rw_ + w] ^ cols_[b * rw_ + w]));
                }
                const double v = static_cast<double>(n_rows) - 2.0 * static_cast<double>(cnt);
                g[a * p_ + b]  = v;
                g[b * p_ + a]  = v;
            }
        }
        return g;
    }

  private:
    int                         folds_;
    size_t                      p_, cb_;
    size_t                      r_  = 0;  // padded local rows
    size_t                      rw_ = 0;  // words per column
    std::vector<size_t>         seg_begin_, seg_count_;
    std::vector<size_t>         local_of_;
    std::vector<double>         y_;
    std::vector<uint64_t>       cols_;       // [c * rw_ + w]
    std::vector<uint8_t>        row_plane_;  // [b * r_ + r]: columns 8b..8b+7 at row r (4 * ceil(cb_ / 4) planes)
    mutable std::vector<double> scratch_;    // four 256-entry tables
    std::vector<uint8_t>        col_plane_;  // [j * p_ + c]: rows 8j..8j+7 of column c
};

//-----------------------------------------------------------------------------
// [SECTION] The normal operator and multi-shift Lanczos (large supports)
//-----------------------------------------------------------------------------

// The centred (or plain) normal operator of the rows outside fold `skip`:
//   A v = X~^T X~ v with X~ = X - 1 o'^T, o' = 1 - 2 o (o = bit fractions: centred; 1/2: plain).
// x~_r^T v = 2 (o^T v - B_r(v)) and (X~^T u)_c = 2 (o_c sum(u) - C_c(u)).
class normal_operator {
  public:
    normal_operator(const fourier_design & d, int skip, std::vector<double> offsets)
        : d_(d), skip_(skip), o_(std::move(offsets)) {}

    // z[r] = x~_r^T v for every real row (0 at padding).
    void rows_times(const std::vector<double> & v, std::vector<double> & z) const {
        d_.row_sums(v, z);
        const double ov = dot(o_, v);
        for (int k = 0; k < d_.folds(); ++k) {
            for (size_t r = d_.fold_begin(k); r < d_.fold_begin(k) + d_.fold_count(k); ++r) {
                z[r] = 2.0 * (ov - z[r]);
            }
        }
    }

    // out = X~^T u over the training rows.
    void transpose_times(const std::vector<double> & u, std::vector<double> & out) const {
        double total = 0.0;
        d_.for_train_rows(skip_, [&](size_t r) { total += u[r]; });
        d_.col_sums(u, skip_, out);
        for (size_t c = 0; c < out.size(); ++c) {
            out[c] = 2.0 * (o_[c] * total - out[c]);
        }
    }

    // w = A v; z receives x~_r^T v for all real rows.
    void apply(const std::vector<double> & v, std::vector<double> & w, std::vector<double> & z) const {
        rows_times(v, z);
        transpose_times(z, w);
    }

  private:
    const fourier_design & d_;
    int                    skip_;
    std::vector<double>    o_;
};

// Multi-shift Lanczos (full reorthogonalisation) for (A + s I) x = b over all shifts s >= 0.
// Returns per shift the coordinates of x in the Lanczos basis basis[0..m-1].
struct lanczos_result {
    std::vector<std::vector<double>> coords;  // per shift, size m
    std::vector<bool>                converged;
    int                              iterations = 0;
};

// Solves (T + s I) y = beta0 e1 (T tridiagonal: diag a, off-diagonal b) by the Thomas algorithm.
std::vector<double> solve_tridiagonal(const std::vector<double> & a, const std::vector<double> & b, double s,
                                      double beta0) {
    const size_t        m = a.size();
    std::vector<double> c(m, 0.0), y(m, 0.0);
    double              denom = a[0] + s;
    c[0]                      = m > 1 ? b[0] / denom : 0.0;
    y[0]                      = beta0 / denom;
    for (size_t i = 1; i < m; ++i) {
        denom = a[i] + s - b[i - 1] * c[i - 1];
        c[i]  = i + 1 < m ? b[i] / denom : 0.0;
        y[i]  = -b[i - 1] * y[i - 1] / denom;
    }
    for (size_t i = m - 1; i-- > 0;) {
        y[i] -= c[i] * y[i + 1];
    }
    return y;
}

template <typename Apply>
lanczos_result lanczos_multishift(Apply && apply, const std::vector<double> & rhs, const std::vector<double> & shifts,
                                  double tol, int max_iter, std::vector<std::vector<double>> & basis) {
    lanczos_result res;
    res.coords.assign(shifts.size(), {});
    res.converged.assign(shifts.size(), true);
    basis.clear();
    const double beta0 = std::sqrt(dot(rhs, rhs));
    if (rhs.empty() || beta0 == 0.0) {
        return res;
    }
    std::vector<double> v(rhs), w;
    for (double & x : v) {
        x /= beta0;
    }
    std::vector<double> alpha, beta;
    double              anorm = 0.0;
    for (int it = 0; it < max_iter; ++it) {
        basis.push_back(v);
        apply(v, w);
        ++res.iterations;
        const double a = dot(w, v);
        alpha.push_back(a);
        anorm = std::max(anorm, std::fabs(a));
        // Full reorthogonalisation (modified Gram-Schmidt, twice over is not needed here).
        for (size_t i = 0; i < basis.size(); ++i) {
            const double h = dot(w, basis[i]);
            for (size_t c = 0; c < w.size(); ++c) {
                w[c] -= h * basis[i][c];
            }
        }
        const double b    = std::sqrt(dot(w, w));
        bool         done = true;
        for (size_t s = 0; s < shifts.size(); ++s) {
            res.coords[s]      = solve_tridiagonal(alpha, beta, shifts[s], beta0);
            const double resid = b * std::fabs(res.coords[s].back());
            res.converged[s]   = resid <= tol * beta0;
            done &= res.converged[s];
        }
        const bool breakdown = b <= 1e-13 * std::max(anorm, 1e-300);
        if (breakdown) {
            res.converged.assign(shifts.size(), true);
        }
        if (done || breakdown || basis.size() >= w.size()) {
            break;
        }
        beta.push_back(b);
        for (size_t c = 0; c < w.size(); ++c) {
            v[c] = w[c] / b;
        }
    }
    return res;
}

//-----------------------------------------------------------------------------
// [SECTION] Argument checks and scoring helpers
//-----------------------------------------------------------------------------

void check_support(const std::vector<feature_set> & support, int n) {
    if (support.empty()) {
        throw spex_error("fit_ridge_fourier: the support is empty; give at least one set (e.g. the empty set)");
    }
    if (support.size() > ridge_max_parameters) {
        throw spex_error("fit_ridge_fourier: the support has " + with_commas(support.size()) +
                         " parameters, above the limit of " + with_commas(ridge_max_parameters) +
                         "; use a lower order or a smaller support");
    }
    for (size_t s = 0; s < support.size(); ++s) {
        const feature_set & k = support[s];
        for (size_t i = 0; i < k.size(); ++i) {
            if (k[i] < 0 || k[i] >= n) {
                throw spex_error("fit_ridge_fourier: support set " + std::to_string(s) + " has index " +
                                 std::to_string(k[i]) + ", outside [0, " + std::to_string(n) +
                                 "); indices must name players of the masks");
            }
            if (i > 0 && k[i] <= k[i - 1]) {
                throw spex_error("fit_ridge_fourier: support set " + std::to_string(s) +
                                 " is not strictly increasing; list each set's indices sorted, without repeats");
            }
        }
    }
    std::vector<size_t> order(support.size());
    for (size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return support[a] < support[b] || (support[a] == support[b] && a < b); });
    for (size_t i = 1; i < order.size(); ++i) {
        if (support[order[i]] == support[order[i - 1]]) {
            throw spex_error("fit_ridge_fourier: support sets " + std::to_string(order[i - 1]) + " and " +
                             std::to_string(order[i]) + " are the same set; list each frequency once");
        }
    }
}

std::vector<double> checked_lambdas(const ridge_options & opt, size_t n_rows) {
    std::vector<double> grid = opt.lambdas.empty() ? ridge_default_lambdas(n_rows) : opt.lambdas;
    for (double l : grid) {
        if (!std::isfinite(l) || l < 0.0) {
            throw spex_error("fit_ridge_fourier: every lambda must be finite and >= 0 (got " + std::to_string(l) + ")");
        }
    }
    std::sort(grid.begin(), grid.end());
    grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    return grid;
}

// Index of the best R^2 (ties to the larger lambda); NaN entries are skipped. -1 if none.
int best_index(const std::vector<double> & r2) {
    int best = -1;
    for (size_t i = 0; i < r2.size(); ++i) {
        if (std::isnan(r2[i])) {
            continue;
        }
        if (best < 0 || r2[i] >= r2[static_cast<size_t>(best)]) {
            best = static_cast<int>(i);
        }
    }
    return best;
}

double r2_from(double sse, double sst) {
    if (sst > 0.0) {
        return 1.0 - sse / sst;
    }
    return sse <= 0.0 ? 1.0 : -std::numeric_limits<double>::infinity();
}

//-----------------------------------------------------------------------------
// [SECTION] The fit's pieces: checks, columns, the exact and the K-fold paths
//-----------------------------------------------------------------------------

// Fails unless every row is in range and listed once.
void check_rows(const std::vector<size_t> & rows, size_t count) {
    std::vector<bool> seen(count, false);
    for (size_t i = 0; i < rows.size(); ++i) {
        if (rows[i] >= count) {
            throw spex_error("fit_ridge_fourier: row " + std::to_string(rows[i]) + " (position " + std::to_string(i) +
                             ") is out of range; there are " + std::to_string(count) + " masks");
        }
        if (seen[rows[i]]) {
            throw spex_error("fit_ridge_fourier: row " + std::to_string(rows[i]) +
                             " is listed twice; list each row once so cross-validation stays honest");
        }
        seen[rows[i]] = true;
    }
}

// Fails on fewer than 2 rows, or a tolerance or iteration cap out of range.
void check_fit_options(const ridge_options & opt, size_t n_rows) {
    if (n_rows < 2) {
        throw spex_error("fit_ridge_fourier: needs at least 2 rows to fit and cross-validate; got " +
                         std::to_string(n_rows));
    }
    if (!(opt.tolerance > 0.0) || !std::isfinite(opt.tolerance) || !(opt.final_tolerance > 0.0) ||
        !std::isfinite(opt.final_tolerance) || opt.max_iterations < 1) {
        throw spex_error("fit_ridge_fourier: tolerance and final_tolerance must be finite and > 0, and max_iterations "
                         ">= 1");
    }
}

// The support's columns: the unpenalised constant split off (its position, or -1) from the
// penalised sets, which keep their positions in the support.
struct ridge_columns {
    int                              const_pos = -1;
    std::vector<const feature_set *> cols;
    std::vector<size_t>              col_pos;
};

// Splits off the unpenalised constant (unless opt.penalize_constant).
ridge_columns split_constant(const std::vector<feature_set> & support, const ridge_options & opt) {
    ridge_columns c;
    for (size_t s = 0; s < support.size(); ++s) {
        if (support[s].empty() && !opt.penalize_constant) {
            c.const_pos = static_cast<int>(s);
            continue;
        }
        c.cols.push_back(&support[s]);
        c.col_pos.push_back(s);
    }
    return c;
}

// SST over the scored rows (past the anchors) about their own mean.
double scored_sst(const fourier_design & d, int folds) {
    double ybar_scored = 0.0, sst = 0.0;
    size_t scored = 0;
    for (int k = 0; k < folds; ++k) {
        for (size_t r = d.fold_begin(k); r < d.fold_begin(k) + d.fold_count(k); ++r) {
            ybar_scored += d.y()[r];
            ++scored;
        }
    }
    ybar_scored /= static_cast<double>(scored);
    for (int k = 0; k < folds; ++k) {
        for (size_t r = d.fold_begin(k); r < d.fold_begin(k) + d.fold_count(k); ++r) {
            sst += (d.y()[r] - ybar_scored) * (d.y()[r] - ybar_scored);
        }
    }
    return sst;
}

// What both fit paths share: the design, the penalty grid, the options and the constant.
struct ridge_problem {
    const fourier_design &      d;
    const std::vector<double> & grid;
    const ridge_options &       opt;
    bool                        intercept;
    size_t                      p;       // penalised columns
    size_t                      n_rows;  // real rows
    double                      sst;     // of the scored rows

    // Offsets of the rows outside fold `skip`: their bit fractions (centred), or 1/2 (plain).
    std::vector<double> offsets_for(int skip) const {
        return intercept ? d.bit_fractions(skip) : std::vector<double>(p, 0.5);
    }

    // Responses of the rows outside fold `skip`, centred on their mean (0 without an intercept).
    std::vector<double> centred_y(int skip, double & mean) const {
        mean = 0.0;
        if (intercept) {
            d.for_train_rows(skip, [&](size_t r) { mean += d.y()[r]; });
            mean /= static_cast<double>(d.train_count(skip));
        }
        std::vector<double> yc(d.padded_rows(), 0.0);
        d.for_train_rows(skip, [&](size_t r) { yc[r] = d.y()[r] - mean; });
        return yc;
    }
};

// The centred Gram's eigenvalues, clipped at 0, and their largest.
struct spectrum {
    std::vector<double> eval;
    double              dmax = 0.0;

    // 1 / (d_j + lambda), or 0 on the numerical null space (pseudo-inverse at lambda = 0).
    double inv(size_t j, double lambda) const {
        const double den = eval[j] + lambda;
        return den > 1e-12 * std::max(dmax, 1.0) ? 1.0 / den : 0.0;
    }
};

// GCV's R^2 per lambda, from Q^T b alone (factored form, O(P) per lambda).
void gcv_path(const ridge_problem & pr, const spectrum & sp, const std::vector<double> & c, double yy,
              std::vector<double> & path) {
    const double n_d = static_cast<double>(pr.n_rows);
    for (size_t l = 0; l < pr.grid.size(); ++l) {
        double trace = pr.intercept ? 1.0 : 0.0, fitted = 0.0;
        for (size_t j = 0; j < pr.p; ++j) {
            const double g = sp.inv(j, pr.grid[l]);
            trace += sp.eval[j] * g;
            fitted += c[j] * c[j] * (sp.eval[j] + 2.0 * pr.grid[l]) * g * g;
        }
        const double sse    = std::max(yy - fitted, 0.0);
        const double factor = 1.0 - trace / n_d;
        path[l] = factor > 1e-12 ? r2_from(sse / (factor * factor), pr.sst) : -std::numeric_limits<double>::infinity();
    }
}

// W = X~ Q over the real rows (all in fold 0 of the single-fold layout), row-major N x P, each
// entry a fixed-order dot of a design row with an eigenvector.
std::vector<double> loo_projections(const ridge_problem & pr, const symmetric_eigen & es,
                                    const std::vector<double> & o_all) {
    const size_t        p = pr.p;
    std::vector<double> x(p, 0.0), w(pr.n_rows * p, 0.0);
    for (size_t r = 0; r < pr.n_rows; ++r) {
        for (size_t i = 0; i < p; ++i) {
            const double chi = pr.d.bit(r, i) ? -1.0 : 1.0;
            x[i]             = chi - (1.0 - 2.0 * o_all[i]) * (pr.intercept ? 1.0 : 0.0);
        }
        // Four eigenvectors at a time (independent sums, each still over i in order).
        const double * qt = es.vectors_transposed().data();
        size_t         j  = 0;
        for (; j + 4 <= p; j += 4) {
            const double *q0 = qt + j * p, *q1 = q0 + p, *q2 = q1 + p, *q3 = q2 + p;
            double        s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
            for (size_t i = 0; i < p; ++i) {
                s0 += x[i] * q0[i];
                s1 += x[i] * q1[i];
                s2 += x[i] * q2[i];
                s3 += x[i] * q3[i];
            }
            w[r * p + j]     = s0;
            w[r * p + j + 1] = s1;
            w[r * p + j + 2] = s2;
            w[r * p + j + 3] = s3;
        }
        for (; j < p; ++j) {
            const double * q = qt + j * p;
            double         s = 0.0;
            for (size_t i = 0; i < p; ++i) {
                s += x[i] * q[i];
            }
            w[r * p + j] = s;
        }
    }
    return w;
}

// Exact leave-one-out's R^2 per lambda (PRESS from the fits and leverages through W).
void loo_path(const ridge_problem & pr, const spectrum & sp, const std::vector<double> & c,
              const std::vector<double> & w, const std::vector<double> & yc, std::vector<double> & path) {
    const double n_d = static_cast<double>(pr.n_rows);
    for (size_t l = 0; l < pr.grid.size(); ++l) {
        double press = 0.0;
        bool   ok    = true;
        for (size_t r = 0; r < pr.n_rows; ++r) {
            double         fit = 0.0, h = pr.intercept ? 1.0 / n_d : 0.0;
            const double * wr = &w[r * pr.p];
            for (size_t j = 0; j < pr.p; ++j) {
                const double g = sp.inv(j, pr.grid[l]);
                fit += wr[j] * c[j] * g;
                h += wr[j] * wr[j] * g;
            }
            if (1.0 - h <= 1e-10) {
                ok = false;
                break;
            }
            const double e = (yc[r] - fit) / (1.0 - h);
            press += e * e;
        }
        path[l] = ok ? r2_from(press, pr.sst) : -std::numeric_limits<double>::infinity();
    }
}

// The centred Gram X~^T X~ over every row, row-major P x P.
std::vector<double> centred_gram(const ridge_problem & pr, const std::vector<double> & o_all) {
    const size_t        p = pr.p;
    std::vector<double> a = pr.d.gram(pr.n_rows);
    if (pr.intercept) {
        const double n_d = static_cast<double>(pr.n_rows);
        for (size_t i = 0; i < p; ++i) {
            const double mi = n_d * (1.0 - 2.0 * o_all[i]);
            for (size_t j = 0; j < p; ++j) {
                a[i * p + j] -= mi * (1.0 - 2.0 * o_all[j]);
            }
        }
    }
    return a;
}

// The exact path (small supports): scores the grid by GCV or exact LOO, fills rep and returns
// the coefficients at the best lambda; mean_all gets the responses' mean.
std::vector<double> fit_exact(const ridge_problem & pr, const std::vector<double> & o_all, double & mean_all,
                              ridge_report & rep) {
    const int                 all = pr.d.folds();  // skip no segment: every row
    const normal_operator     op(pr.d, all, o_all);
    const std::vector<double> yc = pr.centred_y(all, mean_all);
    std::vector<double>       b;
    op.transpose_times(yc, b);
    // The centred Gram, eigendecomposed by our own fixed-order Householder + QL solver
    // (symmetric_eigen.h), so the result is bit-identical natively and in WebAssembly.
    // GCV needs only Q^T b and Q c (factored form, O(P^2) each); LOO needs Q itself.
    const symmetric_eigen es(centred_gram(pr, o_all), pr.p, pr.opt.exact_loo);
    spectrum              sp;
    sp.eval.assign(pr.p, 0.0);
    for (size_t j = 0; j < pr.p; ++j) {
        sp.eval[j] = std::max(es.values()[j], 0.0);
        sp.dmax    = std::max(sp.dmax, sp.eval[j]);
    }
    const std::vector<double> c = es.apply_qt(b);
    if (!pr.opt.exact_loo) {
        rep.selection = "gcv";
        rep.folds     = 0;
        gcv_path(pr, sp, c, dot(yc, yc), rep.cv_r2_path);
    } else {
        rep.selection = "loo";
        rep.folds     = static_cast<int>(pr.n_rows);
        loo_path(pr, sp, c, loo_projections(pr, es, o_all), yc, rep.cv_r2_path);
    }
    const int best = best_index(rep.cv_r2_path);
    rep.lambda     = pr.grid[static_cast<size_t>(best)];
    rep.cv_r2      = rep.cv_r2_path[static_cast<size_t>(best)];
    std::vector<double> shrunk(pr.p, 0.0);
    for (size_t j = 0; j < pr.p; ++j) {
        shrunk[j] = c[j] * sp.inv(j, rep.lambda);
    }
    return es.apply_q(shrunk);
}

// K-fold CV of the whole grid by multi-shift Lanczos: sets rep.cv_r2_path (NaN where a fold
// did not converge), rep.cg_iterations, and returns each lambda's sum of squared errors.
std::vector<double> kfold_scores(const ridge_problem & pr, int folds, ridge_report & rep,
                                 std::vector<std::vector<double>> & basis, std::vector<double> & z) {
    const std::vector<double> &      grid = pr.grid;
    std::vector<double>              sse(grid.size(), 0.0);
    std::vector<bool>                ok(grid.size(), true);
    std::vector<std::vector<double>> z_fold;
    for (int k = 0; k < folds; ++k) {
        const normal_operator     op(pr.d, k, pr.offsets_for(k));
        double                    mean = 0.0;
        const std::vector<double> yc   = pr.centred_y(k, mean);
        std::vector<double>       b;
        op.transpose_times(yc, b);
        const size_t first = pr.d.fold_begin(k), cnt = pr.d.fold_count(k);
        z_fold.clear();
        auto apply = [&](const std::vector<double> & v, std::vector<double> & w) {
            op.apply(v, w, z);
            z_fold.emplace_back(z.begin() + static_cast<std::ptrdiff_t>(first),
                                z.begin() + static_cast<std::ptrdiff_t>(first + cnt));
        };
        const int            cap = static_cast<int>(std::min<size_t>(static_cast<size_t>(pr.opt.max_iterations), pr.p));
        const lanczos_result lr  = lanczos_multishift(apply, b, grid, pr.opt.tolerance, cap, basis);
        rep.cg_iterations += lr.iterations;
        for (size_t l = 0; l < grid.size(); ++l) {
            ok[l]                         = ok[l] && lr.converged[l];
            const std::vector<double> & y = lr.coords[l];
            for (size_t i = 0; i < cnt; ++i) {
                double pred = mean;
                for (size_t j = 0; j < y.size(); ++j) {
                    pred += y[j] * z_fold[j][i];
                }
                const double e = pr.d.y()[first + i] - pred;
                sse[l] += e * e;
            }
        }
    }
    for (size_t l = 0; l < grid.size(); ++l) {
        if (ok[l]) {
            rep.cv_r2_path[l] = r2_from(sse[l], pr.sst);
        }
    }
    return sse;
}

// The K-fold path (large supports): scores the grid, fills rep and returns the coefficients
// fitted on every row at the best lambda; mean_all gets the responses' mean.
std::vector<double> fit_kfold(const ridge_problem & pr, int folds, const std::vector<double> & o_all, double & mean_all,
                              ridge_report & rep) {
    rep.selection = "kfold";
    rep.folds     = folds;
    std::vector<std::vector<double>> basis;
    std::vector<double>              z;
    const std::vector<double>        sse  = kfold_scores(pr, folds, rep, basis, z);
    int                              best = best_index(rep.cv_r2_path);
    if (best < 0) {
        // No grid value converged in every fold: take the largest (best conditioned).
        best          = static_cast<int>(pr.grid.size()) - 1;
        rep.converged = false;
        rep.cv_r2     = r2_from(sse[static_cast<size_t>(best)], pr.sst);
    } else {
        rep.cv_r2 = rep.cv_r2_path[static_cast<size_t>(best)];
    }
    rep.lambda = pr.grid[static_cast<size_t>(best)];

    const int                 all = pr.d.folds();  // skip no segment: every row
    const normal_operator     op(pr.d, all, o_all);
    const std::vector<double> yc = pr.centred_y(all, mean_all);
    std::vector<double>       b;
    op.transpose_times(yc, b);
    auto                 apply = [&](const std::vector<double> & v, std::vector<double> & w) { op.apply(v, w, z); };
    const int            cap   = static_cast<int>(std::min<size_t>(static_cast<size_t>(pr.opt.max_iterations), pr.p));
    const lanczos_result lr    = lanczos_multishift(apply, b, {rep.lambda}, pr.opt.final_tolerance, cap, basis);
    rep.cg_iterations += lr.iterations;
    rep.converged                 = rep.converged && lr.converged[0];
    const std::vector<double> & y = lr.coords[0];
    std::vector<double>         beta(pr.p, 0.0);
    for (size_t j = 0; j < y.size(); ++j) {
        for (size_t i = 0; i < pr.p; ++i) {
            beta[i] += y[j] * basis[j][i];
        }
    }
    return beta;
}

// The surrogate: beta on the penalised columns and, with an intercept, the constant
// ybar - m^T beta with m = 1 - 2 o (the mean of X~ beta's uncentred part).
sparse_fourier assemble(int n, const std::vector<feature_set> & support, const ridge_columns & cols,
                        const std::vector<double> & beta, const std::vector<double> & o_all, double mean_all) {
    sparse_fourier out;
    out.n = n;
    out.terms.resize(support.size());
    for (size_t s = 0; s < support.size(); ++s) {
        out.terms[s].set = support[s];
    }
    double shift = 0.0;
    for (size_t i = 0; i < cols.cols.size(); ++i) {
        out.terms[cols.col_pos[i]].coef = beta[i];
        shift += (1.0 - 2.0 * o_all[i]) * beta[i];
    }
    if (cols.const_pos >= 0) {
        out.terms[static_cast<size_t>(cols.const_pos)].coef = mean_all - shift;
    }
    return out;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Public API: default penalties, supports, fits
//-----------------------------------------------------------------------------

std::vector<double> ridge_default_lambdas(size_t rows) {
    // Literal powers of ten (no std::pow, whose last bit may differ between C libraries, so
    // native and WebAssembly choose from the same grid); 1e-8 and 1e-6 let a noiseless function
    // be fitted all but exactly.
    static const double powers[] = {1e-8, 1e-6,
                                    1e-4, 3.1622776601683794e-4,
                                    1e-3, 3.1622776601683794e-3,
                                    1e-2, 3.1622776601683794e-2,
                                    1e-1, 3.1622776601683794e-1,
                                    1.0,  3.1622776601683795,
                                    10.0};
    std::vector<double> grid;
    for (double p : powers) {
        grid.push_back(static_cast<double>(rows) * p);
    }
    return grid;
}

std::vector<feature_set> all_sets_up_to_order(int n, int order) {
    if (n < 0 || order < 0) {
        throw spex_error("all_sets_up_to_order: n and order must be >= 0 (got n = " + std::to_string(n) +
                         ", order = " + std::to_string(order) + ")");
    }
    const size_t count = faith_banzhaf_parameter_count(n, order);
    if (count > ridge_max_parameters) {
        throw spex_error("all_sets_up_to_order: degree <= " + std::to_string(order) + " at n = " + std::to_string(n) +
                         " has " + (count == SIZE_MAX ? std::string("too many") : with_commas(count)) +
                         " sets, above the limit of " + with_commas(ridge_max_parameters) +
                         "; use a lower order or fewer features");
    }
    std::vector<feature_set> out;
    out.reserve(count);
    for (int q = 0; q <= std::min(order, n); ++q) {
        feature_set s(static_cast<size_t>(q));
        for (int i = 0; i < q; ++i) {
            s[static_cast<size_t>(i)] = i;
        }
        while (true) {
            out.push_back(s);
            int i = q - 1;
            while (i >= 0 && s[static_cast<size_t>(i)] == n - q + i) {
                --i;
            }
            if (i < 0) {
                break;
            }
            ++s[static_cast<size_t>(i)];
            for (int j = i + 1; j < q; ++j) {
                s[static_cast<size_t>(j)] = s[static_cast<size_t>(j) - 1] + 1;
            }
        }
    }
    return out;
}

sparse_fourier fit_ridge_fourier(const mask_matrix & masks, const std::vector<double> & values,
                                 const std::vector<feature_set> & support, const ridge_options & opt,
                                 ridge_report * report) {
    std::vector<size_t> rows(masks.count);
    for (size_t i = 0; i < rows.size(); ++i) {
        rows[i] = i;
    }
    return fit_ridge_fourier_rows(masks, values, rows, support, opt, report);
}

sparse_fourier fit_ridge_fourier_rows(const mask_matrix & masks, const std::vector<double> & values,
                                      const std::vector<size_t> & rows, const std::vector<feature_set> & support,
                                      const ridge_options & opt, ridge_report * report) {
    check_masks_and_values(masks, values, "fit_ridge_fourier");
    check_support(support, masks.n);
    check_rows(rows, masks.count);
    const size_t n_rows = rows.size();
    check_fit_options(opt, n_rows);
    const std::vector<double> grid = checked_lambdas(opt, n_rows);
    if (grid.empty()) {
        throw spex_error("fit_ridge_fourier: the lambda grid is empty");
    }

    const ridge_columns cols      = split_constant(support, opt);
    const bool          intercept = cols.const_pos >= 0;
    const size_t        p         = cols.cols.size();
    const bool          exact     = p <= opt.exact_max_parameters;
    const int           folds     = exact ? 1 : opt.folds;
    // The exact path's GCV / LOO score every row; anchors matter to K-fold only.
    const size_t anchors = exact ? 0 : std::min(opt.anchors, n_rows);
    if (!exact && (opt.folds < 2 || static_cast<size_t>(opt.folds) > n_rows - anchors)) {
        throw spex_error("fit_ridge_fourier: folds = " + std::to_string(opt.folds) + " must be in [2, " +
                         std::to_string(n_rows - anchors) + "] (the number of rows past the anchors)");
    }

    const fourier_design d(masks, values, rows, cols.cols, folds, anchors);
    const ridge_problem  pr{d, grid, opt, intercept, p, n_rows, scored_sst(d, folds)};

    ridge_report rep;
    rep.cv_defined = pr.sst > 0.0;
    rep.lambdas    = grid;
    rep.parameters = support.size();
    rep.rows       = n_rows;
    rep.cv_r2_path.assign(grid.size(), std::numeric_limits<double>::quiet_NaN());

    double                    mean_all = 0.0;
    const std::vector<double> o_all    = pr.offsets_for(d.folds());  // every row
    const std::vector<double> beta =
        exact ? fit_exact(pr, o_all, mean_all, rep) : fit_kfold(pr, folds, o_all, mean_all, rep);
    if (report) {
        *report = rep;
    }
    return assemble(masks.n, support, cols, beta, o_all, mean_all);
}

}  // namespace spex
