#include "tree_fourier.h"

#include "spex/spex_error.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

namespace spex {

namespace {

// The coefficients being accumulated: each distinct set once, in a flat arena, found by an
// open-addressing hash table (used for lookups only, never iterated, so nothing depends on the
// hash). A set's sum starts at 0.0 and adds its contributions in the order they arrive, so
// every coefficient is bit-identical to accumulating in a std::map (the former implementation).
class coef_map {
  public:
    coef_map() { table_.assign(1024, -1); }

    double & operator[](const feature_set & set) { return sums_[static_cast<size_t>(find_or_add(set))]; }

    // The sets with non-zero sums, in lexicographic order.
    sparse_fourier to_fourier(int n) const {
        std::vector<int> order(sums_.size());
        for (size_t i = 0; i < order.size(); ++i) {
            order[i] = static_cast<int>(i);
        }
        std::sort(order.begin(), order.end(), [&](int a, int b) { return less(a, b); });
        sparse_fourier out;
        out.n = n;
        for (int i : order) {
            const double c = sums_[static_cast<size_t>(i)];
            if (c != 0.0) {
                const size_t at = begin_[static_cast<size_t>(i)];
                out.terms.push_back(
                    {feature_set(arena_.begin() + static_cast<std::ptrdiff_t>(at),
                                 arena_.begin() + static_cast<std::ptrdiff_t>(begin_[static_cast<size_t>(i) + 1])),
                     c});
            }
        }
        return out;
    }

  private:
    static uint64_t hash_of(const feature_set & set) {
        uint64_t h = 0x9e3779b97f4a7c15ull ^ set.size();
        for (int f : set) {
            h ^= static_cast<uint64_t>(static_cast<uint32_t>(f)) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        }
        h ^= h >> 31;
        h *= 0xbf58476d1ce4e5b9ull;
        h ^= h >> 29;
        return h;
    }

    bool equals(int slot, const feature_set & set) const {
        const size_t b = begin_[static_cast<size_t>(slot)], e = begin_[static_cast<size_t>(slot) + 1];
        if (e - b != set.size()) {
            return false;
        }
        for (size_t k = 0; k < set.size(); ++k) {
            if (arena_[b + k] != set[k]) {
                return false;
            }
        }
        return true;
    }

    // std::vector's lexicographic order on the stored sets.
    bool less(int a, int b) const {
        const size_t ab = begin_[static_cast<size_t>(a)], ae = begin_[static_cast<size_t>(a) + 1];
        const size_t bb = begin_[static_cast<size_t>(b)], be = begin_[static_cast<size_t>(b) + 1];
        return std::lexicographical_compare(
            arena_.begin() + static_cast<std::ptrdiff_t>(ab), arena_.begin() + static_cast<std::ptrdiff_t>(ae),
            arena_.begin() + static_cast<std::ptrdiff_t>(bb), arena_.begin() + static_cast<std::ptrdiff_t>(be));
    }

    int find_or_add(const feature_set & set) {
        const size_t mask = table_.size() - 1;
        size_t       at   = static_cast<size_t>(hash_of(set)) & mask;
        while (table_[at] >= 0) {
            if (equals(table_[at], set)) {
                return table_[at];
            }
            at = (at + 1) & mask;
        }
        const int slot = static_cast<int>(sums_.size());
        table_[at]     = slot;
        arena_.insert(arena_.end(), set.begin(), set.end());
        begin_.push_back(arena_.size());
        sums_.push_back(0.0);
        if (2 * sums_.size() > table_.size()) {
            grow();
        }
        return slot;
    }

    void grow() {
        table_.assign(table_.size() * 2, -1);
        const size_t mask = table_.size() - 1;
        for (size_t i = 0; i < sums_.size(); ++i) {
            const feature_set set(arena_.begin() + static_cast<std::ptrdiff_t>(begin_[i]),
                                  arena_.begin() + static_cast<std::ptrdiff_t>(begin_[i + 1]));
            size_t            at = static_cast<size_t>(hash_of(set)) & mask;
            while (table_[at] >= 0) {
                at = (at + 1) & mask;
            }
            table_[at] = static_cast<int>(i);
        }
    }

    std::vector<int>    table_;        // slot index or -1; size a power of two, at most half full
    std::vector<int>    arena_;        // the sets' features, back to back
    std::vector<size_t> begin_ = {0};  // set i is arena_[begin_[i] .. begin_[i+1])
    std::vector<double> sums_;         // per set, its coefficient so far
};

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
    return acc.to_fourier(n);
}

sparse_fourier ensemble_fourier(const gbt_ensemble & ens) {
    coef_map acc;
    if (ens.base != 0.0) {
        acc[feature_set{}] += ens.base;
    }
    for (const gbt_tree & t : ens.trees) {
        add_tree(t, ens.n, acc);
    }
    return acc.to_fourier(ens.n);
}

}  // namespace spex
