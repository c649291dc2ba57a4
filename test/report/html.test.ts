/**
 * report.html as a reader sees it: real runs against the embedded server (one with a
 * fault, one clean) rendered and opened in headless Chromium (Debian's `chromium`, driven
 * by playwright-core, never a downloaded browser); hostile text from the server stays
 * text; and the API key is in no report file, only `$TICKETS_API_KEY`.
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the text a reader sees, which is what these tests assert
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConformance } from "../../src/checks/conformance.js";
import type { CheckResult } from "../../src/checks/model.js";
import type { RunReport } from "../../src/checks/results.js";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { htmlReport, ruleGroup } from "../../src/report/html.js";
import { escapeHtml } from "../../src/report/page/html.js";
import { formatCount } from "../../src/report/page/page.js";
import { writeReports } from "../../src/report/write-reports.js";
import { ROOT } from "../support/cli.js";
import { embedded } from "../support/embedded.js";
import {
  HAS_CHROMIUM,
  launchChromium,
  type Opened,
  openFile,
  warnIfNoChromium,
} from "./chromium.js";

warnIfNoChromium("report/html");

/** The key every run of this file uses: the embedded server accepts it, the client sends it. */
const API_KEY = "report-key-7f3a9c1e-never-in-a-report";
const KEY_BEFORE = process.env.TICKETS_API_KEY;
process.env.TICKETS_API_KEY = API_KEY;

const HOSTILE = `<script>alert(1)</script><img src=x onerror="document.title='pwned'">`;
const config = { ...DEFAULT_CONFIG, runs: 10 };
const work = mkdtempSync(join(tmpdir(), "report-html-"));
let failing: RunReport;
let clean: RunReport;
let context: BrowserContext | undefined;

beforeAll(async () => {
  failing = await runConformance({
    config,
    seed: 3,
    embedded: embedded(config, ["status-in-progress"]),
  });
  clean = await runConformance({ config, seed: 7, embedded: embedded(config) });
  writeReports(failing, join(work, "failing"));
  writeReports(clean, join(work, "clean"));
  if (HAS_CHROMIUM) context = await launchChromium(work);
}, 60_000);

afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
  if (KEY_BEFORE === undefined) delete process.env.TICKETS_API_KEY;
  else process.env.TICKETS_API_KEY = KEY_BEFORE;
});

function open(file: string): Promise<Opened> {
  return openFile(context as BrowserContext, file);
}

function check(report: RunReport, id: string): CheckResult {
  const found = report.checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id} in the report`);
  return found;
}

describe("report.html, as text", () => {
  it("is written beside the other reports, one self-contained page", () => {
    const html = readFileSync(join(work, "failing", "report.html"), "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
  });

  it("groups the checks by area", () => {
    expect(ruleGroup("docs: the response fields of each operation")).toBe(
      "Responses (every operation)",
    );
    expect(ruleGroup("PROFILE.md Enumerations, Errors, The list endpoint")).toBe(
      "Responses (every operation)",
    );
    expect(ruleGroup("PROFILE.md Authentication")).toBe("Authentication");
    expect(ruleGroup("PROFILE.md Lifecycle; The two ticket shapes")).toBe("Lifecycle");
    expect(ruleGroup("PROFILE.md The list endpoint; The two ticket shapes")).toBe(
      "The list endpoint",
    );
    expect(ruleGroup("PROFILE.md The two ticket shapes")).toBe("The two ticket shapes");
  });

  it("escapes everything that could be markup", () => {
    expect(escapeHtml(`<a href="x" title='y'>&\u0000`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;\uFFFD",
    );
    const html = htmlReport(hostile(failing));
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

/** The failing run with server-controlled text replaced by markup, everywhere it shows. */
function hostile(report: RunReport): RunReport {
  const copy = structuredClone(report);
  const target = copy.checks.find((candidate) => candidate.failures.some((f) => f.exchange));
  const finding = target?.failures.find((f) => f.exchange);
  if (!target || !finding?.exchange)
    throw new Error("the failing run has no finding with a request");
  finding.message = `wrong value ${HOSTILE}`;
  finding.actual = HOSTILE;
  finding.exchange.responseBody = `{"status":"${HOSTILE}"}`;
  finding.exchange.responseHeaders = { "content-type": HOSTILE };
  finding.exchange.curl = `curl -sS 'http://127.0.0.1/${HOSTILE}' -H "authorization: $TICKETS_API_KEY"`;
  const gap = copy.enums[0];
  if (gap) gap.unexpected = [HOSTILE];
  copy.leftovers = [
    {
      kind: "ticket",
      ticketId: HOSTILE,
      chatId: HOSTILE,
      reason: `complete answered 500; its details answered 200 with status ${HOSTILE}`,
      curl: `curl -sS -X PATCH 'http://127.0.0.1/api/v1/tickets/${HOSTILE}/complete' -H "authorization: $TICKETS_API_KEY"`,
    },
  ];
  copy.target.baseUrl = `http://example.test/"><script>alert(2)</script>`;
  return copy;
}

describe.skipIf(!HAS_CHROMIUM)("report.html in Chromium", () => {
  it("shows the failing verdict, the broken rules open with their quote, requests as curl", async () => {
    const { page, requests, problems } = await open(join(work, "failing", "report.html"));
    expect(failing.verdict).toBe("fail");
    expect((await page.locator("h1").innerText()).trim()).toMatch(/FAIL$/);
    expect(await page.locator(".banner .sentence").innerText()).toContain(
      `broke ${failing.counts.fail} of the ${failing.checks.length} rules`,
    );
    expect(await page.title()).toContain("FAIL");

    const broken = check(failing, "profile_response_rules");
    const row = page.locator("#check-profile_response_rules");
    expect(await row.locator("summary .check-id").isVisible()).toBe(true);
    expect(await row.locator("summary .check-id").innerText()).toBe("profile_response_rules");
    expect(await row.locator("summary .badge-fail").isVisible()).toBe(true);
    const quote = row.locator(".rule blockquote");
    expect(await quote.isVisible()).toBe(true);
    expect(normalize(await quote.innerText())).toBe(normalize(broken.rule.replace(/`/g, "")));
    expect(await row.locator(".rule cite").innerText()).toBe(broken.section);
    // Failures first; the run's warnings (values never observed) follow under their own title.
    expect(await row.locator(".findings-title").first().innerText()).toContain(
      `${broken.failureCount} failures`,
    );
    expect(await row.locator(".findings-title").last().innerText()).toContain("warning");

    const curl = await page.locator("#check-lifecycle_rules pre.command").first();
    expect(await curl.isVisible()).toBe(true);
    const command = await curl.innerText();
    expect(command).toMatch(/^curl /);
    expect(command).toContain("$TICKETS_API_KEY");

    // A passing check is closed: its rule is one click away, not on screen.
    expect(await page.locator("#check-auth_required summary").isVisible()).toBe(true);
    expect(await page.locator("#check-auth_required .rule").isVisible()).toBe(false);
    expect(await page.locator("details.check[open]").count()).toBe(failing.counts.fail);

    // The documentation gap the fault opens: "in_progress" is not in the contract.
    const status = page
      .locator("table.gaps tbody tr")
      .filter({ has: page.locator("th code", { hasText: /^status$/ }) });
    expect(await status.locator("td").nth(2).innerText()).toBe('"in_progress"');

    expect(await page.locator("#replay pre.command").innerText()).toBe(failing.replay);
    expect(requests.every((url) => url.startsWith("file://"))).toBe(true);
    expect(problems).toEqual([]);

    const shot = join(ROOT, "reports", "screenshots", "report.png");
    mkdirSync(join(ROOT, "reports", "screenshots"), { recursive: true });
    await page.screenshot({ path: shot });
    expect(existsSync(shot)).toBe(true);
    await page.close();
  });

  it("shows a clean run as PASS with every rule closed", async () => {
    const { page, problems } = await open(join(work, "clean", "report.html"));
    expect(clean.verdict).toBe("pass");
    expect((await page.locator("h1").innerText()).trim()).toMatch(/PASS$/);
    expect(await page.locator(".banner .sentence").innerText()).toContain(
      `kept all ${clean.checks.length} rules`,
    );
    expect(await page.locator("details.check").count()).toBe(clean.checks.length);
    expect(await page.locator("details.check[open]").count()).toBe(0);
    expect(await page.locator(".badge-fail").count()).toBe(0);
    await page.locator("#check-lifecycle_rules summary").click();
    expect(await page.locator("#check-lifecycle_rules .rule blockquote").isVisible()).toBe(true);
    expect(await page.locator("#leftovers").innerText()).toContain("Nothing");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows what the run covered: statuses per operation, list filters, transitions", async () => {
    const { page, problems } = await open(join(work, "clean", "report.html"));
    const coverage = clean.coverage;
    if (!coverage) throw new Error("the clean run has no coverage");
    await page.locator('nav.toc a[href="#coverage"]').click();
    const section = page.locator("#coverage");
    expect(await section.locator("h2").isVisible()).toBe(true);
    expect(await section.locator(".coverage-line").innerText()).toContain(
      `of ${coverage.operations.length} operations answered`,
    );
    const rows = (table: string) => section.locator(`table.coverage-${table} tbody tr`);
    expect(await rows("statuses").count()).toBe(coverage.operations.length);
    expect(await rows("filters").count()).toBe(coverage.filters.length);
    expect(await rows("transitions").count()).toBe(coverage.transitions.length);

    for (const operation of coverage.operations) {
      const row = rows("statuses").filter({
        has: page.locator("th code", { hasText: new RegExp(`^${operation.operationId}$`) }),
      });
      expect(await row.locator("th .sub").innerText()).toBe(operation.route);
      expect(await row.locator("td").nth(1).innerText()).toContain(
        `${Object.keys(operation.observed)[0]} ×`,
      );
      expect(await row.locator(".status-never").count()).toBe(operation.neverObserved.length);
    }
    const tagIds = coverage.filters.find((filter) => filter.filter === "tagIds");
    const tagRow = rows("filters").filter({
      has: page.locator("th code", { hasText: /^tagIds$/ }),
    });
    expect(await tagRow.locator("td").first().innerText()).toBe(formatCount(tagIds?.queries ?? -1));
    const complete = coverage.transitions.find((t) => t.transition === "complete from pending");
    const completeRow = rows("transitions").filter({ hasText: "complete from pending" });
    expect(await completeRow.locator("td").last().innerText()).toBe(
      formatCount(complete?.runs ?? -1),
    );
    expect(await section.locator("tr.uncovered").count()).toBe(
      coverage.operations.filter((operation) => operation.neverObserved.length > 0).length +
        coverage.filters.filter((filter) => filter.nonEmpty === 0).length +
        coverage.transitions.filter((transition) => transition.runs === 0).length,
    );
    const shot = join(ROOT, "reports", "screenshots", "report-coverage.png");
    mkdirSync(join(ROOT, "reports", "screenshots"), { recursive: true });
    await section.screenshot({ path: shot });
    expect(existsSync(shot)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows markup from the server as text: no script runs, no element is injected", async () => {
    const report = hostile(failing);
    writeReports(report, join(work, "hostile"));
    const { page, requests, problems } = await open(join(work, "hostile", "report.html"));
    expect(await page.locator("script").count()).toBe(0);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("[onerror]").count()).toBe(0);
    expect(await page.title()).not.toBe("pwned");
    const message = page.locator(".finding-message", { hasText: "wrong value" }).first();
    expect(await message.isVisible()).toBe(true);
    expect(await message.innerText()).toBe(`wrong value ${HOSTILE}`);
    expect(await page.locator("pre.body", { hasText: HOSTILE }).count()).toBeGreaterThan(0);
    const leftover = report.leftovers[0];
    expect(await page.locator("#leftovers .leftover-id").innerText()).toBe(HOSTILE);
    expect(await page.locator("#leftovers .leftover-reason").innerText()).toBe(leftover?.reason);
    expect(await page.locator("#leftovers .leftover-curl code").innerText()).toBe(leftover?.curl);
    expect(await page.locator(".banner .facts code").first().innerText()).toBe(
      report.target.baseUrl,
    );
    expect(requests.every((url) => url.startsWith("file://"))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("the API key", () => {
  it("is in no report file; the curl commands read it from $TICKETS_API_KEY", async () => {
    expect(process.env.TICKETS_API_KEY).toBe(API_KEY);
    const report = await runConformance({
      config,
      seed: 11,
      embedded: embedded(config, ["status-in-progress", "list-without-auth"]),
    });
    expect(report.verdict).toBe("fail");
    // The embedded server took this key: the checks that need it got past 401.
    expect(check(report, "auth_required").verdict).toBe("fail");
    expect(check(report, "lifecycle_rules").meaningfulRequests).toBeGreaterThan(0);
    const dir = join(work, "key");
    const files = writeReports(report, dir);
    expect(files.map((file) => file.slice(dir.length + 1)).sort()).toEqual(readdirSync(dir).sort());
    expect(readdirSync(dir)).toContain("report.html");
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(text.includes(API_KEY), `${file} holds the API key`).toBe(false);
      expect(text, file).toContain("$TICKETS_API_KEY");
    }
  });
});

function normalize(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
