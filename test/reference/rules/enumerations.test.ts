/**
 * PROFILE.md "Enumerations", against the clean reference server this file starts. The
 * rules are restated here on purpose, not imported from src/: see ./support.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketDetails, TicketRow } from "../../../contracts/types.js";
import {
  client,
  create,
  listPage,
  ok,
  PROFILE_ENUMS,
  refused,
  STATUSES,
  seeded,
  startRulesServer,
  stopRulesServers,
  TICKETS,
  userId,
} from "./support.js";

beforeAll(startRulesServer);
afterAll(stopRulesServers);

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
