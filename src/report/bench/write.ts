import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchReport } from "../../load/results.js";
import { benchHtml } from "./html.js";
import { benchMarkdown } from "./markdown.js";

/** Writes bench.json, summary.md and bench.html into `dir`; returns their paths. */
export function writeBenchReports(report: BenchReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ["bench.json", `${JSON.stringify(report, null, 2)}\n`],
    ["summary.md", benchMarkdown(report)],
    ["bench.html", benchHtml(report)],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
