/**
 * The ledger's cleanup against a real reference server: what a run stopped mid-request
 * may have left (a write that landed without its answer being read) is confirmed from the
 * target, not guessed; what is really left is named.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTicketsClient, type Exchange, type TicketsClient } from "../../src/client/index.js";
import {
  DEV_API_KEY,
  type ReferenceServer,
  startReferenceServer,
} from "../../src/reference/index.js";
import { cleanUp, Ledger } from "../../src/target/index.js";

let server: ReferenceServer;
let client: TicketsClient;
beforeAll(async () => {
  server = await startReferenceServer({ seed: 3, tickets: 500, apiKey: DEV_API_KEY });
  client = createTicketsClient({ baseUrl: server.url, apiKey: DEV_API_KEY });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function openTicket(chatId: string): Promise<string> {
  const user = server.fixtures.userIds[0] as string;
  const created = await client.createTicket({
    chatId,
    assigneeId: user,
    ticketingTeamId: null,
    status: "pending",
  });
  expect(created.response?.status).toBe(200);
  return (created.response?.json as { id: string } | undefined)?.id as string;
}

const completer = () => server.fixtures.userIds[0] as string;

describe("cleanup", () => {
  it("completes what the ledger knows, removes its tags, and leaves nothing", async () => {
    const chatId = server.fixtures.chatIds[0] as string;
    const ledger = new Ledger([]);
    const id = await openTicket(chatId);
    ledger.opened(id, chatId);
    const tagId = server.fixtures.tagIds[0] as string;
    await client.attachTicketTag(id, { tagId });
    ledger.tagged(id, tagId);
    expect(await cleanUp(client, ledger, completer())).toEqual([]);
    const read = await client.getTicketDetails(id);
    expect((read.response?.json as { status: string } | undefined)?.status).toBe("completed");
  });

  it("takes a ticket already completed and a tag already removed as done, after reading them", async () => {
    const chatId = server.fixtures.chatIds[1] as string;
    const id = await openTicket(chatId);
    await client.completeTicket(id, { userId: completer() });
    const ledger = new Ledger([]);
    ledger.opened(id, chatId);
    ledger.tagged(id, server.fixtures.tagIds[0] as string);
    expect(await cleanUp(client, ledger, completer())).toEqual([]);
  });

  it("finds and completes a ticket on a chat whose create got no answer", async () => {
    const chatId = server.fixtures.chatIds[2] as string;
    const id = await openTicket(chatId);
    const ledger = new Ledger([]);
    ledger.sending("createTicket", { chatId });
    expect(ledger.unanswered.has(chatId)).toBe(true);
    expect(await cleanUp(client, ledger, completer())).toEqual([]);
    expect(ledger.openItems()).toEqual({ tickets: [], tags: [], chats: [] });
    const read = await client.getTicketDetails(id);
    expect((read.response?.json as { status: string } | undefined)?.status).toBe("completed");
  });

  it("names what it could not undo", async () => {
    const ghost = "00000000-0000-4000-8000-000000000001";
    const ledger = new Ledger([]);
    ledger.opened(ghost, server.fixtures.chatIds[3] as string);
    ledger.tagged(ghost, server.fixtures.tagIds[0] as string);
    const tagId = server.fixtures.tagIds[0] as string;
    const left = await cleanUp(client, ledger, completer());
    expect(left).toEqual([
      {
        kind: "tag",
        ticketId: ghost,
        tagId,
        reason: "removal answered 404; not confirmed: its ticket's details answered 404",
        curl: `curl -sS -X DELETE "$TICKETS_BASE_URL"'/api/v1/tickets/${ghost}/tags/${tagId}' -H "authorization: $TICKETS_API_KEY"`,
      },
      {
        kind: "ticket",
        ticketId: ghost,
        chatId: server.fixtures.chatIds[3],
        reason: "complete answered 404; its details answered 404",
        curl: `curl -sS -X PATCH "$TICKETS_BASE_URL"'/api/v1/tickets/${ghost}/complete' -H "authorization: $TICKETS_API_KEY" -H 'content-type: application/json' --data-raw '{"userId":"${completer()}"}'`,
      },
    ]);
    // What is left stays in the ledger, for a later cleanup to try again.
    expect(ledger.openItems().tickets).toEqual([{ id: ghost, chatId: server.fixtures.chatIds[3] }]);
    expect(ledger.openItems().tags).toEqual([{ ticketId: ghost, tagId }]);
  });
});

describe("the ledger believes only a readable answer", () => {
  const chatId = "10000000-0000-4000-8000-000000000001";
  const ticketId = "20000000-0000-4000-8000-000000000002";
  const tagId = "30000000-0000-4000-8000-000000000003";
  const base = "http://target.test/api/v1/tickets";
  const answer = (status: number, body: unknown) => ({
    status,
    headers: {},
    rawBody: typeof body === "string" ? body : JSON.stringify(body),
    ...(typeof body === "string" ? { parseError: "not JSON" } : { json: body }),
  });
  const exchange = (
    operationId: Exchange<unknown>["operationId"],
    url: string,
    body: unknown,
    response?: ReturnType<typeof answer>,
  ): Exchange<unknown> => ({
    operationId,
    request: { method: "POST", url, headers: {}, body: JSON.stringify(body) },
    ...(response ? { response } : { error: { kind: "timeout", message: "timed out" } }),
    timing: { startedAt: "", durationMs: 1 },
  });
  const create = (response?: ReturnType<typeof answer>) =>
    exchange("createTicket", base, { chatId, status: "pending" }, response);
  const complete = (response?: ReturnType<typeof answer>) =>
    exchange("completeTicket", `${base}/${ticketId}/complete`, { userId: "u" }, response);

  it("counts a create only with a 2xx JSON ticket; anything else keeps its chat to search", () => {
    for (const response of [
      answer(200, "{not json"),
      answer(200, []),
      answer(502, { message: "bad gateway" }),
      undefined,
    ]) {
      const ledger = new Ledger([chatId]);
      expect(ledger.chats.take()).toBe(chatId);
      ledger.record(create(response));
      expect(ledger.openItems()).toEqual({ tickets: [], tags: [], chats: [{ chatId }] });
      // Its chat does not go back to the pool: the create may have landed.
      ledger.chats.giveBack(chatId);
      expect(ledger.chats.take()).toBeUndefined();
    }
    const ledger = new Ledger([]);
    ledger.sending("createTicket", JSON.stringify({ chatId }));
    ledger.record(create(answer(200, { id: ticketId, chatId, status: "pending" })));
    expect(ledger.openItems()).toEqual({
      tickets: [{ id: ticketId, chatId }],
      tags: [],
      chats: [],
    });
    const refused = new Ledger([]);
    refused.sending("createTicket", { chatId });
    refused.record(create(answer(400, { message: "bad" })));
    expect(refused.empty).toBe(true);
    // A 409: the chat holds a ticket. The run's own, known: nothing to search; else it stays.
    const busy = new Ledger([]);
    busy.opened(ticketId, chatId);
    busy.sending("createTicket", { chatId });
    busy.record(create(answer(409, { message: "busy" })));
    expect(busy.unanswered.size).toBe(0);
    const unknown = new Ledger([]);
    unknown.sending("createTicket", { chatId });
    unknown.record(create(answer(409, { message: "busy" })));
    expect([...unknown.unanswered]).toEqual([chatId]);
  });

  it("counts a complete only with a 2xx JSON answer of this ticket, completed", () => {
    const unread = [
      answer(200, "<html>"),
      answer(200, []),
      answer(200, { id: "another", status: "completed" }),
      answer(200, { id: ticketId, status: "ongoing" }),
      answer(500, { message: "oops" }),
      undefined,
    ];
    for (const response of unread) {
      const ledger = new Ledger([]);
      ledger.opened(ticketId, chatId);
      ledger.record(complete(response));
      expect(ledger.openItems().tickets).toEqual([{ id: ticketId, chatId }]);
    }
    const ledger = new Ledger([]);
    ledger.opened(ticketId, chatId);
    ledger.record(complete(answer(200, { id: ticketId, chatId, status: "completed" })));
    expect(ledger.empty).toBe(true);
  });

  it("keeps an attach sent until it is refused, and a removal until it is answered in JSON", () => {
    const attach = (response?: ReturnType<typeof answer>) =>
      exchange("attachTicketTag", `${base}/${ticketId}/tags`, { tagId }, response);
    const ledger = new Ledger([]);
    ledger.sending("attachTicketTag", { tagId }, ticketId);
    expect(ledger.openItems().tags).toEqual([{ ticketId, tagId }]);
    ledger.record(attach(answer(404, { message: "no such tag" })));
    expect(ledger.openItems().tags).toEqual([]);
    ledger.record(attach(answer(200, "{")));
    expect(ledger.openItems().tags).toEqual([{ ticketId, tagId }]);
    const remove = (response: ReturnType<typeof answer>) =>
      exchange("removeTicketTag", `${base}/${ticketId}/tags/${tagId}`, undefined, response);
    ledger.record(remove(answer(200, "ok")));
    expect(ledger.openItems().tags).toEqual([{ ticketId, tagId }]);
    ledger.record(remove(answer(200, { message: "removed" })));
    expect(ledger.openItems().tags).toEqual([]);
  });

  it("a chat a race left with two open tickets is free once both are completed, and once", () => {
    const ledger = new Ledger(["chat-a", "chat-b"]);
    const chat = ledger.chats.take() as string;
    ledger.opened("ticket-1", chat);
    ledger.opened("ticket-2", chat);
    ledger.completed("ticket-1");
    expect(ledger.chats.holds(chat)).toBe(true);
    expect([ledger.chats.take(), ledger.chats.take()]).toEqual(["chat-b", undefined]);
    ledger.completed("ticket-2");
    expect([ledger.chats.take(), ledger.chats.take()]).toEqual([chat, undefined]);
  });
});
