// Dropped tokens (src/text/model_batch.h): on a model that takes position_ids, a masked word's
// tokens are left out of the row and every kept token keeps its position. The shipped spam model
// must give the same output that way as with the masked tokens fed at attention 0 (|Δ| <= 1e-5)
// on many random masks of texts of different lengths, in the same runtime; the rows must really
// be shorter; and a whole explanation must come out the same either way.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { loadCore, loadModelDir, loadRuntime } from '../../scripts/explain/node_env.mjs';
import { makeFeeds, runFeeds } from '../../web/js/explain_loop.mjs';
import { ROOT, check, explain, explained, run, stable, test } from './harness.mjs';

const SPAM = path.join(ROOT, 'models/spam-transformer');
const TOLERANCE = 1e-5;
const catalog = JSON.parse(readFileSync(path.join(ROOT, 'web/catalog.json'), 'utf8'));
const SAMPLE = catalog.models.find((m) => m.key === 'spam-transformer').samples[0].text;
const TEXTS = [
  SAMPLE,
  'Subject: lunch? are you free on thursday',
  'URGENT!!! You have been selected to receive a $1,000,000 prize. Click http://win.example.com ' +
    'now, reply with your bank details and password, limited time offer, act today, free free free. '.repeat(3),
];

const core = await loadCore();
const { ort, sessionOptions } = await loadRuntime('node', 1);
const model = await loadModelDir({ core, ort, sessionOptions, dir: SPAM });

// A seeded generator, so a failure names masks that can be replayed.
function* bits(seed) {
  let x = seed >>> 0;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x & 1;
  }
}

async function outputs(text, options, masks) {
  const explainer = core.createExplainer(text, model.manifestText, model.vocabText, JSON.stringify(options));
  try {
    const values = [];
    const lengths = [];
    for (const keep of masks) {
      const batch = explainer.maskedInput(keep);
      lengths.push(batch.seqLength);
      values.push(explainer.targetValue(await runFeeds(model, makeFeeds(ort, model, batch))));
    }
    return { values, lengths };
  } finally {
    explainer.delete();
  }
}

test('the model declares position_ids, so masked tokens are dropped by default', () => {
  const manifest = JSON.parse(model.manifestText);
  check(manifest.inputs.some((i) => i.role === 'position_ids'), 'models/spam-transformer has no position_ids input');
});

test('dropped tokens give the attention-0 output on 600 random masks (|Δ| <= 1e-5) on fewer tokens', async () => {
  let worst = 0;
  let shorter = 0;
  let total = 0;
  for (const [t, text] of TEXTS.entries()) {
    const probe = core.createExplainer(text, model.manifestText, model.vocabText, '{}');
    const n = JSON.parse(probe.info()).n;
    probe.delete();
    const source = bits(1000 + t);
    const masks = ['1'.repeat(n), '0'.repeat(n)];
    while (masks.length < 200) masks.push(Array.from({ length: n }, () => source.next().value).join(''));
    const dropped = await outputs(text, {}, masks);
    const full = await outputs(text, { drop_masked_tokens: false }, masks);
    masks.forEach((keep, r) => {
      const delta = Math.abs(dropped.values[r] - full.values[r]);
      check(Number.isFinite(dropped.values[r]), `text ${t} mask ${keep}: not finite`);
      if (delta > worst) worst = delta;
      check(delta <= TOLERANCE, `text ${t} mask ${keep}: ${dropped.values[r]} dropped, ${full.values[r]} at attention 0`);
      check(dropped.lengths[r] <= full.lengths[r], `text ${t} mask ${keep}: a longer row when dropping`);
      if (dropped.lengths[r] < full.lengths[r]) shorter++;
      total++;
    });
    check(dropped.lengths[0] === full.lengths[0], `text ${t}: the unmasked row must keep every token`);
  }
  check(shorter >= total - 2 * TEXTS.length - 2, `only ${shorter} of ${total} rows were shorter`);
  console.log(`    ${total} masks, max |Δ| ${worst.toExponential(2)}, ${shorter} rows shorter`);
});

test('a whole explanation is the same with the tokens dropped or fed at attention 0', () => {
  const args = ['--model', SPAM, '--text', SAMPLE, '--budget', '800', '--holdout', '200', '--seed', '5'];
  const dropped = explained(explain(args), 'dropped');
  const kept = explained(explain([...args, '--keep-masked-tokens']), 'attention 0');
  check(dropped.model.dropped_masked_tokens === true, 'the result should say the tokens were dropped');
  check(kept.model.dropped_masked_tokens === false, 'the result should say the tokens were kept');
  // The model's outputs agree to ~1e-6, so every reported number does too (not bit for bit).
  const numbers = (j) => JSON.stringify({ ...j, timing_ms: undefined, model: undefined }).match(/-?\d+\.\d+(e-?\d+)?/g);
  const a = numbers(dropped);
  const b = numbers(kept);
  check(a.length === b.length, `${a.length} numbers against ${b.length}`);
  let worst = 0;
  a.forEach((x, i) => {
    worst = Math.max(worst, Math.abs(Number(x) - Number(b[i])) / Math.max(1, Math.abs(Number(b[i]))));
  });
  check(worst <= 1e-3, `numbers differ by up to ${worst}`);
  check(stable({ ...dropped, model: undefined }).length > 0, 'empty result');
});

await run();
