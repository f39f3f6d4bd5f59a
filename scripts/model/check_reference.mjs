// Runs a model folder's reference.json through ONNX Runtime and compares the logits with the ones
// the exporter computed. Proves the ONNX file computes what the training code computed, for every
// input role the manifest declares, in each runtime spexlens uses: onnxruntime-node (the
// command-line explainer's default) and onnxruntime-web's wasm backend (the page's).
//
//   node scripts/model/check_reference.mjs models/spam-transformer [--runtime node|web]
//
// Prints the largest |Δlogit| over all samples; exits 1 if it exceeds TOLERANCE, if a sha256
// disagrees with model.onnx, or if a sample cannot be run.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const RUNTIME = process.argv.includes('--runtime') ? process.argv[process.argv.indexOf('--runtime') + 1] : 'node';
if (!['node', 'web'].includes(RUNTIME)) {
  console.error(`check_reference: --runtime must be node or web, got ${RUNTIME}`);
  process.exit(2);
}
// Resolved from the repository's node_modules.
const ortModule = await import(RUNTIME === 'node' ? 'onnxruntime-node' : 'onnxruntime-web');
const ort = ortModule.default ?? ortModule;

const TOLERANCE = 1e-4;

function fail(message) {
  console.error(`check_reference: ${message}`);
  process.exit(1);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    fail(`cannot read ${path}: ${err.message}`);
  }
}

// A [batch = 1, sequence] tensor of ids or attention in the manifest's integer type.
function sequenceTensor(values, type) {
  const data = type === 'int64' ? BigInt64Array.from(values, BigInt) : Int32Array.from(values);
  return new ort.Tensor(type, data, [1, values.length]);
}

// A component mask: the sample's values, or all ones (the unablated model) when it has none.
function maskTensor(values, shape) {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = values ? Float32Array.from(values.flat()) : new Float32Array(size).fill(1);
  if (data.length !== size) fail(`mask has ${data.length} values, manifest shape is [${shape}]`);
  return new ort.Tensor('float32', data, shape);
}

function feedsFor(sample, inputs) {
  const feeds = {};
  for (const input of inputs) {
    switch (input.role) {
      case 'token_ids': feeds[input.name] = sequenceTensor(sample.input_ids, input.type); break;
      case 'attention_mask': feeds[input.name] = sequenceTensor(sample.attention_mask, input.type); break;
      case 'head_mask': feeds[input.name] = maskTensor(sample.head_mask, input.shape); break;
      case 'mlp_mask': feeds[input.name] = maskTensor(sample.mlp_mask, input.shape); break;
      default: fail(`input ${input.name}: unknown role ${input.role}`);
    }
  }
  return feeds;
}

function checkHashes(onnxBytes, manifest, reference) {
  const actual = createHash('sha256').update(onnxBytes).digest('hex');
  if (manifest.onnx_sha256 !== actual) {
    fail(`model.json onnx_sha256 ${manifest.onnx_sha256} != file ${actual}`);
  }
  if (reference.onnx_sha256 && reference.onnx_sha256 !== actual) {
    fail(`reference.json onnx_sha256 ${reference.onnx_sha256} != file ${actual}`);
  }
}

async function main() {
  const dir = process.argv[2];
  if (!dir) fail('usage: node scripts/model/check_reference.mjs MODEL_DIR');
  const manifest = readJson(join(dir, 'model.json'));
  const reference = readJson(join(dir, 'reference.json'));
  const onnxBytes = readFileSync(join(dir, manifest.files?.onnx ?? 'model.onnx'));
  checkHashes(onnxBytes, manifest, reference);

  if (!reference.samples?.length) fail(`${dir}/reference.json has no samples`);
  const session = await ort.InferenceSession.create(onnxBytes);
  let worst = -1;  // below any |Δ|, so the first comparison names a sample
  let worstName = '';
  for (const sample of reference.samples) {
    const outputs = await session.run(feedsFor(sample, manifest.inputs));
    const logits = outputs[manifest.output.name].data;
    if (logits.length !== sample.logits.length) {
      fail(`${sample.name}: ${logits.length} logits, reference has ${sample.logits.length}`);
    }
    sample.logits.forEach((expected, i) => {
      const delta = Math.abs(logits[i] - expected);
      if (Number.isNaN(delta) || delta > worst) {  // a NaN sticks: NaN > x is always false
        worst = delta;
        worstName = sample.name;
      }
    });
  }
  if (worst < 0) fail('no logits to compare');
  console.log(`${manifest.name} (onnxruntime-${RUNTIME}): ${reference.samples.length} samples, max |Δlogit| = ` +
              `${worst.toExponential(3)} (${worstName}), tolerance ${TOLERANCE}`);
  if (!(worst <= TOLERANCE)) process.exit(1);
}

await main();
