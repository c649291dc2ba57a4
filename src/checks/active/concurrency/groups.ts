/**
 * The groups lifecycle_concurrency sends at once: two to four creates on one free chat, or
 * two to four takeovers, assignee changes, completes, tag attaches and removals on one new
 * ticket. A group is plain data, generated and shrunk by fast-check (to fewer requests,
 * then simpler ones, then no tag attached before it); fixture users and tags are named by
 * their index, resolved when the group is sent.
 */
import fc from "fast-check";
import type { OpenStatus } from "../../../contract/profile-facts.js";

export type GroupTicketOp =
  | { kind: "complete" | "takeover" | "assign"; user: number }
  | { kind: "attach" | "remove"; tag: number };

export interface GroupCreateOp {
  kind: "create";
  status: OpenStatus;
  user: number;
}

export type Group =
  | { on: "chat"; creates: GroupCreateOp[] }
  | {
      on: "ticket";
      /** The ticket's status before the group. */
      status: OpenStatus;
      /** Whether the fixture tag #0 is attached before the group. */
      tagged: boolean;
      ops: GroupTicketOp[];
    };

/** The most requests of a group: 4! = 24 serial orders to search, a cheap judgement. */
export const MAX_GROUP = 4;

/** Plain objects, so that a counterexample prints as one. */
const record = <T extends Record<string, unknown>>(
  model: {
    [K in keyof T]: fc.Arbitrary<T[K]>;
  },
): fc.Arbitrary<T> => fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
const user = fc.nat({ max: 2 });
const tag = fc.nat({ max: 1 });
const status = fc.constantFrom<OpenStatus>("pending", "ongoing");

const createOp: fc.Arbitrary<GroupCreateOp> = record({
  kind: fc.constant("create" as const),
  status,
  user,
});

const ticketOp: fc.Arbitrary<GroupTicketOp> = fc.oneof(
  { weight: 3, arbitrary: record({ kind: fc.constant("complete" as const), user }) },
  { weight: 2, arbitrary: record({ kind: fc.constant("takeover" as const), user }) },
  { weight: 2, arbitrary: record({ kind: fc.constant("assign" as const), user }) },
  { weight: 2, arbitrary: record({ kind: fc.constant("attach" as const), tag }) },
  { weight: 1, arbitrary: record({ kind: fc.constant("remove" as const), tag }) },
);

export function groups(): fc.Arbitrary<Group> {
  const size = { minLength: 2, maxLength: MAX_GROUP };
  return fc.oneof(
    {
      weight: 3,
      arbitrary: record({
        on: fc.constant("ticket" as const),
        status,
        tagged: fc.boolean(),
        ops: fc.array(ticketOp, size),
      }),
    },
    {
      weight: 1,
      arbitrary: record({ on: fc.constant("chat" as const), creates: fc.array(createOp, size) }),
    },
  );
}

/**
 * The smallest group of each race, run first in every run (fast-check `examples`), so that
 * none depends on what the random groups meet: two creates on one free chat, two attaches of
 * one tag, two completes, a complete against a takeover, a takeover against an assignee
 * change (whose `updatedAt` order shows), an attach against a removal of an attached tag.
 */
export const EXAMPLES: Group[] = [
  {
    on: "chat",
    creates: [
      { kind: "create", status: "pending", user: 0 },
      { kind: "create", status: "ongoing", user: 1 },
    ],
  },
  {
    on: "ticket",
    status: "pending",
    tagged: false,
    ops: [
      { kind: "attach", tag: 0 },
      { kind: "attach", tag: 0 },
    ],
  },
  {
    on: "ticket",
    status: "ongoing",
    tagged: false,
    ops: [
      { kind: "complete", user: 0 },
      { kind: "complete", user: 1 },
    ],
  },
  {
    on: "ticket",
    status: "pending",
    tagged: false,
    ops: [
      { kind: "complete", user: 0 },
      { kind: "takeover", user: 1 },
    ],
  },
  {
    on: "ticket",
    status: "pending",
    tagged: false,
    ops: [
      { kind: "takeover", user: 1 },
      { kind: "assign", user: 2 },
    ],
  },
  {
    on: "ticket",
    status: "ongoing",
    tagged: true,
    ops: [
      { kind: "attach", tag: 0 },
      { kind: "remove", tag: 0 },
    ],
  },
];

/** The group in words: `on a pending ticket (tag #0 attached): complete as user #0 | takeover by user #1`. */
export function describeGroup(group: Group): string {
  if (group.on === "chat") {
    const creates = group.creates.map((op) => `create ${op.status} for user #${op.user}`);
    return `${creates.length} at once on one free chat: ${creates.join(" | ")}`;
  }
  const ops = group.ops.map(describeOp);
  const tagged = group.tagged ? ", tag #0 attached" : "";
  return `${ops.length} at once on one ${group.status} ticket${tagged}: ${ops.join(" | ")}`;
}

function describeOp(op: GroupTicketOp): string {
  switch (op.kind) {
    case "complete":
      return `complete as user #${op.user}`;
    case "takeover":
      return `takeover by user #${op.user}`;
    case "assign":
      return `assign user #${op.user}`;
    case "attach":
      return `attach tag #${op.tag}`;
    case "remove":
      return `remove tag #${op.tag}`;
  }
}
