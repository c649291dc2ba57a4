/**
 * A page of ticket details shaped like a real workspace's: one workspace, a few teams,
 * responders, channels and agents shared across tickets, a chat and owner per ticket,
 * realistic names, emails, picture URLs and summaries; nullable fields null where the
 * profile's consistency rules make them so.
 */
import type { Faker } from "@faker-js/faker";
import type { TicketDetails } from "../contracts/types.js";

export type Workspace = ReturnType<typeof makeWorkspace>;

export function makeWorkspace(faker: Faker) {
  const workspaceId = faker.string.uuid();
  const pool = <T>(count: number, make: () => T): T[] => Array.from({ length: count }, make);
  const users = pool(30, () => ({
    id: faker.string.uuid(),
    name: faker.person.fullName(),
    email: faker.internet.email(),
    picture: faker.image.avatar(),
  }));
  const teams = pool(5, () => ({
    id: faker.string.uuid(),
    name: faker.company.name(),
    picture: faker.image.avatar(),
  }));
  const channels = pool(8, () => ({
    id: faker.string.uuid(),
    name: faker.company.buzzNoun(),
    type: faker.helpers.arrayElement(["web", "whatsapp", "telegram", "email"] as const),
  }));
  const agents = pool(6, () => ({
    id: faker.string.uuid(),
    name: `${faker.word.adjective()} assistant`,
    versionId: faker.string.uuid(),
    version: faker.number.int({ min: 1, max: 40 }),
  }));
  return { workspaceId, users, teams, channels, agents };
}

export function detailsPage(faker: Faker, workspace: Workspace, size: number): TicketDetails[] {
  const { workspaceId, users, teams, channels, agents } = workspace;
  return Array.from({ length: size }, () => {
    const status = faker.helpers.arrayElement(["pending", "ongoing", "completed"] as const);
    const assignee = status === "pending" ? null : faker.helpers.arrayElement(users);
    const team =
      faker.helpers.maybe(() => faker.helpers.arrayElement(teams), { probability: 0.7 }) ?? null;
    const channel =
      faker.helpers.maybe(() => faker.helpers.arrayElement(channels), { probability: 0.9 }) ?? null;
    const agent = faker.helpers.arrayElement(agents);
    const external = faker.datatype.boolean();
    const createdAt = faker.date.recent({ days: 90 });
    const ongoingAt = status === "pending" ? null : new Date(createdAt.getTime() + 60_000);
    const completedAt = status === "completed" ? new Date(createdAt.getTime() + 3_600_000) : null;
    return {
      assigneeEmail: assignee?.email ?? null,
      assigneeId: assignee?.id ?? null,
      assigneeName: assignee?.name ?? null,
      assigneePicture: assignee?.picture ?? null,
      channelId: channel?.id ?? null,
      channelName: channel?.name ?? null,
      channelType: channel?.type ?? null,
      chatId: faker.string.uuid(),
      chatIsRemoved: faker.datatype.boolean(0.05),
      chatOwnerId: faker.string.uuid(),
      completedAt: completedAt?.toISOString() ?? null,
      createdAt: createdAt.toISOString(),
      id: faker.string.uuid(),
      isOwnerBlocked: external ? faker.datatype.boolean(0.02) : null,
      ongoingAt: ongoingAt?.toISOString() ?? null,
      ownerEmail: external ? null : faker.internet.email(),
      ownerEntity: external ? "external_user" : "user",
      ownerIdentifier: external ? faker.phone.number({ style: "international" }) : null,
      ownerName: faker.person.fullName(),
      pendingChatMessages: faker.number.int({ min: 0, max: 12 }),
      responderEntity: "agent",
      responderId: agent.id,
      responderName: agent.name,
      responderPicture: faker.helpers.maybe(() => faker.image.avatar()) ?? null,
      responderVersionId: agent.versionId,
      responderVersionNumber: agent.version,
      status,
      summary: faker.lorem.sentences({ min: 1, max: 3 }),
      ticketingTeamId: team?.id ?? null,
      ticketingTeamName: team?.name ?? null,
      ticketingTeamPicture: team?.picture ?? null,
      workspaceId,
    };
  });
}
