// The command-line explainer refuses bad input with one clear line and a non-zero exit: a
// missing model, a manifest that does not match the ONNX file, a broken ONNX file, empty and
// huge texts, NaN model outputs, bad flags. And the JSONL mode goes on past a bad line.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ROOT, check, explain, run, test } from './harness.mjs';

const PLANTED = path.join(ROOT, 'models/planted-and');
const NAN_MODEL = path.join(ROOT, 'tests/explain_cli/data/nan-model');
const scratch = mkdtempSync(path.join(tmpdir(), 'spexlens-cli-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// A copy of the planted model with its manifest (and optionally its ONNX bytes) edited; the
// manifest's sha256 follows the edited bytes unless editManifest changes it.
function modelCopy(name, editManifest, editOnnx) {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  let onnx = readFileSync(path.join(PLANTED, 'model.onnx'));
  if (editOnnx) onnx = editOnnx(onnx);
  writeFileSync(path.join(dir, 'model.onnx'), onnx);
  copyFileSync(path.join(PLANTED, 'vocab.txt'), path.join(dir, 'vocab.txt'));
  const manifest = JSON.parse(readFileSync(path.join(PLANTED, 'model.json'), 'utf8'));
  manifest.onnx_sha256 = createHash('sha256').update(onnx).digest('hex');
  editManifest?.(manifest);
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

function refused(r, status, ...phrases) {
  check(r.status === status, `expected exit ${status}, got ${r.status} (stderr: ${r.stderr.trim()})`);
  check(r.stdout === '', `nothing on stdout, got ${r.stdout.slice(0, 200)}`);
  check(r.stderr.startsWith('spexlens-explain: error: '), `error line, got: ${r.stderr}`);
  for (const p of phrases) check(r.stderr.includes(p), `message should mention "${p}": ${r.stderr.trim()}`);
}

test('a missing model folder', () => {
  refused(explain(['--model', path.join(scratch, 'nope'), '--text', 'hello']), 1, 'does not exist');
});

test('a manifest naming files outside its folder is refused before anything is read', () => {
  // "../../dev/zero" was read (1.1 GB after 25 s) before the C++ check that refuses it.
  const t0 = performance.now();
  const escape = modelCopy('escape', (m) => { m.files.onnx = '../../../../../../../../dev/zero'; });
  refused(explain(['--model', escape, '--text', 'hello']), 1, 'files.onnx', 'relative to the manifest');
  check(performance.now() - t0 < 5000, 'refusing took more than 5 s');
  const missing = modelCopy('missing-onnx', (m) => { m.files.onnx = 'other.onnx'; });
  refused(explain(['--model', missing, '--text', 'hello']), 1, 'names the model file "other.onnx"', 'not in the folder');
  // A number where a file name goes gave Node's raw TypeError.
  const numeric = modelCopy('numeric-vocab', (m) => { m.files.vocab = 123; });
  refused(explain(['--model', numeric, '--text', 'hello']), 1, 'files.vocab');
});

test('a manifest whose input type differs from the ONNX model', () => {
  const dir = modelCopy('wrong-type', (m) => { m.inputs[0].type = 'int32'; });
  refused(explain(['--model', dir, '--text', 'not good']), 1, 'does not match its manifest', 'input_ids');
});

test('a manifest missing an input the model needs', () => {
  const dir = modelCopy('missing-input', (m) => { m.inputs[1].name = 'attn'; });
  refused(explain(['--model', dir, '--text', 'not good']), 1, 'attention_mask');
});

test('a manifest with a broken field', () => {
  const dir = modelCopy('bad-field', (m) => { m.labels = 'spam'; });
  refused(explain(['--model', dir, '--text', 'not good']), 1, 'labels');
});

test('an ONNX file that is not the one the manifest names', () => {
  const dir = modelCopy('sha', (m) => { m.onnx_sha256 = '0'.repeat(64); });
  refused(explain(['--model', dir, '--text', 'not good']), 1, 'sha256');
});

test('a vocabulary with more ids than the model\'s embedding is named as the wrong vocabulary', () => {
  // The spam model's embedding has 4,004 rows; a vocabulary of 6,004 gives the added words ids it
  // does not have. ONNX Runtime's "Gather ... out of data bounds" becomes a message to act on.
  const SPAM = path.join(ROOT, 'models/spam-transformer');
  const dir = path.join(scratch, 'big-vocab');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(SPAM, 'model.onnx'), path.join(dir, 'model.onnx'));
  copyFileSync(path.join(SPAM, 'model.json'), path.join(dir, 'model.json'));
  const extra = Array.from({ length: 2000 }, (_, i) => `zzword${i}`).join('\n');
  writeFileSync(path.join(dir, 'vocab.txt'), readFileSync(path.join(SPAM, 'vocab.txt'), 'utf8') + extra + '\n');
  // onnxruntime-node also logs the failure to stderr from native code (its own line, before ours).
  const r = explain(['--model', dir, '--text', 'free lunch zzword1999 today', '--budget', '200', '--holdout', '50']);
  const last = r.stderr.trimEnd().split('\n').pop();
  check(r.status === 1 && r.stdout === '', `expected exit 1 and no result, got ${r.status}`);
  for (const phrase of ['spexlens-explain: error: ', 'embedding table has 4004 rows', 'token id 6003',
    'not the one this ONNX file was exported with']) {
    check(last.includes(phrase), `the last line should mention "${phrase}": ${last}`);
  }
});

test('a truncated ONNX file', () => {
  const dir = modelCopy('truncated', null, (b) => b.subarray(0, Math.floor(b.length / 2)));
  refused(explain(['--model', dir, '--text', 'not good']), 1, 'cannot load');
});

test('an empty text and a whitespace-only text', () => {
  refused(explain(['--model', PLANTED, '--text', '']), 1, 'no words');
  refused(explain(['--model', PLANTED, '--text', ' \n\t ']), 1, 'no words');
});

test('a 100,000-word text', () => {
  const file = path.join(scratch, 'huge.jsonl');
  writeFileSync(file, JSON.stringify({ text: 'word '.repeat(100000) }) + '\n');
  const r = explain(['--model', PLANTED, '--input', file]);
  check(r.status === 1, `exit ${r.status}`);
  check(/100000 words|100,000 words/.test(r.stdout + r.stderr), `the word count is named: ${r.stderr}`);
  check(JSON.parse(r.stdout.trim()).error.length > 0, 'the JSONL line carries the error');
});

test('a model that outputs NaN', () => {
  refused(explain(['--model', NAN_MODEL, '--text', 'calm calm boom calm', '--b', '3']), 1, 'not a finite number');
});

test('bad command lines exit 2', () => {
  refused(explain(['--text', 'x']), 2, '--model');
  refused(explain(['--model', PLANTED]), 2, '--text');
  refused(explain(['--model', PLANTED, '--text', 'x', '--b', 'six']), 2, '--b');
  refused(explain(['--model', PLANTED, '--text', 'x', '--b', '4', '--budget', '100']), 2, 'not both');
  refused(explain(['--model', PLANTED, '--text', 'x', '--frobnicate', '1']), 2, '--frobnicate');
});

test('bad engine options exit 1 with the core message', () => {
  refused(explain(['--model', PLANTED, '--text', 'not good', '--method', 'shap']), 1, 'unknown method');
  refused(explain(['--model', PLANTED, '--text', 'not good', '--index', 'nope']), 1, 'unknown index');
  refused(explain(['--model', PLANTED, '--text', 'not good', '--target', 'nonsense']), 1, 'nonsense');
  refused(explain(['--model', PLANTED, '--text', 'not good', '--method', 'spex-soft', '--budget', '10']), 1, 'budget');
  refused(explain(['--model', PLANTED, '--text', 'not very good , never again', '--budget', '10']), 1, 'too small');
  refused(explain(['--model', PLANTED, '--text', 'not good', '--target-r2', '2']), 1, 'target_r2');
});

test('JSONL: every line explained, a bad line reported and skipped', () => {
  const file = path.join(scratch, 'texts.jsonl');
  writeFileSync(file, [JSON.stringify({ id: 'a', text: 'not good at all' }), 'this is not json',
    '', JSON.stringify('never again'), JSON.stringify({ id: 'empty', text: '' })].join('\n') + '\n');
  const r = explain(['--model', PLANTED, '--input', file, '--b', '3']);
  check(r.status === 1, `exit 1 because two lines failed, got ${r.status}`);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  check(lines.length === 4, `4 records, got ${lines.length}`);
  check(lines[0].id === 'a' && lines[0].schema === 'spexlens.result', 'line 1 explained');
  check(lines[1].error.includes('not valid JSON'), `line 2 error: ${lines[1].error}`);
  check(lines[2].id === 4 && lines[2].n === 2, 'a bare JSON string is a text, ids default to line numbers');
  check(lines[3].error.includes('no words'), `empty text error: ${lines[3].error}`);
  check(/\[1\/4\] a: /.test(r.stderr) && r.stderr.includes('2 of 4 lines failed'), `progress: ${r.stderr}`);
});

test('the same seed gives the same result', () => {
  const args = ['--model', PLANTED, '--text', 'not very good, never again', '--b', '4', '--seed', '9'];
  const a = explain(args).json;
  const b = explain(args).json;
  delete a.timing_ms;
  delete b.timing_ms;
  check(JSON.stringify(a) === JSON.stringify(b), 'identical results');
  check(a.seed === 9, 'the seed is written');
});

await run();
