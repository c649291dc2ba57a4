/**
 * What the reference server holds: the seeded world (users, teams, tags, responders,
 * channels, chats) and the tickets on its chats. Timestamps are epoch milliseconds.
 */
import type { Fixtures, TicketStatus } from "../contract/profile-facts.js";

export type Circumstance = "takeover" | "handover";
export type ChannelType =
  | "web"
  | "whatsapp"
  | "telegram"
  | "instagram"
  | "messenger"
  | "email"
  | "sms"
  | "api";

export interface User {
  id: string;
  name: string;
  email: string;
  picture: string | null;
}

export interface Team {
  id: string;
  name: string;
  picture: string | null;
}

export interface Tag {
  id: string;
  name: string;
}

export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
}

/** Who answers a chat: an AI agent (in one of its versions) or a platform user. */
export type Responder =
  | {
      entity: "agent";
      id: string;
      name: string;
      picture: string | null;
      versionId: string;
      versionNumber: number;
    }
  | { entity: "user"; id: string; name: string; picture: string | null };

/** Who owns a chat: a platform user, or an external user (a customer on a channel). */
export type ChatOwner =
  | { entity: "user"; superId: string; name: string; email: string }
  | {
      entity: "external_user";
      superId: string;
      name: string | null;
      identifier: string;
      isBlocked: boolean;
    };

export interface Chat {
  id: string;
  owner: ChatOwner;
  channel: Channel | null;
  responder: Responder;
  isRemoved: boolean;
  pendingMessages: number;
}

export interface Ticket {
  id: string;
  chat: Chat;
  assigneeId: string | null;
  ticketingTeamId: string | null;
  status: TicketStatus;
  circumstance: Circumstance;
  summary: string;
  createdAt: number;
  updatedAt: number;
  ongoingAt: number | null;
  completedAt: number | null;
  lastViewedAt: number | null;
  /** tag id -> when it was attached */
  tags: Map<string, number>;
  /** Only under the assignee-index-stale fault: the assignee the list still files it under. */
  listedAssigneeId?: string | null;
}

export interface World {
  workspaceId: string;
  users: User[];
  teams: Team[];
  tags: Tag[];
  channels: Channel[];
  chats: Chat[];
  tickets: Ticket[];
  fixtures: Fixtures;
}
