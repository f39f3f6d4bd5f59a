// scripts/spexlens-probe end to end on the known-answer model planted-and, whose output is a
// planted function of specific words (models/planted-and/README.md): every case of
// tests/probe/data/planted-and-suite.json has a pass/fail derived by hand from that definition,
// and the run must give exactly that pattern. Then the exports, --explain-failure, and bad input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ROOT, check, near, refusedBy, run, runCli, test } from '../explain_cli/harness.mjs';

const CLI = path.join(ROOT, 'scripts', 'spexlens-probe');
const PLANTED = path.join(ROOT, 'models/planted-and');
const SUITE = path.join(ROOT, 'tests/probe/data/planted-and-suite.json');
const scratch = mkdtempSync(path.join(tmpdir(), 'spexlens-probe-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const probe = (args) => runCli(CLI, args);

const refused = (r, status, ...phrases) => refusedBy('spexlens-probe', r, status, ...phrases);

// The hand derivation. log-odds = -0.5 + good 2, great 2.5, friendly 1, service 0.5, bad -2,
// terrible -3, slow -1, never -0.5 + not&good -3, very&slow -1.5, never&again -2, not&bad 2.5,
// very&good 0.75, not&very&good 1.25; predicted "planted" when the log-odds are above 0.
const EXPECTED = [
  // [test name, capability, type, [[case id, passed, scores...]]]
  ['positive words are planted', 'vocabulary', 'mft',
    [['1.1', true, 1.5], ['1.2', true, 2.5], ['1.3', true, 0.5], ['1.4', false, -1.5]]],
  ['negative words are other', 'vocabulary', 'mft',
    [['2.1', true, -2.5], ['2.2', true, -3.5], ['2.3', true, -1.5], ['2.4', false, 1.5]]],
  ['intensified scores stay moderate', 'intensifiers', 'mft',
    // product order: adj (good, slow) slowest, adv (not, very) fastest
    [['3.1', true, -1.5], ['3.2', false, 2.25], ['3.3', true, -1.5], ['3.4', false, -3]]],
  ['negated phrases', 'negation', 'mft', [['4.1', true, 0], ['4.2', true, 0.5], ['4.3', false, -3.5]]],
  ['filler keeps the label', 'invariance: filler', 'inv',
    [['5.1', true, 2, 2], ['5.2', false, 2, -0.5], ['5.3', true, -1.5, -3]]],
  ['again is filler unless never came first', 'invariance: filler', 'inv',
    [['6.1', true, 1.5, 1.5], ['6.2', true, 2, 2], ['6.3', false, 1, -1]]],
  ['adding good raises the score', 'negation', 'dir',
    [['7.1', true, -0.5, 1.5], ['7.2', false, -0.5, -1.5], ['7.3', true, -0.5, 2.25], ['7.4', true, -0.5, 0.5]]],
  ['slow lowers the score', 'vocabulary', 'dir', [['8.1', true, -0.5, -1.5], ['8.2', true, -0.5, -1.5]]],
];
const WHY = {
  '1.4': 'predicted "other", expected "planted"',
  '2.4': 'predicted "planted", expected "other"',
  '3.2': 'score 2.25 is above the maximum 2',
  '3.4': 'score -3 is below the minimum -2',
  '4.3': 'predicted "other", expected "planted"',
  '5.2': 'prediction changed from "planted" to "other"',
  '6.3': 'score moved by -2 (1 -> -1), more than the tolerance 0.5',
  '7.2': 'score moved by -1 (-0.5 -> -1.5); expected up by at least 1',
};

function checkKnownAnswers(report) {
  check(report.format === 'spexlens-probe-report', `format ${report.format}`);
  check(report.suite === 'planted-and known answers', `suite ${report.suite}`);
  check(report.model === 'planted-and', `model ${report.model}`);
  check(report.target === 'planted:log-odds', `target ${report.target}`);
  check(report.date === '2026-12-24', `date ${report.date}`);
  check(/^[0-9a-f]{64}$/.test(report.model_sha256), `model_sha256 ${report.model_sha256}`);
  check(report.tests.length === EXPECTED.length, `${report.tests.length} tests`);
  let cases = 0;
  let failed = 0;
  EXPECTED.forEach(([name, capability, type, expected], i) => {
    const t = report.tests[i];
    check(t.name === name && t.capability === capability && t.type === type, `test ${i + 1}: ${JSON.stringify(t)}`);
    const failing = expected.filter(([, passed]) => !passed);
    check(t.cases === expected.length, `${name}: ${t.cases} cases, expected ${expected.length}`);
    check(t.failed === failing.length, `${name}: ${t.failed} failed, expected ${failing.length}`);
    check(t.passed === (failing.length === 0), `${name}: passed ${t.passed}`);
    check(JSON.stringify(t.failures.map((f) => f.id)) === JSON.stringify(failing.map(([id]) => id)),
      `${name}: failing ${t.failures.map((f) => f.id)}, expected ${failing.map(([id]) => id)}`);
    for (const f of t.failures) {
      const [, , ...scores] = expected.find(([id]) => id === f.id);
      check(f.scores.length === scores.length, `${f.id}: ${f.scores.length} scores`);
      f.scores.forEach((s, k) => near(s, scores[k], 1e-6, `${f.id} score ${k}`));
      check(f.why === WHY[f.id], `${f.id}: why "${f.why}", expected "${WHY[f.id]}"`);
    }
    cases += expected.length;
    failed += failing.length;
  });
  check(report.cases === cases && report.failed === failed, `totals ${report.cases}/${report.failed}`);
  near(report.failure_rate, failed / cases, 1e-12, 'failure_rate');
  const caps = report.capabilities;
  const want = {
    vocabulary: { tests: 3, failed: 2, cases: 10, failed_cases: 2 },
    intensifiers: { tests: 1, failed: 1, cases: 4, failed_cases: 2 },
    negation: { tests: 2, failed: 2, cases: 7, failed_cases: 2 },
    'invariance: filler': { tests: 2, failed: 2, cases: 6, failed_cases: 2 },
  };
  check(JSON.stringify(caps) === JSON.stringify(want), `capabilities ${JSON.stringify(caps)}`);
  check(report.note.includes('these cases only'), 'the scope sentence');
}

test('planted-and: exactly the hand-derived pass/fail pattern, with the exports', () => {
  const csv = path.join(scratch, 'report.csv');
  const html = path.join(scratch, 'report.html');
  const r = probe(['--suite', SUITE, '--model', PLANTED, '--date', '2026-12-24', '--csv', csv, '--html', html]);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  check(r.json, `stdout is not JSON: ${r.stdout.slice(0, 200)}`);
  checkKnownAnswers(r.json);
  check(r.stderr.includes('1 of 8 tests passed, 8 of 27 cases failed'), `summary line: ${r.stderr}`);
  check(r.json.explanations === undefined, 'no explanations unless asked');
  const rows = readFileSync(csv, 'utf8').split('\r\n').filter((l) => l !== '');
  check(rows.length === 28, `CSV: ${rows.length} lines`);
  check(rows[0].startsWith('id,test,type,capability,text,perturbed_text,score'), rows[0]);
  check(rows[25] === '7.4,adding good raises the score,dir,negation,not very,not very good,-0.5,0.5,other,planted,' +
    'score change >= 1,true,', rows[25]);
  const page = readFileSync(html, 'utf8');
  for (const s of ['planted-and known answers', '2026-12-24', '1 of 8 tests passed', '8 of 27 cases failed',
    'these cases only', 'not terrible', 'invariance: filler']) {
    check(page.includes(s), `HTML should include "${s}"`);
  }
  check(rows[27].endsWith(',score change <= 0,true,'), rows[27]);
  check(!/<script|https?:/.test(page), 'the HTML loads nothing');
});

test('planted-and: the same report with the page\'s runtime (onnxruntime-web)', () => {
  const r = probe(['--suite', SUITE, '--model', PLANTED, '--date', '2026-12-24', '--runtime', 'web', '--batch', '3']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  checkKnownAnswers(r.json);
});

test('--explain-failure explains both texts of a failing dir case with the same engine', () => {
  const out = path.join(scratch, 'explained.json');
  const r = probe(['--suite', SUITE, '--model', PLANTED, '--date', '2026-12-24', '--explain-failure', '7.2',
    '--budget', '200', '--seed', '3', '--out', out]);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  check(r.stdout === '', 'the report went to --out');
  const report = JSON.parse(readFileSync(out, 'utf8'));
  checkKnownAnswers(report);
  const e = report.explanations;
  check(Array.isArray(e) && e.length === 2, `2 explanations, got ${JSON.stringify(e)?.slice(0, 200)}`);
  check(e[0].case === '7.2' && e[0].role === 'base' && e[0].text === 'not', JSON.stringify(e[0]).slice(0, 200));
  check(e[1].case === '7.2' && e[1].role === 'perturbed' && e[1].text === 'not good', JSON.stringify(e[1]).slice(0, 200));
  for (const { result } of e) check(result.schema === 'spexlens.result', `schema ${result.schema}`);
  // The explanation measures what the probe scored: its all-words output is the case's score.
  near(e[1].result.full_value, -1.5, 1e-6, 'full_value of "not good"');
  near(e[0].result.full_value, -0.5, 1e-6, 'full_value of "not"');
  check(e[1].result.seed === 3, `seed ${e[1].result.seed}`);
  // not AND good (-3) is the interaction that makes the case fail.
  const words = e[1].result.features.map((f) => f.text);
  const pair = e[1].result.mobius.find((t) => t.set.length === 2);
  check(pair && pair.set.map((i) => words[i]).sort().join('+') === 'good+not', `Möbius pair ${JSON.stringify(pair)}`);
  near(pair.coef, -3, 1e-4, 'Möbius coefficient of not AND good');
});

test('--explain-failures explains every failing case', () => {
  const r = probe(['--suite', SUITE, '--model', PLANTED, '--explain-failures', '--budget', '100']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  const cases = r.json.explanations.map((x) => `${x.case}/${x.role}`);
  check(JSON.stringify(cases) === JSON.stringify(['1.4/text', '2.4/text', '3.2/text', '3.4/text', '4.3/text',
    '5.2/base', '5.2/perturbed', '6.3/base', '6.3/perturbed', '7.2/base', '7.2/perturbed']), cases.join(' '));
});

test('bad command lines exit 2 with one message', () => {
  refused(probe(['--model', PLANTED]), 2, '--suite FILE is required');
  refused(probe(['--suite', SUITE]), 2, '--model DIR is required');
  refused(probe(['--suite', SUITE, '--model', PLANTED, '--frobnicate']), 2, "unknown argument '--frobnicate'");
  refused(probe(['--suite', SUITE, '--model', PLANTED, '--explain-failure', 'seven']), 2, 'expected a case id');
  refused(probe(['--suite', SUITE, '--model', PLANTED, '--batch', '0']), 2, '--batch: at least 1');
  const help = probe(['--help']);
  check(help.status === 0 && help.stdout.startsWith('usage: spexlens-probe --suite FILE --model DIR'), help.stdout);
});

test('bad suites, models and case ids exit 1 with one message', () => {
  refused(probe(['--suite', path.join(scratch, 'none.json'), '--model', PLANTED]), 1, 'cannot read the suite', 'ENOENT');
  const write = (name, text) => {
    const file = path.join(scratch, name);
    writeFileSync(file, text);
    return file;
  };
  refused(probe(['--suite', write('broken.json', '{"format": '), '--model', PLANTED]), 1,
    'probe suite: not valid JSON');
  refused(probe(['--suite', write('deep.json', '['.repeat(5000) + ']'.repeat(5000)), '--model', PLANTED]), 1,
    'nested more than 64 levels');
  const suite = JSON.parse(readFileSync(SUITE, 'utf8'));
  const edited = (edit) => {
    const copy = structuredClone(suite);
    edit(copy);
    return JSON.stringify(copy);
  };
  refused(probe(['--suite', write('type.json', edited((s) => { s.tests[2].type = 'checklist'; })), '--model', PLANTED]),
    1, 'tests[2] "intensified scores stay moderate": type: unknown test type "checklist"');
  refused(probe(['--suite', write('fill.json', edited((s) => { s.tests[1].fill.word = []; })), '--model', PLANTED]),
    1, 'fill.word: expected a non-empty array of strings, got []');
  refused(probe(['--suite', write('label.json', edited((s) => { s.tests[0].expect.label = 'spam'; })),
    '--model', PLANTED]), 1, 'expects the label "spam", which is not one of the model\'s labels (other, planted)');
  refused(probe(['--suite', write('target.json', edited((s) => { s.target = 'spam:prob'; })), '--model', PLANTED]),
    1, 'spam');
  refused(probe(['--suite', write('huge.json', ' '.repeat(4 * 1024 * 1024 + 1)), '--model', PLANTED]), 1,
    'more than the limit of 4194304');
  refused(probe(['--suite', SUITE, '--model', path.join(scratch, 'no-model')]), 1, 'does not exist');
  refused(probe(['--suite', SUITE, '--model', PLANTED, '--explain-failure', '9.1']), 1,
    '--explain-failure 9.1: the suite has no such case', '1.1 .. 8.2');
});

await run();
