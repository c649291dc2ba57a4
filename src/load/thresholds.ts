/**
 * Thresholds, k6-style: data, from a scenario, the config or `--threshold`, evaluated on a
 * scenario's figures at its end; a broken one fails the run (exit 1). Three phases, as in
 * k6's thresholds.go: parse (the syntax), validate (against the known metrics: an unknown
 * metric or a unit that does not fit it is a config error, exit 2, never a silent pass, as
 * k6 once passed them), evaluate (a pure function of the figures).
 *
 * The grammar:
 *   threshold := metric operator number [unit]
 *   metric    := "p" percentile | "max" | "mean" | "rps"
 *              | "errors" | "non2xx" | "invalid" | "dropped" | "late"
 *   percentile:= a number in (0, 100], e.g. 50, 99, 99.9
 *   operator  := "<" | "<=" | ">" | ">=" | "=" | "==" | "!="
 *   unit      := "us" | "ms" | "s"   (latency metrics only; default ms)
 * Spaces are allowed between the parts: `p99 < 50ms`, `errors=0`, `rps>=500`.
 */
import { UserError } from "../util/exit-codes.js";
import { type Histogram, type LatencyFigures, percentileMs } from "./histogram.js";
import type { Counts, ThresholdResult } from "./results.js";

/** What a scenario measured, as the thresholds read it. */
export interface Measured {
  latency: LatencyFigures;
  /** The latency histogram (microseconds), for any percentile. */
  histogram: Histogram;
  rps: number;
  counts: Counts;
}

type Operator = ThresholdResult["operator"];
export type Origin = ThresholdResult["origin"];

export interface Threshold {
  source: string;
  origin: Origin;
  metric: string;
  operator: Operator;
  /** In the metric's unit: ms for latencies, req/s, or a count. */
  limit: number;
}

const GRAMMAR = "METRIC OP NUMBER[UNIT], e.g. p99<50ms, p99.9<=200ms, max<1s, errors=0, rps>=500";
const COUNTS = ["errors", "non2xx", "invalid", "dropped", "late"] as const;
const LATENCY = /^(?:p(\d+(?:\.\d+)?)|max|mean)$/;
const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

/** Phases one and two: the text to a threshold on a known metric, or a UserError (exit 2). */
export function parseThreshold(text: string, origin: Origin): Threshold {
  const match =
    /^\s*([a-z][a-z0-9.]*)\s*(<=|>=|==|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*([a-zµ]*)\s*$/i.exec(text);
  const where = origin === "flag" ? "--threshold" : `${origin} threshold`;
  if (!match) throw new UserError(`${where} "${text}": not a threshold (${GRAMMAR})`);
  const [, metric, written, number, unit = ""] = match as unknown as string[];
  const operator = (written === "==" ? "=" : written) as Operator;
  const value = Number(number);
  const latency = LATENCY.exec(metric as string);
  if (latency) {
    const percentile = latency[1] === undefined ? undefined : Number(latency[1]);
    if (percentile !== undefined && !(percentile > 0 && percentile <= 100)) {
      throw new UserError(`${where} "${text}": a percentile is in (0, 100], got ${percentile}`);
    }
    const scale = UNIT_MS[unit === "" ? "ms" : unit];
    if (scale === undefined)
      throw new UserError(`${where} "${text}": a latency is in us, ms or s, got "${unit}"`);
    return {
      source: text.trim(),
      origin,
      metric: metric as string,
      operator,
      limit: value * scale,
    };
  }
  if (metric === "rps" || (COUNTS as readonly string[]).includes(metric as string)) {
    if (unit !== "") {
      throw new UserError(`${where} "${text}": ${metric} takes no unit, got "${unit}"`);
    }
    return { source: text.trim(), origin, metric: metric as string, operator, limit: value };
  }
  throw new UserError(
    `${where} "${text}": unknown metric "${metric}" (known: p<percentile>, max, mean, rps, ${COUNTS.join(", ")})`,
  );
}

/** The value of a threshold's metric in what a scenario measured. */
function metricValue(metric: string, measured: Measured): number {
  const latency = LATENCY.exec(metric);
  if (latency) {
    if (metric === "max") return measured.latency.maxMs;
    if (metric === "mean") return measured.latency.meanMs;
    return percentileMs(measured.histogram, Number(latency[1]));
  }
  if (metric === "rps") return measured.rps;
  return measured.counts[metric as (typeof COUNTS)[number]];
}

/** Phase three: a pure function of the figures. */
export function evaluate(threshold: Threshold, measured: Measured): ThresholdResult {
  const value = metricValue(threshold.metric, measured);
  return { ...threshold, value, passed: holds(value, threshold.operator, threshold.limit) };
}

function holds(value: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case "<":
      return value < limit;
    case "<=":
      return value <= limit;
    case ">":
      return value > limit;
    case ">=":
      return value >= limit;
    case "=":
      return value === limit;
    case "!=":
      return value !== limit;
  }
}

/** A threshold result as one line: `p99<50ms: 62.1 ms (limit 50 ms)`. */
export function describeThreshold(result: ThresholdResult): string {
  const unit = LATENCY.test(result.metric) ? " ms" : result.metric === "rps" ? " req/s" : "";
  const value = Number.isInteger(result.value) ? result.value : result.value.toFixed(2);
  return `${result.source}: measured ${value}${unit} (limit ${result.operator} ${result.limit}${unit})`;
}
