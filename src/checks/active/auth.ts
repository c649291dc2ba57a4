/**
 * auth_required: every operation, without a key, with an empty key and with a wrong key,
 * answers 401, before any validation, and changes nothing.
 */
import { routeRequest, type SendRequest } from "../../client/index.js";
import { OPEN_STATUSES } from "../../contract/profile-facts.js";
import type { ActiveCheck, CheckContext } from "../context.js";
import { readDetails, sampleTicket } from "./samples.js";

type Auth = NonNullable<SendRequest["auth"]>;
const BAD_KEYS: { label: string; auth: Auth }[] = [
  { label: "no key", auth: "none" },
  { label: "an empty key", auth: { value: "" } },
  { label: "a wrong key", auth: { value: "wrong-key-tickets-harness" } },
];

export const authRequired: ActiveCheck = {
  id: "auth_required",
  title:
    "Every operation needs the API key: 401 without it, before validation, with no side effect",
  source: "profile",
  section: "PROFILE.md Authentication",
  rule: "Missing, empty or wrong key: `401` on every endpoint, before any validation of the rest of the request, and no side effect.",
  mutates: true,
  async run(context) {
    const ticket = await sampleTicket(context);
    const reads: SendRequest[] = [
      routeRequest("listTicketDetails", {}, { query: { status: "pending" } }),
      routeRequest("getTicketDetails", { id: "not-a-uuid" }),
    ];
    if (ticket) reads.push(routeRequest("getTicketDetails", { id: ticket.id }));
    await expectUnauthorized(context, reads);
    if (context.options.readOnly) {
      context.notes.push("read-only: the write operations were not tried without a key");
      return;
    }
    await writesWithoutKey(context);
  },
};

async function expectUnauthorized(context: CheckContext, requests: SendRequest[]): Promise<void> {
  for (const request of requests) {
    for (const { label, auth } of BAD_KEYS) {
      const exchange = await context.api.send({ ...request, auth });
      context.expectStatus(exchange, `${request.method} ${request.path} with ${label}`, 401);
    }
  }
}

/** Every write, without a valid key, against a real ticket: 401, and the ticket unchanged. */
async function writesWithoutKey(context: CheckContext): Promise<void> {
  const row = await context.newTicket("pending");
  if (!row) return;
  const { userIds, tagIds } = context.fixtures;
  const tagId = tagIds[0] as string;
  const otherUser = (userIds[1] ?? userIds[0]) as string;
  await context.api.attachTicketTag(row.id, { tagId }); // so that a removal could change something
  const before = await readDetails(context, row.id);
  const chatId = context.chats.take();
  const writes: SendRequest[] = [
    routeRequest("completeTicket", { id: row.id }, { body: { userId: otherUser } }),
    routeRequest("takeoverTicket", { id: row.id }, { body: { assigneeId: otherUser } }),
    routeRequest("updateTicketAssignee", { id: row.id }, { body: { assigneeId: otherUser } }),
    routeRequest("removeTicketTag", { ticketId: row.id, tagId }),
    routeRequest("attachTicketTag", { ticketId: row.id }, { body: { tagId: tagIds[1] ?? tagId } }),
    routeRequest("completeTicket", { id: "not-a-uuid" }, { body: {} }),
  ];
  if (chatId) {
    const body = { chatId, assigneeId: otherUser, ticketingTeamId: null, status: "ongoing" };
    writes.push(routeRequest("createTicket", {}, { body }));
  }
  await expectUnauthorized(context, writes);
  const after = await readDetails(context, row.id);
  if (before && after && JSON.stringify(before) !== JSON.stringify(after)) {
    context.fail(`writes without a valid key changed ticket ${row.id}`, {
      expected: JSON.stringify(before),
      actual: JSON.stringify(after),
    });
  }
  if (chatId) await expectNoOpenTicket(context, chatId);
}

async function expectNoOpenTicket(context: CheckContext, chatId: string): Promise<void> {
  for (const status of OPEN_STATUSES) {
    const exchange = await context.api.listTicketDetails({
      status,
      chatIds: chatId,
      includeRemoved: true,
    });
    const found = exchange.response?.json;
    if (Array.isArray(found) && found.length > 0) {
      context.fail(`a create without a valid key made a ${status} ticket on chat ${chatId}`, {
        exchange,
      });
    }
  }
}
