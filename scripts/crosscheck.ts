/**
 * `npm run crosscheck`: a third-party check of the embedded reference server against the
 * derived OpenAPI document, with Stoplight Prism's validation proxy in front of it.
 *
 * Two `prism proxy` children validate every exchange against contracts/openapi.json:
 * - `errors` (`--errors`): a response violation turns into Prism's own 500, and a request
 *   Prism finds invalid (or without the `authorization` header) is answered by Prism itself
 *   (422, 401) and never reaches the server;
 * - `report` (no `--errors`): everything is forwarded and violations only come back in the
 *   `sl-violations` header. The requests meant to be invalid go through it too, so the
 *   server's own 400 and 401 answers are validated as well.
 * Between Prism and the server sits a pass-through tap that counts what Prism forwarded:
 * whether the server or Prism answered is observed, not guessed.
 *
 * Exit 0 when every exchange got its expected status from the expected answerer with no
 * response violation; 1 otherwise; 3 when the server or Prism could not start, or the run
 * could not complete (timeout, a Prism child died, interrupted).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import type { OperationId } from "../contracts/types.js";
import { stopChild } from "../src/child-process.js";
import {
  createTicketsClient,
  type Exchange,
  type ExchangeResponse,
  type TicketsClient,
} from "../src/client/index.js";
import { ExitCode } from "../src/exit-codes.js";
import { CONTRACTS_DIR, packageRoot } from "../src/package-root.js";
import { type ReferenceServer, startReferenceServer } from "../src/reference/index.js";

const SEED = 4242;
const TICKETS = 2000;
const RUN_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

const KEY_ENV = "CROSSCHECK_API_KEY";
const API_KEY = "crosscheck-key";
const WRONG_KEY = "crosscheck-wrong-key";
const PRISM_ERROR_TYPE = "https://stoplight.io/prism/errors#";

type ProxyMode = "errors" | "report";
/** `prism-replaced`: the server answered, and Prism (`--errors`) replaced it with its 500. */
type Answerer = "server" | "prism" | "prism-replaced";

interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

interface Expected {
  status: number[];
  by: "server" | "prism";
}

interface ExchangeResult {
  proxy: ProxyMode;
  request: { method: string; url: string; body?: string };
  expected: Expected;
  status?: number;
  by?: Answerer;
  /** What the server answered, as the tap saw it (absent when Prism answered alone). */
  serverStatus?: number;
  /** How many items a list answer held: what the response validation covered. */
  items?: number;
  /** The `type` of Prism's own problem+json answer, e.g. `UNPROCESSABLE_ENTITY`. */
  prismError?: string;
  requestViolations: Violation[];
  responseViolations: Violation[];
  /** Kept when the exchange failed, to reproduce it. */
  responseBody?: string;
  error?: string;
  pass: boolean;
}

interface CaseResult {
  operation: OperationId;
  case: string;
  exchanges: ExchangeResult[];
  pass: boolean;
}

/** How a case is sent. */
type Route =
  /** A request the document allows: through the `errors` proxy only, the server answers. */
  | { kind: "valid" }
  /** A request the document forbids: Prism `--errors` rejects it with this status;
   *  through `report` the server answers. */
  | { kind: "invalid"; prismStatus: number }
  /** Prism answers it itself through both proxies (it never reaches the server). */
  | { kind: "intercepted"; prismStatus: number };

class RunAborted extends Error {}
/** The server's answers leave the run nothing to go on with (e.g. no ticket was created). */
class StoppedEarly extends Error {}

// ---------------------------------------------------------------------------------------
// Prism children

interface PrismProxy {
  mode: ProxyMode;
  url: string;
  log: string[];
  /** Set when the child exited, with its code or signal. */
  exited?: string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

function prismEntry(): { bin: string; version: string } {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@stoplight/prism-cli/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    version: string;
    bin: { prism: string };
  };
  return { bin: join(dirname(manifestPath), manifest.bin.prism), version: manifest.version };
}

function startPrism(mode: ProxyMode, document: string, upstream: string): Promise<PrismProxy> {
  const args = ["proxy", document, upstream, "--host", "127.0.0.1", "--port", "0"];
  if (mode === "errors") args.push("--errors");
  const child = spawn(process.execPath, [prismEntry().bin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  children.add(child);
  const log: string[] = [];
  const proxy: PrismProxy = { mode, url: "", log, stop: () => stopChild(child) };
  child.on("exit", (code, signal) => {
    children.delete(child);
    proxy.exited = signal ?? `exit code ${code}`;
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`not listening after ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    function fail(why: string) {
      clearTimeout(timer);
      void stopChild(child);
      const tail = log.slice(-5).join("\n  ");
      reject(new Error(`prism proxy (${mode}) did not start: ${why}${tail ? `\n  ${tail}` : ""}`));
    }
    const onLine = (line: string) => {
      log.push(line);
      const listening = /Prism is listening on (http:\/\/\S+)/.exec(line);
      if (listening?.[1] && proxy.url === "") {
        clearTimeout(timer);
        proxy.url = listening[1];
        resolve(proxy);
      }
    };
    readLines(child.stdout, onLine);
    readLines(child.stderr, onLine);
    child.once("error", (error) => fail(error.message));
    child.once("exit", () => {
      if (proxy.url === "") fail(`it exited (${proxy.exited})`);
    });
  });
}

function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void) {
  let buffered = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") onLine(line.trimEnd());
  });
}

// ---------------------------------------------------------------------------------------
// The tap: a pass-through between Prism and the server that counts what reaches the server

interface Tap {
  url: string;
  /** The server: set once it has started (Prism starts meanwhile, and calls no one before). */
  target?: URL;
  forwarded: number;
  lastStatus?: number;
  /** The last answer's body as the server sent it (the first MiB), before Prism saw it. */
  lastBody: string;
  close(): Promise<void>;
}

async function startTap(): Promise<Tap> {
  const tap: Tap = { url: "", forwarded: 0, lastBody: "", close: async () => {} };
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    tap.forwarded += 1;
    tap.lastStatus = undefined;
    tap.lastBody = "";
    const { target } = tap;
    if (target === undefined) {
      outgoing.writeHead(502).end();
      return;
    }
    const relay = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (answer) => {
        tap.lastStatus = answer.statusCode;
        answer.setEncoding("utf8");
        answer.on("data", (chunk: string) => {
          if (tap.lastBody.length < 1024 * 1024) tap.lastBody += chunk;
        });
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    relay.on("timeout", () => relay.destroy(new Error("server timed out")));
    relay.on("error", () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(relay);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  tap.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tap.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return tap;
}

// ---------------------------------------------------------------------------------------
// Sending a case and judging it

interface Context {
  clients: Record<ProxyMode, TicketsClient>;
  proxies: Record<ProxyMode, PrismProxy>;
  tap: Tap;
  results: CaseResult[];
}

type Send = (client: TicketsClient) => Promise<Exchange<unknown>>;

async function check(
  ctx: Context,
  operation: OperationId,
  name: string,
  status: number | number[],
  route: Route,
  send: Send,
): Promise<Exchange<unknown>> {
  const serverStatus = Array.isArray(status) ? status : [status];
  const plan: { proxy: ProxyMode; expected: Expected }[] =
    route.kind === "valid"
      ? [{ proxy: "errors", expected: { status: serverStatus, by: "server" } }]
      : route.kind === "invalid"
        ? [
            { proxy: "errors", expected: { status: [route.prismStatus], by: "prism" } },
            { proxy: "report", expected: { status: serverStatus, by: "server" } },
          ]
        : (["errors", "report"] as const).map((proxy) => ({
            proxy,
            expected: { status: [route.prismStatus], by: "prism" as const },
          }));

  const exchanges: ExchangeResult[] = [];
  let last: Exchange<unknown> | undefined;
  for (const { proxy, expected } of plan) {
    const before = ctx.tap.forwarded;
    ctx.tap.lastBody = "";
    const exchange = await send(ctx.clients[proxy]);
    for (const mode of ["errors", "report"] as const) {
      const child = ctx.proxies[mode];
      if (child.exited) throw new RunAborted(`prism proxy (${mode}) died: ${child.exited}`);
    }
    const forwarded = ctx.tap.forwarded > before;
    exchanges.push(judge(proxy, expected, exchange, forwarded ? ctx.tap.lastStatus : undefined));
    last = exchange;
  }
  ctx.results.push({
    operation,
    case: name,
    exchanges,
    pass: exchanges.every((exchange) => exchange.pass),
  });
  if (!last) throw new Error("a case with no exchange");
  return last;
}

function judge(
  proxy: ProxyMode,
  expected: Expected,
  exchange: Exchange<unknown>,
  serverStatus: number | undefined,
): ExchangeResult {
  const request = {
    method: exchange.request.method,
    url: exchange.request.url,
    ...(exchange.request.body === undefined ? {} : { body: exchange.request.body }),
  };
  const base = { proxy, request, expected, requestViolations: [], responseViolations: [] };
  const { response } = exchange;
  if (!response) return { ...base, error: exchange.error?.message ?? "no response", pass: false };

  const prismError = prismErrorType(response.headers["content-type"], response.json);
  const { requestViolations, responseViolations } = violationsOf(response, prismError);
  const by: Answerer =
    serverStatus === undefined
      ? "prism"
      : prismError === "VIOLATIONS"
        ? "prism-replaced"
        : "server";
  const pass =
    expected.status.includes(response.status) &&
    by === expected.by &&
    responseViolations.length === 0;
  return {
    ...base,
    status: response.status,
    by,
    ...(serverStatus === undefined ? {} : { serverStatus }),
    ...(Array.isArray(response.json) ? { items: response.json.length } : {}),
    ...(prismError === undefined ? {} : { prismError }),
    requestViolations,
    responseViolations,
    ...(pass ? {} : { responseBody: response.rawBody.slice(0, 2000) }),
    pass,
  };
}

/**
 * Prism's findings: the `sl-violations` header (every finding, request ones located under
 * `request`, response ones under `response`), or, where Prism answered with its own error, that
 * answer's `validation` list (the header is cut at 8 KB; the list is not).
 */
function violationsOf(
  response: ExchangeResponse<unknown>,
  prismError: string | undefined,
): { requestViolations: Violation[]; responseViolations: Violation[] } {
  const body = response.json as { title?: unknown; validation?: unknown } | undefined;
  const listed = Array.isArray(body?.validation) ? (body.validation as Violation[]) : undefined;
  const header = parseViolations(response.headers["sl-violations"]);
  const inRequest = (v: Violation) => v.location[0] === "request";
  if (prismError === "UNPROCESSABLE_ENTITY" && listed) {
    const located = listed.map((v) => ({ ...v, location: ["request", ...v.location] }));
    return { requestViolations: located, responseViolations: [] };
  }
  if (prismError === "UNAUTHORIZED") {
    const message = typeof body?.title === "string" ? body.title : "UNAUTHORIZED";
    const violation = { location: ["request"], severity: "Error", code: 401, message };
    return { requestViolations: [violation], responseViolations: [] };
  }
  const responseViolations = header.filter((v) => !inRequest(v));
  const cut = responseViolations.some((v) => v.code === "unparsed");
  return {
    requestViolations: header.filter(inRequest),
    responseViolations: prismError === "VIOLATIONS" && cut && listed ? listed : responseViolations,
  };
}

/** The `sl-violations` header: a JSON array, or "Too many violations! <cut JSON>". */
function parseViolations(header: string | undefined): Violation[] {
  if (header === undefined || header === "") return [];
  try {
    const parsed: unknown = JSON.parse(header);
    if (Array.isArray(parsed)) return parsed as Violation[];
  } catch {
    // falls through
  }
  const message = `the sl-violations header was cut: ${header.slice(0, 300)}…`;
  return [{ location: ["response"], severity: "Error", code: "unparsed", message }];
}

function prismErrorType(contentType: string | undefined, body: unknown): string | undefined {
  if (!contentType?.startsWith("application/problem+json")) return undefined;
  const type = (body as { type?: unknown } | undefined)?.type;
  return typeof type === "string" && type.startsWith(PRISM_ERROR_TYPE)
    ? type.slice(PRISM_ERROR_TYPE.length)
    : undefined;
}

// ---------------------------------------------------------------------------------------
// The request set: every operation, every documented status

async function runCases(ctx: Context, server: ReferenceServer): Promise<void> {
  const { chatIds, userIds, tagIds, ticketingTeamIds } = server.fixtures;
  const pick = (list: string[], index: number, what: string): string => {
    const value = list[index];
    if (value === undefined)
      throw new Error(`the server's fixtures have fewer than ${index + 1} ${what}`);
    return value;
  };
  const chat = (i: number) => pick(chatIds, i, "chatIds");
  const user = (i: number) => pick(userIds, i % userIds.length, "userIds");
  const tag = (i: number) => pick(tagIds, i, "tagIds");
  const team = pick(ticketingTeamIds, 0, "ticketingTeamIds");
  const unknown = () => randomUUID();
  const none = { auth: "none" } as const;
  const wrong = { auth: { value: WRONG_KEY } } as const;
  const valid: Route = { kind: "valid" };
  const invalid: Route = { kind: "invalid", prismStatus: 422 };
  const noKey: Route = { kind: "invalid", prismStatus: 401 };
  // The new ticket's id, from the server's own answer when Prism (--errors) replaced it.
  const idOf = (exchange: Exchange<unknown>): string => {
    const fromServer = (): unknown => {
      try {
        return JSON.parse(ctx.tap.lastBody);
      } catch {
        return undefined;
      }
    };
    for (const answer of [exchange.response?.json, fromServer()]) {
      const id = (answer as { id?: unknown } | undefined)?.id;
      if (typeof id === "string") return id;
    }
    throw new StoppedEarly("createTicket gave no ticket id: the cases after it need one");
  };
  const c = (op: OperationId, name: string, status: number | number[], route: Route, send: Send) =>
    check(ctx, op, name, status, route, send);

  // createTicket
  const op1 = "createTicket";
  const ticket = idOf(
    await c(op1, "200 pending, with a team", 200, valid, (k) =>
      k.createTicket({
        chatId: chat(0),
        ticketingTeamId: team,
        assigneeId: user(0),
        status: "pending",
      }),
    ),
  );
  const second = idOf(
    await c(op1, "200 ongoing, no team", 200, valid, (k) =>
      k.createTicket({
        chatId: chat(1),
        ticketingTeamId: null,
        assigneeId: user(1),
        status: "ongoing",
      }),
    ),
  );
  await c(op1, "409 second ticket on the same chat", 409, valid, (k) =>
    k.createTicket({
      chatId: chat(0),
      ticketingTeamId: null,
      assigneeId: user(0),
      status: "pending",
    }),
  );
  await c(op1, "400 status completed (profile rule)", 400, valid, (k) =>
    k.createTicket({
      chatId: chat(2),
      ticketingTeamId: null,
      assigneeId: user(0),
      status: "completed",
    }),
  );
  await c(op1, "400 chatId missing", 400, invalid, (k) =>
    k.send({
      operationId: op1,
      method: "POST",
      path: "/api/v1/tickets",
      body: { ticketingTeamId: null, assigneeId: user(0), status: "pending" },
    }),
  );
  await c(op1, "400 body not JSON", 400, { kind: "intercepted", prismStatus: 400 }, (k) =>
    k.send({
      operationId: op1,
      method: "POST",
      path: "/api/v1/tickets",
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    }),
  );
  const createBody = {
    chatId: chat(3),
    ticketingTeamId: null,
    assigneeId: user(0),
    status: "pending",
  };
  await c(op1, "401 no key", 401, noKey, (k) =>
    k.send({
      operationId: op1,
      method: "POST",
      path: "/api/v1/tickets",
      body: createBody,
      ...none,
    }),
  );
  await c(op1, "401 wrong key", 401, valid, (k) =>
    k.send({
      operationId: op1,
      method: "POST",
      path: "/api/v1/tickets",
      body: createBody,
      ...wrong,
    }),
  );
  await c(op1, "404 unknown chatId (profile: 400 or 404)", [404, 400], valid, (k) =>
    k.createTicket({
      chatId: unknown(),
      ticketingTeamId: null,
      assigneeId: user(0),
      status: "pending",
    }),
  );

  // getTicketDetails
  const op2 = "getTicketDetails";
  const detailsPath = (id: string) => `/api/v1/tickets/${id}/details`;
  await c(op2, "200 created ticket", 200, valid, (k) => k.getTicketDetails(ticket));
  await c(op2, "400 id not a UUID", 400, invalid, (k) => k.getTicketDetails("not-a-uuid"));
  await c(op2, "401 no key", 401, noKey, (k) =>
    k.send({ operationId: op2, method: "GET", path: detailsPath(ticket), ...none }),
  );
  await c(op2, "401 wrong key", 401, valid, (k) =>
    k.send({ operationId: op2, method: "GET", path: detailsPath(ticket), ...wrong }),
  );
  await c(op2, "404 unknown id", 404, valid, (k) => k.getTicketDetails(unknown()));
  // The document's ids carry the v4 pattern; the server takes any UUID version (404 if unknown).
  await c(op2, "404 UUID of another version (v1)", [404, 400], invalid, (k) =>
    k.getTicketDetails("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
  );

  // takeoverTicket
  const op3 = "takeoverTicket";
  const takeoverPath = (id: string) => `/api/v1/tickets/${id}/takeover`;
  await c(op3, "200 pending ticket", 200, valid, (k) =>
    k.takeoverTicket(ticket, { assigneeId: user(1) }),
  );
  await c(op3, "400 assigneeId not a UUID", 400, invalid, (k) =>
    k.send({
      operationId: op3,
      method: "PATCH",
      path: takeoverPath(ticket),
      body: { assigneeId: "nobody" },
    }),
  );
  await c(op3, "401 no key", 401, noKey, (k) =>
    k.send({
      operationId: op3,
      method: "PATCH",
      path: takeoverPath(ticket),
      body: { assigneeId: user(2) },
      ...none,
    }),
  );
  await c(op3, "401 wrong key", 401, valid, (k) =>
    k.send({
      operationId: op3,
      method: "PATCH",
      path: takeoverPath(ticket),
      body: { assigneeId: user(2) },
      ...wrong,
    }),
  );
  await c(op3, "404 unknown id", 404, valid, (k) =>
    k.takeoverTicket(unknown(), { assigneeId: user(1) }),
  );

  // updateTicketAssignee
  const op4 = "updateTicketAssignee";
  const assigneePath = (id: string) => `/api/v1/tickets/${id}/assignee`;
  await c(op4, "200 ongoing ticket", 200, valid, (k) =>
    k.updateTicketAssignee(ticket, { assigneeId: user(2) }),
  );
  await c(op4, "400 assigneeId missing", 400, invalid, (k) =>
    k.send({ operationId: op4, method: "PATCH", path: assigneePath(ticket), body: {} }),
  );
  await c(op4, "401 no key", 401, noKey, (k) =>
    k.send({
      operationId: op4,
      method: "PATCH",
      path: assigneePath(ticket),
      body: { assigneeId: user(3) },
      ...none,
    }),
  );
  await c(op4, "401 wrong key", 401, valid, (k) =>
    k.send({
      operationId: op4,
      method: "PATCH",
      path: assigneePath(ticket),
      body: { assigneeId: user(3) },
      ...wrong,
    }),
  );
  await c(op4, "404 unknown id", 404, valid, (k) =>
    k.updateTicketAssignee(unknown(), { assigneeId: user(2) }),
  );

  // attachTicketTag
  const op5 = "attachTicketTag";
  const tagsPath = (id: string) => `/api/v1/tickets/${id}/tags`;
  await c(op5, "200 attach", 200, valid, (k) => k.attachTicketTag(ticket, { tagId: tag(0) }));
  await c(op5, "409 attach the same tag again", 409, valid, (k) =>
    k.attachTicketTag(ticket, { tagId: tag(0) }),
  );
  await c(op5, "400 tagId not a UUID", 400, invalid, (k) =>
    k.send({ operationId: op5, method: "POST", path: tagsPath(ticket), body: { tagId: "urgent" } }),
  );
  await c(op5, "401 no key", 401, noKey, (k) =>
    k.send({
      operationId: op5,
      method: "POST",
      path: tagsPath(ticket),
      body: { tagId: tag(1) },
      ...none,
    }),
  );
  await c(op5, "401 wrong key", 401, valid, (k) =>
    k.send({
      operationId: op5,
      method: "POST",
      path: tagsPath(ticket),
      body: { tagId: tag(1) },
      ...wrong,
    }),
  );
  await c(op5, "404 unknown ticket", 404, valid, (k) =>
    k.attachTicketTag(unknown(), { tagId: tag(0) }),
  );
  await c(op5, "404 unknown tag", 404, valid, (k) =>
    k.attachTicketTag(ticket, { tagId: unknown() }),
  );

  // listTicketDetails (after the writes, so the filters find the new tickets)
  const op6 = "listTicketDetails";
  const listPath = "/api/v1/tickets/details";
  await c(op6, "200 pending, 100 a page", 200, valid, (k) =>
    k.listTicketDetails({ status: "pending", pageSize: 100 }),
  );
  await c(op6, "200 ongoing, removed chats too", 200, valid, (k) =>
    k.listTicketDetails({ status: "ongoing", includeRemoved: true, pageSize: 100 }),
  );
  await c(op6, "200 completed, page 3", 200, valid, (k) =>
    k.listTicketDetails({ status: "completed", pageSize: 50, pageNumber: 3 }),
  );
  await c(op6, "200 one tagIds value", 200, valid, (k) =>
    k.listTicketDetails({ status: "ongoing", tagIds: [tag(0)] }),
  );
  await c(op6, "200 repeated ids, search", 200, valid, (k) =>
    k.listTicketDetails({
      status: "ongoing",
      tagIds: [tag(0), tag(1)],
      chatIds: [chat(0), chat(1)],
      assigneeIds: [user(2)],
      search: "a",
    }),
  );
  await c(op6, "200 page past the end", 200, valid, (k) =>
    k.listTicketDetails({ status: "pending", pageSize: 100, pageNumber: 10_000 }),
  );
  await c(op6, "400 status missing", 400, invalid, (k) =>
    k.send({ operationId: op6, method: "GET", path: listPath }),
  );
  await c(op6, "400 pageSize 0", 400, invalid, (k) =>
    k.send({
      operationId: op6,
      method: "GET",
      path: listPath,
      query: { status: "pending", pageSize: 0 },
    }),
  );
  await c(op6, "400 tagIds not a UUID", 400, invalid, (k) =>
    k.send({
      operationId: op6,
      method: "GET",
      path: listPath,
      query: { status: "pending", tagIds: "urgent" },
    }),
  );
  await c(op6, "401 no key", 401, noKey, (k) =>
    k.send({
      operationId: op6,
      method: "GET",
      path: listPath,
      query: { status: "pending" },
      ...none,
    }),
  );
  await c(op6, "401 wrong key", 401, valid, (k) =>
    k.send({
      operationId: op6,
      method: "GET",
      path: listPath,
      query: { status: "pending" },
      ...wrong,
    }),
  );

  // removeTicketTag
  const op7 = "removeTicketTag";
  const tagPath = (id: string, tagId: string) => `/api/v1/tickets/${id}/tags/${tagId}`;
  await c(op7, "200 remove an attached tag", 200, valid, (k) => k.removeTicketTag(ticket, tag(0)));
  await c(op7, "404 tag not attached", 404, valid, (k) => k.removeTicketTag(ticket, tag(0)));
  await c(op7, "404 unknown ticket", 404, valid, (k) => k.removeTicketTag(unknown(), tag(0)));
  await c(op7, "400 tagId not a UUID", 400, invalid, (k) => k.removeTicketTag(ticket, "urgent"));
  await c(op7, "401 no key", 401, noKey, (k) =>
    k.send({ operationId: op7, method: "DELETE", path: tagPath(ticket, tag(0)), ...none }),
  );
  await c(op7, "401 wrong key", 401, valid, (k) =>
    k.send({ operationId: op7, method: "DELETE", path: tagPath(ticket, tag(0)), ...wrong }),
  );

  // completeTicket, then the transitions a completed ticket refuses
  const op8 = "completeTicket";
  const completePath = (id: string) => `/api/v1/tickets/${id}/complete`;
  await c(op8, "200 ongoing ticket", 200, valid, (k) =>
    k.completeTicket(ticket, { userId: user(0) }),
  );
  await c(op8, "200 second ticket", 200, valid, (k) =>
    k.completeTicket(second, { userId: user(1) }),
  );
  await c(op8, "409 complete again", 409, valid, (k) =>
    k.completeTicket(ticket, { userId: user(0) }),
  );
  await c(op8, "400 userId missing", 400, invalid, (k) =>
    k.send({ operationId: op8, method: "PATCH", path: completePath(ticket), body: {} }),
  );
  await c(op8, "401 no key", 401, noKey, (k) =>
    k.send({
      operationId: op8,
      method: "PATCH",
      path: completePath(ticket),
      body: { userId: user(0) },
      ...none,
    }),
  );
  await c(op8, "401 wrong key", 401, valid, (k) =>
    k.send({
      operationId: op8,
      method: "PATCH",
      path: completePath(ticket),
      body: { userId: user(0) },
      ...wrong,
    }),
  );
  await c(op8, "404 unknown id", 404, valid, (k) =>
    k.completeTicket(unknown(), { userId: user(0) }),
  );
  await c(op3, "409 takeover a completed ticket", 409, valid, (k) =>
    k.takeoverTicket(ticket, { assigneeId: user(1) }),
  );
  await c(op4, "409 assignee on a completed ticket", 409, valid, (k) =>
    k.updateTicketAssignee(ticket, { assigneeId: user(1) }),
  );
  await c(op5, "200 attach on a completed ticket", 200, valid, (k) =>
    k.attachTicketTag(ticket, { tagId: tag(1) }),
  );
  await c(op2, "200 completed ticket", 200, valid, (k) => k.getTicketDetails(ticket));
}

// ---------------------------------------------------------------------------------------
// Output

function expectedText(expected: Expected): string {
  return `${expected.status.join("|")} ${expected.by}`;
}

function gotText(exchange: ExchangeResult): string {
  if (exchange.status === undefined) return `error: ${exchange.error ?? "?"}`;
  if (exchange.by === "prism-replaced")
    return `${exchange.status} prism (server: ${exchange.serverStatus})`;
  return `${exchange.status} ${exchange.by}`;
}

/** Short: where and which rule, e.g. `body required 'chatId'`, `query.pagesize minimum`. */
function violationText(violation: Violation): string {
  const where = violation.location.slice(1).join(".");
  if (where === "") return violation.message;
  const property = violation.code === "required" ? / '([^']+)'/.exec(violation.message) : null;
  return `${where} ${violation.code}${property ? ` '${property[1]}'` : ""}`;
}

function printTable(results: CaseResult[]): void {
  const rows = results.flatMap((result) =>
    result.exchanges.map((exchange) => [
      exchange.pass ? "ok" : "FAIL",
      result.operation,
      result.case,
      exchange.proxy,
      expectedText(exchange.expected),
      gotText(exchange),
      String(exchange.responseViolations.length),
      exchange.requestViolations.map(violationText).join("; ") || "-",
    ]),
  );
  const header = [
    "",
    "operation",
    "case",
    "proxy",
    "expected",
    "got",
    "resp. viol.",
    "Prism on the request",
  ];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function printFailures(results: CaseResult[]): void {
  for (const result of results) {
    for (const exchange of result.exchanges.filter((e) => !e.pass)) {
      console.log(`\nFAIL ${result.operation} · ${result.case} (via the ${exchange.proxy} proxy)`);
      const { method, url, body } = exchange.request;
      console.log(`  request:  ${method} ${url}${body === undefined ? "" : ` ${body}`}`);
      console.log(`  expected: ${expectedText(exchange.expected)}; got: ${gotText(exchange)}`);
      if (exchange.responseBody !== undefined)
        console.log(`  response: ${exchange.responseBody.slice(0, 500)}`);
      const shown = exchange.responseViolations.slice(0, 5);
      const more = exchange.responseViolations.length - shown.length;
      for (const violation of shown) {
        console.log(
          `  Prism:    [${violation.severity}] ${violation.location.join(".")}: ${violation.message}`,
        );
      }
      if (more > 0)
        console.log(`  Prism:    … and ${more} more response violation(s) in the report`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Main

const USAGE = `usage: npm run crosscheck [-- --fault NAME ...]

Starts the reference server (seed ${SEED}, ${TICKETS} tickets) and two Stoplight Prism validation
proxies in front of it, sends every operation's documented cases through them, prints a table
and writes reports/crosscheck/<timestamp>.json.
  --fault NAME  start the server with this fault of its catalog (repeatable): the run must fail
Exit: 0 all as expected, 1 a case failed or a response broke the contract, 2 usage,
3 the server or Prism could not start, or the run could not complete.`;

function parseOptions(argv: string[]): { faults: string[] } | number {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { fault: { type: "string", multiple: true }, help: { type: "boolean" } },
    });
    if (values.help) {
      console.log(USAGE);
      return ExitCode.Ok;
    }
    return { faults: values.fault ?? [] };
  } catch (error) {
    console.error(`crosscheck: ${(error as Error).message}\n\n${USAGE}`);
    return ExitCode.Usage;
  }
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === "number") return options;
  const { faults } = options;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const root = packageRoot();
  const document = join(CONTRACTS_DIR, "openapi.json");
  const outDir = join(root, "reports", "crosscheck");
  const stamp = startedAt.replace(/[:.]/g, "-");
  let prism: ReturnType<typeof prismEntry>;
  try {
    prism = prismEntry();
  } catch (error) {
    console.error(
      `crosscheck: cannot find Prism (npm ci installs it): ${(error as Error).message}`,
    );
    return ExitCode.Incomplete;
  }

  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => {});
  };
  const interrupted = new Promise<never>((_, reject) => {
    const onSignal = (signal: string) => reject(new RunAborted(`interrupted (${signal})`));
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    deadline = setTimeout(
      () => reject(new RunAborted(`timed out after ${RUN_TIMEOUT_MS / 1000} s`)),
      RUN_TIMEOUT_MS,
    );
  });
  // Handled here too, so a signal or the deadline between two steps is no unhandled rejection.
  interrupted.catch(() => {});
  timedOut.catch(() => {});
  const bounded = <T>(step: Promise<T>) => Promise.race([step, interrupted, timedOut]);

  try {
    let server: ReferenceServer;
    let proxies: Record<ProxyMode, PrismProxy>;
    let tap: Tap;
    try {
      tap = await startTap();
      cleanups.push(() => tap.close());
      // The three start side by side; each is stopped on the way out once it has started.
      const starting = <T>(step: Promise<T>, stop: (running: T) => Promise<void>) => {
        step.then((running) => cleanups.push(() => stop(running))).catch(() => {});
        return step;
      };
      const stopPrism = (proxy: PrismProxy) => proxy.stop();
      const [errors, report, reference] = await bounded(
        Promise.all([
          starting(startPrism("errors", document, tap.url), stopPrism),
          starting(startPrism("report", document, tap.url), stopPrism),
          starting(
            startReferenceServer({ seed: SEED, tickets: TICKETS, faults, apiKey: API_KEY }),
            (running) => running.close(),
          ),
        ]),
      );
      proxies = { errors, report };
      server = reference;
      tap.target = new URL(server.url);
    } catch (error) {
      console.error(`crosscheck: could not start: ${(error as Error).message}`);
      return ExitCode.Incomplete;
    }
    const startupMs = performance.now() - started;

    process.env[KEY_ENV] = server.apiKey;
    const client = (mode: ProxyMode) =>
      createTicketsClient({
        baseUrl: proxies[mode].url,
        apiKeyEnv: KEY_ENV,
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
    const clients = { errors: client("errors"), report: client("report") };
    cleanups.push(async () => {
      await clients.errors.close();
      await clients.report.close();
    });
    const ctx: Context = { clients, proxies, tap, results: [] };
    let stoppedEarly: string | undefined;
    try {
      await bounded(runCases(ctx, server));
    } catch (error) {
      if (!(error instanceof StoppedEarly)) throw error;
      stoppedEarly = error.message;
    }

    const exchanges = ctx.results.flatMap((result) => result.exchanges);
    const failed = ctx.results.filter((result) => !result.pass);
    const responseViolations = exchanges.reduce((n, e) => n + e.responseViolations.length, 0);
    const durationMs = performance.now() - started;
    const operations = new Set(ctx.results.map((result) => result.operation));

    printTable(ctx.results);
    printFailures(ctx.results);

    mkdirSync(outDir, { recursive: true });
    const outFile = join(outDir, `${stamp}.json`);
    const report = {
      startedAt,
      durationMs: Math.round(durationMs),
      startupMs: Math.round(startupMs),
      document: relative(root, document),
      prism: {
        version: prism.version,
        proxies: {
          errors: `prism proxy ${relative(root, document)} <tap> --errors`,
          report: `prism proxy ${relative(root, document)} <tap>`,
        },
      },
      server: { seed: SEED, tickets: TICKETS, faults },
      summary: {
        operations: operations.size,
        cases: ctx.results.length,
        exchanges: exchanges.length,
        failedCases: failed.length,
        ...(stoppedEarly === undefined ? {} : { stoppedEarly }),
        responseViolations,
        answeredByPrism: exchanges.filter((e) => e.by === "prism").length,
      },
      cases: ctx.results,
    };
    writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    for (const proxy of Object.values(proxies)) {
      writeFileSync(join(outDir, `${stamp}.prism-${proxy.mode}.log`), `${proxy.log.join("\n")}\n`);
    }

    const ok = failed.length === 0 && stoppedEarly === undefined;
    if (stoppedEarly !== undefined) console.log(`\nstopped early: ${stoppedEarly}`);
    const verdict = ok
      ? "every exchange as expected, 0 response violations"
      : `${failed.length} case(s) failed, ${responseViolations} response violation(s)`;
    console.log(
      `\n${operations.size} operations, ${ctx.results.length} cases, ${exchanges.length} exchanges ` +
        `through Prism ${prism.version}${faults.length > 0 ? ` (server faults: ${faults.join(", ")})` : ""}: ` +
        `${verdict} (${(durationMs / 1000).toFixed(1)} s)`,
    );
    console.log(`report written to ${relative(root, outFile)}`);
    const unanswered = exchanges.filter((exchange) => exchange.error !== undefined).length;
    if (unanswered > 0) {
      console.error(`crosscheck: ${unanswered} exchange(s) got no answer: the run is incomplete`);
      return ExitCode.Incomplete;
    }
    return ok ? ExitCode.Ok : ExitCode.RuleBroken;
  } catch (error) {
    const message =
      error instanceof RunAborted ? error.message : String((error as Error).stack ?? error);
    console.error(`crosscheck: the run could not complete: ${message}`);
    return ExitCode.Incomplete;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

// Last resort: never leave a Prism child behind, whatever ends this process.
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

process.exitCode = await main(process.argv.slice(2));
// Lingering handles (keep-alive sockets, chokidar in a dead child's pipes) must not hold the exit.
process.exit();
