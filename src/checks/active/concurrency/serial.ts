/**
 * The judge of lifecycle_concurrency: a group of requests sent at once is right when at
 * least one serial order of them gives every answer the target gave and ends in the state
 * it read afterwards (a linearizability check). For a group this small (at most four
 * requests, 24 orders) that is a search over its orders, each walked against the model of
 * PROFILE.md's lifecycle; an order also respects real time (a request answered before
 * another was sent comes first in it). Where a rule leaves a value to the target ("now",
 * the assignee on complete), the order takes it from the answer and holds the rest of the
 * order and the final read to it. Pure: no request, no clock.
 */
import type { TagLink, TicketRow } from "../../../../contracts/types.js";
import type { OpenStatus, TicketStatus } from "../../../contract/profile-facts.js";

/** PROFILE.md Lifecycle, in its words: each rule a step or the final read can break. */
export const RULES = {
  oneOpen:
    "PROFILE.md Lifecycle: A chat has at most one non-completed ticket: creating another for the same chat -> 409.",
  create:
    "PROFILE.md Lifecycle: The new ticket has `completedAt: null`, `ongoingAt` = now if created `ongoing` else null, `assigneeId` and `ticketingTeamId` as sent.",
  completedFinal:
    "PROFILE.md Lifecycle: `completed` is final. Takeover, Assignee, Complete: On `completed` -> 409.",
  takeover:
    "PROFILE.md Lifecycle: Takeover: sets `assigneeId`, status `ongoing`; sets `ongoingAt` = now if it was null, keeps it otherwise.",
  assign: "PROFILE.md Lifecycle: Assignee: sets `assigneeId`; status unchanged.",
  complete:
    "PROFILE.md Lifecycle: Complete: from `pending` or `ongoing` -> `completed`, `completedAt` = now; `ongoingAt` is left as it was.",
  updatedAt:
    "PROFILE.md Lifecycle: Every successful mutation sets `updatedAt` = now; `updatedAt` never goes back.",
  attachTwice: "PROFILE.md Lifecycle: attaching a tag already attached -> 409.",
  removeUnattached:
    "PROFILE.md Lifecycle: Tag remove (`DELETE .../tags/{tagId}`): not attached -> 404.",
  readYourWrites:
    "PROFILE.md Lifecycle: Read-your-writes: a GET after a successful mutation shows it.",
} as const;

export type Rule = (typeof RULES)[keyof typeof RULES];

/** One request of a group as it went. */
export interface Call<Op> {
  op: Op;
  /** The answer's status; undefined when there was none. */
  status: number | undefined;
  /** The parsed body of a 2xx answer that conforms to the contract; undefined otherwise. */
  body: unknown;
  /** When it was sent and answered (ms, one monotonic clock). */
  start: number;
  end: number;
}

/** Why an answer (or the final read) is not what an order gives, and the rule it breaks. */
export interface Mismatch {
  why: string;
  rule: Rule;
}

export interface Model<State, Op> {
  /** The state after `call` in an order, or why its answer is not the one the order gives. */
  step(state: State, call: Call<Op>): State | Mismatch;
  /** Why the final read is not `state`; undefined when it is. */
  end(state: State): Mismatch | undefined;
}

export interface Tried {
  /** Indices of the calls, in the order walked. */
  order: number[];
  /** The call of the order whose answer does not fit (its index), or "end" for the final read. */
  at: number | "end";
  mismatch: Mismatch;
}

export type Verdict =
  | { serial: true; order: number[] }
  | {
      serial: false;
      /** Every order that goes furthest before it does not fit (the closest explanations). */
      closest: Tried[];
      /** How many orders real time allows. */
      orders: number;
    };

/** Whether some serial order of `calls`, from `initial`, gives their answers and the final read. */
export function findSerialOrder<State, Op>(
  initial: State,
  calls: Call<Op>[],
  model: Model<State, Op>,
): Verdict {
  let closest: Tried[] = [];
  let depth = -1;
  const keep = (tried: Tried, reached: number) => {
    if (reached > depth) [closest, depth] = [[tried], reached];
    else if (reached === depth) closest.push(tried);
  };
  const walk = (order: number[], state: State): number[] | undefined => {
    if (order.length === calls.length) {
      const mismatch = model.end(state);
      if (!mismatch) return order;
      keep({ order, at: "end", mismatch }, order.length + 1);
      return undefined;
    }
    for (let next = 0; next < calls.length; next++) {
      if (order.includes(next) || !mayComeNext(calls, order, next)) continue;
      const after = model.step(state, calls[next] as Call<Op>);
      const tried = [...order, next];
      if (isMismatch(after)) {
        keep({ order: tried, at: next, mismatch: after }, order.length);
        continue;
      }
      const found = walk(tried, after);
      if (found) return found;
    }
    return undefined;
  };
  const order = walk([], initial);
  return order
    ? { serial: true, order }
    : { serial: false, closest, orders: countOrders(calls, []) };
}

/** Real time: a call answered before `next` was sent must already be in the order. */
function mayComeNext<Op>(calls: Call<Op>[], order: number[], next: number): boolean {
  const sent = (calls[next] as Call<Op>).start;
  return calls.every((call, i) => i === next || order.includes(i) || !(call.end < sent));
}

/** How many orders real time allows that start with `prefix`. */
function countOrders<Op>(calls: Call<Op>[], prefix: number[]): number {
  if (prefix.length === calls.length) return 1;
  let count = 0;
  for (let next = 0; next < calls.length; next++) {
    if (prefix.includes(next) || !mayComeNext(calls, prefix, next)) continue;
    count += countOrders(calls, [...prefix, next]);
  }
  return count;
}

function isMismatch(value: unknown): value is Mismatch {
  return typeof value === "object" && value !== null && "rule" in value && "why" in value;
}

const mismatch = (why: string, rule: Rule): Mismatch => ({ why, rule });

/** Whether `actual` is the status `expected`, or one the profile accepts for it (422 for 400). */
export type Accepts = (expected: number, actual: number | undefined) => boolean;

function time(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

function iso(ms: number | null): string {
  return ms === null ? "null" : new Date(ms).toISOString();
}

// --- one chat: concurrent creates

export interface CreateOp {
  kind: "create";
  status: OpenStatus;
  assigneeId: string;
  ticketingTeamId: string | null;
}

/** What the run believes of the chat: its open ticket, if one. */
export interface ChatState {
  open: { id: string; status: OpenStatus } | null;
}

/** The chat as read after the group: its non-completed tickets listed, and by id. */
export interface ChatRead {
  listed: { id: string; status: string }[];
  /** Ticket id -> status read by id, for every ticket a create of the group answered. */
  byId: Record<string, string>;
}

export function chatModel(
  chatId: string,
  read: ChatRead,
  accepts: Accepts,
): Model<ChatState, CreateOp> {
  return {
    step(state, call) {
      const { op } = call;
      if (state.open) {
        return accepts(409, call.status)
          ? state
          : mismatch(
              `answered ${call.status ?? "nothing"}, where the chat already holds the open ticket ${state.open.id}: 409 is due`,
              RULES.oneOpen,
            );
      }
      const row = call.body as TicketRow | undefined;
      if (!accepts(200, call.status) || !row) {
        return mismatch(
          `answered ${call.status ?? "nothing"}${row ? "" : " without a ticket"}, where the chat is free: 200 with the new ticket is due`,
          RULES.oneOpen,
        );
      }
      const wrong = [
        row.chatId !== chatId && `chatId ${row.chatId}`,
        row.status !== op.status && `status ${row.status}`,
        row.assigneeId !== op.assigneeId && `assigneeId ${row.assigneeId}`,
        row.ticketingTeamId !== op.ticketingTeamId && `ticketingTeamId ${row.ticketingTeamId}`,
        row.completedAt !== null && `completedAt ${row.completedAt}`,
        (row.ongoingAt !== null) !== (op.status === "ongoing") && `ongoingAt ${row.ongoingAt}`,
      ].filter(Boolean);
      if (wrong.length > 0) {
        return mismatch(`the new ticket has ${wrong.join(", ")}, not what was sent`, RULES.create);
      }
      return { open: { id: row.id, status: op.status } };
    },
    end(state) {
      const listed = read.listed.map((ticket) => `${ticket.id} (${ticket.status})`);
      const expected = state.open ? [`${state.open.id} (${state.open.status})`] : [];
      if (listed.sort().join() !== expected.join()) {
        return mismatch(
          `afterwards the chat lists ${listed.length} non-completed ticket(s) (${listed.join(", ") || "none"}), this order leaves ${expected[0] ?? "none"}`,
          RULES.oneOpen,
        );
      }
      if (state.open && read.byId[state.open.id] !== state.open.status) {
        return mismatch(
          `afterwards ticket ${state.open.id} reads ${read.byId[state.open.id]} by id, this order leaves it ${state.open.status}`,
          RULES.readYourWrites,
        );
      }
      return undefined;
    },
  };
}

// --- one ticket: takeover, assignee, complete, tag attach and remove

export type TicketOp =
  | { kind: "takeover" | "assign" | "complete"; userId: string }
  | { kind: "attach" | "remove"; tagId: string };

export interface TicketState {
  status: TicketStatus;
  assigneeId: string | null;
  ongoingAt: number | null;
  completedAt: number | null;
  /** The latest updatedAt an answer showed: no later one in the order may be earlier. */
  updatedAt: number;
  /** The tags attached, sorted. */
  tags: string[];
}

/** The ticket as read after the group: by id, and for each tag of the group whether it is on it. */
export interface TicketRead {
  status: string;
  assigneeId: string | null;
  ongoingAt: number | null;
  completedAt: number | null;
  tags: Record<string, boolean>;
}

export function ticketModel(
  ticketId: string,
  read: TicketRead,
  accepts: Accepts,
): Model<TicketState, TicketOp> {
  return {
    step(state, call) {
      const { op } = call;
      if ("tagId" in op) return tagStep(state, call, op, accepts);
      if (state.status === "completed") {
        return accepts(409, call.status)
          ? state
          : mismatch(
              `${op.kind} answered ${call.status ?? "nothing"} on the ticket completed before it: 409 is due`,
              RULES.completedFinal,
            );
      }
      const row = call.body as TicketRow | undefined;
      if (!accepts(200, call.status) || !row || row.id !== ticketId) {
        return mismatch(
          `${op.kind} answered ${call.status ?? "nothing"}${row ? "" : " without the ticket"} on the ${state.status} ticket: 200 with the ticket is due`,
          RULES[op.kind],
        );
      }
      return rowStep(state, row, op);
    },
    end(state) {
      const wrong: string[] = [];
      if (read.status !== state.status) wrong.push(`status ${read.status}, not ${state.status}`);
      if (read.assigneeId !== state.assigneeId)
        wrong.push(`assigneeId ${read.assigneeId}, not ${state.assigneeId}`);
      if (read.ongoingAt !== state.ongoingAt)
        wrong.push(`ongoingAt ${iso(read.ongoingAt)}, not ${iso(state.ongoingAt)}`);
      if (read.completedAt !== state.completedAt)
        wrong.push(`completedAt ${iso(read.completedAt)}, not ${iso(state.completedAt)}`);
      const tags = Object.entries(read.tags).filter(
        ([tagId, on]) => on !== state.tags.includes(tagId),
      );
      for (const [tagId, on] of tags)
        wrong.push(`tag ${tagId} ${on ? "attached" : "not attached"}`);
      if (wrong.length === 0) return undefined;
      const reopened = state.status === "completed" && read.status !== "completed";
      const rule = reopened ? RULES.completedFinal : RULES.readYourWrites;
      return mismatch(`afterwards the ticket reads ${wrong.join(", ")} (this order's end)`, rule);
    },
  };
}

function tagStep(
  state: TicketState,
  call: Call<TicketOp>,
  op: { kind: "attach" | "remove"; tagId: string },
  accepts: Accepts,
): TicketState | Mismatch {
  const attached = state.tags.includes(op.tagId);
  const answered = call.status ?? "nothing";
  if (op.kind === "attach") {
    if (attached) {
      return accepts(409, call.status)
        ? state
        : mismatch(
            `attach of tag ${op.tagId} answered ${answered}, attached before it: 409 is due`,
            RULES.attachTwice,
          );
    }
    const link = call.body as TagLink | undefined;
    if (!accepts(200, call.status) || link?.tagId !== op.tagId) {
      return mismatch(
        `attach of tag ${op.tagId} answered ${answered}${link ? "" : " without the link"}, not attached before it: 200 is due`,
        RULES.attachTwice,
      );
    }
    return { ...state, tags: [...state.tags, op.tagId].sort() };
  }
  if (!attached) {
    return accepts(404, call.status)
      ? state
      : mismatch(
          `removal of tag ${op.tagId} answered ${answered}, not attached before it: 404 is due`,
          RULES.removeUnattached,
        );
  }
  if (!accepts(200, call.status)) {
    return mismatch(
      `removal of tag ${op.tagId} answered ${answered}, attached before it: 200 is due`,
      RULES.removeUnattached,
    );
  }
  return { ...state, tags: state.tags.filter((tagId) => tagId !== op.tagId) };
}

/** A takeover, assignee change or complete that succeeded: its row against the state before it. */
function rowStep(
  state: TicketState,
  row: TicketRow,
  op: { kind: "takeover" | "assign" | "complete"; userId: string },
): TicketState | Mismatch {
  const updatedAt = time(row.updatedAt);
  if (updatedAt === null || updatedAt < state.updatedAt) {
    return mismatch(
      `${op.kind}'s row says updatedAt ${row.updatedAt}, before ${iso(state.updatedAt)} shown before it`,
      RULES.updatedAt,
    );
  }
  const ongoingAt = time(row.ongoingAt);
  const completedAt = time(row.completedAt);
  const wrong: string[] = [];
  const expect = (what: string, ok: boolean) => {
    if (!ok) wrong.push(what);
  };
  if (op.kind === "takeover") {
    expect(`status ${row.status}`, row.status === "ongoing");
    expect(`assigneeId ${row.assigneeId}`, row.assigneeId === op.userId);
    expect(
      `ongoingAt ${row.ongoingAt}`,
      state.ongoingAt === null ? ongoingAt !== null : ongoingAt === state.ongoingAt,
    );
    expect(`completedAt ${row.completedAt}`, completedAt === null);
  } else if (op.kind === "assign") {
    expect(`status ${row.status}`, row.status === state.status);
    expect(`assigneeId ${row.assigneeId}`, row.assigneeId === op.userId);
    expect(`ongoingAt ${row.ongoingAt}`, ongoingAt === state.ongoingAt);
    expect(`completedAt ${row.completedAt}`, completedAt === null);
  } else {
    expect(`status ${row.status}`, row.status === "completed");
    // The assignee on complete is open: kept, cleared, or the completing user.
    expect(
      `assigneeId ${row.assigneeId}`,
      [state.assigneeId, null, op.userId].includes(row.assigneeId),
    );
    expect(`ongoingAt ${row.ongoingAt}`, ongoingAt === state.ongoingAt);
    expect(`completedAt ${row.completedAt}`, completedAt !== null);
  }
  if (wrong.length > 0) {
    return mismatch(
      `${op.kind}'s row says ${wrong.join(", ")}, on the ${state.status} ticket this order gives it`,
      RULES[op.kind],
    );
  }
  return {
    status: row.status,
    assigneeId: row.assigneeId,
    ongoingAt,
    completedAt,
    updatedAt,
    tags: state.tags,
  };
}
