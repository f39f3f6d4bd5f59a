#include "removal_search.h"

#include "mobius.h"
#include "spex_error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace spex {

namespace {

// One direction of the search, minimising h = dir * f over masks with features removed.
// Removing or re-keeping feature i flips the sign of every term containing i, so with
// per-feature term lists both the move's effect and its update touch only those terms.
class removal_searcher {
  public:
    removal_searcher(const sparse_fourier & f, double dir) : n_(f.n), g_(static_cast<size_t>(f.n), 0.0) {
        double scale = 0.0;
        for (const fourier_term & t : f.terms) {
            if (t.coef == 0.0) {
                continue;
            }
            scale += std::fabs(t.coef);
            terms_.push_back(&t.set);
            coef_.push_back(dir * t.coef);
            sign_.push_back(t.set.size() % 2 ? -1.0 : 1.0);  // every feature kept: (-1)^|k|
        }
        // Improvements below rounding noise must not count, or swaps could cycle.
        eps_ = 1e-12 * scale;
        by_feature_.resize(static_cast<size_t>(n_));
        for (size_t k = 0; k < terms_.size(); ++k) {
            for (int i : *terms_[k]) {
                by_feature_[static_cast<size_t>(i)].push_back(k);
                g_[static_cast<size_t>(i)] -= 2.0 * sign_[k] * coef_[k];
            }
        }
        removed_.assign(static_cast<size_t>(n_), 0);
        stamp_.assign(static_cast<size_t>(n_), 0);
        acc_.assign(static_cast<size_t>(n_), 0.0);
    }

    // h at the current mask, summed afresh so reported values carry no drift.
    double value() const {
        double h = 0.0;
        for (size_t k = 0; k < terms_.size(); ++k) {
            h += sign_[k] * coef_[k];
        }
        return h;
    }

    // Steps minimising h, for r = 1..max_removed (see removal_search in the header).
    std::vector<removal_step> run(int max_removed, double dir) {
        std::vector<removal_step> steps;
        double                    current = value();
        for (int r = 1; r <= max_removed; ++r) {
            const size_t mark = log_.size();
            const int    j    = best_addition();
            if (j < 0) {
                break;
            }
            toggle(j);
            const int swap_cap = 64 + 4 * r;
            for (int s = 0; s < swap_cap && apply_best_swap(); ++s) {
            }
            const double next = value();
            if (!(next < current - eps_)) {
                undo_to(mark);
                break;
            }
            current = next;
            removal_step step;
            step.removed_count = r;
            step.removed       = removed_list();
            step.predicted     = dir * next;
            steps.push_back(std::move(step));
        }
        return steps;
    }

  private:
    int                              n_;
    std::vector<const feature_set *> terms_;
    std::vector<double>              coef_;        // dir * F(k)
    std::vector<double>              sign_;        // (-1)^<x,k> at the current mask
    std::vector<std::vector<size_t>> by_feature_;  // terms containing each feature
    std::vector<double>              g_;           // change in h if feature i is toggled
    std::vector<char>                removed_;
    std::vector<int>                 log_;  // toggles, so a rejected step can be undone
    double                           eps_ = 0.0;
    // Scratch for the swap search: acc_[j] = sum of sign*coef over terms holding i and j.
    std::vector<unsigned> stamp_;
    std::vector<double>   acc_;
    unsigned              epoch_ = 0;

    void toggle(int i) {
        for (size_t k : by_feature_[static_cast<size_t>(i)]) {
            const double old = sign_[k] * coef_[k];
            // k's share of g_j goes from -2 old to +2 old for every j in k (i included).
            for (int j : *terms_[k]) {
                g_[static_cast<size_t>(j)] += 4.0 * old;
            }
            sign_[k] = -sign_[k];
        }
        removed_[static_cast<size_t>(i)] ^= 1;
        log_.push_back(i);
    }

    void undo_to(size_t mark) {
        while (log_.size() > mark) {
            const int i = log_.back();
            toggle(i);
            log_.pop_back();  // the undo's own entry
            log_.pop_back();  // the entry it undid
        }
    }

    int best_addition() const {
        int best = -1;
        for (int j = 0; j < n_; ++j) {
            if (!removed_[static_cast<size_t>(j)] &&
                (best < 0 || g_[static_cast<size_t>(j)] < g_[static_cast<size_t>(best)])) {
                best = j;
            }
        }
        return best;
    }

    std::vector<int> removed_list() const {
        std::vector<int> out;
        for (int i = 0; i < n_; ++i) {
            if (removed_[static_cast<size_t>(i)]) {
                out.push_back(i);
            }
        }
        return out;
    }

    // Finds the swap (re-keep removed i, remove kept j) that lowers h most and applies it
    // if it lowers h by more than eps. Toggling both changes h by
    //     g_i + g_j + 4 * sum_{k ∋ i, j} sign_k coef_k
    // (terms holding both flip twice), so only j sharing a term with i need the pair sum.
    bool apply_best_swap() {
        std::vector<int> kept_by_gain;
        for (int j = 0; j < n_; ++j) {
            if (!removed_[static_cast<size_t>(j)]) {
                kept_by_gain.push_back(j);
            }
        }
        if (kept_by_gain.empty()) {
            return false;
        }
        std::sort(kept_by_gain.begin(), kept_by_gain.end(), [&](int a, int b) {
            const double ga = g_[static_cast<size_t>(a)];
            const double gb = g_[static_cast<size_t>(b)];
            return ga != gb ? ga < gb : a < b;
        });
        double           best_change = -eps_;
        int              best_i = -1, best_j = -1;
        std::vector<int> touched;
        for (int i = 0; i < n_; ++i) {
            if (!removed_[static_cast<size_t>(i)]) {
                continue;
            }
            ++epoch_;
            touched.clear();
            for (size_t k : by_feature_[static_cast<size_t>(i)]) {
                const double v = sign_[k] * coef_[k];
                for (int j : *terms_[k]) {
                    if (j == i || removed_[static_cast<size_t>(j)]) {
                        continue;
                    }
                    if (stamp_[static_cast<size_t>(j)] != epoch_) {
                        stamp_[static_cast<size_t>(j)] = epoch_;
                        acc_[static_cast<size_t>(j)]   = 0.0;
                        touched.push_back(j);
                    }
                    acc_[static_cast<size_t>(j)] += v;
                }
            }
            const double gi = g_[static_cast<size_t>(i)];
            for (int j : touched) {
                const double change = gi + g_[static_cast<size_t>(j)] + 4.0 * acc_[static_cast<size_t>(j)];
                if (change < best_change) {
                    best_change = change;
                    best_i      = i;
                    best_j      = j;
                }
            }
            // The best j sharing no term with i is the first such j in gain order.
            for (int j : kept_by_gain) {
                if (stamp_[static_cast<size_t>(j)] != epoch_) {
                    const double change = gi + g_[static_cast<size_t>(j)];
                    if (change < best_change) {
                        best_change = change;
                        best_i      = i;
                        best_j      = j;
                    }
                    break;
                }
            }
        }
        if (best_i < 0) {
            return false;
        }
        toggle(best_i);
        toggle(best_j);
        return true;
    }
};

}  // namespace

removal_result removal_search(const sparse_fourier & f, int max_removed) {
    if (max_removed < 0) {
        throw spex_error("removal_search: max_removed must be >= 0 (got " + std::to_string(max_removed) + ")");
    }
    require_valid_terms(f, "removal_search");
    const int      r_max = std::min(max_removed, f.n);
    removal_result out;
    {
        removal_searcher down(f, 1.0);
        out.full_value = down.value();
        out.decrease   = down.run(r_max, 1.0);
    }
    {
        removal_searcher up(f, -1.0);
        out.increase = up.run(r_max, -1.0);
    }
    return out;
}

}  // namespace spex
