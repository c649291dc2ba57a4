/**
 * What a run covered, counted from its answers as the session observes them (cleanup's
 * too): per operation, the statuses answered against those the contract documents; per
 * list query parameter, the queries that used it and the items they got back; per
 * lifecycle transition of PROFILE.md, how often it ran. Then, for what a run never
 * exercised, one warning each, given to the check whose rule went unexercised: never a
 * failure, for it breaks no rule.
 *
 * The state a transition starts from is not in its request: it is the ticket's status as
 * the last answer that showed the ticket said it (a create, a write, a read, a list page),
 * and a tag is attached when an answer of this run attached it and none removed it since.
 * An attempt that the state so known does not explain is counted apart (`unattributed`),
 * with why: the tallies hold only what the exchanges show.
 */
import type { ListTicketDetailsParameters, OperationId } from "../../contracts/types.js";
import { ROUTES } from "../client/tickets-client.js";
import {
  ID_FILTERS,
  OPEN_STATUSES,
  STATUSES,
  type TicketStatus,
} from "../contract/profile-facts.js";
import type { ContractValidator } from "../contract/validator.js";
import type { CheckResult, Finding } from "./model.js";
import type { JudgedExchange } from "./passive/judged-exchange.js";
import type { Coverage, FilterCoverage, TransitionCoverage } from "./results.js";

type Filter = keyof ListTicketDetailsParameters["query"];

/** Every query parameter of the list endpoint, in the order PROFILE.md treats them. */
export const FILTERS = [
  "status",
  ...ID_FILTERS,
  "search",
  "includeRemoved",
  "pageSize",
  "pageNumber",
] as const satisfies readonly Filter[];
// A parameter the contract has and the list leaves out is a compile error.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const holds = <T extends true>(_: T) => undefined;
holds<Exactly<(typeof FILTERS)[number], Filter>>(true);

const OPERATIONS = Object.keys(ROUTES) as OperationId[];

/** PROFILE.md Lifecycle, one row a transition: what it is, and the answer it is counted from. */
export const TRANSITIONS = [
  ["create pending", "createTicket", 200],
  ["create ongoing", "createTicket", 200],
  ["create on a chat with an open ticket (409)", "createTicket", 409],
  ["takeover from pending", "takeoverTicket", 200],
  ["takeover from ongoing", "takeoverTicket", 200],
  ["takeover of a completed ticket (409)", "takeoverTicket", 409],
  ["assign (pending or ongoing)", "updateTicketAssignee", 200],
  ["assign a completed ticket (409)", "updateTicketAssignee", 409],
  ["complete from pending", "completeTicket", 200],
  ["complete from ongoing", "completeTicket", 200],
  ["complete a completed ticket (409)", "completeTicket", 409],
  ["tag attach", "attachTicketTag", 200],
  ["tag attach, already attached (409)", "attachTicketTag", 409],
  ["tag remove", "removeTicketTag", 200],
  ["tag remove, not attached (404)", "removeTicketTag", 404],
] as const satisfies readonly (readonly [string, OperationId, number])[];
type Transition = (typeof TRANSITIONS)[number][0];

/** The checks a warning goes to, the first of them that ran; none ran: no warning. */
const WARNED = {
  statuses: ["status_code_conformance"],
  judgedFilters: ["list_items_match_filters"],
  pages: ["list_pagination", "list_items_match_filters"],
  tagIds: ["lifecycle_rules", "lifecycle_model"],
  transitions: ["lifecycle_rules", "lifecycle_model"],
} as const;
/** Where each filter's warning goes: the check that holds the answers to its rule. */
const FILTER_WARNED: Record<(typeof FILTERS)[number], readonly string[]> = {
  status: WARNED.judgedFilters,
  assigneeIds: WARNED.judgedFilters,
  chatIds: WARNED.judgedFilters,
  responderIds: WARNED.judgedFilters,
  responderVersionIds: WARNED.judgedFilters,
  // Details do not show tags: only the lifecycle checks, which know what they attached, judge it.
  tagIds: WARNED.tagIds,
  search: WARNED.judgedFilters,
  includeRemoved: WARNED.judgedFilters,
  pageSize: WARNED.pages,
  pageNumber: WARNED.pages,
};

const OPEN: readonly string[] = OPEN_STATUSES;

/**
 * Documented statuses that are only one side of an either/or, and its other side. PROFILE.md
 * Errors: "`400` or `404` (either passes) for a well-formed but unknown `chatId`,
 * `assigneeId`, `userId` or `ticketingTeamId` in a body": create has no other 404, so a
 * target that takes the 400 side never answers it, and that is no gap.
 */
const EITHER: Partial<Record<OperationId, Record<number, number>>> = { createTicket: { 404: 400 } };

/** The tallies of one run, fed every answered exchange. */
export class CoverageTally {
  private readonly statuses = new Map<string, Map<number, number>>();
  /** Per operation, the documented statuses some answer stood for. */
  private readonly stoodFor = new Map<string, Set<number>>();
  private readonly filters = new Map<string, FilterCoverage>(
    FILTERS.map((filter) => [filter, { filter, queries: 0, nonEmpty: 0, items: 0, refused: 0 }]),
  );
  private readonly runs = new Map<Transition, number>();
  private readonly unattributed = new Map<string, Coverage["unattributed"][number]>();
  /** Ticket id -> its status, as the last answer that showed it said. */
  private readonly lastStatus = new Map<string, string>();
  /** Ticket id -> its chat, as answers showed it. */
  private readonly chatOf = new Map<string, string>();
  /** `ticketId tagId` of the tags this run attached and has not removed since. */
  private readonly attached = new Set<string>();

  observe(judged: JudgedExchange): void {
    const { operationId, response } = judged;
    if (!operationId || !response) return;
    const status = response.status;
    const byStatus = this.statuses.get(operationId) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.statuses.set(operationId, byStatus);
    const stood = judged.documentedStatus;
    if (stood !== undefined) {
      const set = this.stoodFor.get(operationId) ?? new Set<number>();
      this.stoodFor.set(operationId, set.add(stood));
    }
    if (operationId === "listTicketDetails") this.observeList(judged);
    else this.observeTransition(judged, operationId, status);
    this.learn(judged);
  }

  /** The record of what was covered, for results.json. */
  coverage(validator: Pick<ContractValidator, "documentedStatuses">): Coverage {
    return {
      operations: OPERATIONS.map((operationId) => {
        const documented = validator.documentedStatuses(operationId);
        const stood = this.stoodFor.get(operationId) ?? new Set();
        const byStatus = [...(this.statuses.get(operationId) ?? [])].sort(([a], [b]) => a - b);
        const { method, path } = ROUTES[operationId];
        return {
          operationId,
          route: `${method} ${path}`,
          documented,
          observed: Object.fromEntries(byStatus.map(([status, count]) => [String(status), count])),
          neverObserved: documented.filter((status) => !stood.has(status)),
          otherSideAnswered: documented.filter((status) => {
            const other = EITHER[operationId]?.[status];
            return !stood.has(status) && other !== undefined && stood.has(other);
          }),
        };
      }),
      filters: FILTERS.map((filter) => ({ ...(this.filters.get(filter) as FilterCoverage) })),
      transitions: TRANSITIONS.map(
        ([transition, operationId, status]): TransitionCoverage => ({
          transition,
          operationId,
          status,
          runs: this.runs.get(transition) ?? 0,
        }),
      ),
      unattributed: [...this.unattributed.values()].map((attempt) => ({ ...attempt })),
    };
  }

  private observeList(judged: JudgedExchange): void {
    const page = judged.listPage;
    const refused = judged.documentedStatus === 400;
    if (!page && !refused) return;
    const params = new URL(judged.exchange.request.url).searchParams;
    for (const filter of FILTERS) {
      if (!params.has(filter)) continue;
      const tally = this.filters.get(filter) as FilterCoverage;
      if (!page) {
        tally.refused++;
        continue;
      }
      tally.queries++;
      tally.items += page.length;
      if (page.length > 0) tally.nonEmpty++;
    }
  }

  private observeTransition(judged: JudgedExchange, operationId: string, status: number): void {
    const made = status >= 200 && status < 300;
    if (!made && status !== 409 && status !== 404) return;
    const params = pathParams(operationId, judged.exchange.request.url);
    const body = requestBody(judged);
    if (operationId === "createTicket") {
      if (made) {
        const asked = body.status ?? rowStatus(judged);
        if (asked === "pending") this.ran("create pending");
        else if (asked === "ongoing") this.ran("create ongoing");
        else this.unexplained(operationId, status, `created with status ${seen(asked)}`);
      } else if (status === 409) {
        if (typeof body.chatId === "string" && this.chatIsBusy(body.chatId)) {
          this.ran("create on a chat with an open ticket (409)");
        } else {
          this.unexplained(
            operationId,
            status,
            "no earlier answer showed an open ticket on the chat",
          );
        }
      }
      return;
    }
    const ticketId = params.id ?? params.ticketId;
    if (ticketId === undefined) return;
    if (operationId === "attachTicketTag" || operationId === "removeTicketTag") {
      const tagId = operationId === "attachTicketTag" ? body.tagId : params.tagId;
      this.observeTag(operationId, status, ticketId, typeof tagId === "string" ? tagId : "");
      return;
    }
    if (status === 404) return; // an unknown ticket: the unknown-ids rule, not a transition
    const before = this.lastStatus.get(ticketId);
    if (before === undefined) {
      this.unexplained(operationId, status, "no earlier answer showed the ticket's status");
      return;
    }
    const transitions = WRITES[operationId as keyof typeof WRITES];
    if (transitions === undefined) return;
    const transition =
      status === 409
        ? before === "completed"
          ? transitions.refused
          : undefined
        : transitions[before as "pending" | "ongoing"];
    if (transition) this.ran(transition);
    else this.unexplained(operationId, status, `${status} on a ticket last seen ${seen(before)}`);
  }

  private observeTag(operationId: string, status: number, ticketId: string, tagId: string): void {
    const key = `${ticketId} ${tagId}`;
    const attached = this.attached.has(key);
    const made = status >= 200 && status < 300;
    if (operationId === "attachTicketTag") {
      if (made) {
        this.ran("tag attach");
        this.attached.add(key);
      } else if (status === 409) {
        if (attached) this.ran("tag attach, already attached (409)");
        else this.unexplained(operationId, status, "no answer of the run attached that tag");
      }
      return;
    }
    if (made) {
      this.ran("tag remove");
      this.attached.delete(key);
    } else if (status === 404 && this.lastStatus.has(ticketId)) {
      // A ticket an answer showed (a 404 for one none showed is the unknown-ids rule).
      if (attached) this.unexplained(operationId, status, "404, yet the run attached the tag");
      else this.ran("tag remove, not attached (404)");
    }
  }

  /** What the answer shows of tickets (status, chat): the state the next transition starts from. */
  private learn(judged: JudgedExchange): void {
    for (const { ticket } of judged.tickets) {
      if (typeof ticket.id !== "string") continue;
      if (typeof ticket.status === "string") this.lastStatus.set(ticket.id, ticket.status);
      if (typeof ticket.chatId === "string") this.chatOf.set(ticket.id, ticket.chatId);
    }
  }

  private chatIsBusy(chatId: string): boolean {
    for (const [ticketId, chat] of this.chatOf) {
      if (chat === chatId && OPEN.includes(this.lastStatus.get(ticketId) ?? "")) return true;
    }
    return false;
  }

  private ran(transition: Transition): void {
    this.runs.set(transition, (this.runs.get(transition) ?? 0) + 1);
  }

  private unexplained(operationId: string, status: number, why: string): void {
    const key = `${operationId} ${status} ${why}`;
    const attempt = this.unattributed.get(key) ?? { operationId, status, why, runs: 0 };
    attempt.runs++;
    this.unattributed.set(key, attempt);
  }
}

/** A status an answer showed, as words: the target's own value only when the contract has it. */
function seen(status: unknown): string {
  return (STATUSES as readonly unknown[]).includes(status)
    ? String(status)
    : "outside the contract";
}

/** The transition a write's answer is, by the ticket's status before it (409: refused). */
const WRITES = {
  takeoverTicket: {
    pending: "takeover from pending",
    ongoing: "takeover from ongoing",
    refused: "takeover of a completed ticket (409)",
  },
  updateTicketAssignee: {
    pending: "assign (pending or ongoing)",
    ongoing: "assign (pending or ongoing)",
    refused: "assign a completed ticket (409)",
  },
  completeTicket: {
    pending: "complete from pending",
    ongoing: "complete from ongoing",
    refused: "complete a completed ticket (409)",
  },
} as const satisfies Record<string, Record<"pending" | "ongoing" | "refused", Transition>>;

/** The path parameters of a request of `operationId`, read off its URL against the route. */
function pathParams(operationId: string, url: string): Record<string, string> {
  const route = ROUTES[operationId as OperationId];
  if (!route) return {};
  const names: string[] = [];
  const pattern = route.path
    .split(/\{(\w+)\}/)
    .map((part, index) => {
      if (index % 2 === 0) return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      names.push(part);
      return "([^/]+)";
    })
    .join("");
  const match = new RegExp(`${pattern}$`).exec(new URL(url).pathname);
  if (!match) return {};
  return Object.fromEntries(names.map((name, i) => [name, safeDecode(match[i + 1] ?? "")]));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The request's JSON body as an object, or {}. */
function requestBody(judged: JudgedExchange): Record<string, unknown> {
  const text = judged.exchange.request.body;
  if (text === undefined) return {};
  try {
    const body: unknown = JSON.parse(text);
    return body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function rowStatus(judged: JudgedExchange): TicketStatus | undefined {
  const status = judged.tickets[0]?.ticket.status;
  return typeof status === "string" ? (status as TicketStatus) : undefined;
}

// ---------------------------------------------------------------------------------------
// what a run never exercised, as warnings

interface CoverageWarning {
  /** The checks it may go to: the first that ran takes it. */
  to: readonly string[];
  message: string;
}

/** One line for each thing the run never exercised. */
export function coverageWarnings(
  coverage: Coverage,
  run: { readOnly: boolean },
): CoverageWarning[] {
  return [
    ...statusWarnings(coverage, run),
    ...filterWarnings(coverage),
    ...transitionWarnings(coverage),
  ];
}

function statusWarnings(coverage: Coverage, run: { readOnly: boolean }): CoverageWarning[] {
  const warnings: CoverageWarning[] = [];
  const neverCalled: string[] = [];
  for (const operation of coverage.operations) {
    const answered = Object.keys(operation.observed).length > 0;
    if (!answered) {
      // A read-only run sends no write, by design: not a gap.
      const write = ROUTES[operation.operationId as OperationId]?.method !== "GET";
      if (!(run.readOnly && write)) neverCalled.push(operation.operationId);
      continue;
    }
    const never = operation.neverObserved.filter(
      (status) => !operation.otherSideAnswered.includes(status),
    );
    if (never.length === 0) continue;
    warnings.push({
      to: WARNED.statuses,
      message: `\`${operation.operationId}\` never answered its documented ${never.join(", ")}: no request of the run exercised ${never.length === 1 ? "that case" : "those cases"} (it answered ${statusList(operation.observed)})`,
    });
  }
  if (neverCalled.length > 0) {
    warnings.push({
      to: WARNED.statuses,
      message: `never answered at all, so none of their statuses was exercised: ${neverCalled.map((id) => `\`${id}\``).join(", ")}`,
    });
  }
  return warnings;
}

/** `200 ×48, 400 ×9` */
function statusList(observed: Record<string, number>): string {
  return Object.entries(observed)
    .map(([status, count]) => `${status} ×${count}`)
    .join(", ");
}

function filterWarnings(coverage: Coverage): CoverageWarning[] {
  const anyPage = coverage.filters.some((filter) => filter.queries > 0);
  const listed = coverage.operations.some(
    (operation) =>
      operation.operationId === "listTicketDetails" && Object.keys(operation.observed).length > 0,
  );
  // No list answer at all: the status line says so; no page at all: one line, not ten.
  if (!listed) return [];
  if (!anyPage) {
    return [
      {
        to: WARNED.judgedFilters,
        message: "no list query was answered with a page: no list filter was exercised",
      },
    ];
  }
  return coverage.filters.flatMap((filter): CoverageWarning[] => {
    if (filter.nonEmpty > 0) return [];
    const to = FILTER_WARNED[filter.filter as (typeof FILTERS)[number]] ?? WARNED.judgedFilters;
    const message =
      filter.queries === 0
        ? `no list query used \`${filter.filter}\` and got a page: that filter was never tried`
        : `every one of the ${filter.queries} list queries with \`${filter.filter}\` got an empty page: none showed it selecting a ticket`;
    return [{ to, message }];
  });
}

function transitionWarnings(coverage: Coverage): CoverageWarning[] {
  const never = coverage.transitions.filter((transition) => transition.runs === 0);
  if (never.length === 0) return [];
  return [
    {
      to: WARNED.transitions,
      message: `lifecycle transitions that never ran: ${never.map((transition) => transition.transition).join("; ")}`,
    },
  ];
}

/**
 * The results with the coverage warnings added, each to the first of its checks that ran
 * (a pass becomes a warn); a warning none of whose checks ran is left out: the coverage
 * section still shows what it says.
 */
export function withCoverageWarnings(
  results: CheckResult[],
  warnings: CoverageWarning[],
): CheckResult[] {
  const byId = new Map(results.map((result) => [result.id, result]));
  const added = new Map<string, Finding[]>();
  for (const warning of warnings) {
    const to = warning.to.find((id) => {
      const result = byId.get(id);
      return result !== undefined && result.verdict !== "skip";
    });
    if (to === undefined) continue;
    added.set(to, [...(added.get(to) ?? []), { checkId: to, message: warning.message }]);
  }
  return results.map((result) => {
    const more = added.get(result.id);
    if (!more) return result;
    return {
      ...result,
      verdict: result.verdict === "pass" ? "warn" : result.verdict,
      warnings: [...result.warnings, ...more],
      warningCount: result.warningCount + more.length,
    };
  });
}
