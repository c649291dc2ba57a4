/**
 * What both runners feed as answers come in: the latency histograms (every status, errors
 * apart), the counts, the statuses and a per-second series. Answers before `measureFrom`
 * (the warm-up) are not recorded: a warm-up warms the target and the connections, it does
 * not count.
 */
import { figuresOf, type Histogram, newHistogram, percentileMs, recordMs } from "./histogram.js";
import type { Counts, SecondPoint } from "./results.js";

interface Second {
  requests: number;
  errors: number;
  non2xx: number;
  latency: Histogram;
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
  readonly byLabel = new Map<string, { histogram: Histogram; statuses: Record<string, number> }>();
  private readonly seconds: Second[] = [];
  private lastAt: number;

  /** `measureFrom`: a performance.now() time; answers completed before it are the warm-up. */
  constructor(readonly measureFrom: number) {
    this.lastAt = measureFrom;
  }

  /** Whether something that happened at `at` is measured (not warm-up). */
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
    if (!this.measures(at)) return;
    if (label !== undefined) this.labelled(label, status, latencyMs);
    const second = this.secondAt(at);
    this.counts.requests++;
    second.requests++;
    if (status >= 200 && status < 300) this.counts.ok++;
    else {
      this.counts.non2xx++;
      second.non2xx++;
    }
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    recordMs(this.latency, latencyMs);
    recordMs(second.latency, latencyMs);
    if (uncorrectedMs !== undefined) recordMs(this.uncorrected, uncorrectedMs);
  }

  /** A request that got no answer (connection error, reset, timeout). */
  failed(at: number): void {
    if (!this.measures(at)) return;
    this.counts.requests++;
    this.counts.errors++;
    this.secondAt(at).errors++;
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

  /** Seconds from the end of the warm-up to the last answer. */
  get measuredSeconds(): number {
    return Math.max(0, this.lastAt - this.measureFrom) / 1000;
  }

  perSecond(): SecondPoint[] {
    return this.seconds.map((second, index) => ({
      second: index + 1,
      requests: second?.requests ?? 0,
      errors: second?.errors ?? 0,
      non2xx: second?.non2xx ?? 0,
      p50Ms: second ? percentileMs(second.latency, 50) : 0,
      p99Ms: second ? percentileMs(second.latency, 99) : 0,
    }));
  }

  figures() {
    return figuresOf(this.latency);
  }

  private labelled(label: string, status: number, latencyMs: number): void {
    let entry = this.byLabel.get(label);
    if (!entry) {
      entry = { histogram: newHistogram(), statuses: {} };
      this.byLabel.set(label, entry);
    }
    recordMs(entry.histogram, latencyMs);
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
  }

  private secondAt(at: number): Second {
    this.lastAt = Math.max(this.lastAt, at);
    const index = Math.floor((at - this.measureFrom) / 1000);
    for (let i = this.seconds.length; i <= index; i++) {
      this.seconds.push({ requests: 0, errors: 0, non2xx: 0, latency: newHistogram(2) });
    }
    return this.seconds[index] as Second;
  }
}
