/**
 * What both runners feed as answers come in: the latency histograms (every status, errors
 * apart), the counts, the statuses, a series per wall-clock second and one per round.
 * Answers before `measureFrom` (the warm-up) are not recorded: a warm-up warms the target
 * and the connections, it does not count.
 *
 * Times are kept on the wall clock (epoch ms): the per-second series sits on whole epoch
 * seconds, so that shards run on other machines, or in other threads, add up second by
 * second (`absorb`, the exact merge), and every figure is rebuilt from the merged data.
 */
import {
  decodeHistogram,
  figuresOf,
  type Histogram,
  newHistogram,
  percentileMs,
  recordedUs,
  recordMs,
} from "./histogram.js";
import type { Counts, ScenarioResult, SecondPoint } from "./results.js";

export interface Second {
  requests: number;
  errors: number;
  non2xx: number;
  latency: Histogram;
}

export interface Round {
  /** Requests answered or failed in the window; `errors` of them failed. */
  requests: number;
  errors: number;
  latency: Histogram;
  /** Exact (see LoadRecorder.maxMs). */
  maxMs: number;
}

export interface Labelled {
  histogram: Histogram;
  statuses: Record<string, number>;
  /** Exact (see LoadRecorder.maxMs). */
  maxMs: number;
}

export interface RecorderWindow {
  /** Epoch ms of the end of the warm-up. */
  measureFromMs: number;
  /** The measured time, cut into `rounds` equal windows. */
  durationMs: number;
  rounds: number;
}

export class LoadRecorder {
  readonly latency = newHistogram();
  readonly uncorrected = newHistogram();
  readonly counts: Counts = {
    requests: 0,
    ok: 0,
    non2xx: 0,
    errors: 0,
    invalid: 0,
    validated: 0,
    dropped: 0,
    late: 0,
  };
  readonly statuses: Record<string, number> = {};
  /** Label -> the latencies of the answers to requests with that label (the page depths). */
  readonly byLabel = new Map<string, Labelled>();
  /** Equal windows of the measured duration, each with its own histogram. */
  readonly rounds: Round[];
  /** The epoch second perSecond[0] is: the one that holds `measureFromMs`. */
  readonly firstSecond: number;
  readonly measureFromMs: number;
  /** The same instant as a performance.now() time, which the runners compare with. */
  readonly measureFrom: number;
  private readonly seconds: Second[] = [];
  private readonly roundMs: number;
  /** Epoch ms of the last thing recorded. */
  private lastMs: number;
  /**
   * The exact largest latencies, ms: a histogram's `add` keeps only the top of the largest
   * value's bucket, so a merge reads the parts' own maxima instead.
   */
  maxMs = 0;
  uncorrectedMaxMs = 0;
  /** `bench --raw-latencies`: hears every measured answer, as recorded. */
  onRecorded?: (epochMs: number, status: number, latencyUs: number, label?: string) => void;

  /**
   * `measureFrom`: a performance.now() time (answers completed before it are the warm-up),
   * or a window on the wall clock (a merge, which has no clock of its own).
   */
  constructor(measureFrom: number | RecorderWindow, durationMs = 0, rounds = 1) {
    const window =
      typeof measureFrom === "number"
        ? { measureFromMs: performance.timeOrigin + measureFrom, durationMs, rounds }
        : measureFrom;
    this.measureFromMs = window.measureFromMs;
    this.measureFrom =
      typeof measureFrom === "number" ? measureFrom : window.measureFromMs - performance.timeOrigin;
    this.lastMs = window.measureFromMs;
    this.firstSecond = Math.floor(window.measureFromMs / 1000);
    this.roundMs = window.durationMs / Math.max(1, window.rounds);
    this.rounds = Array.from({ length: Math.max(1, window.rounds) }, () => ({
      requests: 0,
      errors: 0,
      latency: newHistogram(),
      maxMs: 0,
    }));
  }

  /** Whether something that happened at `at` (performance.now()) is measured (not warm-up). */
  measures(at: number): boolean {
    return at >= this.measureFrom;
  }

  /**
   * An answer, completed at `at`. `latencyMs` is what the model measures (the service time,
   * or for the open model the time from the intended start); `uncorrectedMs`, for the open
   * model, the service time from when the request was actually sent.
   */
  answered(
    status: number,
    latencyMs: number,
    at: number,
    uncorrectedMs?: number,
    label?: string,
  ): void {
    if (at < this.measureFrom) return;
    const ms = performance.timeOrigin + at;
    if (label !== undefined) this.labelled(label, status, latencyMs);
    const second = this.secondAt(ms);
    const round = this.roundAt(ms);
    this.counts.requests++;
    second.requests++;
    if (round) {
      round.requests++;
      recordMs(round.latency, latencyMs);
      round.maxMs = Math.max(round.maxMs, recordedUs(latencyMs) / 1000);
    }
    if (status >= 200 && status < 300) this.counts.ok++;
    else {
      this.counts.non2xx++;
      second.non2xx++;
    }
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    recordMs(this.latency, latencyMs);
    this.maxMs = Math.max(this.maxMs, recordedUs(latencyMs) / 1000);
    recordMs(second.latency, latencyMs);
    this.onRecorded?.(ms, status, recordedUs(latencyMs), label);
    if (uncorrectedMs !== undefined) {
      recordMs(this.uncorrected, uncorrectedMs);
      this.uncorrectedMaxMs = Math.max(this.uncorrectedMaxMs, recordedUs(uncorrectedMs) / 1000);
    }
  }

  /** A request that got no answer (connection error, reset, timeout). */
  failed(at: number): void {
    if (at < this.measureFrom) return;
    const ms = performance.timeOrigin + at;
    this.counts.requests++;
    this.counts.errors++;
    this.secondAt(ms).errors++;
    const round = this.roundAt(ms);
    if (round) {
      round.requests++;
      round.errors++;
    }
  }

  /** A sampled answer, validated against the contract. */
  validated(valid: boolean, at: number): void {
    if (!this.measures(at)) return;
    this.counts.validated++;
    if (!valid) this.counts.invalid++;
  }

  /** Open model: a due request not sent (in-flight cap), or sent late. */
  dropped(at: number): void {
    if (this.measures(at)) this.counts.dropped++;
  }

  late(at: number): void {
    if (this.measures(at)) this.counts.late++;
  }

  /** Epoch ms of the last answer (or failure) recorded. */
  get measuredToMs(): number {
    return this.lastMs;
  }

  /** Seconds from the end of the warm-up to the last answer. */
  get measuredSeconds(): number {
    return Math.max(0, this.lastMs - this.measureFromMs) / 1000;
  }

  /** The length of one round, ms. */
  get roundLengthMs(): number {
    return this.roundMs;
  }

  perSecond(): SecondPoint[] {
    return this.seconds.map((second, index) => ({
      second: index + 1,
      requests: second.requests,
      errors: second.errors,
      non2xx: second.non2xx,
      p50Ms: percentileMs(second.latency, 50),
      p99Ms: percentileMs(second.latency, 99),
    }));
  }

  /** The per-second latency histograms, in perSecond's order. */
  secondHistograms(): Histogram[] {
    return this.seconds.map((second) => second.latency);
  }

  figures() {
    return figuresOf(this.latency);
  }

  /**
   * Adds what another recorder (a shard, a worker) recorded, from its result: histograms
   * added, counts summed, seconds aligned on the epoch second, rounds by their index.
   */
  absorb(result: ScenarioResult): void {
    this.latency.add(decodeHistogram(result.histograms.latency));
    this.maxMs = Math.max(this.maxMs, result.latency.maxMs);
    if (result.histograms.uncorrected) {
      this.uncorrected.add(decodeHistogram(result.histograms.uncorrected));
      this.uncorrectedMaxMs = Math.max(this.uncorrectedMaxMs, result.uncorrected?.maxMs ?? 0);
    }
    for (const [name, value] of Object.entries(result.counts))
      this.counts[name as keyof Counts] += value;
    for (const [status, count] of Object.entries(result.statuses))
      this.statuses[status] = (this.statuses[status] ?? 0) + count;
    const offset = Math.floor(result.measuredFromMs / 1000) - this.firstSecond;
    result.perSecond.forEach((point, index) => {
      const encoded = result.histograms.perSecond[index];
      const second = this.secondIndexed(offset + index);
      second.requests += point.requests;
      second.errors += point.errors;
      second.non2xx += point.non2xx;
      if (encoded) second.latency.add(decodeHistogram(encoded));
    });
    for (const point of result.rounds) {
      const round = this.rounds[point.round - 1];
      if (!round) continue;
      round.requests += point.requests;
      round.errors += point.errors;
      round.latency.add(decodeHistogram(point.histogram));
      round.maxMs = Math.max(round.maxMs, point.maxMs);
    }
    for (const label of result.labels ?? []) {
      const entry = this.labelEntry(label.label);
      const encoded = result.histograms.labels?.[label.label];
      if (encoded) entry.histogram.add(decodeHistogram(encoded));
      entry.maxMs = Math.max(entry.maxMs, label.maxMs);
      for (const [status, count] of Object.entries(label.statuses))
        entry.statuses[status] = (entry.statuses[status] ?? 0) + count;
    }
    this.lastMs = Math.max(this.lastMs, result.measuredToMs);
  }

  private labelled(label: string, status: number, latencyMs: number): void {
    const entry = this.labelEntry(label);
    recordMs(entry.histogram, latencyMs);
    entry.maxMs = Math.max(entry.maxMs, recordedUs(latencyMs) / 1000);
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
  }

  private labelEntry(label: string): Labelled {
    let entry = this.byLabel.get(label);
    if (!entry) {
      entry = { histogram: newHistogram(), statuses: {}, maxMs: 0 };
      this.byLabel.set(label, entry);
    }
    return entry;
  }

  private secondAt(ms: number): Second {
    this.lastMs = Math.max(this.lastMs, ms);
    return this.secondIndexed(Math.floor(ms / 1000) - this.firstSecond);
  }

  private secondIndexed(index: number): Second {
    for (let i = this.seconds.length; i <= index; i++) {
      this.seconds.push({ requests: 0, errors: 0, non2xx: 0, latency: newHistogram(2) });
    }
    return this.seconds[index] as Second;
  }

  /**
   * The round `ms` falls in. The rounds are equal windows of the measured duration: the
   * answers after its end (the last requests in flight) count in the totals, in no round.
   */
  private roundAt(ms: number): Round | undefined {
    const index = this.roundMs > 0 ? Math.floor((ms - this.measureFromMs) / this.roundMs) : 0;
    return this.rounds[Math.max(0, index)];
  }
}
