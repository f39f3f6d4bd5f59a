// spexlens-probe: runs a behavioural probe suite on a model folder, locally. The C++ core (WebAssembly)
// reads and expands the suite, ONNX Runtime scores every case text (as an explanation's
// all-words-kept query, web/js/probe_scoring.mjs), the core judges and writes the report; a failing
// case can be explained with the same engine as spexlens-explain. See --help and docs/probe-suites.md.
import { readFileSync, statSync, writeFileSync } from 'node:fs';

import { MAX_EXPLAINED, USAGE, parseArgs } from './cli_args.mjs';
import { commandLine, failer } from '../explain/cli_common.mjs';
import { loadCore, loadModelDir, loadRuntime } from '../explain/node_env.mjs';
import { explainText } from '../../web/js/explain_loop.mjs';
import { scoreTexts } from '../../web/js/probe_scoring.mjs';

const fail = failer('spexlens-probe');

const note = (message) => process.stderr.write(`spexlens-probe: ${message}\n`);

function readSuite(core, file) {
  let size;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new Error(`cannot read the suite ${file} (${e.code || e.message})`);
  }
  if (size > core.probeMaxSuiteBytes) {
    throw new Error(`the suite ${file} is ${size} bytes, more than the limit of ${core.probeMaxSuiteBytes}; ` +
      'split it into several suites');
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the suite ${file} (${e.code || e.message})`);
  }
}

function writeOutput(file, text, what) {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new Error(`cannot write the ${what} to ${file} (${e.code || e.message})`);
  }
}

// The cases to explain: those asked for by id, or every failing one (at most MAX_EXPLAINED).
function casesToExplain(args, plan, report) {
  const byId = new Map(plan.cases.map((c) => [c.id, c]));
  const failing = report.tests.flatMap((t) => t.failures.map((f) => f.id));
  if (args.explainAll) {
    if (failing.length > MAX_EXPLAINED) {
      note(`${failing.length} cases failed; explaining the first ${MAX_EXPLAINED} (--explain-failure ID for others)`);
    }
    for (const id of failing.slice(0, MAX_EXPLAINED)) {
      if (!args.explainIds.includes(id)) args.explainIds.push(id);
    }
  }
  for (const id of args.explainIds) {
    if (!failing.includes(id)) note(`case ${id} passed; explaining it as asked`);
  }
  return args.explainIds.map((id) => byId.get(id));
}

async function explainCases(env, cases, target, options) {
  const out = [];
  for (const c of cases) {
    const roles = c.texts.length === 2 ? ['base', 'perturbed'] : ['text'];
    for (let k = 0; k < c.texts.length; k++) {
      const result = await explainText({ ...env, text: c.texts[k], options: { ...options, ...(target ? { target } : {}) } });
      note(`explained case ${c.id} (${roles[k]}): ${result.n} features, R² ${result.faithfulness?.r2?.toFixed(3) ?? 'n/a'}`);
      out.push({ case: c.id, role: roles[k], text: c.texts[k], result });
    }
  }
  return out;
}

async function main() {
  const args = commandLine(parseArgs, USAGE, fail);
  if (!args) return;
  try {
    const core = await loadCore();
    const suiteText = readSuite(core, args.suite);
    const plan = JSON.parse(core.probeExpand(suiteText));
    const ids = new Set(plan.cases.map((c) => c.id));
    for (const id of args.explainIds) {
      if (!ids.has(id)) {
        throw new Error(`--explain-failure ${id}: the suite has no such case (its cases are ` +
          `${plan.cases[0].id} .. ${plan.cases[plan.cases.length - 1].id}, TEST.CASE as the report lists them)`);
      }
    }
    const { ort, sessionOptions } = await loadRuntime(args.runtime, args.threads);
    const model = await loadModelDir({ core, ort, sessionOptions, dir: args.modelDir });
    if (plan.model_hint && plan.model_hint !== model.name) {
      note(`the suite was written for ${plan.model_hint}; running it on ${model.name}`);
    }
    const scores = await scoreTexts({ core, ort, model, texts: plan.texts, target: plan.target, batchSize: args.batch });
    const scoresJson = JSON.stringify(scores);
    const report = JSON.parse(core.probeReport(suiteText, scoresJson, model.name, args.date));
    const passed = report.tests.filter((t) => t.passed).length;
    note(`${plan.suite} on ${model.name}: ${passed} of ${report.tests.length} tests passed, ${report.failed} of ` +
      `${report.cases} cases failed`);
    const explain = casesToExplain(args, plan, report);
    if (explain.length > 0) {
      report.explanations = await explainCases({ core, ort, model }, explain, plan.target, args.explainOptions);
    }
    if (args.csv) writeOutput(args.csv, core.probeCsv(suiteText, scoresJson), 'CSV');
    if (args.html) writeOutput(args.html, core.probeHtml(suiteText, scoresJson, model.name, args.date), 'HTML summary');
    const json = JSON.stringify(report, null, 2) + '\n';
    if (args.out) writeOutput(args.out, json, 'report');
    else process.stdout.write(json);
  } catch (e) {
    fail(e.message, 1);
  }
}

await main();
