// A model folder as Hugging Face transformers / optimum / transformers.js export it, with no
// model.json (models/spam-bert: config.json, tokenizer.json, tokenizer_config.json,
// special_tokens_map.json, onnx/model.onnx), through the whole command-line path: the derived
// manifest (src/text/exported_folder.cpp) gives a valid, reproducible result; --show-manifest
// prints it and, saved as model.json, pins the same model; --masking switches how words are
// hidden; a broken folder is refused with one line naming the problem; and the two usual
// layouts (onnx/model.onnx, model.onnx at the top) explain alike, in either ONNX runtime.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ROOT, check, explain, explained, near, refused, run, stable, test } from './harness.mjs';

const BERT = path.join(ROOT, 'models/spam-bert');
const ONNX = readFileSync(path.join(BERT, 'onnx/model.onnx'));
const ONNX_SHA256 = createHash('sha256').update(ONNX).digest('hex');
const reference = JSON.parse(readFileSync(path.join(BERT, 'reference.json'), 'utf8'));
const scratch = mkdtempSync(path.join(tmpdir(), 'spexlens-hf-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// A short e-mail whose clean logits the exporter computed with torch (reference.json).
const SAMPLE = reference.samples.find((s) => s.name === 'spam-like' && !s.masking);
const EMAIL = SAMPLE.text;
const WORDS = EMAIL.split(/\s+/).filter(Boolean).length;
// Small budgets: the file runs in about a minute on 2 cores.
const SMALL = ['--budget', '600', '--holdout', '100', '--seed', '7'];
const explainArgs = (dir, ...extra) => ['--model', dir, '--text', EMAIL, ...SMALL, ...extra];

// A copy of spam-bert as scratch/<name>/spam-bert (the folder's name is the derived model name,
// so copies explain with the same name as the original). layout: 'transformers.js' keeps
// onnx/model.onnx, 'optimum' puts model.onnx at the top. files: { path: bytes | string | null }
// adds, replaces (null: removes) files after the copy.
function folderCopy(name, { layout = 'transformers.js', files = {} } = {}) {
  const dir = path.join(scratch, name, 'spam-bert');
  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
    copyFileSync(path.join(BERT, f), path.join(dir, f));
  }
  writeFileSync(path.join(dir, layout === 'optimum' ? 'model.onnx' : 'onnx/model.onnx'), ONNX);
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    if (content === null) rmSync(full);
    else {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
  return dir;
}

const editJson = (file, edit) => {
  const j = JSON.parse(readFileSync(path.join(BERT, file), 'utf8'));
  edit(j);
  return JSON.stringify(j, null, 2);
};

// A folder that cannot be opened is refused before any note: stderr is the error line alone.
function refusedFolder(args, ...phrases) {
  const lines = refused(args, ...phrases);
  check(lines.length === 1, `only the error line on stderr, got: ${lines.join('\n')}`);
}

let first = null;  // the reference run: models/spam-bert as shipped, seed 7
const baseRun = () => (first ??= explained(explain(explainArgs(BERT)), 'models/spam-bert'));

test('spam-bert without model.json: a valid result from the derived manifest, reproducible', () => {
  const r = explain(explainArgs(BERT));
  const j = explained(r, 'first run');
  first = j;
  check(r.stderr.includes('has no model.json; derived one'), `the derived notes on stderr: ${r.stderr}`);
  check(j.n === WORDS, `n = ${j.n}, the e-mail has ${WORDS} words`);
  check(j.features.length === WORDS, `${j.features.length} features`);
  check(j.model.name === 'spam-bert', `model name ${j.model.name}`);
  check(JSON.stringify(j.model.labels) === '["ham","spam"]', `labels ${JSON.stringify(j.model.labels)}`);
  check(j.target.class === 'spam' && j.target.class_index === 1 && j.target.measure === 'log-odds',
    `target ${JSON.stringify(j.target)}`);
  check(j.model.masking === 'mask_token', `derived masking ${j.model.masking} (the tokenizer has [MASK])`);
  check(j.model.sha256 === ONNX_SHA256 && j.model.sha256 === reference.onnx_sha256, `sha256 ${j.model.sha256}`);
  check(j.seed === 7, `seed ${j.seed}`);
  check(typeof j.faithfulness?.r2 === 'number' && Number.isFinite(j.faithfulness.r2), `R² ${j.faithfulness?.r2}`);
  // The unmasked e-mail through the derived tokenizer and window gives the exporter's logits.
  near(j.full_value, SAMPLE.logits[1] - SAMPLE.logits[0], 1e-3, 'full_value (spam log-odds, torch)');
  check(j.window.truncated === false, 'the e-mail fits the 128-token window');

  const again = explained(explain(explainArgs(BERT)), 'second run');
  check(stable(again) === stable(j), 'two runs with the same seed differ outside timing_ms');
});

test('--runtime web (the page\'s onnxruntime-web) explains the derived folder too', () => {
  const j = explained(explain(explainArgs(BERT, '--runtime', 'web')), '--runtime web');
  check(j.n === WORDS && j.model.sha256 === ONNX_SHA256 && j.model.masking === 'mask_token', 'the same derived model');
  near(j.full_value, SAMPLE.logits[1] - SAMPLE.logits[0], 1e-3, 'full_value (spam log-odds, torch)');
  check(typeof j.faithfulness?.r2 === 'number', `R² ${j.faithfulness?.r2}`);
});

test('--show-manifest: parses, names the ONNX file and its sha256, and pins the same result', () => {
  const r = explain(['--model', BERT, '--show-manifest']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  const m = r.json;
  check(m !== null, `stdout is not JSON: ${r.stdout.slice(0, 200)}`);
  check(m.files.onnx === 'onnx/model.onnx' && m.files.vocab === 'tokenizer.json', `files ${JSON.stringify(m.files)}`);
  check(m.onnx_sha256 === ONNX_SHA256, `onnx_sha256 ${m.onnx_sha256}`);
  check(m.masking === 'mask_token' && m.tokenizer.max_length === 128,
    `masking ${m.masking}, window ${m.tokenizer.max_length}`);
  check(Array.isArray(m.derived?.notes) && m.derived.notes.length > 0, 'the notes are in the manifest');

  const pinned = folderCopy('pinned', { files: { 'model.json': r.stdout } });
  const p = explain(explainArgs(pinned));
  const j = explained(p, 'with the saved model.json');
  check(!p.stderr.includes('derived one'), `a folder with model.json is not derived: ${p.stderr}`);
  check(stable(j) === stable(baseRun()), 'the pinned folder explains differently from the derived one');
  // The pin holds: a different ONNX file beside that model.json is refused.
  const swapped = folderCopy('pinned-swapped', { files: { 'model.json': r.stdout,
    'onnx/model.onnx': Buffer.concat([ONNX, Buffer.from([0])]) } });
  refused(explainArgs(swapped), 'sha256');
});

test('--masking attention | mask_token | remove: each runs, is recorded, and they differ', () => {
  const results = {};
  for (const masking of ['attention', 'mask_token', 'remove']) {
    const j = explained(explain(explainArgs(BERT, '--masking', masking)), `--masking ${masking}`);
    check(j.model.masking === masking, `--masking ${masking}: the result records ${j.model.masking}`);
    near(j.full_value, SAMPLE.logits[1] - SAMPLE.logits[0], 1e-3, `--masking ${masking}: full_value`);
    results[masking] = j;
  }
  // mask_token is the derived default: asking for it changes nothing.
  check(stable(results.mask_token) === stable(baseRun()), '--masking mask_token differs from the default');
  const values = Object.values(results).map((j) => JSON.stringify([j.baseline_value, j.fourier]));
  check(new Set(values).size >= 2, 'every masking gave the same baseline and surrogate');
  check(results.attention.baseline_value !== results.remove.baseline_value,
    `attention and remove: the same baseline ${results.remove.baseline_value}`);
});

test('the ONNX file is chosen by the documented rule when there are several', () => {
  const manifestOf = (dir) => {
    const r = explain(['--model', dir, '--show-manifest']);
    check(r.status === 0 && r.json, `${dir}: exit ${r.status}: ${r.stderr}`);
    return r.json;
  };
  const top = folderCopy('rule-top', { layout: 'optimum', files: { 'model_fp16.onnx': ONNX } });
  check(manifestOf(top).files.onnx === 'model.onnx', 'model.onnx is preferred to model_fp16.onnx');
  const quantized = folderCopy('rule-quantized', { files: { 'onnx/model.onnx': null,
    'onnx/model_quantized.onnx': ONNX, 'onnx/model_fp16.onnx': ONNX } });
  check(manifestOf(quantized).files.onnx === 'onnx/model_quantized.onnx', 'onnx/model_quantized.onnx is preferred');
});

test('bad folders are refused with one line naming the problem', () => {
  const tokenizer = (edit) => ({ 'tokenizer.json': editJson('tokenizer.json', edit) });
  const cases = [
    ['two ONNX files and no rule', folderCopy('two-onnx', { files: { 'onnx/model.onnx': null,
      'onnx/model_fp16.onnx': ONNX, 'onnx/model_int8.onnx': ONNX } }),
    ['onnx/model_fp16.onnx and onnx/model_int8.onnx', 'cannot tell which']],
    ['3 labels for 2 logits', folderCopy('three-labels', { files: { 'config.json': editJson('config.json', (c) => {
      c.id2label = { 0: 'ham', 1: 'spam', 2: 'phishing' };
    }) } }), ['config.json', 'id2label', '3 labels', '2 columns']],
    ['config.json broken', folderCopy('config-broken', { files: { 'config.json': '{"id2label": {"0": "ham",' } }),
      ['config.json', 'not valid JSON']],
    ['config.json missing', folderCopy('config-missing', { files: { 'config.json': null } }), ['config.json']],
    ['tokenizer.json missing', folderCopy('tokenizer-missing', { files: { 'tokenizer.json': null } }),
      ['tokenizer.json']],
    ['tokenizer.json broken', folderCopy('tokenizer-broken', { files: { 'tokenizer.json': '{"model": {"type": ' } }),
      ['tokenizer.json', 'not valid JSON']],
    ['an unknown tokenizer model', folderCopy('tokenizer-model', {
      files: tokenizer((t) => { t.model.type = 'Quux'; }) }),
      ['tokenizer.json', 'Quux', 'not supported']],
    ['a Precompiled normalizer', folderCopy('tokenizer-precompiled', { files: tokenizer((t) => {
      t.normalizer = { type: 'Precompiled', precompiled_charsmap: 'AAAA' };
    }) }), ['tokenizer.json', 'Precompiled', 'not supported']],
    ['a truncated ONNX file', folderCopy('onnx-truncated', { files: {
      'onnx/model.onnx': ONNX.subarray(0, Math.floor(ONNX.length / 3)) } }), ['cannot load the model file']],
  ];
  const failures = [];
  for (const [what, dir, phrases] of cases) {
    try {
      refusedFolder(['--model', dir, '--text', EMAIL, ...SMALL], ...phrases);
    } catch (e) {
      failures.push(`${what}: ${e.message}`);
    }
  }
  try {
    refused(explainArgs(BERT, '--masking', 'bogus'), 'masking', 'bogus');
  } catch (e) {
    failures.push(`--masking bogus: ${e.message}`);
  }
  check(failures.length === 0, `\n  ${failures.join('\n  ')}`);
});

test('transformers.js layout (onnx/model.onnx) and optimum layout (model.onnx) explain alike', () => {
  const tjs = explained(explain(explainArgs(folderCopy('layout-tjs'))), 'onnx/model.onnx');
  const optimum = explained(explain(explainArgs(folderCopy('layout-optimum', { layout: 'optimum' }))), 'model.onnx');
  check(stable(tjs) === stable(optimum), 'the two layouts give different results');
  check(stable(tjs) === stable(baseRun()), 'a copy gives a different result from models/spam-bert');
});

await run();
