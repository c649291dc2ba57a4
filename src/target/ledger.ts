/**
 * The ledger of what a run created on the target and must undo: the tickets it opened
 * (each on a fixture chat, which holds at most one non-completed ticket, PROFILE.md
 * Lifecycle), the tags it attached, and the chats whose create got no answer it could read.
 * It learns from every answer, whoever sent the request, so that a check cannot forget to
 * tell it, and it believes only an answer that says plainly what happened: anything else
 * leaves the item open for the cleanup (./cleanup.ts) to confirm from the target. With a
 * journal file, every change is on disk before the next request goes out (./journal.ts).
 */
import type { Exchange } from "../client/index.js";
import {
  JOURNAL_FORMAT,
  type Journal,
  type JournalTarget,
  type OpenItems,
  UNNAMED_TARGET,
  writeJournal,
} from "./journal.js";

/**
 * The fixture chats a run may create tickets on: a chat is lent for a ticket and comes
 * back when that ticket is completed.
 */
export class ChatPool {
  private readonly free: string[];
  private readonly lent = new Map<string, string>();

  /** `held`: chats whose create got no readable answer; they do not come back until it does. */
  constructor(
    chatIds: string[],
    private readonly held: ReadonlySet<string> = new Set(),
  ) {
    this.free = [...chatIds];
  }

  take(): string | undefined {
    return this.free.shift();
  }

  /**
   * A chat taken but not used (its create was refused for another reason than a conflict).
   * A chat whose create got no readable answer stays out: the create may have landed.
   */
  giveBack(chatId: string): void {
    if (!this.held.has(chatId) && !this.free.includes(chatId)) this.free.push(chatId);
  }

  /** A ticket the run created, open on `chatId`. */
  opened(ticketId: string, chatId: string): void {
    this.lent.set(ticketId, chatId);
    const index = this.free.indexOf(chatId);
    if (index >= 0) this.free.splice(index, 1);
  }

  completed(ticketId: string): void {
    const chatId = this.lent.get(ticketId);
    if (chatId === undefined) return;
    this.lent.delete(ticketId);
    // A race on a faulty target may leave two open tickets on one chat: it is free again
    // once the last of them is completed, and once only.
    if (!this.holds(chatId) && !this.free.includes(chatId)) this.free.push(chatId);
  }

  /** Tickets the run opened and has not completed. */
  open(): string[] {
    return [...this.lent.keys()];
  }

  /** Whether a ticket the run opened (and has not completed) is on `chatId`. */
  holds(chatId: string): boolean {
    return [...this.lent.values()].includes(chatId);
  }

  /** The chat a ticket the run opened is on. */
  chatOf(ticketId: string): string | undefined {
    return this.lent.get(ticketId);
  }
}

export interface LedgerOptions {
  /** Where the journal is kept; without one it is kept in memory only. */
  journalFile?: string;
  /** What the journal says of the target; default: an unnamed one. */
  target?: JournalTarget;
  /** What is open from the start (a journal's, for the `cleanup` command). */
  open?: OpenItems;
}

type Json = Record<string, unknown>;
/** A chat id that could hold a ticket (a negative test's malformed one cannot). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class Ledger {
  /** Every ticket the run created. */
  readonly created = new Set<string>();
  /** Ticket id -> the tags the run attached (or may have) that are not confirmed removed. */
  readonly attached = new Map<string, Set<string>>();
  readonly chats: ChatPool;
  readonly target: JournalTarget;
  private readonly waiting = new Set<string>();
  /** `ticketId tagId` of attaches sent and not yet answered 2xx: a refusal forgets them. */
  private readonly unconfirmedTags = new Set<string>();
  private readonly journalFile: string | undefined = undefined;
  private written = "";

  constructor(chatIds: string[], options: LedgerOptions = {}) {
    this.chats = new ChatPool(chatIds, this.waiting);
    this.target = options.target ?? UNNAMED_TARGET;
    for (const ticket of options.open?.tickets ?? []) this.opened(ticket.id, ticket.chatId);
    for (const tag of options.open?.tags ?? []) this.tagged(tag.ticketId, tag.tagId);
    for (const chat of options.open?.chats ?? []) this.waiting.add(chat.chatId);
    // Only now: a journal is never written with less than it is given.
    this.journalFile = options.journalFile;
    this.save();
  }

  /** A ledger that holds what a journal names, and keeps it in `journalFile` (the `cleanup` command's). */
  static fromJournal(journal: Journal, journalFile?: string): Ledger {
    const { baseUrl, apiKeyEnv, authScheme, completerId, tickets, tags, chats } = journal;
    return new Ledger([], {
      target: { baseUrl, apiKeyEnv, authScheme, completerId },
      open: { tickets, tags, chats },
      ...(journalFile ? { journalFile } : {}),
    });
  }

  /** Chats a create was sent on whose answer the run has not read (yet). */
  get unanswered(): ReadonlySet<string> {
    return this.waiting;
  }

  /**
   * A write is about to be sent: until a readable answer comes, the ledger takes it as
   * landed, so a run killed while it is in flight leaves it in the journal. A create
   * (`body.chatId`) holds its chat; an attach (`body.tagId` on `ticketId`) is a tag to
   * remove. `body` as sent: an object, or its JSON text.
   */
  sending(operationId: string | undefined, body: unknown, ticketId?: string): void {
    const sent = objectOf(body);
    if (
      operationId === "createTicket" &&
      typeof sent?.chatId === "string" &&
      UUID.test(sent.chatId)
    ) {
      this.waiting.add(sent.chatId);
      this.save();
    } else if (operationId === "attachTicketTag" && ticketId && typeof sent?.tagId === "string") {
      if (!this.attached.get(ticketId)?.has(sent.tagId)) {
        this.unconfirmedTags.add(`${ticketId} ${sent.tagId}`);
      }
      this.tagged(ticketId, sent.tagId);
    }
  }

  /**
   * Learns from an answer what it created, completed, attached or removed. Only a 2xx with
   * a JSON body that says so counts; a 4xx says nothing happened; anything else (a 5xx, a
   * body that is not JSON or not the resource, no answer) leaves the item open.
   */
  record(exchange: Exchange<unknown>): void {
    this.answered(exchange.operationId, exchange.request, exchange.response);
  }

  /**
   * `record` for an answer that is not an Exchange (the load runners'): the request's url
   * (or path) and body as sent, the answer's status and parsed body, or no answer.
   */
  answered(
    operationId: string | undefined,
    request: { url: string; body?: string | undefined },
    response?: { status: number; json?: unknown },
  ): void {
    const status = response?.status ?? 0;
    const json = status >= 200 && status < 300 ? asObject(response?.json) : undefined;
    const refused = status >= 400 && status < 500;
    const sent = objectOf(request.body);
    const path = pathOf(request.url);
    switch (operationId) {
      case "createTicket": {
        const id = json?.id;
        const chatId = json?.chatId;
        const created = typeof id === "string" && typeof chatId === "string";
        if (created) {
          this.opened(id, chatId);
          this.waiting.delete(chatId);
        }
        if (typeof sent?.chatId === "string") {
          // A 409 says the chat holds a ticket: the run's own, known, or one whose create
          // was not read (then the chat stays to search).
          const explained = status !== 409 || this.chats.holds(sent.chatId);
          if (created || (refused && explained)) this.waiting.delete(sent.chatId);
          else if (!refused && UUID.test(sent.chatId)) this.waiting.add(sent.chatId);
        }
        break;
      }
      case "completeTicket": {
        const [, id] = /\/tickets\/([^/]+)\/complete$/.exec(path) ?? [];
        const ticketId = id && decodeURIComponent(id);
        if (ticketId && json?.id === ticketId && json.status === "completed") {
          this.completed(ticketId);
        }
        break;
      }
      case "attachTicketTag": {
        const [, id] = /\/tickets\/([^/]+)\/tags$/.exec(path) ?? [];
        const ticketId = id && decodeURIComponent(id);
        const tagId = sent?.tagId;
        if (!ticketId || typeof tagId !== "string") break;
        const key = `${ticketId} ${tagId}`;
        if (json?.ticketId === ticketId && json.tagId === tagId) {
          this.unconfirmedTags.delete(key);
          this.tagged(ticketId, tagId);
        } else if (refused && status !== 409) {
          // Refused: it did not attach. Forget it, unless an earlier attach was confirmed.
          if (this.unconfirmedTags.delete(key)) this.untagged(ticketId, tagId);
        } else if (!refused) {
          this.tagged(ticketId, tagId);
        }
        break;
      }
      case "removeTicketTag": {
        const [, ticketId, tagId] = /\/tickets\/([^/]+)\/tags\/([^/]+)$/.exec(path) ?? [];
        if (ticketId && tagId && json) {
          this.untagged(decodeURIComponent(ticketId), decodeURIComponent(tagId));
        }
        break;
      }
    }
    this.save();
  }

  /** A ticket the run created on `chatId`: open until a complete is confirmed. */
  opened(ticketId: string, chatId: string): void {
    this.created.add(ticketId);
    this.chats.opened(ticketId, chatId);
    this.save();
  }

  completed(ticketId: string): void {
    this.chats.completed(ticketId);
    this.save();
  }

  tagged(ticketId: string, tagId: string): void {
    let tags = this.attached.get(ticketId);
    if (!tags) {
      tags = new Set();
      this.attached.set(ticketId, tags);
    }
    tags.add(tagId);
    this.save();
  }

  untagged(ticketId: string, tagId: string): void {
    const tags = this.attached.get(ticketId);
    tags?.delete(tagId);
    if (tags?.size === 0) this.attached.delete(ticketId);
    this.unconfirmedTags.delete(`${ticketId} ${tagId}`);
    this.save();
  }

  /** The listing of a chat whose create got no readable answer found what it holds. */
  chatSettled(chatId: string): void {
    this.waiting.delete(chatId);
    this.save();
  }

  /** What is open, as the journal lists it. */
  openItems(): OpenItems {
    return {
      tickets: this.chats.open().map((id) => ({ id, chatId: this.chats.chatOf(id) as string })),
      tags: [...this.attached].flatMap(([ticketId, tags]) =>
        [...tags].map((tagId) => ({ ticketId, tagId })),
      ),
      chats: [...this.waiting].map((chatId) => ({ chatId })),
    };
  }

  /** Whether nothing is open. */
  get empty(): boolean {
    return this.chats.open().length === 0 && this.attached.size === 0 && this.waiting.size === 0;
  }

  journal(): Journal {
    return { format: JOURNAL_FORMAT, ...this.target, ...this.openItems() };
  }

  /** Writes the journal when it changed (synchronously: before the next request goes out). */
  private save(): void {
    if (!this.journalFile) return;
    const journal = this.journal();
    const text = JSON.stringify(journal);
    if (text === this.written) return;
    writeJournal(this.journalFile, journal);
    this.written = text;
  }
}

/** A JSON object, from JSON text (or an object already parsed); undefined for anything else. */
function objectOf(value: unknown): Json | undefined {
  if (typeof value !== "string") return asObject(value);
  try {
    return asObject(JSON.parse(value));
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function pathOf(url: string): string {
  try {
    return new URL(url, "http://path.invalid").pathname;
  } catch {
    return url;
  }
}
