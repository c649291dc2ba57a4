/**
 * Load with autocannon, run in this process against a server in another: a short warm-up,
 * then a bounded measurement with a fixed number of connections. A run with any non-2xx
 * answer, error, time-out or body mismatch is a failed bench, not a figure.
 */
import { createRequire } from "node:module";

/** The part of autocannon's programmatic API this bench uses (the package ships no types). */
interface Histogram {
  average: number;
  p50: number;
  p99: number;
}

interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  pipelining: number;
  duration: number;
  timeout: number;
  headers: Record<string, string>;
}

type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  seconds: number;
  headers: Record<string, string>;
}

export interface LoadFigures {
  /** Mean of the per-second request counts (autocannon's requests.average). */
  rps: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

export async function measure(url: string, settings: LoadSettings): Promise<LoadFigures> {
  await run(url, settings, settings.warmupSeconds);
  const result = await run(url, settings, settings.seconds);
  return {
    rps: result.requests.average,
    meanMs: Number(result.latency.average.toFixed(2)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  };
}

async function run(url: string, settings: LoadSettings, seconds: number) {
  const result = await autocannon({
    url,
    connections: settings.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    headers: settings.headers,
  });
  assertClean(url, result);
  return result;
}

function assertClean(url: string, result: AutocannonResult): void {
  const { non2xx, errors, timeouts, mismatches } = result;
  if (non2xx + errors + timeouts + mismatches === 0 && result.requests.total > 0) return;
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code} x${count}`)
    .join(", ");
  throw new Error(
    `${url}: unclean run: ${result.requests.total} answered, non-2xx ${non2xx} (${codes}), ` +
      `errors ${errors}, timeouts ${timeouts}, mismatches ${mismatches}`,
  );
}

/** One GET, bounded; returns the parsed JSON body, throws on a non-2xx or a non-JSON body. */
export async function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url}: the body is not JSON: ${text.slice(0, 200)}`);
  }
}
