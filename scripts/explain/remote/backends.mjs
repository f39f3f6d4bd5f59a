// backends: the three protocols a remote model is scored through (docs/remote-inference.md).
// Each backend's handshake learns what the model is (labels, name, version, how many texts a
// request may carry, how many requests the server runs at once); score(texts) returns one row of
// outputs per masked text. What a request holds and how an answer is read are decided in C++
// (src/explain/remote_protocol.h, through the core's remote* functions); this file only moves
// bytes.
import { readFileSync } from 'node:fs';

import { RemoteError, endpointShown } from './transport.mjs';

const json = (value) => JSON.stringify(value);

// Handshake requests give up after this many attempts (a server that is not there fails in about a
// second); a server still loading its model answers 503 with Retry-After, which is waited out.
const HANDSHAKE_ATTEMPTS = 6;

// --prompt: a template containing {text}, or @FILE holding one.
export function readPrompt(value) {
  if (!value.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch (e) {
    throw new RemoteError(`--prompt ${value}: cannot read the file (${e.code || e.message})`);
  }
}

// OpenAI-compatible completions (llama.cpp's llama-server, vLLM): one masked text per request,
// the row [log p(A), log p(B)] of the next token after the prompt.
async function openaiCompletions({ core, transport, args }) {
  if (!args.prompt) throw new RemoteError('--protocol openai-completions needs --prompt TEMPLATE (containing {text})');
  if (!args.answers) throw new RemoteError('--protocol openai-completions needs --answers A,B');
  const answers = args.answers.split(',');
  if (answers.length !== 2 || answers.some((a) => a === '')) {
    throw new RemoteError(`--answers: expected two non-empty answers separated by a comma, got '${args.answers}'`);
  }
  const prompt = readPrompt(args.prompt);
  const models = await transport.json('GET', 'v1/models', undefined, { what: 'the model list (GET /v1/models)', attempts: HANDSHAKE_ATTEMPTS });
  const listed = Array.isArray(models?.data) ? models.data.map((m) => m.id).filter((id) => typeof id === 'string') : [];
  const name = args.serverModel ?? listed[0] ?? '';
  if (args.serverModel && listed.length > 0 && !listed.includes(args.serverModel)) {
    throw new RemoteError(`${endpointShown(transport.endpoint)}: model '${args.serverModel}' not found; the server ` +
      `serves ${listed.map((m) => `'${m}'`).join(', ')}`);
  }
  const answerIds = [];
  for (const answer of answers) {
    const ids = JSON.parse(core.remoteParseTokenize(await transport.request('POST', 'tokenize',
      core.remoteTokenizeRequest(answer), { what: `tokenizing the answer '${answer}' (POST /tokenize)` })));
    answerIds.push(JSON.parse(core.remoteAnswerToken(json(ids), answer)));
  }
  const spec = json({ model: name, prompt, answers, answer_ids: answerIds, cache_prompt: args.promptCache });
  core.remoteCompletionRequest(spec, '');  // refuses a bad template before any call
  const props = await transport.json('GET', 'props', undefined, { what: 'GET /props', attempts: 1 }).catch(() => null);
  const slots = Number.isInteger(props?.total_slots) ? props.total_slots : null;
  return {
    protocol: 'openai-completions', labels: answers, serverModel: name, serverVersion: props?.build_info ?? null,
    maxRows: 1, slots,
    identity: { prompt, answers, answer_ids: answerIds },
    async score(texts) {
      const body = core.remoteCompletionRequest(spec, texts[0]);
      const text = await transport.request('POST', 'v1/completions', body, { what: 'a completion (POST /v1/completions)' });
      return [JSON.parse(core.remoteParseCompletion(text, spec))];
    },
  };
}

// Text Embeddings Inference: a sequence classifier's raw scores per label, many texts a request.
async function tei({ core, transport, args }) {
  const infoText = await transport.request('GET', 'info', undefined, { what: 'the model info (GET /info)', attempts: HANDSHAKE_ATTEMPTS });
  const labels = JSON.parse(core.remoteParseTeiInfo(infoText));
  const info = JSON.parse(infoText);
  const maxRows = Number.isInteger(info.max_client_batch_size) ? info.max_client_batch_size : 32;
  return {
    protocol: 'tei', labels, serverModel: info.model_id ?? '', serverVersion: info.version ?? null,
    maxRows, slots: Number.isInteger(info.max_concurrent_requests) ? Math.min(info.max_concurrent_requests, 64) : null,
    identity: { labels },
    async score(texts) {
      const text = await transport.request('POST', 'predict', core.remoteTeiRequest(json(texts)),
        { rows: texts.length, what: `scoring ${texts.length} texts (POST /predict)` });
      const logits = JSON.parse(core.remoteParseTei(text, json(labels), texts.length));
      return texts.map((_, r) => logits.slice(r * labels.length, (r + 1) * labels.length));
    },
  };
}

// Open Inference Protocol v2 (KServe, Triton): the model's one BYTES input takes the texts; the
// logits come back as binary data when the server lists the binary_tensor_data extension.
async function oipV2({ core, transport, args }) {
  if (!args.serverModel) throw new RemoteError('--protocol oip-v2 needs --server-model NAME (the model the server serves)');
  const name = encodeURIComponent(args.serverModel);
  const route = `v2/models/${name}/infer`;
  await transport.request('GET', 'v2/health/ready', undefined,
    { what: 'the readiness check (GET /v2/health/ready)', attempts: HANDSHAKE_ATTEMPTS });
  const server = await transport.json('GET', 'v2', undefined, { what: 'the server metadata', attempts: 1 }).catch(() => null);
  const binary = Array.isArray(server?.extensions) && server.extensions.includes('binary_tensor_data');
  const model = core.remoteParseOipMetadata(await transport.request('GET', `v2/models/${name}`, undefined,
    { what: `the metadata of model '${args.serverModel}' (GET /v2/models/${name})`, attempts: HANDSHAKE_ATTEMPTS }));
  const meta = JSON.parse(model);
  const config = await transport.json('GET', `v2/models/${name}/config`, undefined, { what: 'the model config', attempts: 1 })
    .catch(() => null);
  const maxRows = Number.isInteger(config?.max_batch_size) && config.max_batch_size > 0 ? config.max_batch_size : 64;
  const infer = async (texts, what) => {
    const r = await transport.response('POST', route, core.remoteOipRequest(model, json(texts), binary),
      { rows: texts.length, what });
    const headerLength = r.headers.get('inference-header-content-length');
    if (headerLength === null) return JSON.parse(core.remoteParseOip(r.text, model, texts.length));
    const n = Number(headerLength);
    if (!Number.isSafeInteger(n) || n < 0 || n > r.bytes.length) {
      throw new RemoteError(`oip-v2: Inference-Header-Content-Length ${headerLength} does not fit the ${r.bytes.length}-byte answer`);
    }
    const header = new TextDecoder().decode(r.bytes.subarray(0, n));
    return JSON.parse(core.remoteParseOipBinary(header, r.bytes.subarray(n), model, texts.length));
  };
  // The labels come with the first answer (the output's class count): one call learns them.
  const probe = await infer([''], 'a first inference');
  return {
    protocol: 'oip-v2', labels: probe.labels, serverModel: meta.name, serverVersion: meta.versions?.at(-1) ?? null,
    maxRows, slots: null, binary,
    identity: { model: meta },
    async score(texts) {
      const out = await infer(texts, `scoring ${texts.length} texts (POST /${route})`);
      return texts.map((_, r) => out.logits.slice(r * out.classes, (r + 1) * out.classes));
    },
  };
}

const BACKENDS = { 'openai-completions': openaiCompletions, tei, 'oip-v2': oipV2 };
export const PROTOCOLS = Object.keys(BACKENDS);

// The backend of args.protocol after its handshake with the server.
export async function connectBackend({ core, transport, args }) {
  const make = BACKENDS[args.protocol];
  if (!make) throw new RemoteError(`--protocol: expected ${PROTOCOLS.join(', ')}, got '${args.protocol}'`);
  return make({ core, transport, args });
}
