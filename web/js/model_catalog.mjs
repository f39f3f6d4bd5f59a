// model_catalog: the models the page offers. Shipped ones are listed in catalog.json and live
// in models/<key>/ on the same origin; models the user brings arrive as files. Either way the
// worker receives the same three things (manifest text, vocabulary text, ONNX bytes).

async function fetchOk(url, what) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${what} (${url}: HTTP ${response.status})`);
  return response;
}

// [{key, title, samples, manifest}] for the shipped models.
export async function loadCatalog(base) {
  const catalog = await (await fetchOk(new URL('catalog.json', base), 'the model catalog')).json();
  return Promise.all(catalog.models.map(async (entry) => {
    const manifest = await (await fetchOk(new URL(`models/${entry.key}/model.json`, base), `${entry.key}/model.json`)).json();
    return { ...entry, manifest, custom: false };
  }));
}

// The files of a shipped model, ready for the worker's 'open' request.
export async function fetchModelFiles(base, entry) {
  const dir = new URL(`models/${entry.key}/`, base);
  const files = entry.manifest.files || {};
  const [manifestText, vocabText, onnx] = await Promise.all([
    fetchOk(new URL('model.json', dir), 'model.json').then((r) => r.text()),
    fetchOk(new URL(files.vocab || 'vocab.txt', dir), 'the vocabulary').then((r) => r.text()),
    fetchOk(new URL(files.onnx || 'model.onnx', dir), 'the ONNX model').then((r) => r.arrayBuffer()),
  ]);
  return { manifestText, vocabText, onnxBytes: new Uint8Array(onnx) };
}

// What the canvas's model picker needs (app.setModels).
export function pickerEntry(entry) {
  const m = entry.manifest;
  const target = m.target ? `${m.target.class}:${m.target.measure || 'log-odds'}` : '';
  return {
    key: entry.key,
    title: entry.title || m.name,
    description: m.description || '',
    labels: m.labels || [],
    default_target: target,
    sample_text: entry.samples?.[0]?.text ?? m.sample_text ?? '',
    sha256: m.onnx_sha256 || '',
    masking: m.masking || '',
    max_length: m.tokenizer?.max_length || 0,
    custom: entry.custom === true,
  };
}
