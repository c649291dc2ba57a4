/**
 * The embedded reference server: the Tickets API as the docs and PROFILE.md describe it,
 * on node:http. Each request goes: authentication, route, body (size limit, JSON),
 * validation against the contract's own compiled schemas, the operation, the faults.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Fixtures, ID_FILTERS } from "../contract/profile-facts.js";
import { ContractValidator, type Violation } from "../contract/validator.js";
import { CONTRACTS_DIR } from "../util/package-root.js";
import { TicketsApi } from "./api.js";
import { FaultSet } from "./faults.js";
import { type ApiResponse, errorResponse, HttpError, readBody, send } from "./http-io.js";
import { decodeQuery, matchRoute, type Route, routesOf } from "./routes.js";
import { seedWorld } from "./seed.js";
import { TicketStore } from "./store.js";
import type { World } from "./world.js";

/** The key the server accepts when its key variable is unset; named in the README. */
export const DEV_API_KEY = "tickets-harness-dev-key";
const SLOW_LIST_MS = 20;

export interface ReferenceServerOptions {
  port?: number;
  host?: string;
  seed?: number;
  tickets?: number;
  faults?: readonly string[];
  /** Other sides of open choices (choices.ts): each breaks no rule. */
  choices?: readonly string[];
  /** The key to accept; default: the value of `apiKeyEnv`, else DEV_API_KEY. */
  apiKey?: string;
  apiKeyEnv?: string;
}

export interface ReferenceServer {
  url: string;
  apiKey: string;
  fixtures: Fixtures;
  faults: string[];
  choices: string[];
  close(): Promise<void>;
}

export function resolveApiKey(envName = "TICKETS_API_KEY"): string {
  const value = process.env[envName];
  return value === undefined || value === "" ? DEV_API_KEY : value;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        requestBody?: { content: Record<string, { schema: { $ref: string } }> };
      }
    >
  >;
}

export async function startReferenceServer(
  options: ReferenceServerOptions = {},
): Promise<ReferenceServer> {
  const choices = [...(options.choices ?? [])];
  const faults = new FaultSet([...(options.faults ?? []), ...choices]);
  const apiKey = options.apiKey ?? resolveApiKey(options.apiKeyEnv);
  const seed = options.seed ?? 1;
  const world = faults.has("few-seeded-tickets")
    ? fewTickets(seed)
    : seedWorld({ seed, tickets: options.tickets ?? 10_000 });
  if (faults.has("fixture-chats-removed")) removeFixtureChats(world);
  if (faults.has("timestamps-second-precision")) toWholeSeconds(world);
  const handler = new RequestHandler(
    new TicketsApi(new TicketStore(world), faults),
    faults,
    apiKey,
    world.fixtures,
  );
  const server = createServer(
    { keepAliveTimeout: 10_000, requestTimeout: 30_000 },
    (request, response) => {
      handler.handle(request, response);
    },
  );
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    const body = JSON.stringify({
      message: `malformed HTTP request (${error.code ?? "parse error"})`,
    });
    if (!socket.writable) return socket.destroy();
    socket.end(
      `HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    apiKey,
    fixtures: world.fixtures,
    faults: faults.names().filter((name) => !choices.includes(name)),
    choices,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The fewest tickets the choice few-seeded-tickets seeds (more if a shape is missing). */
export const FEW_TICKETS = 24;

/**
 * The choice few-seeded-tickets: a world with a couple of dozen tickets, still what
 * PROFILE.md pins of seeded data (existing tickets in every status, removed chats among
 * them): the fewest from FEW_TICKETS up, in steps of 6, that hold every shape.
 */
function fewTickets(seed: number): World {
  for (let tickets = FEW_TICKETS; ; tickets += 6) {
    const world = seedWorld({ seed, tickets });
    const statuses = new Set(world.tickets.map((ticket) => ticket.status));
    if (statuses.size === 3 && world.tickets.some((ticket) => ticket.chat.isRemoved)) return world;
  }
}

/** The choice fixture-chats-removed: the published free chats are removed chats. */
function removeFixtureChats(world: World): void {
  const fixtures = new Set(world.fixtures.chatIds);
  for (const chat of world.chats) if (fixtures.has(chat.id)) chat.isRemoved = true;
}

/**
 * The choice timestamps-second-precision: the seeded times in whole seconds too, so that the
 * list orders by the times it writes (tickets of one second by id).
 */
function toWholeSeconds(world: World): void {
  const floor = (ms: number) => ms - (ms % 1000);
  for (const ticket of world.tickets) {
    ticket.createdAt = floor(ticket.createdAt);
    ticket.updatedAt = floor(ticket.updatedAt);
    if (ticket.ongoingAt !== null) ticket.ongoingAt = floor(ticket.ongoingAt);
    if (ticket.completedAt !== null) ticket.completedAt = floor(ticket.completedAt);
    if (ticket.lastViewedAt !== null) ticket.lastViewedAt = floor(ticket.lastViewedAt);
    for (const [tagId, at] of ticket.tags) ticket.tags.set(tagId, floor(at));
  }
}

class RequestHandler {
  // Lenient where the profile is: a well-formed UUID of another version is a UUID (404 if
  // unknown, not 400), in paths, bodies and id filters alike; the choice uuid-v4-only takes
  // the docs' "UUID v4" at its word.
  private readonly validator: ContractValidator;
  private readonly routes: Route[];
  private readonly bodyShapes = new Map<string, string>();
  /** Methods a path does not list, answered so far (the fault method-405-sometimes). */
  private unlistedMethods = 0;

  constructor(
    private readonly api: TicketsApi,
    private readonly faults: FaultSet,
    private readonly apiKey: string,
    private readonly fixtures: Fixtures,
  ) {
    this.validator = ContractValidator.load(undefined, {
      anyUuidVersion: !faults.has("uuid-v4-only"),
    });
    const openapi = JSON.parse(
      readFileSync(join(CONTRACTS_DIR, "openapi.json"), "utf8"),
    ) as OpenApiDocument;
    this.routes = routesOf(openapi);
    for (const item of Object.values(openapi.paths)) {
      for (const operation of Object.values(item)) {
        const ref = operation.requestBody?.content["application/json"]?.schema.$ref;
        if (ref) this.bodyShapes.set(operation.operationId, ref.split("/").pop() as string);
      }
    }
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    this.answer(request)
      .catch((error: unknown) => {
        if (error instanceof HttpError) return errorResponse(error.status, error.message);
        console.error(`reference server: ${request.method} ${request.url}: ${String(error)}`);
        return errorResponse(500, "internal error");
      })
      .then((answer) =>
        send(response, answer, {
          close: answer.status === 413 || this.faults.has("connection-close"),
          chunked: this.faults.has("chunked-responses"),
          gzip: this.faults.has("gzip-responses"),
        }),
      );
  }

  /** The key check (PROFILE.md Authentication: the raw key); two faults loosen it. */
  private accepts(authorization: string | undefined): boolean {
    if (authorization === undefined || authorization === "") return false;
    if (this.faults.has("key-prefix-accepted")) return this.apiKey.startsWith(authorization);
    if (this.faults.has("key-case-insensitive")) {
      return authorization.toLowerCase() === this.apiKey.toLowerCase();
    }
    return authorization === this.apiKey;
  }

  private async answer(request: IncomingMessage): Promise<ApiResponse> {
    const url = parseUrl(request.url);
    const method = request.method ?? "GET";
    const authorized = this.accepts(request.headers.authorization);
    // No key, no validation: even an unparseable target gets 401 first.
    if (!url) {
      return authorized
        ? errorResponse(400, "request target: not a valid URL path")
        : unauthorized();
    }
    if (url.pathname === "/__fixtures") {
      if (!authorized) return unauthorized();
      return method === "GET" ? { status: 200, body: this.fixtures } : methodNotAllowed(["GET"]);
    }
    let match: ReturnType<typeof matchRoute>;
    try {
      match = matchRoute(this.routes, method, url.pathname);
    } catch {
      return authorized ? errorResponse(400, "path: malformed percent-encoding") : unauthorized();
    }
    const { route } = match;
    const operationId = route?.operationId ?? "";
    const skipAuth = operationId === "listTicketDetails" && this.faults.has("list-without-auth");
    const validateFirst = this.faults.has("validation-before-auth");
    if (!authorized && !skipAuth && !validateFirst) return unauthorized();
    if (!route) {
      if (!authorized) return unauthorized();
      const sometimes = this.faults.has("method-405-sometimes") && this.unlistedMethods++ % 2 === 1;
      return match.allowed?.length && !this.faults.has("unknown-method-404") && !sometimes
        ? methodNotAllowed(match.allowed)
        : errorResponse(404, `no endpoint ${method} ${url.pathname}`);
    }
    const query = decodeQuery(
      url.searchParams,
      this.validator.schema(parametersShape(operationId))?.properties?.query,
    );
    const invalid =
      this.invalidParameters(operationId, match.path, query, request.headers.authorization) ??
      this.unknownParameter(operationId, url.searchParams);
    if (invalid) return invalid;
    if (!authorized && !skipAuth) return unauthorized();
    const body = await this.readValidBody(operationId, request);
    if ("status" in body) return body;
    if (operationId === "listTicketDetails" && this.faults.has("slow-list"))
      await sleep(SLOW_LIST_MS);
    const answer = await this.api.handle(operationId, {
      path: match.path,
      query,
      body: body.value,
    });
    return this.faults.transform(operationId, answer);
  }

  private invalidParameters(
    operationId: string,
    path: Record<string, string>,
    query: Record<string, unknown>,
    authorization: string | undefined,
  ): ApiResponse | undefined {
    const headers = authorization === undefined ? {} : { authorization };
    const result = this.validator.validateShape(parametersShape(operationId), {
      path,
      query,
      headers,
    });
    const failures = result.failures.filter(
      (failure) => this.enforced(failure) && !failure.pointer.startsWith("/headers"),
    );
    if (failures.length > 0) return badRequest(failures);
    return this.tooStrict(query);
  }

  /**
   * The choice unknown-query-parameter-400: a parameter the docs do not list is refused;
   * two faults: refused on the list only (ignored elsewhere), a crash (500).
   */
  private unknownParameter(operationId: string, params: URLSearchParams): ApiResponse | undefined {
    const crash = this.faults.has("unknown-query-parameter-500");
    const refuse =
      this.faults.has("unknown-query-parameter-400") ||
      (operationId === "listTicketDetails" &&
        this.faults.has("unknown-param-refused-on-list-only"));
    if (!crash && !refuse) return undefined;
    const known = this.validator.schema(parametersShape(operationId))?.properties?.query
      ?.properties;
    const unknown = [...new Set(params.keys())].filter((name) => !(known && name in known));
    if (unknown.length === 0) return undefined;
    if (crash) return errorResponse(500, `internal error: unexpected parameter ${unknown[0]}`);
    return errorResponse(400, `query: unknown parameter ${unknown.join(", ")}`);
  }

  /** Two faults refuse what the rules allow: the largest page, an id in upper case. */
  private tooStrict(query: Record<string, unknown>): ApiResponse | undefined {
    if (this.faults.has("page-size-max-99") && query.pageSize === 100) {
      return errorResponse(400, "query.pageSize: must be at most 99");
    }
    const ids = ID_FILTERS.flatMap((name) => [query[name] ?? []].flat());
    if (
      this.faults.has("uuid-filter-lowercase-only") &&
      ids.some((id) => /[A-F]/.test(String(id)))
    ) {
      return errorResponse(400, "query: ids must be lower-case UUIDs");
    }
    if (
      this.faults.has("uuid-version-inconsistent") &&
      ids.some((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-35-9a-f]/i.test(String(id)))
    ) {
      return errorResponse(400, "query: ids must be UUID v4");
    }
    return undefined;
  }

  private async readValidBody(
    operationId: string,
    request: IncomingMessage,
  ): Promise<{ value: unknown } | ApiResponse> {
    const shape = this.bodyShapes.get(operationId);
    if (!shape) return { value: undefined };
    const text = await readBody(request);
    if (this.faults.has("body-escapes-refused") && text.includes("\\u")) {
      return errorResponse(400, "body: escape sequences are not allowed");
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (this.faults.has("bad-json-500")) return errorResponse(500, "Unexpected token in JSON");
      return errorResponse(400, "body: not JSON");
    }
    const failures = this.validator
      .validateShape(shape, value)
      .failures.filter((failure) => this.enforced(failure));
    if (failures.length > 0) return badRequest(failures, "body");
    return this.unknownField(operationId, shape, value) ?? { value };
  }

  /**
   * The choice unknown-body-field-400: a body field the docs do not list is refused; the
   * fault unknown-field-refused-on-create-only refuses it on create and ignores it elsewhere.
   */
  private unknownField(
    operationId: string,
    shape: string,
    value: unknown,
  ): ApiResponse | undefined {
    const refuse =
      this.faults.has("unknown-body-field-400") ||
      (operationId === "createTicket" && this.faults.has("unknown-field-refused-on-create-only"));
    if (!refuse) return undefined;
    const known = this.validator.schema(shape)?.properties ?? {};
    const unknown = Object.keys(value as object).filter((name) => !(name in known));
    return unknown.length > 0
      ? errorResponse(400, `body: unknown field ${unknown.join(", ")}`)
      : undefined;
  }

  /** The contract is enforced, but for the bounds a fault catalog bug lets through. */
  private enforced(failure: Violation): boolean {
    if (failure.pointer === "/query/pageSize" && failure.rule === "maximum")
      return !this.faults.has("page-size-unbounded");
    if (failure.pointer === "/query/status" && failure.rule === "required")
      return !this.faults.has("missing-status-accepted");
    if (failure.pointer === "/path/tagId") return !this.faults.has("tag-id-unvalidated");
    return true;
  }
}

function parseUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? "/", "http://reference.invalid");
  } catch {
    return undefined;
  }
}

function parametersShape(operationId: string): string {
  return `${operationId.charAt(0).toUpperCase()}${operationId.slice(1)}Parameters`;
}

function unauthorized(): ApiResponse {
  return errorResponse(401, "missing or wrong API key in the authorization header");
}

function methodNotAllowed(allowed: string[]): ApiResponse {
  return {
    ...errorResponse(405, `method not allowed; this path answers ${allowed.join(", ")}`),
    headers: { allow: allowed.join(", ") },
  };
}

function badRequest(failures: Violation[], prefix?: string): ApiResponse {
  const reasons = failures.map((failure) => {
    const where = prefix ? `${prefix}${failure.pointer}` : failure.pointer.slice(1);
    return `${where.replaceAll("/", ".") || prefix}: expected ${failure.expected}, got ${failure.actual}`;
  });
  return errorResponse(400, `invalid request: ${reasons.join("; ")}`);
}
