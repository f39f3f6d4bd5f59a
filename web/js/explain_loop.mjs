// explain_loop: drives one text explanation — the C++ explainer hands out masked model inputs,
// ONNX Runtime evaluates them, the logits go back — the same loop for the Node command-line
// explainer and the page's worker. Decisions (masking, targets, solving) live in C++.

// Tensors for one batch, by the role each manifest input plays.
function makeFeeds(ort, model, batch) {
  const feeds = {};
  const dims = [batch.rows, batch.seqLength];
  for (const input of model.inputs) {
    if (input.role === 'token_ids' || input.role === 'attention_mask') {
      const values = input.role === 'token_ids' ? batch.inputIds : batch.attentionMask;
      const data = input.type === 'int64' ? BigInt64Array.from(values, BigInt) : values;
      feeds[input.name] = new ort.Tensor(input.type, data, dims);
    } else {
      // Component masks: all ones (nothing ablated) for word explanations.
      const size = input.shape.reduce((a, b) => a * b, 1);
      feeds[input.name] = new ort.Tensor('float32', new Float32Array(size).fill(1), input.shape);
    }
  }
  return feeds;
}

// Runs the model on one batch; returns its logits as a Float32Array [rows * classes].
async function runBatch(ort, model, batch) {
  const outputs = await model.session.run(makeFeeds(ort, model, batch));
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

// Explains `text`; resolves to the result JSON (docs/result-schema.md).
// options: the explain options object (docs/text-explainer.md).
// onProgress({done, total, info}) after each batch; isCancelled() is polled between batches.
export async function explainText({ core, ort, model, text, options = {}, batchSize = 512, onProgress, isCancelled }) {
  const explainer = core.createExplainer(text, model.manifestText, model.vocabText, JSON.stringify(options));
  try {
    const info = JSON.parse(explainer.info());
    const total = explainer.totalQueries();
    onProgress?.({ done: 0, total, info });
    for (let batch = explainer.nextBatch(batchSize); batch.rows > 0; batch = explainer.nextBatch(batchSize)) {
      if (isCancelled?.()) throw new Cancelled();
      const logits = await runBatch(ort, model, batch);
      explainer.submitLogits(batch.first, logits, batch.rows, model.classes);
      onProgress?.({ done: explainer.queriesDone(), total, info });
    }
    return JSON.parse(explainer.finish());
  } finally {
    explainer.delete();
  }
}
