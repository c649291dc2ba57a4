/**
 * The run's record: its summary counts, and reports/crosscheck/<stamp>.json with every exchange,
 * written with each Prism child's log beside it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { PrismInstall, PrismProxy } from "./prism.js";
import { SEED, TICKETS } from "./rig.js";
import type { Outcome } from "./run.js";

export interface Summary {
  operations: number;
  cases: number;
  exchanges: number;
  failedCases: number;
  stoppedEarly?: string;
  responseViolations: number;
  answeredByPrism: number;
}

export function summarize({ results, stoppedEarly }: Outcome): Summary {
  const exchanges = results.flatMap((result) => result.exchanges);
  return {
    operations: new Set(results.map((result) => result.operation)).size,
    cases: results.length,
    exchanges: exchanges.length,
    failedCases: results.filter((result) => !result.pass).length,
    ...(stoppedEarly === undefined ? {} : { stoppedEarly }),
    responseViolations: exchanges.reduce((n, e) => n + e.responseViolations.length, 0),
    answeredByPrism: exchanges.filter((exchange) => exchange.by === "prism").length,
  };
}

export interface ReportInput {
  root: string;
  startedAt: string;
  durationMs: number;
  startupMs: number;
  document: string;
  prism: PrismInstall;
  proxies: PrismProxy[];
  faults: string[];
  outcome: Outcome;
  summary: Summary;
}

/** Writes the report and the Prism logs; returns the report's path, relative to root. */
export function writeReport(input: ReportInput): string {
  const { root, startedAt, outcome, summary } = input;
  const outDir = join(root, "reports", "crosscheck");
  const stamp = startedAt.replace(/[:.]/g, "-");
  const document = relative(root, input.document);
  const report = {
    startedAt,
    durationMs: Math.round(input.durationMs),
    startupMs: Math.round(input.startupMs),
    document,
    prism: {
      version: input.prism.version,
      proxies: {
        errors: `prism proxy ${document} <tap> --errors`,
        report: `prism proxy ${document} <tap>`,
      },
    },
    server: { seed: SEED, tickets: TICKETS, faults: input.faults },
    summary,
    cases: outcome.results,
  };
  mkdirSync(outDir, { recursive: true });
  const reportFile = join(outDir, `${stamp}.json`);
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  for (const proxy of input.proxies) {
    writeFileSync(join(outDir, `${stamp}.prism-${proxy.mode}.log`), `${proxy.log.join("\n")}\n`);
  }
  return relative(root, reportFile);
}
