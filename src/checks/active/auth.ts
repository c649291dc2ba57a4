/**
 * auth_required: every operation, without a key, with an empty key and with a wrong key,
 * answers 401, before any validation, and changes nothing. The wrong keys include the
 * nearest ones (the key without its last character, with one added, in the other case:
 * a comparison by prefix or without case is caught), and the nearest thing to a wrong key
 * that is still the key (the key with whitespace around it, which RFC 9110 5.5 says is no
 * part of a field value) must be accepted.
 */
import { type NearKey, routeRequest, type SendRequest } from "../../client/index.js";
import { OPEN_STATUSES } from "../../contract/profile-facts.js";
import type { ActiveCheck, CheckContext } from "../context.js";
import { readDetails, sampleTicket } from "./samples.js";

type Auth = NonNullable<SendRequest["auth"]>;
const BAD_KEYS: { label: string; auth: Auth }[] = [
  { label: "no key", auth: "none" },
  { label: "an empty key", auth: { value: "" } },
  { label: "a wrong key", auth: { value: "wrong-key-tickets-harness" } },
];
const NEAR_LABELS: Record<NearKey, string> = {
  truncated: "the key without its last character",
  extended: "the key with a character added",
  "case-flipped": "the key in the other case",
  padded: "the key with a space before and after",
};

/** The wrong keys of this run: the fixed ones and the nearest variants of the key. */
function badKeys(context: CheckContext): { label: string; auth: Auth }[] {
  const near = context.nearKeys.filter((variant) => variant !== "padded");
  return [
    ...BAD_KEYS,
    ...near.map((variant) => ({ label: NEAR_LABELS[variant], auth: { near: variant } })),
  ];
}

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
    if (context.nearKeys.includes("padded")) {
      const padded = await context.api.send({
        ...routeRequest("listTicketDetails", {}, { query: { status: "pending" } }),
        auth: { near: "padded" },
      });
      context.expectStatus(
        padded,
        `list with ${NEAR_LABELS.padded} (RFC 9110 5.5: not part of the value)`,
        200,
      );
    }
    if (context.options.readOnly) {
      context.notes.push("read-only: the write operations were not tried without a key");
      return;
    }
    await writesWithoutKey(context);
  },
};

async function expectUnauthorized(context: CheckContext, requests: SendRequest[]): Promise<void> {
  for (const request of requests) {
    for (const { label, auth } of badKeys(context)) {
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
