/**
 * bench.html: the load test's report, one self-contained page to put in front of a team.
 * The verdict first (which thresholds broke, in which scenario), then where it ran (and a
 * plain warning when the generator and the target shared the machine's cores), an overview
 * of the scenarios, then each scenario: its latency figures, counts and statuses, its
 * thresholds (measured against limit), its charts, and the answers that broke the contract
 * as curl. Written from bench.json (`tickets-api-harness/bench@1`) alone.
 *
 * The charts: the latency distribution as a percentile plot (x: 1/(1-p) on a log scale,
 * labelled 50%, 90%, 99%, ...; y: ms, log; for an open-model scenario the corrected and the
 * uncorrected curve together, each threshold drawn at its percentile and limit), throughput
 * and latency (p50, p99) second by second, and for list-deep-pages the latency against
 * pageNumber (log). The histograms are decoded here, in Node, when the page is built; the
 * browser gets the curves' points only, never hdr-histogram-js.
 *
 * Why uPlot, and not hand-made SVG: four kinds of chart with log axes, legends, a cursor
 * that reads exact values and drag-to-zoom is the part of charting that is easy to get
 * subtly wrong (log ticks, label collisions, hit testing, HiDPI canvases) and dull to keep;
 * uPlot (MIT, no dependencies, ~50 KB minified, canvas) does it and is well kept, and it is
 * small enough to inline in every page. Chart.js, the alternative, is four times its size
 * for nothing this page needs. It is read from the installed package (resolved from this
 * module, so it works wherever the harness is installed) and inlined with its CSS.
 *
 * Safety: the page kit's `html` template escapes every interpolation (scenario names,
 * messages, curl, URLs and statuses are the target's or the config's text); the page's one
 * inline script is uPlot, ./charts.js and the charts' data through `scriptJson`, allowed by
 * its hash in the page's Content-Security-Policy; no text of bench.json reaches the script
 * but as JSON data, and the charts draw it on canvases or set it as text.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { metricName } from "../../load/baseline/compare.js";
import { decodeHistogram, type Histogram, percentileMs } from "../../load/histogram.js";
import type {
  BenchReport,
  DepthPoint,
  ScenarioResult,
  SecondPoint,
  ThresholdResult,
} from "../../load/results.js";
import { packageRoot } from "../../util/package-root.js";
import { type HtmlValue, html, joinHtml, type SafeHtml } from "../page/html.js";
import {
  banner,
  command,
  formatCount,
  formatDate,
  formatDuration,
  htmlPage,
  leftoversSection,
  pageFooter,
  plural,
  prose,
  scriptJson,
  stat,
  VERDICT_LABEL,
} from "../page/page.js";
import { baselineBlock, slowerThanBaseline } from "./baseline.js";
import { shardSentences } from "./shards.js";

/** Chart sizes in CSS pixels: fixed, so that every page reads the same. */
const WIDE = { width: 1040, height: 340 };
const HALF = { width: 500, height: 260 };
/** Points per decade of the percentile curve. */
const CURVE_STEPS = 24;
const INVALID_SHOWN = 5;

const COLOURS = {
  corrected: "#0a58b8",
  uncorrected: "#d4762c",
  baseline: "#6e7781",
  p50: "#0a58b8",
  p90: "#8250df",
  p99: "#cf222e",
  rps: "#1a7f37",
  failed: "#cf222e",
  pastTheEnd: "#57606a",
};

// ---------------------------------------------------------------------------------------
// The files inlined into the page, each read once per process.

const require = createRequire(import.meta.url);
const BENCH_DIR = join(packageRoot(), "src", "report", "bench");
const cache = new Map<string, string>();

function readOnce(path: string, forbidden: RegExp, where: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(path, "utf8");
    if (forbidden.test(text))
      throw new Error(`${path} holds ${forbidden}: it would end the ${where}`);
    cache.set(path, text);
  }
  return text;
}

/** uPlot's CSS and bench.css (after page.css, which htmlPage inlines in the head). */
function benchStyle(): string {
  const uplot = readOnce(require.resolve("uplot/dist/uPlot.min.css"), /<\/style/i, "style");
  const own = readOnce(join(BENCH_DIR, "bench.css"), /<\/style/i, "style");
  return `${uplot}\n${own}`;
}

/** uPlot's browser build (it defines the global `uPlot`), then ./charts.js. */
function chartCode(): string {
  const uplot = readOnce(
    require.resolve("uplot/dist/uPlot.iife.min.js"),
    /<\/script|<!--/i,
    "script",
  );
  const charts = readOnce(join(BENCH_DIR, "charts.js"), /<\/script|<!--/i, "script");
  return `${uplot}\n${charts}`;
}

let version: string | undefined;

function uplotVersion(): string {
  version ??=
    (
      JSON.parse(readFileSync(require.resolve("uplot/package.json"), "utf8")) as {
        version?: string;
      }
    ).version ?? "";
  return version;
}

// ---------------------------------------------------------------------------------------
// The page.

export function benchHtml(report: BenchReport): string {
  const charts: BrowserChart[] = [];
  const title = `${VERDICT_LABEL[report.verdict] ?? report.verdict}: Tickets API load test of ${report.target.baseUrl}`;
  const body = joinHtml(
    [
      verdictBanner(report),
      environmentBlock(report),
      html`<main>`,
      overviewSection(report),
      report.scenarios.map((scenario, index) => scenarioSection(scenario, index, charts, report)),
      leftoversSection(report.leftovers),
      html`</main>`,
      pageFooter(
        html`Written by tickets-api-harness from <code>bench.json</code> (<code>${report.format}</code>), run <code>${report.runId}</code>, exit code <code>${report.exitCode}</code>. Latencies are milliseconds, read from the run's HdrHistograms (recorded in microseconds, 3 significant digits). Charts drawn with uPlot ${uplotVersion()} (MIT), inlined in this page: hover a chart to read its values, drag across it to zoom, double-click to zoom out.`,
      ),
    ],
    "\n",
  );
  const script = `${chartCode()}\ndrawBenchCharts(uPlot, ${scriptJson(charts)});\n`;
  return htmlPage({ title, body, script, style: benchStyle() });
}

function anchor(index: number): string {
  return `scenario-${index + 1}`;
}

function brokenThresholds(report: BenchReport): [ScenarioResult, number, ThresholdResult][] {
  return report.scenarios.flatMap((scenario, index) =>
    scenario.thresholds
      .filter((threshold) => !threshold.passed)
      .map((threshold): [ScenarioResult, number, ThresholdResult] => [scenario, index, threshold]),
  );
}

function verdictBanner(report: BenchReport): SafeHtml {
  const scenarios = report.scenarios;
  const thresholds = scenarios.reduce((sum, scenario) => sum + scenario.thresholds.length, 0);
  const broken = brokenThresholds(report);
  const slower = slowerThanBaseline(report);
  const failedScenarios = new Set(broken.map(([, index]) => index)).size;
  const requests = scenarios.reduce((sum, scenario) => sum + scenario.counts.requests, 0);
  const failed = scenarios.reduce(
    (sum, scenario) => sum + scenario.counts.errors + scenario.counts.non2xx,
    0,
  );
  const invalid = scenarios.reduce((sum, scenario) => sum + scenario.counts.invalid, 0);
  let sentence: string;
  if (report.verdict === "incomplete") {
    sentence = `The run did not complete: ${report.incomplete ?? "no reason recorded"}.`;
  } else if (report.verdict === "fail") {
    sentence =
      broken.length > 0
        ? `${formatCount(broken.length)} of the ${plural(thresholds, "threshold")} broken, in ${formatCount(failedScenarios)} of the ${plural(scenarios.length, "scenario")}.`
        : slower.length > 0
          ? scenarios.length === 1
            ? "The scenario is slower than the baseline, beyond the noise."
            : `${formatCount(slower.length)} of the ${plural(scenarios.length, "scenario")} slower than the baseline, beyond the noise.`
          : `The run failed (exit code ${report.exitCode}).`;
  } else {
    sentence =
      thresholds > 0
        ? `All ${plural(scenarios.length, "scenario")} kept their ${plural(thresholds, "threshold")}.`
        : `All ${plural(scenarios.length, "scenario")} ran to their end; no threshold was set.`;
  }
  const brokenList =
    broken.length > 0
      ? html`<p class="broken">Broken: ${joinHtml(
          broken.map(
            ([scenario, index, threshold]) =>
              html`<a href="#${anchor(index)}"><code>${scenario.name}</code></a> <code>${threshold.source}</code> (measured ${metricText(threshold.metric, threshold.value)})`,
          ),
          "; ",
        )}</p>`
      : "";
  const slowerList =
    slower.length > 0
      ? html`<p class="broken">Slower than the baseline: ${joinHtml(
          slower.map(
            (item) =>
              html`<a href="#${anchor(report.scenarios.findIndex((scenario) => scenario.name === item.name))}"><code>${item.name}</code></a> ${item.metrics.map((metric) => metricName(metric.metric)).join(", ")}`,
          ),
          "; ",
        )}</p>`
      : "";
  const incomplete =
    report.incomplete && report.verdict !== "incomplete"
      ? html`<p class="broken">The run did not complete: ${report.incomplete}</p>`
      : "";
  return banner(
    report.verdict,
    "Tickets API load test (bench)",
    html`<h1><span class="visually-hidden">Verdict: </span><span class="verdict-word">${VERDICT_LABEL[report.verdict] ?? report.verdict}</span></h1>
<p class="sentence">${sentence}</p>
${brokenList}${slowerList}${incomplete}
<div class="stats">
${stat(formatCount(scenarios.length), scenarios.length === 1 ? "scenario" : "scenarios")}
${stat(`${formatCount(thresholds - broken.length)} / ${formatCount(thresholds)}`, "thresholds kept", broken.length > 0 ? "fail" : "pass")}
${stat(formatCount(requests), "requests")}
${stat(formatCount(failed), "errors + non-2xx", failed > 0 ? "fail" : "")}
${stat(formatCount(invalid), "invalid answers", invalid > 0 ? "fail" : "")}
${stat(formatDuration(report.durationMs), "duration")}
</div>
<dl class="facts">
<div><dt>Target</dt><dd><code>${report.target.baseUrl}</code>${report.target.embedded ? " (the embedded reference server)" : ""}</dd></div>
<div><dt>Seed</dt><dd><code>${report.seed}</code></dd></div>
<div><dt>Started</dt><dd><time datetime="${report.startedAt}">${formatDate(report.startedAt)}</time></dd></div>
<div><dt>Run id</dt><dd><code>${report.runId}</code></dd></div>
</dl>`,
  );
}

function environmentBlock(report: BenchReport): SafeHtml {
  const env = report.environment;
  const load = env.loadAverage.map((value) => value.toFixed(2)).join(" / ");
  const tickets =
    report.target.tickets !== undefined ? `, ${plural(report.target.tickets, "ticket")}` : "";
  const target = html`target <code>${report.target.baseUrl}</code>${report.target.embedded ? ` (the embedded reference server${tickets})` : tickets ? ` (${tickets.slice(2)})` : ""}`;
  const shared = env.sharedCores
    ? html`<p class="shared"><strong>Generator and target shared this machine's ${plural(env.cpus, "core")}.</strong> The target ran on the same machine as the load generator (loopback), so the two competed for the same CPUs: every figure here measures both together. Compare it with runs made the same way on this machine, not with the target's capacity on a machine of its own.</p>`
    : "";
  const first = env.loadAverage[0] ?? 0;
  const busy =
    env.cpus > 0 && first >= env.cpus / 2
      ? html`<p class="shared">The machine was already busy when the run started (1-minute load average ${first.toFixed(2)} on ${plural(env.cpus, "core")}): its figures may be slower than an idle machine's.</p>`
      : "";
  return html`<section class="environment" aria-label="Where it ran">
<p><strong>Measured on</strong> ${env.cpuModel} · ${plural(env.cpus, "core")} · load average ${load} <span class="muted">(1, 5, 15 min, at the start)</span> · Node <code>${env.node}</code> · ${env.platform} · ${target}</p>
${shared}${busy}${shardSentences(report).map((sentence) => html`<p class="shards">${sentence}</p>`)}
</section>`;
}

function overviewSection(report: BenchReport): SafeHtml {
  const rows = report.scenarios.map((scenario, index) => {
    const failed = scenario.counts.errors + scenario.counts.non2xx;
    const kept = scenario.thresholds.filter((threshold) => threshold.passed).length;
    return html`<tr>
<th scope="row"><a href="#${anchor(index)}"><code>${scenario.name}</code></a></th>
<td>${modelShort(scenario)}</td>
<td><span class="badge badge-${scenario.verdict === "pass" ? "pass" : "fail"}">${scenario.verdict === "pass" ? "✓ pass" : "✗ fail"}</span></td>
<td class="num">${rpsText(scenario.rps)}</td>
<td class="num">${msText(scenario.latency.p50Ms)}</td>
<td class="num">${msText(scenario.latency.p99Ms)}</td>
<td class="num">${msText(scenario.latency.p999Ms)}</td>
<td class="num">${msText(scenario.latency.maxMs)}</td>
<td class="num">${formatCount(failed)}</td>
<td class="num">${formatCount(scenario.counts.invalid)}</td>
<td class="num">${formatCount(kept)} / ${formatCount(scenario.thresholds.length)}</td>
</tr>`;
  });
  return html`<section id="overview" aria-labelledby="overview-title">
<h2 id="overview-title">Scenarios at a glance</h2>
<p class="intro">Latencies in milliseconds; for an open-model scenario, from each request's intended start (see its section for the service time).</p>
<div class="table-wrap"><table class="overview">
<thead><tr><th scope="col">scenario</th><th scope="col">load model</th><th scope="col">verdict</th><th scope="col" class="num">req/s</th><th scope="col" class="num">p50</th><th scope="col" class="num">p99</th><th scope="col" class="num">p99.9</th><th scope="col" class="num">max</th><th scope="col" class="num">errors + non-2xx</th><th scope="col" class="num">invalid</th><th scope="col" class="num">thresholds kept</th></tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>
</section>`;
}

function modelShort(scenario: ScenarioResult): string {
  const { model } = scenario;
  return model.kind === "open"
    ? `open, ${formatCount(model.rate)} req/s`
    : `closed, ${plural(model.connections, "connection")}`;
}

function scenarioSection(
  scenario: ScenarioResult,
  index: number,
  charts: BrowserChart[],
  report: BenchReport,
): SafeHtml {
  const id = anchor(index);
  const { model, settings } = scenario;
  const modelText =
    model.kind === "open"
      ? html`<strong>Open model</strong>: ${formatCount(model.rate)} requests/s started on a fixed schedule whether or not answers came, at most ${formatCount(model.maxInFlight)} in flight (past that, a due request is dropped). Latency is counted from each request's <em>intended</em> start, so a stall shows in it (coordinated omission corrected); the service time, from when each was actually sent, is shown beside it.`
      : html`<strong>Closed model</strong>: ${plural(model.connections, "connection")}, each sending its next request as soon as its last answer came. Latency is the service time.`;
  return html`<section class="scenario scenario-${scenario.verdict === "pass" ? "pass" : "fail"}" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title"><code>${scenario.name}</code> <span class="badge badge-${scenario.verdict === "pass" ? "pass" : "fail"}">${scenario.verdict === "pass" ? "✓ pass" : "✗ fail"}</span></h2>
<p class="intro">${prose(scenario.description)}</p>
<p class="model">${modelText}</p>
<p class="muted model">${formatCount(settings.durationSeconds)} s measured after ${formatCount(settings.warmupSeconds)} s of warm-up · ${percentText(settings.validateSample)} of the answers validated against the contract · seed <code>${settings.seed}</code></p>
${scenario.incomplete ? html`<p class="incomplete-note">Did not run to its end: ${scenario.incomplete}</p>` : ""}
<h3>Latency</h3>
${figuresTable(scenario)}
${countsBlock(scenario)}
<h3>Thresholds</h3>
${thresholdsTable(scenario.thresholds)}
${baselineBlock(report, scenario.name)}
<h3>Charts</h3>
${chartsBlock(scenario, index, charts, baselineCurveOf(report, scenario.name))}
${depthTable(scenario.depth)}
${labelsTable(scenario)}
${invalidBlock(scenario)}
</section>`;
}

function figuresTable(scenario: ScenarioResult): SafeHtml {
  const row = (label: HtmlValue, figures: ScenarioResult["latency"]) =>
    html`<tr><th scope="row">${label}</th><td class="num">${msText(figures.p50Ms)}</td><td class="num">${msText(figures.p90Ms)}</td><td class="num">${msText(figures.p99Ms)}</td><td class="num">${msText(figures.p999Ms)}</td><td class="num">${msText(figures.maxMs)}</td><td class="num">${msText(figures.meanMs)}</td><td class="num">${formatCount(figures.count)}</td></tr>`;
  const open = scenario.model.kind === "open";
  const rows = [
    row(open ? "from intended start (corrected)" : "service time", scenario.latency),
    open && scenario.uncorrected
      ? row("service time (uncorrected)", scenario.uncorrected)
      : undefined,
  ];
  return html`<div class="table-wrap"><table class="figures">
<thead><tr><th scope="col">ms</th><th scope="col" class="num">p50</th><th scope="col" class="num">p90</th><th scope="col" class="num">p99</th><th scope="col" class="num">p99.9</th><th scope="col" class="num">max</th><th scope="col" class="num">mean</th><th scope="col" class="num">answers</th></tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>`;
}

function countsBlock(scenario: ScenarioResult): SafeHtml {
  const { counts } = scenario;
  const tile = (label: string, value: HtmlValue, bad = false) =>
    html`<div class="tile${bad ? " tile-bad" : ""}"><dt>${label}</dt><dd>${value}</dd></div>`;
  const tiles: HtmlValue[] = [
    tile("req/s", rpsText(scenario.rps)),
    tile("requests", formatCount(counts.requests)),
    tile("2xx", formatCount(counts.ok)),
    tile("non-2xx", formatCount(counts.non2xx), counts.non2xx > 0),
    tile("errors", formatCount(counts.errors), counts.errors > 0),
    tile(
      "invalid",
      html`${formatCount(counts.invalid)} <span class="of">of ${formatCount(counts.validated)} validated</span>`,
      counts.invalid > 0,
    ),
  ];
  if (scenario.model.kind === "open") {
    tiles.push(
      tile("dropped", formatCount(counts.dropped), counts.dropped > 0),
      tile("late", formatCount(counts.late), counts.late > 0),
    );
  }
  const statuses = Object.entries(scenario.statuses).sort(([a], [b]) => a.localeCompare(b));
  return html`<dl class="tiles">
${joinHtml(tiles, "\n")}
</dl>
<p class="statuses">Statuses: ${
    statuses.length > 0
      ? joinHtml(
          statuses.map(
            ([status, count]) =>
              html`<span class="status${/^[1-5]\d\d$/.test(status) ? ` status-${status[0]}xx` : ""}">${status}</span> × ${formatCount(count)}`,
          ),
          " · ",
        )
      : html`<span class="muted">no answer</span>`
  }</p>`;
}

function thresholdsTable(thresholds: ThresholdResult[]): SafeHtml {
  if (thresholds.length === 0)
    return html`<p class="muted">No threshold was set for this scenario.</p>`;
  const origin: Record<ThresholdResult["origin"], string> = {
    scenario: "the scenario",
    config: "the config",
    flag: "--threshold",
  };
  const rows = thresholds.map(
    (threshold) =>
      html`<tr${threshold.passed ? "" : html` class="broken"`}><th scope="row"><code>${threshold.source}</code></th><td class="muted">${origin[threshold.origin] ?? threshold.origin}</td><td class="num">${metricText(threshold.metric, threshold.value)}</td><td class="num">${threshold.operator} ${metricText(threshold.metric, threshold.limit)}</td><td><span class="badge badge-${threshold.passed ? "pass" : "fail"}">${threshold.passed ? "✓ kept" : "✗ broken"}</span></td></tr>`,
  );
  return html`<div class="table-wrap"><table class="thresholds">
<thead><tr><th scope="col">threshold</th><th scope="col">from</th><th scope="col" class="num">measured</th><th scope="col" class="num">limit</th><th scope="col">verdict</th></tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>`;
}

function invalidBlock(scenario: ScenarioResult): HtmlValue {
  const { counts, invalidExamples } = scenario;
  if (counts.invalid === 0 && invalidExamples.length === 0) return "";
  const shown = invalidExamples.slice(0, INVALID_SHOWN);
  const items = shown.map(
    (example) =>
      html`<li><p class="finding-message">${prose(example.message)}</p>
<p class="label">Answer: <span class="status${example.status >= 100 && example.status < 600 ? ` status-${Math.floor(example.status / 100)}xx` : ""}">${example.status}</span>; the request:</p>
${command(example.curl)}</li>`,
  );
  return html`<h3>Answers that broke the contract</h3>
<p class="intro">${formatCount(counts.invalid)} of the ${plural(counts.validated, "answer")} validated broke the contract${shown.length < counts.invalid ? `; the first ${formatCount(shown.length)} shown` : ""}. Each request as curl (the API key is read from <code>$TICKETS_API_KEY</code>):</p>
${items.length > 0 ? html`<ol class="invalid">\n${joinHtml(items, "\n")}\n</ol>` : html`<p class="muted">bench.json keeps no example.</p>`}`;
}

function depthTable(depth: DepthPoint[] | undefined): HtmlValue {
  if (!depth || depth.length === 0) return "";
  const rows = [...depth]
    .sort((a, b) => a.pageNumber - b.pageNumber)
    .map(
      (point) =>
        html`<tr><th scope="row" class="num">${formatCount(point.pageNumber)}</th><td class="num">${formatCount(point.requests)}</td><td class="num">${msText(point.p50Ms)}</td><td class="num">${msText(point.p90Ms)}</td><td class="num">${msText(point.p99Ms)}</td><td class="num">${msText(point.maxMs)}</td><td>${point.pastTheEnd ? "past the end (an empty page)" : ""}</td></tr>`,
    );
  return html`<details class="depth-table"><summary>Latency per page depth (${plural(depth.length, "depth")})</summary>
<div class="table-wrap"><table class="figures">
<thead><tr><th scope="col" class="num">pageNumber</th><th scope="col" class="num">requests</th><th scope="col" class="num">p50 ms</th><th scope="col" class="num">p90 ms</th><th scope="col" class="num">p99 ms</th><th scope="col" class="num">max ms</th><th scope="col"></th></tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>
</details>`;
}

/** Per label a scenario gave its requests (the mixed scenario: per operation). */
function labelsTable(scenario: ScenarioResult): HtmlValue {
  // The page depths have their own table and chart.
  if (!scenario.labels || scenario.labels.length === 0 || scenario.depth) return "";
  const rows = [...scenario.labels]
    .sort((a, b) => b.requests - a.requests)
    .map((point) => {
      const statuses = Object.entries(point.statuses)
        .map(([status, count]) => `${status} × ${formatCount(count)}`)
        .join(", ");
      return html`<tr><th scope="row"><code>${point.label}</code></th><td class="num">${formatCount(point.requests)}</td><td class="num">${msText(point.p50Ms)}</td><td class="num">${msText(point.p99Ms)}</td><td class="num">${msText(point.maxMs)}</td><td>${statuses}</td></tr>`;
    });
  return html`<h3>By operation</h3>
<div class="table-wrap"><table class="figures">
<thead><tr><th scope="col">requests labelled</th><th scope="col" class="num">requests</th><th scope="col" class="num">p50 ms</th><th scope="col" class="num">p99 ms</th><th scope="col" class="num">max ms</th><th scope="col">statuses</th></tr></thead>
<tbody>
${joinHtml(rows, "\n")}
</tbody>
</table></div>`;
}

// ---------------------------------------------------------------------------------------
// The charts: their data for ./charts.js, and their place in the page.

/** One chart as ./charts.js draws it. Its text (labels, legends) is the page's own. */
export interface BrowserChart {
  /** The id of its slot in the page. */
  id: string;
  width: number;
  height: number;
  x: {
    kind: "percentile" | "linear" | "log";
    label: string;
    /** The x series' name in the legend. */
    legend: string;
    min: number;
    max: number;
  };
  y: { label: string; unit: string; log: boolean; range: [number, number] };
  xs: number[];
  series: {
    label: string;
    colour: string;
    dash?: number[];
    width?: number;
    /** False: points only (default: a line). */
    line?: boolean;
    points?: boolean;
    values: (number | null)[];
  }[];
  /**
   * Thresholds: a dashed line at `y` up to `x` (across, when null), with its text above it,
   * or `below` it for a lower bound (rps>=500), where the data should be above.
   */
  marks: { x: number | null; y: number; label: string; passed: boolean; below?: boolean }[];
  notes: { x: number; y: number; text: string }[];
}

function chartFigure(
  chart: BrowserChart | undefined,
  charts: BrowserChart[],
  title: string,
  note: HtmlValue,
  empty: string,
): SafeHtml {
  if (!chart) {
    return html`<figure class="chart"><figcaption><span class="chart-title">${title}</span></figcaption><p class="muted">${empty}</p></figure>`;
  }
  charts.push(chart);
  return html`<figure class="chart" data-chart="${chart.id}"><figcaption><span class="chart-title">${title}</span><span class="chart-note">${note}</span></figcaption><div class="chart-slot" id="${chart.id}">The chart is drawn by the page's script (JavaScript); its figures are in the tables above.</div></figure>`;
}

/** The baseline's latency histogram for a scenario's percentile chart, with its label. */
interface BaselineCurve {
  histogram: Histogram;
  label: string;
}

function baselineCurveOf(report: BenchReport, name: string): BaselineCurve | undefined {
  const comparison = report.baseline;
  const histogram = decoded(comparison?.scenarios.find((item) => item.name === name)?.histogram);
  if (!comparison || !histogram) return undefined;
  return { histogram, label: `baseline (${formatDate(comparison.savedAt)})` };
}

function chartsBlock(
  scenario: ScenarioResult,
  index: number,
  charts: BrowserChart[],
  baseline?: BaselineCurve,
): SafeHtml {
  const prefix = `chart-${index + 1}`;
  const open = scenario.model.kind === "open";
  const latencyNote = open
    ? html`Each point: the latency that share of the answers stayed under. <strong>Corrected</strong> counts from each request's intended start, <strong>uncorrected</strong> from when it was sent; a gap between the two is time spent waiting to be sent.`
    : html`Each point: the latency that share of the answers stayed under (a flat curve that shoots up at the right is a tail).`;
  const thresholdNote = scenario.thresholds.some(
    (threshold) => latencyPercentile(threshold.metric) !== undefined,
  )
    ? html` A latency threshold is the dashed line: the curve must stay under it up to its diamond.`
    : "";
  const baselineNote = baseline
    ? html` The grey dotted curve is the baseline's, for comparison (its verdicts are in the table above).`
    : "";
  const figures: SafeHtml[] = [
    chartFigure(
      percentileChart(scenario, `${prefix}-percentiles`, baseline),
      charts,
      "Latency by percentile",
      html`${latencyNote}${thresholdNote}${baselineNote} Both axes are log scales.`,
      "No answer was recorded: no latency to chart.",
    ),
    chartFigure(
      throughputChart(scenario, `${prefix}-throughput`),
      charts,
      "Throughput, second by second",
      html`Requests per second after the warm-up, on whole seconds of the wall clock (so the first and the last are partial), and those that failed (errors and non-2xx answers).`,
      "No second was recorded.",
    ),
    chartFigure(
      latencyOverTimeChart(scenario, `${prefix}-latency-over-time`),
      charts,
      "Latency, second by second",
      html`The p50 and p99 of each second${open ? ", from the intended start" : ""} (log scale).`,
      "No second was recorded.",
    ),
  ];
  if (scenario.depth && scenario.depth.length > 0) {
    figures.push(
      chartFigure(
        depthChart(scenario.depth, `${prefix}-depth`),
        charts,
        "Latency against page depth",
        html`p50, p90 and p99 of the answers at each <code>pageNumber</code> (log scale): how the cost of a page grows with its offset.`,
        "No page depth was recorded.",
      ),
    );
  }
  return html`<div class="charts">\n${joinHtml(figures, "\n")}\n</div>`;
}

/** The percentile of a latency threshold's metric (100 for max), or undefined. */
function latencyPercentile(metric: string): number | undefined {
  if (metric === "max") return 100;
  const match = /^p(\d+(?:\.\d+)?)$/.exec(metric);
  return match ? Number(match[1]) : undefined;
}

function decoded(base64: string | undefined): Histogram | undefined {
  if (base64 === undefined || base64 === "") return undefined;
  try {
    const histogram = decodeHistogram(base64);
    return histogram.totalCount > 0 ? histogram : undefined;
  } catch {
    return undefined;
  }
}

function percentileChart(
  scenario: ScenarioResult,
  id: string,
  baseline?: BaselineCurve,
): BrowserChart | undefined {
  const corrected = decoded(scenario.histograms.latency);
  if (!corrected) return undefined;
  const uncorrected =
    scenario.model.kind === "open" ? decoded(scenario.histograms.uncorrected) : undefined;
  const count = Math.max(
    corrected.totalCount,
    uncorrected?.totalCount ?? 0,
    baseline?.histogram.totalCount ?? 0,
  );
  // Up to the decade that holds 1/(1-p) of the last answer: 99.9% for 1,000 answers.
  const decades = Math.min(6, Math.max(2, Math.ceil(Math.log10(count))));
  const xMax = 10 ** decades;
  const xs: number[] = [];
  for (let step = 0; step <= decades * CURVE_STEPS; step++) xs.push(10 ** (step / CURVE_STEPS));
  const curve = (histogram: Histogram) =>
    xs.map((x) => positive(percentileMs(histogram, Math.min(100, 100 * (1 - 1 / x)))));
  const open = scenario.model.kind === "open";
  const series: BrowserChart["series"] = [
    {
      label: open ? "corrected (from intended start)" : "latency (service time)",
      colour: COLOURS.corrected,
      width: 2.5,
      values: curve(corrected),
    },
  ];
  if (uncorrected) {
    series.push({
      label: "uncorrected (from send)",
      colour: COLOURS.uncorrected,
      dash: [8, 5],
      values: curve(uncorrected),
    });
  }
  if (baseline) {
    series.push({
      label: baseline.label,
      colour: COLOURS.baseline,
      dash: [2, 4],
      width: 2,
      values: curve(baseline.histogram),
    });
  }
  const marks = scenario.thresholds.flatMap((threshold) => {
    const percentile = latencyPercentile(threshold.metric);
    if (percentile === undefined || !(threshold.limit > 0)) return [];
    const x = percentile >= 100 ? xMax : Math.min(xMax, 1 / (1 - percentile / 100));
    return [
      {
        x,
        y: threshold.limit,
        label: `${threshold.metric} ${threshold.operator} ${msText(threshold.limit)} ms`,
        passed: threshold.passed,
        below: threshold.operator.startsWith(">"),
      },
    ];
  });
  return {
    id,
    ...WIDE,
    x: {
      kind: "percentile",
      label: "percentile (log scale of 1 / (1 − p))",
      legend: "percentile",
      min: 1,
      max: xMax,
    },
    y: {
      label: "latency, ms (log scale)",
      unit: "ms",
      log: true,
      range: logRange([...series.flatMap((s) => s.values), ...marks.map((mark) => mark.y)]),
    },
    xs,
    series,
    marks,
    notes: [],
  };
}

function sortedSeconds(points: SecondPoint[]): SecondPoint[] {
  return [...points].sort((a, b) => a.second - b.second);
}

function secondsAxis(points: SecondPoint[]): BrowserChart["x"] {
  const first = points[0]?.second ?? 0;
  const last = points[points.length - 1]?.second ?? 1;
  return {
    kind: "linear",
    label: "second of the run (after the warm-up)",
    legend: "second",
    min: Math.min(first, last - 1),
    max: Math.max(last, first + 1),
  };
}

function throughputChart(scenario: ScenarioResult, id: string): BrowserChart | undefined {
  const points = sortedSeconds(scenario.perSecond);
  if (points.length === 0) return undefined;
  const rps = points.map((point) => point.requests);
  const failed = points.map((point) => point.errors + point.non2xx);
  const marks = scenario.thresholds
    .filter((threshold) => threshold.metric === "rps")
    .map((threshold) => ({
      x: null,
      y: threshold.limit,
      label: `rps ${threshold.operator} ${rpsText(threshold.limit)}`,
      passed: threshold.passed,
      below: threshold.operator.startsWith(">"),
    }));
  const top = Math.max(1, ...rps, ...failed, ...marks.map((mark) => mark.y));
  return {
    id,
    ...HALF,
    x: secondsAxis(points),
    y: { label: "requests per second", unit: "req/s", log: false, range: [0, niceCeil(top * 1.1)] },
    xs: points.map((point) => point.second),
    series: [
      { label: "requests/s", colour: COLOURS.rps, values: rps },
      { label: "failed/s (errors + non-2xx)", colour: COLOURS.failed, width: 1.5, values: failed },
    ],
    marks,
    notes: [],
  };
}

function latencyOverTimeChart(scenario: ScenarioResult, id: string): BrowserChart | undefined {
  const points = sortedSeconds(scenario.perSecond);
  if (points.length === 0) return undefined;
  const p50 = points.map((point) => positive(point.p50Ms));
  const p99 = points.map((point) => positive(point.p99Ms));
  if (![...p50, ...p99].some((value) => value !== null)) return undefined;
  return {
    id,
    ...HALF,
    x: secondsAxis(points),
    y: {
      label: "latency, ms (log scale)",
      unit: "ms",
      log: true,
      range: logRange([...p50, ...p99]),
    },
    xs: points.map((point) => point.second),
    series: [
      { label: "p50", colour: COLOURS.p50, values: p50 },
      { label: "p99", colour: COLOURS.p99, values: p99 },
    ],
    marks: [],
    notes: [],
  };
}

function depthChart(depth: DepthPoint[], id: string): BrowserChart | undefined {
  const points = depth
    .filter((point) => point.pageNumber > 0)
    .sort((a, b) => a.pageNumber - b.pageNumber);
  if (points.length === 0) return undefined;
  const first = (points[0] as DepthPoint).pageNumber;
  const last = (points[points.length - 1] as DepthPoint).pageNumber;
  let min = 10 ** Math.floor(Math.log10(first));
  let max = 10 ** Math.ceil(Math.log10(last));
  if (max <= min) max = min * 10;
  if (first === min && min > 1) min /= 10;
  const top = Math.max(0.001, ...points.map((point) => point.p99Ms));
  return {
    id,
    ...WIDE,
    height: 300,
    x: { kind: "log", label: "pageNumber (log scale)", legend: "pageNumber", min, max },
    y: { label: "latency, ms", unit: "ms", log: false, range: [0, niceCeil(top * 1.15)] },
    xs: points.map((point) => point.pageNumber),
    // The page past the end is an empty answer, not a deeper page: a point of its own, off the lines.
    series: [
      depthSeries("p50", COLOURS.p50, points, (point) => point.p50Ms),
      depthSeries("p90", COLOURS.p90, points, (point) => point.p90Ms),
      depthSeries("p99", COLOURS.p99, points, (point) => point.p99Ms),
      ...(points.some((point) => point.pastTheEnd)
        ? [
            {
              label: "past the end (an empty page), p99",
              colour: COLOURS.pastTheEnd,
              line: false,
              points: true,
              values: points.map((point) => (point.pastTheEnd ? point.p99Ms : null)),
            },
          ]
        : []),
    ],
    marks: [],
    notes: points
      .filter((point) => point.pastTheEnd)
      .map((point) => ({ x: point.pageNumber, y: point.p99Ms, text: "past the end" })),
  };
}

function depthSeries(
  label: string,
  colour: string,
  points: DepthPoint[],
  value: (point: DepthPoint) => number,
): BrowserChart["series"][number] {
  return {
    label,
    colour,
    points: true,
    values: points.map((point) => (point.pastTheEnd ? null : value(point))),
  };
}

function positive(value: number): number | null {
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** Whole decades around the values (a log axis reads best from power to power of ten). */
function logRange(values: (number | null)[]): [number, number] {
  const shown = values.filter((value): value is number => value !== null && value > 0);
  if (shown.length === 0) return [0.1, 10];
  const low = 10 ** Math.floor(Math.log10(Math.min(...shown)));
  let high = 10 ** Math.ceil(Math.log10(Math.max(...shown)));
  if (high <= low) high = low * 10;
  return [low, high];
}

/** 1, 2, 2.5, 5 times a power of ten, at or above the value. */
function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * power >= value) ?? 10;
  return step * power;
}

// ---------------------------------------------------------------------------------------
// Numbers as the page shows them.

/** `0.183`, `2.45`, `24.5`, `245`, `1,234`: milliseconds to three significant digits. */
export function msText(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms === 0) return "0";
  if (ms >= 100) return formatCount(Math.round(ms));
  return Number(ms.toPrecision(3)).toString();
}

function rpsText(rps: number): string {
  if (!Number.isFinite(rps)) return "–";
  return rps >= 100 ? formatCount(Math.round(rps)) : rps.toFixed(1);
}

function percentText(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}

/** A threshold's value or limit in its metric's unit. */
function metricText(metric: string, value: number): string {
  if (/^(?:p\d+(?:\.\d+)?|max|mean)$/.test(metric)) return `${msText(value)} ms`;
  if (metric === "rps") return `${rpsText(value)} req/s`;
  return formatCount(value);
}
