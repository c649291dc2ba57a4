/** JUnit XML for CI: one testcase per check, failures with their request and rule. */
import type { CheckResult, Finding } from "../checks/model.js";
import type { RunReport } from "../checks/results.js";
import { leftoverLine } from "./leftovers.js";

export function junitXml(report: RunReport): string {
  const cases = report.checks.map(testcase).join("\n");
  const failures = report.counts.fail;
  const errors = report.incomplete ? 1 : 0;
  const seconds = (report.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tickets-api-harness" tests="${report.checks.length}" failures="${failures}" errors="${errors}" time="${seconds}">`,
    `  <testsuite name="${xml(`conformance of ${report.target.baseUrl}`)}" tests="${report.checks.length}" failures="${failures}" errors="${errors}" skipped="${report.counts.skip}" time="${seconds}" timestamp="${report.startedAt}">`,
    `    <properties><property name="seed" value="${report.seed}"/><property name="replay" value="${xml(report.replay)}"/></properties>`,
    cases,
    leftoversOut(report),
    report.incomplete
      ? `    <system-err>${xml(`run incomplete: ${report.incomplete}`)}</system-err>`
      : "",
    "  </testsuite>",
    "</testsuites>",
    "",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

/**
 * What the run left on the target, with the curls that clean it, as the suite's output: it
 * is not a failure, for it breaks no rule and changes neither the verdict nor the exit code
 * (the failures of junit.xml stay those of the run), but CI shows it with the run's log.
 */
function leftoversOut(report: RunReport): string {
  if (report.leftovers.length === 0) return "";
  const lines = report.leftovers.map((leftover) => `left behind: ${leftoverLine(leftover)}`);
  return `    <system-out>${xml(lines.join("\n"))}</system-out>`;
}

function testcase(check: CheckResult): string {
  const open = `    <testcase classname="${xml(`${check.source}: ${check.section}`)}" name="${xml(`${check.id}: ${check.title}`)}" time="${(check.durationMs / 1000).toFixed(3)}">`;
  const body: string[] = [];
  if (check.verdict === "skip")
    body.push(`      <skipped message="${xml(check.skippedBecause ?? "skipped")}"/>`);
  if (check.failures.length > 0) {
    const first = check.failures[0] as Finding;
    const more = check.failureCount > 1 ? ` (and ${check.failureCount - 1} more)` : "";
    body.push(
      `      <failure message="${xml(`${first.message}${more}`)}" type="${check.source}">${xml(
        [
          `Rule (${check.source}, ${check.section}): ${check.rule}`,
          ...check.failures.map(describe),
        ].join("\n\n"),
      )}</failure>`,
    );
  }
  const out = [
    ...check.warnings.map((warning) => `warning: ${warning.message}`),
    ...(check.measured ? [`measured: ${check.measured.line}`] : []),
  ];
  if (out.length > 0) body.push(`      <system-out>${xml(out.join("\n"))}</system-out>`);
  return [open, ...body, "    </testcase>"].join("\n");
}

function describe(finding: Finding): string {
  const lines = [finding.message];
  if (finding.expected !== undefined) lines.push(`expected: ${finding.expected}`);
  if (finding.actual !== undefined) lines.push(`actual: ${finding.actual}`);
  if (finding.exchange) {
    lines.push(`request: ${finding.exchange.curl}`);
    lines.push(
      `response: ${finding.exchange.status ?? finding.exchange.error} ${finding.exchange.responseBody ?? ""}`,
    );
  }
  if (finding.counterexample) lines.push(`replay: ${finding.counterexample.replay}`);
  return lines.join("\n");
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      // Characters XML 1.0 cannot hold at all.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what this removes
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
  );
}
