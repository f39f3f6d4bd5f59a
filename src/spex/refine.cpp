#include "refine.h"

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/Sparse>

#include <algorithm>
#include <numeric>
#include <set>
#include <unordered_set>

namespace spex {

namespace {

// Which frequencies to refit. All n first-order terms are added while the system stays
// comfortably over-determined (K <= N/4); otherwise only features that occur in peeled
// terms, so a small budget on a long input never yields an under-determined fit.
std::vector<feature_set> refit_support(const sparse_fourier & peeled, int n, size_t queries, bool & all_linear) {
    std::vector<feature_set>                          support;
    std::unordered_set<feature_set, feature_set_hash> seen;
    auto                                              add = [&](const feature_set & k) {
        if (seen.insert(k).second) {
            support.push_back(k);
        }
    };
    add({});
    for (const fourier_term & t : peeled.terms) {
        add(t.set);
    }
    all_linear = support.size() + size_t(n) <= queries / 4;
    if (all_linear) {
        for (int i = 0; i < n; ++i) {
            add({i});
        }
    } else {
        std::set<int> touched;
        for (const fourier_term & t : peeled.terms) {
            touched.insert(t.set.begin(), t.set.end());
        }
        for (int i : touched) {
            add({i});
        }
    }
    return support;
}

// X^T y from the un-peeled bins, for the K terms with signatures sig and bins hash.
Eigen::VectorXd normal_rhs(const bin_columns & u, const std::vector<parity_word> & sig,
                           const std::vector<uint32_t> & hash, int p, double scale) {
    const int       K = static_cast<int>(sig.size());
    Eigen::VectorXd rhs(K);
    for (int a = 0; a < K; ++a) {
        double s = 0.0;
        for (int c = 0; c < spex_groups; ++c) {
            const double * col = u.col(c, hash[size_t(a) * spex_groups + c]);
            double         dot = col[0];
            for (int j = 0; j < p; ++j) {
                dot += sig[a].get(j) ? -col[1 + j] : col[1 + j];
            }
            s += dot;
        }
        rhs[a] = scale * s;
    }
    return rhs;
}

// X^T X: N (+ ridge) on the diagonal; pairs sharing a bin in group c add 2^b <sigma, sigma'>.
Eigen::SparseMatrix<double> normal_gram(const std::vector<parity_word> & sig, const std::vector<uint32_t> & hash,
                                        int rows, double scale, size_t queries, double ridge) {
    const int                           K = static_cast<int>(sig.size());
    std::vector<Eigen::Triplet<double>> entries;
    const double                        diag = static_cast<double>(queries) * (1.0 + ridge);
    for (int a = 0; a < K; ++a) {
        entries.emplace_back(a, a, diag);
    }
    std::vector<int> by_bin(K);
    for (int c = 0; c < spex_groups; ++c) {
        std::iota(by_bin.begin(), by_bin.end(), 0);
        std::stable_sort(by_bin.begin(), by_bin.end(), [&](int x, int y) {
            return hash[size_t(x) * spex_groups + c] < hash[size_t(y) * spex_groups + c];
        });
        for (int lo = 0; lo < K;) {
            int hi = lo;
            while (hi < K && hash[size_t(by_bin[hi]) * spex_groups + c] == hash[size_t(by_bin[lo]) * spex_groups + c]) {
                ++hi;
            }
            for (int x = lo; x < hi; ++x) {
                for (int y = x + 1; y < hi; ++y) {
                    parity_word d = sig[by_bin[x]];
                    d ^= sig[by_bin[y]];
                    const double v = scale * (rows - 2 * d.popcount());
                    if (v != 0.0) {
                        entries.emplace_back(by_bin[x], by_bin[y], v);
                        entries.emplace_back(by_bin[y], by_bin[x], v);
                    }
                }
            }
            lo = hi;
        }
    }
    Eigen::SparseMatrix<double> gram(K, K);
    gram.setFromTriplets(entries.begin(), entries.end());
    return gram;
}

}  // namespace

sparse_fourier refine_fit(const query_design & design, const bin_columns & u, const sparse_fourier & peeled,
                          double ridge, refine_stats & stats) {
    const int    p       = design.p();
    const int    rows    = p + 1;
    const double scale   = static_cast<double>(design.bins());  // 2^b
    const size_t queries = design.query_count();

    const std::vector<feature_set> support = refit_support(peeled, design.n(), queries, stats.all_linear);
    const int                      K       = static_cast<int>(support.size());
    stats.terms                            = K;

    std::vector<parity_word> sig(K);
    std::vector<uint32_t>    hash(size_t(K) * spex_groups);
    for (int a = 0; a < K; ++a) {
        sig[a] = design.signature(support[a]);
        for (int c = 0; c < spex_groups; ++c) {
            hash[size_t(a) * spex_groups + c] = design.bin(c, support[a]);
        }
    }

    const Eigen::VectorXd             rhs  = normal_rhs(u, sig, hash, p, scale);
    const Eigen::SparseMatrix<double> gram = normal_gram(sig, hash, rows, scale, queries, ridge);

    Eigen::ConjugateGradient<Eigen::SparseMatrix<double>, Eigen::Lower | Eigen::Upper> cg;
    cg.setTolerance(1e-14);
    cg.setMaxIterations(std::max(100, 4 * K));
    cg.compute(gram);
    Eigen::VectorXd x = cg.solve(rhs);
    stats.iterations  = static_cast<int>(cg.iterations());
    stats.residual    = cg.error();

    sparse_fourier out;
    out.n = design.n();
    out.terms.reserve(K);
    for (int a = 0; a < K; ++a) {
        out.terms.push_back({support[a], x[a]});
    }
    return out;
}

}  // namespace spex
