// symmetric_eigen: eigendecomposition A = Q diag(w) Q^T of a real symmetric matrix that is
// bit-identical on every platform (native x86-64 and WebAssembly alike).
//
// Method (the classic two-phase scheme, written from the mathematics):
//  1. Householder tridiagonalisation. For k = 0 .. n-3 the reflector H_k = I - u u^T / h
//     (u = x - alpha e1, alpha = -sign(x_0) ||x||, h = alpha (alpha - x_0)) maps the part
//     x of column k below the diagonal onto alpha e1; the trailing block becomes
//     A' = A - u q^T - q u^T with p = A u / h, q = p - (u^T p / 2h) u. Only the lower
//     triangle is stored and updated (row-major, contiguous inner loops), so the phase costs
//     ~4/3 n^3 flops. Then H^T A H = T (tridiagonal) with H = H_0 H_1 ... H_{n-3}.
//  2. The implicit QL algorithm with Wilkinson shifts on T: each sweep chases the bulge
//     with Givens rotations from the bottom of the unreduced block to its top until the
//     top off-diagonal entry is negligible (|e_l| <= eps (|d_l| + |d_l+1|)), deflating one
//     eigenvalue at a time. T = R diag(w) R^T with R the product of the rotations, so Q = H R.
//  Eigenvalues are returned in ascending order (ties kept in the order QL produced them).
//
// Two output forms:
//  * vectors: Q is formed explicitly (reflectors accumulated backwards, then every
//    rotation applied to two contiguous rows of Q^T); each eigenvector's sign is fixed so
//    that its largest-magnitude component (first one on ties) is positive.
//  * factored: the reflectors and the rotations are kept, and Q^T b or Q c cost O(n^2)
//    each instead of the ~4.5 n^3 flops of accumulating Q.
//
// Determinism: only +, -, *, / and sqrt (plus fabs and comparisons), each reduction a plain
// loop in a fixed order, no Eigen kernels, no libm calls other than sqrt; with
// -ffp-contract=off every operation rounds the same under every compiler target.
#pragma once

#include <cstddef>
#include <vector>

namespace spex {

// The eigendecomposition of one real symmetric matrix (see the file comment).
class symmetric_eigen {
  public:
    // Decomposes the n x n symmetric matrix `a` (row-major; only the lower triangle, j <= i,
    // is read). want_vectors: form Q explicitly (vectors()); otherwise only the factored
    // form is kept (apply_qt / apply_q). Throws spex_error if a size is inconsistent or QL
    // fails to converge (more than 60 sweeps for one eigenvalue, e.g. on NaN input).
    symmetric_eigen(std::vector<double> a, size_t n, bool want_vectors);

    // Matrix order n.
    size_t size() const { return n_; }

    // The eigenvalues, ascending.
    const std::vector<double> & values() const { return w_; }

    // Whether Q was formed explicitly.
    bool has_vectors() const { return has_vectors_; }

    // Q^T row-major (row j = the eigenvector of values()[j]); empty unless has_vectors().
    const std::vector<double> & vectors_transposed() const { return qt_; }

    // Q[i][j]: component i of eigenvector j (needs has_vectors()).
    double vector(size_t i, size_t j) const { return qt_[j * n_ + i]; }

    // Q^T b (size n): the coordinates of b in the eigenvector basis, in values() order.
    std::vector<double> apply_qt(const std::vector<double> & b) const;

    // Q c (size n): the vector whose eigen-coordinates are c.
    std::vector<double> apply_q(const std::vector<double> & c) const;

  private:
    struct rotation {
        size_t i;     // acts on coordinates i and i + 1
        double c, s;  // cosine and sine
    };

    size_t                n_           = 0;
    bool                  has_vectors_ = false;
    std::vector<double>   w_;           // eigenvalues, ascending
    std::vector<size_t>   order_;       // w_[j] is QL's eigenvalue order_[j]
    std::vector<double>   qt_;          // explicit Q^T, row-major (vectors mode)
    std::vector<double>   reflectors_;  // factored mode: u_k in row k, entries k+1..n-1 (row-major n x n)
    std::vector<double>   h_;           // factored mode: h_k (0: no reflection)
    std::vector<rotation> rotations_;   // factored mode: QL rotations in the order applied
};

}  // namespace spex
