/**
 * bench:check — what checking costs over plain HTTP: the default `check` run against the
 * reference server (in a child process), as checked requests per second, against the same
 * requests replayed with a plain undici pool, one at a time like the checks send them.
 * Each round runs both against a fresh server; the ratio is the median of same-round ratios.
 * Goal: checked requests/s at least half of plain requests/s.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";
import { runConformance } from "../src/checks/conformance.js";
import type { Exchange } from "../src/client/index.js";
import { DEFAULT_CONFIG } from "../src/config/config.js";
import { DEV_API_KEY } from "../src/reference/index.js";
import { killServersOnExit, spawnServer, stopAllServers } from "../src/util/child-server.js";
import { packageRoot } from "../src/util/package-root.js";

const ROUNDS = 5;
const GOAL = 0.5;

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** One default check run: its requests per second, and the requests it sent. */
async function checkRun(
  baseUrl: string,
  seed: number,
): Promise<{ rps: number; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const record = (exchange: Exchange<unknown>) => {
    const url = new URL(exchange.request.url);
    const headers = { ...exchange.request.headers };
    if (headers.authorization === "$TICKETS_API_KEY") headers.authorization = DEV_API_KEY;
    requests.push({
      method: exchange.request.method,
      path: `${url.pathname}${url.search}`,
      headers,
      ...(exchange.request.body !== undefined ? { body: exchange.request.body } : {}),
    });
  };
  const started = performance.now();
  const report = await runConformance({
    config: { ...DEFAULT_CONFIG },
    baseUrl,
    seed,
    onExchange: record,
  });
  const seconds = (performance.now() - started) / 1000;
  if (report.verdict !== "pass")
    throw new Error(`the check run did not pass (${report.verdict}): the bench needs a clean run`);
  return { rps: requests.length / seconds, requests };
}

/** The same requests, plain: sent one after another, bodies read, nothing judged. */
async function plainRun(baseUrl: string, requests: Recorded[]): Promise<number> {
  const pool = new Pool(baseUrl, { connections: 1 });
  const started = performance.now();
  for (const request of requests) {
    const answer = await pool.request({
      method: request.method as "GET",
      path: request.path,
      headers: request.headers,
      body: request.body ?? null,
    });
    await answer.body.text();
  }
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return requests.length / seconds;
}

async function main(): Promise<void> {
  killServersOnExit();
  const env = { ...process.env };
  delete env.TICKETS_API_KEY;
  process.env.TICKETS_API_KEY = DEV_API_KEY;
  const rounds: { checkedRps: number; plainRps: number; requests: number }[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // A fresh server a round: the plain replay repeats the run's writes and leaves them.
      const server = await spawnServer({
        name: `reference, 10k tickets, round ${round}`,
        args: [
          join(packageRoot(), "dist", "src", "cli", "main.js"),
          "serve",
          "--port",
          "0",
          "--tickets",
          "10000",
        ],
        env,
        startTimeoutMs: 60_000,
      });
      const checked = await checkRun(server.url, round);
      const plainRps = await plainRun(server.url, checked.requests);
      await server.stop();
      rounds.push({ checkedRps: checked.rps, plainRps, requests: checked.requests.length });
      console.error(
        `round ${round}/${ROUNDS}: ${checked.requests.length} requests, checked ${checked.rps.toFixed(0)}/s, plain ${plainRps.toFixed(0)}/s`,
      );
    }
  } finally {
    await stopAllServers();
  }
  const ratio = median(rounds.map((round) => round.checkedRps / round.plainRps));
  const figures = {
    benchmark: "check",
    measuredAt: new Date().toISOString(),
    node: process.version,
    loadAverage: Number((loadavg()[0] as number).toFixed(2)),
    rounds,
    checkedRps: Math.round(median(rounds.map((round) => round.checkedRps))),
    plainRps: Math.round(median(rounds.map((round) => round.plainRps))),
    ratio: Number(ratio.toFixed(3)),
    goal: `ratio >= ${GOAL}`,
    goalMet: ratio >= GOAL,
  };
  const outDir = join(packageRoot(), "reports", "bench");
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, "check.json");
  writeFileSync(outFile, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(
    `check, default run (${median(rounds.map((round) => round.requests))} requests): ${figures.checkedRps} checked requests/s`,
  );
  console.log(`the same requests, plain undici:      ${figures.plainRps} requests/s`);
  console.log(
    `ratio checked/plain: ${figures.ratio} (median of ${ROUNDS} same-round ratios; goal >= ${GOAL}: ${figures.goalMet ? "met" : "NOT met"})`,
  );
  console.log(`figures written to ${outFile}`);
}

main().catch((error: unknown) => {
  console.error(
    `bench:check could not run: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
});
