// Encodes texts with the official JavaScript port of Hugging Face tokenizers (npm
// @huggingface/tokenizers, the tokenizer transformers.js runs), so a model trained on its ids sees
// exactly what it will see at inference. scripts/model/train_bert.py calls it; it never encodes
// text itself.
//
//   node scripts/model/hf_encode.mjs MODEL_DIR [--max-length N] < texts.jsonl > encoded.jsonl
//   node scripts/model/hf_encode.mjs MODEL_DIR --pretokenize < texts.jsonl > words.jsonl
//
// MODEL_DIR holds tokenizer.json and tokenizer_config.json. Input: one JSON string per line.
// Output, one JSON object per line:
//   default        {"ids": [...], "words": [...], "word_split": "whitespace" | "subword"}
//                  ids as Tokenizer.encode gives them ([CLS] ... [SEP], special tokens added);
//                  words[i] = the whitespace-delimited word token i belongs to (-1 for special
//                  tokens), the unit spexlens hides (docs/text-pipeline.md: a word is a
//                  whitespace-delimited word, punctuation stays with it). See wordsOf below.
//                  --max-length N truncates as transformers' truncation=True, max_length=N does
//                  for one sequence: the first N - 2 tokens between [CLS] and [SEP].
//   --pretokenize  {"pieces": [...]}: the text after the tokenizer's normalizer and
//                  pre-tokenizer (for training the WordPiece vocabulary).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from '@huggingface/tokenizers';

export function loadTokenizer(dir) {
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
  return new Tokenizer(json, config);
}

// Unicode White_Space, the separator of spexlens' words.
const WHITESPACE = /\p{White_Space}+/u;

// words[i] for the ids of encode(text). Each whitespace-delimited piece of the text is encoded on
// its own (no special tokens); if those encodings, concatenated, are exactly the tokens between
// [CLS] and [SEP] of the whole text, token i belongs to the piece it came from. BERT's
// normalizer works per character and its pre-tokenizer splits at whitespace, so this holds for
// practically every text; where it does not (whitespace the normalizer and JavaScript's
// White_Space disagree on), tokens are grouped by the "##" continuation prefix instead: a word
// is a pre-tokenized word (so "free!" is two words there).
export function wordsOf(tokenizer, text, ids) {
  const inner = ids.slice(1, -1);
  const words = [-1];
  let pos = 0;
  let word = 0;
  let whitespace = true;
  for (const piece of text.split(WHITESPACE)) {
    if (!piece) continue;
    const pieceIds = tokenizer.encode(piece, { add_special_tokens: false }).ids;
    if (pieceIds.length === 0) continue;  // only characters the normalizer drops
    for (const id of pieceIds) {
      if (inner[pos] !== id) whitespace = false;
      words.push(word);
      pos++;
    }
    if (!whitespace) break;
    word++;
  }
  if (whitespace && pos === inner.length) {
    words.push(-1);
    return { words, split: 'whitespace' };
  }
  const tokens = ids.map((id) => tokenizer.id_to_token(id));
  const fallback = [-1];
  word = -1;
  for (let i = 1; i < ids.length - 1; i++) {
    if (!tokens[i].startsWith('##')) word++;
    fallback.push(word);
  }
  fallback.push(-1);
  return { words: fallback, split: 'subword' };
}

// transformers' truncation=True, max_length=N for a single sequence: [CLS] + the first N - 2
// tokens + [SEP].
export function truncate(ids, maxLength) {
  if (!maxLength || ids.length <= maxLength) return ids;
  return [...ids.slice(0, maxLength - 1), ids[ids.length - 1]];
}

export function encodeWithWords(tokenizer, text, maxLength) {
  const full = tokenizer.encode(text).ids;
  const { words, split } = wordsOf(tokenizer, text, full);
  const ids = truncate(full, maxLength);
  const kept = ids.length === full.length ? words : [...words.slice(0, ids.length - 1), -1];
  return { ids, words: kept, word_split: split };
}

async function main() {
  const args = process.argv.slice(2);
  const dir = args[0];
  if (!dir || dir.startsWith('--')) {
    console.error('usage: node scripts/model/hf_encode.mjs MODEL_DIR [--max-length N | --pretokenize] < texts.jsonl');
    process.exit(2);
  }
  const pretokenize = args.includes('--pretokenize');
  const maxLength = args.includes('--max-length') ? Number(args[args.indexOf('--max-length') + 1]) : 0;
  const tokenizer = loadTokenizer(dir);
  const out = [];
  const flush = () => { process.stdout.write(out.join('')); out.length = 0; };
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line) continue;
    const text = JSON.parse(line);
    if (pretokenize) {
      const normalized = tokenizer.normalizer ? tokenizer.normalizer(text) : text;
      const pieces = tokenizer.pre_tokenizer ? tokenizer.pre_tokenizer(normalized) : [normalized];
      out.push(JSON.stringify({ pieces }) + '\n');
    } else {
      out.push(JSON.stringify(encodeWithWords(tokenizer, text, maxLength)) + '\n');
    }
    if (out.length >= 256) flush();
  }
  flush();
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await main();
