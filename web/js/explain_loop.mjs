// explain_loop: drives one text explanation — the C++ explainer hands out masked model inputs,
// ONNX Runtime evaluates them, the logits go back — the same loop for the Node command-line
// explainer and the page's worker. Decisions (masking, targets, solving) live in C++.

// The batch's tensor for each component role (present only in component runs); what a run
// leaves out is fed as ones (masks: nothing ablated) or zeros (offsets).
const COMPONENT_TENSORS = {
  head_mask: ['headMask', 1], mlp_mask: ['mlpMask', 1], head_offset: ['headOffset', 0], mlp_offset: ['mlpOffset', 0],
};

// The batch's field for each [batch, sequence] role.
const SEQUENCE_TENSORS = {
  token_ids: 'inputIds', attention_mask: 'attentionMask', token_type_ids: 'tokenTypeIds', position_ids: 'positionIds',
};

// Tensors for one batch, by the role each manifest input plays.
export function makeFeeds(ort, model, batch) {
  const feeds = {};
  const dims = [batch.rows, batch.seqLength];
  for (const input of model.inputs) {
    if (input.role in SEQUENCE_TENSORS) {
      const values = batch[SEQUENCE_TENSORS[input.role]];
      if (!values) throw new Error(`${input.name}: the explainer gave no ${input.role} for this batch`);
      const data = input.type === 'int64' ? BigInt64Array.from(values, BigInt) : values;
      feeds[input.name] = new ort.Tensor(input.type, data, dims);
    } else {
      // A component input: its batch axis (a dynamic first axis) takes the batch's rows.
      const shape = input.shape.map((d) => (d === -1 || typeof d === 'string' ? batch.rows : d));
      const [field, fill] = COMPONENT_TENSORS[input.role];
      const size = shape.reduce((a, b) => a * b, 1);
      const data = batch[field] ?? new Float32Array(size).fill(fill);
      if (data.length !== size) throw new Error(`${input.name}: ${data.length} values for shape [${shape}]`);
      feeds[input.name] = new ort.Tensor('float32', data, shape);
    }
  }
  return feeds;
}

// Runs the model on one batch's tensors; returns its logits as a Float32Array [rows * classes].
export async function runFeeds(model, feeds) {
  const outputs = await model.session.run(feeds);
  const logits = outputs[model.outputName];
  if (!logits || logits.type !== 'float32') {
    throw new Error(`the model's output "${model.outputName}" is missing or not float32`);
  }
  return logits.data;
}

export class Cancelled extends Error {
  constructor() {
    super('the explanation was cancelled');
  }
}

// Feeds one explainer until every query is answered. options: onProgress({done, total, info})
// after each batch; isCancelled() polled between batches; pause() awaited between batches (the
// page's worker yields to its message queue there, so a Cancel is seen; it may return null
// to go on without waiting); onBatch(batch, feeds, ms) sees every batch with the time ONNX
// Runtime took (the benchmark replays them).
// Early results (explain options early_results / target_r2; the core decides when one is due):
// onSnapshot(result) receives each; isStopped() polled between batches ends the run with the
// latest one (a Stop that keeps what is there; with none yet it cancels); a snapshot whose
// cross-validated R² reached target_r2 ends the run and is the result.
export async function runExplainer({ explainer, ort, model, batchSize = 512, onProgress, isCancelled, isStopped,
  pause, onBatch, onSnapshot }) {
  const info = JSON.parse(explainer.info());
  const total = explainer.totalQueries();
  let latest = null;
  onProgress?.({ done: 0, total, info });
  for (let batch = explainer.nextBatch(batchSize); batch.rows > 0; batch = explainer.nextBatch(batchSize)) {
    const paused = pause?.();
    if (paused) await paused;
    if (isCancelled?.()) throw new Cancelled();
    if (isStopped?.()) {
      if (latest) return latest;
      throw new Cancelled();
    }
    const feeds = makeFeeds(ort, model, batch);
    const started = performance.now();
    const logits = await runFeeds(model, feeds).catch((e) => { throw new Error(explainer.describeRuntimeError(e.message)); });
    onBatch?.(batch, feeds, performance.now() - started);
    explainer.submitLogits(batch.first, logits, batch.rows, model.classes);
    onProgress?.({ done: explainer.queriesDone(), total, info });
    if (explainer.snapshotDue()) {
      latest = JSON.parse(explainer.snapshot());
      onSnapshot?.(latest);
      if (explainer.targetReached()) return latest;
    }
  }
  return JSON.parse(explainer.finish());
}

// Explains `text`; resolves to the result JSON (docs/result-schema.md).
// options: the explain options object (docs/text-explainer.md); the rest as runExplainer.
export async function explainText({ core, ort, model, text, options = {}, ...loop }) {
  const explainer = core.createExplainer(text, model.manifestText, model.vocabText, JSON.stringify(options));
  try {
    return await runExplainer({ explainer, ort, model, ...loop });
  } finally {
    explainer.delete();
  }
}

// What-if: the measured output (the explainer's target) at one user mask, a string of '1'
// (kept) and '0' (masked) per feature. One fresh model call.
export async function outputAtMask({ explainer, ort, model, keepBits }) {
  const batch = explainer.maskedInput(keepBits);
  const logits = await runFeeds(model, makeFeeds(ort, model, batch))
    .catch((e) => { throw new Error(explainer.describeRuntimeError(e.message)); });
  return explainer.targetValue(logits);
}
