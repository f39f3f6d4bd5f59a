// A model folder brought as one .zip file (`--model FOLDER.zip`; the page takes the same file):
// zipped by Python's zipfile as a user's tools would, with the folder inside or its files at the
// top, in the transformers layout (no model.json) and with a model.json. Each explains exactly as
// the folder does. Damaged and hostile archives (zip bombs that lie about their size or claim
// more than deflate can reach, paths leaving the folder, not a zip at all, a flipped byte) are
// refused in one line, quickly, without inflating what they claim.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { declareSize, writeZip } from '../zip_fixtures.mjs';
import { ROOT, check, explain, explained, refused, run, stable, test } from './harness.mjs';

const scratch = mkdtempSync(path.join(tmpdir(), 'spexlens-zip-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const BERT = path.join(ROOT, 'models/spam-bert');
const SPAM = path.join(ROOT, 'models/spam-transformer');
const EMAIL = 'Subject: you won a free prize, claim your cash now by replying with your bank details today';
const SMALL = ['--budget', '500', '--holdout', '100', '--seed', '11'];
const explainArgs = (model) => ['--model', model, '--text', EMAIL, ...SMALL];

const zip = (name, entries) => writeZip(path.join(scratch, name), entries);
const folderEntries = (dir, files, prefix) => files.map((f) => [`${prefix}${f}`, path.join(dir, f)]);
const BERT_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json',
  'onnx/model.onnx'];

let folderRun = null;
const bertFolderRun = () => (folderRun ??= explained(explain(explainArgs(BERT)), 'models/spam-bert'));

test('a zipped transformers folder (folder inside the zip) explains exactly as the folder', () => {
  const archive = zip('spam-bert.zip', folderEntries(BERT, BERT_FILES, 'spam-bert/'));
  const j = explained(explain(explainArgs(archive)), 'spam-bert.zip');
  check(j.model.name === 'spam-bert', `model name ${j.model.name}`);
  check(stable(j) === stable(bertFolderRun()), 'the zip gives another result than the folder');
});

test('files at the top of the zip take the archive\'s name; macOS metadata is skipped', () => {
  const archive = zip('spam-bert-top.zip', [...folderEntries(BERT, BERT_FILES, ''),
    ['__MACOSX/._config.json', { text: 'resource fork' }], ['.DS_Store', { text: 'x' }]]);
  const j = explained(explain(explainArgs(archive)), 'spam-bert-top.zip');
  check(j.model.name === 'spam-bert-top', `model name ${j.model.name}`);
  check(stable({ ...j, model: { ...j.model, name: 'spam-bert' } }) === stable(bertFolderRun()),
    'files at the top give another result than the folder');
});

test('a zipped folder with a model.json explains exactly as the folder', () => {
  const archive = zip('spam-transformer.zip', folderEntries(SPAM, ['model.json', 'model.onnx', 'vocab.txt'], 'spam/'));
  const fromZip = explained(explain(explainArgs(archive)), 'spam-transformer.zip');
  const fromFolder = explained(explain(explainArgs(SPAM)), 'models/spam-transformer');
  check(stable(fromZip) === stable(fromFolder), 'the zip gives another result than the folder');
});

test('damaged and hostile archives are refused in one line, quickly', () => {
  const failures = [];
  const expectRefused = (what, archive, ...phrases) => {
    try {
      refused(explainArgs(archive), ...phrases);
    } catch (e) {
      failures.push(`${what}: ${e.message}`);
    }
  };
  // 256 MiB of zeros declared as 1,000 bytes: inflation stops one byte past what is declared.
  const lying = zip('lying.zip', [...folderEntries(BERT, BERT_FILES.slice(0, 4), ''),
    ['onnx/model.onnx', { zeros: 256 << 20 }]]);
  expectRefused('a size that lies', declareSize(lying, 'onnx/model.onnx', 1000), 'zip bomb', 'onnx/model.onnx');
  // A few bytes declared as 1 GiB: refused before a byte is inflated.
  const claims = zip('claims.zip', [...folderEntries(BERT, BERT_FILES.slice(0, 4), ''),
    ['onnx/model.onnx', { text: 'tiny' }]]);
  expectRefused('a size beyond deflate', declareSize(claims, 'onnx/model.onnx', 1 << 30), 'zip bomb');
  expectRefused('a path leaving the folder',
    zip('evil.zip', [['../../config.json', path.join(BERT, 'config.json')]]), 'outside its folder');
  const notZip = path.join(scratch, 'not-a.zip');
  writeFileSync(notZip, 'this is a text file with a .zip name\n'.repeat(10));
  expectRefused('not a zip', notZip, 'not a zip archive');
  // One byte of config.json's compressed data flipped: the inflater or the CRC-32 notices.
  const flipped = zip('flipped.zip', folderEntries(BERT, BERT_FILES, ''));
  const b = readFileSync(flipped);
  const at = b.indexOf('config.json') + 'config.json'.length + 5;
  b[at] ^= 0x55;
  writeFileSync(flipped, b);
  expectRefused('a flipped byte', flipped, 'is damaged', 'config.json');
  check(failures.length === 0, `\n  ${failures.join('\n  ')}`);
});

await run();
