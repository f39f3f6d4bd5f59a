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

// Runs the CLI; returns { status, stdout, stderr, json } (json when stdout parses).
export function explain(args, input) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  let json = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // not JSON (an error, or JSONL)
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
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
