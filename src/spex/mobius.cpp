#include "mobius.h"

#include "spex_error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace spex {

namespace {

using coef_map = std::unordered_map<feature_set, double, feature_set_hash>;

// Beyond this a full expansion (2^d subsets per term) cannot fit in memory anyway, and the
// 64-bit subset counter below stays far from overflow.
constexpr int kMaxExpandCap = 32;

std::string set_text(const feature_set & s) {
    std::string out = "{";
    for (size_t i = 0; i < s.size(); ++i) {
        out += (i ? ", " : "") + std::to_string(s[i]);
    }
    return out + "}";
}

void check_cap(int max_expand_degree, const char * context) {
    if (max_expand_degree < 0 || max_expand_degree > kMaxExpandCap) {
        throw spex_error(std::string(context) + ": max_expand_degree = " + std::to_string(max_expand_degree) +
                         " is outside [0, " + std::to_string(kMaxExpandCap) + "]");
    }
}

void check_degree(const feature_set & s, int max_expand_degree, const char * context, const char * advice) {
    if (static_cast<int>(s.size()) > max_expand_degree) {
        throw spex_error(std::string(context) + ": term " + set_text(s) + " has degree " + std::to_string(s.size()) +
                         ", above max_expand_degree = " + std::to_string(max_expand_degree) +
                         " (it would expand into 2^" + std::to_string(s.size()) + " subsets); " + advice);
    }
}

// Calls visit(subset, |subset|) for all 2^|k| subsets of k, in increasing bit order.
template <typename Visit> void for_each_subset(const feature_set & k, Visit visit) {
    const int      d     = static_cast<int>(k.size());
    const uint64_t count = uint64_t(1) << d;
    feature_set    sub;
    sub.reserve(k.size());
    for (uint64_t m = 0; m < count; ++m) {
        sub.clear();
        for (int i = 0; i < d; ++i) {
            if ((m >> i) & 1u) {
                sub.push_back(k[i]);
            }
        }
        visit(sub, static_cast<int>(sub.size()));
    }
}

}  // namespace

bool explanation_order(const feature_set & a, double va, const feature_set & b, double vb) {
    const double ma = std::fabs(va);
    const double mb = std::fabs(vb);
    if (ma != mb) {
        return ma > mb;
    }
    if (a.size() != b.size()) {
        return a.size() < b.size();
    }
    return a < b;
}

void require_valid_set(const feature_set & s, int n, const char * context) {
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] < 0 || s[i] >= n) {
            throw spex_error(std::string(context) + ": set " + set_text(s) + " has feature " + std::to_string(s[i]) +
                             " outside [0, n = " + std::to_string(n) + ")");
        }
        if (i > 0 && s[i] <= s[i - 1]) {
            throw spex_error(std::string(context) + ": set " + set_text(s) +
                             " must list distinct features in increasing order");
        }
    }
}

void require_valid_terms(const sparse_fourier & f, const char * context) {
    if (f.n < 0) {
        throw spex_error(std::string(context) + ": negative number of features n = " + std::to_string(f.n));
    }
    for (const fourier_term & t : f.terms) {
        require_valid_set(t.set, f.n, context);
    }
}

std::vector<mobius_term> fourier_to_mobius(const sparse_fourier & f, int max_expand_degree) {
    const char * context = "fourier_to_mobius";
    check_cap(max_expand_degree, context);
    require_valid_terms(f, context);
    for (const fourier_term & t : f.terms) {
        check_degree(t.set, max_expand_degree, context,
                     "raise max_expand_degree, or ask compute_interaction_index for Möbius coefficients up to a "
                     "small order, which needs no full expansion");
    }
    coef_map acc;
    for (const fourier_term & t : f.terms) {
        if (t.coef == 0.0) {
            continue;
        }
        // (-2)^|S| F(k): powers of two are exact, so each contribution is exact.
        for_each_subset(t.set, [&](const feature_set & s, int size) {
            const double v = std::ldexp(size % 2 ? -t.coef : t.coef, size);
            acc[s] += v;
        });
    }
    std::vector<mobius_term> out;
    out.reserve(acc.size());
    for (auto & kv : acc) {
        if (kv.second != 0.0) {
            out.push_back({kv.first, kv.second});
        }
    }
    std::sort(out.begin(), out.end(), [](const mobius_term & a, const mobius_term & b) {
        return explanation_order(a.set, a.coef, b.set, b.coef);
    });
    return out;
}

sparse_fourier mobius_to_fourier(int n, const std::vector<mobius_term> & a, int max_expand_degree) {
    const char * context = "mobius_to_fourier";
    check_cap(max_expand_degree, context);
    if (n < 0) {
        throw spex_error(std::string(context) + ": negative number of features n = " + std::to_string(n));
    }
    for (const mobius_term & t : a) {
        require_valid_set(t.set, n, context);
        check_degree(t.set, max_expand_degree, context,
                     "raise max_expand_degree or give the function in the Fourier basis instead");
    }
    coef_map acc;
    for (const mobius_term & t : a) {
        if (t.coef == 0.0) {
            continue;
        }
        const double scaled = std::ldexp(t.coef, -static_cast<int>(t.set.size()));
        for_each_subset(t.set, [&](const feature_set & k, int size) { acc[k] += size % 2 ? -scaled : scaled; });
    }
    sparse_fourier f;
    f.n = n;
    f.terms.reserve(acc.size());
    for (auto & kv : acc) {
        if (kv.second != 0.0) {
            f.terms.push_back({kv.first, kv.second});
        }
    }
    f.sort_by_magnitude();
    return f;
}

}  // namespace spex
