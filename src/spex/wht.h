// wht: in-place fast Walsh–Hadamard transform of a real signal of length 2^b.
//
// out[j] = 2^-b * sum_z in[z] * (-1)^popcount(z & j). With z and j both read MSB-first this
// is docs/method.md's U[j] = 2^-b sum_l u(l) (-1)^<l,j> (§3). All SPEX signals are real, so a real
// transform is exact (the references carry complex arrays but use only the real part).
#pragma once

namespace spex {

void fwht_inplace(double * v, int b);

}  // namespace spex
