// scripts/spexlens-probe-layers end to end on the clinical teaching model
// (models/clinical-readmission, its internals graph onnx/model_internals.onnx): the report's
// structure on a subset of the shipped probe set, the seed deciding it, bad input refused; and a
// probe with a known answer — "is this word a medication name?" over the same notes — which the
// word vectors must carry far better than the control task's random per-type labels.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ROOT, check, refusedBy, run, runCli, test } from '../explain_cli/harness.mjs';

const CLI = path.join(ROOT, 'scripts', 'spexlens-probe-layers');
const CLINICAL = path.join(ROOT, 'models/clinical-readmission');
const SET = path.join(CLINICAL, 'layer-probe-medication.json');
const PLANTED = path.join(ROOT, 'models/planted-and');
const scratch = mkdtempSync(path.join(tmpdir(), 'spexlens-probe-layers-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const shipped = JSON.parse(readFileSync(SET, 'utf8'));
const DRUGS = new Set(['insulin', 'metformin', 'ramipril', 'amlodipine', 'atorvastatin', 'bisoprolol', 'apixaban',
  'omeprazole', 'levothyroxine', 'salbutamol', 'paracetamol', 'sertraline', 'furosemide']);

function write(name, value) {
  const file = path.join(scratch, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

const probe = (args) => runCli(CLI, args);

const refused = (r, status, ...phrases) => refusedBy('spexlens-probe-layers', r, status, ...phrases);

// The first 60 texts of the shipped set.
const SUBSET = write('subset.json', { ...shipped, texts: shipped.texts.slice(0, 60) });

// Every medication word of the first 60 texts (label "discontinued" stands for "a drug name") and
// as many other words, evenly spread (label "current"): a word's own identity answers it.
function drugNameSet() {
  const texts = [];
  for (const x of shipped.texts.slice(0, 60)) {
    const words = [...x.text.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length,
      drug: DRUGS.has(m[0].toLowerCase().replace(/\W/g, '')) }));
    const drugs = words.filter((w) => w.drug);
    const others = words.filter((w) => !w.drug);
    const step = Math.max(1, Math.floor(others.length / Math.max(1, drugs.length)));
    const chosen = [...drugs, ...others.filter((_, i) => i % step === 0).slice(0, drugs.length)];
    chosen.sort((a, b) => a.start - b.start);
    if (chosen.length === 0) continue;
    // Code points = UTF-16 units here: the notes are ASCII.
    texts.push({ id: x.id, text: x.text, targets: chosen.map((w) => ({ start: w.start, end: w.end,
      label: w.drug ? 'discontinued' : 'current' })) });
  }
  return write('drug-names.json', { ...shipped, name: 'drug-name', texts });
}

test('the report has the documented structure and the honest statement', () => {
  const r = probe(['--model', CLINICAL, '--probe-set', SUBSET, '--seed', '3', '--folds', '4']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  const j = r.json;
  for (const key of ['probe_set', 'model', 'seed', 'folds', 'examples', 'labels', 'layers', 'statement']) {
    check(key in j, `report has no "${key}"`);
  }
  check(j.probe_set === 'clinical-medication-status' && j.model === 'clinical-readmission', `${j.probe_set} ${j.model}`);
  check(j.seed === 3 && j.folds === 4 && j.texts === 60, `seed ${j.seed} folds ${j.folds} texts ${j.texts}`);
  const targets = shipped.texts.slice(0, 60).reduce((n, x) => n + x.targets.length, 0);
  check(j.examples === targets, `examples ${j.examples} != ${targets}`);
  check(JSON.stringify(j.labels) === '["current","discontinued"]', JSON.stringify(j.labels));
  // config.json: 3 layers of 64 -> hidden_states has 4 entries (embeddings + each layer).
  check(j.dimension === 64, `dimension ${j.dimension}`);
  check(JSON.stringify(j.layers.map((l) => l.name)) === '["embeddings","layer 1","layer 2","layer 3"]',
    j.layers.map((l) => l.name).join());
  for (const l of j.layers) {
    for (const key of ['accuracy', 'accuracy_sd', 'majority', 'control_accuracy', 'selectivity', 'shuffled_accuracy',
      'shuffled_accuracy_sd', 'l2']) {
      check(typeof l[key] === 'number' && Number.isFinite(l[key]), `${l.name}.${key} = ${l[key]}`);
    }
    check(l.accuracy >= 0 && l.accuracy <= 1 && l.control_accuracy >= 0 && l.control_accuracy <= 1, JSON.stringify(l));
    check(Math.abs(l.selectivity - (l.accuracy - l.control_accuracy)) < 1e-12, `selectivity of ${l.name}`);
  }
  check(j.statement.includes('linearly decodable') && j.statement.includes('does not show that the model uses'),
    j.statement);
  // 13 drug names in 64 dimensions: the report warns that the control task can memorise them.
  check(j.word_types <= 13 && j.notes.length === 1 && j.notes[0].includes('a linear probe can memorise every type'),
    JSON.stringify(j.notes));
});

test('the seed decides the report', () => {
  const a = probe(['--model', CLINICAL, '--probe-set', SUBSET, '--seed', '5']);
  const b = probe(['--model', CLINICAL, '--probe-set', SUBSET, '--seed', '5']);
  const c = probe(['--model', CLINICAL, '--probe-set', SUBSET, '--seed', '6']);
  check(a.status === 0 && b.status === 0 && c.status === 0, a.stderr + b.stderr + c.stderr);
  check(a.stdout === b.stdout, 'the same seed gave different reports');
  check(JSON.stringify(a.json.layers) !== JSON.stringify(c.json.layers), 'seeds 5 and 6 gave the same layers');
});

test('a word-identity probe beats the control task at the last layer', () => {
  // Known answer: whether a word is a medication name is a property of the word itself, so its
  // vectors carry it at every layer; the control task's random labels over ~160 word types are
  // learnable only by memorising types, which a linear probe does far less well.
  const r = probe(['--model', CLINICAL, '--probe-set', drugNameSet(), '--seed', '1']);
  check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
  const last = r.json.layers[r.json.layers.length - 1];
  check(r.json.word_types > 100 && r.json.notes.length === 0, `word types ${r.json.word_types}, notes ${r.json.notes}`);
  check(last.accuracy > 0.75, `last layer accuracy ${last.accuracy}`);
  check(last.accuracy > last.majority + 0.2, `accuracy ${last.accuracy} vs majority ${last.majority}`);
  check(last.control_accuracy < last.accuracy - 0.05,
    `control ${last.control_accuracy} should stay below the real probe's ${last.accuracy}`);
  check(last.selectivity > 0.05, `selectivity ${last.selectivity}`);
  // Shuffled labels: nothing predicts them, so the same probe stays near chance (0.5 here).
  check(Math.abs(last.shuffled_accuracy - 0.5) < 0.1 && last.accuracy > last.shuffled_accuracy + 0.2,
    `shuffled labels ${last.shuffled_accuracy} vs the real probe's ${last.accuracy}`);
});

test('bad command lines exit 2, bad probe sets and models exit 1, each with one message', () => {
  refused(probe(['--probe-set', SET]), 2, '--model DIR is required');
  refused(probe(['--model', CLINICAL]), 2, '--probe-set FILE is required');
  refused(probe(['--model', CLINICAL, '--probe-set', SET, '--folds', 'x']), 2, '--folds: expected a non-negative integer');
  refused(probe(['--model', CLINICAL, '--probe-set', SET, '--folds', '1']), 1, 'folds must be 2 to 20');
  refused(probe(['--model', CLINICAL, '--probe-set', write('few.json', { ...shipped, texts: shipped.texts.slice(0, 3) })]),
    1, 'needs at least 5 different texts, and the probe set has 3');
  refused(probe(['--model', CLINICAL, '--probe-set', write('broken.json', '{"format": ')]), 1, 'not valid JSON');
  const oneLabel = { ...shipped, texts: shipped.texts.slice(0, 20).map((x) => ({ ...x,
    targets: x.targets.map((t) => ({ ...t, label: 'current' })) })) };
  refused(probe(['--model', CLINICAL, '--probe-set', write('one.json', oneLabel)]), 1, 'every example has the same label');
  const wrong = structuredClone(shipped);
  wrong.texts[2].targets[0].word = 'aspirin';
  refused(probe(['--model', CLINICAL, '--probe-set', write('word.json', wrong)]), 1, '"word" is "aspirin"');
  refused(probe(['--model', PLANTED, '--probe-set', SET]), 1, 'no internals graph (onnx/model_internals.onnx)');
  refused(probe(['--model', CLINICAL, '--probe-set', path.join(scratch, 'none.json')]), 1, 'cannot read the probe set');
  const help = probe(['--help']);
  check(help.status === 0 && help.stdout.startsWith('usage: spexlens-probe-layers'), help.stdout.slice(0, 100));
});

await run();
