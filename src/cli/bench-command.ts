import { randomInt } from "node:crypto";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { type HarnessConfig, loadConfig } from "../config/config.js";
import { ALL_SCENARIOS, type BenchSettings, benchRunId, runBench } from "../load/bench.js";
import { builtInScenarioNames, loadScenario } from "../load/scenario.js";
import { resolveApiKey } from "../reference/index.js";
import { writeBenchReports } from "../report/bench/write.js";
import { chooseBaseUrl, type EmbeddedServer, JOURNAL_FILE } from "../target/index.js";
import { spawnServer } from "../util/child-server.js";
import {
  type BaselineFlags,
  baselineOptions,
  baselineUpFront,
  compared,
  printComparison,
  saveIfAsked,
} from "./bench-baseline.js";
import { printVerdict, scenarioLine } from "./bench-lines.js";
import { type SplitFlags, splitOptions } from "./bench-split.js";
import { ids, number, targetOptions } from "./option-parsers.js";
import { ProgressLine } from "./progress.js";
import { stoppable } from "./stop-signals.js";

interface BenchOptions extends BaselineFlags, SplitFlags {
  baseUrl?: string;
  config?: string;
  fixtures?: string;
  scenario?: string[];
  duration?: number;
  warmup?: number;
  connections?: number;
  rate?: number;
  threshold?: string[];
  validateSample?: number;
  reportDir?: string;
  seed?: number;
  timeout?: number;
  tickets?: number;
}

/**
 * The embedded server for a bench: 100,000 tickets, the size of a busy support team's
 * workspace (a year of a few hundred tickets a day); deep enough that page 1,000 of a
 * status exists, small enough to start in about a second. It runs in a process of its
 * own, so it never shares the load generator's event loop.
 */
const EMBEDDED_TICKETS = 100_000;
const EMBEDDED_START_MS = 60_000;

export function registerBenchCommands(program: Command): void {
  const bench = targetOptions(
    program
      .command("bench")
      .description(
        "benchmark the listing endpoint (and a read/write mix) under load; gate on thresholds (no base URL: the embedded reference server, in its own process)",
      ),
    "for the mixed scenario's writes",
  )
    .option(
      "--scenario <name|path>",
      "a built-in scenario (see `tickets-harness scenarios`), a scenario file, or all (repeatable)",
      ids,
    )
    .option(
      "--duration <s>",
      "measured seconds per scenario",
      number("--duration", 0.1, 86_400, false),
    )
    .option(
      "--warmup <s>",
      "warm-up seconds per scenario, not measured",
      number("--warmup", 0, 3_600, false),
    )
    .option(
      "--connections <n>",
      "closed model: this many connections",
      number("--connections", 1, 10_000),
    )
    .option(
      "--rate <r>",
      "open model: this many requests per second, on a fixed schedule",
      number("--rate", 0.1, 1_000_000, false),
    )
    .option(
      "--threshold <expr>",
      "a threshold for every scenario, e.g. p99<50ms, errors=0, rps>=500 (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--validate-sample <f>",
      "share of answers validated against the contract (0..1, default 0.05)",
      number("--validate-sample", 0, 1, false),
    )
    .option("--report-dir <dir>", "write the reports here (default: reports/<run-id>/)")
    .option(
      "--seed <n>",
      "the run's seed: same seed, same requests",
      number("--seed", 0, 2 ** 31 - 1),
    )
    .option("--timeout <ms>", "per-request timeout", number("--timeout", 100, 300_000))
    .option(
      "--tickets <n>",
      "tickets seeded into the embedded server (default 100000)",
      number("--tickets", 100, 5_000_000),
    )
    .action(async (options: BenchOptions) => {
      const config = loadConfig(options.config);
      const baseUrl = chooseBaseUrl(options.baseUrl, config.baseUrl);
      const settings = settingsOf(options, config);
      const tickets = options.tickets ?? config.bench.embeddedTickets ?? EMBEDDED_TICKETS;
      // Before anything is sent: a baseline taken with other settings is refused (exit 2).
      const baseline = await baselineUpFront(options, settings, {
        ...(baseUrl ? { baseUrl } : {}),
        tickets,
      });
      // Chosen before the run: the journal of what it creates lives in its report folder.
      const runId = benchRunId(Date.now(), settings.seed);
      const dir = resolve(options.reportDir ?? join(config.reportDir, runId));
      console.log(
        `tickets-harness bench: ${baseUrl ?? `the embedded reference server (${tickets.toLocaleString("en-US")} tickets, own process)`}`,
      );
      const abort = new AbortController();
      const interrupt = (signal: NodeJS.Signals) => {
        console.log(
          `\ninterrupted (${signal}): stopping the load, cleaning up, writing the reports (again to quit at once)`,
        );
        abort.abort();
      };
      const progress = new ProgressLine(process.stderr);
      const measured = await stoppable(interrupt, () =>
        runBench({
          config: {
            ...config,
            ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
          },
          settings,
          ...(baseUrl ? { baseUrl } : {}),
          embedded: () => embeddedServer(config, tickets),
          embeddedTickets: tickets,
          runId,
          journalFile: join(dir, JOURNAL_FILE),
          ...(options.fixtures ? { fixturesFile: options.fixtures } : {}),
          onScenarioStart: (scenario, model, seconds) =>
            progress.start(
              `${scenario.name} (${model.kind === "closed" ? `${model.connections} connections` : `${model.rate}/s`}, ${seconds}s)`,
            ),
          onProgress: (tick) => progress.update(tick),
          onScenarioEnd: (result) => {
            progress.end();
            console.log(scenarioLine(result));
          },
          onNotice: (line) => console.log(`note: ${line}`),
          signal: abort.signal,
        }),
      );
      const report = compared(measured, baseline, options);
      writeBenchReports(report, dir);
      printComparison(report.baseline);
      saveIfAsked(report, options);
      printVerdict(report, dir);
      process.exitCode = report.exitCode;
    });
  baselineOptions(bench);
  splitOptions(bench);

  program
    .command("scenarios")
    .description("list the built-in load scenarios: name, model, what it measures")
    .action(async () => {
      for (const name of builtInScenarioNames()) {
        const scenario = await loadScenario(name);
        const model =
          scenario.model.kind === "closed"
            ? `closed, ${scenario.model.connections} connections`
            : `open, ${scenario.model.rate}/s`;
        console.log(`${scenario.name}\t${model}\t${scenario.description}`);
      }
    });
}

function settingsOf(options: BenchOptions, config: HarnessConfig): BenchSettings {
  return {
    scenarios: options.scenario ?? config.bench.scenarios ?? ALL_SCENARIOS,
    ...(options.duration !== undefined ? { durationSeconds: options.duration } : {}),
    ...(options.warmup !== undefined ? { warmupSeconds: options.warmup } : {}),
    ...(options.connections !== undefined ? { connections: options.connections } : {}),
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
    ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.rawLatencies ? { rawLatenciesFile: resolve(options.rawLatencies) } : {}),
    ...(options.startAt !== undefined ? { startAtMs: options.startAt } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    thresholds: options.threshold ?? [],
    configThresholds: config.bench.thresholds ?? [],
    validateSample: options.validateSample ?? config.bench.validateSample ?? 0.05,
    seed: options.seed ?? config.seed ?? randomInt(1, 2 ** 31 - 1),
  };
}

/** `tickets-harness serve` in a child process: its own core, its own event loop. */
async function embeddedServer(config: HarnessConfig, tickets: number): Promise<EmbeddedServer> {
  const main = fileURLToPath(new URL("./main.js", import.meta.url));
  const server = await spawnServer({
    name: "the embedded reference server",
    args: [
      main,
      "serve",
      "--port",
      "0",
      "--tickets",
      String(tickets),
      "--api-key-env",
      config.apiKeyEnv,
    ],
    startTimeoutMs: EMBEDDED_START_MS,
  });
  return { url: server.url, apiKey: resolveApiKey(config.apiKeyEnv), close: () => server.stop() };
}
