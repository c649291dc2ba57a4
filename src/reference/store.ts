/**
 * The tickets and the indexes the list endpoint needs: per status, the tickets in the
 * profile's total order (createdAt descending, then id descending), with and without
 * removed chats, so a page of a status is a slice; and per id filter, the tickets with
 * that id, so a filtered page looks only at its candidates.
 */
import {
  ID_FILTERS,
  type IdFilter,
  STATUSES,
  type TicketStatus,
} from "../contract/profile-facts.js";
import type { Chat, Team, Ticket, User, World } from "./world.js";

/** A list request as the store answers it: parsed, defaults applied. */
export type StoreQuery = Partial<Record<IdFilter, string[]>> & {
  status: TicketStatus;
  search?: string;
  includeRemoved: boolean;
  pageNumber: number;
  pageSize: number;
};

/**
 * How the list combines its filters. The profile's semantics are the defaults; the fault
 * catalog swaps one of them for a vendor's bug.
 */
export interface ListSemantics {
  /** Different parameters AND-ed (profile) or OR-ed. */
  acrossParameters: "and" | "or";
  /** `tagIds` matches a ticket with any of the tags (profile) or only all of them. */
  tags: "any" | "all";
  caseSensitiveSearch: boolean;
  /** Case folded for A-Z only (a bug: "MÜNCHEN" does not find "München"). */
  asciiCaseFold: boolean;
  /** search also matches the owner's and the responder's names (a bug: only `summary`). */
  searchBeyondSummary: boolean;
  /** `%` and `_` in search are wildcards (a bug: SQL LIKE without escaping). */
  likeWildcards: boolean;
  /** createdAt descending, id descending (profile), or the reverse. */
  order: "newest-first" | "oldest-first";
}

export const PROFILE_SEMANTICS: ListSemantics = {
  acrossParameters: "and",
  tags: "any",
  caseSensitiveSearch: false,
  asciiCaseFold: false,
  searchBeyondSummary: false,
  likeWildcards: false,
  order: "newest-first",
};

/** search as an unescaped SQL LIKE '%term%': the search-like-wildcards bug. */
function likePattern(search: string): RegExp {
  const escaped = search.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(escaped.replaceAll("%", ".*").replaceAll("_", "."), "i");
}

/** Lower case for A-Z only: the search-ascii-case-fold bug. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** The profile's total order: createdAt descending, then id descending. */
export function byListOrder(a: Ticket, b: Ticket): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export class TicketStore {
  readonly users: Map<string, User>;
  readonly teams: Map<string, Team>;
  readonly tags: Set<string>;
  readonly chats: Map<string, Chat>;
  private readonly tickets = new Map<string, Ticket>();
  private readonly openByChat = new Map<string, Ticket>();
  private readonly ordered = new Map<TicketStatus, { all: Ticket[]; visible: Ticket[] }>();
  /** Per id filter and status, id -> the tickets with that id and status, in list order. */
  private readonly indexes = new Map<IdFilter, Map<TicketStatus, Map<string, Ticket[]>>>();
  private readonly lowerSummaries = new WeakMap<Ticket, string>();

  constructor(readonly world: World) {
    this.users = new Map(world.users.map((user) => [user.id, user]));
    this.teams = new Map(world.teams.map((team) => [team.id, team]));
    this.tags = new Set(world.tags.map((tag) => tag.id));
    this.chats = new Map(world.chats.map((chat) => [chat.id, chat]));
    for (const status of STATUSES) {
      this.ordered.set(status, { all: [], visible: [] });
    }
    for (const name of ID_FILTERS) {
      this.indexes.set(
        name,
        new Map(STATUSES.map((status) => [status, new Map<string, Ticket[]>()])),
      );
    }
    const sorted = [...world.tickets].sort(byListOrder);
    for (const ticket of sorted) {
      this.tickets.set(ticket.id, ticket);
      const lists = this.ordered.get(ticket.status);
      lists?.all.push(ticket);
      if (!ticket.chat.isRemoved) lists?.visible.push(ticket);
      this.indexTicket(ticket);
    }
  }

  get size(): number {
    return this.tickets.size;
  }

  get(id: string): Ticket | undefined {
    return this.tickets.get(id);
  }

  openTicketOf(chatId: string): Ticket | undefined {
    return this.openByChat.get(chatId);
  }

  add(ticket: Ticket): void {
    this.tickets.set(ticket.id, ticket);
    this.insertOrdered(ticket);
    this.indexTicket(ticket);
  }

  /** Moves a ticket between status lists; its place in the order never changes. */
  setStatus(ticket: Ticket, status: TicketStatus): void {
    if (ticket.status === status) return;
    this.removeOrdered(ticket);
    this.unindexTicket(ticket);
    ticket.status = status;
    this.insertOrdered(ticket);
    this.indexTicket(ticket); // also records the chat's open ticket
    if (status === "completed") this.openByChat.delete(ticket.chat.id);
  }

  /**
   * `reindex` false: the assignee-index-stale fault, the list still files the ticket under
   * the assignee it had (its index and its filter both).
   */
  setAssignee(ticket: Ticket, assigneeId: string | null, reindex = true): void {
    if (!reindex) {
      if (!("listedAssigneeId" in ticket)) ticket.listedAssigneeId = ticket.assigneeId;
      ticket.assigneeId = assigneeId;
      return;
    }
    this.unindex("assigneeIds", idsOf(ticket, "assigneeIds")[0] ?? null, ticket);
    delete ticket.listedAssigneeId;
    ticket.assigneeId = assigneeId;
    this.index("assigneeIds", assigneeId, ticket);
  }

  /** The non-completed tickets assigned to `assigneeId`. */
  openTicketsOf(assigneeId: string): Ticket[] {
    return (["pending", "ongoing"] as const).flatMap((status) => [
      ...(this.indexOf("assigneeIds", status).get(assigneeId) ?? []),
    ]);
  }

  attachTag(ticket: Ticket, tagId: string, at: number): void {
    const isNew = !ticket.tags.has(tagId);
    ticket.tags.set(tagId, at);
    if (isNew) this.index("tagIds", tagId, ticket);
  }

  removeTag(ticket: Ticket, tagId: string): void {
    ticket.tags.delete(tagId);
    this.unindex("tagIds", tagId, ticket);
  }

  list(query: StoreQuery, semantics: ListSemantics = PROFILE_SEMANTICS): Ticket[] {
    const offset = (query.pageNumber - 1) * query.pageSize;
    const lists = this.ordered.get(query.status);
    if (!lists) return [];
    const filters = ID_FILTERS.filter((name) => (query[name]?.length ?? 0) > 0);
    const sources =
      filters.length > 0
        ? this.candidates(filters, query, semantics)
        : [query.includeRemoved ? lists.all : lists.visible];
    const newestFirst = semantics.order === "newest-first";
    const matches = (ticket: Ticket) => this.matches(ticket, query, semantics);
    if (sources.length === 1 && filters.length === 0 && !query.search && newestFirst) {
      return (sources[0] as Ticket[]).slice(offset, offset + query.pageSize);
    }
    const page: Ticket[] = [];
    let skipped = 0;
    for (const ticket of mergeInOrder(sources, newestFirst)) {
      if (!matches(ticket)) continue;
      if (skipped < offset) skipped++;
      else if (page.push(ticket) >= query.pageSize) break;
    }
    return page;
  }

  matches(
    ticket: Ticket,
    query: StoreQuery,
    semantics: ListSemantics = PROFILE_SEMANTICS,
  ): boolean {
    if (ticket.status !== query.status) return false;
    if (!query.includeRemoved && ticket.chat.isRemoved) return false;
    const verdicts = ID_FILTERS.filter((name) => (query[name]?.length ?? 0) > 0).map((name) =>
      matchesIds(
        idsOf(ticket, name),
        query[name] ?? [],
        name === "tagIds" ? semantics.tags : "any",
      ),
    );
    const idsMatch =
      semantics.acrossParameters === "and"
        ? verdicts.every(Boolean)
        : verdicts.length === 0 || verdicts.some(Boolean);
    if (!idsMatch) return false;
    if (!query.search) return true;
    if (semantics.searchBeyondSummary && this.namesMatch(ticket, query.search)) return true;
    if (semantics.likeWildcards) return likePattern(query.search).test(ticket.summary);
    if (semantics.caseSensitiveSearch) return ticket.summary.includes(query.search);
    if (semantics.asciiCaseFold)
      return asciiLower(ticket.summary).includes(asciiLower(query.search));
    return this.lowerSummary(ticket).includes(query.search.toLowerCase());
  }

  /** The search-beyond-summary bug: the owner's and the responder's names match too. */
  private namesMatch(ticket: Ticket, search: string): boolean {
    const names = [ticket.chat.owner.name, ticket.chat.responder.name];
    return names.some((name) => name?.toLowerCase().includes(search.toLowerCase()));
  }

  /**
   * The ordered lists worth walking: with AND, one parameter's (the one with the fewest
   * tickets); with OR, every parameter's.
   */
  private candidates(filters: IdFilter[], query: StoreQuery, semantics: ListSemantics): Ticket[][] {
    const listsOf = (name: IdFilter) =>
      (query[name] ?? []).map((id) => this.indexOf(name, query.status).get(id) ?? []);
    const perFilter = filters.map(listsOf);
    if (semantics.acrossParameters === "or") return perFilter.flat();
    const size = (lists: Ticket[][]) => lists.reduce((sum, list) => sum + list.length, 0);
    return perFilter.reduce((best, lists) => (size(lists) < size(best) ? lists : best));
  }

  private lowerSummary(ticket: Ticket): string {
    let lower = this.lowerSummaries.get(ticket);
    if (lower === undefined) {
      lower = ticket.summary.toLowerCase();
      this.lowerSummaries.set(ticket, lower);
    }
    return lower;
  }

  /** Indexes a ticket under each of its ids (written out: it runs a million times at start-up). */
  private indexTicket(ticket: Ticket): void {
    const { responder } = ticket.chat;
    this.index("assigneeIds", ticket.assigneeId, ticket);
    this.index("chatIds", ticket.chat.id, ticket);
    this.index("responderIds", responder.id, ticket);
    if (responder.entity === "agent")
      this.index("responderVersionIds", responder.versionId, ticket);
    for (const tagId of ticket.tags.keys()) this.index("tagIds", tagId, ticket);
    if (ticket.status !== "completed") this.openByChat.set(ticket.chat.id, ticket);
  }

  private unindexTicket(ticket: Ticket): void {
    for (const name of ID_FILTERS)
      for (const id of idsOf(ticket, name)) this.unindex(name, id, ticket);
  }

  private indexOf(name: IdFilter, status: TicketStatus): Map<string, Ticket[]> {
    return this.indexes.get(name)?.get(status) as Map<string, Ticket[]>;
  }

  private index(name: IdFilter, id: string | null, ticket: Ticket): void {
    if (id === null) return;
    const index = this.indexOf(name, ticket.status);
    const list = index.get(id);
    const last = list?.[list.length - 1];
    if (!list) index.set(id, [ticket]);
    // An id's list can be empty (its last ticket moved away): push, no order to keep.
    else if (!last || byListOrder(last, ticket) < 0)
      list.push(ticket); // seeding: already in order
    else insertSorted(list, ticket);
  }

  private unindex(name: IdFilter, id: string | null, ticket: Ticket): void {
    const list = id === null ? undefined : this.indexOf(name, ticket.status).get(id);
    if (list) removeSorted(list, ticket);
  }

  private insertOrdered(ticket: Ticket): void {
    const lists = this.ordered.get(ticket.status);
    if (!lists) return;
    insertSorted(lists.all, ticket);
    if (!ticket.chat.isRemoved) insertSorted(lists.visible, ticket);
  }

  private removeOrdered(ticket: Ticket): void {
    const lists = this.ordered.get(ticket.status);
    if (!lists) return;
    removeSorted(lists.all, ticket);
    if (!ticket.chat.isRemoved) removeSorted(lists.visible, ticket);
  }
}

/**
 * Walks several lists that each hold tickets in list order as one list in that order
 * (or the reverse), each ticket once.
 */
function* mergeInOrder(lists: Ticket[][], newestFirst: boolean): Generator<Ticket> {
  const heads = lists.map((list) => (newestFirst ? 0 : list.length - 1));
  const step = newestFirst ? 1 : -1;
  const seen = lists.length > 1 ? new Set<Ticket>() : undefined;
  for (;;) {
    let pick = -1;
    for (let i = 0; i < lists.length; i++) {
      const candidate = (lists[i] as Ticket[])[heads[i] as number];
      if (!candidate) continue;
      const best = pick < 0 ? undefined : (lists[pick] as Ticket[])[heads[pick] as number];
      if (!best || byListOrder(candidate, best) * step < 0) pick = i;
    }
    if (pick < 0) return;
    const ticket = (lists[pick] as Ticket[])[heads[pick] as number] as Ticket;
    heads[pick] = (heads[pick] as number) + step;
    if (seen?.has(ticket)) continue;
    seen?.add(ticket);
    yield ticket;
  }
}

function matchesIds(has: string[], wanted: string[], mode: "any" | "all"): boolean {
  return mode === "any"
    ? wanted.some((id) => has.includes(id))
    : wanted.every((id) => has.includes(id));
}

function idsOf(ticket: Ticket, filter: IdFilter): string[] {
  const { responder } = ticket.chat;
  switch (filter) {
    case "assigneeIds": {
      const listed = "listedAssigneeId" in ticket ? ticket.listedAssigneeId : ticket.assigneeId;
      return listed ? [listed] : [];
    }
    case "chatIds":
      return [ticket.chat.id];
    case "responderIds":
      return [responder.id];
    case "responderVersionIds":
      return responder.entity === "agent" ? [responder.versionId] : [];
    case "tagIds":
      return [...ticket.tags.keys()];
  }
}

/** The index of the first ticket that does not come before `ticket` in the order. */
function position(list: Ticket[], ticket: Ticket): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byListOrder(list[middle] as Ticket, ticket) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertSorted(list: Ticket[], ticket: Ticket): void {
  list.splice(position(list, ticket), 0, ticket);
}

function removeSorted(list: Ticket[], ticket: Ticket): void {
  const at = position(list, ticket);
  if (list[at] === ticket) list.splice(at, 1);
}
