/** One worker thread of `bench --workers`: a shard of the run, its report posted back. */
import { parentPort, workerData } from "node:worker_threads";
import { UserError } from "../util/exit-codes.js";
import { runBench } from "./bench.js";
import type { WorkerMessage, WorkerStart } from "./workers.js";

const port = parentPort;
if (!port) throw new Error("bench-worker.js runs as a worker thread of `bench --workers`");
const start = workerData as WorkerStart;
const abort = new AbortController();
port.on("message", (message) => {
  if (message === "abort") abort.abort();
});
const post = (message: WorkerMessage) => port.postMessage(message);
const { embedded } = start;

runBench({
  ...start.options,
  ...(embedded ? { embedded: async () => ({ ...embedded, close: async () => {} }) } : {}),
  onScenarioStart: (scenario, model, seconds) =>
    post({ kind: "start", scenario: scenario.name, model, seconds }),
  onProgress: (progress) => post({ kind: "progress", progress }),
  onNotice: (line) => post({ kind: "notice", line }),
  signal: abort.signal,
})
  .then((report) => post({ kind: "done", report }))
  .catch((error: unknown) =>
    post({
      kind: "failed",
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof UserError ? { exitCode: error.exitCode } : {}),
    }),
  )
  .finally(() => port.close());
