// site_files: where the page's own files come from — the catalog, the shipped models, the font,
// the two wasm modules and the inference worker. Served (index.html), they are files of the site
// folder beside js/. The single self-contained spexlens.html is built from the same modules with
// this one swapped for site_files_inline.mjs (scripts/build_single_file.mjs), which reads them
// from the page itself. Both export the same names.

const base = new URL('../', import.meta.url);

// True in spexlens.html (everything inlined, opened from file:// or served).
export const SINGLE_FILE = false;

// A Response for a file of the site, by its path relative to the site's root ('catalog.json',
// 'models/spam-transformer/model.json', 'fonts/DejaVuSans.ttf').
export function siteFetch(path) {
  return fetch(new URL(path, base));
}

// The inference worker (a module worker; js/inference_worker.mjs).
export async function createInferenceWorker() {
  return new Worker(new URL('./inference_worker.mjs', import.meta.url), { type: 'module' });
}

// Options for the app module's factory (createSpexlensApp): where its .wasm is.
export async function appModuleOptions() {
  return { locateFile: (file) => new URL(`../wasm/${file}`, import.meta.url).href };
}

// What the worker's 'init' needs to start without fetching (null: it fetches its wasm itself).
export async function workerBinaries() {
  return null;
}
