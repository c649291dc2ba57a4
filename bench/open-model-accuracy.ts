/**
 * Two probes of the open-model runner (src/load/open-runner.ts), for a benchmark script:
 *
 * - openModelAccuracy: a node:http server (in this process, on 127.0.0.1) holds every
 *   answer that arrives during a known window (by default 500 ms of every 2 s) until the
 *   window ends. The truth is computed from the runner's own schedule: a request due at
 *   t is answered when the window holding t ends, at once otherwise. The runner's
 *   corrected and uncorrected percentiles come beside it, and autocannon 9's (rate mode,
 *   `overallRate` over `connections`), corrected and with `ignoreCoordinatedOmission`.
 * - maxSustainedRate: the highest constant arrival rate the runner keeps against a bare
 *   node:http server (its own process, an ~11 KB JSON body, the size of a list page) with
 *   under 1% of the measured requests dropped or late and no errors, found by doubling then
 *   bisecting within a time budget (~35 s in all); beside it, the highest rate with under
 *   1% dropped however late, and what autocannon reaches in a closed loop (10 connections,
 *   5 s) on the same server.
 *
 * Generator and target share this machine's cores: read the figures as this machine's.
 */
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { percentileMs } from "../src/load/histogram.js";
import { type OpenRunSummary, runOpen } from "../src/load/open-runner.js";
import { LoadRecorder } from "../src/load/recorder.js";
import type { RequestSource } from "../src/load/scenario.js";
import { defaultInFlight } from "../src/load/scenario.js";
import { spawnServer } from "../src/util/child-server.js";

export interface Percentiles {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

export interface AccuracyOptions {
  /** Requests per second (default 200). */
  rate?: number;
  /** autocannon's connections (default 10). */
  connections?: number;
  /** The hold window: `holdMs` of every `periodMs` (default 500 of 2000). */
  periodMs?: number;
  holdMs?: number;
  /** Measured time of each run (default 6000: three periods; keep it a whole number of them). */
  durationMs?: number;
  /** The runner's warm-up, and autocannon's (a run of its own, not counted). Default 1000. */
  warmupMs?: number;
}

export interface AccuracyResult {
  rate: number;
  server: { periodMs: number; holdMs: number };
  durationMs: number;
  /** From the schedule: what a request due at each intended time waits. */
  truth: Percentiles;
  open: {
    corrected: Percentiles;
    uncorrected: Percentiles;
    /** From the intended start to the hand-over to undici (in `corrected`). */
    sendLag: Percentiles;
    answered: number;
    dropped: number;
    late: number;
    errors: number;
    maxInFlight: number;
  };
  autocannon: {
    version: string;
    connections: number;
    corrected: Percentiles & { answered: number };
    uncorrected: Percentiles & { answered: number };
  };
}

const gets: RequestSource = { next: () => ({ method: "GET", path: "/" }) };

/** The runner against a server that holds its answers, against the truth and autocannon. */
export async function openModelAccuracy(options: AccuracyOptions = {}): Promise<AccuracyResult> {
  const rate = options.rate ?? 200;
  const connections = options.connections ?? 10;
  const periodMs = options.periodMs ?? 2_000;
  const holdMs = options.holdMs ?? 500;
  const durationMs = options.durationMs ?? 6_000;
  const warmupMs = options.warmupMs ?? 1_000;
  const epoch = performance.now();
  const waitAt = (at: number) => {
    const phase = (((at - epoch) % periodMs) + periodMs) % periodMs;
    return phase < holdMs ? holdMs - phase : 0;
  };
  const server = createServer({ keepAliveTimeout: 10_000 }, (_request, response) => {
    const answer = () => {
      if (response.destroyed) return;
      response.writeHead(200, { "content-type": "application/json", "content-length": 2 });
      response.end("[]");
    };
    const wait = waitAt(performance.now());
    if (wait === 0) answer();
    else setTimeout(answer, wait);
  });
  const origin = await listen(server);
  try {
    // Enough in flight for every held request: the cap must not decide the figures.
    const maxInFlight = Math.max(10, Math.ceil((rate * holdMs) / 1000) * 2);
    const recorder = new LoadRecorder(performance.now() + warmupMs);
    const summary = await runOpen({
      origin,
      headers: {},
      rate,
      maxInFlight,
      warmupMs,
      durationMs,
      timeoutMs: holdMs + 10_000,
      recorder,
      source: gets,
    });
    const truth = truthOf(summary, rate, recorder.measureFrom, waitAt);
    const corrected = await runAutocannon(origin, rate, connections, durationMs, warmupMs, false);
    const uncorrected = await runAutocannon(origin, rate, connections, durationMs, warmupMs, true);
    return {
      rate,
      server: { periodMs, holdMs },
      durationMs,
      truth: {
        p50Ms: percentile(truth, 50),
        p90Ms: percentile(truth, 90),
        p99Ms: percentile(truth, 99),
      },
      open: {
        corrected: percentilesOf(recorder.latency),
        uncorrected: percentilesOf(recorder.uncorrected),
        sendLag: {
          p50Ms: round(summary.sendLag.p50Ms),
          p90Ms: round(summary.sendLag.p90Ms),
          p99Ms: round(summary.sendLag.p99Ms),
        },
        answered: recorder.counts.ok + recorder.counts.non2xx,
        dropped: recorder.counts.dropped,
        late: recorder.counts.late,
        errors: recorder.counts.errors,
        maxInFlight,
      },
      autocannon: { version: AUTOCANNON_VERSION, connections, corrected, uncorrected },
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The waits the schedule implies for the requests the recorder measured, sorted. */
function truthOf(
  summary: OpenRunSummary,
  rate: number,
  measureFrom: number,
  waitAt: (at: number) => number,
): number[] {
  const waits: number[] = [];
  for (let index = 0; index < summary.scheduled; index++) {
    const intended = summary.startedAt + (index * 1000) / rate;
    const wait = waitAt(intended);
    if (intended + wait >= measureFrom) waits.push(wait);
  }
  return waits.sort((a, b) => a - b);
}

/** As HdrHistogram reads it: the smallest value with at least p% of the values at or under. */
function percentile(sorted: number[], p: number): number {
  const value = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return round(value);
}

function percentilesOf(histogram: LoadRecorder["latency"]): Percentiles {
  return {
    p50Ms: round(percentileMs(histogram, 50)),
    p90Ms: round(percentileMs(histogram, 90)),
    p99Ms: round(percentileMs(histogram, 99)),
  };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

const AUTOCANNON_VERSION = (
  createRequire(import.meta.url)("autocannon/package.json") as { version: string }
).version;

/** autocannon's rate mode, a warm-up run, then the measured one. */
async function runAutocannon(
  url: string,
  rate: number,
  connections: number,
  durationMs: number,
  warmupMs: number,
  ignoreCoordinatedOmission: boolean,
): Promise<Percentiles & { answered: number }> {
  const settings = { url, connections, overallRate: rate, ignoreCoordinatedOmission };
  if (warmupMs > 0) await autocannon({ ...settings, duration: warmupMs / 1000 });
  const result = await autocannon({ ...settings, duration: durationMs / 1000 });
  return {
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    answered: result.requests.total,
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

export interface SustainedOptions {
  /** Wall-clock budget of the open runner's steps (default 28 s; autocannon adds ~6 s). */
  budgetMs?: number;
  /** The first rate tried (default 500/s); doubled, then bisected. */
  startRate?: number;
  /** Doubling stops here (default 16,000/s). */
  maxRate?: number;
  /** Each step: a warm-up, then the measured part (default 500 + 2000 ms). */
  warmupMs?: number;
  stepMs?: number;
  /** The bare server's body (default 11 KB, a list page's size). */
  bodyBytes?: number;
  /** Stop bisecting when the pass and the fail are this close (default 10%). */
  resolution?: number;
}

export interface SustainedStep {
  rate: number;
  maxInFlight: number;
  /** Requests due in the measured part. */
  due: number;
  answered: number;
  dropped: number;
  late: number;
  errors: number;
  /** (dropped + late) / due. */
  missedShare: number;
  p50Ms: number;
  p99Ms: number;
  uncorrectedP99Ms: number;
  /** From the intended start to the hand-over to undici: the generator's own delay. */
  sendLagMs: { p50: number; p99: number; max: number };
  /** This process's CPU (the generator's), % of one core over the step. */
  generatorCpuPercent: number;
  /** Under 1% dropped + late, no errors, no non-2xx. */
  passed: boolean;
  /** Under 1% dropped, no errors, no non-2xx, however late (k6's criterion). */
  passedWithoutDrops: boolean;
}

export interface SustainedResult {
  bodyBytes: number;
  /** The highest rate passed: under 1% dropped + late, no errors. 0 if none. */
  sustainedRate: number;
  /** The highest rate stepped with under 1% dropped and no errors, lateness aside (a lower
   * bound: the doubling only). */
  withoutDropsRate: number;
  steps: SustainedStep[];
  autocannonClosed: {
    version: string;
    connections: number;
    seconds: number;
    rps: number;
    p50Ms: number;
    p99Ms: number;
  };
  /** sustainedRate / autocannon's closed-loop requests/s. */
  ratio: number;
  totalSeconds: number;
}

const MISSED_LIMIT = 0.01;

/**
 * The highest arrival rate the runner sustains on a bare server, and autocannon's ceiling.
 * Doubles from `startRate` while the steps keep under 1% dropped (lateness aside, so the
 * generator's own ceiling shows too), then bisects between the highest rate passed and the
 * lowest failed on the full criterion (under 1% dropped + late), within the budget.
 */
export async function maxSustainedRate(options: SustainedOptions = {}): Promise<SustainedResult> {
  const started = performance.now();
  const budgetMs = options.budgetMs ?? 28_000;
  const warmupMs = options.warmupMs ?? 500;
  const stepMs = options.stepMs ?? 2_000;
  const maxRate = options.maxRate ?? 16_000;
  const bodyBytes = options.bodyBytes ?? 11_264;
  const resolution = options.resolution ?? 0.1;
  const script = fileURLToPath(new URL("./bare-server.js", import.meta.url));
  const server = await spawnServer({
    name: "bare",
    args: [script, String(bodyBytes)],
    startTimeoutMs: 10_000,
  });
  try {
    const closed = await closedLoop(server.url);
    const stepsStarted = performance.now();
    const steps: SustainedStep[] = [];
    // A step takes its schedule plus a little to drain; none starts past the budget.
    const fits = () => performance.now() - stepsStarted + warmupMs + stepMs + 500 <= budgetMs;
    const step = async (rate: number) => {
      const result = await sustainStep(server.url, rate, warmupMs, stepMs);
      steps.push(result);
      return result;
    };
    for (let rate = options.startRate ?? 500; rate <= maxRate && fits(); rate *= 2) {
      if (!(await step(rate)).passedWithoutDrops) break;
    }
    // The lowest failure bounds it: a pass above it (a lucky step) does not count.
    let fail = Math.min(...steps.filter((one) => !one.passed).map((one) => one.rate));
    let pass = Math.max(
      0,
      ...steps.filter((one) => one.passed && one.rate < fail).map((one) => one.rate),
    );
    while (fail !== Number.POSITIVE_INFINITY && fits()) {
      if (fail - pass <= Math.max(50, pass * resolution)) break;
      const rate = roundRate(pass === 0 ? fail / 2 : (pass + fail) / 2);
      if (rate === pass || rate === fail) break;
      if ((await step(rate)).passed) pass = Math.max(pass, rate);
      else fail = Math.min(fail, rate);
    }
    const sustainedRate = pass;
    return {
      bodyBytes,
      sustainedRate,
      withoutDropsRate: Math.max(
        0,
        ...steps.filter((one) => one.passedWithoutDrops).map((one) => one.rate),
      ),
      steps,
      autocannonClosed: closed.figures,
      ratio:
        closed.figures.rps > 0 ? Math.round((sustainedRate / closed.figures.rps) * 100) / 100 : 0,
      totalSeconds: Math.round(performance.now() - started) / 1000,
    };
  } finally {
    await server.stop();
  }
}

const roundRate = (rate: number) => Math.max(50, Math.round(rate / 50) * 50);

async function sustainStep(
  origin: string,
  rate: number,
  warmupMs: number,
  stepMs: number,
): Promise<SustainedStep> {
  // As a scenario's default: a second's worth of requests in flight, within 10..1000.
  const maxInFlight = defaultInFlight(rate);
  const cpu = process.cpuUsage();
  const wallStart = performance.now();
  const recorder = new LoadRecorder(performance.now() + warmupMs);
  const summary = await runOpen({
    origin,
    headers: {},
    rate,
    maxInFlight,
    warmupMs,
    durationMs: stepMs,
    timeoutMs: 5_000,
    recorder,
    source: gets,
  });
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - wallStart;
  const { counts } = recorder;
  const due = Math.round((rate * stepMs) / 1000);
  const missedShare = (counts.dropped + counts.late) / due;
  const clean = counts.errors === 0 && counts.non2xx === 0;
  return {
    rate,
    maxInFlight,
    due,
    answered: counts.ok + counts.non2xx,
    dropped: counts.dropped,
    late: counts.late,
    errors: counts.errors,
    missedShare: Math.round(missedShare * 10_000) / 10_000,
    p50Ms: round(percentileMs(recorder.latency, 50)),
    p99Ms: round(percentileMs(recorder.latency, 99)),
    uncorrectedP99Ms: round(percentileMs(recorder.uncorrected, 99)),
    sendLagMs: {
      p50: round(summary.sendLag.p50Ms),
      p99: round(summary.sendLag.p99Ms),
      max: round(summary.sendLag.maxMs),
    },
    generatorCpuPercent: Math.round(((used.user + used.system) / 1000 / wallMs) * 100),
    passed: missedShare < MISSED_LIMIT && clean,
    passedWithoutDrops: counts.dropped / due < MISSED_LIMIT && clean,
  };
}

/** autocannon, 10 connections: a 1 s warm-up, then 5 s measured. */
async function closedLoop(url: string) {
  const started = performance.now();
  const connections = 10;
  const seconds = 5;
  await autocannon({ url, connections, duration: 1 });
  const result = await autocannon({ url, connections, duration: seconds });
  return {
    elapsedMs: performance.now() - started,
    figures: {
      version: AUTOCANNON_VERSION,
      connections,
      seconds,
      rps: Math.round(result.requests.total / result.duration),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
    },
  };
}
