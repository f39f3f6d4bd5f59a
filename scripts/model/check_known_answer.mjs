// Checks the three known-answer models (written by scripts/model/make_known_answer_models.py)
// with onnxruntime-node, so the graphs are tested against their definitions, not against
// themselves:
//   - model.onnx has the sha256 its manifest and reference.json name;
//   - every reference sample's logits (computed in numpy from the definition) match to 1e-5,
//     run one by one and again as one padded batch (dynamic batch axis, padding ignored);
//   - afinn-lexicon: over all 2^k attention masks of the AFINN words in the demo text, the
//     log-odds equals the sum of the kept words' scores read straight from the AFINN-111 data;
//   - planted-and: over all 2^k [MASK] replacements of the planted words in the demo text, the
//     log-odds equals bias + main effects + AND-terms from the manifest's known_answer (and the
//     same with attention 0 instead, which the definition also treats as absent);
//   - planted-components: its reference samples (one by one and as one batch, one ablation per
//     row); the graph against the definition in reference.json on random 0/1 masks under zero and
//     mean ablation (offsets from the manifest's component_means) and on random real-valued
//     masks and offsets; and every `truth` table (Moebius coefficients per player set and
//     ablation) against the graph, over all player masks or 1000 random ones.
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

// ---------------------------------------------------------------------------------------------
// planted-components
// ---------------------------------------------------------------------------------------------
function mulberry32(seed) {  // small seeded PRNG: the random masks are the same on every run
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

// Component layout from the manifest's input shapes: [batch, L, H], [batch, L, H, D], [batch, L, F].
function componentLayout(model) {
    const shape = (role) => model.manifest.inputs.find((i) => i.role === role).shape;
    const [, L, H, D] = shape('head_offset');
    const F = shape('mlp_mask')[2];
    return { L, H, D, F };
}

// One row of component inputs (flat arrays, 1 = kept) for 0/1 masks under `ablation`.
function ablationRow(model, headMask, mlpMask, ablation) {
    const { D } = componentLayout(model);
    const means = model.manifest.component_means;
    const mean = ablation === 'mean';
    return {
        hm: headMask, mm: mlpMask,
        ho: means.head.flat(2).map((m, i) => (mean ? (1 - headMask[Math.floor(i / D)]) * m : 0)),
        mo: means.mlp.flat().map((m, i) => (mean ? (1 - mlpMask[i]) * m : 0)),
    };
}

// Runs component rows (with the demo sample's ids) as one batch; returns the log-odds per row.
async function runComponents(model, rows, ids = model.reference.samples[0].input_ids) {
    const { L, H, D, F } = componentLayout(model);
    const b = rows.length;
    const f32 = (key, dims) => new ort.Tensor('float32', Float32Array.from(rows.flatMap((r) => r[key])), [b, ...dims]);
    const int = (row) => new ort.Tensor('int64', BigInt64Array.from(Array(b).fill(row).flat(), BigInt), [b, ids.length]);
    const out = await model.session.run({
        input_ids: int(ids), attention_mask: int(ids.map(() => 1)),
        head_mask: f32('hm', [L, H]), mlp_mask: f32('mm', [L, F]),
        head_offset: f32('ho', [L, H, D]), mlp_offset: f32('mo', [L, F]),
    });
    return rows.map((_, r) => out.logits.data[2 * r + 1] - out.logits.data[2 * r]);
}

// The definition (reference.json "definition"), in float64, straight from the formula.
function definitionValue(def, { L, H, D, F }, row) {
    const z = new Map();
    for (let l = 0; l < L; l++) {
        for (let h = 0; h < H; h++) {
            let v = 0;
            for (let d = 0; d < D; d++) {
                v += def.head_readout[d] * (row.hm[l * H + h] * def.head_value[d] + row.ho[(l * H + h) * D + d]);
            }
            z.set(`L${l}.H${h}`, v);
        }
        for (let i = 0; i < F; i++) z.set(`L${l}.mlp[${i}]`, row.mm[l * F + i] * def.mlp_value + row.mo[l * F + i]);
    }
    return def.terms.reduce((acc, t) => acc + t.coef * t.components.reduce((p, c) => p * z.get(c), 1), def.bias);
}

async function checkComponentSamples(model) {
    const { L, H, F } = componentLayout(model);
    const samples = model.reference.samples;
    const rowsFor = (list) => list.map((s) => ablationRow(model, s.head_mask.flat(), s.mlp_mask.flat(), s.ablation));
    let worst = 0;
    for (const s of samples) {
        const [got] = await runComponents(model, rowsFor([s]), s.input_ids);
        worst = Math.max(worst, Math.abs(got - (s.logits[1] - s.logits[0])));
    }
    report(worst <= TOLERANCE, `${model.name}: ${samples.length} reference samples one by one`, `max |diff| ${worst}`);
    const demo = samples.filter((s) => s.text === model.manifest.sample_text);
    const got = await runComponents(model, rowsFor(demo), demo[0].input_ids);
    const d = Math.max(...demo.map((s, r) => Math.abs(got[r] - (s.logits[1] - s.logits[0]))));
    report(d <= TOLERANCE && L * H > 0 && F > 0, `${model.name}: ${demo.length} demo samples as one batch`, `max |diff| ${d}`);
}

async function checkComponentDefinition(model) {
    const layout = componentLayout(model);
    const { L, H, F } = layout;
    const def = model.reference.definition;
    const rand = mulberry32(20240);
    for (const ablation of ['zero', 'mean']) {
        const rows = Array.from({ length: 2000 }, () => {
            const keep = rand();  // a different keep rate per row: sparse and dense masks
            const bits = (n) => Array.from({ length: n }, () => (rand() < keep ? 1 : 0));
            return ablationRow(model, bits(L * H), bits(L * F), ablation);
        });
        const got = await runComponents(model, rows);
        const worst = Math.max(...rows.map((r, i) => Math.abs(got[i] - definitionValue(def, layout, r))));
        report(worst <= TOLERANCE, `${model.name}: definition, ${rows.length} random 0/1 masks, ${ablation} ablation`,
               `max |diff| ${worst}`);
    }
    // Any real mask and offset: the contract's z = mask * value + offset, per coordinate.
    const real = (n) => Array.from({ length: n }, () => 4 * rand() - 2);
    const rows = Array.from({ length: 500 }, () => ({ hm: real(L * H), mm: real(L * F),
                                                      ho: real(L * H * layout.D), mo: real(L * F) }));
    const got = await runComponents(model, rows);
    const worst = Math.max(...rows.map((r, i) => {
        const want = definitionValue(def, layout, r);
        return Math.abs(got[i] - want) / (1 + Math.abs(want));
    }));
    report(worst <= 1e-5, `${model.name}: definition, ${rows.length} random real masks and offsets`,
           `max relative |diff| ${worst.toExponential(2)}`);
}

// Each truth table against the graph: player masks expanded to component masks (a group's
// neurons share its bit; components outside the player set stay kept).
async function checkComponentTruth(model) {
    const { L, H, F } = componentLayout(model);
    const rand = mulberry32(7);
    for (const truth of model.reference.truth) {
        const names = truth.player_names;
        const n = names.length;
        const members = names.map((name) => {
            const m = /^L(\d+)\.(?:H(\d+)|mlp\[(\d+)(?::(\d+))?\])$/.exec(name);
            if (!m) throw new Error(`bad player name ${name}`);
            const l = Number(m[1]);
            if (m[2] !== undefined) return { heads: [l * H + Number(m[2])], mlp: [] };
            const first = Number(m[3]);
            const end = m[4] === undefined ? first + 1 : Number(m[4]);
            return { heads: [], mlp: Array.from({ length: end - first }, (_, i) => l * F + first + i) };
        });
        const masks = n <= 10 ? Array.from({ length: 1 << n }, (_, bits) => names.map((_, p) => (bits >> p) & 1))
                              : Array.from({ length: 1000 }, () => names.map(() => (rand() < 0.5 ? 1 : 0)));
        const rows = masks.map((x) => {
            const hm = Array(L * H).fill(1);
            const mm = Array(L * F).fill(1);
            members.forEach((m, p) => { m.heads.forEach((i) => { hm[i] = x[p]; }); m.mlp.forEach((i) => { mm[i] = x[p]; }); });
            return ablationRow(model, hm, mm, truth.ablation);
        });
        const got = await runComponents(model, rows);
        const index = new Map(names.map((name, p) => [name, p]));
        const worst = Math.max(...masks.map((x, r) => Math.abs(got[r] - truth.terms.reduce(
            (acc, t) => acc + (t.players.every((p) => x[index.get(p)] === 1) ? t.coef : 0), 0))));
        report(worst <= TOLERANCE, `${model.name}: truth ${truth.players} / ${truth.ablation}, ${truth.terms.length} terms, ` +
               `${masks.length === 1 << n ? `all 2^${n}` : masks.length + ' random'} player masks`, `max |diff| ${worst}`);
    }
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
    const components = await loadModel('planted-components');
    checkHashes(components);
    await checkComponentSamples(components);
    await checkComponentDefinition(components);
    await checkComponentTruth(components);
    console.log(`check_known_answer: ${passed} passed, ${failed} failed`);
    if (failed > 0) process.exitCode = 1;
}

main().catch((err) => {
    console.error(`check_known_answer: ${err.stack || err}`);
    process.exitCode = 1;
});
