// page_defaults: the page's default run: b = 5 with 500 held-out masks explains a 60-word
// e-mail in about 2.5 s in headless Chromium on a 2-core machine (and finds its interactions,
// which b = 4 does not); measured in docs/benchmarks.md, "The page". The C++ controls start
// from the same values (src/app/ui/app_state.h run_settings).
export const DEFAULT_RUN = {
  model: 'spam-transformer',
  options: { method: 'spex-soft', b: 5, holdout: 500, max_order: 2, index: 'FSII', seed: 0, features: 'word' },
};

// ONNX Runtime threads. Threads need cross-origin isolation (scripts/serve_site.py sends
// COOP/COEP); without it ORT runs one. Two threads took the 60-word e-mail from 2.7 s to 1.9 s
// on the 2-core test machine; more were not measured. ?threads=N overrides (1..4).
export function ortThreads(params) {
  if (!self.crossOriginIsolated) return 1;
  const asked = Number(params.get('threads'));
  if (asked >= 1) return Math.min(Math.floor(asked), 4);
  return Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1));
}
