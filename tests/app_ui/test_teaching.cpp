// Teaching mode: a planted function run a slice per frame, its result drawn in the same
// views (features as chips), the planted vs recovered table, and what-if against the
// planted function itself.
#include "app/ui/views.h"
#include "ui_test_support.h"

#include <catch2/catch.hpp>

using namespace spexlens::app;
using ui_test::harness;

namespace {

void run_teaching(harness & h) {
    h.frame();
    h.click("teaching-toggle");
    REQUIRE(h.s.teaching.enabled);
    h.click("teaching-run");
    REQUIRE(h.s.error.empty());
    int frames = 0;
    while (h.s.teaching.run && frames < 20000) {
        h.frame();
        ++frames;
    }
    REQUIRE_FALSE(h.s.teaching.run);
    h.frames(2);
}

}  // namespace

TEST_CASE("a teaching run finishes over frames and shows planted vs recovered", "[teaching]") {
    harness h;
    REQUIRE_FALSE(teaching_presets().empty());
    run_teaching(h);
    REQUIRE(h.s.result);
    CHECK(h.s.error.empty());
    const loaded_result & r = *h.s.result;
    CHECK(r.ground_truth.present);
    CHECK(r.granularity == "synthetic");
    CHECK(h.s.index.first_order.size() == static_cast<size_t>(r.n));
    // The features are drawn as chips x0, x1, ... in the heat-map.
    CHECK(h.has("word:0"));
    CHECK(h.has("word:" + std::to_string(r.n - 1)));
    CHECK(h.s.app_version == r.json.value("spexlens_version", std::string()));
}

TEST_CASE("what-if on a planted function compares with the function itself, without the browser",
          "[teaching][whatif]") {
    harness h;
    run_teaching(h);
    h.click("whatif-toggle");
    REQUIRE(h.s.whatif.active);
    h.click("word:1");
    CHECK_FALSE(h.s.whatif.keep[1]);
    CHECK(h.actions.whatif_requests == 0);
    CHECK(h.s.whatif.real_known);
    CHECK_FALSE(h.s.whatif.real_pending);
    // A good recovery predicts the planted function closely at this mask.
    if (h.s.result->r2 > 0.99) {
        CHECK(h.s.whatif.surrogate == Approx(h.s.whatif.real_value).margin(0.05));
    }
}

TEST_CASE("a teaching run keeps going while the explain controls are shown, and can be cancelled", "[teaching]") {
    harness h;
    h.frame();
    h.click("teaching-toggle");
    h.click("teaching-run");
    REQUIRE(h.s.teaching.run);
    h.click("teaching-toggle");  // back to the explain controls
    CHECK_FALSE(h.s.teaching.enabled);
    int frames = 0;
    while (h.s.teaching.run && frames < 20000) {
        h.frame();
        ++frames;
    }
    CHECK(h.s.result);

    h.click("teaching-toggle");
    h.click("teaching-run");
    REQUIRE(h.s.teaching.run);
    h.click("cancel");
    CHECK_FALSE(h.s.teaching.run);
}
