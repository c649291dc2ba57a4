/**
 * The coverage section of summary.md and report.html: what the run exercised, from
 * results.json's `coverage` (src/checks/results.ts). Per operation, the statuses answered
 * against those documented; per list filter, the queries that used it and the items they
 * got; per lifecycle transition, how often it ran. What was never exercised stands out;
 * the checks whose rules it leaves untried say so in their warnings.
 */
import type {
  Coverage,
  FilterCoverage,
  OperationCoverage,
  TransitionCoverage,
} from "../checks/results.js";
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
export function gaps(operation: OperationCoverage): number[] {
  // `otherSideAnswered` is absent in a results.json written before it.
  const covered = operation.otherSideAnswered ?? [];
  return operation.neverObserved.filter((status) => !covered.includes(status));
}

const OTHER_SIDE = "either/or: its other side answered";

function answers(operation: OperationCoverage): [string, number][] {
  return Object.entries(operation.observed).map(([status, count]) => [status, count]);
}

/** Why a filter counts as untried (`only empty pages`), or "" when it was tried with items. */
export function filterNote(filter: FilterCoverage): string {
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
    lines.push(
      `| \`${operation.operationId}\` | ${answeredMarkdown(operation)} | ${neverMarkdown(operation) || "—"} |`,
    );
  }
  lines.push(
    "",
    "| list filter | queries answered with a page | with items | items returned | refused (400) |",
    "|---|---|---|---|---|",
  );
  for (const filter of coverage.filters) {
    lines.push(
      `| \`${filter.filter}\` | ${formatCount(filter.queries)} | ${withItemsMarkdown(filter)} | ${formatCount(filter.items)} | ${formatCount(filter.refused)} |`,
    );
  }
  lines.push("", "| lifecycle transition | answer | runs |", "|---|---|---|");
  for (const transition of coverage.transitions) {
    lines.push(
      `| ${transition.transition} | \`${transition.operationId}\` ${transition.status} | ${runsMarkdown(transition)} |`,
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

/** `200 ×12, 404 ×3`, or **none**: the statuses an operation was answered with. */
export function answeredMarkdown(operation: OperationCoverage): string {
  const seen = answers(operation).map(([status, count]) => `${status} ×${formatCount(count)}`);
  return seen.join(", ") || "**none**";
}

/** `**409**, 404 (either/or: …)`, or "": documented, never answered, a gap in bold. */
export function neverMarkdown(operation: OperationCoverage): string {
  return operation.neverObserved
    .map((status) =>
      gaps(operation).includes(status) ? `**${status}**` : `${status} (${OTHER_SIDE})`,
    )
    .join(", ");
}

/** `8`, or `**0** (only empty pages)`: a filter's queries with items. */
export function withItemsMarkdown(filter: FilterCoverage): string {
  const note = filterNote(filter);
  return note ? `**${formatCount(filter.nonEmpty)}** (${note})` : formatCount(filter.nonEmpty);
}

/** `12`, or `**0**`: how often a transition ran. */
export function runsMarkdown(transition: TransitionCoverage): string {
  return transition.runs === 0 ? "**0**" : formatCount(transition.runs);
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
      )}</td><td>${answeredHtml(operation)}</td><td>${neverHtml(operation) ?? NONE}</td></tr>`,
  );
  const filters = coverage.filters.map(
    (filter) =>
      html`<tr${filterNote(filter) ? html` class="uncovered"` : ""}><th scope="row"><code>${filter.filter}</code></th><td class="num">${formatCount(filter.queries)}</td><td class="num">${withItemsHtml(filter)}</td><td class="num">${formatCount(filter.items)}</td><td class="num">${formatCount(filter.refused)}</td></tr>`,
  );
  const transitions = coverage.transitions.map(
    (transition) =>
      html`<tr${transition.runs === 0 ? html` class="uncovered"` : ""}><th scope="row">${transition.transition}</th><td>${transitionAnswerHtml(transition)}</td><td class="num">${runsHtml(transition)}</td></tr>`,
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

/** The statuses an operation was answered with, each with its count, or a marked "none". */
export function answeredHtml(operation: OperationCoverage): SafeHtml {
  const seen = answers(operation);
  return seen.length > 0
    ? joinHtml(
        seen.map(
          ([status, count]) =>
            html`<span class="answered">${statusChip(status)} <span class="muted">×${formatCount(count)}</span></span>`,
        ),
        " ",
      )
    : html`<span class="value-never">none</span>`;
}

/** Documented, never answered: a gap dashed, an either/or's covered side said so; undefined when none. */
export function neverHtml(operation: OperationCoverage): SafeHtml | undefined {
  if (operation.neverObserved.length === 0) return undefined;
  return joinHtml(
    operation.neverObserved.map((status) =>
      gaps(operation).includes(status)
        ? html`<span class="status status-never">${status}</span>`
        : html`<span class="status">${status}</span> <span class="muted">(${OTHER_SIDE})</span>`,
    ),
    " ",
  );
}

/** A filter's queries with items, marked (with why) when there were none. */
export function withItemsHtml(filter: FilterCoverage): SafeHtml {
  const note = filterNote(filter);
  return note
    ? html`<span class="value-never">${formatCount(filter.nonEmpty)}</span> <span class="muted">(${note})</span>`
    : html`${formatCount(filter.nonEmpty)}`;
}

/** The answer a transition is counted from: `completeTicket` 200. */
export function transitionAnswerHtml(transition: TransitionCoverage): SafeHtml {
  return html`<code>${transition.operationId}</code> ${statusChip(transition.status)}`;
}

/** How often a transition ran, a marked 0 when never. */
export function runsHtml(transition: TransitionCoverage): SafeHtml {
  return transition.runs === 0
    ? html`<span class="value-never">0</span>`
    : html`${formatCount(transition.runs)}`;
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
