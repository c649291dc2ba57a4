/**
 * `bench --shard` and `report merge` as a user runs them: 3 shards as 3 processes on
 * loopback against one reference server, merged. The merged percentiles are those of a
 * histogram built from the union of every raw per-request latency the shards wrote
 * (`--raw-latencies`), exactly; a threshold broken only by the union fails the merge
 * (exit 1) and says so; a set that is not one run is refused in one line (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { figuresOf, newHistogram } from "../../src/load/histogram.js";
import type { BenchReport, ScenarioResult } from "../../src/load/results.js";
import {
  DEV_API_KEY,
  type ReferenceServer,
  startReferenceServer,
} from "../../src/reference/index.js";
import { type CliExit, killCliChildren, startCli } from "../support/cli.js";

let server: ReferenceServer;
let dir: string;
const shardDirs = [1, 2, 3].map((i) => () => join(dir, `shard-${i}`));
let shards: CliExit[];

function cli(args: string[], timeoutMs = 90_000): Promise<CliExit> {
  return startCli(args, { env: { TICKETS_API_KEY: DEV_API_KEY }, timeoutMs }).exited(timeoutMs);
}

/** `report merge` of the three shards into `out`, with `more` arguments. */
const mergeInto = (out: string, ...more: string[]) =>
  cli(["report", "merge", ...shardDirs.map((d) => d()), "--report-dir", out, ...more]);

const reportIn = (out: string) =>
  JSON.parse(readFileSync(join(out, "bench.json"), "utf8")) as BenchReport;

/**
 * A list scenario in which one request in 20 asks for a ticket that does not exist (404):
 * every shard has some non-2xx answers, and the union has their sum.
 */
const SOME_404 = `export default {
  name: "list-some-404",
  description: "the first pages, one request in 20 for an unknown ticket",
  model: { kind: "closed", connections: 3 },
  warmupSeconds: 0.3,
  durationSeconds: 2,
  thresholds: [],
  requests: (context) => {
    let made = 0;
    return {
      next: () =>
        ++made % 20 === 0
          ? context.request("getTicketDetails", { id: context.faker.string.uuid() })
          : context.request("listTicketDetails", {}, { query: { status: "pending" } }),
    };
  },
};
`;

beforeAll(async () => {
  server = await startReferenceServer({ seed: 3, tickets: 2_000, apiKey: DEV_API_KEY });
  dir = mkdtempSync(join(tmpdir(), "merge-cli-"));
  const scenario = join(dir, "list-some-404.mjs");
  writeFileSync(scenario, SOME_404);
  // The three start together, seconds from now, as the Kubernetes Job's pods would.
  const startAt = new Date(Date.now() + 6_000).toISOString();
  shards = await Promise.all(
    [1, 2, 3].map((i) =>
      cli([
        "bench",
        "--base-url",
        server.url,
        "--scenario",
        "list-default",
        "--scenario",
        "mixed",
        "--scenario",
        scenario,
        "--connections",
        "3",
        "--warmup",
        "0.3",
        "--duration",
        "2",
        "--shard",
        `${i}/3`,
        "--seed",
        "11",
        "--start-at",
        startAt,
        "--report-dir",
        join(dir, `shard-${i}`),
        "--raw-latencies",
        join(dir, "raw.csv"),
      ]),
    ),
  );
}, 120_000);

afterAll(async () => {
  killCliChildren();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("three shards, merged", () => {
  it("each shard ran its share: one connection, its own seed, its identity in bench.json", () => {
    for (const shard of shards) expect(shard.code, shard.stdout + shard.stderr).toBe(0);
    const reports = shardDirs.map((d) => reportIn(d()));
    expect(reports.map((r) => r.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    for (const report of reports) {
      expect(report.scenarios[0]?.model).toEqual({ kind: "closed", connections: 1 });
      expect(report.scenarios[0]?.settings.wholeModel).toEqual({ kind: "closed", connections: 3 });
    }
    expect(new Set(reports.map((r) => r.scenarios[0]?.settings.seed)).size).toBe(3);
    // Nothing left behind: each shard cleaned up what its mixed scenario created.
    expect(reports.flatMap((r) => r.leftovers)).toEqual([]);
  });

  it("has the percentiles of the union of every request, exactly", async () => {
    const out = join(dir, "merged");
    const merged = await mergeInto(out);
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/verdict: PASS .*merged from 3 shards/);
    const report = reportIn(out);
    const rows = readFileSync(join(dir, "raw.csv"), "utf8").trim().split("\n").slice(1);
    for (const scenario of report.scenarios) {
      const union = newHistogram();
      for (const row of rows) {
        const [name, , , us] = row.split(",");
        if (name === scenario.name) union.recordValue(Number(us));
      }
      expect(union.totalCount).toBeGreaterThan(100);
      expect(scenario.latency).toEqual(figuresOf(union));
      expect(scenario.counts.requests - scenario.counts.errors).toBe(union.totalCount);
      expect(scenario.model).toEqual({ kind: "closed", connections: 3 });
      // Started together (--start-at), their measured times mostly overlap; on a machine
      // too busy to start a shard in time, that shard says so, and then they may not.
      const onTime = shards.every((shard) => !shard.stdout.includes("out of step"));
      if (onTime) expect(scenario.merge?.overlap).toBeGreaterThan(0.5);
      else expect(scenario.merge?.overlap).toBeGreaterThanOrEqual(0);
    }
    expect(readFileSync(join(out, "summary.md"), "utf8")).toContain("merged from 3 shards");
    expect(readFileSync(join(out, "bench.html"), "utf8")).toContain("merged from 3 shards");
  });

  it("fails on a threshold only the union breaks, and says which", async () => {
    const each = shardDirs.map(
      (d) => reportIn(d()).scenarios.find((s) => s.name === "list-some-404") as ScenarioResult,
    );
    // Every shard alone had at most this many 404s: the three together had their sum.
    const most = Math.max(...each.map((s) => s.counts.non2xx));
    expect(Math.min(...each.map((s) => s.counts.non2xx))).toBeGreaterThan(0);
    const out = join(dir, "merged-gated");
    const merged = await mergeInto(out, "--threshold", `non2xx<=${most}`);
    expect(merged.code, merged.stdout + merged.stderr).toBe(1);
    expect(merged.stdout).toMatch(/FAIL {2}list-some-404/);
    expect(merged.stdout).toContain(
      `threshold broken: non2xx<=${most}: measured ${each.reduce((sum, s) => sum + s.counts.non2xx, 0)} (limit <= ${most})`,
    );
    // The shards' own scenarios keep it: 0 non-2xx there.
    expect(merged.stdout).toMatch(/pass {2}list-default/);
    expect(reportIn(out).verdict).toBe("fail");
  });

  it("refuses a missing shard or a shard given twice, in one line (exit 2)", async () => {
    const [one, two] = shardDirs.map((d) => d());
    const missing = await cli(["report", "merge", one as string, two as string]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(
      /^tickets-harness: shard 3\/3 is missing \(given: 1\/3, 2\/3\)[^\n]*$/,
    );
    const twice = await cli(["report", "merge", one as string, two as string, two as string]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/shard 2\/3 is given twice/);
  });
});
