#include "tree_fourier.h"

#include "spex/spex_error.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace spex {

namespace {

using coef_map = std::map<feature_set, double>;

// Adds the expansion of one leaf with the given path conditions (feature, outcome).
void add_leaf(std::vector<std::pair<int, int>> path, double value, coef_map & acc) {
    if (value == 0.0) {
        return;
    }
    std::sort(path.begin(), path.end());
    std::vector<std::pair<int, int>> cond;  // distinct features, ascending
    for (const auto & c : path) {
        if (!cond.empty() && cond.back().first == c.first) {
            if (cond.back().second != c.second) {
                return;  // x_j = 0 and x_j = 1 on one path: unreachable leaf
            }
            continue;
        }
        cond.push_back(c);
    }
    const size_t d = cond.size();
    if (d > 24) {
        throw spex_error("tree_fourier: a leaf depends on " + std::to_string(d) +
                         " distinct features; at most 24 are supported (2^24 terms per leaf)");
    }
    const double scale = value / static_cast<double>(uint64_t(1) << d);
    feature_set  set;
    set.reserve(d);
    for (uint64_t s = 0; s < (uint64_t(1) << d); ++s) {
        set.clear();
        bool negative = false;
        for (size_t j = 0; j < d; ++j) {
            if ((s >> j) & 1u) {
                set.push_back(cond[j].first);  // ascending since cond is sorted
                negative ^= cond[j].second == 1;
            }
        }
        acc[set] += negative ? -scale : scale;
    }
}

void add_tree(const gbt_tree & tree, int n, coef_map & acc) {
    const size_t count = tree.nodes.size();
    if (count == 0) {
        throw spex_error("tree_fourier: the tree has no nodes");
    }
    if (count > 64 * 1024 * 1024) {
        throw spex_error("tree_fourier: the tree is too large");
    }
    // Depth-first walk with an explicit stack. A frame carries the condition (feature, outcome)
    // on the edge into its node; popping a frame at depth d truncates the path to d - 1 entries
    // and appends that condition, so the path always holds exactly the conditions above the node.
    struct frame {
        int node;
        int depth;
        int feature;
        int outcome;
    };
    std::vector<frame>               stack{{0, 0, -1, 0}};
    std::vector<std::pair<int, int>> path;
    std::vector<char>                seen(count, 0);
    while (!stack.empty()) {
        const frame fr = stack.back();
        stack.pop_back();
        if (fr.node < 0 || static_cast<size_t>(fr.node) >= count) {
            throw spex_error("tree_fourier: a child index " + std::to_string(fr.node) + " is out of range (" +
                             std::to_string(count) + " nodes)");
        }
        if (seen[static_cast<size_t>(fr.node)]) {
            throw spex_error("tree_fourier: node " + std::to_string(fr.node) +
                             " is reached twice: the nodes do not form a tree");
        }
        seen[static_cast<size_t>(fr.node)] = 1;
        if (fr.depth > 0) {
            path.resize(static_cast<size_t>(fr.depth - 1));
            path.push_back({fr.feature, fr.outcome});
        }
        const gbt_node & nd = tree.nodes[static_cast<size_t>(fr.node)];
        if (nd.feature < 0) {
            add_leaf(path, nd.value, acc);
            continue;
        }
        if (nd.feature >= n) {
            throw spex_error("tree_fourier: node " + std::to_string(fr.node) + " tests feature " +
                             std::to_string(nd.feature) + " but there are only " + std::to_string(n) + " players");
        }
        stack.push_back({nd.child1, fr.depth + 1, nd.feature, 1});
        stack.push_back({nd.child0, fr.depth + 1, nd.feature, 0});
    }
}

}  // namespace

sparse_fourier tree_fourier(const gbt_tree & tree, int n) {
    coef_map acc;
    add_tree(tree, n, acc);
    sparse_fourier out;
    out.n = n;
    for (auto & kv : acc) {
        if (kv.second != 0.0) {
            out.terms.push_back({kv.first, kv.second});
        }
    }
    return out;
}

sparse_fourier ensemble_fourier(const gbt_ensemble & ens) {
    coef_map acc;
    if (ens.base != 0.0) {
        acc[feature_set{}] += ens.base;
    }
    for (const gbt_tree & t : ens.trees) {
        add_tree(t, ens.n, acc);
    }
    sparse_fourier out;
    out.n = ens.n;
    for (auto & kv : acc) {
        if (kv.second != 0.0) {
            out.terms.push_back({kv.first, kv.second});
        }
    }
    return out;
}

}  // namespace spex
