// model_bundle: opens a model folder's three files (model.json, vocabulary or tokenizer.json,
// model.onnx) given as bytes, in Node or in the browser, or a folder as transformers / optimum
// export it, without model.json (openExportedModel). Every check that protects the user happens here, before any
// text is touched: the manifest is valid (checked by the C++ core, which names the field), the
// ONNX file is the one the manifest names (sha256), it loads, and its real inputs and outputs
// match the manifest. Each failure is an Error whose message says what to fix. A model that declares an
// internals graph (model.json "internals") keeps its folder's reader, and openInternals opens that graph
// when a view first asks for it.

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(bytes) {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

function describeTensors(metadata, names) {
  // ONNX Runtime 1.30 reports metadata; older builds only names (then types are not checked).
  if (Array.isArray(metadata) && metadata.length === names.length) {
    return metadata.map((m) => ({
      name: m.name,
      type: m.isTensor ? String(m.type) : 'non-tensor',
      shape: Array.isArray(m.shape) ? m.shape.map((d) => (typeof d === 'number' ? d : -1)) : [],
    }));
  }
  return names.map((name) => ({ name, type: '' }));
}

async function createSession(ort, onnxBytes, sessionOptions, where) {
  try {
    return await ort.InferenceSession.create(onnxBytes, sessionOptions);
  } catch (e) {
    throw new Error(`${where}: ONNX Runtime cannot load the model file (${e.message.split('\n')[0]}); ` +
      'is it a valid, complete .onnx file?');
  }
}

// The files of a folder exported by transformers / optimum / transformers.js, with no model.json:
// the C++ core derives one (src/text/exported_folder.h) from config.json, tokenizer.json and the
// graph's real inputs and outputs. folder: { name, config, tokenizer, tokenizerConfig?,
// specialTokensMap?, onnxFile, onnxBytes } (texts, and the ONNX file's path and bytes).
// Returns what openModel returns, plus derived: { manifestText, notes, targetAsked }.
export async function openExportedModel({ core, ort, folder, where = 'the model', sessionOptions = {} }) {
  const sha256 = await sha256Hex(folder.onnxBytes);
  const session = await createSession(ort, folder.onnxBytes, sessionOptions, where);
  let derived;
  try {
    derived = JSON.parse(core.deriveManifest(JSON.stringify({
      name: folder.name ?? '',
      config: folder.config,
      tokenizer: folder.tokenizer,
      tokenizer_config: folder.tokenizerConfig ?? '',
      special_tokens_map: folder.specialTokensMap ?? '',
      onnx_file: folder.onnxFile,
      onnx_sha256: sha256,
      files: folder.files ?? [],
      inputs: describeTensors(session.inputMetadata, session.inputNames),
      outputs: describeTensors(session.outputMetadata, session.outputNames),
    })));
  } catch (e) {
    await session.release?.();
    throw new Error(`${where}: ${e.message}`);
  }
  const model = await openModel({ core, ort, manifestText: derived.manifest, vocabText: folder.tokenizer,
    onnxBytes: folder.onnxBytes, where, sessionOptions, session, sha256 });
  model.derived = { manifestText: derived.manifest, notes: derived.notes, targetAsked: derived.target_asked };
  return model;
}

// The same, from a folder's file list: paths ("config.json", "onnx/model.onnx"), relative and
// "/"-separated, and read(path) -> Promise<Uint8Array>. The core chooses the ONNX file; only the
// files used are read. Shared by the command-line explainer (files on disk) and the page's worker
// (a dropped folder, its files, or a shipped model fetched from the site).
export async function openExportedFiles({ core, ort, name, paths, read, where = 'the model', sessionOptions = {} }) {
  const top = (file) => paths.includes(file);
  if (!top('config.json')) {
    throw new Error(`${where}: no model.json and no config.json; bring the folder transformers / optimum export ` +
      '(config.json, tokenizer.json, model.onnx) or a model.json with its files');
  }
  if (!top('tokenizer.json')) {
    throw new Error(`${where}: has config.json but no tokenizer.json; spexlens reads the tokenizer from the ` +
      'tokenizer.json transformers saves (tokenizer.save_pretrained)');
  }
  let onnxFile;
  try {
    onnxFile = core.chooseOnnxFile(JSON.stringify(paths));
  } catch (e) {
    throw new Error(`${where}: ${e.message}`);
  }
  const decoder = new TextDecoder();
  const text = async (file) => (top(file) ? decoder.decode(await read(file)) : '');
  return keepReader(await openExportedModel({ core, ort, sessionOptions, where, folder: {
    name,
    config: await text('config.json'),
    tokenizer: await text('tokenizer.json'),
    tokenizerConfig: await text('tokenizer_config.json'),
    specialTokensMap: await text('special_tokens_map.json'),
    onnxFile,
    onnxBytes: await read(onnxFile),
    files: paths,
  } }), paths, read);
}

// The folder's reader stays with the model, so its internals graph can be read when a view asks.
function keepReader(model, paths, read) {
  model.paths = paths;
  model.read = read;
  return model;
}

// The model's internals graph (model.json "internals"), opened on first use and kept on the
// model: its bytes from the folder's reader, its real outputs and inputs checked against the
// declaration by the core (src/text/model_signature.cpp check_internals_signature).
export async function openInternals({ core, ort, model, sessionOptions = {} }) {
  const declared = model.manifest.internals;
  if (!declared) throw new Error(`${model.name}: model.json declares no internals graph`);
  model.internalsSession ??= (async () => {
    if (!model.read || !model.paths?.includes(declared.onnx)) {
      throw new Error(`${model.name}: its internals file ${declared.onnx} is not among the files the page has ` +
        '(bring the model as a folder with that file to read its attention)');
    }
    const where = `${model.name}: ${declared.onnx}`;
    const session = await createSession(ort, await model.read(declared.onnx), sessionOptions, where);
    const mismatch = core.checkInternals(model.manifestText,
      JSON.stringify(describeTensors(session.inputMetadata, session.inputNames)),
      JSON.stringify(describeTensors(session.outputMetadata, session.outputNames)));
    if (mismatch) {
      await session.release?.();
      throw new Error(`${model.name}: ${mismatch}`);
    }
    return session;
  })();
  try {
    return await model.internalsSession;
  } catch (e) {
    model.internalsSession = null;  // a later request tries again and says why again
    throw e;
  }
}

// Any model folder's file list: model.json with the files it names (files.onnx, files.vocab), or,
// with no model.json, a folder as transformers exports it (openExportedFiles). paths and read as
// for openExportedFiles; a file model.json names must be among paths (nothing outside the folder
// is read).
export async function openFolderFiles({ core, ort, name, paths, read, where = 'the model', sessionOptions = {} }) {
  if (!paths.includes('model.json')) return openExportedFiles({ core, ort, name, paths, read, where, sessionOptions });
  const decoder = new TextDecoder();
  const manifestText = decoder.decode(await read('model.json'));
  // The C++ check first (types, relative file names, sizes): nothing it names is read before.
  const checked = checkedManifest(core, manifestText, where);
  const file = (p, what) => {
    if (!paths.includes(p)) throw new Error(`${where}: model.json names ${what} "${p}", which is not in the folder`);
    return p;
  };
  const vocabFile = file(checked.files.vocab, 'the vocabulary');
  const onnxFile = file(checked.files.onnx, 'the model file');
  return keepReader(await openModel({ core, ort, manifestText, vocabText: decoder.decode(await read(vocabFile)),
    onnxBytes: await read(onnxFile), where, sessionOptions, checked }), paths, read);
}

// A model folder brought as one .zip file: the core reads the archive's directory and inflates
// only the files used, each bounded and CRC-checked (src/text/zip_archive.h), so a damaged
// archive or a zip bomb is refused with a message. readRange(offset, length) -> Uint8Array,
// synchronous (a file descriptor in Node, FileReaderSync in the page's worker); size in bytes.
export async function openModelArchive({ core, ort, name, size, readRange, where = 'the model', sessionOptions = {} }) {
  const safeRead = (offset, length) => {
    try {
      return readRange(offset, length);
    } catch {
      return new Uint8Array(0);  // the core says the archive could not be read
    }
  };
  let archive;
  try {
    archive = new core.ZipArchive(size, safeRead);
  } catch (e) {
    throw new Error(`${where}: ${e.message}`);
  }
  try {
    const { folder, files } = JSON.parse(archive.entries());
    const read = async (path) => {
      try {
        return archive.extract(path);
      } catch (e) {
        throw new Error(`${where}: ${e.message}`);
      }
    };
    return await openFolderFiles({ core, ort, sessionOptions, where, name: folder || name,
      paths: files.map((f) => f.path), read });
  } finally {
    archive.delete();
  }
}

// The manifest parsed and checked by the core, once: { name, labels, output, onnx_sha256,
// files: { onnx, vocab }, inputs } (src/wasm/explainer_bindings.cpp, check_manifest). The glue
// reads these fields and never parses model.json itself.
function checkedManifest(core, manifestText, where) {
  try {
    return JSON.parse(core.checkManifest(manifestText));
  } catch (e) {
    throw new Error(`${where}: ${e.message}`);
  }
}

// core: the spexlens_core module; ort: onnxruntime-node or onnxruntime-web.
// Returns { name, manifest (the checked summary above), manifestText, vocabText, sha256, session, inputs,
// outputName, classes, labels }.
// session / sha256: already made from onnxBytes (openExportedModel), else made here.
export async function openModel({ core, ort, manifestText, vocabText, onnxBytes, where = 'the model', sessionOptions = {},
  session = null, sha256 = null, checked = null }) {
  const manifest = checked ?? checkedManifest(core, manifestText, where);
  const inputs = manifest.inputs;

  sha256 ??= await sha256Hex(onnxBytes);
  if (sha256 !== manifest.onnx_sha256) {
    await session?.release?.();
    throw new Error(`${where}: the ONNX file's sha256 is ${sha256} but model.json says ${manifest.onnx_sha256}; ` +
      'the manifest belongs to another model file (update onnx_sha256 only if this file is the right model)');
  }

  session ??= await createSession(ort, onnxBytes, sessionOptions, where);

  const mismatch = core.checkSignature(manifestText,
    JSON.stringify(describeTensors(session.inputMetadata, session.inputNames)),
    JSON.stringify(describeTensors(session.outputMetadata, session.outputNames)));
  if (mismatch) {
    await session.release?.();
    throw new Error(`${where}: the model does not match its manifest: ${mismatch}`);
  }

  return {
    name: manifest.name,
    manifest,
    manifestText,
    vocabText,
    sha256,
    session,
    inputs,
    outputName: manifest.output,
    labels: manifest.labels,
    classes: manifest.labels.length,
  };
}
