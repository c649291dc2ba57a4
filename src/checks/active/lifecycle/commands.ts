/**
 * The steps of a lifecycle sequence, each a fast-check command: `check(model)` says when it
 * applies, `run(model, real)` acts on the target, holds the answer to PROFILE.md's rule
 * for that step, and updates the model; `toString()` names it in a counterexample.
 */
import fc from "fast-check";
import type { TicketDetails, TicketRow } from "../../../../contracts/types.js";
import type { Exchange } from "../../../client/index.js";
import type { OpenStatus } from "../../../contract/profile-facts.js";
import { PropertyFailure, pageOf, requireStatus } from "../../property.js";
import {
  agreeWithModel,
  type Command,
  checkWrite,
  type Model,
  type ModelTicket,
  pick,
  type Real,
  time,
} from "./model.js";

export class Create implements Command {
  constructor(
    readonly status: OpenStatus,
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
      requireStatus(context, exchange, `create a second open ticket on chat ${busy.chatId}`, 409);
      return;
    }
    const chatId = context.chats.take();
    if (!chatId) return; // no free chat left: nothing to create on
    const exchange = await context.api.createTicket({
      chatId,
      assigneeId,
      ticketingTeamId,
      status: this.status,
    });
    requireStatus(context, exchange, `create a ${this.status} ticket`, 200);
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
export class Transition implements Command {
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
      requireStatus(context, exchange, what, 409);
      await agreeWithModel(context, ticket, `after a refused ${this.kind}`);
      return;
    }
    requireStatus(context, exchange, what, 200);
    const row = exchange.response?.json as TicketRow;
    checkWrite(row, ticket, what, exchange);
    this.expectRow(context, row, ticket, userId, exchange);
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
    context: Real,
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
      // The assignee on complete is open (PROFILE.md pins what complete sets and keeps, not
      // the assignee): learned from the first complete, then held.
      Object.assign(expected, { status: "completed", ongoingAt: before.ongoingAt });
      expectCompleteAssignee(context, row, before, userId, exchange);
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

/** What a complete did with the assignee: one of the sides a target may take. */
function completeAssigneeSide(
  row: TicketRow,
  before: ModelTicket,
  userId: string,
):
  | "kept"
  | "cleared"
  | "set to the completing user"
  | "kept or set to the completing user"
  | undefined {
  if (row.assigneeId === null) return before.assigneeId === null ? "kept" : "cleared";
  if (row.assigneeId === userId) {
    return before.assigneeId === userId
      ? "kept or set to the completing user"
      : "set to the completing user";
  }
  return row.assigneeId === before.assigneeId ? "kept" : undefined;
}

const COMPLETE_ASSIGNEE = "the assignee on complete";
const COMPLETE_ASSIGNEE_OPEN =
  "PROFILE.md Lifecycle: complete sets `completedAt` and the status and leaves `ongoingAt` as it was; it says nothing of the assignee (the complete body names the user who completes): kept, cleared or set to the completing user";

/**
 * Complete may keep the assignee, clear it, or make the completing user the assignee (the
 * profile is silent, the body names the completer); anything else is no side of it. The
 * target's first unambiguous answer is its choice; every later complete must agree.
 */
function expectCompleteAssignee(
  context: Real,
  row: TicketRow,
  before: ModelTicket,
  userId: string,
  exchange: Exchange<unknown>,
): void {
  const side = completeAssigneeSide(row, before, userId);
  if (side === undefined) {
    throw new PropertyFailure(
      `complete: the row says assigneeId ${JSON.stringify(row.assigneeId)}: neither the assignee before (${before.assigneeId}), nor null, nor the completing user (${userId})`,
      exchange,
      `${before.assigneeId}, null or ${userId}`,
      JSON.stringify(row.assigneeId),
    );
  }
  const learned = context.choices.get(COMPLETE_ASSIGNEE);
  const ambiguous = side === "kept or set to the completing user";
  if (ambiguous) {
    if (learned?.value !== "cleared") return;
  } else if (
    !context.choices.hold(
      COMPLETE_ASSIGNEE,
      side,
      `completing ticket ${before.id}`,
      COMPLETE_ASSIGNEE_OPEN,
    )
  ) {
    return;
  }
  const earlier = context.choices.get(COMPLETE_ASSIGNEE) as { value: string; where: string };
  throw new PropertyFailure(
    `complete: the assignee was ${side} here, but ${earlier.value} when ${earlier.where}: PROFILE.md leaves the assignee on complete open, and the target must make the same choice every time`,
    exchange,
    `the assignee ${earlier.value}`,
    JSON.stringify(row.assigneeId),
  );
}

export class Tag implements Command {
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
      requireStatus(context, exchange, what, attached ? 409 : 200);
      const link = exchange.response?.json as { tagId?: string; ticketId?: string };
      if (!attached && (link.tagId !== tagId || link.ticketId !== ticket.id)) {
        throw new PropertyFailure(`${what}: the tag link names another tag or ticket`, exchange);
      }
      ticket.tags.add(tagId);
    } else {
      const exchange = await context.api.removeTicketTag(ticket.id, tagId);
      requireStatus(
        context,
        exchange,
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
export class List implements Command {
  constructor(
    readonly ticket: number,
    readonly tags: number[],
    readonly includeRemoved = false,
    /** A fixture user: list by that assignee too (read-your-writes in assigneeIds). */
    readonly assignee?: number,
  ) {}
  check = (model: Readonly<Model>) => model.tickets.length > 0;
  async run(model: Model, context: Real): Promise<void> {
    const { status } = pick(model.tickets, this.ticket);
    const tagIds = [...new Set(this.tags.map((tag) => pick(context.fixtures.tagIds, tag)))];
    const chatIds = [...new Set(model.tickets.map((ticket) => ticket.chatId))];
    const assigneeId =
      this.assignee === undefined ? undefined : pick(context.fixtures.userIds, this.assignee);
    const exchange = await context.api.listTicketDetails({
      status,
      chatIds,
      ...(tagIds.length ? { tagIds } : {}),
      ...(assigneeId ? { assigneeIds: assigneeId } : {}),
      ...(this.includeRemoved ? { includeRemoved: true } : {}),
      pageSize: 100,
    });
    const page = pageOf<TicketDetails>(context, exchange, "list the run's chats");
    const ours = new Set(model.tickets.map((ticket) => ticket.id));
    const listed = page
      .filter((item) => ours.has(item.id))
      .map((item) => item.id)
      .sort();
    const expected = model.tickets
      .filter(
        (ticket) =>
          ticket.status === status &&
          (this.includeRemoved || ticket.chatIsRemoved !== true) &&
          (assigneeId === undefined || ticket.assigneeId === assigneeId) &&
          (tagIds.length === 0 || tagIds.some((tag) => ticket.tags.has(tag))),
      )
      .map((ticket) => ticket.id)
      .sort();
    if (listed.join() !== expected.join()) {
      throw new PropertyFailure(
        `list status=${status}${tagIds.length ? ` tagIds=${tagIds.join(",")}` : ""}${assigneeId ? ` assigneeIds=${assigneeId}` : ""}${this.includeRemoved ? " includeRemoved=true" : ""} over the run's chats: not exactly the matching tickets`,
        exchange,
        expected.join(",") || "(none)",
        listed.join(",") || "(none)",
      );
    }
  }
  toString = () =>
    `List(status of ticket #${this.ticket}, tags [${this.tags.join(",")}]${this.assignee === undefined ? "" : `, assignee user ${this.assignee}`}${this.includeRemoved ? ", includeRemoved" : ""})`;
}

/**
 * Reads every ticket of the model by id: a write to one ticket changes no other (the
 * others' status, assignee, team and timestamps are as the model holds them).
 */
export class ReadAll implements Command {
  check = (model: Readonly<Model>) => model.tickets.length > 1;
  async run(model: Model, context: Real): Promise<void> {
    for (const ticket of model.tickets)
      await agreeWithModel(context, ticket, "read back among the others");
  }
  toString = () => "ReadAll()";
}

export function commands() {
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
      .tuple(index, fc.array(tag, { maxLength: 2 }), fc.boolean(), fc.option(index))
      .map(
        ([ticket, tags, includeRemoved, assignee]) =>
          new List(ticket, tags, includeRemoved, assignee ?? undefined),
      ),
    fc.constant(new ReadAll()),
  ];
}
