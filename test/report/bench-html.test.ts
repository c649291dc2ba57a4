/**
 * bench.html as a reader sees it: a BenchReport made by hand (a closed list-deep-pages
 * scenario with page depths, an open mixed one with its uncorrected latency; real
 * HdrHistograms), written to a file and opened in headless Chromium (Debian's `chromium`,
 * driven by playwright-core): every chart is drawn (a uPlot root, a canvas of its size, with
 * coloured pixels on it), the legends name the series, nothing is refused by the page's
 * Content-Security-Policy and no error is logged. Markup in the run's text (a scenario's
 * name, an invalid answer, the target) does not run and shows as text. A full-page
 * screenshot is left in /tmp/shots/bench.png, to look at.
 */
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the text a reader sees, which is what these tests assert
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  encodeHistogram,
  figuresOf,
  type Histogram,
  newHistogram,
  percentileMs,
  recordMs,
} from "../../src/load/histogram.js";
import type {
  BenchReport,
  DepthPoint,
  ScenarioResult,
  SecondPoint,
  ThresholdResult,
} from "../../src/load/results.js";
import { benchHtml, msText } from "../../src/report/bench/html.js";
import { Random } from "../../src/util/random.js";
import {
  HAS_CHROMIUM,
  launchChromium,
  type Opened,
  openFile,
  warnIfNoChromium,
} from "./chromium.js";

warnIfNoChromium("report/bench-html");

const SCRIPT = "<script>window.__pwned=1</script>";
const IMG = `"><img src=x onerror="window.__pwned=2">`;
const STYLE = "</style><script>window.__pwned=3</script>";
const SHOTS = "/tmp/shots";
/** When the synthesized scenarios' measured time starts (1 Dec 2026, 09:00 UTC). */
const MEASURED_FROM_MS = Date.UTC(2026, 11, 1, 9);

/** A seeded generator (the project's mulberry32): the same histograms every run. */
function random(seed: number): () => number {
  const generator = new Random(seed);
  return () => generator.next();
}

/** Log-normal latencies around `medianMs`, with a rare slow tail. */
function latencies(count: number, medianMs: number, seed: number): number[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next());
    const tail = next() < 0.004 ? 20 + next() * 60 : 0;
    return medianMs * Math.exp(0.45 * normal) + tail;
  });
}

function histogramOf(values: number[]): Histogram {
  const histogram = newHistogram();
  for (const ms of values) recordMs(histogram, ms);
  return histogram;
}

function seconds(values: number[], perSecond: number, failEvery = 0): SecondPoint[] {
  const points: SecondPoint[] = [];
  for (let start = 0; start < values.length; start += perSecond) {
    const slice = values.slice(start, start + perSecond);
    const histogram = histogramOf(slice);
    const index = points.length;
    points.push({
      second: index + 1,
      requests: slice.length,
      errors: failEvery > 0 && index % failEvery === failEvery - 1 ? 3 : 0,
      non2xx: failEvery > 0 && index % failEvery === 0 ? 1 : 0,
      p50Ms: percentileMs(histogram, 50),
      p99Ms: percentileMs(histogram, 99),
    });
  }
  return points;
}

function threshold(
  source: string,
  metric: string,
  operator: ThresholdResult["operator"],
  limit: number,
  value: number,
  origin: ThresholdResult["origin"] = "scenario",
): ThresholdResult {
  const passed =
    operator === "<"
      ? value < limit
      : operator === "<="
        ? value <= limit
        : operator === ">"
          ? value > limit
          : operator === ">="
            ? value >= limit
            : operator === "="
              ? value === limit
              : value !== limit;
  return { source, origin, metric, operator, limit, value, passed };
}

function deepPages(name = "list-deep-pages"): ScenarioResult {
  const depths = [1, 10, 100, 1000, 4213, 4214];
  const depth: DepthPoint[] = [];
  const all: number[] = [];
  depths.forEach((pageNumber, index) => {
    const pastTheEnd = pageNumber === 4214;
    const median = pastTheEnd ? 0.9 : 0.6 + Math.log10(pageNumber) * 1.7;
    const values = latencies(1_200, median, 100 + index);
    all.push(...values);
    const figures = figuresOf(histogramOf(values));
    depth.push({
      pageNumber,
      requests: values.length,
      p50Ms: figures.p50Ms,
      p90Ms: figures.p90Ms,
      p99Ms: figures.p99Ms,
      maxMs: figures.maxMs,
      pastTheEnd,
    });
  });
  // The requests came round-robin over the depths: interleave them for the seconds.
  const interleaved = all.map(
    (_, i) => all[(i % depths.length) * 1_200 + Math.floor(i / depths.length)] as number,
  );
  const histogram = histogramOf(all);
  const latency = figuresOf(histogram);
  const rps = all.length / 10;
  return {
    name,
    description:
      "GET /api/v1/tickets/details at pageNumber 1, 10, 100, ... past the end: latency against page depth",
    model: { kind: "closed", connections: 4 },
    settings: { durationSeconds: 10, warmupSeconds: 1, validateSample: 0.1, seed: 42, rounds: 5 },
    verdict: "pass",
    measuredFromMs: MEASURED_FROM_MS,
    measuredToMs: MEASURED_FROM_MS + 10_000,
    rounds: [],
    latency,
    rps,
    counts: {
      requests: all.length,
      ok: all.length,
      non2xx: 0,
      errors: 0,
      invalid: 0,
      validated: 720,
      dropped: 0,
      late: 0,
    },
    statuses: { "200": all.length },
    histograms: { latency: encodeHistogram(histogram), perSecond: [] },
    perSecond: seconds(interleaved, all.length / 10),
    depth,
    thresholds: [
      threshold("errors=0", "errors", "=", 0, 0),
      threshold("invalid=0", "invalid", "=", 0, 0),
      threshold("p99<50ms", "p99", "<", 50, latency.p99Ms, "config"),
    ],
    invalidExamples: [],
  };
}

function mixedOpen(name = "mixed"): ScenarioResult {
  const sent = latencies(6_000, 3.2, 7);
  const next = random(99);
  // Three stalls: the requests due during each waited to be sent.
  const corrected = sent.map((ms, i) => {
    const inStall = [1_500, 3_100, 4_700].some((start) => i >= start && i < start + 40);
    return inStall ? ms + 15 + next() * 35 : ms;
  });
  const latencyHistogram = histogramOf(corrected);
  const uncorrectedHistogram = histogramOf(sent);
  const latency = figuresOf(latencyHistogram);
  return {
    name,
    description:
      "Reads and writes in the proportions of the `mixed` profile: list, get, create, update",
    model: { kind: "open", rate: 200, maxInFlight: 64 },
    settings: { durationSeconds: 30, warmupSeconds: 5, validateSample: 0.05, seed: 42, rounds: 5 },
    verdict: "fail",
    measuredFromMs: MEASURED_FROM_MS,
    measuredToMs: MEASURED_FROM_MS + 30_000,
    rounds: [],
    latency,
    uncorrected: figuresOf(uncorrectedHistogram),
    rps: 199.4,
    counts: {
      requests: 6_000,
      ok: 5_984,
      non2xx: 6,
      errors: 10,
      invalid: 2,
      validated: 300,
      dropped: 3,
      late: 118,
    },
    statuses: { "200": 4_790, "201": 1_194, "429": 6 },
    histograms: {
      latency: encodeHistogram(latencyHistogram),
      uncorrected: encodeHistogram(uncorrectedHistogram),
      perSecond: [],
    },
    perSecond: seconds(corrected, 200, 4),
    thresholds: [
      threshold("p99<20ms", "p99", "<", 20, latency.p99Ms),
      threshold("p50<10ms", "p50", "<", 10, latency.p50Ms),
      threshold("rps>=190", "rps", ">=", 190, 199.4, "flag"),
      threshold("invalid=0", "invalid", "=", 0, 2),
    ],
    invalidExamples: [
      {
        message: "`priority`: must be equal to one of the allowed values (got `urgent`)",
        status: 200,
        curl: `curl -sS -X GET 'http://127.0.0.1:41234/api/v1/tickets/7781' -H "X-API-Key: $TICKETS_API_KEY"`,
      },
      {
        message: "`updatedAt` is before `createdAt`",
        status: 201,
        curl: `curl -sS -X POST 'http://127.0.0.1:41234/api/v1/tickets' -H "X-API-Key: $TICKETS_API_KEY" -H 'Content-Type: application/json' --data-raw '{"title":"load 19","priority":"low"}'`,
      },
    ],
  };
}

function benchReport(
  scenarios: ScenarioResult[],
  overrides: Partial<BenchReport> = {},
): BenchReport {
  const failed = scenarios.some((scenario) => scenario.verdict === "fail");
  return {
    format: "tickets-api-harness/bench@1",
    runId: "2026-11-27T18-20-44Z-3f9a",
    startedAt: "2026-11-27T18:20:44.342Z",
    durationMs: 47_800,
    target: { baseUrl: "http://127.0.0.1:41234", embedded: true, tickets: 50_000 },
    seed: 42,
    environment: {
      cpuModel: "AMD EPYC 7B13",
      cpus: 2,
      loadAverage: [0.31, 0.22, 0.18],
      node: "v20.20.0",
      platform: "linux x64",
      sharedCores: true,
    },
    verdict: failed ? "fail" : "pass",
    exitCode: failed ? 1 : 0,
    scenarios,
    leftovers: [],
    ...overrides,
  };
}

/** The hostile run: markup in every text of bench.json a page shows. */
function hostileReport(): BenchReport {
  const closed = deepPages(`deep ${SCRIPT}`);
  closed.description = `A description with ${IMG} and \`${STYLE}\``;
  const open = mixedOpen(`mixed ${IMG}`);
  open.statuses = { ...open.statuses, [SCRIPT]: 1 };
  open.thresholds = [...open.thresholds, threshold(`p99<${SCRIPT}`, "p99", "<", 20, 30, "flag")];
  open.invalidExamples = [
    {
      message: `the server said ${SCRIPT} and ${IMG}`,
      status: 200,
      curl: `curl 'http://127.0.0.1:41234/api/v1/tickets?q=${SCRIPT}' --data-raw '${STYLE}'`,
    },
  ];
  open.incomplete = `stopped: ${STYLE}`;
  return benchReport([closed, open], {
    target: { baseUrl: `http://127.0.0.1:41234/${SCRIPT}`, embedded: false },
    environment: {
      cpuModel: `CPU ${IMG}`,
      cpus: 2,
      loadAverage: [1.5, 1, 1],
      node: `v20 ${SCRIPT}`,
      platform: STYLE,
      sharedCores: false,
    },
    leftovers: [
      {
        kind: "chat",
        chatId: SCRIPT,
        reason: `its create got no readable answer, and the list answered 500 ${IMG}`,
        curl: `curl -sS -X GET 'http://127.0.0.1:41234/api/v1/tickets/details?chatIds=${STYLE}'`,
      },
    ],
    incomplete: `the target went away: ${SCRIPT}`,
  });
}

const work = mkdtempSync(join(tmpdir(), "bench-html-"));
const files = {
  good: join(work, "good", "bench.html"),
  hostile: join(work, "hostile", "bench.html"),
  empty: join(work, "empty", "bench.html"),
};
const pages: Record<keyof typeof files, string> = { good: "", hostile: "", empty: "" };
let context: BrowserContext | undefined;
let bypassing: BrowserContext | undefined;

function emptyScenario(): ScenarioResult {
  const empty = newHistogram();
  return {
    ...deepPages("list-default"),
    model: { kind: "closed", connections: 8 },
    verdict: "fail",
    latency: figuresOf(empty),
    rps: 0,
    counts: {
      requests: 0,
      ok: 0,
      non2xx: 0,
      errors: 0,
      invalid: 0,
      validated: 0,
      dropped: 0,
      late: 0,
    },
    statuses: {},
    histograms: { latency: encodeHistogram(empty), perSecond: [] },
    perSecond: [],
    depth: undefined,
    thresholds: [],
    incomplete: "the target refused every connection",
  };
}

beforeAll(async () => {
  pages.good = benchHtml(benchReport([deepPages(), mixedOpen()]));
  pages.hostile = benchHtml(hostileReport());
  pages.empty = benchHtml(
    benchReport([emptyScenario()], {
      verdict: "incomplete",
      incomplete: "the target refused every connection",
    }),
  );
  for (const [key, file] of Object.entries(files)) {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, pages[key as keyof typeof files]);
  }
  if (HAS_CHROMIUM) {
    context = await launchChromium(work);
    bypassing = await launchChromium(work, { bypassCSP: true });
    await context.addInitScript(recordViolations);
    await bypassing.addInitScript(recordViolations);
  }
}, 60_000);

afterAll(async () => {
  await context?.close();
  await bypassing?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("bench.html, as text", () => {
  it("is one self-contained page: one inline script, allowed by its hash, nothing fetched", () => {
    const page = pages.good;
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(page.match(/<script/g)).toHaveLength(1);
    const hash = createHash("sha256")
      .update(scripts[0]?.[1] as string, "utf8")
      .digest("base64");
    expect(page).toContain(`script-src 'sha256-${hash}'`);
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/<link|<img|<iframe|@import|url\(/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("inlines uPlot and the curves' points, not the histograms or their decoder", () => {
    const report = benchReport([deepPages(), mixedOpen()]);
    const script = /<script>([\s\S]*?)<\/script>/.exec(pages.good)?.[1] as string;
    expect(script).toContain("uPlot");
    expect(script).toContain("drawBenchCharts(uPlot, ");
    expect(script).not.toContain("decodeFromCompressedBase64");
    for (const scenario of report.scenarios) {
      expect(pages.good).not.toContain(scenario.histograms.latency.slice(0, 40));
    }
  });

  it("puts the verdict first and names the broken thresholds", () => {
    const banner = /<header[\s\S]*?<\/header>/.exec(pages.good)?.[0] as string;
    expect(banner).toContain("FAIL");
    expect(banner).toContain("2 of the 7 thresholds broken, in 1 of the 2 scenarios.");
    expect(banner).toContain("<code>p99&lt;20ms</code>");
    expect(banner).toContain("<code>invalid=0</code> (measured 2)");
    expect(pages.good.indexOf("<header")).toBeLessThan(pages.good.indexOf("Measured on"));
  });

  it("says when the generator and the target share the machine's cores", () => {
    expect(pages.good).toContain("Generator and target shared this machine's 2 cores.");
    expect(pages.good).toContain("AMD EPYC 7B13");
    expect(pages.good).not.toContain("already busy");
    expect(pages.hostile).not.toContain("shared this machine");
    expect(pages.hostile).toContain("already busy when the run started");
  });

  it("shows milliseconds to three significant digits", () => {
    expect([0.1834, 2.456, 24.56, 245.6, 1234.5, 0].map(msText)).toEqual([
      "0.183",
      "2.46",
      "24.6",
      "246",
      "1,235",
      "0",
    ]);
  });

  it("escapes the run's text everywhere, in the script too", () => {
    const page = pages.hostile;
    for (const payload of [SCRIPT, IMG, STYLE]) expect(page).not.toContain(payload);
    expect(page.match(/<script/g)).toHaveLength(1);
    // One style element, the page's own (page.css, uPlot's and bench.css): the payload's </style> is text.
    expect(page.match(/<\/style/g)).toHaveLength(1);
    expect(page).toContain("&lt;script&gt;window.__pwned=1&lt;/script&gt;");
  });
});

/**
 * The little of the browser these tests read in the page, typed here: the project's
 * TypeScript lib has no DOM. (Casts only: nothing of this file runs in the page but the
 * functions given to evaluate.)
 */
interface InPage {
  document: {
    documentElement: { dataset: Record<string, string | undefined> };
    scripts: { length: number };
    addEventListener(
      type: "securitypolicyviolation",
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
  __violations?: string[];
  __pwned?: unknown;
}

interface CanvasInPage {
  width: number;
  height: number;
  getBoundingClientRect(): { width: number; height: number };
  getContext(kind: "2d"): {
    getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> };
  };
}

/** Records the page's Content-Security-Policy violations, before any script of its own. */
function recordViolations(): void {
  const inPage = globalThis as unknown as InPage;
  const seen: string[] = [];
  inPage.__violations = seen;
  inPage.document.addEventListener("securitypolicyviolation", (event) =>
    seen.push(`${event.violatedDirective}: ${event.blockedURI}`),
  );
}

/** How many charts the page's script drew (it says so when it is done), or undefined. */
function chartsDrawn(page: Page): Promise<string | undefined> {
  return page.evaluate(
    () => (globalThis as unknown as InPage).document.documentElement.dataset.chartsDrawn,
  );
}

async function open(
  file: string,
  from = context,
): Promise<Opened & { violations: () => Promise<string[]> }> {
  const opened = await openFile(from as BrowserContext, file);
  await opened.page.waitForFunction(
    () =>
      (globalThis as unknown as InPage).document.documentElement.dataset.chartsDrawn !== undefined,
  );
  return {
    ...opened,
    violations: () =>
      opened.page.evaluate(
        () => (globalThis as unknown as InPage).__violations ?? ["not recorded"],
      ),
  };
}

interface CanvasLook {
  width: number;
  height: number;
  /** Pixels of a saturated colour (a series, a threshold), not the grey of grid and axes. */
  coloured: number;
}

function looks(page: Page): Promise<CanvasLook[]> {
  return page.$$eval(".uplot canvas", (canvases) =>
    (canvases as unknown as CanvasInPage[]).map((canvas) => {
      const box = canvas.getBoundingClientRect();
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]] as [
          number,
          number,
          number,
          number,
        ];
        if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured += 1;
      }
      return { width: box.width, height: box.height, coloured };
    }),
  );
}

describe.skipIf(!HAS_CHROMIUM)("bench.html in Chromium", () => {
  it("draws every chart: seven uPlot roots, canvases of their size, lines on them", async () => {
    const opened = await open(files.good);
    const { page } = opened;
    expect(await chartsDrawn(page)).toBe("7");
    expect(await page.locator(".uplot").count()).toBe(7);
    expect(await page.locator(".chart-slot[data-drawn=true]").count()).toBe(7);
    const canvases = await looks(page);
    expect(canvases).toHaveLength(7);
    for (const canvas of canvases) {
      expect(canvas.width).toBeGreaterThan(400);
      expect(canvas.height).toBeGreaterThan(200);
      expect(canvas.coloured).toBeGreaterThan(300);
    }
    // Per scenario, in the page's order: the percentile plot, throughput, latency over time,
    // and for list-deep-pages the page depth.
    const legends = await page.locator(".uplot .u-legend").allInnerTexts();
    expect(legends).toHaveLength(7);
    expect(legends[0]).toContain("latency (service time)");
    expect(legends[1]).toContain("requests/s");
    expect(legends[1]).toContain("failed/s (errors + non-2xx)");
    expect(legends[2]).toMatch(/p50[\s\S]*p99/);
    expect(legends[3]).toMatch(/p50[\s\S]*p90[\s\S]*p99/);
    expect(legends[4]).toContain("corrected (from intended start)");
    expect(legends[4]).toContain("uncorrected (from send)");
    expect(await opened.violations()).toEqual([]);
    expect(opened.problems).toEqual([]);
    expect(opened.requests).toHaveLength(1);
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, "bench.html"), pages.good);
    await page.screenshot({ path: join(SHOTS, "bench.png"), fullPage: true });
    await page.screenshot({
      path: join(SHOTS, "bench-top.png"),
      clip: { x: 0, y: 0, width: 1280, height: 900 },
    });
    for (const id of ["scenario-1", "scenario-2"]) {
      await page.locator(`#${id}`).screenshot({ path: join(SHOTS, `bench-${id}.png`) });
    }
    await page.close();
  });

  it("shows a hover's values in the legend", async () => {
    const { page } = await open(files.good);
    const over = page.locator(".uplot .u-over").first();
    const box = (await over.boundingBox()) as { width: number; height: number };
    await over.hover({ position: { x: box.width * 0.6, y: box.height / 2 } });
    const legend = page.locator(".uplot .u-legend").first();
    await expect.poll(() => legend.innerText()).toMatch(/percentile\s*\d+(\.\d+)?%/);
    expect(await legend.innerText()).toMatch(/\d+(\.\d+)? ms/);
    await page.close();
  });

  it("runs none of the run's markup and shows it as text, with and without the policy", async () => {
    for (const from of [context, bypassing]) {
      const opened = await open(files.hostile, from);
      const { page } = opened;
      expect(await page.evaluate(() => (globalThis as unknown as InPage).__pwned)).toBe(undefined);
      expect(
        await page.evaluate(() => (globalThis as unknown as InPage).document.scripts.length),
      ).toBe(1);
      expect(await page.locator("img").count()).toBe(0);
      const text = await page.locator("body").innerText();
      expect(text).toContain(`deep ${SCRIPT}`);
      expect(text).toContain(`the server said ${SCRIPT} and ${IMG}`);
      expect(text).toContain(STYLE);
      expect(await chartsDrawn(page)).toBe("7");
      expect(opened.problems).toEqual([]);
      if (from === context) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, "bench-hostile.png"), fullPage: true });
      }
      await page.close();
    }
  });

  it("says so where a scenario recorded nothing, and draws no empty chart", async () => {
    const opened = await open(files.empty);
    const { page } = opened;
    expect(await chartsDrawn(page)).toBe("0");
    const text = await page.locator("body").innerText();
    expect(text).toContain("INCOMPLETE");
    expect(text).toContain("No answer was recorded: no latency to chart.");
    expect(text).toContain("the target refused every connection");
    expect(opened.problems).toEqual([]);
    await page.close();
  });
});
