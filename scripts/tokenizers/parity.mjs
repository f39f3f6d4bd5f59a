// parity: runs our Hugging Face tokenizer.json implementation against the official JS port
// (@huggingface/tokenizers) on fresh seeded strings and prints a table per tokenizer: strings,
// id mismatches, offset failures and the time each implementation took; then the first
// mismatches of each tokenizer. The same machinery as tests/tokenizers/parity_test.mjs
// (scripts/tokenizers/parity_lib.mjs, whose top comment defines the offsets property).
//
//   SPEXLENS_TOKENIZE=build/native-release/bin/spexlens-tokenize \
//     node scripts/tokenizers/parity.mjs --seed 7 --count 20000
//   SPEXLENS_CORE=build/wasm-release/bin/spexlens_core.mjs node scripts/tokenizers/parity.mjs
//   node scripts/tokenizers/parity.mjs --tokenizer path/to/tokenizer.json --impl native
//   node scripts/tokenizers/parity.mjs --impl oracle      # the harness against itself: 0 mismatches
//
// Options: --seed N (default: the time of day, printed, so a run can be repeated), --count M
// (default 10000), --with-special K (default 1000), --tokenizer FILE (repeatable; default: the
// test's list), --only NAME,..., --impl native|wasm|oracle|rust|fake (default: those whose
// SPEXLENS_TOKENIZE / SPEXLENS_CORE is set), --no-offsets. Exit 1 when anything differs.
import { compareOne, defaultTokenizers, loadOracle, openImpls, parseArgs } from './parity_lib.mjs';
import { generateStrings, specialTexts } from './parity_strings.mjs';

async function main() {
  const opts = parseArgs(process.argv.slice(2), { seed: Date.now() % 1000000007, count: 10000, withSpecial: 1000, offsets: true });
  if (opts.help) {
    console.log('usage: node scripts/tokenizers/parity.mjs [--seed N] [--count M] [--with-special K] ' +
      '[--tokenizer FILE]... [--only NAME,...] [--impl native|wasm|oracle|rust|fake] [--no-offsets]');
    return 0;
  }
  const impls = await openImpls(opts.impls);
  let tokenizers = opts.tokenizers.length ? opts.tokenizers : defaultTokenizers();
  if (opts.only.length) tokenizers = tokenizers.filter((t) => opts.only.includes(t.name));
  console.log(`seed ${opts.seed}, ${opts.count} strings per tokenizer (${opts.withSpecial} also with special tokens)\n`);
  const rows = [];
  const details = [];
  for (const tok of tokenizers) {
    let o;
    try {
      o = loadOracle(tok);
    } catch (e) {
      rows.push({ tokenizer: tok.name, impl: '-', strings: 0, mismatches: '-', offsets: '-', oracle: '-', ours: '-', note: `oracle: ${e.message}` });
      continue;
    }
    const texts = generateStrings({ seed: opts.seed, count: opts.count, specials: specialTexts(o.json) });
    const cache = {};
    for (const impl of impls) {
      let handle;
      try {
        handle = await impl.load(o);
      } catch (e) {
        rows.push({ tokenizer: tok.name, impl: impl.name, strings: 0, mismatches: '-', offsets: '-', oracle: '-', ours: '-', note: `load: ${e.message}` });
        continue;
      }
      try {
        const r = await compareOne(o, impl, handle, texts, { withSpecial: Math.min(opts.withSpecial, texts.length), checkOffsetsToo: opts.offsets, cache });
        rows.push({
          tokenizer: tok.name, impl: impl.name, strings: r.strings, mismatches: r.mismatches,
          offsets: r.noOffsets === r.strings ? 'n/a' : r.offsetFailures,
          oracle: `${(r.oracleMs / 1000).toFixed(2)} s`, ours: `${(r.implMs / 1000).toFixed(2)} s`,
          note: r.fatal || (r.errors ? `${r.errors} oracle errors` : '') ||
            (r.unicodeNewer ? `${r.unicodeNewer} differ on characters newer than Unicode 15 (not counted)` : ''),
        });
        if (r.lines.length) details.push(`${tok.name} / ${impl.name}:\n${r.lines.join('\n')}`);
      } finally {
        impl.unload(handle);
      }
    }
  }
  const cols = ['tokenizer', 'impl', 'strings', 'mismatches', 'offsets', 'oracle', 'ours', 'note'];
  const heads = { offsets: 'offset failures', oracle: 'oracle time', ours: 'our time' };
  const width = cols.map((c) => Math.max((heads[c] || c).length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => cells.map((v, i) => String(v).padEnd(width[i])).join('  ').trimEnd();
  console.log(line(cols.map((c) => heads[c] || c)));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
  if (details.length) console.log(`\n${details.join('\n\n')}`);
  const bad = rows.some((r) => (r.note && !r.note.includes('not counted')) || (r.mismatches !== 0) || (r.offsets !== 0 && r.offsets !== 'n/a'));
  return bad ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`parity: ${e.message}`);
  process.exit(2);
});
