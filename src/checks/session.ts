/**
 * One run against one target. Every request any check sends goes through here: it is
 * paced (rate limit, 429 Retry-After), bounded (the run's time budget), counted for the
 * check that sent it, entered in the target's ledger, and judged by the enabled passive
 * checks, whose findings carry the exchange.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { AttachTicketTagBody, CreateTicketBody } from "../../contracts/types.js";
import type { Exchange, SendRequest, TicketsClient } from "../client/index.js";
import { ENUM_FIELDS, type EnumField, type Fixtures } from "../contract/profile-facts.js";
import type { ContractValidator } from "../contract/validator.js";
import { cappedRetryAfter, type Target } from "../target/index.js";
import { RunStopped } from "../util/run-stopped.js";
import { CheckStopped } from "./check-stopped.js";
import { CoverageTally } from "./coverage.js";
import type { Finding } from "./model.js";
import {
  JudgedExchange,
  type JudgeSettings,
  type PassiveCheck,
  type PassiveContext,
} from "./passive/index.js";
import type { EffectiveProfile } from "./profile.js";
import type { Coverage } from "./results.js";
import { TargetChoices } from "./target-choices.js";

export interface SessionOptions {
  target: Pick<Target, "client" | "fixtures" | "ledger"> & Partial<Pick<Target, "nearKeys">>;
  validator: ContractValidator;
  profile: EffectiveProfile;
  /** The passive checks this run has enabled: only they judge. */
  passive: PassiveCheck[];
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
  /** The longest single wait a target may ask for; a longer Retry-After is cut to this. */
  maxWaitMs: number;
  /** Hears, in one line each, what the run decided on its own (a wait cut to the cap). */
  onNotice?: (line: string) => void;
}

interface Tally {
  requests: number;
  meaningful: number;
}

/** Requests in a row with no answer (after their retries) that make a target unreachable. */
const UNREACHABLE_AFTER = 3;
/** Findings kept in full per check; past this they are only counted. */
const FINDINGS_KEPT = 50;
/** The pseudo-check under which cleanup's requests are counted. */
export const CLEANUP = "cleanup";
const MAX_RETRIES_ON_429 = 3;
/** The waits before a read that got no answer is sent again: one blip is not an outage. */
const READ_RETRY_WAITS_MS = [250, 1000];

export class Session {
  readonly findings: Finding[] = [];
  readonly warnings: Finding[] = [];
  /** Enum field -> values observed in responses: the documentation gap, filled. */
  readonly observedEnums = new Map<EnumField, Set<string | null>>();
  /** The target's side of each open choice, learned from its first answer, then held. */
  readonly choices = new TargetChoices();
  /** What the run exercised: statuses, list filters, lifecycle transitions (coverage.ts). */
  private readonly covered = new CoverageTally();
  private readonly tallies = new Map<string, Tally>();
  private readonly findingCounts = new Map<string, number>();
  private readonly judges: { check: PassiveCheck; ctx: PassiveContext }[];
  private readonly judgeSettings: JudgeSettings;
  private readonly judged = new WeakMap<Exchange<unknown>, JudgedExchange>();
  private transportErrorsInARow = 0;
  private interrupted: string | undefined;
  /** Ends the checks' requests in flight and their waits at once on an interrupt. */
  private readonly stop = new AbortController();
  private readonly checksClient: TicketsClient;
  private nextSlot = 0;
  private noticedLongWait = false;
  /** Checks a lost answer stopped, and why: they send nothing more (nor do their shrinks). */
  private readonly stoppedChecks = new Map<string, string>();

  constructor(readonly options: SessionOptions) {
    this.judges = options.passive.map((check) => ({ check, ctx: this.passiveContext(check.id) }));
    this.judgeSettings = { validator: options.validator, profile: options.profile };
    this.checksClient = options.target.client.withSignal(this.stop.signal);
  }

  get fixtures(): Fixtures {
    return this.options.target.fixtures;
  }

  get ledger() {
    return this.options.target.ledger;
  }

  get coverage(): Coverage {
    return this.covered.coverage(this.options.validator);
  }

  /**
   * Stops the run at once (SIGINT): requests in flight and waits end, the checks stop;
   * cleanup still runs.
   */
  interrupt(reason: string): void {
    this.interrupted = reason;
    this.stop.abort();
  }

  /**
   * Whether the answer conforms to the contract (its documented status, its body's shape),
   * so that a check may build on it: use the ticket it returned, the page it listed.
   */
  usable(exchange: Exchange<unknown>): boolean {
    const judged = this.judged.get(exchange) ?? new JudgedExchange(exchange, this.judgeSettings);
    return judged.validation?.ok === true;
  }

  tally(checkId: string): Tally {
    let tally = this.tallies.get(checkId);
    if (!tally) {
      tally = { requests: 0, meaningful: 0 };
      this.tallies.set(checkId, tally);
    }
    return tally;
  }

  /**
   * The client as a check sees it: every call recorded under `checkId` and judged. Unpaced,
   * its first attempts skip the rate limit (`together` has waited for the group's slots).
   */
  clientFor(checkId: string, paced = true): TicketsClient {
    const inner = checkId === CLEANUP ? this.options.target.client : this.checksClient;
    const wrap =
      <A extends unknown[]>(call: (...args: A) => Promise<Exchange<unknown>>) =>
      (...args: A) =>
        this.send(checkId, () => call(...args), paced);
    return {
      getTicketDetails: wrap(inner.getTicketDetails),
      listTicketDetails: wrap(inner.listTicketDetails),
      // A write goes into the ledger (and its journal) before it is sent: it may land unanswered.
      createTicket: wrap((body: CreateTicketBody) => {
        this.ledger.sending("createTicket", body);
        return inner.createTicket(body);
      }),
      completeTicket: wrap(inner.completeTicket),
      takeoverTicket: wrap(inner.takeoverTicket),
      updateTicketAssignee: wrap(inner.updateTicketAssignee),
      attachTicketTag: wrap((ticketId: string, body: AttachTicketTagBody) => {
        this.ledger.sending("attachTicketTag", body, ticketId);
        return inner.attachTicketTag(ticketId, body);
      }),
      removeTicketTag: wrap(inner.removeTicketTag),
      send: wrap((request: SendRequest) => {
        this.ledger.sending(request.operationId, request.rawBody ?? request.body);
        return inner.send(request);
      }),
      withSignal: () => {
        throw new Error("a check's client is already bound to the run's interrupt");
      },
      close: () => inner.close(),
    } as TicketsClient;
  }

  /**
   * Sends a group of requests at one moment, each on its own connection (the client's pool
   * runs one request per connection at a time, and opens one more when all are busy). The
   * rate limit is waited for once and the group takes as many of its slots as it has
   * requests, so the average rate holds; then every request starts in the same tick (or,
   * with `staggerMs`, the i-th that many milliseconds times i after the first). Each
   * is counted, judged and entered in the ledger as through `clientFor`, and retried as
   * there (a 429 after its Retry-After, paced; a write never). When one of them stops the
   * check or the run, the others are still awaited, so that nothing of the check is in
   * flight when cleanup starts, and the stop is thrown: the run's before the check's.
   */
  async together<T extends Exchange<unknown>>(
    checkId: string,
    calls: ((api: TicketsClient) => Promise<T>)[],
    { staggerMs = 0 }: { staggerMs?: number } = {},
  ): Promise<T[]> {
    this.stopIfOver(checkId);
    await this.pace(calls.length);
    const api = this.clientFor(checkId, false);
    const started = calls.map((call, i) =>
      i === 0 || staggerMs <= 0 ? call(api) : this.wait(i * staggerMs).then(() => call(api)),
    );
    const settled = await Promise.allSettled(started);
    const stops = settled.flatMap((outcome) =>
      outcome.status === "rejected" ? [outcome.reason as unknown] : [],
    );
    if (stops.length > 0) throw stops.find((stop) => stop instanceof RunStopped) ?? stops[0];
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
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

  /** The passive checks' judgements of the run as a whole, after its last request. */
  finishJudging(run: Parameters<NonNullable<PassiveCheck["finish"]>>[1]): void {
    for (const { check, ctx } of this.judges) check.finish?.(ctx, run);
  }

  /** What a passive check may do: report findings under its own id. */
  private passiveContext(checkId: string): PassiveContext {
    const report = (
      warning: boolean,
      exchange: JudgedExchange | undefined,
      message: string,
      values = {},
    ) =>
      this.finding(
        { checkId, message, ...values, ...(exchange ? { exchange: exchange.record } : {}) },
        warning,
      );
    return {
      fail: (exchange, message, values) => report(false, exchange, message, values),
      warn: (exchange, message, values) => report(true, exchange, message, values),
    };
  }

  private async send(
    checkId: string,
    call: () => Promise<Exchange<unknown>>,
    paced = true,
  ): Promise<Exchange<unknown>> {
    for (let attempt = 0; ; attempt++) {
      this.stopIfOver(checkId);
      if (paced || attempt > 0) await this.pace();
      const exchange = await call();
      const wait = this.retryWait(exchange, attempt);
      if (wait === undefined) {
        this.observe(checkId, exchange);
        return exchange;
      }
      await this.wait(wait);
    }
  }

  /**
   * How long to wait before sending the request again, or undefined to take the answer: a
   * 429 is asked again after its Retry-After (cut to the cap); a read that got no answer,
   * after a short pause (a write is never sent twice: it may have landed).
   */
  private retryWait(exchange: Exchange<unknown>, attempt: number): number | undefined {
    const left = Math.max(0, this.options.deadline - Date.now());
    if (exchange.response?.status === 429) {
      if (attempt >= MAX_RETRIES_ON_429) return undefined;
      return Math.min(this.cappedRetryAfter(exchange), left);
    }
    const kind = exchange.error?.kind;
    if (kind !== "timeout" && kind !== "connection" && kind !== "protocol") return undefined;
    if (exchange.request.method !== "GET") return undefined;
    const pause = READ_RETRY_WAITS_MS[attempt];
    return pause === undefined ? undefined : Math.min(pause, left);
  }

  /** The Retry-After cut to the cap, saying so the first time the cap cuts one. */
  private cappedRetryAfter(exchange: Exchange<unknown>): number {
    const { waitMs, notice } = cappedRetryAfter(exchange, this.options.maxWaitMs);
    if (notice && !this.noticedLongWait) {
      this.noticedLongWait = true;
      this.options.onNotice?.(notice);
    }
    return waitMs;
  }

  /** Sleeps, but an interrupt ends the sleep at once. */
  private async wait(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stop.signal }).catch(() => undefined);
  }

  /** An interrupt or the end of the time budget stops the checks; cleanup still goes on. */
  private stopIfOver(checkId: string): void {
    if (checkId === CLEANUP) return;
    if (this.interrupted !== undefined) throw RunStopped.interrupted(this.interrupted);
    if (Date.now() >= this.options.deadline) throw RunStopped.budgetSpent();
    const stopped = this.stoppedChecks.get(checkId);
    if (stopped !== undefined) throw new CheckStopped(stopped);
  }

  /** Waits for the next request slot of the rate limit, and takes `slots` of them. */
  private async pace(slots = 1): Promise<void> {
    if (this.options.rate <= 0) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + (slots * 1000) / this.options.rate;
    if (slot > now) await this.wait(slot - now);
  }

  /**
   * Counts, records and judges an answer. A check never sees a request that got no answer:
   * it stops (CheckStopped), and the run stops when the target looks gone or limits every
   * request. Cleanup sees every outcome and decides itself.
   */
  private observe(checkId: string, exchange: Exchange<unknown>): void {
    const tally = this.tally(checkId);
    tally.requests++;
    this.options.onExchange?.(exchange);
    this.ledger.record(exchange);
    if (exchange.error) {
      if (checkId !== CLEANUP) this.noAnswer(checkId, exchange.error);
      return;
    }
    this.transportErrorsInARow = 0;
    const status = exchange.response?.status;
    if (status === 429 && checkId !== CLEANUP) throw RunStopped.rateLimited(MAX_RETRIES_ON_429);
    if (status !== undefined && status !== 401 && status !== 404) tally.meaningful++;
    const judged = new JudgedExchange(exchange, this.judgeSettings);
    this.judged.set(exchange, judged);
    this.observeEnums(judged);
    this.covered.observe(judged);
    for (const { check, ctx } of this.judges) check.judge(ctx, judged);
  }

  private noAnswer(checkId: string, error: NonNullable<Exchange<unknown>["error"]>): never {
    if (error.kind === "aborted") throw RunStopped.interrupted(this.interrupted ?? "interrupt");
    if (error.kind !== "refused") this.transportErrorsInARow++;
    if (this.transportErrorsInARow >= UNREACHABLE_AFTER) {
      throw RunStopped.unreachable(
        `${error.message} (${this.transportErrorsInARow} requests in a row got no answer)`,
      );
    }
    const why = error.kind === "refused" ? error.message : `${error.message}: no answer`;
    this.stoppedChecks.set(checkId, why);
    throw new CheckStopped(why);
  }

  private observeEnums(judged: JudgedExchange): void {
    for (const { ticket } of judged.tickets) {
      for (const field of Object.keys(ENUM_FIELDS) as EnumField[]) {
        if (!(field in ticket)) continue;
        const value = ticket[field];
        if (value !== null && typeof value !== "string") continue;
        const seen = this.observedEnums.get(field) ?? new Set();
        seen.add(value);
        this.observedEnums.set(field, seen);
      }
    }
  }
}
