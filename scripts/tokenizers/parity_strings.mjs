// parity_strings: a seeded generator of test strings for the tokenizer parity harness
// (tests/tokenizers/parity_test.mjs, scripts/tokenizers/parity.mjs). The same seed gives the
// same strings on every Node version and machine: the generator has its own PRNG (mulberry32,
// 32-bit integer arithmetic only) and never calls Math.random.
//
//   import { generateStrings } from './parity_strings.mjs';
//   const strings = generateStrings({ seed: 1, count: 10000, specials: ['<bos>', '[CLS]'] });
//
//   node scripts/tokenizers/parity_strings.mjs --seed 1 --count 20      # prints them, one JSON a line
//
// What the strings hold: the empty string; every hard case of tests/text/data/tokenizer_vectors.json
// (its `sanitized` text: the invalid-UTF-8 cases appear as their U+FFFD repairs) and pieces of
// them; single characters from every pool below; then random mixes of English/clinical words
// (with case changes and contractions), precomposed and combining accents, combining-mark stacks,
// emoji (ZWJ sequences, skin tones, flags, keycaps, tag sequences), CJK/Japanese/Korean, Arabic/
// Hebrew with bidi marks, Thai/Devanagari/Tamil, NFKC-sensitive characters (ligatures, fullwidth,
// circled, math letters), control and invisible characters, digit runs, punctuation runs,
// whitespace runs, very long words (1,000+ code points), lone surrogates already repaired to
// U+FFFD, literals that look like tokenizer internals (▁, Ġ, ##, <0x41>), and the literal texts of
// the special/added tokens passed in `specials`. Every string is valid Unicode (no lone
// surrogates), so it survives JSON and UTF-8 unchanged.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VECTORS_FILE = path.join(ROOT, 'tests', 'text', 'data', 'tokenizer_vectors.json');

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------
export function makeRng(seed) {
  let a = (Number(seed) >>> 0) ^ 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const rng = {
    u32: next,
    int: (n) => (n <= 1 ? 0 : next() % n), // 0 .. n-1 (n well below 2^32: the bias is negligible)
    range: (lo, hi) => lo + rng.int(hi - lo + 1), // lo .. hi inclusive
    chance: (p) => next() < p * 4294967296,
    pick: (list) => list[rng.int(list.length)],
  };
  for (let i = 0; i < 4; i++) next(); // let small seeds mix
  return rng;
}

// ---------------------------------------------------------------------------------------------
// Pools
// ---------------------------------------------------------------------------------------------
const cp = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => String.fromCodePoint(lo + i));

export const POOLS = {
  words: [
    'the', 'and', 'of', 'to', 'a', 'in', 'is', 'you', 'that', 'it', 'for', 'on', 'with', 'this',
    'free', 'money', 'click', 'here', 'offer', 'unsubscribe', 'winner', 'cash', 'credit', 'viagra',
    'remove', 'list', 'email', 'subject', 'dear', 'friend', 'guaranteed', 'limited', 'time', 'now',
    'patient', 'patients', 'diagnosis', 'hypertension', 'tachycardia', 'myocardial', 'infarction',
    'acetaminophen', 'ibuprofen', 'metformin', 'dose', 'dosage', 'mg', 'mL', 'mmHg', 'mg/dL', 'b.i.d.',
    'q.d.', 'p.r.n.', 'HbA1c', 'COVID-19', 'MRI', 'CT', 'ECG', 'x-ray', 'follow-up', 'post-op',
    'chronic', 'acute', 'bilateral', 'pneumonia', 'fracture', 'allergies', 'NKDA', 'BP', 'HR', 'SpO2',
    'hello', 'world', 'Hello', 'World', 'tokenizer', 'unbelievable', 'antidisestablishmentarianism',
    'www.example.com', 'http://x.org/a?b=1&c=2', 'joe@example.com', 'C++17', 'WebAssembly', 'JSON',
    'iPhone', 'McDonald', 'O\'Brien', 'e.g.', 'i.e.', 'U.S.A.', 'Mr.', 'Dr.', 'vs.', 'etc.',
  ],
  contractions: ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE", "'Ll", '’s', '’t',
    "don't", "it's", "we're", "they've", "I'm", "you'll", "he'd", "CAN'T", "Won't", "y'all", "'tis"],
  accents: ['café', 'CAFÉ', 'naïve', 'résumé', 'Straße', 'São', 'Zürich', 'coöperate', 'façade',
    'Ærø', 'ÀÉÎÕÜ', 'ß', 'ÿ', 'Žluťoučký', 'İstanbul', 'ı', 'ǅ', 'Ångström', 'Œuvre', 'Łódź', 'ḍ', 'Ṩ',
    'cafe\u0301', 'nai\u0308ve', 'A\u030a', 'e\u0301\u0301', 'o\u0308\u0304', 'n\u0303', 'I\u0307'],
  marks: cp(0x300, 0x36f).concat(cp(0x1ab0, 0x1abe), cp(0x1dc0, 0x1dff), cp(0x20d0, 0x20f0),
    cp(0xfe20, 0xfe2f), ['\u0489', '\u05b4', '\u064b', '\u0e31', '\u093c', '\u094d', '\u3099', '\u309a']),
  emoji: ['👍', '👍🏽', '👍🏿', '👨\u200d👩\u200d👧', '👨\u200d👩\u200d👧\u200d👦', '❤️', '❤', '🇫🇷', '🇯🇵',
    '🇺🇸🇬🇧', '🏳️\u200d🌈', '👩🏾\u200d⚕️', '🧑\u200d💻', '1️⃣', '#️⃣', '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}',
    '☺', '✔', '🤷\u200d♀️', '😀', '😂', '🙏🏻', '🔥', '💯', '🎉', '©️', '™️', '🫠', '🦄', '🧬', '💊', '🩺',
    '\u200d', '🏽', '\ufe0f'],
  cjk: ['東京', '今日は', '晴れ', '。', '、', '！', 'テキスト', 'カタカナ', 'ひらがな', 'ｶﾀｶﾅ', 'ｶﾞ', '한국어',
    '안녕하세요', '텍스트', '\u1100\u1161\u11a8', '中文字符', '医院', '病人', '诊断', '高血压', '𠀋',
    '𪚥', '々', '〜', '「引用」', '（括弧）', 'ｇｏｏｇｌｅ', 'ＡＢＣ１２３'],
  rtl: ['שלום', 'עברית', 'מָה', 'مرحبا', 'العربية', 'سلام', 'ﻻ', 'ﷺ', 'كِتَاب', '١٢٣', 'ـ',
    '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067',
    '\u2068', '\u2069', '\u061c'],
  indic: ['ภาษาไทย', 'สวัสดี', 'กิน', 'नमस्ते', 'हिन्दी', 'क्षत्रिय', 'क़', '१२३', 'தமிழ்', 'বাংলা',
    'ಕನ್ನಡ', 'Αθήνα', 'ΣΊΣΥΦΟΣ', 'Москва', 'Ёлка', 'Ελληνικά', 'Ꭰ', 'ᚠᚢᚦ', '𐌰𐌱'],
  compat: ['ﬁ', 'ﬂ', 'ﬃ', 'Ⅻ', '①', '⑽', '㎒', '㍻', '…', '™', '½', '²', '³', 'ℌ', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '𝟏𝟐𝟑', 'Ａ', 'ｚ', '＄', '℃', 'ǆ', 'ﾟ', 'ｰ', 'µ', 'Ω', 'Å', 'K'],
  controls: ['\t', '\r', '\n', '\r\n', '\u000b', '\u000c', '\u0085', '\u00a0', '\u2028', '\u2029',
    '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u3000', '\u2003', '\u202f',
    '\u1680', '\u180e', '\u007f', ...cp(0, 0x1f), ...cp(0x80, 0x9f)],
  punct: '!?.,;:-_()[]{}<>/\\|@#$%^&*~`"\'+=…—–«»¿¡、。！？·•§¶'.split(''),
  spaces: [' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '\u3000', '\u00a0', '\n\n', ' \n', '\t\t'],
  lookalikes: ['▁', '▁▁', 'Ġ', 'Ċ', '##', '##ing', '<0x41>', '<0xE2>', '<unk>', '<s>', '</s>', '<pad>',
    '[UNK]', '[CLS]', '[SEP]', '[MASK]', '[PAD]', '<|endoftext|>', '<|im_start|>', '<|im_end|>',
    '<bos>', '<eos>', '<mask>', '<|begin_of_text|>', '<|eot_id|>', '<start_of_turn>', '<|', '|>'],
  replacement: ['\ufffd', '\ufffd\ufffd', 'ab\ufffdcd', '\ufffdword\ufffd'],
};

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const SINGLES = [...new Set([
  ...POOLS.punct, ...POOLS.controls, ...POOLS.marks.slice(0, 12), ...POOLS.compat, ...POOLS.spaces,
  'a', 'Z', '0', '9', 'é', 'ß', 'İ', '東', 'ｶ', '한', 'ש', 'م', 'ก', 'क', '👍', '🏽', '🇫', '\ufffd',
  '\u{10ffff}', '\u{e0001}', '\uffff', '\ue000', '𝔘', '▁', 'Ġ', '#',
])];

// ---------------------------------------------------------------------------------------------
// Hard cases from the existing tokenizer vectors
// ---------------------------------------------------------------------------------------------
let hardCases = null;
export function vectorHardCases() {
  if (!hardCases) {
    const vectors = JSON.parse(readFileSync(VECTORS_FILE, 'utf8'));
    hardCases = vectors.cases.map((c) => c.sanitized).filter((s) => typeof s === 'string');
  }
  return hardCases;
}

// ---------------------------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------------------------
function recase(rng, w) {
  const r = rng.int(10);
  if (r === 0) return w.toUpperCase();
  if (r === 1) return w.charAt(0).toUpperCase() + w.slice(1);
  return w;
}

function digits(rng, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(48 + rng.int(10));
  return s;
}

function longWord(rng) {
  const n = rng.range(1000, 2600);
  const kind = rng.int(9);
  const fill = (f) => {
    let s = '';
    let count = 0;
    while (count < n) {
      const piece = f();
      s += piece;
      count += [...piece].length;
    }
    return s;
  };
  switch (kind) {
    case 0: return 'a'.repeat(n);
    case 1: return fill(() => LETTERS[rng.int(26)]);
    case 2: return fill(() => rng.pick(['ab', 'ing', 'tion', 'pre', 'th', 'e']));
    case 3: return fill(() => rng.pick(POOLS.cjk[0] + POOLS.cjk[1] + '中文字符医院病人'));
    case 4: return fill(() => rng.pick(['👍', '😀', '👍🏽', '🇫🇷']));
    case 5: return digits(rng, n);
    case 6: return fill(() => rng.pick(POOLS.accents));
    case 7: return fill(() => LETTERS[rng.int(26)] + (rng.chance(0.3) ? rng.pick(POOLS.marks) : ''));
    default: return 'x'.repeat(rng.range(1, 5)) + fill(() => rng.pick(POOLS.words)).replace(/[^A-Za-z]/g, '');
  }
}

function markStack(rng) {
  let s = rng.pick(['a', 'e', 'o', 'Z', 'i', 'n', 'q', 'ɛ', 'ש', 'ก', '東', ' ', '']);
  const n = rng.range(1, 8);
  for (let i = 0; i < n; i++) s += rng.pick(POOLS.marks);
  return s;
}

function hardPiece(rng) {
  const cases = vectorHardCases();
  const chars = [...rng.pick(cases)];
  if (chars.length === 0) return '';
  const start = rng.int(chars.length);
  return chars.slice(start, start + rng.range(1, 24)).join('');
}

// One random piece of text; `specials` are the literal texts of special/added tokens.
function segment(rng, specials) {
  const r = rng.int(100);
  if (r < 28) return recase(rng, rng.pick(POOLS.words));
  if (r < 33) return rng.pick(POOLS.contractions);
  if (r < 38) return recase(rng, rng.pick(POOLS.words)) + rng.pick(POOLS.contractions);
  if (r < 44) return rng.pick(POOLS.accents);
  if (r < 47) return markStack(rng);
  if (r < 53) return rng.pick(POOLS.emoji) + (rng.chance(0.3) ? rng.pick(POOLS.emoji) : '');
  if (r < 59) return rng.pick(POOLS.cjk);
  if (r < 63) return rng.pick(POOLS.rtl) + (rng.chance(0.4) ? rng.pick(POOLS.rtl) : '');
  if (r < 66) return rng.pick(POOLS.indic);
  if (r < 69) return rng.pick(POOLS.compat);
  if (r < 73) return rng.pick(POOLS.controls);
  if (r < 77) return digits(rng, rng.chance(0.8) ? rng.range(1, 8) : rng.range(9, 60));
  if (r < 81) {
    let s = '';
    const n = rng.range(1, 12);
    for (let i = 0; i < n; i++) s += rng.pick(POOLS.punct);
    return s;
  }
  if (r < 85) {
    let s = '';
    const n = rng.range(2, 10);
    for (let i = 0; i < n; i++) s += rng.pick(POOLS.spaces);
    return s;
  }
  if (r < 89) return specials.length ? rng.pick(specials) : rng.pick(POOLS.lookalikes);
  if (r < 91) return rng.pick(POOLS.lookalikes);
  if (r < 93) return rng.pick(POOLS.replacement);
  if (r < 97) return hardPiece(rng);
  const c = rng.chance(0.5) ? 0x20 + rng.int(0x2fa0) : 0x20 + rng.int(0x1ffe0);
  return String.fromCodePoint(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c); // never a lone surrogate
}

function separator(rng) {
  const r = rng.int(100);
  if (r < 70) return ' ';
  if (r < 80) return '';
  if (r < 90) return rng.pick(POOLS.spaces);
  if (r < 95) return rng.pick(POOLS.punct);
  return rng.pick(POOLS.controls);
}

// A code point that is a lone surrogate cannot be in a string we send: the sanitizer would have
// replaced the invalid UTF-8 behind it with U+FFFD, so that is what we write.
function repairAtRandom(rng, s) {
  const chars = [...s];
  if (chars.length === 0) return '\ufffd';
  const n = rng.range(1, 3);
  for (let i = 0; i < n; i++) chars[rng.int(chars.length)] = '\ufffd';
  return chars.join('');
}

function randomString(rng, specials) {
  if (rng.chance(0.015)) {
    const parts = [longWord(rng)];
    if (rng.chance(0.5)) parts.unshift(recase(rng, rng.pick(POOLS.words)));
    if (rng.chance(0.5)) parts.push(recase(rng, rng.pick(POOLS.words)));
    return parts.join(rng.chance(0.8) ? ' ' : '');
  }
  const n = rng.chance(0.85) ? rng.range(1, 10) : rng.range(11, 60);
  let s = rng.chance(0.1) ? rng.pick(POOLS.spaces) : '';
  for (let i = 0; i < n; i++) {
    if (i > 0) s += separator(rng);
    s += segment(rng, specials);
  }
  if (rng.chance(0.1)) s += rng.pick(POOLS.spaces);
  if (rng.chance(0.03)) s = repairAtRandom(rng, s);
  return s;
}

// The strings: a fixed head (the empty string, the vector hard cases, single characters) and
// then random strings until there are `count`. `specials` adds the special/added tokens' texts.
export function generateStrings({ seed = 1, count = 10000, specials = [] } = {}) {
  const rng = makeRng(seed);
  const specialTexts = [...new Set(specials.filter((s) => typeof s === 'string' && s.length > 0))];
  const head = ['', ...vectorHardCases(), ...SINGLES, ...specialTexts.slice(0, 40)];
  for (const s of specialTexts.slice(0, 10)) head.push(`a${s}b`, ` ${s} `, `${s}${s}`);
  const out = head.slice(0, count);
  while (out.length < count) out.push(randomString(rng, specialTexts));
  return out;
}

// Picks up to `max` literal texts of a tokenizer's added tokens (tokenizer.json `added_tokens`),
// deterministically: the first ones plus an even sample of the rest.
export function specialTexts(tokenizerJson, max = 200) {
  const all = (tokenizerJson.added_tokens || []).map((t) => t.content).filter(Boolean);
  if (all.length <= max) return all;
  const picked = all.slice(0, max / 2);
  const step = (all.length - max / 2) / (max / 2);
  for (let i = 0; i < max / 2; i++) picked.push(all[Math.floor(max / 2 + i * step)]);
  return picked;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  for (const s of generateStrings({ seed: arg('--seed', 1), count: arg('--count', 20) })) {
    console.log(JSON.stringify(s));
  }
}
