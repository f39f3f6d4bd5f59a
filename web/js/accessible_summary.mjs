// accessible_summary: the canvas is invisible to screen readers, so the main findings of each
// result (and every error) are also written as plain DOM text.

function words(result, set) {
  return set.map((i) => (result.features?.[i]?.text ?? `x${i}`)).join(' + ');
}

export function summarize(result) {
  const lines = [];
  const r2 = result.faithfulness?.r2;
  lines.push(`Explained ${result.n} ${result.granularity === 'sentence' ? 'sentences' : 'features'} with ` +
    `${result.method} using ${result.queries} masked queries (seed ${result.seed}); held-out R² = ` +
    `${r2 === null || r2 === undefined ? 'undefined' : r2.toFixed(3)}.`);
  const shapley = (result.shapley || []).map((v, i) => [i, v]).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  lines.push('Largest Shapley values: ' + shapley.slice(0, 5)
    .map(([i, v]) => `${words(result, [i])} ${v >= 0 ? '+' : ''}${v.toFixed(2)}`).join('; ') + '.');
  const pairs = (result.index?.values || []).filter((e) => e.set.length >= 2).slice(0, 5);
  if (pairs.length) {
    lines.push(`Largest interactions (${result.index.name}): ` + pairs
      .map((e) => `${words(result, e.set)} ${e.value >= 0 ? '+' : ''}${e.value.toFixed(2)}`).join('; ') + '.');
  }
  if (result.interpretation) lines.push(result.interpretation);
  return lines.join(' ');
}

export function announce(element, text) {
  element.textContent = text;
}
