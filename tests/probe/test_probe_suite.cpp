// The probe-suite format (docs/probe-suites.md): what parses, what is refused and with which
// message, and how a suite expands into cases (the seeded sample included, the same natively
// and in wasm).
#include "probe/probe_suite.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace spexlens::probe;

namespace {

// A suite around one test object (JSON text).
std::string suite_with(const std::string & test) {
    return R"({"format": "spexlens-probe-suite", "version": 1, "name": "s", "description": "d", "tests": [)" + test +
           "]}";
}

// The message parse + expand gives for `text` ("" when it is accepted).
std::string refusal(const std::string & text) {
    try {
        expand_suite(parse_probe_suite(text));
    } catch (const probe_error & e) {
        return e.what();
    }
    return "";
}

void check_refused(const std::string & text, const std::vector<std::string> & phrases) {
    const std::string message = refusal(text);
    INFO("suite: " << text.substr(0, 300));
    INFO("message: " << message);
    REQUIRE_FALSE(message.empty());
    CHECK(message.rfind("probe suite: ", 0) == 0);
    for (const std::string & p : phrases) {
        CHECK(message.find(p) != std::string::npos);
    }
}

const char * mft_listed = R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "spam"},
                              "cases": ["free money", {"text": "hi mum", "expect": {"label": "ham"}}]})";

}  // namespace

TEST_CASE("a suite with each kind of test parses and expands") {
    const std::string text = R"({
      "format": "spexlens-probe-suite", "version": 1, "name": "demo", "description": "about",
      "model_hint": "spam-transformer", "target": "spam:prob", "seed": 7,
      "tests": [
        )" + std::string(mft_listed) +
                             R"(,
        {"name": "names", "type": "inv", "capability": "invariance: names",
         "base": "Thanks, {a}.", "perturbed": "Thanks, {b}.", "fill": {"a": ["Ann", "Bob"], "b": ["Cy", "Di", "Ed"]}},
        {"name": "claim", "type": "dir", "capability": "vocabulary", "description": "more spam",
         "expect": {"direction": "up", "margin": 0.5},
         "pairs": [{"base": "Lunch?", "perturbed": "Lunch? Click here to claim."}]}
      ]})";
    const probe_suite suite = parse_probe_suite(text);
    CHECK(suite.name == "demo");
    CHECK(suite.description == "about");
    CHECK(suite.model_hint == "spam-transformer");
    CHECK(suite.target == "spam:prob");
    CHECK(suite.seed == 7);
    REQUIRE(suite.tests.size() == 3);
    CHECK(suite.tests[0].type == TEST_MFT);
    CHECK(suite.tests[1].type == TEST_INV);
    CHECK(suite.tests[1].expect->same_label);  // invariance's default expectation
    CHECK_FALSE(suite.tests[1].expect->max_change);
    CHECK(suite.tests[1].combinations == 6);
    CHECK(suite.tests[2].expect->direction == DIRECTION_UP);
    CHECK(suite.tests[2].expect->margin == 0.5);
    CHECK(suite.tests[2].description == "more spam");

    const std::vector<probe_case> cases = expand_suite(suite);
    REQUIRE(cases.size() == 2 + 6 + 1);
    CHECK(cases[0].id == "1.1");
    CHECK(cases[0].texts == std::vector<std::string>{"free money"});
    CHECK(cases[0].expect.label == "spam");
    CHECK(cases[1].id == "1.2");
    CHECK(cases[1].expect.label == "ham");  // the case's own expectation
    // The product in order, the last placeholder (by name) varying fastest.
    const std::vector<std::vector<std::string>> pairs = {
        {"Thanks, Ann.", "Thanks, Cy."}, {"Thanks, Ann.", "Thanks, Di."}, {"Thanks, Ann.", "Thanks, Ed."},
        {"Thanks, Bob.", "Thanks, Cy."}, {"Thanks, Bob.", "Thanks, Di."}, {"Thanks, Bob.", "Thanks, Ed."}};
    for (size_t i = 0; i < 6; ++i) {
        CHECK(cases[2 + i].texts == pairs[i]);
        CHECK(cases[2 + i].test == 1);
        CHECK(cases[2 + i].id == "2." + std::to_string(i + 1));
    }
    CHECK(cases[8].id == "3.1");
    CHECK(cases[8].texts[1] == "Lunch? Click here to claim.");
    // Texts the model must score, each once, in order of first use.
    const std::vector<std::string> texts = distinct_texts(cases);
    CHECK(texts.size() == 2 + 5 + 2);
    CHECK(texts[2] == "Thanks, Ann.");
    CHECK(texts[3] == "Thanks, Cy.");
}

TEST_CASE("templates: placeholders, literal braces and one value per placeholder in both texts") {
    CHECK(template_placeholders("Patient {name} denies {symptom}; {name} again") ==
          std::vector<std::string>{"name", "symptom"});
    CHECK(fill_template("{{x}} {a}}} {{", {"a"}, {"1"}) == "{x} 1} {");
    CHECK_THROWS_WITH(template_placeholders("a { b"), Catch::Contains("unmatched '{' at byte 2"));
    CHECK_THROWS_WITH(template_placeholders("a } b"), Catch::Contains("unmatched '}' at byte 2"));
    CHECK_THROWS_WITH(template_placeholders("{1x}"), Catch::Contains("is not a placeholder"));
    CHECK_THROWS_WITH(template_placeholders("{}"), Catch::Contains("is not a placeholder"));
    CHECK_THROWS_WITH(fill_template("{a} {b}", {"a"}, {"1"}), Catch::Contains("no value for the placeholder {b}"));

    const auto cases = expand_suite(parse_probe_suite(suite_with(
        R"({"name": "t", "type": "dir", "capability": "c", "expect": {"direction": "down"},
            "base": "{n} is {x}", "perturbed": "{n} is not {x}", "fill": {"n": ["A", "B"], "x": ["ok", ""]}})")));
    REQUIRE(cases.size() == 4);
    CHECK(cases[0].texts == std::vector<std::string>{"A is ok", "A is not ok"});
    CHECK(cases[1].texts == std::vector<std::string>{"A is ", "A is not "});  // an empty value is allowed
    CHECK(cases[3].texts == std::vector<std::string>{"B is ", "B is not "});
}

TEST_CASE("a product larger than max_cases is sampled, seeded and in product order") {
    std::string names = "[";
    for (int i = 0; i < 30; ++i) {
        names += (i ? ",\"n" : "\"n") + std::to_string(i) + "\"";
    }
    names += "]";
    const auto make = [&](const std::string & extra) {
        return suite_with(R"({"name": "big", "type": "mft", "capability": "c", "expect": {"label": "x"},
                              "template": "{a} met {b} and {c}", "max_cases": 25)" +
                          extra + R"(, "fill": {"a": )" + names + R"(, "b": )" + names + R"(, "c": )" + names + "}}");
    };
    const probe_suite suite = parse_probe_suite(make(""));
    CHECK(suite.tests[0].combinations == 27000);
    const auto cases = expand_suite(suite);
    REQUIRE(cases.size() == 25);
    std::set<std::string> texts;
    for (const auto & c : cases) {
        texts.insert(c.texts[0]);
    }
    CHECK(texts.size() == 25);                                                              // distinct combinations
    CHECK(expand_suite(parse_probe_suite(make(""))).front().texts == cases.front().texts);  // deterministic
    // The same sample on every platform (this test runs natively and in wasm): the first three
    // and the last drawn with seed 0 for the test named "big".
    CHECK(cases[0].texts[0] == "n1 met n2 and n1");
    CHECK(cases[1].texts[0] == "n1 met n6 and n23");
    CHECK(cases[2].texts[0] == "n1 met n14 and n24");
    CHECK(cases[24].texts[0] == "n29 met n27 and n5");
    // Another seed, another sample.
    const auto reseeded = expand_suite(parse_probe_suite(make(R"(, "seed": 99)")));
    REQUIRE(reseeded.size() == 25);
    bool differs = false;
    for (size_t i = 0; i < 25; ++i) {
        differs = differs || reseeded[i].texts != cases[i].texts;
    }
    CHECK(differs);
    // max_cases at or above the product: every combination, no sampling.
    const auto all = expand_suite(parse_probe_suite(suite_with(
        R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"}, "max_cases": 10,
            "template": "{a}", "fill": {"a": ["1", "2", "3"]}})")));
    REQUIRE(all.size() == 3);
    CHECK(all[2].texts[0] == "3");
}

TEST_CASE("malformed suites are refused with a message naming the test and the field") {
    const std::string header = R"("format": "spexlens-probe-suite", "version": 1, "name": "s", "description": "d")";
    // The file as a whole.
    check_refused("", {"not valid JSON"});
    check_refused("{\"format\": ", {"not valid JSON"});
    check_refused("[1, 2]", {"expected a JSON object"});
    check_refused(R"({"format": "spexlens-probe-suite", "version": 1e999})", {"not valid JSON"});
    check_refused(std::string(100, '[') + std::string(100, ']'), {"not valid JSON", "nested more than 64"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"},
                                 "cases": [)" +
                             std::string(80, '[') + std::string(80, ']') + "]}"),
                  {"nested more than 64"});
    check_refused(R"({"version": 1, "name": "s", "description": "d", "tests": []})", {"format: missing"});
    check_refused(R"({"format": "checklist", "version": 1, "name": "s", "description": "d", "tests": []})",
                  {"format: expected \"spexlens-probe-suite\""});
    check_refused(R"({"format": "spexlens-probe-suite", "version": 2, "name": "s", "description": "d", "tests": []})",
                  {"version: expected 1"});
    check_refused(R"({"format": "spexlens-probe-suite", "version": 1, "description": "d", "tests": []})",
                  {"name: missing"});
    check_refused("{" + header + "}", {"tests: missing"});
    check_refused("{" + header + R"(, "tests": []})", {"tests: expected a non-empty array"});
    check_refused("{" + header + R"(, "tests": {}})", {"tests: expected a non-empty array"});
    check_refused("{" + header + R"(, "tests": [1]})", {"tests[0]: expected a test object"});
    check_refused("{" + header + R"(, "tets": []})", {"tets: unknown field"});
    check_refused("{" + header + R"(, "seed": -1, "tests": [1]})", {"seed: -1 is out of range"});
    check_refused("{" + header + R"(, "seed": 1.5, "tests": [1]})", {"seed: expected an integer"});
    check_refused(R"({"format": "spexlens-probe-suite", "version": 1, "name": 5, "description": "d", "tests": []})",
                  {"name: expected a string, got 5"});
    check_refused(std::string(max_suite_bytes + 1, ' '), {"more than the limit of 4,194,304"});

    // One test.
    check_refused(suite_with(R"({"type": "mft"})"), {"tests[0]: name: missing"});
    check_refused(suite_with(R"({"name": "t", "capability": "c", "cases": ["x"]})"), {"tests[0] \"t\": type: missing"});
    check_refused(suite_with(R"({"name": "t", "type": "checklist", "capability": "c", "cases": ["x"]})"),
                  {"tests[0] \"t\": type: unknown test type \"checklist\"", "mft", "inv", "dir"});
    check_refused(suite_with(R"({"name": "t", "type": 3, "capability": "c", "cases": ["x"]})"),
                  {"type: expected a string, got 3"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "expect": {"label": "x"}, "cases": ["x"]})"),
                  {"capability: missing"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expct": {}, "cases": ["x"]})"),
                  {"expct: unknown field"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "cases": ["x"]})"),
                  {"cases[0]: has no expectation"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {}, "cases": ["x"]})"),
                  {"expect: an mft expectation needs"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"},
                                 "cases": []})"),
                  {"cases: expected a non-empty array"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"},
                                 "cases": [""]})"),
                  {"cases[0]: must not be empty"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"},
                                 "cases": [7]})"),
                  {"cases[0]: expected a text"});
    check_refused(
        suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"min_score": 2, "max_score": 1},
                       "cases": ["x"]})"),
        {"min_score is above max_score"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"min_score": "0.5"},
                                 "cases": ["x"]})"),
                  {"expect.min_score: expected a number, got \"0.5\""});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"},
                                 "pairs": [{"base": "a", "perturbed": "b"}]})"),
                  {"pairs: is for inv and dir tests"});
    check_refused(suite_with(R"({"name": "t", "type": "inv", "capability": "c", "cases": ["x"]})"),
                  {"cases: is for mft tests"});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"},
                                 "cases": ["x"], "template": "y"})"),
                  {"give either \"cases\""});
    check_refused(suite_with(R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"}})"),
                  {"give either \"cases\""});
    check_refused(
        suite_with(
            R"({"name": "t", "type": "inv", "capability": "c", "expect": {"same_label": false}, "pairs": [{"base": "a", "perturbed": "b"}]})"),
        {"an inv expectation needs"});
    check_refused(suite_with(R"({"name": "t", "type": "inv", "capability": "c", "expect": {"max_change": -1},
                                 "pairs": [{"base": "a", "perturbed": "b"}]})"),
                  {"expect.max_change: must be >= 0"});
    check_refused(suite_with(R"({"name": "t", "type": "inv", "capability": "c", "pairs": [{"base": "a"}]})"),
                  {"pairs[0].perturbed: missing"});
    check_refused(suite_with(R"({"name": "t", "type": "dir", "capability": "c", "expect": {"margin": 1},
                                 "pairs": [{"base": "a", "perturbed": "b"}]})"),
                  {"expect.direction: missing"});
    check_refused(suite_with(R"({"name": "t", "type": "dir", "capability": "c", "expect": {"direction": "sideways"},
                                 "pairs": [{"base": "a", "perturbed": "b"}]})"),
                  {"expect.direction: expected \"up\" or \"down\""});
    check_refused(
        suite_with(R"({"name": "t", "type": "dir", "capability": "c", "pairs": [{"base": "a", "perturbed": "b"}]})"),
        {"pairs[0]: has no expectation"});
    check_refused(suite_with(std::string(mft_listed) + "," + mft_listed), {"tests[1] \"t\": name: another test"});

    // Templates and fill-ins.
    const std::string t = R"({"name": "t", "type": "mft", "capability": "c", "expect": {"label": "x"}, )";
    check_refused(suite_with(t + R"("template": "Patient {name} denies {symptom}.", "fill": {"name": ["A"]}})"),
                  {"fill: has no values for the placeholder {symptom}"});
    check_refused(suite_with(t + R"("template": "Patient {name}.", "fill": {"name": []}})"),
                  {"fill.name: expected a non-empty array of strings, got []"});
    check_refused(suite_with(t + R"("template": "Patient {name}.", "fill": {"name": "Ann"}})"),
                  {"fill.name: expected a non-empty array"});
    check_refused(suite_with(t + R"("template": "Patient {name}.", "fill": {"name": ["A", 3]}})"),
                  {"fill.name[1]: expected a string, got 3"});
    check_refused(suite_with(t + R"("template": "Patient {name}.", "fill": {"name": ["A", "A"]}})"),
                  {"fill.name[1]: \"A\" is listed twice"});
    check_refused(suite_with(t + R"("template": "Patient {name}.", "fill": {"name": ["A"], "nmae": ["B"]}})"),
                  {"fill.nmae: no template uses {nmae}"});
    check_refused(suite_with(t + R"("template": "Patient {name.", "fill": {"name": ["A"]}})"),
                  {"template: unmatched '{'"});
    check_refused(suite_with(t + R"("template": "Patient {name}.", "fill": {"name": ["A"]}, "max_cases": 0})"),
                  {"max_cases: 0 is out of range 1..2,000"});
    check_refused(suite_with(t + R"("cases": ["x"], "max_cases": 3})"), {"max_cases: applies to templates only"});
    check_refused(suite_with(t + R"("template": "{a}", "fill": {"a": [" "]}})"), {"gives an empty text"});
    check_refused(
        suite_with(R"({"name": "t", "type": "mft", "capability": "c", "template": "{a}", "fill": {"a": ["x"]}})"),
        {"expect: missing"});
    check_refused(suite_with(R"({"name": "t", "type": "inv", "capability": "c", "base": "{a}", "fill": {"a": ["x"]}})"),
                  {"perturbed: missing"});
    // A huge product: refused unless max_cases samples it.
    std::string hundred = "[";
    for (int i = 0; i < 100; ++i) {
        hundred += (i ? ",\"v" : "\"v") + std::to_string(i) + "\"";
    }
    hundred += "]";
    const std::string huge_fill = R"("fill": {"a": )" + hundred + R"(, "b": )" + hundred + R"(, "c": )" + hundred + "}";
    check_refused(suite_with(t + R"("template": "{a} {b} {c}", )" + huge_fill + "}"),
                  {"the fill-ins make 1,000,000 combinations", "set \"max_cases\""});
    CHECK(refusal(suite_with(t + R"("template": "{a} {b} {c}", "max_cases": 50, )" + huge_fill + "}")).empty());
    // More combinations than 64 bits count.
    std::string many = "{";
    std::string pattern;
    for (int k = 0; k < 12; ++k) {
        many += (k ? ",\"p" : "\"p") + std::to_string(k) + "\": " + hundred;
        pattern += "{p" + std::to_string(k) + "}";
    }
    many += "}";
    check_refused(suite_with(t + R"("template": ")" + pattern + R"(", "fill": )" + many + "}"),
                  {"more than 18 quintillion combinations"});
    CHECK(expand_suite(parse_probe_suite(suite_with(t + R"("template": ")" + pattern +
                                                    R"(", "max_cases": 5, "fill": )" + many + "}")))
              .size() == 5);

    // Limits on texts and on the suite's size.
    const std::string long_text(max_text_bytes + 1, 'a');
    check_refused(suite_with(t + R"("cases": [")" + long_text + "\"]}"), {"cases[0]: 20001 bytes is longer"});
    check_refused(suite_with(t + R"("template": "{a}{a}", "fill": {"a": [")" +
                             std::string(max_text_bytes / 2 + 1, 'b') + "\"]}}"),
                  {"a template gives a text of 20,002 bytes"});
    std::string tests;
    for (size_t i = 0; i <= max_tests; ++i) {
        tests += (i ? "," : "") + std::string(R"({"name": "t)") + std::to_string(i) +
                 R"(", "type": "mft", "capability": "c", "expect": {"label": "x"}, "cases": ["x"]})";
    }
    check_refused("{" + header + ", \"tests\": [" + tests + "]}", {"501 tests, more than the limit of 500"});
    // Eleven tests of 2,000 cases each: more than the suite's 20,000.
    std::string thousand;
    for (int k = 0; k < 1000; ++k) {
        thousand += (k ? ",\"" : "\"") + std::to_string(k) + "\"";
    }
    std::string eleven;
    for (int i = 0; i < 11; ++i) {
        eleven += (i ? "," : "") + std::string(R"({"name": "t)") + std::to_string(i) +
                  R"(", "type": "mft", "capability": "c", "expect": {"label": "x"}, "template": "{a}{b}",
                      "max_cases": 2000, "fill": {"b": ["1", "2"], "a": [)" +
                  thousand + "]}}";
    }
    check_refused("{" + header + ", \"tests\": [" + eleven + "]}", {"more than 20,000 cases in all", "t10"});
}
