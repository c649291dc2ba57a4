/**
 * `tickets-harness cleanup`, run from dist/ as a user would, against a reference server on
 * 127.0.0.1: from a journal alone it completes the tickets, removes the tags, finds the
 * ticket of a create whose answer was lost, and empties the journal (exit 0); against a
 * target that is gone it gives up quickly and names every item with its curl (exit 3); a
 * journal it cannot read, or no key, is a usage error (exit 2).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTicketsClient, type TicketsClient } from "../../src/client/index.js";
import {
  DEV_API_KEY,
  type ReferenceServer,
  startReferenceServer,
} from "../../src/reference/index.js";
import { JOURNAL_FILE, type Journal, writeJournal } from "../../src/target/index.js";
import { type CliExit, killCliChildren, startCli } from "../support/cli.js";

let server: ReferenceServer;
let client: TicketsClient;
const work = mkdtempSync(join(tmpdir(), "cleanup-cli-"));

beforeAll(async () => {
  server = await startReferenceServer({ seed: 8, tickets: 300, apiKey: DEV_API_KEY });
  client = createTicketsClient({ baseUrl: server.url, apiKey: DEV_API_KEY });
});
afterEach(killCliChildren);
afterAll(async () => {
  await client.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** The built CLI, in a child: the server it talks to lives in this process. */
function cleanup(args: string[], env: NodeJS.ProcessEnv = { TICKETS_API_KEY: DEV_API_KEY }) {
  return startCli(["cleanup", ...args], { env, timeoutMs: 30_000 }).exited();
}

/** What a run left: tickets on `chats` (the last one's create "unanswered"), a tag on each. */
async function leaveBehind(on: TicketsClient, at: ReferenceServer, chats: string[]) {
  const user = at.fixtures.userIds[0] as string;
  const tagId = at.fixtures.tagIds[0] as string;
  const ids: string[] = [];
  for (const chatId of chats) {
    const created = await on.createTicket({
      chatId,
      assigneeId: user,
      ticketingTeamId: null,
      status: "pending",
    });
    const id = (created.response?.json as { id: string } | undefined)?.id as string;
    expect((await on.attachTicketTag(id, { tagId })).response?.status).toBe(200);
    ids.push(id);
  }
  const journal: Journal = {
    format: "tickets-api-harness/journal@1",
    baseUrl: at.url,
    apiKeyEnv: "TICKETS_API_KEY",
    authScheme: "raw",
    completerId: user,
    tickets: ids.slice(0, -1).map((id, index) => ({ id, chatId: chats[index] as string })),
    tags: ids.map((ticketId) => ({ ticketId, tagId })),
    chats: [{ chatId: chats.at(-1) as string }],
  };
  return { ids, tagId, journal };
}

const readBack = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Journal;

function output(exit: CliExit): string {
  return `${exit.stdout}\n${exit.stderr}`;
}

describe("tickets-harness cleanup", () => {
  it("cleans up from the journal alone: tickets completed, tags removed, the lost create found; journal empty, exit 0", async () => {
    const chats = server.fixtures.chatIds.slice(0, 3);
    const { ids, tagId, journal } = await leaveBehind(client, server, chats);
    const file = join(work, "live", JOURNAL_FILE);
    writeJournal(file, journal);

    const exit = await cleanup(["--journal", file]);
    expect(exit.code, output(exit)).toBe(0);
    for (const id of ids) {
      const read = await client.getTicketDetails(id);
      expect((read.response?.json as { status?: string } | undefined)?.status).toBe("completed");
      expect(exit.stdout).toContain(`cleaned: ticket ${id} (completed`);
      expect(exit.stdout).toContain(`cleaned: tag ${tagId} on ticket ${id} (removed)`);
    }
    for (const chatId of chats) {
      const tagged = await client.listTicketDetails({
        status: "completed",
        chatIds: chatId,
        tagIds: tagId,
      });
      expect(tagged.response?.json).toEqual([]);
    }
    expect(exit.stdout).toContain(`cleaned: chat ${chats[2]}`);
    expect(exit.stdout).not.toContain("left behind");
    expect(readBack(file)).toMatchObject({ tickets: [], tags: [], chats: [] });
    expect(output(exit)).not.toContain(DEV_API_KEY);

    // Run again: nothing to do.
    const again = await cleanup(["--report-dir", join(work, "live")]);
    expect(again.code, output(again)).toBe(0);
    expect(again.stdout).toContain("nothing to clean up");
  });

  it("against a target that is gone: gives up quickly, names every item with its curl, keeps them in the journal, exit 3", async () => {
    const gone = await startReferenceServer({ seed: 9, tickets: 100, apiKey: DEV_API_KEY });
    const goneClient = createTicketsClient({ baseUrl: gone.url, apiKey: DEV_API_KEY });
    const { ids, tagId, journal } = await leaveBehind(
      goneClient,
      gone,
      gone.fixtures.chatIds.slice(0, 3),
    );
    await goneClient.close();
    await gone.close();
    const dir = join(work, "gone");
    writeJournal(join(dir, JOURNAL_FILE), journal);

    const exit = await cleanup(["--report-dir", dir, "--timeout", "500"]);
    expect(exit.code, output(exit)).toBe(3);
    expect(exit.ms).toBeLessThan(15_000);
    const lines = exit.stdout.split("\n").filter((line) => line.startsWith("left behind: "));
    const base = gone.url;
    for (const id of ids.slice(0, -1)) {
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^left behind: ticket ${id} \\(target did not answer\\): curl -sS -X PATCH '${base}/api/v1/tickets/${id}/complete' -H "authorization: \\$TICKETS_API_KEY"`,
          ),
        ),
      );
    }
    for (const id of ids) {
      expect(lines).toContainEqual(
        `left behind: tag ${tagId} on ticket ${id} (target did not answer): curl -sS -X DELETE '${base}/api/v1/tickets/${id}/tags/${tagId}' -H "authorization: $TICKETS_API_KEY"`,
      );
    }
    // The first item tried says what its requests got; once the cleanup gives up, the rest
    // say "target did not answer".
    const chat = journal.chats[0]?.chatId;
    const line = lines.find((each) => each.startsWith(`left behind: chat ${chat} (`));
    expect(line).toMatch(
      /\((its create got no readable answer, .*got no answer|target did not answer)/,
    );
    expect(line).toContain(
      `): curl -sS -X GET '${base}/api/v1/tickets/details?status=pending&chatIds=${chat}&includeRemoved=true' -H "authorization: $TICKETS_API_KEY"; curl -sS -X GET '${base}/api/v1/tickets/details?status=ongoing&chatIds=${chat}&includeRemoved=true'`,
    );
    expect(lines).toHaveLength(journal.tickets.length + journal.tags.length + journal.chats.length);
    // The journal still holds all of it, for a later try.
    const left = readBack(join(dir, JOURNAL_FILE));
    expect(left.tickets).toEqual(journal.tickets);
    expect(left.tags).toEqual(journal.tags);
    expect(left.chats).toEqual(journal.chats);
  });

  it("refuses a journal it cannot read, a missing one, no key, or no journal named: exit 2", async () => {
    const dir = join(work, "bad");
    mkdirSync(dir, { recursive: true });
    const malformed = join(dir, "malformed.json");
    writeFileSync(malformed, "{ not json");
    const wrongShape = join(dir, "wrong-shape.json");
    writeFileSync(
      wrongShape,
      JSON.stringify({ format: "tickets-api-harness/journal@1", tickets: "x" }),
    );
    const fine = join(dir, JOURNAL_FILE);
    writeJournal(fine, {
      format: "tickets-api-harness/journal@1",
      baseUrl: server.url,
      apiKeyEnv: "SOME_UNSET_KEY_VARIABLE",
      authScheme: "raw",
      completerId: null,
      tickets: [],
      tags: [],
      chats: [],
    });
    const cases: [string[], NodeJS.ProcessEnv | undefined, RegExp][] = [
      [["--journal", malformed], undefined, /journal .*malformed\.json: not JSON/],
      [["--journal", wrongShape], undefined, /journal .*wrong-shape\.json: "baseUrl" is not a URL/],
      [["--journal", join(dir, "missing.json")], undefined, /no such file/],
      [
        ["--report-dir", dir],
        {},
        /no API key: set the environment variable SOME_UNSET_KEY_VARIABLE/,
      ],
      [[], undefined, /--journal FILE or its --report-dir DIR/],
    ];
    for (const [args, env, says] of cases) {
      const exit = await cleanup(args, env);
      expect(exit.code, output(exit)).toBe(2);
      expect(exit.stderr).toMatch(says);
      expect(exit.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });
});
