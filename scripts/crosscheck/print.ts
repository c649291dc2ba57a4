/** What the run prints: a line per exchange, the failures in full, the verdict. */
import type { ExchangeResult, Expected, Violation } from "./judge.js";
import type { Summary } from "./report.js";
import type { CaseResult } from "./run.js";

const HEADER = [
  "",
  "operation",
  "case",
  "proxy",
  "expected",
  "got",
  "resp. viol.",
  "Prism on the request",
];

export function printTable(results: CaseResult[]): void {
  const rows = results.flatMap((result) =>
    result.exchanges.map((exchange) => [
      exchange.pass ? "ok" : "FAIL",
      result.operation,
      result.case,
      exchange.proxy,
      expectedText(exchange.expected),
      gotText(exchange),
      String(exchange.responseViolations.length),
      exchange.requestViolations.map(violationText).join("; ") || "-",
    ]),
  );
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  // Every column padded to its widest cell but the last, so no line ends in spaces.
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ");
  console.log(line(HEADER));
  for (const row of rows) console.log(line(row));
}

export function printFailures(results: CaseResult[]): void {
  for (const result of results) {
    for (const exchange of result.exchanges.filter((candidate) => !candidate.pass)) {
      console.log(`\nFAIL ${result.operation} · ${result.case} (via the ${exchange.proxy} proxy)`);
      const { method, url, body } = exchange.request;
      console.log(`  request:  ${method} ${url}${body === undefined ? "" : ` ${body}`}`);
      console.log(`  expected: ${expectedText(exchange.expected)}; got: ${gotText(exchange)}`);
      if (exchange.responseBody !== undefined)
        console.log(`  response: ${exchange.responseBody.slice(0, 500)}`);
      const shown = exchange.responseViolations.slice(0, 5);
      const more = exchange.responseViolations.length - shown.length;
      for (const violation of shown) {
        console.log(
          `  Prism:    [${violation.severity}] ${violation.location.join(".")}: ${violation.message}`,
        );
      }
      if (more > 0)
        console.log(`  Prism:    … and ${more} more response violation(s) in the report`);
    }
  }
}

export interface RunFacts {
  prismVersion: string;
  faults: string[];
  durationMs: number;
  reportFile: string;
}

/** The last lines: why the cases stopped early if they did, the one-line verdict, the report. */
export function printVerdict(summary: Summary, ok: boolean, facts: RunFacts): void {
  if (summary.stoppedEarly !== undefined) console.log(`\nstopped early: ${summary.stoppedEarly}`);
  const verdict = ok
    ? "every exchange as expected, 0 response violations"
    : `${summary.failedCases} case(s) failed, ${summary.responseViolations} response violation(s)`;
  const { faults } = facts;
  const withFaults = faults.length > 0 ? ` (server faults: ${faults.join(", ")})` : "";
  console.log(
    `\n${summary.operations} operations, ${summary.cases} cases, ${summary.exchanges} exchanges ` +
      `through Prism ${facts.prismVersion}${withFaults}: ` +
      `${verdict} (${(facts.durationMs / 1000).toFixed(1)} s)`,
  );
  console.log(`report written to ${facts.reportFile}`);
}

function expectedText(expected: Expected): string {
  return `${expected.status.join("|")} ${expected.by}`;
}

function gotText(exchange: ExchangeResult): string {
  if (exchange.status === undefined) return `error: ${exchange.error ?? "?"}`;
  if (exchange.by === "prism-replaced")
    return `${exchange.status} prism (server: ${exchange.serverStatus})`;
  return `${exchange.status} ${exchange.by}`;
}

/** Short: where and which rule, e.g. `body required 'chatId'`, `query.pagesize minimum`. */
function violationText(violation: Violation): string {
  const where = violation.location.slice(1).join(".");
  if (where === "") return violation.message;
  const property = violation.code === "required" ? / '([^']+)'/.exec(violation.message) : null;
  return `${where} ${violation.code}${property ? ` '${property[1]}'` : ""}`;
}
