import { join, resolve } from "node:path";
import type { Command } from "commander";
import { runConformance } from "../checks/conformance.js";
import type { CheckResult } from "../checks/model.js";
import type { Session } from "../checks/session.js";
import { allChecks } from "../checks/suite.js";
import { type HarnessConfig, loadConfig } from "../config/config.js";
import { UserError } from "../exit-codes.js";
import { writeReports } from "../report/write-reports.js";

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
}

const MARK: Record<CheckResult["verdict"], string> = {
  pass: "pass",
  fail: "FAIL",
  warn: "warn",
  skip: "skip",
};

function number(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new UserError(`${name} must be a number from ${min} to ${max}, got "${value}"`);
    }
    return parsed;
  };
}

function ids(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  ];
}

export function registerCheckCommands(program: Command): void {
  program
    .command("check")
    .description(
      "check a Tickets API, rule by rule, against the docs and the profile (no base URL: the embedded reference server)",
    )
    .option(
      "--base-url <url>",
      "the target's base URL (default: $TICKETS_BASE_URL, the config's, else the embedded server)",
    )
    .option("--config <file>", "config file (default: ./tickets-harness.config.json if present)")
    .option(
      "--fixtures <file>",
      "JSON file with chatIds, userIds, tagIds, ticketingTeamIds the target already has",
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
    .option("--rate <n>", "at most this many requests per second", number("--rate", 0, 100_000))
    .option("--timeout <ms>", "per-request timeout", number("--timeout", 100, 300_000))
    .option("--budget <seconds>", "time budget of the whole run", number("--budget", 1, 86_400))
    .action(async (options: CheckOptions) => {
      const config = withFlags(loadConfig(options.config), options);
      const baseUrl = options.baseUrl ?? process.env.TICKETS_BASE_URL ?? config.baseUrl;
      if (baseUrl !== undefined && !/^https?:\/\/[^/]/.test(baseUrl)) {
        throw new UserError(`base URL must start with http:// or https://, got "${baseUrl}"`);
      }
      console.log(
        `tickets-harness check: ${baseUrl ?? "the embedded reference server"}${config.readOnly ? " (read-only)" : ""}`,
      );
      let session: Session | undefined;
      const interrupt = () => {
        if (!session) process.exit(3);
        console.log("interrupted: finishing cleanup and reports (Ctrl-C again to quit at once)");
        session.interrupt("SIGINT");
        process.once("SIGINT", () => process.exit(3));
      };
      process.once("SIGINT", interrupt);
      const report = await runConformance({
        config,
        ...(baseUrl ? { baseUrl } : {}),
        ...(options.fixtures ? { fixturesFile: options.fixtures } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        onSession: (created) => {
          session = created;
        },
      }).finally(() => process.off("SIGINT", interrupt));
      const dir = resolve(options.reportDir ?? join(config.reportDir, report.runId));
      writeReports(report, dir);
      for (const check of report.checks) {
        const detail =
          check.verdict === "skip"
            ? check.skippedBecause
            : `${check.failureCount} failure(s), ${check.requests} request(s)`;
        console.log(`  ${MARK[check.verdict]}  ${check.id}: ${detail}`);
      }
      const { counts } = report;
      console.log(
        `verdict: ${report.verdict.toUpperCase()} (${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warned, ${counts.skip} skipped; seed ${report.seed})`,
      );
      if (report.incomplete) console.log(`incomplete: ${report.incomplete}`);
      for (const leftover of report.leftovers) console.log(`left behind: ${leftover}`);
      console.log(`reports: ${dir}/ (summary.md, results.json, junit.xml)`);
      process.exitCode = report.exitCode;
    });

  program
    .command("checks")
    .description("list the checks: id, source, rule section, description")
    .action(() => {
      for (const check of allChecks()) {
        console.log(`${check.id}\t${check.source}\t${check.section}\t${check.title}`);
      }
    });
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
  };
}
