/**
 * PROFILE.md "Errors" (400, 404 and the rest), against the clean reference server this file
 * starts. The rules are restated here on purpose, not imported from src/: see ./support.ts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreateTicketBody, TicketRow } from "../../../contracts/types.js";
import type { Exchange } from "../../../src/client/exchange.js";
import type { SendRequest } from "../../../src/client/index.js";
import {
  BODY_OPERATIONS,
  client,
  create,
  expectResponse,
  hasTag,
  idsOf,
  listPage,
  NON_V4_UUID,
  ok,
  PATH_ID_OPERATIONS,
  refused,
  requestTo,
  startRulesServer,
  stateOf,
  stopRulesServers,
  type Target,
  tagId,
  takeChat,
  ticketsOfChat,
  validBody,
} from "./support.js";

beforeAll(startRulesServer);
afterAll(stopRulesServers);

const NOT_UUIDS = ["not-a-uuid", "12345", "6ba7b810-9dad-11d1-80b4-00c04fd430c", "{6ba7b810}"];

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
