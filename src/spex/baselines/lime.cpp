#include "lime.h"

#include "linear_surrogate.h"
#include "mask_design.h"
#include "spex/spex_error.h"

#include <cmath>
#include <string>

namespace spex {

namespace {

// sqrt(W) (X - 1 xbar^T), computed as -sqrt(W) (S - 1 sbar^T) / 2 with S = 1 - 2X and
// sbar = 1 - 2 xbar (see mask_design.h). Centring with the weighted means takes the
// intercept out of the regression exactly (it is then c0 = ybar - xbar . w), so only the
// slopes are penalised, as in sklearn's Ridge.
class lime_operator : public linear_operator {
  public:
    lime_operator(const mask_design & s, const Eigen::VectorXd & sqrt_w, const Eigen::VectorXd & sbar)
        : s_(s), sqrt_w_(sqrt_w), sbar_(sbar) {}

    Eigen::Index rows() const override { return static_cast<Eigen::Index>(s_.rows()); }
    Eigen::Index cols() const override { return s_.cols(); }

    void apply(const Eigen::VectorXd & z, Eigen::VectorXd & out) const override {
        s_.multiply(z, out);
        out.array() -= sbar_.dot(z);
        out.array() *= -0.5 * sqrt_w_.array();
    }

    void apply_adjoint(const Eigen::VectorXd & r, Eigen::VectorXd & out) const override {
        const Eigen::VectorXd wr = sqrt_w_.cwiseProduct(r);
        s_.multiply_transpose(wr, out);
        out -= wr.sum() * sbar_;
        out *= -0.5;
    }

  private:
    const mask_design &     s_;
    const Eigen::VectorXd & sqrt_w_;
    const Eigen::VectorXd & sbar_;
};

}  // namespace

double lime_weight(int kept, int n, double kernel_width) {
    const double d = 100.0 * (1.0 - std::sqrt(static_cast<double>(kept) / static_cast<double>(n)));
    return std::sqrt(std::exp(-(d * d) / (kernel_width * kernel_width)));
}

sparse_fourier fit_lime(const mask_matrix & masks, const std::vector<double> & values, const lime_options & opt,
                        lsqr_report * report) {
    check_masks_and_values(masks, values, "fit_lime");
    if (!(opt.kernel_width > 0.0) || !std::isfinite(opt.kernel_width)) {
        throw spex_error("fit_lime: kernel_width must be a positive number (LIME's default is 25)");
    }
    if (!(opt.ridge_alpha >= 0.0) || !std::isfinite(opt.ridge_alpha)) {
        throw spex_error("fit_lime: ridge_alpha must be finite and >= 0 (LIME's default is 1)");
    }
    const int    n = masks.n;
    const size_t N = masks.count;
    if (N < 1) {
        throw spex_error("fit_lime: no masks to fit; LIME needs at least the instance itself");
    }
    if (opt.ridge_alpha == 0.0 && N < static_cast<size_t>(n) + 1) {
        throw spex_error("fit_lime: ridge_alpha = 0 leaves the " + std::to_string(n + 1) +
                         " coefficients undetermined with only " + std::to_string(N) +
                         " masks; use ridge_alpha > 0 or at least n + 1 masks");
    }

    const mask_design                       x(masks);
    const Eigen::Map<const Eigen::VectorXd> y(values.data(), static_cast<Eigen::Index>(N));

    // The weight depends on the mask only through its size: tabulate it once.
    std::vector<double> weight_of_size(static_cast<size_t>(n) + 1);
    for (int k = 0; k <= n; ++k) {
        weight_of_size[k] = lime_weight(k, n, opt.kernel_width);
    }
    Eigen::VectorXd w(static_cast<Eigen::Index>(N));
    for (size_t r = 0; r < N; ++r) {
        w[static_cast<Eigen::Index>(r)] = weight_of_size[x.kept(r)];
    }
    const double w_sum = w.sum();
    if (!(w_sum > 0.0)) {
        throw spex_error(
            "fit_lime: every LIME weight underflows to 0 at kernel_width = " + std::to_string(opt.kernel_width) +
            "; increase kernel_width or include the instance (all-kept mask)");
    }

    Eigen::VectorXd sbar;
    x.multiply_transpose(w, sbar);
    sbar /= w_sum;
    const Eigen::VectorXd xbar   = (0.5 * (1.0 - sbar.array())).matrix();
    const double          ybar   = w.dot(y) / w_sum;
    const Eigen::VectorXd sqrt_w = w.cwiseSqrt();
    const Eigen::VectorXd b      = sqrt_w.cwiseProduct((y.array() - ybar).matrix());

    const lime_operator op(x, sqrt_w, sbar);
    lsqr_options        solver;
    solver.damping        = opt.ridge_alpha;
    solver.max_iterations = lsqr_iteration_cap(80.0 * static_cast<double>(N) * static_cast<double>(masks.words), n);
    const Eigen::VectorXd slope = solve_lsqr(op, b, solver, report);
    const double          c0    = ybar - xbar.dot(slope);

    return linear_to_fourier(c0, slope);
}

}  // namespace spex
