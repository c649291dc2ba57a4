/**
 * What the tests of PROFILE.md's rules against the clean reference server share: one
 * reference server per test file (started by `startRulesServer` in the file's beforeAll,
 * on a port of its own, closed by `stopRulesServers` in its afterAll), the seeded tickets,
 * and the request helpers. Each file under test/reference/rules/ holds one section of the
 * profile; each rule has at least one test that a server breaking it fails. On top of that,
 * every response is held to the contract by `expectResponse`: a status the contract
 * documents, a JSON body valid against its shape, no undocumented field.
 *
 * The duplication is deliberate: these tests restate the rules of PROFILE.md (the enums,
 * the shared fields, the order, the endpoints and their methods) instead of importing them
 * from src/, so that they are an oracle independent of the code under test. A rule
 * mistyped in src/ then fails here instead of agreeing with itself.
 *
 * vitest loads this module once per test file: `seen` holds the responses of that file
 * (and the seeded tickets), not those of every section.
 */

import { expect } from "vitest";
import type {
  CreateTicketBody,
  ListTicketDetailsParameters,
  OperationId,
  TagLink,
  TicketDetails,
  TicketRow,
} from "../../../contracts/types.js";
import type { Exchange } from "../../../src/client/exchange.js";
import {
  createTicketsClient,
  type SendRequest,
  type TicketsClient,
} from "../../../src/client/index.js";
import { ContractValidator } from "../../../src/contract/validator.js";
import { type ReferenceServer, startReferenceServer } from "../../../src/reference/index.js";

// --- constants ------------------------------------------------------------------------------

export const SEED = 11;
export const TICKETS = 3000;
export const STATUSES = ["pending", "ongoing", "completed"] as const;
export type Status = (typeof STATUSES)[number];
type ListQuery = ListTicketDetailsParameters["query"];
export type Filters = Omit<ListQuery, "pageNumber" | "pageSize">;
export type Ticket = TicketRow | TicketDetails;

export const PROFILE_ENUMS = {
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
export const NON_V4_UUID = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

// --- state ----------------------------------------------------------------------------------

export const validator = ContractValidator.load();
const servers: ReferenceServer[] = [];
const clients: TicketsClient[] = [];
/** The file's reference server and a client of it, set by `startRulesServer`. */
export let server: ReferenceServer;
export let client: TicketsClient;
let freeChats: string[] = [];
const previousKey = process.env.TICKETS_API_KEY;
/** The seeded tickets of each status in list order, includeRemoved=true, before any write. */
export const seeded = {} as Record<Status, TicketDetails[]>;
/** Every 200 row, details and tag link this file received, for the rules over all of them. */
export const seen = {
  rows: [] as TicketRow[],
  details: [] as TicketDetails[],
  tagLinks: [] as TagLink[],
};

/** The test file's beforeAll: its own reference server, and the seeded tickets read back. */
export async function startRulesServer(): Promise<void> {
  server = await start(SEED);
  process.env.TICKETS_API_KEY = server.apiKey;
  client = connectTo(server);
  freeChats = [...server.fixtures.chatIds];
  for (const status of STATUSES) {
    seeded[status] = await listAll({ status, includeRemoved: true });
  }
}

/** The test file's afterAll: closes every client and server the file opened. */
export async function stopRulesServers(): Promise<void> {
  await Promise.all(clients.map((each) => each.close()));
  await Promise.all(servers.map((each) => each.close()));
  if (previousKey === undefined) delete process.env.TICKETS_API_KEY;
  else process.env.TICKETS_API_KEY = previousKey;
}

// --- helpers: servers, fixtures -------------------------------------------------------------

export async function start(seed: number, apiKey?: string): Promise<ReferenceServer> {
  const started = await startReferenceServer({
    seed,
    tickets: TICKETS,
    ...(apiKey === undefined ? {} : { apiKey }),
  });
  servers.push(started);
  return started;
}

export function connectTo(target: ReferenceServer): TicketsClient {
  const created = createTicketsClient({ baseUrl: target.url, timeoutMs: 5_000 });
  clients.push(created);
  return created;
}

export function pick(items: readonly string[], index: number): string {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("the server published no fixture of this kind");
  return item;
}

/** A fixture chat no test has used yet: no non-completed ticket on it. */
export function takeChat(): string {
  const chat = freeChats.shift();
  if (chat === undefined) throw new Error("out of fixture chats");
  return chat;
}
export const userId = (index: number) => pick(server.fixtures.userIds, index);
export const teamId = (index: number) => pick(server.fixtures.ticketingTeamIds, index);
export const tagId = (index: number) => pick(server.fixtures.tagIds, index);

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
export function expectResponse<T>(exchange: Exchange<T>, statuses: number | readonly number[]): T {
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

export async function ok<T>(pending: Promise<Exchange<T>>): Promise<T> {
  return expectResponse(await pending, 200);
}

/** Expects a refusal with one of `statuses` and a JSON {message}; returns the message. */
export async function refused(
  pending: Promise<Exchange<unknown>>,
  statuses: number | readonly number[],
): Promise<string> {
  return (expectResponse(await pending, statuses) as { message: string }).message;
}

// --- helpers: tickets -----------------------------------------------------------------------

export async function create(
  body: Partial<CreateTicketBody> = {},
  on = client,
): Promise<TicketRow> {
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

export async function details(id: string): Promise<TicketDetails> {
  return ok(client.getTicketDetails(id));
}

export function sharedFields(ticket: Ticket): Record<string, unknown> {
  return Object.fromEntries(SHARED_FIELDS.map((field) => [field, ticket[field]]));
}

/** Whether a ticket holds a tag, read through the list's tagIds filter (details have no tags). */
export async function hasTag(ticket: Ticket, tag: string): Promise<boolean> {
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
export async function ticketsOfChat(chatId: string): Promise<TicketDetails[]> {
  const all: TicketDetails[] = [];
  for (const status of STATUSES)
    all.push(...(await listAll({ status, chatIds: chatId, includeRemoved: true })));
  return all;
}

export async function openTicketsOfChat(chatId: string): Promise<TicketDetails[]> {
  return (await ticketsOfChat(chatId)).filter((ticket) => ticket.status !== "completed");
}

/** What a rejected request could have changed: the ticket's details, its tags, its chat. */
export async function stateOf(ticket: Ticket, tags: readonly string[] = []) {
  const tagged: boolean[] = [];
  for (const tag of tags) tagged.push(await hasTag(ticket, tag));
  return {
    details: await details(ticket.id),
    tagged,
    chat: idsOf(await ticketsOfChat(ticket.chatId)),
  };
}

// --- helpers: the list ----------------------------------------------------------------------

export async function listPage(query: ListQuery, on = client): Promise<TicketDetails[]> {
  const page = await ok(on.listTicketDetails(query));
  expect(Array.isArray(page)).toBe(true);
  return page;
}

/** The whole result set, walking pages of `pageSize` until a short one. */
export async function listAll(
  filters: Filters,
  pageSize = 100,
  on = client,
): Promise<TicketDetails[]> {
  const all: TicketDetails[] = [];
  for (let pageNumber = 1; pageNumber <= 1000; pageNumber++) {
    const page = await listPage({ ...filters, pageSize, pageNumber }, on);
    all.push(...page);
    if (page.length < pageSize) return all;
  }
  throw new Error("more than 1000 pages");
}

export const idsOf = (tickets: readonly { id: string }[]) => tickets.map((ticket) => ticket.id);

// --- the endpoints, as free-form requests -----------------------------------------------------

export type Endpoint = OperationId | "fixtures";
export const ENDPOINTS: Endpoint[] = [
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
export const MUTATIONS = [
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
  "attachTicketTag",
  "removeTicketTag",
] as const;
export const BODY_OPERATIONS = [
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
  "attachTicketTag",
] as const;
type BodyOperation = (typeof BODY_OPERATIONS)[number];
export const PATH_ID_OPERATIONS = [
  "getTicketDetails",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
  "attachTicketTag",
  "removeTicketTag",
] as const;

export interface Target {
  ticketId: string;
  /** The chat a create goes to. */
  chatId: string;
  /** The tag a DELETE removes. */
  removeTagId: string;
}

/** A body each operation accepts (but for the state of the ticket). */
export function validBody(operationId: BodyOperation, target: Target): Record<string, unknown> {
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
export function requestTo(
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

export function badKeys(): [string, NonNullable<SendRequest["auth"]>][] {
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
