/**
 * The fault catalog: named, realistic vendor bugs the reference server can be started
 * with (`--fault NAME`), each breaking one rule of the docs or the profile and nothing
 * else. The harness must catch each one (the performance fault is for load scenarios).
 *
 * A fault acts in one of four ways: it rewrites the list query, changes how the list
 * combines filters, transforms the response, or (the lifecycle and auth bugs) is a
 * switch the API checks where the bug would live.
 */
import { CHOICES, type Choice, type ChoiceName } from "./choices.js";
import type { ApiResponse } from "./http-io.js";
import { type ListSemantics, PROFILE_SEMANTICS, type StoreQuery } from "./store.js";

export interface Fault {
  name: string;
  /** The rule it breaks, with its source: `docs: …` or `PROFILE.md <section>: …`. */
  rule: string;
  description: string;
  query?: (query: StoreQuery) => StoreQuery;
  semantics?: Partial<ListSemantics>;
  response?: (operationId: string, response: ApiResponse) => ApiResponse;
}

type Json = Record<string, unknown>;

const DETAILS_OPERATIONS = new Set(["getTicketDetails", "listTicketDetails"]);
const ROW_OPERATIONS = new Set([
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
]);

/** Applies `change` to each ticket details object of a successful GET response. */
function onDetails(change: (details: Json) => void, operations = DETAILS_OPERATIONS) {
  return (operationId: string, response: ApiResponse): ApiResponse => {
    if (!operations.has(operationId) || response.status !== 200) return response;
    const items = Array.isArray(response.body) ? response.body : [response.body];
    for (const item of items) change(item as Json);
    return response;
  };
}

/** Applies `change` to the ticket row of a successful mutation. */
function onRow(change: (row: Json) => void) {
  return (operationId: string, response: ApiResponse): ApiResponse => {
    if (ROW_OPERATIONS.has(operationId) && response.status === 200) change(response.body as Json);
    return response;
  };
}

function onTickets(change: (ticket: Json) => void) {
  const details = onDetails(change);
  const row = onRow(change);
  return (operationId: string, response: ApiResponse) =>
    row(operationId, details(operationId, response));
}

function ignoreFilter(name: keyof StoreQuery) {
  return (query: StoreQuery): StoreQuery => ({ ...query, [name]: undefined });
}

export const FAULTS = [
  // --- shapes: the docs' fields, types, formats and nullability
  {
    name: "details-missing-workspace",
    rule: "docs: workspaceId: string · uuid · Required",
    description: "ticket details leave out workspaceId",
    response: onDetails((details) => {
      delete details.workspaceId;
    }),
  },
  {
    name: "pending-messages-as-string",
    rule: "docs: pendingChatMessages: integer · Required",
    description: 'ticket details give pendingChatMessages as a string ("3")',
    response: onDetails((details) => {
      details.pendingChatMessages = String(details.pendingChatMessages);
    }),
  },
  {
    name: "null-assignee-omitted",
    rule: "PROFILE.md The two ticket shapes: A documented nullable field is present with `null`, never absent.",
    description:
      "unassigned ticket details leave out assigneeEmail, assigneeName and assigneePicture instead of null",
    response: onDetails((details) => {
      if (details.assigneeId !== null) return;
      delete details.assigneeEmail;
      delete details.assigneeName;
      delete details.assigneePicture;
    }),
  },
  {
    name: "chat-id-without-hyphens",
    rule: "docs: chatId: string · uuid · Required",
    description: "ticket details write chatId as 32 hex digits, without hyphens",
    response: onDetails((details) => {
      details.chatId = String(details.chatId).replaceAll("-", "");
    }),
  },
  {
    name: "created-at-without-zone",
    rule: "docs: createdAt: string · date-time · Required (PROFILE.md: RFC 3339 date-times with a zone)",
    description: "createdAt is written without a time zone (2026-05-01T10:00:00.000)",
    response: onTickets((ticket) => {
      ticket.createdAt = String(ticket.createdAt).replace(/Z$/, "");
    }),
  },
  {
    name: "status-in-progress",
    rule: "PROFILE.md Enumerations: `status` | `pending`, `ongoing`, `completed`",
    description: 'ongoing tickets are reported with status "in_progress"',
    response: onTickets((ticket) => {
      if (ticket.status === "ongoing") ticket.status = "in_progress";
    }),
  },
  {
    name: "owner-email-missing",
    rule: "PROFILE.md The two ticket shapes: `ownerEntity = user` has a non-null `ownerEmail`",
    description: "chats owned by a platform user report ownerEmail null",
    response: onDetails((details) => {
      if (details.ownerEntity === "user") details.ownerEmail = null;
    }),
  },
  {
    name: "unassigned-name-placeholder",
    rule: "PROFILE.md The two ticket shapes: `assigneeName`/`assigneeEmail` are null iff `assigneeId` is null",
    description: 'unassigned tickets report assigneeName "Unassigned"',
    response: onDetails((details) => {
      if (details.assigneeId === null) details.assigneeName = "Unassigned";
    }),
  },
  {
    name: "list-pending-count-zero",
    rule: "PROFILE.md The two ticket shapes: A ticket's details are the same whether read by id or as a list item.",
    description: "list items report pendingChatMessages 0 whatever the chat holds",
    response: onDetails(
      (details) => {
        details.pendingChatMessages = 0;
      },
      new Set(["listTicketDetails"]),
    ),
  },
  // --- status codes, content type, error bodies
  {
    name: "create-answers-201",
    rule: "docs: post /api/v1/tickets Responses 200: The ticket was created.",
    description: "creating a ticket answers 201 instead of 200",
    response: (operationId, response) =>
      operationId === "createTicket" && response.status === 200
        ? { ...response, status: 201 }
        : response,
  },
  {
    name: "unknown-ticket-400",
    rule: "PROFILE.md Errors: `404` for: a well-formed ticket id that does not exist",
    description: "a well-formed ticket id that does not exist answers 400 instead of 404",
    response: (_, response) =>
      response.status === 404 &&
      /^ticket .* not found$/.test(String((response.body as Json)?.message))
        ? { ...response, status: 400 }
        : response,
  },
  {
    name: "text-plain-content-type",
    rule: "docs: Responses 200 application/json",
    description: "successful answers are served as text/plain (the JSON body unchanged)",
    // Only the 200s: the rule is about them, and the error rule (JSON bodies) stays unbroken.
    response: (_, response) =>
      response.status === 200
        ? { ...response, headers: { ...response.headers, "content-type": "text/plain" } }
        : response,
  },
  {
    name: "error-body-plain-text",
    rule: "PROFILE.md Errors: Every 4xx/5xx body is JSON: an object with a string `message`",
    description:
      "the operations' 404 answers (unknown ticket, user, tag...) carry a plain-text body (Not Found)",
    response: (_, response) =>
      response.status === 404
        ? { ...response, rawBody: "Not Found", headers: { "content-type": "text/plain" } }
        : response,
  },
  {
    name: "page-past-end-404",
    rule: "PROFILE.md The list endpoint: a page past the end is `[]` with 200",
    description: "a list page past the end answers 404",
    response: (operationId, response) =>
      operationId === "listTicketDetails" &&
      Array.isArray(response.body) &&
      response.body.length === 0
        ? { status: 404, body: { message: "no tickets on this page" } }
        : response,
  },
  // --- authentication and robustness (switches checked by the API)
  {
    name: "list-without-auth",
    rule: "PROFILE.md Authentication: Missing, empty or wrong key: `401` on every endpoint",
    description: "the list endpoint answers without checking the API key",
  },
  {
    name: "validation-before-auth",
    rule: "PROFILE.md Authentication: `401` on every endpoint, before any validation of the rest of the request",
    description:
      "malformed path or query parameters (a ticket id that is not a UUID) are answered 400 before the API key is checked",
  },
  {
    name: "bad-json-500",
    rule: "PROFILE.md Errors: Never `5xx` for any input a client can send.",
    description: "a body that is not JSON crashes the handler: 500",
  },
  // --- lifecycle (switches checked by the API)
  {
    name: "create-completed",
    rule: "PROFILE.md Lifecycle: body `status` must be `pending` or `ongoing` (`completed` -> 400)",
    description: "a ticket can be created completed",
  },
  {
    name: "second-open-ticket",
    rule: "PROFILE.md Lifecycle: A chat has at most one non-completed ticket: creating another for the same chat -> 409",
    description: "a second open ticket can be created on a chat",
  },
  {
    name: "complete-completed",
    rule: "PROFILE.md Lifecycle: Complete: On `completed` -> 409, and nothing changes.",
    description: "completing a completed ticket answers 200 and moves completedAt",
  },
  {
    name: "takeover-reopens-completed",
    rule: "PROFILE.md Lifecycle: Takeover: On `completed` -> 409.",
    description: "taking over a completed ticket reopens it as ongoing",
  },
  {
    name: "assign-completed",
    rule: "PROFILE.md Lifecycle: Assignee: On `completed` -> 409.",
    description: "the assignee of a completed ticket can be changed",
  },
  {
    name: "takeover-resets-ongoing-at",
    rule: "PROFILE.md Lifecycle: Takeover: sets `ongoingAt` = now if it was null, keeps it otherwise.",
    description: "every takeover moves ongoingAt to now",
  },
  {
    name: "updated-at-frozen",
    rule: "PROFILE.md Lifecycle: Every successful mutation sets `updatedAt` = now",
    description: "mutations leave updatedAt as it was",
  },
  {
    name: "tag-attach-twice",
    rule: "PROFILE.md Lifecycle: attaching a tag already attached -> 409.",
    description: "attaching an attached tag answers 200",
  },
  {
    name: "tag-remove-unattached",
    rule: "PROFILE.md Lifecycle: Tag remove: not attached -> 404.",
    description: "removing a tag that is not attached answers 200",
  },
  {
    name: "stale-details-cache",
    rule: "PROFILE.md Lifecycle: Read-your-writes: a GET after a successful mutation shows it.",
    description:
      "GET details is served from a cache filled at the first read and never invalidated",
  },
  {
    name: "row-before-update",
    rule: "PROFILE.md The two ticket shapes: The row and the details of one ticket agree on every field they share",
    description: "takeover, assignee and complete answer the row as it was before the change",
  },
  // --- the list endpoint
  {
    name: "status-filter-ignored",
    rule: "PROFILE.md The list endpoint: `status` is required and filters by equality.",
    description: "the list returns tickets of every status",
  },
  {
    name: "missing-status-accepted",
    rule: "docs: status: string · enum · Required (PROFILE.md Errors: a missing `status` -> 400)",
    description: "a list request without status answers 200 with pending tickets",
  },
  {
    name: "assignee-filter-ignored",
    rule: "PROFILE.md The list endpoint: Id filters (`assigneeIds`, …)",
    description: "the list ignores assigneeIds",
    query: ignoreFilter("assigneeIds"),
  },
  {
    name: "chat-filter-ignored",
    rule: "PROFILE.md The list endpoint: Id filters (`chatIds`, …)",
    description: "the list ignores chatIds",
    query: ignoreFilter("chatIds"),
  },
  {
    name: "responder-filter-ignored",
    rule: "PROFILE.md The list endpoint: Id filters (`responderIds`, …)",
    description: "the list ignores responderIds",
    query: ignoreFilter("responderIds"),
  },
  {
    name: "responder-version-filter-ignored",
    rule: "PROFILE.md The list endpoint: Id filters (`responderVersionIds`, …)",
    description: "the list ignores responderVersionIds",
    query: ignoreFilter("responderVersionIds"),
  },
  {
    name: "tag-filter-ignored",
    rule: "PROFILE.md The list endpoint: Id filters (`tagIds`, …)",
    description: "the list ignores tagIds",
    query: ignoreFilter("tagIds"),
  },
  {
    name: "first-id-only",
    rule: "PROFILE.md The list endpoint: Within one parameter the values are OR-ed",
    description: "an id filter with several values uses only the first",
    query: (query) => {
      const first = (ids?: string[]) => ids?.slice(0, 1);
      return {
        ...query,
        assigneeIds: first(query.assigneeIds),
        chatIds: first(query.chatIds),
        responderIds: first(query.responderIds),
        responderVersionIds: first(query.responderVersionIds),
        tagIds: first(query.tagIds),
      };
    },
  },
  {
    name: "filters-or-ed",
    rule: "PROFILE.md The list endpoint: different parameters are AND-ed",
    description: "different id filters are OR-ed",
    semantics: { acrossParameters: "or" },
  },
  {
    name: "tags-match-all",
    rule: "PROFILE.md The list endpoint: `tagIds` matches a ticket that has any of the tags.",
    description: "tagIds matches only tickets that have all the tags",
    semantics: { tags: "all" },
  },
  {
    name: "search-case-sensitive",
    rule: "PROFILE.md The list endpoint: `search`: case-insensitive substring of `summary`.",
    description: "search is case-sensitive",
    semantics: { caseSensitiveSearch: true },
  },
  {
    name: "search-ascii-case-fold",
    rule: "PROFILE.md The list endpoint: `search`: case-insensitive substring of `summary` (for every letter, not only A-Z)",
    description: "search folds the case of A-Z only: MÜNCHEN does not find München",
    semantics: { asciiCaseFold: true },
  },
  {
    name: "search-beyond-summary",
    rule: "PROFILE.md The list endpoint: `search`: case-insensitive substring of `summary` (of `summary` only)",
    description: "search also matches the chat owner's and the responder's names",
    semantics: { searchBeyondSummary: true },
  },
  {
    name: "removed-chats-listed",
    rule: "PROFILE.md The list endpoint: `includeRemoved`: absent or `false` excludes tickets whose `chatIsRemoved` is true",
    description: "tickets of removed chats are listed even without includeRemoved=true",
    query: (query) => ({ ...query, includeRemoved: true }),
  },
  {
    name: "oldest-first",
    rule: "PROFILE.md The list endpoint: Order: `createdAt` descending, then `id` descending",
    description: "the list is ordered oldest first",
    semantics: { order: "oldest-first" },
  },
  {
    name: "page-size-unbounded",
    rule: "docs: pageSize: number · min: 1 · max: 100 (PROFILE.md Errors: `pageSize` outside 1..100 -> 400)",
    description: "a pageSize above 100 is accepted and honoured",
  },
  {
    name: "page-off-by-one",
    rule: "PROFILE.md The list endpoint: Page `n` holds items `(n-1)*pageSize .. n*pageSize-1` of that order",
    description: "page n holds the items of page n+1",
    query: (query) => ({ ...query, pageNumber: query.pageNumber + 1 }),
  },
  {
    name: "assignee-index-stale",
    rule: "PROFILE.md Lifecycle: Read-your-writes: a GET after a successful mutation shows it (in every list filter: assigneeIds finds the ticket under its new assignee)",
    description:
      "after a takeover or an assignee change, the list by assigneeIds still files the ticket under its old assignee",
  },
  {
    name: "assign-bulk-by-assignee",
    rule: "PROFILE.md Lifecycle: Assignee (`PATCH .../assignee`): sets `assigneeId` (of that ticket: a write to one ticket changes no other)",
    description:
      "a takeover or an assignee change moves every open ticket of the old assignee to the new one",
  },
  {
    name: "key-prefix-accepted",
    rule: "PROFILE.md Authentication: Missing, empty or wrong key: `401` on every endpoint (a key the real one starts with is a wrong key)",
    description:
      "any key the real key starts with is accepted (the comparison stops at the sent key's end)",
  },
  {
    name: "key-case-insensitive",
    rule: "PROFILE.md Authentication: Missing, empty or wrong key: `401` on every endpoint (the key in another case is a wrong key)",
    description: "the key is compared without case",
  },
  {
    name: "page-size-max-99",
    rule: "docs: pageSize: number · min: 1 · max: 100 (100 is allowed)",
    description: "pageSize=100 is refused with 400: the bound is off by one",
  },
  {
    name: "uuid-filter-lowercase-only",
    rule: "PROFILE.md Errors: `400` for a non-UUID in an id filter (RFC 4122 3: a UUID's hex digits are case-insensitive on input; an upper-case UUID is a UUID)",
    description: "an id filter with upper-case hex digits is refused with 400",
  },
  {
    name: "search-like-wildcards",
    rule: "PROFILE.md The list endpoint: `search`: case-insensitive substring of `summary` (a `%` or `_` is a character like any other)",
    description: "search is an unescaped SQL LIKE: % and _ are wildcards",
    semantics: { likeWildcards: true },
  },
  {
    name: "tag-id-unvalidated",
    rule: "PROFILE.md Errors: `400` for a path id that is not a UUID",
    description:
      "a tagId in the removal's path that is not a UUID is not validated: it answers 404",
  },
  {
    name: "reassign-same-409",
    rule: "PROFILE.md Errors: `409` for a transition the lifecycle forbids (Lifecycle: Assignee sets `assigneeId`, Takeover is allowed from `pending` or `ongoing`: on `completed` -> 409, only there)",
    description:
      "an assignee update or a takeover naming the user the ticket is assigned to already answers 409 (nothing to change)",
  },
  {
    name: "body-escapes-refused",
    rule: "PROFILE.md Errors: `400` for a body that is not JSON, not an object, lacks a required field, or has a field of the wrong type/format (RFC 8259 7: a `\\u` escape is JSON for the character it escapes)",
    description:
      "a request body with a \\u escape in it is refused with 400 (a filter on the raw text, before the JSON is parsed)",
  },
  {
    name: "complete-assignee-flips",
    rule: "PROFILE.md Lifecycle leaves the assignee on complete open; a target takes one side of it, the same every time (the harness learns it from the first complete and holds it)",
    description: "every other complete clears the assignee; the others keep it",
  },
  // --- input the docs do not list: either side is open, one side every time (the harness
  // learns it from the first answer and holds it); never a 5xx
  {
    name: "method-405-sometimes",
    rule: "docs: each path lists its methods; one it does not list is 404 or 405 (RFC 9110 15.5.5, 15.5.6: either, PROFILE.md is silent), and a target takes one side, the same every time (consistency with the target's own choice: the harness learns it from the first answer and holds it)",
    description:
      "a method a known path does not list answers 405 and 404 by turns (two handlers, one with the method table)",
  },
  {
    name: "unknown-query-parameter-500",
    rule: "PROFILE.md Errors: Never `5xx` for any input a client can send.",
    description:
      "a query parameter the docs do not list (?_=1700000000000) crashes the handler: 500",
  },
  {
    name: "unknown-param-refused-on-list-only",
    rule: "PROFILE.md Errors is silent on a query parameter the docs do not list (ignored or 400); a target takes one side, the same on every endpoint (consistency with the target's own choice: the harness learns it from the first answer and holds it)",
    description:
      "a query parameter the docs do not list is refused with 400 on the list, ignored on the details and the writes",
  },
  {
    name: "unknown-field-refused-on-create-only",
    rule: "PROFILE.md Errors is silent on a body field the docs do not list (ignored or 400); a target takes one side, the same on every operation (consistency with the target's own choice: the harness learns it from the first answer and holds it)",
    description:
      "a body field the docs do not list is refused with 400 on create, ignored on takeover, assignee, tag attach and complete",
  },
  {
    name: "uuid-version-inconsistent",
    rule: 'PROFILE.md Errors: `400` for an id that is not a UUID, `404` for one that does not exist; the docs: "A UUID v4 string" (a UUID of another version may be either), and a target takes one side, the same in paths and filters (consistency with the target\'s own choice: the harness learns it from the first answer and holds it)',
    description:
      "a UUID of another version than 4 is a UUID in a path (404 unknown) but refused with 400 in an id filter",
  },
  // --- concurrency: a test and its write not atomic (races.ts); sequential requests never
  // meet inside the window, concurrent ones do
  {
    name: "create-check-then-insert",
    rule: "PROFILE.md Lifecycle: A chat has at most one non-completed ticket: creating another for the same chat -> 409",
    description:
      "a create tests the chat for an open ticket, then inserts 3 ms later: concurrent creates on one free chat all answer 200 and leave several open tickets",
  },
  {
    name: "tag-attach-check-then-write",
    rule: "PROFILE.md Lifecycle: Tag attach (`POST .../tags`): attaching a tag already attached -> 409.",
    description:
      "an attach tests whether the tag is attached, then writes 3 ms later: concurrent attaches of one tag all answer 200",
  },
  {
    name: "completed-check-then-write",
    rule: "PROFILE.md Lifecycle: States: `pending` -> `ongoing` -> `completed`. `completed` is final.",
    description:
      "takeover, assignee and complete test for completed, then write 3 ms later: a takeover concurrent with a complete reopens the completed ticket, two completes both answer 200",
  },
  {
    name: "updated-at-arrival-stamp",
    rule: "PROFILE.md Lifecycle: Every successful mutation sets `updatedAt` = now; `updatedAt` never goes back.",
    description:
      "a complete (4 ms) or a takeover (2 ms) takes `now` as its request arrives and writes after that lag: a write that arrived later but lands first is overwritten with an earlier updatedAt",
  },
  // --- performance: for load scenarios, not checks
  {
    name: "slow-list",
    rule: "performance: the list endpoint answers as fast as the clean server",
    description: "the list endpoint waits 20 ms before answering",
  },
] as const satisfies readonly Fault[];

export type FaultName = (typeof FAULTS)[number]["name"];
export const PERFORMANCE_FAULTS: readonly FaultName[] = ["slow-list"];
/** The faults that break a rule only under concurrent requests: no sequential check sees them. */
export const CONCURRENCY_FAULTS: readonly FaultName[] = [
  "create-check-then-insert",
  "tag-attach-check-then-write",
  "completed-check-then-write",
  "updated-at-arrival-stamp",
];

export class UnknownFaultError extends Error {
  constructor(name: string) {
    super(
      `unknown fault or choice "${name}"; \`tickets-harness faults\` and \`tickets-harness choices\` list them`,
    );
    this.name = "UnknownFaultError";
  }
}

/** Faults break a rule; choices (choices.ts) take the other side of an open one. */
const CATALOG: readonly (Fault | Choice)[] = [...FAULTS, ...CHOICES];

/** The faults (and other-side choices) a server runs with. */
export class FaultSet {
  readonly semantics: ListSemantics;
  private readonly active: (Fault | Choice)[];

  constructor(names: readonly string[]) {
    this.active = names.map((name) => {
      const fault = CATALOG.find((candidate) => candidate.name === name);
      if (!fault) throw new UnknownFaultError(name);
      return fault;
    });
    this.semantics = Object.assign(
      {},
      PROFILE_SEMANTICS,
      ...this.active.map((fault) => fault.semantics ?? {}),
    );
  }

  has(name: FaultName | ChoiceName): boolean {
    return this.active.some((fault) => fault.name === name);
  }

  names(): string[] {
    return this.active.map((fault) => fault.name);
  }

  rewriteQuery(query: StoreQuery): StoreQuery {
    return this.active.reduce((current, fault) => fault.query?.(current) ?? current, query);
  }

  /** Whether some fault rewrites response bodies (which then must stay objects until sent). */
  get transformsResponses(): boolean {
    return this.active.some((fault) => fault.response !== undefined);
  }

  transform(operationId: string, response: ApiResponse): ApiResponse {
    return this.active.reduce(
      (current, fault) => fault.response?.(operationId, current) ?? current,
      response,
    );
  }
}
