#include "kernel_shap.h"

#include "linear_surrogate.h"
#include "mask_design.h"
#include "spex/spex_error.h"

#include <cmath>

namespace spex {

namespace {

// The regression on the plane sum(z) = 0, in coordinates u in R^{n-1}: z = Q u, where the
// columns of Q are an orthonormal basis of the plane (the first n-1 columns of the
// Householder reflection H that swaps e_{n-1} and 1/sqrt(n)). A Q has full column rank
// where A P is singular along the ones direction, so rounding there (a projection leaves
// ~1e-16 of it) can never be amplified by the solver.
//
// The row map is diag(scale) X z; on the plane X z = -S z / 2 since X = (1 - S)/2 (no
// offset to cancel; see mask_design.h).
class plane_operator : public linear_operator {
  public:
    plane_operator(const mask_design & s, const Eigen::VectorXd & scale) : s_(s), scale_(scale), v_(s.cols()) {
        const int    n      = s.cols();
        const double inv_rt = 1.0 / std::sqrt(static_cast<double>(n));
        v_.setConstant(-inv_rt);
        v_[n - 1] += 1.0;
        v_sq_ = v_.squaredNorm();
    }

    Eigen::Index rows() const override { return static_cast<Eigen::Index>(s_.rows()); }
    Eigen::Index cols() const override { return s_.cols() - 1; }

    // z = Q u.
    Eigen::VectorXd to_plane(const Eigen::VectorXd & u) const {
        Eigen::VectorXd z(v_.size());
        z.head(u.size()) = u;
        z[u.size()]      = 0.0;
        z -= (2.0 * v_.dot(z) / v_sq_) * v_;
        return z;
    }

    void apply(const Eigen::VectorXd & u, Eigen::VectorXd & out) const override {
        s_.multiply(to_plane(u), out);
        out.array() *= -0.5 * scale_.array();
    }

    void apply_adjoint(const Eigen::VectorXd & r, Eigen::VectorXd & out) const override {
        Eigen::VectorXd t;
        s_.multiply_transpose(scale_.cwiseProduct(r), t);
        t *= -0.5;
        t -= (2.0 * v_.dot(t) / v_sq_) * v_;  // H t; Q^T t is its head
        out = t.head(t.size() - 1);
    }

  private:
    const mask_design &     s_;
    const Eigen::VectorXd & scale_;
    Eigen::VectorXd         v_;  // Householder vector e_{n-1} - 1/sqrt(n)
    double                  v_sq_ = 0.0;
};

bool is_complement(const uint64_t * a, const uint64_t * b, int n) {
    const size_t   words = mask_words(n);
    const uint64_t last  = (n & 63) == 0 ? ~uint64_t(0) : (uint64_t(1) << (n & 63)) - 1;
    for (size_t w = 0; w < words; ++w) {
        const uint64_t keep = w + 1 == words ? last : ~uint64_t(0);
        if ((a[w] ^ b[w]) != keep) {
            return false;
        }
    }
    return true;
}

}  // namespace

sparse_fourier fit_kernel_shap(const mask_matrix & masks, const std::vector<double> & values, lsqr_report * report) {
    check_masks_and_values(masks, values, "fit_kernel_shap");
    if (masks.count < 2 || !mask_is_empty(masks.row(0), masks.n) || !mask_is_full(masks.row(1), masks.n)) {
        throw spex_error("fit_kernel_shap: row 0 must be the empty mask and row 1 the full mask (the rows held "
                         "exact); draw the masks with sample_kernel_shap_masks");
    }
    const int    n     = masks.n;
    const double phi0  = values[0];
    const double total = values[1] - values[0];
    const double base  = total / n;

    // Regression rows: residual b_r - a_r.z with b_r = f(x_r) - phi0 - base |x_r| and
    // a_r = x_r P. A complementary pair (x, 1-x) has a_{1-x} = -a_x, so its two squared
    // residuals equal 2 ((b_x - b_{1-x})/2 - a_x.z)^2 plus a constant: one row scaled by
    // sqrt(2) carries the pair exactly and halves the work of every product.
    std::vector<size_t> row_ids;
    std::vector<double> targets;
    std::vector<double> scales;
    row_ids.reserve(masks.count);
    const auto residual_target = [&](size_t r, int kept) { return values[r] - phi0 - base * kept; };
    for (size_t r = 2; r < masks.count; ++r) {
        const int kept = static_cast<int>(mask_popcount(masks.row(r), n));
        if (r + 1 < masks.count && is_complement(masks.row(r), masks.row(r + 1), n)) {
            const double diff = 0.5 * (residual_target(r, kept) - residual_target(r + 1, n - kept));
            row_ids.push_back(r);
            targets.push_back(std::sqrt(2.0) * diff);
            scales.push_back(std::sqrt(2.0));
            ++r;
        } else {
            row_ids.push_back(r);
            targets.push_back(residual_target(r, kept));
            scales.push_back(1.0);
        }
    }

    Eigen::VectorXd phi = Eigen::VectorXd::Constant(n, base);
    if (n > 1 && !row_ids.empty()) {
        const mask_design                       x(masks, row_ids);
        const Eigen::Map<const Eigen::VectorXd> b(targets.data(), static_cast<Eigen::Index>(targets.size()));
        const Eigen::VectorXd                   scale =
            Eigen::Map<const Eigen::VectorXd>(scales.data(), static_cast<Eigen::Index>(scales.size()));
        const plane_operator op(x, scale);
        lsqr_options         solver;
        // Two products of rows * words * 8 table lookups each, counted at 5 flops a lookup.
        solver.max_iterations =
            lsqr_iteration_cap(80.0 * static_cast<double>(x.rows()) * static_cast<double>(masks.words), n - 1);
        Eigen::VectorXd z = op.to_plane(solve_lsqr(op, b, solver, report));
        z.array() -= z.mean();  // remove the rounding left along the ones direction
        phi += z;
    } else if (report != nullptr) {
        *report           = lsqr_report{};
        report->converged = true;  // nothing to solve: the constraints fix phi
    }

    return linear_to_fourier(phi0, phi);
}

}  // namespace spex
