#include "faith_banzhaf.h"

#include "mask_design.h"
#include "spex/spex_error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace spex {

namespace {

// The Fourier design of degree <= order: columns ∅, {i}, {i,j}, {i,j,k} as in the header.
// Degree 1 is the sign matrix of mask_design itself; degree 2 and 3 expand the masks to ±1 rows in chunks, so memory
// stays O(chunk * n + n^2) and degree 2 runs as matrix products.
class fourier_operator : public linear_operator {
  public:
    fourier_operator(const mask_matrix & masks, const mask_design & x, int order, size_t params)
        : masks_(masks), x_(x), order_(order), n_(masks.n), params_(params) {}

    Eigen::Index rows() const override { return static_cast<Eigen::Index>(masks_.count); }
    Eigen::Index cols() const override { return static_cast<Eigen::Index>(params_); }

    void apply(const Eigen::VectorXd & z, Eigen::VectorXd & out) const override {
        x_.multiply(z.segment(1, n_), out);
        out.array() += z[0];
        if (order_ < 2) {
            return;
        }
        Eigen::MatrixXd upper = Eigen::MatrixXd::Zero(n_, n_);  // upper(i, j) = F({i, j}), i < j
        Eigen::Index    idx   = 1 + n_;
        for (int i = 0; i < n_; ++i) {
            for (int j = i + 1; j < n_; ++j) {
                upper(i, j) = z[idx++];
            }
        }
        for_each_chunk([&](size_t first, const Eigen::MatrixXd & s) {
            const Eigen::MatrixXd su = s * upper.triangularView<Eigen::StrictlyUpper>();
            out.segment(static_cast<Eigen::Index>(first), s.rows()) += su.cwiseProduct(s).rowwise().sum();
            if (order_ >= 3) {
                for (Eigen::Index r = 0; r < s.rows(); ++r) {
                    out[static_cast<Eigen::Index>(first) + r] += cubic_value(s.row(r), z, idx);
                }
            }
        });
    }

    void apply_adjoint(const Eigen::VectorXd & r, Eigen::VectorXd & out) const override {
        out.setZero(static_cast<Eigen::Index>(params_));
        Eigen::VectorXd str;
        x_.multiply_transpose(r, str);
        out[0]             = r.sum();
        out.segment(1, n_) = str;
        if (order_ < 2) {
            return;
        }
        Eigen::MatrixXd    gram        = Eigen::MatrixXd::Zero(n_, n_);
        const Eigen::Index cubic_first = 1 + n_ + static_cast<Eigen::Index>(n_) * (n_ - 1) / 2;
        for_each_chunk([&](size_t first, const Eigen::MatrixXd & s) {
            const Eigen::VectorXd rc = r.segment(static_cast<Eigen::Index>(first), s.rows());
            // Only the strict upper triangle is read back, so only it is computed.
            gram.triangularView<Eigen::StrictlyUpper>() += s.transpose() * (rc.asDiagonal() * s);
            if (order_ >= 3) {
                for (Eigen::Index row = 0; row < s.rows(); ++row) {
                    cubic_adjoint(s.row(row), rc[row], out, cubic_first);
                }
            }
        });
        Eigen::Index idx = 1 + n_;
        for (int i = 0; i < n_; ++i) {
            for (int j = i + 1; j < n_; ++j) {
                out[idx++] = gram(i, j);
            }
        }
    }

  private:
    static constexpr size_t chunk_rows = 1024;

    // Calls fn(first_row, S) with S(r, i) = (-1)^{x_{first_row + r, i}} for consecutive row chunks.
    template <typename Fn> void for_each_chunk(Fn && fn) const {
        Eigen::MatrixXd s;
        for (size_t first = 0; first < masks_.count; first += chunk_rows) {
            const size_t m = std::min(chunk_rows, masks_.count - first);
            s.resize(static_cast<Eigen::Index>(m), n_);
            for (size_t r = 0; r < m; ++r) {
                const uint64_t * row = masks_.row(first + r);
                for (int i = 0; i < n_; ++i) {
                    s(static_cast<Eigen::Index>(r), i) = mask_keeps(row, i) ? -1.0 : 1.0;
                }
            }
            fn(first, s);
        }
    }

    // The k-loop of the triples {i,j,k} is a contiguous run of parameters against s[j+1..].
    double cubic_value(const Eigen::RowVectorXd & s, const Eigen::VectorXd & z, Eigen::Index idx) const {
        double sum = 0.0;
        for (int i = 0; i < n_; ++i) {
            for (int j = i + 1; j + 1 < n_; ++j) {
                const Eigen::Index len = n_ - j - 1;
                sum += s[i] * s[j] * s.tail(len).dot(z.segment(idx, len).transpose());
                idx += len;
            }
        }
        return sum;
    }

    void cubic_adjoint(const Eigen::RowVectorXd & s, double r, Eigen::VectorXd & out, Eigen::Index idx) const {
        for (int i = 0; i < n_; ++i) {
            for (int j = i + 1; j + 1 < n_; ++j) {
                const Eigen::Index len = n_ - j - 1;
                out.segment(idx, len) += (r * s[i] * s[j]) * s.tail(len).transpose();
                idx += len;
            }
        }
    }

    const mask_matrix & masks_;
    const mask_design & x_;
    int                 order_;
    int                 n_;
    size_t              params_;
};

}  // namespace

size_t faith_banzhaf_parameter_count(int n, int order) {
    if (n < 0 || order < 0) {
        return 0;
    }
    // Accumulate in double so the sum cannot wrap size_t (32 bits under WebAssembly);
    // it is exact below 2^53, which covers every count that can pass the parameter cap.
    double total = 0.0;
    double binom = 1.0;
    for (int q = 0; q <= order && q <= n; ++q) {
        if (q > 0) {
            binom = binom * static_cast<double>(n - q + 1) / static_cast<double>(q);
        }
        total += binom;
        if (total >= static_cast<double>(SIZE_MAX)) {
            return SIZE_MAX;
        }
    }
    return static_cast<size_t>(std::llround(total));
}

sparse_fourier fit_faith_banzhaf(const mask_matrix & masks, const std::vector<double> & values, int order, double ridge,
                                 lsqr_report * report) {
    check_masks_and_values(masks, values, "fit_faith_banzhaf");
    if (order < 1 || order > 3) {
        throw spex_error("fit_faith_banzhaf: order " + std::to_string(order) + " is not supported; use 1, 2 or 3");
    }
    if (!(ridge >= 0.0) || !std::isfinite(ridge)) {
        throw spex_error("fit_faith_banzhaf: ridge must be finite and >= 0 (default 1e-8)");
    }
    const int         n      = masks.n;
    const size_t      params = faith_banzhaf_parameter_count(n, order);
    const std::string what   = "Faith-Banzhaf order " + std::to_string(order);
    if (params > faith_banzhaf_max_parameters) {
        throw spex_error(what + " at n = " + std::to_string(n) + " has " +
                         (params == SIZE_MAX ? std::string("too many") : with_commas(params)) +
                         " parameters, above the cap of " + with_commas(faith_banzhaf_max_parameters) +
                         " (each solver step costs queries x parameters); use a lower order or fewer features");
    }
    if (params > masks.count) {
        throw spex_error(what + " needs at least " + with_commas(params) + " queries for n = " + std::to_string(n) +
                         "; budget gives " + with_commas(masks.count) + ". Raise the budget or lower the order");
    }

    const mask_design                       x(masks);
    const fourier_operator                  op(masks, x, order, params);
    const Eigen::Map<const Eigen::VectorXd> y(values.data(), static_cast<Eigen::Index>(values.size()));
    lsqr_options                            solver;
    solver.damping    = ridge * static_cast<double>(masks.count);
    const double rows = static_cast<double>(masks.count);
    // Order 1: two table products (see kernel_shap.cpp); higher orders: ~4 N P flops a step.
    const double work =
        order == 1 ? 80.0 * rows * static_cast<double>(masks.words) : 4.0 * rows * static_cast<double>(params);
    solver.max_iterations      = lsqr_iteration_cap(work, static_cast<Eigen::Index>(params));
    const Eigen::VectorXd coef = solve_lsqr(op, y, solver, report);

    sparse_fourier out;
    out.n = n;
    out.terms.reserve(params);
    Eigen::Index idx = 0;
    out.terms.push_back({feature_set{}, coef[idx++]});
    for (int i = 0; i < n; ++i) {
        out.terms.push_back({feature_set{i}, coef[idx++]});
    }
    if (order >= 2) {
        for (int i = 0; i < n; ++i) {
            for (int j = i + 1; j < n; ++j) {
                out.terms.push_back({feature_set{i, j}, coef[idx++]});
            }
        }
    }
    if (order >= 3) {
        for (int i = 0; i < n; ++i) {
            for (int j = i + 1; j < n; ++j) {
                for (int k = j + 1; k < n; ++k) {
                    out.terms.push_back({feature_set{i, j, k}, coef[idx++]});
                }
            }
        }
    }
    return out;
}

}  // namespace spex
