#include "exact_rational.h"

#include <algorithm>

namespace spex {
namespace exact {

i128 checked_mul(i128 a, i128 b) {
    i128 r;
    if (__builtin_mul_overflow(a, b, &r)) {
        throw exact_overflow{};
    }
    return r;
}

i128 checked_add(i128 a, i128 b) {
    i128 r;
    if (__builtin_add_overflow(a, b, &r)) {
        throw exact_overflow{};
    }
    return r;
}

i128 checked_neg(i128 a) { return checked_mul(a, -1); }

i128 gcd(i128 a, i128 b) {
    if (a < 0) {
        a = checked_neg(a);
    }
    if (b < 0) {
        b = checked_neg(b);
    }
    while (b != 0) {
        const i128 t = a % b;
        a            = b;
        b            = t;
    }
    return a;
}

rational make_rational(i128 num, i128 den) {
    if (den < 0) {
        num = checked_neg(num);
        den = checked_neg(den);
    }
    const i128 g = gcd(num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    if (num == 0) {
        den = 1;
    }
    return {num, den};
}

rational add(const rational & x, const rational & y) {
    const i128 g  = gcd(x.den, y.den);
    const i128 xd = x.den / g;
    const i128 yd = y.den / g;
    return make_rational(checked_add(checked_mul(x.num, yd), checked_mul(y.num, xd)), checked_mul(x.den, yd));
}

rational mul(const rational & x, const rational & y) {
    if (x.num == 0 || y.num == 0) {
        return {};
    }
    const i128 g1 = gcd(x.num, y.den);
    const i128 g2 = gcd(y.num, x.den);
    return make_rational(checked_mul(x.num / g1, y.num / g2), checked_mul(x.den / g2, y.den / g1));
}

rational integer(i128 v) { return {v, 1}; }

double to_double(const rational & x) { return static_cast<double>(x.num) / static_cast<double>(x.den); }

i128 binomial(int n, int k) {
    if (k < 0 || k > n) {
        return 0;
    }
    k      = std::min(k, n - k);
    i128 c = 1;
    for (int i = 0; i < k; ++i) {
        c = checked_mul(c, n - i) / (i + 1);  // exact: c * (n-i) = C(n, i+1) * (i+1)
    }
    return c;
}

rational signed_power_of_two(int e, bool negative) {  // (±2)^e for e of either sign
    if (e >= 0) {
        i128 p = 1;
        for (int i = 0; i < e; ++i) {
            p = checked_mul(p, 2);
        }
        return integer(negative && e % 2 ? -p : p);
    }
    rational r = signed_power_of_two(-e, false);
    return make_rational(negative && (-e) % 2 ? -1 : 1, r.num);
}

// Bernoulli numbers with B_1 = -1/2, from sum_{i=0}^{m} C(m+1, i) B_i = 0.
std::vector<rational> bernoulli_numbers(int count) {
    std::vector<rational> b;
    for (int m = 0; m < count; ++m) {
        if (m == 0) {
            b.push_back(integer(1));
            continue;
        }
        rational s;
        for (int i = 0; i < m; ++i) {
            s = add(s, mul(integer(binomial(m + 1, i)), b[static_cast<size_t>(i)]));
        }
        b.push_back(mul(s, make_rational(-1, m + 1)));
    }
    return b;
}

}  // namespace exact
}  // namespace spex
