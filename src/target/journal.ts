/**
 * The journal of what a run created and has not undone yet, kept in its report folder: a
 * small JSON file that holds all `tickets-harness cleanup` needs to finish the job without
 * the run (the target, the key's variable and scheme but never the key, the user to
 * complete tickets as, the open items). The ledger rewrites it on every change, whole and
 * atomically, before the next request goes out: a run killed at any point leaves it right.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../util/exit-codes.js";

export const JOURNAL_FILE = "journal.json";
export const JOURNAL_FORMAT = "tickets-api-harness/journal@1";

/** Where the open items are, and how to reach it. */
export interface JournalTarget {
  baseUrl: string;
  /** The environment variable that holds the key (the key itself is never written). */
  apiKeyEnv: string;
  authScheme: "raw" | "bearer";
  /** The user tickets are completed as; null when the run had no user fixture. */
  completerId: string | null;
}

/** What the run created and has not confirmed undone. */
export interface OpenItems {
  /** Tickets created and not confirmed completed. */
  tickets: { id: string; chatId: string }[];
  /** Tag links attached (or maybe attached) and not confirmed removed. */
  tags: { ticketId: string; tagId: string }[];
  /** Chats a create was sent on whose answer could not be read: it may have landed. */
  chats: { chatId: string }[];
}

export interface Journal extends JournalTarget, OpenItems {
  format: typeof JOURNAL_FORMAT;
}

/**
 * The target of a ledger that has none (a test's): its curls read the base URL from
 * `$TICKETS_BASE_URL`.
 */
export const UNNAMED_TARGET: JournalTarget = {
  baseUrl: "$TICKETS_BASE_URL",
  apiKeyEnv: "TICKETS_API_KEY",
  authScheme: "raw",
  completerId: null,
};

/**
 * Writes the journal whole: into a temporary file beside it, then renamed over it, so a
 * reader (or a run killed mid-write) sees the old journal or the new one, never half.
 */
export function writeJournal(file: string, journal: Journal): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(temporary, file);
}

/** Reads and checks a journal; anything else is a usage error (exit 2) that names the file. */
export function readJournal(file: string): Journal {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "unreadable";
    throw new UserError(`journal ${file}: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`journal ${file}: not JSON`);
  }
  const problem = problemOf(value);
  if (problem) throw new UserError(`journal ${file}: ${problem}`);
  return value as Journal;
}

/** What is wrong with a would-be journal, in a few words; undefined when nothing is. */
function problemOf(value: unknown): string | undefined {
  if (!isObject(value)) return "not a JSON object";
  if (value.format !== JOURNAL_FORMAT) return `"format" is not "${JOURNAL_FORMAT}"`;
  if (typeof value.baseUrl !== "string" || !URL.canParse(value.baseUrl)) {
    return `"baseUrl" is not a URL`;
  }
  if (typeof value.apiKeyEnv !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(value.apiKeyEnv)) {
    return `"apiKeyEnv" is not an environment variable name`;
  }
  if (value.authScheme !== "raw" && value.authScheme !== "bearer") {
    return `"authScheme" is neither "raw" nor "bearer"`;
  }
  if (value.completerId !== null && typeof value.completerId !== "string") {
    return `"completerId" is neither a string nor null`;
  }
  const lists: [keyof OpenItems, string[]][] = [
    ["tickets", ["id", "chatId"]],
    ["tags", ["ticketId", "tagId"]],
    ["chats", ["chatId"]],
  ];
  for (const [name, fields] of lists) {
    const list = value[name];
    if (!Array.isArray(list)) return `"${name}" is not a list`;
    const bad = list.findIndex(
      (item) => !isObject(item) || fields.some((field) => typeof item[field] !== "string"),
    );
    if (bad >= 0) return `"${name}[${bad}]" lacks a string ${fields.join(" or ")}`;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
