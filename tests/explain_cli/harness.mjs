// harness: a few lines of test runner for the command-line explainer's tests (plain Node, no
// test framework to install): named cases, one line per result, exit 1 on any failure.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'scripts', 'spexlens-explain');

const cases = [];
export function test(name, fn) {
  cases.push({ name, fn });
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export function near(actual, expected, tolerance, what) {
  check(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

// Runs a command-line tool; returns { status, stdout, stderr, json } (json when stdout parses).
export function runCli(cli, args, input) {
  const r = spawnSync(cli, args, { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  let json = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // not JSON (an error, or JSONL)
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

// Runs the text explainer (runCli on spexlens-explain).
export const explain = (args, input) => runCli(CLI, args, input);

// A tool's refusal (`r` from runCli): exit `status`, nothing on stdout, exactly one line
// "<tool>: error: ..." on stderr, naming each of `phrases`.
export function refusedBy(tool, r, status, ...phrases) {
  check(r.status === status, `expected exit ${status}, got ${r.status} (stderr: ${r.stderr.trim()})`);
  check(r.stdout === '', `nothing on stdout, got ${r.stdout.slice(0, 200)}`);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith(`${tool}: error: `));
  check(errors.length === 1, `one error line, got: ${r.stderr}`);
  for (const p of phrases) check(errors[0].includes(p), `message should mention "${p}": ${errors[0]}`);
}

// The result without what differs between runs (docs/result-schema.md: only timing_ms).
export const stable = (result) => JSON.stringify({ ...result, timing_ms: undefined });

// A run that must succeed: its result.
export function explained(r, what) {
  check(r.status === 0, `${what}: exit ${r.status}: ${r.stderr.trim()}`);
  check(r.json && r.json.schema === 'spexlens.result', `${what}: stdout is not a result: ${r.stdout.slice(0, 200)}`);
  return r.json;
}

// A refusal: non-zero exit, nothing on stdout, exactly one error line (the last on stderr; a run
// that got as far as deriving the manifest prints its notes before it), naming the problem, fast.
export function refused(args, ...phrases) {
  const t0 = performance.now();
  const r = explain(args);
  const seconds = (performance.now() - t0) / 1000;
  check(r.status !== 0 && r.status !== null, `expected a non-zero exit, got ${r.status} (stderr: ${r.stderr.trim()})`);
  check(r.stdout === '', `nothing on stdout, got ${r.stdout.slice(0, 200)}`);
  const lines = r.stderr.trimEnd().split('\n');
  const errors = lines.filter((l) => l.startsWith('spexlens-explain: error: '));
  check(errors.length === 1 && errors[0] === lines[lines.length - 1], `one error line, last; stderr: ${r.stderr}`);
  for (const p of phrases) check(errors[0].includes(p), `message should mention "${p}": ${errors[0]}`);
  check(seconds < 10, `took ${seconds.toFixed(1)} s to refuse`);
  return lines;
}

export async function run() {
  let failed = 0;
  for (const { name, fn } of cases) {
    const t0 = performance.now();
    try {
      await fn();
      console.log(`ok   ${name} (${Math.round(performance.now() - t0)} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e.message}`);
    }
  }
  console.log(`${cases.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
