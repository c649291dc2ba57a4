/**
 * PROFILE.md "Lifecycle", against the clean reference server this file starts. The
 * rules are restated here on purpose, not imported from src/: see ./support.ts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketDetails, TicketRow } from "../../../contracts/types.js";
import {
  client,
  create,
  details,
  type Filters,
  hasTag,
  idsOf,
  listAll,
  listPage,
  ok,
  openTicketsOfChat,
  PROFILE_ENUMS,
  refused,
  STATUSES,
  seeded,
  seen,
  server,
  sharedFields,
  startRulesServer,
  stateOf,
  stopRulesServers,
  type Ticket,
  tagId,
  takeChat,
  teamId,
  ticketsOfChat,
  userId,
} from "./support.js";

beforeAll(startRulesServer);
afterAll(stopRulesServers);

interface Window {
  before: number;
  after: number;
}

/** Runs `action`, and returns what it gave with the wall-clock window it ran in. */
async function during<T>(action: () => Promise<T>): Promise<[T, Window]> {
  const before = Date.now();
  const value = await action();
  return [value, { before, after: Date.now() }];
}

/** `timestamp` is "now" for a call made in `window`. */
function expectNow(timestamp: string | null, window: Window, what: string): void {
  expect(timestamp, `${what} is set`).not.toBeNull();
  const at = Date.parse(timestamp as string);
  expect(at, `${what} ${timestamp} is not before the call`).toBeGreaterThanOrEqual(window.before);
  expect(at, `${what} ${timestamp} is not after the call`).toBeLessThanOrEqual(window.after);
}

const ms = (timestamp: string | null) => (timestamp === null ? null : Date.parse(timestamp));

/** Breaks of `createdAt <= ongoingAt <= completedAt` (where set) and `createdAt <= updatedAt`. */
function timestampOrderBreaks(ticket: Ticket): string[] {
  const created = ms(ticket.createdAt) as number;
  const ongoing = ms(ticket.ongoingAt);
  const completed = ms(ticket.completedAt);
  const breaks: string[] = [];
  if (ongoing !== null && ongoing < created) breaks.push("ongoingAt < createdAt");
  if (completed !== null && completed < (ongoing ?? created))
    breaks.push("completedAt < ongoingAt or createdAt");
  if ("updatedAt" in ticket && (ms(ticket.updatedAt) as number) < created)
    breaks.push("updatedAt < createdAt");
  return breaks.map((text) => `${ticket.id}: ${text}`);
}

describe("Lifecycle", () => {
  it("create pending: completedAt, lastViewedAt and ongoingAt null; assigneeId and ticketingTeamId as sent; created now", async () => {
    const chatId = takeChat();
    const [row, window] = await during(() =>
      ok(
        client.createTicket({
          chatId,
          ticketingTeamId: teamId(2),
          assigneeId: userId(5),
          status: "pending",
        }),
      ),
    );
    expect(row).toMatchObject({
      chatId,
      status: "pending",
      assigneeId: userId(5),
      ticketingTeamId: teamId(2),
      completedAt: null,
      lastViewedAt: null,
      ongoingAt: null,
    });
    expect(PROFILE_ENUMS.circumstance).toContain(row.circumstance);
    expectNow(row.createdAt, window, "createdAt");
    expectNow(row.updatedAt, window, "updatedAt");
  });

  it("create ongoing: ongoingAt now; a null ticketingTeamId stays null", async () => {
    const chatId = takeChat();
    const [row, window] = await during(() =>
      ok(
        client.createTicket({
          chatId,
          ticketingTeamId: null,
          assigneeId: userId(6),
          status: "ongoing",
        }),
      ),
    );
    expect(row).toMatchObject({
      chatId,
      status: "ongoing",
      assigneeId: userId(6),
      ticketingTeamId: null,
      completedAt: null,
      lastViewedAt: null,
    });
    expect(PROFILE_ENUMS.circumstance).toContain(row.circumstance);
    expectNow(row.ongoingAt, window, "ongoingAt");
    expectNow(row.createdAt, window, "createdAt");
  });

  it("create completed: 400, and no ticket is created", async () => {
    const chatId = takeChat();
    const before = idsOf(await ticketsOfChat(chatId));
    await refused(
      client.createTicket({
        chatId,
        ticketingTeamId: null,
        assigneeId: userId(0),
        status: "completed",
      }),
      400,
    );
    expect(idsOf(await ticketsOfChat(chatId))).toEqual(before);
    await create({ chatId }); // the chat was free: only the status was refused
  });

  it("a chat has at most one non-completed ticket: another is 409; after completing the first, a new one is 200", async () => {
    const chatId = takeChat();
    const first = await create({ chatId, status: "pending" });
    const again = (status: "pending" | "ongoing") =>
      client.createTicket({ chatId, ticketingTeamId: null, assigneeId: userId(1), status });
    await refused(again("pending"), 409);
    await refused(again("ongoing"), 409);
    await ok(client.takeoverTicket(first.id, { assigneeId: userId(2) }));
    await refused(again("pending"), 409);
    expect(idsOf(await openTicketsOfChat(chatId))).toEqual([first.id]);
    await ok(client.completeTicket(first.id, { userId: userId(2) }));
    const second = await ok(again("ongoing"));
    expect(second.id).not.toBe(first.id);
    await refused(again("pending"), 409);
    expect(idsOf(await openTicketsOfChat(chatId))).toEqual([second.id]);
  });

  it("a chat goes through ticket after ticket, each through every state", async () => {
    const chatId = takeChat();
    const made: string[] = [];
    for (let round = 0; round < 3; round++) {
      const ticket = await create({ chatId, assigneeId: userId(round), status: "pending" });
      made.unshift(ticket.id);
      await ok(client.takeoverTicket(ticket.id, { assigneeId: userId(round + 1) }));
      await ok(client.updateTicketAssignee(ticket.id, { assigneeId: userId(round) }));
      await ok(client.completeTicket(ticket.id, { userId: userId(round) }));
    }
    const onChat = await listAll({ status: "completed", chatIds: chatId });
    expect(idsOf(onChat).filter((id) => made.includes(id))).toEqual(made);
    expect(await openTicketsOfChat(chatId)).toEqual([]);
  });

  it("takeover from pending: status ongoing, assignee set, ongoingAt now", async () => {
    const created = await create({ assigneeId: userId(0) });
    await sleep(3);
    const [row, window] = await during(() =>
      ok(client.takeoverTicket(created.id, { assigneeId: userId(7) })),
    );
    expect(row).toMatchObject({
      ...sharedFields(created),
      status: "ongoing",
      assigneeId: userId(7),
      ongoingAt: row.ongoingAt,
    });
    expectNow(row.ongoingAt, window, "ongoingAt");
    expectNow(row.updatedAt, window, "updatedAt");
  });

  it("takeover from ongoing: ongoingAt kept, assignee set", async () => {
    const created = await create({ status: "ongoing", assigneeId: userId(0) });
    await sleep(3);
    const [row, window] = await during(() =>
      ok(client.takeoverTicket(created.id, { assigneeId: userId(8) })),
    );
    expect(row).toMatchObject({ ...sharedFields(created), assigneeId: userId(8) });
    expect(row.ongoingAt).toBe(created.ongoingAt);
    expectNow(row.updatedAt, window, "updatedAt");
    // A second takeover (from ongoing after a takeover from pending) keeps it too.
    const pending = await create();
    const first = await ok(client.takeoverTicket(pending.id, { assigneeId: userId(1) }));
    await sleep(3);
    const second = await ok(client.takeoverTicket(pending.id, { assigneeId: userId(2) }));
    expect(second.ongoingAt).toBe(first.ongoingAt);
    expect(second.assigneeId).toBe(userId(2));
  });

  it("assignee: sets assigneeId, status unchanged (pending and ongoing)", async () => {
    for (const status of ["pending", "ongoing"] as const) {
      const created = await create({ status, assigneeId: userId(0) });
      await sleep(3);
      const [row, window] = await during(() =>
        ok(client.updateTicketAssignee(created.id, { assigneeId: userId(9) })),
      );
      expect(row).toMatchObject({ ...sharedFields(created), assigneeId: userId(9), status });
      expect(row.ongoingAt).toBe(created.ongoingAt);
      expectNow(row.updatedAt, window, "updatedAt");
    }
  });

  it("complete from pending: completedAt now, ongoingAt stays null", async () => {
    const created = await create({ status: "pending" });
    const [row, window] = await during(() =>
      ok(client.completeTicket(created.id, { userId: userId(3) })),
    );
    expect(row).toMatchObject({
      ...sharedFields(created),
      status: "completed",
      ongoingAt: null,
      completedAt: row.completedAt,
    });
    expectNow(row.completedAt, window, "completedAt");
    expectNow(row.updatedAt, window, "updatedAt");
  });

  it("complete from ongoing: completedAt now, ongoingAt kept", async () => {
    const created = await create({ status: "ongoing" });
    await sleep(3);
    const [row, window] = await during(() =>
      ok(client.completeTicket(created.id, { userId: userId(3) })),
    );
    expect(row.status).toBe("completed");
    expect(row.ongoingAt).toBe(created.ongoingAt);
    expect(row.assigneeId).toBe(created.assigneeId);
    expectNow(row.completedAt, window, "completedAt");
  });

  it("complete, takeover and assignee on a completed ticket: 409, and nothing changes", async () => {
    const made = await create({ status: "ongoing" });
    await ok(client.completeTicket(made.id, { userId: userId(1) }));
    const seededCompleted = seeded.completed.find((t) => t.assigneeId !== null) as TicketDetails;
    for (const ticket of [await details(made.id), seededCompleted]) {
      const before = await stateOf(ticket, [tagId(0)]);
      await sleep(3);
      await refused(client.completeTicket(ticket.id, { userId: userId(4) }), 409);
      await refused(client.takeoverTicket(ticket.id, { assigneeId: userId(4) }), 409);
      await refused(client.updateTicketAssignee(ticket.id, { assigneeId: userId(4) }), 409);
      expect(await stateOf(ticket, [tagId(0)])).toEqual(before);
    }
  });

  it("every successful mutation sets updatedAt to now, and updatedAt never goes back", async () => {
    const [created, createWindow] = await during(() => create());
    expectNow(created.updatedAt, createWindow, "create updatedAt");
    let last = Date.parse(created.updatedAt);
    const steps: [string, () => Promise<unknown>][] = [
      ["assignee", () => ok(client.updateTicketAssignee(created.id, { assigneeId: userId(1) }))],
      ["attach", () => ok(client.attachTicketTag(created.id, { tagId: tagId(1) }))],
      ["remove", () => ok(client.removeTicketTag(created.id, tagId(1)))],
      ["takeover", () => ok(client.takeoverTicket(created.id, { assigneeId: userId(2) }))],
      [
        "assignee again",
        () => ok(client.updateTicketAssignee(created.id, { assigneeId: userId(3) })),
      ],
      ["complete", () => ok(client.completeTicket(created.id, { userId: userId(3) }))],
      ["attach on completed", () => ok(client.attachTicketTag(created.id, { tagId: tagId(2) }))],
    ];
    for (const [label, step] of steps) {
      await sleep(2);
      const [body, window] = await during(step);
      if (body && typeof body === "object" && "updatedAt" in body) {
        const updatedAt = (body as { updatedAt: string }).updatedAt;
        expectNow(updatedAt, window, `${label} updatedAt`);
        expect(Date.parse(updatedAt), `${label}: updatedAt went back`).toBeGreaterThanOrEqual(last);
        last = Date.parse(updatedAt);
      }
    }
  });

  it("createdAt <= ongoingAt <= completedAt where set, and createdAt <= updatedAt, in every ticket seen", () => {
    const tickets: Ticket[] = [
      ...STATUSES.flatMap((status) => seeded[status]),
      ...seen.rows,
      ...seen.details,
    ];
    expect(seen.rows.length).toBeGreaterThan(30);
    expect(tickets.flatMap(timestampOrderBreaks)).toEqual([]);
  });

  it("read-your-writes: each mutation shows at once by id and in the list with the matching filters", async () => {
    const inList = async (ticket: Ticket, filters: Omit<Filters, "status">) => {
      const page = await listPage({
        status: ticket.status,
        chatIds: ticket.chatId,
        ...filters,
        pageSize: 100,
      });
      return page.filter((each) => each.id === ticket.id);
    };
    const expectVisible = async (row: TicketRow, filters: Omit<Filters, "status"> = {}) => {
      const byId = await details(row.id);
      expect(sharedFields(byId)).toEqual(sharedFields(row));
      expect(await inList(row, filters)).toEqual([byId]);
      for (const status of STATUSES.filter((each) => each !== row.status)) {
        expect(
          await listPage({ status, chatIds: row.chatId, pageSize: 100 }),
          `not ${status}`,
        ).toEqual(expect.not.arrayContaining([expect.objectContaining({ id: row.id })]));
      }
    };
    const created = await create({ assigneeId: userId(1) });
    await expectVisible(created, { assigneeIds: userId(1) });
    // The newest ticket is on the unfiltered first page of its status.
    expect(idsOf(await listPage({ status: "pending", pageSize: 100 }))).toContain(created.id);

    const assigned = await ok(client.updateTicketAssignee(created.id, { assigneeId: userId(2) }));
    await expectVisible(assigned, { assigneeIds: userId(2) });
    expect(await inList(assigned, { assigneeIds: userId(1) })).toEqual([]);

    const taken = await ok(client.takeoverTicket(created.id, { assigneeId: userId(3) }));
    await expectVisible(taken, { assigneeIds: userId(3) });
    expect(await inList(taken, { assigneeIds: userId(2) })).toEqual([]);

    await ok(client.attachTicketTag(created.id, { tagId: tagId(4) }));
    expect(await inList(taken, { tagIds: tagId(4) })).toHaveLength(1);
    await ok(client.removeTicketTag(created.id, tagId(4)));
    expect(await inList(taken, { tagIds: tagId(4) })).toEqual([]);

    const completed = await ok(client.completeTicket(created.id, { userId: userId(3) }));
    await expectVisible(completed, { assigneeIds: userId(3) });
  });

  it("tags: attaching one already attached is 409; removing one not attached is 404", async () => {
    const ticket = await create();
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(6) }));
    await refused(client.attachTicketTag(ticket.id, { tagId: tagId(6) }), 409);
    expect(await hasTag(ticket, tagId(6))).toBe(true);
    await ok(client.removeTicketTag(ticket.id, tagId(6)));
    expect(await hasTag(ticket, tagId(6))).toBe(false); // the 409 attached nothing twice
    await refused(client.removeTicketTag(ticket.id, tagId(6)), 404);
    await refused(client.removeTicketTag(ticket.id, tagId(8)), 404);
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(6) })); // free to attach again
    expect(await hasTag(ticket, tagId(6))).toBe(true);
  });

  it("tags can change on a ticket in any state, completed included", async () => {
    for (const status of ["pending", "ongoing"] as const) {
      const ticket = await create({ status });
      await ok(client.attachTicketTag(ticket.id, { tagId: tagId(9) }));
      expect(await hasTag(ticket, tagId(9))).toBe(true);
    }
    const ticket = await create({ status: "ongoing" });
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(10) }));
    const completed = await ok(client.completeTicket(ticket.id, { userId: userId(1) }));
    await ok(client.attachTicketTag(ticket.id, { tagId: tagId(11) }));
    expect(await hasTag(completed, tagId(11))).toBe(true);
    await ok(client.removeTicketTag(ticket.id, tagId(10)));
    expect(await hasTag(completed, tagId(10))).toBe(false);
    expect((await details(ticket.id)).status).toBe("completed");
    // A seeded completed ticket too.
    const old = seeded.completed[5] as TicketDetails;
    const free = server.fixtures.tagIds.find((tag) => tag !== tagId(0)) as string;
    const had = await hasTag(old, free);
    if (had) await ok(client.removeTicketTag(old.id, free));
    await ok(client.attachTicketTag(old.id, { tagId: free }));
    expect(await hasTag(old, free)).toBe(true);
  });
});
