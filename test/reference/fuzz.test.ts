/**
 * Robustness of the reference server: thousands of random requests (any method, path,
 * query, header and body: malformed JSON, huge and deeply nested bodies, invalid UTF-8)
 * never get a 5xx, always get a JSON {message} when refused, and leave the server
 * answering normally.
 */
import { connect } from "node:net";
import fc from "fast-check";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/reference/http-io.js";
import { type ReferenceServer, startReferenceServer } from "../../src/reference/index.js";

/** A server under fuzz, with a keep-alive pool and some ids it really holds. */
interface Target {
  server: ReferenceServer;
  pool: Pool;
  ticketIds: string[];
}

async function openTarget(faults: string[] = []): Promise<Target> {
  const server = await startReferenceServer({ seed: 5, tickets: 800, faults });
  const pool = new Pool(server.url, { connections: 4, headersTimeout: 5_000, bodyTimeout: 5_000 });
  const page = await pool.request({
    method: "GET",
    path: "/api/v1/tickets/details?status=pending&pageSize=20",
    headers: { authorization: server.apiKey },
  });
  const ticketIds = ((await page.body.json()) as { id: string }[]).map((ticket) => ticket.id);
  return { server, pool, ticketIds };
}

async function closeTarget(target: Target): Promise<void> {
  await target.pool.close();
  await target.server.close();
}

let clean: Target;
beforeAll(async () => {
  clean = await openTarget();
});
afterAll(() => closeTarget(clean));

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function arbitraries({ server, ticketIds }: Target) {
  const { fixtures } = server;
  const knownId = fc.constantFrom(
    ...ticketIds,
    ...fixtures.chatIds.slice(0, 5),
    ...fixtures.userIds.slice(0, 5),
    ...fixtures.tagIds.slice(0, 5),
    ...fixtures.ticketingTeamIds,
  );
  const junk = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.constantFrom(
      "",
      "%",
      "%zz",
      "%00",
      "..",
      "%2F",
      "null",
      "-1",
      "1e9",
      "true",
      "x".repeat(3000),
    ),
    fc.uuid(),
  );
  const idSegment = fc.oneof(knownId, junk);
  const path = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(
          "/api/v1/tickets/{}/details",
          "/api/v1/tickets/{}/complete",
          "/api/v1/tickets/{}/takeover",
          "/api/v1/tickets/{}/assignee",
          "/api/v1/tickets/{}/tags",
        ),
        idSegment,
      )
      .map(([template, id]) => template.replace("{}", encodeURIComponent(id))),
    fc
      .tuple(idSegment, idSegment)
      .map(([a, b]) => `/api/v1/tickets/${encodeURIComponent(a)}/tags/${encodeURIComponent(b)}`),
    fc.constantFrom(
      "/api/v1/tickets/details",
      "/api/v1/tickets",
      "/__fixtures",
      "/",
      "/api",
      "/api/v1/tickets/",
      "//",
    ),
    fc.webPath().map((path) => (path.startsWith("/") ? path : `/${path}`)),
    fc.string({ maxLength: 40 }).map((text) => `/${text.replace(/[\s?#]/g, "")}`),
  );
  const queryValue = fc.oneof(
    knownId,
    junk,
    fc.constantFrom("pending", "ongoing", "completed", "0", "101", "2.5", "true", "false", "yes"),
  );
  const queryKey = fc.oneof(
    fc.constantFrom(
      "status",
      "pageSize",
      "pageNumber",
      "search",
      "includeRemoved",
      "assigneeIds",
      "chatIds",
      "responderIds",
      "responderVersionIds",
      "tagIds",
    ),
    fc.string({ maxLength: 8 }),
  );
  const query = fc
    .array(fc.tuple(queryKey, queryValue), { maxLength: 6 })
    .map((pairs) => new URLSearchParams(pairs).toString());
  const fieldValue = fc.oneof(
    knownId,
    junk,
    fc.constantFrom("pending", "ongoing", "completed", null, 0, true, [], {}),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const objectBody = fc
    .record(
      {
        chatId: fieldValue,
        assigneeId: fieldValue,
        userId: fieldValue,
        tagId: fieldValue,
        ticketingTeamId: fieldValue,
        status: fieldValue,
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body));
  const body = fc.oneof(
    fc.constant(undefined),
    objectBody,
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 60 }),
    fc.uint8Array({ maxLength: 60 }).map((bytes) => Buffer.from(bytes)),
    fc.constantFrom(
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      '{"chatId": "\uD800"}',
    ),
    fc
      .integer({ min: 1_000, max: 50_000 })
      .map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
    fc
      .integer({ min: 1_000, max: 50_000 })
      .map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
    fc.constant(`{"summary":"${"x".repeat(MAX_BODY_BYTES + 10)}"}`),
  );
  const authorization = fc.oneof(
    { weight: 6, arbitrary: fc.constant(server.apiKey) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", "wrong", `Bearer ${server.apiKey}`, `${server.apiKey} `),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const contentType = fc.constantFrom(
    undefined,
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/json; charset=latin1",
  );
  const ids = (list: string[]) => fc.constantFrom(...list.slice(0, 6));
  // Well-formed operations on real ids, so that runs reach the lifecycle (200s and 409s).
  const plausible = fc.oneof(
    fc
      .record({
        ticket: ids(ticketIds),
        action: fc.constantFrom("complete", "takeover", "assignee"),
        user: ids(fixtures.userIds),
      })
      .map(({ ticket, action, user }) => ({
        method: "PATCH",
        path: `/api/v1/tickets/${ticket}/${action}`,
        body: JSON.stringify(action === "complete" ? { userId: user } : { assigneeId: user }),
      })),
    fc
      .record({ ticket: ids(ticketIds), tag: ids(fixtures.tagIds), remove: fc.boolean() })
      .map(({ ticket, tag, remove }) =>
        remove
          ? { method: "DELETE", path: `/api/v1/tickets/${ticket}/tags/${tag}`, body: undefined }
          : {
              method: "POST",
              path: `/api/v1/tickets/${ticket}/tags`,
              body: JSON.stringify({ tagId: tag }),
            },
      ),
    fc
      .record({
        chatId: ids(fixtures.chatIds),
        assigneeId: ids(fixtures.userIds),
        status: fc.constantFrom("pending", "ongoing", "completed"),
      })
      .map((body) => ({
        method: "POST",
        path: "/api/v1/tickets",
        body: JSON.stringify({ ...body, ticketingTeamId: null }),
      })),
  );
  const plausibleRequest = plausible.map(
    ({ method, path, body }): FuzzRequest => ({
      method,
      path,
      body,
      headers: { authorization: server.apiKey, "content-type": "application/json" },
    }),
  );
  const randomRequest = fc
    .record({
      method: fc.constantFrom(
        "GET",
        "POST",
        "PATCH",
        "DELETE",
        "PUT",
        "OPTIONS",
        "HEAD",
        "PROPFIND",
      ),
      path,
      query,
      authorization,
      contentType,
      body,
      extraHeader: fc.option(
        fc.tuple(
          fc.stringMatching(/^[a-z][a-z-]{0,15}$/),
          fc.string({ maxLength: 30 }).map((text) => text.replace(/[^\x20-\x7e]/g, "")),
        ),
        { nil: undefined },
      ),
    })
    .map(({ method, path, query, authorization, contentType, body, extraHeader }): FuzzRequest => {
      const headers: Record<string, string> = {};
      if (authorization !== undefined) headers.authorization = authorization;
      if (contentType !== undefined) headers["content-type"] = contentType;
      if (
        extraHeader &&
        ![
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "expect",
          "upgrade",
          "keep-alive",
        ].includes(extraHeader[0])
      ) {
        headers[extraHeader[0]] = extraHeader[1];
      }
      return {
        method,
        path: query ? `${path}?${query}` : path,
        headers,
        body: method === "GET" || method === "HEAD" ? undefined : body,
      };
    });
  return fc.oneof(
    { weight: 4, arbitrary: randomRequest },
    { weight: 1, arbitrary: plausibleRequest },
  );
}

async function send({ pool }: Target, request: FuzzRequest) {
  const response = await pool
    .request({
      method: request.method as "GET",
      path: request.path,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(5_000),
    })
    .catch((error: Error) => {
      throw new Error(
        `${request.method} ${request.path.slice(0, 120)} (${describeBody(request.body)}): ${error.message}`,
      );
    });
  return {
    status: response.statusCode,
    contentType: String(response.headers["content-type"] ?? ""),
    text: await response.body.text(),
  };
}

/** The property: never a 5xx; a refusal is a JSON {message}. Counts the statuses seen. */
function neverFails(target: Target, statuses: Map<number, number>) {
  return fc.asyncProperty(arbitraries(target), async (request) => {
    const { status, contentType, text } = await send(target, request);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    expect(status, `${request.method} ${request.path}`).toBeLessThan(500);
    expect(status).toBeGreaterThanOrEqual(200);
    if (request.method === "HEAD") return;
    expect(contentType).toMatch(/^application\/json/);
    const body = JSON.parse(text);
    if (status >= 400)
      expect(typeof body.message, `${status} ${text.slice(0, 200)}`).toBe("string");
  });
}

const RUNS = { numRuns: 3_000, seed: 20261127, endOnFailure: true };

describe("the reference server under random requests", () => {
  it("never answers 5xx, and refuses with a JSON {message}", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(neverFails(clean, statuses), RUNS);
    // The run reached past authentication and validation into every kind of answer.
    expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBe(RUNS.numRuns);
    for (const status of [200, 400, 401, 404, 405, 409, 413]) {
      expect(statuses.get(status) ?? 0, `answers ${status} seen`).toBeGreaterThan(0);
    }
  });

  it("catches a server that crashes on bad input (the bad-json-500 fault)", async () => {
    const faulty = await openTarget(["bad-json-500"]);
    try {
      const result = await fc.check(neverFails(faulty, new Map()), RUNS);
      expect(result.failed).toBe(true);
      expect(String(result.errorInstance)).toMatch(/expected 500 to be less than 500/);
    } finally {
      await closeTarget(faulty);
    }
  });

  it("answers a malformed HTTP request with a JSON 400 and stays up", async () => {
    for (const raw of [
      "GARBAGE\r\n\r\n",
      "GET /api/v1/tickets/details HTTP/1.1\r\nbad header line\r\n\r\n",
      `GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ]) {
      const answer = await rawExchange(raw);
      expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer.slice(answer.indexOf("\r\n\r\n") + 4)).toMatch(/^\{"message":"/);
    }
  });

  it("refuses a body over the limit with 413 without reading it whole", async () => {
    const declared = await rawExchange(
      `POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nauthorization: ${clean.server.apiKey}\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n{"chat`,
    );
    expect(declared).toMatch(/^HTTP\/1\.1 413 /);
    const streamed = await send(clean, {
      method: "POST",
      path: "/api/v1/tickets",
      headers: { authorization: clean.server.apiKey },
      body: Buffer.alloc(MAX_BODY_BYTES * 4, 0x20),
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text).message).toMatch(/larger than/);
  });

  it("still answers normally afterwards", async () => {
    const list = await send(clean, {
      method: "GET",
      path: "/api/v1/tickets/details?status=ongoing&pageSize=5",
      headers: { authorization: clean.server.apiKey },
    });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.text)).toHaveLength(5);
    const fixtures = await send(clean, {
      method: "GET",
      path: "/__fixtures",
      headers: { authorization: clean.server.apiKey },
    });
    expect(Object.keys(JSON.parse(fixtures.text))).toEqual([
      "chatIds",
      "userIds",
      "tagIds",
      "ticketingTeamIds",
    ]);
  });
});

function describeBody(body: FuzzRequest["body"]): string {
  if (body === undefined) return "no body";
  return `${body.length} bytes: ${body.toString().slice(0, 40)}`;
}

/** Writes raw bytes on a fresh connection and reads what comes back until it closes. */
function rawExchange(raw: string): Promise<string> {
  const { hostname, port } = new URL(clean.server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString("utf8"));
    }, 3_000);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      chunks.length > 0 ? resolve(Buffer.concat(chunks).toString("utf8")) : reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    socket.write(raw);
  });
}
