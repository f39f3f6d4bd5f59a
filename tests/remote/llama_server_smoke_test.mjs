// Smoke test of the llama-server fixture and of the exact-answer request (issue 16;
// docs/remote-llama-server.md): a real llama-server with the tiny seeded model answers
// log p(" yes") − log p(" no") finitely; the biased request agrees with the raw softmax over the
// whole vocabulary (a second, independent method); masking words of the text changes the value;
// the same request twice gives the same value (prompt cache off); /props, /v1/models and
// /tokenize answer as documented; after a kill and a restart on the same port /health goes from
// refused or 503 to 200 and the values are unchanged. Plain node script: exit code 1 on failure.
//
//   node tests/remote/llama_server_smoke_test.mjs
// Needs scripts/remote/setup_llama_server.sh to have been run (the model is written on demand).
import { answerLogProbDiff, llamaServerBuilt, startLlamaServer } from './llama_server_fixture.mjs';

const TEMPLATE = 'Review: {text}\nIs the review positive? Answer:';
const TEXT = 'the plot was thin but the actors were wonderful and the music stayed with me';
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

async function post(url, route, body) {
  const res = await fetch(`${url}${route}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${route} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** The single token id of `piece` (throws when it is not one token). */
async function singleToken(url, piece) {
  const { tokens } = await post(url, '/tokenize', { content: piece, add_special: false });
  if (tokens.length !== 1) throw new Error(`"${piece}" is ${tokens.length} tokens, not one`);
  return tokens[0];
}

/** log p(A) − log p(B) from the raw softmax over the whole vocabulary (no bias, no samplers). */
async function rawDiff(url, prompt, idA, idB, nVocab) {
  const json = await post(url, '/completion', {
    prompt, n_predict: 1, n_probs: nVocab, post_sampling_probs: false, cache_prompt: false,
    // A sampled end-of-text token would end the answer with no probabilities; the raw ones read
    // here come before sampling, so neither setting changes them.
    ignore_eos: true, seed: 1,
  });
  const top = json.completion_probabilities[0].top_logprobs;
  const lp = (id) => top.find((t) => t.id === id)?.logprob;
  return lp(idA) - lp(idB);
}

/** Polls GET /health every 20 ms until 200 or `timeoutMs`; returns the statuses seen
 *  ('refused' for a refused connection). */
async function healthUntilOk(url, timeoutMs) {
  const seen = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let status = 'refused';
    try {
      status = (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).status;
    } catch { /* not listening yet */ }
    seen.push(status);
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return seen;
}

/** The text with the words at `drop` (indices) removed, wrapped in the template. */
function masked(drop) {
  const words = TEXT.split(' ').filter((_, i) => !drop.includes(i));
  return TEMPLATE.replace('{text}', words.join(' '));
}

async function main() {
  if (!llamaServerBuilt('llama_server_smoke_test')) return 'skipped';
  const t0 = Date.now();
  const server = await startLlamaServer({ slots: 4 });
  const tReady = Date.now();
  try {
    const { url } = server;
    const props = await (await fetch(`${url}/props`)).json();
    check(props.total_slots === 4, `/props total_slots is 4 (got ${props.total_slots})`);
    const yes = await singleToken(url, ' yes');
    const no = await singleToken(url, ' no');
    check(yes !== no, `" yes" and " no" are different single tokens (${yes}, ${no})`);
    const models = await (await fetch(`${url}/v1/models`)).json();
    const nVocab = models.data[0].meta.n_vocab;
    check(nVocab === 128256, `/v1/models reports the Llama 3 vocabulary (n_vocab ${nVocab})`);

    const prompts = [masked([]), masked([5, 6, 7, 8]), masked([0, 1, 2, 3]), masked([10, 11, 12, 13, 14])];
    const exact = [];
    let maxErr = 0;
    for (const prompt of prompts) {
      const { diff } = await answerLogProbDiff(url, prompt, yes, no);
      const raw = await rawDiff(url, prompt, yes, no, nVocab);
      exact.push(diff);
      maxErr = Math.max(maxErr, Math.abs(diff - raw));
      check(Number.isFinite(diff), `finite log p(" yes") − log p(" no") = ${diff.toFixed(5)} (raw softmax ${raw.toFixed(5)})`);
    }
    check(maxErr < 1e-4, `biased request equals the raw softmax (max |difference| ${maxErr.toExponential(2)})`);
    const spread = Math.max(...exact) - Math.min(...exact);
    check(spread > 0.05, `masking words changes the value (spread over 4 prompts ${spread.toFixed(4)})`);
    const again = await answerLogProbDiff(url, prompts[1], yes, no);
    check(again.diff === exact[1], `same request twice gives the same value (${again.diff} vs ${exact[1]})`);

    // Token ids as the prompt give the same value as the text.
    const { tokens } = await post(url, '/tokenize', { content: prompts[2], add_special: true });
    const byIds = await answerLogProbDiff(url, tokens, yes, no);
    check(Math.abs(byIds.diff - exact[2]) < 1e-5, `prompt as token ids gives the same value (${byIds.diff.toFixed(5)})`);

    // kill (a crash) and restart on the same port: /health is refused or 503 while loading, then
    // 200, and the model answers exactly as before.
    await server.kill();
    await server.restart({ wait: false });
    const seen = await healthUntilOk(url, 60000);
    check(seen.at(-1) === 200, `after kill + restart /health went ${[...new Set(seen)].join(' → ')}`);
    const after = await answerLogProbDiff(url, prompts[0], yes, no);
    check(after.diff === exact[0], `the restarted server gives the same value (${after.diff.toFixed(5)})`);
  } finally {
    await server.stop();
  }
  console.log(`server ready in ${tReady - t0} ms; whole test ${Date.now() - t0} ms`);
}

main().then((outcome) => {
  if (outcome === 'skipped') return;
  if (failures.length) {
    console.error(`llama_server_smoke_test: ${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('llama_server_smoke_test: all checks passed');
}, (err) => {
  console.error(`llama_server_smoke_test: ${err.message}`);
  process.exit(1);
});
