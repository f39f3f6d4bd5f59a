// The remote-inference bindings (src/wasm/remote_bindings.cpp) as the Node glue calls them: each
// function reachable from the wasm core, JSON in and out, refusals as JS Errors carrying the C++
// message. The protocols themselves are tested natively (tests/explain/test_remote_protocol.cpp);
// this checks the glue. SPEXLENS_CORE names the core (as for the other explain_cli tests).
import { loadCore } from '../../scripts/explain/node_env.mjs';
import { check, run, test } from './harness.mjs';

const core = await loadCore();
const spec = JSON.stringify({ prompt: 'Note: {text}\nUrgent? Answer:', answers: [' yes', ' no'], answer_ids: [5, 6] });
const meta = JSON.stringify({
  name: 'm', platform: 'ensemble', inputs: [{ name: 'TEXT', datatype: 'BYTES', shape: [-1] }],
  outputs: [{ name: 'logits', datatype: 'FP32', shape: [-1, 2] }],
});

function refuses(fn, ...phrases) {
  let error = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  check(error instanceof Error, 'expected a JS Error');
  for (const p of phrases) check(error.message.includes(p), `"${error.message}" lacks "${p}"`);
}

test('openai-completions: tokenize, answer ids, request and log-probabilities', () => {
  check(JSON.parse(core.remoteTokenizeRequest(' yes')).content === ' yes', 'tokenize request');
  check(JSON.parse(core.remoteParseTokenize('{"tokens":[5]}'))[0] === 5, 'tokenize response');
  check(core.remoteAnswerToken('[5]', ' yes') === 5, 'answer token');
  const r = JSON.parse(core.remoteCompletionRequest(spec, 'chest pain'));
  check(r.prompt === 'Note: chest pain\nUrgent? Answer:' && r.logit_bias['6'] === 100, JSON.stringify(r));
  const lp = JSON.parse(core.remoteParseCompletion(JSON.stringify({ completion_probabilities: [{ top_logprobs: [
    { id: 6, token: ' no', logprob: -2.5 }, { id: 5, token: ' yes', logprob: -0.1 }] }] }), spec));
  check(lp[0] === -0.1 && lp[1] === -2.5, `log-probabilities ${lp}`);
  refuses(() => core.remoteAnswerToken('[5, 9]', ' yes'), 'is 2 tokens', 'single-token answers');
  refuses(() => core.remoteParseCompletion('<html>502</html>', spec), 'openai-completions:', 'is not JSON');
  refuses(() => core.remoteCompletionRequest(JSON.stringify({ prompt: 'x', answers: ['a', 'b'] }), 'y'), 'no {text}');
});

test('tei: labels from /info, nested request, rows reordered to the labels', () => {
  const labels = core.remoteParseTeiInfo('{"model_type":{"classifier":{"id2label":{"0":"neg","1":"pos"}}}}');
  check(labels === '["neg","pos"]', labels);
  check(core.remoteTeiRequest('["a","b"]') === '{"inputs":[["a"],["b"]],"raw_scores":true,"truncate":true}', 'request');
  const logits = JSON.parse(core.remoteParseTei('[[{"label":"pos","score":1.5},{"label":"neg","score":-1}]]', labels, 1));
  check(logits[0] === -1 && logits[1] === 1.5, `logits ${logits}`);
  refuses(() => core.remoteParseTei('[]', labels, 2), 'tei: the server returned 0 rows for 2 texts');
});

test('oip-v2: metadata, request, JSON and binary responses', () => {
  check(JSON.parse(core.remoteParseOipMetadata(meta)).logits_output === 'logits', 'metadata');
  const r = JSON.parse(core.remoteOipRequest(meta, '["a","b"]', true));
  check(r.inputs[0].shape[0] === 2 && r.outputs[0].parameters.binary_data === true, JSON.stringify(r));
  const j = JSON.parse(core.remoteParseOip(
    '{"outputs":[{"name":"logits","shape":[1,2],"datatype":"FP32","data":[0.5,-0.5]}]}', meta, 1));
  check(j.classes === 2 && j.logits[1] === -0.5 && j.labels[0] === 'class 0', JSON.stringify(j));
  const bytes = new Uint8Array(new Float32Array([0.25, -4]).buffer);
  const b = JSON.parse(core.remoteParseOipBinary(
    '{"outputs":[{"name":"logits","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}]}',
    bytes, meta, 1));
  check(b.logits[0] === 0.25 && b.logits[1] === -4, JSON.stringify(b));
  refuses(() => core.remoteOipRequest(JSON.stringify({ name: 'bert', inputs: [{ name: 'input_ids', datatype: 'INT64',
    shape: [-1, -1] }], outputs: [] }), '["a"]', false), 'input_ids INT64 [-1,-1]', 'one BYTES input');
});

test('retries: decisions as JSON, deterministic per seed and attempt', () => {
  const d = (input) => JSON.parse(core.remoteDecideRetry(JSON.stringify(input)));
  check(d({ status: 503, attempt: 1, retry_after: '2' }).delay_ms === 2000, 'Retry-After');
  const a = d({ status: 0, attempt: 3, seed: 7 });
  check(a.action === 'wait' && a.delay_ms >= 0 && a.delay_ms <= 1000, JSON.stringify(a));
  check(d({ status: 0, attempt: 3, seed: 7 }).delay_ms === a.delay_ms, 'deterministic');
  check(d({ status: 413, attempt: 1, batch_rows: 8 }).action === 'halve_batch', '413');
  check(d({ status: 404, attempt: 1 }).action === 'fail', '404');
  check(d({ status: 502, attempt: 8 }).reason.startsWith('gave up after 8 attempts'), 'give up');
  refuses(() => core.remoteDecideRetry('{"status":503}'), '"attempt" is required');
});

await run();
