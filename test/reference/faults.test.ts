/**
 * The fault catalog of the reference server: every fault manifests (a plain request that a
 * clean server answers one way, the faulty server another), and a fault changes only its
 * own rule (the probes of unrelated faults see the clean answers on the faulty server).
 *
 * Each fault has a probe: plain requests through the typed client, creating what they
 * need on chats reserved for that probe, that return a JSON observation. The clean server
 * is shared by every test; each faulty server is started and closed inside its own test,
 * with the same seed, so both hold the same fixtures.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TicketDetails, TicketRow } from "../../contracts/types.js";
import type { Exchange } from "../../src/client/exchange.js";
import { createTicketsClient, type NearKey, type TicketsClient } from "../../src/client/index.js";
import type { Fixtures } from "../../src/contract/profile-facts.js";
import {
  FAULTS,
  type FaultName,
  PERFORMANCE_FAULTS,
  type ReferenceServer,
  startReferenceServer,
} from "../../src/reference/index.js";

const SEED = 11;
const TICKETS = 1500;
const KEY_ENV = "REFERENCE_FAULTS_TEST_KEY";
const API_KEY = "reference-faults-test-key-4c9e1d7a";
/** Free chats each probe may use; a probe's chats are its own on every server. */
const CHATS_PER_PROBE = 3;
/** Well-formed, and held by no seeded server. */
const UNKNOWN_TICKET = "3b0f6c1e-9d2a-4e8b-a7c5-1f4d8e2b6a90";
/** Time enough for the server clock to move between two mutations. */
const TICK_MS = 5;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface ProbeContext {
  client: TicketsClient;
  fixtures: Fixtures;
  /** The probe's k-th free chat (0 <= k < CHATS_PER_PROBE). */
  chat(k: number): string;
  user(k: number): string;
  tag(k: number): string;
}

interface FaultProbe {
  /** What the clean server answers, as PROFILE.md or the docs pin it. */
  expect: string;
  probe(ctx: ProbeContext): Promise<Json>;
  clean: Json;
  /** What the faulty server answers, as the fault's description says. */
  faulty: Json;
}

/** A fault with no behavioural observable: only a load scenario can see it. */
interface ExemptFault {
  exempt: string;
}

// --- requests

type Response<T> = NonNullable<Exchange<T>["response"]>;

async function answer<T>(pending: Promise<Exchange<T>>): Promise<Response<T>> {
  const exchange = await pending;
  if (!exchange.response) {
    const { method, url } = exchange.request;
    throw new Error(`${method} ${url}: ${exchange.error?.kind}: ${exchange.error?.message}`);
  }
  return exchange.response;
}

async function status<T>(pending: Promise<Exchange<T>>): Promise<number> {
  return (await answer(pending)).status;
}

/** The body of a 2xx answer: what a probe needs before it observes anything. */
async function ok<T>(pending: Promise<Exchange<T>>): Promise<T> {
  const response = await answer(pending);
  if (response.status < 200 || response.status > 299 || response.json === undefined) {
    throw new Error(`expected a 2xx JSON answer, got ${response.status}: ${response.rawBody}`);
  }
  return response.json;
}

function create(
  ctx: ProbeContext,
  chat: number,
  { status = "pending", user = 0 }: { status?: "pending" | "ongoing"; user?: number } = {},
): Promise<TicketRow> {
  return ok(
    ctx.client.createTicket({
      chatId: ctx.chat(chat),
      assigneeId: ctx.user(user),
      ticketingTeamId: ctx.fixtures.ticketingTeamIds[0] ?? null,
      status,
    }),
  );
}

const details = (ctx: ProbeContext, id: string) => ok(ctx.client.getTicketDetails(id));
type ListQuery = Parameters<TicketsClient["listTicketDetails"]>[0];
const list = (ctx: ProbeContext, query: ListQuery) => ok(ctx.client.listTicketDetails(query));

/** Which of the named tickets a list holds, in list order; any other ticket is "other". */
function labels(items: TicketDetails[], named: Record<string, string>): string[] {
  const byId = new Map(Object.entries(named).map(([label, id]) => [id, label]));
  return [...new Set(items.map((item) => byId.get(item.id) ?? "other"))];
}

function mediaType(response: Response<unknown>): string {
  return (response.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
}

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
}

function first<T>(items: T[], wanted: (item: T) => boolean, what: string): T {
  const found = items.find(wanted);
  if (found === undefined) throw new Error(`the seeded data has no ${what}`);
  return found;
}

async function unassignedTicket(ctx: ProbeContext): Promise<TicketDetails> {
  const items = await list(ctx, { status: "pending", pageSize: 100 });
  return details(ctx, first(items, (item) => item.assigneeId === null, "unassigned ticket").id);
}

/** Which of the two users a ticket is assigned to. */
function whose(assigneeId: string | null, old: string, now: string): string | null {
  return assigneeId === old ? "old" : assigneeId === now ? "new" : assigneeId;
}

/** The status of a list sent with a near variant of the key (the client makes it). */
function listWithNearKey(ctx: ProbeContext, near: NearKey): Promise<number> {
  return status(
    ctx.client.send({
      method: "GET",
      path: "/api/v1/tickets/details",
      query: { status: "pending" },
      auth: { near },
    }),
  );
}

const ASSIGNEE_FIELDS = ["assigneeEmail", "assigneeName", "assigneePicture"] as const;

/** Tries of a concurrency probe: enough that a race of a 3 ms window shows on a busy machine. */
const RACE_TRIES = 10;

/** Runs `attempt` until it sees the race (`raced`), at most RACE_TRIES times; its last observation. */
async function untilRaced<T extends Json>(
  attempt: () => Promise<T>,
  raced: (seen: T) => boolean,
): Promise<T> {
  let seen = await attempt();
  for (let tries = 1; tries < RACE_TRIES && !raced(seen); tries++) seen = await attempt();
  return seen;
}

/** The non-completed tickets on a chat, by id. */
async function openTicketsOn(ctx: ProbeContext, chatId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const status of ["pending", "ongoing"] as const) {
    const items = await list(ctx, { status, chatIds: chatId, includeRemoved: true, pageSize: 100 });
    ids.push(...items.map((item) => item.id));
  }
  return ids;
}

// --- the table: one probe per fault

const PROBES: Record<FaultName, FaultProbe | ExemptFault> = {
  // shapes
  "details-missing-workspace": {
    expect: "ticket details carry a workspaceId string",
    probe: async (ctx) => {
      const got = await details(ctx, (await create(ctx, 0)).id);
      return { workspaceId: typeof got.workspaceId === "string" ? "a string" : "absent" };
    },
    clean: { workspaceId: "a string" },
    faulty: { workspaceId: "absent" },
  },
  "pending-messages-as-string": {
    expect: "pendingChatMessages is an integer",
    probe: async (ctx) => {
      const got = await details(ctx, (await create(ctx, 0)).id);
      return { pendingChatMessages: typeof got.pendingChatMessages };
    },
    clean: { pendingChatMessages: "number" },
    faulty: { pendingChatMessages: "string" },
  },
  "null-assignee-omitted": {
    expect: "an unassigned ticket's assignee fields are present, with null",
    probe: async (ctx) => {
      const got = (await unassignedTicket(ctx)) as unknown as Record<string, unknown>;
      return { present: ASSIGNEE_FIELDS.filter((field) => field in got) };
    },
    clean: { present: [...ASSIGNEE_FIELDS] },
    faulty: { present: [] },
  },
  "chat-id-without-hyphens": {
    expect: "details give chatId as the UUID the ticket was created on",
    probe: async (ctx) => {
      const got = await details(ctx, (await create(ctx, 0)).id);
      const chat = ctx.chat(0);
      const form =
        got.chatId === chat
          ? "the UUID"
          : got.chatId === chat.replaceAll("-", "")
            ? "32 hex digits"
            : got.chatId;
      return { chatId: form };
    },
    clean: { chatId: "the UUID" },
    faulty: { chatId: "32 hex digits" },
  },
  "created-at-without-zone": {
    expect: "createdAt of the row and the details is a date-time with a zone",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      const got = await details(ctx, row.id);
      const zone = (at: string) => (/(?:Z|[+-]\d\d:\d\d)$/i.test(at) ? "with zone" : "no zone");
      return { row: zone(row.createdAt), details: zone(got.createdAt) };
    },
    clean: { row: "with zone", details: "with zone" },
    faulty: { row: "no zone", details: "no zone" },
  },
  "status-in-progress": {
    expect: 'a ticket created ongoing has status "ongoing" in the row and the details',
    probe: async (ctx) => {
      const row = await create(ctx, 0, { status: "ongoing" });
      return { row: row.status, details: (await details(ctx, row.id)).status };
    },
    clean: { row: "ongoing", details: "ongoing" },
    faulty: { row: "in_progress", details: "in_progress" },
  },
  "owner-email-missing": {
    expect: "a chat owned by a user has a non-null ownerEmail",
    probe: async (ctx) => {
      const items = await list(ctx, { status: "pending", pageSize: 100 });
      const owned = first(items, (item) => item.ownerEntity === "user", "user-owned chat");
      const got = await details(ctx, owned.id);
      const email = typeof got.ownerEmail === "string" ? "an email" : got.ownerEmail;
      return { ownerEntity: got.ownerEntity, ownerEmail: email };
    },
    clean: { ownerEntity: "user", ownerEmail: "an email" },
    faulty: { ownerEntity: "user", ownerEmail: null },
  },
  "unassigned-name-placeholder": {
    expect: "an unassigned ticket has assigneeName null",
    probe: async (ctx) => ({ assigneeName: (await unassignedTicket(ctx)).assigneeName }),
    clean: { assigneeName: null },
    faulty: { assigneeName: "Unassigned" },
  },
  "list-pending-count-zero": {
    expect: "a list item's pendingChatMessages is the one read by id",
    probe: async (ctx) => {
      for (const item of await list(ctx, { status: "pending", pageSize: 100 })) {
        const byId = (await details(ctx, item.id)).pendingChatMessages;
        if (byId > 0) {
          const same = item.pendingChatMessages === byId;
          return { byId: "more than 0", asListItem: same ? "the same" : item.pendingChatMessages };
        }
      }
      throw new Error("no pending ticket with pending chat messages");
    },
    clean: { byId: "more than 0", asListItem: "the same" },
    faulty: { byId: "more than 0", asListItem: 0 },
  },
  // status codes, content type, error bodies
  "create-answers-201": {
    expect: "creating a ticket answers 200",
    probe: async (ctx) => ({
      create: await status(
        ctx.client.createTicket({
          chatId: ctx.chat(0),
          assigneeId: ctx.user(0),
          ticketingTeamId: null,
          status: "pending",
        }),
      ),
    }),
    clean: { create: 200 },
    faulty: { create: 201 },
  },
  "unknown-ticket-400": {
    expect: "a well-formed unknown ticket id answers 404 (details and complete)",
    probe: async (ctx) => ({
      details: await status(ctx.client.getTicketDetails(UNKNOWN_TICKET)),
      complete: await status(ctx.client.completeTicket(UNKNOWN_TICKET, { userId: ctx.user(0) })),
    }),
    clean: { details: 404, complete: 404 },
    faulty: { details: 400, complete: 400 },
  },
  "text-plain-content-type": {
    expect: "successful answers (a list, a create) are served as application/json",
    probe: async (ctx) => ({
      list: mediaType(await answer(ctx.client.listTicketDetails({ status: "pending" }))),
      create: mediaType(
        await answer(
          ctx.client.createTicket({
            chatId: ctx.chat(0),
            assigneeId: ctx.user(0),
            ticketingTeamId: null,
            status: "pending",
          }),
        ),
      ),
    }),
    clean: { list: "application/json", create: "application/json" },
    faulty: { list: "text/plain", create: "text/plain" },
  },
  "error-body-plain-text": {
    expect: "a 404 body is a JSON object with a string message",
    probe: async (ctx) => {
      const response = await answer(ctx.client.getTicketDetails(UNKNOWN_TICKET));
      const message = (response.json as { message?: unknown } | undefined)?.message;
      return { body: typeof message === "string" ? "JSON with a message" : response.rawBody };
    },
    clean: { body: "JSON with a message" },
    faulty: { body: "Not Found" },
  },
  "page-past-end-404": {
    expect: "a page past the end is [] with 200",
    probe: async (ctx) => {
      const response = await answer(
        ctx.client.listTicketDetails({ status: "completed", pageSize: 100, pageNumber: 1000 }),
      );
      const items = Array.isArray(response.json) ? response.json.length : "not a list";
      return { status: response.status, items };
    },
    clean: { status: 200, items: 0 },
    faulty: { status: 404, items: "not a list" },
  },
  // authentication and robustness
  "list-without-auth": {
    expect: "the list answers 401 without a key and with a wrong key",
    probe: async (ctx) => {
      const request = {
        method: "GET",
        path: "/api/v1/tickets/details",
        query: { status: "pending" },
      };
      return {
        noKey: await status(ctx.client.send({ ...request, auth: "none" })),
        wrongKey: await status(ctx.client.send({ ...request, auth: { value: "wrong-key" } })),
      };
    },
    clean: { noKey: 401, wrongKey: 401 },
    faulty: { noKey: 200, wrongKey: 200 },
  },
  "validation-before-auth": {
    expect: "a malformed ticket id without a key answers 401",
    probe: async (ctx) => ({
      noKey: await status(
        ctx.client.send({
          method: "GET",
          path: "/api/v1/tickets/not-a-uuid/details",
          auth: "none",
        }),
      ),
    }),
    clean: { noKey: 401 },
    faulty: { noKey: 400 },
  },
  "bad-json-500": {
    expect: "a body that is not JSON answers 400",
    probe: async (ctx) => ({
      create: await status(
        ctx.client.send({ method: "POST", path: "/api/v1/tickets", rawBody: '{"chatId": "' }),
      ),
    }),
    clean: { create: 400 },
    faulty: { create: 500 },
  },
  // lifecycle
  "create-completed": {
    expect: "creating a ticket completed answers 400",
    probe: async (ctx): Promise<Json> => {
      const response = await answer(
        ctx.client.createTicket({
          chatId: ctx.chat(0),
          assigneeId: ctx.user(0),
          ticketingTeamId: null,
          status: "completed",
        }),
      );
      return response.status === 200
        ? { create: response.status, ticket: response.json?.status ?? null }
        : { create: response.status };
    },
    clean: { create: 400 },
    faulty: { create: 200, ticket: "completed" },
  },
  "second-open-ticket": {
    expect: "a second non-completed ticket on a chat answers 409",
    probe: async (ctx) => {
      await create(ctx, 0);
      const again = ctx.client.createTicket({
        chatId: ctx.chat(0),
        assigneeId: ctx.user(1),
        ticketingTeamId: null,
        status: "ongoing",
      });
      return { second: await status(again) };
    },
    clean: { second: 409 },
    faulty: { second: 200 },
  },
  "complete-completed": {
    expect: "completing a completed ticket answers 409 and keeps completedAt",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      await ok(ctx.client.completeTicket(row.id, { userId: ctx.user(0) }));
      const before = (await details(ctx, row.id)).completedAt;
      await sleep(TICK_MS);
      const again = await status(ctx.client.completeTicket(row.id, { userId: ctx.user(1) }));
      const after = (await details(ctx, row.id)).completedAt;
      return { again, completedAt: after === before ? "kept" : "moved" };
    },
    clean: { again: 409, completedAt: "kept" },
    faulty: { again: 200, completedAt: "moved" },
  },
  "assignee-index-stale": {
    expect:
      "after an assignee change, the list by assigneeIds finds the ticket under the new assignee",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      await ok(ctx.client.updateTicketAssignee(row.id, { assigneeId: ctx.user(1) }));
      const byUser = async (user: number) =>
        labels(
          await list(ctx, { status: "pending", chatIds: ctx.chat(0), assigneeIds: ctx.user(user) }),
          {
            A: row.id,
          },
        );
      return { newAssignee: await byUser(1), oldAssignee: await byUser(0) };
    },
    clean: { newAssignee: ["A"], oldAssignee: [] },
    faulty: { newAssignee: [], oldAssignee: ["A"] },
  },
  "assign-bulk-by-assignee": {
    expect: "an assignee change of one ticket leaves another ticket of the same assignee as it was",
    probe: async (ctx) => {
      const [a, b] = [await create(ctx, 0), await create(ctx, 1)];
      await ok(ctx.client.updateTicketAssignee(a.id, { assigneeId: ctx.user(1) }));
      const other = await details(ctx, b.id);
      return { otherAssignee: whose(other.assigneeId, ctx.user(0), ctx.user(1)) };
    },
    clean: { otherAssignee: "old" },
    faulty: { otherAssignee: "new" },
  },
  "key-prefix-accepted": {
    expect: "the key without its last character is refused",
    probe: async (ctx) => ({ truncated: await listWithNearKey(ctx, "truncated") }),
    clean: { truncated: 401 },
    faulty: { truncated: 200 },
  },
  "key-case-insensitive": {
    expect: "the key in the other case is refused",
    probe: async (ctx) => ({ flipped: await listWithNearKey(ctx, "case-flipped") }),
    clean: { flipped: 401 },
    faulty: { flipped: 200 },
  },
  "page-size-max-99": {
    expect: "pageSize=100, the docs' maximum, is accepted",
    probe: async (ctx) => ({
      pageSize100: await status(ctx.client.listTicketDetails({ status: "pending", pageSize: 100 })),
    }),
    clean: { pageSize100: 200 },
    faulty: { pageSize100: 400 },
  },
  "uuid-filter-lowercase-only": {
    expect: "an id filter with an upper-case UUID is accepted",
    probe: async (ctx) => ({
      upperCase: await status(
        ctx.client.listTicketDetails({ status: "pending", chatIds: ctx.chat(0).toUpperCase() }),
      ),
    }),
    clean: { upperCase: 200 },
    faulty: { upperCase: 400 },
  },
  "search-like-wildcards": {
    expect: "search for _ finds only summaries that hold an underscore",
    probe: async (ctx) => {
      const items = await list(ctx, { status: "completed", search: "_", pageSize: 100 });
      return { withoutUnderscore: items.some((item) => !item.summary.includes("_")) };
    },
    clean: { withoutUnderscore: false },
    faulty: { withoutUnderscore: true },
  },
  "tag-id-unvalidated": {
    expect: "removing a tag whose id in the path is not a UUID answers 400",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      return { status: await status(ctx.client.removeTicketTag(row.id, "not-a-uuid")) };
    },
    clean: { status: 400 },
    faulty: { status: 404 },
  },
  "reassign-same-409": {
    expect: "an assignee update to the assignee the ticket has, and a takeover by it, answer 200",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      const same = { assigneeId: row.assigneeId as string };
      return {
        assign: await status(ctx.client.updateTicketAssignee(row.id, same)),
        takeover: await status(ctx.client.takeoverTicket(row.id, same)),
      };
    },
    clean: { assign: 200, takeover: 200 },
    faulty: { assign: 409, takeover: 409 },
  },
  "body-escapes-refused": {
    expect: "a body with its strings in \\u escapes (RFC 8259 7) is accepted",
    probe: async (ctx) => {
      const uEscapes = (text: string) =>
        [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
      const body = `{"chatId":"${uEscapes(ctx.chat(0))}","assigneeId":"${ctx.user(0)}","ticketingTeamId":null,"status":"${uEscapes("pending")}"}`;
      const response = await answer(
        ctx.client.send({
          method: "POST",
          path: "/api/v1/tickets",
          rawBody: body,
          headers: { "content-type": "application/json" },
        }),
      );
      const row = response.json as TicketRow;
      return { status: response.status, chat: row.chatId === ctx.chat(0) ? "the one sent" : null };
    },
    clean: { status: 200, chat: "the one sent" },
    faulty: { status: 400, chat: null },
  },
  "complete-assignee-flips": {
    expect: "two completes do the same with the assignee (here: keep it)",
    probe: async (ctx) => {
      const sides: string[] = [];
      for (const chat of [0, 1]) {
        const row = await create(ctx, chat);
        const done = await ok(ctx.client.completeTicket(row.id, { userId: ctx.user(1) }));
        sides.push(done.assigneeId === row.assigneeId ? "kept" : String(done.assigneeId));
      }
      return { sides };
    },
    clean: { sides: ["kept", "kept"] },
    faulty: { sides: ["kept", "null"] },
  },
  "method-405-sometimes": {
    expect: "a method a path does not list answers 405 every time",
    probe: async (ctx) => {
      const statuses: number[] = [];
      for (const path of ["/api/v1/tickets", "/api/v1/tickets/details", "/api/v1/tickets"]) {
        statuses.push(await status(ctx.client.send({ method: "PUT", path })));
      }
      return { statuses };
    },
    clean: { statuses: [405, 405, 405] },
    faulty: { statuses: [405, 404, 405] },
  },
  "unknown-query-parameter-500": {
    expect: "a query parameter the docs do not list is ignored (200)",
    probe: async (ctx) => ({
      status: await status(
        ctx.client.send({
          method: "GET",
          path: "/api/v1/tickets/details",
          query: { status: "pending", _: "1700000000000" },
        }),
      ),
    }),
    clean: { status: 200 },
    faulty: { status: 500 },
  },
  "unknown-param-refused-on-list-only": {
    expect:
      "a query parameter the docs do not list is ignored on the list and on the details alike",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      const query = { _: "1700000000000" };
      return {
        list: await status(
          ctx.client.send({
            method: "GET",
            path: "/api/v1/tickets/details",
            query: { status: "pending", ...query },
          }),
        ),
        details: await status(
          ctx.client.send({ method: "GET", path: `/api/v1/tickets/${row.id}/details`, query }),
        ),
      };
    },
    clean: { list: 200, details: 200 },
    faulty: { list: 400, details: 200 },
  },
  "unknown-field-refused-on-create-only": {
    expect: "a body field the docs do not list is ignored on create and on takeover alike",
    probe: async (ctx) => {
      const body = {
        chatId: ctx.chat(0),
        assigneeId: ctx.user(0),
        ticketingTeamId: null,
        status: "pending",
        priority: "high",
      };
      const created = await status(
        ctx.client.send({ method: "POST", path: "/api/v1/tickets", body }),
      );
      const row = await create(ctx, 1);
      const takeover = await status(
        ctx.client.send({
          method: "PATCH",
          path: `/api/v1/tickets/${row.id}/takeover`,
          body: { assigneeId: ctx.user(1), notify: false },
        }),
      );
      return { create: created, takeover };
    },
    clean: { create: 200, takeover: 200 },
    faulty: { create: 400, takeover: 200 },
  },
  "uuid-version-inconsistent": {
    expect: "a version 1 UUID is a UUID in a path (404, unknown) and in an id filter (200) alike",
    probe: async (ctx) => {
      const v1 = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
      return {
        path: await status(ctx.client.getTicketDetails(v1)),
        filter: await status(ctx.client.listTicketDetails({ status: "pending", chatIds: v1 })),
      };
    },
    clean: { path: 404, filter: 200 },
    faulty: { path: 404, filter: 400 },
  },
  "takeover-reopens-completed": {
    expect: "taking over a completed ticket answers 409 and it stays completed",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      await ok(ctx.client.completeTicket(row.id, { userId: ctx.user(0) }));
      const takeover = await status(ctx.client.takeoverTicket(row.id, { assigneeId: ctx.user(1) }));
      const got = await details(ctx, row.id);
      return {
        takeover,
        status: got.status,
        completedAt: got.completedAt === null ? null : "set",
      };
    },
    clean: { takeover: 409, status: "completed", completedAt: "set" },
    faulty: { takeover: 200, status: "ongoing", completedAt: null },
  },
  "assign-completed": {
    expect: "changing the assignee of a completed ticket answers 409 and keeps the old one",
    probe: async (ctx) => {
      const row = await create(ctx, 0, { user: 0 });
      await ok(ctx.client.completeTicket(row.id, { userId: ctx.user(0) }));
      const change = ctx.client.updateTicketAssignee(row.id, { assigneeId: ctx.user(1) });
      const assignee = await status(change);
      const got = await details(ctx, row.id);
      return { assignee, assigneeAfter: whose(got.assigneeId, ctx.user(0), ctx.user(1)) };
    },
    clean: { assignee: 409, assigneeAfter: "old" },
    faulty: { assignee: 200, assigneeAfter: "new" },
  },
  "takeover-resets-ongoing-at": {
    expect: "taking over an ongoing ticket keeps its ongoingAt",
    probe: async (ctx) => {
      const row = await create(ctx, 0, { status: "ongoing" });
      await sleep(TICK_MS);
      const takeover = await status(ctx.client.takeoverTicket(row.id, { assigneeId: ctx.user(1) }));
      const after = (await details(ctx, row.id)).ongoingAt;
      return { takeover, ongoingAt: after === row.ongoingAt ? "kept" : "moved" };
    },
    clean: { takeover: 200, ongoingAt: "kept" },
    faulty: { takeover: 200, ongoingAt: "moved" },
  },
  "updated-at-frozen": {
    // Two mutations, so that a row answered as it was before the change still shows the first.
    expect: "after mutations, updatedAt is later than at creation",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      await sleep(TICK_MS);
      await ok(ctx.client.updateTicketAssignee(row.id, { assigneeId: ctx.user(1) }));
      await sleep(TICK_MS);
      const last = await ok(ctx.client.updateTicketAssignee(row.id, { assigneeId: ctx.user(2) }));
      const later = Date.parse(last.updatedAt) > Date.parse(row.updatedAt);
      return { updatedAt: later ? "later" : last.updatedAt === row.updatedAt ? "as created" : "?" };
    },
    clean: { updatedAt: "later" },
    faulty: { updatedAt: "as created" },
  },
  "tag-attach-twice": {
    expect: "attaching an attached tag answers 409",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      const attach = () => status(ctx.client.attachTicketTag(row.id, { tagId: ctx.tag(0) }));
      return { first: await attach(), again: await attach() };
    },
    clean: { first: 200, again: 409 },
    faulty: { first: 200, again: 200 },
  },
  "tag-remove-unattached": {
    expect: "removing a tag that is not attached answers 404",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      return { remove: await status(ctx.client.removeTicketTag(row.id, ctx.tag(0))) };
    },
    clean: { remove: 404 },
    faulty: { remove: 200 },
  },
  "stale-details-cache": {
    expect: "a GET after an assignee change shows the new assignee",
    probe: async (ctx) => {
      const row = await create(ctx, 0, { user: 0 });
      await details(ctx, row.id);
      await ok(ctx.client.updateTicketAssignee(row.id, { assigneeId: ctx.user(1) }));
      const got = await details(ctx, row.id);
      return { assignee: whose(got.assigneeId, ctx.user(0), ctx.user(1)) };
    },
    clean: { assignee: "new" },
    faulty: { assignee: "old" },
  },
  "row-before-update": {
    expect: "the takeover row shows the ticket after the takeover",
    probe: async (ctx) => {
      const row = await create(ctx, 0, { user: 0 });
      const after = await ok(ctx.client.takeoverTicket(row.id, { assigneeId: ctx.user(1) }));
      return { status: after.status, assignee: whose(after.assigneeId, ctx.user(0), ctx.user(1)) };
    },
    clean: { status: "ongoing", assignee: "new" },
    faulty: { status: "pending", assignee: "old" },
  },
  // the list endpoint
  "status-filter-ignored": {
    expect: "status=pending lists pending tickets only",
    probe: async (ctx) => {
      const items = await list(ctx, { status: "pending", pageSize: 100 });
      return { statuses: [...new Set(items.map((item) => item.status))].sort() };
    },
    clean: { statuses: ["pending"] },
    faulty: { statuses: ["completed", "ongoing", "pending"] },
  },
  "missing-status-accepted": {
    expect: "a list request without status answers 400",
    probe: async (ctx): Promise<Json> => {
      const response = await answer(
        ctx.client.send({ method: "GET", path: "/api/v1/tickets/details", query: {} }),
      );
      if (response.status !== 200) return { status: response.status };
      const items = response.json as TicketDetails[];
      return { status: 200, statuses: [...new Set(items.map((item) => item.status))] };
    },
    clean: { status: 400 },
    faulty: { status: 200, statuses: ["pending"] },
  },
  "assignee-filter-ignored": {
    expect: "assigneeIds=u lists tickets of u only",
    probe: async (ctx) => {
      await create(ctx, 0, { user: 3 });
      const user = ctx.user(3);
      const items = await list(ctx, { status: "pending", assigneeIds: [user], pageSize: 100 });
      return {
        thatAssignee: items.some((item) => item.assigneeId === user),
        otherAssignees: items.some((item) => item.assigneeId !== user),
      };
    },
    clean: { thatAssignee: true, otherAssignees: false },
    faulty: { thatAssignee: true, otherAssignees: true },
  },
  "chat-filter-ignored": {
    expect: "chatIds=c lists the ticket of c only",
    probe: async (ctx) => {
      const row = await create(ctx, 0);
      return {
        listed: labels(await list(ctx, { status: "pending", chatIds: ctx.chat(0) }), { A: row.id }),
      };
    },
    clean: { listed: ["A"] },
    faulty: { listed: ["A", "other"] },
  },
  "responder-filter-ignored": {
    expect: "responderIds=r lists tickets answered by r only",
    probe: async (ctx) => {
      const items = await list(ctx, { status: "pending", pageSize: 1 });
      const { responderId: responder } = first(items, () => true, "pending ticket");
      const filtered = await list(ctx, {
        status: "pending",
        responderIds: responder,
        pageSize: 100,
      });
      return {
        thatResponder: filtered.some((item) => item.responderId === responder),
        otherResponders: filtered.some((item) => item.responderId !== responder),
      };
    },
    clean: { thatResponder: true, otherResponders: false },
    faulty: { thatResponder: true, otherResponders: true },
  },
  "responder-version-filter-ignored": {
    expect: "responderVersionIds=v lists tickets answered by version v only",
    probe: async (ctx) => {
      const items = await list(ctx, { status: "pending", pageSize: 100 });
      const version = first(items, (item) => item.responderVersionId !== null, "agent responder")
        .responderVersionId as string;
      const filtered = await list(ctx, {
        status: "pending",
        responderVersionIds: version,
        pageSize: 100,
      });
      return {
        thatVersion: filtered.some((item) => item.responderVersionId === version),
        otherVersions: filtered.some((item) => item.responderVersionId !== version),
      };
    },
    clean: { thatVersion: true, otherVersions: false },
    faulty: { thatVersion: true, otherVersions: true },
  },
  "tag-filter-ignored": {
    expect: "tagIds=t lists the ticket with t, not the new ticket without it",
    probe: async (ctx) => {
      const tagged = await create(ctx, 0);
      await ok(ctx.client.attachTicketTag(tagged.id, { tagId: ctx.tag(0) }));
      const untagged = await create(ctx, 1);
      // Both are the newest pending tickets: on page 1 whether the filter holds or not.
      const items = await list(ctx, { status: "pending", tagIds: ctx.tag(0), pageSize: 100 });
      const listed = new Set(labels(items, { tagged: tagged.id, untagged: untagged.id }));
      return { tagged: listed.has("tagged"), untagged: listed.has("untagged") };
    },
    clean: { tagged: true, untagged: false },
    faulty: { tagged: true, untagged: true },
  },
  "first-id-only": {
    expect: "chatIds=a&chatIds=b lists the tickets of both chats",
    probe: async (ctx) => {
      const a = await create(ctx, 0);
      const b = await create(ctx, 1);
      const items = await list(ctx, { status: "pending", chatIds: [ctx.chat(0), ctx.chat(1)] });
      return { listed: labels(items, { A: a.id, B: b.id }).sort() };
    },
    clean: { listed: ["A", "B"] },
    faulty: { listed: ["A"] },
  },
  "filters-or-ed": {
    expect: "chatIds=c&assigneeIds=u lists c's ticket of u, not u's ticket on another chat",
    probe: async (ctx) => {
      const both = await create(ctx, 0, { user: 1 });
      const assigneeOnly = await create(ctx, 1, { user: 1 });
      const items = await list(ctx, {
        status: "pending",
        chatIds: ctx.chat(0),
        assigneeIds: ctx.user(1),
        pageSize: 100,
      });
      const listed = new Set(labels(items, { both: both.id, assigneeOnly: assigneeOnly.id }));
      return { both: listed.has("both"), assigneeOnly: listed.has("assigneeOnly") };
    },
    clean: { both: true, assigneeOnly: false },
    faulty: { both: true, assigneeOnly: true },
  },
  "tags-match-all": {
    expect: "tagIds=t1&tagIds=t2 lists a ticket that has t1 only",
    probe: async (ctx) => {
      const a = await create(ctx, 0);
      await ok(ctx.client.attachTicketTag(a.id, { tagId: ctx.tag(0) }));
      const items = await list(ctx, {
        status: "pending",
        chatIds: ctx.chat(0),
        tagIds: [ctx.tag(0), ctx.tag(1)],
      });
      return { listed: labels(items, { A: a.id }) };
    },
    clean: { listed: ["A"] },
    faulty: { listed: [] },
  },
  "search-case-sensitive": {
    expect: "search finds the summary in its own case and in the other case",
    probe: async (ctx) => {
      const a = await create(ctx, 0);
      const search = async (text: string) =>
        labels(await list(ctx, { status: "pending", chatIds: ctx.chat(0), search: text }), {
          A: a.id,
        });
      return { sameCase: await search(a.summary), otherCase: await search(swapCase(a.summary)) };
    },
    clean: { sameCase: ["A"], otherCase: ["A"] },
    faulty: { sameCase: ["A"], otherCase: [] },
  },
  "search-ascii-case-fold": {
    expect: "search finds a summary with its letters beyond ASCII in the other case",
    probe: async (ctx) => {
      const items = await list(ctx, { status: "completed", pageSize: 100 });
      const wide = first(
        items,
        (item) => /München|Köln|Zürich|Düsseldorf/.test(item.summary),
        "summary with ü or ö",
      );
      const word = /München|Köln|Zürich|Düsseldorf/.exec(wide.summary)?.[0] as string;
      const query = { status: wide.status, chatIds: wide.chatId, includeRemoved: true };
      const found = async (search: string) =>
        labels(await list(ctx, { ...query, search }), { A: wide.id });
      return { asIs: await found(word), upper: await found(word.toUpperCase()) };
    },
    clean: { asIs: ["A"], upper: ["A"] },
    faulty: { asIs: ["A"], upper: [] },
  },
  "search-beyond-summary": {
    expect: "search matches the summary only, not the owner's name",
    probe: async (ctx) => {
      const items = await list(ctx, { status: "completed", pageSize: 100 });
      const owned = first(
        items,
        (item) => item.ownerName !== null && !item.summary.includes(item.ownerName),
        "ticket whose summary does not hold its owner's name",
      );
      const query = { status: owned.status, chatIds: owned.chatId, includeRemoved: true };
      const search = owned.ownerName as string;
      const found = labels(await list(ctx, { ...query, search }), { A: owned.id });
      return { foundByOwnerName: found.includes("A") };
    },
    clean: { foundByOwnerName: false },
    faulty: { foundByOwnerName: true },
  },
  "removed-chats-listed": {
    expect: "tickets of removed chats are listed only with includeRemoved=true",
    probe: async (ctx) => {
      const removed = async (includeRemoved?: boolean) => {
        const query = { status: "completed" as const, pageSize: 100, includeRemoved };
        return (await list(ctx, query)).some((item) => item.chatIsRemoved);
      };
      return { absent: await removed(), false: await removed(false), true: await removed(true) };
    },
    clean: { absent: false, false: false, true: true },
    faulty: { absent: true, false: true, true: true },
  },
  "oldest-first": {
    expect: "the list is ordered by createdAt descending, then id descending",
    probe: async (ctx) => {
      const items = await list(ctx, { status: "completed", pageSize: 50 });
      const pairs = items.slice(1).map((item, i) => [items[i] as TicketDetails, item] as const);
      const before = (a: TicketDetails, b: TicketDetails) =>
        Date.parse(a.createdAt) > Date.parse(b.createdAt) ||
        (a.createdAt === b.createdAt && a.id > b.id);
      if (pairs.every(([a, b]) => before(a, b))) return { order: "newest first" };
      if (pairs.every(([a, b]) => before(b, a))) return { order: "oldest first" };
      return { order: "neither" };
    },
    clean: { order: "newest first" },
    faulty: { order: "oldest first" },
  },
  "page-size-unbounded": {
    expect: "pageSize=101 answers 400",
    probe: async (ctx): Promise<Json> => {
      const response = await answer(
        ctx.client.listTicketDetails({ status: "completed", pageSize: 101 }),
      );
      return response.status === 200
        ? { status: 200, items: (response.json as TicketDetails[]).length }
        : { status: response.status };
    },
    clean: { status: 400 },
    faulty: { status: 200, items: 101 },
  },
  "page-off-by-one": {
    expect: "with pageSize=1, pages 1, 2, 3 hold the newest, second and third ticket",
    probe: async (ctx) => {
      const named: Record<string, string> = {};
      for (const [k, label] of ["oldest", "second", "newest"].entries()) {
        named[label] = (await create(ctx, k)).id;
        await sleep(TICK_MS);
      }
      const chatIds = [0, 1, 2].map((k) => ctx.chat(k));
      const page = async (pageNumber: number) =>
        labels(await list(ctx, { status: "pending", chatIds, pageSize: 1, pageNumber }), named);
      return { 1: await page(1), 2: await page(2), 3: await page(3) };
    },
    clean: { 1: ["newest"], 2: ["second"], 3: ["oldest"] },
    faulty: { 1: ["second"], 2: ["oldest"], 3: [] },
  },
  // concurrency: two requests at once, each on its own connection; a race shows only on
  // some interleavings, so each probe tries up to RACE_TRIES times and returns the first
  // observation that breaks the rule (the clean server never gives one)
  "create-check-then-insert": {
    expect: "two creates at once on one free chat: one 200, one 409, one open ticket left",
    probe: (ctx) =>
      untilRaced(
        async () => {
          const body = {
            chatId: ctx.chat(0),
            assigneeId: ctx.user(0),
            ticketingTeamId: null,
            status: "pending" as const,
          };
          const creates = await Promise.all(
            [1, 2].map(() => status(ctx.client.createTicket(body))),
          );
          const open = await openTicketsOn(ctx, ctx.chat(0));
          for (const id of open) await ok(ctx.client.completeTicket(id, { userId: ctx.user(0) }));
          return { creates: creates.sort(), openTickets: open.length };
        },
        (seen) => seen.openTickets !== 1,
      ),
    clean: { creates: [200, 409], openTickets: 1 },
    faulty: { creates: [200, 200], openTickets: 2 },
  },
  "tag-attach-check-then-write": {
    expect: "two attaches of one tag at once: one 200, one 409",
    probe: (ctx) =>
      untilRaced(
        async () => {
          const row = await create(ctx, 0);
          const attach = () => status(ctx.client.attachTicketTag(row.id, { tagId: ctx.tag(0) }));
          const attaches = await Promise.all([attach(), attach()]);
          await ok(ctx.client.removeTicketTag(row.id, ctx.tag(0)));
          await ok(ctx.client.completeTicket(row.id, { userId: ctx.user(0) }));
          return { attaches: attaches.sort() };
        },
        (seen) => !seen.attaches.includes(409),
      ),
    clean: { attaches: [200, 409] },
    faulty: { attaches: [200, 200] },
  },
  "completed-check-then-write": {
    expect: "a complete and a takeover at once: the ticket ends completed (whichever came first)",
    probe: (ctx) =>
      untilRaced(
        async () => {
          const row = await create(ctx, 0);
          await Promise.all([
            status(ctx.client.completeTicket(row.id, { userId: ctx.user(0) })),
            status(ctx.client.takeoverTicket(row.id, { assigneeId: ctx.user(1) })),
          ]);
          const after = (await details(ctx, row.id)).status;
          if (after !== "completed")
            await ok(ctx.client.completeTicket(row.id, { userId: ctx.user(0) }));
          return { after };
        },
        (seen) => seen.after !== "completed",
      ),
    clean: { after: "completed" },
    faulty: { after: "ongoing" },
  },
  "updated-at-arrival-stamp": {
    // The takeover is sent first, the assignee change 1 ms later: on the faulty server the
    // takeover (2 ms lag) lands after it, with the earlier `now` it took as it arrived.
    expect:
      "a takeover, then 1 ms later an assignee change: the one that lands last has the later updatedAt",
    probe: (ctx) =>
      untilRaced(
        async () => {
          const row = await create(ctx, 0, { user: 0 });
          const takeover = ok(ctx.client.takeoverTicket(row.id, { assigneeId: ctx.user(1) }));
          await sleep(1);
          const assign = ok(ctx.client.updateTicketAssignee(row.id, { assigneeId: ctx.user(2) }));
          const [taken, assigned] = await Promise.all([takeover, assign]);
          const last = (await details(ctx, row.id)).assigneeId === ctx.user(1) ? taken : assigned;
          const other = last === taken ? assigned : taken;
          await ok(ctx.client.completeTicket(row.id, { userId: ctx.user(0) }));
          const back = Date.parse(last.updatedAt) < Date.parse(other.updatedAt);
          // Which lands last is not observed: on a busy machine the assignee change can
          // arrive first at the clean server too; updatedAt must move on either way.
          return { updatedAt: back ? "went back" : "moved on" };
        },
        (seen) => seen.updatedAt === "went back",
      ),
    clean: { updatedAt: "moved on" },
    faulty: { updatedAt: "went back" },
  },
  // performance
  "slow-list": {
    // Its only effect is 20 ms of latency: timing is for benchmarks and load scenarios,
    // which catch it; a test asserting on time would be flaky. Its answers are checked to
    // be the clean ones below ("a fault changes only its own rule").
    exempt: "performance: shown by load scenarios, not by a test",
  },
};

const PROBE_NAMES = Object.keys(PROBES) as FaultName[];

function isExempt(entry: FaultProbe | ExemptFault): entry is ExemptFault {
  return "exempt" in entry;
}

function probeOf(name: FaultName): FaultProbe {
  const entry = PROBES[name];
  if (isExempt(entry)) throw new Error(`${name} has no probe`);
  return entry;
}

// --- servers

interface Target {
  server: ReferenceServer;
  client: TicketsClient;
}

async function open(faults: FaultName[] = []): Promise<Target> {
  const server = await startReferenceServer({
    seed: SEED,
    tickets: TICKETS,
    faults,
    apiKey: API_KEY,
  });
  return { server, client: createTicketsClient({ baseUrl: server.url, apiKeyEnv: KEY_ENV }) };
}

async function close(target: Target | undefined): Promise<void> {
  await target?.client.close();
  await target?.server.close();
}

/** Runs a probe with its own chats: the same ones on every server of the same seed. */
function run(target: Target, name: FaultName): Promise<Json> {
  return probeOf(name).probe(contextOf(target, name));
}

function contextOf(target: Target, name: FaultName): ProbeContext {
  const slot = PROBE_NAMES.indexOf(name);
  const { fixtures } = target.server;
  const pick = (ids: string[], i: number, what: string) => {
    const id = ids[i];
    if (id === undefined) throw new Error(`fixtures: no ${what} #${i}`);
    return id;
  };
  return {
    client: target.client,
    fixtures,
    chat: (k) => {
      if (k < 0 || k >= CHATS_PER_PROBE) throw new Error(`${name}: chat ${k} is not its own`);
      return pick(fixtures.chatIds, slot * CHATS_PER_PROBE + k, "free chat");
    },
    user: (k) => pick(fixtures.userIds, k, "user"),
    tag: (k) => pick(fixtures.tagIds, k, "tag"),
  };
}

let clean: Target;

beforeAll(async () => {
  vi.stubEnv(KEY_ENV, API_KEY);
  clean = await open();
});

afterAll(async () => {
  await close(clean);
  vi.unstubAllEnvs();
});

// --- the tests

describe("the fault catalog", () => {
  it("has at least 25 faults with unique names, each with a sourced rule and a description", () => {
    expect(FAULTS.length).toBeGreaterThanOrEqual(25);
    const names = FAULTS.map((fault) => fault.name);
    expect(new Set(names).size).toBe(names.length);
    for (const fault of FAULTS) {
      expect(fault.name, "kebab-case name").toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(fault.rule.trim(), `${fault.name}: rule`).toMatch(
        /^(?:docs: |PROFILE\.md |performance: )\S/,
      );
      expect(fault.description.trim(), `${fault.name}: description`).not.toBe("");
    }
  });

  it("lists as performance faults exactly those whose rule is about performance", () => {
    const performance = FAULTS.filter((fault) => fault.rule.startsWith("performance:"));
    expect([...PERFORMANCE_FAULTS].sort()).toEqual(performance.map((fault) => fault.name).sort());
    expect(PERFORMANCE_FAULTS).toContain("slow-list");
  });

  it("has a probe for every fault, and exempts only the performance faults", () => {
    expect([...PROBE_NAMES].sort()).toEqual(FAULTS.map((fault) => fault.name).sort());
    const exempt = PROBE_NAMES.filter((name) => isExempt(PROBES[name]));
    expect(exempt.sort()).toEqual([...PERFORMANCE_FAULTS].sort());
    for (const name of PROBE_NAMES) {
      const entry = PROBES[name];
      if (isExempt(entry)) continue;
      expect(entry.expect, name).not.toBe("");
      expect(entry.faulty, `${name}: the table's clean and faulty answers`).not.toEqual(
        entry.clean,
      );
    }
  });

  it("leaves enough free chats for every probe", () => {
    expect(clean.server.fixtures.chatIds.length).toBeGreaterThanOrEqual(
      PROBE_NAMES.length * CHATS_PER_PROBE,
    );
  });
});

describe("each fault manifests: a plain request the clean server answers differently", () => {
  for (const name of PROBE_NAMES) {
    const entry = PROBES[name];
    if (isExempt(entry)) {
      it.skip(`${name}: exempt (${entry.exempt})`, () => {});
      continue;
    }
    it(`${name}: clean ${entry.expect}`, async () => {
      let faulty: Target | undefined;
      try {
        faulty = await open([name]);
        expect(faulty.server.faults).toEqual([name]);
        expect(faulty.server.fixtures).toEqual(clean.server.fixtures);
        const observed = { clean: await run(clean, name), faulty: await run(faulty, name) };
        expect(observed.clean, "the clean server follows the rule").toEqual(entry.clean);
        expect(observed.faulty, "the faulty server breaks it as described").toEqual(entry.faulty);
        expect(observed.faulty).not.toEqual(observed.clean);
      } finally {
        await close(faulty);
      }
    });
  }
});

/**
 * Probes of unrelated rules, from every family: shapes, status codes, authentication,
 * robustness, lifecycle, tags, read-your-writes and the list endpoint.
 */
const UNRELATED_PROBES: FaultName[] = [
  "details-missing-workspace",
  "chat-id-without-hyphens",
  "unknown-ticket-400",
  "list-without-auth",
  "bad-json-500",
  "second-open-ticket",
  "complete-completed",
  "tag-remove-unattached",
  "stale-details-cache",
  "chat-filter-ignored",
  "search-case-sensitive",
  "removed-chats-listed",
  "page-size-unbounded",
];

describe("a fault changes only its own rule: the rest of the server stays clean", () => {
  const faults: FaultName[] = [
    "pending-messages-as-string", // shape
    "takeover-reopens-completed", // lifecycle
    "row-before-update", // lifecycle: the mutation's answer
    "first-id-only", // list: filters
    "oldest-first", // list: order
    "validation-before-auth", // authentication
    "slow-list", // performance: only its timing differs
  ];
  for (const fault of faults) {
    it(`${fault}: the probes of unrelated faults see the clean answers`, async () => {
      let target: Target | undefined;
      try {
        target = await open([fault]);
        for (const name of UNRELATED_PROBES.filter((probe) => probe !== fault)) {
          expect(await run(target, name), `${name} on a server with ${fault}`).toEqual(
            probeOf(name).clean,
          );
        }
      } finally {
        await close(target);
      }
    });
  }

  // Under tag-attach-twice the API attaches the tag again: the store must not index the
  // ticket a second time, or a list by that tag would hold it twice.
  it("tag-attach-twice: a ticket with a tag attached twice is listed once by it", async () => {
    let target: Target | undefined;
    try {
      target = await open(["tag-attach-twice"]);
      const ctx = contextOf(target, "tag-attach-twice");
      const row = await create(ctx, 1);
      await ok(ctx.client.attachTicketTag(row.id, { tagId: ctx.tag(0) }));
      await ok(ctx.client.attachTicketTag(row.id, { tagId: ctx.tag(0) }));
      const items = await list(ctx, { status: "pending", tagIds: ctx.tag(0), pageSize: 100 });
      expect(items.filter((item) => item.id === row.id)).toHaveLength(1);
    } finally {
      await close(target);
    }
  });
});
