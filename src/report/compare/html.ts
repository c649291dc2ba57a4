/**
 * comparison.html: the comparison as a page of the kit (../page/), every cell linking to the
 * check's row in that run's report.html when the run folder has one. Labels, targets,
 * folders and messages are the runs' text, read from their results.json: the `html`
 * template escapes each of them.
 */
import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { checkAnchor } from "../html.js";
import { html, joinHtml } from "../page/html.js";
import {
  banner,
  formatCount,
  formatDate,
  formatDuration,
  htmlPage,
  pageFooter,
  sourceBadge,
  VERDICT_LABEL,
  verdictBadge,
} from "../page/page.js";
// The verdict row shows the words of the Markdown table's (without their parentheses).
import { runTally, shortDate } from "./markdown.js";
import type { Comparison } from "./model.js";

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

/** A relative link from the comparison to a run's report.html, when the run has one. */
function reportLink(runDir: string, outDir: string): string | undefined {
  if (!existsSync(join(runDir, "report.html"))) return undefined;
  const path = relative(outDir, join(runDir, "report.html")).split(sep).map(encodeURIComponent);
  // Never a scheme: a folder named "javascript:…" stays a path.
  return path[0] === ".." ? path.join("/") : `./${path.join("/")}`;
}
