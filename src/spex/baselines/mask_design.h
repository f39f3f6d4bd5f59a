// mask_design: the sign matrix S[r][i] = (-1)^{x_ri} of a batch of masks (+1 where player i
// is dropped), as a matrix-free operator with fast products S v and S^T u. Every linear
// baseline design is S up to a column of ones and a factor: the 0/1 matrix is X = (1 - S)/2.
//
// Why signs rather than 0/1: products with X carry a large common offset (X^T u ~ sum(u)/2
// per column) that the fits' centring or projection then subtracts, losing digits, and
// the iterative solve stalls at that rounding floor. Entries of S are centred already.
//
// Why matrix-free: LIME and KernelSHAP regress on all n features, and at n = 4096 with 40k
// masks the dense Gram S^T S costs ~7e11 flops and its factorisation another ~2e10, i.e. a
// minute natively and more in WebAssembly. LSQR needs only products, and these cost one
// table lookup per byte of mask: per 8 columns (or 8 rows) we tabulate the 256 possible
// partial sums once, so a product is N*n/8 lookups plus (n/8 or N/8)*256 table adds.
#pragma once

#include "spex/mask_matrix.h"

#include <Eigen/Dense>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spex {

// Throws spex_error unless masks is well formed (words, storage, zero padding), n >= 1,
// values.size() == masks.count and every value is finite. `method` names the caller.
void check_masks_and_values(const mask_matrix & masks, const std::vector<double> & values, const char * method);

// True iff the mask keeps no player / every player.
bool mask_is_empty(const uint64_t * row, int n);
bool mask_is_full(const uint64_t * row, int n);
// Number of players the mask keeps.
size_t mask_popcount(const uint64_t * row, int n);

class mask_design {
  public:
    // All rows of masks. Copies the bits, so masks may go away afterwards.
    explicit mask_design(const mask_matrix & masks);
    // The listed rows of masks, in that order (the KernelSHAP fit drops its anchor rows and
    // one row of each complementary pair).
    mask_design(const mask_matrix & masks, const std::vector<size_t> & row_ids);

    size_t rows() const { return rows_; }
    int    cols() const { return n_; }

    int kept(size_t r) const { return kept_[r]; }  // popcount of row r

    // out = S v (size rows()).
    void multiply(const Eigen::VectorXd & v, Eigen::VectorXd & out) const;
    // out = S^T u (size cols()).
    void multiply_transpose(const Eigen::VectorXd & u, Eigen::VectorXd & out) const;

  private:
    int                   n_          = 0;
    size_t                rows_       = 0;
    size_t                col_words_  = 0;  // 64-column words per row
    size_t                row_blocks_ = 0;  // 64-row blocks per column
    std::vector<uint64_t> by_column_word_;  // [w * rows_ + r]: row r, columns 64w..64w+63
    std::vector<uint64_t> by_row_block_;    // [b * n_ + i]: column i, rows 64b..64b+63
    std::vector<int>      kept_;
};

}  // namespace spex
