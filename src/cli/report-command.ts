import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { comparisonHtml } from "../report/compare/html.js";
import { comparisonMarkdown, comparisonTable, runLine } from "../report/compare/markdown.js";
import { compareRuns } from "../report/compare/model.js";
import { loadRuns } from "../report/compare/read.js";

interface CompareOptions {
  label: string[];
  out?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerReportCommands(program: Command): void {
  const report = program.command("report").description("work with the reports of finished runs");
  report
    .command("compare")
    .description(
      "put several runs side by side, rule by rule (each DIR a run folder with results.json); writes comparison.md and comparison.html",
    )
    .argument("<dirs...>", "run folders, e.g. reports/<run-id>")
    .option(
      "--label <name>",
      "name the next column, e.g. the vendor (repeatable, in the order of the folders; default: the run's base URL)",
      collect,
      [],
    )
    .option("--out <dir>", "write the comparison here (default: reports/comparison-<timestamp>/)")
    .action((dirs: string[], options: CompareOptions) => {
      const runs = loadRuns(dirs, options.label);
      const comparison = compareRuns(runs);
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const out = resolve(options.out ?? join("reports", `comparison-${stamp}`));
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, "comparison.md"), comparisonMarkdown(comparison));
      writeFileSync(join(out, "comparison.html"), comparisonHtml(comparison, out));
      console.log(comparisonTable(comparison));
      console.log("");
      runs.forEach((run, index) => {
        console.log(`${index + 1}. ${runLine(run)}`);
      });
      console.log(`comparison: ${out}/ (comparison.html, comparison.md)`);
    });
}
