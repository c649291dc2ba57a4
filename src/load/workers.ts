/**
 * `bench --workers N`: every scenario run by N worker threads of this process at once,
 * each a shard (its share of the connections or of the rate, its own seed, its share of
 * the fixture chats), merged in process by the same code as `report merge`. One event
 * loop drives about one core of load; N threads drive N.
 *
 * Not autocannon's own `workers` option: its workers report only their own whole-millisecond
 * histograms, without the per-answer events our recorder reads (microseconds, every status,
 * the labels, the validated sample), and the open model is not autocannon's at all. A shard
 * per thread measures both models the same way as one process does.
 */
import { basename, dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { type EmbeddedServer, startEmbedded } from "../target/index.js";
import { type ExitCode, UserError } from "../util/exit-codes.js";
import type { BenchOptions, Progress } from "./bench.js";
import { mergeShards } from "./merge.js";
import type { BenchReport } from "./results.js";

/** What the main thread sends a worker to start it. */
export interface WorkerStart {
  options: SerializableOptions;
  /** The embedded server the main thread started, if the run has no base URL. */
  embedded?: { url: string; apiKey: string };
}

export type SerializableOptions = Omit<
  BenchOptions,
  "embedded" | "onScenarioStart" | "onProgress" | "onScenarioEnd" | "onNotice" | "signal"
>;

/** What a worker sends back. */
export type WorkerMessage =
  | {
      kind: "start";
      scenario: string;
      model: BenchReport["scenarios"][number]["model"];
      seconds: number;
    }
  | { kind: "progress"; progress: Progress }
  | { kind: "notice"; line: string }
  | { kind: "done"; report: BenchReport }
  | { kind: "failed"; message: string; exitCode?: ExitCode };

export async function runBenchInWorkers(
  options: BenchOptions,
  count: number,
): Promise<BenchReport> {
  if (options.settings.shard) {
    throw new UserError(
      "--workers with --shard: give each machine its shard and run it in one process, or run the whole on one machine with --workers",
    );
  }
  const server = options.baseUrl === undefined ? await startEmbedded(options) : undefined;
  // Each worker's last progress, summed into the one progress line.
  const latest = new Map<number, Progress>();
  try {
    const reports = await Promise.all(
      Array.from({ length: count }, (_, i) => runWorker(options, i + 1, count, server, latest)),
    );
    const merged = mergeShards(reports.map((report, i) => ({ where: `worker ${i + 1}`, report })));
    for (const scenario of merged.scenarios) options.onScenarioEnd?.(scenario);
    return { ...merged, runId: options.runId ?? merged.runId };
  } finally {
    await server?.close();
  }
}

function runWorker(
  options: BenchOptions,
  index: number,
  count: number,
  server: EmbeddedServer | undefined,
  latest: Map<number, Progress>,
): Promise<BenchReport> {
  const {
    embedded: _e,
    onScenarioStart,
    onProgress,
    onScenarioEnd: _s,
    onNotice,
    signal,
    ...rest
  } = options;
  const start: WorkerStart = {
    options: {
      ...rest,
      settings: { ...settingsWithout(options.settings), shard: { index, count } },
      ...(rest.journalFile ? { journalFile: workerFile(rest.journalFile, index) } : {}),
    },
    ...(server ? { embedded: { url: server.url, apiKey: server.apiKey } } : {}),
  };
  const worker = new Worker(new URL("./bench-worker.js", import.meta.url), { workerData: start });
  const abort = () => worker.postMessage("abort");
  signal?.addEventListener("abort", abort, { once: true });
  return new Promise<BenchReport>((resolve, reject) => {
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", abort);
      done();
    };
    worker.on("message", (message: WorkerMessage) => {
      switch (message.kind) {
        case "start":
          if (index === 1)
            onScenarioStart?.({ name: message.scenario }, message.model, message.seconds);
          latest.clear();
          return;
        case "progress":
          latest.set(index, message.progress);
          if (index === 1) onProgress?.(summed(message.progress, latest));
          return;
        case "notice":
          if (index === 1) onNotice?.(message.line);
          return;
        case "done":
          return settle(() => resolve(message.report));
        case "failed":
          return settle(() =>
            reject(
              message.exitCode === undefined
                ? new Error(`worker ${index}: ${message.message}`)
                : new UserError(message.message, message.exitCode),
            ),
          );
      }
    });
    worker.on("error", (error) =>
      settle(() => reject(new Error(`worker ${index}: ${error.message}`))),
    );
    worker.on("exit", (code) =>
      settle(() => reject(new Error(`worker ${index} ended (exit ${code}) before its report`))),
    );
  });
}

/** A worker's settings: the run's, but no workers of its own. */
function settingsWithout({ workers: _, ...settings }: BenchOptions["settings"]) {
  return settings;
}

function summed(first: Progress, latest: Map<number, Progress>): Progress {
  const all = [...latest.values()];
  return {
    ...first,
    requests: all.reduce((sum, tick) => sum + tick.requests, 0),
    errors: all.reduce((sum, tick) => sum + tick.errors, 0),
    rate: all.reduce((sum, tick) => sum + tick.rate, 0),
  };
}

/** journal.json -> workers/worker-2/journal.json, beside it: each worker's ledger its own. */
function workerFile(file: string, index: number): string {
  return join(dirname(file), "workers", `worker-${index}`, basename(file));
}
