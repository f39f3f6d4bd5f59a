#include "brute_force.h"

#include <algorithm>
#include <stdexcept>

namespace spex_bf {

spex::sparse_fourier random_fourier(spex::prng & rng, int n, int count, int max_degree) {
    max_degree       = std::min(max_degree, n);
    double available = 0.0;  // sets of degree <= max_degree
    for (int d = 0; d <= max_degree; ++d) {
        available += binomial(n, d);
    }
    if (count > available) {
        throw std::invalid_argument("random_fourier: more terms than sets of that degree");
    }
    std::map<spex::feature_set, double> terms;
    while (static_cast<int>(terms.size()) < count) {
        const int        degree = static_cast<int>(rng.below(static_cast<uint64_t>(max_degree) + 1));
        std::vector<int> pool(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            pool[static_cast<size_t>(i)] = i;
        }
        uint32_t bits = 0;
        for (int d = 0; d < degree; ++d) {  // partial Fisher-Yates
            const size_t pick = static_cast<size_t>(d) + rng.below(static_cast<uint64_t>(n - d));
            std::swap(pool[static_cast<size_t>(d)], pool[pick]);
            bits |= 1u << pool[static_cast<size_t>(d)];
        }
        const double magnitude = 0.1 + 0.9 * rng.uniform();
        terms[to_set(bits)]    = rng.bit() ? magnitude : -magnitude;
    }
    spex::sparse_fourier f;
    f.n = n;
    for (auto & kv : terms) {
        f.terms.push_back({kv.first, kv.second});
    }
    return f;
}

uint32_t to_bits(const spex::feature_set & s) {
    uint32_t bits = 0;
    for (int i : s) {
        bits |= 1u << i;
    }
    return bits;
}

spex::feature_set to_set(uint32_t bits) {
    spex::feature_set s;
    for (int i = 0; i < 32; ++i) {
        if ((bits >> i) & 1u) {
            s.push_back(i);
        }
    }
    return s;
}

int popcount(uint32_t bits) { return __builtin_popcount(bits); }

std::vector<double> value_table(const spex::sparse_fourier & f) {
    if (f.n > 16) {
        throw std::invalid_argument("value_table: n too large for brute force");
    }
    const uint32_t      size = 1u << f.n;
    std::vector<double> v(size, 0.0);
    for (uint32_t x = 0; x < size; ++x) {
        double sum = 0.0;
        for (const spex::fourier_term & t : f.terms) {
            sum += (popcount(x & to_bits(t.set)) % 2) ? -t.coef : t.coef;
        }
        v[x] = sum;
    }
    return v;
}

std::vector<double> mobius_table(const std::vector<double> & values) {
    std::vector<double> a(values.size(), 0.0);
    for (uint32_t s = 0; s < values.size(); ++s) {
        // Sum over the subsets L of S by the usual (L - 1) & S walk.
        double   sum = 0.0;
        uint32_t l   = s;
        while (true) {
            sum += ((popcount(s) - popcount(l)) % 2 ? -1.0 : 1.0) * values[l];
            if (l == 0) {
                break;
            }
            l = (l - 1) & s;
        }
        a[s] = sum;
    }
    return a;
}

double discrete_derivative(const std::vector<double> & values, uint32_t t, uint32_t s) {
    double   sum = 0.0;
    uint32_t l   = t;
    while (true) {
        sum += ((popcount(t) - popcount(l)) % 2 ? -1.0 : 1.0) * values[s | l];
        if (l == 0) {
            break;
        }
        l = (l - 1) & t;
    }
    return sum;
}

double binomial(int n, int k) {
    if (k < 0 || k > n) {
        return 0.0;
    }
    double c = 1.0;
    for (int i = 0; i < k; ++i) {
        c = c * (n - i) / (i + 1);
    }
    return c;
}

double factorial(int n) {
    double f = 1.0;
    for (int i = 2; i <= n; ++i) {
        f *= i;
    }
    return f;
}

std::vector<uint32_t> subsets_up_to(int n, int max_size) {
    std::vector<uint32_t> out;
    for (uint32_t s = 0; s < (1u << n); ++s) {
        if (popcount(s) <= max_size) {
            out.push_back(s);
        }
    }
    return out;
}

double bernoulli(int j) {
    static const double table[] = {1.0,         -1.0 / 2.0, 1.0 / 6.0,  0.0, -1.0 / 30.0,    0.0, 1.0 / 42.0, 0.0,
                                   -1.0 / 30.0, 0.0,        5.0 / 66.0, 0.0, -691.0 / 2730.0};
    if (j < 0 || j > 12) {
        throw std::invalid_argument("bernoulli: only B_0..B_12 are tabulated");
    }
    return table[j];
}

}  // namespace spex_bf
