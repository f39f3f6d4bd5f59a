// symmetric_eigen: Householder tridiagonalisation + implicit QL with Wilkinson shifts, in
// plain scalar loops of fixed order (see symmetric_eigen.h for the method).
//
// Index
//   [SECTION] overflow-safe hypotenuse
//   [SECTION] Householder tridiagonalisation
//   [SECTION] rotations of Q's rows
//   [SECTION] the decomposition: accumulate Q, implicit QL, sort
//   [SECTION] applying Q^T and Q
#include "symmetric_eigen.h"

#include "spex/spex_error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace spex {

// [SECTION] overflow-safe hypotenuse

namespace {

// sqrt(a^2 + b^2) without overflow or destructive underflow, from +, -, *, / and sqrt only
// (std::hypot may differ between C libraries).
double pythag(double a, double b) {
    const double x = std::fabs(a), y = std::fabs(b);
    if (x > y) {
        const double t = y / x;
        return x * std::sqrt(1.0 + t * t);
    }
    if (y == 0.0) {
        return 0.0;
    }
    const double t = x / y;
    return y * std::sqrt(1.0 + t * t);
}

// [SECTION] Householder tridiagonalisation

// Reduces the symmetric matrix (lower triangle of row-major a) to tridiagonal form
// H^T A H = tridiag(d, e) (e[i] couples i and i + 1; e[n-1] = 0). On return column k of a
// below the diagonal holds the (scaled) reflector u_k and h[k] its h (0: H_k = I).
void tridiagonalise(std::vector<double> & a, size_t n, std::vector<double> & d, std::vector<double> & e,
                    std::vector<double> & h) {
    d.assign(n, 0.0);
    e.assign(n, 0.0);
    h.assign(n, 0.0);
    std::vector<double> u(n, 0.0), p(n, 0.0);
    for (size_t k = 0; k + 2 < n; ++k) {
        const size_t first = k + 1;
        d[k]               = a[k * n + k];
        double scale       = 0.0;
        for (size_t i = first; i < n; ++i) {
            scale = std::max(scale, std::fabs(a[i * n + k]));
        }
        if (scale == 0.0) {
            e[k] = 0.0;
            continue;
        }
        for (size_t i = first; i < n; ++i) {
            u[i] = a[i * n + k] / scale;
        }
        double tail = 0.0;
        for (size_t i = first + 1; i < n; ++i) {
            tail += u[i] * u[i];
        }
        if (tail == 0.0) {  // already tridiagonal in this column
            e[k] = a[first * n + k];
            continue;
        }
        const double x0    = u[first];
        const double sigma = x0 * x0 + tail;
        const double norm  = std::sqrt(sigma);
        const double alpha = x0 >= 0.0 ? -norm : norm;
        const double hk    = sigma - alpha * x0;  // = alpha (alpha - x0) > 0
        u[first]           = x0 - alpha;
        e[k]               = alpha * scale;
        h[k]               = hk;
        // p = A22 u / h from the lower triangle: row i contributes its dot with u (j < i)
        // to p_i and, by symmetry, a_ij u_i to every p_j.
        for (size_t i = first; i < n; ++i) {
            p[i] = 0.0;
        }
        for (size_t i = first; i < n; ++i) {
            const double * row = &a[i * n];
            const double   ui  = u[i];
            double         s   = 0.0;
            for (size_t j = first; j < i; ++j) {
                s += row[j] * u[j];
                p[j] += row[j] * ui;
            }
            p[i] += s + row[i] * ui;
        }
        double up = 0.0;
        for (size_t i = first; i < n; ++i) {
            p[i] /= hk;
            up += u[i] * p[i];
        }
        const double kk = up / (2.0 * hk);
        for (size_t i = first; i < n; ++i) {
            p[i] -= kk * u[i];  // now q
        }
        for (size_t i = first; i < n; ++i) {
            double *     row = &a[i * n];
            const double ui = u[i], qi = p[i];
            for (size_t j = first; j <= i; ++j) {
                row[j] -= ui * p[j] + qi * u[j];
            }
        }
        for (size_t i = first; i < n; ++i) {
            a[i * n + k] = u[i];
        }
    }
    if (n >= 2) {
        d[n - 2] = a[(n - 2) * n + (n - 2)];
        e[n - 2] = a[(n - 1) * n + (n - 2)];
    }
    if (n >= 1) {
        d[n - 1] = a[(n - 1) * n + (n - 1)];
    }
}

// [SECTION] rotations of Q's rows

// Rotates rows x (= Q column i) and y (= column i + 1): x' = c x - s y, y' = s x + c y.
// Written two elements at a time so the compiler can use 2-wide vectors at -O2 (each
// element's operations are the same either way, so the result does not depend on it).
void rotate_rows(double * __restrict x, double * __restrict y, size_t n, double c, double s) {
    size_t k = 0;
    for (; k + 2 <= n; k += 2) {
        const double x0 = x[k], x1 = x[k + 1], y0 = y[k], y1 = y[k + 1];
        x[k]     = c * x0 - s * y0;
        x[k + 1] = c * x1 - s * y1;
        y[k]     = s * x0 + c * y0;
        y[k + 1] = s * x1 + c * y1;
    }
    for (; k < n; ++k) {
        const double x0 = x[k], y0 = y[k];
        x[k] = c * x0 - s * y0;
        y[k] = s * x0 + c * y0;
    }
}

}  // namespace

// [SECTION] the decomposition: accumulate Q, implicit QL, sort

namespace {

// Q's rows while QL runs (row t = column t of Q): Z = H_0 H_1 ... H_{n-3} from the reflectors
// u_k stored below the diagonal of a (scales h), accumulated backwards (Z stays I outside its
// trailing block), then transposed in place so rows become eigenvector slots.
void accumulate_q(const std::vector<double> & a, size_t n, const std::vector<double> & h, std::vector<double> & z) {
    z.assign(n * n, 0.0);
    for (size_t i = 0; i < n; ++i) {
        z[i * n + i] = 1.0;
    }
    std::vector<double> w(n, 0.0);
    for (size_t k = n >= 3 ? n - 2 : 0; k-- > 0;) {
        if (h[k] == 0.0) {
            continue;
        }
        const size_t first = k + 1;
        for (size_t j = first; j < n; ++j) {
            w[j] = 0.0;
        }
        for (size_t i = first; i < n; ++i) {
            const double   ui  = a[i * n + k];
            const double * row = &z[i * n];
            for (size_t j = first; j < n; ++j) {
                w[j] += ui * row[j];
            }
        }
        for (size_t i = first; i < n; ++i) {
            const double f   = a[i * n + k] / h[k];
            double *     row = &z[i * n];
            for (size_t j = first; j < n; ++j) {
                row[j] -= f * w[j];
            }
        }
    }
    for (size_t i = 0; i < n; ++i) {  // transpose in place: rows become eigenvector slots
        for (size_t j = i + 1; j < n; ++j) {
            std::swap(z[i * n + j], z[j * n + i]);
        }
    }
}

// Implicit QL with Wilkinson shifts on the tridiagonal (diagonal d, off-diagonal e), calling
// rotate(i, c, s) for each plane rotation of rows i and i + 1; d ends holding the eigenvalues.
template <class Rotate> void implicit_ql(std::vector<double> & d, std::vector<double> & e, size_t n, Rotate && rotate) {
    for (size_t l = 0; l < n; ++l) {
        int iter = 0;
        while (true) {
            size_t m = l;
            for (; m + 1 < n; ++m) {
                const double dd = std::fabs(d[m]) + std::fabs(d[m + 1]);
                if (std::fabs(e[m]) + dd == dd) {
                    break;
                }
            }
            if (m == l) {
                break;
            }
            if (++iter > 60) {
                throw spex_error("symmetric_eigen: the QL iteration did not converge (is the matrix finite?)");
            }
            double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            double r = pythag(g, 1.0);
            g        = d[m] - d[l] + e[l] / (g + (g >= 0.0 ? r : -r));
            double s = 1.0, c = 1.0, p = 0.0;
            bool   cut = false;
            for (size_t i = m; i-- > l;) {
                const double f = s * e[i];
                const double b = c * e[i];
                r              = pythag(f, g);
                e[i + 1]       = r;
                if (r == 0.0) {  // underflow: split here and start over
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    cut  = true;
                    break;
                }
                s        = f / r;
                c        = g / r;
                g        = d[i + 1] - p;
                r        = (d[i] - g) * s + 2.0 * c * b;
                p        = s * r;
                d[i + 1] = g + p;
                g        = c * r - b;
                rotate(i, c, s);
            }
            if (cut) {
                continue;
            }
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
}

// The eigenvector rows of z in `order`, each signed so that its largest entry is positive.
std::vector<double> sorted_vectors(const std::vector<double> & z, const std::vector<size_t> & order, size_t n) {
    std::vector<double> sorted(n * n);
    for (size_t j = 0; j < n; ++j) {
        const double * src = &z[order[j] * n];
        size_t         big = 0;
        for (size_t i = 1; i < n; ++i) {
            if (std::fabs(src[i]) > std::fabs(src[big])) {
                big = i;
            }
        }
        const double sign = src[big] < 0.0 ? -1.0 : 1.0;
        for (size_t i = 0; i < n; ++i) {
            sorted[j * n + i] = sign * src[i];
        }
    }
    return sorted;
}

}  // namespace

symmetric_eigen::symmetric_eigen(std::vector<double> a, size_t n, bool want_vectors)
    : n_(n), has_vectors_(want_vectors) {
    if (a.size() != n * n) {
        throw spex_error("symmetric_eigen: the matrix has " + std::to_string(a.size()) + " entries, expected " +
                         std::to_string(n) + " x " + std::to_string(n));
    }
    std::vector<double> d, e;
    tridiagonalise(a, n, d, e, h_);

    std::vector<double> & z = qt_;  // Q^T while QL runs: row t = column t of Q
    if (want_vectors) {
        accumulate_q(a, n, h_, z);
        h_.clear();
    } else {
        reflectors_ = std::move(a);
    }

    // Implicit QL with Wilkinson shifts.
    auto rotate = [&](size_t i, double c, double s) {
        if (want_vectors) {
            rotate_rows(&z[i * n], &z[(i + 1) * n], n, c, s);
        } else {
            rotations_.push_back({i, c, s});
        }
    };
    implicit_ql(d, e, n, rotate);

    // Ascending order, ties by position.
    order_.resize(n);
    for (size_t i = 0; i < n; ++i) {
        order_[i] = i;
    }
    std::stable_sort(order_.begin(), order_.end(), [&](size_t x, size_t y) { return d[x] < d[y]; });
    w_.resize(n);
    for (size_t j = 0; j < n; ++j) {
        w_[j] = d[order_[j]];
    }
    if (want_vectors) {
        qt_ = sorted_vectors(z, order_, n);
    }
}

// [SECTION] applying Q^T and Q

std::vector<double> symmetric_eigen::apply_qt(const std::vector<double> & b) const {
    const size_t n = n_;
    if (b.size() != n) {
        throw spex_error("symmetric_eigen::apply_qt: the vector has " + std::to_string(b.size()) +
                         " entries, expected " + std::to_string(n));
    }
    std::vector<double> out(n, 0.0);
    if (has_vectors_) {
        for (size_t j = 0; j < n; ++j) {
            const double * q = &qt_[j * n];
            double         s = 0.0;
            for (size_t i = 0; i < n; ++i) {
                s += q[i] * b[i];
            }
            out[j] = s;
        }
        return out;
    }
    std::vector<double> y(b);
    for (size_t k = 0; k + 2 < n; ++k) {  // H^T b = H_{n-3} ... H_0 b
        if (h_[k] == 0.0) {
            continue;
        }
        double t = 0.0;
        for (size_t i = k + 1; i < n; ++i) {
            t += reflectors_[i * n + k] * y[i];
        }
        const double f = t / h_[k];
        for (size_t i = k + 1; i < n; ++i) {
            y[i] -= f * reflectors_[i * n + k];
        }
    }
    for (const rotation & g : rotations_) {  // R^T: the rotations' transposes, first one first
        const double y0 = y[g.i], y1 = y[g.i + 1];
        y[g.i]     = g.c * y0 - g.s * y1;
        y[g.i + 1] = g.s * y0 + g.c * y1;
    }
    for (size_t j = 0; j < n; ++j) {
        out[j] = y[order_[j]];
    }
    return out;
}

std::vector<double> symmetric_eigen::apply_q(const std::vector<double> & c) const {
    const size_t n = n_;
    if (c.size() != n) {
        throw spex_error("symmetric_eigen::apply_q: the vector has " + std::to_string(c.size()) +
                         " entries, expected " + std::to_string(n));
    }
    std::vector<double> y(n, 0.0);
    if (has_vectors_) {
        for (size_t j = 0; j < n; ++j) {
            const double * q  = &qt_[j * n];
            const double   cj = c[j];
            for (size_t i = 0; i < n; ++i) {
                y[i] += cj * q[i];
            }
        }
        return y;
    }
    for (size_t j = 0; j < n; ++j) {
        y[order_[j]] = c[j];
    }
    for (size_t r = rotations_.size(); r-- > 0;) {  // R = G_1 ... G_K: last one first
        const rotation & g  = rotations_[r];
        const double     y0 = y[g.i], y1 = y[g.i + 1];
        y[g.i]     = g.c * y0 + g.s * y1;
        y[g.i + 1] = g.c * y1 - g.s * y0;
    }
    for (size_t k = n >= 3 ? n - 2 : 0; k-- > 0;) {  // H = H_0 ... H_{n-3}: last one first
        if (h_[k] == 0.0) {
            continue;
        }
        double t = 0.0;
        for (size_t i = k + 1; i < n; ++i) {
            t += reflectors_[i * n + k] * y[i];
        }
        const double f = t / h_[k];
        for (size_t i = k + 1; i < n; ++i) {
            y[i] -= f * reflectors_[i * n + k];
        }
    }
    return y;
}

}  // namespace spex
