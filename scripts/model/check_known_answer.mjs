// Checks the two known-answer models (written by scripts/model/make_known_answer_models.py)
// with onnxruntime-node, so the graphs are tested against their definitions, not against
// themselves:
//   - model.onnx has the sha256 its manifest and reference.json name;
//   - every reference sample's logits (computed in numpy from the definition) match to 1e-5,
//     run one by one and again as one padded batch (dynamic batch axis, padding ignored);
//   - afinn-lexicon: over all 2^k attention masks of the AFINN words in the demo text, the
//     log-odds equals the sum of the kept words' scores read straight from the AFINN-111 data;
//   - planted-and: over all 2^k [MASK] replacements of the planted words in the demo text, the
//     log-odds equals bias + main effects + AND-terms from the manifest's known_answer (and the
//     same with attention 0 instead, which the definition also treats as absent).
//
//     node scripts/model/check_known_answer.mjs      (from the repository root)
//
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOLERANCE = 1e-5;
const MASK_ID = 3;
const PAD_ID = 0;

let passed = 0;
let failed = 0;

function report(ok, what, detail = '') {
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`);
}

function readJson(path) {
    return JSON.parse(readFileSync(path, 'utf8'));
}

async function loadModel(name) {
    const dir = join(ROOT, 'models', name);
    const manifest = readJson(join(dir, 'model.json'));
    const reference = readJson(join(dir, 'reference.json'));
    const onnxBytes = readFileSync(join(dir, manifest.files.onnx));
    const vocab = readFileSync(join(dir, manifest.files.vocab), 'utf8').split('\n').slice(0, -1);
    const session = await ort.InferenceSession.create(onnxBytes);
    return { name, manifest, reference, onnxBytes, vocab, session };
}

// Runs rows of equal length as one batch; returns one [l0, l1] per row.
async function runBatch(session, idsRows, attRows) {
    const [batch, seq] = [idsRows.length, idsRows[0].length];
    const tensor = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [batch, seq]);
    const out = await session.run({ input_ids: tensor(idsRows), attention_mask: tensor(attRows) });
    const logits = out.logits;
    if (logits.dims.length !== 2 || logits.dims[0] !== batch || logits.dims[1] !== 2) {
        throw new Error(`logits shape [${logits.dims}], expected [${batch}, 2]`);
    }
    return Array.from({ length: batch }, (_, b) => [logits.data[2 * b], logits.data[2 * b + 1]]);
}

function maxDiff(a, b) {
    return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

function checkHashes(model) {
    const sha = createHash('sha256').update(model.onnxBytes).digest('hex');
    report(sha === model.manifest.onnx_sha256 && sha === model.reference.onnx_sha256,
           `${model.name}: onnx_sha256 matches manifest and reference`, sha.slice(0, 12));
}

async function checkSamplesOneByOne(model) {
    for (const s of model.reference.samples) {
        const [got] = await runBatch(model.session, [s.input_ids], [s.attention_mask]);
        const d = maxDiff(got, s.logits);
        report(d <= TOLERANCE, `${model.name}: sample ${s.name}`,
               `got [${got.map((v) => v.toFixed(4))}] want [${s.logits}]`);
    }
}

// All samples padded to one length ([PAD] ids, attention 0): padding must change nothing.
async function checkSamplesBatched(model) {
    const samples = model.reference.samples;
    const len = Math.max(...samples.map((s) => s.input_ids.length));
    const pad = (row, value) => row.concat(Array(len - row.length).fill(value));
    const got = await runBatch(model.session, samples.map((s) => pad(s.input_ids, PAD_ID)),
                               samples.map((s) => pad(s.attention_mask, 0)));
    const d = Math.max(...samples.map((s, i) => maxDiff(got[i], s.logits)));
    report(d <= TOLERANCE, `${model.name}: all ${samples.length} samples as one padded batch`,
           `max |diff| ${d}`);
}

function demoSample(model) {
    const s = model.reference.samples.find((x) => x.text === model.manifest.sample_text &&
                                                  x.attention_mask.every((a) => a === 1) &&
                                                  !x.input_ids.includes(MASK_ID));
    if (!s) throw new Error(`${model.name}: no unmasked reference sample for sample_text`);
    return s;
}

// Runs every subset of `features` (each a list of token positions) hidden by `hide`, in one
// batch, and compares the log-odds with expected(keptFeatureIndices).
async function bruteForce(model, what, ids, features, hide, expected) {
    const k = features.length;
    const idsRows = [];
    const attRows = [];
    const want = [];
    for (let bits = 0; bits < 1 << k; bits++) {
        const row = { ids: ids.slice(), att: ids.map(() => 1) };
        const kept = [];
        features.forEach((positions, f) => {
            if (bits & (1 << f)) kept.push(f);
            else positions.forEach((p) => hide(row, p));
        });
        idsRows.push(row.ids);
        attRows.push(row.att);
        want.push(expected(kept));
    }
    const got = await runBatch(model.session, idsRows, attRows);
    const worst = Math.max(...got.map((l, i) => Math.abs(l[1] - l[0] - want[i])));
    report(worst <= TOLERANCE, `${model.name}: ${what}, all 2^${k} = ${1 << k} masks`,
           `max |diff| ${worst}`);
}

// One feature per token whose vocabulary word isFeature accepts ([CLS] excluded), in text order.
function featurePositions(ids, vocab, isFeature) {
    const features = [];
    const names = [];
    ids.forEach((id, pos) => {
        if (pos > 0 && isFeature(vocab[id])) {
            features.push([pos]);
            names.push(vocab[id]);
        }
    });
    return { features, names };
}

async function checkAfinnAdditive(model) {
    const afinnPath = join(ROOT, 'node_modules', '@stdlib', 'datasets-afinn-111', 'data', 'words.json');
    const afinn = new Map(readJson(afinnPath));
    const s = demoSample(model);
    const { features, names } = featurePositions(s.input_ids, model.vocab, (w) => afinn.has(w));
    const hideByAttention = (row, p) => { row.att[p] = 0; };
    const sum = (kept) => kept.reduce((acc, f) => acc + afinn.get(names[f]), 0);
    await bruteForce(model, `additive in [${names}] (attention masking)`, s.input_ids, features,
                     hideByAttention, sum);
}

function plantedFormula(known, names) {
    return (kept) => {
        const present = new Set(kept.map((f) => names[f]));
        let value = known.bias;
        for (const [w, a] of Object.entries(known.main_effects)) if (present.has(w)) value += a;
        for (const t of known.and_terms) if (t.words.every((w) => present.has(w))) value += t.coef;
        return value;
    };
}

async function checkPlantedBruteForce(model) {
    const known = model.manifest.known_answer;
    const planted = new Set([...Object.keys(known.main_effects), ...known.and_terms.flatMap((t) => t.words)]);
    const s = demoSample(model);
    const { features, names } = featurePositions(s.input_ids, model.vocab, (w) => planted.has(w));
    const duplicated = names.filter((w, i) => names.indexOf(w) !== i);
    report(duplicated.length === 0, `${model.name}: each planted word occurs once in the demo text`,
           duplicated.join(', '));
    const hideByMaskToken = (row, p) => { row.ids[p] = MASK_ID; };
    await bruteForce(model, `planted terms in [${names}] ([MASK] masking)`, s.input_ids, features,
                     hideByMaskToken, plantedFormula(known, names));
    // Attention 0 must hide a word too (the definition ignores unattended positions), so padding
    // in a batch can never add a planted word.
    const hideByAttention = (row, p) => { row.att[p] = 0; };
    await bruteForce(model, `planted terms in [${names}] (attention masking)`, s.input_ids, features,
                     hideByAttention, plantedFormula(known, names));
}

async function main() {
    const afinn = await loadModel('afinn-lexicon');
    const planted = await loadModel('planted-and');
    for (const model of [afinn, planted]) {
        checkHashes(model);
        await checkSamplesOneByOne(model);
        await checkSamplesBatched(model);
    }
    await checkAfinnAdditive(afinn);
    await checkPlantedBruteForce(planted);
    console.log(`check_known_answer: ${passed} passed, ${failed} failed`);
    if (failed > 0) process.exitCode = 1;
}

main().catch((err) => {
    console.error(`check_known_answer: ${err.stack || err}`);
    process.exitCode = 1;
});
