/**
 * negative_data_rejection: every kind of input the contract rules out is refused with the
 * profile's 400 (never accepted, never a 5xx), and refusing it changes nothing.
 */
import { type QueryParams, routeRequest, type SendRequest } from "../../client/index.js";
import { ID_FILTERS, OPEN_STATUSES } from "../../contract/profile-facts.js";
import type { ActiveCheck, CheckContext } from "../context.js";
import { readDetails } from "./samples.js";

const NOT_UUIDS = [
  "not-a-uuid",
  "123",
  "6ba7b810-9dad-11d1-80b4",
  "zzzzzzzz-zzzz-4zzz-8zzz-zzzzzzzzzzzz",
];

interface Case {
  label: string;
  request: SendRequest;
}

function listCases(): Case[] {
  const list = (label: string, query: QueryParams): Case => ({
    label: `list with ${label}`,
    request: routeRequest("listTicketDetails", {}, { query }),
  });
  const cases = [
    list("no status", { pageSize: 10 }),
    list("an unknown status", { status: "closed" }),
    list("two statuses", { status: [...OPEN_STATUSES] }),
    ...["0", "101", "2.5", "-1", "ten", ""].map((size) =>
      list(`pageSize=${size}`, { status: "pending", pageSize: size }),
    ),
    ...["0", "-3", "1.5", "first", ""].map((page) =>
      list(`pageNumber=${page}`, { status: "pending", pageNumber: page }),
    ),
    ...["yes", "1", "TRUE", ""].map((value) =>
      list(`includeRemoved=${value}`, { status: "pending", includeRemoved: value }),
    ),
  ];
  for (const filter of ID_FILTERS) {
    cases.push(list(`a non-UUID in ${filter}`, { status: "pending", [filter]: "not-a-uuid" }));
  }
  return cases;
}

function pathCases(): Case[] {
  const cases: Case[] = [];
  for (const id of NOT_UUIDS) {
    cases.push({
      label: `details of ticket id "${id}"`,
      request: routeRequest("getTicketDetails", { id }),
    });
  }
  return cases;
}

/** Bodies the contract rules out, each on an operation that takes a body, for a real ticket. */
function bodyCases(ticketId: string, context: CheckContext): Case[] {
  const user = context.fixtures.userIds[0] as string;
  const tag = context.fixtures.tagIds[0] as string;
  const writes: [SendRequest, Record<string, unknown>][] = [
    [routeRequest("completeTicket", { id: ticketId }), { userId: user }],
    [routeRequest("takeoverTicket", { id: ticketId }), { assigneeId: user }],
    [routeRequest("updateTicketAssignee", { id: ticketId }), { assigneeId: user }],
    [routeRequest("attachTicketTag", { ticketId }), { tagId: tag }],
  ];
  const cases: Case[] = [];
  for (const [request, body] of writes) {
    const at = (label: string, changes: Partial<SendRequest>): Case => ({
      label: `${request.operationId} with ${label}`,
      request: { ...request, ...changes },
    });
    cases.push(
      at("a body that is not JSON", {
        rawBody: "{not json",
        headers: { "content-type": "application/json" },
      }),
    );
    cases.push(at("a JSON array body", { body: [body] }));
    cases.push(at("a JSON string body", { body: "hello" }));
    cases.push(at("no body", {}));
    for (const field of Object.keys(body)) {
      cases.push(at(`${field} missing`, { body: { ...body, [field]: undefined } }));
      cases.push(at(`${field} a number`, { body: { ...body, [field]: 42 } }));
      cases.push(at(`${field} null`, { body: { ...body, [field]: null } }));
      cases.push(at(`${field} not a UUID`, { body: { ...body, [field]: "not-a-uuid" } }));
    }
    cases.push(
      at("a path id that is not a UUID", {
        path: request.path.replace(ticketId, "not-a-uuid"),
        body,
      }),
    );
  }
  // The tag removal has two path ids and no body: each not a UUID, on an attached-or-not tag.
  for (const id of NOT_UUIDS.slice(0, 2)) {
    cases.push({
      label: `removeTicketTag with tagId "${id}"`,
      request: routeRequest("removeTicketTag", { ticketId, tagId: id }),
    });
    cases.push({
      label: `removeTicketTag with ticketId "${id}"`,
      request: routeRequest("removeTicketTag", { ticketId: id, tagId: tag }),
    });
  }
  return cases;
}

function createCases(context: CheckContext, chatId: string): Case[] {
  const valid = {
    chatId,
    assigneeId: context.fixtures.userIds[0] as string,
    ticketingTeamId: null,
    status: "pending",
  };
  const create = (label: string, body: unknown): Case => ({
    label: `create with ${label}`,
    request: routeRequest("createTicket", {}, { body }),
  });
  const cases = [
    create("status completed", { ...valid, status: "completed" }),
    create("an unknown status", { ...valid, status: "closed" }),
    create("ticketingTeamId absent", { ...valid, ticketingTeamId: undefined }),
    create("assigneeId null", { ...valid, assigneeId: null }),
  ];
  for (const field of ["chatId", "assigneeId", "status"]) {
    cases.push(create(`${field} missing`, { ...valid, [field]: undefined }));
    cases.push(create(`${field} a number`, { ...valid, [field]: 7 }));
  }
  for (const field of ["chatId", "assigneeId", "ticketingTeamId"]) {
    cases.push(create(`${field} not a UUID`, { ...valid, [field]: "not-a-uuid" }));
  }
  return cases;
}

export const negativeDataRejection: ActiveCheck = {
  id: "negative_data_rejection",
  title: "Input the contract rules out is refused with 400, changes nothing, and is never a 5xx",
  source: "profile",
  section: "PROFILE.md Errors",
  rule:
    "`400` for: a path id that is not a UUID; a body that is not JSON, not an object, lacks a required field, or has a " +
    "field of the wrong type/format; a query parameter out of bounds or of the wrong type; a missing or unknown " +
    "`status` on the list endpoint. A vendor profile may accept `422` in place of `400`.",
  mutates: true,
  async run(context) {
    await sendAll(context, [...listCases(), ...pathCases()]);
    if (context.options.readOnly) {
      context.notes.push("read-only: bodies were not tried (only the list's query and path ids)");
      return;
    }
    const row = await context.newTicket("pending");
    if (!row) return;
    const before = await readDetails(context, row.id);
    await sendAll(context, bodyCases(row.id, context));
    const after = await readDetails(context, row.id);
    if (before && after && JSON.stringify(before) !== JSON.stringify(after)) {
      context.fail(`refused requests changed ticket ${row.id}`, {
        expected: JSON.stringify(before),
        actual: JSON.stringify(after),
      });
    }
    const chatId = context.chats.take();
    if (chatId) await sendAll(context, createCases(context, chatId));
  },
};

async function sendAll(context: CheckContext, cases: Case[]): Promise<void> {
  for (const { label, request } of cases) {
    context.expectStatus(await context.api.send(request), label, 400);
  }
}
