/**
 * The list endpoint's rules as functions of a query and a page: which items may be on it
 * (every filter but tagIds, which details do not show), how long it may be, and in which
 * order they must come (PROFILE.md "The list endpoint").
 */
import type { TicketDetails } from "../../contracts/types.js";
import { ID_FILTER_FIELDS, ID_FILTERS, type IdFilter } from "../contract/profile-facts.js";
import { compareTimes } from "./times.js";

/** The query a list request was sent with, as its URL says. */
export type ListQuery = Record<IdFilter, string[]> & {
  status?: string;
  search?: string;
  includeRemoved: boolean;
  pageNumber: number;
  pageSize: number;
};

/** The query a list request made, read back from its URL (defaults as the profile pins them). */
export function queryOfUrl(url: string): ListQuery {
  const params = new URL(url).searchParams;
  const number = (name: string, fallback: number) => {
    const value = params.get(name);
    return value === null ? fallback : Number(value);
  };
  const ids = Object.fromEntries(ID_FILTERS.map((name) => [name, params.getAll(name)]));
  return {
    ...(params.has("status") ? { status: params.get("status") as string } : {}),
    ...(ids as Record<IdFilter, string[]>),
    ...(params.has("search") ? { search: params.get("search") as string } : {}),
    includeRemoved: params.get("includeRemoved") === "true",
    pageNumber: number("pageNumber", 1),
    pageSize: number("pageSize", 10),
  };
}

/** Why `ticket` may not be on a page of `query`'s results; undefined if it may. */
export function mismatch(ticket: TicketDetails, query: ListQuery): string | undefined {
  if (query.status !== undefined && ticket.status !== query.status) {
    return `status is ${ticket.status}, the query asked for ${query.status}`;
  }
  for (const [parameter, field] of Object.entries(ID_FILTER_FIELDS)) {
    const wanted = query[parameter as keyof typeof ID_FILTER_FIELDS];
    const value = ticket[field];
    if (wanted.length > 0 && (value === null || !wanted.includes(value))) {
      return `${field} is ${value}, not one of ${parameter}=${wanted.join(",")}`;
    }
  }
  if (
    query.search !== undefined &&
    !ticket.summary.toLowerCase().includes(query.search.toLowerCase())
  ) {
    return `summary ${JSON.stringify(ticket.summary)} does not contain ${JSON.stringify(query.search)} (case-insensitive)`;
  }
  if (!query.includeRemoved && ticket.chatIsRemoved)
    return "its chat is removed and includeRemoved is not true";
  return undefined;
}

/** The items of a page that are objects (the schema check reports the others). */
export function pageItems(page: unknown[]): TicketDetails[] {
  return page.filter((item): item is TicketDetails => item !== null && typeof item === "object");
}

/** createdAt descending, then id descending: negative when `a` comes first. */
export function listOrder(a: TicketDetails, b: TicketDetails): number {
  const byTime = compareTimes(b.createdAt, a.createdAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The first place where a page breaks the order, as words; undefined if it keeps it. */
export function orderProblem(page: TicketDetails[]): string | undefined {
  for (let i = 1; i < page.length; i++) {
    const [before, after] = [page[i - 1] as TicketDetails, page[i] as TicketDetails];
    if (listOrder(before, after) > 0) {
      return `item ${i - 1} (createdAt ${before.createdAt}, id ${before.id}) comes before item ${i} (createdAt ${after.createdAt}, id ${after.id})`;
    }
  }
  return undefined;
}
