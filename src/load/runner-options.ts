/** What both load runners take; each adds its model's own settings. */
import type { LoadRecorder } from "./recorder.js";
import type { PlannedRequest, RequestSource } from "./scenario.js";

export interface RunnerOptions {
  /** e.g. http://127.0.0.1:8080: the origin only; requests carry their full path. */
  origin: string;
  /**
   * Sent with every request (the key inside: the runner holds it, nothing records it); a
   * request with a body adds `content-type: application/json`.
   */
  headers: Record<string, string>;
  warmupMs: number;
  durationMs: number;
  /** Per request; past it the request is an error. */
  timeoutMs: number;
  /**
   * Built by the caller right before the call, `new LoadRecorder(performance.now() +
   * warmupMs, durationMs, rounds)`: answers before its `measureFrom` are the warm-up, not
   * counted.
   */
  recorder: LoadRecorder;
  /**
   * `next()` for every request made; `onAnswer` for every answer (and, in the open model,
   * with status 0 for a request that got none). With `needsBodies`, every body is kept.
   */
  source: RequestSource;
  /** Whether this request's answer body is wanted (the sampled validation). */
  keepBody?(request: PlannedRequest): boolean;
  /** Every answer, its body when wanted; `at` is performance.now() at its end. */
  onAnswer?(request: PlannedRequest, status: number, body: string | undefined, at: number): void;
  /** Every second: for the progress line. */
  onTick?(): void;
  signal?: AbortSignal;
}
