/** Writes a run's reports into its folder: results.json, junit.xml, summary.md, report.html. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../checks/results.js";
import { redactSecrets } from "../util/redaction.js";
import { htmlReport } from "./html.js";
import { junitXml } from "./junit.js";
import { markdownSummary } from "./markdown.js";

export function writeReports(report: RunReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ["results.json", `${JSON.stringify(report, null, 2)}\n`],
    ["junit.xml", junitXml(report)],
    ["summary.md", markdownSummary(report)],
    ["report.html", htmlReport(report)],
  ];
  // The last line of defence: whatever reached a report, no registered key leaves in it.
  for (const [name, text] of files) writeFileSync(join(dir, name), redactSecrets(text));
  return files.map(([name]) => join(dir, name));
}
