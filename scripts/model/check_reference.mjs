// Runs a model folder's reference.json through ONNX Runtime and compares the logits with the ones
// the exporter computed. Proves the ONNX file computes what the training code computed, for every
// input role the manifest declares, in each runtime spexlens uses: onnxruntime-node (the
// command-line explainer's default) and onnxruntime-web's wasm backend (the page's). Component
// inputs (docs/components.md): a sample's head_mask / mlp_mask are one batch row (ones when
// absent); offsets are zero, or for "ablation": "mean" (1 - mask) * model.json's
// component_means. Samples that share an input are also run as one multi-row batch, and the
// samples under reference.json's all_ablated must give the same output for every text. A model
// that takes position_ids must give the same output with hidden tokens left out of the input.
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
// The same runtime on the same weights, hidden tokens left out instead of given attention 0.
const DROPPED_TOLERANCE = 1e-5;

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

// Samples are batch rows: [rows, sequence] ids or attention in the manifest's integer type.
function sequenceTensor(rows, key, type) {
  const values = rows.flatMap((s) => s[key]);
  const data = type === 'int64' ? BigInt64Array.from(values, BigInt) : Int32Array.from(values);
  return new ort.Tensor(type, data, [rows.length, rows[0][key].length]);
}

// A component input's tensor for `rows` samples. A manifest shape whose first dimension is a
// name ("batch") is batched: one row per sample (docs/components.md); an unbatched shape
// ([layers, heads]) takes one sample only. rowValues(sample, size) gives one row's values.
function componentTensor(input, rows, rowValues) {
  const batched = typeof input.shape[0] === 'string';
  const rowShape = batched ? input.shape.slice(1) : input.shape;
  if (rowShape.some((d) => typeof d !== 'number')) fail(`${input.name}: shape [${input.shape}] has a dynamic axis besides batch`);
  if (!batched && rows.length !== 1) fail(`${input.name}: unbatched shape, cannot run ${rows.length} rows`);
  const size = rowShape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size * rows.length);
  rows.forEach((sample, r) => {
    const values = rowValues(sample, size);
    if (values.length !== size) fail(`${sample.name}: ${input.name} row has ${values.length} values, manifest shape is [${input.shape}]`);
    data.set(values, r * size);
  });
  return new ort.Tensor('float32', data, batched ? [rows.length, ...rowShape] : rowShape);
}

// A sample with its position_ids: its own, or 0, 1, 2, ... (every token where the text put it).
const withPositions = (s) => (s.position_ids ? s : { ...s, position_ids: s.input_ids.map((_, k) => k) });

// The sample with its hidden tokens (attention 0) left out and every kept token at its own
// position: what the explainer feeds a model that takes position_ids (src/text/model_batch.h,
// dropped tokens). null when nothing is hidden.
function droppedTokens(sample) {
  const keep = sample.attention_mask.map((a, k) => (a ? k : -1)).filter((k) => k >= 0);
  if (keep.length === sample.input_ids.length) return null;
  return { ...sample, input_ids: keep.map((k) => sample.input_ids[k]), attention_mask: keep.map(() => 1),
    position_ids: keep };
}

// A mask row: the sample's values, or all ones (the unablated model) when it has none.
const maskRow = (key) => (sample, size) => (sample[key] ? sample[key].flat() : new Array(size).fill(1));

// An offset row: zeros, except for mean ablation: (1 - mask) * the manifest's component_means
// (a head's mean is a vector: its mask value repeats over the head dimension).
function offsetRow(manifest, maskKey, meansKey) {
  return (sample, size) => {
    if ((sample.ablation ?? 'zero') === 'zero') return new Array(size).fill(0);
    if (sample.ablation !== 'mean') fail(`${sample.name}: unknown ablation ${sample.ablation}`);
    const means = manifest.component_means?.[meansKey];
    if (!means) fail(`${sample.name}: mean ablation needs component_means.${meansKey} in model.json`);
    const flat = means.flat(Infinity);
    const mask = sample[maskKey] ? sample[maskKey].flat() : new Array(size).fill(1);
    const per = flat.length / mask.length;
    return flat.map((m, i) => (1 - mask[Math.floor(i / per)]) * m);
  };
}

function feedsFor(rows, manifest) {
  const feeds = {};
  for (const input of manifest.inputs) {
    switch (input.role) {
      case 'token_ids': feeds[input.name] = sequenceTensor(rows, 'input_ids', input.type); break;
      case 'attention_mask': feeds[input.name] = sequenceTensor(rows, 'attention_mask', input.type); break;
      case 'position_ids': feeds[input.name] = sequenceTensor(rows.map(withPositions), 'position_ids', input.type); break;
      case 'head_mask': feeds[input.name] = componentTensor(input, rows, maskRow('head_mask')); break;
      case 'mlp_mask': feeds[input.name] = componentTensor(input, rows, maskRow('mlp_mask')); break;
      case 'head_offset':
        feeds[input.name] = componentTensor(input, rows, offsetRow(manifest, 'head_mask', 'head')); break;
      case 'mlp_offset':
        feeds[input.name] = componentTensor(input, rows, offsetRow(manifest, 'mlp_mask', 'mlp')); break;
      default: fail(`input ${input.name}: unknown role ${input.role}`);
    }
  }
  for (const sample of rows) {
    if (sample.ablation === 'mean' && !manifest.inputs.some((i) => i.role.endsWith('_offset'))) {
      fail(`${sample.name}: mean ablation, but the manifest has no offset inputs`);
    }
  }
  return feeds;
}

// Runs rows as one batch; returns one logits array per row.
async function runRows(session, manifest, rows) {
  const outputs = await session.run(feedsFor(rows, manifest));
  const out = outputs[manifest.output.name];
  if (out.dims[0] !== rows.length) fail(`output batch ${out.dims[0]}, fed ${rows.length} rows`);
  const width = out.data.length / rows.length;
  return rows.map((_, r) => Array.from(out.data.subarray(r * width, (r + 1) * width)));
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
  const got = new Map();  // sample name -> logits run alone
  const compare = (sample, logits, how) => {
    if (logits.length !== sample.logits.length) {
      fail(`${sample.name}: ${logits.length} logits, reference has ${sample.logits.length}`);
    }
    sample.logits.forEach((expected, i) => {
      const delta = Math.abs(logits[i] - expected);
      if (Number.isNaN(delta) || delta > worst) {  // a NaN sticks: NaN > x is always false
        worst = delta;
        worstName = `${sample.name}${how}`;
      }
    });
  };
  for (const sample of reference.samples) {
    const [logits] = await runRows(session, manifest, [sample]);
    got.set(sample.name, logits);
    compare(sample, logits, '');
  }
  // Samples with the same input run again as one batch, one ablation per row: each row must be
  // ablated by its own masks and offsets only (only with batched component inputs).
  const batched = manifest.inputs.some((i) => i.role.endsWith('_mask') && i.role !== 'attention_mask' &&
                                              typeof i.shape[0] === 'string');
  let batches = 0;
  if (batched) {
    const groups = new Map();
    for (const s of reference.samples) {
      const key = JSON.stringify([s.input_ids, s.attention_mask]);
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const rows of groups.values()) {
      if (rows.length < 2) continue;
      const logits = await runRows(session, manifest, rows);
      rows.forEach((s, r) => compare(s, logits[r], ' (batched)'));
      batches++;
    }
  }
  // A model that takes position_ids: leaving the hidden tokens out must give what hiding them
  // with attention 0 gives, in the same runtime, to DROPPED_TOLERANCE.
  let dropped = '';
  if (manifest.inputs.some((i) => i.role === 'position_ids')) {
    let worstDropped = 0;
    let worstDroppedName = '';
    let count = 0;
    for (const sample of reference.samples) {
      const short = droppedTokens(sample);
      if (!short) continue;
      const [logits] = await runRows(session, manifest, [short]);
      const full = got.get(sample.name);
      const delta = Math.max(...logits.map((v, i) => Math.abs(v - full[i])));
      if (Number.isNaN(delta) || !(delta <= worstDropped)) {
        worstDropped = delta;
        worstDroppedName = sample.name;
      }
      count++;
    }
    if (count === 0) fail('the model takes position_ids but no sample hides a token');
    dropped = `; hidden tokens left out (${count} samples): max |Δlogit| against attention 0 = ` +
              `${worstDropped.toExponential(3)} (${worstDroppedName}), tolerance ${DROPPED_TOLERANCE}`;
    if (!(worstDropped <= DROPPED_TOLERANCE)) {
      console.error(`check_reference: leaving hidden tokens out changes the output${dropped}`);
      process.exit(1);
    }
  }
  // Everything ablated: the output may not depend on the text (reference.json all_ablated).
  let allAblated = '';
  for (const [ablation, summary] of Object.entries(reference.all_ablated ?? {})) {
    const rows = summary.samples.map((name) => got.get(name) ?? fail(`all_ablated names unknown sample ${name}`));
    const spread = Math.max(...rows.flatMap((l) => l.map((v, i) => Math.abs(v - rows[0][i]))));
    const off = Math.max(...rows[0].map((v, i) => Math.abs(v - summary.logits[i])));
    if (!(spread <= TOLERANCE) || !(off <= TOLERANCE)) {
      fail(`${ablation} ablation of everything: outputs differ across texts by ${spread}, from the reference by ${off}`);
    }
    allAblated += `, all ${ablation}-ablated: same output for ${rows.length} texts (spread ${spread.toExponential(1)})`;
  }
  if (worst < 0) fail('no logits to compare');
  console.log(`${manifest.name} (onnxruntime-${RUNTIME}): ${reference.samples.length} samples` +
              `${batches ? ` (+${batches} multi-row batches)` : ''}, max |Δlogit| = ` +
              `${worst.toExponential(3)} (${worstName}), tolerance ${TOLERANCE}${allAblated}${dropped}`);
  if (!(worst <= TOLERANCE)) process.exit(1);
}

await main();
