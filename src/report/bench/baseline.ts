/**
 * The baseline comparison in the reports (`bench --baseline FILE`): for summary.md and
 * bench.html, per scenario a table of metric | baseline | now | change | verdict, and what
 * the verdicts mean (the noise model and its settings), from `report.baseline` alone.
 */
import {
  type BaselineComparison,
  changeText,
  figureText,
  type MetricComparison,
  metricName,
  pText,
  type ScenarioComparison,
  verdictText,
} from "../../load/baseline/compare.js";
import type { BenchReport } from "../../load/results.js";
import { html, joinHtml, type SafeHtml } from "../page/html.js";
import { formatDate } from "../page/page.js";

/** How the verdicts were reached, in one sentence. */
export function noiseSentence(comparison: BaselineComparison): string {
  const rounds = comparison.scenarios.find((item) => item.verdict !== "not compared")?.rounds;
  const roundsText = rounds
    ? rounds.baseline === rounds.now
      ? `${rounds.now} rounds each`
      : `${rounds.baseline} and ${rounds.now} rounds`
    : "the rounds";
  return `A change is a verdict (slower or faster) only when the per-round values of the baseline and of this run differ at p ≤ ${comparison.alpha} (one-sided Mann–Whitney U test, ${roundsText}) and the whole-run figures differ by more than ${comparison.minEffectPct}% (the worse at least ${1 + comparison.minEffectPct / 100} times the better) and, for a latency, by more than ${comparison.minEffectMs} ms; otherwise it is the same within the noise.`;
}

function scenarioWord(item: ScenarioComparison): string {
  return item.verdict === "slower"
    ? "slower beyond the noise"
    : item.verdict === "faster"
      ? "faster beyond the noise"
      : item.verdict === "same"
        ? "the same within the noise"
        : "not compared";
}

// ---------------------------------------------------------------------------------------
// summary.md

export function baselineMarkdown(report: BenchReport): string[] {
  const comparison = report.baseline;
  if (!comparison) return [];
  const lines = [
    "",
    "## Against the baseline",
    "",
    `Baseline \`${inline(comparison.file)}\` (saved ${inline(comparison.savedAt)}, run \`${inline(comparison.runId)}\`). ${noiseSentence(comparison)}`,
  ];
  if (comparison.note) lines.push("", `Note: ${inline(comparison.note)}.`);
  for (const item of comparison.scenarios) {
    lines.push(
      "",
      `### ${item.verdict === "slower" ? "❌" : "✅"} ${inline(item.name)}: ${scenarioWord(item)}`,
    );
    if (item.verdict === "not compared") {
      lines.push("", inline(item.note ?? "not compared"));
      continue;
    }
    lines.push("", "| metric | baseline | now | change | verdict |", "|---|---:|---:|---:|---|");
    for (const metric of item.metrics) {
      const verdict = verdictText(metric);
      lines.push(
        `| ${metricName(metric.metric)} | ${figureText(metric.baseline, metric.unit)} | ${figureText(metric.now, metric.unit)} | ${changeText(metric.changePct)} | ${metric.verdict === "same" ? verdict : `**${verdict}**`} |`,
      );
    }
  }
  return lines;
}

/** Text for a Markdown line or table cell: no pipes, no newlines, no backquotes breaking out. */
function inline(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "'");
}

// ---------------------------------------------------------------------------------------
// bench.html

const BADGE: Record<ScenarioComparison["verdict"], string> = {
  slower: "badge-fail",
  faster: "badge-pass",
  same: "badge-none",
  "not compared": "badge-warn",
};

/** The scenario's comparison in its section of bench.html, or nothing without a baseline. */
export function baselineBlock(report: BenchReport, name: string): SafeHtml | "" {
  const comparison = report.baseline;
  const item = comparison?.scenarios.find((scenario) => scenario.name === name);
  if (!comparison || !item) return "";
  const head = html`<h3>Against the baseline <span class="badge ${BADGE[item.verdict]}">${scenarioWord(item)}</span></h3>
<p class="intro">Baseline <code>${comparison.file}</code>, saved <time datetime="${comparison.savedAt}">${formatDate(comparison.savedAt)}</time> (run <code>${comparison.runId}</code>). ${noiseSentence(comparison)}</p>`;
  if (item.verdict === "not compared") {
    return html`${head}\n<p class="incomplete-note">${item.note ?? "Not compared."}</p>`;
  }
  const rows = item.metrics.map(
    (metric) =>
      html`<tr${metric.verdict === "slower" ? html` class="broken"` : ""}><th scope="row">${metricName(metric.metric)}</th><td class="num">${figureText(metric.baseline, metric.unit)}</td><td class="num">${figureText(metric.now, metric.unit)}</td><td class="num">${changeText(metric.changePct)}</td><td>${verdictCell(metric)}</td><td class="muted rounds">${roundsText(metric)}</td></tr>`,
  );
  return html`${head}
<div class="table-wrap"><table class="thresholds baseline">
<thead><tr><th scope="col">metric</th><th scope="col" class="num">baseline</th><th scope="col" class="num">now</th><th scope="col" class="num">change</th><th scope="col">verdict</th><th scope="col">per round (baseline → now)</th></tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>`;
}

function verdictCell(metric: MetricComparison): SafeHtml {
  const kind =
    metric.verdict === "slower"
      ? "badge-fail"
      : metric.verdict === "faster"
        ? "badge-pass"
        : "badge-none";
  const word = metric.verdict === "same" ? "same" : metric.verdict;
  const detail =
    metric.verdict === "same"
      ? metric.reason === "within the noise"
        ? `within noise, p=${pText(metric.p)}`
        : `${metric.reason}, p=${pText(metric.p)}`
      : `p=${pText(metric.p)}`;
  return html`<span class="badge ${kind}">${word}</span> <span class="muted">${detail}</span>`;
}

function roundsText(metric: MetricComparison): string {
  const shown = (values: number[]) =>
    values
      .map((value) =>
        metric.unit === "ms"
          ? Number(value.toPrecision(3)).toString()
          : Math.round(value).toString(),
      )
      .join(" ");
  return `${shown(metric.baselineRounds)} → ${shown(metric.nowRounds)}`;
}

/** For the banner: each scenario slower than the baseline, with its slower metrics. */
export function slowerThanBaseline(
  report: BenchReport,
): { name: string; metrics: MetricComparison[] }[] {
  return (report.baseline?.scenarios ?? [])
    .filter((item) => item.verdict === "slower")
    .map((item) => ({
      name: item.name,
      metrics: item.metrics.filter((metric) => metric.verdict === "slower"),
    }));
}
