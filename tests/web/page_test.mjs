// The page in headless Chromium (docs/page.md, "Tests"): it loads and renders; the shipped
// sample is explained through real clicks on the canvas and through window.spexlens.explain;
// results match the command-line explainer for the same seed; cancel leaves the page usable;
// what-if returns the real model's output; exports are valid; teaching mode recovers a planted
// function; component explanations run from the canvas beside the words, match the command
// line, recover a planted model's component effects and answer component what-ifs; a folder as
// transformers exports it (no model.json) is opened, explained and matches the command line;
// bad models, folders and texts give clear messages; the canvas follows the window at pixel
// ratios 1, 1.5 and 2 without errors, the mouse wheel scrolls the interactions table, exports
// are named after what they hold, the page opened from file:// says why it cannot run and what
// to do, the single spexlens.html explains the sample from file:// as the command line does with no
// request, there is no /favicon.ico request or HTTP error; probe suites, attention beside use and
// probing classifiers run by real clicks; the workshop path is walked step by step by real
// clicks; and every request stays on the origin.
//
//   node tests/web/page_test.mjs --site build/wasm-release/site --artifacts build/wasm-release/test-artifacts
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { ROOT, clickWidget, openPage, serveSite, waitFor } from './browser_session.mjs';
import { declareSize, writeZip } from '../zip_fixtures.mjs';
import { darkRows, darkShareOfColumn, darkShareOfRow, decodePng, inkShare, looksRendered, pngStats } from './png_stats.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const siteDir = path.resolve(args.site || path.join(ROOT, 'build', 'wasm-release', 'site'));
const artifacts = path.resolve(args.artifacts || path.join(ROOT, 'build', 'wasm-release', 'test-artifacts'));
const only = args.only ? new RegExp(args.only) : null;
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const catalog = JSON.parse(readFileSync(path.join(ROOT, 'web', 'catalog.json'), 'utf8'));
const EMAIL = catalog.models.find((m) => m.key === 'spam-transformer').samples[0].text;
// The page opens with the catalog's first model (the clinical teaching model).
const DEFAULT_MODEL = catalog.models[0].key;
const REVIEW = catalog.models.find((m) => m.key === 'planted-and').samples[0].text;
const ANY_TEXT = catalog.models.find((m) => m.key === 'planted-components').samples[0].text;
const PLANTED_COMPONENTS = JSON.parse(readFileSync(path.join(ROOT, 'models', 'planted-components', 'reference.json'), 'utf8'));

let failures = 0;
const tests = [];
const test = (name, fn) => tests.push({ name, fn });
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
const state = (page) => page.evaluate(() => window.spexlens.state());

async function screenshot(page, name) {
  const file = path.join(artifacts, `${name}.png`);
  const png = await page.screenshot({ path: file });
  return { file, stats: pngStats(png) };
}

// An error the canvas shows (banner) and the DOM announces; then dismiss it.
async function expectVisibleError(page, pattern, shot) {
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.error ? s : null; }, null, 'an error message');
  assert(pattern.test(s.error), `the message "${s.error}" does not match ${pattern}`);
  const alert = await page.locator('#alert').textContent();
  assert(alert.length > 0, 'the error is not announced in the DOM');
  // The canvas draws on its next animation frame; wait for the banner's button to be drawn.
  await waitFor(page, () => window.spexlens.state().widgets['dismiss-error'], null, 'the Dismiss button on the error banner', 5000);
  const { stats } = await screenshot(page, shot);
  assert(looksRendered(stats), 'the page is blank while showing the error');
  await clickWidget(page, 'dismiss-error');
  await waitFor(page, () => !window.spexlens.state().error, null, 'the error to be dismissed');
  return s.error;
}

// The iTXt chunks of a PNG (uncompressed ones, as the page writes them): { keyword: text }.
function pngTextChunks(bytes) {
  const out = {};
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'iTXt') {
      const data = bytes.subarray(at + 8, at + 8 + length);
      const zero = data.indexOf(0);
      out[new TextDecoder('latin1').decode(data.subarray(0, zero))] = new TextDecoder().decode(data.subarray(zero + 5));
    }
    at += 12 + length;
  }
  return out;
}

// Clicks an export widget and saves the download into the artifacts: { name, bytes }.
async function download(page, widget) {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), clickWidget(page, widget)]);
  const file = path.join(artifacts, d.suggestedFilename());
  await d.saveAs(file);
  assert(d.url().startsWith('blob:'), `the download did not come from a local blob: ${d.url()}`);
  return { name: d.suggestedFilename(), bytes: readFileSync(file) };
}

// What an export's file name must look like: what it explains, the seed and the UTC time.
function exportNamePattern(model, kind, extension) {
  return new RegExp(`^spexlens-${model}-${kind}-seed\\d+-\\d{8}T\\d{6}Z\\.${extension}$`);
}

function cli(model, text, extra) {
  const out = execFileSync(path.join(ROOT, 'scripts', 'spexlens-explain'),
    ['--model', path.join(ROOT, 'models', model), '--text', text, '--runtime', 'web', '--threads', '1', ...extra],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

function sameTerms(a, b, tol) {
  if (a.length !== b.length) return `term counts differ: ${a.length} vs ${b.length}`;
  const key = (t) => t.set.join(',');
  const mb = new Map(b.map((t) => [key(t), t.coef ?? t.value]));
  for (const t of a) {
    const other = mb.get(key(t));
    if (other === undefined) return `set [${key(t)}] is missing`;
    if (Math.abs(other - (t.coef ?? t.value)) > tol) return `set [${key(t)}]: ${t.coef ?? t.value} vs ${other}`;
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
test('loads and renders the canvas', async ({ page }) => {
  await page.evaluate(() => window.spexlens.ready);
  const s = await state(page);
  assert(s.phase === 'idle' && !s.error, `unexpected start state ${JSON.stringify(s)}`);
  assert(typeof (await page.evaluate(() => window.spexlens.version)) === 'string', 'window.spexlens.version is missing');
  await page.waitForTimeout(300);
  const { stats } = await screenshot(page, 'page-loaded');
  assert(looksRendered(stats), `the screenshot looks blank (${JSON.stringify(stats)})`);
});

test('the page has an inline icon and asks for no /favicon.ico', async ({ page, requests, httpErrors }) => {
  const icon = await page.evaluate(() => document.querySelector('link[rel~="icon"]')?.href ?? '');
  assert(icon.startsWith('data:image/svg+xml'), `no inline icon: "${icon.slice(0, 40)}"`);
  await page.waitForTimeout(500);  // a browser asks for /favicon.ico after the load, if at all
  const asked = requests.filter((u) => /\/favicon\.ico(\?|$)/.test(u));
  assert(asked.length === 0, `the page asked for ${asked.join(', ')}`);
  assert(httpErrors.length === 0, `HTTP errors while loading: ${httpErrors.join(', ')}`);
});

// The window sizes of the demo machines (and a small one); 10 resizes go through them in turn.
const WINDOW_SIZES = [[1366, 768], [1600, 900], [1920, 1080], [1024, 700], [1280, 800]];
const SHOT_SIZES = ['1366x768', '1600x900', '1920x1080'];

// The canvas's CSS box, backing store and what the app says it uses, once they agree with a
// width x height window at dpr (or the last values seen after timeoutMs).
async function canvasAfterResize(page, width, height, dpr, timeoutMs = 10000) {
  const read = () => page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { client: [c.clientWidth, c.clientHeight], backing: [c.width, c.height], dpr: devicePixelRatio,
      app: window.spexlens.state().canvas };
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await read();
    const want = [Math.round(got.client[0] * got.dpr), Math.round(got.client[1] * got.dpr)];
    const settled = got.client[0] === width && got.client[1] === height && got.dpr === dpr &&
      got.backing[0] === want[0] && got.backing[1] === want[1] &&
      got.app.css[0] === width && got.app.css[1] === height && got.app.pixels[0] === want[0] && got.app.pixels[1] === want[1];
    if (settled || Date.now() > deadline) return { ...got, want, settled };
    await page.waitForTimeout(50);
  }
}

test('the canvas follows the window at pixel ratios 1, 1.5 and 2, sharp and without errors', async ({ openExtraPage }) => {
  const measured = [];  // written to canvas-sizes.txt
  const glyphs = [];    // the title's letter height in CSS pixels, per screenshot
  for (const dpr of [1, 1.5, 2]) {
    const extra = await openExtraPage(`${server.origin}/index.html`, { width: 1280, height: 800, deviceScaleFactor: dpr });
    try {
      await extra.page.evaluate(() => window.spexlens.ready);
      const first = await canvasAfterResize(extra.page, 1280, 800, dpr);
      assert(first.settled, `at load, 1280 x 800 at ${dpr}x: ${JSON.stringify(first)}`);
      const shot = new Set(SHOT_SIZES);
      for (let i = 0; i < 10; i++) {
        const [width, height] = WINDOW_SIZES[i % WINDOW_SIZES.length];
        await extra.page.setViewportSize({ width, height });
        const got = await canvasAfterResize(extra.page, width, height, dpr);
        assert(got.settled, `after resizing to ${width} x ${height} at ${dpr}x: CSS ${got.client}, backing store ` +
          `${got.backing} (want ${got.want}), the app uses ${JSON.stringify(got.app)}`);
        assert(got.app.font_scale === dpr, `fonts rasterised at ${got.app.font_scale}x on a ${dpr}x screen`);
        measured.push(`${width}x${height}@${dpr}: ${got.backing.join('x')}`);
        const size = `${width}x${height}`;
        if (!shot.delete(size)) continue;
        await extra.page.waitForTimeout(200);  // the frame after the resize is on screen
        const file = path.join(artifacts, `canvas-${size}-dpr${dpr}.png`);
        const png = await extra.page.screenshot({ path: file });
        const stats = pngStats(png);
        assert(stats.width === Math.round(width * dpr) && stats.height === Math.round(height * dpr),
          `${file} is ${stats.width} x ${stats.height}`);
        // Text on light panels: some dark pixels, and not a black (or blank) screen.
        const image = decodePng(png);
        const ink = inkShare(image);
        assert(ink > 0.002 && ink < 0.5, `${file} looks blank or black (${(ink * 100).toFixed(2)}% dark pixels)`);
        // The page's frame is drawn to the window's last pixel on every side: no dead strip, no band.
        const edges = {
          left: darkShareOfColumn(image, 0, 0, image.height, 235),
          right: darkShareOfColumn(image, image.width - 1, 0, image.height, 235),
          top: darkShareOfRow(image, 0, 0, image.width, 235),
          bottom: darkShareOfRow(image, image.height - 1, 0, image.width, 235),
        };
        assert(Object.values(edges).every((share) => share > 0.9), `${file}: the page's border is not at the window's edges ` +
          `(share of border pixels ${JSON.stringify(edges)})`);
        // The title's letters are as tall in CSS pixels at every size and ratio: not stretched.
        const s = await extra.page.evaluate(() => window.spexlens.state());
        const titleBottom = s.widgets['teaching-toggle'][1] - 2;
        const rows = darkRows(image, Math.round(4 * dpr), Math.round(2 * dpr), Math.round(300 * dpr), Math.round(titleBottom * dpr));
        assert(rows, `${file}: no title text in the title bar`);
        glyphs.push((rows.last - rows.first + 1) / dpr);
        measured.push(`  screenshot ${stats.width}x${stats.height}, ${(ink * 100).toFixed(2)}% dark pixels, ` +
          `title letters ${glyphs.at(-1).toFixed(2)} CSS px`);
      }
      assert(shot.size === 0, `no screenshot at ${[...shot].join(', ')}`);
      assert(extra.problems.length === 0, `errors while resizing at ${dpr}x: ${extra.problems.join('; ')}`);
    } finally {
      await extra.context.close();
    }
  }
  const spread = Math.max(...glyphs) - Math.min(...glyphs);
  assert(glyphs.every((g) => g >= 9 && g <= 17) && spread <= 1.5,
    `the title's letters change size with the window or the ratio (CSS px): ${glyphs.map((g) => g.toFixed(2)).join(', ')}`);
  writeFileSync(path.join(artifacts, 'canvas-sizes.txt'), measured.join('\n') + '\n');
});

test('explains the shipped sample through real clicks on the canvas', async ({ page }) => {
  await page.evaluate(() => window.spexlens.warm);  // the model open: the Run button in its place
  await clickWidget(page, 'sample');
  await waitFor(page, () => window.spexlens.state().text_length > 0, null, 'the sample text in the text box');
  await clickWidget(page, 'run');
  await waitFor(page, () => window.spexlens.state().phase === 'running', null, 'the run to start', 10000);
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.phase === 'idle' && s.has_result ? s : null; },
    null, 'the explanation', 120000);
  assert(!s.error, `the run failed: ${s.error}`);
  assert(s.result.n >= 40, `expected the 60-word sample's features, got n = ${s.result.n}`);
  assert(s.result.r2 !== null && s.result.r2 > 0.3, `implausible R² ${s.result.r2}`);
  const decision = s.widgets.decision;
  const viewHeight = await page.evaluate(() => window.innerHeight);
  assert(decision && decision[1] >= 0 && decision[1] + decision[3] <= viewHeight,
    `the model's decision is not stated inside the window: ${JSON.stringify(decision)}`);
  await waitFor(page, () => window.spexlens.state().widgets['word:0'], null, 'the words on the heat-map', 5000);
  const summary = await page.locator('#summary').textContent();
  assert(/R² = /.test(summary), 'the DOM summary for screen readers is missing');
  await page.waitForTimeout(300);
  const { stats } = await screenshot(page, 'page-explained');
  assert(looksRendered(stats), 'the result screenshot looks blank');
});

test('at 1280 x 720 the decision, the words that drive it and R² are on the first screen', async ({ openExtraPage }) => {
  const extra = await openExtraPage(`${server.origin}/index.html`, { width: 1280, height: 720 });
  try {
    await extra.page.evaluate(() => window.spexlens.ready);
    await extra.page.evaluate(() => window.spexlens.warm);
    await extra.page.evaluate((t) => window.spexlens.explain({ text: t, model: 'spam-transformer', budget: 1000,
      holdout: 200, seed: 2 }), EMAIL);
    const s = await waitFor(extra.page, () => {
      const s = window.spexlens.state();
      return s.widgets.decision && s.widgets.drivers && s.widgets.r2 ? s : null;
    }, null, 'the decision, the drivers and R²', 10000);
    const height = await extra.page.evaluate(() => window.innerHeight);
    for (const name of ['decision', 'drivers', 'r2']) {
      const [x, y, w, h] = s.widgets[name];
      assert(y >= 0 && y + h <= height && x >= 0 && x + w <= 1280,
        `at 1280 x 720 "${name}" is not inside the window: [${x}, ${y}, ${w}, ${h}]`);
    }
    await screenshot(extra.page, 'first-screen-1280x720');
  } finally {
    await extra.context.close();
  }
});

test('the model card opens from the picker with the shipped README.md, and closes', async ({ page }) => {
  await clickWidget(page, 'model-card');
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.widgets['model-card-text'] ? s : null; },
    null, 'the model card', 10000);
  assert(s.widgets['close-model-card'], 'the card has no Close button');
  const card = await waitFor(page, () => window.spexlens.state().model_card?.chars > 0 ? window.spexlens.state().model_card : null,
    null, 'the README.md text', 10000);
  const readme = readFileSync(path.join(ROOT, 'models', DEFAULT_MODEL, 'README.md'), 'utf8');
  assert(!card.missing && card.chars === Buffer.byteLength(readme) && readme.startsWith(card.starts),
    `the card is not the shipped README.md: ${JSON.stringify(card)}`);
  await page.waitForTimeout(200);
  const { stats } = await screenshot(page, 'model-card');
  assert(looksRendered(stats), 'the model card looks blank');
  await clickWidget(page, 'close-model-card');
  await waitFor(page, () => !window.spexlens.state().widgets['model-card-text'], null, 'the card to close', 5000);
});

test('the mouse wheel scrolls the top-interactions table', async ({ page }) => {
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.widgets['interactions-table'] ? s : null; },
    null, 'the interactions table', 5000);
  assert(s.scroll.interactions === 0, `the table starts scrolled to ${s.scroll.interactions}`);
  const [x, y, w, h] = s.widgets['interactions-table'];
  const box = await page.locator('#canvas').boundingBox();
  const clip = { x: box.x + x, y: box.y + y, width: w, height: h };
  await page.mouse.move(box.x + x + w / 2, box.y + y + h / 2);
  await page.waitForTimeout(100);
  const before = await page.screenshot({ clip });
  await page.mouse.wheel(0, 300);  // three notches down, as Chromium sends them
  const down = await waitFor(page, () => { const v = window.spexlens.state().scroll.interactions; return v > 0 ? v : null; },
    null, 'the table to scroll down', 5000);
  // Five lines a notch (ImGui's step), not a jump to either end.
  assert(down >= 45 && down <= 500, `three notches scrolled the table by ${down} px`);
  await page.waitForTimeout(200);
  const after = await page.screenshot({ clip, path: path.join(artifacts, 'interactions-scrolled.png') });
  assert(!before.equals(after), 'the table looks the same after the wheel');
  await page.mouse.wheel(0, -300);
  await waitFor(page, () => window.spexlens.state().scroll.interactions === 0, null, 'the table to scroll back up', 5000);
  assert(await page.evaluate(() => window.scrollY === 0 && window.scrollX === 0), 'the wheel scrolled the page itself');
});

// The page's defaults (auto, 4,000 calls, 500 held-out masks) spelled out for the command line,
// on the sample e-mail with seed 7; computed once for the served page and the single file.
let defaultReference = null;
const cliDefaultReference = () => (defaultReference ??= cli('spam-transformer', EMAIL,
  ['--budget', '4000', '--holdout', '500', '--seed', '7', '--index', 'fsii', '--max-order', '2']));

// The page's default explanation of the sample (seed 7) against the command line's: equal
// settings, features, terms, index values and R² (the page asks for early results and the
// command line does not: the final results must agree).
function assertMatchesCli(exported, where) {
  const reference = cliDefaultReference();
  assert(exported.method === 'auto' && exported.partial === false, `${where} default: ${exported.method}, partial ${exported.partial}`);
  for (const key of ['n', 'b', 't', 'p', 'seed', 'queries', 'holdout_queries', 'method', 'chosen_method', 'decoder', 'design']) {
    assert(exported[key] === reference[key], `${key}: ${where} ${exported[key]} vs CLI ${reference[key]}`);
  }
  assert(exported.features.map((f) => f.text).join('|') === reference.features.map((f) => f.text).join('|'), 'features differ');
  const diff = sameTerms(exported.fourier, reference.fourier, 1e-4);
  assert(!diff, `Fourier terms differ from the CLI's: ${diff}`);
  const indexDiff = sameTerms(exported.index.values, reference.index.values, 1e-3);
  assert(!indexDiff, `FSII values differ from the CLI's: ${indexDiff}`);
  assert(Math.abs(exported.faithfulness.r2 - reference.faithfulness.r2) < 1e-4, `R² differs from the CLI (${where})`);
  assert(exported.model.sha256 === reference.model.sha256, 'model sha256 differs');
  assert(exported.provenance?.seed === 7 && exported.provenance?.model?.sha256 === reference.model.sha256,
    `provenance is incomplete: ${JSON.stringify(exported.provenance)}`);
}

test('window.spexlens.explain matches the command-line explainer for the same seed', async ({ page }) => {
  const exported = await page.evaluate((text) => window.spexlens.explain({ text, model: 'spam-transformer', seed: 7 }), EMAIL);
  assertMatchesCli(exported, 'page');
});

test('an early result arrives before the run ends; Stop keeps it, export included', async ({ page }) => {
  await page.evaluate((text) => {
    window.__early = null;
    window.spexlens.explain({ text, model: 'spam-transformer', budget: 16000, seed: 3 })
      .then((r) => { window.__early = { result: r }; }, (e) => { window.__early = { error: e.message }; });
  }, EMAIL);
  const early = await waitFor(page, () => {
    const s = window.spexlens.state();
    return s.phase === 'running' && s.early_result ? s : null;
  }, null, 'an early result while the run goes on', 60000);
  assert(early.result.partial === true && early.result.queries < 16000, `early result: ${JSON.stringify(early.result)}`);
  assert(early.progress.done < early.progress.total, 'the early result came only at the end');
  await waitFor(page, () => window.spexlens.state().widgets.cancel, null, 'the Stop button', 5000);
  await clickWidget(page, 'cancel');
  const outcome = await waitFor(page, () => window.__early, null, 'the stopped run', 60000);
  assert(!outcome.error, `stopping lost the result: ${outcome.error}`);
  const r = outcome.result;
  assert(r.partial === true && r.queries < 16000, `the kept result should be an early one: partial ${r.partial}, ${r.queries} calls`);
  assert(r.notes.some((n) => n.includes('early result')), `no note says it is early: ${JSON.stringify(r.notes)}`);
  const after = await state(page);
  assert(after.phase === 'idle' && after.has_result && after.result.partial, `after Stop: ${JSON.stringify(after.result)}`);
  assert(/Stopped/.test(after.status), `status after Stop: ${after.status}`);
});

test('the page opens in presenter mode; the index is among the advanced settings and in analyst mode', async ({ page }) => {
  let s = await state(page);
  assert(s.view_mode === 'presenter', `the page opened in ${s.view_mode} mode`);
  assert(s.widgets['advanced-settings'] && s.widgets['budget-slider'] && !s.widgets['index-combo'] && !s.widgets['method-combo'],
    `presenter mode shows: ${Object.keys(s.widgets).filter((w) => !/^(word|row|component):/.test(w)).join(', ')}`);
  await clickWidget(page, 'advanced-settings');
  s = await waitFor(page, () => window.spexlens.state().widgets['index-combo'] ? window.spexlens.state() : null, null,
    'the advanced settings to open', 5000);
  assert(s.widgets['method-combo'] && s.widgets['seed-random'], 'the advanced settings lack the method or the seed');
  await clickWidget(page, 'advanced-settings');
  await clickWidget(page, 'mode-analyst');
  s = await waitFor(page, () => window.spexlens.state().view_mode === 'analyst' ? window.spexlens.state() : null, null,
    'analyst mode', 5000);
  assert(s.widgets['index-combo'] && !s.widgets['advanced-settings'], 'analyst mode does not show every setting directly');
});

test('switching the index recomputes instantly from the same queries', async ({ page }) => {
  const before = await state(page);
  await clickWidget(page, 'index-combo');
  await waitFor(page, () => window.spexlens.state().widgets['index:SII'], null, 'the index list to open', 5000);
  await clickWidget(page, 'index:SII');
  const after = await waitFor(page, (old) => { const s = window.spexlens.state(); return s.result.index !== old ? s : null; },
    before.result.index, 'the index to change', 5000);
  assert(after.result.queries === before.result.queries && after.phase === 'idle', 'switching the index ran the model again');
});

test('Tab moves the keyboard focus through the controls across the panels, and types into the text box', async ({ page }) => {
  await clickWidget(page, 'mode-analyst');  // the canvas takes the keyboard (analyst mode, as the test before left it)
  const visited = [];
  for (let i = 0; i < 60 && !visited.includes('export-json'); ++i) {
    await page.keyboard.press('Tab');
    const f = await waitFor(page, (prev) => { const f = window.spexlens.state().focused; return f && f !== prev ? f : null; },
      visited[visited.length - 1] ?? null, 'the focus to move on Tab', 5000);
    visited.push(f);
  }
  const at = (name) => visited.indexOf(name);
  assert(at('model-combo') >= 0 && at('text-box') > at('model-combo') && at('run') > at('text-box') &&
    at('export-json') > at('run'), `Tab did not walk the panels in reading order: ${visited.join(' ')}`);
  await page.keyboard.press('Shift+Tab');
  await waitFor(page, (n) => window.spexlens.state().focused === n, visited[visited.length - 2], 'Shift+Tab to go back', 5000);
  while ((await state(page)).focused !== 'text-box') {
    await page.keyboard.press('Shift+Tab');
    await page.waitForTimeout(50);
  }
  const before = (await state(page)).text_length;
  await page.keyboard.type('zz');
  await waitFor(page, (n) => window.spexlens.state().text_length === n, before + 2, 'the typed letters in the text box', 5000);
  // Each Backspace is held for 80 ms, as a finger holds it: Dear ImGui 1.86 reads keys as a state
  // once per frame, so a press and release that both land between two frames (playwright's press
  // takes no time, and an idle page draws no frames) can be missed; ImGui's key repeat starts at
  // 275 ms, so nothing repeats.
  for (const left of [before + 1, before]) {
    await page.keyboard.down('Backspace');
    await page.waitForTimeout(80);
    await page.keyboard.up('Backspace');
    await waitFor(page, (n) => window.spexlens.state().text_length === n, left, 'Backspace to remove a letter', 5000);
  }
  await page.keyboard.press('Tab');
  await waitFor(page, () => window.spexlens.state().focused !== 'text-box', null, 'Tab to leave the text box', 5000);
});

test('cancel stops a run and leaves the page usable', async ({ page }) => {
  const pending = page.evaluate((text) => window.spexlens.explain({ text, b: 8, seed: 1, method: 'spex-soft' })
    .then(() => 'finished', (e) => `rejected: ${e.message}`), EMAIL);
  await waitFor(page, () => window.spexlens.state().progress.done > 0, null, 'progress', 30000);
  await clickWidget(page, 'cancel');
  const outcome = await pending;
  assert(/rejected: cancelled/.test(outcome), `the run was not cancelled: ${outcome}`);
  const s = await state(page);
  assert(s.phase === 'idle' && !s.error && s.has_result, `after cancel: ${JSON.stringify({ phase: s.phase, error: s.error })}`);
  const again = await page.evaluate((text) => window.spexlens.explain({ text, model: 'planted-and', b: 4, seed: 2 }), REVIEW);
  assert(again.n > 5, 'the page could not explain again after a cancel');
});

test('what-if returns the real model output for the masked words', async ({ page }) => {
  // planted-and has a known closed form (model.json "known_answer"), so the real output at
  // any mask can be computed here and compared with what the page reports.
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'models', 'planted-and', 'model.json'), 'utf8'));
  const truth = manifest.known_answer;
  const result = await page.evaluate(() => window.spexlens.lastResult());
  assert(result.model.name === 'planted-and', 'the previous test should have left a planted-and result');
  const norm = (w) => w.toLowerCase().replace(/[^a-z]/g, '');
  const expected = (keep) => {
    const present = new Set(result.features.filter((f, i) => keep[i]).map((f) => norm(f.text)));
    let v = truth.bias;
    for (const [w, c] of Object.entries(truth.main_effects)) if (present.has(w)) v += c;
    for (const t of truth.and_terms) if (t.words.every((w) => present.has(w))) v += t.coef;
    return v;
  };
  await clickWidget(page, 'whatif-toggle');
  await waitFor(page, () => window.spexlens.state().whatif.active, null, 'what-if mode');
  const notIndex = result.features.findIndex((f) => norm(f.text) === 'not');
  const goodIndex = result.features.findIndex((f) => norm(f.text) === 'good');
  await clickWidget(page, `word:${notIndex}`);
  await clickWidget(page, `word:${goodIndex}`);
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.whatif.real_known && s.whatif.masked === 2 ? s : null; },
    null, 'the real model output', 20000);
  const keep = result.features.map((f, i) => i !== notIndex && i !== goodIndex);
  assert(Math.abs(s.whatif.real_value - expected(keep)) < 1e-4,
    `what-if real output ${s.whatif.real_value}, the model's closed form gives ${expected(keep)}`);
  assert(Number.isFinite(s.whatif.surrogate), 'no surrogate prediction');
  const allKept = await page.evaluate((n) => window.spexlens.whatIf('1'.repeat(n)), result.n);
  assert(Math.abs(allKept - result.full_value) < 1e-5, `all kept: ${allKept} vs full_value ${result.full_value}`);
  await screenshot(page, 'page-whatif');
  await clickWidget(page, 'whatif-toggle');
});

test('exports JSON, CSV and PNG as local downloads, named after what they hold and when', async ({ page }) => {
  const jsonFile = await download(page, 'export-json');
  const json = JSON.parse(jsonFile.bytes.toString('utf8'));
  assert(json.schema === 'spexlens.result' && Array.isArray(json.fourier) && json.provenance, 'export JSON lacks schema fields');
  assert(json.provenance.app_version && json.provenance.exported_at && json.provenance.model.sha256, 'provenance incomplete');
  const runtime = json.provenance.runtime;
  assert(runtime?.name === 'onnxruntime-web' && /^\d+\.\d+\.\d+/.test(runtime.version ?? '') && runtime.threads >= 1,
    `the provenance should name the runtime, its version and threads: ${JSON.stringify(runtime)}`);
  assert(typeof json.text === 'string', 'the text should be included by default');
  const model = json.model.name;
  assert(exportNamePattern(model, 'words', 'json').test(jsonFile.name), `JSON export name ${jsonFile.name}`);
  assert(jsonFile.name.includes(`-seed${json.seed}-`), `the JSON export name ${jsonFile.name} lacks seed ${json.seed}`);
  const csvFile = await download(page, 'export-csv');
  const csv = csvFile.bytes.toString('utf8');
  assert(csv.startsWith('rank,order,value,features,words'), `CSV header: ${csv.slice(0, 60)}`);
  assert(exportNamePattern(model, 'words', 'csv').test(csvFile.name), `CSV export name ${csvFile.name}`);
  const pngFile = await download(page, 'export-png');
  assert(looksRendered(pngStats(pngFile.bytes)), 'the exported PNG looks blank');
  assert(exportNamePattern(model, 'words', 'png').test(pngFile.name), `PNG export name ${pngFile.name}`);
  // What the picture shows travels with it: iTXt chunks before the pixels, the text never among them.
  const texts = pngTextChunks(pngFile.bytes);
  const provenance = JSON.parse(texts['spexlens-provenance'] ?? 'null');
  assert(provenance && provenance.model?.name === model && Number.isInteger(provenance.seed),
    `the PNG's provenance chunk: ${texts['spexlens-provenance']}`);
  assert(/faithfulness R² \(held out\): \d\.\d{3}/.test(texts.Description ?? ''), `Description: ${texts.Description}`);
  assert(/^spexlens /.test(texts.Software ?? ''), `Software: ${texts.Software}`);
  assert(!Object.values(texts).some((v) => v.includes(json.text)), 'the PNG chunks repeat the text');
  const noText = await page.evaluate(() => window.spexlens.explain({ text: 'not very good, never again', model: 'planted-and', b: 3, includeText: false }));
  assert(!('text' in noText) && !JSON.stringify(noText).includes('never'), 'includeText: false still exports the words');
});

test('teaching mode recovers a planted function', async ({ page }) => {
  await clickWidget(page, 'teaching-toggle');
  await waitFor(page, () => window.spexlens.state().widgets['teaching-run'], null, 'the teaching panel');
  await clickWidget(page, 'teaching-run');
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.has_result && s.result.granularity === 'synthetic' && !s.teaching_running ? s : null; },
    null, 'the teaching run', 60000);
  assert(!s.error, s.error);
  await screenshot(page, 'page-teaching');
  await clickWidget(page, 'teaching-toggle');
});

test('explains components through the canvas, side by side with the words', async ({ page }) => {
  const words = await page.evaluate((text) => window.spexlens.explain({ text, model: 'spam-transformer', b: 3, seed: 1 }), EMAIL);
  assert(words.players === 'text', `a word run returned players ${words.players}`);
  await waitFor(page, () => window.spexlens.state().widgets['explain-components'], null, 'the words | components switch', 5000);
  await clickWidget(page, 'explain-components');
  await waitFor(page, () => window.spexlens.state().widgets['ablation-zero'], null, 'the component settings', 5000);
  await clickWidget(page, 'run');
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.phase === 'idle' && s.result?.players === 'components' ? s : null; },
    null, 'the component explanation', 120000);
  assert(!s.error, `the run failed: ${s.error}`);
  assert(s.result.n === 40, `expected 8 heads + 32 neuron groups, got n = ${s.result.n}`);
  assert(s.has_companion && s.side_by_side, 'the word explanation of the same text is not shown beside the components');
  await waitFor(page, () => window.spexlens.state().widgets['component:39'] && window.spexlens.state().widgets['companion-word:0'],
    null, 'the component grid and the word heat-map', 5000);
  const summary = await page.locator('#summary').textContent();
  assert(/[Cc]omponent/.test(summary) && /L\d\.(H\d|mlp)/.test(summary), `the DOM summary does not name components: ${summary}`);
  await page.waitForTimeout(300);
  const { stats } = await screenshot(page, 'page-components');
  assert(looksRendered(stats), 'the component view looks blank');
  // Word and component exports of the same text and model no longer share a file name.
  const exported = await download(page, 'export-json');
  assert(exportNamePattern('spam-transformer', 'components', 'json').test(exported.name), `component export name ${exported.name}`);
});

test('component explanations match the command line and recover planted component effects exactly', async ({ page }) => {
  const exported = await page.evaluate((text) => window.spexlens.explain({ text, model: 'spam-transformer',
    players: 'components', b: 4, seed: 3 }), EMAIL);
  const reference = cli('spam-transformer', EMAIL, ['--players', 'components', '--b', '4', '--holdout', '500', '--seed', '3',
    '--index', 'fsii', '--max-order', '2']);
  assert(exported.features.map((f) => f.text).join('|') === reference.features.map((f) => f.text).join('|'), 'players differ');
  for (const key of ['n', 'b', 't', 'queries', 'holdout_queries', 'players']) {
    assert(exported[key] === reference[key], `${key}: page ${exported[key]} vs CLI ${reference[key]}`);
  }
  const diff = sameTerms(exported.fourier, reference.fourier, 1e-4);
  assert(!diff, `Fourier terms differ from the CLI's: ${diff}`);
  assert(exported.provenance?.players === 'components:group=8', `provenance: ${JSON.stringify(exported.provenance)}`);

  const truth = PLANTED_COMPONENTS.truth.find((t) => t.players === 'components:group=4' && t.ablation === 'mean');
  const planted = await page.evaluate((text) => window.spexlens.explain({ text, model: 'planted-components',
    players: 'components:group=4', ablation: 'mean', index: 'mobius', maxOrder: 3, b: 5, seed: 4, method: 'spex-soft' }), ANY_TEXT);
  const byName = (r) => new Map(r.mobius.map((t) => [t.set.map((i) => r.features[i].text).sort().join('+'), t.coef]));
  const got = byName(planted);
  for (const t of truth.terms) {
    const key = [...t.players].sort().join('+');
    assert(Math.abs((got.get(key) ?? 0) - t.coef) < 1e-4, `planted term {${key}} = ${t.coef}, the page found ${got.get(key)}`);
  }
  const extra = [...got].filter(([k, v]) => Math.abs(v) > 1e-4 && !truth.terms.some((t) => [...t.players].sort().join('+') === k));
  assert(extra.length === 0, `terms that were not planted: ${JSON.stringify(extra)}`);
});

test('component what-if ablates the clicked components in one real model call', async ({ page }) => {
  const result = await page.evaluate(() => window.spexlens.lastResult());
  assert(result.model.name === 'planted-components', 'the previous test should have left a planted-components result');
  const truth = PLANTED_COMPONENTS.truth.find((t) => t.players === 'components:group=4' && t.ablation === 'mean');
  // The model's log-odds at a mask is the sum of the planted Möbius terms whose players are all kept.
  const expected = (kept) => truth.terms.filter((t) => t.players.every((p) => kept.has(p))).reduce((a, t) => a + t.coef, 0);
  await waitFor(page, () => window.spexlens.state().widgets['component:1'], null, 'the component grid', 5000);
  await clickWidget(page, 'whatif-toggle');
  await waitFor(page, () => window.spexlens.state().whatif.active, null, 'what-if mode');
  const names = result.features.map((f) => f.text);
  const ablate = ['L0.H1', 'L0.mlp[0:4]'].map((n) => names.indexOf(n));
  for (const i of ablate) await clickWidget(page, `component:${i}`);
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.whatif.real_known && s.whatif.masked === 2 ? s : null; },
    null, 'the real model output', 20000);
  const kept = new Set(names.filter((_, i) => !ablate.includes(i)));
  assert(Math.abs(s.whatif.real_value - expected(kept)) < 1e-4,
    `what-if real output ${s.whatif.real_value}, the planted model gives ${expected(kept)}`);
  assert(Math.abs(s.whatif.surrogate - expected(kept)) < 1e-3, `surrogate ${s.whatif.surrogate} vs ${expected(kept)} (exact recovery)`);
  await screenshot(page, 'page-components-whatif');
  await clickWidget(page, 'whatif-toggle');
});

// A folder laid out as transformers / optimum export it, with no model.json (models/spam-bert):
// chosen through the canvas's folder button, its manifest derived in the page and offered for
// download, the text dropped in as a file, Run clicked; the result is the command line's on the
// same folder for the same seed.
test('a folder with no model.json is explained through real clicks and matches the command line', async ({ page }) => {
  const folder = path.join(ROOT, 'models', 'spam-bert');
  await page.evaluate(() => window.spexlens.ready);
  await waitFor(page, () => window.spexlens.state().widgets['pick-folder'], null, 'the folder button', 10000);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10000 }), clickWidget(page, 'pick-folder')]);
  await chooser.setFiles(folder);
  await waitFor(page, () => window.spexlens.state().model === 'custom:spam-bert', null, 'your model in the picker', 60000);
  await waitFor(page, () => window.spexlens.state().widgets['download-manifest'], null, 'the Download model.json button', 10000);
  const status = (await state(page)).status;
  assert(/derived one/.test(status), `the status does not say the manifest was derived: ${status}`);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), clickWidget(page, 'download-manifest')]);
  assert(download.suggestedFilename() === 'model.json', `download name ${download.suggestedFilename()}`);
  const pageManifest = JSON.parse(readFileSync(await download.path(), 'utf8'));
  const cliManifest = JSON.parse(execFileSync(path.join(ROOT, 'scripts', 'spexlens-explain'),
    ['--model', folder, '--show-manifest'], { encoding: 'utf8' }));
  assert(JSON.stringify(pageManifest) === JSON.stringify(cliManifest),
    `the page derived another manifest than the command line:\n${JSON.stringify(pageManifest)}\n${JSON.stringify(cliManifest)}`);
  assert(pageManifest.onnx_sha256 === createHash('sha256').update(readFileSync(path.join(folder, 'onnx', 'model.onnx'))).digest('hex'),
    'the derived manifest does not pin the ONNX file');

  const textFile = path.join(artifacts, 'email.txt');
  writeFileSync(textFile, EMAIL);
  await page.setInputFiles('#file-input', [textFile]);
  await waitFor(page, () => window.spexlens.state().text_length > 0, null, 'the dropped text in the text box');
  // An earlier test may have left the page explaining components, which this model does not offer.
  await clickWidget(page, 'explain-words');
  await clickWidget(page, 'run');
  // A machine slower than ~75 calls/s with this model is asked first (the estimate comes from the speed
  // measured at warm-up); the test answers as a user who wants the result would.
  const started = await waitFor(page, () => {
    const s = window.spexlens.state();
    return s.phase !== 'idle' ? 'running' : (s.widgets['run-anyway'] ? 'asked' : null);
  }, null, 'the run to start or the long-run question', 10000);
  if (started === 'asked') {
    await clickWidget(page, 'run-anyway');
    await waitFor(page, () => window.spexlens.state().phase !== 'idle', null, 'the run to start after Run anyway', 10000);
  }
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.phase === 'idle' && !s.early_result && s.has_result ? s : null; },
    null, 'the explanation of your model', 300000);
  assert(!s.error, `the run failed: ${s.error}`);
  const result = await page.evaluate(() => window.spexlens.lastResult());
  assert(result.model.sha256 === pageManifest.onnx_sha256, `result model sha256 ${result.model.sha256}`);
  await screenshot(page, 'page-exported-folder');
  // The CLI is asked for whatever the page ran (earlier tests change the page's settings).
  const method = result.method === 'spex' ? `spex-${result.decoder}` : result.method;
  const size = result.budget === null ? ['--b', String(result.b)] : ['--budget', String(result.budget)];
  const spexT = result.method === 'spex' ? ['--t', String(result.t_requested)] : [];
  const reference = JSON.parse(execFileSync(path.join(ROOT, 'scripts', 'spexlens-explain'),
    ['--model', folder, '--text', EMAIL, '--runtime', 'web', '--threads', '1', '--method', method, ...size, ...spexT,
      '--holdout', String(result.holdout_queries), '--seed', String(result.seed),
      '--index', ({ SV: 'shapley', BV: 'banzhaf' })[result.index.name] || result.index.name.toLowerCase().replace('-', ''), '--max-order', String(result.index.order)],
    { encoding: 'utf8', maxBuffer: 64 << 20 }));
  for (const key of ['n', 'seed', 'queries', 'holdout_queries', 'method', 'chosen_method']) {
    assert(result[key] === reference[key], `${key}: page ${result[key]} vs CLI ${reference[key]}`);
  }
  assert(result.features.map((f) => f.text).join('|') === reference.features.map((f) => f.text).join('|'), 'features differ');
  const diff = sameTerms(result.fourier, reference.fourier, 1e-4);
  assert(!diff, `Fourier terms differ from the CLI's: ${diff}`);
  assert(Math.abs(result.faithfulness.r2 - reference.faithfulness.r2) < 1e-6, `R² ${result.faithfulness.r2} vs ${reference.faithfulness.r2}`);
});

test('a zipped model folder opens from the file picker and explains as the command line does for the same zip', async ({ page }) => {
  const bert = path.join(ROOT, 'models', 'spam-bert');
  const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model.onnx'];
  const archive = writeZip(path.join(artifacts, 'zipped-bert.zip'), files.map((f) => [`zipped-bert/${f}`, path.join(bert, f)]));
  await page.evaluate(() => window.spexlens.ready);
  await page.setInputFiles('#file-input', [archive]);
  await waitFor(page, () => window.spexlens.state().model === 'custom:zipped-bert', null, 'the zipped model in the picker', 60000);
  const status = (await state(page)).status;
  assert(/derived one/.test(status), `the status does not say the manifest was derived: ${status}`);
  const seed = 11;
  const result = await page.evaluate(([text, seed]) => window.spexlens.explain({ text, model: 'custom:zipped-bert', budget: 600, seed }),
    [EMAIL, seed]);
  const reference = JSON.parse(execFileSync(path.join(ROOT, 'scripts', 'spexlens-explain'),
    ['--model', archive, '--text', EMAIL, '--runtime', 'web', '--threads', '1', '--budget', '600',
      '--holdout', String(result.holdout_queries), '--seed', String(seed), '--index', 'fsii', '--max-order', '2'],
    { encoding: 'utf8', maxBuffer: 64 << 20 }));
  assert(result.model.name === 'zipped-bert' && result.model.sha256 === reference.model.sha256,
    `model ${result.model.name} ${result.model.sha256} vs ${reference.model.sha256}`);
  const diff = sameTerms(result.fourier, reference.fourier, 1e-4);
  assert(!diff, `Fourier terms differ from the CLI's: ${diff}`);
  assert(Math.abs(result.faithfulness.r2 - reference.faithfulness.r2) < 1e-6, `R² ${result.faithfulness.r2} vs ${reference.faithfulness.r2}`);

  // A zip bomb (256 MiB of zeros declared as 1,000 bytes) and a path leaving the folder: a message
  // naming the problem, the page still usable.
  const bomb = writeZip(path.join(artifacts, 'bomb.zip'), [...files.slice(0, 4).map((f) => [f, path.join(bert, f)]),
    ['onnx/model.onnx', { zeros: 256 << 20 }]]);
  declareSize(bomb, 'onnx/model.onnx', 1000);
  await page.setInputFiles('#file-input', [bomb]);
  await expectVisibleError(page, /zip bomb/, 'error-zip-bomb');
  await page.setInputFiles('#file-input', [writeZip(path.join(artifacts, 'evil.zip'), [['../config.json', path.join(bert, 'config.json')]])]);
  await expectVisibleError(page, /outside its folder/, 'error-zip-path');
  const ok = await page.evaluate((text) => window.spexlens.explain({ text, model: 'planted-and', b: 3 }), REVIEW);
  assert(ok.n > 5, 'the page could not explain after the bad archives');
});

test('a bad exported folder gives a clear message and the page stays usable', async ({ page }) => {
  const src = path.join(ROOT, 'models', 'spam-bert');
  const make = (name, edit) => {
    const dir = path.join(artifacts, 'bad-folders', name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'onnx'), { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
      writeFileSync(path.join(dir, f), readFileSync(path.join(src, f)));
    }
    writeFileSync(path.join(dir, 'onnx', 'model.onnx'), readFileSync(path.join(src, 'onnx', 'model.onnx')));
    edit(dir);
    return dir;
  };
  const json = (dir, f, edit) => {
    const v = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    edit(v);
    writeFileSync(path.join(dir, f), JSON.stringify(v));
  };
  const cases = [
    ['two-onnx', (d) => {
      // Neither is one of the names with a rule (model.onnx, onnx/model.onnx, onnx/model_quantized.onnx).
      renameSync(path.join(d, 'onnx', 'model.onnx'), path.join(d, 'onnx', 'model_fp16.onnx'));
      writeFileSync(path.join(d, 'onnx', 'model_int8.onnx'), 'x');
    }, /cannot tell which is the model/],
    ['three-labels', (d) => json(d, 'config.json', (c) => { c.id2label = { 0: 'a', 1: 'b', 2: 'c' }; c.label2id = { a: 0, b: 1, c: 2 }; }), /label/],
    ['unknown-normalizer', (d) => json(d, 'tokenizer.json', (t) => { t.normalizer = { type: 'Precompiled', precompiled_charsmap: '' }; }), /Precompiled/],
    ['broken-tokenizer', (d) => writeFileSync(path.join(d, 'tokenizer.json'), '{"model": '), /tokenizer\.json/],
    ['no-tokenizer', (d) => rmSync(path.join(d, 'tokenizer.json')), /tokenizer\.json/],
  ];
  for (const [name, edit, pattern] of cases) {
    await page.setInputFiles('#folder-input', make(name, edit));
    await expectVisibleError(page, pattern, `error-folder-${name}`);
  }
  const ok = await page.evaluate((text) => window.spexlens.explain({ text, model: 'planted-and', b: 3 }), REVIEW);
  assert(ok.n > 5, 'the page could not explain after the bad folders');
});

test('bad inputs give clear messages and no crash', async ({ page }) => {
  const dir = path.join(artifacts, 'bad-models');
  mkdirSync(dir, { recursive: true });
  const spam = path.join(ROOT, 'models', 'spam-transformer');
  const manifest = JSON.parse(readFileSync(path.join(spam, 'model.json'), 'utf8'));
  const onnx = readFileSync(path.join(spam, 'model.onnx'));
  const write = (name, content) => { const f = path.join(dir, name); writeFileSync(f, content); return f; };
  const vocab = path.join(spam, 'vocab.txt');

  // A truncated ONNX file whose manifest names its hash: ONNX Runtime refuses to load it.
  const broken = onnx.subarray(0, 5000);
  const brokenManifest = { ...manifest, name: 'broken', onnx_sha256: createHash('sha256').update(broken).digest('hex') };
  await page.setInputFiles('#file-input', [write('model.onnx', broken), write('model.json', JSON.stringify(brokenManifest)), vocab]);
  await expectVisibleError(page, /cannot load the model file/, 'error-broken-onnx');

  // A manifest that names an input the model does not have.
  const renamed = { ...manifest, name: 'mismatched', inputs: manifest.inputs.map((i) => (i.name === 'input_ids' ? { ...i, name: 'token_ids' } : i)) };
  await page.setInputFiles('#file-input', [path.join(spam, 'model.onnx'), write('model.json', JSON.stringify(renamed)), vocab]);
  await expectVisibleError(page, /does not match its manifest/, 'error-mismatched-manifest');

  // The right model with the manifest of another one (sha256 differs).
  const other = readFileSync(path.join(ROOT, 'models', 'planted-and', 'model.json'));
  await page.setInputFiles('#file-input', [path.join(spam, 'model.onnx'), write('model.json', other), vocab]);
  await expectVisibleError(page, /sha256/, 'error-wrong-manifest');

  // A script's options are checked whole in C++: refused by name, nothing half-applied.
  for (const [options, pattern] of [[{ method: 'nonsense' }, /"method" must be auto/], [{ b: 'x' }, /"b" must be an integer/],
    [{ sed: 3 }, /unknown option "sed"/], [{ model: 7 }, /"model" must be a string/]]) {
    const message = await page.evaluate((o) => window.spexlens.explain({ text: 'not good at all', ...o }).then(() => 'ok', (e) => e.message), options);
    assert(pattern.test(message), `explain(${JSON.stringify(options)}): ${message}`);
  }
  const after = await page.evaluate(() => window.spexlens.explain({ text: 'not very good', model: 'planted-and', b: 3 }));
  assert(after.n === 3 && after.seed === 0, `the next valid call after refused ones: n ${after.n}, seed ${after.seed}`);

  const empty = await page.evaluate(() => window.spexlens.explain({ text: '   ' }).then(() => 'ok', (e) => e.message));
  assert(empty !== 'ok', 'an empty text was explained');
  await expectVisibleError(page, /empty|no words/i, 'error-empty-text');
  // A failed run leaves the previous result on screen, and what-if still answers for it.
  const shown = await page.evaluate(() => window.spexlens.lastResult());
  const allKept = await page.evaluate((n) => window.spexlens.whatIf('1'.repeat(n)), shown.n);
  assert(Math.abs(allKept - shown.full_value) < 1e-5, `what-if after a failed run: ${allKept} vs ${shown.full_value}`);

  const huge = Array.from({ length: 20000 }, (_, i) => `word${i % 97}`).join(' ');
  const started = Date.now();
  const long = await page.evaluate((text) => window.spexlens.explain({ text }).then(() => 'ok', (e) => e.message), huge);
  assert(long !== 'ok', 'a 20,000-word text was explained without a word');
  await expectVisibleError(page, /10,?000|too long|words/i, 'error-huge-text');
  assert(Date.now() - started < 30000, 'the 20,000-word text took more than 30 s to refuse');

  // Still usable afterwards.
  const ok = await page.evaluate((text) => window.spexlens.explain({ text, model: 'planted-and', b: 3 }), REVIEW);
  assert(ok.n > 5, 'the page could not explain after the errors');
});

test('Chinese, Japanese and Korean text is drawn with the fallback fonts, not as "?"', async ({ page }) => {
  // A clinical note in three scripts; the fallback fonts are loaded only now that a text needs them.
  const before = await state(page);
  assert(before.fonts.fallback_fonts === 0 && !before.fonts.fallback_requested,
    `the CJK fonts were loaded before any text needed them: ${JSON.stringify(before.fonts)}`);
  const note = '患者否认胸痛。 検査は正常です。 환자는 흉통을 부인함。 Patient denies chest pain.';
  const result = await page.evaluate((text) => window.spexlens.explain({ text, model: 'spam-transformer', budget: 500 }), note);
  assert(result.n >= 4, `the note was not explained: n = ${result.n}`);
  const fonts = await waitFor(page, () => { const f = window.spexlens.state().fonts; return f.fallback_fonts === 2 ? f : null; },
    null, 'the two fallback fonts', 15000);
  const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.fonts.missing_glyphs_result === 0 ? s : null; },
    null, 'every glyph of the note in the atlas', 10000).catch(async (e) => { throw new Error(`${e.message}: ${JSON.stringify((await state(page)).fonts)}`); });
  assert(s.fonts.missing_glyphs_text === 0 && !s.fonts.fallback_failed && !s.fonts.fallback_capped,
    `fonts: ${JSON.stringify(s.fonts)}`);
  assert(fonts.fallback_glyphs === 23, `the atlas holds ${fonts.fallback_glyphs} fallback glyphs`);
  await page.waitForTimeout(300);
  const { stats } = await screenshot(page, 'cjk-note');
  assert(looksRendered(stats), 'the CJK note looks blank');
});

test('a Chinese sentence is explained one word per ideograph, each on the heat-map', async ({ page }) => {
  // src/text/features.h: every Han ideograph is a word; "，" and "。" stay with the one before.
  const sentence = '这个产品质量很好，但是送货太慢了。';
  const result = await page.evaluate((text) => window.spexlens.explain({ text, model: 'spam-transformer', budget: 500 }), sentence);
  const ideographs = Array.from(sentence).filter((c) => /\p{Script=Han}/u.test(c));
  assert(result.n === ideographs.length && result.features.length === 15,
    `n = ${result.n}, the sentence has ${ideographs.length} ideographs: ${result.features.map((f) => f.text).join(' · ')}`);
  const cps = Array.from(result.text);
  assert(result.features.every((f, i) => cps.slice(f.start, f.end).join('') === f.text && f.text.startsWith(ideographs[i])),
    `features: ${JSON.stringify(result.features.map((f) => [f.text, f.start, f.end]))}`);
  assert(result.features[7].text === '好，' && result.features[14].text === '了。', 'punctuation left its ideograph');
  await waitFor(page, () => { const w = window.spexlens.state().widgets; return w['word:14'] && !w['word:15']; },
    null, 'the 15 words on the heat-map', 5000);
});

test('a Hebrew sentence is laid out right to left on the heat-map, drawn with the main font', async ({ page }) => {
  // "The patient denies chest pain." Its first word is the rightmost; no fallback font is needed.
  const note = 'המטופל מכחיש כאבים בחזה';
  const result = await page.evaluate((text) => window.spexlens.explain({ text, model: 'spam-transformer', budget: 500 }), note);
  assert(result.n === 4, `the note was not explained word by word: n = ${result.n}`);
  await waitFor(page, () => { const w = window.spexlens.state().widgets; return w['word:3'] && !w['word:4']; },
    null, 'the four Hebrew words on the heat-map', 5000);
  await page.waitForTimeout(300);
  const s = await state(page);
  const boxes = [0, 1, 2, 3].map((i) => s.widgets[`word:${i}`]);  // [x, y, w, h]
  assert(boxes.every((b, i) => i === 0 || (b[1] === boxes[0][1] && b[0] + b[2] <= boxes[i - 1][0])),
    `the words should run right to left on one line: ${JSON.stringify(boxes)}`);
  assert(s.fonts.missing_glyphs_text === 0 && s.fonts.missing_glyphs_result === 0,
    `fonts: ${JSON.stringify(s.fonts)}`);
  const { stats } = await screenshot(page, 'hebrew-note');
  assert(looksRendered(stats), 'the Hebrew note looks blank');
});

test('an Arabic sentence is drawn shaped, right to left, with no missing glyph', async ({ page }) => {
  // "The patient does not complain of chest pain.": its words joined (their presentation forms, the
  // LAM-ALEF ligature of لا), the first word the rightmost; every drawn form in the main font's atlas.
  const note = 'المريض لا يشكو من ألم الصدر';
  const result = await page.evaluate((text) => window.spexlens.explain({ text, model: 'spam-transformer', budget: 500 }), note);
  assert(result.n === 6, `the note was not explained word by word: n = ${result.n}`);
  await waitFor(page, () => { const w = window.spexlens.state().widgets; return w['word:5'] && !w['word:6']; },
    null, 'the six Arabic words on the heat-map', 5000);
  await page.waitForTimeout(300);
  const s = await state(page);
  const boxes = [0, 1, 2, 3, 4, 5].map((i) => s.widgets[`word:${i}`]);  // [x, y, w, h]
  assert(boxes.every((b, i) => i === 0 || (b[1] === boxes[0][1] && b[0] + b[2] <= boxes[i - 1][0])),
    `the words should run right to left on one line: ${JSON.stringify(boxes)}`);
  assert(s.fonts.missing_glyphs_text === 0 && s.fonts.missing_glyphs_result === 0,
    `fonts (the shaped forms counted): ${JSON.stringify(s.fonts)}`);
  const { stats } = await screenshot(page, 'arabic-note');
  assert(looksRendered(stats), 'the Arabic note looks blank');
});

test('opened from file:// the page says why it cannot run and what to do', async ({ browser }) => {
  for (const file of ['serve.py', 'spexlens.html']) {
    assert(existsSync(path.join(siteDir, file)), `the site folder has no ${file} for the message to point to`);
  }
  // A context of its own: its file:// requests are not the served page's.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.join(siteDir, 'index.html')).href);
    const text = await waitFor(page, () => {
      const box = document.getElementById('loading');
      return box && !box.hidden && box.classList.contains('blocked') ? box.textContent : null;
    }, null, 'the file:// message', 10000);
    for (const [what, pattern] of [['why', /file:\/\//], ['why', /worker/], ['what to do', /python3 serve\.py/],
      ['the single file', /open spexlens\.html in this folder/],
      ['where', /http:\/\/127\.0\.0\.1:8080\//], ['the source tree\'s way', /scripts\/run\.sh/]]) {
      assert(pattern.test(text), `the file:// message does not say ${what} (${pattern}): ${text}`);
    }
    assert(text.includes(siteDir), `the message does not name the folder ${siteDir}: ${text}`);
    await page.waitForTimeout(2000);  // nothing puts "Loading…" back
    const later = await page.locator('#loading').textContent();
    assert(later === text && !/Loading spexlens/.test(later), `the message changed to: ${later}`);
    await page.screenshot({ path: path.join(artifacts, 'file-url-message.png') });
  } finally {
    await context.close();
  }
});

test('spexlens.html, the page in one file, explains the sample from file:// with no request', async ({ browser }) => {
  const single = path.join(siteDir, '..', 'spexlens.html');
  assert(existsSync(single), `${single} is missing: the spexlens_single_file target builds it`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push(r.url()));
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation',
      (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`)));
    await page.goto(pathToFileURL(single).href);
    await waitFor(page, () => !!window.spexlens, null, 'window.spexlens in the single file', 30000);
    const info = await page.evaluate(() => window.spexlens.ready);
    assert(info.threads === 1 && info.isolated === false, `single file: ${JSON.stringify(info)} (one thread, not isolated)`);
    // Through real clicks, as a presenter would: once the model is open (its derived manifest's
    // notes appear under the picker and move the Run button down).
    await page.evaluate(() => window.spexlens.warm);
    await clickWidget(page, 'sample');
    await waitFor(page, () => window.spexlens.state().text_length > 0, null, 'the sample text in the text box');
    await clickWidget(page, 'run');
    const started = Date.now();
    const s = await waitFor(page, () => { const s = window.spexlens.state(); return s.phase === 'idle' && s.has_result ? s : null; },
      null, 'the explanation in the single file', 240000);
    console.log(`     the single file (one ONNX Runtime thread) explained the default sample in ${Date.now() - started} ms`);
    assert(!s.error && s.result.n >= 40 && s.result.r2 > 0.3, `single file result: ${JSON.stringify(s.result)} ${s.error}`);
    assert(s.browser?.single_file === true && s.browser.ort_threads === 1, `state.browser: ${JSON.stringify(s.browser)}`);
    await page.waitForTimeout(300);
    const shot = await page.screenshot({ path: path.join(artifacts, 'single-file-explained.png') });
    assert(looksRendered(pngStats(shot)), 'the single file\'s result looks blank');
    assertMatchesCli(await page.evaluate((text) => window.spexlens.explain({ text, model: 'spam-transformer', seed: 7 }), EMAIL),
      'single file');
    // The model card travels inside the file too (the explain call above chose the spam model).
    const shown = await page.evaluate(() => window.spexlens.state().model);
    await clickWidget(page, 'model-card');
    const card = await waitFor(page, () => window.spexlens.state().model_card?.chars > 0 ? window.spexlens.state().model_card : null,
      null, 'the model card in the single file', 10000);
    const readme = readFileSync(path.join(ROOT, 'models', shown, 'README.md'), 'utf8');
    assert(shown === 'spam-transformer' && !card.missing && card.chars === Buffer.byteLength(readme),
      `the single file's model card (${shown}): ${JSON.stringify(card)}`);
    await clickWidget(page, 'close-model-card');
    const other = requests.filter((u) => !/^(file:|blob:|data:)/.test(u));
    assert(other.length === 0, `the single file made requests: ${other.slice(0, 5).join(', ')}`);
    assert(requests.filter((u) => u.startsWith('file:')).length === 1, `more than the page itself was read from disk: ${requests.join(', ')}`);
    assert(problems.length === 0, `errors in the single file: ${problems.join('; ')}`);
  } finally {
    await context.close();
  }
});

// The probe panel (docs/page.md, "Probe suites"): the spam model's shipped suite run by real
// clicks, its report against scripts/spexlens-probe on the same suite (pass/fail per test, every
// case's scores within 1e-4), the three exports, a 100+-case suite opened as a file (the bar's
// size; its time is printed, not asserted), and "Explain this case" starting an explanation of
// that case's text.
test('a probe suite runs in the page by real clicks, matches spexlens-probe, exports its report and explains a case', async ({ page }) => {
  // RFC 4180 records (the report's CSV; texts hold commas, quotes and line breaks).
  const parseCsv = (text) => {
    const rows = [];
    let row = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
        row.push(field); rows.push(row); row = []; field = ''; i++;
      } else field += c;
    }
    const [header, ...records] = rows;
    return new Map(records.map((r) => [r[0], Object.fromEntries(header.map((h, k) => [h, r[k]]))]));
  };
  const suiteFile = path.join(ROOT, 'models', 'spam-transformer', 'probe-suite.json');
  const cliCsvFile = path.join(artifacts, 'probe-cli.csv');
  const cliReport = JSON.parse(execFileSync(path.join(ROOT, 'scripts', 'spexlens-probe'),
    ['--suite', suiteFile, '--model', path.join(ROOT, 'models', 'spam-transformer'), '--runtime', 'web', '--threads', '1',
      '--csv', cliCsvFile], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const cliCases = parseCsv(readFileSync(cliCsvFile, 'utf8'));

  // The spam model, picked in the picker; its suite from the panel.
  await page.evaluate(() => window.spexlens.ready);
  await clickWidget(page, 'model-combo');
  await waitFor(page, () => window.spexlens.state().widgets['model:spam-transformer'], null, 'the model list', 5000);
  await clickWidget(page, 'model:spam-transformer');
  await waitFor(page, () => window.spexlens.state().model === 'spam-transformer', null, 'the spam model to be chosen', 5000);
  await page.evaluate(() => window.spexlens.warm);
  if (!(await state(page)).probe.open) await clickWidget(page, 'probe-panel');
  await waitFor(page, () => window.spexlens.state().widgets['probe-run'], null, 'the probe panel', 5000);
  const finished = async (previousSeconds) => {
    const p = await waitFor(page, (seconds) => {
      const p = window.spexlens.state().probe;
      return p.phase === 'idle' && p.seconds !== null && p.seconds !== seconds ? p : null;
    }, previousSeconds, 'the probe suite to finish', 120000);
    await page.waitForTimeout(200);  // a frame draws the report (the widgets' rectangles follow it)
    return p;
  };
  let t0 = Date.now();
  await clickWidget(page, 'probe-run');
  const first = await finished(null);
  const firstMs = Date.now() - t0;
  assert(!first.error, `the suite failed: ${first.error}`);
  assert(first.suite === cliReport.suite && first.tests === cliReport.tests.length && first.cases === cliReport.cases,
    `the page ran ${JSON.stringify(first)}; spexlens-probe: ${cliReport.tests.length} tests, ${cliReport.cases} cases`);
  assert(first.failures === cliReport.failed, `failing cases: page ${first.failures}, spexlens-probe ${cliReport.failed}`);
  // Warm: the suite again, already read, on the warmed model.
  await waitFor(page, () => window.spexlens.state().widgets['probe-run'], null, 'the Run button again', 5000);
  t0 = Date.now();
  await clickWidget(page, 'probe-run');
  const again = await finished(first.seconds);
  const againMs = Date.now() - t0;

  // The report: the same tests, pass/fail and failing cases as the command line's.
  const jsonFile = await download(page, 'probe-export-json');
  assert(/^spexlens-spam-transformer-probes-\d{8}T\d{6}Z\.json$/.test(jsonFile.name), `report name ${jsonFile.name}`);
  const report = JSON.parse(jsonFile.bytes.toString('utf8'));
  assert(report.format === 'spexlens-probe-report' && report.model === 'spam-transformer' &&
    report.model_sha256 === cliReport.model_sha256 && report.target === cliReport.target, `report head: ${JSON.stringify({ ...report, tests: undefined })}`);
  assert(report.tests.length === cliReport.tests.length, 'the reports list different tests');
  report.tests.forEach((t, i) => {
    const c = cliReport.tests[i];
    assert(t.name === c.name && t.passed === c.passed && t.failed === c.failed && t.cases === c.cases,
      `test "${t.name}": page passed=${t.passed} failed=${t.failed}, spexlens-probe passed=${c.passed} failed=${c.failed}`);
    assert(JSON.stringify(t.failures.map((f) => f.id)) === JSON.stringify(c.failures.map((f) => f.id)), `failing cases of "${t.name}" differ`);
  });
  assert(JSON.stringify(report.capabilities) === JSON.stringify(cliReport.capabilities), 'the capability tallies differ');
  assert(report.note === cliReport.note, 'the report lacks the scope sentence');
  // Every case's scores, from the CSV export, within 1e-4 of the command line's.
  const csvFile = await download(page, 'probe-export-csv');
  const pageCases = parseCsv(csvFile.bytes.toString('utf8'));
  assert(pageCases.size === cliCases.size && pageCases.size === cliReport.cases, `CSV rows: page ${pageCases.size}, CLI ${cliCases.size}`);
  let largest = 0;
  for (const [id, c] of cliCases) {
    const p = pageCases.get(id);
    assert(p && p.text === c.text && p.perturbed_text === c.perturbed_text && p.passed === c.passed, `case ${id} differs`);
    for (const key of ['score', 'perturbed_score']) {
      if (c[key] === '') continue;
      const d = Math.abs(Number(p[key]) - Number(c[key]));
      largest = Math.max(largest, d);
      assert(d <= 1e-4, `case ${id} ${key}: page ${p[key]}, spexlens-probe ${c[key]}`);
    }
  }
  const htmlFile = await download(page, 'probe-export-html');
  const html = htmlFile.bytes.toString('utf8');
  assert(/\.html$/.test(htmlFile.name) && html.startsWith('<!DOCTYPE html>') && html.includes(cliReport.suite) &&
    !/<script/i.test(html), `the HTML summary: ${htmlFile.name}`);
  await screenshot(page, 'page-probe-report');

  // The bar's size: a suite of over 100 cases, opened as a file (the shipped one plus a test).
  const bigger = JSON.parse(readFileSync(suiteFile, 'utf8'));
  bigger.name = 'spam probes, 100+ cases';
  bigger.tests.push({ name: 'short notes are ham', type: 'mft', capability: 'vocabulary: ham', expect: { label: 'ham' },
    template: '{who} says the {what} is {when}.', fill: { who: ['Bob', 'Alice', 'The team'], what: ['meeting', 'review', 'build', 'release'], when: ['moved to Friday', 'done'] } });
  const biggerFile = path.join(artifacts, 'probe-suite-100.json');
  writeFileSync(biggerFile, JSON.stringify(bigger, null, 2));
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10000 }), clickWidget(page, 'probe-open')]);
  t0 = Date.now();
  await chooser.setFiles(biggerFile);
  const big = await finished(again.seconds);
  const bigMs = Date.now() - t0;
  assert(!big.error && big.suite === bigger.name && big.cases >= 100, `the opened suite: ${JSON.stringify(big)}`);
  console.log(`     probe suites in the page (${(await state(page)).browser.ort_threads} ORT threads): ` +
    `${cliReport.cases} cases ${Math.round(first.seconds * 1000)} ms (first; ${firstMs} ms click to done), ` +
    `${Math.round(again.seconds * 1000)} ms warm (${againMs} ms); ${big.cases} cases ${Math.round(big.seconds * 1000)} ms ` +
    `(${bigMs} ms from choosing the file); largest score difference from spexlens-probe ${largest.toExponential(1)}`);

  // Explain a failing case (any case when none fails) by its button: its text, the same Run path.
  const failing = report.tests.flatMap((t) => t.failures.map((f) => f.id));
  const caseId = failing[0] ?? '1.1';
  await clickWidget(page, failing.length ? 'probe-tab-failing' : 'probe-tab-all');
  await waitFor(page, (id) => window.spexlens.state().widgets[`probe-explain:${id}`], caseId, `the button of case ${caseId}`, 5000);
  const kase = pageCases.get(caseId);
  const caseText = kase.perturbed_text || kase.text;
  await clickWidget(page, `probe-explain:${caseId}`);
  const started = await waitFor(page, () => { const s = window.spexlens.state(); return s.phase !== 'idle' ? s : null; },
    null, 'the explanation to start', 10000);
  assert(!started.probe.open && started.text_length === Buffer.byteLength(caseText), `after Explain: ${JSON.stringify({ ...started, widgets: undefined })}`);
  await waitFor(page, () => window.spexlens.state().phase === 'idle', null, 'the explanation to finish', 120000);
  const explained = await page.evaluate(() => window.spexlens.lastResult());
  assert(explained.text === caseText && explained.model.name === 'spam-transformer', `explained ${JSON.stringify(explained.text)} with ${explained.model.name}`);
});

// ---------------------------------------------------------------------------------------------
test('attention beside use on the clinical model', async ({ page }) => {
  await page.evaluate(() => window.spexlens.ready);
  const clinical = catalog.models.find((m) => m.key === 'clinical-readmission');
  const result = await page.evaluate((text) => window.spexlens.explain({ text, model: 'clinical-readmission', budget: 1000, seed: 5 }),
    clinical.samples[0].text);
  assert(result.model.name === 'clinical-readmission', `explained with ${result.model.name}`);
  await waitFor(page, () => window.spexlens.state().widgets['attention-open'], null, 'the attention button', 5000);
  const t0 = Date.now();
  await clickWidget(page, 'attention-open');
  const a = await waitFor(page, () => { const a = window.spexlens.state().attention; return a.ready || a.error ? a : null; },
    null, 'the attention view to read the attention', 60000);
  const ms = Date.now() - t0;
  assert(!a.error, `the attention view failed: ${a.error}`);
  assert(Number.isFinite(a.spearman) && a.spearman >= -1 && a.spearman <= 1, `correlation ${a.spearman}`);
  assert(a.correlation.includes(`over ${result.n} words`) && a.words === result.n, `the correlation line: ${a.correlation}`);
  assert(a.honest === 'Attention shows what the model looks at, not what it uses: a word can draw attention and change ' +
    'nothing when it is masked, and the reverse.', `the honest sentence: ${a.honest}`);
  assert(/^\d+% of this attention goes to the special tokens/.test(a.special), `the special-token share: ${a.special}`);
  await waitFor(page, () => { const w = window.spexlens.state().widgets; return w['attention-honest'] && w['attention-correlation']; },
    null, 'the honest sentence and the correlation drawn', 5000);
  await screenshot(page, 'page-attention');
  console.log(`     attention view: ${ms} ms from the click (internals graph opened and run once); ${a.series}: ` +
    `rho ${a.spearman.toFixed(2)} over ${a.words} words; ${a.special.split(' ')[0]} on special tokens`);
  await clickWidget(page, 'attention-close');
  await waitFor(page, () => !window.spexlens.state().attention.open, null, 'the attention view to close', 5000);
});

// The probing view: the clinical model's layer probe set probed by real clicks, the report equal
// to the command line's for the same seed (web/js/layer_probe_scoring.mjs is shared).
test('probing classifiers on the clinical model, as the command line reports them', async ({ page }) => {
  await page.evaluate(() => window.spexlens.explain({ text: 'Denies chest pain. Lives alone.', model: 'clinical-readmission',
    budget: 500, seed: 3 }));
  await waitFor(page, () => window.spexlens.state().widgets['layer-probe-open'], null, 'the probing button', 5000);
  await clickWidget(page, 'layer-probe-open');
  await waitFor(page, () => window.spexlens.state().widgets['layer-probe-run'], null, 'the probing view', 5000);
  const t0 = Date.now();
  await clickWidget(page, 'layer-probe-run');
  const p = await waitFor(page, () => { const p = window.spexlens.state().layer_probe; return p.ready || p.error ? p : null; },
    null, 'the layer probes', 120000);
  const ms = Date.now() - t0;
  assert(!p.error, `the layer probes failed: ${p.error}`);
  assert(p.layers === 4 && p.examples === 270, `layers ${p.layers}, examples ${p.examples}`);
  assert(p.statement.includes('linearly decodable') && p.statement.includes('does not show that the model uses'),
    `the statement: ${p.statement}`);
  assert(p.reading.length >= 3 && p.reading.at(-1) === p.statement, `the reading: ${JSON.stringify(p.reading)}`);
  const reference = JSON.parse(execFileSync(path.join(ROOT, 'scripts', 'spexlens-probe-layers'), ['--model',
    path.join(ROOT, 'models', 'clinical-readmission'), '--probe-set',
    path.join(ROOT, 'models', 'clinical-readmission', 'layer-probe-medication.json'), '--seed', String(p.seed),
    '--runtime', 'web'], { encoding: 'utf8', maxBuffer: 16 << 20 }));
  const best = reference.layers.reduce((a, l) => (l.accuracy > a.accuracy ? l : a));
  assert(p.best === best.name && Math.abs(p.best_accuracy - best.accuracy) < 1e-9,
    `the page's best layer ${p.best} ${p.best_accuracy} (seed ${p.seed}), the command line's ${best.name} ${best.accuracy}`);
  await waitFor(page, () => { const w = window.spexlens.state().widgets; return w['layer-probe-table'] && w['layer-probe-reading']; },
    null, 'the table and the reading drawn', 5000);
  await screenshot(page, 'page-layer-probe');
  console.log(`     probing view: ${ms} ms from the click (270 words in 205 notes, 4 layers); best ${p.best} ` +
    `${p.best_accuracy.toFixed(3)}`);
  await clickWidget(page, 'layer-probe-close');
  await waitFor(page, () => !window.spexlens.state().layer_probe.open, null, 'the probing view to close', 5000);
});

// The workshop path (docs/page.md): seven steps on the clinical model, each pressed by a real
// click in the left column, each step's claim read back with the numbers it states.
test('the workshop path walks from a note to the layers by real clicks, each claim worded as measured', async ({ page }) => {
  await page.evaluate(() => window.spexlens.ready);
  const clinical = catalog.models.find((m) => m.key === 'clinical-readmission');
  const spec = clinical.workshop;
  await waitFor(page, () => window.spexlens.state().widgets['workshop-toggle'], null, 'the workshop toggle', 5000);
  await clickWidget(page, 'workshop-toggle');
  const w0 = await waitFor(page, () => window.spexlens.state().workshop.enabled && window.spexlens.state().workshop,
    null, 'the workshop path', 5000);
  assert(w0.model === 'clinical-readmission' && w0.steps.length === 7, `the path: ${JSON.stringify(w0).slice(0, 300)}`);
  const timings = [];
  // Presses step n once it can be pressed and its button is on screen, and waits until it is done.
  const press = async (n, timeoutMs) => {
    await waitFor(page, (k) => {
      const s = window.spexlens.state();
      const r = s.widgets[`workshop-step:${k}`];
      return s.workshop.steps[k - 1].enabled && r && r[1] >= 0 && r[1] + r[3] <= window.innerHeight;
    }, n, `workshop step ${n} to be enabled and in view`, 30000);
    const t0 = Date.now();
    await clickWidget(page, `workshop-step:${n}`);
    const w = await waitFor(page, (k) => { const w = window.spexlens.state().workshop; return w.steps[k - 1].done ? w : null; },
      n, `workshop step ${n} to be done`, timeoutMs);
    timings.push(`${n}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    assert(!(await page.evaluate(() => window.spexlens.state().error)), `step ${n} left an error`);
    return w.steps[n - 1].claim;
  };
  const c1 = await press(1, 120000);
  const state1 = await page.evaluate(() => window.spexlens.state());
  assert(state1.model === 'clinical-readmission', `step 1 explained with ${state1.model}`);
  assert(/^Explained with \d+ model calls\. The summary reproduces \d+% of how the model's output varies when words are masked/.test(c1),
    `step 1's claim: ${c1}`);
  const c2 = await press(2, 5000);
  const rank = /^\u201C7B\u201D is the (\d+)(st|nd|rd|th) of (\d+) words by the size of its effect \(Shapley value [+-]\d/.exec(c2);
  assert(rank && Number(rank[1]) <= 3, `step 2 finds the shortcut among the top three words: ${c2}`);
  assert(c2.includes('the model card\'s rules give it no role'), `step 2 says what the rank is: ${c2}`);
  const c3 = await press(3, 60000);
  assert(/^\d of 9 tests pass on this model\./.test(c3) && c3.includes('invariance: ward (the shortcut) (1 of 1)'),
    `step 3's claim: ${c3}`);
  const c4 = await press(4, 5000);
  assert(c4.startsWith(`\u201C${spec.shortcut_test}\u201D fails on 18 of 18 cases`) && c4.includes('the test allows at most 1') &&
    c4.includes('Beside it, negation:'), `step 4's claim: ${c4}`);
  const c5 = await press(5, 120000);
  assert(/^Case 9\.\d+, explained: \u201C7B\u201D is the \d+/.test(c5), `step 5's claim: ${c5}`);
  const c6 = await press(6, 60000);
  assert(c6.includes('Attention shows what the model looks at, not what it uses') && /\u201C7B\u201D is the \d+\w\w of \d+ words by attention/.test(c6),
    `step 6's claim: ${c6}`);
  const c7 = await press(7, 120000);
  assert(c7.startsWith('"Is this medication current or discontinued?" on 270 words') &&
    c7.includes('does not show that the model uses'), `step 7's claim: ${c7}`);
  const done = await page.evaluate(() => window.spexlens.state());
  assert(done.workshop.next === 0 && done.workshop.steps.every((s) => s.done), 'every step is done');
  for (let n = 1; n <= 6; n++) assert(done.widgets[`workshop-claim:${n}`], `step ${n}'s claim is drawn`);
  await waitFor(page, () => { const r = window.spexlens.state().widgets['workshop-claim:7'];
    return r && r[1] >= 0 && r[1] + r[3] <= window.innerHeight; }, null, 'the last claim drawn and scrolled into view', 5000);
  await screenshot(page, 'page-workshop-path');
  console.log(`     workshop path: ${timings.join(', ')}; 7B ${rank[1]}${rank[2]} of ${rank[3]} words`);
  // The mouse wheel over the column brings its toggles back into view; the path closes from there.
  const [x, y, w, h] = done.widgets['workshop-step:7'];
  const box = await page.locator('#canvas').boundingBox();
  await page.mouse.move(box.x + x + w / 2, box.y + Math.min(y + h / 2, box.height - 20));
  await page.mouse.wheel(0, -5000);
  await waitFor(page, () => { const r = window.spexlens.state().widgets['workshop-toggle']; return r && r[1] >= 0; },
    null, 'the column scrolled back to its top', 5000);
  await clickWidget(page, 'workshop-toggle');
  await waitFor(page, () => !window.spexlens.state().workshop.enabled, null, 'the workshop path to close', 5000);
});

// ---------------------------------------------------------------------------------------------
const server = await serveSite(siteDir);
const session = await openPage(`${server.origin}/index.html`);
const started = Date.now();
try {
  for (const t of tests) {
    if (only && !only.test(t.name)) continue;
    const t0 = Date.now();
    try {
      await t.fn(session);
      console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failures += 1;
      console.log(`FAIL ${t.name}: ${e.message}`);
      await screenshot(session.page, `failed-${t.name.replace(/\W+/g, '-')}`).catch(() => {});
    }
  }
  // Nothing the page did above left a trace in the browser's storage.
  const stored = await session.page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    cookies: document.cookie,
  }));
  if (stored.local || stored.session || stored.indexedDB.length || stored.caches.length || stored.cookies) {
    failures += 1;
    console.log(`FAIL nothing is written to browser storage: ${JSON.stringify(stored)}`);
  } else {
    console.log('ok   nothing is written to browser storage (local/session storage, IndexedDB, caches, cookies)');
  }

  // Every request the page and its workers made, across all of the above, stayed on the origin.
  writeFileSync(path.join(artifacts, 'requests.txt'), session.requests.join('\n') + '\n');
  const foreign = session.requests.filter((u) => {
    const url = u.replace(/^worker:/, '');
    return !(url.startsWith(`${server.origin}/`) || url.startsWith('blob:') || url.startsWith('data:'));
  });
  if (foreign.length) {
    failures += 1;
    console.log(`FAIL every request is same-origin: ${foreign.slice(0, 5).join(', ')}`);
  } else {
    console.log(`ok   every request is same-origin (${session.requests.length} logged in requests.txt)`);
  }
  writeFileSync(path.join(artifacts, 'http-errors.txt'), session.httpErrors.join('\n') + '\n');
  if (session.httpErrors.length) {
    failures += 1;
    console.log(`FAIL no request answered with an HTTP error: ${session.httpErrors.slice(0, 5).join(', ')}`);
  } else {
    console.log('ok   no request answered with an HTTP error (no /favicon.ico 404)');
  }
  const problems = session.problems.filter((p) => !/Failed to load resource/.test(p));
  if (problems.some((p) => /CSP violation/.test(p))) {
    failures += 1;
    console.log(`FAIL no Content-Security-Policy violations: ${problems.filter((p) => /CSP/.test(p)).join('; ')}`);
  }
  if (problems.length) console.log(`page console errors (expected ones come from the bad-input checks):\n  ${problems.join('\n  ')}`);
} finally {
  await session.close();
  server.stop();
}
console.log(`${failures ? 'FAILED' : 'passed'}: ${tests.length} checks in ${((Date.now() - started) / 1000).toFixed(1)} s; artifacts in ${artifacts}`);
process.exit(failures ? 1 : 0);
