/**
 * `tickets-harness report compare DIR...`, run as a user runs it (the built CLI): two run
 * folders written by writeReports side by side, rule by rule, in suite order; and the
 * coverage part, from two real `check` runs against the embedded server (one read-only)
 * and a run of an older harness, whose results.json has no coverage; and the choices part,
 * from a run against the embedded server and one against `serve --choice` (other sides).
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the text a reader sees, which is what these tests assert
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckInfo, CheckResult, Finding, Verdict } from "../../src/checks/model.js";
import { allChecks } from "../../src/checks/registry.js";
import {
  type Coverage,
  countVerdicts,
  type EnumObservation,
  type RunReport,
} from "../../src/checks/results.js";
import { DEV_API_KEY } from "../../src/reference/index.js";
import { CHOICES_TITLE } from "../../src/report/choices.js";
import { coverageLine } from "../../src/report/coverage.js";
import { writeReports } from "../../src/report/write-reports.js";
import { type CliResult, killCliChildren, ROOT, runCli, startCli } from "../support/cli.js";
import { HAS_CHROMIUM, launchChromium, openFile, warnIfNoChromium } from "./chromium.js";

warnIfNoChromium("report/compare");

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

/** `report compare` of these folders, each with its --label, into `out`. */
function compare(runs: [dir: string, label: string][], out: string): CliResult {
  return runCli([
    "report",
    "compare",
    ...runs.map(([dir]) => dir),
    ...runs.flatMap(([, label]) => ["--label", label]),
    "--out",
    out,
  ]);
}

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
    const result = compare(
      [
        [runA, "Vendor A"],
        [runB, "Vendor <b>B</b>"],
      ],
      out,
    );
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

describe("the coverage part of report compare", () => {
  const full = join(work, "full-run");
  const readOnly = join(work, "read-only-run");
  const out = join(work, "coverage-out");
  const HOSTILE = `<img src=x onerror="document.title='pwned'">`;
  let coverage: { full: Coverage; readOnly: Coverage };
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    // Two real runs against the embedded server: one that writes, one that only reads.
    for (const [dir, options] of [
      [full, ["--seed", "3"]],
      [readOnly, ["--seed", "7", "--read-only"]],
    ] as const) {
      const run = runCli(["check", "--runs", "5", "--report-dir", dir, ...options]);
      expect(run.code, run.stderr).toBe(0);
    }
    const read = (dir: string) =>
      (JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as RunReport).coverage;
    coverage = { full: read(full) as Coverage, readOnly: read(readOnly) as Coverage };
    expect(coverage.full).toBeDefined();
    expect(coverage.readOnly).toBeDefined();
    expect(read(runB)).toBeUndefined();
    const result = compare(
      [
        [full, "Writes"],
        [readOnly, HOSTILE],
        [runB, "Older harness"],
      ],
      out,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    if (HAS_CHROMIUM) context = await launchChromium(work);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  /** comparison.md's coverage tables, each row's cells by its first. */
  function markdownTables(): Map<string, string[]>[] {
    const markdown = readFileSync(join(out, "comparison.md"), "utf8");
    const part = markdown.slice(markdown.indexOf("## Coverage"));
    return part
      .split("\n\n")
      .filter((block) => block.startsWith("|"))
      .map((block) => new Map(table(block).map((row) => [row[0] as string, row.slice(1)])));
  }

  const statuses = (observed: Record<string, number>) =>
    Object.entries(observed)
      .map(([status, count]) => `${status} ×${count}`)
      .join(", ");

  it("writes each run's one line, and not recorded for the run without coverage", () => {
    const markdown = readFileSync(join(out, "comparison.md"), "utf8");
    expect(markdown).toContain("## Coverage: what each run exercised");
    expect(markdown).toContain(`1. **Writes**: ${coverageLine(coverage.full)}.`);
    expect(markdown).toContain(`2. **${HOSTILE}**: ${coverageLine(coverage.readOnly)}.`);
    expect(markdown).toContain("3. **Older harness**: not recorded");
    // The console table is the rules' alone.
    const console = runCli(["report", "compare", full, runB, "--out", join(work, "console-out")]);
    expect(console.stdout).not.toContain("Coverage");
    expect(console.stdout).not.toContain("not recorded");
  });

  it("puts the operations side by side: statuses answered, the documented never answered in bold", () => {
    const [operations] = markdownTables() as [Map<string, string[]>];
    expect([...operations.keys()].slice(2)).toEqual(
      coverage.full.operations.map((operation) => `\`${operation.operationId}\``),
    );
    for (const operation of coverage.full.operations) {
      const [writes, reads, older] = operations.get(`\`${operation.operationId}\``) as string[];
      expect(writes).toBe(statuses(operation.observed));
      expect(older).toBe("not recorded");
      const other = coverage.readOnly.operations.find(
        (candidate) => candidate.operationId === operation.operationId,
      );
      if (!other) throw new Error(`the read-only run has no ${operation.operationId}`);
      if (other.neverObserved.length === 0) expect(reads).toBe(statuses(other.observed));
    }
    // The read-only run never wrote: nothing answered, every documented status a gap.
    const create = coverage.readOnly.operations.find((op) => op.operationId === "createTicket");
    expect(create?.observed).toEqual({});
    expect(operations.get("`createTicket`")?.[1]).toBe(
      `**none**; never: ${create?.documented.map((status) => `**${status}**`).join(", ")}`,
    );
    expect(operations.get("`listTicketDetails`")?.[1]).toMatch(/^200 ×\d+/);
  });

  it("puts the list filters side by side: queries answered with a page / with items", () => {
    const [, filters] = markdownTables() as Map<string, string[]>[];
    expect([...(filters as Map<string, string[]>).keys()].slice(2)).toEqual(
      coverage.full.filters.map((filter) => `\`${filter.filter}\``),
    );
    for (const filter of coverage.full.filters) {
      const other = coverage.readOnly.filters.find((f) => f.filter === filter.filter);
      expect(filters?.get(`\`${filter.filter}\``)).toEqual([
        `${filter.queries} / ${filter.nonEmpty}`,
        other && other.nonEmpty > 0
          ? `${other.queries} / ${other.nonEmpty}`
          : expect.stringMatching(
              /^\d+ \/ \*\*0\*\* \((never answered with a page|only empty pages)\)$/,
            ),
        "not recorded",
      ]);
    }
    // Without fixtures, a read-only run knows no tag to filter by: at most an unknown one
    // (unlisted_input_held's UUID of another version), which finds nothing.
    expect(filters?.get("`tagIds`")?.[1]).toMatch(
      /^\d+ \/ \*\*0\*\* \((never answered with a page|only empty pages)\)$/,
    );
  });

  it("puts the lifecycle transitions side by side: runs, 0 in bold", () => {
    const [, , transitions] = markdownTables() as Map<string, string[]>[];
    expect(transitions?.size).toBe(coverage.full.transitions.length + 2);
    for (const transition of coverage.full.transitions) {
      expect(transition.runs).toBeGreaterThan(0);
      const key = `${transition.transition} · \`${transition.operationId}\` ${transition.status}`;
      expect(transitions?.get(key)).toEqual([String(transition.runs), "**0**", "not recorded"]);
    }
  });

  it("writes the same in comparison.html, the hostile label as text, the policy intact", () => {
    const page = readFileSync(join(out, "comparison.html"), "utf8");
    expect(page).not.toMatch(/<script|<img|<link/i);
    expect(page).toContain("&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;");
    expect(page).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"`,
    );
    expect(page).toContain('<section id="coverage"');
  });

  it.skipIf(!HAS_CHROMIUM)(
    "shows the coverage in Chromium, rows and cells as in the runs",
    async () => {
      const { page, requests, problems } = await openFile(
        context as BrowserContext,
        join(out, "comparison.html"),
      );
      const section = page.locator("#coverage");
      const lines = await section.locator("ul.coverage-lines li").allInnerTexts();
      expect(lines).toEqual([
        `Writes: ${coverageLine(coverage.full)}.`,
        `${HOSTILE}: ${coverageLine(coverage.readOnly)}.`,
        "Older harness: not recorded",
      ]);
      const rows = (kind: string) => section.locator(`table.coverage-${kind} tbody tr`);
      expect(await rows("statuses").count()).toBe(coverage.full.operations.length);
      expect(await rows("filters").count()).toBe(coverage.full.filters.length);
      expect(await rows("transitions").count()).toBe(coverage.full.transitions.length);
      expect(await section.locator("thead th").allInnerTexts()).toContain(HOSTILE);

      const create = rows("statuses").filter({
        has: page.locator("th code", { hasText: /^createTicket$/ }),
      });
      const cells = create.locator("td");
      expect(await cells.nth(0).locator(".answered").count()).toBe(
        Object.keys(
          coverage.full.operations.find((op) => op.operationId === "createTicket")?.observed ?? {},
        ).length,
      );
      expect(await cells.nth(1).innerText()).toMatch(/^none\s*never:/);
      expect(await cells.nth(1).locator(".status-never").count()).toBeGreaterThan(0);
      expect(await cells.nth(1).getAttribute("class")).toContain("uncovered");
      expect(await cells.nth(2).innerText()).toBe("not recorded");
      expect(await create.getAttribute("class")).toBe("differs");

      const tagIds = rows("filters").filter({
        has: page.locator("th code", { hasText: /^tagIds$/ }),
      });
      expect(await tagIds.locator("td").nth(1).innerText()).toMatch(
        /^\d+ \/ 0 \((never answered with a page|only empty pages)\)$/,
      );
      const pending = rows("transitions").filter({ hasText: "complete from pending" });
      expect(await pending.locator("td").allInnerTexts()).toEqual([
        String(
          coverage.full.transitions.find((t) => t.transition === "complete from pending")?.runs,
        ),
        "0",
        "not recorded",
      ]);

      expect(await page.title()).not.toBe("pwned");
      expect(await page.locator("img, script").count()).toBe(0);
      expect(requests).toEqual([requests[0]]);
      expect(problems).toEqual([]);
      mkdirSync(join(ROOT, "reports", "screenshots"), { recursive: true });
      await section.screenshot({
        path: join(ROOT, "reports", "screenshots", "compare-coverage.png"),
      });
      await page.close();
    },
  );

  it("says so when no run recorded coverage", () => {
    const older = join(work, "older-out");
    expect(runCli(["report", "compare", runA, runB, "--out", older]).code).toBe(0);
    expect(readFileSync(join(older, "comparison.md"), "utf8")).toContain(
      "No run recorded coverage",
    );
  });

  it("refuses a results.json whose coverage it cannot read, in one line: exit 2", () => {
    const dir = join(work, "bad-coverage");
    mkdirSync(dir, { recursive: true });
    const report = JSON.parse(readFileSync(join(full, "results.json"), "utf8"));
    report.coverage.filters[1] = { filter: "status", queries: "many" };
    writeFileSync(join(dir, "results.json"), JSON.stringify(report));
    const result = runCli(["report", "compare", full, dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `tickets-harness: ${join(dir, "results.json")} is malformed: coverage.filters[1].queries is not a number`,
    ]);
  });
});

describe("the choices the targets made, side by side", () => {
  const plain = join(work, "choices-plain");
  const other = join(work, "choices-other");
  const out = join(work, "choices-out");
  const CHOSEN = ["complete-clears-assignee", "unknown-method-404", "uuid-v4-only"];
  const HOSTILE = `<img src=x onerror="document.title='pwned'">`;
  const sides = (dir: string) =>
    new Map(
      (
        (JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as RunReport).choices ?? []
      ).map((choice) => [choice.name, choice]),
    );

  beforeAll(async () => {
    expect(runCli(["check", "--runs", "5", "--seed", "3", "--report-dir", plain]).code).toBe(0);
    const server = startCli([
      "serve",
      "--port",
      "0",
      "--tickets",
      "300",
      "--choice",
      CHOSEN.join(","),
    ]);
    const url = /listening on (\S+)/.exec(await server.line(/listening on/))?.[1] as string;
    const run = startCli(
      ["check", "--runs", "5", "--seed", "3", "--base-url", url, "--report-dir", other],
      { env: { TICKETS_API_KEY: DEV_API_KEY }, timeoutMs: 60_000 },
    );
    const exit = await run.exited();
    server.signal();
    expect(exit.code, exit.stderr).toBe(0);
    const result = compare(
      [
        [plain, "Reference"],
        [other, HOSTILE],
        [runB, "Older harness"],
      ],
      out,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  }, 90_000);

  afterAll(() => killCliChildren());

  it("learns the other sides from the other server, and writes them in results.json", () => {
    const [a, b] = [sides(plain), sides(other)];
    const open = (side: { open?: string } | undefined) => side?.open ?? "";
    expect(a.get("the assignee on complete")).toMatchObject({ side: "kept" });
    expect(b.get("the assignee on complete")).toMatchObject({ side: "cleared" });
    expect(b.get("the assignee on complete")?.where).toMatch(/^completing ticket [0-9a-f-]{36}$/);
    expect(open(b.get("the assignee on complete"))).toMatch(/^PROFILE\.md Lifecycle: /);
    expect(a.get("a method a path does not list")?.side).toBe("405");
    expect(b.get("a method a path does not list")).toMatchObject({
      side: "404",
      where: "PUT /api/v1/tickets (the docs list only POST there)",
    });
    expect(a.get("a UUID of another version than 4")?.side).toBe("any version is a UUID");
    expect(b.get("a UUID of another version than 4")?.side).toBe("only version 4 is a UUID (400)");
    // The choices the server did not switch: the same side in both.
    expect(b.get("a query parameter the docs do not list")?.side).toBe(
      a.get("a query parameter the docs do not list")?.side,
    );
  });

  it("shows them in each run's summary.md", () => {
    for (const dir of [plain, other]) {
      const summary = readFileSync(join(dir, "summary.md"), "utf8");
      const part = summary.slice(summary.indexOf(`## ${CHOICES_TITLE}`));
      const rows = new Map(table(part.split("\n\n")[2] as string).map((row) => [row[0], row]));
      for (const [name, choice] of sides(dir)) {
        expect(rows.get(name)?.slice(1, 3)).toEqual([`**${choice.side}**`, choice.where]);
      }
    }
  });

  it("puts them side by side in comparison.md: one row per choice, one cell per run", () => {
    const markdown = readFileSync(join(out, "comparison.md"), "utf8");
    const part = markdown.slice(markdown.indexOf(`## ${CHOICES_TITLE}`));
    const rows = table(part.split("\n\n")[2] as string);
    expect(rows[0]).toEqual(["choice", "Reference", HOSTILE, "Older harness"]);
    const [a, b] = [sides(plain), sides(other)];
    expect(rows.slice(2).map((row) => row[0])).toEqual([...a.keys()]);
    for (const row of rows.slice(2)) {
      const name = row[0] as string;
      expect(row.slice(1)).toEqual([
        a.get(name)?.side,
        b.get(name)?.side ?? "not seen",
        "not recorded",
      ]);
    }
  });

  it("writes the same in comparison.html, the differing rows marked, the hostile label as text", () => {
    const page = readFileSync(join(out, "comparison.html"), "utf8");
    expect(page).not.toContain(HOSTILE);
    const section = page.slice(page.indexOf('<section id="choices"'));
    expect(section).toContain("&lt;img src=x onerror=&quot;");
    // Those the server switched (the older run's "not recorded" is no side).
    expect(section.match(/<tr class="differs">/g)).toHaveLength(CHOSEN.length);
    expect(section).toContain("<strong>cleared</strong>");
  });

  it("refuses a results.json whose choices it cannot read, in one line: exit 2", () => {
    const dir = join(work, "bad-choices");
    mkdirSync(dir, { recursive: true });
    const report = JSON.parse(readFileSync(join(plain, "results.json"), "utf8"));
    report.choices[1].side = 405;
    writeFileSync(join(dir, "results.json"), JSON.stringify(report));
    const result = runCli(["report", "compare", plain, dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `tickets-harness: ${join(dir, "results.json")} is malformed: choices[1].side is not a string`,
    ]);
  });
});
