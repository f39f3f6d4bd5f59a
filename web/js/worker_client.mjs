// worker_client: the main thread's side of inference_worker.mjs. Every request gets an id and a
// promise; progress messages for a request, and its early results ({type: 'early', json}), go to
// its onProgress callback.
//   const w = new WorkerClient(await createInferenceWorker());   // site_files.mjs
//   await w.request('init', { threads: 1 });
//   const { json } = await w.request('explain', { key, text, options }, ({ done, total }) => ...);
//   const { attentions, dims, players } = await w.request('internals').promise;  // the last run's text (docs/attention.md)
export class WorkerClient {
  // worker: the inference worker (site_files.mjs createInferenceWorker).
  constructor(worker) {
    this.worker = worker;
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => this.#receive(data);
    this.worker.onerror = (event) => this.#failAll(`the inference worker failed to start (${event.message || 'load error'})`);
  }

  // Resolves with the handler's value; rejects with an Error (err.cancelled for a cancelled run).
  request(type, fields = {}, onProgress = null, transfer = []) {
    const id = this.nextId++;
    return {
      id,
      promise: new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onProgress });
        this.worker.postMessage({ ...fields, type, id }, transfer);
      }),
    };
  }

  cancel(runId) {
    this.worker.postMessage({ type: 'cancel', runId });
  }

  #receive(m) {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress' || m.type === 'early') {
      p.onProgress?.(m);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'done') {
      p.resolve(m.value);
    } else {
      const error = new Error(m.message);
      error.cancelled = m.cancelled === true;
      p.reject(error);
    }
  }

  #failAll(message) {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }
}
