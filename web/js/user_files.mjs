// user_files: files the user picks or drops on the page. A model arrives as model.json + its
// .onnx file + its vocabulary (named in model.json), or as a folder exported by transformers /
// optimum / transformers.js with no model.json (config.json + tokenizer.json + an .onnx file;
// the worker's core derives the manifest), or either folder as one .zip; a lone text file is a
// text to explain, and a lone .json the core recognises as a behavioural probe suite is a suite to
// run. Everything is read locally; nothing is uploaded.

function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const baseName = (p) => p.slice(p.lastIndexOf('/') + 1);

// [{path, file}] from a FileList (the picker: webkitRelativePath when a folder was picked) or
// from what droppedEntries collected. Paths are made relative to the folder the user chose:
// "spam-bert/onnx/model.onnx" -> "onnx/model.onnx", with the folder's name kept apart.
export function relativeFiles(items) {
  const list = Array.from(items, (it) => (it.file ? it : { path: it.webkitRelativePath || it.name, file: it }));
  const firsts = new Set(list.map((it) => (it.path.includes('/') ? it.path.split('/')[0] : '')));
  if (firsts.size === 1 && !firsts.has('')) {
    const [folder] = firsts;
    return { folder, files: list.map((it) => ({ path: it.path.slice(folder.length + 1), file: it.file })) };
  }
  return { folder: '', files: list };
}

// The files under a dropped folder (DataTransferItem.webkitGetAsEntry), as [{path, file}] with
// paths from the dropped item; plain dropped files keep their names. At most `limit` files.
export async function droppedEntries(dataTransfer, limit = 200) {
  const roots = Array.from(dataTransfer.items ?? [], (item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (roots.length === 0) return Array.from(dataTransfer.files, (file) => ({ path: file.name, file }));
  const out = [];
  const visit = async (entry, prefix) => {
    if (out.length >= limit) throw new Error(`the drop holds more than ${limit} files; drop the model's folder only`);
    if (entry.isFile) {
      out.push({ path: prefix + entry.name, file: await new Promise((ok, fail) => entry.file(ok, fail)) });
      return;
    }
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const child of batch) await visit(child, `${prefix}${entry.name}/`);
    }
  };
  for (const root of roots) await visit(root, '');
  return out;
}

// Resolves to {kind: 'model', manifestText, facts, vocabText, onnxBytes, name},
// {kind: 'exported', name, files: [{path, file}]} (no model.json: config.json and tokenizer.json
// at the folder's top), {kind: 'archive', name, file} (one .zip: either folder, zipped) or
// {kind: 'text', text, name}, or {kind: 'probe-suite', text, name}; rejects with an Error saying
// which file is missing or wrong. items: a FileList or [{path, file}].
// manifestFacts: the page's app.manifestFacts (model.json text → its facts as JSON, or {error}).
// isProbeSuite: the page's app.isProbeSuite (text → whether the core sees a probe suite in it).
export async function readUserFiles(items, manifestFacts, isProbeSuite = null) {
  const { folder, files } = relativeFiles(items);
  if (files.length === 0) throw new Error('no file was chosen');
  if (files.length === 1 && extension(files[0].path) === 'zip') {
    // A zipped model folder: the worker's core reads it (src/text/zip_archive.h).
    return { kind: 'archive', name: baseName(files[0].path).replace(/\.zip$/i, '') || 'your model', file: files[0].file };
  }
  if (files.length === 1 && extension(files[0].path) === 'json' && isProbeSuite) {
    const text = await files[0].file.text();
    if (isProbeSuite(text)) return { kind: 'probe-suite', text, name: baseName(files[0].path) };
  }
  const onnx = files.filter((f) => extension(f.path) === 'onnx');
  const json = files.filter((f) => extension(f.path) === 'json');
  if (onnx.length === 0 && json.length === 0) {
    if (files.length === 1) {
      const f = files[0].file;
      if (f.size > (1 << 20)) throw new Error(`${f.name} is larger than 1 MiB, the most the page explains`);
      return { kind: 'text', text: await f.text(), name: f.name };
    }
    throw new Error('to bring a model, choose its folder, or its model.json, .onnx file and vocabulary together; ' +
      'to explain a text file, choose just that file');
  }
  const manifest = files.find((f) => f.path === 'model.json') ??
    (json.length === 1 && baseName(json[0].path) !== 'config.json' ? json[0] : null);
  if (!manifest) {
    if (files.some((f) => f.path === 'config.json')) {
      return { kind: 'exported', name: folder || 'your model', files };
    }
    throw new Error('no model.json and no config.json among the files: choose the folder transformers / optimum ' +
      'exported (config.json, tokenizer.json, model.onnx), or model.json with its .onnx file and vocabulary');
  }
  const manifestText = await manifest.file.text();
  // The core's manifest parser reads it (app.manifestFacts); a manifest it refuses is reported
  // now, with its message, before any other file is read.
  const facts = JSON.parse(manifestFacts(manifestText));
  if (facts.error) throw new Error(`${manifest.path}: ${facts.error}`);
  const named = facts.files;
  const find = (want, ext) => files.find((f) => f.path === want) ?? files.find((f) => baseName(f.path) === baseName(want)) ??
    (files.filter((f) => extension(f.path) === ext).length === 1 ? files.find((f) => extension(f.path) === ext) : null);
  const onnxFile = find(named.onnx, 'onnx');
  if (!onnxFile) {
    throw new Error(onnx.length === 0 ? `${manifest.path} has no .onnx file beside it: choose the model file too`
      : `${manifest.path} names the model file "${named.onnx}", which is not among the files`);
  }
  const vocabName = named.vocab;
  const vocab = find(vocabName, extension(vocabName) || 'txt');
  if (!vocab) throw new Error(`${manifest.path} names the vocabulary "${vocabName}": choose that file too`);
  return {
    kind: 'model',
    name: manifest.path,
    manifestText,
    facts,
    vocabText: await vocab.file.text(),
    onnxBytes: new Uint8Array(await onnxFile.file.arrayBuffer()),
  };
}
