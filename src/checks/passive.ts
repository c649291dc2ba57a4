/**
 * Passive checks: they send nothing, they judge every exchange any check makes, so that
 * every response of the run is held to the contract and the profile's shape rules.
 */

import type { TicketDetails } from "../../contracts/types.js";
import type { Exchange } from "../client/index.js";
import { isDateTime } from "../contract/formats.js";
import type { Violation } from "../contract/validator.js";
import { mismatch, orderProblem, queryOfUrl } from "./list-rules.js";
import type { CheckInfo } from "./model.js";
import type { Session } from "./session.js";
import { compareTimes } from "./times.js";

const check = (info: Omit<CheckInfo, "mutates" | "passive">): CheckInfo => ({
  ...info,
  mutates: false,
  passive: true,
});

export const PASSIVE_CHECKS = {
  notAServerError: check({
    id: "not_a_server_error",
    title: "No response is a 5xx",
    source: "profile",
    section: "PROFILE.md Errors",
    rule: "Never `5xx` for any input a client can send.",
  }),
  statusCode: check({
    id: "status_code_conformance",
    title: "Every status is one the contract documents for the operation",
    source: "docs",
    section: "docs: Responses (200) and PROFILE.md Errors (400, 401, 404, 409)",
    rule: "Each operation answers 200 or one of the error statuses the profile assigns it.",
  }),
  contentType: check({
    id: "content_type_conformance",
    title: "Every response body is application/json",
    source: "docs",
    section: "docs: Responses 200 application/json; PROFILE.md Errors",
    rule: "application/json (and every 4xx/5xx body is JSON).",
  }),
  schema: check({
    id: "response_schema_conformance",
    title: "Every body matches its documented shape: fields, types, formats, nullability",
    source: "docs",
    section: "docs: the response fields of each operation",
    rule: "Every field the docs list, with its type, format and nullability, Required as marked.",
  }),
  profileShapes: check({
    id: "profile_response_rules",
    title: "Enum values, the list's array and error bodies as the profile pins them",
    source: "profile",
    section: "PROFILE.md Enumerations, Errors, The list endpoint",
    rule: "Enum values from the profile's table; the list is a JSON array; errors are {message}.",
  }),
  undocumented: check({
    id: "no_undocumented_fields",
    title: "No field the docs do not list (a warning, never a failure)",
    source: "profile",
    section: "PROFILE.md The two ticket shapes",
    rule: "An undocumented extra field is reported as a warning, not a failure.",
  }),
  consistency: check({
    id: "details_consistency",
    title: "Ticket details are consistent with themselves",
    source: "profile",
    section: "PROFILE.md The two ticket shapes",
    rule:
      "assigneeName/assigneeEmail null iff assigneeId null; ticketingTeamName null iff ticketingTeamId null, " +
      "ticketingTeamPicture null when it is; channelName and channelType null iff channelId null; ownerEntity " +
      "user has an ownerEmail, external_user an ownerIdentifier; responderEntity user has no responder version; " +
      "pendingChatMessages >= 0.",
  }),
  listOrder: check({
    id: "list_order",
    title: "Every list page is in the profile's total order",
    source: "profile",
    section: "PROFILE.md The list endpoint",
    rule: "Order: `createdAt` descending, then `id` descending: a total order, so pages are stable while no ticket is written.",
  }),
  listFilters: check({
    id: "list_items_match_filters",
    title:
      "Every item of every list page matches every filter, and a page holds at most pageSize items",
    source: "profile",
    section: "PROFILE.md The list endpoint",
    rule:
      "`status` filters by equality; id filters: values OR-ed within a parameter, parameters AND-ed; `search`: " +
      "case-insensitive substring of `summary`; `includeRemoved` absent or `false` excludes removed chats; " +
      "page `n` holds items `(n-1)*pageSize .. n*pageSize-1`.",
  }),
  timestamps: check({
    id: "timestamp_order",
    title: "Timestamps are in lifecycle order",
    source: "profile",
    section: "PROFILE.md Lifecycle",
    rule: "Always `createdAt <= ongoingAt <= completedAt` where set, and `createdAt <= updatedAt`.",
  }),
} as const;

/** The enum fields a run observes, each with the shape whose values the contract pins. */
export const ENUM_FIELDS: Record<string, string> = {
  status: "TicketDetails",
  circumstance: "TicketRow",
  ownerEntity: "TicketDetails",
  responderEntity: "TicketDetails",
  channelType: "TicketDetails",
};
const TICKET_OPERATIONS = new Set([
  "getTicketDetails",
  "listTicketDetails",
  "createTicket",
  "completeTicket",
  "takeoverTicket",
  "updateTicketAssignee",
]);

export function judgeExchange(session: Session, exchange: Exchange<unknown>): void {
  const response = exchange.response;
  if (!response) return;
  const fail = (
    info: CheckInfo,
    message: string,
    more: { expected?: string; actual?: string } = {},
  ) =>
    session.finding({
      checkId: info.id,
      message,
      ...more,
      exchange: session.exchangeRecord(exchange),
    });
  if (response.status >= 500) fail(PASSIVE_CHECKS.notAServerError, `answered ${response.status}`);
  const hasBody = response.rawBody.length > 0;
  const contentType = response.headers["content-type"] ?? "";
  if (hasBody && !/^application\/json\b/i.test(contentType)) {
    fail(PASSIVE_CHECKS.contentType, `content-type ${JSON.stringify(contentType)}`, {
      expected: "application/json",
      actual: contentType || "(none)",
    });
  }
  const operationId = exchange.operationId;
  if (!operationId) return;
  const documented = documentedStatus(session, operationId, response.status);
  if (documented === undefined) {
    const statuses = session.options.validator.documentedStatuses(operationId);
    fail(PASSIVE_CHECKS.statusCode, `${operationId} answered ${response.status}`, {
      expected: `one of ${statuses.join(", ")}`,
      actual: String(response.status),
    });
    return;
  }
  if (response.json === undefined) {
    fail(
      PASSIVE_CHECKS.schema,
      `${operationId} ${response.status}: ${response.parseError ?? "no JSON body"}`,
    );
    return;
  }
  judgeBody(session, exchange, operationId, documented, response.json);
}

/** The documented status this answer stands for, with the vendor's accepted substitutes. */
function documentedStatus(
  session: Session,
  operationId: string,
  status: number,
): number | undefined {
  const statuses = session.options.validator.documentedStatuses(operationId);
  if (statuses.includes(status)) return status;
  return statuses.find((candidate) => session.options.profile.accepts(candidate).includes(status));
}

function judgeBody(
  session: Session,
  exchange: Exchange<unknown>,
  operationId: string,
  status: number,
  body: unknown,
): void {
  const result = session.options.validator.validateResponse(operationId, status, body);
  const record = () => session.exchangeRecord(exchange);
  for (const violation of result.failures) {
    const info = violation.source === "docs" ? PASSIVE_CHECKS.schema : PASSIVE_CHECKS.profileShapes;
    session.finding({ checkId: info.id, ...fromViolation(violation), exchange: record() });
  }
  for (const warning of result.warnings) {
    session.finding(
      { checkId: PASSIVE_CHECKS.undocumented.id, ...fromViolation(warning), exchange: record() },
      true,
    );
  }
  if (status !== 200 || !TICKET_OPERATIONS.has(operationId)) return;
  if (operationId === "listTicketDetails" && Array.isArray(body))
    judgeListPage(session, exchange, body);
  const tickets = (Array.isArray(body) ? body : [body]) as Record<string, unknown>[];
  tickets.forEach((ticket, index) => {
    if (ticket === null || typeof ticket !== "object") return;
    const at = Array.isArray(body) ? `/${index}` : "";
    observeEnums(session, ticket);
    for (const problem of timestampProblems(ticket)) {
      session.finding({
        checkId: PASSIVE_CHECKS.timestamps.id,
        message: `${operationId} ${at || "(body)"}: ${problem}`,
        exchange: record(),
      });
    }
    if (operationId === "getTicketDetails" || operationId === "listTicketDetails") {
      for (const problem of consistencyProblems(ticket)) {
        session.finding({
          checkId: PASSIVE_CHECKS.consistency.id,
          message: `${operationId} ${at || "(body)"}: ${problem}`,
          exchange: record(),
        });
      }
    }
  });
}

/** The passive list rules: order, filters, page length. */
function judgeListPage(session: Session, exchange: Exchange<unknown>, page: unknown[]): void {
  const items = page.filter(
    (item): item is TicketDetails => item !== null && typeof item === "object",
  );
  const query = queryOfUrl(exchange.request.url);
  const fail = (checkId: string, message: string) =>
    session.finding({ checkId, message, exchange: session.exchangeRecord(exchange) });
  const disorder = orderProblem(items);
  if (disorder) fail(PASSIVE_CHECKS.listOrder.id, `list page out of order: ${disorder}`);
  if (Number.isInteger(query.pageSize) && page.length > query.pageSize) {
    fail(
      PASSIVE_CHECKS.listFilters.id,
      `a page of ${page.length} items for pageSize ${query.pageSize}`,
    );
  }
  for (const [index, item] of items.entries()) {
    const reason = mismatch(item, query);
    if (reason) {
      fail(
        PASSIVE_CHECKS.listFilters.id,
        `item ${index} (ticket ${item.id}) does not match the query: ${reason}`,
      );
      return;
    }
  }
}

function fromViolation(violation: Violation) {
  return {
    message: `${violation.where} ${violation.pointer || "(body)"}: ${violation.rule} [${violation.source}: ${violation.quote}]`,
    expected: violation.expected,
    actual: violation.actual,
  };
}

function observeEnums(session: Session, ticket: Record<string, unknown>): void {
  for (const field of Object.keys(ENUM_FIELDS)) {
    if (!(field in ticket)) continue;
    const value = ticket[field];
    if (value !== null && typeof value !== "string") continue;
    const seen = session.observedEnums.get(field) ?? new Set();
    seen.add(value);
    session.observedEnums.set(field, seen);
  }
}

/** PROFILE.md "The two ticket shapes": the details consistency rules, each broken one a line. */
export function consistencyProblems(details: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const isNull = (field: string) => details[field] === null || details[field] === undefined;
  const iff = (a: string, b: string) => {
    if (isNull(a) !== isNull(b))
      problems.push(
        `${b} is ${isNull(b) ? "null" : "set"} but ${a} is ${isNull(a) ? "null" : "set"}`,
      );
  };
  iff("assigneeId", "assigneeName");
  iff("assigneeId", "assigneeEmail");
  iff("ticketingTeamId", "ticketingTeamName");
  if (isNull("ticketingTeamId") && !isNull("ticketingTeamPicture")) {
    problems.push("ticketingTeamPicture is set but ticketingTeamId is null");
  }
  iff("channelId", "channelName");
  iff("channelId", "channelType");
  if (details.ownerEntity === "user" && isNull("ownerEmail"))
    problems.push("ownerEntity is user but ownerEmail is null");
  if (details.ownerEntity === "external_user" && isNull("ownerIdentifier")) {
    problems.push("ownerEntity is external_user but ownerIdentifier is null");
  }
  if (
    details.responderEntity === "user" &&
    (!isNull("responderVersionId") || !isNull("responderVersionNumber"))
  ) {
    problems.push("responderEntity is user but a responder version is set");
  }
  const pending = details.pendingChatMessages;
  if (typeof pending === "number" && (!Number.isInteger(pending) || pending < 0)) {
    problems.push(`pendingChatMessages is ${pending}, not an integer >= 0`);
  }
  return problems;
}

/** PROFILE.md "Lifecycle": createdAt <= ongoingAt <= completedAt where set, createdAt <= updatedAt. */
export function timestampProblems(ticket: Record<string, unknown>): string[] {
  const valid = (field: string) =>
    typeof ticket[field] === "string" && isDateTime(ticket[field] as string);
  const problems: string[] = [];
  const order = ["createdAt", "ongoingAt", "completedAt"].filter(valid);
  for (let i = 1; i < order.length; i++) {
    const [before, after] = [order[i - 1] as string, order[i] as string];
    if (compareTimes(ticket[before] as string, ticket[after] as string) > 0) {
      problems.push(`${after} ${ticket[after]} is before ${before} ${ticket[before]}`);
    }
  }
  if (
    valid("updatedAt") &&
    valid("createdAt") &&
    compareTimes(ticket.updatedAt as string, ticket.createdAt as string) < 0
  ) {
    problems.push(`updatedAt ${ticket.updatedAt} is before createdAt ${ticket.createdAt}`);
  }
  return problems;
}
