/**
 * `tickets-harness cleanup`: finishes the cleanup of a run that was killed, or whose target
 * went away, from the journal it left in its report folder, without the run: the same
 * cleanup, every step confirmed by reading the target back. Prints what it cleaned and what
 * it could not (each with its curl), leaves the journal holding exactly what is left.
 */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { createTicketsClient } from "../client/index.js";
import { leftoverLine } from "../report/leftovers.js";
import { cleanUp, JOURNAL_FILE, Ledger, type Leftover, readJournal } from "../target/index.js";
import { ExitCode, UserError } from "../util/exit-codes.js";
import { number } from "./option-parsers.js";

interface CleanupOptions {
  journal?: string;
  reportDir?: string;
  timeout?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function registerCleanupCommand(program: Command): void {
  program
    .command("cleanup")
    .description(
      "finish the cleanup of a run (killed, or its target gone) from its journal: complete its tickets, remove its tags; exit 0 only when nothing is left",
    )
    .option("--journal <file>", "the run's journal (journal.json in its report folder)")
    .option("--report-dir <dir>", "the run's report folder (its journal.json)")
    .option(
      "--timeout <ms>",
      `per-request timeout (default ${DEFAULT_TIMEOUT_MS})`,
      number("--timeout", 100, 300_000),
    )
    .action(async (options: CleanupOptions) => {
      process.exitCode = await cleanupCommand(options);
    });
}

async function cleanupCommand(options: CleanupOptions): Promise<number> {
  if ((options.journal === undefined) === (options.reportDir === undefined)) {
    throw new UserError("cleanup: give the run's --journal FILE or its --report-dir DIR (one)");
  }
  const file = resolve(options.journal ?? join(options.reportDir as string, JOURNAL_FILE));
  const journal = readJournal(file);
  const apiKey = process.env[journal.apiKeyEnv];
  if (!apiKey) {
    throw new UserError(
      `no API key: set the environment variable ${journal.apiKeyEnv} (the journal names it)`,
    );
  }
  const ledger = Ledger.fromJournal(journal, file);
  const before = ledger.openItems();
  console.log(
    `tickets-harness cleanup: ${journal.baseUrl}: ${before.tickets.length} ticket(s), ${before.tags.length} tag link(s), ${before.chats.length} chat(s) with an unread create, from ${file}`,
  );
  if (ledger.empty) {
    console.log("nothing to clean up: the journal is empty");
    return ExitCode.Ok;
  }
  const client = createTicketsClient({
    baseUrl: journal.baseUrl,
    apiKey,
    apiKeyEnv: journal.apiKeyEnv,
    authScheme: journal.authScheme,
    timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
  });
  let leftovers: Leftover[];
  try {
    leftovers = await cleanUp(client, ledger, journal.completerId);
  } finally {
    await client.close();
  }
  for (const line of cleaned(ledger, before, leftovers)) console.log(`cleaned: ${line}`);
  for (const leftover of leftovers) console.log(`left behind: ${leftoverLine(leftover)}`);
  if (leftovers.length === 0) {
    console.log(`done: nothing left; ${file} is empty`);
    return ExitCode.Ok;
  }
  console.log(
    `${leftovers.length} item(s) left; ${file} holds them: run this again, or the curls above`,
  );
  return ExitCode.Incomplete;
}

/** What the cleanup undid and confirmed, one line each. */
function cleaned(
  ledger: Ledger,
  before: ReturnType<Ledger["openItems"]>,
  leftovers: Leftover[],
): string[] {
  const left = (kind: Leftover["kind"], id: (leftover: Leftover) => string | undefined) =>
    new Set(leftovers.filter((leftover) => leftover.kind === kind).map(id));
  const tags = left("tag", (leftover) => `${leftover.ticketId} ${leftover.tagId}`);
  const chats = left("chat", (leftover) => leftover.chatId);
  const journaled = new Set(before.tickets.map((ticket) => ticket.id));
  return [
    ...before.tags
      .filter(({ ticketId, tagId }) => !tags.has(`${ticketId} ${tagId}`))
      .map(({ ticketId, tagId }) => `tag ${tagId} on ticket ${ticketId} (removed)`),
    ...[...ledger.created]
      .filter((id) => ledger.chats.chatOf(id) === undefined)
      .map(
        (id) =>
          `ticket ${id} (completed${journaled.has(id) ? "" : ", found open on a chat whose create had no readable answer"})`,
      ),
    ...before.chats
      .filter(({ chatId }) => !chats.has(chatId))
      .map(
        ({ chatId }) => `chat ${chatId} (searched: its open tickets are completed, or named below)`,
      ),
  ];
}
