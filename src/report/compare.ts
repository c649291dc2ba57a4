/**
 * Several runs side by side, rule by rule: one row per check (the union of the runs', in
 * suite order), one column per run (a vendor, a staging build, a seed), each cell the
 * check's verdict and its number of failures; the overall verdicts and the documentation
 * gaps too. Written as comparison.md and comparison.html from the runs' results.json.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { CheckResult, Verdict } from "../checks/model.js";
import { allChecks } from "../checks/suite.js";
import { UserError } from "../exit-codes.js";
import {
  checkAnchor,
  escapeHtml,
  formatCount,
  formatDate,
  formatDuration,
  htmlPage,
  sourceBadge,
  VERDICT_LABEL,
  verdictBadge,
} from "./html.js";
import type { EnumObservation, RunReport } from "./run-report.js";

export const RESULTS_FORMAT: RunReport["format"] = "tickets-api-harness/results@1";

export interface ComparedRun {
  /** The run's folder, as given. */
  dir: string;
  label: string;
  report: RunReport;
}

export interface ComparisonRow {
  id: string;
  title: string;
  source: CheckResult["source"];
  section: string;
  /** One per run, in column order; undefined where the run did not have the check. */
  cells: (CheckResult | undefined)[];
}

export interface Comparison {
  runs: ComparedRun[];
  rows: ComparisonRow[];
  /** The enum fields any run observed, in first-seen order. */
  enumFields: string[];
}

const RUN_VERDICTS = new Set(["pass", "fail", "incomplete"]);
const CHECK_VERDICTS = new Set(["pass", "fail", "warn", "skip"]);

/** Reads a run folder's results.json; any problem is one line (exit 2). */
export function readRun(dir: string): RunReport {
  if (!existsSync(dir)) throw new UserError(`no such run folder: ${dir}`);
  if (!statSync(dir).isDirectory()) {
    throw new UserError(`${dir} is not a folder: give run folders (each with a results.json)`);
  }
  const file = join(dir, "results.json");
  if (!existsSync(file)) {
    throw new UserError(
      `${dir} has no results.json: not a run folder of \`tickets-harness check\``,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`${file} is not JSON: ${oneLine((error as Error).message)}`);
  }
  const format = (data as { format?: unknown } | null)?.format;
  if (format !== RESULTS_FORMAT) {
    throw new UserError(
      `${file} is not a tickets-harness results file: format ${oneLine(JSON.stringify(format) ?? "missing")}, expected "${RESULTS_FORMAT}"`,
    );
  }
  const problem = shapeProblem(data as Record<string, unknown>);
  if (problem) throw new UserError(`${file} is malformed: ${problem}`);
  return data as RunReport;
}

/** The first thing in a results file that the comparison cannot read, if any. */
function shapeProblem(data: Record<string, unknown>): string | undefined {
  const target = data.target as { baseUrl?: unknown } | undefined;
  if (typeof target?.baseUrl !== "string") return "target.baseUrl is not a string";
  if (!RUN_VERDICTS.has(data.verdict as string)) return "verdict is not pass, fail or incomplete";
  for (const key of ["seed", "requests", "durationMs"]) {
    if (typeof data[key] !== "number") return `${key} is not a number`;
  }
  if (typeof data.startedAt !== "string") return "startedAt is not a string";
  if (!Array.isArray(data.checks)) return "checks is not a list";
  for (const [index, check] of (data.checks as Partial<CheckResult>[]).entries()) {
    if (typeof check?.id !== "string") return `checks[${index}].id is not a string`;
    if (!CHECK_VERDICTS.has(check.verdict as string)) {
      return `checks[${index}].verdict is not pass, fail, warn or skip`;
    }
    if (typeof check.failureCount !== "number") {
      return `checks[${index}].failureCount is not a number`;
    }
    if (!Array.isArray(check.failures)) return `checks[${index}].failures is not a list`;
  }
  if (!Array.isArray(data.enums)) return "enums is not a list";
  for (const [index, gap] of (data.enums as Partial<EnumObservation>[]).entries()) {
    if (typeof gap?.field !== "string" || !Array.isArray(gap.unexpected)) {
      return `enums[${index}] is not a field with its values`;
    }
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Reads the folders and labels the columns: the labels given, then each run's target. */
export function loadRuns(dirs: string[], labels: string[] = []): ComparedRun[] {
  if (dirs.length === 0) throw new UserError("give at least one run folder");
  if (labels.length > dirs.length) {
    throw new UserError(
      `${labels.length} labels for ${dirs.length} run folder(s): one --label per folder, in order`,
    );
  }
  const blank = labels.findIndex((label) => label.trim() === "");
  if (blank >= 0) throw new UserError(`--label number ${blank + 1} is empty`);
  return dirs.map((dir, index) => {
    const report = readRun(dir);
    return { dir, label: labels[index] ?? report.target.baseUrl, report };
  });
}

export function compareRuns(runs: ComparedRun[]): Comparison {
  const suiteOrder = allChecks().map((check) => check.id);
  const seen = new Set(runs.flatMap((run) => run.report.checks.map((check) => check.id)));
  const ids = [
    ...suiteOrder.filter((id) => seen.has(id)),
    ...[...seen].filter((id) => !suiteOrder.includes(id)),
  ];
  const rows = ids.map((id): ComparisonRow => {
    const cells = runs.map((run) => run.report.checks.find((check) => check.id === id));
    const known = cells.find((cell) => cell !== undefined) as CheckResult;
    return { id, title: known.title, source: known.source, section: known.section, cells };
  });
  const enumFields = [...new Set(runs.flatMap((run) => run.report.enums.map((gap) => gap.field)))];
  return { runs, rows, enumFields };
}

// ---------------------------------------------------------------- Markdown

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
  lines.push("");
  return lines.join("\n");
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

function runTally(report: RunReport): string {
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

function shortDate(iso: string): string {
  return formatDate(iso).replace(/:\d{2} UTC$/, " UTC");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
}

// ---------------------------------------------------------------- HTML

const FIRST_FAILURE_SHOWN = 140;

/** `outDir`: where comparison.html goes, so that it can link each run's report.html. */
export function comparisonHtml(comparison: Comparison, outDir: string): string {
  const { runs, rows } = comparison;
  const links = runs.map((run) => reportLink(run.dir, outDir));
  const head = runs
    .map(
      (run, index) =>
        `<th scope="col"><span class="run-label">${escapeHtml(run.label)}</span><span class="sub"><code>${escapeHtml(run.report.target.baseUrl)}</code></span><span class="sub">seed ${escapeHtml(run.report.seed)} · ${escapeHtml(shortDate(run.report.startedAt))}</span>${links[index] ? `<span class="sub"><a href="${escapeHtml(links[index])}">report.html</a></span>` : ""}</th>`,
    )
    .join("");
  const overall = runs
    .map(
      (run) =>
        `<td class="cell"><span class="badge badge-${run.report.verdict === "incomplete" ? "warn" : escapeHtml(run.report.verdict)} run-verdict">${VERDICT_LABEL[run.report.verdict]}</span> <span class="muted">${escapeHtml(runTally(run.report).replace(/^\(|\)$/g, ""))}</span></td>`,
    )
    .join("");
  const gaps = runs
    .map((run) => {
      const found = run.report.enums.filter((gap) => gap.unexpected.length > 0);
      return `<td>${
        found.length === 0
          ? '<span class="muted">none</span>'
          : found
              .map(
                (gap) =>
                  `<code>${escapeHtml(gap.field)}</code>: ${gap.unexpected.map((value) => `<code class="value-unexpected">${escapeHtml(value === null ? "null" : JSON.stringify(value))}</code>`).join(" ")}`,
              )
              .join("<br>")
      }</td>`;
    })
    .join("");
  const body = rows.map((row) => {
    const verdicts = new Set(row.cells.map((check) => check?.verdict ?? "none"));
    const cells = row.cells
      .map((check, index) => {
        if (!check) return '<td class="cell"><span class="badge badge-none">— not run</span></td>';
        const count =
          check.verdict === "fail"
            ? ` <span class="count">${formatCount(check.failureCount)} failure${check.failureCount === 1 ? "" : "s"}</span>`
            : check.verdict === "warn"
              ? ` <span class="count">${formatCount(check.warningCount)} warning${check.warningCount === 1 ? "" : "s"}</span>`
              : "";
        const first = check.failures[0]?.message;
        const badge = links[index]
          ? `<a href="${escapeHtml(`${links[index]}#${checkAnchor(check.id)}`)}">${verdictBadge(check.verdict)}</a>`
          : verdictBadge(check.verdict);
        return `<td class="cell">${badge}${count}${first ? `<span class="first-failure">${escapeHtml(first.length > FIRST_FAILURE_SHOWN ? `${first.slice(0, FIRST_FAILURE_SHOWN - 1)}…` : first)}</span>` : ""}</td>`;
      })
      .join("");
    return `<tr${verdicts.size > 1 ? ' class="differs"' : ""}><th scope="row"><code class="check-id">${escapeHtml(row.id)}</code> ${sourceBadge(row.source)}<span class="sub">${escapeHtml(row.title)}</span></th>${cells}</tr>`;
  });
  const gapRows = comparison.enumFields.map((field) => {
    const cells = runs
      .map((run) => {
        const gap = run.report.enums.find((observed) => observed.field === field);
        if (!gap) return '<td class="muted">not observed</td>';
        const list = (items: (string | null)[], kind: string) =>
          items
            .map(
              (value) =>
                `<code class="${kind}">${escapeHtml(value === null ? "null" : JSON.stringify(value))}</code>`,
            )
            .join(" ");
        return `<td>${gap.unexpected.length > 0 ? list(gap.unexpected, "value-unexpected") : '<span class="muted">—</span>'}${(gap.unseen ?? []).length > 0 ? `<span class="sub">never seen: ${list(gap.unseen, "value-unseen")}</span>` : ""}</td>`;
      })
      .join("");
    return `<tr><th scope="row"><code>${escapeHtml(field)}</code></th>${cells}</tr>`;
  });
  const differing = rows.filter(
    (row) => new Set(row.cells.map((check) => check?.verdict ?? "none")).size > 1,
  ).length;
  const page = `<header class="banner banner-neutral">
<p class="eyebrow">Tickets API conformance · comparison</p>
<h1 class="compare-title">${formatCount(runs.length)} runs side by side</h1>
<p class="sentence">${runs.map((run) => `<strong>${escapeHtml(run.label)}</strong>: ${VERDICT_LABEL[run.report.verdict]}`).join(" · ")}</p>
<p class="broken">${formatCount(rows.length)} rules; the verdicts differ on ${formatCount(differing)}.</p>
</header>
<main>
<section id="rules" aria-labelledby="rules-title">
<h2 id="rules-title">Rule by rule</h2>
<p class="intro">One row per check, in the suite's order; one column per run. A row whose verdicts differ is marked on its left. The number is how many failures the run found; the line under it, the first of them.</p>
<div class="table-wrap"><table class="compare">
<thead><tr><th scope="col">check</th>${head}</tr></thead>
<tbody>
<tr class="overall"><th scope="row">verdict</th>${overall}</tr>
<tr class="overall"><th scope="row">documentation gaps <span class="sub">enum values not in the contract</span></th>${gaps}</tr>
${body.join("\n")}
</tbody>
</table></div>
</section>
<section id="gaps" aria-labelledby="gaps-title">
<h2 id="gaps-title">Documentation gaps: enum values observed</h2>
<p class="intro">Per field: the values a run saw that the contract does not list, and (under them) the listed values it never saw.</p>
<div class="table-wrap"><table class="compare gaps">
<thead><tr><th scope="col">field</th>${runs.map((run) => `<th scope="col">${escapeHtml(run.label)}</th>`).join("")}</tr></thead>
<tbody>
${gapRows.join("\n")}
</tbody>
</table></div>
</section>
<section id="runs" aria-labelledby="runs-title">
<h2 id="runs-title">The runs</h2>
<ol class="runs">
${runs.map((run) => `<li><strong>${escapeHtml(run.label)}</strong>: <code>${escapeHtml(run.report.target.baseUrl)}</code>${run.report.target.embedded ? " (the embedded reference server)" : ""}, seed ${escapeHtml(run.report.seed)}, started ${escapeHtml(formatDate(run.report.startedAt))}, ${formatCount(run.report.requests)} requests in ${escapeHtml(formatDuration(run.report.durationMs))}; folder <code>${escapeHtml(run.dir)}</code>; replay: <code>${escapeHtml(run.report.replay ?? "")}</code></li>`).join("\n")}
</ol>
</section>
</main>
<footer class="page-footer"><p>Written by <code>tickets-harness report compare</code> from each run's <code>results.json</code>.</p></footer>`;
  return htmlPage(`Tickets API conformance: ${runs.map((run) => run.label).join(" vs ")}`, page);
}

/** A relative link from the comparison to a run's report.html, when the run has one. */
function reportLink(runDir: string, outDir: string): string | undefined {
  if (!existsSync(join(runDir, "report.html"))) return undefined;
  const path = relative(outDir, join(runDir, "report.html")).split(sep).map(encodeURIComponent);
  // Never a scheme: a folder named "javascript:…" stays a path.
  return path[0] === ".." ? path.join("/") : `./${path.join("/")}`;
}
