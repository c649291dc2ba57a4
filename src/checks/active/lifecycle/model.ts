/**
 * The model of the lifecycle_model and lifecycle_rules checks: what the run believes of
 * each ticket it created (PROFILE.md Lifecycle), and the two comparisons every step makes
 * with the target: the details read by id agree with the model (read-your-writes, the row
 * agreeing with the details), and a write's row moved `updatedAt` forward.
 */
import type fc from "fast-check";
import type { TicketDetails, TicketRow } from "../../../../contracts/types.js";
import type { Exchange } from "../../../client/index.js";
import { SHARED_FIELDS, type TicketStatus } from "../../../contract/profile-facts.js";
import type { CheckContext } from "../../context.js";
import { PropertyFailure, requireStatus } from "../../property.js";

export interface ModelTicket {
  id: string;
  chatId: string;
  status: TicketStatus;
  assigneeId: string | null;
  ticketingTeamId: string | null;
  createdAt: string;
  ongoingAt: string | null;
  completedAt: string | null;
  updatedAt: string;
  tags: Set<string>;
  /** When the run first saw this updatedAt (client clock): "now" must move on from it. */
  updatedSeenAt: number;
  /**
   * Whether the ticket's chat is removed, as its first details said: fixture chats may be
   * removed (PROFILE.md does not say they are not), and then the list shows the ticket only
   * with includeRemoved=true. Held from then on.
   */
  chatIsRemoved?: boolean;
}

export interface Model {
  tickets: ModelTicket[];
}

/** The target, as the commands reach it: through the check's context. */
export type Real = CheckContext;
export type Command = fc.AsyncCommand<Model, Real, boolean>;

export function time(value: string | null): number {
  return value === null ? Number.NaN : Date.parse(value);
}

async function details(context: Real, ticket: ModelTicket, why: string): Promise<TicketDetails> {
  const exchange = await context.api.getTicketDetails(ticket.id);
  requireStatus(context, exchange, `GET ticket ${ticket.id} ${why}`, 200);
  return exchange.response?.json as TicketDetails;
}

/** Read-your-writes: the details by id show exactly what the model holds. */
export async function agreeWithModel(
  context: Real,
  ticket: ModelTicket,
  why: string,
  row?: TicketRow,
): Promise<void> {
  const read = await details(context, ticket, why);
  ticket.chatIsRemoved ??= read.chatIsRemoved;
  const expected: Record<string, unknown> = {
    chatIsRemoved: ticket.chatIsRemoved,
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
  for (const field of SHARED_FIELDS) {
    if (row[field] !== read[field]) {
      throw new PropertyFailure(
        `${why}: the row says ${field} ${JSON.stringify(row[field])}, the details ${JSON.stringify(read[field])}`,
      );
    }
  }
}

/** The row of a successful write: updatedAt moved forward, createdAt kept. */
export function checkWrite(
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
  // (a millisecond, or a second for timestamps without a fraction), plus a margin, between
  // seeing the old value and sending this write (the server's "now" is after the send; the
  // time the answer took to be read says nothing of it: a busy client would cry wolf).
  const resolutionMs = /\.\d/.test(row.updatedAt) ? 1 : 1000;
  const sent = Date.parse(exchange.timing.startedAt);
  if (after === time(before.updatedAt) && sent - before.updatedSeenAt > resolutionMs + 1) {
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

export function pick<T>(items: T[], index: number): T {
  return items[index % items.length] as T;
}
