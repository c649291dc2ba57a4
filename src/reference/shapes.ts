/** The two shapes the API gives a ticket: the details (GET endpoints) and the row (mutations). */
import type { TagLink, TicketDetails, TicketRow } from "../../contracts/types.js";
import type { TicketStore } from "./store.js";
import type { Ticket } from "./world.js";

export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function detailsOf(ticket: Ticket, store: TicketStore): TicketDetails {
  const { chat } = ticket;
  const { owner, responder, channel } = chat;
  const assignee = ticket.assigneeId ? store.users.get(ticket.assigneeId) : undefined;
  const team = ticket.ticketingTeamId ? store.teams.get(ticket.ticketingTeamId) : undefined;
  const isAgent = responder.entity === "agent";
  return {
    assigneeEmail: assignee?.email ?? null,
    assigneeId: ticket.assigneeId,
    assigneeName: assignee?.name ?? null,
    assigneePicture: assignee?.picture ?? null,
    channelId: channel?.id ?? null,
    channelName: channel?.name ?? null,
    channelType: channel?.type ?? null,
    chatId: chat.id,
    chatIsRemoved: chat.isRemoved,
    chatOwnerId: owner.superId,
    completedAt: iso(ticket.completedAt),
    createdAt: iso(ticket.createdAt),
    id: ticket.id,
    isOwnerBlocked: owner.entity === "external_user" ? owner.isBlocked : null,
    ongoingAt: iso(ticket.ongoingAt),
    ownerEmail: owner.entity === "user" ? owner.email : null,
    ownerEntity: owner.entity,
    ownerIdentifier: owner.entity === "external_user" ? owner.identifier : null,
    ownerName: owner.name,
    pendingChatMessages: chat.pendingMessages,
    responderEntity: responder.entity,
    responderId: responder.id,
    responderName: responder.name,
    responderPicture: responder.picture,
    responderVersionId: isAgent ? responder.versionId : null,
    responderVersionNumber: isAgent ? responder.versionNumber : null,
    status: ticket.status,
    summary: ticket.summary,
    ticketingTeamId: ticket.ticketingTeamId,
    ticketingTeamName: team?.name ?? null,
    ticketingTeamPicture: team?.picture ?? null,
    workspaceId: store.world.workspaceId,
  };
}

export function rowOf(ticket: Ticket): TicketRow {
  return {
    createdAt: iso(ticket.createdAt),
    id: ticket.id,
    updatedAt: iso(ticket.updatedAt),
    assigneeId: ticket.assigneeId,
    chatId: ticket.chat.id,
    circumstance: ticket.circumstance,
    completedAt: iso(ticket.completedAt),
    lastViewedAt: iso(ticket.lastViewedAt),
    ongoingAt: iso(ticket.ongoingAt),
    status: ticket.status,
    summary: ticket.summary,
    ticketingTeamId: ticket.ticketingTeamId,
  };
}

export function tagLinkOf(ticket: Ticket, tagId: string, at: number): TagLink {
  return { createdAt: iso(at), updatedAt: iso(at), tagId, ticketId: ticket.id };
}
