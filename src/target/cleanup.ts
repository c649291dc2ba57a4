/**
 * The cleanup of what a ledger holds open: tag links removed, tickets completed, and the
 * chats whose create got no readable answer searched for the ticket it may have made. Every
 * step is confirmed by reading the target back, whatever the write answered; what is
 * confirmed leaves the ledger (and so its journal), what is not is named with the curl that
 * would finish it by hand. It is bounded: after a few transport errors in a row it sends
 * nothing more and names everything still open.
 */
import { type Exchange, serializeQuery, type TicketsClient, toCurl } from "../client/index.js";
import { OPEN_STATUSES, type TicketStatus } from "../contract/profile-facts.js";
import type { JournalTarget } from "./journal.js";
import type { Ledger } from "./ledger.js";

/** One thing the cleanup could not undo, or could not confirm undone. */
export interface Leftover {
  /** A ticket left open, a tag left attached, a chat whose create may have left a ticket. */
  kind: "ticket" | "tag" | "chat";
  ticketId?: string;
  tagId?: string;
  chatId?: string;
  /** Why it is left: what the write and the read that should confirm it answered. */
  reason: string;
  /** The command that cleans it by hand (the key as its environment variable). */
  curl: string;
}

/** Transport errors in a row after which the cleanup stops sending. */
const GIVE_UP_AFTER = 3;
export const NO_ANSWER = "target did not answer";

/**
 * Undoes what `ledger` holds open (tickets completed as `completerId`, by default the
 * journal's) and returns what is still left, each item named. The ledger ends holding
 * exactly what is left.
 */
export async function cleanUp(
  api: TicketsClient,
  ledger: Ledger,
  completerId: string | null | undefined = ledger.target.completerId,
): Promise<Leftover[]> {
  const tries = new Attempts();
  const curls = new Curls(ledger.target, completerId);
  const leftovers: Leftover[] = [];
  const left = (leftover: Omit<Leftover, "reason" | "curl">, reason: string) =>
    leftovers.push({
      ...leftover,
      reason: tries.gaveUp ? NO_ANSWER : reason,
      curl: curls.of(leftover),
    });

  for (const { chatId } of ledger.openItems().chats) {
    const found = await openTicketsOn(api, tries, chatId);
    if (typeof found === "string") {
      left({ kind: "chat", chatId }, found);
      continue;
    }
    for (const id of found) if (!ledger.chats.chatOf(id)) ledger.opened(id, chatId);
    ledger.chatSettled(chatId);
  }

  for (const { ticketId, tagId } of ledger.openItems().tags) {
    const undone = await undo(
      tries,
      "removal",
      () => api.removeTicketTag(ticketId, tagId),
      () => tagGone(api, tries, ticketId, tagId),
    );
    if (undone === true) {
      ledger.untagged(ticketId, tagId);
      continue;
    }
    // An answer read on the way (by a session's ledger) may have taken it out: it is left.
    ledger.tagged(ticketId, tagId);
    left({ kind: "tag", ticketId, tagId }, undone);
  }

  for (const { id, chatId } of ledger.openItems().tickets) {
    if (!completerId) {
      left(
        { kind: "ticket", ticketId: id, chatId },
        "no user to complete it as (no userIds fixture)",
      );
      continue;
    }
    const undone = await undo(
      tries,
      "complete",
      () => api.completeTicket(id, { userId: completerId }),
      () => completedNow(api, tries, id),
    );
    if (undone === true) {
      ledger.completed(id);
      continue;
    }
    ledger.opened(id, chatId);
    left({ kind: "ticket", ticketId: id, chatId }, undone);
  }
  return leftovers;
}

/** Counts transport errors in a row; past the bound, sends nothing more. */
class Attempts {
  private errorsInARow = 0;

  get gaveUp(): boolean {
    return this.errorsInARow >= GIVE_UP_AFTER;
  }

  /** The exchange, or undefined when the call threw or the cleanup has given up. */
  async send<T>(call: () => Promise<Exchange<T>>): Promise<Exchange<T> | undefined> {
    if (this.gaveUp) return undefined;
    const exchange = await call().catch(() => undefined);
    if (!exchange || exchange.error || !exchange.response) this.errorsInARow++;
    else this.errorsInARow = 0;
    return exchange;
  }
}

/**
 * Sends the write, then reads back whether it is done; a write that got no answer is sent
 * once more. True when done, else why not: what the write and the read answered.
 */
async function undo<T>(
  tries: Attempts,
  name: string,
  write: () => Promise<Exchange<T>>,
  confirm: () => Promise<true | string>,
): Promise<true | string> {
  for (let attempt = 1; ; attempt++) {
    const written = await tries.send(write);
    const confirmed = await confirm();
    if (confirmed === true) return true;
    const unanswered = !written?.response;
    if (!unanswered || attempt >= 2 || tries.gaveUp) {
      return `${name} ${answerOf(written)}; ${confirmed}`;
    }
  }
}

/** Whether the ticket's details read as completed; when not, what they answered. */
async function completedNow(
  api: TicketsClient,
  tries: Attempts,
  id: string,
): Promise<true | string> {
  const read = await tries.send(() => api.getTicketDetails(id));
  const ticket = jsonObject(read);
  if (ticket?.id === id && ticket.status === "completed") return true;
  const status = typeof ticket?.status === "string" ? ` with status ${ticket.status}` : "";
  return `its details ${answerOf(read)}${status}`;
}

/**
 * Whether the list no longer finds the ticket under the tag (details do not carry tags, so
 * the list's tag filter is the one way to see); when it cannot tell, why.
 */
async function tagGone(
  api: TicketsClient,
  tries: Attempts,
  ticketId: string,
  tagId: string,
): Promise<true | string> {
  const read = await tries.send(() => api.getTicketDetails(ticketId));
  const ticket = jsonObject(read);
  if (
    ticket?.id !== ticketId ||
    typeof ticket.status !== "string" ||
    typeof ticket.chatId !== "string"
  ) {
    return `not confirmed: its ticket's details ${answerOf(read)}`;
  }
  const listed = await tries.send(() =>
    api.listTicketDetails({
      status: ticket.status as TicketStatus,
      chatIds: ticket.chatId as string,
      tagIds: tagId,
      includeRemoved: true,
      pageSize: 100,
    }),
  );
  const page = listed?.response?.status === 200 ? listed.response.json : undefined;
  if (!Array.isArray(page)) return `not confirmed: the list by tag ${answerOf(listed)}`;
  if (page.some((item) => (item as { id?: unknown } | null)?.id === ticketId)) {
    return "the list by tag still finds the ticket";
  }
  return true;
}

/**
 * The open tickets on a chat whose create got no readable answer (the create may have
 * landed); when the list cannot tell, why.
 */
async function openTicketsOn(
  api: TicketsClient,
  tries: Attempts,
  chatId: string,
): Promise<string[] | string> {
  const found: string[] = [];
  for (const status of OPEN_STATUSES) {
    const listed = await tries.send(() =>
      api.listTicketDetails({ status, chatIds: chatId, includeRemoved: true, pageSize: 100 }),
    );
    const page = listed?.response?.status === 200 ? listed.response.json : undefined;
    if (!Array.isArray(page)) {
      return `its create got no readable answer, and the list of its ${status} tickets ${answerOf(listed)}`;
    }
    for (const item of page as ({ id?: unknown } | null)[]) {
      if (typeof item?.id === "string") found.push(item.id);
    }
  }
  return found;
}

function jsonObject(exchange: Exchange<unknown> | undefined): Record<string, unknown> | undefined {
  const response = exchange?.response;
  if (!response || response.status < 200 || response.status >= 300) return undefined;
  const json = response.json;
  return typeof json === "object" && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : undefined;
}

/** What an answer was, in a few words: `answered 500`, `answered 200 (not JSON)`, `got no answer (…)`. */
function answerOf(exchange: Exchange<unknown> | undefined): string {
  if (!exchange) return "was not answered";
  if (exchange.error) return `got no answer (${exchange.error.message})`;
  const response = exchange.response;
  if (!response) return "was not answered";
  if (response.parseError !== undefined) return `answered ${response.status} (not JSON)`;
  const json = response.json;
  const shape = Array.isArray(json) && json.length === 0 ? " []" : "";
  return `answered ${response.status}${shape}`;
}

/** The commands that clean a leftover by hand, against the ledger's target. */
class Curls {
  private readonly base: string;
  private readonly authorization: string;

  constructor(
    target: JournalTarget,
    private readonly completerId: string | null | undefined,
  ) {
    this.base = target.baseUrl.replace(/\/+$/, "");
    const key = `$${target.apiKeyEnv}`;
    this.authorization = target.authScheme === "bearer" ? `Bearer ${key}` : key;
  }

  of(leftover: Omit<Leftover, "reason" | "curl">): string {
    const id = (value: string | undefined) => encodeURIComponent(value ?? "");
    switch (leftover.kind) {
      case "ticket":
        return this.curl(
          "PATCH",
          `/api/v1/tickets/${id(leftover.ticketId)}/complete`,
          JSON.stringify({ userId: this.completerId ?? "USER_ID" }),
        );
      case "tag":
        return this.curl(
          "DELETE",
          `/api/v1/tickets/${id(leftover.ticketId)}/tags/${id(leftover.tagId)}`,
        );
      case "chat":
        // The chat's open tickets, to complete by hand.
        return OPEN_STATUSES.map((status) =>
          this.curl(
            "GET",
            `/api/v1/tickets/details?${serializeQuery({ status, chatIds: leftover.chatId, includeRemoved: true })}`,
          ),
        ).join("; ");
    }
  }

  private curl(method: string, path: string, body?: string): string {
    const headers: Record<string, string> = { authorization: this.authorization };
    if (body !== undefined) headers["content-type"] = "application/json";
    const command = toCurl({
      request: {
        method,
        url: `${this.base}${path}`,
        headers,
        ...(body === undefined ? {} : { body }),
      },
      timing: { startedAt: "", durationMs: 0 },
    });
    // A base URL read from the environment ("$TICKETS_BASE_URL") is left for the shell to expand.
    return this.base.startsWith("$")
      ? command.replace(`'${this.base}`, `"${this.base}"'`)
      : command;
  }
}
