// cli_args: the spexlens-probe command line -> { suite, modelDir, out, csv, html, date,
// explainIds, explainAll, runtime, threads, batch, explainOptions }. Only syntax is checked here;
// the suite and the explain options are the C++ core's to judge.

import { availableParallelism } from 'node:os';

import { UsageError, valueFlag } from '../explain/cli_common.mjs';


// Failing cases --explain-failures explains at most (each is a full explanation).
export const MAX_EXPLAINED = 20;

export const USAGE = `usage: spexlens-probe --suite FILE --model DIR [options]

Runs a behavioural probe suite (docs/probe-suites.md: minimum functionality, invariance and
directional-expectation tests built from listed cases or templates) on a model, locally, and
prints the report as JSON: pass/fail per test and per capability, the failure rate, and every
failing case with its texts, scores and why it failed. Passing shows behaviour on these cases only.

  --suite FILE           the probe suite (JSON, "format": "spexlens-probe-suite")
  --model DIR            model folder (model.json + vocabulary + .onnx, or a folder as
                         transformers / optimum export it), or either folder as one .zip file
  --out FILE             write the report JSON there instead of stdout
  --csv FILE             also write every case as CSV
  --html FILE            also write a one-page HTML summary (self-contained, printable)
  --date D               the date the summary shows (default: today, UTC, YYYY-MM-DD)
  --explain-failure ID   explain case ID (as the report lists it, e.g. 2.3) with the same engine
                         as spexlens-explain; repeatable. Both texts of an inv or dir case are
                         explained. The results go into the report's "explanations"
  --explain-failures     explain every failing case (at most ${MAX_EXPLAINED})
  --budget N             model calls per explanation (default: spexlens-explain's)
  --seed S               seed of the explanations (default: spexlens-explain's)
  --runtime R            node (onnxruntime-node, default) or web (onnxruntime-web's wasm backend)
  --threads N            model threads (default: the machine's cores, at most 4)
  --batch N              texts per model call (default 64)
  -h, --help             this text

Exit status: 0 the suite ran (failing cases included), 1 bad suite, model or file (message on
stderr), 2 bad command line.`;

const VALUE_FLAGS = {
  '--suite': 'suite', '--model': 'modelDir', '--out': 'out', '--csv': 'csv', '--html': 'html', '--date': 'date',
  '--runtime': 'runtime', '--threads': 'threads', '--batch': 'batch', '--budget': 'budget', '--seed': 'seed',
};
const INTEGER_KEYS = new Set(['threads', 'batch', 'budget', 'seed']);

export function parseArgs(argv) {
  const parsed = {
    help: false, runtime: 'node', threads: Math.min(4, availableParallelism()), batch: 64,
    explainIds: [], explainAll: false, explainOptions: {},
  };
  const seen = new Set();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '-h' || flag === '--help') {
      parsed.help = true;
      continue;
    }
    if (flag === '--explain-failures') {
      parsed.explainAll = true;
      continue;
    }
    if (flag === '--explain-failure') {
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a case id (e.g. 2.3)`);
      const id = argv[++i];
      if (!/^[0-9]+\.[0-9]+$/.test(id)) throw new UsageError(`${flag}: expected a case id TEST.CASE such as 2.3, got '${id}'`);
      if (!parsed.explainIds.includes(id)) parsed.explainIds.push(id);
      continue;
    }
    const [key, value] = valueFlag(argv, i++, VALUE_FLAGS, INTEGER_KEYS, seen);
    if (key === 'budget' || key === 'seed') parsed.explainOptions[key] = value;
    else parsed[key] = value;
  }
  if (parsed.help) return parsed;
  if (!parsed.suite) throw new UsageError('--suite FILE is required');
  if (!parsed.modelDir) throw new UsageError('--model DIR is required');
  if (!['node', 'web'].includes(parsed.runtime)) throw new UsageError(`--runtime: expected node or web, got '${parsed.runtime}'`);
  if (parsed.threads < 1) throw new UsageError('--threads: at least 1');
  if (parsed.batch < 1) throw new UsageError('--batch: at least 1');
  if (parsed.date !== undefined && (parsed.date.trim() === '' || parsed.date.length > 64)) {
    throw new UsageError('--date: expected a date such as 2026-12-24');
  }
  parsed.date ??= new Date().toISOString().slice(0, 10);
  return parsed;
}
