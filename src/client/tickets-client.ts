import { Pool } from "undici";
import type {
  AttachTicketTagBody,
  CompleteTicketBody,
  CreateTicketBody,
  ListTicketDetailsParameters,
  Message,
  OperationId,
  Operations,
  TagLink,
  TakeoverTicketBody,
  TicketDetails,
  TicketRow,
  UpdateTicketAssigneeBody,
} from "../../contracts/types.js";
import { registerSecret } from "../util/redaction.js";
import { swapCase } from "../util/text.js";
import type { Exchange, ExchangeRequest } from "./exchange.js";
import { type PreparedRequest, performExchange, type TransportSettings } from "./http-exchange.js";
import { type QueryParams, serializeQuery } from "./query.js";

export interface TicketsClientOptions {
  baseUrl: string;
  /**
   * The API key. When absent, it is read once from the environment variable `apiKeyEnv`.
   * It lives only inside the client and is shown everywhere as `$<apiKeyEnv>`.
   */
  apiKey?: string;
  /** The environment variable that holds the key, and its name in what is recorded. Default `TICKETS_API_KEY`. */
  apiKeyEnv?: string;
  /** `raw`: `authorization: <key>`; `bearer`: `authorization: Bearer <key>`. Default `raw`. */
  authScheme?: "raw" | "bearer";
  /** Bounds every call, from connecting to the last body byte. Default 10000. */
  timeoutMs?: number;
  /** Maximum connections of the keep-alive pool. Default: no limit. */
  connections?: number;
}

/** A free-form request, for negative tests. */
export interface SendRequest {
  method: string;
  path: string;
  query?: QueryParams;
  headers?: Record<string, string>;
  /** Serialized as JSON. */
  body?: unknown;
  /** Sent as is (e.g. malformed JSON); wins over `body`. */
  rawBody?: string;
  /**
   * `key` (default): the configured key, if any. `none`: no authorization header.
   * `{ value }`: this (wrong, not secret) key, with the configured scheme, recorded as is.
   * `{ near }`: the configured key changed the least (the nearest wrong keys, and the key
   * with the whitespace a header may carry around it), recorded only by its description.
   */
  auth?: "key" | "none" | { value: string } | { near: NearKey };
  operationId?: OperationId;
}

/** The key changed the least: each but `padded` is a wrong key; `padded` is the key itself. */
export type NearKey = "truncated" | "extended" | "case-flipped" | "padded";

const NEAR_KEYS: Record<NearKey, { change: (key: string) => string; recorded: string }> = {
  truncated: { change: (key) => key.slice(0, -1), recorded: "without its last character" },
  extended: { change: (key) => `${key}x`, recorded: 'with an "x" added' },
  "case-flipped": { change: swapCase, recorded: "with the case of every letter flipped" },
  // RFC 9110 5.5: the whitespace around a field value is not part of it (the header is
  // padded as a whole, scheme included).
  padded: { change: (key) => key, recorded: "with a space before and after" },
};

/** The near keys that differ from the key itself (a key without letters has no other case). */
export function nearKeysOf(key: string): NearKey[] {
  const wrong = (["truncated", "extended", "case-flipped"] as const).filter(
    (near) => key !== "" && NEAR_KEYS[near].change(key) !== key,
  );
  return [...wrong, "padded"];
}

export interface TicketsClient {
  getTicketDetails(id: string): Promise<Exchange<TicketDetails>>;
  listTicketDetails(
    query: ListTicketDetailsParameters["query"],
  ): Promise<Exchange<TicketDetails[]>>;
  createTicket(body: CreateTicketBody): Promise<Exchange<TicketRow>>;
  completeTicket(id: string, body: CompleteTicketBody): Promise<Exchange<TicketRow>>;
  takeoverTicket(id: string, body: TakeoverTicketBody): Promise<Exchange<TicketRow>>;
  updateTicketAssignee(id: string, body: UpdateTicketAssigneeBody): Promise<Exchange<TicketRow>>;
  attachTicketTag(ticketId: string, body: AttachTicketTagBody): Promise<Exchange<TagLink>>;
  removeTicketTag(ticketId: string, tagId: string): Promise<Exchange<Message>>;
  send(request: SendRequest): Promise<Exchange<unknown>>;
  /**
   * The same client (pool, key, timeouts) whose requests end at once, as `aborted`, when
   * `signal` aborts: a run's checks stop on Ctrl-C while its cleanup goes on.
   */
  withSignal(signal: AbortSignal): TicketsClient;
  close(): Promise<void>;
}

// Typed against the generated contract, so a drifting method or path fails the type check.
export const ROUTES: { [Id in OperationId]: Pick<Operations[Id], "method" | "path"> } = {
  getTicketDetails: { method: "GET", path: "/api/v1/tickets/{id}/details" },
  listTicketDetails: { method: "GET", path: "/api/v1/tickets/details" },
  completeTicket: { method: "PATCH", path: "/api/v1/tickets/{id}/complete" },
  createTicket: { method: "POST", path: "/api/v1/tickets" },
  attachTicketTag: { method: "POST", path: "/api/v1/tickets/{ticketId}/tags" },
  removeTicketTag: { method: "DELETE", path: "/api/v1/tickets/{ticketId}/tags/{tagId}" },
  takeoverTicket: { method: "PATCH", path: "/api/v1/tickets/{id}/takeover" },
  updateTicketAssignee: { method: "PATCH", path: "/api/v1/tickets/{id}/assignee" },
};

/** The path parameters of an operation, by name, as the route's template has them. */
type PathParams<Id extends OperationId> = Operations[Id]["parameters"]["path"];

/**
 * A request for `operationId` from the route table: its method, its path with the
 * parameters filled (encoded), and what else is given. Negative tests start from this and
 * change one thing (a path id that is not a UUID, a body of the wrong shape, no key).
 */
export function routeRequest<Id extends OperationId>(
  operationId: Id,
  pathParams: { [Name in keyof PathParams<Id>]: string },
  rest: Omit<SendRequest, "operationId" | "method" | "path"> = {},
): SendRequest {
  const { method, path } = ROUTES[operationId];
  return { operationId, method, path: fillPath(path, pathParams), ...rest };
}

interface OperationCall {
  pathParams?: Record<string, string>;
  query?: QueryParams;
  body?: unknown;
}

export function createTicketsClient(options: TicketsClientOptions): TicketsClient {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const auth = createAuth(options);
  const pool = new Pool(base.origin, {
    connections: options.connections ?? null,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
  });
  const settings: TransportSettings = { pool, timeoutMs, redactor: auth.redactor };

  function prepare(request: SendRequest): PreparedRequest {
    const queryString = serializeQuery(request.query ?? {});
    const path = `${basePath}${request.path}${queryString ? `?${queryString}` : ""}`;
    const body = request.rawBody ?? jsonOf(request.body);
    const { sent, recorded } = requestHeaders(request, body !== undefined);
    const { redact } = auth.redactor;
    const record: ExchangeRequest = {
      method: request.method,
      url: redact(`${base.origin}${path}`),
      headers: mapValues(recorded, redact),
      ...(body === undefined ? {} : { body: redact(body) }),
    };
    const operationId =
      request.operationId === undefined ? {} : { operationId: request.operationId };
    return {
      ...operationId,
      method: request.method,
      origin: base.origin,
      path,
      headers: sent,
      body,
      record,
    };
  }

  function requestHeaders(request: SendRequest, hasBody: boolean): AuthHeaders {
    const authorization = auth.header(request.auth ?? "key");
    const common: Record<string, string> = {
      ...(hasBody ? { "content-type": "application/json" } : {}),
      ...lowerCaseNames(request.headers ?? {}),
    };
    return {
      sent: { ...authorization.sent, ...common },
      recorded: { ...authorization.recorded, ...common },
    };
  }

  function clientWith(transport: TransportSettings): TicketsClient {
    const send = (request: SendRequest) => performExchange(prepare(request), transport);
    const call = <Id extends OperationId>(
      operationId: Id,
      { pathParams = {}, query, body }: OperationCall,
    ) => {
      const request = routeRequest(operationId, pathParams as never, { query, body });
      return send(request) as Promise<Exchange<Operations[Id]["response"]>>;
    };
    return operations(call, send, {
      withSignal: (signal) => clientWith({ ...transport, signal }),
      close: () => (pool.closed ? Promise.resolve() : pool.close()),
    });
  }

  return clientWith(settings);
}

type Call = <Id extends OperationId>(
  operationId: Id,
  call: OperationCall,
) => Promise<Exchange<Operations[Id]["response"]>>;

function operations(
  call: Call,
  send: TicketsClient["send"],
  rest: Pick<TicketsClient, "withSignal" | "close">,
): TicketsClient {
  return {
    getTicketDetails: (id) => call("getTicketDetails", { pathParams: { id } }),
    listTicketDetails: (query) => call("listTicketDetails", { query }),
    createTicket: (body) => call("createTicket", { body }),
    completeTicket: (id, body) => call("completeTicket", { pathParams: { id }, body }),
    takeoverTicket: (id, body) => call("takeoverTicket", { pathParams: { id }, body }),
    updateTicketAssignee: (id, body) => call("updateTicketAssignee", { pathParams: { id }, body }),
    attachTicketTag: (ticketId, body) =>
      call("attachTicketTag", { pathParams: { ticketId }, body }),
    removeTicketTag: (ticketId, tagId) =>
      call("removeTicketTag", { pathParams: { ticketId, tagId } }),
    send,
    ...rest,
  };
}

interface AuthHeaders {
  sent: Record<string, string>;
  recorded: Record<string, string>;
}

/** Takes the key once; it lives only in this closure, never on an object. */
function createAuth(options: TicketsClientOptions) {
  const envName = options.apiKeyEnv ?? "TICKETS_API_KEY";
  const key = options.apiKey ?? process.env[envName] ?? "";
  const placeholder = `$${envName}`;
  const withScheme = (value: string) =>
    options.authScheme === "bearer" ? `Bearer ${value}` : value;
  const both = (sent: string, recorded: string): AuthHeaders => ({
    sent: { authorization: sent },
    recorded: { authorization: recorded },
  });

  function header(auth: NonNullable<SendRequest["auth"]>): AuthHeaders {
    if (auth === "none" || (auth === "key" && key === "")) return { sent: {}, recorded: {} };
    if (auth === "key") return both(withScheme(key), withScheme(placeholder));
    if ("near" in auth) {
      const near = NEAR_KEYS[auth.near];
      const recorded = withScheme(`${placeholder} ${near.recorded}`);
      const sent = withScheme(near.change(key));
      return both(auth.near === "padded" ? ` ${sent} ` : sent, recorded);
    }
    return both(withScheme(auth.value), withScheme(auth.value));
  }

  return { header, redactor: registerSecret(key, placeholder) };
}

function fillPath(template: string, params: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}

function jsonOf(body: unknown): string | undefined {
  return body === undefined ? undefined : JSON.stringify(body);
}

function mapValues(
  record: Record<string, string>,
  change: (value: string) => string,
): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, change(value)]));
}

function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
}
