/**
 * `tickets-harness report compare DIR...`, run as a user runs it (the built CLI): two run
 * folders written by writeReports side by side, rule by rule, in suite order.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckInfo, CheckResult, Finding, Verdict } from "../../src/checks/model.js";
import { allChecks } from "../../src/checks/registry.js";
import { countVerdicts, type EnumObservation, type RunReport } from "../../src/checks/results.js";
import { writeReports } from "../../src/report/write-reports.js";
import { ROOT, runCli } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "report-compare-"));
const runA = join(work, "vendor-a-run");
const runB = join(work, "vendor-b-run");
const SUITE = allChecks();

function finding(checkId: string, n: number): Finding {
  return {
    checkId,
    message: `finding ${n} of ${checkId}`,
    exchange: {
      curl: `curl -sS -X GET 'http://a.test/api/v1/tickets/details?status=ongoing' -H "authorization: $TICKETS_API_KEY"`,
      method: "GET",
      url: "http://a.test/api/v1/tickets/details?status=ongoing",
      status: 200,
      responseBody: "[]",
      durationMs: 3,
    },
  };
}

function result(info: CheckInfo, verdict: Verdict = "pass", failureCount = 0): CheckResult {
  const failures = Array.from({ length: Math.min(failureCount, 3) }, (_, n) =>
    finding(info.id, n + 1),
  );
  return {
    ...info,
    verdict,
    failures,
    warnings: [],
    failureCount,
    warningCount: 0,
    requests: 10,
    meaningfulRequests: 10,
    durationMs: 5,
  };
}

function gaps(unexpected: string[]): EnumObservation[] {
  const expected = ["pending", "ongoing", "completed"];
  // A run that saw something unexpected missed "ongoing" (the fault renamed it).
  const observed = unexpected.length > 0 ? ["pending", "completed", ...unexpected] : expected;
  return [
    {
      field: "status",
      expected,
      observed,
      unexpected,
      unseen: expected.filter((value) => !observed.includes(value)),
    },
  ];
}

function report(
  baseUrl: string,
  seed: number,
  checks: CheckResult[],
  enums: EnumObservation[],
): RunReport {
  const verdict = checks.some((check) => check.verdict === "fail") ? "fail" : "pass";
  return {
    format: "tickets-api-harness/results@1",
    runId: `2026-11-27T10-00-00-000Z-seed-${seed}`,
    startedAt: "2026-11-27T10:00:00.000Z",
    durationMs: 2_500,
    target: { baseUrl, embedded: false },
    seed,
    runs: 25,
    readOnly: false,
    verdict,
    exitCode: verdict === "fail" ? 1 : 0,
    counts: countVerdicts(checks),
    requests: checks.reduce((sum, check) => sum + check.requests, 0),
    checks,
    enums,
    fixtureSources: {},
    leftovers: [],
    replay: `npx tickets-harness check --seed ${seed} --runs 25 --base-url ${baseUrl}`,
  };
}

const FAILING: Record<string, number> = { list_pagination: 3, profile_response_rules: 204 };

beforeAll(() => {
  writeReports(
    report(
      "https://api.vendor-a.test",
      3,
      SUITE.map((info) =>
        FAILING[info.id] ? result(info, "fail", FAILING[info.id]) : result(info),
      ),
      gaps(["in_progress"]),
    ),
    runA,
  );
  // Run B: an older suite without timestamp_order, and a check this suite does not have.
  const future: CheckInfo = {
    id: "future_check",
    title: "A check of a later version",
    source: "docs",
    section: "docs: somewhere",
    rule: "Something.",
    mutates: false,
  };
  writeReports(
    report(
      "https://api.vendor-b.test",
      7,
      [
        ...SUITE.filter((info) => info.id !== "timestamp_order").map((info) => result(info)),
        result(future),
      ],
      gaps([]),
    ),
    runB,
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The Markdown table's rows, as cells. */
function table(stdout: string): string[][] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

describe("tickets-harness report compare", () => {
  it("puts the runs side by side, rule by rule, in suite order, and writes both files", () => {
    const out = join(work, "out");
    const result = runCli([
      "report",
      "compare",
      runA,
      runB,
      "--label",
      "Vendor A",
      "--label",
      "Vendor <b>B</b>",
      "--out",
      out,
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const rows = table(result.stdout);
    expect(rows[0]).toEqual([
      "check",
      "source",
      "Vendor A (seed 3, 2026-11-27 10:00 UTC)",
      "Vendor <b>B</b> (seed 7, 2026-11-27 10:00 UTC)",
    ]);
    const byName = new Map(rows.slice(2).map((row) => [row[0], row.slice(1)]));
    expect(byName.get("**verdict**")).toEqual([
      "",
      `❌ **FAIL** (2 of ${SUITE.length} failed)`,
      `✅ **PASS** (${SUITE.length} checks)`,
    ]);
    expect(byName.get("**documentation gaps**")).toEqual(["", "`status`: `in_progress`", "none"]);
    expect(byName.get("`list_pagination`")).toEqual(["profile", "❌ fail (3)", "✅ pass"]);
    expect(byName.get("`profile_response_rules`")).toEqual(["profile", "❌ fail (204)", "✅ pass"]);
    expect(byName.get("`response_schema_conformance`")).toEqual(["docs", "✅ pass", "✅ pass"]);
    expect(byName.get("`timestamp_order`")).toEqual(["profile", "✅ pass", "— not run"]);
    expect(byName.get("`future_check`")).toEqual(["docs", "— not run", "✅ pass"]);
    // Rows: the suite's order, then the checks the suite does not know.
    expect(rows.slice(4).map((row) => row[0])).toEqual(
      [...SUITE.map((info) => info.id), "future_check"].map((id) => `\`${id}\``),
    );
    expect(result.stdout).toContain(`comparison: ${out}/ (comparison.html, comparison.md)`);

    const markdown = readFileSync(join(out, "comparison.md"), "utf8");
    for (const line of result.stdout.split("\n").filter((l) => l.startsWith("|"))) {
      expect(markdown).toContain(line);
    }
    expect(markdown).toContain("| `status` | `in_progress` (never seen: `ongoing`) | — |");

    const html = readFileSync(join(out, "comparison.html"), "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img/i);
    expect(html).toContain("Vendor &lt;b&gt;B&lt;/b&gt;");
    expect(html).not.toContain("<b>B</b>");
    expect(html).toContain("https://api.vendor-a.test");
    expect(html).toContain('href="../vendor-a-run/report.html#check-list_pagination"');
    expect(html).toContain("204 failures");
    expect(html).toContain("finding 1 of list_pagination");
  });

  it("labels the columns by target without --label, and writes under reports/ by default", () => {
    const result = runCli(["report", "compare", runA, runB]);
    expect(result.code).toBe(0);
    expect(table(result.stdout)[0]).toEqual([
      "check",
      "source",
      "https://api.vendor-a.test (seed 3, 2026-11-27 10:00 UTC)",
      "https://api.vendor-b.test (seed 7, 2026-11-27 10:00 UTC)",
    ]);
    const out = /comparison: (.+)\/ \(/.exec(result.stdout)?.[1] as string;
    try {
      expect(out.startsWith(join(ROOT, "reports", "comparison-"))).toBe(true);
      expect(existsSync(join(out, "comparison.md"))).toBe(true);
      expect(existsSync(join(out, "comparison.html"))).toBe(true);
    } finally {
      if (out?.startsWith(resolve(ROOT, "reports"))) rmSync(out, { recursive: true, force: true });
    }
  });

  it("refuses a missing folder in one line: exit 2, nothing written", () => {
    const out = join(work, "never");
    const result = runCli(["report", "compare", runA, join(work, "missing"), "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `tickets-harness: no such run folder: ${join(work, "missing")}`,
    ]);
    expect(result.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ["a folder without results.json", {}, /has no results\.json/],
    [
      "a results.json of another format",
      { "results.json": '{"format":"other@1"}' },
      /format "other@1", expected "tickets-api-harness\/results@1"/,
    ],
    ["a results.json that is not JSON", { "results.json": '{"format":' }, /is not JSON/],
    [
      "a results.json without its checks",
      { "results.json": '{"format":"tickets-api-harness/results@1"}' },
      /is malformed: target\.baseUrl/,
    ],
  ])("refuses %s in one line: exit 2", (_, files, message) => {
    const dir = mkdtempSync(join(work, "bad-"));
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const result = runCli(["report", "compare", runA, dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it("refuses more labels than folders", () => {
    const result = runCli(["report", "compare", runA, "--label", "a", "--label", "b"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/2 labels for 1 run folder/);
  });
});
