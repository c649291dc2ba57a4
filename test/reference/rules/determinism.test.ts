/**
 * The reference server's determinism (no section of PROFILE.md of its own): the same seed
 * and ticket count give byte-identical data, another seed other data.
 * The expectations are restated here on purpose, not imported from src/: see ./support.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketDetails } from "../../../contracts/types.js";
import type { SendRequest, TicketsClient } from "../../../src/client/index.js";
import {
  connectTo,
  expectResponse,
  refused,
  SEED,
  STATUSES,
  server,
  start,
  startRulesServer,
  stopRulesServers,
} from "./support.js";

beforeAll(startRulesServer);
afterAll(stopRulesServers);

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
