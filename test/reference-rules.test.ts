/**
 * Every rule of PROFILE.md against the clean reference server, one describe per section of
 * the profile. Each rule has at least one test that a server breaking it fails. On top of
 * that, every response of the file is held to the contract by `expectResponse`: a status
 * the contract documents, a JSON body valid against its shape, no undocumented field.
 */
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  CreateTicketBody,
  ListTicketDetailsParameters,
  OperationId,
  TagLink,
  TicketDetails,
  TicketRow,
} from "../contracts/types.js";
import type { Exchange } from "../src/client/exchange.js";
import { createTicketsClient, type SendRequest, type TicketsClient } from "../src/client/index.js";
import { ContractValidator } from "../src/contract/validator.js";
import { type ReferenceServer, startReferenceServer } from "../src/reference/index.js";

// --- constants ------------------------------------------------------------------------------

const SEED = 11;
const TICKETS = 3000;
const STATUSES = ["pending", "ongoing", "completed"] as const;
type Status = (typeof STATUSES)[number];
type ListQuery = ListTicketDetailsParameters["query"];
type Filters = Omit<ListQuery, "pageNumber" | "pageSize">;
type Ticket = TicketRow | TicketDetails;

const PROFILE_ENUMS = {
  status: ["pending", "ongoing", "completed"],
  circumstance: ["takeover", "handover"],
  ownerEntity: ["user", "external_user"],
  responderEntity: ["agent", "user"],
  channelType: ["web", "whatsapp", "telegram", "instagram", "messenger", "email", "sms", "api"],
} as const;

/** The fields the row and the details share (PROFILE.md "The two ticket shapes"). */
const SHARED_FIELDS = [
  "id",
  "chatId",
  "assigneeId",
  "status",
  "summary",
  "ticketingTeamId",
  "createdAt",
  "ongoingAt",
  "completedAt",
] as const;
const ROW_OPERATIONS = new Set<string>([
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
]);
const DETAILS_OPERATIONS = new Set<string>(["getTicketDetails", "listTicketDetails"]);

/** A well-formed UUID of version 1: the server takes any UUID as well-formed. */
const NON_V4_UUID = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const NOT_UUIDS = ["not-a-uuid", "12345", "6ba7b810-9dad-11d1-80b4-00c04fd430c", "{6ba7b810}"];

// --- state ----------------------------------------------------------------------------------

const validator = ContractValidator.load();
const servers: ReferenceServer[] = [];
const clients: TicketsClient[] = [];
let server: ReferenceServer;
let client: TicketsClient;
let freeChats: string[] = [];
const previousKey = process.env.TICKETS_API_KEY;
/** The seeded tickets of each status in list order, includeRemoved=true, before any write. */
const seeded = {} as Record<Status, TicketDetails[]>;
/** Every 200 row, details and tag link this file received, for the rules over all of them. */
const seen = { rows: [] as TicketRow[], details: [] as TicketDetails[], tagLinks: [] as TagLink[] };

beforeAll(async () => {
  server = await start(SEED);
  process.env.TICKETS_API_KEY = server.apiKey;
  client = connectTo(server);
  freeChats = [...server.fixtures.chatIds];
  for (const status of STATUSES) {
    seeded[status] = await listAll({ status, includeRemoved: true });
  }
});

afterAll(async () => {
  await Promise.all(clients.map((each) => each.close()));
  await Promise.all(servers.map((each) => each.close()));
  if (previousKey === undefined) delete process.env.TICKETS_API_KEY;
  else process.env.TICKETS_API_KEY = previousKey;
});

// --- helpers: servers, fixtures -------------------------------------------------------------

async function start(seed: number, apiKey?: string): Promise<ReferenceServer> {
  const started = await startReferenceServer({
    seed,
    tickets: TICKETS,
    ...(apiKey === undefined ? {} : { apiKey }),
  });
  servers.push(started);
  return started;
}

function connectTo(target: ReferenceServer): TicketsClient {
  const created = createTicketsClient({ baseUrl: target.url, timeoutMs: 5_000 });
  clients.push(created);
  return created;
}

function pick(items: readonly string[], index: number): string {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("the server published no fixture of this kind");
  return item;
}

/** A fixture chat no test has used yet: no non-completed ticket on it. */
function takeChat(): string {
  const chat = freeChats.shift();
  if (chat === undefined) throw new Error("out of fixture chats");
  return chat;
}
const userId = (index: number) => pick(server.fixtures.userIds, index);
const teamId = (index: number) => pick(server.fixtures.ticketingTeamIds, index);
const tagId = (index: number) => pick(server.fixtures.tagIds, index);

// --- helpers: responses ---------------------------------------------------------------------

function describeExchange(exchange: Exchange<unknown>): string {
  const { request, response, error } = exchange;
  const outcome = response
    ? `${response.status} ${response.rawBody.slice(0, 300)}`
    : error?.message;
  return `${request.method} ${request.url} ${request.body ?? ""} -> ${outcome}`;
}

/**
 * The status is one of `statuses`; the body is JSON, valid against the contract for that
 * operation and status with no undocumented field; a 4xx/5xx body is an object with a string
 * `message`. Returns the parsed body.
 */
function expectResponse<T>(exchange: Exchange<T>, statuses: number | readonly number[]): T {
  const what = describeExchange(exchange as Exchange<unknown>);
  expect(exchange.error, what).toBeUndefined();
  const response = exchange.response;
  if (!response) throw new Error(what);
  expect([statuses].flat(), what).toContain(response.status);
  expect(response.headers["content-type"], what).toMatch(/^application\/json/);
  expect(response.parseError, what).toBeUndefined();
  const body = response.json;
  if (exchange.operationId) {
    const result = validator.validateResponse(exchange.operationId, response.status, body);
    expect(
      [...result.failures, ...result.warnings].map((v) => v.message),
      what,
    ).toEqual([]);
  } else if (response.status >= 400) {
    expect(validator.validateShape("ErrorBody", body).failures, what).toEqual([]);
  }
  if (response.status >= 400) {
    expect(typeof body === "object" && body !== null && !Array.isArray(body), what).toBe(true);
    expect(typeof (body as { message?: unknown }).message, what).toBe("string");
  } else if (response.status === 200 && exchange.operationId) {
    record(exchange.operationId, body);
  }
  return body as T;
}

function record(operationId: string, body: unknown): void {
  if (ROW_OPERATIONS.has(operationId)) seen.rows.push(body as TicketRow);
  else if (DETAILS_OPERATIONS.has(operationId))
    seen.details.push(...[body as TicketDetails].flat());
  else if (operationId === "attachTicketTag") seen.tagLinks.push(body as TagLink);
}

async function ok<T>(pending: Promise<Exchange<T>>): Promise<T> {
  return expectResponse(await pending, 200);
}

/** Expects a refusal with one of `statuses` and a JSON {message}; returns the message. */
async function refused(
  pending: Promise<Exchange<unknown>>,
  statuses: number | readonly number[],
): Promise<string> {
  return (expectResponse(await pending, statuses) as { message: string }).message;
}

// --- helpers: time --------------------------------------------------------------------------

interface Window {
  before: number;
  after: number;
}

/** Runs `action`, and returns what it gave with the wall-clock window it ran in. */
async function during<T>(action: () => Promise<T>): Promise<[T, Window]> {
  const before = Date.now();
  const value = await action();
  return [value, { before, after: Date.now() }];
}

/** `timestamp` is "now" for a call made in `window`. */
function expectNow(timestamp: string | null, window: Window, what: string): void {
  expect(timestamp, `${what} is set`).not.toBeNull();
  const at = Date.parse(timestamp as string);
  expect(at, `${what} ${timestamp} is not before the call`).toBeGreaterThanOrEqual(window.before);
  expect(at, `${what} ${timestamp} is not after the call`).toBeLessThanOrEqual(window.after);
}

const ms = (timestamp: string | null) => (timestamp === null ? null : Date.parse(timestamp));

/** PROFILE.md "The two ticket shapes", details consistency: one predicate per rule. */
const isNull = (value: unknown) => value === null;
const CONSISTENCY: [string, (t: TicketDetails) => boolean][] = [
  ["assigneeName null iff assigneeId null", (t) => isNull(t.assigneeName) === isNull(t.assigneeId)],
  [
    "assigneeEmail null iff assigneeId null",
    (t) => isNull(t.assigneeEmail) === isNull(t.assigneeId),
  ],
  [
    "ticketingTeamName null iff ticketingTeamId null",
    (t) => isNull(t.ticketingTeamName) === isNull(t.ticketingTeamId),
  ],
  [
    "ticketingTeamPicture null when ticketingTeamId is",
    (t) => !isNull(t.ticketingTeamId) || isNull(t.ticketingTeamPicture),
  ],
  ["channelName null iff channelId null", (t) => isNull(t.channelName) === isNull(t.channelId)],
  ["channelType null iff channelId null", (t) => isNull(t.channelType) === isNull(t.channelId)],
  ["ownerEntity user has an ownerEmail", (t) => t.ownerEntity !== "user" || !isNull(t.ownerEmail)],
  [
    "ownerEntity external_user has an ownerIdentifier",
    (t) => t.ownerEntity !== "external_user" || !isNull(t.ownerIdentifier),
  ],
  [
    "responderEntity user has responderVersionId and responderVersionNumber null",
    (t) =>
      t.responderEntity !== "user" ||
      (isNull(t.responderVersionId) && isNull(t.responderVersionNumber)),
  ],
  [
    "pendingChatMessages is an integer >= 0",
    (t) => Number.isInteger(t.pendingChatMessages) && t.pendingChatMessages >= 0,
  ],
];

/** Breaks of `createdAt <= ongoingAt <= completedAt` (where set) and `createdAt <= updatedAt`. */
function timestampOrderBreaks(ticket: Ticket): string[] {
  const created = ms(ticket.createdAt) as number;
  const ongoing = ms(ticket.ongoingAt);
  const completed = ms(ticket.completedAt);
  const breaks: string[] = [];
  if (ongoing !== null && ongoing < created) breaks.push("ongoingAt < createdAt");
  if (completed !== null && completed < (ongoing ?? created))
    breaks.push("completedAt < ongoingAt or createdAt");
  if ("updatedAt" in ticket && (ms(ticket.updatedAt) as number) < created)
    breaks.push("updatedAt < createdAt");
  return breaks.map((text) => `${ticket.id}: ${text}`);
}

// --- helpers: tickets -----------------------------------------------------------------------

async function create(body: Partial<CreateTicketBody> = {}, on = client): Promise<TicketRow> {
  return ok(
    on.createTicket({
      chatId: takeChat(),
      ticketingTeamId: teamId(0),
      assigneeId: userId(0),
      status: "pending",
      ...body,
    }),
  );
}

async function details(id: string): Promise<TicketDetails> {
  return ok(client.getTicketDetails(id));
}

function sharedFields(ticket: Ticket): Record<string, unknown> {
  return Object.fromEntries(SHARED_FIELDS.map((field) => [field, ticket[field]]));
}

/** Whether a ticket holds a tag, read through the list's tagIds filter (details have no tags). */
async function hasTag(ticket: Ticket, tag: string): Promise<boolean> {
  const found = await listPage({
    status: ticket.status,
    chatIds: ticket.chatId,
    tagIds: tag,
    includeRemoved: true,
    pageSize: 100,
  });
  return found.some((each) => each.id === ticket.id);
}

/** Every ticket of a chat, every status, removed chats included. */
async function ticketsOfChat(chatId: string): Promise<TicketDetails[]> {
  const all: TicketDetails[] = [];
  for (const status of STATUSES)
    all.push(...(await listAll({ status, chatIds: chatId, includeRemoved: true })));
  return all;
}

async function openTicketsOfChat(chatId: string): Promise<TicketDetails[]> {
  return (await ticketsOfChat(chatId)).filter((ticket) => ticket.status !== "completed");
}

/** What a rejected request could have changed: the ticket's details, its tags, its chat. */
async function stateOf(ticket: Ticket, tags: readonly string[] = []) {
  const tagged: boolean[] = [];
  for (const tag of tags) tagged.push(await hasTag(ticket, tag));
  return {
    details: await details(ticket.id),
    tagged,
    chat: idsOf(await ticketsOfChat(ticket.chatId)),
  };
}

// --- helpers: the list ----------------------------------------------------------------------

async function listPage(query: ListQuery, on = client): Promise<TicketDetails[]> {
  const page = await ok(on.listTicketDetails(query));
  expect(Array.isArray(page)).toBe(true);
  return page;
}

/** The whole result set, walking pages of `pageSize` until a short one. */
async function listAll(filters: Filters, pageSize = 100, on = client): Promise<TicketDetails[]> {
  const all: TicketDetails[] = [];
  for (let pageNumber = 1; pageNumber <= 1000; pageNumber++) {
    const page = await listPage({ ...filters, pageSize, pageNumber }, on);
    all.push(...page);
    if (page.length < pageSize) return all;
  }
  throw new Error("more than 1000 pages");
}

const idsOf = (tickets: readonly { id: string }[]) => tickets.map((ticket) => ticket.id);
const visible = (tickets: readonly TicketDetails[]) =>
  tickets.filter((ticket) => !ticket.chatIsRemoved);

/** The profile's total order: createdAt descending, then id descending. */
function comesBefore(a: TicketDetails, b: TicketDetails): boolean {
  const [createdA, createdB] = [Date.parse(a.createdAt), Date.parse(b.createdAt)];
  return createdA > createdB || (createdA === createdB && a.id > b.id);
}

function orderBreaks(tickets: readonly TicketDetails[]): string[] {
  const breaks: string[] = [];
  tickets.forEach((ticket, index) => {
    const previous = tickets[index - 1];
    if (previous && !comesBefore(previous, ticket))
      breaks.push(
        `#${index - 1} ${previous.createdAt} ${previous.id} / ${ticket.createdAt} ${ticket.id}`,
      );
  });
  return breaks;
}

/** The `count` values seen most often, most frequent first. */
function mostFrequent<T>(values: readonly T[], count: number): T[] {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([value]) => value);
}

function swapCase(text: string): string {
  return [...text]
    .map((char) => (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase()))
    .join("");
}

/** Sends a raw HTTP/1.1 GET (a request target no HTTP client would send); status and body. */
function rawGet(
  target: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to GET ${target} within 5 s`));
    }, 5_000);
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const split = text.indexOf("\r\n\r\n");
      resolve({ status: Number(text.split(" ")[1]), body: text.slice(split + 4) });
    });
    const head = [`GET ${target} HTTP/1.1`, "host: 127.0.0.1", "connection: close"];
    for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
    socket.write(`${head.join("\r\n")}\r\n\r\n`);
  });
}

// --- the endpoints, as free-form requests -----------------------------------------------------

type Endpoint = OperationId | "fixtures";
const ENDPOINTS: Endpoint[] = [
  "getTicketDetails",
  "listTicketDetails",
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
  "attachTicketTag",
  "removeTicketTag",
  "fixtures",
];
const MUTATIONS = [
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
  "attachTicketTag",
  "removeTicketTag",
] as const;
const BODY_OPERATIONS = [
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
  "attachTicketTag",
] as const;
type BodyOperation = (typeof BODY_OPERATIONS)[number];
const PATH_ID_OPERATIONS = [
  "getTicketDetails",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
  "attachTicketTag",
  "removeTicketTag",
] as const;

interface Target {
  ticketId: string;
  /** The chat a create goes to. */
  chatId: string;
  /** The tag a DELETE removes. */
  removeTagId: string;
}

/** A body each operation accepts (but for the state of the ticket). */
function validBody(operationId: BodyOperation, target: Target): Record<string, unknown> {
  switch (operationId) {
    case "createTicket":
      return {
        chatId: target.chatId,
        ticketingTeamId: teamId(1),
        assigneeId: userId(1),
        status: "pending",
      };
    case "completeTicket":
      return { userId: userId(2) };
    case "takeoverTicket":
      return { assigneeId: userId(3) };
    case "updateTicketAssignee":
      return { assigneeId: userId(4) };
    case "attachTicketTag":
      return { tagId: tagId(5) };
  }
}

function pathOf(endpoint: Endpoint, ticketId: string, tag: string): string {
  const ticket = `/api/v1/tickets/${encodeURIComponent(ticketId)}`;
  switch (endpoint) {
    case "getTicketDetails":
      return `${ticket}/details`;
    case "listTicketDetails":
      return "/api/v1/tickets/details";
    case "createTicket":
      return "/api/v1/tickets";
    case "completeTicket":
      return `${ticket}/complete`;
    case "takeoverTicket":
      return `${ticket}/takeover`;
    case "updateTicketAssignee":
      return `${ticket}/assignee`;
    case "attachTicketTag":
      return `${ticket}/tags`;
    case "removeTicketTag":
      return `${ticket}/tags/${encodeURIComponent(tag)}`;
    case "fixtures":
      return "/__fixtures";
  }
}

const METHODS: Record<Endpoint, string> = {
  getTicketDetails: "GET",
  listTicketDetails: "GET",
  createTicket: "POST",
  completeTicket: "PATCH",
  takeoverTicket: "PATCH",
  updateTicketAssignee: "PATCH",
  attachTicketTag: "POST",
  removeTicketTag: "DELETE",
  fixtures: "GET",
};

/** A valid request to `endpoint` on `target`; `change` replaces what the test varies. */
function requestTo(
  endpoint: Endpoint,
  target: Target,
  change: Partial<SendRequest> & { ticketId?: string; tagId?: string } = {},
): SendRequest {
  const { ticketId = target.ticketId, tagId: tag = target.removeTagId, ...rest } = change;
  const isBody = (BODY_OPERATIONS as readonly string[]).includes(endpoint);
  return {
    method: METHODS[endpoint],
    path: pathOf(endpoint, ticketId, tag),
    ...(endpoint === "fixtures" ? {} : { operationId: endpoint }),
    ...(endpoint === "listTicketDetails" ? { query: { status: "pending" } } : {}),
    ...(isBody ? { body: validBody(endpoint as BodyOperation, target) } : {}),
    ...rest,
  };
}

function badKeys(): [string, NonNullable<SendRequest["auth"]>][] {
  const key = server.apiKey;
  const last = key.at(-1) === "x" ? "y" : "x";
  return [
    ["no authorization header", "none"],
    ["an empty key", { value: "" }],
    ["a wrong key", { value: "wrong-api-key" }],
    ["the key with its last character changed", { value: `${key.slice(0, -1)}${last}` }],
    ["the key with one more character", { value: `${key}0` }],
    ["the key with a Bearer scheme (the profile sends it raw)", { value: `Bearer ${key}` }],
  ];
}

// =============================================================================================

describe("Enumerations", () => {
  const allSeeded = () => STATUSES.flatMap((status) => seeded[status]);

  it("every enum field of the details takes only profile values", () => {
    const tickets = allSeeded();
    expect(tickets.length).toBe(TICKETS);
    for (const ticket of tickets) {
      expect(PROFILE_ENUMS.status, ticket.id).toContain(ticket.status);
      expect(PROFILE_ENUMS.ownerEntity, ticket.id).toContain(ticket.ownerEntity);
      expect(PROFILE_ENUMS.responderEntity, ticket.id).toContain(ticket.responderEntity);
      expect([...PROFILE_ENUMS.channelType, null], ticket.id).toContain(ticket.channelType);
    }
  });

  it("every enum field of the row takes only profile values, whichever way the ticket came", async () => {
    const rows = [
      await create({ status: "pending" }),
      await create({ status: "ongoing", ticketingTeamId: null }),
    ];
    const [pending, ongoing] = rows as [TicketRow, TicketRow];
    rows.push(await ok(client.updateTicketAssignee(pending.id, { assigneeId: userId(1) })));
    rows.push(await ok(client.takeoverTicket(pending.id, { assigneeId: userId(2) })));
    rows.push(await ok(client.completeTicket(ongoing.id, { userId: userId(3) })));
    for (const row of rows) {
      expect(PROFILE_ENUMS.status, row.id).toContain(row.status);
      expect(PROFILE_ENUMS.circumstance, row.id).toContain(row.circumstance);
    }
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(STATUSES));
  });

  it("across the seeded data, every value of status, ownerEntity and responderEntity is observed, and channelType includes null", () => {
    const tickets = allSeeded();
    const observed = (field: keyof TicketDetails) => new Set(tickets.map((t) => t[field]));
    expect(observed("status")).toEqual(new Set(PROFILE_ENUMS.status));
    expect(observed("ownerEntity")).toEqual(new Set(PROFILE_ENUMS.ownerEntity));
    expect(observed("responderEntity")).toEqual(new Set(PROFILE_ENUMS.responderEntity));
    const channelTypes = observed("channelType");
    expect(channelTypes.has(null)).toBe(true);
    expect(channelTypes.size).toBeGreaterThan(1);
  });

  it("the list's status filter takes each profile value and nothing else", async () => {
    for (const status of STATUSES) {
      const page = await listPage({ status, pageSize: 100 });
      expect(page.length).toBeGreaterThan(0);
      expect(new Set(page.map((ticket) => ticket.status))).toEqual(new Set([status]));
    }
    for (const status of ["closed", "in_progress", "PENDING", "Ongoing", ""]) {
      const path = "/api/v1/tickets/details";
      const operationId = "listTicketDetails";
      await refused(client.send({ method: "GET", path, query: { status }, operationId }), 400);
    }
  });
});

// =============================================================================================

describe("Authentication", () => {
  let target: Target;
  let ticket: TicketRow;

  beforeAll(async () => {
    ticket = await create();
    target = { ticketId: ticket.id, chatId: takeChat(), removeTagId: tagId(0) };
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(0) }));
  });

  it("the client really sends an empty key as an empty header", async () => {
    const exchange = await client.send({
      ...requestTo("getTicketDetails", target),
      auth: { value: "" },
    });
    expect(exchange.request.headers.authorization).toBe("");
    expectResponse(exchange, 401);
  });

  it.each(ENDPOINTS)(
    "%s: no key, an empty key or a wrong key: 401 with a JSON {message}",
    async (endpoint) => {
      for (const [label, auth] of badKeys()) {
        const exchange = await client.send({ ...requestTo(endpoint, target), auth });
        expect(exchange.response?.status, `${endpoint} with ${label}`).toBe(401);
        expectResponse(exchange, 401);
      }
    },
  );

  it.each(ENDPOINTS)(
    "%s: 401 comes before any validation of the rest of the request",
    async (endpoint) => {
      const completed = seeded.completed[0] as TicketDetails;
      const invalid: SendRequest[] = [
        requestTo(endpoint, target, { ticketId: "not-a-uuid", tagId: "not-a-uuid" }),
        requestTo(endpoint, target, { ticketId: randomUUID() }), // 404 with the key
        requestTo(endpoint, target, { ticketId: completed.id }), // 409 for a lifecycle change
        requestTo(endpoint, target, { query: { status: "closed", pageSize: 0, chatIds: "x" } }),
        requestTo(endpoint, target, { query: {} }),
      ];
      if ((BODY_OPERATIONS as readonly string[]).includes(endpoint)) {
        invalid.push(
          requestTo(endpoint, target, { rawBody: "{not json" }),
          requestTo(endpoint, target, { body: [] }),
          requestTo(endpoint, target, { body: {} }),
          requestTo(endpoint, target, { body: { chatId: 1, userId: 1, assigneeId: 1, tagId: 1 } }),
        );
      }
      for (const request of invalid) {
        for (const auth of ["none", { value: "wrong-api-key" }] as const) {
          await refused(client.send({ ...request, auth }), 401);
        }
      }
    },
  );

  it("401 before routing: an unknown path, a method a path does not answer, a malformed path", async () => {
    const requests: SendRequest[] = [
      { method: "GET", path: "/api/v1/nothing-here" },
      { method: "PUT", path: "/api/v1/tickets" },
      { method: "GET", path: "/api/v1/tickets/%zz/details" },
    ];
    for (const request of requests) {
      await refused(client.send({ ...request, auth: "none" }), 401);
      await refused(client.send({ ...request, auth: { value: "wrong-api-key" } }), 401);
    }
    // With the key, the same requests are refused for what they are.
    await refused(client.send(requests[0] as SendRequest), 404);
    await refused(client.send(requests[1] as SendRequest), 405);
    await refused(client.send(requests[2] as SendRequest), 400);
  });

  it("401 even for a request target the server cannot parse", async () => {
    const without = await rawGet("http://[/", {});
    expect(without.status, without.body).toBe(401);
    expect(JSON.parse(without.body)).toEqual({ message: expect.any(String) });
    const withKey = await rawGet("http://[/", { authorization: server.apiKey });
    expect(withKey.status, withKey.body).toBe(400);
  });

  it.each(MUTATIONS)("%s with a wrong or no key has no side effect", async (endpoint) => {
    const before = await stateOf(ticket, [tagId(0), tagId(5)]);
    const chatBefore = idsOf(await ticketsOfChat(target.chatId));
    expect(before.tagged).toEqual([true, false]);
    for (const auth of ["none", { value: "wrong-api-key" }] as const) {
      await refused(client.send({ ...requestTo(endpoint, target), auth }), 401);
    }
    expect(await stateOf(ticket, [tagId(0), tagId(5)])).toEqual(before);
    expect(idsOf(await ticketsOfChat(target.chatId))).toEqual(chatBefore);
  });

  it("the same requests with the key succeed: the 401s were the key's doing", async () => {
    const order: Endpoint[] = [
      "fixtures",
      "getTicketDetails",
      "listTicketDetails",
      "attachTicketTag",
      "removeTicketTag",
      "updateTicketAssignee",
      "takeoverTicket",
      "completeTicket",
      "createTicket",
    ];
    for (const endpoint of order) await ok(client.send(requestTo(endpoint, target)));
    expect((await details(ticket.id)).status).toBe("completed");
    expect(await openTicketsOfChat(target.chatId)).toHaveLength(1);
  });
});

// =============================================================================================

describe("Errors", () => {
  let target: Target;
  let ticket: TicketRow;
  const watchedTags = () => [tagId(0), tagId(5)];

  beforeAll(async () => {
    ticket = await create();
    target = { ticketId: ticket.id, chatId: takeChat(), removeTagId: tagId(0) };
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(0) }));
  });

  it("every 4xx body is a JSON object with a string message", async () => {
    // expectResponse checks the body of every refusal in this file; here, one of each kind.
    const cases: [SendRequest, number][] = [
      [requestTo("getTicketDetails", target, { ticketId: "nope" }), 400],
      [requestTo("getTicketDetails", target, { auth: "none" }), 401],
      [requestTo("getTicketDetails", target, { ticketId: randomUUID() }), 404],
      [{ method: "GET", path: "/api/v1/no-such-endpoint" }, 404],
      [{ method: "PUT", path: `/api/v1/tickets/${ticket.id}/details` }, 405],
      [
        requestTo("createTicket", target, {
          rawBody: JSON.stringify({ pad: "x".repeat(70_000) }),
          operationId: undefined,
        }),
        413,
      ],
      [requestTo("attachTicketTag", target, { body: { tagId: tagId(0) } }), 409],
    ];
    for (const [request, status] of cases) {
      const message = await refused(client.send(request), status);
      expect(message.length).toBeGreaterThan(0);
    }
  });

  describe("400", () => {
    it.each(PATH_ID_OPERATIONS)("%s: a path id that is not a UUID", async (operationId) => {
      const before = await stateOf(ticket, watchedTags());
      for (const bad of [...NOT_UUIDS, ""]) {
        await refused(client.send(requestTo(operationId, target, { ticketId: bad })), 400);
      }
      if (operationId === "removeTicketTag") {
        for (const bad of NOT_UUIDS) {
          await refused(client.send(requestTo(operationId, target, { tagId: bad })), 400);
        }
      }
      expect(await stateOf(ticket, watchedTags())).toEqual(before);
    });

    it.each(BODY_OPERATIONS)(
      "%s: a body that is not JSON, not an object, lacks a required field, or has a field of the wrong type or format",
      async (operationId) => {
        const valid = validBody(operationId, target);
        const bodies: [string, string][] = [
          ["not JSON", "{"],
          ["not JSON", "not json"],
          ["not JSON", ""],
          ["not JSON", "{'tagId': 1}"],
          ["not JSON", `${JSON.stringify(valid)}}`],
          ["not an object", "[]"],
          ["not an object", JSON.stringify([valid])],
          ["not an object", "null"],
          ["not an object", "42"],
          ["not an object", '"text"'],
          ["not an object", "true"],
        ];
        for (const field of Object.keys(valid)) {
          const without = Object.fromEntries(
            Object.entries(valid).filter(([key]) => key !== field),
          );
          bodies.push([`without ${field}`, JSON.stringify(without)]);
          const nullable = operationId === "createTicket" && field === "ticketingTeamId";
          const wrong: unknown[] = [42, true, {}, [valid[field]], ...(nullable ? [] : [null])];
          if (field === "status") wrong.push("completed ", "closed", "PENDING", "");
          else wrong.push(...NOT_UUIDS, "");
          for (const value of wrong) {
            bodies.push([
              `${field}: ${JSON.stringify(value)}`,
              JSON.stringify({ ...valid, [field]: value }),
            ]);
          }
        }
        const before = await stateOf(ticket, watchedTags());
        const chatBefore = idsOf(await ticketsOfChat(target.chatId));
        for (const [label, rawBody] of bodies) {
          const exchange = await client.send(requestTo(operationId, target, { rawBody }));
          expect(exchange.response?.status, `${operationId} ${label}: ${rawBody}`).toBe(400);
          expectResponse(exchange, 400);
        }
        expect(await stateOf(ticket, watchedTags())).toEqual(before);
        expect(idsOf(await ticketsOfChat(target.chatId))).toEqual(chatBefore);
      },
    );

    const QUERIES: [string, Record<string, unknown>][] = [
      ["pageSize 0", { pageSize: 0 }],
      ["pageSize 101", { pageSize: 101 }],
      ["pageSize -1", { pageSize: -1 }],
      ["pageSize 2.5", { pageSize: 2.5 }],
      ['pageSize "x"', { pageSize: "x" }],
      ['pageSize ""', { pageSize: "" }],
      ["pageSize twice", { pageSize: [10, 20] }],
      ["pageNumber 0", { pageNumber: 0 }],
      ["pageNumber -3", { pageNumber: -3 }],
      ["pageNumber 1.5", { pageNumber: 1.5 }],
      ['pageNumber "x"', { pageNumber: "x" }],
      ...(
        ["assigneeIds", "chatIds", "responderIds", "responderVersionIds", "tagIds"] as const
      ).flatMap((filter): [string, Record<string, unknown>][] => [
        [`${filter}: not a UUID`, { [filter]: "not-a-uuid" }],
        [`${filter}: a UUID and a non-UUID`, { [filter]: [randomUUID(), "12345"] }],
      ]),
      ['includeRemoved "yes"', { includeRemoved: "yes" }],
      ['includeRemoved "1"', { includeRemoved: "1" }],
      ['includeRemoved ""', { includeRemoved: "" }],
      ["status missing", { status: undefined }],
      ['status "closed"', { status: "closed" }],
      ["status twice", { status: ["pending", "ongoing"] }],
    ];

    it.each(QUERIES)("the list: %s", async (_label, change) => {
      const query = { status: "pending", ...change } as SendRequest["query"];
      await refused(
        client.send({
          method: "GET",
          path: "/api/v1/tickets/details",
          query,
          operationId: "listTicketDetails",
        }),
        400,
      );
    });
  });

  describe("404", () => {
    const UNKNOWN: [string, () => string][] = [
      ["a random UUID v4", () => randomUUID()],
      ["a UUID of another version", () => NON_V4_UUID],
    ];

    it.each(PATH_ID_OPERATIONS)(
      "%s: a well-formed ticket id that does not exist",
      async (operationId) => {
        for (const [label, id] of UNKNOWN) {
          const exchange = await client.send(requestTo(operationId, target, { ticketId: id() }));
          expect(exchange.response?.status, `${operationId} on ${label}`).toBe(404);
          expectResponse(exchange, 404);
        }
      },
    );

    it("DELETE of a tag that is not attached to the ticket", async () => {
      const before = await stateOf(ticket, watchedTags());
      for (const tag of [tagId(7), randomUUID(), NON_V4_UUID]) {
        await refused(client.removeTicketTag(ticket.id, tag), 404);
      }
      expect(await stateOf(ticket, watchedTags())).toEqual(before);
    });

    it("attach of an unknown tagId", async () => {
      for (const tag of [randomUUID(), NON_V4_UUID]) {
        await refused(client.attachTicketTag(ticket.id, { tagId: tag }), 404);
        expect(await hasTag(ticket, tag)).toBe(false);
      }
    });
  });

  it("an unknown chatId, assigneeId, userId or ticketingTeamId in a body: 400 or 404, and no change", async () => {
    const before = await stateOf(ticket, watchedTags());
    const chatBefore = idsOf(await ticketsOfChat(target.chatId));
    const create = validBody("createTicket", target) as unknown as CreateTicketBody;
    const cases: [string, Promise<Exchange<unknown>>][] = [];
    for (const unknown of [randomUUID(), NON_V4_UUID]) {
      cases.push(
        ["create: chatId", client.createTicket({ ...create, chatId: unknown })],
        ["create: assigneeId", client.createTicket({ ...create, assigneeId: unknown })],
        ["create: ticketingTeamId", client.createTicket({ ...create, ticketingTeamId: unknown })],
        ["complete: userId", client.completeTicket(ticket.id, { userId: unknown })],
        ["takeover: assigneeId", client.takeoverTicket(ticket.id, { assigneeId: unknown })],
        ["assignee: assigneeId", client.updateTicketAssignee(ticket.id, { assigneeId: unknown })],
      );
    }
    for (const [label, pending] of cases) {
      const exchange = await pending;
      expect([400, 404], label).toContain(exchange.response?.status);
      expectResponse(exchange, [400, 404]);
    }
    expect(await stateOf(ticket, watchedTags())).toEqual(before);
    expect(idsOf(await ticketsOfChat(target.chatId))).toEqual(chatBefore);
  });

  it("any well-formed UUID is a UUID: another version is an unknown id (404) or matches nothing (list)", async () => {
    await refused(client.getTicketDetails(NON_V4_UUID), 404);
    for (const filter of [
      "assigneeIds",
      "chatIds",
      "responderIds",
      "responderVersionIds",
      "tagIds",
    ]) {
      expect(await listPage({ status: "completed", [filter]: NON_V4_UUID })).toEqual([]);
      expect(
        await listPage({ status: "completed", [filter]: [NON_V4_UUID, randomUUID()] }),
      ).toEqual([]);
    }
  });
});

// =============================================================================================

describe("Lifecycle", () => {
  it("create pending: completedAt, lastViewedAt and ongoingAt null; assigneeId and ticketingTeamId as sent; created now", async () => {
    const chatId = takeChat();
    const [row, window] = await during(() =>
      ok(
        client.createTicket({
          chatId,
          ticketingTeamId: teamId(2),
          assigneeId: userId(5),
          status: "pending",
        }),
      ),
    );
    expect(row).toMatchObject({
      chatId,
      status: "pending",
      assigneeId: userId(5),
      ticketingTeamId: teamId(2),
      completedAt: null,
      lastViewedAt: null,
      ongoingAt: null,
    });
    expect(PROFILE_ENUMS.circumstance).toContain(row.circumstance);
    expectNow(row.createdAt, window, "createdAt");
    expectNow(row.updatedAt, window, "updatedAt");
  });

  it("create ongoing: ongoingAt now; a null ticketingTeamId stays null", async () => {
    const chatId = takeChat();
    const [row, window] = await during(() =>
      ok(
        client.createTicket({
          chatId,
          ticketingTeamId: null,
          assigneeId: userId(6),
          status: "ongoing",
        }),
      ),
    );
    expect(row).toMatchObject({
      chatId,
      status: "ongoing",
      assigneeId: userId(6),
      ticketingTeamId: null,
      completedAt: null,
      lastViewedAt: null,
    });
    expect(PROFILE_ENUMS.circumstance).toContain(row.circumstance);
    expectNow(row.ongoingAt, window, "ongoingAt");
    expectNow(row.createdAt, window, "createdAt");
  });

  it("create completed: 400, and no ticket is created", async () => {
    const chatId = takeChat();
    const before = idsOf(await ticketsOfChat(chatId));
    await refused(
      client.createTicket({
        chatId,
        ticketingTeamId: null,
        assigneeId: userId(0),
        status: "completed",
      }),
      400,
    );
    expect(idsOf(await ticketsOfChat(chatId))).toEqual(before);
    await create({ chatId }); // the chat was free: only the status was refused
  });

  it("a chat has at most one non-completed ticket: another is 409; after completing the first, a new one is 200", async () => {
    const chatId = takeChat();
    const first = await create({ chatId, status: "pending" });
    const again = (status: "pending" | "ongoing") =>
      client.createTicket({ chatId, ticketingTeamId: null, assigneeId: userId(1), status });
    await refused(again("pending"), 409);
    await refused(again("ongoing"), 409);
    await ok(client.takeoverTicket(first.id, { assigneeId: userId(2) }));
    await refused(again("pending"), 409);
    expect(idsOf(await openTicketsOfChat(chatId))).toEqual([first.id]);
    await ok(client.completeTicket(first.id, { userId: userId(2) }));
    const second = await ok(again("ongoing"));
    expect(second.id).not.toBe(first.id);
    await refused(again("pending"), 409);
    expect(idsOf(await openTicketsOfChat(chatId))).toEqual([second.id]);
  });

  it("a chat goes through ticket after ticket, each through every state", async () => {
    const chatId = takeChat();
    const made: string[] = [];
    for (let round = 0; round < 3; round++) {
      const ticket = await create({ chatId, assigneeId: userId(round), status: "pending" });
      made.unshift(ticket.id);
      await ok(client.takeoverTicket(ticket.id, { assigneeId: userId(round + 1) }));
      await ok(client.updateTicketAssignee(ticket.id, { assigneeId: userId(round) }));
      await ok(client.completeTicket(ticket.id, { userId: userId(round) }));
    }
    const onChat = await listAll({ status: "completed", chatIds: chatId });
    expect(idsOf(onChat).filter((id) => made.includes(id))).toEqual(made);
    expect(await openTicketsOfChat(chatId)).toEqual([]);
  });

  it("takeover from pending: status ongoing, assignee set, ongoingAt now", async () => {
    const created = await create({ assigneeId: userId(0) });
    await sleep(3);
    const [row, window] = await during(() =>
      ok(client.takeoverTicket(created.id, { assigneeId: userId(7) })),
    );
    expect(row).toMatchObject({
      ...sharedFields(created),
      status: "ongoing",
      assigneeId: userId(7),
      ongoingAt: row.ongoingAt,
    });
    expectNow(row.ongoingAt, window, "ongoingAt");
    expectNow(row.updatedAt, window, "updatedAt");
  });

  it("takeover from ongoing: ongoingAt kept, assignee set", async () => {
    const created = await create({ status: "ongoing", assigneeId: userId(0) });
    await sleep(3);
    const [row, window] = await during(() =>
      ok(client.takeoverTicket(created.id, { assigneeId: userId(8) })),
    );
    expect(row).toMatchObject({ ...sharedFields(created), assigneeId: userId(8) });
    expect(row.ongoingAt).toBe(created.ongoingAt);
    expectNow(row.updatedAt, window, "updatedAt");
    // A second takeover (from ongoing after a takeover from pending) keeps it too.
    const pending = await create();
    const first = await ok(client.takeoverTicket(pending.id, { assigneeId: userId(1) }));
    await sleep(3);
    const second = await ok(client.takeoverTicket(pending.id, { assigneeId: userId(2) }));
    expect(second.ongoingAt).toBe(first.ongoingAt);
    expect(second.assigneeId).toBe(userId(2));
  });

  it("assignee: sets assigneeId, status unchanged (pending and ongoing)", async () => {
    for (const status of ["pending", "ongoing"] as const) {
      const created = await create({ status, assigneeId: userId(0) });
      await sleep(3);
      const [row, window] = await during(() =>
        ok(client.updateTicketAssignee(created.id, { assigneeId: userId(9) })),
      );
      expect(row).toMatchObject({ ...sharedFields(created), assigneeId: userId(9), status });
      expect(row.ongoingAt).toBe(created.ongoingAt);
      expectNow(row.updatedAt, window, "updatedAt");
    }
  });

  it("complete from pending: completedAt now, ongoingAt stays null", async () => {
    const created = await create({ status: "pending" });
    const [row, window] = await during(() =>
      ok(client.completeTicket(created.id, { userId: userId(3) })),
    );
    expect(row).toMatchObject({
      ...sharedFields(created),
      status: "completed",
      ongoingAt: null,
      completedAt: row.completedAt,
    });
    expectNow(row.completedAt, window, "completedAt");
    expectNow(row.updatedAt, window, "updatedAt");
  });

  it("complete from ongoing: completedAt now, ongoingAt kept", async () => {
    const created = await create({ status: "ongoing" });
    await sleep(3);
    const [row, window] = await during(() =>
      ok(client.completeTicket(created.id, { userId: userId(3) })),
    );
    expect(row.status).toBe("completed");
    expect(row.ongoingAt).toBe(created.ongoingAt);
    expect(row.assigneeId).toBe(created.assigneeId);
    expectNow(row.completedAt, window, "completedAt");
  });

  it("complete, takeover and assignee on a completed ticket: 409, and nothing changes", async () => {
    const made = await create({ status: "ongoing" });
    await ok(client.completeTicket(made.id, { userId: userId(1) }));
    const seededCompleted = seeded.completed.find((t) => t.assigneeId !== null) as TicketDetails;
    for (const ticket of [await details(made.id), seededCompleted]) {
      const before = await stateOf(ticket, [tagId(0)]);
      await sleep(3);
      await refused(client.completeTicket(ticket.id, { userId: userId(4) }), 409);
      await refused(client.takeoverTicket(ticket.id, { assigneeId: userId(4) }), 409);
      await refused(client.updateTicketAssignee(ticket.id, { assigneeId: userId(4) }), 409);
      expect(await stateOf(ticket, [tagId(0)])).toEqual(before);
    }
  });

  it("every successful mutation sets updatedAt to now, and updatedAt never goes back", async () => {
    const [created, createWindow] = await during(() => create());
    expectNow(created.updatedAt, createWindow, "create updatedAt");
    let last = Date.parse(created.updatedAt);
    const steps: [string, () => Promise<unknown>][] = [
      ["assignee", () => ok(client.updateTicketAssignee(created.id, { assigneeId: userId(1) }))],
      ["attach", () => ok(client.attachTicketTag(created.id, { tagId: tagId(1) }))],
      ["remove", () => ok(client.removeTicketTag(created.id, tagId(1)))],
      ["takeover", () => ok(client.takeoverTicket(created.id, { assigneeId: userId(2) }))],
      [
        "assignee again",
        () => ok(client.updateTicketAssignee(created.id, { assigneeId: userId(3) })),
      ],
      ["complete", () => ok(client.completeTicket(created.id, { userId: userId(3) }))],
      ["attach on completed", () => ok(client.attachTicketTag(created.id, { tagId: tagId(2) }))],
    ];
    for (const [label, step] of steps) {
      await sleep(2);
      const [body, window] = await during(step);
      if (body && typeof body === "object" && "updatedAt" in body) {
        const updatedAt = (body as { updatedAt: string }).updatedAt;
        expectNow(updatedAt, window, `${label} updatedAt`);
        expect(Date.parse(updatedAt), `${label}: updatedAt went back`).toBeGreaterThanOrEqual(last);
        last = Date.parse(updatedAt);
      }
    }
  });

  it("createdAt <= ongoingAt <= completedAt where set, and createdAt <= updatedAt, in every ticket seen", () => {
    const tickets: Ticket[] = [
      ...STATUSES.flatMap((status) => seeded[status]),
      ...seen.rows,
      ...seen.details,
    ];
    expect(seen.rows.length).toBeGreaterThan(30);
    expect(tickets.flatMap(timestampOrderBreaks)).toEqual([]);
  });

  it("read-your-writes: each mutation shows at once by id and in the list with the matching filters", async () => {
    const inList = async (ticket: Ticket, filters: Omit<Filters, "status">) => {
      const page = await listPage({
        status: ticket.status,
        chatIds: ticket.chatId,
        ...filters,
        pageSize: 100,
      });
      return page.filter((each) => each.id === ticket.id);
    };
    const expectVisible = async (row: TicketRow, filters: Omit<Filters, "status"> = {}) => {
      const byId = await details(row.id);
      expect(sharedFields(byId)).toEqual(sharedFields(row));
      expect(await inList(row, filters)).toEqual([byId]);
      for (const status of STATUSES.filter((each) => each !== row.status)) {
        expect(
          await listPage({ status, chatIds: row.chatId, pageSize: 100 }),
          `not ${status}`,
        ).toEqual(expect.not.arrayContaining([expect.objectContaining({ id: row.id })]));
      }
    };
    const created = await create({ assigneeId: userId(1) });
    await expectVisible(created, { assigneeIds: userId(1) });
    // The newest ticket is on the unfiltered first page of its status.
    expect(idsOf(await listPage({ status: "pending", pageSize: 100 }))).toContain(created.id);

    const assigned = await ok(client.updateTicketAssignee(created.id, { assigneeId: userId(2) }));
    await expectVisible(assigned, { assigneeIds: userId(2) });
    expect(await inList(assigned, { assigneeIds: userId(1) })).toEqual([]);

    const taken = await ok(client.takeoverTicket(created.id, { assigneeId: userId(3) }));
    await expectVisible(taken, { assigneeIds: userId(3) });
    expect(await inList(taken, { assigneeIds: userId(2) })).toEqual([]);

    await ok(client.attachTicketTag(created.id, { tagId: tagId(4) }));
    expect(await inList(taken, { tagIds: tagId(4) })).toHaveLength(1);
    await ok(client.removeTicketTag(created.id, tagId(4)));
    expect(await inList(taken, { tagIds: tagId(4) })).toEqual([]);

    const completed = await ok(client.completeTicket(created.id, { userId: userId(3) }));
    await expectVisible(completed, { assigneeIds: userId(3) });
  });

  it("tags: attaching one already attached is 409; removing one not attached is 404", async () => {
    const ticket = await create();
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(6) }));
    await refused(client.attachTicketTag(ticket.id, { tagId: tagId(6) }), 409);
    expect(await hasTag(ticket, tagId(6))).toBe(true);
    await ok(client.removeTicketTag(ticket.id, tagId(6)));
    expect(await hasTag(ticket, tagId(6))).toBe(false); // the 409 attached nothing twice
    await refused(client.removeTicketTag(ticket.id, tagId(6)), 404);
    await refused(client.removeTicketTag(ticket.id, tagId(8)), 404);
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(6) })); // free to attach again
    expect(await hasTag(ticket, tagId(6))).toBe(true);
  });

  it("tags can change on a ticket in any state, completed included", async () => {
    for (const status of ["pending", "ongoing"] as const) {
      const ticket = await create({ status });
      await ok(client.attachTicketTag(ticket.id, { tagId: tagId(9) }));
      expect(await hasTag(ticket, tagId(9))).toBe(true);
    }
    const ticket = await create({ status: "ongoing" });
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(10) }));
    const completed = await ok(client.completeTicket(ticket.id, { userId: userId(1) }));
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(11) }));
    expect(await hasTag(completed, tagId(11))).toBe(true);
    await ok(client.removeTicketTag(ticket.id, tagId(10)));
    expect(await hasTag(completed, tagId(10))).toBe(false);
    expect((await details(ticket.id)).status).toBe("completed");
    // A seeded completed ticket too.
    const old = seeded.completed[5] as TicketDetails;
    const free = server.fixtures.tagIds.find((tag) => tag !== tagId(0)) as string;
    const had = await hasTag(old, free);
    if (had) await ok(client.removeTicketTag(old.id, free));
    await ok(client.attachTicketTag(old.id, { tagId: free }));
    expect(await hasTag(old, free)).toBe(true);
  });
});

// =============================================================================================

describe("The two ticket shapes", () => {
  it("the row of each mutation agrees with the details on every shared field", async () => {
    for (const status of ["pending", "ongoing"] as const) {
      const created = await create({
        status,
        ticketingTeamId: status === "pending" ? teamId(3) : null,
      });
      expect(sharedFields(await details(created.id)), "create").toEqual(sharedFields(created));
      const steps: [string, () => Promise<Exchange<TicketRow>>][] = [
        ["assignee", () => client.updateTicketAssignee(created.id, { assigneeId: userId(5) })],
        ["takeover", () => client.takeoverTicket(created.id, { assigneeId: userId(6) })],
        ["complete", () => client.completeTicket(created.id, { userId: userId(6) })],
      ];
      for (const [label, step] of steps) {
        const row = await ok(step());
        expect(sharedFields(await details(created.id)), label).toEqual(sharedFields(row));
      }
    }
  });

  it("details consistency over every ticket of several list pages of each status (includeRemoved=true)", async () => {
    const tickets: TicketDetails[] = [];
    for (const status of STATUSES) {
      for (let pageNumber = 1; pageNumber <= 5; pageNumber++) {
        tickets.push(
          ...(await listPage({ status, includeRemoved: true, pageSize: 100, pageNumber })),
        );
      }
    }
    const breaks = tickets.flatMap((ticket) =>
      CONSISTENCY.filter(([, holds]) => !holds(ticket)).map(([rule]) => `${ticket.id}: ${rule}`),
    );
    expect(breaks).toEqual([]);
    // Each side of each rule occurs, so none held vacuously.
    const both = (test: (t: TicketDetails) => boolean) => new Set(tickets.map(test)).size === 2;
    expect(tickets.length).toBeGreaterThan(1000);
    expect(both((t) => t.assigneeId === null)).toBe(true);
    expect(both((t) => t.ticketingTeamId === null)).toBe(true);
    expect(both((t) => t.channelId === null)).toBe(true);
    expect(both((t) => t.ownerEntity === "user")).toBe(true);
    expect(both((t) => t.responderEntity === "user")).toBe(true);
    expect(both((t) => t.pendingChatMessages === 0)).toBe(true);
    expect(both((t) => t.chatIsRemoved)).toBe(true);
  });

  it("a ticket's details are the same read by id and as a list item", async () => {
    for (const status of STATUSES) {
      const page = await listPage({ status, includeRemoved: true, pageSize: 100, pageNumber: 2 });
      const sample = [
        ...page.filter((_, index) => index % 10 === 0),
        ...page.filter((t) => t.chatIsRemoved),
      ];
      for (const item of sample) expect(await details(item.id)).toStrictEqual(item);
    }
    const row = await create({ status: "ongoing" });
    const [item] = await listPage({ status: "ongoing", chatIds: row.chatId });
    expect(await details(row.id)).toStrictEqual(item);
  });

  it("timestamps are RFC 3339 date-times with a zone", () => {
    const values: string[] = [];
    for (const ticket of [...seen.details, ...seen.rows]) {
      for (const field of ["createdAt", "ongoingAt", "completedAt", "updatedAt", "lastViewedAt"]) {
        const value = (ticket as unknown as Record<string, unknown>)[field];
        if (typeof value === "string") values.push(value);
      }
    }
    for (const link of seen.tagLinks) values.push(link.createdAt, link.updatedAt);
    expect(values.length).toBeGreaterThan(5000);
    expect(
      values.filter((value) => !RFC3339.test(value) || Number.isNaN(Date.parse(value))),
    ).toEqual([]);
    expect(seen.rows.some((row) => row.completedAt !== null && row.ongoingAt !== null)).toBe(true);
  });

  it("ids the server mints are UUID v4, and new", async () => {
    const existing = new Set(STATUSES.flatMap((status) => idsOf(seeded[status])));
    const minted = [];
    for (let i = 0; i < 10; i++)
      minted.push((await create({ status: i % 2 ? "ongoing" : "pending" })).id);
    const all = [...minted, ...seen.rows.map((row) => row.id)];
    expect(all.filter((id) => !UUID_V4.test(id))).toEqual([]);
    expect(new Set(minted).size).toBe(minted.length);
    expect(minted.filter((id) => existing.has(id))).toEqual([]);
  });

  it("every body is valid against the contract, with every documented field present (null, never absent) and no other", async () => {
    // expectResponse validates every response of this file; here the exact key sets too.
    const keysOf = (shape: string) => Object.keys(validator.schema(shape)?.properties ?? {}).sort();
    const ticket = await create();
    const bodies: [string, unknown][] = [
      ["TicketRow", ticket],
      ["TicketDetails", await details(ticket.id)],
      ...(await listPage({ status: "completed", includeRemoved: true, pageSize: 100 })).map(
        (item): [string, unknown] => ["TicketDetails", item],
      ),
      ["TicketRow", await ok(client.takeoverTicket(ticket.id, { assigneeId: userId(1) }))],
      ["TagLink", await ok(client.attachTicketTag(ticket.id, { tagId: tagId(1) }))],
      ["Message", await ok(client.removeTicketTag(ticket.id, tagId(1)))],
    ];
    expect(keysOf("TicketDetails")).toHaveLength(32);
    expect(keysOf("TicketRow")).toHaveLength(12);
    for (const [shape, body] of bodies) {
      expect(Object.keys(body as object).sort(), shape).toEqual(keysOf(shape));
      const result = validator.validateShape(shape, body);
      expect([...result.failures, ...result.warnings]).toEqual([]);
    }
    // Nullable fields are there with null, in both shapes.
    const nulls = (body: unknown) =>
      Object.entries(body as object)
        .filter(([, v]) => v === null)
        .map(([k]) => k);
    expect(nulls(ticket)).toEqual(
      expect.arrayContaining(["completedAt", "lastViewedAt", "ongoingAt"]),
    );
  });
});

// =============================================================================================

describe("The list endpoint", () => {
  /** Every ticket, each status, list order, includeRemoved=true: taken after the setup writes. */
  const all = {} as Record<Status, TicketDetails[]>;
  const tagged = {} as Record<"a" | "b" | "ab" | "none", TicketRow>;
  const [tagA, tagB] = [() => tagId(12), () => tagId(13)];

  beforeAll(async () => {
    for (const key of ["a", "b", "ab", "none"] as const) tagged[key] = await create();
    await ok(client.attachTicketTag(tagged.a.id, { tagId: tagA() }));
    await ok(client.attachTicketTag(tagged.b.id, { tagId: tagB() }));
    await ok(client.attachTicketTag(tagged.ab.id, { tagId: tagA() }));
    await ok(client.attachTicketTag(tagged.ab.id, { tagId: tagB() }));
    // Created together, several tickets share a millisecond: the id decides their order.
    await Promise.all(Array.from({ length: 16 }, () => create()));
    for (const status of STATUSES) all[status] = await listAll({ status, includeRemoved: true });
  });

  it("answers a JSON array, [] included", async () => {
    const exchange = await client.listTicketDetails({ status: "pending", chatIds: randomUUID() });
    expect(expectResponse(exchange, 200)).toEqual([]);
    expect(exchange.response?.rawBody).toBe("[]");
    const page = await listPage({ status: "pending" });
    expect(Array.isArray(page) && page.length > 0).toBe(true);
  });

  it("status filters by equality, and the statuses split the tickets", () => {
    const ids = new Set<string>();
    for (const status of STATUSES) {
      expect(all[status].length).toBeGreaterThan(50);
      expect(all[status].filter((t) => t.status !== status)).toEqual([]);
      for (const id of idsOf(all[status])) ids.add(id);
    }
    expect(ids.size).toBe(STATUSES.reduce((sum, status) => sum + all[status].length, 0));
    expect(ids.size).toBeGreaterThan(TICKETS);
  });

  const FIELDS = {
    assigneeIds: "assigneeId",
    chatIds: "chatId",
    responderIds: "responderId",
    responderVersionIds: "responderVersionId",
  } as const;

  it.each(Object.keys(FIELDS) as (keyof typeof FIELDS)[])(
    "%s: one value, and several as repeated keys (OR-ed within)",
    async (filter) => {
      const field = FIELDS[filter];
      for (const status of ["ongoing", "completed"] as const) {
        const pool = visible(all[status]);
        const values = mostFrequent(
          pool.map((t) => t[field]).filter((v): v is string => v !== null),
          3,
        );
        expect(values).toHaveLength(3);
        const [first = ""] = values;
        const one = await listAll({ status, [filter]: first });
        expect(idsOf(one)).toEqual(idsOf(pool.filter((t) => t[field] === first)));
        const several = await listAll({ status, [filter]: values });
        expect(idsOf(several)).toEqual(
          idsOf(pool.filter((t) => values.includes(t[field] as string))),
        );
        expect(several.length).toBeGreaterThan(one.length);
      }
      // Several values really go as repeated keys.
      const exchange = await client.listTicketDetails({
        status: "completed",
        [filter]: [NON_V4_UUID, NON_V4_UUID],
      });
      expect(exchange.request.url).toContain(`${filter}=${NON_V4_UUID}&${filter}=${NON_V4_UUID}`);
      expect(expectResponse(exchange, 200)).toEqual([]);
    },
  );

  it("tagIds: one value, and several (a ticket with any of the tags)", async () => {
    const chatIds = Object.values(tagged).map((t) => t.chatId);
    const find = async (tagIds: string | string[]) =>
      new Set(idsOf(await listAll({ status: "pending", chatIds, tagIds })));
    expect(await find(tagA())).toEqual(new Set([tagged.a.id, tagged.ab.id]));
    expect(await find(tagB())).toEqual(new Set([tagged.b.id, tagged.ab.id]));
    expect(await find([tagA(), tagB()])).toEqual(new Set([tagged.a.id, tagged.b.id, tagged.ab.id]));
    // Alone, too: the tagged tickets are the newest of their status carrying the tag.
    const alone = idsOf(await listPage({ status: "pending", tagIds: tagA(), pageSize: 100 }));
    expect(alone).toEqual(expect.arrayContaining([tagged.a.id, tagged.ab.id]));
    expect(alone).not.toContain(tagged.b.id);
    expect(alone).not.toContain(tagged.none.id);
    expect(await listAll({ status: "ongoing", chatIds, tagIds: [tagA(), tagB()] })).toEqual([]);
  });

  it("different filters are AND-ed", async () => {
    const pool = visible(all.completed);
    const pairs = pool
      .filter((t) => t.assigneeId !== null)
      .map((t) => `${t.assigneeId} ${t.responderId}`);
    const [pair = ""] = mostFrequent(pairs, 1);
    const [assignee = "", responder = ""] = pair.split(" ");
    const both = await listAll({
      status: "completed",
      assigneeIds: assignee,
      responderIds: responder,
    });
    const expected = pool.filter((t) => t.assigneeId === assignee && t.responderId === responder);
    expect(idsOf(both)).toEqual(idsOf(expected));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(pool.filter((t) => t.assigneeId === assignee).length);
    expect(expected.length).toBeLessThan(pool.filter((t) => t.responderId === responder).length);
    // Three at once, several values in one of them.
    const chats = mostFrequent(
      expected.map((t) => t.chatId),
      2,
    );
    const three = await listAll({
      status: "completed",
      assigneeIds: assignee,
      responderIds: [responder, randomUUID()],
      chatIds: chats,
    });
    expect(idsOf(three)).toEqual(idsOf(expected.filter((t) => chats.includes(t.chatId))));
  });

  it("search: a case-insensitive substring of the summary", async () => {
    const pool = visible(all.completed);
    const words = pool.flatMap((t) => t.summary.split(/[^A-Za-z]+/)).filter((w) => w.length >= 6);
    const [word = ""] = mostFrequent(words, 1);
    const query = swapCase(word.slice(1, -1)); // inside a word, in the other case
    const found = await listAll({ status: "completed", search: query });
    const expected = pool.filter((t) => t.summary.toLowerCase().includes(query.toLowerCase()));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.some((t) => !t.summary.includes(query))).toBe(true);
    expect(idsOf(found)).toEqual(idsOf(expected));
    // In other statuses and with includeRemoved, the same rule.
    const ongoing = await listAll({
      status: "ongoing",
      search: query.toUpperCase(),
      includeRemoved: true,
    });
    expect(idsOf(ongoing)).toEqual(
      idsOf(all.ongoing.filter((t) => t.summary.toLowerCase().includes(query.toLowerCase()))),
    );
    expect(await listPage({ status: "completed", search: `${word}-${randomUUID()}` })).toEqual([]);
  });

  it("includeRemoved: absent or false leaves out removed chats, true lists them", async () => {
    for (const status of STATUSES) {
      const removed = all[status].find((t) => t.chatIsRemoved);
      expect(removed, `a ${status} ticket on a removed chat`).toBeDefined();
      const ticket = removed as TicketDetails;
      const onChat = (includeRemoved?: boolean) =>
        listAll({
          status,
          chatIds: ticket.chatId,
          ...(includeRemoved === undefined ? {} : { includeRemoved }),
        });
      expect(idsOf(await onChat())).not.toContain(ticket.id);
      expect(idsOf(await onChat(false))).not.toContain(ticket.id);
      expect(idsOf(await onChat(true))).toContain(ticket.id);
      expect(idsOf(await listAll({ status }))).toEqual(idsOf(visible(all[status])));
      expect(idsOf(await listAll({ status, includeRemoved: false }))).toEqual(
        idsOf(visible(all[status])),
      );
    }
  });

  it("order: createdAt descending, then id descending, over every page", () => {
    for (const status of STATUSES) expect(orderBreaks(all[status]), status).toEqual([]);
    const ties = all.pending.filter((t, i) => all.pending[i - 1]?.createdAt === t.createdAt);
    // Not guaranteed, but 16 tickets created at once nearly always share a millisecond.
    if (ties.length === 0)
      console.warn("no two tickets share a createdAt: the id tie-break went unexercised");
  });

  it("pageSize defaults to 10, pageNumber to 1", async () => {
    const hundred = await listPage({ status: "completed", pageSize: 100 });
    const defaults = await client.listTicketDetails({ status: "completed" });
    const explicit = await client.listTicketDetails({
      status: "completed",
      pageSize: 10,
      pageNumber: 1,
    });
    expect(expectResponse(defaults, 200)).toHaveLength(10);
    expect(defaults.response?.rawBody).toBe(explicit.response?.rawBody);
    expect(idsOf(await listPage({ status: "completed", pageNumber: 2 }))).toEqual(
      idsOf(hundred.slice(10, 20)),
    );
    expect(idsOf(await listPage({ status: "completed", pageSize: 25 }))).toEqual(
      idsOf(hundred.slice(0, 25)),
    );
  });

  it("page n holds items (n-1)*size .. n*size-1: pages of 7 against one page of 100", async () => {
    const pool = visible(all.completed);
    const [responder = ""] = mostFrequent(
      pool.map((t) => t.responderId),
      1,
    );
    const queries: Filters[] = [
      { status: "completed" },
      { status: "ongoing", includeRemoved: true },
      { status: "completed", responderIds: responder },
      { status: "pending", search: "e" },
    ];
    for (const filters of queries) {
      const hundred = await listPage({ ...filters, pageSize: 100 });
      expect(hundred.length).toBe(100);
      const walked: TicketDetails[] = [];
      for (let pageNumber = 1; pageNumber <= 15; pageNumber++) {
        walked.push(...(await listPage({ ...filters, pageSize: 7, pageNumber })));
      }
      expect(idsOf(walked.slice(0, 100)), JSON.stringify(filters)).toEqual(idsOf(hundred));
      const page9 = await listPage({ ...filters, pageSize: 11, pageNumber: 9 });
      expect(idsOf(page9)).toEqual(idsOf(hundred.slice(88, 99)));
    }
  });

  it("a page past the end is [] with 200; every page but the last is full", async () => {
    const pool = visible(all.completed);
    const [responder = ""] = mostFrequent(
      pool.map((t) => t.responderId),
      1,
    );
    const expected = pool.filter((t) => t.responderId === responder);
    const filters: Filters = { status: "completed", responderIds: responder };
    const size = 7;
    const pages: TicketDetails[][] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await listPage({ ...filters, pageSize: size, pageNumber });
      pages.push(page);
      if (page.length < size || pageNumber > 500) break;
    }
    expect(idsOf(pages.flat())).toEqual(idsOf(expected));
    expect(pages.slice(0, -1).map((page) => page.length)).toEqual(
      pages.slice(0, -1).map(() => size),
    );
    expect(pages.length).toBe(Math.floor(expected.length / size) + 1);
    const lastPage = Math.ceil(expected.length / size);
    expect(await listPage({ ...filters, pageSize: size, pageNumber: lastPage + 1 })).toEqual([]);
    expect(await listPage({ status: "completed", pageSize: 100, pageNumber: 1_000_000 })).toEqual(
      [],
    );
    const total = visible(all.pending).length;
    const tail = await listPage({
      status: "pending",
      pageSize: 100,
      pageNumber: Math.ceil(total / 100),
    });
    expect(tail.length).toBe(total % 100 || 100);
    expect(
      await listPage({ status: "pending", pageSize: 100, pageNumber: Math.ceil(total / 100) + 1 }),
    ).toEqual([]);
  });
});

// =============================================================================================

describe("Fixtures", () => {
  let fresh: ReferenceServer;
  let freshClient: TicketsClient;

  beforeAll(async () => {
    fresh = await start(SEED, server.apiKey);
    freshClient = connectTo(fresh);
  });

  it("GET /__fixtures needs the key", async () => {
    for (const [, auth] of badKeys()) {
      await refused(freshClient.send({ method: "GET", path: "/__fixtures", auth }), 401);
    }
  });

  it("has exactly the four keys, arrays of distinct UUIDs, as the server says", async () => {
    const body = await ok(freshClient.send({ method: "GET", path: "/__fixtures" }));
    expect(Object.keys(body as object).sort()).toEqual([
      "chatIds",
      "tagIds",
      "ticketingTeamIds",
      "userIds",
    ]);
    for (const [name, ids] of Object.entries(body as Record<string, unknown>)) {
      expect(Array.isArray(ids), name).toBe(true);
      const list = ids as unknown[];
      expect(list.length, name).toBeGreaterThan(0);
      expect(
        list.filter((id) => typeof id !== "string" || !UUID_V4.test(id)),
        name,
      ).toEqual([]);
      expect(new Set(list).size, name).toBe(list.length);
    }
    expect(body).toEqual(fresh.fixtures);
  });

  it("every chatId has no non-completed ticket, and a ticket can be created on each", async () => {
    const { chatIds, userIds, ticketingTeamIds, tagIds } = fresh.fixtures;
    for (let start = 0; start < chatIds.length; start += 50) {
      const batch = chatIds.slice(start, start + 50);
      for (const status of ["pending", "ongoing"] as const) {
        expect(
          await listPage(
            { status, chatIds: batch, includeRemoved: true, pageSize: 100 },
            freshClient,
          ),
        ).toEqual([]);
      }
    }
    const rows: TicketRow[] = [];
    for (let start = 0; start < chatIds.length; start += 50) {
      const batch = chatIds.slice(start, start + 50);
      rows.push(
        ...(await Promise.all(
          batch.map((chatId, i) =>
            ok(
              freshClient.createTicket({
                chatId,
                assigneeId: pick(userIds, start + i),
                ticketingTeamId: pick(ticketingTeamIds, start + i),
                status: i % 2 ? "ongoing" : "pending",
              }),
            ),
          ),
        )),
      );
    }
    expect(rows.map((row) => row.chatId)).toEqual(chatIds);
    // Every tag of the fixtures can be attached.
    for (const [i, tag] of tagIds.entries()) {
      await ok(freshClient.attachTicketTag((rows[i] as TicketRow).id, { tagId: tag }));
    }
  });

  it("the seeded data holds tickets in every status, removed chats among them", () => {
    for (const status of STATUSES) {
      expect(seeded[status].length, status).toBeGreaterThan(100);
      expect(
        seeded[status].some((t) => t.chatIsRemoved),
        status,
      ).toBe(true);
    }
  });
});

// =============================================================================================

describe("Determinism", () => {
  it("same seed and ticket count: byte-identical fixtures and list pages; another seed: other data", async () => {
    const [a, b, c] = [
      await start(SEED, server.apiKey),
      await start(SEED, server.apiKey),
      await start(SEED + 1, server.apiKey),
    ];
    const [ca, cb, cc] = [connectTo(a), connectTo(b), connectTo(c)];
    const raw = async (on: TicketsClient, request: SendRequest) => {
      const exchange = await on.send(request);
      expectResponse(exchange, 200);
      return exchange.response?.rawBody ?? "";
    };
    const fixtures: SendRequest = { method: "GET", path: "/__fixtures" };
    expect(await raw(ca, fixtures)).toBe(await raw(cb, fixtures));
    expect(await raw(ca, fixtures)).not.toBe(await raw(cc, fixtures));

    const first = JSON.parse(
      await raw(ca, {
        method: "GET",
        path: "/api/v1/tickets/details",
        query: { status: "ongoing" },
      }),
    ) as TicketDetails[];
    const pages: SendRequest["query"][] = [
      ...STATUSES.flatMap((status) =>
        [1, 2, 3].map((pageNumber) => ({
          status,
          pageNumber,
          pageSize: 100,
          includeRemoved: true,
        })),
      ),
      { status: "completed", search: "refund" },
      { status: "ongoing", responderIds: (first[0] as TicketDetails).responderId, pageSize: 50 },
    ];
    for (const query of pages) {
      const request: SendRequest = {
        method: "GET",
        path: "/api/v1/tickets/details",
        query,
        operationId: "listTicketDetails",
      };
      const [fromA, fromB, fromC] = [
        await raw(ca, request),
        await raw(cb, request),
        await raw(cc, request),
      ];
      expect(fromA.length).toBeGreaterThan(2);
      expect(fromA, JSON.stringify(query)).toBe(fromB);
      expect(fromA, JSON.stringify(query)).not.toBe(fromC);
    }
    const one = (first[0] as TicketDetails).id;
    const byId: SendRequest = {
      method: "GET",
      path: `/api/v1/tickets/${one}/details`,
      operationId: "getTicketDetails",
    };
    expect(await raw(ca, byId)).toBe(await raw(cb, byId));
    await refused(cc.send(byId), 404);
  });
});
