/**
 * Hand-built exchanges for unit tests of the passive checks: a valid ticket in both shapes,
 * an exchange around any answer, and one passive check's verdict on it.
 */
import type { OperationId, TicketDetails, TicketRow } from "../../contracts/types.js";
import { JudgedExchange, type PassiveCheck } from "../../src/checks/passive/index.js";
import { effectiveProfile } from "../../src/checks/profile.js";
import type { Exchange } from "../../src/client/index.js";
import type { ProfileOverrides } from "../../src/config/config.js";
import { ContractValidator } from "../../src/contract/validator.js";

const BASE = "http://127.0.0.1:9";
const TICKET_ID = "0b8f7e5c-3d2a-4c1b-9e8f-7a6b5c4d3e2f";
const CHAT_ID = "1c9a8f6d-4e3b-4d2c-8f9a-8b7c6d5e4f3a";
const USER_ID = "2d0b9a7e-5f4c-4e3d-9a0b-9c8d7e6f5a4b";

/** A ticket's details that break no rule: an ongoing ticket, assigned, on a web channel. */
export function details(
  overrides: Partial<Record<keyof TicketDetails, unknown>> & Record<string, unknown> = {},
) {
  const valid: TicketDetails = {
    assigneeEmail: "ada@example.com",
    assigneeId: USER_ID,
    assigneeName: "Ada Lovelace",
    assigneePicture: null,
    channelId: "3e1c0b8f-6a5d-4f4e-8b1c-0d9e8f7a6b5c",
    channelName: "Website",
    channelType: "web",
    chatId: CHAT_ID,
    chatIsRemoved: false,
    chatOwnerId: "4f2d1c9a-7b6e-4a5f-9c2d-1e0f9a8b7c6d",
    completedAt: null,
    createdAt: "2026-11-30T10:00:00.000Z",
    id: TICKET_ID,
    isOwnerBlocked: false,
    ongoingAt: "2026-11-30T10:05:00.000Z",
    ownerEmail: null,
    ownerEntity: "external_user",
    ownerIdentifier: "+15550100",
    ownerName: "A customer",
    pendingChatMessages: 2,
    responderEntity: "agent",
    responderId: "5a3e2d0b-8c7f-4b6a-8d3e-2f1a0b9c8d7e",
    responderName: "Helper bot",
    responderPicture: null,
    responderVersionId: "6b4f3e1c-9d8a-4c7b-9e4f-3a2b1c0d9e8f",
    responderVersionNumber: 3,
    status: "ongoing",
    summary: "The customer cannot log in",
    ticketingTeamId: null,
    ticketingTeamName: null,
    ticketingTeamPicture: null,
    workspaceId: "7c5a4f2d-0e9b-4d8c-8f5a-4b3c2d1e0f9a",
  };
  return { ...valid, ...overrides } as Record<string, unknown>;
}

/** The row of the same ticket, as a write answers it. */
export function row(overrides: Partial<Record<keyof TicketRow, unknown>> = {}) {
  const valid: TicketRow = {
    createdAt: "2026-11-30T10:00:00.000Z",
    id: TICKET_ID,
    updatedAt: "2026-11-30T10:05:00.000Z",
    assigneeId: USER_ID,
    chatId: CHAT_ID,
    circumstance: "takeover",
    completedAt: null,
    lastViewedAt: null,
    ongoingAt: "2026-11-30T10:05:00.000Z",
    status: "ongoing",
    summary: "The customer cannot log in",
    ticketingTeamId: null,
  };
  return { ...valid, ...overrides } as Record<string, unknown>;
}

export interface AnswerOptions {
  operationId?: OperationId;
  /** Path and query, e.g. `/api/v1/tickets/details?status=pending`. */
  path?: string;
  method?: string;
  status?: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
}

/** An exchange that got this answer. */
export function answered(options: AnswerOptions): Exchange<unknown> {
  const rawBody =
    options.rawBody ?? (options.body === undefined ? "" : JSON.stringify(options.body));
  let json: unknown;
  let parseError: string | undefined;
  try {
    json = rawBody === "" ? undefined : JSON.parse(rawBody);
    if (rawBody === "") parseError = "empty body";
  } catch (error) {
    parseError = (error as Error).message;
  }
  return {
    ...(options.operationId ? { operationId: options.operationId } : {}),
    request: {
      method: options.method ?? "GET",
      url: `${BASE}${options.path ?? "/api/v1/tickets/details?status=ongoing"}`,
      headers: { authorization: "$TICKETS_API_KEY" },
    },
    response: {
      status: options.status ?? 200,
      headers: { "content-type": "application/json", ...options.headers },
      rawBody,
      ...(json === undefined ? { parseError } : { json }),
    },
    timing: { startedAt: "2026-12-01T00:00:00.000Z", durationMs: 1 },
  };
}

/** A list page answer for `query` (a query string without `?`). */
export function listAnswer(query: string, page: unknown[]): Exchange<unknown> {
  return answered({
    operationId: "listTicketDetails",
    path: `/api/v1/tickets/details?${query}`,
    body: page,
  });
}

export interface Verdict {
  failures: string[];
  warnings: string[];
}

/** What one passive check finds on one exchange (and, with `run`, in its finish). */
export function judge(
  check: PassiveCheck,
  exchange: Exchange<unknown> | undefined,
  profile: ProfileOverrides = {},
  run?: Parameters<NonNullable<PassiveCheck["finish"]>>[1],
): Verdict {
  const verdict: Verdict = { failures: [], warnings: [] };
  const ctx = {
    fail: (_: unknown, message: string) => verdict.failures.push(message),
    warn: (_: unknown, message: string) => verdict.warnings.push(message),
  };
  const settings = {
    validator: ContractValidator.load(undefined, { enums: profile.enums ?? {} }),
    profile: effectiveProfile(profile),
  };
  if (exchange) check.judge(ctx, new JudgedExchange(exchange, settings));
  if (run) check.finish?.(ctx, run);
  return verdict;
}
