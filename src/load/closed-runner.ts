/**
 * The closed model: a fixed number of connections, each sending its next request as soon
 * as its last one is answered, on autocannon (programmatic). autocannon's own histograms
 * are whole milliseconds (a loopback p50 reads 0) and skip non-2xx answers, so its
 * per-response events feed our recorder instead: every answer's latency at microsecond
 * resolution, whatever its status, errors counted apart.
 */
import autocannon from "autocannon";
import type { LoadRecorder } from "./recorder.js";
import type { PlannedRequest, RequestSource } from "./scenario.js";

export interface ClosedRunOptions {
  /** e.g. http://127.0.0.1:8080: the origin only; requests carry their full path. */
  origin: string;
  /** Sent with every request (the key inside: autocannon holds it, nothing records it). */
  headers: Record<string, string>;
  connections: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  recorder: LoadRecorder;
  source: RequestSource;
  /** Every answer, with its body: the sampled validation and the scenario's own bookkeeping. */
  onAnswer?(request: PlannedRequest, status: number, body: string, at: number): void;
  /** Every second: for the progress line. */
  onTick?(): void;
  signal?: AbortSignal;
}

interface ConnectionContext {
  planned?: PlannedRequest;
}

export function runClosed(options: ClosedRunOptions): Promise<void> {
  const { recorder, source } = options;
  // autocannon calls a request's onResponse, then, in the same tick, emits 'response' with
  // the latency: the first says which request was answered, the second how fast.
  let answered: PlannedRequest | undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.origin,
        connections: options.connections,
        duration: (options.warmupMs + options.durationMs) / 1000,
        timeout: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
        headers: options.headers,
        requests: [
          {
            setupRequest: (request: autocannon.Request, context: ConnectionContext) => {
              const planned = source.next();
              context.planned = planned;
              return {
                ...request,
                method: planned.method as autocannon.Request["method"],
                path: planned.path,
                ...(planned.body === undefined
                  ? {}
                  : {
                      body: planned.body,
                      headers: { ...options.headers, "content-type": "application/json" },
                    }),
              };
            },
            onResponse: (status: number, body: string, context: object) => {
              const { planned } = context as ConnectionContext;
              answered = planned;
              if (!answered) return;
              const at = performance.now();
              source.onAnswer?.(answered, status, body);
              options.onAnswer?.(answered, status, body, at);
            },
          },
        ],
      },
      (error: Error | null) => {
        options.signal?.removeEventListener("abort", stop);
        clearInterval(ticker);
        if (error) reject(error);
        else resolve();
      },
    );
    const stop = () => instance.stop();
    options.signal?.addEventListener("abort", stop, { once: true });
    const ticker = setInterval(() => options.onTick?.(), 1000);
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      recorder.answered(status, ms, performance.now(), undefined, answered?.label);
      answered = undefined;
    });
    instance.on("reqError", () => recorder.failed(performance.now()));
  });
}
