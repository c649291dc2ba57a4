/**
 * The open model, wrk2-style, on undici: requests start on a fixed schedule, request i due
 * at `start + i / rate`, whether or not earlier ones were answered, the way users arrive.
 * Not autocannon's rate mode: its `overallRate` is a per-connection budget that bursts at
 * each second tick, and its coordinated-omission correction assumes a 1 ms interval.
 *
 * One timer wakes at the next due time (or the oldest request's time-out) and sends every
 * request due by then: Node timers tick in whole milliseconds, so above 1000/s each wake
 * sends several; a backlog (after a stall) goes out in slices of MAX_BURST_MS, the answers
 * read in between, none skipped. The latency is measured from the INTENDED start (coordinated omission
 * corrected: a stall of the target or of this generator is in it), and beside it the
 * service time from when undici wrote the request on its connection. A due request finding
 * `maxInFlight` requests in flight is dropped and counted, never sent later; one sent more
 * than one interval after its intended start is counted late, but never for less than
 * LATE_TOLERANCE_MS: above 500/s an interval is finer than the timer, and "late" would
 * count Node's millisecond ticks (a wake comes ~0.6 ms after its due time at the median,
 * ~1.2 ms at p90, at any rate past SPIN_UP_TO_RATE), not a generator falling behind (a
 * GC pause, a blocked loop, a starved core: those still count). Every request is bounded
 * by `timeoutMs` (then an error, its latency not recorded as an answer); the signal stops
 * the run at once, in-flight requests aborted and not counted.
 *
 * The primitive: `Pool.dispatch` with one small handler object per request (no promise, no
 * body stream, the body kept only when asked for), on a Pool of `maxInFlight` connections
 * without pipelining, so that undici never queues what the schedule sent. Measured in this
 * runner at 3000/s against an 11 KB answer: 150-190 us of CPU per request, where
 * `pool.request` (a promise, a body stream, an AbortSignal for the time-out) took 195-230.
 */
import { type Dispatcher, Pool } from "undici";
import { figuresOf, type LatencyFigures, newHistogram, recordMs } from "./histogram.js";
import type { LoadRecorder } from "./recorder.js";
import type { RunnerOptions } from "./runner-options.js";
import type { PlannedRequest, RequestSource } from "./scenario.js";

export interface OpenRunOptions extends RunnerOptions {
  /** Requests per second, on one schedule from the start of the warm-up to the end. */
  rate: number;
  /** Requests allowed in flight at once (and connections); past it a due request is dropped. */
  maxInFlight: number;
}

/** What the schedule did, beside what the recorder counted (which leaves out the warm-up). */
export interface OpenRunSummary {
  /** Requests on the schedule: sent + dropped, unless aborted. */
  scheduled: number;
  sent: number;
  dropped: number;
  late: number;
  /** The schedule's start, a performance.now() time. */
  startedAt: number;
  /** How long after its intended start each measured request was handed to undici: the
   * generator's own share of the corrected latency. */
  sendLag: LatencyFigures;
  aborted: boolean;
}

/** The least lag counted late: two timer ticks (Node's rounding up, the loop's wake-up). */
export const LATE_TOLERANCE_MS = 2;

/**
 * Up to this rate, a timer that fires early is followed by turns of the loop, not 1 ms.
 * Measured on 2 shared cores against an 11 KB answer: at 200/s the send lag's median goes
 * from 0.56 to 0.00 ms (the corrected p50 from 1.0 to 0.4 ms, the service time being 0.35)
 * for +6 points of a core; at 500/s it would cost +30 points, so above this the schedule
 * keeps the timer's millisecond (a median lag of ~0.6 ms, in the corrected latency).
 */
const SPIN_UP_TO_RATE = 250;

/** The longest a wake sends before it lets the loop read answers (then it goes on). */
const MAX_BURST_MS = 2;

/** Runs the schedule; resolves when every request is answered, failed or timed out. */
export function runOpen(options: OpenRunOptions): Promise<OpenRunSummary> {
  try {
    return new OpenRun(options).promise;
  } catch (error) {
    return Promise.reject(error);
  }
}

class OpenRun {
  readonly promise: Promise<OpenRunSummary>;
  private resolve!: (summary: OpenRunSummary) => void;
  private reject!: (error: unknown) => void;
  private readonly pool: Pool;
  private readonly recorder: LoadRecorder;
  private readonly source: RequestSource;
  private readonly interval: number;
  private readonly lateAfter: number;
  private readonly spins: boolean;
  private readonly start: number;
  private readonly total: number;
  private readonly plainHeaders: Record<string, string>;
  private readonly jsonHeaders: Record<string, string>;
  /** The next request of the schedule. */
  private next = 0;
  /** Requests undici holds (the in-flight cap counts these). */
  inFlight = 0;
  /** Requests sent and not yet answered, failed or timed out. */
  private unsettled = 0;
  /** Sent requests in the order sent, so the oldest unsettled one is found at the head. */
  private readonly flight: Exchange[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private finished = false;
  private readonly counts = { sent: 0, dropped: 0, late: 0 };
  private readonly sendLag = newHistogram(2);

  constructor(readonly options: OpenRunOptions) {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const { rate, maxInFlight, timeoutMs } = options;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate ${rate}: not > 0`);
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
      throw new RangeError(`maxInFlight ${maxInFlight}: not an integer >= 1`);
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs ${timeoutMs}: not > 0`);
    this.recorder = options.recorder;
    this.source = options.source;
    this.interval = 1000 / rate;
    this.lateAfter = Math.max(this.interval, LATE_TOLERANCE_MS);
    this.spins = rate <= SPIN_UP_TO_RATE;
    const end = this.recorder.measureFrom + options.durationMs;
    this.start = Math.max(performance.now(), this.recorder.measureFrom - options.warmupMs);
    this.total = Math.max(0, Math.ceil((end - this.start) / this.interval));
    this.plainHeaders = { ...options.headers };
    this.jsonHeaders = hasContentType(options.headers)
      ? this.plainHeaders
      : { ...options.headers, "content-type": "application/json" };
    // undici's own time-outs are a backstop only: ours ends the request first.
    const backstop = Math.ceil(timeoutMs) + 1_000;
    this.pool = new Pool(options.origin, {
      connections: maxInFlight,
      pipelining: 1,
      connectTimeout: Math.ceil(timeoutMs),
      headersTimeout: backstop,
      bodyTimeout: backstop,
    });
    if (options.signal?.aborted) {
      this.finish(true);
      return;
    }
    options.signal?.addEventListener("abort", this.abort, { once: true });
    const { onTick } = options;
    if (onTick) this.ticker = setInterval(() => this.guard(onTick), 1000);
    this.arm(performance.now());
  }

  private readonly abort = () => this.finish(true);

  /** Sends every request due by now, expires the ones past their time-out, re-arms. */
  private readonly tick = () => {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.finished) return;
    const now = performance.now();
    const before = this.next;
    this.guard(() => {
      const { recorder, interval, total, start } = this;
      const cap = this.options.maxInFlight;
      let sent = 0;
      while (this.next < total) {
        const intended = start + this.next * interval;
        if (intended > now) break;
        // A long backlog (after a stall) goes out in slices, the answers read in between:
        // one long burst would hold the loop, delay the answers, and open a connection for
        // each request it sends. What waits is sent on the next turn, late if it is.
        if (++sent % 32 === 0 && performance.now() - now > MAX_BURST_MS) break;
        this.next++;
        if (this.inFlight >= cap) {
          this.counts.dropped++;
          recorder.dropped(intended);
        } else this.send(intended);
      }
      this.expire(now);
    });
    if (!this.finished) this.arm(performance.now(), this.next === before);
  };

  private send(intended: number): void {
    const request = this.source.next();
    const keep = this.source.needsBodies === true || this.options.keepBody?.(request) === true;
    const dispatchedAt = performance.now();
    const lag = dispatchedAt - intended;
    if (lag > this.lateAfter) {
      this.counts.late++;
      this.recorder.late(intended);
    }
    if (this.recorder.measures(intended)) recordMs(this.sendLag, lag);
    const exchange = new Exchange(this, request, intended, dispatchedAt, keep);
    this.flight.push(exchange);
    this.inFlight++;
    this.unsettled++;
    this.counts.sent++;
    this.pool.dispatch(
      {
        method: request.method as Dispatcher.HttpMethod,
        path: request.path,
        headers: request.body === undefined ? this.plainHeaders : this.jsonHeaders,
        body: request.body ?? null,
      },
      exchange,
    );
  }

  /** Times out every unsettled request older than the time-out (the oldest are first). */
  private expire(now: number): void {
    for (let oldest = this.oldestUnsettled(); oldest; oldest = this.oldestUnsettled()) {
      if (now - oldest.dispatchedAt < this.options.timeoutMs) break;
      oldest.timeOut(now);
    }
  }

  /** The timer: the next due request or the oldest request's time-out, whichever is first. */
  private arm(now: number, early = false): void {
    let wake = Number.POSITIVE_INFINITY;
    if (this.next < this.total) wake = this.start + this.next * this.interval;
    const oldest = this.oldestUnsettled();
    if (oldest) wake = Math.min(wake, oldest.dispatchedAt + this.options.timeoutMs);
    if (wake === Number.POSITIVE_INFINITY) {
      this.finish(false);
      return;
    }
    // Already due (a long tick, a burst): the next turn of the loop, I/O served first.
    // A timer fires on the loop's whole-millisecond clock, often a fraction before its time
    // (measured: half the wakes at 200/s, by ~0.5 ms), and a new one waits at least 1 ms:
    // after such an early wake the loop turns (setImmediate, I/O still served) until the
    // request is due, instead of sending it up to a millisecond late. Never a request early.
    // Only up to SPIN_UP_TO_RATE: faster, a millisecond holds several requests, every wake
    // would turn, and the core it burns is the target's on a shared machine.
    if (wake <= now || (early && wake - now < 1 && this.spins))
      this.immediate = setImmediate(this.tick);
    else this.timer = setTimeout(this.tick, Math.max(0, wake - now));
  }

  /** Moves the head past the settled requests: each is passed once. */
  private oldestUnsettled(): Exchange | undefined {
    const { flight } = this;
    while (this.head < flight.length && (flight[this.head] as Exchange).settled) this.head++;
    if (this.head > 1_024 && this.head * 2 > flight.length) {
      flight.splice(0, this.head);
      this.head = 0;
    }
    return flight[this.head];
  }

  answered(exchange: Exchange, at: number): void {
    this.settle(exchange);
    const { request } = exchange;
    const body = exchange.body();
    this.recorder.answered(
      exchange.status,
      at - exchange.intended,
      at,
      at - exchange.sentAt,
      request.label,
    );
    this.guard(() => {
      this.source.onAnswer?.(request, exchange.status, body);
      this.options.onAnswer?.(request, exchange.status, body, at);
    });
    this.settledOne();
  }

  failed(exchange: Exchange, at: number): void {
    this.settle(exchange);
    this.recorder.failed(at);
    this.guard(() => this.source.onAnswer?.(exchange.request, 0, undefined));
    this.settledOne();
  }

  released(): void {
    this.inFlight--;
  }

  private settle(exchange: Exchange): void {
    exchange.settled = true;
    this.unsettled--;
  }

  /** After the last request of the schedule, the run ends with its last answer. */
  private settledOne(): void {
    if (!this.finished && this.unsettled === 0 && this.next >= this.total) this.finish(false);
  }

  /** A hook that throws ends the run with its error. */
  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.finish(true, error);
    }
  }

  get stopped(): boolean {
    return this.finished;
  }

  private finish(aborted: boolean, error?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    clearInterval(this.ticker);
    this.options.signal?.removeEventListener("abort", this.abort);
    const summary: OpenRunSummary = {
      scheduled: aborted ? this.next : this.total,
      ...this.counts,
      startedAt: this.start,
      sendLag: figuresOf(this.sendLag),
      aborted,
    };
    // Every request still in undici (an aborted run's, a timed-out connect) ends here; out
    // of the undici callback this may be called from.
    setImmediate(() => {
      this.pool
        .destroy()
        .then(
          () => (error === undefined ? this.resolve(summary) : this.reject(error)),
          this.reject,
        );
    });
  }
}

/** One request: its times, its answer as it comes, and undici's handler for it. */
class Exchange implements Dispatcher.DispatchHandler {
  /** When undici wrote it on a connection (after connecting, for a new one). */
  sentAt: number;
  status = 0;
  /** Answered, failed or timed out: recorded once, whatever undici reports after. */
  settled = false;
  private controller: Dispatcher.DispatchController | undefined;
  private chunks: Buffer[] | undefined;

  constructor(
    private readonly run: OpenRun,
    readonly request: PlannedRequest,
    readonly intended: number,
    readonly dispatchedAt: number,
    keep: boolean,
  ) {
    this.sentAt = dispatchedAt;
    this.chunks = keep ? [] : undefined;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    this.sentAt = performance.now();
    if (this.settled) controller.abort(new Error("timed out"));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks?.push(chunk);
  }

  onResponseEnd(): void {
    this.run.released();
    if (!this.settled && !this.run.stopped) this.run.answered(this, performance.now());
  }

  onResponseError(): void {
    this.run.released();
    if (!this.settled && !this.run.stopped) this.run.failed(this, performance.now());
  }

  /** Past the time-out: an error now; undici lets go of it when the abort reaches it. */
  timeOut(at: number): void {
    this.run.failed(this, at);
    this.controller?.abort(new Error("timed out"));
  }

  /** The body, once: the chunks are let go (the request may stay queued a while). */
  body(): string | undefined {
    const { chunks } = this;
    if (chunks === undefined) return undefined;
    this.chunks = undefined;
    return chunks.length === 1
      ? (chunks[0] as Buffer).toString("utf8")
      : Buffer.concat(chunks).toString("utf8");
  }
}

function hasContentType(headers: Record<string, string>): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
}
