// cli_args: the spexlens-explain command line -> { modelDir, text | input, out, runtime, batch,
// threads, options } where `options` is the explain-options object the C++ core validates
// (docs/text-explainer.md). Only syntax is checked here; ranges and names are the core's job,
// so the page and this tool refuse the same things with the same words.

import { availableParallelism } from 'node:os';

import { UsageError, valueFlag } from './cli_common.mjs';


export const USAGE = `usage: spexlens-explain --model DIR (--text STRING | --input FILE.jsonl) [options]

Explains which words (and groups of words acting together) move a model's output, by masking
them and fitting a surrogate (auto: ProxySPEX or ridge regression, whichever cross-validates
best; or SPEX, or a baseline) to the model's responses; or, with --players components,
which attention heads and MLP neurons do, by ablating them. Runs locally; nothing is sent.

  --model DIR            model folder: model.json, its vocabulary (or tokenizer.json) and the .onnx
                         file; or a folder as transformers / optimum export it (config.json,
                         tokenizer.json, model.onnx or onnx/model.onnx) with no model.json: one
                         is derived (docs/hf-tokenizers.md); or either folder as one .zip file
  --show-manifest        print the folder's model.json (derived when there is none) and exit;
                         save it beside the model to pin it (sha256 included)
  --masking M            how a word is hidden: attention, mask_token or remove (default: the
                         manifest's)
  --keep-masked-tokens   with attention masking on a model that takes position_ids, feed masked
                         tokens with attention 0 instead of leaving them out (the same output,
                         slower; for checking)
  --text STRING          the text to explain
  --input FILE.jsonl     one text per line ({"text": ..., "id": ...} or a JSON string); writes
                         one result per line, progress on stderr
  --budget N | --b B     model queries to spend, or SPEX's b (queries = 3(p+1)2^b); default
                         4000 for auto, proxyspex and ridge, b=8 for SPEX and the baselines
  --target-r2 X          auto, proxyspex, ridge: stop as soon as the cross-validated R^2 reaches
                         X (checked after 500 calls, then at 4x, 16x ...); --budget is the cap
  --folds K              cross-validation folds that score and choose the surrogate (default 5)
  --t T                  SPEX's BCH capability, the highest order it identifies (default 5; 3 for
                         component players)
  --method M             auto (default: ProxySPEX or ridge-1/2/3 on uniform masks, chosen by
                         cross-validation), proxyspex, ridge[-1|-2|-3], spex-soft, spex-hard,
                         lime, kernelshap, faith-banzhaf[-1|-2|-3]
  --max-order L          order of the interaction index (default 2)
  --index NAME           mobius, fourier, sii, bii, stii, fsii (default), fbii, ksii, shapley, banzhaf
  --seed S               seed for every random choice (default 0); written into the result
  --features G           word (default) or sentence
  --target CLASS[:M]     output to explain: a label or index, measure logit | log-odds | prob
                         (default: the manifest's target)
  --players P            text (default: the words or sentences of --features), or the model's
                         components (docs/components.md): components[:group=G] (every attention
                         head and MLP neuron groups of G, default 8), heads, neurons[:group=G]
  --ablation A           how a component is switched off: zero (default) or mean (its
                         training-set mean; needs component_means in the manifest)
  --long-text P          head (default: explain what fits in the model's window, report the
                         rest) or refuse
  --holdout N            held-out masks for the faithfulness R^2 (default 1000)
  --removal R            removal-search length (default 7, 0 = off)
  --noise N              SPEX's noise handling: reference (default: decode every bin, the model
                         is deterministic), auto, or a per-query noise sd
  --design D             how a --budget is spent: degree-first (the highest t, then b) or
                         bins-first (the largest b at t = max-order, then t)
  --runtime R            node (onnxruntime-node, default) or web (onnxruntime-web's wasm backend)
  --threads N            model threads (default: the machine's cores, at most 4)
  --batch N              masked inputs per model call (default 64)
  --out FILE             write the JSON there instead of stdout
  --shapiq FILE.json     also write the result's index (--index, --max-order) as shapiq's
                         InteractionValues JSON, which shapiq.InteractionValues.load(FILE) reads
                         (docs/result-schema.md, "shapiq export"); --text only (with --input, run
                         each text with --text); the fourier index has no shapiq name and is refused

Remote scoring (docs/remote-inference.md): the masked texts go to an inference server you name,
instead of a local model. Opt-in per run; nothing is sent without --endpoint. Masked texts sent
together reveal the whole text: use only a server you would send the text itself to.
  --endpoint URL         the server (http:// or https://, no user, password or query); --model
                         is then not used
  --protocol P           openai-completions (llama-server, vLLM: an LLM's log p(A) - log p(B)
                         for the next token), tei (Text Embeddings Inference /predict) or oip-v2
                         (Open Inference Protocol: KServe, Triton; one BYTES input)
  --prompt T | @FILE     openai-completions: the prompt, containing {text} once
  --answers A,B          openai-completions: the two single-token answers compared
  --server-model NAME    the served model's name (oip-v2: required; openai: default the first
                         of /v1/models)
  --concurrency N        requests in flight (default: the server's slots when it says, else 4)
  --timeout S            seconds per request before it is retried (default 60)
  --cache DIR            answers kept on disk, so a stopped run resumes without repeating a call
                         (default .spexlens-cache/remote); --no-cache to keep none
  --allow-endpoints FILE only endpoints starting with a line of FILE may be used
  --api-key-env VAR      send the environment variable VAR as a bearer token (never logged)
  --api-key-file FILE    the same from a file
  --prompt-cache         let llama-server reuse its prompt cache (faster; logits then depend
                         slightly on earlier requests, so results are not reproducible)
  -h, --help             this text

Exit status: 0 done, 1 bad input or model (message on stderr), 2 bad command line.`;

const VALUE_FLAGS = {
  '--model': 'modelDir', '--text': 'text', '--input': 'input', '--out': 'out',
  '--runtime': 'runtime', '--threads': 'threads', '--batch': 'batch',
  '--budget': 'budget', '--b': 'b', '--t': 't', '--method': 'method', '--max-order': 'max_order',
  '--index': 'index', '--seed': 'seed', '--features': 'features', '--target': 'target',
  '--long-text': 'long_text', '--players': 'players', '--ablation': 'ablation', '--holdout': 'holdout', '--removal': 'max_removed', '--noise': 'noise', '--design': 'design',
  '--target-r2': 'target_r2', '--folds': 'folds', '--masking': 'masking',
  '--shapiq': 'shapiq',
  '--endpoint': 'endpoint', '--protocol': 'protocol', '--prompt': 'prompt', '--answers': 'answers',
  '--server-model': 'serverModel', '--concurrency': 'concurrency', '--timeout': 'timeout', '--cache': 'cache',
  '--allow-endpoints': 'allowEndpoints', '--api-key-env': 'apiKeyEnv', '--api-key-file': 'apiKeyFile',
};
// Flags that only mean something with --endpoint.
const REMOTE_KEYS = ['protocol', 'prompt', 'answers', 'serverModel', 'concurrency', 'timeout', 'cache', 'allowEndpoints',
  'apiKeyEnv', 'apiKeyFile', 'noCache', 'promptCache'];
const REMOTE_FLAGS = Object.fromEntries(Object.entries(VALUE_FLAGS).map(([flag, key]) => [key, flag]));
const OPTION_KEYS = new Set(['budget', 'b', 't', 'method', 'max_order', 'index', 'seed', 'features', 'target',
  'long_text', 'holdout', 'max_removed', 'noise', 'design', 'players', 'ablation', 'target_r2', 'folds',
  'masking']);
const INTEGER_KEYS = new Set(['budget', 'b', 't', 'max_order', 'seed', 'holdout', 'max_removed', 'threads', 'batch',
  'folds', 'concurrency', 'timeout']);

// The remote flags: meaningful only with --endpoint, which then replaces --model.
function checkRemote(parsed) {
  if (parsed.endpoint === undefined) {
    const stray = REMOTE_KEYS.find((k) => parsed[k] !== undefined);
    if (stray) throw new UsageError(`${REMOTE_FLAGS[stray] ?? `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`} needs --endpoint URL`);
    return;
  }
  if (parsed.modelDir !== undefined) throw new UsageError('give --model DIR or --endpoint URL, not both');
  if (parsed.protocol === undefined) throw new UsageError('--endpoint needs --protocol openai-completions, tei or oip-v2');
  if (parsed.showManifest || parsed.shapiq !== undefined) {
    throw new UsageError(`${parsed.showManifest ? '--show-manifest' : '--shapiq'} is not available with --endpoint`);
  }
  if (parsed.noCache && parsed.cache !== undefined) throw new UsageError('give --cache DIR or --no-cache, not both');
  if (parsed.apiKeyEnv !== undefined && parsed.apiKeyFile !== undefined) {
    throw new UsageError('give --api-key-env or --api-key-file, not both');
  }
  if (parsed.concurrency !== undefined && (parsed.concurrency < 1 || parsed.concurrency > 256)) {
    throw new UsageError('--concurrency: between 1 and 256');
  }
  if (parsed.timeout !== undefined && (parsed.timeout < 1 || parsed.timeout > 3600)) {
    throw new UsageError('--timeout: between 1 and 3600 seconds');
  }
}

export function parseArgs(argv) {
  // Defaults measured on the shipped model (docs/benchmarks.md): small batches run fastest, and
  // ONNX Runtime scales to the second core.
  const parsed = { help: false, runtime: 'node', threads: Math.min(4, availableParallelism()), batch: 64, options: {} };
  const seen = new Set();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '-h' || flag === '--help') {
      parsed.help = true;
      continue;
    }
    if (flag === '--show-manifest') {
      parsed.showManifest = true;
      continue;
    }
    if (flag === '--no-cache' || flag === '--prompt-cache') {
      parsed[flag === '--no-cache' ? 'noCache' : 'promptCache'] = true;
      continue;
    }
    if (flag === '--keep-masked-tokens') {
      parsed.options.drop_masked_tokens = false;
      continue;
    }
    const raw = argv[i + 1];
    let [key, value] = valueFlag(argv, i++, VALUE_FLAGS, INTEGER_KEYS, seen);
    if (key === 'target_r2') {
      value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--target-r2: expected a number, got '${raw}'`);
    }
    if (key === 'noise' && !['auto', 'reference'].includes(raw)) {
      value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--noise: expected auto, reference or a number, got '${raw}'`);
    }
    if (OPTION_KEYS.has(key)) parsed.options[key] = value;
    else parsed[key] = value;
  }
  if (parsed.help) return parsed;
  checkRemote(parsed);
  if (!parsed.modelDir && parsed.endpoint === undefined) throw new UsageError('--model DIR (or --endpoint URL) is required');
  if (parsed.showManifest) return parsed;
  if ((parsed.text === undefined) === (parsed.input === undefined)) {
    throw new UsageError('give exactly one of --text STRING and --input FILE.jsonl');
  }
  if (parsed.shapiq !== undefined && parsed.input !== undefined) {
    throw new UsageError('--shapiq writes one text\'s export: use it with --text (run each line of --input with --text)');
  }
  if (parsed.shapiq !== undefined && !parsed.shapiq.endsWith('.json')) {
    throw new UsageError(`--shapiq: the file name must end in .json (shapiq loads no other), got '${parsed.shapiq}'`);
  }
  if ('budget' in parsed.options && 'b' in parsed.options) throw new UsageError('give --budget or --b, not both');
  if (!['node', 'web'].includes(parsed.runtime)) throw new UsageError(`--runtime: expected node or web, got '${parsed.runtime}'`);
  if (parsed.threads < 1) throw new UsageError('--threads: at least 1');
  if (parsed.batch < 1) throw new UsageError('--batch: at least 1');
  return parsed;
}
