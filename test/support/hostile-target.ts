/**
 * A target that misbehaves the way real staging servers and proxies do: a proxy in front of a
 * clean reference server, with one mode that changes what the API calls get (hang, reset,
 * garbage, huge or endless bodies, bombs, rate limits, redirects, echoed keys, a failure from
 * request N on, one blip). `/__fixtures` passes through unchanged unless the mode is about it,
 * so a run gets as far as the mode lets it.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { Pool } from "undici";
import { startReferenceServer } from "../../src/reference/index.js";

export const HOSTILE_KEY = 'h0stile+Key/with"quotes"&<tags>=';

export type HostileMode =
  | "clean"
  | "hang"
  | "hang-after-headers"
  | "reset"
  | "malformed-json"
  | "huge-body"
  | "trickle"
  | "retry-after-1"
  | "retry-after-3600"
  | "retry-after-none"
  | "json-as-html"
  | "html-page"
  | "all-500"
  | "empty-200"
  | "empty-array"
  | "gzip-bomb"
  | "endless-chunked"
  | "huge-headers"
  | "garbage-bytes"
  | "close-mid-body"
  | "redirect-other-origin"
  | "redirect-same-origin"
  | "all-401"
  | "all-404"
  | "empty-fixtures"
  | "hang-fixtures"
  | "key-echo-raw"
  | "key-echo-escaped"
  | "key-echo-split"
  | "key-echo-base64"
  | "key-echo-url"
  | "reset-from-n"
  | "hang-from-n"
  | "empty-array-from-n"
  | "malformed-from-n"
  | "blip";

export interface HostileOptions {
  mode: HostileMode;
  /** For the `-from-n` modes and `blip`: the API call (0-based) where it starts. */
  from?: number;
  /** For the redirect modes: the status to redirect with. Default 302. */
  redirectStatus?: 301 | 302 | 307 | 308;
}

export interface HostileTarget {
  url: string;
  /** API calls seen so far (requests under /api/). */
  apiCalls(): number;
  /** Requests the other origin of the redirect modes received, with their authorization. */
  otherOriginRequests(): { url: string; authorization?: string }[];
  close(): Promise<void>;
}

/** Starts the reference server (key HOSTILE_KEY) and the hostile proxy in front of it. */
export async function startHostileTarget(options: HostileOptions): Promise<HostileTarget> {
  const reference = await startReferenceServer({ seed: 5, tickets: 1500, apiKey: HOSTILE_KEY });
  const upstream = new Pool(reference.url, { connections: 8 });
  const other = await startOtherOrigin();
  const sockets = new Set<Socket>();
  let calls = 0;
  const server = createServer((request, response) => {
    const isApi = (request.url ?? "").startsWith("/api/");
    const index = isApi ? calls++ : -1;
    const call: Call = {
      index,
      isApi,
      request,
      response,
      upstream,
      other,
      forward: () => proxy(call),
    };
    behaviour(options, call).catch(() => response.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiCalls: () => calls,
    otherOriginRequests: () => other.seen,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await other.close();
      await upstream.close();
      await reference.close();
    },
  };
}

interface Call {
  index: number;
  isApi: boolean;
  request: IncomingMessage;
  response: ServerResponse;
  upstream: Pool;
  forward: () => Promise<void>;
  other: OtherOrigin;
}

async function behaviour(options: HostileOptions, call: Call): Promise<void> {
  const { mode } = options;
  const { request, response, forward } = call;
  if (mode === "empty-fixtures" && request.url?.startsWith("/__fixtures")) {
    return json(response, 200, {});
  }
  if (mode === "hang-fixtures") {
    if (request.url?.startsWith("/__fixtures") || request.url?.includes("/tickets/details")) {
      return; // never answers
    }
    return forward();
  }
  if (!call.isApi) return forward();
  const from = options.from ?? 0;
  if (mode.endsWith("-from-n")) {
    if (call.index < from) return forward();
    return misbehave(FROM_N[mode] ?? "clean", call, options);
  }
  if (mode === "blip") {
    if (call.index === from) return resetSocket(request);
    return forward();
  }
  return misbehave(mode, call, options);
}

/** What each `-from-n` mode does from request N on. */
const FROM_N: Partial<Record<HostileMode, HostileMode>> = {
  "reset-from-n": "reset",
  "hang-from-n": "hang",
  "empty-array-from-n": "empty-array",
  "malformed-from-n": "malformed-json",
};

async function misbehave(mode: HostileMode, call: Call, options: HostileOptions): Promise<void> {
  const { request, response, forward } = call;
  switch (mode) {
    case "clean":
      return forward();
    case "hang":
      return; // never answers; the socket stays open
    case "hang-after-headers":
      response.writeHead(200, { "content-type": "application/json" });
      response.flushHeaders();
      return;
    case "reset":
      return resetSocket(request);
    case "malformed-json":
      return raw(response, 200, "application/json", '{"id": "1", "status": ');
    case "empty-array":
      return raw(response, 200, "application/json", "[]");
    case "huge-body":
      return hugeBody(response);
    case "trickle":
      return trickle(response);
    case "retry-after-1":
      return rateLimited(response, "1");
    case "retry-after-3600":
      return rateLimited(response, "3600");
    case "retry-after-none":
      return rateLimited(response, undefined);
    case "json-as-html":
      return forwardAs(call, "text/html; charset=utf-8");
    case "html-page":
      return raw(
        response,
        200,
        "text/html",
        "<!doctype html><html><body><h1>Sign in</h1><form>...</form></body></html>",
      );
    case "all-500":
      return json(response, 500, { message: "internal error" });
    case "empty-200":
      response.writeHead(200, { "content-length": "0" });
      response.end();
      return;
    case "gzip-bomb":
      return gzipBomb(response);
    case "endless-chunked":
      return endless(response);
    case "huge-headers":
      response.writeHead(200, {
        "content-type": "application/json",
        "x-padding": "x".repeat(1024 * 1024),
      });
      response.end("[]");
      return;
    case "garbage-bytes":
      request.socket.end(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a, 0x42]));
      return;
    case "close-mid-body":
      response.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
      response.write('[{"id":"');
      setTimeout(() => request.socket.destroy(), 20);
      return;
    case "redirect-other-origin":
      response.writeHead(options.redirectStatus ?? 302, {
        location: `${call.other.url}${request.url}`,
      });
      response.end();
      return;
    case "redirect-same-origin":
      response.writeHead(options.redirectStatus ?? 302, { location: `/elsewhere${request.url}` });
      response.end();
      return;
    case "all-401":
      return json(response, 401, { message: "unauthorized" });
    case "all-404":
      return json(response, 404, { message: "not found" });
    case "key-echo-raw":
    case "key-echo-escaped":
    case "key-echo-split":
    case "key-echo-base64":
    case "key-echo-url":
      return echoKey(call, mode);
    default:
      return forward();
  }
}

// --- the behaviours ------------------------------------------------------------------------

function json(response: ServerResponse, status: number, body: unknown): void {
  raw(response, status, "application/json", JSON.stringify(body));
}

function raw(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

function resetSocket(request: IncomingMessage): void {
  request.socket.resetAndDestroy();
}

function rateLimited(response: ServerResponse, retryAfter: string | undefined): void {
  response.writeHead(429, {
    "content-type": "application/json",
    ...(retryAfter === undefined ? {} : { "retry-after": retryAfter }),
  });
  response.end(JSON.stringify({ message: "too many requests" }));
}

/** 50 MB of valid JSON: an array of one ticket-like object, repeated. */
function hugeBody(response: ServerResponse): void {
  const item = JSON.stringify({ id: "00000000-0000-4000-8000-000000000000", summary: "x" });
  const chunk = Buffer.from(`${item},`.repeat(10_000));
  const total = 50 * 1024 * 1024;
  response.writeHead(200, { "content-type": "application/json" });
  response.write("[");
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      sent += chunk.length;
      if (!response.write(chunk)) {
        response.once("drain", pump);
        return;
      }
    }
    response.end(`${item}]`);
  };
  response.on("close", () => {
    sent = total + 1;
  });
  pump();
}

/** A byte every 100 ms: each gap is short, the whole body never ends in time. */
function trickle(response: ServerResponse): void {
  response.writeHead(200, { "content-type": "application/json" });
  response.write("[");
  const timer = setInterval(() => response.write(" "), 100);
  response.on("close", () => clearInterval(timer));
}

function endless(response: ServerResponse): void {
  response.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.from(`${"[".repeat(1023)} `);
  let open = true;
  response.on("close", () => {
    open = false;
  });
  const pump = () => {
    while (open && response.write(chunk)) {
      /* keep writing until the socket pushes back */
    }
    if (open) response.once("drain", pump);
  };
  pump();
}

let bomb: Buffer | undefined;
/** ~1 MB of gzip that expands to 1 GiB of zeros: 64 gzip members of 16 MiB each. */
function gzipBomb(response: ServerResponse): void {
  bomb ??= Buffer.concat(Array(64).fill(gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 })));
  response.writeHead(200, {
    "content-type": "application/json",
    "content-encoding": "gzip",
    "content-length": bomb.length,
  });
  response.end(bomb);
}

async function forwardAs(call: Call, contentType: string): Promise<void> {
  const answer = await fetchUpstream(call);
  const headers = { ...answer.headers, "content-type": contentType };
  call.response.writeHead(answer.status, headers);
  call.response.end(answer.body);
}

/** The key, in the chosen encoding, where a server might echo it: enum and text fields. */
async function echoKey(call: Call, mode: HostileMode): Promise<void> {
  const answer = await fetchUpstream(call);
  const token = "@@KEY@@";
  let text = answer.body.toString("utf8");
  try {
    const parsed = JSON.parse(text) as unknown;
    text = JSON.stringify(plant(parsed, token));
  } catch {
    /* not JSON: leave it */
  }
  text = text.replaceAll(`"${token}"`, `"${encodedKey(mode)}"`);
  const headers: Record<string, string> = { ...answer.headers, "x-echo": HOSTILE_KEY };
  delete headers["content-length"];
  call.response.writeHead(answer.status, headers);
  call.response.end(text);
}

function plant(value: unknown, token: string): unknown {
  if (Array.isArray(value)) return value.map((item) => plant(item, token));
  if (value === null || typeof value !== "object") return value;
  const copy = { ...(value as Record<string, unknown>) };
  for (const field of ["status", "summary", "message", "assigneeEmail"]) {
    if (field in copy) copy[field] = token;
  }
  return copy;
}

function encodedKey(mode: HostileMode): string {
  const unicode = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  switch (mode) {
    case "key-echo-escaped":
      return [...HOSTILE_KEY].map(unicode).join("");
    case "key-echo-split":
      // Every other character escaped: no run of the key is left whole.
      return [...HOSTILE_KEY]
        .map((char, i) => (i % 2 === 0 || char === '"' ? unicode(char) : char))
        .join("");
    case "key-echo-base64":
      return Buffer.from(HOSTILE_KEY).toString("base64");
    case "key-echo-url":
      return encodeURIComponent(HOSTILE_KEY);
    default:
      return JSON.stringify(HOSTILE_KEY).slice(1, -1);
  }
}

// --- plumbing --------------------------------------------------------------------------------

interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function fetchUpstream(call: Call): Promise<Upstream> {
  return forwardRequest(call.upstream, call.request);
}

async function proxy(call: Call): Promise<void> {
  const answer = await fetchUpstream(call);
  call.response.writeHead(answer.status, answer.headers);
  call.response.end(answer.body);
}

async function forwardRequest(upstream: Pool, request: IncomingMessage): Promise<Upstream> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers = { ...request.headers } as Record<string, string>;
  delete headers.host;
  delete headers.connection;
  const answer = await upstream.request({
    method: request.method as "GET",
    path: request.url ?? "/",
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : null,
  });
  const body = Buffer.from(await answer.body.arrayBuffer());
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && name !== "connection" && name !== "keep-alive") {
      flat[name] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return { status: answer.statusCode, headers: flat, body };
}

interface OtherOrigin {
  url: string;
  seen: { url: string; authorization?: string }[];
  close(): Promise<void>;
}

/** Where the redirect modes point: records what reaches it (it must never see the key). */
async function startOtherOrigin(): Promise<OtherOrigin> {
  const seen: OtherOrigin["seen"] = [];
  const server: Server = createServer((request, response) => {
    seen.push({
      url: request.url ?? "",
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    json(response, 200, []);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
