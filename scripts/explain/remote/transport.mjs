// transport: HTTP to an inference server for the remote backends — keep-alive (Node's fetch),
// a timeout per request, and retries whose every decision (wait how long, halve the batch,
// give up) the C++ core makes (src/explain/remote_protocol.h decide_retry). Request and
// response bodies are never logged; a server's error message is shown cut to one short line.

// An error the run cannot go past; `message` is one line for the user.
export class RemoteError extends Error {}

// Thrown by request() when the server answered 413 and the core says: send fewer texts.
export class HalveBatch extends Error {}

const MAX_SHOWN = 200;

// The largest answer read from a server (a batch of logits or log-probabilities is far smaller);
// a larger one is refused, so a misbehaving server cannot fill the memory.
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

// The body of `response`, refused past MAX_RESPONSE_BYTES while it streams in.
async function readCapped(response) {
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      await response.body.cancel?.().catch(() => {});
      throw new RemoteError(`the server's answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; refused`);
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

// At most MAX_SHOWN characters of a server's error body, on one line.
function shownBody(text) {
  const line = String(text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > MAX_SHOWN ? `${line.slice(0, MAX_SHOWN)}…` : line;
}

// The endpoint as written in messages and results: scheme, host, port and path, never a user,
// password or query string.
export function endpointShown(url) {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
}

export class Transport {
  // endpoint: URL; headers: sent with every request (credentials stay out of every message);
  // timeoutMs per request; seed for the jitter; sleep(ms) is replaceable for tests.
  constructor({ core, endpoint, headers = {}, timeoutMs = 60000, seed = 0, maxAttempts = 8,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)), onRetry }) {
    this.core = core;
    this.endpoint = endpoint;
    this.headers = headers;
    this.timeoutMs = timeoutMs;
    this.seed = seed;
    this.maxAttempts = maxAttempts;
    this.sleep = sleep;
    this.onRetry = onRetry;
    this.retries = 0;
  }

  url(path) {
    const base = this.endpoint.href.endsWith('/') ? this.endpoint.href : `${this.endpoint.href}/`;
    return new URL(path.replace(/^\//, ''), base);
  }

  // One attempt: {status, headers, text} or {status: 0, error} for a connection error/timeout.
  async attempt(method, path, body) {
    const init = { method, headers: { ...this.headers }, signal: AbortSignal.timeout(this.timeoutMs) };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    try {
      const response = await fetch(this.url(path), init);
      const bytes = await readCapped(response);
      return { status: response.status, headers: response.headers, bytes, text: new TextDecoder().decode(bytes) };
    } catch (e) {
      if (e instanceof RemoteError) throw e;
      const cause = e.cause?.code ?? e.cause?.message ?? e.name;
      const what = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : `cannot connect (${cause})`;
      return { status: 0, error: what };
    }
  }

  // The response text of a 2xx answer to `method path`; retries as the core decides. `rows` is
  // the number of texts in the request (a 413 with more than one becomes HalveBatch).
  // `attempts` overrides the transport's maxAttempts (the handshake gives up sooner on a server
  // that is not there).
  async request(method, path, body, options) {
    return (await this.response(method, path, body, options)).text;
  }

  // request() as {headers, bytes, text} (for binary answers).
  async response(method, path, body, { rows = 1, what = `${method} ${path}`, attempts = this.maxAttempts } = {}) {
    for (let attempt = 1; ; attempt++) {
      const r = await this.attempt(method, path, body);
      if (r.status >= 200 && r.status < 300) return r;
      const decision = JSON.parse(this.core.remoteDecideRetry(JSON.stringify({
        status: r.status, attempt, retry_after: r.headers?.get('retry-after') ?? '', now_ms: Date.now(),
        max_attempts: attempts, seed: this.seed, batch_rows: rows,
      })));
      const said = r.status === 0 ? r.error : `HTTP ${r.status}${r.text ? `: ${shownBody(r.text)}` : ''}`;
      if (decision.action === 'halve_batch') throw new HalveBatch(said);
      if (decision.action === 'fail') {
        throw new RemoteError(`${endpointShown(this.endpoint)}: ${what}: ${said} (${decision.reason})`);
      }
      this.retries++;
      this.onRetry?.({ attempt, delayMs: decision.delay_ms, said });
      await this.sleep(decision.delay_ms);
    }
  }

  // request() parsed as JSON.
  async json(method, path, body, options) {
    const text = await this.request(method, path, body, options);
    try {
      return JSON.parse(text);
    } catch {
      throw new RemoteError(`${endpointShown(this.endpoint)}: ${options?.what ?? path}: the answer is not JSON ` +
        `(${shownBody(text).slice(0, 60)}); is --protocol right for this server?`);
    }
  }
}
