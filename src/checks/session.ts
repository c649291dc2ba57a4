/**
 * One run against one target. Every request any check sends goes through here: it is
 * paced (rate limit, 429 Retry-After), bounded (the run's time budget), counted for the
 * check that sent it, and judged by the passive checks (status, content type, schema,
 * details consistency), whose findings carry the exchange. What the run creates is
 * remembered, so it can be cleaned up.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Exchange, SendRequest, TicketsClient } from "../client/index.js";
import { toCurl } from "../client/index.js";
import type { ContractValidator } from "../contract/validator.js";
import { ExitCode, UserError } from "../exit-codes.js";
import type { Finding } from "./model.js";
import { recordOf } from "./model.js";
import { judgeExchange } from "./passive.js";
import type { EffectiveProfile } from "./profile.js";

export interface ResolvedFixtures {
  chatIds: string[];
  userIds: string[];
  tagIds: string[];
  ticketingTeamIds: string[];
}

export interface SessionOptions {
  client: TicketsClient;
  validator: ContractValidator;
  profile: EffectiveProfile;
  fixtures: ResolvedFixtures;
  seed: number;
  runs: number;
  readOnly: boolean;
  /** Requests per second; 0 for no limit. */
  rate: number;
  deadline: number;
  /** check id -> fast-check path: replay that property's counterexample. */
  replay?: Map<string, string>;
  /** The command line of this run without its seed, to print replay commands. */
  commandLine: string;
  /** Sees every exchange of the run (the check benchmark replays them). */
  onExchange?: (exchange: Exchange<unknown>) => void;
}

/** The target stopped answering: the run cannot complete (exit 3). */
export class TargetUnreachableError extends UserError {
  constructor(message: string) {
    super(message, ExitCode.Incomplete);
    this.name = "TargetUnreachableError";
  }
}

export class BudgetExceededError extends UserError {
  constructor() {
    super("the run's time budget ran out before every check finished", ExitCode.Incomplete);
    this.name = "BudgetExceededError";
  }
}

/** The run was interrupted (SIGINT): the checks stop, cleanup still runs (exit 3). */
export class RunInterruptedError extends UserError {
  constructor(reason: string) {
    super(`interrupted (${reason}) before every check finished`, ExitCode.Incomplete);
    this.name = "RunInterruptedError";
  }
}

/**
 * The fixture chats a run may create tickets on. A chat holds at most one non-completed
 * ticket (PROFILE.md), so a chat is lent for a ticket and comes back when it is completed.
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

interface Tally {
  requests: number;
  meaningful: number;
}

const MAX_CONSECUTIVE_TRANSPORT_ERRORS = 5;
/** Findings kept in full per check; past this they are only counted. */
const FINDINGS_KEPT = 50;
/** The pseudo-check under which cleanup's requests are counted. */
export const CLEANUP = "cleanup";
const MAX_RETRIES_ON_429 = 3;

export class Session {
  readonly findings: Finding[] = [];
  readonly warnings: Finding[] = [];
  /** Enum field -> values observed in responses: the documentation gap, filled. */
  readonly observedEnums = new Map<string, Set<string | null>>();
  /** Tickets this run created, and the tags it attached that are still attached. */
  readonly created = new Set<string>();
  readonly attached = new Map<string, Set<string>>();
  readonly chats: ChatPool;
  private readonly tallies = new Map<string, Tally>();
  private readonly findingCounts = new Map<string, number>();
  private transportErrorsInARow = 0;
  private interrupted: string | undefined;
  private nextSlot = 0;

  constructor(readonly options: SessionOptions) {
    this.chats = new ChatPool(options.fixtures.chatIds);
  }

  get fixtures(): ResolvedFixtures {
    return this.options.fixtures;
  }

  /** Stops the run at its next request (SIGINT): the checks end, cleanup still runs. */
  interrupt(reason: string): void {
    this.interrupted = reason;
  }

  tally(checkId: string): Tally {
    let tally = this.tallies.get(checkId);
    if (!tally) {
      tally = { requests: 0, meaningful: 0 };
      this.tallies.set(checkId, tally);
    }
    return tally;
  }

  /** The client as a check sees it: every call recorded under `checkId` and judged. */
  clientFor(checkId: string): TicketsClient {
    const inner = this.options.client;
    const wrap =
      <A extends unknown[]>(call: (...args: A) => Promise<Exchange<unknown>>) =>
      (...args: A) =>
        this.send(checkId, () => call(...args));
    return {
      getTicketDetails: wrap(inner.getTicketDetails),
      listTicketDetails: wrap(inner.listTicketDetails),
      createTicket: wrap(inner.createTicket),
      completeTicket: wrap(inner.completeTicket),
      takeoverTicket: wrap(inner.takeoverTicket),
      updateTicketAssignee: wrap(inner.updateTicketAssignee),
      attachTicketTag: wrap(inner.attachTicketTag),
      removeTicketTag: wrap(inner.removeTicketTag),
      send: wrap((request: SendRequest) => inner.send(request)),
      close: () => inner.close(),
    } as TicketsClient;
  }

  /** Keeps the first findings of each check in full; counts the rest. */
  finding(finding: Finding, warning = false): void {
    const key = `${warning ? "warning" : "failure"}:${finding.checkId}`;
    const count = (this.findingCounts.get(key) ?? 0) + 1;
    this.findingCounts.set(key, count);
    if (count <= FINDINGS_KEPT) (warning ? this.warnings : this.findings).push(finding);
  }

  findingCount(checkId: string, warning = false): number {
    return this.findingCounts.get(`${warning ? "warning" : "failure"}:${checkId}`) ?? 0;
  }

  exchangeRecord(exchange: Exchange<unknown>) {
    return recordOf(exchange, toCurl(exchange));
  }

  private async send(
    checkId: string,
    call: () => Promise<Exchange<unknown>>,
  ): Promise<Exchange<unknown>> {
    for (let attempt = 0; ; attempt++) {
      this.stopIfOver(checkId);
      await this.pace();
      const exchange = await call();
      const retryAfter = retryAfterMs(exchange);
      if (retryAfter !== undefined && attempt < MAX_RETRIES_ON_429) {
        await sleep(Math.min(retryAfter, Math.max(0, this.options.deadline - Date.now())));
        continue;
      }
      this.observe(checkId, exchange);
      return exchange;
    }
  }

  /** An interrupt or the end of the time budget stops the checks; cleanup still goes on. */
  private stopIfOver(checkId: string): void {
    if (checkId === CLEANUP) return;
    if (this.interrupted !== undefined) throw new RunInterruptedError(this.interrupted);
    if (Date.now() >= this.options.deadline) throw new BudgetExceededError();
  }

  /** Waits for the next request slot of the rate limit. */
  private async pace(): Promise<void> {
    if (this.options.rate <= 0) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.options.rate;
    if (slot > now) await sleep(slot - now);
  }

  private observe(checkId: string, exchange: Exchange<unknown>): void {
    const tally = this.tally(checkId);
    tally.requests++;
    this.options.onExchange?.(exchange);
    if (exchange.error) {
      this.transportErrorsInARow++;
      if (
        exchange.error.kind === "connection" ||
        this.transportErrorsInARow >= MAX_CONSECUTIVE_TRANSPORT_ERRORS
      ) {
        throw new TargetUnreachableError(exchange.error.message);
      }
    } else {
      this.transportErrorsInARow = 0;
    }
    const status = exchange.response?.status;
    if (status !== undefined && status !== 401 && status !== 404) tally.meaningful++;
    this.rememberChanges(exchange);
    judgeExchange(this, exchange);
  }

  /** Tracks what the run created, so that cleanup can undo it. */
  private rememberChanges(exchange: Exchange<unknown>): void {
    if (exchange.response?.status !== 200) return;
    const json = exchange.response.json as
      | { id?: string; chatId?: string; status?: string; tagId?: string; ticketId?: string }
      | undefined;
    const path = new URL(exchange.request.url).pathname;
    if (exchange.operationId === "createTicket" && json?.id) {
      this.created.add(json.id);
      if (json.chatId && json.status !== "completed") this.chats.opened(json.id, json.chatId);
    }
    if (exchange.operationId === "completeTicket" && json?.id) this.chats.completed(json.id);
    if (exchange.operationId === "attachTicketTag" && json?.ticketId && json.tagId) {
      const tags = this.attached.get(json.ticketId) ?? new Set();
      tags.add(json.tagId);
      this.attached.set(json.ticketId, tags);
    }
    if (exchange.operationId === "removeTicketTag") {
      const [, ticketId, tagId] = /\/tickets\/([^/]+)\/tags\/([^/]+)$/.exec(path) ?? [];
      if (ticketId && tagId)
        this.attached.get(decodeURIComponent(ticketId))?.delete(decodeURIComponent(tagId));
    }
  }
}

function retryAfterMs(exchange: Exchange<unknown>): number | undefined {
  if (exchange.response?.status !== 429) return undefined;
  const header = exchange.response.headers["retry-after"];
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header ?? "");
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000;
}
