/**
 * The ids a run needs and the API cannot create (chats, users, tags, teams), from the
 * first source that has them: --fixtures FILE, the config, the target's GET /__fixtures,
 * then discovery from the tickets the target lists. What is still missing ends the run
 * before it starts, with one message that names it and how to give it.
 */
import { readFileSync } from "node:fs";
import type { TicketDetails } from "../../contracts/types.js";
import type { Exchange, TicketsClient } from "../client/index.js";
import {
  FIXTURE_KEYS,
  type FixtureIds,
  type FixtureKey,
  type Fixtures,
  OPEN_STATUSES,
  STATUSES,
} from "../contract/profile-facts.js";
import { UserError } from "../util/exit-codes.js";
import { RunStopped } from "../util/run-stopped.js";

type Key = FixtureKey;
/** Where each kind of fixture id came from: `--fixtures`, `config`, `GET /__fixtures`, discovery. */
export type FixtureSources = Partial<Record<Key, string>>;

const HOW_TO_GIVE: Record<Key, string> = {
  chatIds: "chats with no pending or ongoing ticket, for the run to create tickets on",
  userIds: "users who can be assignees and completers",
  tagIds: "tags the run may attach (no endpoint lists tags)",
  ticketingTeamIds: "ticketing teams",
};

/** What each kind of run cannot do without. */
const NEEDED_FOR_WRITES: Key[] = ["chatIds", "userIds", "tagIds"];

export function readFixturesFile(path: string): FixtureIds {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "no such file"
        : (error as Error).message;
    throw new UserError(`fixtures file ${path}: ${reason}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UserError(
      `fixtures file ${path}: expected an object like {"chatIds": [...], "userIds": [...], ...}`,
    );
  }
  return parsed as FixtureIds;
}

export async function resolveFixtures(
  client: TicketsClient,
  given: FixtureIds[],
  readOnly: boolean,
): Promise<{ fixtures: Fixtures; sources: FixtureSources }> {
  const fixtures: Fixtures = { chatIds: [], userIds: [], tagIds: [], ticketingTeamIds: [] };
  const sources: FixtureSources = {};
  const take = (from: Partial<Record<Key, unknown>>, source: string) => {
    for (const key of FIXTURE_KEYS) {
      const ids = from[key];
      if (fixtures[key].length === 0 && Array.isArray(ids) && ids.length > 0) {
        fixtures[key] = ids.filter((id): id is string => typeof id === "string");
        sources[key] = source;
      }
    }
  };
  given.forEach((ids, index) => {
    take(ids, index === 0 ? "--fixtures" : "config");
  });
  if (FIXTURE_KEYS.some((key) => fixtures[key].length === 0))
    take(await published(client), "GET /__fixtures");
  let notAList: string | undefined;
  if (FIXTURE_KEYS.some((key) => fixtures[key].length === 0)) {
    const found = await discovered(client);
    notAList = found.notAList;
    take(found.ids, "discovered from listed tickets");
  }
  const missing = (readOnly ? [] : NEEDED_FOR_WRITES).filter((key) => fixtures[key].length === 0);
  if (missing.length > 0) {
    const what = missing.map((key) => `${key} (${HOW_TO_GIVE[key]})`).join(", ");
    throw new UserError(
      `missing fixtures: ${what}. Give them in the config's "fixtures" or with --fixtures FILE ` +
        `(JSON: {"chatIds": [...], "userIds": [...], "tagIds": [...], "ticketingTeamIds": [...]}), or run --read-only` +
        (notAList ? ` (note: ${notAList}: is the base URL right?)` : ""),
    );
  }
  return { fixtures, sources };
}

async function published(client: TicketsClient): Promise<Partial<Record<Key, unknown>>> {
  const exchange = answered(await client.send({ method: "GET", path: "/__fixtures" }));
  const json = exchange.response?.status === 200 ? exchange.response.json : undefined;
  return json !== null && typeof json === "object" ? (json as Partial<Record<Key, unknown>>) : {};
}

/**
 * The exchange, if it got an answer: a target that does not answer while the run looks for
 * its fixtures could not be talked to (exit 3); that is not a missing fixture (exit 2).
 */
function answered<T>(exchange: Exchange<T>): Exchange<T> {
  const { error } = exchange;
  if (error?.kind === "aborted") throw RunStopped.interrupted("interrupt");
  if (error) throw RunStopped.unreachable(`looking for the fixtures: ${error.message}`);
  return exchange;
}

/**
 * Users and teams from the tickets the target lists; chats of completed tickets that have
 * no pending or ongoing ticket. Tags cannot be discovered: details do not carry them.
 */
async function discovered(
  client: TicketsClient,
): Promise<{ ids: Partial<Record<Key, string[]>>; notAList?: string }> {
  let notAList: string | undefined;
  const page = async (status: (typeof STATUSES)[number]) => {
    const exchange = answered(await client.listTicketDetails({ status, pageSize: 100 }));
    if (Array.isArray(exchange.response?.json)) return exchange.response?.json as TicketDetails[];
    const response = exchange.response;
    notAList ??= response
      ? `GET ${new URL(exchange.request.url).pathname} answered ${response.status} ${response.headers["content-type"] ?? "(no content-type)"}, not a JSON array of tickets`
      : `GET ${new URL(exchange.request.url).pathname} did not answer`;
    return [];
  };
  const tickets: TicketDetails[] = [];
  for (const status of STATUSES) tickets.push(...(await page(status)));
  const unique = (ids: (string | null)[]) => [
    ...new Set(ids.filter((id): id is string => id !== null)),
  ];
  const busy = new Set(
    tickets.filter((ticket) => ticket.status !== "completed").map((ticket) => ticket.chatId),
  );
  const candidates = unique(
    tickets.filter((ticket) => ticket.status === "completed").map((ticket) => ticket.chatId),
  )
    .filter((chatId) => !busy.has(chatId))
    .slice(0, 50);
  const chatIds: string[] = [];
  for (const chatId of candidates) {
    const open = await Promise.all(
      OPEN_STATUSES.map(async (status) =>
        answered(await client.listTicketDetails({ status, chatIds: chatId, pageSize: 1 })),
      ),
    );
    if (
      open.every(
        (exchange) =>
          Array.isArray(exchange.response?.json) && exchange.response?.json.length === 0,
      )
    ) {
      chatIds.push(chatId);
    }
  }
  return {
    ids: {
      chatIds,
      userIds: unique(tickets.map((ticket) => ticket.assigneeId)),
      ticketingTeamIds: unique(tickets.map((ticket) => ticket.ticketingTeamId)),
    },
    ...(notAList ? { notAList } : {}),
  };
}
