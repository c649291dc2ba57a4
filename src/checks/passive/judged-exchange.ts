/**
 * An exchange as the passive checks judge it: the answer, and what several checks need
 * from it, each worked out once and only when a check asks (the documented status, the
 * contract's validation, the tickets in the body, the list page, the report's record).
 */
import { type Exchange, toCurl } from "../../client/index.js";
import type { ContractValidator, ValidationResult } from "../../contract/validator.js";
import { type ExchangeRecord, recordOf } from "../model.js";
import type { EffectiveProfile } from "../profile.js";

/** What judging needs of the run: the contract and the vendor's profile. */
export interface JudgeSettings {
  validator: ContractValidator;
  profile: Pick<EffectiveProfile, "accepts">;
}

/** A ticket in an answer, with where it is in the body ("" for the body itself). */
export interface TicketInAnswer {
  ticket: Record<string, unknown>;
  at: string;
}

const TICKET_OPERATIONS = new Set([
  "getTicketDetails",
  "listTicketDetails",
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
]);

export class JudgedExchange {
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly exchange: Exchange<unknown>,
    private readonly settings: JudgeSettings,
  ) {}

  get response() {
    return this.exchange.response;
  }

  get operationId() {
    return this.exchange.operationId;
  }

  /** The statuses the contract documents for the operation. */
  get documentedStatuses(): number[] {
    return this.once("documentedStatuses", () =>
      this.operationId ? this.settings.validator.documentedStatuses(this.operationId) : [],
    );
  }

  /**
   * The documented status this answer stands for, counting the vendor's accepted
   * substitutes (a 422 where the profile says 400); undefined when it stands for none.
   */
  get documentedStatus(): number | undefined {
    return this.once("documentedStatus", () => {
      const status = this.response?.status;
      if (status === undefined || !this.operationId) return undefined;
      const statuses = this.documentedStatuses;
      if (statuses.includes(status)) return status;
      return statuses.find((candidate) =>
        this.settings.profile.accepts(candidate).includes(status),
      );
    });
  }

  /** The body against the contract, for an answer with a documented status and a JSON body. */
  get validation(): ValidationResult | undefined {
    return this.once("validation", () => {
      const status = this.documentedStatus;
      const json = this.response?.json;
      if (!this.operationId || status === undefined || json === undefined) return undefined;
      return this.settings.validator.validateResponse(this.operationId, status, json);
    });
  }

  /** The tickets of a 200 answer of an operation that answers tickets. */
  get tickets(): TicketInAnswer[] {
    return this.once("tickets", () => {
      const body = this.response?.json;
      if (this.documentedStatus !== 200 || body === undefined) return [];
      if (!this.operationId || !TICKET_OPERATIONS.has(this.operationId)) return [];
      const list = Array.isArray(body);
      return (list ? body : [body]).flatMap((ticket, index) =>
        ticket !== null && typeof ticket === "object"
          ? [{ ticket: ticket as Record<string, unknown>, at: list ? `/${index}` : "" }]
          : [],
      );
    });
  }

  /** The page of a 200 list answer that is an array. */
  get listPage(): unknown[] | undefined {
    return this.once("listPage", () => {
      const body = this.response?.json;
      const isList = this.operationId === "listTicketDetails" && this.documentedStatus === 200;
      return isList && Array.isArray(body) ? body : undefined;
    });
  }

  /** The exchange as a report shows it (curl, answer cut to a safe length). */
  get record(): ExchangeRecord {
    return this.once("record", () => recordOf(this.exchange, toCurl(this.exchange)));
  }

  private once<T>(name: string, compute: () => T): T {
    if (!this.memo.has(name)) this.memo.set(name, compute());
    return this.memo.get(name) as T;
  }
}
