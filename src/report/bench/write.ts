import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchReport } from "../../load/results.js";
import { redactSecrets } from "../../util/redaction.js";
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
  // The last line of defence: whatever reached a report, no registered key leaves in it.
  for (const [name, text] of files) writeFileSync(join(dir, name), redactSecrets(text));
  return files.map(([name]) => join(dir, name));
}
