/**
 * One run against one target. Every request any check sends goes through here: it is
 * paced (rate limit, 429 Retry-After), bounded (the run's time budget), counted for the
 * check that sent it, entered in the target's ledger, and judged by the enabled passive
 * checks, whose findings carry the exchange.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Exchange, SendRequest, TicketsClient } from "../client/index.js";
import { ENUM_FIELDS, type EnumField, type Fixtures } from "../contract/profile-facts.js";
import type { ContractValidator } from "../contract/validator.js";
import type { Target } from "../target/index.js";
import { RunStopped } from "../util/run-stopped.js";
import type { Finding } from "./model.js";
import {
  JudgedExchange,
  type JudgeSettings,
  type PassiveCheck,
  type PassiveContext,
} from "./passive/index.js";
import type { EffectiveProfile } from "./profile.js";

export interface SessionOptions {
  target: Pick<Target, "client" | "fixtures" | "ledger">;
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
  readonly observedEnums = new Map<EnumField, Set<string | null>>();
  private readonly tallies = new Map<string, Tally>();
  private readonly findingCounts = new Map<string, number>();
  private readonly judges: { check: PassiveCheck; ctx: PassiveContext }[];
  private readonly judgeSettings: JudgeSettings;
  private transportErrorsInARow = 0;
  private interrupted: string | undefined;
  private nextSlot = 0;

  constructor(readonly options: SessionOptions) {
    this.judges = options.passive.map((check) => ({ check, ctx: this.passiveContext(check.id) }));
    this.judgeSettings = { validator: options.validator, profile: options.profile };
  }

  get fixtures(): Fixtures {
    return this.options.target.fixtures;
  }

  get ledger() {
    return this.options.target.ledger;
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
    const inner = this.options.target.client;
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
    if (this.interrupted !== undefined) throw RunStopped.interrupted(this.interrupted);
    if (Date.now() >= this.options.deadline) throw RunStopped.budgetSpent();
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
        throw RunStopped.unreachable(exchange.error.message);
      }
    } else {
      this.transportErrorsInARow = 0;
    }
    const status = exchange.response?.status;
    if (status !== undefined && status !== 401 && status !== 404) tally.meaningful++;
    this.ledger.record(exchange);
    if (!exchange.response) return;
    const judged = new JudgedExchange(exchange, this.judgeSettings);
    this.observeEnums(judged);
    for (const { check, ctx } of this.judges) check.judge(ctx, judged);
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

function retryAfterMs(exchange: Exchange<unknown>): number | undefined {
  if (exchange.response?.status !== 429) return undefined;
  const header = exchange.response.headers["retry-after"];
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header ?? "");
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000;
}
