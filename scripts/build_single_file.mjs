#!/usr/bin/env node
// build_single_file: writes spexlens.html, the whole page in one file that runs without a server
// (double-click, file://, in Chromium and Firefox), from the assembled site folder.
//
//   node scripts/build_single_file.mjs [--site build/wasm-release/site] [--out build/wasm-release/spexlens.html]
//                                      [--models key,key] [--max-mb 20]
//
// What goes in: the page's modules bundled by esbuild into one inline module script (with
// js/site_files.mjs swapped for js/site_files_inline.mjs, which reads files from the page); the
// inference worker bundled the same way with ONNX Runtime Web's self-contained build
// (ort.wasm.bundle.min.mjs) and started from a blob: URL; the two wasm modules, ONNX Runtime's
// wasm, the font, the catalog and the shipped models (every one the catalog lists but those with
// "single_file": false, or --models)
// gzip-compressed and base64-encoded in <script type="application/octet-stream" data-path=…>
// tags; the stylesheet inline; the third-party notices in a text block. The Content-Security-Policy
// allows exactly the two inline scripts and style (by sha256), wasm, blob: workers, and no
// connection at all. ONNX Runtime runs one thread there (no cross-origin isolation from a file;
// the page says so). Fails when the file would exceed --max-mb (the documented size budget).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const args = { site: join(root, 'build/wasm-release/site'), out: null, models: null, maxMb: 20 };
  for (let i = 0; i < argv.length; ++i) {
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
      return argv[++i];
    };
    if (argv[i] === '--site') args.site = resolve(value());
    else if (argv[i] === '--out') args.out = resolve(value());
    else if (argv[i] === '--models') args.models = value().split(',').filter(Boolean);
    else if (argv[i] === '--max-mb') args.maxMb = Number(value());
    else throw new Error(`unknown option ${argv[i]} (see the comment at the top of ${fileURLToPath(import.meta.url)})`);
  }
  args.out ??= join(dirname(args.site), 'spexlens.html');
  if (!(args.maxMb > 0)) throw new Error('--max-mb must be a positive number');
  return args;
}

// Node built-ins named by the Emscripten modules' Node branches; never reached in a browser.
const NODE_BUILTINS = ['fs', 'path', 'crypto', 'module', 'url', 'worker_threads', 'perf_hooks', 'util', 'os'];

// format 'esm' for the page's inline module script; 'iife' for the worker: Chromium refuses a
// module worker from a blob: URL in a page opened from file://, and runs a classic one. In the
// worker, import.meta.url (only read where the served page locates files) gets a placeholder
// base that no request could reach (connect-src 'none' besides).
async function bundle(entry, redirects, format) {
  const plugin = {
    name: 'spexlens-single-file',
    setup(build) {
      for (const [filter, target] of redirects) build.onResolve({ filter }, () => ({ path: target }));
    },
  };
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, format, platform: 'browser', target: 'es2022', minify: true,
    define: format === 'iife' ? { 'import.meta.url': JSON.stringify('https://spexlens.invalid/js/inference_worker.js') } : {},
    legalComments: 'inline', write: false, external: NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]),
    plugins: [plugin], logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

// Inline text must not close its <script> element early.
function scriptSafe(text, what) {
  if (/<\/script/i.test(text)) throw new Error(`${what} contains "</script": it cannot be inlined as is`);
  return text;
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// The files a shipped model needs in the page (model_catalog.mjs fetchModelFiles, modelCard).
function modelPaths(site, entry) {
  const dir = `models/${entry.key}/`;
  const paths = [];
  if (entry.exported) {
    paths.push(...entry.exported.files.map((f) => dir + f));
  } else {
    const manifest = JSON.parse(readFileSync(join(site, dir, 'model.json'), 'utf8'));
    const files = manifest.files || {};
    paths.push(`${dir}model.json`, dir + (files.vocab || 'vocab.txt'), dir + (files.onnx || 'model.onnx'));
  }
  if (existsSync(join(site, dir, 'README.md'))) paths.push(`${dir}README.md`);
  if (entry.probe_suite) paths.push(dir + entry.probe_suite);  // the probe panel's suite (catalog.json)
  if (entry.layer_probe_set) paths.push(dir + entry.layer_probe_set);  // the probing view's set
  return paths;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const site = args.site;
  for (const required of ['index.html', 'js/page_main.mjs', 'js/site_files_inline.mjs', 'wasm/spexlens_app.wasm']) {
    if (!existsSync(join(site, required))) {
      throw new Error(`${join(site, required)} is missing: build the site first (cmake --build --preset wasm-release)`);
    }
  }
  const ortBundle = join(root, 'node_modules/onnxruntime-web/dist/ort.wasm.bundle.min.mjs');
  if (!existsSync(ortBundle)) throw new Error(`${ortBundle} is missing: run scripts/setup.sh`);

  const inlineSiteFiles = join(site, 'js/site_files_inline.mjs');
  const redirects = [[/(^|\/)site_files\.mjs$/, inlineSiteFiles], [/(^|\/)ort\.wasm\.min\.mjs$/, ortBundle]];
  const pageCode = scriptSafe(await bundle(join(site, 'js/page_main.mjs'), redirects, 'esm'), 'the page bundle');
  const workerCode = await bundle(join(site, 'js/inference_worker.mjs'), redirects, 'iife');

  // Catalog: only the models carried (a --models subset keeps their picker order).
  const catalog = JSON.parse(readFileSync(join(site, 'catalog.json'), 'utf8'));
  // Without --models: every model but those marked "single_file": false (the site carries them).
  if (args.models) {
    const unknown = args.models.filter((k) => !catalog.models.some((m) => m.key === k));
    if (unknown.length) throw new Error(`--models: no model ${unknown.join(', ')} in catalog.json`);
    catalog.models = catalog.models.filter((m) => args.models.includes(m.key));
  } else {
    catalog.models = catalog.models.filter((m) => m.single_file !== false);
  }
  const files = new Map();  // path -> bytes
  files.set('catalog.json', Buffer.from(JSON.stringify(catalog)));
  files.set('js/inference_worker.js', Buffer.from(workerCode));
  for (const path of ['wasm/spexlens_app.wasm', 'wasm/spexlens_core.wasm', 'fonts/DejaVuSans.ttf', 'fonts/cjk-fallback.ttf',
    'fonts/hangul-fallback.ttf']) {
    files.set(path, readFileSync(join(site, path)));
  }
  files.set('ort/ort-wasm-simd-threaded.wasm', readFileSync(join(site, 'ort/ort-wasm-simd-threaded.wasm')));
  for (const entry of catalog.models) {
    for (const path of modelPaths(site, entry)) files.set(path, readFileSync(join(site, path)));
  }

  const sizes = [];
  const dataTags = [...files].map(([path, bytes]) => {
    const encoded = gzipSync(bytes, { level: 9 }).toString('base64');
    sizes.push({ path, bytes: bytes.length, inlined: encoded.length });
    return `<script type="application/octet-stream" data-path="${escapeHtml(path)}" data-encoding="gzip+base64">${encoded}</script>`;
  });

  const licenseDir = join(site, 'licenses');
  const notices = readdirSync(licenseDir).sort((a, b) => (a === 'README.txt' ? -1 : b === 'README.txt' ? 1 : a.localeCompare(b)))
    .map((name) => `==> licenses/${name} <==\n${readFileSync(join(licenseDir, name), 'utf8')}`).join('\n');

  const css = readFileSync(join(site, 'css/page.css'), 'utf8');
  if (/<\/style/i.test(css)) throw new Error('css/page.css contains "</style": it cannot be inlined as is');
  const csp = ["default-src 'none'", `script-src ${sha256(pageCode)} 'wasm-unsafe-eval'`, 'worker-src blob:',
    "connect-src 'none'", 'img-src data: blob:', `style-src ${sha256(css)}`, "object-src 'none'", "base-uri 'none'",
    "form-action 'none'"].join('; ');

  let html = readFileSync(join(site, 'index.html'), 'utf8');
  const replaceOnce = (pattern, replacement, what) => {
    if (!pattern.test(html)) throw new Error(`index.html no longer has ${what}: update scripts/build_single_file.mjs`);
    html = html.replace(pattern, () => replacement);
  };
  replaceOnce(/<!-- Privacy, enforced[\s\S]*?-->\s*<meta http-equiv="Content-Security-Policy" content="[^"]*">/,
    '<!-- spexlens.html: the whole page in one file (scripts/build_single_file.mjs). Privacy, enforced by the\n' +
    '     browser: the only scripts are the two inline ones below, and connect-src \'none\' forbids every request. -->\n' +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`, 'the Content-Security-Policy');
  replaceOnce(/<link rel="stylesheet" href="css\/page\.css">/, `<style>${css}</style>`, 'the stylesheet link');
  replaceOnce(/<!-- Classic, so it runs where[^>]*-->\s*<script src="js\/needs_server\.js"><\/script>\n/, '',
    'the needs_server.js script');
  replaceOnce(/<script type="module" src="js\/page_main\.mjs"><\/script>/,
    `${dataTags.join('\n')}\n<script type="text/plain" id="third-party-notices">\n${escapeHtml(notices)}\n</script>\n` +
    `<script type="module">${pageCode}</script>`, 'the page_main.mjs script');
  writeFileSync(args.out, html);

  const total = statSync(args.out).size;
  const mb = (b) => (b / 1e6).toFixed(2);
  for (const s of sizes.sort((a, b) => b.inlined - a.inlined)) {
    console.log(`  ${s.path.padEnd(44)} ${mb(s.bytes).padStart(6)} MB -> ${mb(s.inlined).padStart(6)} MB inlined`);
  }
  console.log(`wrote ${args.out}: ${mb(total)} MB (budget ${args.maxMb} MB), ${catalog.models.length} models`);
  if (total > args.maxMb * 1e6) {
    throw new Error(`spexlens.html is ${mb(total)} MB, over the ${args.maxMb} MB budget (docs/page.md): carry fewer models (--models)`);
  }
}

main().catch((e) => {
  console.error(`build_single_file: ${e.message}`);
  process.exit(1);
});
