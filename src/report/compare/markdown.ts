/**
 * comparison.md, and the table the CLI prints: the overall verdicts, the documentation
 * gaps, then one row per check, one column per run; comparison.md adds the enum values and
 * what each run exercised (its coverage).
 */
import type { CheckResult, Verdict } from "../../checks/model.js";
import type { EnumObservation, RunReport } from "../../checks/results.js";
import { CHOICES_INTRO, CHOICES_TITLE, NOT_SEEN } from "../choices.js";
import {
  answeredMarkdown,
  coverageLine,
  neverMarkdown,
  runsMarkdown,
  withItemsMarkdown,
} from "../coverage.js";
import { formatCount, formatDate, formatDuration } from "../page/page.js";
import type { ComparedRun, Comparison, CoverageRow } from "./model.js";

/** A coverage cell of a run whose results.json has no coverage (an older harness wrote it). */
export const NOT_RECORDED = "not recorded";
/** A coverage cell of a run that recorded coverage but not this row (another version). */
export const NOT_COUNTED = "not counted";
export const COVERAGE_INTRO =
  "As each run's own results.json counted it, from every answer it got (cleanup's included). " +
  "“not recorded”: that run's results.json has no coverage (a harness older than coverage wrote it).";

const RUN_MARK: Record<RunReport["verdict"], string> = {
  pass: "✅ **PASS**",
  fail: "❌ **FAIL**",
  incomplete: "⚠️ **INCOMPLETE**",
};
const CHECK_MARK: Record<Verdict, string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  warn: "⚠️ warn",
  skip: "➖ skip",
};

/** The table: the overall verdicts, the gaps, then one row per check. */
export function comparisonTable(comparison: Comparison): string {
  const { runs, rows } = comparison;
  const lines = [
    `| check | source | ${runs.map((run) => cell(`${run.label} (seed ${run.report.seed}, ${shortDate(run.report.startedAt)})`)).join(" | ")} |`,
    `|---|---|${runs.map(() => "---").join("|")}|`,
    `| **verdict** | | ${runs.map((run) => `${RUN_MARK[run.report.verdict]} ${runTally(run.report)}`).join(" | ")} |`,
    `| **documentation gaps** | | ${runs.map((run) => cell(gapSummary(run.report.enums))).join(" | ")} |`,
  ];
  for (const row of rows) {
    lines.push(
      `| \`${cell(row.id)}\` | ${row.source} | ${row.cells.map((check) => checkCell(check)).join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

export function comparisonMarkdown(comparison: Comparison): string {
  const { runs } = comparison;
  const lines = [
    `# Tickets API conformance: ${runs.length} runs side by side`,
    "",
    comparisonTable(comparison),
    "",
    "## The runs",
    "",
    ...runs.map((run, index) => `${index + 1}. ${runLine(run)}`),
    "",
    "## Documentation gaps: enum values not in the contract (never seen)",
    "",
    `| field | ${runs.map((run) => cell(run.label)).join(" | ")} |`,
    `|---|${runs.map(() => "---").join("|")}|`,
  ];
  for (const field of comparison.enumFields) {
    const cells = runs.map((run) => {
      const gap = run.report.enums.find((observed) => observed.field === field);
      if (!gap) return "not observed";
      const unexpected = gap.unexpected.length > 0 ? values(gap.unexpected) : "—";
      return (gap.unseen ?? []).length > 0
        ? `${unexpected} (never seen: ${values(gap.unseen)})`
        : unexpected;
    });
    lines.push(`| \`${cell(field)}\` | ${cells.join(" | ")} |`);
  }
  lines.push(...coverageComparison(comparison), ...choicesComparison(comparison), "");
  return lines.join("\n");
}

/** One row per open choice any run learned, one cell per run: its side, or not seen. */
function choicesComparison(comparison: Comparison): string[] {
  const { runs, choices } = comparison;
  const lines = ["", `## ${CHOICES_TITLE}`, ""];
  if (!choices) return [...lines, "No run recorded its choices (their results.json are older)."];
  lines.push(
    `${CHOICES_INTRO} “${NOT_SEEN}”: that run met no answer that shows the choice; “${NOT_RECORDED}”: its results.json has no choices.`,
    "",
    `| choice | ${runs.map((run) => cell(run.label)).join(" | ")} |`,
    `|---|${runs.map(() => "---").join("|")}|`,
  );
  for (const row of choices.rows) {
    const cells = row.cells.map((choice, index) =>
      !choices.recorded[index] ? NOT_RECORDED : choice ? cell(choice.side) : NOT_SEEN,
    );
    lines.push(`| ${cell(row.key)} | ${cells.join(" | ")} |`);
  }
  return lines;
}

/** The coverage part: each run's one line, then operations, filters, transitions by run. */
function coverageComparison(comparison: Comparison): string[] {
  const { runs, coverage } = comparison;
  const lines = ["", "## Coverage: what each run exercised", ""];
  if (!coverage) return [...lines, "No run recorded coverage (their results.json are older)."];
  lines.push(
    COVERAGE_INTRO,
    "",
    ...runs.map((run, index) => {
      const recorded = run.report.coverage;
      return `${index + 1}. **${cell(run.label)}**: ${recorded ? `${cell(coverageLine(recorded))}.` : NOT_RECORDED}`;
    }),
  );
  const head = (first: string) => [
    "",
    `| ${first} | ${runs.map((run) => cell(run.label)).join(" | ")} |`,
    `|---|${runs.map(() => "---").join("|")}|`,
  ];
  const row = <T>(heading: string, found: CoverageRow<T>, show: (item: T) => string) =>
    `| ${heading} | ${found.cells
      .map((item, index) =>
        !coverage.recorded[index] ? NOT_RECORDED : item ? cell(show(item)) : NOT_COUNTED,
      )
      .join(" | ")} |`;
  lines.push(...head("operation: statuses answered (documented, never answered: **gap**)"));
  for (const found of coverage.operations) {
    lines.push(
      row(`\`${cell(found.key)}\``, found, (operation) => {
        const never = neverMarkdown(operation);
        return never
          ? `${answeredMarkdown(operation)}; never: ${never}`
          : answeredMarkdown(operation);
      }),
    );
  }
  lines.push(...head("list filter: queries answered with a page / with items"));
  for (const found of coverage.filters) {
    lines.push(
      row(
        `\`${cell(found.key)}\``,
        found,
        (filter) => `${formatCount(filter.queries)} / ${withItemsMarkdown(filter)}`,
      ),
    );
  }
  lines.push(...head("lifecycle transition · the answer counted: runs"));
  for (const found of coverage.transitions) {
    lines.push(
      row(
        cell(`${found.key} · \`${found.first.operationId}\` ${found.first.status}`),
        found,
        runsMarkdown,
      ),
    );
  }
  return lines;
}

export function runLine(run: ComparedRun): string {
  const { report } = run;
  return cell(
    `**${run.label}**: \`${report.target.baseUrl}\`${report.target.embedded ? " (the embedded reference server)" : ""}, ` +
      `seed ${report.seed}, started ${formatDate(report.startedAt)}, ${formatCount(report.requests)} requests in ${formatDuration(report.durationMs)}; ` +
      `\`${run.dir}\``,
  );
}

function checkCell(check: CheckResult | undefined): string {
  if (!check) return "— not run";
  if (check.verdict === "fail") return `${CHECK_MARK.fail} (${formatCount(check.failureCount)})`;
  if (check.verdict === "warn") return `${CHECK_MARK.warn} (${formatCount(check.warningCount)})`;
  return CHECK_MARK[check.verdict];
}

/** `(2 of 19 failed)`, `(19 checks)`, `(why it did not complete)`: a table cell's words. */
export function runTally(report: RunReport): string {
  const total = report.checks.length;
  if (report.verdict === "fail") return `(${report.counts.fail} of ${total} failed)`;
  if (report.verdict === "incomplete") return cell(`(${report.incomplete ?? "did not complete"})`);
  return `(${total} checks)`;
}

function gapSummary(enums: EnumObservation[]): string {
  const gaps = enums.filter((gap) => gap.unexpected.length > 0);
  if (gaps.length === 0) return "none";
  return gaps.map((gap) => `\`${gap.field}\`: ${values(gap.unexpected)}`).join("; ");
}

function values(list: (string | null)[]): string {
  return list.map((value) => (value === null ? "`null`" : `\`${value}\``)).join(", ");
}

/** `2026-11-27 18:20 UTC`: a column's date. */
export function shortDate(iso: string): string {
  return formatDate(iso).replace(/:\d{2} UTC$/, " UTC");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
}
