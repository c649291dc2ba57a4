/** What `bench` and `report merge` print of a bench report: a line per scenario, the verdict. */
import { join } from "node:path";
import type { BenchReport, ScenarioResult } from "../load/results.js";
import { describeThreshold } from "../load/thresholds.js";
import { printLeftovers } from "./leftover-lines.js";

export function scenarioLine(result: ScenarioResult): string {
  const mark = result.verdict === "pass" ? "pass" : "FAIL";
  const { latency, counts } = result;
  const broken = result.thresholds.filter((threshold) => !threshold.passed);
  const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
  const parts = [
    `p50 ${ms(latency.p50Ms)}`,
    `p99 ${ms(latency.p99Ms)}`,
    `max ${ms(latency.maxMs)}`,
    `${Math.round(result.rps).toLocaleString("en-US")} req/s`,
    `${counts.errors} errors`,
    `${counts.non2xx} non-2xx`,
    `${counts.invalid}/${counts.validated} invalid`,
    ...(result.model.kind === "open" ? [`${counts.dropped} dropped`, `${counts.late} late`] : []),
  ];
  const lines = [`  ${mark}  ${result.name}: ${parts.join(", ")}`];
  for (const threshold of broken) {
    lines.push(`        threshold broken: ${describeThreshold(threshold)}`);
  }
  if (result.incomplete) lines.push(`        incomplete: ${result.incomplete}`);
  for (const example of result.invalidExamples.slice(0, 1)) {
    lines.push(`        invalid answer: ${example.message}`, `        ${example.curl}`);
  }
  return lines.join("\n");
}

/** The lines after the scenarios: the verdict, what to know of it, where the reports are. */
export function printVerdict(report: BenchReport, dir: string): void {
  const kept = report.scenarios.filter((scenario) =>
    scenario.thresholds.every((threshold) => threshold.passed),
  ).length;
  const slower = report.baseline?.scenarios.filter((scenario) => scenario.verdict === "slower");
  const parts = [
    `${kept}/${report.scenarios.length} scenarios within their thresholds`,
    ...(slower ? [`${slower.length} slower than the baseline beyond the noise`] : []),
  ];
  const merged = report.mergedFrom ? `; merged from ${report.mergedFrom.length} shards` : "";
  console.log(
    `verdict: ${report.verdict.toUpperCase()} (${parts.join(", ")}; seed ${report.seed}${merged})`,
  );
  if (report.environment.sharedCores) {
    console.log(
      `note: the load generator and the target share ${report.mergedFrom ? "a" : "this"} machine's ${report.environment.cpus} cores`,
    );
  }
  if (report.incomplete) console.log(`incomplete: ${report.incomplete}`);
  printLeftovers(report.leftovers, join(dir, "summary.md"));
  console.log(`reports: ${dir}/ (bench.html, summary.md, bench.json)`);
}
