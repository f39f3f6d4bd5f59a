// boosted_trees: see boosted_trees.h.
//
// Index
//   [SECTION] prediction: trees and ensembles
//   [SECTION] bit counting and argument checks
//   [SECTION] training rows and node statistics
//   [SECTION] growing a tree: bin sums, best split, leaves
//   [SECTION] fitting an ensemble (fit_gbt)
//   [SECTION] hyperparameter selection (fit_gbt_selected)
#include "boosted_trees.h"

#include "spex/spex_error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <utility>

namespace spex {

// [SECTION] prediction: trees and ensembles

double gbt_tree::predict(const uint64_t * mask) const {
    int node = 0;
    while (nodes[static_cast<size_t>(node)].feature >= 0) {
        const gbt_node & nd = nodes[static_cast<size_t>(node)];
        node                = mask_keeps(mask, nd.feature) ? nd.child1 : nd.child0;
    }
    return nodes[static_cast<size_t>(node)].value;
}

int gbt_tree::depth() const {
    // Iterative walk from the root; child indices out of range are ignored, and a walk longer
    // than the node count (a cycle) stops there.
    int                              best = 0;
    std::vector<std::pair<int, int>> stack;
    if (!nodes.empty()) {
        stack.push_back({0, 0});
    }
    size_t visited = 0;
    while (!stack.empty() && visited++ <= nodes.size()) {
        const auto [node, d] = stack.back();
        stack.pop_back();
        best                = std::max(best, d);
        const gbt_node & nd = nodes[static_cast<size_t>(node)];
        if (nd.feature < 0) {
            continue;
        }
        for (int c : {nd.child0, nd.child1}) {
            if (c >= 0 && static_cast<size_t>(c) < nodes.size()) {
                stack.push_back({c, d + 1});
            }
        }
    }
    return best;
}

double gbt_ensemble::predict(const uint64_t * mask) const {
    double sum = base;
    for (const gbt_tree & t : trees) {
        sum += t.predict(mask);
    }
    return sum;
}

// [SECTION] bit counting and argument checks

namespace {

inline int ctz64(uint64_t w) { return __builtin_ctzll(w); }
// Number of set bits of (a AND b) over `words` words: the row count of a node on one side
// of a split. WebAssembly has a popcount instruction; natively GCC without -mpopcnt would
// call libgcc per word, so x86-64 dispatches once to a popcnt build when the CPU has it
// and otherwise uses an inline SWAR count. All give the same integer.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__POPCNT__)
inline int popcount_swar(uint64_t w) {
    w = w - ((w >> 1) & 0x5555555555555555ull);
    w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
    w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return static_cast<int>((w * 0x0101010101010101ull) >> 56);
}

__attribute__((target("popcnt"))) int and_count_hw(const uint64_t * a, const uint64_t * b, size_t words) {
    int c = 0;
    for (size_t k = 0; k < words; ++k) {
        c += __builtin_popcountll(a[k] & b[k]);
    }
    return c;
}

int and_count_swar(const uint64_t * a, const uint64_t * b, size_t words) {
    int c = 0;
    for (size_t k = 0; k < words; ++k) {
        c += popcount_swar(a[k] & b[k]);
    }
    return c;
}

int and_count(const uint64_t * a, const uint64_t * b, size_t words) {
    static const bool hw = __builtin_cpu_supports("popcnt");
    return hw ? and_count_hw(a, b, words) : and_count_swar(a, b, words);
}
#else
int and_count(const uint64_t * a, const uint64_t * b, size_t words) {
    int c = 0;
    for (size_t k = 0; k < words; ++k) {
#if defined(__wasm__) || defined(__POPCNT__)
        c += __builtin_popcountll(a[k] & b[k]);
#else
        c += popcount_swar(a[k] & b[k]);
#endif
    }
    return c;
}
#endif

void check_params(const gbt_params & p) {
    if (p.max_depth < 1 || p.max_depth > 10) {
        throw spex_error("boosted trees: max_depth " + std::to_string(p.max_depth) + " is out of range: use 1..10");
    }
    if (p.trees < 0) {
        throw spex_error("boosted trees: the number of trees must be >= 0 (got " + std::to_string(p.trees) + ")");
    }
    if (!(p.learning_rate > 0.0 && p.learning_rate <= 1.0)) {
        throw spex_error("boosted trees: learning_rate " + std::to_string(p.learning_rate) +
                         " is out of range: use a value in (0, 1], e.g. 0.1");
    }
    if (p.min_leaf < 1) {
        throw spex_error("boosted trees: min_leaf must be >= 1 (got " + std::to_string(p.min_leaf) + ")");
    }
    if (!(p.leaf_l2 >= 0.0 && std::isfinite(p.leaf_l2))) {
        throw spex_error("boosted trees: leaf_l2 must be a finite value >= 0 (got " + std::to_string(p.leaf_l2) + ")");
    }
    if (p.early_stopping < 0) {
        throw spex_error("boosted trees: early_stopping must be >= 0 (got " + std::to_string(p.early_stopping) + ")");
    }
}

void check_data(const mask_matrix & masks, const std::vector<double> & values) {
    if (masks.n < 1) {
        throw spex_error("boosted trees: the masks have no players (n = " + std::to_string(masks.n) + ")");
    }
    if (masks.words != mask_words(masks.n) || masks.bits.size() != masks.count * masks.words) {
        throw spex_error("boosted trees: the mask matrix is malformed (its word count does not match n = " +
                         std::to_string(masks.n) + ")");
    }
    if (values.size() != masks.count) {
        throw spex_error("boosted trees: got " + std::to_string(values.size()) + " values for " +
                         std::to_string(masks.count) + " masks: pass one model output per mask");
    }
    for (size_t r = 0; r < values.size(); ++r) {
        if (!std::isfinite(values[r])) {
            throw spex_error("boosted trees: the model output for mask " + std::to_string(r) +
                             " is not a finite number; check the model for NaN or infinite scores");
        }
    }
}

void check_rows(const std::vector<size_t> & rows, size_t count, const char * what) {
    for (size_t r : rows) {
        if (r >= count) {
            throw spex_error(std::string("boosted trees: ") + what + " row index " + std::to_string(r) +
                             " is out of range: there are " + std::to_string(count) + " masks");
        }
    }
}

// [SECTION] training rows and node statistics

// The training rows in the two layouts described in the header.
struct packed_rows {
    int                   n     = 0;
    size_t                rows  = 0;
    size_t                bytes = 0;  // bytes per row: ceil(n / 8)
    size_t                rw    = 0;  // 64-bit words of a bitset over the rows
    std::vector<uint8_t>  packed;     // rows * bytes: byte q of row r holds bits 8q..8q+7 (zero padded)
    std::vector<uint64_t> cols;       // n * rw: bit r of column f = bit f of row r
    std::vector<uint64_t> all;        // rw words: every row

    packed_rows(const mask_matrix & masks, const std::vector<size_t> & train) {
        n     = masks.n;
        rows  = train.size();
        bytes = (static_cast<size_t>(n) + 7) / 8;
        rw    = (rows + 63) / 64;
        packed.assign(rows * bytes, 0);
        cols.assign(static_cast<size_t>(n) * rw, 0);
        all.assign(rw, ~uint64_t(0));
        if (rows % 64) {
            all[rw - 1] = (uint64_t(1) << (rows % 64)) - 1;
        }
        for (size_t r = 0; r < rows; ++r) {
            const uint64_t * src = masks.row(train[r]);
            uint8_t *        dst = packed.data() + r * bytes;
            for (int f = 0; f < n; ++f) {
                if (mask_keeps(src, f)) {  // padding bits beyond n are never read
                    dst[f / 8] = static_cast<uint8_t>(dst[f / 8] | (1u << (f % 8)));
                    cols[static_cast<size_t>(f) * rw + r / 64] |= uint64_t(1) << (r % 64);
                }
            }
        }
    }
};

// Per-node statistics: residual sum, row count and, for nodes still to be split, the
// per-feature sums over rows with the bit set.
struct node_stats {
    int                   node = 0;  // index in the tree
    std::vector<uint64_t> bits;      // rows of the node
    double                g = 0.0;
    int                   h = 0;
    std::vector<double>   g1;  // per feature (empty at the last level)
    std::vector<int>      h1;
};

// [SECTION] growing a tree: bin sums, best split, leaves

// Nodes with at least this many rows use 256 bins per byte instead of 16 per nibble: half
// the adds per row for a fixed cost of ~510 adds per byte to read the features back out.
constexpr int byte_bins_min_rows = 512;

// Adds `g` to bin (row's bits in the group) of every group of `width` bits of every row
// of the node; bins must be zeroed, bins of group q start at q << width.
template <int width>
void fill_bins(const packed_rows & pr, const std::vector<double> & resid, const std::vector<uint64_t> & rows,
               double * bins) {
    const size_t bytes = pr.bytes;
    for (size_t k = 0; k < pr.rw; ++k) {
        uint64_t rb = rows[k];
        while (rb) {
            const size_t    r  = k * 64 + static_cast<size_t>(ctz64(rb));
            const double    gr = resid[r];
            const uint8_t * b  = pr.packed.data() + r * bytes;
            if (width == 8) {
                for (size_t q = 0; q < bytes; ++q) {
                    bins[(q << 8) + b[q]] += gr;
                }
            } else {
                double * a = bins;
                for (size_t q = 0; q < bytes; ++q, a += 32) {
                    const unsigned v = b[q];
                    a[v & 15u] += gr;
                    a[16 + (v >> 4)] += gr;
                }
            }
            rb &= rb - 1;
        }
    }
}

// Reads per-feature sums out of the bins of groups of `width` bits: feature w*q + j gets the
// sum of the bins of group q whose index has bit j. Folding the table in half per bit
// (highest bit first) costs 2^(width+1) - 2 adds per group. Destroys the bins.
template <int width> void read_bins(double * bins, size_t n, std::vector<double> & g1) {
    constexpr size_t size = size_t(1) << width;
    for (size_t q = 0; q * width < n; ++q) {
        double * t = bins + q * size;
        for (int j = width - 1; j >= 0; --j) {
            const size_t half = size_t(1) << j;
            double       sum  = 0.0;
            for (size_t v = 0; v < half; ++v) {
                sum += t[half + v];
                t[v] += t[half + v];
            }
            const size_t f = q * width + static_cast<size_t>(j);
            if (f < n) {
                g1[f] = sum;
            }
        }
    }
}

// g1[f] = sum of residuals over node rows with bit f; h1[f] = their number.
//
// Each row adds its residual to one bin per group of 4 (or, in large nodes, 8) features,
// the bin being the row's bits there: a fixed n / 4 (n / 8) branch-free adds per row
// instead of one per set bit; the per-feature sums are then read out of the bins. The
// counts are popcounts of (node rows AND column f). `bins` is scratch space.
void accumulate(const packed_rows & pr, const std::vector<double> & resid, node_stats & s, std::vector<double> & bins) {
    const size_t n = static_cast<size_t>(pr.n);
    s.g1.assign(n, 0.0);
    s.h1.assign(n, 0);
    if (s.h >= byte_bins_min_rows) {
        bins.assign(pr.bytes * 256, 0.0);
        fill_bins<8>(pr, resid, s.bits, bins.data());
        read_bins<8>(bins.data(), n, s.g1);
    } else {
        bins.assign(pr.bytes * 32, 0.0);
        fill_bins<4>(pr, resid, s.bits, bins.data());
        read_bins<4>(bins.data(), n, s.g1);
    }
    for (size_t f = 0; f < n; ++f) {
        s.h1[f] = and_count(pr.cols.data() + f * pr.rw, s.bits.data(), pr.rw);
    }
}

double leaf_score(double g, int h, double l2) { return g * g / (static_cast<double>(h) + l2); }

// Best split of a node: lowest feature index among the maximal gains; -1 if none gains.
int best_split(const node_stats & s, const gbt_params & p, double min_gain) {
    const double parent = leaf_score(s.g, s.h, p.leaf_l2);
    int          best_f = -1;
    double       best   = min_gain;
    for (size_t f = 0; f < s.g1.size(); ++f) {
        const int h1 = s.h1[f];
        const int h0 = s.h - h1;
        if (h1 < p.min_leaf || h0 < p.min_leaf) {
            continue;
        }
        const double g1   = s.g1[f];
        const double gain = leaf_score(g1, h1, p.leaf_l2) + leaf_score(s.g - g1, h0, p.leaf_l2) - parent;
        if (gain > best) {
            best   = gain;
            best_f = static_cast<int>(f);
        }
    }
    return best_f;
}

// A leaf and the training rows that reach it (bits over rows).
struct leaf_rows {
    int                   node;
    std::vector<uint64_t> bits;
};

// The root's statistics: every row, the residuals' sum; returns their sum of squares.
double root_stats(const packed_rows & pr, const std::vector<double> & resid, node_stats & root) {
    root.bits = pr.all;
    root.h    = static_cast<int>(pr.rows);
    double ss = 0.0;
    for (size_t r = 0; r < pr.rows; ++r) {
        root.g += resid[r];
        ss += resid[r] * resid[r];
    }
    return ss;
}

// Splits node s on feature f: appends its two children to the tree and gives c0 (bit f clear)
// and c1 (bit f set) their node numbers, rows, sums and counts.
void split_node(gbt_tree & tree, const packed_rows & pr, const node_stats & s, int f, node_stats & c0,
                node_stats & c1) {
    const size_t fs = static_cast<size_t>(f);
    c0.node         = static_cast<int>(tree.nodes.size());
    c1.node         = c0.node + 1;
    tree.nodes.emplace_back();
    tree.nodes.emplace_back();
    gbt_node & nd = tree.nodes[static_cast<size_t>(s.node)];
    nd.feature    = f;
    nd.child0     = c0.node;
    nd.child1     = c1.node;

    c0.bits.resize(pr.rw);
    c1.bits.resize(pr.rw);
    const uint64_t * col = pr.cols.data() + fs * pr.rw;
    for (size_t k = 0; k < pr.rw; ++k) {
        c1.bits[k] = s.bits[k] & col[k];
        c0.bits[k] = s.bits[k] & ~col[k];
    }
    c1.g = s.g1[fs];
    c1.h = s.h1[fs];
    c0.g = s.g - c1.g;
    c0.h = s.h - c1.h;
}

// The larger child's per-feature sums and counts: the parent's minus the smaller child's.
void subtract_sibling(const node_stats & parent, const node_stats & small, node_stats & large) {
    large.g1.resize(parent.g1.size());
    large.h1.resize(parent.h1.size());
    for (size_t q = 0; q < parent.g1.size(); ++q) {
        large.g1[q] = parent.g1[q] - small.g1[q];
        large.h1[q] = parent.h1[q] - small.h1[q];
    }
}

// Subtracts each leaf's value from the residuals of its rows.
void apply_leaves(const gbt_tree & tree, const packed_rows & pr, const std::vector<leaf_rows> & leaves,
                  std::vector<double> & resid) {
    for (const leaf_rows & lf : leaves) {
        const double v = tree.nodes[static_cast<size_t>(lf.node)].value;
        for (size_t k = 0; k < pr.rw; ++k) {
            uint64_t b = lf.bits[k];
            while (b) {
                resid[k * 64 + static_cast<size_t>(ctz64(b))] -= v;
                b &= b - 1;
            }
        }
    }
}

// Grows one tree on the residuals, subtracts its output from them and returns it.
gbt_tree grow_tree(const packed_rows & pr, std::vector<double> & resid, const gbt_params & p) {
    gbt_tree tree;
    tree.nodes.emplace_back();

    node_stats root;
    // Gains below this are rounding noise (e.g. on already-fitted residuals).
    const double min_gain = 1e-12 * root_stats(pr, resid, root);

    std::vector<leaf_rows> leaves;
    auto                   make_leaf = [&](node_stats & s) {
        tree.nodes[static_cast<size_t>(s.node)].value = p.learning_rate * s.g / (static_cast<double>(s.h) + p.leaf_l2);
        leaves.push_back({s.node, std::move(s.bits)});
    };

    std::vector<node_stats> level;
    std::vector<double>     bins;
    accumulate(pr, resid, root, bins);
    level.push_back(std::move(root));
    for (int depth = 0; depth < p.max_depth && !level.empty(); ++depth) {
        const bool              last = depth + 1 == p.max_depth;
        std::vector<node_stats> next;
        for (node_stats & s : level) {
            const int f = best_split(s, p, min_gain);
            if (f < 0) {
                make_leaf(s);
                continue;
            }
            node_stats c0, c1;
            split_node(tree, pr, s, f, c0, c1);
            if (last) {
                make_leaf(c0);
                make_leaf(c1);
                continue;
            }
            // Accumulate the smaller child; the larger one is parent - smaller.
            node_stats & small = c1.h <= c0.h ? c1 : c0;
            node_stats & large = c1.h <= c0.h ? c0 : c1;
            accumulate(pr, resid, small, bins);
            subtract_sibling(s, small, large);
            next.push_back(std::move(c0));
            next.push_back(std::move(c1));
        }
        level = std::move(next);
    }
    for (node_stats & s : level) {  // only when the loop ran out of depth with unsplit nodes
        make_leaf(s);
    }
    apply_leaves(tree, pr, leaves, resid);
    return tree;
}

}  // namespace

// [SECTION] fitting an ensemble (fit_gbt)

gbt_ensemble fit_gbt(const mask_matrix & masks, const std::vector<double> & values,
                     const std::vector<size_t> & train_rows, const gbt_params & p,
                     const std::vector<size_t> * valid_rows, gbt_fit_trace * trace) {
    check_data(masks, values);
    check_params(p);
    if (train_rows.empty()) {
        throw spex_error("boosted trees: no training rows were given");
    }
    if (train_rows.size() > static_cast<size_t>(0x7fffffff)) {
        throw spex_error("boosted trees: too many training rows (at most 2^31 - 1)");
    }
    check_rows(train_rows, masks.count, "training");
    if (valid_rows) {
        check_rows(*valid_rows, masks.count, "validation");
    }

    gbt_ensemble ens;
    ens.n      = masks.n;
    double sum = 0.0;
    for (size_t r : train_rows) {
        sum += values[r];
    }
    ens.base = sum / static_cast<double>(train_rows.size());

    const packed_rows   pr(masks, train_rows);
    std::vector<double> resid(train_rows.size());
    for (size_t i = 0; i < train_rows.size(); ++i) {
        resid[i] = values[train_rows[i]] - ens.base;
    }

    const bool          validate = valid_rows && !valid_rows->empty();
    std::vector<double> vpred;
    gbt_fit_trace       local;
    auto                valid_mse = [&]() {
        double s = 0.0;
        for (size_t i = 0; i < valid_rows->size(); ++i) {
            const double e = values[(*valid_rows)[i]] - vpred[i];
            s += e * e;
        }
        return s / static_cast<double>(valid_rows->size());
    };
    if (validate) {
        vpred.assign(valid_rows->size(), ens.base);
        local.valid_mse.push_back(valid_mse());
        local.best_mse = local.valid_mse[0];
    }

    for (int t = 0; t < p.trees; ++t) {
        ens.trees.push_back(grow_tree(pr, resid, p));
        if (!validate) {
            continue;
        }
        const gbt_tree & tree = ens.trees.back();
        for (size_t i = 0; i < valid_rows->size(); ++i) {
            vpred[i] += tree.predict(masks.row((*valid_rows)[i]));
        }
        const double mse = valid_mse();
        local.valid_mse.push_back(mse);
        if (mse < local.best_mse) {
            local.best_mse   = mse;
            local.best_trees = t + 1;
        } else if (p.early_stopping > 0 && t + 1 - local.best_trees >= p.early_stopping) {
            break;
        }
    }
    local.fitted_trees = static_cast<int>(ens.trees.size());
    if (!validate) {
        local.best_trees = local.fitted_trees;
    }
    if (validate && p.early_stopping > 0) {
        ens.trees.resize(static_cast<size_t>(local.best_trees));
    }
    if (trace) {
        *trace = std::move(local);
    }
    return ens;
}

// [SECTION] hyperparameter selection (fit_gbt_selected)

namespace {

// The selection grid for a training fold of `rows` rows: depth 4 and 5 at learning rate 0.15,
// each with early stopping on the validation fold (it picks the number of trees, at most 500).
// Measured on the shipped spam model's masked e-mails (docs/benchmarks.md): a rate of 0.3
// stopped at a worse optimum (held-out R^2 0.85 against 0.93 at 4,000 masks), 0.1 with 600
// trees gained 0.003 for half again the time, depth 6 and a rate of 0.05 gained nothing, and
// leaves of one row fitted as well as larger ones. (Depth 5 alone, measured with
// spexlens_bench_surrogate: on 24 e-mails of 40-80 words at 4,000 calls the same held-out R^2,
// +0.0003, and 40% less selection time, but its larger proxies cost the Fourier transform and
// the refit most of that back, and planted functions of n = 60 lost 0.02 at 1,000 and 2,000
// calls; so both stay.)
std::vector<gbt_params> selection_grid(size_t rows) {
    const int               base_leaf = static_cast<int>(std::max<size_t>(1, std::min<size_t>(20, rows / 1000)));
    std::vector<gbt_params> grid;
    for (int depth : {4, 5}) {
        gbt_params p;
        p.max_depth      = depth;
        p.trees          = 500;
        p.learning_rate  = 0.15;
        p.min_leaf       = base_leaf;
        p.leaf_l2        = 1.0;
        p.early_stopping = 30;
        grid.push_back(p);
    }
    return grid;
}

// Deterministic 80/20 split of the rows after the anchors: Fisher-Yates shuffle from the
// selection stream. Anchors always train. Both lists come out sorted.
void split_rows(size_t count, size_t anchors, uint64_t seed, std::vector<size_t> & train, std::vector<size_t> & valid) {
    std::vector<size_t> order(count - anchors);
    for (size_t i = 0; i < order.size(); ++i) {
        order[i] = anchors + i;
    }
    prng rng(seed, PRNG_STREAM_GBT_SELECTION);
    for (size_t i = order.size() - 1; i > 0; --i) {
        const size_t j = static_cast<size_t>(rng.below(static_cast<uint64_t>(i + 1)));
        std::swap(order[i], order[j]);
    }
    const size_t nvalid = std::max<size_t>(2, order.size() / 5);
    valid.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(nvalid));
    train.assign(order.begin() + static_cast<std::ptrdiff_t>(nvalid), order.end());
    for (size_t a = 0; a < anchors; ++a) {
        train.push_back(a);
    }
    std::sort(valid.begin(), valid.end());
    std::sort(train.begin(), train.end());
}

// The variance of the validation rows' values (about their mean).
double valid_variance(const std::vector<double> & values, const std::vector<size_t> & valid) {
    double vmean = 0.0;
    for (size_t r : valid) {
        vmean += values[r];
    }
    vmean /= static_cast<double>(valid.size());
    double vvar = 0.0;
    for (size_t r : valid) {
        vvar += (values[r] - vmean) * (values[r] - vmean);
    }
    vvar /= static_cast<double>(valid.size());
    return vvar;
}

}  // namespace

gbt_ensemble fit_gbt_selected(const mask_matrix & masks, const std::vector<double> & values, uint64_t seed,
                              gbt_selection_report * report, size_t anchors) {
    check_data(masks, values);
    const size_t count = masks.count;
    if (count < gbt_min_selection_rows) {
        throw spex_error("boosted trees: " + std::to_string(count) + " masks are too few to choose hyperparameters: " +
                         "need at least " + std::to_string(gbt_min_selection_rows) + "; raise the query budget");
    }

    // 80/20 split of the rows after the anchors; anchors always train.
    anchors = std::min(anchors, count - gbt_min_selection_rows);
    std::vector<size_t> train, valid;
    split_rows(count, anchors, seed, train, valid);

    const double vvar  = valid_variance(values, valid);
    auto         r2_of = [&](double mse) {
        if (vvar > 0.0) {
            return 1.0 - mse / vvar;
        }
        return mse == 0.0 ? 1.0 : 0.0;
    };

    using clock_type            = std::chrono::steady_clock;
    const auto           t_grid = clock_type::now();
    gbt_selection_report rep;
    rep.train_rows = train.size();
    rep.valid_rows = valid.size();
    int best       = -1;
    for (const gbt_params & p : selection_grid(train.size())) {
        gbt_fit_trace  tr;
        gbt_ensemble   fitted = fit_gbt(masks, values, train, p, &valid, &tr);
        gbt_grid_point gp;
        gp.params     = p;
        gp.best_trees = tr.best_trees;
        gp.valid_r2   = r2_of(tr.best_mse);
        rep.grid.push_back(gp);
        if (best < 0 || gp.valid_r2 > rep.grid[static_cast<size_t>(best)].valid_r2) {
            best            = static_cast<int>(rep.grid.size()) - 1;
            rep.valid_model = std::move(fitted);  // early stopping kept the best prefix
        }
    }
    rep.grid_ms                = std::chrono::duration<double, std::milli>(clock_type::now() - t_grid).count();
    rep.train_row_list         = train;
    rep.valid_row_list         = valid;
    const gbt_grid_point & win = rep.grid[static_cast<size_t>(best)];
    rep.chosen                 = win.params;
    // The refit sees a quarter more rows than the selection's training fold: a quarter more trees.
    rep.chosen.trees          = std::max(1, (win.best_trees * 5 + 3) / 4);
    rep.chosen.early_stopping = 0;
    rep.valid_r2              = win.valid_r2;
    rep.valid_defined         = vvar > 0.0;

    std::vector<size_t> all(count);
    for (size_t i = 0; i < count; ++i) {
        all[i] = i;
    }
    const auto   t_refit = clock_type::now();
    gbt_ensemble ens     = fit_gbt(masks, values, all, rep.chosen);
    rep.refit_ms         = std::chrono::duration<double, std::milli>(clock_type::now() - t_refit).count();
    if (report) {
        *report = std::move(rep);
    }
    return ens;
}

}  // namespace spex
