#include "sparse_fourier.h"

#include "mask_matrix.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace spex {

double sparse_fourier::evaluate(const uint64_t * mask) const {
    double sum = 0.0;
    for (const fourier_term & t : terms) {
        unsigned parity = 0;
        for (int i : t.set) {
            parity ^= static_cast<unsigned>(mask_keeps(mask, i));
        }
        sum += parity ? -t.coef : t.coef;
    }
    return sum;
}

int sparse_fourier::max_degree() const {
    size_t d = 0;
    for (const fourier_term & t : terms) {
        d = std::max(d, t.set.size());
    }
    return static_cast<int>(d);
}

static bool set_order(const feature_set & a, const feature_set & b) {
    if (a.size() != b.size()) {
        return a.size() < b.size();
    }
    return a < b;
}

void sparse_fourier::sort_by_magnitude() {
    std::sort(terms.begin(), terms.end(), [](const fourier_term & a, const fourier_term & b) {
        const double ma = std::fabs(a.coef);
        const double mb = std::fabs(b.coef);
        if (ma != mb) {
            return ma > mb;
        }
        return set_order(a.set, b.set);
    });
}

void sparse_fourier::canonicalize() {
    std::map<feature_set, double> merged;
    for (const fourier_term & t : terms) {
        merged[t.set] += t.coef;
    }
    terms.clear();
    for (auto & kv : merged) {
        if (kv.second != 0.0) {
            terms.push_back({kv.first, kv.second});
        }
    }
}

}  // namespace spex
