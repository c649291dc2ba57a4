/**
 * How much the requests of a group could have overlapped at the target, from the client's
 * timings: a request was handled somewhere between when it was sent and when its answer
 * came, so the requests could all have been in the target at once only if those windows
 * share an instant (the latest send before the earliest answer). It is an upper bound: a
 * slow network stretches the windows. Tallied over a run for the check's result.
 */
import type { Exchange } from "../../../client/index.js";
import type { Measured } from "../../model.js";

export interface Window {
  start: number;
  end: number;
}

/** The window of an exchange on the process's monotonic clock; undefined without a timing. */
export function windowOf(exchange: Exchange<unknown>): Window | undefined {
  const start = exchange.timing.sentAtMs;
  if (start === undefined) return undefined;
  return { start, end: start + exchange.timing.durationMs };
}

export interface Overlap {
  /** From the first send to the last (ms). */
  spreadMs: number;
  /** How long every request was in flight at once (ms); 0 or less: never all at once. */
  sharedMs: number;
}

export function overlapOf(windows: Window[]): Overlap {
  const starts = windows.map((window) => window.start);
  const ends = windows.map((window) => window.end);
  return {
    spreadMs: Math.max(...starts) - Math.min(...starts),
    sharedMs: Math.min(...ends) - Math.max(...starts),
  };
}

/** The tries of one run of the check, tallied. */
export class OverlapTally {
  groups = 0;
  tries = 0;
  /** Tries whose requests were all in flight at once. */
  overlapped = 0;
  /** Tries that broke a rule. */
  races = 0;
  /** The tries until a group first broke a rule, for each group that did. */
  readonly triesToShow: number[] = [];
  private readonly spreads: number[] = [];
  private readonly shared: number[] = [];

  /** A try whose requests were started at once (not staggered): its spread says how tight. */
  add(overlap: Overlap | undefined, startedTogether: boolean): void {
    this.tries++;
    if (!overlap) return;
    if (startedTogether) this.spreads.push(overlap.spreadMs);
    if (overlap.sharedMs > 0) {
      this.overlapped++;
      this.shared.push(overlap.sharedMs);
    }
  }

  measured(): Measured {
    const spread = summary(this.spreads);
    const shared = summary(this.shared);
    const values: Record<string, number> = {
      groups: this.groups,
      tries: this.tries,
      overlapped: this.overlapped,
      races: this.races,
      ...(spread ? { startSpreadMedianMs: spread.median, startSpreadMaxMs: spread.max } : {}),
      ...(shared ? { sharedMedianMs: shared.median, sharedMinMs: shared.min } : {}),
    };
    const tight = spread
      ? `; started together within ${ms(spread.median)} (median; at most ${ms(spread.max)})`
      : "";
    const together = shared
      ? `, all in flight at once for ${ms(shared.median)} (median; at least ${ms(shared.min)})`
      : "";
    const line =
      `${this.groups} group(s), ${this.tries} tries: ${this.overlapped} overlapped at the target` +
      `${together}${tight}; ${this.races} broke a rule`;
    return { line, values };
  }
}

function summary(values: number[]): { median: number; min: number; max: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    median: round(sorted[Math.floor((sorted.length - 1) / 2)] as number),
    min: round(sorted[0] as number),
    max: round(sorted[sorted.length - 1] as number),
  };
}

function ms(value: number): string {
  return `${value < 1 ? value.toFixed(2) : value.toFixed(1)} ms`;
}
