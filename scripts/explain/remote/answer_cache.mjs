// answer_cache: every answer of a remote model, on disk, keyed by (model, text, masked text), so
// an interrupted run resumes without repeating a call. One append-only JSONL file per model key
// in the cache folder; a line is written (and flushed) as soon as its answer arrives, and a
// torn last line (a run killed mid-write) is skipped on reading.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

export class AnswerCache {
  // dir: the cache folder (created), or null for no cache; modelKey: what identifies the model's
  // answers (endpoint, protocol, server model name and version, prompt, answers).
  constructor(dir, modelKey) {
    this.answers = new Map();
    this.hits = 0;
    this.file = null;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, `${sha256(modelKey).slice(0, 32)}.jsonl`);
    if (!existsSync(this.file)) return;
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const { k, v } = JSON.parse(line);
        if (typeof k === 'string' && Array.isArray(v) && v.every(Number.isFinite)) this.answers.set(k, v);
      } catch {
        // a line cut by a killed run: its call is made again
      }
    }
  }

  static key(text, maskedText) {
    return sha256(`${text}\u0000${maskedText}`);
  }

  get(key) {
    const v = this.answers.get(key);
    if (v) this.hits++;
    return v;
  }

  set(key, values) {
    this.answers.set(key, values);
    if (this.file) appendFileSync(this.file, `${JSON.stringify({ k: key, v: values })}\n`);
  }
}
