/**
 * PROFILE.md "Authentication", against the clean reference server this file starts. The
 * rules are restated here on purpose, not imported from src/: see ./support.ts.
 */
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketDetails, TicketRow } from "../../../contracts/types.js";
import type { SendRequest } from "../../../src/client/index.js";
import {
  BODY_OPERATIONS,
  badKeys,
  client,
  create,
  details,
  ENDPOINTS,
  type Endpoint,
  expectResponse,
  idsOf,
  MUTATIONS,
  ok,
  openTicketsOfChat,
  refused,
  requestTo,
  seeded,
  server,
  startRulesServer,
  stateOf,
  stopRulesServers,
  type Target,
  tagId,
  takeChat,
  ticketsOfChat,
} from "./support.js";

beforeAll(startRulesServer);
afterAll(stopRulesServers);

/** Sends a raw HTTP/1.1 GET (a request target no HTTP client would send); status and body. */
function rawGet(
  target: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to GET ${target} within 5 s`));
    }, 5_000);
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const split = text.indexOf("\r\n\r\n");
      resolve({ status: Number(text.split(" ")[1]), body: text.slice(split + 4) });
    });
    const head = [`GET ${target} HTTP/1.1`, "host: 127.0.0.1", "connection: close"];
    for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
    socket.write(`${head.join("\r\n")}\r\n\r\n`);
  });
}

describe("Authentication", () => {
  let target: Target;
  let ticket: TicketRow;

  beforeAll(async () => {
    ticket = await create();
    target = { ticketId: ticket.id, chatId: takeChat(), removeTagId: tagId(0) };
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(0) }));
  });

  it("the client really sends an empty key as an empty header", async () => {
    const exchange = await client.send({
      ...requestTo("getTicketDetails", target),
      auth: { value: "" },
    });
    expect(exchange.request.headers.authorization).toBe("");
    expectResponse(exchange, 401);
  });

  it.each(ENDPOINTS)(
    "%s: no key, an empty key or a wrong key: 401 with a JSON {message}",
    async (endpoint) => {
      for (const [label, auth] of badKeys()) {
        const exchange = await client.send({ ...requestTo(endpoint, target), auth });
        expect(exchange.response?.status, `${endpoint} with ${label}`).toBe(401);
        expectResponse(exchange, 401);
      }
    },
  );

  it.each(ENDPOINTS)(
    "%s: 401 comes before any validation of the rest of the request",
    async (endpoint) => {
      const completed = seeded.completed[0] as TicketDetails;
      const invalid: SendRequest[] = [
        requestTo(endpoint, target, { ticketId: "not-a-uuid", tagId: "not-a-uuid" }),
        requestTo(endpoint, target, { ticketId: randomUUID() }), // 404 with the key
        requestTo(endpoint, target, { ticketId: completed.id }), // 409 for a lifecycle change
        requestTo(endpoint, target, { query: { status: "closed", pageSize: 0, chatIds: "x" } }),
        requestTo(endpoint, target, { query: {} }),
      ];
      if ((BODY_OPERATIONS as readonly string[]).includes(endpoint)) {
        invalid.push(
          requestTo(endpoint, target, { rawBody: "{not json" }),
          requestTo(endpoint, target, { body: [] }),
          requestTo(endpoint, target, { body: {} }),
          requestTo(endpoint, target, { body: { chatId: 1, userId: 1, assigneeId: 1, tagId: 1 } }),
        );
      }
      for (const request of invalid) {
        for (const auth of ["none", { value: "wrong-api-key" }] as const) {
          await refused(client.send({ ...request, auth }), 401);
        }
      }
    },
  );

  it("401 before routing: an unknown path, a method a path does not answer, a malformed path", async () => {
    const requests: SendRequest[] = [
      { method: "GET", path: "/api/v1/nothing-here" },
      { method: "PUT", path: "/api/v1/tickets" },
      { method: "GET", path: "/api/v1/tickets/%zz/details" },
    ];
    for (const request of requests) {
      await refused(client.send({ ...request, auth: "none" }), 401);
      await refused(client.send({ ...request, auth: { value: "wrong-api-key" } }), 401);
    }
    // With the key, the same requests are refused for what they are.
    await refused(client.send(requests[0] as SendRequest), 404);
    await refused(client.send(requests[1] as SendRequest), 405);
    await refused(client.send(requests[2] as SendRequest), 400);
  });

  it("401 even for a request target the server cannot parse", async () => {
    const without = await rawGet("http://[/", {});
    expect(without.status, without.body).toBe(401);
    expect(JSON.parse(without.body)).toEqual({ message: expect.any(String) });
    const withKey = await rawGet("http://[/", { authorization: server.apiKey });
    expect(withKey.status, withKey.body).toBe(400);
  });

  it.each(MUTATIONS)("%s with a wrong or no key has no side effect", async (endpoint) => {
    const before = await stateOf(ticket, [tagId(0), tagId(5)]);
    const chatBefore = idsOf(await ticketsOfChat(target.chatId));
    expect(before.tagged).toEqual([true, false]);
    for (const auth of ["none", { value: "wrong-api-key" }] as const) {
      await refused(client.send({ ...requestTo(endpoint, target), auth }), 401);
    }
    expect(await stateOf(ticket, [tagId(0), tagId(5)])).toEqual(before);
    expect(idsOf(await ticketsOfChat(target.chatId))).toEqual(chatBefore);
  });

  it("the same requests with the key succeed: the 401s were the key's doing", async () => {
    const order: Endpoint[] = [
      "fixtures",
      "getTicketDetails",
      "listTicketDetails",
      "attachTicketTag",
      "removeTicketTag",
      "updateTicketAssignee",
      "takeoverTicket",
      "completeTicket",
      "createTicket",
    ];
    for (const endpoint of order) await ok(client.send(requestTo(endpoint, target)));
    expect((await details(ticket.id)).status).toBe("completed");
    expect(await openTicketsOfChat(target.chatId)).toHaveLength(1);
  });
});
