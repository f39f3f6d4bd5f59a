// cli_args: the spexlens-probe-layers command line -> { modelDir, probeSet, seed, folds, out,
// runtime, threads }. Only syntax is checked here; the probe set and the options are the C++
// core's to judge.
import { availableParallelism } from 'node:os';

import { UsageError, valueFlag } from '../explain/cli_common.mjs';

export const USAGE = `usage: spexlens-probe-layers --model DIR --probe-set FILE [options]

Trains a linear probe (L2-regularised logistic regression, cross-validated with folds grouped by
text) on each layer's word vectors of a model for a labelled probe set (docs/probing.md), with a
control task (each word type given a random label) beside it, and prints the report as JSON:
per layer the accuracy, its spread over folds, the majority baseline, the control's accuracy and
the selectivity. Accuracy means the label is linearly decodable at that layer; it does not show
that the model uses it.

  --model DIR        model folder with an internals graph: onnx/model_internals.onnx, or the
                     "internals" section of its model.json (docs/model-manifest.md)
  --probe-set FILE   the probe set (JSON, "format": "spexlens-layer-probe-set/1")
  --seed N           seed of the folds and of the control task (default 1)
  --folds K          cross-validation folds, 2 to 20 (default 5)
  --out FILE         write the report JSON there instead of stdout
  --runtime R        node (onnxruntime-node, default) or web (onnxruntime-web's wasm backend)
  --threads N        model threads (default: the machine's cores, at most 4)
  -h, --help         this text

Exit status: 0 the probes ran, 1 bad probe set, model or file (message on stderr), 2 bad
command line.`;

const VALUE_FLAGS = {
  '--model': 'modelDir', '--probe-set': 'probeSet', '--seed': 'seed', '--folds': 'folds', '--out': 'out',
  '--runtime': 'runtime', '--threads': 'threads',
};
const INTEGER_KEYS = new Set(['seed', 'folds', 'threads']);

export function parseArgs(argv) {
  const parsed = { help: false, runtime: 'node', threads: Math.min(4, availableParallelism()), seed: 1, folds: 5 };
  const seen = new Set();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '-h' || flag === '--help') {
      parsed.help = true;
      continue;
    }
    const [key, value] = valueFlag(argv, i++, VALUE_FLAGS, INTEGER_KEYS, seen);
    parsed[key] = value;
  }
  if (parsed.help) return parsed;
  if (!parsed.modelDir) throw new UsageError('--model DIR is required');
  if (!parsed.probeSet) throw new UsageError('--probe-set FILE is required');
  if (!['node', 'web'].includes(parsed.runtime)) throw new UsageError(`--runtime: expected node or web, got '${parsed.runtime}'`);
  if (parsed.threads < 1) throw new UsageError('--threads: at least 1');
  return parsed;
}
