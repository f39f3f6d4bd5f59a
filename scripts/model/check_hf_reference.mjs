// Checks a model folder in the Hugging Face layout (config.json, tokenizer.json,
// tokenizer_config.json, special_tokens_map.json, onnx/model.onnx) against its reference.json:
// the JavaScript tokenizer (npm @huggingface/tokenizers) must give each sample's input_ids, and
// ONNX Runtime must give the logits the exporter computed with torch, in each runtime spexlens
// uses: onnxruntime-node (the command-line explainer's) and onnxruntime-web's wasm backend (the
// page's). Each sample runs alone, then all of them as one batch padded with [PAD] and
// attention 0, as an explainer batches masked copies of a text. A graph that also takes
// position_ids (0, 1, 2, ... for a whole row) must also give a sample's logits with its hidden
// (attention 0) tokens left out of the row and the others at their own positions, as the
// explainer feeds it. Outputs after logits (attentions, hidden_states) are allowed and not fetched.
//
//   node scripts/model/check_hf_reference.mjs models/spam-bert [--runtime node|web]
//
// reference.json (written by scripts/model/train_bert.py, train_clinical.py): {onnx_sha256, max_length, samples:
// [{name, text, hidden_words, masking, input_ids, attention_mask, token_type_ids, logits}]};
// hidden_words index the text's whitespace-delimited words (hf_encode.mjs wordsOf), masking is
// null, "mask_token" (their tokens become [MASK]) or "attention" (their attention is 0).
// Prints the largest |Δlogit|; exits 1 if it exceeds TOLERANCE, if an input differs from what
// the tokenizer and the masking give, if the graph's signature is not optimum's, or if the
// sha256 disagrees with onnx/model.onnx.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { encodeWithWords, loadTokenizer } from './hf_encode.mjs';

const RUNTIME = process.argv.includes('--runtime') ? process.argv[process.argv.indexOf('--runtime') + 1] : 'node';
if (!['node', 'web'].includes(RUNTIME)) {
  console.error(`check_hf_reference: --runtime must be node or web, got ${RUNTIME}`);
  process.exit(2);
}
// Resolved from the repository's node_modules.
const ortModule = await import(RUNTIME === 'node' ? 'onnxruntime-node' : 'onnxruntime-web');
const ort = ortModule.default ?? ortModule;

const TOLERANCE = 1e-4;
const INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'];
const POSITIONS = 'position_ids';
const EXTRA_OUTPUTS = ['attentions', 'hidden_states'];

function fail(message) {
  console.error(`check_hf_reference: ${message}`);
  process.exit(1);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return fail(`cannot read ${path}: ${err.message}`);
  }
}

const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

// The sample's three inputs as the tokenizer and its masking make them.
function expectedInputs(tokenizer, sample, maxLength, maskId) {
  const { ids, words } = encodeWithWords(tokenizer, sample.text, maxLength);
  const hidden = new Set(sample.hidden_words ?? []);
  const attention = ids.map(() => 1);
  const masked = [...ids];
  words.forEach((w, i) => {
    if (w < 0 || !hidden.has(w)) return;
    if (sample.masking === 'mask_token') masked[i] = maskId;
    else if (sample.masking === 'attention') attention[i] = 0;
    else fail(`${sample.name}: hidden words but masking ${sample.masking}`);
  });
  return { input_ids: masked, attention_mask: attention, token_type_ids: ids.map(() => 0) };
}

// A row's position_ids: its own, or 0, 1, 2, ... (every token where the text put it).
const withPositions = (s) => (s.position_ids ? s : { ...s, position_ids: s.input_ids.map((_, k) => k) });

// The sample with its hidden (attention 0) tokens left out, every kept token at its own position;
// null when nothing is hidden by attention.
function droppedTokens(sample) {
  const keep = sample.attention_mask.map((a, k) => (a ? k : -1)).filter((k) => k >= 0);
  if (keep.length === sample.input_ids.length) return null;
  return { ...sample, input_ids: keep.map((k) => sample.input_ids[k]), attention_mask: keep.map(() => 1),
    token_type_ids: keep.map(() => 0), position_ids: keep };
}

// rows padded to the longest with padId / attention 0 / type 0 / position 0 -> int64 feeds for
// the graph's inputs.
function feedsFor(rows, padId, inputNames) {
  rows = rows.map(withPositions);
  const width = Math.max(...rows.map((s) => s.input_ids.length));
  const pad = { input_ids: padId, attention_mask: 0, token_type_ids: 0, position_ids: 0 };
  const feeds = {};
  for (const name of inputNames) {
    const data = new BigInt64Array(rows.length * width).fill(BigInt(pad[name]));
    rows.forEach((s, r) => s[name].forEach((v, j) => { data[r * width + j] = BigInt(v); }));
    feeds[name] = new ort.Tensor('int64', data, [rows.length, width]);
  }
  return feeds;
}

async function runRows(session, rows, padId, labels) {
  const { logits } = await session.run(feedsFor(rows, padId, session.inputNames), ['logits']);
  if (!logits) fail('the graph has no output named logits');
  if (logits.dims.length !== 2 || logits.dims[0] !== rows.length || logits.dims[1] !== labels) {
    fail(`logits dims [${logits.dims}], expected [${rows.length}, ${labels}]`);
  }
  return rows.map((_, r) => Array.from(logits.data.subarray(r * labels, (r + 1) * labels)));
}

async function main() {
  const dir = process.argv[2];
  if (!dir || dir.startsWith('--')) fail('usage: node scripts/model/check_hf_reference.mjs MODEL_DIR [--runtime node|web]');
  const config = readJson(join(dir, 'config.json'));
  const tokenizerConfig = readJson(join(dir, 'tokenizer_config.json'));
  const specials = readJson(join(dir, 'special_tokens_map.json'));
  const reference = readJson(join(dir, 'reference.json'));
  const tokenizer = loadTokenizer(dir);
  const onnxBytes = readFileSync(join(dir, 'onnx', 'model.onnx'));

  const sha = createHash('sha256').update(onnxBytes).digest('hex');
  if (reference.onnx_sha256 !== sha) fail(`reference.json onnx_sha256 ${reference.onnx_sha256} != onnx/model.onnx ${sha}`);
  const labels = Object.keys(config.id2label ?? {}).length;
  if (labels < 2) fail('config.json has no id2label');
  const maxLength = tokenizerConfig.model_max_length;
  if (maxLength !== reference.max_length || maxLength > config.max_position_embeddings) {
    fail(`model_max_length ${maxLength}, reference max_length ${reference.max_length}, ` +
         `max_position_embeddings ${config.max_position_embeddings}`);
  }
  const padId = config.pad_token_id;
  const maskId = tokenizer.token_to_id(specials.mask_token);
  if (tokenizer.token_to_id(specials.pad_token) !== padId) fail(`pad_token ${specials.pad_token} is not id ${padId}`);

  const session = await ort.InferenceSession.create(onnxBytes);
  const withPositionIds = same(session.inputNames, [...INPUTS, POSITIONS]);
  if (!same(session.inputNames, INPUTS) && !withPositionIds) {
    fail(`graph inputs [${session.inputNames}], expected [${INPUTS}] (+ ${POSITIONS})`);
  }
  const [first, ...extra] = session.outputNames;
  if (first !== 'logits' || extra.some((name) => !EXTRA_OUTPUTS.includes(name))) {
    fail(`graph outputs [${session.outputNames}], expected [logits] (+ ${EXTRA_OUTPUTS.join(', ')})`);
  }

  const samples = reference.samples ?? [];
  if (!samples.length) fail(`${dir}/reference.json has no samples`);
  for (const s of samples) {
    const expected = expectedInputs(tokenizer, s, maxLength, maskId);
    for (const name of INPUTS) {
      if (!same(expected[name], s[name])) fail(`${s.name}: ${name} differs from what the tokenizer and masking give`);
    }
  }

  let worst = -1;  // below any |Δ|, so the first comparison names a sample
  let worstName = '';
  const compare = (sample, logits, how) => {
    sample.logits.forEach((expected, i) => {
      const delta = Math.abs(logits[i] - expected);
      if (Number.isNaN(delta) || delta > worst) {  // a NaN sticks: NaN > x is always false
        worst = delta;
        worstName = `${sample.name}${how}`;
      }
    });
  };
  for (const s of samples) compare(s, (await runRows(session, [s], padId, labels))[0], '');
  const batched = await runRows(session, samples, padId, labels);
  samples.forEach((s, r) => compare(s, batched[r], ' (padded batch)'));
  let dropped = '';
  if (withPositionIds) {
    const short = samples.map((s) => [s, droppedTokens(s)]).filter(([, d]) => d);
    if (!short.length) fail('the graph takes position_ids but no sample hides a token by attention');
    for (const [s, d] of short) compare(s, (await runRows(session, [d], padId, labels))[0], ' (hidden tokens left out)');
    const rows = await runRows(session, short.map(([, d]) => d), padId, labels);
    short.forEach(([s], r) => compare(s, rows[r], ' (hidden tokens left out, padded batch)'));
    dropped = `, ${short.length} with the hidden tokens left out (position_ids)`;
  }

  const masked = samples.filter((s) => s.masking).length;
  console.log(`${reference.model ?? dir} (onnxruntime-${RUNTIME}): ${samples.length} samples (${masked} with ` +
              `hidden words) alone and as one padded batch${dropped}, inputs match the tokenizer, max |Δlogit| = ` +
              `${worst.toExponential(3)} (${worstName}), tolerance ${TOLERANCE}`);
  if (!(worst <= TOLERANCE)) process.exit(1);
}

await main();
