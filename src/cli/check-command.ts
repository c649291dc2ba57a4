import { randomInt } from "node:crypto";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { runConformance, runIdOf } from "../checks/conformance.js";
import type { CheckResult } from "../checks/model.js";
import { allChecks } from "../checks/registry.js";
import { type HarnessConfig, loadConfig } from "../config/config.js";
import { type MatrixRow, matrixHolds, mutationMatrix } from "../mutation/matrix.js";
import { startEmbeddedServer } from "../reference/index.js";
import { writeReports } from "../report/write-reports.js";
import { chooseBaseUrl, JOURNAL_FILE } from "../target/index.js";
import { UserError } from "../util/exit-codes.js";
import { printLeftovers } from "./leftover-lines.js";
import { ids, number, targetOptions } from "./option-parsers.js";
import { stoppable } from "./stop-signals.js";

interface CheckOptions {
  baseUrl?: string;
  config?: string;
  fixtures?: string;
  seed?: number;
  runs?: number;
  readOnly?: boolean;
  only?: string[];
  skip?: string[];
  reportDir?: string;
  rate?: number;
  timeout?: number;
  budget?: number;
  maxWait?: number;
  replay?: string;
}

/** `--replay CHECK:PATH`, as a property failure prints it. */
function replayOf(value: string): Map<string, string> {
  const match = /^([a-z_]+):([0-9:]+(?:@\S+)?)$/.exec(value);
  if (!match?.[1] || !match[2]) {
    throw new UserError(
      `--replay takes CHECK:PATH as a failure prints it (e.g. lifecycle_model:3:1:0), got "${value}"`,
    );
  }
  return new Map([[match[1], match[2]]]);
}

const MARK: Record<CheckResult["verdict"], string> = {
  pass: "pass",
  fail: "FAIL",
  warn: "warn",
  skip: "skip",
};

export function registerCheckCommands(program: Command): void {
  targetOptions(
    program
      .command("check")
      .description(
        "check a Tickets API, rule by rule, against the docs and the profile (no base URL: the embedded reference server)",
      ),
    "for the checks that write",
  )
    .option(
      "--seed <n>",
      "the run's seed: same seed, same requests",
      number("--seed", 0, 2 ** 31 - 1),
    )
    .option("--runs <n>", "fast-check runs per property", number("--runs", 1, 10_000))
    .option("--read-only", "send only GETs (production smoke checks)")
    .option("--only <ids>", "run only these check ids (comma-separated, repeatable)", ids)
    .option("--skip <ids>", "skip these check ids (comma-separated, repeatable)", ids)
    .option("--report-dir <dir>", "write the reports here (default: reports/<run-id>/)")
    .option(
      "--rate <n>",
      "at most this many requests per second",
      number("--rate", 0, 100_000, false),
    )
    .option("--timeout <ms>", "per-request timeout", number("--timeout", 100, 300_000))
    .option(
      "--replay <check:path>",
      "replay a property's shrunk counterexample (with the --seed it printed)",
    )
    .option("--budget <seconds>", "time budget of the whole run", number("--budget", 1, 86_400))
    .option(
      "--max-wait <seconds>",
      "the longest single wait a target may ask for (429 Retry-After); longer asks are cut to this (default 30)",
      number("--max-wait", 0, 3600, false),
    )
    .action(async (options: CheckOptions) => {
      const config = withFlags(loadConfig(options.config), options);
      const baseUrl = chooseBaseUrl(options.baseUrl, config.baseUrl);
      // Chosen before the run: the journal of what it creates lives in its report folder.
      const seed = options.seed ?? config.seed ?? randomInt(1, 2 ** 31 - 1);
      const runId = runIdOf(Date.now(), seed);
      const dir = resolve(options.reportDir ?? join(config.reportDir, runId));
      console.log(
        `tickets-harness check: ${baseUrl ?? "the embedded reference server"}${config.readOnly ? " (read-only)" : ""}`,
      );
      // CI cancels with SIGTERM, a user with Ctrl-C: either ends any wait at once; the run
      // still cleans up and writes its reports.
      const abort = new AbortController();
      const stop = (signal: NodeJS.Signals) => {
        console.log(
          `interrupted (${signal}): cleaning up, writing the reports (again to quit at once)`,
        );
        abort.abort(signal);
      };
      const report = await stoppable(stop, () =>
        runConformance({
          config,
          ...(baseUrl ? { baseUrl } : {}),
          embedded: () => startEmbeddedServer({ apiKeyEnv: config.apiKeyEnv }),
          ...(options.fixtures ? { fixturesFile: options.fixtures } : {}),
          seed,
          runId,
          journalFile: join(dir, JOURNAL_FILE),
          signal: abort.signal,
          onNotice: (line) => console.log(`note: ${line}`),
          ...(options.replay ? { replay: replayOf(options.replay) } : {}),
        }),
      );
      writeReports(report, dir);
      if (report.notStarted) {
        console.error(`tickets-harness: ${report.incomplete}`);
        console.log(`reports: ${dir}/ (report.html, summary.md, results.json, junit.xml)`);
        process.exitCode = report.exitCode;
        return;
      }
      for (const check of report.checks) {
        const detail =
          check.verdict === "skip"
            ? check.skippedBecause
            : `${check.failureCount} failure(s), ${check.passive ? "judging every response" : `${check.requests} request(s)`}`;
        console.log(`  ${MARK[check.verdict]}  ${check.id}: ${detail}`);
        if (check.measured) console.log(`        ${check.measured.line}`);
      }
      const { counts } = report;
      console.log(
        `verdict: ${report.verdict.toUpperCase()} (${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warned, ${counts.skip} skipped; seed ${report.seed})`,
      );
      if (report.incomplete) console.log(`incomplete: ${report.incomplete}`);
      printLeftovers(report.leftovers, join(dir, "summary.md"));
      console.log(`reports: ${dir}/ (report.html, summary.md, results.json, junit.xml)`);
      process.exitCode = report.exitCode;
    });

  program
    .command("mutation")
    .description(
      "the mutation matrix: the suite against the clean reference server and against every fault of its catalog",
    )
    .option("--seeds <list>", "seeds of the clean runs (comma-separated)", "1,2,3,4,5")
    .option("--runs <n>", "fast-check runs per property", number("--runs", 1, 10_000))
    .option("--fault <names>", "only these faults (comma-separated, repeatable)", ids)
    .option(
      "--fault-seeds <list>",
      "run each fault at each of these seeds (comma-separated; default: the first of --seeds): a fault missed at one is a coverage gap",
    )
    .action(
      async (options: { seeds: string; runs?: number; fault?: string[]; faultSeeds?: string }) => {
        const seeds = options.seeds.split(",").map(number("--seeds", 0, 2 ** 31 - 1));
        const faultSeeds = options.faultSeeds
          ?.split(",")
          .map(number("--fault-seeds", 0, 2 ** 31 - 1));
        console.log("fault\tcaught\tby its rule\tfailing checks (failures)\trequests\tseconds");
        const rows = await mutationMatrix({
          seeds,
          ...(options.runs ? { runs: options.runs } : {}),
          ...(options.fault ? { faults: options.fault } : {}),
          ...(faultSeeds ? { faultSeeds } : {}),
          onRow: (row) => console.log(matrixLine(row)),
        });
        const holds = matrixHolds(rows);
        const faults = rows.filter((row) => row.kind === "fault");
        const honest = rows.filter((row) => row.kind === "clean" || row.kind === "choice");
        console.log(
          `${holds ? "the matrix holds" : "THE MATRIX DOES NOT HOLD"}: ${honest.filter((row) => row.verdict === "pass").length}/${honest.length} clean runs passed (${seeds.length} seeds, and the other side of each open choice), ` +
            `${faults.filter((row) => row.caught && row.byItsRule).length}/${faults.length} faults caught by their rule (performance faults are for load scenarios)`,
        );
        process.exitCode = holds ? 0 : 1;
      },
    );

  program
    .command("checks")
    .description("list the checks: id, source, rule section, description, the rule quoted")
    .action(() => {
      for (const check of allChecks()) {
        console.log(
          `${check.id}\t${check.source}\t${check.section}\t${check.title}\t${check.rule}`,
        );
      }
    });
}

function matrixLine(row: MatrixRow): string {
  const honest = row.kind === "clean" || row.kind === "choice";
  const name =
    row.kind === "clean"
      ? `clean (seed ${row.seed})`
      : row.kind === "choice"
        ? `clean, other side: ${row.fault} (seed ${row.seed})`
        : `${row.fault} (seed ${row.seed})`;
  const caught = honest
    ? row.verdict === "pass"
      ? "passed"
      : row.verdict.toUpperCase()
    : row.caught
      ? "yes"
      : row.kind === "performance"
        ? "no (performance: load scenarios)"
        : "NO";
  const failing = row.failing.map((check) => `${check.id} (${check.failures})`).join(", ") || "-";
  const byRule = row.kind === "fault" ? (row.byItsRule ? "yes" : "NO") : "-";
  return `${name}\t${caught}\t${byRule}\t${failing}\t${row.requests}\t${(row.durationMs / 1000).toFixed(1)}`;
}

function withFlags(config: HarnessConfig, options: CheckOptions): HarnessConfig {
  return {
    ...config,
    ...(options.runs !== undefined ? { runs: options.runs } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
    ...(options.only ? { only: options.only } : {}),
    ...(options.skip ? { skip: [...config.skip, ...options.skip] } : {}),
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    ...(options.budget !== undefined ? { budgetSeconds: options.budget } : {}),
    ...(options.maxWait !== undefined ? { maxWaitSeconds: options.maxWait } : {}),
  };
}
