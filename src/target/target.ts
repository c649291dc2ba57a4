/**
 * The target of a run, chosen in one place for `check` and `bench`: the base URL (or the
 * embedded reference server the caller hands over when there is none), the key and its
 * scheme, the client, the first probe, the fixtures, and the ledger of what the run
 * creates. This room knows no server of its own: the CLI starts the embedded one.
 */
import {
  createTicketsClient,
  type NearKey,
  nearKeysOf,
  type TicketsClient,
} from "../client/index.js";
import type { HarnessConfig } from "../config/config.js";
import type { Fixtures } from "../contract/profile-facts.js";
import { UserError } from "../util/exit-codes.js";
import { type FixtureSources, readFixturesFile, resolveFixtures } from "./fixtures.js";
import { Ledger } from "./ledger.js";
import { probe } from "./probe.js";

/** A server the caller started for the run, used when no base URL is given. */
export interface EmbeddedServer {
  url: string;
  /** The key it accepts (its development key, unless the environment names another). */
  apiKey: string;
  close(): Promise<void>;
}

export interface TargetOptions {
  config: HarnessConfig;
  /** As `chooseBaseUrl` chose it; absent: the embedded server. */
  baseUrl?: string;
  /** Starts the embedded server; called only when there is no base URL. */
  embedded?: () => Promise<EmbeddedServer>;
  fixturesFile?: string;
  /** Ends the opening's requests and waits at once (Ctrl-C): the open fails as interrupted. */
  signal?: AbortSignal;
  /** Hears what the run decided on its own, one line each (a Retry-After cut to the cap). */
  onNotice?: (line: string) => void;
  /** Where the ledger keeps its journal of what the run created and has not undone yet. */
  journalFile?: string;
  /** Whether the run only reads (then it needs no write fixtures); default: the config's. */
  readOnly?: boolean;
  /**
   * A shard of a run (`bench --shard`, a worker): its ledger writes only on its share of
   * the fixture chats, every N-th from the I-th, so that shards never write on one chat.
   */
  chatShare?: { index: number; count: number };
}

export interface Target {
  baseUrl: string;
  embedded: boolean;
  /** How the key is named wherever it would show: `$TICKETS_API_KEY`. */
  keyName: string;
  /** The client, with the key inside it. */
  client: TicketsClient;
  /**
   * The authorization header as the client sends it, for a load generator that sends
   * requests of its own (autocannon, the open runner); never recorded or printed.
   */
  authHeaders(): Record<string, string>;
  fixtures: Fixtures;
  fixtureSources: FixtureSources;
  ledger: Ledger;
  /** The nearest variants of the key the auth check may send (the key itself never shows). */
  nearKeys: NearKey[];
  /** Closes the client and stops the embedded server, if any. */
  close(): Promise<void>;
}

/** Opens the target: starts the embedded server if needed, probes it, resolves the fixtures. */
export async function openTarget(options: TargetOptions): Promise<Target> {
  const { config } = options;
  const keyName = `$${config.apiKeyEnv}`;
  const server = options.baseUrl === undefined ? await startEmbedded(options) : undefined;
  const baseUrl = options.baseUrl ?? (server as EmbeddedServer).url;
  const close = async (client?: TicketsClient) => {
    await client?.close();
    await server?.close();
  };
  const apiKey = server?.apiKey ?? process.env[config.apiKeyEnv];
  if (!apiKey) {
    await close();
    throw new UserError(
      `no API key: set the environment variable ${config.apiKeyEnv} (or name another in the config's "apiKeyEnv")`,
    );
  }
  const client = createTicketsClient({
    baseUrl,
    apiKey,
    apiKeyEnv: config.apiKeyEnv,
    authScheme: config.authScheme,
    timeoutMs: config.timeoutMs,
  });
  try {
    const opening = options.signal ? client.withSignal(options.signal) : client;
    await probe(opening, {
      baseUrl,
      keyName,
      maxWaitMs: config.maxWaitSeconds * 1000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    });
    const given = [
      options.fixturesFile ? readFixturesFile(options.fixturesFile) : {},
      config.fixtures,
    ];
    const readOnly = options.readOnly ?? config.readOnly;
    const { fixtures, sources } = await resolveFixtures(opening, given, readOnly);
    const authorization = config.authScheme === "bearer" ? `Bearer ${apiKey}` : apiKey;
    return {
      baseUrl,
      embedded: server !== undefined,
      keyName,
      client,
      authHeaders: () => ({ authorization }),
      fixtures,
      fixtureSources: sources,
      nearKeys: nearKeysOf(apiKey),
      ledger: new Ledger(shareOfChats(fixtures.chatIds, options.chatShare), {
        target: {
          baseUrl,
          apiKeyEnv: config.apiKeyEnv,
          authScheme: config.authScheme,
          completerId: fixtures.userIds[0] ?? null,
        },
        ...(options.journalFile ? { journalFile: options.journalFile } : {}),
      }),
      close: () => close(client),
    };
  } catch (error) {
    await close(client);
    throw error;
  }
}

function shareOfChats(chatIds: string[], share: TargetOptions["chatShare"]): string[] {
  return share ? chatIds.filter((_, i) => i % share.count === share.index - 1) : chatIds;
}

/** The embedded server, for a run with no base URL; a UserError (exit 2) if none was offered. */
export async function startEmbedded(
  options: Pick<TargetOptions, "embedded">,
): Promise<EmbeddedServer> {
  if (!options.embedded) {
    throw new UserError(
      "no base URL: give --base-url, set TICKETS_BASE_URL, or put baseUrl in the config",
    );
  }
  return options.embedded();
}
