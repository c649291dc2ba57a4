/**
 * Bench reports made by hand for the baseline tests: five rounds of real HdrHistograms,
 * latencies from a function of the round and the answer.
 */
import { encodeHistogram, figuresOf, newHistogram, recordMs } from "../../src/load/histogram.js";
import type { BenchReport, RoundPoint, ScenarioResult } from "../../src/load/results.js";

/** A scenario of five rounds whose latencies are `ms(round, i)` for 200 answers a round. */
export function scenario(
  name: string,
  ms: (round: number, i: number) => number,
  rps: number,
): ScenarioResult {
  const whole = newHistogram();
  const rounds: RoundPoint[] = [];
  for (let round = 1; round <= 5; round++) {
    const histogram = newHistogram();
    for (let i = 0; i < 200; i++) {
      recordMs(histogram, ms(round, i));
      recordMs(whole, ms(round, i));
    }
    const figures = figuresOf(histogram);
    rounds.push({
      round,
      startedAtMs: 1_700_000_000_000 + round * 400,
      requests: 200,
      errors: 0,
      rps: rps * (1 + (round % 3) * 0.01),
      p50Ms: figures.p50Ms,
      p90Ms: figures.p90Ms,
      p99Ms: figures.p99Ms,
      p999Ms: figures.p999Ms,
      maxMs: figures.maxMs,
      histogram: encodeHistogram(histogram),
    });
  }
  const latency = figuresOf(whole);
  return {
    name,
    description: "test",
    model: { kind: "closed", connections: 1 },
    settings: { durationSeconds: 2, warmupSeconds: 0.5, validateSample: 0.05, seed: 1, rounds: 5 },
    measuredFromMs: 1_700_000_000_000,
    measuredToMs: 1_700_000_002_000,
    rounds,
    verdict: "pass",
    latency,
    rps,
    counts: {
      requests: 1000,
      ok: 1000,
      non2xx: 0,
      errors: 0,
      invalid: 0,
      validated: 10,
      dropped: 0,
      late: 0,
    },
    statuses: { "200": 1000 },
    histograms: { latency: encodeHistogram(whole), perSecond: [] },
    perSecond: [],
    thresholds: [],
    invalidExamples: [],
  };
}

export function report(
  scenarios: ScenarioResult[],
  baseUrl = "http://127.0.0.1:4000",
): BenchReport {
  return {
    format: "tickets-api-harness/bench@1",
    runId: "run-1",
    startedAt: "2026-12-01T10:00:00.000Z",
    durationMs: 3000,
    target: { baseUrl, embedded: false },
    seed: 1,
    environment: {
      cpuModel: "x",
      cpus: 2,
      loadAverage: [0, 0, 0],
      node: "v20",
      platform: "linux",
      sharedCores: true,
    },
    verdict: "pass",
    exitCode: 0,
    scenarios,
    leftovers: [],
  };
}

/** Loopback-like latencies: ~1 ms with jitter; `slow` adds a fixed delay. */
export const fast =
  (seed: number, slow = 0) =>
  (round: number, i: number) =>
    0.8 + ((i * 37 + round * 11 + seed) % 50) / 100 + slow;
