// symmetric_eigen: reconstruction A = Q diag(w) Q^T and orthogonality on random symmetric
// matrices, agreement with Eigen's eigenvalues, the factored form against the explicit one,
// degenerate inputs (1 x 1, zero, diagonal, repeated eigenvalues) and the sign convention.
#include "spex/baselines/symmetric_eigen.h"
#include "spex/prng.h"
#include "spex/spex_error.h"

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace spex;

namespace {

// A random symmetric n x n matrix (row-major, both triangles), entries uniform in [-1, 1).
std::vector<double> random_symmetric(size_t n, uint64_t seed) {
    prng                rng(seed);
    std::vector<double> a(n * n, 0.0);
    for (size_t i = 0; i < n; ++i) {
        for (size_t j = 0; j <= i; ++j) {
            const double v = 2.0 * rng.uniform() - 1.0;
            a[i * n + j]   = v;
            a[j * n + i]   = v;
        }
    }
    return a;
}

double max_abs(const std::vector<double> & a) {
    double m = 0.0;
    for (double v : a) {
        m = std::max(m, std::fabs(v));
    }
    return m;
}

// max |A - Q diag(w) Q^T| and max |Q^T Q - I|.
void residuals(const std::vector<double> & a, const symmetric_eigen & es, double & recon, double & orth) {
    const size_t n = es.size();
    recon = orth = 0.0;
    for (size_t i = 0; i < n; ++i) {
        for (size_t j = 0; j < n; ++j) {
            double s = 0.0, o = 0.0;
            for (size_t k = 0; k < n; ++k) {
                s += es.vector(i, k) * es.values()[k] * es.vector(j, k);
                o += es.vector(k, i) * es.vector(k, j);
            }
            recon = std::max(recon, std::fabs(a[i * n + j] - s));
            orth  = std::max(orth, std::fabs(o - (i == j ? 1.0 : 0.0)));
        }
    }
}

// Checks both forms of the decomposition of a (reconstruction, orthogonality, ascending values,
// factored products equal to the explicit ones).
void check_decomposition(const std::vector<double> & a, size_t n) {
    const symmetric_eigen es(a, n, true);
    REQUIRE(es.values().size() == n);
    REQUIRE(std::is_sorted(es.values().begin(), es.values().end()));
    double recon = 0.0, orth = 0.0;
    residuals(a, es, recon, orth);
    const double scale = std::max(max_abs(a), 1.0) * static_cast<double>(std::max<size_t>(n, 1));
    CHECK(recon <= 1e-13 * scale);
    CHECK(orth <= 1e-13 * static_cast<double>(std::max<size_t>(n, 1)));

    const symmetric_eigen fac(a, n, false);
    REQUIRE_FALSE(fac.has_vectors());
    REQUIRE(fac.values() == es.values());  // the same eigenvalues, bit for bit
    prng                rng(99);
    std::vector<double> b(n);
    for (double & v : b) {
        v = rng.uniform() - 0.5;
    }
    const std::vector<double> c1 = es.apply_qt(b), c2 = fac.apply_qt(b);
    const std::vector<double> q1 = es.apply_q(c1), q2 = fac.apply_q(c2);
    for (size_t i = 0; i < n; ++i) {
        // Eigenvector signs may differ between the forms, so compare |Q^T b| and the round trip.
        CHECK(std::fabs(std::fabs(c1[i]) - std::fabs(c2[i])) <= 1e-12);
        CHECK(std::fabs(q1[i] - b[i]) <= 1e-12);
        CHECK(std::fabs(q2[i] - b[i]) <= 1e-12);
    }
}

}  // namespace

TEST_CASE("symmetric_eigen reconstructs random symmetric matrices with orthogonal Q", "[symmetric_eigen]") {
    for (size_t n : {2u, 3u, 5u, 17u, 64u, 101u}) {
        INFO("n = " << n);
        check_decomposition(random_symmetric(n, 1000 + n), n);
    }
}

TEST_CASE("symmetric_eigen matches Eigen's eigenvalues", "[symmetric_eigen]") {
    for (size_t n : {4u, 30u, 120u}) {
        const std::vector<double> a = random_symmetric(n, 7 * n);
        Eigen::MatrixXd           m(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
        for (size_t i = 0; i < n; ++i) {
            for (size_t j = 0; j < n; ++j) {
                m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = a[i * n + j];
            }
        }
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ref(m, Eigen::EigenvaluesOnly);
        const symmetric_eigen                                es(a, n, false);
        const double                                         norm = ref.eigenvalues().cwiseAbs().maxCoeff();
        for (size_t j = 0; j < n; ++j) {
            CHECK(std::fabs(es.values()[j] - ref.eigenvalues()[static_cast<Eigen::Index>(j)]) <= 1e-10 * norm);
        }
    }
}

TEST_CASE("symmetric_eigen handles degenerate matrices", "[symmetric_eigen]") {
    SECTION("1 x 1") {
        const symmetric_eigen es({-2.5}, 1, true);
        CHECK(es.values() == std::vector<double>{-2.5});
        CHECK(es.vector(0, 0) == 1.0);
        CHECK(es.apply_qt({3.0}) == std::vector<double>{3.0});
    }
    SECTION("0 x 0") {
        const symmetric_eigen es({}, 0, false);
        CHECK(es.values().empty());
        CHECK(es.apply_q({}).empty());
    }
    SECTION("zero matrix") {
        const size_t          n = 6;
        const symmetric_eigen es(std::vector<double>(n * n, 0.0), n, true);
        for (double v : es.values()) {
            CHECK(v == 0.0);
        }
        check_decomposition(std::vector<double>(n * n, 0.0), n);
    }
    SECTION("diagonal matrix") {
        const size_t        n = 5;
        std::vector<double> a(n * n, 0.0);
        const double        diag[] = {3.0, -1.0, 7.0, 0.5, -4.0};
        for (size_t i = 0; i < n; ++i) {
            a[i * n + i] = diag[i];
        }
        const symmetric_eigen es(a, n, true);
        CHECK(es.values() == std::vector<double>{-4.0, -1.0, 0.5, 3.0, 7.0});
        CHECK(es.vector(4, 0) == 1.0);  // -4 sits at index 4; signs make the big entry positive
        CHECK(es.vector(2, 4) == 1.0);
        check_decomposition(a, n);
    }
    SECTION("repeated eigenvalues") {
        // A = 2 I + 3 v v^T (v unit): eigenvalue 2 with multiplicity n - 1, and 5.
        const size_t        n = 9;
        std::vector<double> v(n), a(n * n, 0.0);
        double              norm2 = 0.0;
        for (size_t i = 0; i < n; ++i) {
            v[i] = 1.0 + static_cast<double>(i % 3);
            norm2 += v[i] * v[i];
        }
        for (size_t i = 0; i < n; ++i) {
            for (size_t j = 0; j < n; ++j) {
                a[i * n + j] = (i == j ? 2.0 : 0.0) + 3.0 * v[i] * v[j] / norm2;
            }
        }
        const symmetric_eigen es(a, n, true);
        for (size_t j = 0; j + 1 < n; ++j) {
            CHECK(es.values()[j] == Approx(2.0).margin(1e-13));
        }
        CHECK(es.values()[n - 1] == Approx(5.0).margin(1e-13));
        check_decomposition(a, n);
    }
    SECTION("identity and a rank-one all-ones matrix") {
        const size_t        n = 7;
        std::vector<double> ones(n * n, 1.0), id(n * n, 0.0);
        for (size_t i = 0; i < n; ++i) {
            id[i * n + i] = 1.0;
        }
        check_decomposition(ones, n);
        check_decomposition(id, n);
        const symmetric_eigen es(ones, n, false);
        CHECK(es.values()[n - 1] == Approx(7.0).margin(1e-13));
        CHECK(std::fabs(es.values()[0]) <= 1e-13);
    }
}

TEST_CASE("symmetric_eigen fixes eigenvector signs and rejects bad input", "[symmetric_eigen]") {
    const size_t          n = 20;
    const symmetric_eigen es(random_symmetric(n, 5), n, true);
    for (size_t j = 0; j < n; ++j) {
        size_t big = 0;
        for (size_t i = 1; i < n; ++i) {
            if (std::fabs(es.vector(i, j)) > std::fabs(es.vector(big, j))) {
                big = i;
            }
        }
        CHECK(es.vector(big, j) > 0.0);
    }
    CHECK_THROWS_AS(symmetric_eigen(std::vector<double>(5, 0.0), 2, false), spex_error);
    std::vector<double> bad = random_symmetric(4, 1);
    bad[5]                  = std::nan("");
    CHECK_THROWS_AS(symmetric_eigen(bad, 4, true), spex_error);
}
