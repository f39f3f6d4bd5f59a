// model_bundle: opens a model folder's three files (model.json, vocabulary, model.onnx) given as
// bytes, in Node or in the browser. Every check that protects the user happens here, before any
// text is touched: the manifest is valid (checked by the C++ core, which names the field), the
// ONNX file is the one the manifest names (sha256), it loads, and its real inputs and outputs
// match the manifest. Each failure is an Error whose message says what to fix.

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(bytes) {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

function describeTensors(metadata, names) {
  // ONNX Runtime 1.30 reports metadata; older builds only names (then types are not checked).
  if (Array.isArray(metadata) && metadata.length === names.length) {
    return metadata.map((m) => ({ name: m.name, type: m.isTensor ? String(m.type) : 'non-tensor' }));
  }
  return names.map((name) => ({ name, type: '' }));
}

// core: the spexlens_core module; ort: onnxruntime-node or onnxruntime-web.
// Returns { name, manifest, manifestText, vocabText, sha256, session, inputs, outputName, classes, labels }.
export async function openModel({ core, ort, manifestText, vocabText, onnxBytes, where = 'the model', sessionOptions = {} }) {
  let manifest;
  try {
    manifest = JSON.parse(manifestText);
  } catch (e) {
    throw new Error(`${where}: model.json is not valid JSON (${e.message})`);
  }
  let inputs;
  try {
    inputs = JSON.parse(core.checkManifest(manifestText));
  } catch (e) {
    throw new Error(`${where}: ${e.message}`);
  }

  const sha256 = await sha256Hex(onnxBytes);
  if (sha256 !== String(manifest.onnx_sha256).toLowerCase()) {
    throw new Error(`${where}: the ONNX file's sha256 is ${sha256} but model.json says ${manifest.onnx_sha256}; ` +
      'the manifest belongs to another model file (update onnx_sha256 only if this file is the right model)');
  }

  let session;
  try {
    session = await ort.InferenceSession.create(onnxBytes, sessionOptions);
  } catch (e) {
    throw new Error(`${where}: ONNX Runtime cannot load the model file (${e.message.split('\n')[0]}); ` +
      'is it a valid, complete .onnx file?');
  }

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
    outputName: manifest.output.name,
    labels: manifest.labels,
    classes: manifest.labels.length,
  };
}
