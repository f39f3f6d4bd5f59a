// remote_main: spexlens-explain --endpoint: checks the endpoint and the credentials, connects the
// backend, and explains --text or every line of --input with the calls of all texts in flight
// together; each result is written as soon as its text is done. docs/remote-inference.md.
import { readFileSync } from 'node:fs';

import { connectBackend } from './backends.mjs';
import { AnswerCache, sha256 } from './answer_cache.mjs';
import { Limiter, RemoteStats, explainRemote } from './remote_explain.mjs';
import { RemoteError, Transport, endpointShown } from './transport.mjs';

// The endpoint as a URL, refused unless http(s) without credentials or a query, and listed in
// the allow-list file when one is given.
export function checkEndpoint(raw, allowFile) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new RemoteError(`--endpoint: '${raw}' is not a URL (e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RemoteError(`--endpoint: expected an http:// or https:// URL, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new RemoteError('--endpoint: the URL carries a user or password; pass credentials with --api-key-env or ' +
      '--api-key-file so they stay out of logs and results');
  }
  if (url.search || url.hash) throw new RemoteError('--endpoint: the URL has a query or fragment; give the base URL only');
  if (allowFile !== undefined) {
    let lines;
    try {
      lines = readFileSync(allowFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    } catch (e) {
      throw new RemoteError(`--allow-endpoints ${allowFile}: cannot read it (${e.code || e.message})`);
    }
    const shown = endpointShown(url);
    if (!lines.some((prefix) => shown === prefix.replace(/\/$/, '') || shown.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`))) {
      throw new RemoteError(`--endpoint ${shown} is not in the allow-list ${allowFile}`);
    }
  }
  return url;
}

// The Authorization header from --api-key-env / --api-key-file; the key is never printed.
export function credentials(args, env = process.env) {
  let key;
  if (args.apiKeyEnv !== undefined) {
    key = env[args.apiKeyEnv];
    if (!key) throw new RemoteError(`--api-key-env ${args.apiKeyEnv}: the variable is not set or empty`);
  } else if (args.apiKeyFile !== undefined) {
    try {
      key = readFileSync(args.apiKeyFile, 'utf8').trim();
    } catch (e) {
      throw new RemoteError(`--api-key-file ${args.apiKeyFile}: cannot read it (${e.code || e.message})`);
    }
    if (!key) throw new RemoteError(`--api-key-file ${args.apiKeyFile}: the file is empty`);
  } else {
    return {};
  }
  if (/[\r\n]/.test(key)) throw new RemoteError('the API key holds a line break');
  return { authorization: `Bearer ${key}` };
}

// What a result says about where its numbers came from.
function provenanceOf(url, backend) {
  return {
    endpoint: endpointShown(url), protocol: backend.protocol, server_model: backend.serverModel,
    server_version: backend.serverVersion, labels: backend.labels,
    ...(backend.identity.prompt !== undefined ? { prompt_sha256: sha256(backend.identity.prompt) } : {}),
  };
}

// Connects and returns run(text) → result, plus the shared progress counters.
export async function connectRemote({ core, args, log = (s) => process.stderr.write(s) }) {
  const url = checkEndpoint(args.endpoint, args.allowEndpoints);
  const transport = new Transport({
    core, endpoint: url, headers: credentials(args), timeoutMs: (args.timeout ?? 60) * 1000,
    seed: args.options.seed ?? 0,
    onRetry: ({ attempt, delayMs, said }) => log(`spexlens-explain: ${said}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s\n`),
  });
  const backend = await connectBackend({ core, transport, args });
  const concurrency = args.concurrency ?? backend.slots ?? 4;
  const limiter = new Limiter(concurrency);
  const provenance = provenanceOf(url, backend);
  const cacheKey = JSON.stringify({ endpoint: provenance.endpoint, protocol: backend.protocol,
    model: backend.serverModel, version: backend.serverVersion, identity: backend.identity, promptCache: !!args.promptCache });
  const cache = new AnswerCache(args.noCache ? null : (args.cache ?? '.spexlens-cache/remote'), cacheKey);
  const stats = new RemoteStats();
  const pull = Math.max(64, concurrency * backend.maxRows * 4);
  log(`spexlens-explain: scoring through ${provenance.endpoint} (${backend.protocol}, model ` +
    `'${backend.serverModel || '?'}', ${concurrency} request${concurrency > 1 ? 's' : ''} in flight` +
    `${cache.dir ? `, cache ${cache.dir}` : ', no cache'})\n`);
  const run = (text) => explainRemote({ core, backend, limiter, cache, stats, text, options: args.options,
    provenance: { ...provenance, concurrency }, pull });
  return { run, stats, transport, backend, cache };
}
