/**
 * What an active check works with: the client (every call recorded under the check and
 * judged by the passive checks), the fixtures, the profile, and helpers to report what
 * it finds and to make the tickets it needs on free chats.
 */
import type { TicketRow } from "../../contracts/types.js";
import { type Exchange, type NearKey, type TicketsClient, toCurl } from "../client/index.js";
import type { OpenStatus } from "../contract/profile-facts.js";
import { type CheckInfo, type Counterexample, type Measured, recordOf } from "./model.js";
import type { Session, SessionOptions } from "./session.js";

export type CheckSettings = Pick<
  SessionOptions,
  "profile" | "seed" | "runs" | "readOnly" | "replay" | "commandLine"
>;

export interface FindingDetails {
  expected?: string;
  actual?: string;
  exchange?: Exchange<unknown>;
  counterexample?: Counterexample;
}

export class CheckContext {
  readonly api: TicketsClient;
  readonly notes: string[] = [];
  /** What the check measured, for its result (a concurrency check: its groups, their overlap). */
  measured: Measured | undefined;

  constructor(
    readonly info: CheckInfo,
    private readonly session: Session,
  ) {
    this.api = session.clientFor(info.id);
  }

  get fixtures() {
    return this.session.fixtures;
  }

  /** The fixture chats free for a new ticket (the ledger lends them and takes them back). */
  get chats() {
    return this.session.ledger.chats;
  }

  /** The nearest variants of the key the client can send (recorded by description only). */
  get nearKeys(): NearKey[] {
    return this.session.options.target.nearKeys ?? [];
  }

  /** The target's side of the choices the profile leaves open, as the run learned them. */
  get choices() {
    return this.session.choices;
  }

  /** The run's settings a check reads; not the client, which only `api` reaches. */
  get options(): CheckSettings {
    return this.session.options;
  }

  fail(message: string, details: FindingDetails = {}): void {
    this.report(message, details, false);
  }

  warn(message: string, details: FindingDetails = {}): void {
    this.report(message, details, true);
  }

  /** True when the exchange has one of the statuses the profile expects (or the vendor's substitutes). */
  hasStatus(exchange: Exchange<unknown>, ...expected: number[]): boolean {
    const status = exchange.response?.status;
    return (
      status !== undefined &&
      expected.some((code) => this.options.profile.accepts(code).includes(status))
    );
  }

  /**
   * Whether the answer conforms to the contract (documented status, body of its shape), so
   * that the check may build on it: the ticket a create returned, the page a list gave.
   */
  usable(exchange: Exchange<unknown>): boolean {
    return this.session.usable(exchange);
  }

  /**
   * Records a failure unless the exchange has one of the expected statuses (and, for a 2xx,
   * a body the check can build on), and goes on; returns whether it had. (Inside a property,
   * `requireStatus` throws instead: the property's case ends there.)
   */
  expectStatus(exchange: Exchange<unknown>, what: string, ...expected: number[]): boolean {
    if (this.hasStatus(exchange, ...expected)) {
      if (this.buildable(exchange)) return true;
      this.fail(`${what}: ${unusableAnswer(exchange)}`, {
        expected: "a body of the shape the contract documents",
        actual: describeAnswer(exchange),
        exchange,
      });
      return false;
    }
    const accepted = expected.flatMap((code) => this.options.profile.accepts(code));
    this.fail(`${what}: answered ${describeAnswer(exchange)}`, {
      expected: accepted.join(" or "),
      actual: describeAnswer(exchange),
      exchange,
    });
    return false;
  }

  /**
   * Sends a group of requests at one moment, each on its own connection, through the
   * check's client (`Session.together`): the answers, in the order of `calls`.
   */
  together<T extends Exchange<unknown>>(
    calls: ((api: TicketsClient) => Promise<T>)[],
    options: { staggerMs?: number } = {},
  ): Promise<T[]> {
    return this.session.together(this.info.id, calls, options);
  }

  /** A new ticket on a chat that has none open; undefined (with a failure) if it could not be made. */
  async newTicket(status: OpenStatus = "pending"): Promise<TicketRow | undefined> {
    const chatId = this.chats.take();
    if (!chatId) {
      this.fail("no free chat left to create a ticket on: give more fixture chatIds");
      return undefined;
    }
    const exchange = await this.api.createTicket({
      chatId,
      assigneeId: this.fixtures.userIds[0] as string,
      ticketingTeamId: this.fixtures.ticketingTeamIds[0] ?? null,
      status,
    });
    if (!this.expectStatus(exchange, `create a ${status} ticket on a free chat`, 200)) {
      // A 409 says the chat is busy after all: it does not go back to the pool.
      if (exchange.response?.status !== 409) this.chats.giveBack(chatId);
      return undefined;
    }
    return exchange.response?.json as TicketRow;
  }

  /** A 2xx answer a check would build on must conform; other statuses need no body. */
  buildable(exchange: Exchange<unknown>): boolean {
    const status = exchange.response?.status ?? 0;
    return status < 200 || status >= 300 || this.usable(exchange);
  }

  private report(message: string, details: FindingDetails, warning: boolean): void {
    const { exchange, ...rest } = details;
    this.session.finding(
      {
        checkId: this.info.id,
        message,
        ...rest,
        ...(exchange ? { exchange: recordOf(exchange, toCurl(exchange)) } : {}),
      },
      warning,
    );
  }
}

/** Why a 2xx answer cannot be built on, in words; the passive checks say which rule it broke. */
export function unusableAnswer(exchange: Exchange<unknown>): string {
  const response = exchange.response;
  const why = response?.parseError ?? "its body is not of the shape the contract documents";
  return `answered ${response?.status} but ${why}: nothing to build on, the steps that needed it were not taken`;
}

export function describeAnswer(exchange: Exchange<unknown>): string {
  if (exchange.error) return `no answer (${exchange.error.message})`;
  const response = exchange.response;
  if (!response) return "no answer";
  const body =
    response.rawBody.length > 120 ? `${response.rawBody.slice(0, 119)}…` : response.rawBody;
  return `${response.status} ${body}`;
}

export interface ActiveCheck extends CheckInfo {
  /** A check with nothing to do but writes: under --read-only it is skipped, and says so. */
  writesOnly?: boolean;
  run(context: CheckContext): Promise<void>;
}
