// node_env: what the command-line explainer needs from the machine — the WebAssembly core, an
// ONNX runtime and a model folder on disk — each with a message that says how to fix it.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { openFolderFiles, openModelArchive } from '../../web/js/model_bundle.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function loadCore() {
  // SPEXLENS_CORE may be relative (to the working directory), as any path a user types.
  const jsPath = process.env.SPEXLENS_CORE ? path.resolve(process.env.SPEXLENS_CORE)
    : path.join(ROOT, 'build', 'wasm-release', 'bin', 'spexlens_core.mjs');
  const wasmPath = jsPath.replace(/\.mjs$/, '.wasm');
  if (!existsSync(jsPath) || !existsSync(wasmPath)) {
    throw new Error(`the WebAssembly core is not built (${path.relative(process.cwd(), jsPath)}); run: ` +
      'cmake --preset wasm-release && cmake --build --preset wasm-release --target spexlens_core');
  }
  // emscripten 3.1.6's ES module still reaches for CommonJS globals under Node.
  globalThis.require ??= createRequire(jsPath);
  globalThis.__dirname ??= path.dirname(jsPath);
  const { default: createSpexlensCore } = await import(pathToFileURL(jsPath).href);
  // Hand the bytes over: emscripten 3.1.6 would otherwise try fetch() on a file path in Node 20.
  return createSpexlensCore({ wasmBinary: readFileSync(wasmPath) });
}

export async function loadRuntime(kind, threads) {
  try {
    if (kind === 'node') {
      const ort = await import('onnxruntime-node');
      return { ort: ort.default ?? ort, sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 } };
    }
    const ort = await import('onnxruntime-web');
    ort.env.wasm.numThreads = threads;
    return { ort, sessionOptions: { executionProviders: ['wasm'] } };
  } catch (e) {
    throw new Error(`cannot load onnxruntime-${kind} (${e.message.split('\n')[0]}); run scripts/setup.sh`);
  }
}

function readModelFile(dir, name, what) {
  const file = path.join(dir, name);
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`${dir}: cannot read ${what} ${name} (${e.code || e.message})`);
  }
}

// The folder's files two levels deep ("model.onnx", "onnx/model.onnx"), relative, "/"-separated.
function listFolder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = statSync(full);
    if (stat.isFile()) out.push(name);
    else if (stat.isDirectory()) {
      for (const inner of readdirSync(full)) {
        if (statSync(path.join(full, inner)).isFile()) out.push(`${name}/${inner}`);
      }
    }
  }
  return out;
}

// A model folder: model.json with its files, or, without model.json, a folder as transformers /
// optimum export it (config.json + tokenizer.json + an .onnx file), for which the C++ core derives
// the manifest (the result's model.derived); or either folder zipped into one .zip file. Only files
// listed in the folder are read.
export async function loadModelDir({ core, ort, sessionOptions, dir }) {
  if (!existsSync(dir)) throw new Error(`model folder ${dir} does not exist`);
  if (statSync(dir).isFile()) return loadModelArchive({ core, ort, sessionOptions, file: dir });
  if (!existsSync(path.join(dir, 'model.json')) && !existsSync(path.join(dir, 'config.json')) &&
      existsSync(path.join(dir, 'tokenizer.json'))) {
    throw new Error(`${dir}: has tokenizer.json but no config.json (and no model.json); spexlens reads the ` +
      "classifier's labels (id2label) from the config.json transformers saves (model.save_pretrained)");
  }
  return openFolderFiles({ core, ort, sessionOptions, where: dir, name: path.basename(path.resolve(dir)),
    paths: listFolder(dir), read: async (file) => new Uint8Array(readModelFile(dir, file, file)) });
}

// A model folder zipped into one file, read in slices (the core inflates only the files used).
async function loadModelArchive({ core, ort, sessionOptions, file }) {
  const fd = openSync(file, 'r');
  try {
    const readRange = (offset, length) => {
      const out = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, out, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return out.subarray(0, got);
    };
    return await openModelArchive({ core, ort, sessionOptions, where: file, size: statSync(file).size, readRange,
      name: path.basename(file).replace(/\.zip$/i, '') });
  } finally {
    closeSync(fd);
  }
}
