// Chinese and Japanese through the command-line explainer (src/text/features.h, the word rule):
// a sentence written without spaces is explained one feature per Han ideograph — punctuation
// with the ideograph before it, a kana run between ideographs as one word — with offsets that
// point back into the text, on our own model (spexlens-words-v1) and on the WordPiece BERT
// (models/spam-bert, which splits ideographs itself); sentence features are unchanged.
import path from 'node:path';

import { ROOT, check, explain, explained, run, test } from './harness.mjs';

const SPAM = path.join(ROOT, 'models/spam-transformer');
const BERT = path.join(ROOT, 'models/spam-bert');
const SMALL = ['--budget', '400', '--holdout', '100', '--seed', '3'];
const CHINESE = '这个产品质量很好，但是送货太慢了。';
const JAPANESE = '東京は晴れ。今日は暑いです！';

// The expected words, written from the rule independently of the C++: every Han ideograph
// starts a word, every other character continues the word before it unless that word is an
// ideograph and the character is not punctuation (then it starts a run of its own).
function expectedWords(text) {
  const han = /\p{Script=Han}/u;
  const punct = /\p{P}/u;
  const words = [];
  let lastIsHan = false;
  for (const ch of Array.from(text)) {
    if (han.test(ch) || words.length === 0 || (lastIsHan && !punct.test(ch))) {
      words.push(ch);
    } else {
      words[words.length - 1] += ch;
    }
    if (han.test(ch) || !punct.test(ch)) lastIsHan = han.test(ch);
  }
  return words;
}

// Every feature's code point and byte offsets give back its text.
function checkOffsets(j) {
  const cps = Array.from(j.text);
  const bytes = Buffer.from(j.text, 'utf8');
  for (const f of j.features) {
    check(cps.slice(f.start, f.end).join('') === f.text, `code points [${f.start}, ${f.end}) are not '${f.text}'`);
    check(bytes.subarray(f.byte_start, f.byte_end).toString('utf8') === f.text,
      `bytes [${f.byte_start}, ${f.byte_end}) are not '${f.text}'`);
  }
}

function wordsOf(model, text, ...extra) {
  const j = explained(explain(['--model', model, '--text', text, ...SMALL, ...extra]), `${path.basename(model)}: ${text}`);
  check(j.text === text, `the result's text is not the input: ${j.text}`);
  checkOffsets(j);
  return j;
}

test('the rule written here gives what the test expects', () => {
  check(JSON.stringify(expectedWords(CHINESE)) ===
    JSON.stringify(['这', '个', '产', '品', '质', '量', '很', '好，', '但', '是', '送', '货', '太', '慢', '了。']),
  `expectedWords(Chinese) = ${expectedWords(CHINESE)}`);
  check(JSON.stringify(expectedWords(JAPANESE)) ===
    JSON.stringify(['東', '京', 'は', '晴', 'れ。', '今', '日', 'は', '暑', 'いです！']),
  `expectedWords(Japanese) = ${expectedWords(JAPANESE)}`);
});

for (const model of [SPAM, BERT]) {
  const name = path.basename(model);
  test(`${name}: a Chinese sentence gives one feature per ideograph`, () => {
    const j = wordsOf(model, CHINESE);
    const ideographs = Array.from(CHINESE).filter((c) => /\p{Script=Han}/u.test(c)).length;
    check(j.n === ideographs && ideographs === 15, `n = ${j.n}, the sentence has ${ideographs} ideographs`);
    const texts = j.features.map((f) => f.text);
    check(JSON.stringify(texts) === JSON.stringify(expectedWords(CHINESE)), `features: ${texts.join(' · ')}`);
  });

  test(`${name}: Japanese kanji one by one, kana runs between them as words`, () => {
    const j = wordsOf(model, JAPANESE);
    const texts = j.features.map((f) => f.text);
    check(JSON.stringify(texts) === JSON.stringify(expectedWords(JAPANESE)), `features: ${texts.join(' · ')}`);
  });
}

test('sentence features are unchanged: the space-free Chinese sentence is one sentence', () => {
  const j = wordsOf(SPAM, `${CHINESE} ${CHINESE}`, '--features', 'sentence');
  check(j.n === 2, `n = ${j.n} sentences`);
  check(j.features[0].text === CHINESE, `the first sentence is '${j.features[0].text}'`);
});

await run();
