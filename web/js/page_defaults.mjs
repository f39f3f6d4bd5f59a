// page_defaults: how many threads ONNX Runtime gets in this browser. The page's default run is
// not written here: it lives in C++ (src/defaults/run_defaults.h), which the app's controls and
// window.spexlens.explain read, and which the worker reports (init: pageDefaults, from
// core.pageDefaultOptions()) to the benchmark page.

// ONNX Runtime threads. Threads need cross-origin isolation (scripts/serve_site.py sends
// COOP/COEP); without it ORT runs one. Two threads took the 60-word e-mail from 2.7 s to 1.9 s
// on the 2-core test machine; more were not measured. ?threads=N overrides (1..4).
export function ortThreads(params) {
  if (!self.crossOriginIsolated) return 1;
  const asked = Number(params.get('threads'));
  if (asked >= 1) return Math.min(Math.floor(asked), 4);
  return Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1));
}
