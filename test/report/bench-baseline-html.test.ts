/**
 * The baseline in the reports: a run slower than its baseline (reports made by hand, real
 * HdrHistograms) in summary.md (a table per scenario: metric | baseline | now | change |
 * verdict) and in bench.html, opened in headless Chromium: the banner names the slower
 * scenario, its section holds the table, the percentile chart draws the baseline's curve
 * beside the run's (two series, both in the legend), the page's CSP refuses nothing, and a
 * baseline file name with markup in it shows as text. A screenshot of the chart is left in
 * /tmp/shots/bench-baseline.png, to look at.
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the text a reader sees, which is what these tests assert
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareWithBaseline, withBaseline } from "../../src/load/baseline/compare.js";
import { baselineOf } from "../../src/load/baseline/file.js";
import type { BenchReport } from "../../src/load/results.js";
import { benchHtml } from "../../src/report/bench/html.js";
import { benchMarkdown } from "../../src/report/bench/markdown.js";
import { fast, report, scenario } from "../load/baseline-fixture.js";
import { HAS_CHROMIUM, launchChromium, openFile, warnIfNoChromium } from "./chromium.js";

warnIfNoChromium("report/bench-baseline-html");

const FILE = `base<img src=x onerror="window.__pwned=1">.json`;
const SHOTS = "/tmp/shots";
let work: string;
let context: BrowserContext | undefined;
let compared: BenchReport;

/** The page's globals, as the tests read them (no DOM types in this project). */
interface InPage {
  __pwned?: number;
  document: { documentElement: { dataset: Record<string, string | undefined> } };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "bench-baseline-html-"));
  const before = report([
    scenario("list-default", fast(1), 1000),
    scenario("list-filters", fast(2), 800),
  ]);
  const after = report([
    scenario("list-default", fast(5, 20), 45),
    scenario("list-filters", fast(3), 800),
  ]);
  compared = withBaseline(after, compareWithBaseline(after, baselineOf(before), FILE));
  if (HAS_CHROMIUM) context = await launchChromium(work);
}, 60_000);

afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the baseline in summary.md", () => {
  it("fails on the baseline alone, with a table per scenario", () => {
    expect(compared.verdict).toBe("fail");
    expect(compared.exitCode).toBe(1);
    const summary = benchMarkdown(compared);
    expect(summary).toMatch(/^\*\*FAIL\*\*: slower than the baseline, beyond the noise\.$/m);
    expect(summary).toMatch(
      /^- slower: list-default p50 1\.\d\d ms -> 2\d\.\d ms \(\+\d+%\), beyond the noise \(p=0\.004, 5 rounds each\)$/m,
    );
    expect(summary).toMatch(/^### ❌ list-default: slower beyond the noise$/m);
    expect(summary).toMatch(/^### ✅ list-filters: the same within the noise$/m);
    const table = summary.split("### ✅ list-filters")[1] ?? "";
    expect(table).toMatch(/^\| metric \| baseline \| now \| change \| verdict \|$/m);
    for (const metric of ["p50", "p90", "p99", "p99.9", "req/s"]) {
      expect(table).toMatch(
        new RegExp(
          `^\\| ${metric.replace(".", "\\.").replace("/", "\\/")} \\| [^|]+ \\| [^|]+ \\| [^|]+ \\| same[^|]*\\|$`,
          "m",
        ),
      );
    }
    expect(summary).toContain("one-sided Mann–Whitney U test, 5 rounds each");
  });
});

describe.skipIf(!HAS_CHROMIUM)("the baseline in bench.html, in Chromium", () => {
  it("names the slower scenario, shows the table, draws the baseline's curve beside the run's", async () => {
    const file = join(work, "bench.html");
    writeFileSync(file, benchHtml(compared));
    const { page, requests, problems } = await openFile(context as BrowserContext, file);
    await page.waitForFunction(
      () => (globalThis as unknown as InPage).document.documentElement.dataset.chartsDrawn,
    );
    expect(problems).toEqual([]);
    expect(requests.every((url) => url.startsWith("file:"))).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as InPage).__pwned)).toBeUndefined();
    const banner = await page.locator("header, .banner").first().innerText();
    expect(banner).toMatch(/1 of the 2 scenarios slower than the baseline, beyond the noise/);
    expect(banner).toMatch(/Slower than the baseline: list-default p50, p90, p99, p99\.9, req\/s/);
    const section = page.locator("#scenario-1");
    expect(await section.innerText()).toContain(`Baseline ${FILE}`);
    const rows = section.locator("table.baseline tbody tr");
    expect(await rows.count()).toBe(5);
    expect(await rows.first().innerText()).toMatch(
      /^p50\s+1\.\d\d ms\s+2\d\.\d ms\s+\+\d+%\s+slower p=0\.004/,
    );
    expect(await page.locator("#scenario-2 table.baseline").innerText()).toMatch(
      /same within noise/,
    );
    const chart = section.locator('figure[data-chart$="-percentiles"]');
    const legend = await chart.locator(".u-legend").innerText();
    expect(legend).toMatch(/latency \(service time\)/);
    expect(legend).toMatch(/baseline \(/);
    mkdirSync(SHOTS, { recursive: true });
    await chart.screenshot({ path: join(SHOTS, "bench-baseline.png") });
  });
});
