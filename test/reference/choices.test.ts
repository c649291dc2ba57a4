/**
 * The other sides of the open choices (src/reference/choices.ts) are real: each makes the
 * server answer a plain request another way than the default does, and the answer is still
 * one the docs and PROFILE.md allow. (The mutation matrix runs the whole suite against each
 * and all together: test/mutation/matrix.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { TicketRow } from "../../contracts/types.js";
import type { Exchange } from "../../src/client/exchange.js";
import { createTicketsClient, type TicketsClient } from "../../src/client/index.js";
import {
  CHOICES,
  type ChoiceName,
  DEV_API_KEY,
  type ReferenceServer,
  startReferenceServer,
} from "../../src/reference/index.js";

const UNKNOWN = "3b0f6c1e-9d2a-4e8b-a7c5-1f4d8e2b6a90";
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Target {
  client: TicketsClient;
  server: ReferenceServer;
}

function answer<T>(exchange: Exchange<T>) {
  if (!exchange.response) throw new Error(exchange.error?.message);
  return exchange.response;
}

/** A request the client would not send (another method, an unknown parameter or field): its status. */
async function rawStatus(target: Target, method: string, path: string, body?: unknown) {
  const response = await fetch(`${target.server.url}${path}`, {
    method,
    headers: { authorization: DEV_API_KEY, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The digits of a timestamp's fraction of a second. */
function fractionDigits(value: string): number {
  return /\.(\d+)/.exec(value)?.[1]?.length ?? 0;
}

async function created(target: Target): Promise<TicketRow> {
  const { chatIds, userIds } = target.server.fixtures;
  const exchange = await target.client.createTicket({
    chatId: chatIds[0] as string,
    assigneeId: userIds[0] as string,
    ticketingTeamId: null,
    status: "pending",
  });
  return answer(exchange).json as TicketRow;
}

/** One plain observation per choice: the default answers `clean`, the other side `other`. */
const PROBES: Record<
  ChoiceName,
  { probe: (t: Target) => Promise<Json>; clean: Json; other: Json }
> = {
  "complete-clears-assignee": {
    probe: async (t) => {
      const row = await created(t);
      const done = answer(
        await t.client.completeTicket(row.id, { userId: row.assigneeId as string }),
      );
      return (done.json as TicketRow).assigneeId === null ? "cleared" : "kept";
    },
    clean: "kept",
    other: "cleared",
  },
  "complete-assigns-completer": {
    probe: async (t) => {
      const row = await created(t);
      const completer = t.server.fixtures.userIds[1] as string;
      const done = answer(await t.client.completeTicket(row.id, { userId: completer }));
      return (done.json as TicketRow).assigneeId === completer ? "completer" : "kept";
    },
    clean: "kept",
    other: "completer",
  },
  "fixture-chats-removed": {
    probe: async (t) => {
      const row = await created(t);
      const read = answer(await t.client.getTicketDetails(row.id)).json as {
        chatIsRemoved: boolean;
      };
      const listed = answer(
        await t.client.listTicketDetails({ status: "pending", chatIds: row.chatId }),
      );
      return { chatIsRemoved: read.chatIsRemoved, listed: (listed.json as unknown[]).length };
    },
    clean: { chatIsRemoved: false, listed: 1 },
    other: { chatIsRemoved: true, listed: 0 },
  },
  "created-as-takeover": {
    probe: async (t) => (await created(t)).circumstance,
    clean: "handover",
    other: "takeover",
  },
  "unknown-reference-400": {
    probe: async (t) => {
      const { userIds } = t.server.fixtures;
      const body = {
        chatId: UNKNOWN,
        assigneeId: userIds[0] as string,
        ticketingTeamId: null,
        status: "pending" as const,
      };
      return answer(await t.client.createTicket(body)).status;
    },
    clean: 404,
    other: 400,
  },
  "timestamps-with-offset": {
    probe: async (t) => {
      const { createdAt } = await created(t);
      return createdAt.endsWith("Z") ? "Z" : createdAt.slice(-6);
    },
    clean: "Z",
    other: "+05:30",
  },
  "timestamps-second-precision": {
    probe: async (t) => {
      const { createdAt } = await created(t);
      const seeded = answer(await t.client.listTicketDetails({ status: "completed" })).json as {
        createdAt: string;
      }[];
      return [createdAt, ...seeded.map((item) => item.createdAt)].map(fractionDigits);
    },
    clean: Array(11).fill(3),
    other: Array(11).fill(0),
  },
  "timestamps-microseconds": {
    probe: async (t) => {
      const row = await created(t);
      return [row.createdAt, row.updatedAt].map(fractionDigits);
    },
    clean: [3, 3],
    other: [6, 6],
  },
  "chunked-responses": {
    probe: async (t) => {
      const { headers } = answer(await t.client.listTicketDetails({ status: "pending" }));
      return {
        framing: headers["transfer-encoding"] ?? null,
        length: "content-length" in headers,
      };
    },
    clean: { framing: null, length: true },
    other: { framing: "chunked", length: false },
  },
  "connection-close": {
    probe: async (t) =>
      answer(await t.client.listTicketDetails({ status: "pending" })).headers.connection ??
      "keep-alive",
    clean: "keep-alive",
    other: "close",
  },
  "gzip-responses": {
    probe: async (t) => {
      const response = answer(await t.client.listTicketDetails({ status: "pending" }));
      return {
        coding: response.headers["content-encoding"] ?? null,
        items: (response.json as unknown[]).length,
      };
    },
    clean: { coding: null, items: 10 },
    other: { coding: "gzip", items: 10 },
  },
  "timestamps-lower-case": {
    probe: async (t) => {
      const { createdAt } = await created(t);
      return [createdAt.charAt(10), createdAt.slice(-1)];
    },
    clean: ["T", "Z"],
    other: ["t", "z"],
  },
  "owner-fields-filled": {
    probe: async (t) => {
      const page = answer(await t.client.listTicketDetails({ status: "completed", pageSize: 100 }))
        .json as {
        ownerEntity: string;
        ownerEmail: string;
        ownerIdentifier: string | null;
        isOwnerBlocked: boolean | null;
      }[];
      const owned = page.find((item) => item.ownerEntity === "user");
      return owned
        ? {
            identifier:
              owned.ownerIdentifier === owned.ownerEmail ? "the email" : owned.ownerIdentifier,
            blocked: owned.isOwnerBlocked,
          }
        : "no user-owned chat";
    },
    clean: { identifier: null, blocked: null },
    other: { identifier: "the email", blocked: false },
  },
  "few-seeded-tickets": {
    probe: async (t) => {
      const pages = await Promise.all(
        (["pending", "ongoing", "completed"] as const).map(async (status) => {
          const query = { status, includeRemoved: true, pageSize: 100 };
          return answer(await t.client.listTicketDetails(query)).json as {
            chatIsRemoved: boolean;
          }[];
        }),
      );
      const all = pages.flat();
      return {
        few: all.length < 50,
        everyStatus: pages.every((page) => page.length > 0),
        removedAmongThem: all.some((item) => item.chatIsRemoved),
      };
    },
    clean: { few: false, everyStatus: true, removedAmongThem: true },
    other: { few: true, everyStatus: true, removedAmongThem: true },
  },
  "unknown-method-404": {
    probe: (t) => rawStatus(t, "PUT", "/api/v1/tickets/details"),
    clean: 405,
    other: 404,
  },
  "unknown-query-parameter-400": {
    probe: (t) => rawStatus(t, "GET", "/api/v1/tickets/details?status=pending&sort=createdAt"),
    clean: 200,
    other: 400,
  },
  "unknown-body-field-400": {
    probe: async (t) => {
      const { chatIds, userIds } = t.server.fixtures;
      const body = {
        chatId: chatIds[0],
        assigneeId: userIds[0],
        ticketingTeamId: null,
        status: "pending",
        priority: "high",
      };
      return rawStatus(t, "POST", "/api/v1/tickets", body);
    },
    clean: 200,
    other: 400,
  },
  "uuid-v4-only": {
    // A version 1 UUID (RFC 4122 appendix B's namespace DNS id), then one of version 7.
    probe: async (t) => [
      answer(await t.client.getTicketDetails("6ba7b810-9dad-11d1-80b4-00c04fd430c8")).status,
      answer(await t.client.getTicketDetails("01890a5d-ac96-774b-bcce-b302099a8057")).status,
    ],
    clean: [404, 404],
    other: [400, 400],
  },
  "read-sets-last-viewed": {
    probe: async (t) => {
      const row = await created(t);
      const read = Date.now();
      answer(await t.client.getTicketDetails(row.id));
      const assigned = answer(
        await t.client.updateTicketAssignee(row.id, { assigneeId: row.assigneeId as string }),
      ).json as TicketRow;
      if (assigned.lastViewedAt === null) return "null";
      return Date.parse(assigned.lastViewedAt) >= read - 1
        ? "the read's now"
        : assigned.lastViewedAt;
    },
    clean: "null",
    other: "the read's now",
  },
  "error-bodies-with-details": {
    probe: async (t) =>
      Object.keys(answer(await t.client.getTicketDetails(UNKNOWN)).json as object).sort(),
    clean: ["message"],
    other: ["code", "details", "message"],
  },
  "json-without-charset": {
    probe: async (t) =>
      answer(await t.client.listTicketDetails({ status: "pending" })).headers["content-type"] ??
      null,
    clean: "application/json; charset=utf-8",
    other: "application/json",
  },
  "extra-response-headers": {
    probe: async (t) =>
      "x-request-id" in answer(await t.client.listTicketDetails({ status: "pending" })).headers,
    clean: false,
    other: true,
  },
};

async function start(choices: string[]): Promise<Target> {
  const server = await startReferenceServer({
    seed: 12,
    tickets: 300,
    apiKey: DEV_API_KEY,
    choices,
  });
  return { server, client: createTicketsClient({ baseUrl: server.url, apiKey: DEV_API_KEY }) };
}

async function stop(target: Target): Promise<void> {
  await target.client.close();
  await target.server.close();
}

describe("the other sides of the open choices", () => {
  it("has a probe for every choice of the catalog", () => {
    expect(Object.keys(PROBES).sort()).toEqual(CHOICES.map((choice) => choice.name).sort());
  });

  it.each(CHOICES.map((choice) => [choice.name, choice.description] as const))(
    "%s: %s",
    async (name) => {
      const probe = PROBES[name];
      const other = await start([name]);
      try {
        expect(await probe.probe(other)).toEqual(probe.other);
      } finally {
        await stop(other);
      }
      // A probe uses the first fixture chat: a fresh clean server for each.
      const fresh = await start([]);
      try {
        expect(await probe.probe(fresh)).toEqual(probe.clean);
      } finally {
        await stop(fresh);
      }
    },
  );
});
