/**
 * PROFILE.md "The list endpoint", against the clean reference server this file starts. The
 * rules are restated here on purpose, not imported from src/: see ./support.ts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketDetails, TicketRow } from "../../../contracts/types.js";
import {
  client,
  create,
  expectResponse,
  type Filters,
  idsOf,
  listAll,
  listPage,
  NON_V4_UUID,
  ok,
  STATUSES,
  type Status,
  startRulesServer,
  stopRulesServers,
  TICKETS,
  tagId,
} from "./support.js";

beforeAll(startRulesServer);
afterAll(stopRulesServers);

const visible = (tickets: readonly TicketDetails[]) =>
  tickets.filter((ticket) => !ticket.chatIsRemoved);

/** The profile's total order: createdAt descending, then id descending. */
function comesBefore(a: TicketDetails, b: TicketDetails): boolean {
  const [createdA, createdB] = [Date.parse(a.createdAt), Date.parse(b.createdAt)];
  return createdA > createdB || (createdA === createdB && a.id > b.id);
}

function orderBreaks(tickets: readonly TicketDetails[]): string[] {
  const breaks: string[] = [];
  tickets.forEach((ticket, index) => {
    const previous = tickets[index - 1];
    if (previous && !comesBefore(previous, ticket))
      breaks.push(
        `#${index - 1} ${previous.createdAt} ${previous.id} / ${ticket.createdAt} ${ticket.id}`,
      );
  });
  return breaks;
}

/** The `count` values seen most often, most frequent first. */
function mostFrequent<T>(values: readonly T[], count: number): T[] {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([value]) => value);
}

function swapCase(text: string): string {
  return [...text]
    .map((char) => (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase()))
    .join("");
}

describe("The list endpoint", () => {
  /** Every ticket, each status, list order, includeRemoved=true: taken after the setup writes. */
  const all = {} as Record<Status, TicketDetails[]>;
  const tagged = {} as Record<"a" | "b" | "ab" | "none", TicketRow>;
  const [tagA, tagB] = [() => tagId(12), () => tagId(13)];

  beforeAll(async () => {
    for (const key of ["a", "b", "ab", "none"] as const) tagged[key] = await create();
    await ok(client.attachTicketTag(tagged.a.id, { tagId: tagA() }));
    await ok(client.attachTicketTag(tagged.b.id, { tagId: tagB() }));
    await ok(client.attachTicketTag(tagged.ab.id, { tagId: tagA() }));
    await ok(client.attachTicketTag(tagged.ab.id, { tagId: tagB() }));
    // Created together, several tickets share a millisecond: the id decides their order.
    await Promise.all(Array.from({ length: 16 }, () => create()));
    for (const status of STATUSES) all[status] = await listAll({ status, includeRemoved: true });
  });

  it("answers a JSON array, [] included", async () => {
    const exchange = await client.listTicketDetails({ status: "pending", chatIds: randomUUID() });
    expect(expectResponse(exchange, 200)).toEqual([]);
    expect(exchange.response?.rawBody).toBe("[]");
    const page = await listPage({ status: "pending" });
    expect(Array.isArray(page) && page.length > 0).toBe(true);
  });

  it("status filters by equality, and the statuses split the tickets", () => {
    const ids = new Set<string>();
    for (const status of STATUSES) {
      expect(all[status].length).toBeGreaterThan(50);
      expect(all[status].filter((t) => t.status !== status)).toEqual([]);
      for (const id of idsOf(all[status])) ids.add(id);
    }
    expect(ids.size).toBe(STATUSES.reduce((sum, status) => sum + all[status].length, 0));
    expect(ids.size).toBeGreaterThan(TICKETS);
  });

  const FIELDS = {
    assigneeIds: "assigneeId",
    chatIds: "chatId",
    responderIds: "responderId",
    responderVersionIds: "responderVersionId",
  } as const;

  it.each(Object.keys(FIELDS) as (keyof typeof FIELDS)[])(
    "%s: one value, and several as repeated keys (OR-ed within)",
    async (filter) => {
      const field = FIELDS[filter];
      for (const status of ["ongoing", "completed"] as const) {
        const pool = visible(all[status]);
        const values = mostFrequent(
          pool.map((t) => t[field]).filter((v): v is string => v !== null),
          3,
        );
        expect(values).toHaveLength(3);
        const [first = ""] = values;
        const one = await listAll({ status, [filter]: first });
        expect(idsOf(one)).toEqual(idsOf(pool.filter((t) => t[field] === first)));
        const several = await listAll({ status, [filter]: values });
        expect(idsOf(several)).toEqual(
          idsOf(pool.filter((t) => values.includes(t[field] as string))),
        );
        expect(several.length).toBeGreaterThan(one.length);
      }
      // Several values really go as repeated keys.
      const exchange = await client.listTicketDetails({
        status: "completed",
        [filter]: [NON_V4_UUID, NON_V4_UUID],
      });
      expect(exchange.request.url).toContain(`${filter}=${NON_V4_UUID}&${filter}=${NON_V4_UUID}`);
      expect(expectResponse(exchange, 200)).toEqual([]);
    },
  );

  it("tagIds: one value, and several (a ticket with any of the tags)", async () => {
    const chatIds = Object.values(tagged).map((t) => t.chatId);
    const find = async (tagIds: string | string[]) =>
      new Set(idsOf(await listAll({ status: "pending", chatIds, tagIds })));
    expect(await find(tagA())).toEqual(new Set([tagged.a.id, tagged.ab.id]));
    expect(await find(tagB())).toEqual(new Set([tagged.b.id, tagged.ab.id]));
    expect(await find([tagA(), tagB()])).toEqual(new Set([tagged.a.id, tagged.b.id, tagged.ab.id]));
    // Alone, too: the tagged tickets are the newest of their status carrying the tag.
    const alone = idsOf(await listPage({ status: "pending", tagIds: tagA(), pageSize: 100 }));
    expect(alone).toEqual(expect.arrayContaining([tagged.a.id, tagged.ab.id]));
    expect(alone).not.toContain(tagged.b.id);
    expect(alone).not.toContain(tagged.none.id);
    expect(await listAll({ status: "ongoing", chatIds, tagIds: [tagA(), tagB()] })).toEqual([]);
  });

  it("different filters are AND-ed", async () => {
    const pool = visible(all.completed);
    const pairs = pool
      .filter((t) => t.assigneeId !== null)
      .map((t) => `${t.assigneeId} ${t.responderId}`);
    const [pair = ""] = mostFrequent(pairs, 1);
    const [assignee = "", responder = ""] = pair.split(" ");
    const both = await listAll({
      status: "completed",
      assigneeIds: assignee,
      responderIds: responder,
    });
    const expected = pool.filter((t) => t.assigneeId === assignee && t.responderId === responder);
    expect(idsOf(both)).toEqual(idsOf(expected));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(pool.filter((t) => t.assigneeId === assignee).length);
    expect(expected.length).toBeLessThan(pool.filter((t) => t.responderId === responder).length);
    // Three at once, several values in one of them.
    const chats = mostFrequent(
      expected.map((t) => t.chatId),
      2,
    );
    const three = await listAll({
      status: "completed",
      assigneeIds: assignee,
      responderIds: [responder, randomUUID()],
      chatIds: chats,
    });
    expect(idsOf(three)).toEqual(idsOf(expected.filter((t) => chats.includes(t.chatId))));
  });

  it("search: a case-insensitive substring of the summary", async () => {
    const pool = visible(all.completed);
    const words = pool.flatMap((t) => t.summary.split(/[^A-Za-z]+/)).filter((w) => w.length >= 6);
    const [word = ""] = mostFrequent(words, 1);
    const query = swapCase(word.slice(1, -1)); // inside a word, in the other case
    const found = await listAll({ status: "completed", search: query });
    const expected = pool.filter((t) => t.summary.toLowerCase().includes(query.toLowerCase()));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.some((t) => !t.summary.includes(query))).toBe(true);
    expect(idsOf(found)).toEqual(idsOf(expected));
    // In other statuses and with includeRemoved, the same rule.
    const ongoing = await listAll({
      status: "ongoing",
      search: query.toUpperCase(),
      includeRemoved: true,
    });
    expect(idsOf(ongoing)).toEqual(
      idsOf(all.ongoing.filter((t) => t.summary.toLowerCase().includes(query.toLowerCase()))),
    );
    expect(await listPage({ status: "completed", search: `${word}-${randomUUID()}` })).toEqual([]);
  });

  it("includeRemoved: absent or false leaves out removed chats, true lists them", async () => {
    for (const status of STATUSES) {
      const removed = all[status].find((t) => t.chatIsRemoved);
      expect(removed, `a ${status} ticket on a removed chat`).toBeDefined();
      const ticket = removed as TicketDetails;
      const onChat = (includeRemoved?: boolean) =>
        listAll({
          status,
          chatIds: ticket.chatId,
          ...(includeRemoved === undefined ? {} : { includeRemoved }),
        });
      expect(idsOf(await onChat())).not.toContain(ticket.id);
      expect(idsOf(await onChat(false))).not.toContain(ticket.id);
      expect(idsOf(await onChat(true))).toContain(ticket.id);
      expect(idsOf(await listAll({ status }))).toEqual(idsOf(visible(all[status])));
      expect(idsOf(await listAll({ status, includeRemoved: false }))).toEqual(
        idsOf(visible(all[status])),
      );
    }
  });

  it("order: createdAt descending, then id descending, over every page", () => {
    for (const status of STATUSES) expect(orderBreaks(all[status]), status).toEqual([]);
    const ties = all.pending.filter((t, i) => all.pending[i - 1]?.createdAt === t.createdAt);
    // Not guaranteed, but 16 tickets created at once nearly always share a millisecond.
    if (ties.length === 0)
      console.warn("no two tickets share a createdAt: the id tie-break went unexercised");
  });

  it("pageSize defaults to 10, pageNumber to 1", async () => {
    const hundred = await listPage({ status: "completed", pageSize: 100 });
    const defaults = await client.listTicketDetails({ status: "completed" });
    const explicit = await client.listTicketDetails({
      status: "completed",
      pageSize: 10,
      pageNumber: 1,
    });
    expect(expectResponse(defaults, 200)).toHaveLength(10);
    expect(defaults.response?.rawBody).toBe(explicit.response?.rawBody);
    expect(idsOf(await listPage({ status: "completed", pageNumber: 2 }))).toEqual(
      idsOf(hundred.slice(10, 20)),
    );
    expect(idsOf(await listPage({ status: "completed", pageSize: 25 }))).toEqual(
      idsOf(hundred.slice(0, 25)),
    );
  });

  it("page n holds items (n-1)*size .. n*size-1: pages of 7 against one page of 100", async () => {
    const pool = visible(all.completed);
    const [responder = ""] = mostFrequent(
      pool.map((t) => t.responderId),
      1,
    );
    const queries: Filters[] = [
      { status: "completed" },
      { status: "ongoing", includeRemoved: true },
      { status: "completed", responderIds: responder },
      { status: "pending", search: "e" },
    ];
    for (const filters of queries) {
      const hundred = await listPage({ ...filters, pageSize: 100 });
      expect(hundred.length).toBe(100);
      const walked: TicketDetails[] = [];
      for (let pageNumber = 1; pageNumber <= 15; pageNumber++) {
        walked.push(...(await listPage({ ...filters, pageSize: 7, pageNumber })));
      }
      expect(idsOf(walked.slice(0, 100)), JSON.stringify(filters)).toEqual(idsOf(hundred));
      const page9 = await listPage({ ...filters, pageSize: 11, pageNumber: 9 });
      expect(idsOf(page9)).toEqual(idsOf(hundred.slice(88, 99)));
    }
  });

  it("a page past the end is [] with 200; every page but the last is full", async () => {
    const pool = visible(all.completed);
    const [responder = ""] = mostFrequent(
      pool.map((t) => t.responderId),
      1,
    );
    const expected = pool.filter((t) => t.responderId === responder);
    const filters: Filters = { status: "completed", responderIds: responder };
    const size = 7;
    const pages: TicketDetails[][] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await listPage({ ...filters, pageSize: size, pageNumber });
      pages.push(page);
      if (page.length < size || pageNumber > 500) break;
    }
    expect(idsOf(pages.flat())).toEqual(idsOf(expected));
    expect(pages.slice(0, -1).map((page) => page.length)).toEqual(
      pages.slice(0, -1).map(() => size),
    );
    expect(pages.length).toBe(Math.floor(expected.length / size) + 1);
    const lastPage = Math.ceil(expected.length / size);
    expect(await listPage({ ...filters, pageSize: size, pageNumber: lastPage + 1 })).toEqual([]);
    expect(await listPage({ status: "completed", pageSize: 100, pageNumber: 1_000_000 })).toEqual(
      [],
    );
    const total = visible(all.pending).length;
    const tail = await listPage({
      status: "pending",
      pageSize: 100,
      pageNumber: Math.ceil(total / 100),
    });
    expect(tail.length).toBe(total % 100 || 100);
    expect(
      await listPage({ status: "pending", pageSize: 100, pageNumber: Math.ceil(total / 100) + 1 }),
    ).toEqual([]);
  });
});
