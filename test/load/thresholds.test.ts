import { describe, expect, it } from "vitest";
import { figuresOf, newHistogram, recordMs } from "../../src/load/histogram.js";
import { LoadRecorder } from "../../src/load/recorder.js";
import { describeThreshold, evaluate, parseThreshold } from "../../src/load/thresholds.js";
import { UserError } from "../../src/util/exit-codes.js";

/** What a scenario measured: 1,000 answers of 1..1000 µs... scaled to 0.1..100 ms. */
function measured() {
  const histogram = newHistogram();
  for (let i = 1; i <= 1000; i++) recordMs(histogram, i / 10);
  const counts = new LoadRecorder(0).counts;
  return { latency: figuresOf(histogram), histogram, rps: 512.4, counts: { ...counts, errors: 2 } };
}

describe("thresholds", () => {
  it("parses every metric of the grammar, with units and spaces", () => {
    expect(parseThreshold("p99<50ms", "flag")).toMatchObject({
      metric: "p99",
      operator: "<",
      limit: 50,
    });
    expect(parseThreshold("p99.9 <= 0.2s", "config")).toMatchObject({
      metric: "p99.9",
      operator: "<=",
      limit: 200,
    });
    expect(parseThreshold("max<1500us", "flag")).toMatchObject({ metric: "max", limit: 1.5 });
    expect(parseThreshold("p95<12", "flag")).toMatchObject({ metric: "p95", limit: 12 });
    expect(parseThreshold("errors==0", "scenario")).toMatchObject({
      metric: "errors",
      operator: "=",
      limit: 0,
    });
    expect(parseThreshold("rps>=500", "flag")).toMatchObject({
      metric: "rps",
      operator: ">=",
      limit: 500,
    });
    for (const metric of ["non2xx", "invalid", "dropped", "late"])
      expect(parseThreshold(`${metric}=0`, "flag").metric).toBe(metric);
  });

  it("refuses what is malformed or names no metric, as a config error naming the text", () => {
    const refused = (text: string) => {
      try {
        parseThreshold(text, "flag");
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        return (error as UserError).message;
      }
      throw new Error(`"${text}" was accepted`);
    };
    expect(refused("p99 50ms")).toMatch(/--threshold "p99 50ms": not a threshold/);
    expect(refused("latency<50ms")).toMatch(/unknown metric "latency"/);
    expect(refused("p0<5ms")).toMatch(/percentile is in \(0, 100\]/);
    expect(refused("p100.1<5ms")).toMatch(/percentile/);
    expect(refused("p99<50kg")).toMatch(/a latency is in us, ms or s/);
    expect(refused("errors=0ms")).toMatch(/errors takes no unit/);
    expect(refused("")).toMatch(/not a threshold/);
  });

  it("evaluates on the boundary: a limit equal to the value passes <= and fails <", () => {
    const figures = measured();
    const p50 = figures.latency.p50Ms;
    expect(evaluate(parseThreshold(`p50<=${p50}ms`, "flag"), figures).passed).toBe(true);
    expect(evaluate(parseThreshold(`p50<${p50}ms`, "flag"), figures).passed).toBe(false);
    expect(evaluate(parseThreshold("errors=0", "flag"), figures)).toMatchObject({
      value: 2,
      passed: false,
    });
    expect(evaluate(parseThreshold("errors<=2", "flag"), figures).passed).toBe(true);
    expect(evaluate(parseThreshold("rps>=500", "flag"), figures).passed).toBe(true);
    expect(evaluate(parseThreshold("rps>600", "flag"), figures).passed).toBe(false);
  });

  it("reads any percentile from the histogram, and says the measured value beside the limit", () => {
    const result = evaluate(parseThreshold("p95<50ms", "flag"), measured());
    expect(result.value).toBeCloseTo(95, 0);
    expect(describeThreshold(result)).toMatch(/^p95<50ms: measured 95\.\d+ ms \(limit < 50 ms\)$/);
  });
});
