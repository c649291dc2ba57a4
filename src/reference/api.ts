/**
 * The eight operations, after authentication and validation: existence (404), then the
 * lifecycle (409), then the change, every rule as PROFILE.md pins it. Where the fault
 * catalog has a bug for a rule, the switch sits where that bug would live.
 */
import { randomUUID } from "node:crypto";
import type {
  AttachTicketTagBody,
  CompleteTicketBody,
  CreateTicketBody,
  ListTicketDetailsParameters,
  TakeoverTicketBody,
  UpdateTicketAssigneeBody,
} from "../../contracts/types.js";
import { ID_FILTERS, type IdFilter, STATUSES } from "../contract/profile-facts.js";
import type { FaultSet } from "./faults.js";
import { type ApiResponse, errorResponse } from "./http-io.js";
import { afterWindow, RACE_WINDOW_MS, STAMP_LAG_MS } from "./races.js";
import { detailsOf, rowOf, tagLinkOf } from "./shapes.js";
import { byListOrder, type StoreQuery, type TicketStore } from "./store.js";
import type { Chat, Ticket } from "./world.js";

export interface OperationInput {
  path: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

const ok = (body: unknown): ApiResponse => ({ status: 200, body });
const notFound = (what: string): ApiResponse => errorResponse(404, `${what} not found`);
const conflict = (message: string): ApiResponse => errorResponse(409, message);
/** An answer, or under a concurrency fault one that comes after a window (races.ts). */
type Answer = ApiResponse | Promise<ApiResponse>;

/** Time that never goes back, so `updatedAt` never does either. */
export class Clock {
  private last = 0;
  private pinned: number | undefined;

  /** `resolutionMs` 1000: a clock of whole seconds (the choice timestamps-second-precision). */
  constructor(private readonly resolutionMs = 1) {}

  now(): number {
    if (this.pinned !== undefined) return this.pinned;
    this.last = Math.max(this.last, this.read());
    return this.last;
  }

  private read(): number {
    const now = Date.now();
    return now - (now % this.resolutionMs);
  }

  /**
   * A `now` later than every one before it: the updated-at-arrival-stamp fault takes one as
   * each request arrives (so sequential writes still move updatedAt forward).
   */
  next(): number {
    this.last = Math.max(this.last + this.resolutionMs, this.read());
    return this.last;
  }

  /** Runs `work` with `now` at `at`: the updated-at-arrival-stamp fault's clock. */
  at<T>(at: number, work: () => T): T {
    this.pinned = at;
    try {
      return work();
    } finally {
      this.pinned = undefined;
    }
  }
}

export class TicketsApi {
  private readonly staleDetails = new Map<string, unknown>();
  private readonly serializedDetails = new WeakMap<Ticket, string>();
  /** Completes so far (the complete-assignee-flips fault alternates on it). */
  private completes = 0;

  constructor(
    private readonly store: TicketStore,
    private readonly faults: FaultSet,
    private readonly clock = new Clock(faults.has("timestamps-second-precision") ? 1000 : 1),
  ) {}

  handle(operationId: string, input: OperationInput): Answer {
    const lag = this.faults.has("updated-at-arrival-stamp") ? STAMP_LAG_MS[operationId] : undefined;
    if (lag === undefined) return this.operation(operationId, input);
    // `now` is taken as the request arrives, the write made after the lag, with that `now`.
    const arrived = this.clock.next();
    return afterWindow(lag, () => this.clock.at(arrived, () => this.operation(operationId, input)));
  }

  private operation(operationId: string, input: OperationInput): Answer {
    switch (operationId) {
      case "getTicketDetails":
        return this.getTicketDetails(input.path.id as string);
      case "listTicketDetails":
        return this.listTicketDetails(input.query as ListTicketDetailsParameters["query"]);
      case "createTicket":
        return this.createTicket(input.body as CreateTicketBody);
      case "completeTicket":
        return this.completeTicket(input.path.id as string, input.body as CompleteTicketBody);
      case "takeoverTicket":
        return this.takeoverTicket(input.path.id as string, input.body as TakeoverTicketBody);
      case "updateTicketAssignee":
        return this.updateTicketAssignee(
          input.path.id as string,
          input.body as UpdateTicketAssigneeBody,
        );
      case "attachTicketTag":
        return this.attachTicketTag(
          input.path.ticketId as string,
          input.body as AttachTicketTagBody,
        );
      case "removeTicketTag":
        return this.removeTicketTag(input.path.ticketId as string, input.path.tagId as string);
      default:
        return errorResponse(404, `no operation ${operationId}`);
    }
  }

  private getTicketDetails(id: string): ApiResponse {
    const ticket = this.store.get(id);
    if (!ticket) return notFound(`ticket ${id}`);
    // The choice read-sets-last-viewed: a read is a view (the row shows it; not a write).
    if (this.faults.has("read-sets-last-viewed")) ticket.lastViewedAt = this.clock.now();
    if (!this.faults.has("stale-details-cache")) return ok(detailsOf(ticket, this.store));
    const cached = this.staleDetails.get(id) ?? detailsOf(ticket, this.store);
    this.staleDetails.set(id, cached);
    return ok(structuredClone(cached));
  }

  private listTicketDetails(parameters: ListTicketDetailsParameters["query"]): ApiResponse {
    const ids = ID_FILTERS.flatMap((name) => {
      const given = parameters[name];
      return given === undefined ? [] : [[name, [given].flat()]];
    });
    const query: StoreQuery = {
      status: parameters.status ?? "pending",
      ...(Object.fromEntries(ids) as Partial<Record<IdFilter, string[]>>),
      search: parameters.search,
      includeRemoved: parameters.includeRemoved === true,
      pageNumber: parameters.pageNumber ?? 1,
      pageSize: parameters.pageSize ?? 10,
    };
    const rewritten = this.faults.rewriteQuery(query);
    const tickets = this.faults.has("status-filter-ignored")
      ? this.listEveryStatus(rewritten)
      : this.store.list(rewritten, this.faults.semantics);
    if (this.faults.transformsResponses)
      return ok(tickets.map((ticket) => detailsOf(ticket, this.store)));
    return {
      status: 200,
      body: undefined,
      rawBody: `[${tickets.map((ticket) => this.detailsJson(ticket)).join(",")}]`,
    };
  }

  /**
   * A ticket's details as JSON, kept until a write changes them: a list page is then a join
   * of strings, not ten objects of 32 fields built and serialized on every request.
   */
  private detailsJson(ticket: Ticket): string {
    let json = this.serializedDetails.get(ticket);
    if (json === undefined) {
      json = JSON.stringify(detailsOf(ticket, this.store));
      this.serializedDetails.set(ticket, json);
    }
    return json;
  }

  /** The status-filter-ignored bug: the page is cut from all three statuses together. */
  private listEveryStatus(query: StoreQuery): Ticket[] {
    const end = query.pageNumber * query.pageSize;
    const upToPage = { ...query, pageNumber: 1, pageSize: end };
    return STATUSES.flatMap((status) =>
      this.store.list({ ...upToPage, status }, this.faults.semantics),
    )
      .sort(byListOrder)
      .slice(end - query.pageSize, end);
  }

  private createTicket(body: CreateTicketBody): Answer {
    if (body.status === "completed" && !this.faults.has("create-completed")) {
      return errorResponse(
        400,
        "body.status: a ticket is created pending or ongoing, not completed",
      );
    }
    const chat = this.store.chats.get(body.chatId);
    if (!chat) return this.unknownReference(`chat ${body.chatId}`);
    if (!this.store.users.has(body.assigneeId))
      return this.unknownReference(`user ${body.assigneeId}`);
    if (body.ticketingTeamId !== null && !this.store.teams.has(body.ticketingTeamId)) {
      return this.unknownReference(`ticketing team ${body.ticketingTeamId}`);
    }
    const open = this.store.openTicketOf(chat.id);
    if (open && !this.faults.has("second-open-ticket")) {
      return conflict(`chat ${chat.id} already has the non-completed ticket ${open.id}`);
    }
    if (this.faults.has("create-check-then-insert")) {
      return afterWindow(RACE_WINDOW_MS, () => this.insertTicket(chat, body));
    }
    return this.insertTicket(chat, body);
  }

  /** A create's insert, once the chat was found free. */
  private insertTicket(chat: Chat, body: CreateTicketBody): ApiResponse {
    const now = this.clock.now();
    const ongoing = body.status === "ongoing";
    const ticket: Ticket = {
      id: randomUUID(),
      chat,
      assigneeId: null,
      ticketingTeamId: body.ticketingTeamId,
      status: body.status,
      circumstance: ongoing || this.faults.has("created-as-takeover") ? "takeover" : "handover",
      summary: `Conversation with ${chat.owner.name ?? "a customer"}: ticket opened through the API.`,
      createdAt: now,
      updatedAt: now,
      ongoingAt: ongoing ? now : null,
      completedAt: body.status === "completed" ? now : null,
      lastViewedAt: null,
      tags: new Map(),
    };
    this.store.add(ticket);
    this.store.setAssignee(ticket, body.assigneeId);
    return ok(rowOf(ticket));
  }

  private completeTicket(id: string, body: CompleteTicketBody): Answer {
    return this.mutate(id, body.userId, "complete-completed", (ticket, now) => {
      this.store.setStatus(ticket, "completed");
      ticket.completedAt = now;
      // The profile leaves the assignee on complete open: these take the other sides.
      const flip = this.faults.has("complete-assignee-flips") && this.completes++ % 2 === 1;
      if (this.faults.has("complete-clears-assignee") || flip) this.store.setAssignee(ticket, null);
      if (this.faults.has("complete-assigns-completer"))
        this.store.setAssignee(ticket, body.userId);
    });
  }

  private takeoverTicket(id: string, body: TakeoverTicketBody): Answer {
    const same = this.sameAssignee(id, body.assigneeId);
    if (same) return same;
    return this.mutate(id, body.assigneeId, "takeover-reopens-completed", (ticket, now) => {
      this.assign(ticket, body.assigneeId);
      this.store.setStatus(ticket, "ongoing");
      if (ticket.ongoingAt === null || this.faults.has("takeover-resets-ongoing-at"))
        ticket.ongoingAt = now;
      if (ticket.completedAt !== null) ticket.completedAt = null; // only under the fault: reopened
    });
  }

  private updateTicketAssignee(id: string, body: UpdateTicketAssigneeBody): Answer {
    const same = this.sameAssignee(id, body.assigneeId);
    if (same) return same;
    return this.mutate(id, body.assigneeId, "assign-completed", (ticket) => {
      this.assign(ticket, body.assigneeId);
    });
  }

  /** The reassign-same-409 bug: a write that names the assignee the ticket has is refused. */
  private sameAssignee(id: string, assigneeId: string): ApiResponse | undefined {
    if (!this.faults.has("reassign-same-409")) return undefined;
    const ticket = this.store.get(id);
    if (ticket?.status === "completed" || ticket?.assigneeId !== assigneeId) return undefined;
    return conflict(`ticket ${id} is assigned to ${assigneeId} already`);
  }

  /**
   * Sets a ticket's assignee (takeover, assignee). Under assignee-index-stale the list's
   * index by assignee is left as it was; under assign-bulk-by-assignee every other open
   * ticket of the old assignee follows (an UPDATE whose WHERE forgot the ticket's id).
   */
  private assign(ticket: Ticket, assigneeId: string): void {
    if (this.faults.has("assign-bulk-by-assignee") && ticket.assigneeId !== null) {
      for (const other of this.store.openTicketsOf(ticket.assigneeId)) {
        if (other === ticket) continue;
        this.store.setAssignee(other, assigneeId);
        this.serializedDetails.delete(other);
      }
    }
    this.store.setAssignee(ticket, assigneeId, !this.faults.has("assignee-index-stale"));
  }

  /** The shared path of complete, takeover and assignee: 404s, 409 on completed, the change. */
  private mutate(
    id: string,
    userId: string,
    completedFault: "complete-completed" | "takeover-reopens-completed" | "assign-completed",
    change: (ticket: Ticket, now: number) => void,
  ): Answer {
    const ticket = this.store.get(id);
    if (!ticket) return notFound(`ticket ${id}`);
    if (!this.store.users.has(userId)) return this.unknownReference(`user ${userId}`);
    if (ticket.status === "completed" && !this.faults.has(completedFault)) {
      return conflict(`ticket ${id} is completed`);
    }
    if (this.faults.has("completed-check-then-write")) {
      return afterWindow(RACE_WINDOW_MS, () => this.change(ticket, change));
    }
    return this.change(ticket, change);
  }

  /** The write of complete, takeover and assignee, once the ticket was found not completed. */
  private change(ticket: Ticket, change: (ticket: Ticket, now: number) => void): ApiResponse {
    const before = rowOf(ticket);
    const now = this.clock.now();
    change(ticket, now);
    this.serializedDetails.delete(ticket);
    this.touch(ticket, now);
    return ok(this.faults.has("row-before-update") ? before : rowOf(ticket));
  }

  /** A well-formed id in a body that names nothing: 404, or 400 (PROFILE.md Errors: either passes). */
  private unknownReference(what: string): ApiResponse {
    if (this.faults.has("unknown-reference-400")) return errorResponse(400, `${what}: no such id`);
    return notFound(what);
  }

  private attachTicketTag(ticketId: string, body: AttachTicketTagBody): Answer {
    const ticket = this.store.get(ticketId);
    if (!ticket) return notFound(`ticket ${ticketId}`);
    if (!this.store.tags.has(body.tagId)) return notFound(`tag ${body.tagId}`);
    if (ticket.tags.has(body.tagId) && !this.faults.has("tag-attach-twice")) {
      return conflict(`tag ${body.tagId} is already attached to ticket ${ticketId}`);
    }
    if (this.faults.has("tag-attach-check-then-write")) {
      return afterWindow(RACE_WINDOW_MS, () => this.attachTag(ticket, body.tagId));
    }
    return this.attachTag(ticket, body.tagId);
  }

  /** An attach's write, once the tag was found not attached. */
  private attachTag(ticket: Ticket, tagId: string): ApiResponse {
    const now = this.clock.now();
    this.store.attachTag(ticket, tagId, now);
    this.touch(ticket, now);
    return ok(tagLinkOf(ticket, tagId, now));
  }

  private removeTicketTag(ticketId: string, tagId: string): ApiResponse {
    const ticket = this.store.get(ticketId);
    if (!ticket) return notFound(`ticket ${ticketId}`);
    const attached = ticket.tags.has(tagId);
    if (!attached && !this.faults.has("tag-remove-unattached")) {
      return notFound(`tag ${tagId} on ticket ${ticketId}`);
    }
    if (attached) {
      this.store.removeTag(ticket, tagId);
      this.touch(ticket, this.clock.now());
    }
    return ok({ message: "The tag was removed from the ticket." });
  }

  private touch(ticket: Ticket, now: number): void {
    if (!this.faults.has("updated-at-frozen")) ticket.updatedAt = now;
  }
}
