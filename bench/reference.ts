/**
 * bench:reference — the reference server's list endpoint under load, measured in one run:
 * requests/s of `status=pending&pageSize=10` with 10k and with 1M tickets, page 1 against
 * page 1,000 on 1M, and the list against a bare node:http server answering a fixed 2 KB
 * JSON body (the practical ceiling of this machine). Also start-up time and RSS.
 *
 * Each server runs in its own process, autocannon in this one, so each gets a core. The
 * targets are measured in rounds, each round in a rotated order; each figure is the median
 * of its rounds, and each ratio the median of the ratios within a round (measured minutes
 * apart at most), so the drift of a noisy machine cancels out of the ratios.
 * Goals are reported, not asserted: the exit code is non-zero only if the bench could not run.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEV_API_KEY } from "../src/reference/index.js";
import {
  type ChildServer,
  killServersOnExit,
  spawnServer,
  stopAllServers,
} from "../src/util/child-server.js";
import { packageRoot } from "../src/util/package-root.js";
import { getJson, type LoadFigures, type LoadSettings, measure } from "./support/load.js";

const ROUNDS = 5;
const PAGE_SIZE = 10;
const SEED = 1;
const START_TIMEOUT_MS = 120_000;
const LIST_PATH = `/api/v1/tickets/details?status=pending&pageSize=${PAGE_SIZE}`;
const LOAD: LoadSettings = {
  connections: 10,
  warmupSeconds: 1,
  seconds: 5,
  headers: { authorization: DEV_API_KEY },
};
const SETTLE: LoadSettings = { ...LOAD, warmupSeconds: 0, seconds: 5 };

interface Target {
  label: string;
  server: ChildServer;
  path: string;
  /** A list page: must be a JSON array of PAGE_SIZE pending tickets. */
  isList: boolean;
}

type TargetName = "list10k" | "list1M" | "list1MPage1000" | "bare" | "bareSameSize";

interface Ratio {
  label: string;
  value: number;
  goal: number;
  met: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function spawnReference(tickets: number, label: string): Promise<ChildServer> {
  const env = { ...process.env };
  delete env.TICKETS_API_KEY; // the server then accepts DEV_API_KEY
  const heap = tickets > 100_000 ? ["--max-old-space-size=8192"] : [];
  const cli = join(packageRoot(), "dist", "src", "cli", "main.js");
  const args = [...heap, cli, "serve", "--port", "0", "--tickets", String(tickets)];
  return spawnServer({
    name: label,
    args: [...args, "--seed", String(SEED)],
    env,
    startTimeoutMs: START_TIMEOUT_MS,
  });
}

function spawnBare(bytes = 2_048): Promise<ChildServer> {
  const script = fileURLToPath(new URL("./bare-server.js", import.meta.url));
  return spawnServer({
    name: `bare node:http, ${bytes} bytes`,
    args: [script, String(bytes)],
    startTimeoutMs: 10_000,
  });
}

/** The size of a list page, so that a bare server can answer a body as large. */
async function pageBytes(server: ChildServer): Promise<number> {
  return Buffer.byteLength(JSON.stringify(await getJson(server.url + LIST_PATH, LOAD.headers)));
}

/** One request per target before any load: the right shape, or no bench. */
async function checkAnswers(targets: Record<TargetName, Target>): Promise<Record<string, number>> {
  const bytes: Record<string, number> = {};
  for (const [name, target] of Object.entries(targets)) {
    const body = await getJson(target.server.url + target.path, LOAD.headers);
    if (!Array.isArray(body)) throw new Error(`${target.label}: the body is not a JSON array`);
    if (target.isList && body.length !== PAGE_SIZE)
      throw new Error(`${target.label}: expected ${PAGE_SIZE} items, got ${body.length}`);
    if (target.isList && body.some((item) => item?.status !== "pending"))
      throw new Error(`${target.label}: an item is not pending`);
    bytes[name] = Buffer.byteLength(JSON.stringify(body));
  }
  return bytes;
}

/** ROUNDS rounds over every target, round r starting at target r (rotated order). */
async function measureInRounds(
  targets: Record<TargetName, Target>,
): Promise<Record<TargetName, LoadFigures[]>> {
  const names = Object.keys(targets) as TargetName[];
  const runs = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<
    TargetName,
    LoadFigures[]
  >;
  // Right after start-up a 1M-ticket heap is still being marked by the collector: load each
  // target once, unmeasured, so that the rounds see the servers' steady state.
  for (const name of names) await measure(targets[name].server.url + targets[name].path, SETTLE);
  for (let r = 0; r < ROUNDS; r++) {
    const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
    for (const name of order) {
      const target = targets[name];
      const figures = await measure(target.server.url + target.path, LOAD);
      runs[name].push(figures);
      console.error(`round ${r + 1}/${ROUNDS} ${target.label}: ${Math.round(figures.rps)} req/s`);
    }
  }
  return runs;
}

function medianFigures(runs: LoadFigures[]): LoadFigures {
  return {
    rps: round(median(runs.map((run) => run.rps)), 0),
    meanMs: median(runs.map((run) => run.meanMs)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    requests: median(runs.map((run) => run.requests)),
  };
}

/** The 1-minute load average: how busy the shared machine was (2 cores: above 2 is noisy). */
function loadAverage(): number {
  return round(loadavg()[0] as number, 2);
}

/** The median over rounds of numerator/denominator measured in the same round. */
function ratio(
  label: string,
  numerator: LoadFigures[],
  denominator: LoadFigures[],
  goal: number,
): Ratio {
  const perRound = numerator.map(
    (figures, i) => figures.rps / ((denominator[i] as LoadFigures).rps || 1),
  );
  const value = round(median(perRound), 3);
  return { label, value, goal, met: value >= goal };
}

function printReport(
  targets: Record<TargetName, Target>,
  medians: Record<TargetName, LoadFigures>,
  ratios: Ratio[],
  servers: Record<string, { startupMs: number; rssMb: number }>,
): void {
  const pad = (text: string | number, width: number) => String(text).padStart(width);
  console.log(
    `\n${ROUNDS} rounds x (${LOAD.warmupSeconds} s warm-up + ${LOAD.seconds} s), ` +
      `${LOAD.connections} connections, medians; node ${process.version}, ${cpus().length} cores, ` +
      `load average ${loadAverage()} at the end`,
  );
  console.log(
    `${"target".padEnd(44)}${pad("req/s", 9)}${pad("mean ms", 9)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}`,
  );
  for (const [name, target] of Object.entries(targets)) {
    const figures = medians[name as TargetName];
    console.log(
      `${target.label.padEnd(44)}${pad(figures.rps, 9)}${pad(figures.meanMs, 9)}${pad(figures.p50Ms, 9)}${pad(figures.p99Ms, 9)}`,
    );
  }
  console.log("");
  for (const item of ratios) {
    const verdict = item.met ? "met" : "NOT met";
    console.log(`${item.label.padEnd(44)}${pad(item.value, 9)}   goal >= ${item.goal}: ${verdict}`);
  }
  console.log("");
  for (const [label, server] of Object.entries(servers)) {
    console.log(
      `${`start-up / RSS, ${label}`.padEnd(44)}${pad(Math.round(server.startupMs), 9)} ms` +
        `${pad(Math.round(server.rssMb), 7)} MB RSS after load`,
    );
  }
}

async function main(): Promise<void> {
  killServersOnExit();
  const loadAtStart = loadAverage();
  console.error("starting the servers (1M tickets takes a while)...");
  const bare = await spawnBare();
  const small = await spawnReference(10_000, "reference, 10k tickets");
  // The 2 KB ceiling is the issue's; a bare body as large as a list page shows the rest.
  const listBytes = await pageBytes(small);
  const bareSameSize = await spawnBare(listBytes);
  const large = await spawnReference(1_000_000, "reference, 1M tickets");
  const rssAtStart = { "10k tickets": small.rssMb(), "1M tickets": large.rssMb() };
  const targets: Record<TargetName, Target> = {
    list10k: { label: "list, 10k tickets, page 1", server: small, path: LIST_PATH, isList: true },
    list1M: { label: "list, 1M tickets, page 1", server: large, path: LIST_PATH, isList: true },
    list1MPage1000: {
      label: "list, 1M tickets, page 1000",
      server: large,
      path: `${LIST_PATH}&pageNumber=1000`,
      isList: true,
    },
    bare: { label: "bare node:http, fixed 2 KB JSON", server: bare, path: "/", isList: false },
    bareSameSize: {
      label: `bare node:http, fixed ${(listBytes / 1024).toFixed(1)} KB JSON (a page's size)`,
      server: bareSameSize,
      path: "/",
      isList: false,
    },
  };
  const bodyBytes = await checkAnswers(targets);
  const runs = await measureInRounds(targets);
  const medians = Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [name, medianFigures(list)]),
  ) as Record<TargetName, LoadFigures>;
  const servers = {
    "10k tickets": { startupMs: small.startupMs, rssMb: small.rssMb() },
    "1M tickets": { startupMs: large.startupMs, rssMb: large.rssMb() },
  };
  await stopAllServers();
  const ratios = [
    ratio("ratio 1M / 10k tickets", runs.list1M, runs.list10k, 0.7),
    ratio("ratio page 1000 / page 1 (1M)", runs.list1MPage1000, runs.list1M, 0.5),
    ratio("ratio list (10k) / bare node:http", runs.list10k, runs.bare, 0.5),
    ratio("ratio list (10k) / bare, same body size", runs.list10k, runs.bareSameSize, 0.5),
  ];
  printReport(targets, medians, ratios, servers);
  const outFile = writeFigures({
    benchmark: "reference",
    measuredAt: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    loadAverage: { atStart: loadAtStart, atEnd: loadAverage() },
    load: { ...LOAD, headers: Object.keys(LOAD.headers), rounds: ROUNDS, seed: SEED },
    targets: Object.fromEntries(
      Object.entries(targets).map(([name, target]) => [
        name,
        {
          label: target.label,
          path: target.path,
          bodyBytes: bodyBytes[name],
          median: medians[name as TargetName],
          rounds: runs[name as TargetName],
        },
      ]),
    ),
    ratios,
    servers: Object.fromEntries(
      Object.entries(servers).map(([label, server]) => [
        label,
        {
          startupMs: Math.round(server.startupMs),
          rssMbAtStart: round(rssAtStart[label as keyof typeof rssAtStart], 1),
          rssMbAfterLoad: round(server.rssMb, 1),
        },
      ]),
    ),
    bareStartupMs: Math.round(bare.startupMs),
  });
  console.log(`figures written to ${outFile}`);
}

function writeFigures(figures: object): string {
  const outDir = join(packageRoot(), "reports", "bench");
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, "reference.json");
  writeFileSync(outFile, `${JSON.stringify(figures, null, 2)}\n`);
  return outFile;
}

main().catch(async (error: unknown) => {
  console.error(`bench:reference could not run: ${error instanceof Error ? error.message : error}`);
  await stopAllServers();
  process.exit(1);
});
