/**
 * `npm run bench:load`: the load half against its yardsticks, on this machine, one run each
 * (the figures go to reports/bench-load.json):
 * - `bench` (closed model) against the bare autocannon CLI, same target, same request,
 *   same connections and duration: requests/s, and the generator's CPU seconds per 10,000
 *   requests. Goal: the harness's own work (HDR histograms, sampled validation, the
 *   progress) keeps >= 0.9 of autocannon's requests/s.
 * - the same against wrk (Debian's package), the practical ceiling;
 * - the open-model runner's accuracy against a server that holds every response for a
 *   known window at known moments, against the truth computed from the schedule, with
 *   autocannon's own corrected and uncorrected figures beside it;
 * - the highest constant arrival rate the open runner sustains against a bare node:http
 *   server with under 1% dropped or late, against autocannon's closed-loop requests/s.
 * Each generator runs as a child process under /usr/bin/time, so its CPU is its own.
 * The target runs in a process of its own too; on 2 shared cores, read the ratios, not
 * the absolute figures.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEV_API_KEY } from "../src/reference/index.js";
import { killServersOnExit, spawnServer } from "../src/util/child-server.js";
import { packageRoot } from "../src/util/package-root.js";
import { maxSustainedRate, openModelAccuracy } from "./open-model-accuracy.js";

const ROOT = packageRoot();
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const FIXED_SCENARIO = fileURLToPath(new URL("./scenarios/fixed-list.js", import.meta.url));
const AUTOCANNON = join(ROOT, "node_modules", "autocannon", "autocannon.js");
const CONNECTIONS = 10;
const SECONDS = 6;
const PATH = "/api/v1/tickets/details?status=pending";
const TICKETS = 100_000;
const ROUNDS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
}

interface Generator {
  name: string;
  rps: number;
  requests: number;
  cpuSeconds: number;
}

/** Runs a command under /usr/bin/time; returns its stdout and its own user + system seconds. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const dir = mkdtempSync(join(tmpdir(), "bench-load-"));
  const times = join(dir, "times");
  try {
    const stdout = execFileSync("/usr/bin/time", ["-f", "%U %S", "-o", times, command, ...args], {
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [user, system] = readFileSync(times, "utf8").trim().split(/\s+/).map(Number);
    return { stdout, cpuSeconds: (user ?? 0) + (system ?? 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function harness(url: string): Generator {
  const dir = mkdtempSync(join(tmpdir(), "bench-load-run-"));
  try {
    const { cpuSeconds } = timed(
      process.execPath,
      [
        CLI,
        "bench",
        "--base-url",
        url,
        "--scenario",
        FIXED_SCENARIO,
        "--connections",
        String(CONNECTIONS),
        "--warmup",
        "1",
        "--duration",
        String(SECONDS),
        "--report-dir",
        dir,
      ],
      { ...process.env, TICKETS_API_KEY: DEV_API_KEY },
    );
    const report = JSON.parse(readFileSync(join(dir, "bench.json"), "utf8"));
    const scenario = report.scenarios[0];
    return {
      name: "tickets-harness bench",
      rps: scenario.rps,
      requests: scenario.counts.requests,
      cpuSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function autocannonCli(url: string): Generator {
  const { stdout, cpuSeconds } = timed(process.execPath, [
    AUTOCANNON,
    "--json",
    "-c",
    String(CONNECTIONS),
    "-d",
    String(SECONDS + 1),
    "-H",
    `authorization=${DEV_API_KEY}`,
    `${url}${PATH}`,
  ]);
  const result = JSON.parse(stdout);
  return {
    name: "autocannon CLI",
    rps: result.requests.total / result.duration,
    requests: result.requests.total,
    cpuSeconds,
  };
}

function wrk(url: string): Generator | string {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (error) {
    // wrk --version exits 1 after printing; only a missing binary is ENOENT.
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return "wrk is not installed (apt-get install wrk)";
  }
  const { stdout, cpuSeconds } = timed("wrk", [
    "-t1",
    `-c${CONNECTIONS}`,
    `-d${SECONDS + 1}s`,
    "-H",
    `authorization: ${DEV_API_KEY}`,
    `${url}${PATH}`,
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  return { name: "wrk", rps, requests, cpuSeconds };
}

const perTenThousand = (generator: Generator) =>
  (generator.cpuSeconds / generator.requests) * 10_000;

async function main(): Promise<void> {
  killServersOnExit();
  const server = await spawnServer({
    name: "reference",
    args: [CLI, "serve", "--port", "0", "--tickets", String(TICKETS)],
    env: { ...process.env, TICKETS_API_KEY: "" },
    startTimeoutMs: 60_000,
  });
  const figures: Record<string, unknown> = {
    machine: `${process.version}, ${(await import("node:os")).cpus().length} cores`,
  };
  try {
    // Rounds in turn (bench, autocannon, wrk, bench, ...), each ratio taken within a round
    // and the median of those quoted: pairing keeps a ratio honest while the machine drifts.
    const rounds: { harness: Generator; autocannon: Generator; wrk: Generator | string }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({
        harness: harness(server.url),
        autocannon: autocannonCli(server.url),
        wrk: wrk(server.url),
      });
    }
    const ratios = (pick: (round: (typeof rounds)[number]) => number | undefined) =>
      median(
        rounds
          .map(pick)
          .filter((value): value is number => value !== undefined && Number.isFinite(value)),
      );
    const vsAutocannon = ratios((round) => round.harness.rps / round.autocannon.rps);
    const cpuVsAutocannon = ratios(
      (round) => perTenThousand(round.harness) / perTenThousand(round.autocannon),
    );
    const vsWrk = ratios((round) =>
      typeof round.wrk === "string" ? undefined : round.harness.rps / round.wrk.rps,
    );
    const cpuVsWrk = ratios((round) =>
      typeof round.wrk === "string"
        ? undefined
        : perTenThousand(round.harness) / perTenThousand(round.wrk),
    );
    figures.closed = { rounds, ratios: { vsAutocannon, cpuVsAutocannon, vsWrk, cpuVsWrk } };
    console.log(
      `closed model, ${CONNECTIONS} connections, ${SECONDS} s, GET ${PATH} on ${TICKETS.toLocaleString("en-US")} tickets, ${ROUNDS} rounds:`,
    );
    for (const [index, round] of rounds.entries()) {
      for (const generator of [
        round.harness,
        round.autocannon,
        ...(typeof round.wrk === "string" ? [] : [round.wrk]),
      ]) {
        console.log(
          `  round ${index + 1}  ${generator.name.padEnd(22)} ${Math.round(generator.rps).toLocaleString("en-US").padStart(7)} req/s, ${perTenThousand(generator).toFixed(2)} CPU s / 10k requests`,
        );
      }
    }
    console.log(
      `  bench/autocannon: ${vsAutocannon.toFixed(2)} req/s (goal >= 0.9), ${cpuVsAutocannon.toFixed(2)} CPU per request (medians of same-round ratios)`,
    );
    const missing = rounds.find((round) => typeof round.wrk === "string")?.wrk;
    if (missing) console.log(`  wrk: ${missing}`);
    else
      console.log(`  bench/wrk: ${vsWrk.toFixed(2)} req/s, ${cpuVsWrk.toFixed(2)} CPU per request`);
  } finally {
    await server.stop();
  }
  const accuracy = await openModelAccuracy();
  figures.openModelAccuracy = accuracy;
  console.log("open model accuracy:");
  console.log(JSON.stringify(accuracy, null, 2));
  const sustained = await maxSustainedRate();
  figures.maxSustainedRate = sustained;
  console.log("highest sustained arrival rate:");
  console.log(JSON.stringify(sustained, null, 2));
  const out = join(ROOT, "reports", "bench-load.json");
  mkdirSync(join(ROOT, "reports"), { recursive: true });
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`figures: ${out}`);
}

await main();
