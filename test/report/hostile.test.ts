/**
 * A target that answers with markup, and runs labelled with it: report.html and
 * comparison.html, opened in headless Chromium, run none of it and show all of it as text.
 * Each page is opened twice: as shipped, and with its Content-Security-Policy bypassed, so
 * that the escaping is shown to hold on its own, not only behind the policy.
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the text a reader sees, which is what these tests assert
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult, Finding } from "../../src/checks/model.js";
import { countVerdicts, type RunReport } from "../../src/checks/results.js";
import { comparisonHtml } from "../../src/report/compare/html.js";
import { compareRuns } from "../../src/report/compare/model.js";
import { loadRuns } from "../../src/report/compare/read.js";
import { writeReports } from "../../src/report/write-reports.js";
import { HAS_CHROMIUM, launchChromium, openFile, warnIfNoChromium } from "./chromium.js";

warnIfNoChromium("report/hostile");

const PAYLOADS = [
  "<script>window.__pwned=1</script>",
  `"><img src=x onerror="window.__pwned=2">`,
  "</style><script>window.__pwned=3</script>",
] as const;
const [SCRIPT, IMG, STYLE] = PAYLOADS;
const ALL = PAYLOADS.join(" ");

function check(id: string, verdict: CheckResult["verdict"], failures: Finding[]): CheckResult {
  return {
    id,
    title: `A check titled ${IMG}`,
    source: "profile",
    section: `PROFILE.md Errors; ${IMG}`,
    rule: `The rule quotes \`${STYLE}\` and ${SCRIPT}.`,
    mutates: false,
    verdict,
    failures,
    warnings: [{ checkId: id, message: `a warning about ${ALL}` }],
    failureCount: failures.length,
    warningCount: 1,
    requests: 3,
    meaningfulRequests: 3,
    durationMs: 4,
  };
}

/** A failing run with server-controlled text, and the run's own, markup everywhere it shows. */
function hostileRun(seed: number): RunReport {
  const id = `evil_${SCRIPT}`;
  const url = `http://vendor.test/api/v1/tickets/${encodeURIComponent(IMG)}?q=${IMG}`;
  const failures: Finding[] = [
    {
      checkId: id,
      message: `wrong value ${ALL}`,
      expected: IMG,
      actual: STYLE,
      exchange: {
        operationId: SCRIPT,
        curl: `curl -sS '${url}' -H "authorization: $TICKETS_API_KEY"`,
        method: "GET",
        url,
        status: 200,
        responseHeaders: { "content-type": `application/json; x=${STYLE}`, "x-echo": IMG },
        responseBody: JSON.stringify({ status: SCRIPT, note: IMG, css: STYLE }),
        durationMs: 7,
      },
    },
    {
      checkId: id,
      message: `no answer from ${IMG}`,
      exchange: { curl: `curl '${url}'`, method: "GET", url, error: ALL, durationMs: 9 },
    },
    {
      checkId: id,
      message: `a counterexample ${STYLE}`,
      counterexample: {
        value: ALL,
        seed,
        path: IMG,
        replay: `npx tickets-harness check --replay '${SCRIPT}'`,
      },
    },
  ];
  const skipped = { ...check(`skipped_${IMG}`, "skip", []), skippedBecause: ALL };
  const checks = [check(id, "fail", failures), skipped, check(STYLE, "fail", failures.slice(0, 1))];
  return {
    format: "tickets-api-harness/results@1",
    runId: `run-${IMG}`,
    startedAt: "2026-11-27T10:00:00.000Z",
    durationMs: 1_200,
    target: { baseUrl: `http://vendor.test/?q=${ALL}`, embedded: false },
    seed,
    runs: 5,
    readOnly: false,
    verdict: "fail",
    exitCode: 1,
    incomplete: `stopped by ${ALL}`,
    counts: countVerdicts(checks),
    requests: 9,
    checks,
    enums: [
      {
        field: `status${IMG}`,
        expected: ["pending"],
        observed: ["pending", SCRIPT, STYLE],
        unexpected: [SCRIPT, STYLE],
        unseen: [IMG],
      },
    ],
    fixtureSources: { [SCRIPT]: IMG },
    leftovers: [
      {
        kind: "tag",
        ticketId: SCRIPT,
        tagId: IMG,
        reason: `removal answered 500; ${ALL}`,
        curl: `curl -sS -X DELETE 'http://vendor.test/api/v1/tickets/${SCRIPT}/tags/${STYLE}'`,
      },
    ],
    choices: [
      {
        name: `the assignee on complete ${SCRIPT}`,
        side: IMG,
        where: `completing ticket ${STYLE}`,
        open: `PROFILE.md quotes \`${STYLE}\` and ${SCRIPT}`,
      },
    ],
    replay: `npx tickets-harness check --seed ${seed} --base-url '${IMG}'`,
  };
}

const work = mkdtempSync(join(tmpdir(), "report-hostile-"));
// A run folder may be named with markup too: the comparison links to its report.html.
const runA = join(work, IMG);
const runB = join(work, "run-b");
const out = join(work, "comparison");
const LABELS = [`Vendor ${SCRIPT}`, `Vendor ${STYLE}`];
let reportFile: string;
let comparisonFile: string;
let shipped: BrowserContext | undefined;
let bypassed: BrowserContext | undefined;

beforeAll(async () => {
  writeReports(hostileRun(3), runA);
  writeReports({ ...hostileRun(7), verdict: "incomplete" }, runB);
  reportFile = join(runA, "report.html");
  const comparison = compareRuns(loadRuns([runA, runB], LABELS));
  mkdirSync(out, { recursive: true });
  comparisonFile = join(out, "comparison.html");
  writeFileSync(comparisonFile, comparisonHtml(comparison, out));
  if (HAS_CHROMIUM) {
    shipped = await launchChromium(work);
    bypassed = await launchChromium(work, { bypassCSP: true });
  }
}, 60_000);

afterAll(async () => {
  await shipped?.close();
  await bypassed?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("hostile text, as markup", () => {
  it("is in report.html and comparison.html only escaped", () => {
    for (const file of [reportFile, comparisonFile]) {
      const text = readFileSync(file, "utf8");
      for (const payload of PAYLOADS) expect(text, file).not.toContain(payload);
      expect(text, file).not.toMatch(/<script|<img|onerror="/i);
      expect(text.match(/<\/style>/g), file).toHaveLength(1);
    }
  });
});

describe.skipIf(!HAS_CHROMIUM)("hostile text in Chromium", () => {
  for (const [name, context] of [
    ["as shipped", () => shipped],
    ["with the policy bypassed", () => bypassed],
  ] as const) {
    for (const [page, file] of [
      ["report.html", () => reportFile],
      ["comparison.html", () => comparisonFile],
    ] as const) {
      it(`${page}, ${name}: runs no script, makes no element, shows the text`, async () => {
        const opened = await openFile(context() as BrowserContext, file());
        const { page: tab, requests, problems } = opened;
        expect(
          await tab.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned),
        ).toBeUndefined();
        expect(await tab.locator("script").count()).toBe(0);
        expect(await tab.locator("img").count()).toBe(0);
        expect(await tab.locator("[onerror]").count()).toBe(0);
        expect(await tab.locator("style").count()).toBe(1);
        const text = await tab.locator("body").innerText();
        for (const payload of PAYLOADS) expect(text).toContain(payload);
        expect(requests.every((url) => url.startsWith("file://"))).toBe(true);
        expect(problems).toEqual([]);
        await tab.close();
      });
    }
  }

  it("report.html shows each piece where it belongs", async () => {
    const run = hostileRun(3);
    const { page } = await openFile(shipped as BrowserContext, reportFile);
    expect(await page.title()).toBe(`FAIL: Tickets API conformance of ${run.target.baseUrl}`);
    expect(await page.locator(".banner .facts code").first().innerText()).toBe(run.target.baseUrl);
    expect(await page.locator(".banner .broken").last().innerText()).toBe(
      `The run did not complete: ${run.incomplete}`,
    );
    const first = page.locator("details.check").filter({ hasText: `evil_${SCRIPT}` });
    expect(await first.locator("summary .check-id").innerText()).toBe(`evil_${SCRIPT}`);
    expect(await first.locator(".finding-message").first().innerText()).toBe(`wrong value ${ALL}`);
    expect(await first.locator(".expect dd").allInnerTexts()).toEqual([IMG, STYLE]);
    expect(await first.locator("pre.body").first().innerText()).toBe(
      run.checks[0]?.failures[0]?.exchange?.responseBody,
    );
    expect(await first.locator("pre.body").nth(1).innerText()).toBe(ALL);
    expect(await first.locator("pre.command").first().innerText()).toContain(`?q=${IMG}`);
    expect(await first.locator(".counterexample pre.value").innerText()).toBe(ALL);
    expect(await first.locator(".rule code").innerText()).toBe(STYLE);
    expect(await page.locator(".skipped").textContent()).toBe(`Skipped: ${ALL}`);
    expect(await page.locator("table.gaps tbody th").innerText()).toBe(`status${IMG}`);
    expect(await page.locator("table.gaps .value-unexpected").allInnerTexts()).toEqual(
      [SCRIPT, STYLE].map((value) => JSON.stringify(value)),
    );
    const leftover = run.leftovers[0];
    expect(await page.locator("#leftovers .leftover-id").innerText()).toBe(
      `${leftover?.tagId} on ticket ${leftover?.ticketId}`,
    );
    expect(await page.locator("#leftovers .leftover-reason").innerText()).toBe(leftover?.reason);
    expect(await page.locator("#leftovers .leftover-curl").innerText()).toBe(leftover?.curl);
    expect(await page.locator("#replay pre.command").innerText()).toBe(run.replay);
    const choice = page.locator("#choices table.choices tbody tr");
    expect(await choice.locator("th, td").allInnerTexts()).toEqual([
      `the assignee on complete ${SCRIPT}`,
      IMG,
      `completing ticket ${STYLE}`,
      `PROFILE.md quotes ${STYLE} and ${SCRIPT}`,
    ]);
    expect(await choice.locator("td code").innerText()).toBe(STYLE);
    await page.close();
  });

  it("comparison.html shows the labels, targets and folders as text, and links the report", async () => {
    const { page } = await openFile(shipped as BrowserContext, comparisonFile);
    expect(await page.title()).toBe(`Tickets API conformance: ${LABELS.join(" vs ")}`);
    expect(await page.locator("table.compare thead .run-label").allInnerTexts()).toEqual(LABELS);
    expect(await page.locator(".banner strong").allInnerTexts()).toEqual(LABELS);
    expect(await page.locator("#runs li code").first().innerText()).toBe(
      hostileRun(3).target.baseUrl,
    );
    expect(await page.locator("#runs li").first().innerText()).toContain(`folder ${runA};`);
    // The link to the run's report.html goes to the folder named with markup, as a path.
    const href = await page.locator("thead a").first().getAttribute("href");
    expect(href).toBe(`../${encodeURIComponent(IMG)}/report.html`);
    await page.close();
  });
});
