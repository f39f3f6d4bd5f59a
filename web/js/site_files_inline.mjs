// site_files_inline: site_files.mjs for the single self-contained spexlens.html. The build
// (scripts/build_single_file.mjs) writes every file the page needs into the page as
//   <script type="application/octet-stream" data-path="PATH" data-encoding="gzip+base64">…</script>
// (never executed); this module hands them out by the same paths site_files.mjs fetches. No
// request leaves the page, so it runs from file:// where fetch and module workers from files are
// refused. Same exports as site_files.mjs.

export const SINGLE_FILE = true;

function embedded(path) {
  for (const element of document.querySelectorAll('script[data-path]')) {
    if (element.dataset.path === path) return element;
  }
  return null;
}

function base64Bytes(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text.trim());
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; ++i) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// The bytes of an inlined file, or null when the page carries none by that path.
async function fileBytes(path) {
  const element = embedded(path);
  if (!element) return null;
  const bytes = base64Bytes(element.textContent);
  if (element.dataset.encoding !== 'gzip+base64') return bytes;
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

async function requiredBytes(path) {
  const bytes = await fileBytes(path);
  if (!bytes) throw new Error(`this spexlens.html carries no ${path}: rebuild it (scripts/build_single_file.mjs)`);
  return bytes;
}

export async function siteFetch(path) {
  const bytes = await fileBytes(path);
  return bytes ? new Response(bytes, { status: 200 }) : new Response(null, { status: 404, statusText: 'not in this file' });
}

// The worker's code is inlined like the rest, bundled as a classic script (Chromium refuses a
// module worker from a blob: URL in a page opened from file://); a blob: URL starts it without a
// request (worker-src blob: in the page's Content-Security-Policy).
export async function createInferenceWorker() {
  const source = await requiredBytes('js/inference_worker.js');
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return new Worker(url);
}

export async function appModuleOptions() {
  return { wasmBinary: await requiredBytes('wasm/spexlens_app.wasm') };
}

export async function workerBinaries() {
  const [core, ort] = await Promise.all([requiredBytes('wasm/spexlens_core.wasm'),
    requiredBytes('ort/ort-wasm-simd-threaded.wasm')]);
  return { core: core.buffer, ort: ort.buffer };
}
