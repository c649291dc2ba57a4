/**
 * `tickets-harness bench` as a user runs it: short scenarios (a second or two) against
 * reference servers on loopback, the slow-list fault caught by a threshold the clean
 * server passes, and every bad input or hostile target ending in one line and its exit code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeHistogram } from "../../src/load/histogram.js";
import type { BenchReport } from "../../src/load/results.js";
import {
  DEV_API_KEY,
  type ReferenceServer,
  startReferenceServer,
} from "../../src/reference/index.js";
import { type CliExit, killCliChildren, startCli } from "../support/cli.js";

const SHORT = ["--warmup", "0.2", "--duration", "1", "--timeout", "2000"];
let clean: ReferenceServer;
let slow: ReferenceServer;
let dir: string;

beforeAll(async () => {
  [clean, slow] = await Promise.all([
    startReferenceServer({ seed: 1, tickets: 2_000, apiKey: DEV_API_KEY }),
    startReferenceServer({ seed: 1, tickets: 2_000, apiKey: DEV_API_KEY, faults: ["slow-list"] }),
  ]);
  dir = mkdtempSync(join(tmpdir(), "bench-cli-"));
});

afterAll(async () => {
  killCliChildren();
  await Promise.all([clean.close(), slow.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function bench(args: string[], timeoutMs = 60_000): Promise<CliExit> {
  return startCli(["bench", ...args], { env: { TICKETS_API_KEY: DEV_API_KEY } }).exited(timeoutMs);
}

/** The bench.json a run wrote into `out`. */
function reportIn(out: string): BenchReport {
  return JSON.parse(readFileSync(join(out, "bench.json"), "utf8")) as BenchReport;
}

/** Non-completed tickets on the clean server's fixture chats: what a run left open. */
async function openTicketsOnFixtureChats(): Promise<number> {
  // 50 chats to a request: a URL of all of them is too long for the server.
  let open = 0;
  for (let start = 0; start < clean.fixtures.chatIds.length; start += 50) {
    const chats = clean.fixtures.chatIds.slice(start, start + 50).join("&chatIds=");
    for (const status of ["pending", "ongoing"]) {
      const answer = await fetch(
        `${clean.url}/api/v1/tickets/details?status=${status}&pageSize=100&chatIds=${chats}`,
        { headers: { authorization: DEV_API_KEY } },
      );
      open += ((await answer.json()) as unknown[]).length;
    }
  }
  return open;
}

function noStackTrace(result: CliExit): void {
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/internal error/);
}

describe("bench against a target", () => {
  it("runs a closed scenario and writes bench.json, summary.md and bench.html", async () => {
    const out = join(dir, "closed");
    const result = await bench([
      "--base-url",
      clean.url,
      "--scenario",
      "list-filters",
      "--connections",
      "2",
      ...SHORT,
      "--report-dir",
      out,
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/pass {2}list-filters: p50 [\d.]+ ms, p99 [\d.]+ ms/);
    const report = reportIn(out);
    expect(report.format).toBe("tickets-api-harness/bench@1");
    const [scenario] = report.scenarios;
    expect(scenario?.counts.requests).toBeGreaterThan(10);
    expect(scenario?.counts.validated).toBeGreaterThan(0);
    expect(scenario?.counts.invalid).toBe(0);
    // The histogram is the standard encoding, at microsecond resolution: it decodes whole.
    const histogram = decodeHistogram(scenario?.histograms.latency as string);
    expect(histogram.totalCount).toBe(scenario?.counts.ok);
    expect(scenario?.latency.p50Ms).toBeGreaterThan(0);
    expect(report.environment.sharedCores).toBe(true);
    expect(readFileSync(join(out, "summary.md"), "utf8")).toMatch(
      /^# tickets-api-harness bench\n\n\*\*PASS\*\*/,
    );
    expect(readFileSync(join(out, "bench.html"), "utf8")).toMatch(/<html/);
    expect(`${result.stdout}${readFileSync(join(out, "bench.json"), "utf8")}`).not.toContain(
      DEV_API_KEY,
    );
  });

  it("runs the open model at a constant rate and reports corrected and uncorrected latency", async () => {
    const out = join(dir, "open");
    const result = await bench([
      "--base-url",
      clean.url,
      "--scenario",
      "list-default",
      "--rate",
      "50",
      ...SHORT,
      "--report-dir",
      out,
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [scenario] = reportIn(out).scenarios;
    expect(scenario?.model).toMatchObject({ kind: "open", rate: 50 });
    expect(scenario?.uncorrected).toBeDefined();
    expect(scenario?.counts.requests).toBeGreaterThanOrEqual(40);
    expect(scenario?.counts.dropped).toBe(0);
  });

  it("catches the slow-list fault with a threshold the clean server passes", async () => {
    const gate = [
      "--scenario",
      "list-default",
      "--connections",
      "1",
      "--threshold",
      "p50<10ms",
      ...SHORT,
    ];
    const passed = await bench([
      "--base-url",
      clean.url,
      ...gate,
      "--report-dir",
      join(dir, "gate-clean"),
    ]);
    expect(passed.code, passed.stdout).toBe(0);
    const caught = await bench([
      "--base-url",
      slow.url,
      ...gate,
      "--report-dir",
      join(dir, "gate-slow"),
    ]);
    expect(caught.code, caught.stdout).toBe(1);
    expect(caught.stdout).toMatch(
      /threshold broken: p50<10ms: measured 2\d\.\d+ ms \(limit < 10 ms\)/,
    );
    expect(readFileSync(join(dir, "gate-slow", "summary.md"), "utf8")).toMatch(/\*\*FAIL\*\*/);
  });

  it("runs the mixed scenario's writes on fixture chats and leaves nothing behind", async () => {
    const out = join(dir, "mixed");
    const result = await bench([
      "--base-url",
      clean.url,
      "--scenario",
      "mixed",
      "--connections",
      "4",
      ...SHORT,
      "--report-dir",
      out,
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/left behind/);
    const [scenario] = reportIn(out).scenarios;
    expect(Object.keys(scenario?.statuses ?? {})).toEqual(["200"]);
    const labels = new Map(scenario?.labels?.map((point) => [point.label, point.requests]));
    for (const write of ["create", "takeover", "assign", "tag", "untag"]) {
      expect(labels.get(write), `${write} requests`).toBeGreaterThan(0);
    }
    expect(await openTicketsOnFixtureChats()).toBe(0);
  });
  it("sweeps page depth to past the end and reports latency against it", async () => {
    const out = join(dir, "depth");
    const result = await bench([
      "--base-url",
      clean.url,
      "--scenario",
      "list-deep-pages",
      "--connections",
      "2",
      ...SHORT,
      "--report-dir",
      out,
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [scenario] = reportIn(out).scenarios;
    const depth = scenario?.depth ?? [];
    expect(depth.map((point) => point.pageNumber).slice(0, 3)).toEqual([1, 10, 100]);
    expect(depth.at(-1)?.pastTheEnd).toBe(true);
    expect(depth.every((point) => point.requests > 0)).toBe(true);
  });

  it("stops on Ctrl-C: cleans up what the mixed scenario created, writes the reports, exits 3", async () => {
    const out = join(dir, "interrupted");
    const child = startCli(
      [
        "bench",
        "--base-url",
        clean.url,
        "--scenario",
        "mixed",
        "--connections",
        "4",
        "--warmup",
        "0",
        "--duration",
        "30",
        "--report-dir",
        out,
      ],
      { env: { TICKETS_API_KEY: DEV_API_KEY } },
    );
    await child.line(/tickets-harness bench/);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    child.signal("SIGINT");
    const result = await child.exited(30_000);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stdout).toMatch(/interrupted \(SIGINT\)/);
    expect(result.stdout).not.toMatch(/left behind/);
    const report = reportIn(out);
    expect(report.verdict).toBe("incomplete");
    expect(report.leftovers).toEqual([]);
    expect(await openTicketsOnFixtureChats()).toBe(0);
  });
});

describe("bench refuses bad input in one line", () => {
  const refused = async (args: string[], pattern: RegExp, code = 2) => {
    const result = await bench(["--base-url", clean.url, ...args]);
    expect(result.code, result.stdout + result.stderr).toBe(code);
    expect(result.stderr).toMatch(pattern);
    noStackTrace(result);
  };

  it("a malformed threshold, an unknown metric", async () => {
    await refused(["--threshold", "p99 50ms"], /--threshold "p99 50ms": not a threshold/);
    await refused(["--threshold", "latency<5ms"], /unknown metric "latency"/);
  });

  it("an unknown scenario, a scenario file that breaks the shape", async () => {
    await refused(["--scenario", "list-everything"], /unknown scenario "list-everything"/);
    const file = join(dir, "bad.mjs");
    writeFileSync(
      file,
      'export default { name: "bad", description: "x", model: { kind: "closed", connections: 0 }, warmupSeconds: 0, durationSeconds: 1, requests() {} };\n',
    );
    await refused(["--scenario", file], /"model\.connections" must be an integer/);
  });

  it("a config whose bench section breaks its schema or holds a malformed threshold", async () => {
    const broken = join(dir, "broken-thresholds.json");
    writeFileSync(broken, JSON.stringify({ bench: { thresholds: ["p99<<5ms"] } }));
    await refused(["--config", broken], /config threshold "p99<<5ms": not a threshold/);
    const unknown = join(dir, "unknown-setting.json");
    writeFileSync(unknown, JSON.stringify({ bench: { threshold: ["p99<5ms"] } }));
    await refused(["--config", unknown], /\/bench: unknown setting "threshold"/);
  });

  it("bad flags", async () => {
    await refused(["--rate", "0"], /--rate must be a number from 0\.1/);
    await refused(["--validate-sample", "2"], /--validate-sample must be a number from 0 to 1/);
    await refused(["--duration", "x"], /--duration must be a number/);
  });
});

describe("bench against targets that misbehave", () => {
  let hostile: Server;
  let mode = "500";
  let hostileUrl = "";
  beforeAll(async () => {
    hostile = createServer((request, response) => {
      if (mode === "hang") return;
      if (mode === "500") {
        response.writeHead(500, { "content-type": "application/json" }).end('{"message":"boom"}');
        return;
      }
      // garbage: a 200 that is not a list of tickets
      response.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>");
      void request;
    });
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hostile.closeAllConnections();
    await new Promise((resolve) => hostile.close(resolve));
  });

  it("an unreachable target: exit 3, one line", async () => {
    const result = await bench([
      "--base-url",
      "http://127.0.0.1:9",
      "--scenario",
      "list-default",
      ...SHORT,
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/did not answer/);
    noStackTrace(result);
  });

  it("a hanging target: exit 3 within the timeout", async () => {
    mode = "hang";
    const result = await bench(
      ["--base-url", hostileUrl, "--scenario", "list-default", ...SHORT],
      30_000,
    );
    expect(result.code).toBe(3);
    noStackTrace(result);
  });

  it("a target answering 500 to everything under load: it measured nothing (exit 3), reports written", async () => {
    mode = "500";
    const out = join(dir, "all-500");
    const result = await bench([
      "--base-url",
      hostileUrl,
      "--scenario",
      "list-default",
      "--connections",
      "2",
      ...SHORT,
      "--report-dir",
      out,
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stdout).toMatch(/no answer was a 2xx \(\d+ × 500\)/);
    expect(reportIn(out).verdict).toBe("incomplete");
    noStackTrace(result);
  });

  it("a target answering garbage with 200: the sampled validation fails the scenario (exit 1)", async () => {
    mode = "garbage";
    const out = join(dir, "garbage");
    const result = await bench([
      "--base-url",
      hostileUrl,
      "--scenario",
      "list-default",
      "--connections",
      "2",
      "--validate-sample",
      "1",
      ...SHORT,
      "--report-dir",
      out,
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/threshold broken: invalid=0/);
    expect(result.stdout).toMatch(/invalid answer: listTicketDetails 200: the body is not JSON/);
    expect(result.stdout).toMatch(/curl -sS -X GET '.*' -H "authorization: \$TICKETS_API_KEY"/);
    noStackTrace(result);
  });
});
