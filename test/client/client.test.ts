import { execFile } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { inspect, promisify } from "node:util";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { toCurl } from "../../src/client/curl.js";
import type { Exchange } from "../../src/client/exchange.js";
import { MAX_BODY_BYTES } from "../../src/client/http-exchange.js";
import { serializeQuery } from "../../src/client/query.js";
import {
  createTicketsClient,
  type TicketsClient,
  type TicketsClientOptions,
} from "../../src/client/tickets-client.js";

const KEY = "sk-live-7f3a9c1e5b2d4068";
const TICKET_ID = "0b7e2c9a-4f1d-4c3b-9a8e-2d6f1e0c5b7a";
const TAG_ID = "5d2a8e1f-3c7b-4e9a-8b1d-7f0c2e4a6b9d";
const USER_ID = "9c4e1a7b-2d8f-4b3e-a6c1-0e5f7d2b8a4c";
const CHAT_ID = "3e8b5d2a-7c1f-4a9e-b2d6-1f4c8a0e7b3d";

interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Reply = (request: RecordedRequest, response: ServerResponse) => void;

interface TestServer {
  url: string;
  requests: RecordedRequest[];
  reply: Reply;
}

const jsonReply =
  (status: number, body: unknown): Reply =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };

let server: Server;
let target: TestServer;
const clients: TicketsClient[] = [];

async function startServer(): Promise<TestServer> {
  const state: TestServer = { url: "", requests: [], reply: jsonReply(200, { message: "ok" }) };
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const [path = "", query = ""] = (request.url ?? "").split("?");
    const recorded = {
      method: request.method ?? "",
      path,
      query,
      headers: request.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    state.requests.push(recorded);
    state.reply(recorded, response);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  state.url = `http://127.0.0.1:${address.port}`;
  return state;
}

function client(options: Partial<TicketsClientOptions> = {}): TicketsClient {
  const created = createTicketsClient({ baseUrl: target.url, ...options });
  clients.push(created);
  return created;
}

function requestCount(): number {
  return target.requests.length;
}

function lastRequest(): RecordedRequest {
  const request = target.requests.at(-1);
  if (request === undefined) throw new Error("the server received no request");
  return request;
}

beforeEach(async () => {
  vi.stubEnv("TICKETS_API_KEY", KEY);
  target = await startServer();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(clients.splice(0).map((each) => each.close()));
  server.closeAllConnections();
  server.close();
});

describe("operation methods", () => {
  const createBody = {
    chatId: CHAT_ID,
    ticketingTeamId: null,
    assigneeId: USER_ID,
    status: "pending" as const,
  };
  const cases: {
    name: string;
    call: (api: TicketsClient) => Promise<Exchange<unknown>>;
    method: string;
    path: string;
    body?: unknown;
  }[] = [
    {
      name: "getTicketDetails",
      call: (api) => api.getTicketDetails(TICKET_ID),
      method: "GET",
      path: `/api/v1/tickets/${TICKET_ID}/details`,
    },
    {
      name: "listTicketDetails",
      call: (api) => api.listTicketDetails({ status: "ongoing" }),
      method: "GET",
      path: "/api/v1/tickets/details",
    },
    {
      name: "createTicket",
      call: (api) => api.createTicket(createBody),
      method: "POST",
      path: "/api/v1/tickets",
      body: createBody,
    },
    {
      name: "completeTicket",
      call: (api) => api.completeTicket(TICKET_ID, { userId: USER_ID }),
      method: "PATCH",
      path: `/api/v1/tickets/${TICKET_ID}/complete`,
      body: { userId: USER_ID },
    },
    {
      name: "takeoverTicket",
      call: (api) => api.takeoverTicket(TICKET_ID, { assigneeId: USER_ID }),
      method: "PATCH",
      path: `/api/v1/tickets/${TICKET_ID}/takeover`,
      body: { assigneeId: USER_ID },
    },
    {
      name: "updateTicketAssignee",
      call: (api) => api.updateTicketAssignee(TICKET_ID, { assigneeId: USER_ID }),
      method: "PATCH",
      path: `/api/v1/tickets/${TICKET_ID}/assignee`,
      body: { assigneeId: USER_ID },
    },
    {
      name: "attachTicketTag",
      call: (api) => api.attachTicketTag(TICKET_ID, { tagId: TAG_ID }),
      method: "POST",
      path: `/api/v1/tickets/${TICKET_ID}/tags`,
      body: { tagId: TAG_ID },
    },
    {
      name: "removeTicketTag",
      call: (api) => api.removeTicketTag(TICKET_ID, TAG_ID),
      method: "DELETE",
      path: `/api/v1/tickets/${TICKET_ID}/tags/${TAG_ID}`,
    },
  ];

  it.each(cases)("$name sends $method $path with the raw key", async (testCase) => {
    target.reply = jsonReply(200, { message: testCase.name });
    const exchange = await testCase.call(client());

    const received = lastRequest();
    expect(received.method).toBe(testCase.method);
    expect(received.path).toBe(testCase.path);
    expect(received.headers.authorization).toBe(KEY);
    if (testCase.body === undefined) {
      expect(received.body).toBe("");
      expect(received.headers["content-type"]).toBeUndefined();
    } else {
      expect(JSON.parse(received.body)).toEqual(testCase.body);
      expect(received.headers["content-type"]).toBe("application/json");
    }
    expect(exchange.operationId).toBe(testCase.name);
    expect(exchange.request.method).toBe(testCase.method);
    expect(exchange.request.url).toBe(`${target.url}${received.path}${querySuffix(received)}`);
    expect(exchange.request.headers.authorization).toBe("$TICKETS_API_KEY");
    expect(exchange.response?.status).toBe(200);
    expect(exchange.response?.json).toEqual({ message: testCase.name });
    expect(exchange.error).toBeUndefined();
  });

  it("URL-encodes path ids", async () => {
    await client().removeTicketTag("a b/c?d", "x#y");
    expect(lastRequest().path).toBe("/api/v1/tickets/a%20b%2Fc%3Fd/tags/x%23y");
  });

  it("keeps a path prefix of the base URL", async () => {
    await client({ baseUrl: `${target.url}/vendor/` }).getTicketDetails(TICKET_ID);
    expect(lastRequest().path).toBe(`/vendor/api/v1/tickets/${TICKET_ID}/details`);
  });

  it("sends the list query with arrays as repeated keys", async () => {
    const exchange = await client().listTicketDetails({
      status: "pending",
      assigneeIds: [USER_ID, TICKET_ID],
      tagIds: TAG_ID,
      includeRemoved: false,
      pageSize: 5,
      pageNumber: 2,
      search: "printer jam",
      chatIds: undefined,
    });
    const expected = `status=pending&assigneeIds=${USER_ID}&assigneeIds=${TICKET_ID}&tagIds=${TAG_ID}&includeRemoved=false&pageSize=5&pageNumber=2&search=printer%20jam`;
    expect(lastRequest().query).toBe(expected);
    expect(exchange.request.url).toBe(`${target.url}/api/v1/tickets/details?${expected}`);
  });
});

function querySuffix(request: RecordedRequest): string {
  return request.query === "" ? "" : `?${request.query}`;
}

describe("serializeQuery", () => {
  it("follows the profile: repeated keys, skipped undefined, literal booleans and numbers", () => {
    const query = serializeQuery({
      ids: ["a", "b", "c"],
      skipped: undefined,
      nulled: null,
      empty: [],
      yes: true,
      no: false,
      zero: 0,
      ratio: 1.5,
      text: "a&b=c ü",
    });
    expect(query).toBe(
      "ids=a&ids=b&ids=c&yes=true&no=false&zero=0&ratio=1.5&text=a%26b%3Dc%20%C3%BC",
    );
  });

  it("gives an empty string for no parameters", () => {
    expect(serializeQuery({ only: undefined })).toBe("");
  });
});

describe("authentication", () => {
  it("sends Bearer <key> with the bearer scheme and records the placeholder", async () => {
    const exchange = await client({ authScheme: "bearer" }).getTicketDetails(TICKET_ID);
    expect(lastRequest().headers.authorization).toBe(`Bearer ${KEY}`);
    expect(exchange.request.headers.authorization).toBe("Bearer $TICKETS_API_KEY");
  });

  it("reads the key from the configured variable and names it in the placeholder", async () => {
    vi.stubEnv("MY_KEY", "other-secret-4411");
    const exchange = await client({ apiKeyEnv: "MY_KEY" }).getTicketDetails(TICKET_ID);
    expect(lastRequest().headers.authorization).toBe("other-secret-4411");
    expect(exchange.request.headers.authorization).toBe("$MY_KEY");
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("sends no authorization header when the variable is %s", async (_label, value) => {
    vi.stubEnv("TICKETS_API_KEY", value);
    const exchange = await client().getTicketDetails(TICKET_ID);
    expect(lastRequest().headers).not.toHaveProperty("authorization");
    expect(exchange.request.headers).not.toHaveProperty("authorization");
  });

  it("reads the key once, at creation", async () => {
    const api = client();
    vi.stubEnv("TICKETS_API_KEY", "changed-later");
    await api.getTicketDetails(TICKET_ID);
    expect(lastRequest().headers.authorization).toBe(KEY);
  });
});

describe("send", () => {
  it("sends a raw body as is, with a JSON content type", async () => {
    const exchange = await client().send({
      method: "POST",
      path: "/api/v1/tickets",
      rawBody: '{"chatId": ',
    });
    expect(lastRequest().body).toBe('{"chatId": ');
    expect(lastRequest().headers["content-type"]).toBe("application/json");
    expect(exchange.request.body).toBe('{"chatId": ');
    expect(exchange.operationId).toBeUndefined();
  });

  it("lets caller headers replace the defaults", async () => {
    await client().send({
      method: "POST",
      path: "/api/v1/tickets",
      rawBody: "chatId=1",
      headers: { "Content-Type": "text/plain" },
    });
    expect(lastRequest().headers["content-type"]).toBe("text/plain");
  });

  it('sends no authorization header with auth: "none"', async () => {
    const exchange = await client().send({
      method: "GET",
      path: `/api/v1/tickets/${TICKET_ID}/details`,
      auth: "none",
      operationId: "getTicketDetails",
    });
    expect(lastRequest().headers).not.toHaveProperty("authorization");
    expect(exchange.request.headers).not.toHaveProperty("authorization");
    expect(exchange.operationId).toBe("getTicketDetails");
  });

  it("sends and records a given wrong key as is, with the configured scheme", async () => {
    const exchange = await client({ authScheme: "bearer" }).send({
      method: "GET",
      path: "/api/v1/tickets/details",
      query: { status: "pending" },
      auth: { value: "wrong-key" },
    });
    expect(lastRequest().headers.authorization).toBe("Bearer wrong-key");
    expect(exchange.request.headers.authorization).toBe("Bearer wrong-key");
    expect(lastRequest().query).toBe("status=pending");
  });
});

describe("network failures end as errors, never as exceptions", () => {
  it("times out when the server never answers", async () => {
    target.reply = () => {};
    const exchange = await client({ timeoutMs: 300 }).getTicketDetails(TICKET_ID);
    expect(exchange.response).toBeUndefined();
    expect(exchange.error?.kind).toBe("timeout");
    expect(exchange.error?.message).toBe(
      `GET ${target.url}/api/v1/tickets/${TICKET_ID}/details: no response within 300 ms (request timeout)`,
    );
  });

  it("times out when the headers arrive and the body stalls", async () => {
    target.reply = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"id":');
    };
    const exchange = await client({ timeoutMs: 300 }).listTicketDetails({ status: "pending" });
    expect(exchange.response).toBeUndefined();
    expect(exchange.error?.kind).toBe("timeout");
    expect(exchange.error?.message).toContain(
      `GET ${target.url}/api/v1/tickets/details?status=pending: `,
    );
    expect(exchange.error?.message).toContain("within 300 ms");
    expect(exchange.error?.message).toContain("status 200");
  });

  it("bounds a body that trickles in, not only an idle one", async () => {
    target.reply = (_request, response) => {
      response.writeHead(200);
      const drip = setInterval(() => response.write(" "), 50);
      response.on("close", () => clearInterval(drip));
    };
    const exchange = await client({ timeoutMs: 300 }).getTicketDetails(TICKET_ID);
    expect(exchange.error?.kind).toBe("timeout");
  });

  it("reports a refused connection with the server address", async () => {
    const closedUrl = await closedPortUrl();
    const exchange = await client({ baseUrl: closedUrl }).getTicketDetails(TICKET_ID);
    expect(exchange.response).toBeUndefined();
    expect(exchange.error).toEqual({
      kind: "connection",
      message: `GET ${closedUrl}/api/v1/tickets/${TICKET_ID}/details: connection refused (is the server running at ${closedUrl}?)`,
    });
  });

  it("reports a connection the server drops", async () => {
    target.reply = (_request, response) => response.socket?.destroy();
    const exchange = await client().getTicketDetails(TICKET_ID);
    expect(exchange.error?.kind).toBe("connection");
    expect(exchange.error?.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\S+: connection /);
  });

  it("reports a response that is not HTTP as a protocol error", async () => {
    const garbage = await startGarbageServer();
    const exchange = await client({ baseUrl: garbage.url }).getTicketDetails(TICKET_ID);
    garbage.server.close();
    expect(exchange.error?.kind).toBe("protocol");
    expect(exchange.error?.message).toContain("invalid HTTP response");
  });
});

describe("response bodies", () => {
  it("gives a parse error and no json for a body that is not JSON", async () => {
    target.reply = (_request, response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end("<html>Bad gateway</html>");
    };
    const exchange = await client().getTicketDetails(TICKET_ID);
    expect(exchange.response?.status).toBe(502);
    expect(exchange.response?.rawBody).toBe("<html>Bad gateway</html>");
    expect(exchange.response?.json).toBeUndefined();
    expect(exchange.response?.parseError).toMatch(/^body is not JSON: [^\n]+$/);
    expect(exchange.response?.headers["content-type"]).toBe("text/html");
  });

  it("gives a parse error for an empty body", async () => {
    target.reply = (_request, response) => response.end();
    const exchange = await client().getTicketDetails(TICKET_ID);
    expect(exchange.response?.parseError).toBe("empty body, not JSON");
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ] as const)(
    "decodes a %s body a server sends unasked (RFC 9110 12.5.3)",
    async (coding, encode) => {
      target.reply = (_request, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-encoding": coding });
        response.end(encode(Buffer.from('[{"id":"x"}]')));
      };
      const exchange = await client().listTicketDetails({ status: "pending" });
      expect(exchange.response?.json).toEqual([{ id: "x" }]);
    },
  );

  it("stops decoding at the cap: a gzip bomb is an answer that says so, not an out-of-memory", async () => {
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array(16).fill(member)); // 256 MiB once decoded
    target.reply = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      response.end(bomb);
    };
    const before = process.memoryUsage().rss;
    const exchange = await client().listTicketDetails({ status: "pending" });
    expect(exchange.response?.status).toBe(200);
    expect(exchange.response?.parseError).toMatch(/gzip body expands past 1048576 bytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("says so when a body is not valid for its content coding", async () => {
    target.reply = (_request, response) => {
      response.writeHead(200, { "content-encoding": "gzip" });
      response.end("[] not gzip");
    };
    const exchange = await client().listTicketDetails({ status: "pending" });
    expect(exchange.response?.parseError).toMatch(/body is not valid gzip/);
  });

  it("caps a huge body and says so", async () => {
    target.reply = (_request, response) => response.end("x".repeat(2 * MAX_BODY_BYTES));
    const exchange = await client().getTicketDetails(TICKET_ID);
    expect(exchange.response?.rawBody.length).toBe(MAX_BODY_BYTES);
    expect(exchange.response?.parseError).toContain(`larger than ${MAX_BODY_BYTES} bytes`);
  });
});

describe("the key stays secret", () => {
  it("is not reachable from the client object", () => {
    const api = client();
    expect(JSON.stringify(api)).not.toContain(KEY);
    expect(inspect(api, { showHidden: true, depth: null })).not.toContain(KEY);
  });

  it("is replaced when the server echoes it in a header and the body", async () => {
    target.reply = (_request, response) => {
      response.writeHead(401, { "content-type": "application/json", "x-echo": `key=${KEY}` });
      response.end(JSON.stringify({ message: `bad key ${KEY}`, again: KEY }));
    };
    const exchange = await client().createTicket({
      chatId: CHAT_ID,
      ticketingTeamId: null,
      assigneeId: USER_ID,
      status: "pending",
    });
    expect(lastRequest().headers.authorization).toBe(KEY);
    expect(JSON.stringify(exchange)).not.toContain(KEY);
    expect(toCurl(exchange)).not.toContain(KEY);
    expect(exchange.response?.headers["x-echo"]).toBe("key=$TICKETS_API_KEY");
    expect(exchange.response?.json).toEqual({
      message: "bad key $TICKETS_API_KEY",
      again: "$TICKETS_API_KEY",
    });
  });

  it("does not leak a key cut in half by the body cap", async () => {
    const body = `${"x".repeat(MAX_BODY_BYTES - 6)}${KEY}`;
    target.reply = (_request, response) => response.end(body);
    const exchange = await client().getTicketDetails(TICKET_ID);
    expect(exchange.response?.rawBody.endsWith("x")).toBe(true);
    expect(exchange.response?.rawBody).not.toContain(KEY.slice(0, 6));
  });

  it("is never sent outside the authorization header: such a request is refused, not sent", async () => {
    const sent = requestCount();
    const encoded = [KEY, encodeURIComponent(KEY), Buffer.from(KEY).toString("base64")];
    for (const form of encoded) {
      const exchange = await client().send({
        method: "POST",
        path: "/api/v1/tickets",
        query: { status: form },
        body: { summary: form },
      });
      expect(exchange.error?.kind).toBe("refused");
      expect(exchange.error?.message).toMatch(/not sent: it would carry the API key/);
      expect(JSON.stringify(exchange)).not.toContain(KEY);
    }
    expect(requestCount()).toBe(sent);
  });

  it("is replaced in error messages", async () => {
    target.reply = (_request, response) => {
      response.writeHead(200, { "x-echo": KEY });
      response.write("[");
    };
    const exchange = await client({ timeoutMs: 300 }).listTicketDetails({ status: "pending" });
    expect(exchange.error?.kind).toBe("timeout");
    expect(JSON.stringify(exchange)).not.toContain(KEY);
  });
});

describe("toCurl", () => {
  it("prints a POST exactly, the key as a shell variable", async () => {
    const exchange = await client().attachTicketTag(TICKET_ID, { tagId: TAG_ID });
    expect(toCurl(exchange)).toBe(
      `curl -sS -X POST '${target.url}/api/v1/tickets/${TICKET_ID}/tags' ` +
        `-H "authorization: $TICKETS_API_KEY" -H 'content-type: application/json' ` +
        `--data-raw '{"tagId":"${TAG_ID}"}'`,
    );
  });

  it("escapes single quotes and single-quotes a wrong key", async () => {
    const exchange = await client().send({
      method: "POST",
      path: "/api/v1/tickets",
      body: { summary: "O'Brien's $HOME" },
      auth: { value: "it's-$wrong" },
    });
    expect(toCurl(exchange)).toBe(
      `curl -sS -X POST '${target.url}/api/v1/tickets' ` +
        `-H 'authorization: it'\\''s-$wrong' -H 'content-type: application/json' ` +
        `--data-raw '{"summary":"O'\\''Brien'\\''s $HOME"}'`,
    );
  });

  it("replays in a shell: same method, path, key and body reach the server", async () => {
    const exchange = await client({ authScheme: "bearer" }).updateTicketAssignee(TICKET_ID, {
      assigneeId: "it's",
    });
    const viaClient = lastRequest();
    await promisify(execFile)("sh", ["-c", toCurl(exchange)], {
      env: { PATH: process.env.PATH, TICKETS_API_KEY: KEY },
    });
    const viaCurl = lastRequest();
    expect(viaCurl).not.toBe(viaClient);
    expect(viaCurl.method).toBe("PATCH");
    expect(viaCurl.path).toBe(viaClient.path);
    expect(viaCurl.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(viaCurl.body).toBe(viaClient.body);
  });
});

async function closedPortUrl(): Promise<string> {
  const probe = createTcpServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  probe.close();
  await once(probe, "close");
  return `http://127.0.0.1:${address.port}`;
}

async function startGarbageServer(): Promise<{ url: string; server: TcpServer }> {
  const garbage = createTcpServer((socket) => {
    socket.once("data", () => socket.end("NOT HTTP AT ALL\r\n\r\n"));
  });
  garbage.listen(0, "127.0.0.1");
  await once(garbage, "listening");
  const address = garbage.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { url: `http://127.0.0.1:${address.port}`, server: garbage };
}
