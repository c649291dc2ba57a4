/**
 * The other side of the choices the docs and PROFILE.md leave open: each switch makes the
 * reference server take the choice it does not take by default, and break no rule. The
 * clean suite must pass against every one and against all of them together (the mutation
 * matrix runs both): a check that fails here expects what nobody stated, a false alarm.
 *
 * A choice acts like a fault of the catalog (faults.ts): a response transform, or a switch
 * the API reads where the choice lives. `open` quotes why it is open.
 */
import type { Fault } from "./faults.js";
import type { ApiResponse } from "./http-io.js";

export interface Choice extends Omit<Fault, "rule"> {
  /** What the docs and PROFILE.md say (or do not say) that leaves it open. */
  open: string;
}

type Json = Record<string, unknown>;

const TIMESTAMP_FIELDS = [
  "createdAt",
  "updatedAt",
  "ongoingAt",
  "completedAt",
  "lastViewedAt",
] as const;
/** India's offset: a zone that is not UTC, with minutes, for every timestamp. */
const OFFSET_MINUTES = 5 * 60 + 30;

/** The same instant written in local time at +05:30 (RFC 3339 5.6 time-offset). */
export function withOffset(value: string): string {
  const ms = Date.parse(value);
  const local = new Date(ms + OFFSET_MINUTES * 60_000).toISOString().replace(/Z$/, "");
  return `${local}+05:30`;
}

function eachObject(body: unknown, change: (object: Json) => void): void {
  for (const item of Array.isArray(body) ? body : [body]) {
    if (item !== null && typeof item === "object") change(item as Json);
  }
}

function onSuccess(change: (object: Json) => void) {
  return (_operationId: string, response: ApiResponse): ApiResponse => {
    if (response.status >= 200 && response.status < 300) eachObject(response.body, change);
    return response;
  };
}

export const CHOICES = [
  {
    name: "complete-clears-assignee",
    open: "PROFILE.md Lifecycle: complete sets `completedAt` and status and keeps `ongoingAt`; it says nothing of the assignee",
    description: "completing a ticket clears its assignee",
  },
  {
    name: "complete-assigns-completer",
    open: "PROFILE.md Lifecycle: complete sets `completedAt` and status and keeps `ongoingAt`; the complete body names the user who completes",
    description: "completing a ticket makes the completing user its assignee",
  },
  {
    name: "fixture-chats-removed",
    open: "PROFILE.md Fixtures: `chatIds` are chats with no non-completed ticket at start-up; nothing says they are not removed",
    description:
      "the chats /__fixtures publishes are removed chats (their tickets are listed only with includeRemoved=true)",
  },
  {
    name: "created-as-takeover",
    open: "PROFILE.md Lifecycle: `circumstance` is an enum value; which one is not pinned",
    description: "every ticket the API creates has circumstance takeover",
  },
  {
    name: "unknown-reference-400",
    open: "PROFILE.md Errors: `400` or `404` (either passes) for a well-formed but unknown `chatId`, `assigneeId`, `userId` or `ticketingTeamId` in a body",
    description:
      "an unknown chatId, assigneeId, userId or ticketingTeamId in a body answers 400, not 404",
  },
  {
    name: "timestamps-with-offset",
    open: "PROFILE.md The two ticket shapes: Timestamps are RFC 3339 date-times with a zone (any zone: RFC 3339 5.6 time-offset)",
    description: "every timestamp is written in local time at +05:30, not in Z",
    response: onSuccess((object) => {
      for (const field of TIMESTAMP_FIELDS) {
        const value = object[field];
        if (typeof value === "string") object[field] = withOffset(value);
      }
    }),
  },
  {
    name: "error-bodies-with-details",
    open: "PROFILE.md Errors: an object with a string `message` ... More fields are allowed",
    description: "every error body carries a code and details besides its message",
    response: (_operationId: string, response: ApiResponse): ApiResponse => {
      if (response.status < 400 || response.rawBody !== undefined) return response;
      const body = response.body as Json;
      return { ...response, body: { ...body, code: `E${response.status}`, details: [] } };
    },
  },
  {
    name: "json-without-charset",
    open: "docs: Responses 200 application/json (a charset parameter is optional: RFC 8259 11)",
    description: "the content type is application/json without a charset parameter",
    response: (_operationId: string, response: ApiResponse): ApiResponse => ({
      ...response,
      headers: { "content-type": "application/json", ...response.headers },
    }),
  },
  {
    name: "extra-response-headers",
    open: "docs and PROFILE.md: silent on response headers other than the content type",
    description: "every answer carries x-request-id, cache-control and a vendor header",
    response: (_operationId: string, response: ApiResponse): ApiResponse => ({
      ...response,
      headers: {
        "x-request-id": "6c1f8a80-1d5e-4c4b-9d0e-3f2b7e1c0a11",
        "cache-control": "no-store",
        "x-vendor-trace": "reference",
        ...response.headers,
      },
    }),
  },
] as const satisfies readonly Choice[];

export type ChoiceName = (typeof CHOICES)[number]["name"];
