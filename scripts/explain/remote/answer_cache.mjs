// answer_cache: every answer of a remote model, on disk, so an interrupted run resumes without
// repeating a call. The cache folder holds one folder per model key (endpoint, protocol, served
// model and version, prompt and answers or labels), and in it one append-only JSONL file per
// text, one line {"k": sha256(masked text), "v": [outputs]} per answer, written the moment it
// arrives. Only the file of a text being explained is in memory, so a run over many texts
// needs no more memory than its largest text. A torn last line (a run killed mid-write) is
// skipped on reading, and its call made again.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Hex SHA-256 of a string (cache names and keys; the result's prompt_sha256).
export const sha256 = (s) => createHash('sha256').update(s).digest('hex');

// The answers of one text.
export class TextAnswers {
  // file: the text's JSONL file, or null for no cache (answers kept in memory for this run).
  constructor(file) {
    this.file = file;
    this.answers = new Map();
    if (!file || !existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const { k, v } = JSON.parse(line);
        if (typeof k === 'string' && Array.isArray(v) && v.every(Number.isFinite)) this.answers.set(k, v);
      } catch {
        // a line cut by a killed run: its call is made again
      }
    }
  }

  static key(maskedText) {
    return sha256(maskedText);
  }

  get(key) {
    return this.answers.get(key);
  }

  set(key, values) {
    this.answers.set(key, values);
    if (this.file) appendFileSync(this.file, `${JSON.stringify({ k: key, v: values })}\n`);
  }
}

export class AnswerCache {
  // dir: the cache folder (created), or null for no cache; modelKey: what identifies the model's
  // answers.
  constructor(dir, modelKey) {
    this.dir = dir ? path.join(dir, sha256(modelKey).slice(0, 32)) : null;
    if (this.dir) mkdirSync(this.dir, { recursive: true });
  }

  // The answers of `text` (its file is read now).
  forText(text) {
    return new TextAnswers(this.dir ? path.join(this.dir, `${sha256(text).slice(0, 32)}.jsonl`) : null);
  }
}
