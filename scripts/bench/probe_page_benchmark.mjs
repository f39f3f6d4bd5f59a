// probe_page_benchmark: a probe suite run in the page (docs/page.md, "Probe suites"), measured in
// headless Chromium on this machine — the issue's bar is a 100-case suite in <= 10 s.
//   1. The spam model's shipped suite (81 cases, 80 distinct texts) from the probe panel's
//      "Run the model's probe suite", on the warmed model, --repeats times.
//   2. A 105-case suite (that suite plus one 24-case test) opened as a file, --repeats times.
// The time is the app's own (state().probe.seconds: from the request to the worker until the
// scores are back in the app; judging takes well under a millisecond). The load average before
// and after says how busy the machine was. Prints a table; writes build/bench/probe_page_benchmark.json.
//
//   node scripts/bench/probe_page_benchmark.mjs [--repeats 5] [--threads N] [--site DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, clickWidget, openPage, serveSite, waitFor } from '../../tests/web/browser_session.mjs';

const argv = process.argv.slice(2);
const arg = (name, fallback) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };
const repeats = Number(arg('repeats', 5));
const threads = arg('threads', null);  // null: the page's default
const siteDir = path.resolve(arg('site', path.join(ROOT, 'build', 'wasm-release', 'site')));
const outDir = path.join(ROOT, 'build', 'bench');
mkdirSync(outDir, { recursive: true });

const suiteFile = path.join(ROOT, 'models', 'spam-transformer', 'probe-suite.json');
const bigger = JSON.parse(readFileSync(suiteFile, 'utf8'));
bigger.name = 'spam probes, 100+ cases';
bigger.tests.push({ name: 'short notes are ham', type: 'mft', capability: 'vocabulary: ham', expect: { label: 'ham' },
  template: '{who} says the {what} is {when}.',
  fill: { who: ['Bob', 'Alice', 'The team'], what: ['meeting', 'review', 'build', 'release'], when: ['moved to Friday', 'done'] } });
const biggerFile = path.join(outDir, 'probe-suite-105.json');
writeFileSync(biggerFile, JSON.stringify(bigger, null, 2));

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const stats = (xs) => ({ median_ms: median(xs), min_ms: Math.min(...xs), max_ms: Math.max(...xs), runs_ms: xs });

const server = await serveSite(siteDir);
const session = await openPage(`${server.origin}/index.html${threads ? `?threads=${threads}` : ''}`);
const { page } = session;
const report = { date: new Date().toISOString(), machine: `${os.cpus().length} cores`, load_before: os.loadavg() };
try {
  await page.evaluate(() => window.spexlens.ready);
  await page.evaluate(() => window.spexlens.warm);
  report.ort_threads = (await page.evaluate(() => window.spexlens.state())).browser.ort_threads;
  await clickWidget(page, 'probe-panel');
  await waitFor(page, () => window.spexlens.state().widgets['probe-run'], null, 'the probe panel', 5000);
  let last = null;
  const finished = async () => {
    const p = await waitFor(page, (seconds) => {
      const p = window.spexlens.state().probe;
      return p.phase === 'idle' && p.seconds !== null && p.seconds !== seconds ? p : null;
    }, last, 'the suite to finish', 120000);
    if (p.error) throw new Error(p.error);
    last = p.seconds;
    await page.waitForTimeout(300);
    return p;
  };
  const shipped = [];
  let cases = 0;
  for (let r = 0; r < repeats; ++r) {
    await clickWidget(page, 'probe-run');
    const p = await finished();
    cases = p.cases;
    shipped.push(Math.round(p.seconds * 1000));
  }
  report.shipped_suite = { cases, ...stats(shipped) };
  const opened = [];
  for (let r = 0; r < repeats; ++r) {
    await page.setInputFiles('#file-input', biggerFile);
    const p = await finished();
    cases = p.cases;
    opened.push(Math.round(p.seconds * 1000));
  }
  report.suite_105 = { cases, ...stats(opened) };
} finally {
  await session.close();
  server.stop();
}
report.load_after = os.loadavg();
const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
console.log(`probe suites in the page, ${report.ort_threads} ORT thread(s), ${report.machine}; load (1/5/15 min) ` +
  `${load(report.load_before)} before, ${load(report.load_after)} after`);
for (const [name, s] of [['shipped spam suite', report.shipped_suite], ['105-case suite (opened)', report.suite_105]]) {
  console.log(`  ${name.padEnd(26)} ${String(s.cases).padStart(4)} cases  median ${s.median_ms} ms  ` +
    `(min ${s.min_ms}, max ${s.max_ms}; ${s.runs_ms.join(', ')})`);
}
writeFileSync(path.join(outDir, 'probe_page_benchmark.json'), JSON.stringify(report, null, 2) + '\n');
