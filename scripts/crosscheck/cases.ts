/**
 * The request set, as a table: every operation, every documented status, one row a case, run
 * in this order (later cases act on the tickets the first ones create, and on their state).
 * A row: the case's name (it starts with the status the server should answer), what is
 * expected of whom (valid, invalid, intercepted), and the request.
 */
import type { CreateTicketBody, OperationId } from "../../contracts/types.js";
import type { Exchange, SendRequest, TicketsClient } from "../../src/client/index.js";

/** What answers a case, through which proxy, with what status. */
export type Expectation =
  /** A request the document allows: sent through the `errors` proxy only; the server answers. */
  | { kind: "valid"; server: number[] }
  /** A request the document forbids: Prism `--errors` refuses it with `prism` and never
   *  forwards it; through `report` it reaches the server, whose answer is validated too. */
  | { kind: "invalid"; prism: number; server: number[] }
  /** Prism answers it itself through both proxies: it never reaches the server. */
  | { kind: "intercepted"; prism: number };

/** The ids the requests are about: the server's fixtures and the tickets created on the way. */
export interface Ids {
  chat(index: number): string;
  /** Wraps around the fixtures' users. */
  user(index: number): string;
  tag(index: number): string;
  team: string;
  /** A fresh random UUID: nothing on the server has it. */
  unknown(): string;
  /** The first ticket created: most cases act on it. */
  ticket: string;
  secondTicket: string;
}

export type KeptTicket = "ticket" | "secondTicket";

/** Sends a case's request: a call of the client, or a free-form request (see freeForm). */
export type Send = (
  api: TicketsClient,
  ids: Ids,
  operation: OperationId,
) => Promise<Exchange<unknown>>;

/** A free-form request, e.g. one the document forbids. */
type FreeForm = Omit<SendRequest, "operationId">;

export interface Case {
  operation: OperationId;
  name: string;
  expect: Expectation;
  send: Send;
  /** The id of the ticket this case creates is kept as `ids[keeps]`, for the cases after it. */
  keeps?: KeptTicket;
}

type Row = [name: string, expect: Expectation, send: Send, keeps?: KeptTicket];

const WRONG_KEY = "crosscheck-wrong-key";

const valid = (...server: number[]): Expectation => ({ kind: "valid", server });
/** Against the document's schemas: Prism `--errors` answers 422. */
const invalid = (...server: number[]): Expectation => ({ kind: "invalid", prism: 422, server });
const intercepted = (prism: number): Expectation => ({ kind: "intercepted", prism });

/** `api.send` of this request, made for the case's operation. */
const freeForm =
  (request: (ids: Ids) => FreeForm): Send =>
  (api, ids, operation) =>
    api.send({ operationId: operation, ...request(ids) });

const PATHS = {
  tickets: "/api/v1/tickets",
  list: "/api/v1/tickets/details",
  details: (id: string) => `/api/v1/tickets/${id}/details`,
  takeover: (id: string) => `/api/v1/tickets/${id}/takeover`,
  assignee: (id: string) => `/api/v1/tickets/${id}/assignee`,
  tags: (id: string) => `/api/v1/tickets/${id}/tags`,
  tag: (id: string, tagId: string) => `/api/v1/tickets/${id}/tags/${tagId}`,
  complete: (id: string) => `/api/v1/tickets/${id}/complete`,
};

const newTicket = (
  chatId: string,
  assigneeId: string,
  status: CreateTicketBody["status"],
  ticketingTeamId: string | null = null,
): CreateTicketBody => ({ chatId, ticketingTeamId, assigneeId, status });

/**
 * Per operation, a request the server takes with the right key: the two 401 cases send it
 * with no key, then with a wrong one.
 */
const AUTHORIZED: Record<OperationId, (ids: Ids) => Omit<FreeForm, "auth">> = {
  createTicket: (ids) => ({
    method: "POST",
    path: PATHS.tickets,
    body: newTicket(ids.chat(3), ids.user(0), "pending"),
  }),
  getTicketDetails: (ids) => ({ method: "GET", path: PATHS.details(ids.ticket) }),
  takeoverTicket: (ids) => ({
    method: "PATCH",
    path: PATHS.takeover(ids.ticket),
    body: { assigneeId: ids.user(2) },
  }),
  updateTicketAssignee: (ids) => ({
    method: "PATCH",
    path: PATHS.assignee(ids.ticket),
    body: { assigneeId: ids.user(3) },
  }),
  attachTicketTag: (ids) => ({
    method: "POST",
    path: PATHS.tags(ids.ticket),
    body: { tagId: ids.tag(1) },
  }),
  listTicketDetails: () => ({ method: "GET", path: PATHS.list, query: { status: "pending" } }),
  removeTicketTag: (ids) => ({ method: "DELETE", path: PATHS.tag(ids.ticket, ids.tag(0)) }),
  completeTicket: (ids) => ({
    method: "PATCH",
    path: PATHS.complete(ids.ticket),
    body: { userId: ids.user(0) },
  }),
};

/** Stands in a group for its operation's "401 no key" and "401 wrong key" cases. */
const UNAUTHORIZED = Symbol("the 401 cases");

function unauthorized(operation: OperationId): Case[] {
  const authorized = AUTHORIZED[operation];
  return [
    {
      operation,
      name: "401 no key",
      // Prism `--errors` refuses a request without the header the document requires.
      expect: { kind: "invalid", prism: 401, server: [401] },
      send: freeForm((ids) => ({ ...authorized(ids), auth: "none" })),
    },
    {
      operation,
      name: "401 wrong key",
      // Prism only checks that the header is there: the server answers.
      expect: valid(401),
      send: freeForm((ids) => ({ ...authorized(ids), auth: { value: WRONG_KEY } })),
    },
  ];
}

function group(operation: OperationId, rows: (Row | typeof UNAUTHORIZED)[]): Case[] {
  return rows.flatMap((row) => {
    if (row === UNAUTHORIZED) return unauthorized(operation);
    const [name, expect, send, keeps] = row;
    return [{ operation, name, expect, send, keeps }];
  });
}

export const CASES: Case[] = [
  ...group("createTicket", [
    [
      "200 pending, with a team",
      valid(200),
      (api, ids) => api.createTicket(newTicket(ids.chat(0), ids.user(0), "pending", ids.team)),
      "ticket",
    ],
    [
      "200 ongoing, no team",
      valid(200),
      (api, ids) => api.createTicket(newTicket(ids.chat(1), ids.user(1), "ongoing")),
      "secondTicket",
    ],
    [
      "409 second ticket on the same chat",
      valid(409),
      (api, ids) => api.createTicket(newTicket(ids.chat(0), ids.user(0), "pending")),
    ],
    [
      "400 status completed (profile rule)",
      valid(400),
      (api, ids) => api.createTicket(newTicket(ids.chat(2), ids.user(0), "completed")),
    ],
    [
      "400 chatId missing",
      invalid(400),
      freeForm((ids) => ({
        method: "POST",
        path: PATHS.tickets,
        body: { ticketingTeamId: null, assigneeId: ids.user(0), status: "pending" },
      })),
    ],
    [
      "400 body not JSON",
      intercepted(400),
      freeForm(() => ({
        method: "POST",
        path: PATHS.tickets,
        rawBody: "{not json",
        headers: { "content-type": "application/json" },
      })),
    ],
    UNAUTHORIZED,
    [
      "404 unknown chatId (profile: 400 or 404)",
      valid(404, 400),
      (api, ids) => api.createTicket(newTicket(ids.unknown(), ids.user(0), "pending")),
    ],
  ]),

  ...group("getTicketDetails", [
    ["200 created ticket", valid(200), (api, ids) => api.getTicketDetails(ids.ticket)],
    ["400 id not a UUID", invalid(400), (api) => api.getTicketDetails("not-a-uuid")],
    UNAUTHORIZED,
    ["404 unknown id", valid(404), (api, ids) => api.getTicketDetails(ids.unknown())],
    // The document's ids carry the v4 pattern; the server takes any UUID version (404 if unknown).
    [
      "404 UUID of another version (v1)",
      invalid(404, 400),
      (api) => api.getTicketDetails("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
    ],
  ]),

  ...group("takeoverTicket", [
    [
      "200 pending ticket",
      valid(200),
      (api, ids) => api.takeoverTicket(ids.ticket, { assigneeId: ids.user(1) }),
    ],
    [
      "400 assigneeId not a UUID",
      invalid(400),
      freeForm((ids) => ({
        method: "PATCH",
        path: PATHS.takeover(ids.ticket),
        body: { assigneeId: "nobody" },
      })),
    ],
    UNAUTHORIZED,
    [
      "404 unknown id",
      valid(404),
      (api, ids) => api.takeoverTicket(ids.unknown(), { assigneeId: ids.user(1) }),
    ],
  ]),

  ...group("updateTicketAssignee", [
    [
      "200 ongoing ticket",
      valid(200),
      (api, ids) => api.updateTicketAssignee(ids.ticket, { assigneeId: ids.user(2) }),
    ],
    [
      "400 assigneeId missing",
      invalid(400),
      freeForm((ids) => ({ method: "PATCH", path: PATHS.assignee(ids.ticket), body: {} })),
    ],
    UNAUTHORIZED,
    [
      "404 unknown id",
      valid(404),
      (api, ids) => api.updateTicketAssignee(ids.unknown(), { assigneeId: ids.user(2) }),
    ],
  ]),

  ...group("attachTicketTag", [
    [
      "200 attach",
      valid(200),
      (api, ids) => api.attachTicketTag(ids.ticket, { tagId: ids.tag(0) }),
    ],
    [
      "409 attach the same tag again",
      valid(409),
      (api, ids) => api.attachTicketTag(ids.ticket, { tagId: ids.tag(0) }),
    ],
    [
      "400 tagId not a UUID",
      invalid(400),
      freeForm((ids) => ({
        method: "POST",
        path: PATHS.tags(ids.ticket),
        body: { tagId: "urgent" },
      })),
    ],
    UNAUTHORIZED,
    [
      "404 unknown ticket",
      valid(404),
      (api, ids) => api.attachTicketTag(ids.unknown(), { tagId: ids.tag(0) }),
    ],
    [
      "404 unknown tag",
      valid(404),
      (api, ids) => api.attachTicketTag(ids.ticket, { tagId: ids.unknown() }),
    ],
  ]),

  // After the writes, so the filters find the new tickets.
  ...group("listTicketDetails", [
    [
      "200 pending, 100 a page",
      valid(200),
      (api) => api.listTicketDetails({ status: "pending", pageSize: 100 }),
    ],
    [
      "200 ongoing, removed chats too",
      valid(200),
      (api) => api.listTicketDetails({ status: "ongoing", includeRemoved: true, pageSize: 100 }),
    ],
    [
      "200 completed, page 3",
      valid(200),
      (api) => api.listTicketDetails({ status: "completed", pageSize: 50, pageNumber: 3 }),
    ],
    [
      "200 one tagIds value",
      valid(200),
      (api, ids) => api.listTicketDetails({ status: "ongoing", tagIds: [ids.tag(0)] }),
    ],
    [
      "200 repeated ids, search",
      valid(200),
      (api, ids) =>
        api.listTicketDetails({
          status: "ongoing",
          tagIds: [ids.tag(0), ids.tag(1)],
          chatIds: [ids.chat(0), ids.chat(1)],
          assigneeIds: [ids.user(2)],
          search: "a",
        }),
    ],
    [
      "200 page past the end",
      valid(200),
      (api) => api.listTicketDetails({ status: "pending", pageSize: 100, pageNumber: 10_000 }),
    ],
    ["400 status missing", invalid(400), freeForm(() => ({ method: "GET", path: PATHS.list }))],
    [
      "400 pageSize 0",
      invalid(400),
      freeForm(() => ({
        method: "GET",
        path: PATHS.list,
        query: { status: "pending", pageSize: 0 },
      })),
    ],
    [
      "400 tagIds not a UUID",
      invalid(400),
      freeForm(() => ({
        method: "GET",
        path: PATHS.list,
        query: { status: "pending", tagIds: "urgent" },
      })),
    ],
    UNAUTHORIZED,
  ]),

  ...group("removeTicketTag", [
    [
      "200 remove an attached tag",
      valid(200),
      (api, ids) => api.removeTicketTag(ids.ticket, ids.tag(0)),
    ],
    ["404 tag not attached", valid(404), (api, ids) => api.removeTicketTag(ids.ticket, ids.tag(0))],
    [
      "404 unknown ticket",
      valid(404),
      (api, ids) => api.removeTicketTag(ids.unknown(), ids.tag(0)),
    ],
    ["400 tagId not a UUID", invalid(400), (api, ids) => api.removeTicketTag(ids.ticket, "urgent")],
    UNAUTHORIZED,
  ]),

  ...group("completeTicket", [
    [
      "200 ongoing ticket",
      valid(200),
      (api, ids) => api.completeTicket(ids.ticket, { userId: ids.user(0) }),
    ],
    [
      "200 second ticket",
      valid(200),
      (api, ids) => api.completeTicket(ids.secondTicket, { userId: ids.user(1) }),
    ],
    [
      "409 complete again",
      valid(409),
      (api, ids) => api.completeTicket(ids.ticket, { userId: ids.user(0) }),
    ],
    [
      "400 userId missing",
      invalid(400),
      freeForm((ids) => ({ method: "PATCH", path: PATHS.complete(ids.ticket), body: {} })),
    ],
    UNAUTHORIZED,
    [
      "404 unknown id",
      valid(404),
      (api, ids) => api.completeTicket(ids.unknown(), { userId: ids.user(0) }),
    ],
  ]),

  // What a completed ticket refuses, and what it still takes.
  ...group("takeoverTicket", [
    [
      "409 takeover a completed ticket",
      valid(409),
      (api, ids) => api.takeoverTicket(ids.ticket, { assigneeId: ids.user(1) }),
    ],
  ]),
  ...group("updateTicketAssignee", [
    [
      "409 assignee on a completed ticket",
      valid(409),
      (api, ids) => api.updateTicketAssignee(ids.ticket, { assigneeId: ids.user(1) }),
    ],
  ]),
  ...group("attachTicketTag", [
    [
      "200 attach on a completed ticket",
      valid(200),
      (api, ids) => api.attachTicketTag(ids.ticket, { tagId: ids.tag(1) }),
    ],
  ]),
  ...group("getTicketDetails", [
    ["200 completed ticket", valid(200), (api, ids) => api.getTicketDetails(ids.ticket)],
  ]),
];

// Every operation gets its two 401 cases: a group that forgot its marker fails here, at load.
for (const operation of Object.keys(AUTHORIZED)) {
  if (!CASES.some((row) => row.operation === operation && row.name === "401 no key"))
    throw new Error(`crosscheck: no 401 cases for ${operation} (UNAUTHORIZED missing)`);
}
