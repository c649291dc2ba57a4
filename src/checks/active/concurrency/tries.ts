/**
 * One try of a group: what it needs made first, one request at a time (a free chat, or a
 * new ticket with its tag); the group sent at once (`context.together`: one tick, one
 * connection each); the chat or ticket read back once every answer came; the judgement
 * against every serial order (serial.ts); and, whatever happened, what it made ended: every
 * ticket on the chat completed (also two, when a race opened two), every tag removed.
 */
import type { TicketDetails, TicketRow } from "../../../../contracts/types.js";
import { type Exchange, type TicketsClient, toCurl } from "../../../client/index.js";
import { CheckStopped } from "../../check-stopped.js";
import type { CheckContext } from "../../context.js";
import { answerOf, PropertyFailure, pageOf, requireStatus } from "../../property.js";
import type { Group, GroupTicketOp } from "./groups.js";
import { type OverlapTally, overlapOf, type Window, windowOf } from "./overlap.js";
import {
  type Call,
  type ChatRead,
  type CreateOp,
  chatModel,
  findSerialOrder,
  type Model,
  type TicketOp,
  type TicketRead,
  type TicketState,
  ticketModel,
} from "./serial.js";

/**
 * How a try starts the group: all in one tick, or each 1 ms after the one before it (a
 * race whose window is a few milliseconds shows either way, and a gap of a millisecond
 * lets timestamps of whole milliseconds tell the requests apart); in the group's order or
 * the reverse. Tries cycle through them.
 */
export interface Pattern {
  name: string;
  reversed: boolean;
  staggerMs: number;
}

export const PATTERNS: readonly Pattern[] = [
  { name: "at once", reversed: false, staggerMs: 0 },
  { name: "1 ms apart", reversed: false, staggerMs: 1 },
  { name: "at once, in reverse order", reversed: true, staggerMs: 0 },
  { name: "1 ms apart, in reverse order", reversed: true, staggerMs: 1 },
];

export interface Try {
  group: Group;
  /** Which try of the group this is (1-based), and of how many. */
  number: number;
  of: number;
  pattern: Pattern;
  tally: OverlapTally;
}

export function runTry(context: CheckContext, attempt: Try): Promise<void> {
  return attempt.group.on === "chat" ? chatTry(context, attempt) : ticketTry(context, attempt);
}

// --- one free chat, creates

async function chatTry(context: CheckContext, attempt: Try): Promise<void> {
  const group = attempt.group as Extract<Group, { on: "chat" }>;
  const chatId = takeChat(context);
  const { userIds, ticketingTeamIds } = context.fixtures;
  const ops: CreateOp[] = group.creates.map((op) => ({
    kind: "create",
    status: op.status,
    assigneeId: pick(userIds, op.user),
    ticketingTeamId: ticketingTeamIds[0] ?? null,
  }));
  const exchanges = await sendAtOnce(
    context,
    ops.map((op) => (api: TicketsClient) => api.createTicket({ chatId, ...withoutKind(op) })),
    attempt,
  );
  const created = exchanges.flatMap((exchange) => {
    const row = exchange.response?.json as TicketRow | undefined;
    return exchange.response?.status === 200 && context.usable(exchange) && row ? [row.id] : [];
  });
  let read: ChatRead | undefined;
  try {
    read = await readChat(context, chatId, created);
    const model = chatModel(chatId, read, accepting(context));
    judge(context, attempt, "creates on one free chat", { open: null }, ops, exchanges, model, {
      describe: (call) => `create ${call.op.status} for ${call.op.assigneeId}`,
      after: () =>
        `the chat lists ${(read as ChatRead).listed.map((item) => `${item.id} (${item.status})`).join(", ") || "no non-completed ticket"}`,
    });
  } finally {
    await endChat(context, created, read);
  }
}

async function readChat(
  context: CheckContext,
  chatId: string,
  created: string[],
): Promise<ChatRead> {
  const listed: ChatRead["listed"] = [];
  for (const status of ["pending", "ongoing"] as const) {
    const exchange = await context.api.listTicketDetails({
      status,
      chatIds: [chatId],
      includeRemoved: true,
      pageSize: 100,
    });
    const page = pageOf<TicketDetails>(context, exchange, `list the ${status} tickets of the chat`);
    for (const item of page) {
      if (item.chatId === chatId) listed.push({ id: item.id, status: item.status });
    }
  }
  const byId: Record<string, string> = {};
  for (const id of created) {
    const exchange = await context.api.getTicketDetails(id);
    requireStatus(context, exchange, `GET ticket ${id} after the creates`, 200);
    const details = exchange.response?.json as TicketDetails;
    byId[id] = details.status;
  }
  return { listed, byId };
}

/** Completes every open ticket the creates left on the chat: one, or more after a race. */
async function endChat(
  context: CheckContext,
  created: string[],
  read: ChatRead | undefined,
): Promise<void> {
  const open = new Set(read?.listed.map((item) => item.id) ?? []);
  for (const id of created) if (read?.byId[id] !== "completed") open.add(id);
  const userId = pick(context.fixtures.userIds, 0);
  for (const id of open) await context.api.completeTicket(id, { userId });
}

// --- one new ticket: takeover, assignee, complete, tags

async function ticketTry(context: CheckContext, attempt: Try): Promise<void> {
  const group = attempt.group as Extract<Group, { on: "ticket" }>;
  const chatId = takeChat(context);
  const { userIds, tagIds, ticketingTeamIds } = context.fixtures;
  const exchange = await context.api.createTicket({
    chatId,
    assigneeId: pick(userIds, 0),
    ticketingTeamId: ticketingTeamIds[0] ?? null,
    status: group.status,
  });
  requireStatus(context, exchange, `create the group's ${group.status} ticket`, 200);
  const row = exchange.response?.json as TicketRow;
  const tagOf = (index: number) => pick(tagIds, index);
  const ops: TicketOp[] = group.ops.map((op) => resolve(op, userIds, tagOf));
  const looked = [
    ...new Set([
      ...(group.tagged ? [tagOf(0)] : []),
      ...ops.flatMap((op) => ("tagId" in op ? [op.tagId] : [])),
    ]),
  ];
  let read: TicketRead | undefined;
  try {
    if (group.tagged) {
      const attach = await context.api.attachTicketTag(row.id, { tagId: tagOf(0) });
      requireStatus(context, attach, `attach tag ${tagOf(0)} before the group`, 200);
    }
    const exchanges = await sendAtOnce(
      context,
      ops.map((op) => (api: TicketsClient) => sendTicketOp(api, row.id, op)),
      attempt,
    );
    read = await readTicket(context, row, chatId, looked);
    const initial: TicketState = {
      status: row.status,
      assigneeId: row.assigneeId,
      ongoingAt: time(row.ongoingAt),
      completedAt: time(row.completedAt),
      updatedAt: time(row.updatedAt) ?? Number.NEGATIVE_INFINITY,
      tags: group.tagged ? [tagOf(0)] : [],
    };
    const model = ticketModel(row.id, read, accepting(context));
    judge(context, attempt, `writes on ticket ${row.id}`, initial, ops, exchanges, model, {
      describe: (call) => describeTicketCall(call),
      after: () => describeTicketRead(read as TicketRead),
    });
  } finally {
    await endTicket(context, row.id, looked, read);
  }
}

function resolve(op: GroupTicketOp, userIds: string[], tagOf: (index: number) => string): TicketOp {
  return "tag" in op
    ? { kind: op.kind, tagId: tagOf(op.tag) }
    : { kind: op.kind, userId: pick(userIds, op.user) };
}

function sendTicketOp(api: TicketsClient, id: string, op: TicketOp): Promise<Exchange<unknown>> {
  switch (op.kind) {
    case "takeover":
      return api.takeoverTicket(id, { assigneeId: op.userId });
    case "assign":
      return api.updateTicketAssignee(id, { assigneeId: op.userId });
    case "complete":
      return api.completeTicket(id, { userId: op.userId });
    case "attach":
      return api.attachTicketTag(id, { tagId: op.tagId });
    case "remove":
      return api.removeTicketTag(id, op.tagId);
  }
}

async function readTicket(
  context: CheckContext,
  row: TicketRow,
  chatId: string,
  looked: string[],
): Promise<TicketRead> {
  const exchange = await context.api.getTicketDetails(row.id);
  requireStatus(context, exchange, `GET ticket ${row.id} after the group`, 200);
  const details = exchange.response?.json as TicketDetails;
  const tags: Record<string, boolean> = {};
  for (const tagId of looked) {
    const list = await context.api.listTicketDetails({
      status: details.status,
      chatIds: [chatId],
      tagIds: [tagId],
      includeRemoved: true,
      pageSize: 100,
    });
    const page = pageOf<TicketDetails>(context, list, `list the ticket by tag ${tagId}`);
    tags[tagId] = page.some((item) => item.id === row.id);
  }
  return {
    status: details.status,
    assigneeId: details.assigneeId,
    ongoingAt: time(details.ongoingAt),
    completedAt: time(details.completedAt),
    tags,
  };
}

/** Removes the group's tags still attached (all of them, if the read failed) and completes the ticket. */
async function endTicket(
  context: CheckContext,
  id: string,
  looked: string[],
  read: TicketRead | undefined,
): Promise<void> {
  for (const tagId of looked) {
    if (!read || read.tags[tagId]) await context.api.removeTicketTag(id, tagId);
  }
  if (read?.status !== "completed") {
    await context.api.completeTicket(id, { userId: pick(context.fixtures.userIds, 0) });
  }
}

function describeTicketCall(call: Call<TicketOp>): string {
  const { op } = call;
  const what = "tagId" in op ? `${op.kind} tag ${op.tagId}` : `${op.kind} with user ${op.userId}`;
  const row = call.body as TicketRow | undefined;
  const shown =
    row && "updatedAt" in row && "status" in row
      ? `: ${row.status}, assignee ${row.assigneeId}, ongoingAt ${row.ongoingAt}, completedAt ${row.completedAt}, updatedAt ${row.updatedAt}`
      : "";
  return `${what} -> ${call.status ?? "no answer"}${shown}`;
}

function describeTicketRead(read: TicketRead): string {
  const at = (ms: number | null) => (ms === null ? "null" : new Date(ms).toISOString());
  const tags = Object.entries(read.tags).map(([tagId, on]) => `${tagId} ${on ? "on" : "off"}`);
  return `the ticket reads ${read.status}, assignee ${read.assigneeId}, ongoingAt ${at(read.ongoingAt)}, completedAt ${at(read.completedAt)}${tags.length ? `, tags: ${tags.join(", ")}` : ""}`;
}

// --- sending at once, judging

/** Sends the calls as the try's pattern says; the answers in the order of `calls`. */
async function sendAtOnce<T extends Exchange<unknown>>(
  context: CheckContext,
  calls: ((api: TicketsClient) => Promise<T>)[],
  attempt: Try,
): Promise<T[]> {
  const { pattern } = attempt;
  const order = calls.map((_, index) => index);
  if (pattern.reversed) order.reverse();
  const answers = await context.together(
    order.map((index) => calls[index] as (api: TicketsClient) => Promise<T>),
    { staggerMs: pattern.staggerMs },
  );
  const exchanges: T[] = [];
  order.forEach((index, k) => {
    exchanges[index] = answers[k] as T;
  });
  const windows = exchanges.map(windowOf);
  const timed = windows.every((window) => window !== undefined);
  attempt.tally.add(timed ? overlapOf(windows as Window[]) : undefined, pattern.staggerMs === 0);
  return exchanges;
}

interface Describe<Op> {
  describe(call: Call<Op>): string;
  after(): string;
}

/** Ends the property's case with a failure unless some serial order explains the group. */
function judge<State, Op>(
  context: CheckContext,
  attempt: Try,
  what: string,
  initial: State,
  ops: Op[],
  exchanges: Exchange<unknown>[],
  model: Model<State, Op>,
  describe: Describe<Op>,
): void {
  const calls: Call<Op>[] = ops.map((op, index) => {
    const exchange = exchanges[index] as Exchange<unknown>;
    const window = windowOf(exchange) ?? { start: 0, end: Number.POSITIVE_INFINITY };
    return {
      op,
      status: exchange.response?.status,
      body: context.usable(exchange) ? exchange.response?.json : undefined,
      ...window,
    };
  });
  const verdict = findSerialOrder(initial, calls, model);
  if (verdict.serial) return;
  const [first] = verdict.closest;
  if (!first) return;
  const name = (order: number[]) => order.map((index) => `#${index + 1}`).join(" then ");
  const overlap = overlapOf(calls.map(({ start, end }) => ({ start, end })));
  const timing = `sent ${attempt.pattern.name} (try ${attempt.number} of ${attempt.of}): ${overlap.sharedMs > 0 ? `all in flight at once for ${overlap.sharedMs.toFixed(2)} ms` : "not all in flight at once"}, sends ${overlap.spreadMs.toFixed(2)} ms apart`;
  const rules = [...new Set(verdict.closest.map((tried) => tried.mismatch.rule))];
  const blamed = typeof first.at === "number" ? exchanges[first.at] : exchanges[0];
  throw new PropertyFailure(
    `${calls.length} concurrent ${what}: no serial order of them gives these answers and the state read after them; the closest, ${name(first.order)}: ${first.mismatch.why} [${rules.join(" ")}]`,
    blamed,
    [
      `the answers and the final state of at least one serial order of the ${calls.length} requests (${verdict.orders} order(s) tried); how each of the closest differs:`,
      ...verdict.closest
        .slice(0, 6)
        .map((tried) => `  ${name(tried.order)}: ${tried.mismatch.why}`),
    ].join("\n"),
    [
      timing,
      ...calls.map((call, index) => {
        const exchange = exchanges[index] as Exchange<unknown>;
        const answer = exchange.response ? answerOf(exchange) : "no answer";
        return `  #${index + 1} ${describe.describe(call)}\n     ${toCurl(exchange)}\n     answered ${answer}`;
      }),
      `afterwards ${describe.after()}`,
    ].join("\n"),
  );
}

function accepting(context: CheckContext) {
  return (expected: number, actual: number | undefined) =>
    actual !== undefined && context.options.profile.accepts(expected).includes(actual);
}

function takeChat(context: CheckContext): string {
  const chatId = context.chats.take();
  if (!chatId) {
    throw new CheckStopped("no free chat left to create a ticket on: give more fixture chatIds");
  }
  return chatId;
}

function withoutKind(op: CreateOp) {
  const { kind: _kind, ...body } = op;
  return body;
}

function pick<T>(items: T[], index: number): T {
  return items[index % items.length] as T;
}

function time(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}
