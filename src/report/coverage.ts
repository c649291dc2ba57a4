/**
 * The coverage section of summary.md and report.html: what the run exercised, from
 * results.json's `coverage` (src/checks/results.ts). Per operation, the statuses answered
 * against those documented; per list filter, the queries that used it and the items they
 * got; per lifecycle transition, how often it ran. What was never exercised stands out;
 * the checks whose rules it leaves untried say so in their warnings.
 */
import type { Coverage, FilterCoverage, OperationCoverage } from "../checks/results.js";
import { type HtmlValue, html, joinHtml, type SafeHtml } from "./page/html.js";
import { formatCount, plural } from "./page/page.js";

const INTRO =
  "Counted from every answer of the run, cleanup's included; the state a transition starts from is the ticket's status in the last answer that showed it.";

/** One sentence: how much of each kind was exercised. */
export function coverageLine(coverage: Coverage): string {
  const answered = coverage.operations.filter((op) => Object.keys(op.observed).length > 0);
  const documented = coverage.operations.reduce((sum, op) => sum + op.documented.length, 0);
  const never = coverage.operations.reduce((sum, op) => sum + op.neverObserved.length, 0);
  const tried = coverage.filters.filter((filter) => filter.nonEmpty > 0);
  const ran = coverage.transitions.filter((transition) => transition.runs > 0);
  return [
    `${answered.length} of ${plural(coverage.operations.length, "operation")} answered`,
    `${documented - never} of ${plural(documented, "documented status", "documented statuses")} observed`,
    `${tried.length} of ${plural(coverage.filters.length, "list filter")} tried with items`,
    `${ran.length} of ${plural(coverage.transitions.length, "lifecycle transition")} ran`,
  ].join("; ");
}

/** What an operation's never-answered statuses leave untried (not those whose other side was answered). */
function gaps(operation: OperationCoverage): number[] {
  // `otherSideAnswered` is absent in a results.json written before it.
  const covered = operation.otherSideAnswered ?? [];
  return operation.neverObserved.filter((status) => !covered.includes(status));
}

const OTHER_SIDE = "either/or: its other side answered";

function answers(operation: OperationCoverage): [string, number][] {
  return Object.entries(operation.observed).map(([status, count]) => [status, count]);
}

function filterNote(filter: FilterCoverage): string {
  if (filter.queries === 0) return "never answered with a page";
  return filter.nonEmpty === 0 ? "only empty pages" : "";
}

// ---------------------------------------------------------------------------------------
// summary.md

export function coverageMarkdown(coverage: Coverage | undefined): string[] {
  if (!coverage) return [];
  const lines = ["", "## Coverage", "", `${coverageLine(coverage)}. ${INTRO}`, ""];
  lines.push("| operation | statuses answered | documented, never answered |", "|---|---|---|");
  for (const operation of coverage.operations) {
    const seen = answers(operation).map(([status, count]) => `${status} ×${formatCount(count)}`);
    const never = operation.neverObserved.map((status) =>
      gaps(operation).includes(status) ? `**${status}**` : `${status} (${OTHER_SIDE})`,
    );
    lines.push(
      `| \`${operation.operationId}\` | ${seen.join(", ") || "**none**"} | ${never.join(", ") || "—"} |`,
    );
  }
  lines.push(
    "",
    "| list filter | queries answered with a page | with items | items returned | refused (400) |",
    "|---|---|---|---|---|",
  );
  for (const filter of coverage.filters) {
    const note = filterNote(filter);
    const withItems = note
      ? `**${formatCount(filter.nonEmpty)}** (${note})`
      : formatCount(filter.nonEmpty);
    lines.push(
      `| \`${filter.filter}\` | ${formatCount(filter.queries)} | ${withItems} | ${formatCount(filter.items)} | ${formatCount(filter.refused)} |`,
    );
  }
  lines.push("", "| lifecycle transition | answer | runs |", "|---|---|---|");
  for (const transition of coverage.transitions) {
    const runs = transition.runs === 0 ? "**0**" : formatCount(transition.runs);
    lines.push(
      `| ${transition.transition} | \`${transition.operationId}\` ${transition.status} | ${runs} |`,
    );
  }
  if (coverage.unattributed.length > 0) {
    lines.push("", "Not counted as a transition:");
    for (const attempt of coverage.unattributed) {
      lines.push(
        `- \`${attempt.operationId}\` ${attempt.status} ×${formatCount(attempt.runs)}: ${attempt.why}`,
      );
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------
// report.html

const NONE = html`<span class="none" aria-label="none">—</span>`;

function statusChip(status: number | string): SafeHtml {
  return html`<span class="status status-${String(status).slice(0, 1)}xx">${status}</span>`;
}

export function coverageSection(coverage: Coverage | undefined): HtmlValue {
  if (!coverage) return "";
  const operations = coverage.operations.map(
    (operation) =>
      html`<tr${gaps(operation).length > 0 ? html` class="uncovered"` : ""}><th scope="row"><code>${operation.operationId}</code><span class="sub">${operation.route}</span></th><td>${joinHtml(
        operation.documented.map((status) => statusChip(status)),
        " ",
      )}</td><td>${
        answers(operation).length > 0
          ? joinHtml(
              answers(operation).map(
                ([status, count]) =>
                  html`<span class="answered">${statusChip(status)} <span class="muted">×${formatCount(count)}</span></span>`,
              ),
              " ",
            )
          : html`<span class="value-never">none</span>`
      }</td><td>${
        operation.neverObserved.length > 0
          ? joinHtml(
              operation.neverObserved.map((status) =>
                gaps(operation).includes(status)
                  ? html`<span class="status status-never">${status}</span>`
                  : html`<span class="status">${status}</span> <span class="muted">(${OTHER_SIDE})</span>`,
              ),
              " ",
            )
          : NONE
      }</td></tr>`,
  );
  const filters = coverage.filters.map((filter) => {
    const note = filterNote(filter);
    return html`<tr${note ? html` class="uncovered"` : ""}><th scope="row"><code>${filter.filter}</code></th><td class="num">${formatCount(filter.queries)}</td><td class="num">${note ? html`<span class="value-never">${formatCount(filter.nonEmpty)}</span> <span class="muted">(${note})</span>` : formatCount(filter.nonEmpty)}</td><td class="num">${formatCount(filter.items)}</td><td class="num">${formatCount(filter.refused)}</td></tr>`;
  });
  const transitions = coverage.transitions.map(
    (transition) =>
      html`<tr${transition.runs === 0 ? html` class="uncovered"` : ""}><th scope="row">${transition.transition}</th><td><code>${transition.operationId}</code> ${statusChip(transition.status)}</td><td class="num">${transition.runs === 0 ? html`<span class="value-never">0</span>` : formatCount(transition.runs)}</td></tr>`,
  );
  const unattributed =
    coverage.unattributed.length > 0
      ? html`<p class="label">Not counted as a transition</p>
<ul class="unattributed">
${joinHtml(
  coverage.unattributed.map(
    (attempt) =>
      html`<li><code>${attempt.operationId}</code> ${statusChip(attempt.status)} ×${formatCount(attempt.runs)}: ${attempt.why}</li>`,
  ),
  "\n",
)}
</ul>`
      : "";
  return html`<section id="coverage" aria-labelledby="coverage-title">
<h2 id="coverage-title">Coverage: what the run exercised</h2>
<p class="intro">${INTRO} What was never exercised is marked, and the check whose rule it leaves untried says so in its warnings.</p>
<p class="coverage-line">${coverageLine(coverage)}.</p>
${table("statuses", "Statuses per operation", ["operation", "documented", "answered", "documented, never answered"], operations)}
${table("filters", "List filters", ["query parameter", "#queries answered with a page", "#with items", "#items returned", "#refused (400)"], filters)}
${table("transitions", "Lifecycle transitions", ["transition", "counted from the answer", "#runs"], transitions)}
${unattributed}
</section>`;
}

/** One table of the section under its heading; a column named `#...` holds numbers. */
function table(kind: string, title: string, columns: string[], rows: SafeHtml[]): SafeHtml {
  const head = columns.map((column) =>
    column.startsWith("#")
      ? html`<th scope="col" class="num">${column.slice(1)}</th>`
      : html`<th scope="col">${column}</th>`,
  );
  return html`<h3 id="coverage-${kind}">${title}</h3>
<div class="table-wrap"><table class="coverage coverage-${kind}">
<thead><tr>${head}</tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>`;
}
