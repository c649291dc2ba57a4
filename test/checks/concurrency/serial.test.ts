/**
 * The judge of lifecycle_concurrency on hand-built histories: a group is right when some
 * serial order of it gives its answers and the state read after it, and every other
 * history names the rule its closest order breaks.
 */
import { describe, expect, it } from "vitest";
import type { TicketRow } from "../../../contracts/types.js";
import {
  type Call,
  type ChatRead,
  type CreateOp,
  chatModel,
  findSerialOrder,
  RULES,
  type TicketOp,
  type TicketRead,
  type TicketState,
  ticketModel,
} from "../../../src/checks/active/concurrency/serial.js";

const CHAT = "1c9a8f6d-4e3b-4d2c-8f9a-8b7c6d5e4f3a";
const TICKET = "0b8f7e5c-3d2a-4c1b-9e8f-7a6b5c4d3e2f";
const [ADA, BOB, CY] = ["ada", "bob", "cy"] as const;
const TAG = "tag-1";
const accepts = (expected: number, actual: number | undefined) => expected === actual;
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, 0, ms)).toISOString();
const T0 = Date.parse(at(0));

/** Calls that all overlap (sent at 0, answered at 10), unless told otherwise. */
function call<Op>(
  op: Op,
  status: number,
  body?: unknown,
  window = { start: 0, end: 10 },
): Call<Op> {
  return { op, status, body, ...window };
}

function row(overrides: Partial<TicketRow>): TicketRow {
  return {
    id: TICKET,
    chatId: CHAT,
    status: "pending",
    assigneeId: ADA,
    ticketingTeamId: null,
    summary: "s",
    circumstance: "handover",
    createdAt: at(0),
    updatedAt: at(0),
    ongoingAt: null,
    completedAt: null,
    lastViewedAt: null,
    ...overrides,
  };
}

describe("creates on one free chat", () => {
  const create = (assigneeId: string): CreateOp => ({
    kind: "create",
    status: "pending",
    assigneeId,
    ticketingTeamId: null,
  });
  const made = (id: string, assigneeId: string) =>
    row({ id, assigneeId, chatId: CHAT, status: "pending" });
  /** The creates against a chat that lists `listed` (pending) after them. */
  const judge = (calls: Call<CreateOp>[], listed: string[]) => {
    const read: ChatRead = {
      listed: listed.map((id) => ({ id, status: "pending" })),
      byId: Object.fromEntries(listed.map((id) => [id, "pending"])),
    };
    return findSerialOrder({ open: null }, calls, chatModel(CHAT, read, accepts));
  };

  it("one 200 and one 409, one open ticket after: the order in which the 200 came first", () => {
    const calls = [call(create(ADA), 409), call(create(BOB), 200, made("t2", BOB))];
    const verdict = judge(calls, ["t2"]);
    expect(verdict).toEqual({ serial: true, order: [1, 0] });
  });

  it("two 200s: no order explains them, and the rule is the one open ticket per chat", () => {
    const calls = [
      call(create(ADA), 200, made("t1", ADA)),
      call(create(BOB), 200, made("t2", BOB)),
    ];
    const verdict = judge(calls, ["t1", "t2"]);
    expect(verdict.serial).toBe(false);
    if (verdict.serial) return;
    expect(verdict.orders).toBe(2);
    expect(verdict.closest.map((tried) => tried.mismatch.rule)).toEqual([
      RULES.oneOpen,
      RULES.oneOpen,
    ]);
  });

  it("one 200 and one 409, but two open tickets on the chat after: the final read breaks it", () => {
    const calls = [call(create(ADA), 200, made("t1", ADA)), call(create(BOB), 409)];
    const verdict = judge(calls, ["t1", "t2"]);
    expect(verdict.serial).toBe(false);
    if (verdict.serial) return;
    expect(verdict.closest[0]?.at).toBe("end");
    expect(verdict.closest[0]?.mismatch.rule).toBe(RULES.oneOpen);
  });
});

describe("writes on one ticket", () => {
  const pending: TicketState = {
    status: "pending",
    assigneeId: ADA,
    ongoingAt: null,
    completedAt: null,
    updatedAt: T0,
    tags: [],
  };
  const read = (overrides: Partial<TicketRead>): TicketRead => ({
    status: "pending",
    assigneeId: ADA,
    ongoingAt: null,
    completedAt: null,
    tags: {},
    ...overrides,
  });
  const takeover = (userId: string): TicketOp => ({ kind: "takeover", userId });
  const assign = (userId: string): TicketOp => ({ kind: "assign", userId });
  const complete = (userId: string): TicketOp => ({ kind: "complete", userId });
  const judge = (calls: Call<TicketOp>[], after: TicketRead, state = pending) =>
    findSerialOrder(state, calls, ticketModel(TICKET, after, accepts));

  it("a complete and a takeover: 200 then 409, completed after: serial", () => {
    const done = row({ status: "completed", completedAt: at(2), updatedAt: at(2) });
    const verdict = judge(
      [call(complete(ADA), 200, done), call(takeover(BOB), 409)],
      read({ status: "completed", completedAt: T0 + 2 }),
    );
    expect(verdict).toEqual({ serial: true, order: [0, 1] });
  });

  it("both 200 and the ticket ongoing after: reopened, `completed` is final", () => {
    const done = row({ status: "completed", completedAt: at(2), updatedAt: at(2) });
    const taken = row({ status: "ongoing", assigneeId: BOB, ongoingAt: at(3), updatedAt: at(3) });
    const verdict = judge(
      [call(complete(ADA), 200, done), call(takeover(BOB), 200, taken)],
      read({ status: "ongoing", assigneeId: BOB, ongoingAt: T0 + 3 }),
    );
    expect(verdict.serial).toBe(false);
    if (verdict.serial) return;
    expect(verdict.closest.map((tried) => tried.mismatch.rule)).toContain(RULES.completedFinal);
  });

  it("two completes, both 200: the second is due a 409", () => {
    const done = row({ status: "completed", completedAt: at(2), updatedAt: at(2) });
    const verdict = judge(
      [call(complete(ADA), 200, done), call(complete(BOB), 200, done)],
      read({ status: "completed", completedAt: T0 + 2 }),
    );
    expect(verdict.serial).toBe(false);
    if (verdict.serial) return;
    expect(new Set(verdict.closest.map((tried) => tried.mismatch.rule))).toEqual(
      new Set([RULES.completedFinal]),
    );
  });

  it("the assignee on complete is open: kept, cleared or the completer all fit", () => {
    for (const assigneeId of [ADA, null, BOB]) {
      const done = row({ status: "completed", assigneeId, completedAt: at(2), updatedAt: at(2) });
      const verdict = judge(
        [call(complete(BOB), 200, done)],
        read({ status: "completed", assigneeId, completedAt: T0 + 2 }),
      );
      expect(verdict.serial, String(assigneeId)).toBe(true);
    }
    const other = row({
      status: "completed",
      assigneeId: CY,
      completedAt: at(2),
      updatedAt: at(2),
    });
    const verdict = judge(
      [call(complete(BOB), 200, other)],
      read({ status: "completed", assigneeId: CY, completedAt: T0 + 2 }),
    );
    expect(verdict.serial).toBe(false);
  });

  it("a takeover landing after an assignee change with an earlier updatedAt: updatedAt went back", () => {
    // The assignee change landed first (the ticket still pending), the takeover after it
    // with the `now` it took before: in one order updatedAt goes back, in the other the
    // assignee change's row is of a ticket not yet taken over.
    const assigned = row({ assigneeId: CY, updatedAt: at(5) });
    const taken = row({ status: "ongoing", assigneeId: BOB, ongoingAt: at(4), updatedAt: at(4) });
    const verdict = judge(
      [call(takeover(BOB), 200, taken), call(assign(CY), 200, assigned)],
      read({ status: "ongoing", assigneeId: BOB, ongoingAt: T0 + 4 }),
    );
    expect(verdict.serial).toBe(false);
    if (verdict.serial) return;
    expect(verdict.closest.map((tried) => tried.mismatch.rule).sort()).toEqual(
      [RULES.assign, RULES.updatedAt].sort(),
    );
  });

  it("the same with updatedAt in order: serial (takeover, then assignee change)", () => {
    const taken = row({ status: "ongoing", assigneeId: BOB, ongoingAt: at(4), updatedAt: at(4) });
    const assigned = row({ status: "ongoing", assigneeId: CY, ongoingAt: at(4), updatedAt: at(4) });
    const verdict = judge(
      [call(assign(CY), 200, assigned), call(takeover(BOB), 200, taken)],
      read({ status: "ongoing", assigneeId: CY, ongoingAt: T0 + 4 }),
    );
    expect(verdict).toEqual({ serial: true, order: [1, 0] });
  });

  it("real time: a request answered before another was sent comes first in every order", () => {
    // The assignee change was answered (at 3) before the takeover was sent (at 5): only
    // "assign, then takeover" is allowed, and its final assignee is the takeover's.
    const assigned = row({ assigneeId: CY, updatedAt: at(1) });
    const taken = row({ status: "ongoing", assigneeId: BOB, ongoingAt: at(6), updatedAt: at(6) });
    const calls = [
      call(takeover(BOB), 200, taken, { start: 5, end: 9 }),
      call(assign(CY), 200, assigned, { start: 0, end: 3 }),
    ];
    expect(judge(calls, read({ status: "ongoing", assigneeId: BOB, ongoingAt: T0 + 6 }))).toEqual({
      serial: true,
      order: [1, 0],
    });
    const wrong = judge(calls, read({ status: "ongoing", assigneeId: CY, ongoingAt: T0 + 6 }));
    expect(wrong.serial).toBe(false);
    if (!wrong.serial) expect(wrong.orders).toBe(1);
  });

  it("two attaches of one tag: one 200, one 409; both 200 breaks the attach rule", () => {
    const attach: TicketOp = { kind: "attach", tagId: TAG };
    const link = { tagId: TAG, ticketId: TICKET, createdAt: at(1), updatedAt: at(1) };
    const after = read({ tags: { [TAG]: true } });
    expect(judge([call(attach, 409), call(attach, 200, link)], after).serial).toBe(true);
    const both = judge([call(attach, 200, link), call(attach, 200, link)], after);
    expect(both.serial).toBe(false);
    if (!both.serial) expect(both.closest[0]?.mismatch.rule).toBe(RULES.attachTwice);
  });

  it("an attach and a removal of an attached tag: either order, held to the final read", () => {
    const tagged = { ...pending, tags: [TAG] };
    const ops: [TicketOp, TicketOp] = [
      { kind: "attach", tagId: TAG },
      { kind: "remove", tagId: TAG },
    ];
    const link = { tagId: TAG, ticketId: TICKET, createdAt: at(1), updatedAt: at(1) };
    // attach (409), then remove: not attached after.
    expect(
      judge([call(ops[0], 409), call(ops[1], 200)], read({ tags: { [TAG]: false } }), tagged)
        .serial,
    ).toBe(true);
    // remove, then attach: attached after.
    expect(
      judge([call(ops[0], 200, link), call(ops[1], 200)], read({ tags: { [TAG]: true } }), tagged)
        .serial,
    ).toBe(true);
    // removed and attached, yet not attached after: no order gives it.
    expect(
      judge([call(ops[0], 200, link), call(ops[1], 200)], read({ tags: { [TAG]: false } }), tagged)
        .serial,
    ).toBe(false);
  });
});
