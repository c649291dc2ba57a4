/**
 * The baseline file and the comparison, without a server: a BenchReport made by hand (real
 * HdrHistograms, five rounds), saved and read back, refused when malformed or taken with
 * other settings (one line naming what differs), and judged metric by metric: significant
 * AND beyond the minimum effect AND the floor, or the same within the noise.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  compareWithBaseline,
  comparisonLine,
  DEFAULT_NOISE,
  judgeMetric,
  plannedOf,
  settingsDifference,
} from "../../src/load/baseline/compare.js";
import {
  BASELINE_FORMAT,
  baselineOf,
  loadBaseline,
  saveBaseline,
} from "../../src/load/baseline/file.js";
import type { ScenarioResult } from "../../src/load/results.js";
import { UserError } from "../../src/util/exit-codes.js";
import { fast, report, scenario } from "./baseline-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "baseline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the baseline file", () => {
  it("is saved with what a later run needs and read back the same", () => {
    const run = report([scenario("list-default", fast(1), 1000)]);
    const file = join(dir, "nested", "baseline.json");
    saveBaseline(run, file, new Date("2026-12-01T11:00:00Z"));
    const loaded = loadBaseline(file);
    expect(loaded.format).toBe(BASELINE_FORMAT);
    expect(loaded.savedAt).toBe("2026-12-01T11:00:00.000Z");
    expect(loaded.target).toEqual({ baseUrl: "http://127.0.0.1:4000", embedded: false });
    const [saved] = loaded.scenarios;
    expect(saved?.settings).toEqual({ durationSeconds: 2, warmupSeconds: 0.5, rounds: 5 });
    expect(saved?.rounds).toHaveLength(5);
    expect(saved?.histograms.latency).toBe(run.scenarios[0]?.histograms.latency);
    // Only what a comparison reads: no counts, statuses, per-second series or examples.
    expect(Object.keys(saved ?? {}).sort()).toEqual([
      "histograms",
      "model",
      "name",
      "rounds",
      "rps",
      "settings",
    ]);
  });

  it("reads a bench.json as a baseline", () => {
    const run = report([scenario("list-default", fast(1), 1000)]);
    const file = join(dir, "bench.json");
    writeFileSync(file, JSON.stringify(run));
    expect(loadBaseline(file)).toEqual(baselineOf(run, new Date(run.startedAt)));
  });

  it("refuses a file that is not one, in one line naming the field", () => {
    const refused = (content: string, pattern: RegExp) => {
      const file = join(dir, "bad.json");
      writeFileSync(file, content);
      expect(() => loadBaseline(file)).toThrow(UserError);
      expect(() => loadBaseline(file)).toThrow(pattern);
    };
    const good = baselineOf(report([scenario("list-default", fast(1), 1000)]));
    refused("{", /--baseline .*bad\.json: not JSON/);
    refused(JSON.stringify({ format: "other@1" }), /not a baseline \("format" is "other@1"/);
    refused(JSON.stringify({ ...good, scenarios: [] }), /"scenarios" is not a list of scenarios/);
    const broken = structuredClone(good);
    (broken.scenarios[0]?.rounds[2] as unknown as Record<string, unknown>).p99Ms = "fast";
    refused(JSON.stringify(broken), /"scenarios\[0\]\.rounds\[2\]\.p99Ms" is not a number/);
    const short = structuredClone(good);
    short.scenarios[0]?.rounds.pop();
    refused(JSON.stringify(short), /holds 4 rounds, its settings say 5/);
    const garbled = structuredClone(good);
    (garbled.scenarios[0] as { histograms: { latency: string } }).histograms.latency = "AAAA";
    refused(
      JSON.stringify(garbled),
      /"scenarios\[0\]\.histograms\.latency" is not a compressed base64 HdrHistogram/,
    );
    refused(JSON.stringify({ ...report([]), verdict: "incomplete" }), /its run is incomplete/);
    expect(() => loadBaseline(join(dir, "missing.json"))).toThrow(
      /cannot read it \(no such file\)/,
    );
  });
});

describe("other settings are refused, never compared", () => {
  const base = baselineOf(
    report([scenario("list-default", fast(1), 1000), scenario("mixed", fast(2), 900)]),
  );
  const plan = () =>
    plannedOf(report([scenario("list-default", fast(1), 1000), scenario("mixed", fast(2), 900)]));

  it("the same settings pass", () => {
    expect(settingsDifference(base, plan())).toBeUndefined();
    // The base URL as written: a trailing slash is the same target.
    expect(
      settingsDifference(base, {
        ...plan(),
        target: { baseUrl: "http://127.0.0.1:4000/", embedded: false },
      }),
    ).toBeUndefined();
  });

  it("names each difference, with the baseline's value and this run's", () => {
    const other = plan();
    for (const item of other.scenarios) item.durationSeconds = 3;
    expect(settingsDifference(base, other)).toBe("duration 2 s there, 3 s here");
    const one = plan();
    (one.scenarios[0] as { model: unknown }).model = { kind: "closed", connections: 10 };
    expect(settingsDifference(base, one)).toBe("list-default: connections 1 there, 10 here");
    const open = plan();
    (open.scenarios[1] as { model: unknown }).model = { kind: "open", rate: 50, maxInFlight: 100 };
    expect(settingsDifference(base, open)).toBe(
      "mixed: model closed (1 connections) there, open (50/s) here",
    );
    const fewer = plan();
    fewer.scenarios.pop();
    expect(settingsDifference(base, fewer)).toBe(
      "scenarios list-default, mixed there, list-default here",
    );
    expect(
      settingsDifference(base, { ...plan(), target: { embedded: true, tickets: 100_000 } }),
    ).toBe("target http://127.0.0.1:4000 there, the embedded server (100,000 tickets) here");
    const rounds = plan();
    for (const item of rounds.scenarios) {
      item.rounds = 10;
      item.warmupSeconds = 1;
    }
    expect(settingsDifference(base, rounds)).toBe(
      "warm-up 0.5 s there, 1 s here; rounds 5 there, 10 here",
    );
  });

  it("the embedded server of another size", () => {
    const embedded = {
      ...base,
      target: { baseUrl: "http://127.0.0.1:1", embedded: true, tickets: 2000 },
    };
    expect(
      settingsDifference(embedded, { ...plan(), target: { embedded: true, tickets: 2000 } }),
    ).toBeUndefined();
    expect(
      settingsDifference(embedded, { ...plan(), target: { embedded: true, tickets: 100_000 } }),
    ).toBe("embedded server's tickets 2,000 there, 100,000 here");
  });

  it("compareWithBaseline refuses with a UserError (exit 2)", () => {
    const run = report([scenario("list-default", fast(1), 1000)]);
    expect(() => compareWithBaseline(run, base, "base.json")).toThrow(
      /^--baseline base\.json was taken with other settings, not compared: scenarios list-default, mixed there, list-default here$/,
    );
  });
});

describe("the verdict per metric", () => {
  const noise = DEFAULT_NOISE;
  const judge = (
    baseline: number,
    now: number,
    before: number[],
    after: number[],
    metric: "p99" | "rps" = "p99",
    settings = noise,
  ) =>
    judgeMetric({
      metric,
      baseline,
      now,
      baselineRounds: before,
      nowRounds: after,
      noise: settings,
    });

  it("slower: significant, beyond the minimum effect and the floor", () => {
    const result = judge(3.1, 24, [3, 3.1, 2.9, 3.2, 3], [23, 24, 25, 24.5, 23.5]);
    expect(result).toMatchObject({ verdict: "slower", method: "exact" });
    expect(result.pSlower).toBeCloseTo(1 / 252, 12);
    expect(comparisonLine("list-default", result)).toBe(
      "slower: list-default p99 3.10 ms -> 24.0 ms (+674%), beyond the noise (p=0.004, 5 rounds each)",
    );
  });

  it("faster, the same way in the other direction", () => {
    expect(judge(24, 3.1, [23, 24, 25, 24.5, 23.5], [3, 3.1, 2.9, 3.2, 3]).verdict).toBe("faster");
  });

  it("the same: not significant, however large the change of the whole figure", () => {
    const result = judge(3, 30, [3, 40, 2.9, 3.2, 3], [3.1, 2.8, 30, 3, 3.3]);
    expect(result.verdict).toBe("same");
    expect(result.why).toMatch(/^within the noise \(p=0\.\d+, 5 rounds each\)$/);
  });

  it("the same: significant but under the minimum effect", () => {
    const result = judge(10, 10.5, [10, 10.1, 9.9, 10.2, 10], [10.4, 10.5, 10.6, 10.45, 10.55]);
    expect(result.verdict).toBe("same");
    expect(result.why).toBe("under the minimum effect of 10% (p=0.004, 5 rounds each)");
  });

  it("the same: significant and +60%, but under the floor of 0.5 ms (loopback jitter)", () => {
    const result = judge(0.2, 0.32, [0.2, 0.21, 0.19, 0.2, 0.2], [0.31, 0.32, 0.33, 0.32, 0.3]);
    expect(result.verdict).toBe("same");
    expect(result.why).toMatch(/under the floor of 0\.5 ms/);
  });

  it("req/s: lower is slower; the minimum effect is a ratio both ways (100% = half the rate)", () => {
    const drop = judge(1000, 45, [990, 1000, 1010, 1005, 995], [44, 45, 46, 45, 44], "rps");
    expect(drop.verdict).toBe("slower");
    expect(comparisonLine("list-default", drop)).toBe(
      "slower: list-default req/s 1,000 -> 45.0 (-96%), beyond the noise (p=0.004, 5 rounds each)",
    );
    const strict = { ...noise, minEffectPct: 100 };
    expect(
      judge(1000, 600, [990, 1000, 1010, 1005, 995], [600, 610, 590, 600, 605], "rps", strict)
        .verdict,
    ).toBe("same");
    expect(
      judge(1000, 450, [990, 1000, 1010, 1005, 995], [450, 455, 445, 450, 452], "rps", strict)
        .verdict,
    ).toBe("slower");
    expect(
      judge(1000, 1500, [990, 1000, 1010, 1005, 995], [1500, 1510, 1490, 1500, 1505], "rps")
        .verdict,
    ).toBe("faster");
  });

  it("compares a whole run: figures from the whole histograms, a scenario slower if any metric is", () => {
    const before = report([scenario("list-default", fast(1), 1000)]);
    const after = report([scenario("list-default", fast(5, 20), 45)]);
    const comparison = compareWithBaseline(after, baselineOf(before), "base.json");
    expect(comparison.regressed).toBe(true);
    const [result] = comparison.scenarios;
    expect(result?.verdict).toBe("slower");
    expect(result?.metrics.map((item) => [item.metric, item.verdict])).toEqual([
      ["p50", "slower"],
      ["p90", "slower"],
      ["p99", "slower"],
      ["p99.9", "slower"],
      ["rps", "slower"],
    ]);
    expect(result?.metrics[0]?.baseline).toBe(before.scenarios[0]?.latency.p50Ms);
    expect(result?.metrics[0]?.now).toBe(after.scenarios[0]?.latency.p50Ms);
    const same = compareWithBaseline(
      report([scenario("list-default", fast(3), 1000)]),
      baselineOf(before),
      "base.json",
    );
    expect(same.regressed).toBe(false);
    expect(same.scenarios[0]?.verdict).toBe("same");
  });

  it("says when too few rounds can never be significant", () => {
    const noRounds = (result: ScenarioResult): ScenarioResult => ({
      ...result,
      settings: { ...result.settings, rounds: 2 },
      rounds: result.rounds.slice(0, 2),
    });
    const before = report([noRounds(scenario("list-default", fast(1), 1000))]);
    const after = report([noRounds(scenario("list-default", fast(1, 20), 45))]);
    const comparison = compareWithBaseline(after, baselineOf(before), "base.json");
    expect(comparison.regressed).toBe(false);
    expect(comparison.note).toMatch(
      /with 2 rounds each no change can reach p ≤ 0\.05 \(the smallest p is 0\.167\)/,
    );
  });
});
