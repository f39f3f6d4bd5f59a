// interaction_indices: see interaction_indices.h.
//
// Index
//   [SECTION] index weights: Mobius, generic sums, closed forms
//   [SECTION] subsets and ASCII case
//   [SECTION] index names: parsing and listing
//   [SECTION] weights W(d, q) of a Fourier term
//   [SECTION] computing an index from a sparse Fourier transform
#include "interaction_indices.h"

#include "exact_rational.h"
#include "mobius.h"
#include "spex_error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <unordered_map>

namespace spex {

// [SECTION] index weights: Mobius, generic sums, closed forms

namespace {

using namespace exact;

// ---------------------------------------------------------------------------------------
// Index definitions.

bool drops_empty_set(index_kind kind) {
    return kind == INDEX_SII || kind == INDEX_BII || kind == INDEX_SV || kind == INDEX_BV;
}

int effective_order(index_kind kind, int order) { return (kind == INDEX_SV || kind == INDEX_BV) ? 1 : order; }

bool defined_for(index_kind kind, int order, int q) {
    return q >= (drops_empty_set(kind) ? 1 : 0) && q <= effective_order(kind, order);
}

// The Möbius weight w(r, q) of docs/method.md §7: Index(T) = sum_{R ⊇ T} w(|R|, |T|) a(R),
// for r >= q and q within the index's range.
rational mobius_weight(index_kind kind, int l, int r, int q, const std::vector<rational> & bernoulli) {
    switch (kind) {
    case INDEX_MOBIUS:
        return integer(r == q ? 1 : 0);
    case INDEX_FOURIER:  // F(T) = (-1)^q sum_{S ⊇ T} 2^-|S| a(S)
        return mul(integer(q % 2 ? -1 : 1), signed_power_of_two(-r, false));
    case INDEX_SII:
    case INDEX_SV:
        return make_rational(1, r - q + 1);
    case INDEX_BII:
    case INDEX_BV:
        return signed_power_of_two(q - r, false);
    case INDEX_STII:
        if (q < l) {
            return integer(r == q ? 1 : 0);
        }
        return make_rational(1, binomial(r, l));
    case INDEX_FSII: {
        if (r == q) {
            return integer(1);
        }
        if (r <= l) {
            return {};
        }
        // (-1)^{l-q} q/(l+q) C(l,q) C(r-1,l) / C(r+l-1,l+q)
        rational w = make_rational(checked_mul(q, binomial(l, q)), l + q);
        w          = mul(w, make_rational(binomial(r - 1, l), binomial(r + l - 1, l + q)));
        return (l - q) % 2 ? mul(w, integer(-1)) : w;
    }
    case INDEX_FBII: {
        if (r == q) {
            return integer(1);
        }
        if (r <= l) {
            return {};
        }
        // (-1)^{l-q} 2^{q-r} C(r-q-1, l-q)
        const rational w = mul(signed_power_of_two(q - r, false), integer(binomial(r - q - 1, l - q)));
        return (l - q) % 2 ? mul(w, integer(-1)) : w;
    }
    case INDEX_KSII: {
        if (q == 0) {
            return integer(r == 0 ? 1 : 0);  // k-SII(∅) = a(∅)
        }
        // sum over S with T ⊆ S ⊆ R, |S| <= l of B_{|S|-q} SII-weight(r, |S|)
        rational w;
        for (int j = 0; j <= std::min(l, r) - q; ++j) {
            const rational term = mul(integer(binomial(r - q, j)),
                                      mul(bernoulli[static_cast<size_t>(j)], make_rational(1, r - q - j + 1)));
            w                   = add(w, term);
        }
        return w;
    }
    }
    return {};
}

// W(d, q) = (-2)^q sum_{j=0}^{d-q} C(d-q, j) (-2)^j w(q+j, q), exactly.
rational generic_weight(index_kind kind, int l, int d, int q, const std::vector<rational> & bernoulli) {
    rational sum;
    for (int j = 0; j <= d - q; ++j) {
        const rational w = mobius_weight(kind, l, q + j, q, bernoulli);
        if (w.num == 0) {
            continue;
        }
        sum = add(sum, mul(mul(integer(binomial(d - q, j)), signed_power_of_two(j, true)), w));
    }
    return mul(sum, signed_power_of_two(q, true));
}

std::string overflow_message(index_kind kind, int order, int d) {
    return std::string("exact ") + index_kind_name(kind) + " weights of order " + std::to_string(order) +
           " for a Fourier term of degree " + std::to_string(d) +
           " overflow 128-bit rational arithmetic; drop the highest-degree terms (e.g. keep degree <= 30) or use "
           "SII, BII or FBII, whose weights have closed forms";
}

double generic_weight_double(index_kind kind, int order, int d, int q) {
    try {
        // k-SII uses B_j for j <= min(order, d) - 1 only; larger ones would overflow early.
        const int                   l         = effective_order(kind, order);
        const std::vector<rational> bernoulli = bernoulli_numbers(kind == INDEX_KSII ? std::min(l, d) + 1 : 0);
        return to_double(generic_weight(kind, l, d, q, bernoulli));
    } catch (const exact_overflow &) {
        throw spex_error(overflow_message(kind, order, d));
    }
}

// Closed forms of W, derived from the sums above (checked against them in the tests):
//   mobius (-2)^q;  fourier [d = q];  SII (-2)^q [d-q even] / (d-q+1);  BII (-2)^q [d = q];
//   FBII (-2)^q [d <= order] (the uniform least-squares fit of degree <= order is the
//   Fourier truncation to degree <= order).
bool closed_form_weight(index_kind kind, int order, int d, int q, double & out) {
    const double signed_pow = std::ldexp(q % 2 ? -1.0 : 1.0, q);
    switch (kind) {
    case INDEX_MOBIUS:
        out = signed_pow;
        return true;
    case INDEX_FOURIER:
        out = d == q ? 1.0 : 0.0;
        return true;
    case INDEX_SII:
    case INDEX_SV:
        out = (d - q) % 2 ? 0.0 : signed_pow / static_cast<double>(d - q + 1);
        return true;
    case INDEX_BII:
    case INDEX_BV:
        out = d == q ? signed_pow : 0.0;
        return true;
    case INDEX_FBII:
        out = d <= order ? signed_pow : 0.0;
        return true;
    default:
        return false;
    }
}

// [SECTION] subsets and ASCII case

// Calls visit(T) for every q-subset T of k (k sorted, so each T is sorted).
template <typename Visit> void for_each_subset_of_size(const feature_set & k, int q, Visit visit) {
    const int        d = static_cast<int>(k.size());
    std::vector<int> idx(static_cast<size_t>(q));
    for (int i = 0; i < q; ++i) {
        idx[static_cast<size_t>(i)] = i;
    }
    feature_set t(static_cast<size_t>(q));
    while (true) {
        for (int i = 0; i < q; ++i) {
            t[static_cast<size_t>(i)] = k[static_cast<size_t>(idx[static_cast<size_t>(i)])];
        }
        visit(t);
        int i = q - 1;
        while (i >= 0 && idx[static_cast<size_t>(i)] == d - q + i) {
            --i;
        }
        if (i < 0) {
            return;
        }
        ++idx[static_cast<size_t>(i)];
        for (int j = i + 1; j < q; ++j) {
            idx[static_cast<size_t>(j)] = idx[static_cast<size_t>(j - 1)] + 1;
        }
    }
}

std::string ascii_lower(const std::string & s) {
    std::string out = s;
    for (char & c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

// [SECTION] index names: parsing and listing

bool parse_index_kind(const std::string & name, index_kind & out) {
    std::string key = ascii_lower(name);
    // UTF-8 Ö (C3 96) -> ö (C3 B6), so "MÖBIUS" works too.
    for (size_t p = key.find("\xc3\x96"); p != std::string::npos; p = key.find("\xc3\x96", p)) {
        key.replace(p, 2, "\xc3\xb6");
    }
    struct alias {
        const char * name;
        index_kind   kind;
    };
    static const alias aliases[] = {
        {"mobius", INDEX_MOBIUS},
        {"m\xc3\xb6"
         "bius",
         INDEX_MOBIUS},
        {"moebius", INDEX_MOBIUS},
        {"fourier", INDEX_FOURIER},
        {"sii", INDEX_SII},
        {"bii", INDEX_BII},
        {"stii", INDEX_STII},
        {"fsii", INDEX_FSII},
        {"fbii", INDEX_FBII},
        {"k-sii", INDEX_KSII},
        {"ksii", INDEX_KSII},
        {"k_sii", INDEX_KSII},
        {"sv", INDEX_SV},
        {"shapley", INDEX_SV},
        {"bv", INDEX_BV},
        {"banzhaf", INDEX_BV},
    };
    for (const alias & a : aliases) {
        if (key == a.name) {
            out = a.kind;
            return true;
        }
    }
    return false;
}

const char * index_kind_name(index_kind kind) {
    switch (kind) {
    case INDEX_MOBIUS:
        return "mobius";
    case INDEX_FOURIER:
        return "fourier";
    case INDEX_SII:
        return "SII";
    case INDEX_BII:
        return "BII";
    case INDEX_STII:
        return "STII";
    case INDEX_FSII:
        return "FSII";
    case INDEX_FBII:
        return "FBII";
    case INDEX_KSII:
        return "k-SII";
    case INDEX_SV:
        return "SV";
    case INDEX_BV:
        return "BV";
    }
    return "unknown";
}

std::string index_kind_list() {
    static const index_kind all[] = {INDEX_MOBIUS, INDEX_FOURIER, INDEX_SII,  INDEX_BII, INDEX_STII,
                                     INDEX_FSII,   INDEX_FBII,    INDEX_KSII, INDEX_SV,  INDEX_BV};
    std::string             out;
    for (index_kind k : all) {
        out += (out.empty() ? "" : ", ") + std::string(index_kind_name(k));
    }
    return out;
}

// [SECTION] weights W(d, q) of a Fourier term

double fourier_index_weight_generic(index_kind kind, int order, int d, int q) {
    if (order < 1) {
        throw spex_error(std::string(index_kind_name(kind)) + ": order must be >= 1 (got " + std::to_string(order) +
                         ")");
    }
    if (q < 0 || q > d || !defined_for(kind, order, q)) {
        return 0.0;
    }
    return generic_weight_double(kind, order, d, q);
}

double fourier_index_weight(index_kind kind, int order, int d, int q) {
    if (order < 1) {
        throw spex_error(std::string(index_kind_name(kind)) + ": order must be >= 1 (got " + std::to_string(order) +
                         ")");
    }
    if (q < 0 || q > d || !defined_for(kind, order, q)) {
        return 0.0;
    }
    double w = 0.0;
    if (closed_form_weight(kind, effective_order(kind, order), d, q, w)) {
        return w;
    }
    return generic_weight_double(kind, order, d, q);
}

// [SECTION] computing an index from a sparse Fourier transform

interaction_index compute_interaction_index(const sparse_fourier & f, index_kind kind, int order) {
    if (order < 1) {
        throw spex_error(std::string(index_kind_name(kind)) + ": order must be >= 1 (got " + std::to_string(order) +
                         ")");
    }
    require_valid_terms(f, "compute_interaction_index");
    interaction_index result;
    result.kind  = kind;
    result.order = effective_order(kind, order);

    // W(d, q) for the degrees present, tabulated once (the exact sums dominate otherwise).
    const int                        max_d = f.max_degree();
    const int                        max_q = std::min(result.order, max_d);
    std::vector<std::vector<double>> weight(static_cast<size_t>(max_d) + 1);
    std::vector<char>                present(static_cast<size_t>(max_d) + 1, 0);
    for (const fourier_term & t : f.terms) {
        present[t.set.size()] = 1;
    }
    for (int d = 0; d <= max_d; ++d) {
        if (!present[static_cast<size_t>(d)]) {
            continue;
        }
        weight[static_cast<size_t>(d)].assign(static_cast<size_t>(std::min(d, max_q)) + 1, 0.0);
        for (int q = 0; q <= std::min(d, max_q); ++q) {
            weight[static_cast<size_t>(d)][static_cast<size_t>(q)] = fourier_index_weight(kind, order, d, q);
        }
    }

    std::unordered_map<feature_set, double, feature_set_hash> acc;
    for (const fourier_term & t : f.terms) {
        const std::vector<double> & w = weight[t.set.size()];
        if (t.coef == 0.0) {
            continue;
        }
        for (size_t q = 0; q < w.size(); ++q) {
            if (w[q] == 0.0) {
                continue;
            }
            const double contribution = t.coef * w[q];
            for_each_subset_of_size(t.set, static_cast<int>(q), [&](const feature_set & s) { acc[s] += contribution; });
        }
    }

    result.values.reserve(acc.size());
    for (auto & kv : acc) {
        if (kv.second != 0.0) {
            result.values.push_back({kv.first, kv.second});
        }
    }
    std::sort(result.values.begin(), result.values.end(), [](const index_value & a, const index_value & b) {
        return explanation_order(a.set, a.value, b.set, b.value);
    });
    return result;
}

}  // namespace spex
