/**
 * `bench --workers N`: one process, N worker threads each running a shard of every
 * scenario, merged in process by the code of `report merge`. Against the embedded server
 * (started once, shared by the workers) and against a served one: the whole load's model,
 * every worker's share in the merge, the mixed scenario's writes cleaned up by each.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchReport } from "../../src/load/results.js";
import { DEV_API_KEY } from "../../src/reference/index.js";
import { type CliExit, killCliChildren, startCli } from "../support/cli.js";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "workers-cli-"));
});

afterAll(() => {
  killCliChildren();
  rmSync(dir, { recursive: true, force: true });
});

function bench(args: string[]): Promise<CliExit> {
  return startCli(["bench", ...args], {
    env: { TICKETS_API_KEY: DEV_API_KEY },
    timeoutMs: 90_000,
  }).exited(90_000);
}

describe("bench --workers", () => {
  it("runs every scenario in N threads against the embedded server and reports the merged whole", async () => {
    const out = join(dir, "two");
    const run = await bench([
      "--workers",
      "2",
      "--tickets",
      "2000",
      "--scenario",
      "list-default",
      "--scenario",
      "mixed",
      "--connections",
      "4",
      "--warmup",
      "0.3",
      "--duration",
      "1.5",
      "--report-dir",
      out,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/pass {2}list-default: p50/);
    expect(run.stdout).toMatch(/pass {2}mixed: p50/);
    const report = JSON.parse(readFileSync(join(out, "bench.json"), "utf8")) as BenchReport;
    expect(report.target.embedded).toBe(true);
    expect(report.mergedFrom?.map((part) => part.shard)).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    for (const scenario of report.scenarios) {
      expect(scenario.model).toEqual({ kind: "closed", connections: 4 });
      expect(scenario.counts.ok).toBeGreaterThan(50);
      expect(scenario.merge?.shards).toBe(2);
    }
    expect(report.leftovers).toEqual([]);
    expect(report.runId).toMatch(/-bench-seed-\d+$/);
  });

  it("refuses --workers with --shard, in one line (exit 2)", async () => {
    const run = await bench([
      "--workers",
      "2",
      "--shard",
      "1/2",
      "--tickets",
      "2000",
      "--duration",
      "1",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^tickets-harness: --workers with --shard: [^\n]*$/);
  });
});
