/**
 * The list endpoint as properties, over queries generated from the target's own data:
 * pagination (any two page sizes give the same items in the same order, every page but
 * the last is full, a page past the end is [], the defaults) and completeness (a ticket
 * is found by every query its own fields match, and is the same by id and in the list).
 */
import fc from "fast-check";
import type { ListTicketDetailsParameters, TicketDetails } from "../../../contracts/types.js";
import { type FieldFilter, ID_FILTER_FIELDS, STATUSES } from "../../contract/profile-facts.js";
import type { ActiveCheck, CheckContext } from "../context.js";
import { checkProperty, PropertyFailure, pageOf } from "../property.js";

type Query = ListTicketDetailsParameters["query"];
const FIELD_FILTERS = Object.keys(ID_FILTER_FIELDS) as FieldFilter[];
/** How many items a walk compares, so that a run stays within a few hundred requests. */
const PREFIX = 30;
const FULL_WALK_LIMIT = 200;

/**
 * A page of each status, removed chats included: the values the generators draw from.
 * A counterexample names a ticket by its id and state, not by its 32 fields.
 */
export async function samples(context: CheckContext): Promise<TicketDetails[]> {
  const tickets: TicketDetails[] = [];
  for (const status of STATUSES) {
    const exchange = await context.api.listTicketDetails({
      status,
      pageSize: 100,
      includeRemoved: true,
    });
    // Only a conforming page: its values (ids, statuses) go into queries, so a value that is
    // not what the contract says (an echoed key, garbage) is never sent back.
    if (exchange.response?.status === 200 && context.usable(exchange)) {
      tickets.push(...(exchange.response.json as TicketDetails[]));
    }
  }
  return tickets.map((ticket) =>
    Object.assign(ticket, {
      [fc.toStringMethod]: () =>
        `ticket ${ticket.id} (${ticket.status}${ticket.chatIsRemoved ? ", removed chat" : ""})`,
    }),
  );
}
/** Walks pages of `size` from page 1 until `limit` items or the end; checks every page but the last is full. */
async function walk(context: CheckContext, query: Query, size: number, limit: number) {
  const items: TicketDetails[] = [];
  for (let pageNumber = 1; items.length < limit; pageNumber++) {
    const exchange = await context.api.listTicketDetails({ ...query, pageSize: size, pageNumber });
    const page = pageOf<TicketDetails>(context, exchange, `page ${pageNumber} of size ${size}`);
    items.push(...page);
    if (page.length < size) return { items, ended: true, pages: pageNumber };
  }
  return { items, ended: false, pages: Math.ceil(items.length / size) };
}

function narrowQuery(ticket: TicketDetails, which: number): Query {
  const query: Query = { status: ticket.status, includeRemoved: true };
  if (which === 0 && ticket.assigneeId) query.assigneeIds = ticket.assigneeId;
  if (which === 1) query.responderIds = ticket.responderId;
  if (which === 2) query.chatIds = ticket.chatId;
  return query;
}

function ids(items: TicketDetails[]): string {
  return items.map((item) => item.id).join(",");
}

export const listPagination: ActiveCheck = {
  id: "list_pagination",
  title:
    "Pages of any size walk the same items in the same order; every page but the last is full; past the end is []",
  source: "profile",
  section: "PROFILE.md The list endpoint",
  rule:
    "`pageSize` default 10, `pageNumber` default 1. Page `n` holds items `(n-1)*pageSize .. n*pageSize-1` of that order; " +
    "a page past the end is `[]` with 200. Every page but the last of a result set is full.",
  mutates: false,
  async run(context) {
    const tickets = await samples(context);
    if (tickets.length === 0) {
      context.warn("the target lists no tickets: pagination could not be checked");
      return;
    }
    const arbitrary = fc.record({
      ticket: fc.constantFrom(...tickets),
      narrow: fc.integer({ min: 0, max: 3 }),
      sizes: fc.tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 })),
    });
    await checkProperty(
      context,
      fc.asyncProperty(arbitrary, async ({ ticket, narrow, sizes }) => {
        const query = narrow === 3 ? { status: ticket.status } : narrowQuery(ticket, narrow);
        const reference = await walk(context, query, 100, FULL_WALK_LIMIT);
        for (const size of sizes) {
          const limit = Math.min(reference.items.length, PREFIX, size * 5);
          const walked = await walk(context, query, size, Math.max(limit, 1));
          const expected = reference.items.slice(0, walked.items.length);
          if (ids(walked.items) !== ids(expected)) {
            throw new PropertyFailure(
              `pages of size ${size} do not hold the items of pages of size 100, in order, for ${JSON.stringify(query)}`,
              undefined,
              ids(expected),
              ids(walked.items),
            );
          }
          if (walked.ended && walked.items.length < reference.items.length) {
            throw new PropertyFailure(
              `page ${walked.pages} of size ${size} is not full, yet more items follow (pages of 100 hold ${reference.items.length})`,
            );
          }
          if (reference.ended) await pastTheEnd(context, query, size, reference.items.length);
        }
        await defaults(context, query, reference.items);
      }),
    );
  },
};

async function pastTheEnd(
  context: CheckContext,
  query: Query,
  size: number,
  total: number,
): Promise<void> {
  const pageNumber = Math.floor(total / size) + 2;
  const exchange = await context.api.listTicketDetails({ ...query, pageSize: size, pageNumber });
  const page = pageOf<TicketDetails>(
    context,
    exchange,
    `page ${pageNumber} of size ${size}, past the end of ${total} items`,
  );
  if (page.length > 0) {
    throw new PropertyFailure(
      `page ${pageNumber} of size ${size} is past the end of ${total} items but holds ${page.length}`,
      exchange,
      "[]",
    );
  }
}

async function defaults(
  context: CheckContext,
  query: Query,
  reference: TicketDetails[],
): Promise<void> {
  const exchange = await context.api.listTicketDetails(query);
  const page = pageOf<TicketDetails>(
    context,
    exchange,
    "a page with the default pageSize and pageNumber",
  );
  const expected = reference.slice(0, 10);
  if (ids(page) !== ids(expected)) {
    throw new PropertyFailure(
      "without pageSize and pageNumber the page is not the first 10 items",
      exchange,
      ids(expected),
      ids(page),
    );
  }
}

export const listCompleteness: ActiveCheck = {
  id: "list_completeness",
  title:
    "A ticket is found by every query its own fields match, with extra OR-ed values too, and reads the same by id",
  source: "profile",
  section: "PROFILE.md The list endpoint; The two ticket shapes",
  rule:
    "Within one parameter the values are OR-ed; different parameters are AND-ed. `search`: case-insensitive substring " +
    "of `summary`. `includeRemoved`: `true` includes removed chats. A ticket's details are the same whether read by id " +
    "or as a list item.",
  mutates: false,
  async run(context) {
    const tickets = await samples(context);
    if (tickets.length === 0) {
      context.warn("the target lists no tickets: completeness could not be checked");
      return;
    }
    const others = (pick: (ticket: TicketDetails) => string | null) => [
      ...new Set(tickets.map(pick).filter((id): id is string => id !== null)),
    ];
    const arbitrary = fc.record({
      ticket: fc.constantFrom(...tickets),
      filters: fc.subarray([...FIELD_FILTERS, "search"] as const),
      extra: fc.record({
        assigneeIds: fc.constantFrom(...others((ticket) => ticket.assigneeId)),
        chatIds: fc.constantFrom(...others((ticket) => ticket.chatId)),
        responderIds: fc.constantFrom(...others((ticket) => ticket.responderId)),
        responderVersionIds: fc.constantFrom(
          ...others((ticket) => ticket.responderVersionId),
          "00000000-0000-4000-8000-000000000000",
        ),
      }),
      extraFirst: fc.boolean(),
      searchCut: fc.tuple(
        fc.nat(),
        fc.integer({ min: 3, max: 12 }),
        fc.constantFrom("upper", "lower", "as is"),
      ),
    });
    await checkProperty(
      context,
      fc.asyncProperty(arbitrary, async ({ ticket, filters, extra, extraFirst, searchCut }) => {
        const query: Query = { status: ticket.status, pageSize: 100 };
        if (ticket.chatIsRemoved) query.includeRemoved = true;
        for (const filter of filters) {
          if (filter === "search") query.search = cutSearch(ticket.summary, searchCut);
          else {
            const own = ticket[ID_FILTER_FIELDS[filter]];
            if (own === null) continue;
            query[filter] = extraFirst ? [extra[filter], own] : [own, extra[filter]];
          }
        }
        const found = await findIn(context, query, ticket.id);
        if (!found) {
          throw new PropertyFailure(
            `ticket ${ticket.id} is not found by a query its own fields match: ${JSON.stringify(query)}`,
          );
        }
        const byId = await context.api.getTicketDetails(ticket.id);
        if (JSON.stringify(byId.response?.json) !== JSON.stringify(found)) {
          throw new PropertyFailure(
            `ticket ${ticket.id} reads differently by id and as a list item`,
            byId,
            JSON.stringify(found),
            JSON.stringify(byId.response?.json),
          );
        }
        if (ticket.chatIsRemoved) {
          const hidden = await findIn(context, { ...query, includeRemoved: false }, ticket.id);
          if (hidden)
            throw new PropertyFailure(
              `ticket ${ticket.id} of a removed chat is listed without includeRemoved=true`,
            );
        }
      }),
    );
  },
};

/** A piece of the summary, in another case. */
function cutSearch(summary: string, [start, length, casing]: [number, number, string]): string {
  const from = summary.length > length ? start % (summary.length - length) : 0;
  const piece = summary.slice(from, from + length);
  return casing === "upper"
    ? piece.toUpperCase()
    : casing === "lower"
      ? piece.toLowerCase()
      : piece;
}

const MAX_PAGES = 20;

/** The ticket as the list shows it under `query` (up to 20 pages), or undefined. */
export async function findIn(
  context: CheckContext,
  query: Query,
  id: string,
): Promise<TicketDetails | undefined> {
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
    const exchange = await context.api.listTicketDetails({ ...query, pageNumber });
    const page = pageOf<TicketDetails>(
      context,
      exchange,
      `page ${pageNumber} of ${JSON.stringify(query)}`,
    );
    const found = page.find((item) => item.id === id);
    if (found) return found;
    if (page.length < (query.pageSize ?? 10)) return undefined;
  }
  return undefined;
}
