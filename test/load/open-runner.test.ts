/**
 * The open-model runner against node:http servers on 127.0.0.1 whose latency is known in
 * advance: the truth is computed from the schedule (request i due at start + i / rate),
 * and the runner's histograms must match it. No assertion on elapsed wall time: a run
 * that would not stop fails by the test's time-out instead.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { figuresOf, percentileMs } from "../../src/load/histogram.js";
import { type OpenRunSummary, runOpen } from "../../src/load/open-runner.js";
import { LoadRecorder } from "../../src/load/recorder.js";
import type { PlannedRequest, RequestSource } from "../../src/load/scenario.js";

const BODY = JSON.stringify({ items: Array.from({ length: 20 }, (_, id) => ({ id })) });
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

async function serve(handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => handler(request, response, body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const answer = (response: ServerResponse) => {
  if (response.destroyed) return;
  response.writeHead(200, { "content-type": "application/json" });
  response.end(BODY);
};

/** Holds every answer until the end of the window it arrives in: `holdMs` of every `periodMs`. */
function holdWindow(epoch: number, periodMs: number, holdMs: number) {
  const latencyAt = (at: number) => {
    const phase = (((at - epoch) % periodMs) + periodMs) % periodMs;
    return phase < holdMs ? holdMs - phase : 0;
  };
  const handler: Handler = (_request, response) => {
    const wait = latencyAt(performance.now());
    if (wait === 0) answer(response);
    else setTimeout(() => answer(response), wait);
  };
  return { latencyAt, handler };
}

const gets = (path = "/tickets"): RequestSource => ({ next: () => ({ method: "GET", path }) });

/** The latencies the schedule implies, for the requests the recorder measures (answered
 * from `measureFrom` on), sorted. */
function truthOf(
  summary: OpenRunSummary,
  rate: number,
  measureFrom: number,
  latencyOf: (index: number, intended: number) => number,
): number[] {
  const latencies: number[] = [];
  for (let index = 0; index < summary.scheduled; index++) {
    const intended = summary.startedAt + (index * 1000) / rate;
    const latency = latencyOf(index, intended);
    if (intended + latency >= measureFrom) latencies.push(latency);
  }
  return latencies.sort((a, b) => a - b);
}

/** As HdrHistogram reads it: the smallest value with at least p% of the values at or under. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Within 10%, or 5 ms for small values (timer ticks on both sides). */
function expectNear(measured: number, truth: number): void {
  expect(Math.abs(measured - truth)).toBeLessThanOrEqual(Math.max(5, truth * 0.1));
}

describe("runOpen", () => {
  it("sends rate x duration requests on schedule and records every answer", async () => {
    const seen: { method: string; contentType: string | undefined; body: string }[] = [];
    const origin = await serve((request, response, body) => {
      seen.push({
        method: request.method ?? "",
        contentType: request.headers["content-type"],
        body,
      });
      answer(response);
    });
    const rate = 200;
    const warmupMs = 250;
    const durationMs = 1_500;
    const recorder = new LoadRecorder(performance.now() + warmupMs);
    let made = 0;
    const source: RequestSource = {
      next: () => {
        made++;
        return made % 5 === 0
          ? { method: "POST", path: "/tickets", body: `{"n":${made}}` }
          : { method: "GET", path: `/tickets?n=${made}` };
      },
    };
    const bodies: (string | undefined)[] = [];
    const ends: number[] = [];
    const summary = await runOpen({
      origin,
      headers: { authorization: "Bearer test" },
      rate,
      maxInFlight: 50,
      warmupMs,
      durationMs,
      timeoutMs: 2_000,
      recorder,
      source,
      keepBody: (request) => request.method === "POST",
      onAnswer: (request, status, body, at) => {
        ends.push(at);
        expect(status).toBe(200);
        bodies.push(request.method === "POST" ? body : (body ?? "not kept"));
      },
    });
    const expected = (rate * (warmupMs + durationMs)) / 1000;
    expect(summary).toMatchObject({ scheduled: expected, sent: expected, dropped: 0 });
    // The send lag of the requests due after the warm-up, every one of them.
    expect(summary.sendLag.count).toBe((rate * durationMs) / 1000);
    expect(seen).toHaveLength(expected);
    expect(made).toBe(expected);
    // What ends after the warm-up counts: every request due after it, and the warm-up's last
    // few if still in flight when it ended.
    expect(recorder.counts.requests).toBe(ends.filter((at) => at >= recorder.measureFrom).length);
    expect(recorder.counts.requests).toBeGreaterThanOrEqual((rate * durationMs) / 1000);
    expect(recorder.counts.requests).toBeLessThanOrEqual((rate * durationMs) / 1000 + 20);
    expect(recorder.counts).toMatchObject({ errors: 0, non2xx: 0, dropped: 0 });
    expect(recorder.counts.ok).toBe(recorder.counts.requests);
    expect(recorder.statuses).toEqual({ 200: recorder.counts.requests });
    expect(recorder.latency.totalCount).toBe(recorder.counts.requests);
    expect(recorder.uncorrected.totalCount).toBe(recorder.counts.requests);
    // Bodies: kept when asked for, and a body sent with its content-type.
    expect(bodies.filter((body) => body === BODY)).toHaveLength(expected / 5);
    expect(bodies.filter((body) => body === "not kept")).toHaveLength((expected * 4) / 5);
    const posts = seen.filter((request) => request.method === "POST");
    expect(posts).toHaveLength(expected / 5);
    expect(posts.every((post) => post.contentType === "application/json")).toBe(true);
    // Each as made (connections may deliver them out of order).
    const sent = Array.from({ length: expected / 5 }, (_, index) => `{"n":${(index + 1) * 5}}`);
    expect(new Set(posts.map((post) => post.body))).toEqual(new Set(sent));
  });

  it("measures from the intended start: the percentiles of a server that holds its answers", async () => {
    const rate = 200;
    const warmupMs = 200;
    const windows = holdWindow(performance.now() + 100, 500, 150);
    const origin = await serve(windows.handler);
    const recorder = new LoadRecorder(performance.now() + warmupMs);
    const summary = await runOpen({
      origin,
      headers: {},
      rate,
      maxInFlight: 100,
      warmupMs,
      durationMs: 2_000,
      timeoutMs: 2_000,
      recorder,
      source: gets(),
    });
    const truth = truthOf(summary, rate, recorder.measureFrom, (_, intended) =>
      windows.latencyAt(intended),
    );
    expect(summary.dropped).toBe(0);
    expect(recorder.counts.errors).toBe(0);
    // Answers end a little after the truth's instants: a few more may cross the warm-up's end.
    expect(recorder.counts.requests).toBeGreaterThanOrEqual(truth.length);
    expect(recorder.counts.requests).toBeLessThanOrEqual(truth.length + 20);
    // 30% of the requests held, uniformly 0-150 ms: p90 ~100 ms, p99 ~145 ms.
    expect(percentile(truth, 90)).toBeGreaterThan(80);
    for (const p of [50, 90, 99]) {
      expectNear(percentileMs(recorder.latency, p), percentile(truth, p));
    }
    // Every request was sent on time (the cap never reached), so nothing waited to be sent:
    // the service time is the same distribution. In an open model the server's stalls are
    // not coordinated away; the generator's own are (next test).
    for (const p of [90, 99]) {
      expectNear(percentileMs(recorder.uncorrected, p), percentile(truth, p));
    }
  });

  it("counts a stall of the generator itself: corrected, not in the service time", async () => {
    const rate = 200;
    const stallMs = 150;
    const warmupMs = 500;
    const origin = await serve((_request, response) => answer(response));
    const recorder = new LoadRecorder(performance.now() + warmupMs);
    // Every 100th request blocks the loop for 150 ms before it is sent (a GC pause, a busy
    // generator): the requests due meanwhile go late, all at once when it ends. The first
    // stall is in the warm-up: it opens the connections such a burst needs.
    const stalls = new Map<number, number>();
    let made = 0;
    const source: RequestSource = {
      next: () => {
        const index = made++;
        if (index % 100 === 50) {
          const until = performance.now() + stallMs;
          while (performance.now() < until) {
            // busy: nothing else runs
          }
          stalls.set(index, performance.now());
        }
        return { method: "GET", path: "/tickets" };
      },
    };
    const summary = await runOpen({
      origin,
      headers: {},
      rate,
      maxInFlight: 100,
      warmupMs,
      durationMs: 2_000,
      timeoutMs: 2_000,
      recorder,
      source,
    });
    expect(summary.dropped).toBe(0);
    expect(stalls.size).toBe(5);
    const stallEnds = [...stalls].map(([index, end]) => ({ index, end }));
    const truth = truthOf(summary, rate, recorder.measureFrom, (index, intended) => {
      const stall = stallEnds.find((one) => index >= one.index && intended <= one.end);
      return stall ? stall.end - intended : 0;
    });
    // Each latency is the wait for the stall plus the service time, and the catch-up burst
    // queues at the server (in this process): the truth, plus at most the service's p99.
    const serviceP99 = percentileMs(recorder.uncorrected, 99);
    for (const p of [90, 99]) {
      const measured = percentileMs(recorder.latency, p);
      const expected = percentile(truth, p);
      expect(measured).toBeGreaterThanOrEqual(expected - 5);
      expect(measured).toBeLessThanOrEqual(expected + Math.max(5, expected * 0.1) + serviceP99);
    }
    // The service time does not see it: that is the omission the correction puts back.
    expect(percentileMs(recorder.uncorrected, 90)).toBeLessThan(percentile(truth, 90) / 5);
    expect(percentileMs(recorder.uncorrected, 99)).toBeLessThan(percentile(truth, 99) / 3);
    // And the requests sent more than 2 ms late are counted (~29 per stall).
    expect(recorder.counts.late).toBeGreaterThanOrEqual(4 * 25);
    expect(summary.late).toBeGreaterThanOrEqual(5 * 25);
    expect(summary.sendLag.maxMs).toBeGreaterThanOrEqual(stallMs - 5);
  });

  it("drops what is due while the in-flight cap is reached, and says so", async () => {
    const origin = await serve((_request, response) => setTimeout(() => answer(response), 100));
    const recorder = new LoadRecorder(performance.now());
    const summary = await runOpen({
      origin,
      headers: {},
      rate: 100,
      maxInFlight: 2,
      warmupMs: 0,
      durationMs: 1_000,
      timeoutMs: 2_000,
      recorder,
      source: gets(),
    });
    // Two in flight, each held 100 ms: ~20 answered of 100 due, the rest dropped.
    expect(summary.scheduled).toBe(100);
    expect(summary.sent + summary.dropped).toBe(summary.scheduled);
    expect(summary.dropped).toBeGreaterThan(50);
    expect(recorder.counts.dropped).toBe(summary.dropped);
    expect(recorder.counts.requests).toBe(summary.sent);
    expect(recorder.counts.ok + recorder.counts.errors).toBe(summary.sent);
    expect(figuresOf(recorder.latency).p50Ms).toBeGreaterThanOrEqual(99);
  });

  it("times out every request to a server that never answers: errors, no latency", async () => {
    const origin = await serve(() => {
      // never answers
    });
    const recorder = new LoadRecorder(performance.now());
    const failures: number[] = [];
    const summary = await runOpen({
      origin,
      headers: {},
      rate: 50,
      maxInFlight: 100,
      warmupMs: 0,
      durationMs: 600,
      timeoutMs: 200,
      recorder,
      source: { ...gets(), onAnswer: (_request, status) => failures.push(status) },
    });
    expect(summary.sent).toBe(30);
    expect(recorder.counts).toMatchObject({ requests: 30, errors: 30, ok: 0, dropped: 0 });
    expect(recorder.latency.totalCount).toBe(0);
    expect(failures).toEqual(Array(30).fill(0));
  }, 10_000);

  it("stops at once on the signal: in-flight requests aborted, not counted as errors", async () => {
    const origin = await serve((_request, response) => setTimeout(() => answer(response), 150));
    const recorder = new LoadRecorder(performance.now());
    const controller = new AbortController();
    const answered: PlannedRequest[] = [];
    setTimeout(() => controller.abort(), 500);
    // A 60 s schedule: only the signal ends it within the test's time-out.
    const summary = await runOpen({
      origin,
      headers: {},
      rate: 100,
      maxInFlight: 100,
      warmupMs: 0,
      durationMs: 60_000,
      timeoutMs: 10_000,
      recorder,
      source: gets(),
      onAnswer: (request) => answered.push(request),
      signal: controller.signal,
    });
    expect(summary.aborted).toBe(true);
    expect(summary.sent).toBeGreaterThan(20);
    expect(recorder.counts.ok).toBe(answered.length);
    expect(recorder.counts.ok).toBeLessThan(summary.sent);
    expect(recorder.counts.errors).toBe(0);
  }, 5_000);

  it("resolves at once with an already-aborted signal", async () => {
    const recorder = new LoadRecorder(performance.now());
    const summary = await runOpen({
      origin: "http://127.0.0.1:9",
      headers: {},
      rate: 100,
      maxInFlight: 10,
      warmupMs: 0,
      durationMs: 60_000,
      timeoutMs: 1_000,
      recorder,
      source: gets(),
      signal: AbortSignal.abort(),
    });
    expect(summary).toMatchObject({ aborted: true, sent: 0 });
  }, 5_000);
});
