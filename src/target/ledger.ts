/**
 * The ledger of what a run created on the target and must undo: the tickets it opened
 * (each on a fixture chat, which holds at most one non-completed ticket, PROFILE.md
 * Lifecycle) and the tags it attached. It learns from every successful answer, whoever
 * sent the request, so that a check cannot forget to tell it; the cleanup reads it.
 */
import type { Exchange, TicketsClient } from "../client/index.js";
import { OPEN_STATUSES, type TicketStatus } from "../contract/profile-facts.js";

/**
 * The fixture chats a run may create tickets on: a chat is lent for a ticket and comes
 * back when that ticket is completed.
 */
export class ChatPool {
  private readonly free: string[];
  private readonly lent = new Map<string, string>();

  constructor(chatIds: string[]) {
    this.free = [...chatIds];
  }

  take(): string | undefined {
    return this.free.shift();
  }

  /** A chat taken but not used (its create was refused for another reason than a conflict). */
  giveBack(chatId: string): void {
    this.free.push(chatId);
  }

  /** A ticket the run created, open on `chatId`. */
  opened(ticketId: string, chatId: string): void {
    this.lent.set(ticketId, chatId);
  }

  completed(ticketId: string): void {
    const chatId = this.lent.get(ticketId);
    if (chatId === undefined) return;
    this.lent.delete(ticketId);
    this.free.push(chatId);
  }

  /** Tickets the run opened and has not completed. */
  open(): string[] {
    return [...this.lent.keys()];
  }
}

export class Ledger {
  /** Every ticket the run created. */
  readonly created = new Set<string>();
  /** Chats a create was sent on whose answer the run has not read (yet). */
  readonly unanswered = new Set<string>();
  /** Ticket id -> the tags the run attached that are still attached. */
  readonly attached = new Map<string, Set<string>>();
  readonly chats: ChatPool;

  constructor(chatIds: string[]) {
    this.chats = new ChatPool(chatIds);
  }

  /** Learns from a successful answer what it created, completed, attached or removed. */
  record(exchange: Exchange<unknown>): void {
    if (exchange.response?.status !== 200) return;
    const json = exchange.response.json as
      | { id?: string; chatId?: string; status?: string; tagId?: string; ticketId?: string }
      | undefined;
    switch (exchange.operationId) {
      case "createTicket":
        if (json?.id) this.opened(json.id, json.chatId, json.status);
        return;
      case "completeTicket":
        if (json?.id) this.completed(json.id);
        return;
      case "attachTicketTag":
        if (json?.ticketId && json.tagId) this.tagged(json.ticketId, json.tagId);
        return;
      case "removeTicketTag": {
        const path = new URL(exchange.request.url).pathname;
        const [, ticketId, tagId] = /\/tickets\/([^/]+)\/tags\/([^/]+)$/.exec(path) ?? [];
        if (ticketId && tagId)
          this.untagged(decodeURIComponent(ticketId), decodeURIComponent(tagId));
        return;
      }
    }
  }

  /** A ticket the run created on `chatId`; a non-completed one holds the chat until completed. */
  opened(ticketId: string, chatId: string | undefined, status?: string): void {
    this.created.add(ticketId);
    if (chatId && status !== "completed") this.chats.opened(ticketId, chatId);
  }

  completed(ticketId: string): void {
    this.chats.completed(ticketId);
  }

  tagged(ticketId: string, tagId: string): void {
    let tags = this.attached.get(ticketId);
    if (!tags) {
      tags = new Set();
      this.attached.set(ticketId, tags);
    }
    tags.add(tagId);
  }

  untagged(ticketId: string, tagId: string): void {
    this.attached.get(ticketId)?.delete(tagId);
  }
}

/**
 * Removes the tags the run left attached and completes the tickets it left open (as the
 * user `completerId`); returns, one line each, what could not be undone.
 */
export async function cleanUp(
  api: TicketsClient,
  ledger: Ledger,
  completerId: string,
): Promise<string[]> {
  const leftovers: string[] = [];
  for (const [ticketId, tags] of ledger.attached) {
    for (const tagId of [...tags]) {
      const exchange = await api.removeTicketTag(ticketId, tagId).catch(() => undefined);
      if (exchange?.response?.status === 200 || (await tagGone(api, ticketId, tagId))) {
        ledger.untagged(ticketId, tagId);
        continue;
      }
      leftovers.push(`tag ${tagId} still attached to ticket ${ticketId}`);
    }
  }
  for (const ticketId of [...ledger.chats.open(), ...(await openOnUnanswered(api, ledger))]) {
    const exchange = await api
      .completeTicket(ticketId, { userId: completerId })
      .catch(() => undefined);
    if (exchange?.response?.status === 200) continue;
    // A complete sent before the run stopped may have landed without its answer being read:
    // a ticket that reads as completed needs nothing more.
    const read = await api.getTicketDetails(ticketId).catch(() => undefined);
    const status = (read?.response?.json as { status?: unknown } | undefined)?.status;
    if (read?.response?.status === 200 && status === "completed") {
      ledger.completed(ticketId);
      continue;
    }
    leftovers.push(`ticket ${ticketId} not completed`);
  }
  return leftovers;
}

/**
 * Whether the list no longer finds the ticket under the tag: a removal sent before the run
 * stopped may have landed without its answer being read (details do not carry tags, so
 * the list's tag filter is the one way to see).
 */
async function tagGone(api: TicketsClient, ticketId: string, tagId: string): Promise<boolean> {
  const read = await api.getTicketDetails(ticketId).catch(() => undefined);
  const ticket = read?.response?.json as { status?: string; chatId?: string } | undefined;
  if (read?.response?.status !== 200 || !ticket?.status || !ticket.chatId) return false;
  const listed = await api
    .listTicketDetails({
      status: ticket.status as TicketStatus,
      chatIds: ticket.chatId,
      tagIds: tagId,
      includeRemoved: true,
      pageSize: 100,
    })
    .catch(() => undefined);
  const page = listed?.response?.json;
  return (
    listed?.response?.status === 200 &&
    Array.isArray(page) &&
    !page.some((item) => (item as { id?: unknown }).id === ticketId)
  );
}

/**
 * The open tickets on chats whose create got no answer the run could read (it was in
 * flight when the run stopped, or its connection failed): the create may have landed.
 */
async function openOnUnanswered(api: TicketsClient, ledger: Ledger): Promise<string[]> {
  const found: string[] = [];
  for (const chatId of ledger.unanswered) {
    for (const status of OPEN_STATUSES) {
      const exchange = await api
        .listTicketDetails({ status, chatIds: chatId, includeRemoved: true })
        .catch(() => undefined);
      const page = exchange?.response?.json;
      if (!Array.isArray(page)) continue;
      for (const ticket of page as { id?: unknown }[]) {
        if (typeof ticket.id === "string" && !ledger.chats.open().includes(ticket.id)) {
          found.push(ticket.id);
        }
      }
    }
  }
  return found;
}
