/**
 * Latencies in HDR histograms (hdr-histogram-js), recorded in microseconds with 3
 * significant digits: a loopback answer of 180 µs reads 0.18 ms, not autocannon's 0
 * (its histograms are whole milliseconds). Histograms add exactly, so shards merge into
 * the percentiles of the union, and they travel in the standard compressed base64 encoding
 * that other HdrHistogram tools read.
 */
import * as hdr from "hdr-histogram-js";

export type Histogram = hdr.Histogram;

/** One hour, in microseconds: any longer answer is recorded as this. */
const HIGHEST_US = 3_600_000_000;

/** `digits`: significant digits kept; 2 is enough for a per-second point and 10x smaller. */
export function newHistogram(digits: 2 | 3 = 3): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: digits,
    bitBucketSize: 32,
    autoResize: false,
    useWebAssembly: false,
  });
}

/** Records a latency given in milliseconds (fractions kept to the microsecond). */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(recordedUs(ms));
}

/** The microseconds a latency in milliseconds is recorded as (at least 1, at most an hour). */
export function recordedUs(ms: number): number {
  return Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000)));
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(base64: string): Histogram {
  return hdr.decodeFromCompressedBase64(base64, 32, false);
}

/** A percentile (0..100) of the histogram, in milliseconds. */
export function percentileMs(histogram: Histogram, percentile: number): number {
  return histogram.totalCount === 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000;
}

export interface LatencyFigures {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
  count: number;
}

export function figuresOf(histogram: Histogram): LatencyFigures {
  const empty = histogram.totalCount === 0;
  return {
    p50Ms: percentileMs(histogram, 50),
    p90Ms: percentileMs(histogram, 90),
    p99Ms: percentileMs(histogram, 99),
    p999Ms: percentileMs(histogram, 99.9),
    maxMs: empty ? 0 : histogram.maxValue / 1000,
    meanMs: empty ? 0 : histogram.mean / 1000,
    count: histogram.totalCount,
  };
}
