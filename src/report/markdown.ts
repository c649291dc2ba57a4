/**
 * summary.md: the verdict first, then the failures (rule quoted, request as curl, the
 * answer), the warnings, the documentation gaps and what the run covered. Fit for a PR
 * comment or $GITHUB_STEP_SUMMARY.
 */
import type { CheckResult, Finding } from "../checks/model.js";
import type { RunReport } from "../checks/results.js";
import { choicesMarkdown } from "./choices.js";
import { coverageMarkdown } from "./coverage.js";
import { leftoversMarkdown } from "./leftovers.js";

const VERDICT_LINE: Record<RunReport["verdict"], string> = {
  pass: "✅ **PASS**",
  fail: "❌ **FAIL**",
  incomplete: "⚠️ **INCOMPLETE**",
};
const CHECK_MARK: Record<CheckResult["verdict"], string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  warn: "⚠️ warn",
  skip: "➖ skip",
};
const FINDINGS_SHOWN = 5;

export function markdownSummary(report: RunReport): string {
  const { counts } = report;
  const lines = [
    `# Tickets API conformance: ${VERDICT_LINE[report.verdict]}`,
    "",
    `Target \`${report.target.baseUrl}\`${report.target.embedded ? " (the embedded reference server)" : ""} · ` +
      `${counts.pass} passed, ${counts.fail} failed, ${counts.warn} with warnings, ${counts.skip} skipped · ` +
      `${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s · seed ${report.seed}`,
    "",
  ];
  if (report.incomplete) lines.push(`> The run did not complete: ${report.incomplete}`, "");
  lines.push("| check | verdict | rule (source) | requests |", "|---|---|---|---|");
  for (const check of report.checks) {
    lines.push(
      `| \`${check.id}\` — ${cell(check.title)} | ${CHECK_MARK[check.verdict]} | ${cell(check.section)} (${check.source}) | ${check.passive ? "every response" : check.requests} |`,
    );
  }
  const failing = report.checks.filter((check) => check.failures.length > 0);
  if (failing.length > 0) lines.push("", "## Failures", "", ...failing.flatMap(failureSection));
  const warned = report.checks.filter((check) => check.warnings.length > 0);
  if (warned.length > 0) {
    lines.push("", "## Warnings", "");
    for (const check of warned) {
      for (const warning of unique(check.warnings).slice(0, FINDINGS_SHOWN))
        lines.push(`- \`${check.id}\`: ${warning.message}`);
      if (check.warningCount > FINDINGS_SHOWN) {
        lines.push(`- \`${check.id}\`: … ${check.warningCount} in all`);
      }
    }
  }
  const measuring = report.checks.filter((check) => check.measured);
  if (measuring.length > 0) {
    lines.push("", "## Measured", "");
    for (const check of measuring) lines.push(`- \`${check.id}\`: ${check.measured?.line}`);
  }
  lines.push(
    "",
    "## Documentation gaps: enum values observed",
    "",
    "| field | observed | not in the contract | never seen |",
    "|---|---|---|---|",
  );
  for (const gap of report.enums) {
    lines.push(
      `| \`${gap.field}\` | ${values(gap.observed)} | ${values(gap.unexpected)} | ${values(gap.unseen)} |`,
    );
  }
  lines.push(...coverageMarkdown(report.coverage));
  lines.push(...choicesMarkdown(report.choices));
  lines.push(...leftoversMarkdown(report.leftovers, "Left behind on the target"));
  lines.push("", `Replay this run: \`${report.replay}\``, "");
  return lines.join("\n");
}

function failureSection(check: CheckResult): string[] {
  const lines = [
    `### \`${check.id}\` — ${check.title}`,
    "",
    `> **${check.source === "docs" ? "Docs" : "Profile"}** (${check.section}): ${check.rule}`,
    "",
  ];
  const findings = unique(check.failures);
  for (const finding of findings.slice(0, FINDINGS_SHOWN)) lines.push(...findingLines(finding));
  if (check.failureCount > FINDINGS_SHOWN) {
    lines.push(
      `… ${check.failureCount} in all; results.json keeps the first ${check.failures.length}`,
      "",
    );
  }
  return lines;
}

function findingLines(finding: Finding): string[] {
  const lines = [`- ${finding.message}`];
  if (finding.expected !== undefined) lines.push(`  - expected: ${inline(finding.expected)}`);
  if (finding.actual !== undefined) lines.push(`  - actual: ${inline(finding.actual)}`);
  if (finding.counterexample) {
    lines.push(
      `  - counterexample: ${inline(finding.counterexample.value)}`,
      `  - replay: \`${finding.counterexample.replay}\``,
    );
  }
  if (finding.exchange) {
    const { exchange } = finding;
    lines.push("", "  ```sh", `  ${exchange.curl}`, "  ```");
    const answer =
      exchange.status === undefined
        ? `no answer: ${exchange.error}`
        : `${exchange.status} ${exchange.responseBody ?? ""}`;
    lines.push(`  answered: ${inline(answer.length > 300 ? `${answer.slice(0, 299)}…` : answer)}`);
  }
  lines.push("");
  return lines;
}

function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => !seen.has(finding.message) && seen.add(finding.message));
}

function values(list: (string | null)[]): string {
  return list.length === 0 ? "—" : list.map((value) => `\`${value}\``).join(", ");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function inline(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\n/g, " ")}\``;
}
