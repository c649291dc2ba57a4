/**
 * comparison.html: the comparison as a page of the kit (../page/), every cell linking to the
 * check's row in that run's report.html when the run folder has one, then what each run
 * exercised (its coverage) side by side. Labels, targets, folders, messages and coverage
 * names are the runs' text, read from their results.json: the `html` template escapes each
 * of them.
 */
import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { CHOICES_INTRO, CHOICES_TITLE, NOT_SEEN } from "../choices.js";
import {
  answeredHtml,
  coverageLine,
  filterNote,
  neverHtml,
  runsHtml,
  transitionAnswerHtml,
  gaps as untried,
  withItemsHtml,
} from "../coverage.js";
import { checkAnchor } from "../html.js";
import { type HtmlValue, html, joinHtml, type SafeHtml } from "../page/html.js";
import {
  banner,
  formatCount,
  formatDate,
  formatDuration,
  htmlPage,
  pageFooter,
  prose,
  sourceBadge,
  VERDICT_LABEL,
  verdictBadge,
} from "../page/page.js";
// The verdict row shows the words of the Markdown table's (without their parentheses).
import { COVERAGE_INTRO, NOT_COUNTED, NOT_RECORDED, runTally, shortDate } from "./markdown.js";
import type { Comparison, CoverageRow } from "./model.js";

const FIRST_FAILURE_SHOWN = 140;

/** `outDir`: where comparison.html goes, so that it can link each run's report.html. */
export function comparisonHtml(comparison: Comparison, outDir: string): string {
  const { runs, rows } = comparison;
  const links = runs.map((run) => reportLink(run.dir, outDir));
  const head = runs.map(
    (run, index) =>
      html`<th scope="col"><span class="run-label">${run.label}</span><span class="sub"><code>${run.report.target.baseUrl}</code></span><span class="sub">seed ${run.report.seed} · ${shortDate(run.report.startedAt)}</span>${links[index] ? html`<span class="sub"><a href="${links[index]}">report.html</a></span>` : ""}</th>`,
  );
  const overall = runs.map(
    (run) =>
      html`<td class="cell"><span class="badge badge-${run.report.verdict === "incomplete" ? "warn" : run.report.verdict} run-verdict">${VERDICT_LABEL[run.report.verdict]}</span> <span class="muted">${runTally(run.report).replace(/^\(|\)$/g, "")}</span></td>`,
  );
  const gaps = runs.map((run) => {
    const found = run.report.enums.filter((gap) => gap.unexpected.length > 0);
    return html`<td>${
      found.length === 0
        ? html`<span class="muted">none</span>`
        : joinHtml(
            found.map(
              (gap) =>
                html`<code>${gap.field}</code>: ${joinHtml(
                  gap.unexpected.map(
                    (value) =>
                      html`<code class="value-unexpected">${value === null ? "null" : JSON.stringify(value)}</code>`,
                  ),
                  " ",
                )}`,
            ),
            html`<br>`,
          )
    }</td>`;
  });
  const body = rows.map((row) => {
    const verdicts = new Set(row.cells.map((check) => check?.verdict ?? "none"));
    const cells = row.cells.map((check, index) => {
      if (!check)
        return html`<td class="cell"><span class="badge badge-none">— not run</span></td>`;
      const count =
        check.verdict === "fail"
          ? html` <span class="count">${formatCount(check.failureCount)} failure${check.failureCount === 1 ? "" : "s"}</span>`
          : check.verdict === "warn"
            ? html` <span class="count">${formatCount(check.warningCount)} warning${check.warningCount === 1 ? "" : "s"}</span>`
            : "";
      const first = check.failures[0]?.message;
      const link = links[index];
      const badge = link
        ? html`<a href="${`${link}#${checkAnchor(check.id)}`}">${verdictBadge(check.verdict)}</a>`
        : verdictBadge(check.verdict);
      return html`<td class="cell">${badge}${count}${first ? html`<span class="first-failure">${first.length > FIRST_FAILURE_SHOWN ? `${first.slice(0, FIRST_FAILURE_SHOWN - 1)}…` : first}</span>` : ""}</td>`;
    });
    return html`<tr${verdicts.size > 1 ? html` class="differs"` : ""}><th scope="row"><code class="check-id">${row.id}</code> ${sourceBadge(row.source)}<span class="sub">${row.title}</span></th>${cells}</tr>`;
  });
  const gapRows = comparison.enumFields.map((field) => {
    const cells = runs.map((run) => {
      const gap = run.report.enums.find((observed) => observed.field === field);
      if (!gap) return html`<td class="muted">not observed</td>`;
      const list = (items: (string | null)[], kind: string) =>
        joinHtml(
          items.map(
            (value) =>
              html`<code class="${kind}">${value === null ? "null" : JSON.stringify(value)}</code>`,
          ),
          " ",
        );
      return html`<td>${gap.unexpected.length > 0 ? list(gap.unexpected, "value-unexpected") : html`<span class="muted">—</span>`}${(gap.unseen ?? []).length > 0 ? html`<span class="sub">never seen: ${list(gap.unseen, "value-unseen")}</span>` : ""}</td>`;
    });
    return html`<tr><th scope="row"><code>${field}</code></th>${cells}</tr>`;
  });
  const differing = rows.filter(
    (row) => new Set(row.cells.map((check) => check?.verdict ?? "none")).size > 1,
  ).length;
  const page = html`${banner(
    "neutral",
    "Tickets API conformance · comparison",
    html`<h1 class="compare-title">${formatCount(runs.length)} runs side by side</h1>
<p class="sentence">${joinHtml(
      runs.map((run) => html`<strong>${run.label}</strong>: ${VERDICT_LABEL[run.report.verdict]}`),
      " · ",
    )}</p>
<p class="broken">${formatCount(rows.length)} rules; the verdicts differ on ${formatCount(differing)}.</p>`,
  )}
<main>
<section id="rules" aria-labelledby="rules-title">
<h2 id="rules-title">Rule by rule</h2>
<p class="intro">One row per check, in the suite's order; one column per run. A row whose verdicts differ is marked on its left. The number is how many failures the run found; the line under it, the first of them.</p>
<div class="table-wrap"><table class="compare">
<thead><tr><th scope="col">check</th>${head}</tr></thead>
<tbody>
<tr class="overall"><th scope="row">verdict</th>${overall}</tr>
<tr class="overall"><th scope="row">documentation gaps <span class="sub">enum values not in the contract</span></th>${gaps}</tr>
${joinHtml(body, "\n")}
</tbody>
</table></div>
</section>
<section id="gaps" aria-labelledby="gaps-title">
<h2 id="gaps-title">Documentation gaps: enum values observed</h2>
<p class="intro">Per field: the values a run saw that the contract does not list, and (under them) the listed values it never saw.</p>
<div class="table-wrap"><table class="compare gaps">
<thead><tr><th scope="col">field</th>${runs.map((run) => html`<th scope="col">${run.label}</th>`)}</tr></thead>
<tbody>
${joinHtml(gapRows, "\n")}
</tbody>
</table></div>
</section>
${coverageSection(comparison)}
${choicesSection(comparison)}
<section id="runs" aria-labelledby="runs-title">
<h2 id="runs-title">The runs</h2>
<ol class="runs">
${joinHtml(
  runs.map(
    (run) =>
      html`<li><strong>${run.label}</strong>: <code>${run.report.target.baseUrl}</code>${run.report.target.embedded ? " (the embedded reference server)" : ""}, seed ${run.report.seed}, started ${formatDate(run.report.startedAt)}, ${formatCount(run.report.requests)} requests in ${formatDuration(run.report.durationMs)}; folder <code>${run.dir}</code>; replay: <code>${run.report.replay ?? ""}</code></li>`,
  ),
  "\n",
)}
</ol>
</section>
</main>
${pageFooter(html`Written by <code>tickets-harness report compare</code> from each run's <code>results.json</code>.`)}`;
  return htmlPage({
    title: `Tickets API conformance: ${runs.map((run) => run.label).join(" vs ")}`,
    body: page,
  });
}

/**
 * What each run exercised: its one line, then per operation the statuses answered (the
 * documented ones never answered marked as report.html marks them), per list filter the
 * queries and those with items, per transition its runs. A cell of what a run left untried
 * is marked; a row on which the runs differ so is marked on its left.
 */
function coverageSection(comparison: Comparison): SafeHtml {
  const { runs, coverage } = comparison;
  const heading = html`<h2 id="coverage-title">Coverage: what each run exercised</h2>`;
  if (!coverage) {
    return html`<section id="coverage" aria-labelledby="coverage-title">
${heading}
<p class="intro">No run recorded coverage (their results.json are older).</p>
</section>`;
  }
  const head = (first: string) =>
    html`<thead><tr><th scope="col">${first}</th>${runs.map((run) => html`<th scope="col">${run.label}</th>`)}</tr></thead>`;
  /** A row: a run's cell, "not recorded" or "not counted"; `gap` tells what it left untried. */
  const row = <T>(
    heading: HtmlValue,
    found: CoverageRow<T>,
    show: (item: T) => HtmlValue,
    gap: (item: T) => boolean,
    kind = "",
  ) => {
    const left = new Set(found.cells.filter((item) => item !== undefined).map(gap));
    const cells = found.cells.map((item, index) => {
      if (!coverage.recorded[index]) return html`<td class="muted">${NOT_RECORDED}</td>`;
      if (item === undefined) return html`<td class="muted">${NOT_COUNTED}</td>`;
      return html`<td class="${[kind, gap(item) ? "uncovered" : ""].filter(Boolean).join(" ")}">${show(item)}</td>`;
    });
    return html`<tr${left.size > 1 ? html` class="differs"` : ""}><th scope="row">${heading}</th>${cells}</tr>`;
  };
  const table = (kind: string, title: string, first: string, rows: SafeHtml[]) =>
    html`<h3 id="coverage-${kind}">${title}</h3>
<div class="table-wrap"><table class="compare coverage coverage-${kind}">
${head(first)}
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>`;
  const operations = coverage.operations.map((found) =>
    row(
      html`<code>${found.key}</code><span class="sub">${found.first.route}</span>`,
      found,
      (operation) => {
        const never = neverHtml(operation);
        return html`${answeredHtml(operation)}${never ? html`<span class="sub">never: ${never}</span>` : ""}`;
      },
      (operation) => untried(operation).length > 0,
    ),
  );
  const filters = coverage.filters.map((found) =>
    row(
      html`<code>${found.key}</code>`,
      found,
      (filter) => html`${formatCount(filter.queries)} / ${withItemsHtml(filter)}`,
      (filter) => filterNote(filter) !== "",
      "num",
    ),
  );
  const transitions = coverage.transitions.map((found) =>
    row(
      html`${found.key}<span class="sub">${transitionAnswerHtml(found.first)}</span>`,
      found,
      runsHtml,
      (transition) => transition.runs === 0,
      "num",
    ),
  );
  return html`<section id="coverage" aria-labelledby="coverage-title">
${heading}
<p class="intro">${COVERAGE_INTRO} What a run left untried is marked; a row on which the runs differ is marked on its left.</p>
<ul class="coverage-lines">
${joinHtml(
  runs.map((run) => {
    const recorded = run.report.coverage;
    return html`<li><strong>${run.label}</strong>: ${recorded ? html`<span class="coverage-line">${coverageLine(recorded)}.</span>` : html`<span class="muted">${NOT_RECORDED}</span>`}</li>`;
  }),
  "\n",
)}
</ul>
${table("statuses", "Statuses answered per operation", "operation", operations)}
${table("filters", "List filters: queries answered with a page / with items", "query parameter", filters)}
${table("transitions", "Lifecycle transitions: runs", "transition", transitions)}
</section>`;
}

/** One row per open choice any run learned, one cell per run: its side, or not seen. */
function choicesSection(comparison: Comparison): SafeHtml {
  const { runs, choices } = comparison;
  const heading = html`<h2 id="choices-title">${CHOICES_TITLE}</h2>`;
  if (!choices) {
    return html`<section id="choices" aria-labelledby="choices-title">
${heading}
<p class="intro">No run recorded its choices (their results.json are older).</p>
</section>`;
  }
  const rows = choices.rows.map((row) => {
    const sides = new Set(
      row.cells
        .filter((_, index) => choices.recorded[index])
        .map((choice) => choice?.side ?? NOT_SEEN),
    );
    const cells = row.cells.map((choice, index) => {
      if (!choices.recorded[index]) return html`<td class="muted">${NOT_RECORDED}</td>`;
      if (!choice) return html`<td class="muted">${NOT_SEEN}</td>`;
      return html`<td class="choice-side"><strong>${choice.side}</strong><span class="sub">first seen: ${choice.where}</span></td>`;
    });
    return html`<tr${sides.size > 1 ? html` class="differs"` : ""}><th scope="row">${row.key}${row.first.open ? html`<span class="sub">${prose(row.first.open)}</span>` : ""}</th>${cells}</tr>`;
  });
  return html`<section id="choices" aria-labelledby="choices-title">
${heading}
<p class="intro">${CHOICES_INTRO} One row per choice, one column per run; a row on which the runs differ is marked on its left.</p>
<div class="table-wrap"><table class="compare choices">
<thead><tr><th scope="col">choice</th>${runs.map((run) => html`<th scope="col">${run.label}</th>`)}</tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>
</section>`;
}

/** A relative link from the comparison to a run's report.html, when the run has one. */
function reportLink(runDir: string, outDir: string): string | undefined {
  if (!existsSync(join(runDir, "report.html"))) return undefined;
  const path = relative(outDir, join(runDir, "report.html")).split(sep).map(encodeURIComponent);
  // Never a scheme: a folder named "javascript:…" stays a path.
  return path[0] === ".." ? path.join("/") : `./${path.join("/")}`;
}
