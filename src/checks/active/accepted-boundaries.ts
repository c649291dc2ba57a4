/**
 * accepted_boundaries: the other side of negative_data_rejection. For each rule of the list
 * query, the nearest thing to invalid that the rule still allows must be accepted (200 with
 * a page), never refused and never a 5xx:
 * - `pageSize` 1 and 100, the bounds the docs give (min 1, max 100), and `pageNumber` 1 and
 *   far past the end (a page past the end is `[]` with 200);
 * - `includeRemoved` `true` and `false`, every `status` value;
 * - an id filter with a UUID in upper case (RFC 4122 3: the hex digits are case-insensitive
 *   on input), and with many values repeated;
 * - `search` (the docs: a string, no bound) with the characters a careless server takes for
 *   syntax (`%`, `_`, `*`, `.`, `\`, `'`, `"`, `(`), letters beyond ASCII, empty, 200 long.
 * What such a page holds is judged by the passive checks (list_items_match_filters: an item
 * a wildcard let in is not a substring match).
 *
 * And for request bodies (everything the docs allow is accepted, never refused, never a
 * 5xx); the docs mark every body field Required, so none is omitted, and the only nullable
 * one is `ticketingTeamId`:
 * - create with `ticketingTeamId` null and with a team, `status` `pending` and `ongoing`
 *   (the two the profile allows);
 * - a body written as JSON allows but a hand-written client seldom writes it (RFC 8259):
 *   every string in `\u` escapes, whitespace and newlines between the tokens, the keys in
 *   reverse order; the row must then show the values decoded (the chat, the status, null);
 * - the writes that change nothing the profile forbids: an assignee update to the assignee
 *   the ticket has, a takeover by the user who holds it, a complete by a user who is not
 *   the assignee (the complete body names the completer; nothing says it must be the
 *   assignee), a tag attached and removed through an escaped body.
 */
import type { TicketRow } from "../../../contracts/types.js";
import { type QueryParams, routeRequest, type SendRequest } from "../../client/index.js";
import { STATUSES } from "../../contract/profile-facts.js";
import type { ActiveCheck, CheckContext } from "../context.js";
import { sampleTicket } from "./samples.js";

const SEARCHES = [
  "%",
  "_",
  "100%",
  "a_b",
  "*",
  ".",
  "\\",
  "'",
  '"',
  "(",
  "Ünïcödé",
  "",
  "x".repeat(200),
];

function cases(
  chatId: string | undefined,
  assigneeId: string | undefined,
): [string, QueryParams][] {
  const pending = (extra: QueryParams): QueryParams => ({ status: "pending", ...extra });
  const list: [string, QueryParams][] = [
    ["pageSize=1 (the docs' minimum)", pending({ pageSize: 1 })],
    ["pageSize=100 (the docs' maximum)", pending({ pageSize: 100 })],
    ["pageNumber=1 (the docs' minimum)", pending({ pageNumber: 1 })],
    ["pageNumber=1000000 (past the end: [])", pending({ pageNumber: 1_000_000 })],
    ["includeRemoved=true", pending({ includeRemoved: "true" })],
    ["includeRemoved=false", pending({ includeRemoved: "false" })],
    ...STATUSES.map((status): [string, QueryParams] => [`status=${status}`, { status }]),
    ...SEARCHES.map((search): [string, QueryParams] => [
      `search=${JSON.stringify(search.length > 20 ? `${search.slice(0, 8)}… (${search.length})` : search)}`,
      pending({ search }),
    ]),
  ];
  if (chatId) {
    list.push([`chatIds with a UUID in upper case`, pending({ chatIds: chatId.toUpperCase() })]);
    list.push([`chatIds repeated 20 times`, pending({ chatIds: Array(20).fill(chatId) })]);
  }
  if (assigneeId) {
    list.push([
      `assigneeIds with a UUID in upper case`,
      pending({ assigneeIds: assigneeId.toUpperCase() }),
    ]);
  }
  return list;
}

/**
 * JSON text of `value` as RFC 8259 allows and few clients write: every character of every
 * string as a `\u` escape, whitespace and newlines between the tokens, keys in reverse order.
 */
export function escapedJson(value: Record<string, unknown>): string {
  const text = (item: unknown): string =>
    typeof item === "string"
      ? `"${[...item].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`
      : JSON.stringify(item);
  const members = Object.entries(value)
    .reverse()
    .map(([key, item]) => `\n\t${text(key)} :\r\n ${text(item)}`);
  return ` {${members.join(" ,")}\n} `;
}

/** A write of a body the docs allow, sent as escapedJson when `escaped`. */
function write(request: SendRequest, body: Record<string, unknown>, escaped = false): SendRequest {
  return escaped
    ? { ...request, rawBody: escapedJson(body), headers: { "content-type": "application/json" } }
    : { ...request, body };
}

/** The bodies the docs allow at their edges: each must be accepted (200). */
async function bodies(context: CheckContext): Promise<void> {
  const { userIds, ticketingTeamIds, tagIds } = context.fixtures;
  const [user, other] = [userIds[0] as string, (userIds[1] ?? userIds[0]) as string];
  const send = async (label: string, request: SendRequest) => {
    const exchange = await context.api.send(request);
    const ok = context.expectStatus(exchange, `${label}: allowed, so accepted`, 200);
    return ok ? (exchange.response?.json as TicketRow) : undefined;
  };
  const create = async (label: string, body: Record<string, unknown>, escaped?: boolean) => {
    const chatId = context.chats.take();
    if (!chatId) return undefined;
    const sent = { chatId, assigneeId: user, ...body };
    const row = await send(label, write(routeRequest("createTicket", {}), sent, escaped));
    if (!row) return undefined;
    const read = { chatId: row.chatId, assigneeId: row.assigneeId, ...pickOf(row, body) };
    if (JSON.stringify(read) !== JSON.stringify(sent)) {
      context.fail(`${label}: the row does not show what was sent`, {
        expected: JSON.stringify(sent),
        actual: JSON.stringify(read),
      });
    }
    return row;
  };
  const escaped = await create(
    "create with every string \\u-escaped, whitespace between the tokens, keys reversed, ticketingTeamId null",
    { ticketingTeamId: null, status: "pending" },
    true,
  );
  await create("create ongoing with a ticketing team", {
    ticketingTeamId: ticketingTeamIds[0] ?? null,
    status: "ongoing",
  });
  if (!escaped) return;
  const id = escaped.id;
  const tag = tagIds[0];
  const steps: [string, SendRequest][] = [
    [
      "an assignee update to the assignee the ticket has",
      write(routeRequest("updateTicketAssignee", { id }), { assigneeId: user }),
    ],
    [
      "a takeover by another user",
      write(routeRequest("takeoverTicket", { id }), { assigneeId: other }),
    ],
    [
      "a takeover by the user who holds the ticket, \\u-escaped",
      write(routeRequest("takeoverTicket", { id }), { assigneeId: other }, true),
    ],
  ];
  if (tag) {
    steps.push(
      [
        "a tag attach, \\u-escaped",
        write(routeRequest("attachTicketTag", { ticketId: id }), { tagId: tag }, true),
      ],
      ["the removal of that tag", routeRequest("removeTicketTag", { ticketId: id, tagId: tag })],
    );
  }
  // The ticket is `other`'s now: `user` completes it.
  steps.push([
    user === other ? "a complete" : "a complete by a user who is not the assignee",
    write(routeRequest("completeTicket", { id }), { userId: user }),
  ]);
  for (const [label, request] of steps) await send(label, request);
}

function pickOf(row: TicketRow, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(body).map((key) => [key, (row as unknown as Record<string, unknown>)[key]]),
  );
}

export const acceptedBoundaries: ActiveCheck = {
  id: "accepted_boundaries",
  title:
    "The nearest thing to invalid that a rule still allows is accepted: the bounds of pageSize and pageNumber, an upper-case UUID, any search string, the bodies the docs allow at their edges",
  source: "docs",
  section:
    "docs: the list endpoint's parameters, the request bodies; PROFILE.md Errors, Lifecycle, The list endpoint",
  rule:
    "docs: pageSize: number · min: 1 · max: 100; pageNumber: number · min: 1; search: string; ticketingTeamId: string · uuid · " +
    "nullable. PROFILE.md: `400` for a query parameter out of bounds or of the wrong type, a non-UUID in an id filter, a " +
    "body that is not JSON, not an object, lacks a required field, or has a field of the wrong type/format (only those); " +
    "`409` for a transition the lifecycle forbids; a page past the end is `[]` with 200. RFC 4122 3: a UUID's hex digits " +
    "are case-insensitive on input. RFC 8259: whitespace between tokens, member order and `\\u` escapes do not change a value.",
  mutates: true,
  async run(context: CheckContext) {
    const ticket = await sampleTicket(context);
    const assignee = ticket?.assigneeId ?? context.fixtures.userIds[0];
    for (const [label, query] of cases(ticket?.chatId ?? context.fixtures.chatIds[0], assignee)) {
      const exchange = await context.api.send({
        operationId: "listTicketDetails",
        method: "GET",
        path: "/api/v1/tickets/details",
        query,
      });
      context.expectStatus(exchange, `list with ${label}: allowed, so accepted`, 200);
    }
    if (context.options.readOnly) {
      context.notes.push("read-only: bodies were not tried (only the list's query)");
      return;
    }
    await bodies(context);
  },
};
