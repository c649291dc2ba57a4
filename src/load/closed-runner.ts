/**
 * The closed model: a fixed number of connections, each sending its next request as soon
 * as its last one is answered, on autocannon (programmatic). autocannon's own histograms
 * are whole milliseconds (a loopback p50 reads 0) and skip non-2xx answers, so its
 * per-response events feed our recorder instead: every answer's latency at microsecond
 * resolution, whatever its status, errors counted apart.
 */
import autocannon from "autocannon";
import type { RunnerOptions } from "./runner-options.js";
import type { PlannedRequest } from "./scenario.js";

export interface ClosedRunOptions extends RunnerOptions {
  connections: number;
}

interface ConnectionContext {
  planned?: PlannedRequest;
}

/** What autocannon's 'response' event passes as its first argument: the connection. */
interface AutocannonClient {
  requestIterator?: { context?: ConnectionContext };
}

interface Answered {
  planned: PlannedRequest;
  status: number;
  at: number;
}

/**
 * Per answer, autocannon emits 'response' (status, latency), then builds the connection's
 * next request, then hands the body to `verifyBody`, all in one synchronous turn. The
 * 'response' handler reads which request was answered from the connection's context (set
 * in setupRequest; autocannon clears it only when it builds the next one) and, if its body
 * is wanted, leaves it in `awaitingBody` for `verifyBody` a moment later. This keeps
 * autocannon's per-request `onResponse` (which turns every answer's headers into an object)
 * off the hot path: only the answers whose bodies are wanted cost anything more.
 */
export function runClosed(options: ClosedRunOptions): Promise<void> {
  const { recorder, source } = options;
  const wantsBody = (planned: PlannedRequest) =>
    source.needsBodies === true || options.keepBody?.(planned) === true;
  let awaitingBody: Answered | undefined;
  const answer = (answered: Answered, body: string | undefined) => {
    source.onAnswer?.(answered.planned, answered.status, body);
    options.onAnswer?.(answered.planned, answered.status, body, answered.at);
  };
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
          },
        ],
        verifyBody: (body) => {
          if (awaitingBody) answer(awaitingBody, String(body ?? ""));
          awaitingBody = undefined;
          return true;
        },
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
    instance.on("response", (client, status, _bytes, ms) => {
      const at = performance.now();
      const planned = (client as unknown as AutocannonClient).requestIterator?.context?.planned;
      recorder.answered(status, ms, at, undefined, planned?.label);
      if (!planned) return;
      if (wantsBody(planned)) awaitingBody = { planned, status, at };
      else if (source.onAnswer || options.onAnswer) answer({ planned, status, at }, undefined);
    });
    instance.on("reqError", () => recorder.failed(performance.now()));
  });
}
