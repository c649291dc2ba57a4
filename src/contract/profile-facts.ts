/**
 * The facts of PROFILE.md that every room needs, written once: the statuses, the list's id
 * filters and the details field each one filters, the fields the two ticket shapes share,
 * the enum fields, and the fixtures a run needs. Checks, the reference server and the load
 * scenarios import them from here instead of restating them.
 *
 * Each list is typed against the generated contract (contracts/types.d.ts): a status, a
 * filter or a field the contract does not have is a compile error, and so is one it has
 * that a list leaves out (the `Exactly` checks below).
 */
import type {
  ListTicketDetailsParameters,
  TicketDetails,
  TicketRow,
} from "../../contracts/types.js";

/** `[A] extends [B]` both ways: a compile-time equality of two unions. */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const holds = <T extends true>(_: T) => undefined;

/** PROFILE.md Lifecycle: `pending` -> `ongoing` -> `completed`; `completed` is final. */
export const STATUSES = ["pending", "ongoing", "completed"] as const;
export type TicketStatus = (typeof STATUSES)[number];
holds<Exactly<TicketStatus, TicketDetails["status"]>>(true);

/** The statuses a ticket can be created in, and that hold a chat ("non-completed"). */
export const OPEN_STATUSES = ["pending", "ongoing"] as const satisfies readonly TicketStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

type ListQueryParameters = ListTicketDetailsParameters["query"];

/**
 * PROFILE.md The list endpoint: the id filters, one value or many as repeated keys; OR-ed
 * within a parameter, AND-ed across parameters.
 */
export const ID_FILTERS = [
  "assigneeIds",
  "chatIds",
  "responderIds",
  "responderVersionIds",
  "tagIds",
] as const satisfies readonly (keyof ListQueryParameters)[];
export type IdFilter = (typeof ID_FILTERS)[number];
holds<Exactly<IdFilter, Extract<keyof ListQueryParameters, `${string}Ids`>>>(true);

/**
 * The details field each id filter matches. `tagIds` has none: details do not carry tags,
 * so a page cannot show whether an item matches it.
 */
export const ID_FILTER_FIELDS = {
  assigneeIds: "assigneeId",
  chatIds: "chatId",
  responderIds: "responderId",
  responderVersionIds: "responderVersionId",
} as const satisfies Record<Exclude<IdFilter, "tagIds">, keyof TicketDetails>;
export type FieldFilter = keyof typeof ID_FILTER_FIELDS;

/** PROFILE.md The two ticket shapes: the fields the row and the details agree on. */
export const SHARED_FIELDS = [
  "id",
  "chatId",
  "assigneeId",
  "status",
  "summary",
  "ticketingTeamId",
  "createdAt",
  "ongoingAt",
  "completedAt",
] as const satisfies readonly (keyof TicketRow & keyof TicketDetails)[];

/**
 * PROFILE.md Enumerations: each enum field, with the shape whose schema pins its values
 * (`circumstance` is on the row only).
 */
export const ENUM_FIELDS = {
  status: "TicketDetails",
  circumstance: "TicketRow",
  ownerEntity: "TicketDetails",
  responderEntity: "TicketDetails",
  channelType: "TicketDetails",
} as const;
export type EnumField = keyof typeof ENUM_FIELDS;

/** PROFILE.md Fixtures: the ids a run needs and the API gives no endpoint to create. */
export const FIXTURE_KEYS = ["chatIds", "userIds", "tagIds", "ticketingTeamIds"] as const;
export type FixtureKey = (typeof FIXTURE_KEYS)[number];
/**
 * `GET /__fixtures`'s shape. `chatIds` are chats with no non-completed ticket at start-up,
 * so a run can create tickets on them.
 */
export type Fixtures = Record<FixtureKey, string[]>;
/** Fixtures as a config or a file gives them: any of the keys. */
export type FixtureIds = Partial<Fixtures>;
