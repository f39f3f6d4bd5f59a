// The core of the browser tests in Firefox (Debian's firefox-esr, driven by puppeteer-core over
// WebDriver BiDi; nothing is downloaded), for the served folder and for the single file
// spexlens.html opened from file://: the page loads and renders; the shipped sample is explained
// through real clicks on the canvas; what-if answers with the real model's output; the JSON, CSV
// and PNG exports are valid; no page error; every request stays on the origin (the single file
// makes none). Headless Firefox has no WebGL here, so it runs headful: under xvfb-run.
//
//   xvfb-run -a node tests/web/firefox_test.mjs --site build/wasm-release/site --artifacts build/wasm-release/test-artifacts-firefox
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import puppeteer from 'puppeteer-core';

import { serveSite } from './browser_session.mjs';
import { looksRendered, pngStats } from './png_stats.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const siteDir = path.resolve(args.site || 'build/wasm-release/site');
const singleFile = path.join(siteDir, '..', 'spexlens.html');
const artifacts = path.resolve(args.artifacts || path.join(siteDir, '..', 'test-artifacts-firefox'));
mkdirSync(artifacts, { recursive: true });
const FIREFOX = '/usr/bin/firefox-esr';

let failures = 0;
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(page, fn, arg, what, timeoutMs = 60000) {
  const handle = await page.waitForFunction(fn, { timeout: timeoutMs, polling: 50 }, arg)
    .catch((e) => { throw new Error(`timed out waiting for ${what} (${e.message.split('\n')[0]})`); });
  return handle.jsonValue();
}

// A real pointer click in the middle of a widget the canvas drew (its rectangle from state()).
async function clickWidget(page, name) {
  const state = await page.evaluate(() => window.spexlens.state());
  const rect = state.widgets?.[name];
  if (!rect) throw new Error(`the canvas shows no widget "${name}" (have: ${Object.keys(state.widgets || {}).join(', ')})`);
  const box = await (await page.$('#canvas')).boundingBox();
  const [x, y, w, h] = rect;
  await page.mouse.move(box.x + x + w / 2, box.y + y + h / 2);
  await sleep(50);  // a frame sees the hover first
  await page.mouse.down();
  await sleep(50);
  await page.mouse.up();
  await sleep(50);
}

// Exports are saved through an <a download> with a blob: URL (web/js/downloads.mjs). The page
// keeps what it would have saved here, so the test reads it without a download dialog.
function captureDownloads() {
  window.__downloads = [];
  const blobs = new Map();
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (object) => {
    const url = createObjectURL(object);
    blobs.set(url, object);
    return url;
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.download && blobs.has(this.href)) {
      window.__downloads.push({ name: this.download, blob: blobs.get(this.href) });
      return undefined;
    }
    return click.call(this);
  };
  document.addEventListener('securitypolicyviolation',
    (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));
}

async function exportVia(page, widget) {
  const before = await page.evaluate(() => window.__downloads.length);
  await clickWidget(page, widget);
  await waitFor(page, (n) => window.__downloads.length > n, before, `the ${widget} download`, 10000);
  const { name, base64 } = await page.evaluate(async () => {
    const d = window.__downloads.at(-1);
    const bytes = new Uint8Array(await d.blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { name: d.name, base64: btoa(binary) };
  });
  const bytes = Buffer.from(base64, 'base64');
  writeFileSync(path.join(artifacts, name), bytes);
  return { name, bytes };
}

// The core checks, the same for the served folder and the single file.
async function checkPage(browser, url, label, isLocalRequest) {
  const page = await browser.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  try {
    await page.setViewport({ width: 1280, height: 800 });
    await page.evaluateOnNewDocument(captureDownloads);
    const t0 = Date.now();
    await page.goto(url);
    await waitFor(page, () => !!window.spexlens, null, 'window.spexlens', 60000);
    const info = await page.evaluate(() => window.spexlens.ready);
    console.log(`     ${label}: ready after ${Date.now() - t0} ms, ${info.threads} ONNX Runtime thread(s), ` +
      `${info.isolated ? '' : 'not '}cross-origin isolated`);
    await sleep(300);
    assert(looksRendered(pngStats(await page.screenshot({ path: path.join(artifacts, `${label}-loaded.png`) }))),
      `${label}: the loaded page looks blank`);

    // Explain the sample through real clicks, once the model is open (the run then starts at
    // once; Run keeps its place either way, the derived manifest's place is kept from the start).
    // Bounded, and answering a plain boolean: on a clean build, evaluating the warm-up promise
    // itself (resolving to the worker's {ms, calls}) was left unanswered by Firefox's WebDriver
    // BiDi until puppeteer's 180 s protocol timeout, though the warm-up had finished.
    await page.evaluate(() => Promise.race([window.spexlens.warm.then(() => true, () => false),
      new Promise((resolve) => setTimeout(() => resolve(false), 20000))]));
    await clickWidget(page, 'sample');
    await waitFor(page, () => window.spexlens.state().text_length > 0, null, 'the sample text in the text box');
    await clickWidget(page, 'run');
    const t1 = Date.now();
    const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.phase === 'idle' && s.has_result ? s : null; },
      null, 'the explanation', 180000);
    assert(!s.error, `${label}: the run failed: ${s.error}`);
    assert(s.result.n >= 40 && s.result.r2 > 0.8, `${label}: n = ${s.result.n}, R² = ${s.result.r2} for the 60-word sample`);
    console.log(`     ${label}: explained the sample in ${Date.now() - t1} ms, R² ${s.result.r2.toFixed(3)}`);
    await sleep(300);
    assert(looksRendered(pngStats(await page.screenshot({ path: path.join(artifacts, `${label}-explained.png`) }))),
      `${label}: the explained page looks blank`);

    // What-if: two words clicked away; the page's real output equals the model at that mask.
    const result = await page.evaluate(() => window.spexlens.lastResult());
    await clickWidget(page, 'whatif-toggle');
    await waitFor(page, () => window.spexlens.state().whatif.active, null, 'what-if mode');
    await clickWidget(page, 'word:0');
    await clickWidget(page, 'word:1');
    const w = await waitFor(page, () => { const s = window.spexlens.state(); return s.whatif.real_known && s.whatif.masked === 2 ? s.whatif : null; },
      null, 'the what-if output', 20000);
    const mask = '00' + '1'.repeat(result.n - 2);
    const direct = await page.evaluate((m) => window.spexlens.whatIf(m), mask);
    assert(Math.abs(w.real_value - direct) < 1e-6, `${label}: what-if ${w.real_value} vs the model at ${mask}: ${direct}`);
    const allKept = await page.evaluate((m) => window.spexlens.whatIf(m), '1'.repeat(result.n));
    assert(Math.abs(allKept - result.full_value) < 1e-5, `${label}: all kept ${allKept} vs full_value ${result.full_value}`);
    await clickWidget(page, 'whatif-toggle');

    // Exports.
    const json = await exportVia(page, 'export-json');
    const exported = JSON.parse(json.bytes.toString('utf8'));
    assert(exported.schema === 'spexlens.result' && exported.provenance?.model?.sha256 && exported.n === result.n,
      `${label}: the JSON export lacks its schema or provenance`);
    assert(new RegExp(`^spexlens-${exported.model.name}-words-seed\\d+-\\d{8}T\\d{6}Z\\.json$`).test(json.name) &&
      exported.model.name === 'clinical-readmission', `${label}: JSON name ${json.name} (the default model's)`);
    const csv = await exportVia(page, 'export-csv');
    assert(csv.bytes.toString('utf8').startsWith('rank,order,value,features,words'), `${label}: CSV header`);
    const png = await exportVia(page, 'export-png');
    assert(png.bytes.subarray(1, 4).toString('latin1') === 'PNG' && looksRendered(pngStats(png.bytes)),
      `${label}: the PNG export is not a rendered PNG`);

    const foreign = requests.filter((u) => !isLocalRequest(u));
    writeFileSync(path.join(artifacts, `${label}-requests.txt`), requests.join('\n') + '\n');
    assert(foreign.length === 0, `${label}: requests off the origin: ${foreign.slice(0, 5).join(', ')}`);
    assert(problems.length === 0, `${label}: ${problems.join('; ')}`);
  } finally {
    await page.close();
  }
}

async function main() {
  for (const [what, file] of [['the site', path.join(siteDir, 'index.html')], ['the single file', singleFile], ['Firefox', FIREFOX]]) {
    if (!existsSync(file)) throw new Error(`${what} is missing (${file}): build the page (cmake --build --preset wasm-release) ` +
      'and run scripts/setup.sh (firefox-esr, xvfb)');
  }
  if (!process.env.DISPLAY) throw new Error('no DISPLAY: run this under xvfb-run -a (headless Firefox has no WebGL here)');
  const server = await serveSite(siteDir);
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: false,
    args: ['--width=1300', '--height=900'] });
  const started = Date.now();
  const checks = [
    ['served', `${server.origin}/index.html`, (u) => u.startsWith(`${server.origin}/`) || /^(blob|data):/.test(u)],
    ['single-file', pathToFileURL(singleFile).href, (u) => u === pathToFileURL(singleFile).href || /^(blob|data):/.test(u)],
  ];
  try {
    for (const [label, url, isLocal] of checks) {
      const t0 = Date.now();
      try {
        await checkPage(browser, url, label, isLocal);
        console.log(`ok   Firefox, ${label}: loads, explains by clicks, what-if, exports, no foreign request (${Date.now() - t0} ms)`);
      } catch (e) {
        failures += 1;
        console.log(`FAIL Firefox, ${label}: ${e.message}`);
      }
    }
  } finally {
    await browser.close();
    server.stop();
  }
  console.log(`${failures ? 'FAILED' : 'passed'}: ${checks.length} Firefox checks in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `artifacts in ${artifacts}`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL the Firefox tests could not run: ${e.message}`);
  process.exit(1);
});
