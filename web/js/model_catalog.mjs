// model_catalog: the models the page offers. Shipped ones are listed in catalog.json and live
// in models/<key>/ on the same origin; models the user brings arrive as files. The worker
// receives either a model.json bundle (manifest text, vocabulary text, ONNX bytes) or, for a
// folder as transformers exports it ("exported" in catalog.json), its files as Blobs, from
// which its core derives the manifest. Paths are relative to the site's root (site_files.mjs).

import { siteFetch } from './site_files.mjs';

async function fetchOk(path, what) {
  const response = await siteFetch(path);
  if (!response.ok) throw new Error(`cannot load ${what} (${path}: HTTP ${response.status})`);
  return response;
}

// [{key, title, samples, manifestText}] for the shipped models: model.json as fetched, unparsed.
// The page reads each through the core's manifest parser once the app has loaded (readManifests).
export async function loadCatalog() {
  const catalog = await (await fetchOk('catalog.json', 'the model catalog')).json();
  return Promise.all(catalog.models.map(async (entry) => {
    if (entry.exported) {
      // No model.json: the manifest is derived when the model is opened (setDerived); until
      // then the picker knows the title and description only.
      return { ...entry, manifest: { name: entry.key }, custom: false };
    }
    const manifestText = await (await fetchOk(`models/${entry.key}/model.json`, `${entry.key}/model.json`)).text();
    return { ...entry, manifestText, custom: false };
  }));
}

// Fills entry.manifest with the facts the core's parser reads from each shipped model.json
// (factsOf: text -> JSON, or a promise of it: the app's manifestFacts, or the worker's
// checkManifest on the benchmark page). A shipped manifest the core refuses is a broken site:
// the error names the model.
export async function readManifests(entries, factsOf) {
  for (const entry of entries) {
    if (entry.manifestText === undefined) continue;
    const facts = JSON.parse(await factsOf(entry.manifestText));
    if (facts.error) throw new Error(`models/${entry.key}/model.json: ${facts.error}`);
    entry.manifest = facts;
  }
}

// The files of a shipped model, ready for the worker's 'open' request.
export async function fetchModelFiles(entry) {
  const dir = `models/${entry.key}/`;
  if (entry.exported) {
    const files = await Promise.all(entry.exported.files.map(async (path) => ({
      path, file: await fetchOk(dir + path, `${entry.key}/${path}`).then((r) => r.blob()) })));
    return { exported: { name: entry.key, files } };
  }
  const { files } = entry.manifest;  // the core's reading of model.json (readManifests)
  const [vocabText, onnx] = await Promise.all([
    fetchOk(dir + files.vocab, 'the vocabulary').then((r) => r.text()),
    fetchOk(dir + files.onnx, 'the ONNX model').then((r) => r.arrayBuffer()),
  ]);
  return { manifestText: entry.manifestText, vocabText, onnxBytes: new Uint8Array(onnx) };
}

// What the canvas's model picker needs (app.setModels).
export function pickerEntry(entry) {
  const m = entry.manifest;
  const target = m.target ? `${m.target.class}:${m.target.measure || 'log-odds'}` : '';
  return {
    key: entry.key,
    title: entry.title || m.name,
    description: entry.description || m.description || '',
    labels: m.labels || [],
    default_target: target,
    sample_text: entry.samples?.[0]?.text ?? m.sample_text ?? '',
    sha256: m.onnx_sha256 || '',
    masking: m.masking || '',
    max_length: m.tokenizer?.max_length || 0,
    custom: entry.custom === true,
    exported: Boolean(entry.exported || entry.files?.exported),  // a folder with no model.json
    derived_manifest: entry.derived?.manifestText ?? '',
    derived_notes: entry.derived?.notes ?? [],
    target_asked: entry.derived?.targetAsked === true,
    probe_suite: entry.probe_suite ?? '',
    layer_probe_set: entry.layer_probe_set ?? '',
    samples: (entry.samples ?? []).map((sample) => sample.text),
    workshop: entry.workshop ?? null,
  };
}

// Once the worker has opened a folder with no model.json: the derived manifest replaces the
// placeholder, so the picker shows its labels, window and masking, and offers it for download.
// factsOf: the app's manifestFacts (text -> JSON), as for readManifests.
export function setDerived(entry, derived, factsOf) {
  const facts = JSON.parse(factsOf(derived.manifestText));
  if (facts.error) throw new Error(`the manifest derived for ${entry.key}: ${facts.error}`);
  entry.manifest = facts;
  entry.manifestText = derived.manifestText;
  entry.derived = derived;
}

// The model card: README.md beside a shipped model, or in a folder the user opened (not inside
// a .zip or among loose files). { text } or { missing: why }.
export async function modelCard(entry) {
  if (entry.custom) {
    const files = entry.files?.exported?.files ?? [];
    const readme = files.find((f) => /(^|\/)README\.md$/i.test(f.path));
    if (readme) return { text: await readme.file.text() };
    return { missing: 'This model was opened from your disk without a README.md beside it, so there is no model card ' +
      'to show. A model card says what the model was trained on and what it is not for; ask whoever made the model.' };
  }
  const response = await siteFetch(`models/${entry.key}/README.md`);
  if (!response.ok) return { missing: `This model ships without a model card (README.md: HTTP ${response.status}).` };
  return { text: await response.text() };
}
