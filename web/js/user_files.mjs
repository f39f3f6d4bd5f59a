// user_files: files the user picks or drops on the page. A model arrives as model.json + its
// .onnx file + its vocabulary (named in model.json, usually vocab.txt); a lone text file is a
// text to explain. Everything is read locally; nothing is uploaded.

function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

// Resolves to {kind: 'model', manifestText, vocabText, onnxBytes, name} or {kind: 'text', text,
// name}; rejects with an Error saying which file is missing or wrong.
export async function readUserFiles(fileList) {
  const files = Array.from(fileList);
  if (files.length === 0) throw new Error('no file was chosen');
  const onnx = files.filter((f) => extension(f.name) === 'onnx');
  const json = files.filter((f) => extension(f.name) === 'json');
  if (onnx.length === 0 && json.length === 0) {
    if (files.length === 1) {
      if (files[0].size > (1 << 20)) throw new Error(`${files[0].name} is larger than 1 MiB, the most the page explains`);
      return { kind: 'text', text: await files[0].text(), name: files[0].name };
    }
    throw new Error('to bring a model, choose its model.json, its .onnx file and its vocabulary together; ' +
      'to explain a text file, choose just that file');
  }
  if (onnx.length !== 1 || json.length !== 1) {
    throw new Error(`choose exactly one .onnx file and one model.json (got ${onnx.length} .onnx and ${json.length} .json)`);
  }
  const manifestText = await json[0].text();
  let vocabName = 'vocab.txt';
  try {
    vocabName = JSON.parse(manifestText).files?.vocab || vocabName;
  } catch {
    // The worker reports the JSON error with its position.
  }
  const vocab = files.find((f) => f.name === vocabName) ?? files.find((f) => extension(f.name) === 'txt');
  if (!vocab) throw new Error(`${json[0].name} names the vocabulary "${vocabName}": choose that file too`);
  return {
    kind: 'model',
    name: json[0].name,
    manifestText,
    vocabText: await vocab.text(),
    onnxBytes: new Uint8Array(await onnx[0].arrayBuffer()),
  };
}
