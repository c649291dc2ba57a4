/**
 * lifecycle_model: random sequences of create, takeover, assign, complete, tag, untag,
 * get and list (fast-check `fc.commands`) against a small in-memory model of PROFILE.md's
 * lifecycle. After every step the target must agree with the model: status, assignee,
 * timestamps set and ordered, `updatedAt` moving forward, conflicts answered 409, the row
 * agreeing with the details, and the change visible at once by id and in list filters.
 */
import fc from "fast-check";
import type { TicketDetails, TicketRow } from "../../../contracts/types.js";
import type { Exchange } from "../../client/index.js";
import type { ActiveCheck, CheckContext } from "../context.js";
import {
  answerOf,
  checkProperty,
  PropertyFailure,
  pageOf,
  replayOf,
  reportFailure,
} from "../property.js";

type Status = "pending" | "ongoing" | "completed";

interface ModelTicket {
  id: string;
  chatId: string;
  status: Status;
  assigneeId: string | null;
  ticketingTeamId: string | null;
  createdAt: string;
  ongoingAt: string | null;
  completedAt: string | null;
  updatedAt: string;
  tags: Set<string>;
  /** When the run first saw this updatedAt (client clock): "now" must move on from it. */
  updatedSeenAt: number;
}

interface Model {
  tickets: ModelTicket[];
}

type Real = CheckContext;
type Command = fc.AsyncCommand<Model, Real, boolean>;

/** Fields the row and the details share (PROFILE.md "The two ticket shapes"). */
const SHARED = [
  "id",
  "chatId",
  "assigneeId",
  "status",
  "summary",
  "ticketingTeamId",
  "createdAt",
  "ongoingAt",
  "completedAt",
] as const;

function expectStatus(
  exchange: Exchange<unknown>,
  context: Real,
  what: string,
  ...statuses: number[]
): void {
  if (!context.hasStatus(exchange, ...statuses)) {
    throw new PropertyFailure(
      `${what}: expected ${statuses.join(" or ")}`,
      exchange,
      statuses.join(" or "),
      answerOf(exchange),
    );
  }
}

function time(value: string | null): number {
  return value === null ? Number.NaN : Date.parse(value);
}

async function details(context: Real, ticket: ModelTicket, why: string): Promise<TicketDetails> {
  const exchange = await context.api.getTicketDetails(ticket.id);
  expectStatus(exchange, context, `GET ticket ${ticket.id} ${why}`, 200);
  return exchange.response?.json as TicketDetails;
}

/** Read-your-writes: the details by id show exactly what the model holds. */
async function agreeWithModel(
  context: Real,
  ticket: ModelTicket,
  why: string,
  row?: TicketRow,
): Promise<void> {
  const read = await details(context, ticket, why);
  const expected: Record<string, unknown> = {
    id: ticket.id,
    chatId: ticket.chatId,
    status: ticket.status,
    assigneeId: ticket.assigneeId,
    ticketingTeamId: ticket.ticketingTeamId,
    createdAt: ticket.createdAt,
    ongoingAt: ticket.ongoingAt,
    completedAt: ticket.completedAt,
  };
  for (const [field, value] of Object.entries(expected)) {
    const actual = (read as unknown as Record<string, unknown>)[field];
    if (actual !== value) {
      throw new PropertyFailure(
        `${why}: GET by id shows ${field} ${JSON.stringify(actual)}, the model ${JSON.stringify(value)}`,
      );
    }
  }
  if (!row) return;
  for (const field of SHARED) {
    if (row[field] !== read[field]) {
      throw new PropertyFailure(
        `${why}: the row says ${field} ${JSON.stringify(row[field])}, the details ${JSON.stringify(read[field])}`,
      );
    }
  }
}

/** The row of a successful write: updatedAt moved forward, createdAt kept. */
function checkWrite(
  row: TicketRow,
  before: ModelTicket,
  what: string,
  exchange: Exchange<unknown>,
): void {
  const after = time(row.updatedAt);
  if (after < time(before.updatedAt)) {
    throw new PropertyFailure(
      `${what}: updatedAt went back`,
      exchange,
      `at or after ${before.updatedAt}`,
      row.updatedAt,
    );
  }
  // Equal is "now" only while less time has passed than the timestamps can tell apart
  // (a millisecond, or a second for timestamps without a fraction), plus a margin.
  const resolutionMs = /\.\d/.test(row.updatedAt) ? 1 : 1000;
  if (after === time(before.updatedAt) && Date.now() - before.updatedSeenAt > resolutionMs + 1) {
    throw new PropertyFailure(
      `${what}: updatedAt did not move forward`,
      exchange,
      `after ${before.updatedAt}`,
      row.updatedAt,
    );
  }
  if (row.createdAt !== before.createdAt) {
    throw new PropertyFailure(
      `${what}: createdAt changed`,
      exchange,
      before.createdAt,
      row.createdAt,
    );
  }
}

function pick<T>(items: T[], index: number): T {
  return items[index % items.length] as T;
}

class Create implements Command {
  constructor(
    readonly status: "pending" | "ongoing",
    readonly user: number,
    readonly team: number | null,
    readonly onBusyChat: boolean,
  ) {}
  check = () => true;
  async run(model: Model, context: Real): Promise<void> {
    const { userIds, ticketingTeamIds } = context.fixtures;
    const assigneeId = pick(userIds, this.user);
    const ticketingTeamId =
      this.team === null || ticketingTeamIds.length === 0
        ? null
        : pick(ticketingTeamIds, this.team);
    const open = model.tickets.filter((ticket) => ticket.status !== "completed");
    if (this.onBusyChat && open.length > 0) {
      const busy = pick(open, this.user);
      const exchange = await context.api.createTicket({
        chatId: busy.chatId,
        assigneeId,
        ticketingTeamId,
        status: this.status,
      });
      expectStatus(exchange, context, `create a second open ticket on chat ${busy.chatId}`, 409);
      return;
    }
    const chatId = context.session.chats.take();
    if (!chatId) return; // no free chat left: nothing to create on
    const exchange = await context.api.createTicket({
      chatId,
      assigneeId,
      ticketingTeamId,
      status: this.status,
    });
    expectStatus(exchange, context, `create a ${this.status} ticket`, 200);
    const row = exchange.response?.json as TicketRow;
    const problems = [
      row.status !== this.status && `status ${row.status}, sent ${this.status}`,
      row.assigneeId !== assigneeId && `assigneeId ${row.assigneeId}, sent ${assigneeId}`,
      row.ticketingTeamId !== ticketingTeamId &&
        `ticketingTeamId ${row.ticketingTeamId}, sent ${ticketingTeamId}`,
      row.chatId !== chatId && `chatId ${row.chatId}, sent ${chatId}`,
      row.completedAt !== null && `completedAt ${row.completedAt}, not null`,
      row.lastViewedAt !== null && `lastViewedAt ${row.lastViewedAt}, not null`,
      (row.ongoingAt !== null) !== (this.status === "ongoing") &&
        `ongoingAt ${row.ongoingAt} for a ${this.status} ticket`,
    ].filter(Boolean);
    if (problems.length > 0)
      throw new PropertyFailure(`a new ticket: ${problems.join("; ")}`, exchange);
    const ticket: ModelTicket = {
      id: row.id,
      chatId,
      status: this.status,
      assigneeId,
      ticketingTeamId,
      createdAt: row.createdAt,
      ongoingAt: row.ongoingAt,
      completedAt: null,
      updatedAt: row.updatedAt,
      tags: new Set(),
      updatedSeenAt: Date.now(),
    };
    model.tickets.push(ticket);
    await agreeWithModel(context, ticket, "after create", row);
  }
  toString = () =>
    `Create(${this.status}, user ${this.user}, team ${this.team}${this.onBusyChat ? ", on a busy chat" : ""})`;
}

/** Takeover, assign and complete: refused with 409 on a completed ticket, else applied. */
class Transition implements Command {
  constructor(
    readonly kind: "takeover" | "assign" | "complete",
    readonly ticket: number,
    readonly user: number,
  ) {}
  check = (model: Readonly<Model>) => model.tickets.length > 0;
  async run(model: Model, context: Real): Promise<void> {
    const ticket = pick(model.tickets, this.ticket);
    const userId = pick(context.fixtures.userIds, this.user);
    const exchange = await this.send(context, ticket.id, userId);
    const what = `${this.kind} ticket ${ticket.id} (${ticket.status})`;
    if (ticket.status === "completed") {
      expectStatus(exchange, context, what, 409);
      await agreeWithModel(context, ticket, `after a refused ${this.kind}`);
      return;
    }
    expectStatus(exchange, context, what, 200);
    const row = exchange.response?.json as TicketRow;
    checkWrite(row, ticket, what, exchange);
    this.expectRow(row, ticket, userId, exchange);
    Object.assign(ticket, {
      status: row.status,
      assigneeId: row.assigneeId,
      ongoingAt: row.ongoingAt,
      completedAt: row.completedAt,
      updatedAt: row.updatedAt,
      updatedSeenAt: row.updatedAt === ticket.updatedAt ? ticket.updatedSeenAt : Date.now(),
    });
    await agreeWithModel(context, ticket, `after ${this.kind}`, row);
  }

  private send(context: Real, id: string, userId: string) {
    if (this.kind === "takeover") return context.api.takeoverTicket(id, { assigneeId: userId });
    if (this.kind === "assign") return context.api.updateTicketAssignee(id, { assigneeId: userId });
    return context.api.completeTicket(id, { userId });
  }

  /** PROFILE.md Lifecycle, per transition. */
  private expectRow(
    row: TicketRow,
    before: ModelTicket,
    userId: string,
    exchange: Exchange<unknown>,
  ): void {
    const after = time(row.updatedAt);
    const expected: Partial<Record<keyof TicketRow, unknown>> = {};
    if (this.kind === "takeover") {
      Object.assign(expected, { status: "ongoing", assigneeId: userId, completedAt: null });
      if (before.ongoingAt !== null) expected.ongoingAt = before.ongoingAt;
      else if (!(time(row.ongoingAt) >= time(before.updatedAt) && time(row.ongoingAt) <= after)) {
        throw new PropertyFailure(
          `takeover of a pending ticket: ongoingAt ${row.ongoingAt} is not now`,
          exchange,
        );
      }
    } else if (this.kind === "assign") {
      Object.assign(expected, {
        status: before.status,
        assigneeId: userId,
        ongoingAt: before.ongoingAt,
        completedAt: null,
      });
    } else {
      Object.assign(expected, {
        status: "completed",
        assigneeId: before.assigneeId,
        ongoingAt: before.ongoingAt,
      });
      if (!(time(row.completedAt) >= time(before.updatedAt) && time(row.completedAt) <= after)) {
        throw new PropertyFailure(`complete: completedAt ${row.completedAt} is not now`, exchange);
      }
    }
    for (const [field, value] of Object.entries(expected)) {
      const actual = row[field as keyof TicketRow];
      if (actual !== value) {
        throw new PropertyFailure(
          `${this.kind}: the row says ${field} ${JSON.stringify(actual)}`,
          exchange,
          JSON.stringify(value),
          JSON.stringify(actual),
        );
      }
    }
  }
  toString = () =>
    `${this.kind[0]?.toUpperCase()}${this.kind.slice(1)}(ticket #${this.ticket}, user ${this.user})`;
}

class Tag implements Command {
  constructor(
    readonly attach: boolean,
    readonly ticket: number,
    readonly tag: number,
  ) {}
  check = (model: Readonly<Model>) => model.tickets.length > 0;
  async run(model: Model, context: Real): Promise<void> {
    const ticket = pick(model.tickets, this.ticket);
    const tagId = pick(context.fixtures.tagIds, this.tag);
    const attached = ticket.tags.has(tagId);
    if (this.attach) {
      const exchange = await context.api.attachTicketTag(ticket.id, { tagId });
      const what = `attach tag ${tagId} to ticket ${ticket.id} (${attached ? "attached" : "not attached"})`;
      expectStatus(exchange, context, what, attached ? 409 : 200);
      const link = exchange.response?.json as { tagId?: string; ticketId?: string };
      if (!attached && (link.tagId !== tagId || link.ticketId !== ticket.id)) {
        throw new PropertyFailure(`${what}: the tag link names another tag or ticket`, exchange);
      }
      ticket.tags.add(tagId);
    } else {
      const exchange = await context.api.removeTicketTag(ticket.id, tagId);
      expectStatus(
        exchange,
        context,
        `remove tag ${tagId} from ticket ${ticket.id} (${attached ? "attached" : "not attached"})`,
        attached ? 200 : 404,
      );
      ticket.tags.delete(tagId);
    }
    await agreeWithModel(context, ticket, `after a tag ${this.attach ? "attach" : "removal"}`);
  }
  toString = () => `${this.attach ? "Tag" : "Untag"}(ticket #${this.ticket}, tag ${this.tag})`;
}

/** Lists the model's chats with a status (and tags): exactly the model's tickets that match. */
class List implements Command {
  constructor(
    readonly ticket: number,
    readonly tags: number[],
  ) {}
  check = (model: Readonly<Model>) => model.tickets.length > 0;
  async run(model: Model, context: Real): Promise<void> {
    const { status } = pick(model.tickets, this.ticket);
    const tagIds = [...new Set(this.tags.map((tag) => pick(context.fixtures.tagIds, tag)))];
    const chatIds = [...new Set(model.tickets.map((ticket) => ticket.chatId))];
    const exchange = await context.api.listTicketDetails({
      status,
      chatIds,
      ...(tagIds.length ? { tagIds } : {}),
      pageSize: 100,
    });
    const page = pageOf<TicketDetails>(exchange, "list the run's chats");
    const ours = new Set(model.tickets.map((ticket) => ticket.id));
    const listed = page
      .filter((item) => ours.has(item.id))
      .map((item) => item.id)
      .sort();
    const expected = model.tickets
      .filter(
        (ticket) =>
          ticket.status === status &&
          (tagIds.length === 0 || tagIds.some((tag) => ticket.tags.has(tag))),
      )
      .map((ticket) => ticket.id)
      .sort();
    if (listed.join() !== expected.join()) {
      throw new PropertyFailure(
        `list status=${status}${tagIds.length ? ` tagIds=${tagIds.join(",")}` : ""} over the run's chats: not exactly the matching tickets`,
        exchange,
        expected.join(",") || "(none)",
        listed.join(",") || "(none)",
      );
    }
  }
  toString = () => `List(status of ticket #${this.ticket}, tags [${this.tags.join(",")}])`;
}

function commands() {
  // Few tickets and users per sequence, so that steps meet: a takeover of a ticket taken
  // over already, a write on one just completed.
  const index = fc.nat({ max: 3 });
  // Few tags, so that sequences attach one twice and list by two.
  const tag = fc.nat({ max: 2 });
  return [
    fc
      .record({
        status: fc.constantFrom("pending" as const, "ongoing" as const),
        user: index,
        team: fc.option(index),
        busy: fc.oneof(
          { weight: 4, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      })
      .map(({ status, user, team, busy }) => new Create(status, user, team, busy)),
    fc
      .tuple(
        fc.constantFrom("takeover" as const, "assign" as const, "complete" as const),
        index,
        index,
      )
      .map(([kind, ticket, user]) => new Transition(kind, ticket, user)),
    fc.tuple(fc.boolean(), index, tag).map(([attach, ticket, tag]) => new Tag(attach, ticket, tag)),
    fc
      .tuple(index, fc.array(tag, { maxLength: 2 }))
      .map(([ticket, tags]) => new List(ticket, tags)),
  ];
}

function withReplay(replayPath: string | undefined): { replayPath?: string } {
  return replayPath ? { replayPath } : {};
}

/** Ends every ticket a run made: tags removed, tickets completed (so their chats are free again). */
async function teardown(model: Model, context: Real): Promise<void> {
  const userId = context.fixtures.userIds[0] as string;
  for (const ticket of model.tickets) {
    for (const tagId of ticket.tags) await context.api.removeTicketTag(ticket.id, tagId);
    if (ticket.status !== "completed") await context.api.completeTicket(ticket.id, { userId });
  }
}

const LIFECYCLE_RULE =
  "States: `pending` -> `ongoing` -> `completed`; `completed` is final (409). One non-completed ticket per chat (409). " +
  "Takeover sets the assignee and `ongoing`, `ongoingAt` = now if null; assignee keeps the status; complete sets " +
  "`completedAt` = now and keeps `ongoingAt`. Every successful mutation sets `updatedAt` = now. Tag attach twice: 409; " +
  "remove not attached: 404. Read-your-writes. The row and the details agree on every field they share.";

/** Runs a sequence of steps against a fresh model, and ends what it created. */
async function runSequence(context: CheckContext, sequence: Iterable<Command>): Promise<void> {
  const model: Model = { tickets: [] };
  try {
    await fc.asyncModelRun(() => ({ model, real: context }), sequence);
  } finally {
    await teardown(model, context);
  }
}

/** One scripted pass over every lifecycle rule, so none depends on what random sequences meet. */
function script(): Command[] {
  return [
    new Create("pending", 0, 0, false),
    new Transition("takeover", 0, 1), // pending -> ongoing: ongoingAt = now
    new Transition("takeover", 0, 2), // ongoing: ongoingAt kept
    new Transition("assign", 0, 0), // status kept
    new Tag(true, 0, 0),
    new Tag(true, 0, 0), // attached: 409
    new List(0, [0]),
    new List(0, [0, 1]), // any of the tags
    new List(0, [1]), // not this ticket
    new Tag(false, 0, 0),
    new Tag(false, 0, 0), // not attached: 404
    new List(0, [0]),
    new Create("ongoing", 1, null, true), // a second open ticket on a chat: 409
    new Transition("complete", 0, 0),
    new Transition("complete", 0, 1), // completed is final: 409
    new Transition("takeover", 0, 1),
    new Transition("assign", 0, 1),
    new Create("pending", 1, null, false),
    new Transition("complete", 1, 0), // from pending: ongoingAt stays null
    new Tag(true, 1, 1), // tags change in any state
    new List(1, [1]),
    new Create("ongoing", 2, 1, false),
    new List(2, []),
  ];
}

export const lifecycleRules: ActiveCheck = {
  id: "lifecycle_rules",
  title: "Each lifecycle rule, once, in a scripted sequence checked against the model",
  source: "profile",
  section: "PROFILE.md Lifecycle; The two ticket shapes",
  rule: LIFECYCLE_RULE,
  mutates: true,
  writesOnly: true,
  async run(context) {
    try {
      await runSequence(context, script());
    } catch (error) {
      if (!(error instanceof PropertyFailure)) throw error;
      reportFailure(context, error);
    }
  },
};

export const lifecycleModel: ActiveCheck = {
  id: "lifecycle_model",
  title: "Random sequences of writes agree with a model of the lifecycle, step by step",
  source: "profile",
  section: "PROFILE.md Lifecycle; The two ticket shapes",
  rule: LIFECYCLE_RULE,
  mutates: true,
  writesOnly: true,
  async run(context) {
    await checkProperty(
      context,
      fc.asyncProperty(
        fc.commands(commands(), {
          maxCommands: 16,
          size: "max",
          ...withReplay(replayOf(context).commands),
        }),
        (sequence) => runSequence(context, sequence),
      ),
    );
  },
};
