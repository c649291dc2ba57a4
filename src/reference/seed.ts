/**
 * The seeded world: same seed and ticket count, same data, byte for byte. Faker makes the
 * people, teams, tags, responders, channels and pools of names and summaries; chats and
 * tickets draw from those pools with a fast seeded generator, so that a million tickets
 * seed in seconds.
 */
import type { Faker } from "@faker-js/faker";
import type { Fixtures, TicketStatus } from "../contract/profile-facts.js";
import { seededFaker } from "../util/faker.js";
import { Random } from "../util/random.js";
import type {
  Channel,
  ChannelType,
  Chat,
  ChatOwner,
  Responder,
  Tag,
  Team,
  Ticket,
  User,
  World,
} from "./world.js";

/** Seeded tickets are spread over the nine months before this instant. */
export const SEED_ANCHOR = Date.UTC(2026, 5, 1);
const SPAN_MS = 270 * 24 * 3600 * 1000;
const MINUTE = 60_000;
const CHANNEL_TYPES: ChannelType[] = [
  "web",
  "whatsapp",
  "telegram",
  "instagram",
  "messenger",
  "email",
  "sms",
  "api",
];
const FIXTURE_CHAT_LIMIT = 500;

export interface SeedOptions {
  seed: number;
  tickets: number;
}

export function seedWorld({ seed, tickets: ticketCount }: SeedOptions): World {
  const faker = seededFaker(seed);
  const workspaceId = faker.string.uuid();
  const users = times(40, () => makeUser(faker));
  const teams = times(6, () => makeTeam(faker));
  const tags = times(30, () => makeTag(faker));
  // A channel of every type, and a few more: every channelType value occurs in the data.
  const channels = [...CHANNEL_TYPES, "web", "whatsapp"].map((type) =>
    makeChannel(faker, type as ChannelType),
  );
  const responders = makeResponders(faker, users);
  const names = times(3000, () => faker.person.fullName());
  const handles = times(3000, () => faker.internet.username().toLowerCase());
  const summaries = times(4000, () => makeSummary(faker));
  const random = new Random(faker.number.int({ min: 0, max: 2 ** 32 - 1 }));
  const chatCount = Math.max(60, Math.ceil(ticketCount * 0.45));
  const chats = times(chatCount, () =>
    makeChat(random, { users, channels, responders, names, handles }),
  );
  const tickets = makeTickets(random, ticketCount, chats, { users, teams, tags, summaries });
  return {
    workspaceId,
    users,
    teams,
    tags,
    channels,
    chats,
    tickets,
    fixtures: fixturesOf(chats, tickets, users, tags, teams),
  };
}

function times<T>(count: number, make: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => make(index));
}

function makeUser(faker: Faker): User {
  const first = faker.person.firstName();
  const last = faker.person.lastName();
  return {
    id: faker.string.uuid(),
    name: `${first} ${last}`,
    email: faker.internet
      .email({ firstName: first, lastName: last, provider: "support.example.com" })
      .toLowerCase(),
    picture: faker.datatype.boolean(0.8) ? faker.image.avatar() : null,
  };
}

function makeTeam(faker: Faker): Team {
  return {
    id: faker.string.uuid(),
    name: `${faker.commerce.department()} support`,
    picture: faker.datatype.boolean(0.5) ? faker.image.avatar() : null,
  };
}

function makeTag(faker: Faker): Tag {
  return { id: faker.string.uuid(), name: faker.word.noun() };
}

function makeChannel(faker: Faker, type: ChannelType): Channel {
  return { id: faker.string.uuid(), name: `${faker.company.name()} ${type}`, type };
}

function makeResponders(faker: Faker, users: User[]): Responder[] {
  const agents: Responder[] = times(8, () => {
    const id = faker.string.uuid();
    const name = `${faker.person.firstName()} (AI)`;
    const picture = faker.datatype.boolean(0.7) ? faker.image.avatar() : null;
    return times(faker.number.int({ min: 1, max: 4 }), (version) => ({
      entity: "agent" as const,
      id,
      name,
      picture,
      versionId: faker.string.uuid(),
      versionNumber: version + 1,
    }));
  }).flat();
  const humans: Responder[] = users
    .slice(0, 8)
    .map((user) => ({ entity: "user", id: user.id, name: user.name, picture: user.picture }));
  return [...agents, ...humans];
}

function makeSummary(faker: Faker): string {
  const templates = [
    () =>
      `Customer cannot ${faker.hacker.verb()} the ${faker.commerce.productName()} after the last update.`,
    () =>
      `Refund request for order #${faker.string.numeric(6)}: ${faker.commerce.productAdjective()} item arrived damaged.`,
    () =>
      `Asks how to ${faker.hacker.verb()} ${faker.hacker.noun()} on the ${faker.commerce.product()} plan.`,
    () =>
      `Billing question: charged twice for ${faker.commerce.productName()} in ${faker.date.month()}.`,
    () => `Delivery to ${faker.location.city()} is late; wants a new date.`,
    () => `Complaint about the ${faker.company.buzzNoun()} feature; AI answer did not help.`,
    () => `Wants to change the account email and reset the password.`,
    // Letters beyond ASCII, so that search is seen to fold their case too (PROFILE.md:
    // case-insensitive substring of `summary`).
    () =>
      `Kundin aus ${faker.helpers.arrayElement(["München", "Köln", "Zürich", "Düsseldorf"])} möchte eine Rückerstattung für ${faker.commerce.productName()}.`,
    () =>
      `Cliente de ${faker.helpers.arrayElement(["Málaga", "León", "Córdoba", "Logroño"])} pregunta por el envío; ÉXITO no llegó.`,
    () =>
      `Клиент из ${faker.helpers.arrayElement(["Москвы", "Казани", "Самары"])}: оплата не прошла, Заказ ${faker.string.numeric(5)}.`,
  ];
  return faker.helpers.arrayElement(templates)();
}

interface ChatPools {
  users: User[];
  channels: Channel[];
  responders: Responder[];
  names: string[];
  handles: string[];
}

function makeChat(random: Random, pools: ChatPools): Chat {
  return {
    id: random.uuid(),
    owner: makeOwner(random, pools),
    channel: random.chance(0.9) ? random.pick(pools.channels) : null,
    responder: random.pick(pools.responders),
    isRemoved: random.chance(0.05),
    pendingMessages: random.chance(0.6) ? 0 : random.int(1, 15),
  };
}

function makeOwner(random: Random, pools: ChatPools): ChatOwner {
  if (random.chance(0.25)) {
    const user = random.pick(pools.users);
    return { entity: "user", superId: random.uuid(), name: user.name, email: user.email };
  }
  return {
    entity: "external_user",
    superId: random.uuid(),
    name: random.chance(0.9) ? random.pick(pools.names) : null,
    identifier: random.chance(0.6) ? `+${random.digits(11)}` : `@${random.pick(pools.handles)}`,
    isBlocked: random.chance(0.03),
  };
}

interface TicketPools {
  users: User[];
  teams: Team[];
  tags: Tag[];
  summaries: string[];
}

/** Tickets on 80% of the chats, each chat's all completed but its newest. */
function makeTickets(random: Random, count: number, chats: Chat[], pools: TicketPools): Ticket[] {
  const busyChats = Math.max(1, Math.floor(chats.length * 0.8));
  // Made newest first, so the store's sort into list order finds them (nearly) sorted.
  const ages = Float64Array.from({ length: count }, () => random.int(MINUTE, SPAN_MS)).sort();
  const tickets = times(count, (index) => {
    const chat = chats[random.int(0, busyChats - 1)] as Chat;
    return makeTicket(random, chat, SEED_ANCHOR - (ages[index] as number), pools);
  });
  const newestByChat = new Map<Chat, Ticket>();
  for (const ticket of tickets) {
    const newest = newestByChat.get(ticket.chat);
    if (!newest || ticket.createdAt > newest.createdAt) newestByChat.set(ticket.chat, ticket);
  }
  for (const ticket of tickets) {
    const status =
      newestByChat.get(ticket.chat) === ticket ? random.pick(NEWEST_STATUSES) : "completed";
    settleStatus(random, ticket, status, pools.users);
  }
  return tickets;
}

const NEWEST_STATUSES: TicketStatus[] = [
  "pending",
  "pending",
  "pending",
  "ongoing",
  "ongoing",
  "ongoing",
  "completed",
  "completed",
  "completed",
  "completed",
];

function makeTicket(random: Random, chat: Chat, createdAt: number, pools: TicketPools): Ticket {
  const tags = new Map<string, number>();
  for (const tag of random.sample(pools.tags, random.int(0, 3))) {
    tags.set(tag.id, createdAt + random.int(1, 30) * MINUTE);
  }
  return {
    id: random.uuid(),
    chat,
    assigneeId: null,
    ticketingTeamId: random.chance(0.7) ? random.pick(pools.teams).id : null,
    status: "pending",
    circumstance: random.chance(0.4) ? "takeover" : "handover",
    summary: random.pick(pools.summaries),
    createdAt,
    updatedAt: createdAt,
    ongoingAt: null,
    completedAt: null,
    lastViewedAt: null,
    tags,
  };
}

/** Timestamps and assignee as the lifecycle would have left them in `status`. */
function settleStatus(random: Random, ticket: Ticket, status: TicketStatus, users: User[]): void {
  const user = () => random.pick(users).id;
  ticket.status = status;
  if (status === "pending") {
    ticket.assigneeId = random.chance(0.3) ? user() : null;
  } else {
    ticket.assigneeId = status === "completed" && random.chance(0.1) ? null : user();
    if (status === "ongoing" || random.chance(0.85))
      ticket.ongoingAt = ticket.createdAt + random.int(1, 120) * MINUTE;
    if (status === "completed")
      ticket.completedAt = (ticket.ongoingAt ?? ticket.createdAt) + random.int(5, 4000) * MINUTE;
  }
  ticket.updatedAt = Math.max(ticket.createdAt, ticket.ongoingAt ?? 0, ticket.completedAt ?? 0);
  if (ticket.assigneeId && random.chance(0.6))
    ticket.lastViewedAt = ticket.updatedAt + random.int(1, 600) * MINUTE;
}

function fixturesOf(
  chats: Chat[],
  tickets: Ticket[],
  users: User[],
  tags: Tag[],
  teams: Team[],
): Fixtures {
  const busy = new Set(
    tickets.filter((ticket) => ticket.status !== "completed").map((ticket) => ticket.chat),
  );
  const free = chats
    .filter((chat) => !chat.isRemoved && !busy.has(chat))
    .slice(0, FIXTURE_CHAT_LIMIT);
  return {
    chatIds: free.map((chat) => chat.id),
    userIds: users.map((user) => user.id),
    tagIds: tags.map((tag) => tag.id),
    ticketingTeamIds: teams.map((team) => team.id),
  };
}
