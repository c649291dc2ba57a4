/**
 * The ledger's cleanup against a real reference server: what a run stopped mid-request
 * may have left (a write that landed without its answer being read) is confirmed from the
 * target, not guessed; what is really left is named.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTicketsClient, type TicketsClient } from "../../src/client/index.js";
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
    ledger.unanswered.add(chatId);
    expect(await cleanUp(client, ledger, completer())).toEqual([]);
    const read = await client.getTicketDetails(id);
    expect((read.response?.json as { status: string } | undefined)?.status).toBe("completed");
  });

  it("names what it could not undo", async () => {
    const ghost = "00000000-0000-4000-8000-000000000001";
    const ledger = new Ledger([]);
    ledger.opened(ghost, server.fixtures.chatIds[3] as string);
    ledger.tagged(ghost, server.fixtures.tagIds[0] as string);
    expect(await cleanUp(client, ledger, completer())).toEqual([
      `tag ${server.fixtures.tagIds[0]} still attached to ticket ${ghost}`,
      `ticket ${ghost} not completed`,
    ]);
  });
});
