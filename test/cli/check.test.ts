/**
 * `tickets-harness check`, run from dist/ as a user would: bad input of every kind ends in
 * one clear line and a fixed exit code, never a hang or a stack trace; the same seed sends
 * the same requests; the key never shows; what a run creates is completed, also when it is
 * interrupted. Targets are the embedded server, `tickets-harness serve` children, and small
 * servers of our own on 127.0.0.1 (a recording proxy, a hanging one, a malformed one).
 * Every child is bounded by a timeout; every server and child is stopped after each test.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FILTERS, TRANSITIONS } from "../../src/checks/coverage.js";
import { allChecks } from "../../src/checks/registry.js";
import type { Coverage } from "../../src/checks/results.js";
import { ROUTES } from "../../src/client/tickets-client.js";
import { DEV_API_KEY } from "../../src/reference/index.js";
import { type CliChild, type CliExit, killCliChildren, runCli, startCli } from "../support/cli.js";

const RUN_MS = 25_000;
/** A stack frame, as Node prints one. */
const STACK_FRAME = /^\s+at .+[:(]/m;
/** Tickets `serve` seeds for these tests: enough for every check, quick to start. */
const SERVE_TICKETS = "1500";

// ---------------------------------------------------------------------------------------
// children, servers and temp folders, all cleaned up

const servers: Server[] = [];
const agents: Agent[] = [];
const folders: string[] = [];

afterEach(async () => {
  killCliChildren();
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "check-cli-"));
  folders.push(folder);
  return folder;
}

/**
 * Starts the built CLI in an empty folder (so no config file is picked up), without anything
 * a run would pick up by itself from the environment, plus `env`.
 */
function start(args: string[], env: Record<string, string> = {}, cwd = tempFolder()): CliChild {
  return startCli(args, { env, cwd, timeoutMs: RUN_MS });
}

/** Runs the built CLI to its end, bounded. */
function cli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = RUN_MS,
): Promise<CliExit> {
  return start(args, env).exited(timeoutMs);
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `tickets-harness serve --port 0` as a child; resolves with its base URL. */
async function serve(args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const running = start(["serve", "--port", "0", "--tickets", SERVE_TICKETS, ...args], env);
  const first = await running.line(undefined, 10_000);
  const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
  if (!match?.[1]) throw new Error(`serve did not start: ${running.stdout()}${running.stderr()}`);
  return match[1];
}

/** A server of our own on 127.0.0.1, stopped after the test. */
async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Recorded {
  method: string;
  /** Path and query, as sent. */
  url: string;
  body: string;
  status: number;
  responseBody: string;
}

/**
 * A pass-through to `target` that records every request and its answer. With
 * `hideFixtures`, it answers GET /__fixtures itself with 404, as a vendor would.
 */
async function recordingProxy(
  target: string,
  options: { hideFixtures?: boolean } = {},
): Promise<{ url: string; log: Recorded[] }> {
  const log: Recorded[] = [];
  const agent = new Agent({ keepAlive: true });
  agents.push(agent);
  const { hostname, port } = new URL(target);
  const url = await listen((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const entry = {
        method: request.method ?? "",
        url: request.url ?? "",
        body: body.toString("utf8"),
      };
      if (options.hideFixtures && entry.url.split("?")[0] === "/__fixtures") {
        const answer = JSON.stringify({ message: "not found" });
        log.push({ ...entry, status: 404, responseBody: answer });
        response.writeHead(404, { "content-type": "application/json" }).end(answer);
        return;
      }
      const headers = { ...request.headers };
      delete headers.host;
      delete headers.connection;
      const forwarded = httpRequest(
        { host: hostname, port, method: entry.method, path: entry.url, headers, agent },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => parts.push(chunk));
          answer.on("end", () => {
            const text = Buffer.concat(parts);
            log.push({ ...entry, status: answer.statusCode ?? 0, responseBody: text.toString() });
            const back = { ...answer.headers };
            delete back.connection;
            delete back["transfer-encoding"];
            delete back["keep-alive"];
            response.writeHead(answer.statusCode ?? 502, {
              ...back,
              "content-length": text.length,
            });
            response.end(text);
          });
        },
      );
      forwarded.on("error", (error) => {
        log.push({ ...entry, status: 502, responseBody: error.message });
        if (!response.headersSent) response.writeHead(502).end();
        else response.destroy();
      });
      forwarded.end(body);
    });
  });
  return { url, log };
}

/** A GET against a reference server with the development key. */
async function getJson<T>(baseUrl: string, path: string, key = DEV_API_KEY): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: key },
    signal: AbortSignal.timeout(5_000),
  });
  expect(response.status, `GET ${path}`).toBe(200);
  return (await response.json()) as T;
}

interface Fixtures {
  chatIds: string[];
  userIds: string[];
  tagIds: string[];
  ticketingTeamIds: string[];
}

/** The fixture chats that hold a pending or ongoing ticket now. */
async function busyFixtureChats(baseUrl: string, chatIds: string[]): Promise<string[]> {
  const busy: string[] = [];
  for (let at = 0; at < chatIds.length; at += 40) {
    const query = chatIds
      .slice(at, at + 40)
      .map((id) => `chatIds=${id}`)
      .join("&");
    for (const status of ["pending", "ongoing"]) {
      const page = await getJson<{ chatId: string }[]>(
        baseUrl,
        `/api/v1/tickets/details?status=${status}&pageSize=100&includeRemoved=true&${query}`,
      );
      busy.push(...page.map((ticket) => ticket.chatId));
    }
  }
  return busy;
}

/** The ids of the tickets the run created, from the proxy's log. */
function createdTickets(log: Recorded[]): string[] {
  return log
    .filter((entry) => entry.method === "POST" && entry.url === "/api/v1/tickets")
    .filter((entry) => entry.status === 200)
    .map((entry) => (JSON.parse(entry.responseBody) as { id: string }).id);
}

interface Results {
  verdict: string;
  exitCode: number;
  seed: number;
  incomplete?: string;
  requests: number;
  checks: {
    id: string;
    verdict: string;
    requests: number;
    failureCount: number;
    failures: { message: string }[];
  }[];
}

function results(dir: string): Results {
  return JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
}

function reportTexts(dir: string): string {
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .join("\n");
}

/** One line on stderr, no stack trace. */
function expectOneClearLine(exit: CliExit, message: RegExp): void {
  const lines = exit.stderr.trim().split("\n");
  expect(lines, exit.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^tickets-harness: /);
  expect(lines[0]).toMatch(message);
  expect(exit.stderr).not.toMatch(STACK_FRAME);
  expect(exit.stdout).not.toMatch(STACK_FRAME);
  expect(exit.stderr).not.toMatch(/internal error/);
}

// ---------------------------------------------------------------------------------------

describe("tickets-harness check against the embedded server", () => {
  it("passes with no base URL: exit 0, `verdict: PASS`, and the three reports", async () => {
    const dir = join(tempFolder(), "run");
    const exit = await cli(["check", "--seed", "11", "--runs", "10", "--report-dir", dir]);
    expect(exit.stderr).toBe("");
    expect(exit.stdout).toMatch(/^tickets-harness check: the embedded reference server$/m);
    expect(exit.stdout).toMatch(/^verdict: PASS /m);
    expect(exit.code).toBe(0);
    expect(readdirSync(dir)).toEqual(
      expect.arrayContaining(["junit.xml", "results.json", "summary.md"]),
    );
    const report = results(dir);
    expect(report.verdict).toBe("pass");
    expect(report.exitCode).toBe(0);
    expect(report.seed).toBe(11);
    expect(report.checks.map((check) => check.id).sort()).toEqual(
      allChecks()
        .map((check) => check.id)
        .sort(),
    );
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).toMatch(/^<\?xml[\s\S]*<testsuite/);
  });

  it("says what the run covered: every operation, list filter and lifecycle transition", async () => {
    const dir = join(tempFolder(), "run");
    const exit = await cli(["check", "--seed", "5", "--runs", "10", "--report-dir", dir]);
    expect(exit.code, exit.stdout + exit.stderr).toBe(0);
    const { coverage, checks } = results(dir) as Results & { coverage: Coverage };
    expect(coverage.operations.map((operation) => operation.operationId).sort()).toEqual(
      Object.keys(ROUTES).sort(),
    );
    for (const operation of coverage.operations) {
      expect(operation.documented, operation.operationId).toContain(200);
      expect(operation.observed["200"], operation.operationId).toBeGreaterThan(0);
    }
    expect(coverage.filters.map((filter) => filter.filter)).toEqual([...FILTERS]);
    for (const filter of coverage.filters) {
      expect(filter.nonEmpty, filter.filter).toBeGreaterThan(0);
      expect(filter.items, filter.filter).toBeGreaterThanOrEqual(filter.nonEmpty);
    }
    expect(coverage.transitions.map((transition) => transition.transition)).toEqual(
      TRANSITIONS.map(([name]) => name),
    );
    expect(coverage.transitions.filter((transition) => transition.runs === 0)).toEqual([]);
    expect(coverage.unattributed).toEqual([]);
    // What it never exercised is a warning, one line each, of the check it leaves untried.
    const never = coverage.operations.filter((operation) => operation.neverObserved.length > 0);
    const status = checks.find((check) => check.id === "status_code_conformance") as {
      warnings?: { message: string }[];
    };
    expect(status.warnings?.length ?? 0).toBe(never.length);
    const summary = readFileSync(join(dir, "summary.md"), "utf8");
    expect(summary).toContain("## Coverage");
    expect(summary).toContain("| `tagIds` |");
    expect(summary).toContain("| complete from pending | `completeTicket` 200 |");
  });
});

describe("the time budget", () => {
  it("--budget 2 with --runs 1000: exit 3 soon after the budget, saying so, with the reports", async () => {
    const dir = join(tempFolder(), "run");
    const exit = await cli(["check", "--budget", "2", "--runs", "1000", "--report-dir", dir]);
    expect(exit.code, exit.stdout + exit.stderr).toBe(3);
    expect(exit.ms).toBeLessThan(10_000);
    expect(exit.stdout).toMatch(/^verdict: INCOMPLETE /m);
    expect(exit.stdout).toMatch(/^incomplete: the run's time budget ran out/m);
    expect(exit.stderr).toBe("");
    expect(results(dir)).toMatchObject({ verdict: "incomplete", exitCode: 3 });
  });
});

describe("the same seed sends the same requests", () => {
  /** The run's requests, with the ids the server minted (random) numbered in order. */
  function requestLines(log: Recorded[]): string[] {
    const minted = new Map<string, string>();
    for (const id of createdTickets(log)) {
      if (!minted.has(id)) minted.set(id, `<minted-${minted.size + 1}>`);
    }
    const pattern = minted.size > 0 ? new RegExp([...minted.keys()].join("|"), "g") : undefined;
    const normalise = (text: string) =>
      pattern ? text.replace(pattern, (id) => minted.get(id) ?? id) : text;
    return log.map((entry) => normalise(`${entry.method} ${entry.url} ${entry.body}`));
  }

  it("two runs with --seed 5 against fresh servers of one seed: the same request lines, the same verdicts", async () => {
    const runs = [];
    for (const _ of [1, 2]) {
      const target = await serve(["--seed", "3"]);
      const proxy = await recordingProxy(target);
      const dir = join(tempFolder(), "run");
      const exit = await cli(
        ["check", "--base-url", proxy.url, "--seed", "5", "--runs", "5", "--report-dir", dir],
        { TICKETS_API_KEY: DEV_API_KEY },
      );
      expect(exit.code, exit.stdout + exit.stderr).toBe(0);
      runs.push({ lines: requestLines(proxy.log), report: results(dir) });
    }
    const [first, second] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(first.lines.length).toBeGreaterThan(200);
    expect(first.lines.some((line) => line.startsWith("POST /api/v1/tickets "))).toBe(true);
    expect(first.lines.some((line) => line.includes("<minted-"))).toBe(true);
    expect(second.lines).toEqual(first.lines);
    const perCheck = (report: Results) =>
      report.checks.map(({ id, verdict, requests, failures }) => ({
        id,
        verdict,
        requests,
        failures: failures.map((failure) => failure.message),
      }));
    expect(perCheck(second.report)).toEqual(perCheck(first.report));
    expect(second.report.requests).toBe(first.report.requests);
  });
});

describe("a target that cannot be tested ends in one clear line, never a hang", () => {
  it("a closed port: exit 3 naming the URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const dir = join(tempFolder(), "run");
    const exit = runCli(["check", "--base-url", url, "--report-dir", dir], {
      TICKETS_API_KEY: "some-key-for-a-closed-port",
    });
    expectOneClearLine({ ...exit, signal: null, ms: 0 }, new RegExp(`${url}.*connection refused`));
    expect(exit.code).toBe(3);
  });

  it("a server that accepts and never answers, with --timeout 300: exit 3 within seconds", async () => {
    const url = await listen(() => {
      // never answers
    });
    const exit = await cli(
      ["check", "--base-url", url, "--timeout", "300", "--report-dir", join(tempFolder(), "r")],
      { TICKETS_API_KEY: "some-key-for-a-hanging-server" },
      10_000,
    );
    expectOneClearLine(
      exit,
      new RegExp(`target ${url} did not answer: .*no response within 300 ms`),
    );
    expect(exit.code).toBe(3);
    expect(exit.ms).toBeLessThan(5_000);
  });

  describe("a server answering every request `200 text/html <html>hi</html>`", () => {
    const html = () =>
      listen((_request, response) => {
        response.writeHead(200, { "content-type": "text/html" }).end("<html>hi</html>");
      });

    it("with --read-only (no fixtures needed) the run completes with failures: exit 1, the content type named", async () => {
      const url = await html();
      const dir = join(tempFolder(), "run");
      const exit = await cli(
        ["check", "--base-url", url, "--read-only", "--seed", "2", "--report-dir", dir],
        { TICKETS_API_KEY: "some-key-for-an-html-server" },
      );
      expect(exit.stderr).toBe("");
      expect(exit.stdout).toMatch(/^ {2}FAIL {2}content_type_conformance: /m);
      expect(exit.stdout).toMatch(/^verdict: FAIL /m);
      expect(exit.code).toBe(1);
      const report = results(dir);
      expect(report.verdict).toBe("fail");
      expect(report.exitCode).toBe(1);
      expect(readFileSync(join(dir, "summary.md"), "utf8")).toMatch(/text\/html/);
    });

    it("without fixtures a full run cannot start: exit 2, naming what is missing and what the target answered", async () => {
      const url = await html();
      const exit = await cli(
        ["check", "--base-url", url, "--report-dir", join(tempFolder(), "r")],
        {
          TICKETS_API_KEY: "some-key-for-an-html-server",
        },
      );
      expectOneClearLine(
        exit,
        /missing fixtures: chatIds .*--fixtures FILE.*answered 200 text\/html, not a JSON array/,
      );
      expect(exit.code).toBe(2);
    });
  });

  it("a server answering every request 401: exit 2, the key refused, naming the variable, never the key", async () => {
    const key = "tk-refused-Qx81zV-4471";
    const url = await listen((_request, response) => {
      response
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ message: "unauthorized" }));
    });
    const exit = await cli(["check", "--base-url", url, "--report-dir", join(tempFolder(), "r")], {
      TICKETS_API_KEY: key,
    });
    expectOneClearLine(exit, /refused the API key in \$TICKETS_API_KEY \(401\)/);
    expect(exit.code).toBe(2);
    expect(exit.stdout + exit.stderr).not.toContain(key);
  });
});

describe("bad usage and bad config: exit 2, one line", () => {
  function withConfig(text: string): string {
    const file = join(tempFolder(), "tickets-harness.config.json");
    writeFileSync(file, text);
    return file;
  }

  it.each([
    ["a config that is not JSON", () => withConfig("{ baseUrl: nope"), /not valid JSON/],
    [
      "an unknown setting",
      () => withConfig(JSON.stringify({ timeoutMs: 1000, retries: 3 })),
      /unknown setting "retries"/,
    ],
    [
      "the API key in the config",
      () => withConfig(JSON.stringify({ apiKey: "tk-in-a-file-Zr52" })),
      /"apiKey" is not a setting: the API key never goes in a file/,
    ],
    [
      "a setting out of range",
      () => withConfig(JSON.stringify({ runs: 0 })),
      /\/runs: must be >= 1/,
    ],
    [
      "a config that does not exist",
      () => join(tempFolder(), "missing.json"),
      /missing\.json: no such file/,
    ],
  ])("%s", async (_what, file, message) => {
    const path = file();
    const exit = await cli(["check", "--config", path, "--report-dir", join(tempFolder(), "r")]);
    expectOneClearLine(exit, message);
    expect(exit.stderr).toContain(path);
    expect(exit.stderr).not.toContain("tk-in-a-file-Zr52");
    expect(exit.code).toBe(2);
  });

  it.each([
    [["--only", "nonexistent_check"], /unknown check id\(s\): nonexistent_check/],
    [["--skip", "list_order,no_such_check"], /unknown check id\(s\): no_such_check/],
    [
      ["--base-url", "ftp://x"],
      /base URL must start with http:\/\/ or https:\/\/, got "ftp:\/\/x"/,
    ],
    [["--timeout", "150.5"], /--timeout must be an integer/],
    [["--seed", "-1"], /--seed must be an integer from 0/],
    [["--runs", "many"], /--runs must be an integer/],
    [["--frobnicate"], /unknown option '--frobnicate'/],
  ])("check %j", (args, message) => {
    const exit = runCli(["check", ...args, "--report-dir", join(tempFolder(), "r")]);
    expect(exit.stderr).toMatch(message);
    expect(exit.stderr).not.toMatch(STACK_FRAME);
    expect(exit.code).toBe(2);
  });

  it("a remote target without TICKETS_API_KEY: exit 2 naming the variable", async () => {
    const target = await serve();
    const exit = await cli([
      "check",
      "--base-url",
      target,
      "--report-dir",
      join(tempFolder(), "r"),
    ]);
    expectOneClearLine(exit, /no API key: set the environment variable TICKETS_API_KEY/);
    expect(exit.code).toBe(2);
  });
});

describe("fixtures", () => {
  it("a target without GET /__fixtures: exit 2 naming tagIds and how to give them; --fixtures runs; --read-only needs none and sends only GETs", async () => {
    const target = await serve(["--seed", "9"]);
    const published = await getJson<Fixtures>(target, "/__fixtures");
    const proxy = await recordingProxy(target, { hideFixtures: true });
    const key = { TICKETS_API_KEY: DEV_API_KEY };

    const missing = await cli(
      ["check", "--base-url", proxy.url, "--report-dir", join(tempFolder(), "r")],
      key,
    );
    expectOneClearLine(missing, /missing fixtures: tagIds .*--fixtures FILE.*--read-only/);
    expect(missing.stderr).not.toMatch(/chatIds \(/); // discovered from the listed tickets
    expect(missing.code).toBe(2);

    const file = join(tempFolder(), "fixtures.json");
    writeFileSync(file, JSON.stringify({ tagIds: published.tagIds }));
    const given = join(tempFolder(), "run");
    const withFile = await cli(
      ["check", "--base-url", proxy.url, "--fixtures", file, "--runs", "5", "--report-dir", given],
      key,
    );
    expect(withFile.code, withFile.stdout + withFile.stderr).toBe(0);
    expect(withFile.stdout).toMatch(/^verdict: PASS /m);
    expect(createdTickets(proxy.log).length).toBeGreaterThan(0);

    proxy.log.splice(0);
    const readOnly = join(tempFolder(), "run");
    const smoke = await cli(
      ["check", "--base-url", proxy.url, "--read-only", "--runs", "5", "--report-dir", readOnly],
      key,
    );
    expect(smoke.stdout).toMatch(/^tickets-harness check: .* \(read-only\)$/m);
    expect(smoke.code, smoke.stdout + smoke.stderr).toBe(0);
    expect(proxy.log.length).toBeGreaterThan(50);
    expect(new Set(proxy.log.map((entry) => entry.method))).toEqual(new Set(["GET"]));
    expect(results(readOnly).checks.find((check) => check.id === "lifecycle_model")?.requests).toBe(
      0,
    );
  });
});

describe("the API key", () => {
  it("never appears in stdout, stderr or a report, also when there are failures; the curl commands say $TICKETS_API_KEY", async () => {
    const key = "tk-live-Zq81xQv-distinctive-5150";
    const target = await serve(["--fault", "status-in-progress"], { TICKETS_API_KEY: key });
    const dir = join(tempFolder(), "run");
    const exit = await cli(
      ["check", "--base-url", target, "--seed", "7", "--runs", "5", "--report-dir", dir],
      { TICKETS_API_KEY: key },
    );
    expect(exit.stdout).toMatch(/^verdict: FAIL /m);
    expect(exit.code).toBe(1);
    const summary = readFileSync(join(dir, "summary.md"), "utf8");
    expect(summary).toMatch(/curl .*-H "authorization: \$TICKETS_API_KEY"/);
    expect(summary).toMatch(/in_progress/);
    for (const text of [exit.stdout, exit.stderr, reportTexts(dir)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(0, 16));
    }
  });
});

describe("listing and help", () => {
  it("`checks` lists every check: id, source, section, title, the rule quoted", () => {
    const exit = runCli(["checks"]);
    expect(exit.code).toBe(0);
    const lines = exit.stdout.trim().split("\n");
    for (const line of lines) {
      expect(line).toMatch(/^[a-z_]+\t(docs|profile)\t[^\t]+\t[^\t]+\t[^\t]+$/);
    }
    expect(lines.map((line) => line.split("\t")[0])).toEqual(allChecks().map((check) => check.id));
    const concurrency = lines.find((line) => line.startsWith("lifecycle_concurrency\t"));
    expect(concurrency).toContain(
      "A chat has at most one non-completed ticket: creating another for the same chat -> 409",
    );
    expect(concurrency).toContain("`updatedAt` never goes back");
  });

  it("`check --help` prints the options and exits 0", () => {
    const exit = runCli(["check", "--help"]);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/^Usage: tickets-harness check/);
    for (const option of [
      "--base-url",
      "--config",
      "--fixtures",
      "--seed",
      "--read-only",
      "--only",
    ]) {
      expect(exit.stdout).toContain(option);
    }
  });
});

describe("what a run creates, it completes", () => {
  it("after a clean run against `serve`, no fixture chat has a pending or ongoing ticket, and every ticket it created is completed", async () => {
    const target = await serve(["--seed", "4"]);
    const published = await getJson<Fixtures>(target, "/__fixtures");
    const proxy = await recordingProxy(target);
    const dir = join(tempFolder(), "run");
    const exit = await cli(
      ["check", "--base-url", proxy.url, "--seed", "8", "--runs", "5", "--report-dir", dir],
      { TICKETS_API_KEY: DEV_API_KEY },
    );
    expect(exit.code, exit.stdout + exit.stderr).toBe(0);
    expect(exit.stdout).not.toMatch(/left behind/);
    const created = createdTickets(proxy.log);
    expect(created.length).toBeGreaterThan(0);
    expect(await busyFixtureChats(target, published.chatIds)).toEqual([]);
    for (const id of created) {
      const ticket = await getJson<{ status: string }>(target, `/api/v1/tickets/${id}/details`);
      expect(ticket.status, `ticket ${id}`).toBe("completed");
    }
  });

  it("SIGINT during a long run: exit 3 promptly, says it was interrupted, writes the reports, and completes its tickets", async () => {
    const target = await serve(["--seed", "6"]);
    const published = await getJson<Fixtures>(target, "/__fixtures");
    const proxy = await recordingProxy(target);
    const dir = join(tempFolder(), "run");
    const run = start(
      [
        "check",
        ...["--base-url", proxy.url, "--runs", "1000", "--only", "lifecycle_model"],
        ...["--report-dir", dir],
      ],
      { TICKETS_API_KEY: DEV_API_KEY },
    );
    // Interrupt while the run has tickets of its own open.
    await until(() => createdTickets(proxy.log).length > 0, 10_000, "the run to create a ticket");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(run.child.exitCode).toBeNull(); // still running: 1000 runs take far longer
    run.signal("SIGINT");
    const interruptedAt = Date.now();
    const exit = await run.exited(10_000);
    expect(Date.now() - interruptedAt).toBeLessThan(5_000);
    expect(exit.signal).toBeNull();
    expect(exit.code, exit.stdout + exit.stderr).toBe(3);
    expect(exit.stdout).toMatch(/^interrupted \(SIGINT\): cleaning up, writing the reports/m);
    expect(exit.stdout).toMatch(/^verdict: INCOMPLETE /m);
    expect(exit.stdout).toMatch(/^incomplete: interrupted \(SIGINT\)/m);
    expect(exit.stdout).not.toMatch(/left behind/);
    expect(exit.stderr).not.toMatch(STACK_FRAME);
    const report = results(dir);
    expect(report.verdict).toBe("incomplete");
    expect(report.exitCode).toBe(3);
    const created = createdTickets(proxy.log);
    expect(created.length).toBeGreaterThan(0);
    expect(await busyFixtureChats(target, published.chatIds)).toEqual([]);
    for (const id of created) {
      const ticket = await getJson<{ status: string }>(target, `/api/v1/tickets/${id}/details`);
      expect(ticket.status, `ticket ${id}`).toBe("completed");
    }
  });
});
