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
 */
import type { QueryParams } from "../../client/index.js";
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

export const acceptedBoundaries: ActiveCheck = {
  id: "accepted_boundaries",
  title:
    "The nearest thing to invalid that a rule still allows is accepted: the bounds of pageSize and pageNumber, an upper-case UUID, any search string",
  source: "docs",
  section: "docs: the list endpoint's parameters; PROFILE.md Errors, The list endpoint",
  rule:
    "docs: pageSize: number · min: 1 · max: 100; pageNumber: number · min: 1; search: string. PROFILE.md: `400` for a " +
    "query parameter out of bounds or of the wrong type, a non-UUID in an id filter (only those); a page past the end is " +
    "`[]` with 200. RFC 4122 3: a UUID's hex digits are case-insensitive on input.",
  mutates: false,
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
  },
};
