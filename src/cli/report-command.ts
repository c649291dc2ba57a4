import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { readBenchFile } from "../load/bench-file.js";
import { mergeShards } from "../load/merge.js";
import { writeBenchReports } from "../report/bench/write.js";
import { comparisonHtml } from "../report/compare/html.js";
import { comparisonMarkdown, comparisonTable, runLine } from "../report/compare/markdown.js";
import { compareRuns } from "../report/compare/model.js";
import { loadRuns } from "../report/compare/read.js";
import { printVerdict, scenarioLine } from "./bench-lines.js";

interface MergeOptions {
  reportDir?: string;
  threshold: string[];
}

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
  report
    .command("merge")
    .description(
      "merge the shards of one bench run (`bench --shard I/N`, each DIR a shard's folder with bench.json) exactly: histograms added, counts summed, seconds aligned, thresholds on the merged figures; writes bench.json, summary.md, bench.html; exits as the bench would",
    )
    .argument("<dirs...>", "the N shard folders (or their bench.json files)")
    .option("--report-dir <dir>", "write the merged reports here (default: reports/<run-id>/)")
    .option(
      "--threshold <expr>",
      "a threshold for every scenario, on the merged figures (repeatable), added to the shards' own",
      collect,
      [],
    )
    .action((dirs: string[], options: MergeOptions) => {
      const shards = dirs.map((dir) => {
        const { file, report } = readBenchFile(dir);
        return { where: file, report };
      });
      const merged = mergeShards(shards, options.threshold);
      const dir = resolve(options.reportDir ?? join("reports", merged.runId));
      writeBenchReports(merged, dir);
      console.log(
        `tickets-harness report merge: ${shards.length} shards of ${merged.target.baseUrl}`,
      );
      for (const scenario of merged.scenarios) console.log(scenarioLine(scenario));
      printVerdict(merged, dir);
      process.exitCode = merged.exitCode;
    });
}
