#include "feature_set.h"

#include <algorithm>
#include <iterator>

namespace spex {

bool is_subset(const feature_set & a, const feature_set & b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

feature_set symmetric_difference(const feature_set & a, const feature_set & b) {
    feature_set out;
    out.reserve(a.size() + b.size());
    std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

}  // namespace spex
