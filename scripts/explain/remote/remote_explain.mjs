// remote_explain: explains texts with a model behind an inference server. The C++ explainer
// (core.createServerExplainer) hands out masked texts; answers come from the cache or from the
// backend, through a window of requests shared by every text in flight so the server stays
// busy; rows go back to the explainer in order. docs/remote-inference.md.
import { TextAnswers } from './answer_cache.mjs';
import { HalveBatch } from './transport.mjs';

// At most `size` tasks at once, shared by every text being explained.
export class Limiter {
  constructor(size) {
    this.size = size;
    this.active = 0;
    this.waiting = [];
  }

  async run(task) {
    if (this.active >= this.size) await new Promise((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

// Counts for the progress line and the result's provenance.
export class RemoteStats {
  constructor() {
    this.sent = 0;
    this.cached = 0;
    this.total = 0;
    this.done = 0;
    this.started = Date.now();
  }

  line() {
    const secs = (Date.now() - this.started) / 1000;
    const rate = this.sent / Math.max(secs, 1e-3);
    const left = this.total - this.done;
    const eta = rate > 0 ? Math.round(left / rate) : null;
    return `${this.done}/${this.total} calls (${this.cached} from the cache), ${rate.toFixed(1)} calls/s` +
      `${eta === null || left <= 0 ? '' : `, about ${eta} s left`}`;
  }
}

// Scores `texts` (one row each) in requests of at most backend.maxRows texts through the
// limiter; a 413 halves the request size for the rest of the run. store(text, row) sees each
// answer as soon as its request is done, so a later failure loses none.
async function scoreRequests(backend, limiter, texts, counters, store) {
  const rows = new Array(texts.length);
  const tasks = [];
  for (let start = 0; start < texts.length; start += backend.maxRows) {
    const slice = texts.slice(start, start + backend.maxRows);
    const at = start;
    const send = async (part, offset) => {
      try {
        const out = await limiter.run(() => backend.score(part));
        out.forEach((row, i) => {
          rows[offset + i] = row;
          store(part[i], row);
        });
        for (const c of counters) c.sent += part.length;
      } catch (e) {
        if (!(e instanceof HalveBatch) || part.length < 2) throw e;
        const half = Math.ceil(part.length / 2);
        backend.maxRows = Math.max(1, Math.min(backend.maxRows, half));
        await Promise.all([send(part.slice(0, half), offset), send(part.slice(half), offset + half)]);
      }
    };
    tasks.push(send(slice, at));
  }
  await Promise.all(tasks);
  return rows;
}

// One batch's rows: cached answers first, the rest from the server (each stored as it arrives).
async function batchRows({ backend, limiter, answers, texts, counters }) {
  const keys = texts.map((t) => TextAnswers.key(t));
  const rows = keys.map((k) => answers.get(k));
  const missing = [];
  rows.forEach((row, i) => { if (!row) missing.push(i); });
  for (const c of counters) c.cached += texts.length - missing.length;
  // Identical masked texts in one batch (two masks that differ only in empty features) go once.
  const unique = [...new Set(missing.map((i) => texts[i]))];
  const byText = new Map();
  await scoreRequests(backend, limiter, unique, counters, (masked, row) => {
    if (!Array.isArray(row) || row.length !== backend.labels.length || !row.every(Number.isFinite)) {
      throw new Error(`the server's answer for a masked text is not ${backend.labels.length} finite numbers`);
    }
    byText.set(masked, row);
    answers.set(TextAnswers.key(masked), row);
  });
  for (const i of missing) rows[i] = byText.get(texts[i]);
  return rows;
}

// Explains one text; resolves to the result JSON with a "remote" provenance block.
// pull: masked texts taken from the explainer at a time (enough to fill the window).
export async function explainRemote({ core, backend, limiter, cache, stats, text, options = {}, provenance, pull }) {
  const model = JSON.stringify({ name: backend.serverModel || backend.protocol, labels: backend.labels });
  const explainer = core.createServerExplainer(text, model, JSON.stringify(options));
  try {
    stats.total += explainer.totalQueries();
    const mine = { sent: 0, cached: 0 };
    const answers = cache.forText(text);
    let result = null;
    for (let batch = explainer.nextBatch(pull); batch.rows > 0; batch = explainer.nextBatch(pull)) {
      const rows = await batchRows({ backend, limiter, answers, texts: batch.texts, counters: [stats, mine] });
      explainer.submitLogits(batch.first, Float32Array.from(rows.flat()), batch.rows, backend.labels.length);
      stats.done += batch.rows;
      if (explainer.snapshotDue()) {
        result = JSON.parse(explainer.snapshot());
        if (explainer.targetReached()) break;
        result = null;
      }
    }
    stats.total -= explainer.totalQueries() - explainer.queriesDone();
    result ??= JSON.parse(explainer.finish());
    result.remote = { ...provenance, calls_sent: mine.sent, calls_from_cache: mine.cached };
    return result;
  } finally {
    explainer.delete();
  }
}
