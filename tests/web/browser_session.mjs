// browser_session: what every browser test and the page benchmark share — the built site
// served by scripts/serve_site.py on 127.0.0.1 (a free port), and Debian's Chromium driven by
// playwright-core (which downloads no browser), with every request the page makes logged.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // WebGL2 on the CPU (SwiftShader), so the ImGui canvas renders without a GPU.
  '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
];

// Starts the static server; resolves to { origin, stop() }.
export function serveSite(siteDir) {
  if (!existsSync(path.join(siteDir, 'index.html'))) {
    throw new Error(`${siteDir} has no index.html: build the page (cmake --build --preset wasm-release)`);
  }
  const server = spawn('/usr/bin/python3', [path.join(ROOT, 'scripts', 'serve_site.py'), '--port', '0', '--dir', siteDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SPEXLENS_SERVE_QUIET: '1' } });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ origin: `http://127.0.0.1:${m[1]}`, stop: () => server.kill() });
    });
    server.stderr.on('data', (chunk) => process.stderr.write(chunk));
    server.on('exit', (code) => reject(new Error(`serve_site.py exited (${code}) before serving`)));
  });
}

// Opens `url` in a new browser context of `browser` (viewport width x height CSS pixels at
// deviceScaleFactor device pixels each), logging into `requests` every URL the page and its
// workers ask for, into `problems` console errors, page errors and Content-Security-Policy
// violations, and into `httpErrors` every response with status 400 or more.
async function openContextPage(browser, url, { width = 1280, height = 900, deviceScaleFactor = 1 } = {},
  requests = [], problems = [], httpErrors = []) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, acceptDownloads: true });
  context.on('request', (r) => requests.push(r.url()));
  context.on('response', (r) => { if (r.status() >= 400) httpErrors.push(`${r.status()} ${r.url()}`); });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  page.on('worker', (w) => requests.push(`worker:${w.url()}`));
  await page.goto(url);
  return { context, page, requests, problems, httpErrors };
}

// Launches Chromium with a fresh profile; resolves to { browser, context, page, requests,
// problems, httpErrors, openExtraPage(), close() }. requests: every URL the page (and its
// workers) asked for. problems: console errors, page errors and Content-Security-Policy
// violations. httpErrors: responses with status >= 400 ("404 http://…/favicon.ico").
// openExtraPage(url, { width, height, deviceScaleFactor }) opens another page in a context of
// its own (another window size or pixel ratio) whose requests and HTTP errors are logged with
// the session's, and whose problems are its own; close its context when done.
export async function openPage(url, { width = 1280, height = 900 } = {}) {
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'spexlens-chromium-'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const session = await openContextPage(browser, url, { width, height });
  return {
    browser, ...session,
    openExtraPage: (extraUrl, options) => openContextPage(browser, extraUrl, options, session.requests, [], session.httpErrors),
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Polls fn() in the page until it returns a truthy value; throws with `what` after timeoutMs.
export async function waitFor(page, fn, arg, what, timeoutMs = 60000) {
  const handle = await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 50 })
    .catch((e) => { throw new Error(`timed out waiting for ${what} (${e.message.split('\n')[0]})`); });
  return handle.jsonValue();
}

// Clicks the centre of a widget the app recorded (app_state.widget_rects) on the real canvas.
export async function clickWidget(page, name) {
  const state = await page.evaluate(() => window.spexlens.state());
  const rect = state.widgets?.[name];
  if (!rect) throw new Error(`the canvas shows no widget "${name}" (have: ${Object.keys(state.widgets || {}).join(', ')})`);
  const box = await page.locator('#canvas').boundingBox();
  const [x, y, w, h] = rect;
  await page.mouse.move(box.x + x + w / 2, box.y + y + h / 2);
  await page.waitForTimeout(50);  // a frame sees the hover first, as with a real pointer
  await page.mouse.down();
  await page.waitForTimeout(50);
  await page.mouse.up();
  await page.waitForTimeout(50);
}
