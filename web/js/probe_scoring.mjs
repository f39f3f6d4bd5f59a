// probe_scoring: runs a model on a probe suite's texts and returns the scores document the core's
// probe functions read (core.probeReport, probeCsv, probeHtml; docs/probe-suites.md). Each text
// goes to the model exactly as an explanation's reference query does (the C++ explainer's model
// inputs with every word kept) and its score is the explainer's target value, so a probe's score
// is the "every word present" output of an explanation of the same text. Rows of equal length
// are batched together. Shared by the command-line runner (scripts/probe/main.mjs) and the page.
import { Cancelled, makeFeeds, runFeeds } from './explain_loop.mjs';

// Concatenates one-row batches of equal seqLength into one batch.
function mergeRows(batches) {
  const merged = { first: 0, rows: batches.length, seqLength: batches[0].seqLength };
  for (const field of ['inputIds', 'attentionMask', 'tokenTypeIds', 'positionIds']) {
    if (!batches[0][field]) continue;
    const out = new batches[0][field].constructor(batches.length * merged.seqLength);
    batches.forEach((b, r) => out.set(b[field], r * merged.seqLength));
    merged[field] = out;
  }
  return merged;
}

const shown = (text) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

// texts: the suite's distinct texts (core.probeExpand(...).texts); target: the suite's target
// ("CLASS[:MEASURE]", '' for the model's default). Resolves to {labels, target, model_sha256,
// scores: [{text, score, logits}]}; onProgress({done, total}) after each batch. In the page's
// worker, pause() is awaited after each batch (so a Cancel message is seen) and isStopped()
// polled: true rejects with explain_loop's Cancelled.
export async function scoreTexts({ core, ort, model, texts, target = '', batchSize = 64, onProgress, pause, isStopped }) {
  const options = JSON.stringify(target ? { target } : {});
  const scores = [];
  let resolvedTarget = target;
  for (let start = 0; start < texts.length; start += batchSize) {
    const items = [];
    try {
      for (const text of texts.slice(start, start + batchSize)) {
        let explainer;
        try {
          explainer = core.createExplainer(text, model.manifestText, model.vocabText, options);
        } catch (e) {
          throw new Error(`the text ${shown(text)} cannot be scored: ${e.message}`);
        }
        const item = { text, explainer };
        items.push(item);
        const info = JSON.parse(explainer.info());
        resolvedTarget = info.target;
        item.batch = explainer.maskedInput('1'.repeat(info.n));
      }
      const groups = new Map();
      for (const item of items) {
        if (!groups.has(item.batch.seqLength)) groups.set(item.batch.seqLength, []);
        groups.get(item.batch.seqLength).push(item);
      }
      for (const group of groups.values()) {
        const feeds = makeFeeds(ort, model, mergeRows(group.map((item) => item.batch)));
        const logits = await runFeeds(model, feeds)
          .catch((e) => { throw new Error(group[0].explainer.describeRuntimeError(e.message)); });
        group.forEach((item, r) => {
          const row = logits.subarray(r * model.classes, (r + 1) * model.classes);
          let score;
          try {
            score = item.explainer.targetValue(row);
          } catch (e) {
            throw new Error(`the text ${shown(item.text)}: ${e.message}`);
          }
          if (!Number.isFinite(score)) {
            throw new Error(`the model's output for the text ${shown(item.text)} is not a finite number (${score})`);
          }
          scores.push({ text: item.text, score, logits: Array.from(row) });
        });
      }
    } finally {
      for (const item of items) item.explainer.delete();
    }
    onProgress?.({ done: Math.min(start + batchSize, texts.length), total: texts.length });
    const paused = pause?.();
    if (paused) await paused;
    if (isStopped?.()) throw new Cancelled();
  }
  return { labels: model.labels, target: resolvedTarget, model_sha256: model.sha256, scores };
}
