// page_defaults: the page's default run: auto (ProxySPEX or ridge regression, chosen by
// cross-validation) on 4,000 model calls with 500 held-out masks, a first result after 500 calls
// (docs/benchmarks.md, "The page"); SPEX and its baselines keep b = 5. The C++ controls start
// from the same values (src/app/ui/app_state.h run_settings).
export const DEFAULT_RUN = {
  model: 'spam-transformer',
  options: { method: 'auto', budget: 4000, holdout: 500, max_order: 2, index: 'FSII', seed: 0, features: 'word',
    early_results: true },
  spexB: 5,  // the b of SPEX and its baselines, which are sized by b
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
