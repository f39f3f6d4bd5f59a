// Judging a probe suite on hand-built scores (exactly which cases pass, and why the others
// fail), the scores document's checks, and the three report forms (JSON, CSV, HTML).
#include "probe/probe_report.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace spexlens::probe;
using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

// Six tests over eight texts whose scores are chosen below: every kind of expectation, with
// boundary values (a score exactly at the minimum, a change exactly at the margin) that pass.
const char * judged_suite = R"({
  "format": "spexlens-probe-suite", "version": 1, "name": "<b>demo</b> & co", "description": "hand-built",
  "target": "spam:prob",
  "tests": [
    {"name": "label", "type": "mft", "capability": "vocabulary", "expect": {"label": "spam"},
     "cases": ["a", "b", "=cmd|calc", "say \"hi\", ok"]},
    {"name": "range", "type": "mft", "capability": "vocabulary", "expect": {"min_score": 0.5, "max_score": 0.9},
     "cases": ["c", "d", "e"]},
    {"name": "same label", "type": "inv", "capability": "invariance: names",
     "pairs": [{"base": "a", "perturbed": "b"}, {"base": "a", "perturbed": "f"}]},
    {"name": "tolerance", "type": "inv", "capability": "invariance: names",
     "expect": {"same_label": true, "max_change": 0.125},
     "pairs": [{"base": "c", "perturbed": "g"}, {"base": "c", "perturbed": "d"}, {"base": "a", "perturbed": "b"}]},
    {"name": "up", "type": "dir", "capability": "direction", "expect": {"direction": "up", "margin": 0.5},
     "pairs": [{"base": "c", "perturbed": "f"}, {"base": "f", "perturbed": "c"}]},
    {"name": "down", "type": "dir", "capability": "direction", "expect": {"direction": "down"},
     "pairs": [{"base": "a", "perturbed": "b"}, {"base": "c", "perturbed": "h"}]}
  ]})";

// text -> (score, predicted label); the logits only decide the label.
std::string judged_scores() {
    const std::vector<std::tuple<std::string, double, bool>> rows = {
        {"a", 2.0, true},         {"b", -1.0, false},
        {"c", 0.5, true},         {"d", 0.95, true},
        {"e", 0.2, false},        {"f", 1.0, true},
        {"g", 0.625, true},       {"h", 0.5, true},
        {"=cmd|calc", 3.0, true}, {"say \"hi\", ok", 3.0, true}};
    json scores = json::array();
    for (const auto & [text, score, spam] : rows) {
        scores.push_back({{"text", text}, {"score", score}, {"logits", spam ? json{0.0, 1.5} : json{1.5, 0.0}}});
    }
    return json{{"labels", {"ham", "spam"}}, {"target", "spam:prob"}, {"model_sha256", "abc123"}, {"scores", scores}}
        .dump();
}

const report_info info{"tiny-model <v1>", "2026-12-24"};

std::string scores_refusal(const std::string & text) {
    try {
        parse_model_scores(text);
    } catch (const probe_error & e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the predicted label is the largest output's, the first on a tie, logit > 0 for one column") {
    CHECK(predicted_label({"ham", "spam"}, {0.1, 0.7}) == "spam");
    CHECK(predicted_label({"ham", "spam"}, {0.3, 0.3}) == "ham");
    CHECK(predicted_label({"a", "b", "c"}, {-5, -1, -3}) == "b");
    CHECK(predicted_label({"toxic"}, {0.2}) == "toxic");
    CHECK(predicted_label({"toxic"}, {0.0}) == "not toxic");
    CHECK(predicted_label({"toxic"}, {-0.1}) == "not toxic");
    CHECK_THROWS_WITH(predicted_label({"ham", "spam"}, {1.0}), Catch::Contains("1 entries for 2 labels"));
}

TEST_CASE("a scores document is checked before anything is judged") {
    CHECK(scores_refusal(judged_scores()).empty());
    CHECK(scores_refusal("{").find("probe scores: not valid JSON") == 0);
    CHECK(scores_refusal(R"({"labels": ["a"], "scores": [{"text": "x", "score": 1e999, "logits": [1]}]})")
              .find("not valid JSON") != std::string::npos);
    CHECK(scores_refusal(R"({"scores": []})").find("labels: expected a non-empty array") != std::string::npos);
    CHECK(scores_refusal(R"({"labels": ["a", "b"], "scores": [{"text": "x", "score": 1, "logits": [1]}]})")
              .find("scores[0].logits: expected 2 numbers") != std::string::npos);
    CHECK(scores_refusal(R"({"labels": ["a"], "scores": [{"text": "x", "score": "1", "logits": [1]}]})")
              .find("scores[0].score: expected a finite number, got \"1\"") != std::string::npos);
    CHECK(scores_refusal(R"({"labels": ["a"], "scores": [{"text": "x", "logits": [1]}]})")
              .find("scores[0]: expected {\"text\", \"score\", \"logits\"}") != std::string::npos);
    CHECK(scores_refusal(R"({"labels": ["a"], "scores": [{"text": "x", "score": 1, "logits": [1]},
                                                         {"text": "x", "score": 2, "logits": [1]}]})")
              .find("scores[1].text: this text was already scored") != std::string::npos);
    CHECK(scores_refusal(R"({"labels": ["a"], "scores": [], "model": "m"})").find("model: unknown field") !=
          std::string::npos);
}

TEST_CASE("judging hand-built scores gives exactly the expected pass / fail, and why") {
    const evaluated_suite e = evaluate_suite(judged_suite, judged_scores());
    REQUIRE(e.run.cases.size() == 16);
    std::vector<std::string> failed_ids;
    for (const case_result & c : e.run.cases) {
        if (!c.passed) {
            failed_ids.push_back(c.kase.id);
        }
        CHECK(c.passed == c.why.empty());
    }
    CHECK(failed_ids == std::vector<std::string>{"1.2", "2.2", "2.3", "3.1", "4.2", "4.3", "5.2"});
    const auto why = [&](const std::string & id) {
        for (const case_result & c : e.run.cases) {
            if (c.kase.id == id) {
                return c.why;
            }
        }
        return std::string("no such case");
    };
    CHECK(why("1.2") == "predicted \"ham\", expected \"spam\"");
    CHECK(why("2.1").empty());  // exactly the minimum passes
    CHECK(why("2.2") == "score 0.95 is above the maximum 0.9");
    CHECK(why("2.3") == "score 0.2 is below the minimum 0.5");
    CHECK(why("3.1") == "prediction changed from \"spam\" to \"ham\"");
    CHECK(why("4.1").empty());  // a change of exactly the tolerance passes
    CHECK(why("4.2") == "score moved by +0.45 (0.5 -> 0.95), more than the tolerance 0.125");
    CHECK(why("4.3") == "prediction changed from \"spam\" to \"ham\"; score moved by -3 (2 -> -1), more than the "
                        "tolerance 0.125");
    CHECK(why("5.1").empty());  // up by exactly the margin passes
    CHECK(why("5.2") == "score moved by -0.5 (1 -> 0.5); expected up by at least 0.5");
    CHECK(why("6.2").empty());  // down with margin 0: no change passes
    const std::vector<size_t> failed_per_test = {1, 2, 1, 2, 1, 0};
    for (size_t i = 0; i < 6; ++i) {
        CHECK(e.run.tests[i].failed == failed_per_test[i]);
        CHECK(e.run.tests[i].failures.size() == failed_per_test[i]);
    }
    CHECK(e.run.failed_cases() == 7);

    // Each rule on its own, through judge_case.
    probe_test dir;
    dir.type = TEST_DIR;
    probe_case c;
    c.id                  = "9.9";
    c.texts               = {"x", "y"};
    c.expect.direction    = DIRECTION_DOWN;
    c.expect.margin       = 1.0;
    const auto down_by_2  = judge_case(dir, c, {{3.0, "a"}, {1.0, "a"}});
    const auto down_by_05 = judge_case(dir, c, {{3.0, "a"}, {2.5, "a"}});
    CHECK(down_by_2.passed);
    CHECK(down_by_05.why == "score moved by -0.5 (3 -> 2.5); expected down by at least 1");
    CHECK_THROWS_WITH(judge_case(dir, c, {{3.0, "a"}}), Catch::Contains("has 2 texts but 1 scores"));
}

TEST_CASE("judging refuses scores that do not fit the suite") {
    const probe_suite suite = parse_probe_suite(judged_suite);
    const auto        cases = expand_suite(suite);
    json              doc   = json::parse(judged_scores());
    doc["scores"].erase(doc["scores"].begin() + 4);  // no score for "e"
    CHECK_THROWS_WITH(judge_suite(suite, cases, parse_model_scores(doc.dump())),
                      Catch::Contains("probe scores: no score for the text \"e\" (case 2.3)"));
    json other      = json::parse(judged_scores());
    other["labels"] = {"negative", "positive"};
    CHECK_THROWS_WITH(judge_suite(suite, cases, parse_model_scores(other.dump())),
                      Catch::Contains("test \"label\" (case 1.1) expects the label \"spam\", which is not one of the "
                                      "model's labels (negative, positive)"));
}

TEST_CASE("the JSON report: the fields, per test and per capability") {
    const evaluated_suite    e      = evaluate_suite(judged_suite, judged_scores());
    const auto               report = report_json(e.suite, e.run, info);
    std::vector<std::string> keys;
    for (const auto & item : report.items()) {
        keys.push_back(item.key());
    }
    CHECK(keys == std::vector<std::string>{"format", "version", "suite", "model", "model_sha256", "date", "target",
                                           "cases", "failed", "failure_rate", "tests", "capabilities", "note"});
    CHECK(report["suite"] == "<b>demo</b> & co");
    CHECK(report["model"] == "tiny-model <v1>");
    CHECK(report["model_sha256"] == "abc123");
    CHECK(report["date"] == "2026-12-24");
    CHECK(report["target"] == "spam:prob");
    CHECK(report["cases"] == 16);
    CHECK(report["failed"] == 7);
    CHECK(report["failure_rate"] == 7.0 / 16.0);
    REQUIRE(report["tests"].size() == 6);
    const auto & tolerance = report["tests"][3];
    CHECK(tolerance["name"] == "tolerance");
    CHECK(tolerance["type"] == "inv");
    CHECK(tolerance["capability"] == "invariance: names");
    CHECK(tolerance["cases"] == 3);
    CHECK(tolerance["failed"] == 2);
    CHECK(tolerance["passed"] == false);
    REQUIRE(tolerance["failures"].size() == 2);
    const auto & f = tolerance["failures"][0];
    CHECK(f["id"] == "4.2");
    CHECK(f["texts"] == ojson{"c", "d"});
    CHECK(f["scores"] == ojson{0.5, 0.95});
    CHECK(f["labels"] == ojson{"spam", "spam"});
    CHECK(f["expected"] == "same label and |score change| <= 0.125");
    CHECK(f["why"] == "score moved by +0.45 (0.5 -> 0.95), more than the tolerance 0.125");
    CHECK(report["tests"][5]["passed"] == true);
    CHECK(report["tests"][5]["failures"].empty());
    const auto & caps = report["capabilities"];
    CHECK(caps.size() == 3);
    CHECK(caps["vocabulary"] == ojson{{"tests", 2}, {"failed", 2}, {"cases", 7}, {"failed_cases", 3}});
    CHECK(caps["invariance: names"]["failed"] == 2);
    CHECK(caps["direction"] == ojson{{"tests", 2}, {"failed", 1}, {"cases", 4}, {"failed_cases", 1}});
    CHECK(report["note"] == scope_sentence);
}

TEST_CASE("the CSV lists every case, quoted and safe to open in a spreadsheet") {
    const evaluated_suite    e   = evaluate_suite(judged_suite, judged_scores());
    const std::string        csv = report_csv(e.suite, e.run);
    std::vector<std::string> lines;
    for (size_t at = 0; at < csv.size();) {
        const size_t end = csv.find("\r\n", at);
        REQUIRE(end != std::string::npos);
        lines.push_back(csv.substr(at, end - at));
        at = end + 2;
    }
    REQUIRE(lines.size() == 17);
    CHECK(lines[0] == "id,test,type,capability,text,perturbed_text,score,perturbed_score,label,perturbed_label,"
                      "expected,passed,why");
    CHECK(lines[2] == "1.2,label,mft,vocabulary,b,,-1.0,,ham,,\"label \"\"spam\"\"\",false,"
                      "\"predicted \"\"ham\"\", expected \"\"spam\"\"\"");
    CHECK(lines[3] == "1.3,label,mft,vocabulary,'=cmd|calc,,3.0,,spam,,\"label \"\"spam\"\"\",true,");
    CHECK(lines[4] == "1.4,label,mft,vocabulary,\"say \"\"hi\"\", ok\",,3.0,,spam,,\"label \"\"spam\"\"\",true,");
    CHECK(lines[14] == "5.2,up,dir,direction,f,c,1.0,0.5,spam,spam,score change >= 0.5,false,"
                       "score moved by -0.5 (1 -> 0.5); expected up by at least 0.5");
}

TEST_CASE("the HTML summary: one self-contained page, escaped, with the scope sentence") {
    const evaluated_suite e    = evaluate_suite(judged_suite, judged_scores());
    const std::string     page = report_html(e.suite, e.run, info);
    const auto            has  = [&](const std::string & s) { return page.find(s) != std::string::npos; };
    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(has("&lt;b&gt;demo&lt;/b&gt; &amp; co"));
    CHECK_FALSE(has("<b>demo"));
    CHECK(has("tiny-model &lt;v1&gt;"));
    CHECK(has("sha256 abc123"));
    CHECK(has("2026-12-24"));
    CHECK(has("spam:prob"));
    CHECK(has(scope_sentence));
    CHECK(has("1 of 6 tests passed"));
    CHECK(has("7 of 16 cases failed (43.8%)"));
    CHECK(has("say &quot;hi&quot;, ok") == false);  // passed cases are not listed
    CHECK(has("predicted &quot;ham&quot;, expected &quot;spam&quot;"));
    CHECK(has("<td>invariance: names</td>"));
    CHECK_FALSE(has("<script"));
    CHECK_FALSE(has("http://"));
    CHECK_FALSE(has("https://"));
    CHECK_FALSE(has("more failing cases"));

    // Beyond max_html_failures failing cases the page points to the exports.
    std::string many   = R"({"format": "spexlens-probe-suite", "version": 1, "name": "many", "description": "",
                           "tests": [{"name": "t", "type": "mft", "capability": "c", "expect": {"label": "spam"},
                           "template": "text {i}", "fill": {"i": [)";
    json        scores = json::array();
    for (int i = 0; i < 50; ++i) {
        many += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
        scores.push_back({{"text", "text " + std::to_string(i)}, {"score", 0.0}, {"logits", {1.0, 0.0}}});
    }
    many += "]}}]}";
    const evaluated_suite m = evaluate_suite(many, json{{"labels", {"ham", "spam"}}, {"scores", scores}}.dump());
    const std::string     p = report_html(m.suite, m.run, info);
    CHECK(p.find("10 more failing cases are listed in the JSON and CSV exports") != std::string::npos);
    CHECK(p.find("the model&#39;s default target") != std::string::npos);
}

TEST_CASE("the expansion as JSON: what a front end scores") {
    const probe_suite suite = parse_probe_suite(judged_suite);
    const auto        out   = expansion_json(suite, expand_suite(suite));
    CHECK(out["suite"] == "<b>demo</b> & co");
    CHECK(out["target"] == "spam:prob");
    CHECK(out["model_hint"] == "");
    CHECK(out["tests"].size() == 6);
    CHECK(out["tests"][1]["cases"] == 3);
    CHECK(out["cases"].size() == 16);
    CHECK(out["cases"][10]["id"] == "4.2");
    CHECK(out["cases"][10]["texts"] == ojson{"c", "d"});
    CHECK(out["cases"][10]["expect"] == ojson{{"same_label", true}, {"max_change", 0.125}});
    CHECK(out["cases"][14]["expect"] == ojson{{"direction", "down"}, {"margin", 0.0}});
    CHECK(out["texts"] == ojson{"a", "b", "=cmd|calc", "say \"hi\", ok", "c", "d", "e", "f", "g", "h"});
}

TEST_CASE("expectations in words") {
    expectation e;
    e.label = "spam";
    CHECK(expectation_text(TEST_MFT, e) == "label \"spam\"");
    e.min_score = 0.5;
    CHECK(expectation_text(TEST_MFT, e) == "label \"spam\" and score >= 0.5");
    e.max_score = 2;
    CHECK(expectation_text(TEST_MFT, e) == "label \"spam\" and 0.5 <= score <= 2");
    e.label.clear();
    e.min_score.reset();
    CHECK(expectation_text(TEST_MFT, e) == "score <= 2");
    expectation inv;
    inv.same_label = true;
    CHECK(expectation_text(TEST_INV, inv) == "same label");
    inv.same_label = false;
    inv.max_change = 0.25;
    CHECK(expectation_text(TEST_INV, inv) == "|score change| <= 0.25");
    expectation dir;
    CHECK(expectation_text(TEST_DIR, dir) == "score change >= 0");
    dir.direction = DIRECTION_DOWN;
    CHECK(expectation_text(TEST_DIR, dir) == "score change <= 0");  // not "-0"
    dir.margin = 1.5;
    CHECK(expectation_text(TEST_DIR, dir) == "score change <= -1.5");
    CHECK(expectation_json(TEST_DIR, dir) == ojson{{"direction", "down"}, {"margin", 1.5}});
    CHECK(expectation_json(TEST_INV, inv) == ojson{{"same_label", false}, {"max_change", 0.25}});
}
