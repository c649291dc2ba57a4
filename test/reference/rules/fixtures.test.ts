/**
 * PROFILE.md "Fixtures", against the clean reference server this file starts. The
 * rules are restated here on purpose, not imported from src/: see ./support.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketRow } from "../../../contracts/types.js";
import type { TicketsClient } from "../../../src/client/index.js";
import type { ReferenceServer } from "../../../src/reference/index.js";
import {
  badKeys,
  connectTo,
  listPage,
  ok,
  pick,
  refused,
  SEED,
  STATUSES,
  seeded,
  server,
  start,
  startRulesServer,
  stopRulesServers,
  UUID_V4,
} from "./support.js";

beforeAll(startRulesServer);
afterAll(stopRulesServers);

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
