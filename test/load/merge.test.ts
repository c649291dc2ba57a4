/**
 * The exact merge, on recorders fed known latencies: N shards merged give the figures,
 * the seconds and the rounds of one recorder fed the union of their answers (exactly, at
 * the histogram's precision, never an average of percentiles); thresholds are evaluated on
 * the merged figures; every set of shards that is not one run is refused with one line.
 */
import { describe, expect, it } from "vitest";
import { shareOf } from "../../src/load/bench.js";
import { mergeShards, type Shard } from "../../src/load/merge.js";
import { LoadRecorder } from "../../src/load/recorder.js";
import type { BenchReport, ScenarioResult } from "../../src/load/results.js";
import { scenarioResult } from "../../src/load/scenario-result.js";
import { parseThreshold } from "../../src/load/thresholds.js";
import { UserError } from "../../src/util/exit-codes.js";
import { Random } from "../../src/util/random.js";

/** 1 Dec 2026, 09:00:00.250 UTC: not on a whole second, as a real run's start is not. */
const START_MS = Date.UTC(2026, 11, 1, 9) + 250;
const DURATION_MS = 10_000;

interface Answer {
  /** Epoch ms of its end. */
  at: number;
  status: number;
  ms: number;
}

/** A shard's answers: its own start offset, its own mix of fast and slow, some 404s. */
function answersOf(shard: number, count: number): Answer[] {
  const random = new Random(shard * 7919);
  const offset = shard * 137;
  return Array.from({ length: count }, (_, i) => ({
    at: START_MS + offset + (i / count) * DURATION_MS,
    status: random.next() < 0.02 * shard ? 404 : 200,
    // Shard 3 is the slow one: its answers are what pulls the union's p99 up.
    ms: shard === 3 ? 20 + random.next() * 80 : 0.2 + random.next() * random.next() * 5,
  }));
}

function recorderOf(answers: Answer[], fromMs: number): LoadRecorder {
  const recorder = new LoadRecorder({ measureFromMs: fromMs, durationMs: DURATION_MS, rounds: 5 });
  for (const answer of answers) {
    recorder.answered(
      answer.status,
      answer.ms,
      answer.at - performance.timeOrigin,
      undefined,
      `page ${answer.status === 404 ? 2 : 1}`,
    );
  }
  return recorder;
}

function resultOf(
  recorder: LoadRecorder,
  connections: number,
  thresholds: string[] = [],
): ScenarioResult {
  return scenarioResult(
    {
      name: "list-default",
      description: "the first pages",
      model: { kind: "closed", connections },
      wholeModel: { kind: "closed", connections: 9 },
      durationSeconds: DURATION_MS / 1000,
      warmupSeconds: 1,
      validateSample: 0.05,
      seed: 1,
      thresholds: thresholds.map((text) => parseThreshold(text, "flag")),
      invalidExamples: [],
    },
    recorder,
  );
}

function shardReport(index: number, count: number, scenario: ScenarioResult): BenchReport {
  return {
    format: "tickets-api-harness/bench@1",
    runId: `run-${index}`,
    startedAt: new Date(START_MS - 2000).toISOString(),
    durationMs: DURATION_MS + 3000,
    target: { baseUrl: "http://127.0.0.1:1/", embedded: false },
    shard: { index, count },
    seed: index,
    environment: {
      cpuModel: "x",
      cpus: 2,
      loadAverage: [0, 0, 0],
      node: "v20",
      platform: "linux x64",
      sharedCores: true,
    },
    verdict: scenario.verdict,
    exitCode: 0,
    scenarios: [scenario],
    leftovers: [],
  };
}

const perShard = [1, 2, 3].map((shard) => answersOf(shard, 1_500 + shard * 400));
const shardStart = (shard: number) => START_MS + shard * 137;
const shards: Shard[] = perShard.map((answers, i) => ({
  where: `shard-${i + 1}`,
  report: shardReport(i + 1, 3, resultOf(recorderOf(answers, shardStart(i + 1)), 3)),
}));
const union = resultOf(recorderOf(perShard.flat(), shardStart(1)), 9);

describe("the merge of shards", () => {
  const merged = mergeShards(shards);
  const scenario = merged.scenarios[0] as ScenarioResult;

  it("has the percentiles, counts and statuses of the union of every answer, exactly", () => {
    expect(scenario.latency).toEqual(union.latency);
    expect(scenario.counts).toEqual(union.counts);
    expect(scenario.statuses).toEqual(union.statuses);
    expect(scenario.histograms.latency).toBe(union.histograms.latency);
    // Not the average of the shards' p99s: shard 3 alone is slow.
    const mean =
      shards.reduce((sum, s) => sum + (s.report.scenarios[0] as ScenarioResult).latency.p99Ms, 0) /
      3;
    expect(scenario.latency.p99Ms).not.toBeCloseTo(mean, 0);
  });

  it("adds the seconds on the wall clock and the rounds by their index", () => {
    expect(scenario.perSecond).toEqual(union.perSecond);
    expect(scenario.histograms.perSecond).toEqual(union.histograms.perSecond);
    expect(scenario.perSecond.reduce((sum, s) => sum + s.requests, 0)).toBe(union.counts.requests);
    expect(scenario.rounds.map((round) => round.requests)).toEqual(
      [0, 1, 2, 3, 4].map((i) =>
        shards.reduce(
          (sum, s) => sum + ((s.report.scenarios[0] as ScenarioResult).rounds[i]?.requests ?? 0),
          0,
        ),
      ),
    );
    expect(scenario.labels).toEqual(union.labels);
    expect(scenario.depth).toEqual(union.depth);
  });

  it("is the whole run: its model, every shard named, how much they overlapped", () => {
    expect(scenario.model).toEqual({ kind: "closed", connections: 9 });
    expect(scenario.settings.wholeModel).toBeUndefined();
    expect(merged.shard).toBeUndefined();
    expect(merged.mergedFrom?.map((part) => part.shard)).toEqual(
      [1, 2, 3].map((index) => ({ index, count: 3 })),
    );
    expect(scenario.merge?.shards).toBe(3);
    expect(scenario.merge?.overlap).toBeGreaterThan(0.9);
    expect(scenario.merge?.overlap).toBeLessThan(1);
  });

  it("evaluates the thresholds on the merged figures: broken only in the union, passed only in the union", () => {
    const each = shards.map((s) => s.report.scenarios[0] as ScenarioResult);
    const most404 = Math.max(...each.map((s) => s.counts.non2xx));
    const fastest = Math.max(...each.map((s) => s.rps));
    const gate = [`non2xx<=${most404}`, `rps>=${Math.ceil(fastest * 1.5)}`];
    const result = mergeShards(shards, gate);
    const thresholds = (result.scenarios[0] as ScenarioResult).thresholds;
    // Every shard alone is within non2xx<=most404 and below the rate: the union is not.
    expect(thresholds.find((t) => t.metric === "non2xx")).toMatchObject({
      passed: false,
      value: union.counts.non2xx,
    });
    expect(thresholds.find((t) => t.metric === "rps")?.passed).toBe(true);
    expect(result.verdict).toBe("fail");
    expect(result.exitCode).toBe(1);
  });

  it("keeps the shards' own thresholds, each once, evaluated again on the union", () => {
    const gated = [1, 2, 3].map((index, i) => ({
      where: `shard-${index}`,
      report: shardReport(
        index,
        3,
        resultOf(recorderOf(perShard[i] as Answer[], shardStart(index)), 3, ["p99<50ms"]),
      ),
    }));
    // Shards 1 and 2 pass p99<50ms on their own; the union (shard 3's slow answers in it) does not.
    expect(
      gated.map((s) => (s.report.scenarios[0] as ScenarioResult).thresholds[0]?.passed),
    ).toEqual([true, true, false]);
    const result = mergeShards(gated);
    const p99 = (result.scenarios[0] as ScenarioResult).thresholds.filter(
      (t) => t.source === "p99<50ms",
    );
    expect(p99).toHaveLength(1);
    expect(p99[0]?.value).toBe(union.latency.p99Ms);
  });
});

describe("what is not one run is refused, one line saying which", () => {
  const refusal = (parts: Shard[]) => {
    try {
      mergeShards(parts);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(2);
      expect((error as Error).message).not.toContain("\n");
      return (error as Error).message;
    }
    throw new Error("merged what it should have refused");
  };
  const [one, two, three] = shards as [Shard, Shard, Shard];
  const changed = (shard: Shard, change: (report: BenchReport) => void): Shard => {
    const report = structuredClone(shard.report);
    change(report);
    return { where: `${shard.where}-changed`, report };
  };

  it("a missing shard, a shard given twice, nothing at all", () => {
    expect(refusal([one, three])).toMatch(/^shard 2\/3 is missing \(given: 1\/3, 3\/3\)/);
    expect(refusal([one, two, two, three])).toMatch(
      /^shard 2\/3 is given twice: shard-2 and shard-2/,
    );
    expect(refusal([])).toMatch(/no shard given/);
  });

  it("a run that was not sharded, shards of runs split differently", () => {
    expect(refusal([changed(one, (r) => delete r.shard), two, three])).toMatch(/is not a shard/);
    expect(refusal([one, changed(two, (r) => (r.shard = { index: 2, count: 4 })), three])).toMatch(
      /shard 1\/3 but .* is shard 2\/4/,
    );
  });

  it("other scenarios, settings or target", () => {
    const scenario = (r: BenchReport) => r.scenarios[0] as ScenarioResult;
    expect(refusal([one, changed(two, (r) => (scenario(r).name = "mixed")), three])).toMatch(
      /ran mixed, but shard-1 \(shard 1\/3\) list-default/,
    );
    expect(
      refusal([one, changed(two, (r) => (scenario(r).settings.durationSeconds = 30)), three]),
    ).toMatch(/with duration 30 s, but .* 10 s/);
    expect(refusal([one, changed(two, (r) => (scenario(r).settings.rounds = 3)), three])).toMatch(
      /with rounds 3/,
    );
    expect(
      refusal([
        one,
        two,
        changed(
          three,
          (r) => (scenario(r).settings.wholeModel = { kind: "closed", connections: 12 }),
        ),
      ]),
    ).toMatch(/model closed, 12 connections/);
    expect(
      refusal([
        one,
        changed(two, (r) => (r.target.baseUrl = "https://staging.example.com/")),
        three,
      ]),
    ).toMatch(/targets https:\/\/staging/);
  });
});

describe("a shard's share of the load", () => {
  it("deals the connections out one by one, shard 1 first, and refuses a shard with none", () => {
    const shares = (connections: number, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const model = shareOf({ kind: "closed", connections }, { index: i + 1, count }, "s");
        return model.kind === "closed" ? model.connections : Number.NaN;
      });
    expect(shares(30, 3)).toEqual([10, 10, 10]);
    expect(shares(10, 3)).toEqual([4, 3, 3]);
    expect(shares(3, 3)).toEqual([1, 1, 1]);
    expect(() =>
      shareOf({ kind: "closed", connections: 2 }, { index: 3, count: 3 }, "list-default"),
    ).toThrow(/--shard 3\/3: list-default has 2 connections, fewer than the 3 shards/);
  });

  it("divides the arrival rate and the in-flight cap", () => {
    const model = { kind: "open", rate: 1000, maxInFlight: 64 } as const;
    const parts = [1, 2, 3].map((index) => shareOf(model, { index, count: 3 }, "s"));
    expect(parts).toEqual(Array(3).fill({ kind: "open", rate: 1000 / 3, maxInFlight: 22 }));
  });
});
