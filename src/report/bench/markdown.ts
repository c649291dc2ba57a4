/**
 * summary.md of a bench run: the verdict first, then one row per scenario, fit for a PR
 * comment or `$GITHUB_STEP_SUMMARY`; then what broke, each broken threshold with its
 * measured value beside its limit.
 */
import { comparisonLine } from "../../load/baseline/compare.js";
import type { BenchReport, ScenarioResult } from "../../load/results.js";
import { describeThreshold } from "../../load/thresholds.js";
import { leftoversMarkdown } from "../leftovers.js";
import { baselineMarkdown, slowerThanBaseline } from "./baseline.js";
import { shardSentences } from "./shards.js";

const VERDICT: Record<BenchReport["verdict"], string> = {
  pass: "**PASS**: every scenario within its thresholds",
  fail: "**FAIL**: a threshold was broken",
  incomplete: "**INCOMPLETE**: the run did not measure everything",
};

export function benchMarkdown(report: BenchReport): string {
  const lines = [
    "# tickets-api-harness bench",
    "",
    `${verdictOf(report)}${report.incomplete ? ` (${inline(report.incomplete)})` : ""}.`,
    "",
    `Target \`${inline(report.target.baseUrl)}\`${report.target.embedded ? ` (the embedded reference server${report.target.tickets ? `, ${report.target.tickets.toLocaleString("en-US")} tickets` : ""})` : ""}; ` +
      `${report.environment.cpus} × ${inline(report.environment.cpuModel)}, Node ${report.environment.node}, load ${report.environment.loadAverage.map((value) => value.toFixed(2)).join(" ")}; seed ${report.seed}.` +
      (report.environment.sharedCores
        ? " The load generator and the target shared this machine's cores."
        : ""),
    "",
    ...shardSentences(report).flatMap((sentence) => [inline(sentence), ""]),
    "| scenario | model | p50 | p90 | p99 | p99.9 | max | req/s | errors | non-2xx | invalid | dropped | thresholds |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...report.scenarios.map(row),
  ];
  const broken = report.scenarios.filter((scenario) => scenario.verdict === "fail");
  for (const scenario of broken) {
    lines.push("", `## ${scenario.name}`);
    for (const threshold of scenario.thresholds.filter((item) => !item.passed)) {
      lines.push(`- threshold broken: \`${inline(describeThreshold(threshold))}\``);
    }
    for (const slower of slowerThanBaseline(report).filter((item) => item.name === scenario.name)) {
      for (const metric of slower.metrics)
        lines.push(`- ${inline(comparisonLine(slower.name, metric))}`);
    }
    if (scenario.incomplete) lines.push(`- incomplete: ${inline(scenario.incomplete)}`);
    for (const example of scenario.invalidExamples) {
      lines.push(
        `- invalid answer (${example.status}): ${inline(example.message)}`,
        "",
        "  ```sh",
        `  ${example.curl}`,
        "  ```",
      );
    }
  }
  const open = report.scenarios.filter((scenario) => scenario.uncorrected);
  if (open.length > 0) {
    lines.push(
      "",
      "Open-model latencies are measured from each request's intended start (coordinated omission corrected); the service time alone:",
    );
    for (const scenario of open) {
      const figures = scenario.uncorrected;
      if (figures)
        lines.push(
          `- ${scenario.name}: p50 ${ms(figures.p50Ms)}, p99 ${ms(figures.p99Ms)}, max ${ms(figures.maxMs)} (uncorrected)`,
        );
    }
  }
  lines.push(...baselineMarkdown(report));
  lines.push(...leftoversMarkdown(report.leftovers, "Left behind on the target"));
  lines.push("", "Reports: `bench.html` (charts), `bench.json` (figures and histograms).", "");
  return lines.join("\n");
}

/** A run that failed on its baseline alone says so. */
function verdictOf(report: BenchReport): string {
  const broken = report.scenarios.some((scenario) =>
    scenario.thresholds.some((threshold) => !threshold.passed),
  );
  return report.verdict === "fail" && !broken && slowerThanBaseline(report).length > 0
    ? "**FAIL**: slower than the baseline, beyond the noise"
    : VERDICT[report.verdict];
}

function row(scenario: ScenarioResult): string {
  const { latency, counts } = scenario;
  const model =
    scenario.model.kind === "closed"
      ? `closed, ${scenario.model.connections} conn.`
      : `open, ${scenario.model.rate}/s`;
  const passed = scenario.thresholds.filter((threshold) => threshold.passed).length;
  const mark = scenario.verdict === "pass" ? "✅" : "❌";
  return `| ${mark} ${inline(scenario.name)} | ${model} | ${ms(latency.p50Ms)} | ${ms(latency.p90Ms)} | ${ms(latency.p99Ms)} | ${ms(latency.p999Ms)} | ${ms(latency.maxMs)} | ${Math.round(scenario.rps).toLocaleString("en-US")} | ${counts.errors} | ${counts.non2xx} | ${counts.invalid}/${counts.validated} | ${scenario.model.kind === "open" ? counts.dropped : "–"} | ${passed}/${scenario.thresholds.length} |`;
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

/** Text for a Markdown line or table cell: no pipes, no newlines, no backquotes breaking out. */
function inline(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "'");
}
