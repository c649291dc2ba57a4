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

/** The fraction of the seconds of an RFC 3339 date-time (with its dot), before the zone. */
const FRACTION = /\.\d+(?=Z$|[+-]\d\d:\d\d$)/;

/**
 * The same instant written in local time at +05:30 (RFC 3339 5.6 time-offset), its
 * fraction of a second written as it was (as many digits, or none).
 */
export function withOffset(value: string): string {
  const ms = Date.parse(value);
  const local = new Date(ms + OFFSET_MINUTES * 60_000).toISOString().replace(/\.\d+Z$/, "");
  return `${local}${FRACTION.exec(value)?.[0] ?? ""}+05:30`;
}

/** The same instant with its fraction of a second written with `digits` digits (0: none). */
export function withFraction(value: string, digits: number): string {
  return value.replace(FRACTION, (fraction) =>
    digits === 0 ? "" : `.${fraction.slice(1).padEnd(digits, "0").slice(0, digits)}`,
  );
}

/** Every timestamp of a successful answer rewritten by `write`. */
function everyTimestamp(write: (value: string) => string) {
  return onSuccess((object) => {
    for (const field of TIMESTAMP_FIELDS) {
      const value = object[field];
      if (typeof value === "string") object[field] = write(value);
    }
  });
}

const DETAILS_OPERATIONS = new Set(["getTicketDetails", "listTicketDetails"]);

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
    response: everyTimestamp(withOffset),
  },
  {
    name: "timestamps-second-precision",
    open: "PROFILE.md The two ticket shapes: Timestamps are RFC 3339 date-times with a zone (RFC 3339 5.6: time-secfrac is optional)",
    description:
      "the clock counts whole seconds and every timestamp is written without a fraction (2026-05-01T10:00:00Z): tickets made in one second tie on createdAt, and the list orders them by id",
    response: everyTimestamp((value) => withFraction(value, 0)),
  },
  {
    name: "timestamps-microseconds",
    open: "PROFILE.md The two ticket shapes: Timestamps are RFC 3339 date-times with a zone (RFC 3339 5.6: time-secfrac is 1*DIGIT, as many digits as the server keeps)",
    description:
      "every timestamp is written with six digits of fraction, microseconds (2026-05-01T10:00:00.123000Z)",
    response: everyTimestamp((value) => withFraction(value, 6)),
  },
  {
    name: "timestamps-lower-case",
    open: 'PROFILE.md The two ticket shapes: Timestamps are RFC 3339 date-times with a zone (RFC 3339 5.6 NOTE: the "T" and "Z" may alternatively be lower case "t" or "z")',
    description: "every timestamp is written with a lower-case t and z (2026-05-01t10:00:00.123z)",
    response: everyTimestamp((value) => value.replace("T", "t").replace(/Z$/, "z")),
  },
  {
    name: "owner-fields-filled",
    open: "PROFILE.md The two ticket shapes: `ownerEntity = user` has a non-null `ownerEmail`, `external_user` a non-null `ownerIdentifier` (nothing says the other is null); docs: isOwnerBlocked: boolean · nullable",
    description:
      "a chat owned by a platform user reports its email as ownerIdentifier too, and isOwnerBlocked false, not null",
    response: (operationId: string, response: ApiResponse): ApiResponse => {
      if (!DETAILS_OPERATIONS.has(operationId) || response.status !== 200) return response;
      eachObject(response.body, (details) => {
        if (details.ownerEntity !== "user") return;
        details.ownerIdentifier = details.ownerEmail;
        details.isOwnerBlocked = false;
      });
      return response;
    },
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
  {
    name: "chunked-responses",
    open: "docs and PROFILE.md: silent on how a body is framed (RFC 9112 6: content-length or chunked transfer coding)",
    description:
      "every answer comes in chunks (transfer-encoding: chunked), without content-length",
  },
  {
    name: "connection-close",
    open: "docs and PROFILE.md: silent on persistent connections (RFC 9112 9.6: a server may close after any answer, saying connection: close)",
    description:
      "every answer says connection: close and the server closes the connection after it",
  },
  {
    name: "gzip-responses",
    open: "docs and PROFILE.md: silent on content codings; the harness sends no Accept-Encoding (RFC 9110 12.5.3: then any content coding is acceptable)",
    description: "every answer is gzip-coded (content-encoding: gzip), unasked",
  },
  {
    name: "few-seeded-tickets",
    open: "PROFILE.md Fixtures: Its seeded data also holds existing tickets in every status, removed chats among them (how many is not said)",
    description:
      "the server seeds two dozen tickets, not thousands: every status and a removed chat among them, each status a page or two",
  },
  {
    name: "unknown-method-404",
    open: "docs and PROFILE.md: silent on a method a path does not list (RFC 9110 15.5.6: 405 for a method the resource does not support; 15.5.5: 404 when the server will not disclose one: either)",
    description:
      "a method a known path does not answer (PUT /api/v1/tickets) gets 404, not 405 with Allow",
  },
  {
    name: "unknown-query-parameter-400",
    open: "PROFILE.md Errors: `400` for a query parameter out of bounds or of the wrong type; silent on a parameter the docs do not list",
    description: "a query parameter the docs do not list answers 400, not ignored",
  },
  {
    name: "unknown-body-field-400",
    open: "PROFILE.md Errors: `400` for a body that lacks a required field or has a field of the wrong type/format; silent on a field the docs do not list",
    description: "a request body with a field the docs do not list answers 400, not ignored",
  },
  {
    name: "uuid-v4-only",
    open: 'docs: every path, body and filter id is "A UUID v4 string"; PROFILE.md: `400` for an id that is not a UUID, `404` for a well-formed one that does not exist: a UUID of another version may be either',
    description:
      "a UUID of another version than 4 (a v1 or v7) in a path, a body or an id filter answers 400, not 404",
  },
  {
    name: "read-sets-last-viewed",
    open: "docs: lastViewedAt: The last time the ticket was viewed by the assignee; PROFILE.md pins it only on create (`lastViewedAt: null`)",
    description:
      "reading a ticket by id sets its lastViewedAt to now (the next write's row shows it); updatedAt does not move",
  },
] as const satisfies readonly Choice[];

export type ChoiceName = (typeof CHOICES)[number]["name"];
