/**
 * `npm run bench:merge`: the exact merge, measured (the figures go to reports/bench-merge.json).
 * - Exactness: 3 shards of list-default (3 processes, started together with --start-at, 2
 *   connections each) against one reference server, merged by `report merge`; beside it the
 *   single-process run of the same total load (6 connections). Per percentile: the merged
 *   figure over the single run's (a ratio: the same load split, not the same requests, so
 *   near 1 within the machine's noise), and the largest difference between the merged
 *   figures and a histogram built from the union of every raw per-request latency the shards
 *   wrote (`--raw-latencies`). Goal: 0 at the histogram's precision.
 * - Cost: 100 shard files of a 60 s scenario (per-second histograms, rounds, labels), made
 *   from recorders fed a realistic latency mix; the time to read, check and merge them in
 *   process (median of 5), and the time of the whole `report merge` command (Node's start,
 *   the three reports written). Goal: under a second.
 * On 2 shared cores the load half is noisy: read the ratios, not the absolute figures.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readBenchFile } from "../src/load/bench-file.js";
import { figuresOf, type LatencyFigures, newHistogram } from "../src/load/histogram.js";
import { mergeShards } from "../src/load/merge.js";
import { LoadRecorder } from "../src/load/recorder.js";
import type { BenchReport } from "../src/load/results.js";
import { scenarioResult } from "../src/load/scenario-result.js";
import { DEV_API_KEY } from "../src/reference/index.js";
import { killServersOnExit, spawnServer } from "../src/util/child-server.js";
import { packageRoot } from "../src/util/package-root.js";
import { Random } from "../src/util/random.js";

const ROOT = packageRoot();
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const SHARDS = 3;
const CONNECTIONS = 6;
const SECONDS = 8;
const COST_SHARDS = 100;
const COST_SECONDS = 60;
const PERCENTILES = ["p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs"] as const;

function cli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, TICKETS_API_KEY: DEV_API_KEY },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${args[0]} exited ${code}`)),
    );
  });
}

const benchArgs = (url: string, out: string) => [
  "bench",
  "--base-url",
  url,
  "--scenario",
  "list-default",
  "--warmup",
  "1",
  "--duration",
  String(SECONDS),
  "--seed",
  "5",
  "--report-dir",
  out,
];

const latencyOf = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, "bench.json"), "utf8")) as BenchReport).scenarios[0]
    ?.latency as LatencyFigures;

async function exactness(work: string) {
  const server = await spawnServer({
    name: "the reference server",
    args: [CLI, "serve", "--port", "0", "--tickets", "20000"],
    startTimeoutMs: 60_000,
  });
  try {
    const single = join(work, "single");
    await cli([...benchArgs(server.url, single), "--connections", String(CONNECTIONS)]);
    const startAt = new Date(Date.now() + 4_000).toISOString();
    const raw = join(work, "raw.csv");
    const dirs = Array.from({ length: SHARDS }, (_, i) => join(work, `shard-${i + 1}`));
    await Promise.all(
      dirs.map((dir, i) =>
        cli([
          ...benchArgs(server.url, dir),
          "--connections",
          String(CONNECTIONS),
          "--shard",
          `${i + 1}/${SHARDS}`,
          "--start-at",
          startAt,
          "--raw-latencies",
          raw,
        ]),
      ),
    );
    const mergedDir = join(work, "merged");
    await cli(["report", "merge", ...dirs, "--report-dir", mergedDir]);
    const merged = latencyOf(mergedDir);
    const union = newHistogram();
    for (const row of readFileSync(raw, "utf8").trim().split("\n").slice(1)) {
      union.recordValue(Number(row.split(",")[3]));
    }
    const truth = figuresOf(union);
    const singleRun = latencyOf(single);
    return {
      mergedOverSingle: Object.fromEntries(
        PERCENTILES.map((p) => [p, round(merged[p] / singleRun[p], 3)]),
      ),
      maxDifferenceFromUnionMs: Math.max(...PERCENTILES.map((p) => Math.abs(merged[p] - truth[p]))),
      requests: { merged: merged.count, union: truth.count, single: singleRun.count },
      merged,
      single: singleRun,
    };
  } finally {
    await server.stop();
  }
}

/** A 60 s shard: a few thousand answers a second, two labels, 5 rounds. */
function syntheticShard(index: number): BenchReport {
  const random = new Random(index);
  const from = Date.UTC(2026, 11, 1, 9) + index * 7;
  const recorder = new LoadRecorder({
    measureFromMs: from,
    durationMs: COST_SECONDS * 1000,
    rounds: 5,
  });
  const answers = COST_SECONDS * 2_000;
  for (let i = 0; i < answers; i++) {
    const at = from + (i / answers) * COST_SECONDS * 1000 - performance.timeOrigin;
    const ms = 0.3 + random.next() * random.next() * (random.next() < 0.01 ? 400 : 12);
    recorder.answered(200, ms, at, undefined, i % 2 === 0 ? "list" : "page 10");
  }
  const scenario = scenarioResult(
    {
      name: "list-default",
      description: "synthetic",
      model: { kind: "closed", connections: 1 },
      wholeModel: { kind: "closed", connections: COST_SHARDS },
      durationSeconds: COST_SECONDS,
      warmupSeconds: 5,
      validateSample: 0.05,
      seed: index,
      thresholds: [],
      invalidExamples: [],
    },
    recorder,
  );
  return {
    format: "tickets-api-harness/bench@1",
    runId: `synthetic-${index}`,
    startedAt: new Date(from - 5_000).toISOString(),
    durationMs: (COST_SECONDS + 6) * 1000,
    target: { baseUrl: "http://127.0.0.1:1/", embedded: false },
    shard: { index, count: COST_SHARDS },
    seed: index,
    environment: {
      cpuModel: "synthetic",
      cpus: 2,
      loadAverage: [0, 0, 0],
      node: process.version,
      platform: process.platform,
      sharedCores: false,
    },
    verdict: "pass",
    exitCode: 0,
    scenarios: [scenario],
    leftovers: [],
  };
}

function cost(work: string) {
  const dirs = Array.from({ length: COST_SHARDS }, (_, i) => {
    const dir = join(work, `cost-${i + 1}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "bench.json"), JSON.stringify(syntheticShard(i + 1)));
    return dir;
  });
  const inProcess: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    mergeShards(dirs.map((dir) => ({ where: dir, report: readBenchFile(dir).report })));
    inProcess.push(performance.now() - start);
  }
  const start = performance.now();
  execFileSync(
    process.execPath,
    [CLI, "report", "merge", ...dirs, "--report-dir", join(work, "cost-merged")],
    {
      stdio: "ignore",
    },
  );
  const command = performance.now() - start;
  const bytes = readFileSync(join(dirs[0] as string, "bench.json")).length;
  return {
    shards: COST_SHARDS,
    secondsPerShard: COST_SECONDS,
    shardFileKb: round(bytes / 1024, 1),
    mergeInProcessMs: round(median(inProcess), 1),
    reportMergeCommandMs: round(command, 1),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

async function main() {
  killServersOnExit();
  const work = mkdtempSync(join(tmpdir(), "bench-merge-"));
  try {
    const figures = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      exactness: await exactness(work),
      cost: cost(work),
    };
    const outDir = join(ROOT, "reports");
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, "bench-merge.json");
    writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
    const { exactness: e, cost: c } = figures;
    console.log(
      `merged (${SHARDS} shards) over single process, same total load (${CONNECTIONS} connections):`,
    );
    for (const [p, ratio] of Object.entries(e.mergedOverSingle))
      console.log(`  ${p.replace("Ms", "")}: ${ratio}`);
    console.log(
      `largest difference from the union of the raw latencies: ${e.maxDifferenceFromUnionMs} ms (goal 0)`,
    );
    console.log(
      `merge of ${c.shards} shard files of a ${c.secondsPerShard} s scenario (${c.shardFileKb} KB each): ${c.mergeInProcessMs} ms in process, ${c.reportMergeCommandMs} ms for the whole \`report merge\` (goal < 1000 ms)`,
    );
    console.log(`figures: ${out}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
