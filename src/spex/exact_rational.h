// exact_rational: rationals over 128-bit integers with overflow reported, not rounded.
//
// The Fourier weights W(d, q) of the interaction indices are alternating sums of ~d terms of
// size up to ~3^d: doubles lose every digit near d = 30. These stay exact until a numerator
// or denominator leaves 128 bits, and then throw exact_overflow so the caller can report it.
#pragma once

#include <vector>

namespace spex {
namespace exact {

__extension__ typedef __int128 i128;

struct exact_overflow {};

struct rational {
    i128 num = 0;
    i128 den = 1;  // > 0; num/den in lowest terms
};

i128     checked_mul(i128 a, i128 b);
i128     checked_add(i128 a, i128 b);
i128     checked_neg(i128 a);
i128     gcd(i128 a, i128 b);
rational make_rational(i128 num, i128 den);
rational add(const rational & x, const rational & y);
rational mul(const rational & x, const rational & y);
rational integer(i128 v);
double   to_double(const rational & x);
i128     binomial(int n, int k);
rational signed_power_of_two(int e, bool negative);  // (±2)^e for e of either sign
// Bernoulli numbers B_0..B_{count-1} with B_1 = -1/2.
std::vector<rational> bernoulli_numbers(int count);

}  // namespace exact
}  // namespace spex
