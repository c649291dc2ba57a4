/**
 * The journal follows the ledger, on disk, at every change: a create is in it before its
 * answer is read, a confirmed complete takes it out, every write replaces the file whole.
 * A process killed with SIGKILL right after its creates leaves a journal from which a fresh
 * ledger, with nothing of the run but the file, cleans everything up.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  linkSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTicketsClient, type TicketsClient } from "../../src/client/index.js";
import {
  DEV_API_KEY,
  type ReferenceServer,
  startReferenceServer,
} from "../../src/reference/index.js";
import {
  cleanUp,
  JOURNAL_FILE,
  type Journal,
  Ledger,
  readJournal,
} from "../../src/target/index.js";
import { ROOT } from "../support/cli.js";

let server: ReferenceServer;
let client: TicketsClient;
const work = mkdtempSync(join(tmpdir(), "journal-"));

beforeAll(async () => {
  server = await startReferenceServer({ seed: 4, tickets: 300, apiKey: DEV_API_KEY });
  client = createTicketsClient({ baseUrl: server.url, apiKey: DEV_API_KEY });
});
afterAll(async () => {
  await client.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

const user = () => server.fixtures.userIds[0] as string;
const target = () => ({
  baseUrl: server.url,
  apiKeyEnv: "TICKETS_API_KEY",
  authScheme: "raw" as const,
  completerId: user(),
});
const onDisk = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Journal;

async function statusOf(id: string): Promise<unknown> {
  const read = await client.getTicketDetails(id);
  return (read.response?.json as { status?: unknown } | undefined)?.status;
}

describe("the journal", () => {
  it("is written at once, follows every create, tag and confirmed complete, and names no key", async () => {
    const dir = join(work, "follows", "nested");
    const file = join(dir, JOURNAL_FILE);
    const chatId = server.fixtures.chatIds[0] as string;
    const tagId = server.fixtures.tagIds[0] as string;
    const ledger = new Ledger([chatId], { journalFile: file, target: target() });
    expect(onDisk(file)).toEqual({
      format: "tickets-api-harness/journal@1",
      ...target(),
      tickets: [],
      tags: [],
      chats: [],
    });

    const body = { chatId, assigneeId: user(), ticketingTeamId: null, status: "pending" as const };
    ledger.sending("createTicket", body);
    expect(onDisk(file).chats).toEqual([{ chatId }]);
    const created = await client.createTicket(body);
    ledger.record(created);
    const id = (created.response?.json as { id: string } | undefined)?.id as string;
    expect(onDisk(file)).toMatchObject({ tickets: [{ id, chatId }], chats: [] });

    ledger.sending("attachTicketTag", { tagId }, id);
    expect(onDisk(file).tags).toEqual([{ ticketId: id, tagId }]);
    ledger.record(await client.attachTicketTag(id, { tagId }));
    ledger.record(await client.removeTicketTag(id, tagId));
    expect(onDisk(file).tags).toEqual([]);

    ledger.record(await client.completeTicket(id, { userId: user() }));
    expect(onDisk(file)).toMatchObject({ tickets: [], tags: [], chats: [] });
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(DEV_API_KEY);
    expect(readdirSync(dir)).toEqual([JOURNAL_FILE]);
  });

  it("replaces the file whole at each change (a new file renamed over it), never writes into it", async () => {
    const dir = join(work, "atomic");
    const file = join(dir, JOURNAL_FILE);
    const ledger = new Ledger([], { journalFile: file, target: target() });
    for (let index = 0; index < 20; index++) {
      // A second name for the journal as it is: a write into the file would change it too.
      const held = join(work, `held-${index}.json`);
      linkSync(file, held);
      const before = readFileSync(held, "utf8");
      ledger.opened(`00000000-0000-4000-8000-${String(index).padStart(12, "0")}`, "chat");
      expect(readFileSync(held, "utf8")).toBe(before);
      expect(statSync(held).ino).not.toBe(statSync(file).ino);
      expect(onDisk(file).tickets).toHaveLength(index + 1);
    }
    expect(readdirSync(dir)).toEqual([JOURNAL_FILE]);
    // Nothing changed: nothing written.
    const unchanged = statSync(file).mtimeMs;
    const ino = statSync(file).ino;
    ledger.record({
      operationId: "listTicketDetails",
      request: { method: "GET", url: `${server.url}/api/v1/tickets/details`, headers: {} },
      timing: { startedAt: "", durationMs: 0 },
    });
    expect([statSync(file).ino, statSync(file).mtimeMs]).toEqual([ino, unchanged]);
  });

  it("survives a SIGKILL right after the creates: a fresh ledger from the file alone cleans all up", async () => {
    const file = join(work, "killed", JOURNAL_FILE);
    const chats = server.fixtures.chatIds.slice(1, 4);
    const tagId = server.fixtures.tagIds[0] as string;
    // A run in a process of its own: it creates three tickets (the last one's answer never
    // read), tags the first, and is killed before it cleans anything up.
    const script = join(work, "killed-run.mjs");
    const dist = (path: string) => pathToFileURL(join(ROOT, "dist", "src", path)).href;
    writeFileSync(
      script,
      `import { createTicketsClient } from ${JSON.stringify(dist("client/index.js"))};
import { Ledger } from ${JSON.stringify(dist("target/index.js"))};
const [url, key, file, user, tagId, ...chats] = process.argv.slice(2);
const client = createTicketsClient({ baseUrl: url, apiKey: key });
const ledger = new Ledger(chats, {
  journalFile: file,
  target: { baseUrl: url, apiKeyEnv: "TICKETS_API_KEY", authScheme: "raw", completerId: user },
});
let first;
for (const [index, chatId] of chats.entries()) {
  const body = { chatId, assigneeId: user, ticketingTeamId: null, status: "ongoing" };
  ledger.sending("createTicket", body);
  const created = await client.createTicket(body);
  if (index < chats.length - 1) ledger.record(created);
  first ??= created.response.json.id;
}
ledger.sending("attachTicketTag", { tagId }, first);
await client.attachTicketTag(first, { tagId });
process.kill(process.pid, "SIGKILL");
`,
    );
    // Not spawnSync: the server this run talks to lives in this process.
    const child = spawn(
      process.execPath,
      [script, server.url, DEV_API_KEY, file, user(), tagId, ...chats],
      { stdio: ["ignore", "ignore", "pipe"], timeout: 20_000 },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const [, signal] = (await once(child, "close")) as [number | null, string | null];
    expect(signal, stderr).toBe("SIGKILL");

    const journal = readJournal(file);
    expect(journal.tickets.map((ticket) => ticket.chatId)).toEqual(chats.slice(0, 2));
    expect(journal.chats).toEqual([{ chatId: chats[2] }]);
    expect(journal.tags).toEqual([{ ticketId: journal.tickets[0]?.id, tagId }]);

    const fresh = createTicketsClient({ baseUrl: journal.baseUrl, apiKey: DEV_API_KEY });
    try {
      const ledger = Ledger.fromJournal(journal, file);
      expect(await cleanUp(fresh, ledger, journal.completerId)).toEqual([]);
    } finally {
      await fresh.close();
    }
    expect(onDisk(file)).toMatchObject({ tickets: [], tags: [], chats: [] });
    for (const { id } of journal.tickets) expect(await statusOf(id)).toBe("completed");
    for (const chatId of chats) {
      const open = await client.listTicketDetails({ status: "ongoing", chatIds: chatId });
      expect(open.response?.json).toEqual([]);
    }
    const tagged = await client.listTicketDetails({
      status: "completed",
      chatIds: chats[0] as string,
      tagIds: tagId,
    });
    expect(tagged.response?.json).toEqual([]);
  });
});
