/**
 * PROFILE.md "The two ticket shapes", against the clean reference server this file starts. The
 * rules are restated here on purpose, not imported from src/: see ./support.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketDetails, TicketRow } from "../../../contracts/types.js";
import type { Exchange } from "../../../src/client/exchange.js";
import {
  client,
  create,
  details,
  idsOf,
  listPage,
  ok,
  STATUSES,
  seeded,
  seen,
  sharedFields,
  startRulesServer,
  stopRulesServers,
  tagId,
  teamId,
  UUID_V4,
  userId,
  validator,
} from "./support.js";

beforeAll(startRulesServer);
afterAll(stopRulesServers);

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

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
