/**
 * The record of one bench run, as `bench.json` holds it (format `tickets-api-harness/bench@1`,
 * documented in reports/README.md). Every load report is written from it, and a later run
 * can merge shards or compare with a baseline from it alone: the histograms travel whole.
 * Latencies are milliseconds (with microsecond fractions); histograms hold microseconds.
 */
import type { Leftover } from "../target/index.js";
import type { BaselineComparison } from "./baseline/compare.js";
import type { LatencyFigures } from "./histogram.js";

export type BenchVerdict = "pass" | "fail" | "incomplete";

/** Closed: a fixed number of connections, each sending as soon as its last answer came. */
export interface ClosedModel {
  kind: "closed";
  connections: number;
}

/** Open: requests start on a fixed schedule, `rate` per second, whether or not answers came. */
export interface OpenModel {
  kind: "open";
  rate: number;
  /** Requests allowed in flight at once; past it, a due request is dropped and counted. */
  maxInFlight: number;
}

export type LoadModel = ClosedModel | OpenModel;

export interface Counts {
  /** Requests sent (answered or not). */
  requests: number;
  /** Answers with a 2xx status. */
  ok: number;
  /** Answers with any other status. */
  non2xx: number;
  /** Requests without an answer: connection errors, resets, timeouts. */
  errors: number;
  /** Sampled answers that broke the contract. */
  invalid: number;
  /** Sampled answers validated. */
  validated: number;
  /** Open model: due requests never sent because the in-flight cap was reached. */
  dropped: number;
  /** Open model: requests sent later than max(one interval, 2 ms) after their intended start. */
  late: number;
}

/** One second of the run, counted from the end of the warm-up. */
export interface SecondPoint {
  second: number;
  requests: number;
  errors: number;
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
}

/** list-deep-pages: the latency of one page depth. */
export interface DepthPoint {
  pageNumber: number;
  requests: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Whether the page was past the end of the result set (answered `[]`). */
  pastTheEnd: boolean;
}

/** The requests of one label (a scenario's own grouping: an operation, a page depth). */
export interface LabelPoint {
  label: string;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
}

export interface ThresholdResult {
  /** As written: `p99<50ms`. */
  source: string;
  /** Where it came from: the scenario, the config, or `--threshold`. */
  origin: "scenario" | "config" | "flag";
  metric: string;
  operator: "<" | "<=" | ">" | ">=" | "=" | "!=";
  /** The limit in the metric's own unit (ms for latencies, req/s, a count). */
  limit: number;
  /** The measured value, in the same unit. */
  value: number;
  passed: boolean;
}

/** An answer that broke the contract, as a report shows it: ready to paste, key masked. */
export interface InvalidExample {
  message: string;
  curl: string;
  status: number;
}

/**
 * One round: the measured duration is cut into `rounds` equal windows, each with its own
 * histogram. The per-round figures are what a baseline comparison ranks (the noise within
 * a run). The answers after the duration's end (the last requests in flight) are in the
 * scenario's totals and in no round.
 */
export interface RoundPoint {
  /** 1-based. */
  round: number;
  /** Epoch ms of the window's start; it lasts `durationSeconds / rounds`. */
  startedAtMs: number;
  requests: number;
  errors: number;
  /** Answers (any status) per second in the window. */
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Compressed base64 HdrHistogram of the window's latencies, microseconds. */
  histogram: string;
}

/** Which part of a sharded run this is (`bench --shard I/N`). */
export interface ShardIdentity {
  /** 1-based. */
  index: number;
  count: number;
}

export interface ScenarioResult {
  name: string;
  description: string;
  /** The load this process (or shard) put on the target. */
  model: LoadModel;
  settings: {
    durationSeconds: number;
    warmupSeconds: number;
    /** The share of answers validated against the contract (0..1). */
    validateSample: number;
    seed: number;
    /** The windows the measured time is cut into (RoundPoint). */
    rounds: number;
    /** A shard: the whole run's load model, of which `model` is this shard's share. */
    wholeModel?: LoadModel;
  };
  /**
   * Wall-clock (epoch ms) of the end of the warm-up and of the last answer. perSecond[0]
   * is the epoch second that holds `measuredFromMs` (whole seconds: shards on several
   * machines add up second by second).
   */
  measuredFromMs: number;
  measuredToMs: number;
  /**
   * A merge: how many shards, and how much their measured times overlap (the common time
   * over the union, 0..1). Below 1 the shards did not run together, and req/s is over
   * the union of their times.
   */
  merge?: { shards: number; overlap: number };
  rounds: RoundPoint[];
  verdict: "pass" | "fail";
  /** Closed model: the service time. Open model: from the intended start (CO corrected). */
  latency: LatencyFigures;
  /** Open model only: the service time, from when each request was actually sent. */
  uncorrected?: LatencyFigures;
  /** Answers per second over the measured period. */
  rps: number;
  counts: Counts;
  /** Status -> count. */
  statuses: Record<string, number>;
  /**
   * Compressed base64 HdrHistograms, microseconds: the whole measured time, per second
   * (2 significant digits, one per perSecond point) and per label, so that every figure
   * of a report can be rebuilt exactly from a merge of shards.
   */
  histograms: {
    latency: string;
    uncorrected?: string;
    perSecond: string[];
    labels?: Record<string, string>;
  };
  perSecond: SecondPoint[];
  depth?: DepthPoint[];
  /** Per label the scenario gave its requests (the mixed scenario: per operation). */
  labels?: LabelPoint[];
  thresholds: ThresholdResult[];
  invalidExamples: InvalidExample[];
  /** Why the scenario did not run to its end, when it did not. */
  incomplete?: string;
}

export interface BenchEnvironment {
  cpuModel: string;
  cpus: number;
  /** os.loadavg() when the run started. */
  loadAverage: number[];
  node: string;
  platform: string;
  /** The target runs on this machine (loopback): generator and target share its cores. */
  sharedCores: boolean;
}

export interface BenchReport {
  format: "tickets-api-harness/bench@1";
  runId: string;
  startedAt: string;
  durationMs: number;
  target: { baseUrl: string; embedded: boolean; tickets?: number };
  /** `bench --shard I/N`: this run is one part of a sharded run. */
  shard?: ShardIdentity;
  /** `report merge` (or `--workers`): the shards this run was merged from, by run id. */
  mergedFrom?: { runId: string; shard: ShardIdentity; startedAt: string }[];
  seed: number;
  environment: BenchEnvironment;
  verdict: BenchVerdict;
  exitCode: number;
  incomplete?: string;
  scenarios: ScenarioResult[];
  /** What cleanup could not undo, or could not confirm undone (the writing scenarios). */
  leftovers: Leftover[];
  /** `bench --baseline FILE`: the run against it; a scenario slower beyond the noise fails the run. */
  baseline?: BaselineComparison;
}
