/**
 * `tickets-harness serve` and `tickets-harness faults`, run from dist/ as a user would: the
 * one line `serve` prints, the key it accepts, how it stops, how it refuses bad options.
 * Every child is bounded by a timeout and killed after each test.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEV_API_KEY, FAULTS } from "../../src/reference/index.js";
import { type CliChild, killCliChildren, startCli } from "../support/cli.js";

const LISTENING = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/;
const WAIT_MS = 10_000;

afterEach(killCliChildren);

/** Starts the built CLI; TICKETS_API_KEY is unset unless `env` sets it. */
function run(args: string[], env: Record<string, string> = {}): CliChild {
  return startCli(args, { env, timeoutMs: WAIT_MS });
}

/** Waits for `serve`'s first stdout line; returns the base URL it names. */
async function listening(running: CliChild): Promise<string> {
  const first = await running.line();
  const match = LISTENING.exec(first);
  expect(first).toMatch(LISTENING);
  expect(Number(match?.[1])).toBeGreaterThan(0);
  return first.slice("listening on ".length);
}

async function statusOf(baseUrl: string, key: string | undefined): Promise<number> {
  const response = await fetch(`${baseUrl}/api/v1/tickets/details?status=pending`, {
    headers: key === undefined ? {} : { authorization: key },
    signal: AbortSignal.timeout(5_000),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("tickets-harness serve", () => {
  it("prints exactly one line, `listening on http://127.0.0.1:<port>`, and answers with the development key when TICKETS_API_KEY is unset", async () => {
    const serve = run(["serve", "--port", "0", "--tickets", "500"]);
    const url = await listening(serve);
    expect(await statusOf(url, DEV_API_KEY)).toBe(200);
    expect(await statusOf(url, undefined)).toBe(401);
    expect(await statusOf(url, "some-other-key")).toBe(401);
    const page = await fetch(`${url}/api/v1/tickets/details?status=completed&pageSize=100`, {
      headers: { authorization: DEV_API_KEY },
      signal: AbortSignal.timeout(5_000),
    });
    expect(((await page.json()) as unknown[]).length).toBeGreaterThan(0);
    serve.signal("SIGTERM");
    expect(await serve.exited()).toMatchObject({ code: 0, signal: null });
    expect(serve.stdout()).toBe(`listening on ${url}\n`);
    expect(serve.stderr()).toBe("");
  });

  it("takes the key from TICKETS_API_KEY when it is set", async () => {
    const serve = run(["serve", "--port", "0", "--tickets", "500"], {
      TICKETS_API_KEY: "key-from-the-env",
    });
    const url = await listening(serve);
    expect(await statusOf(url, "key-from-the-env")).toBe(200);
    expect(await statusOf(url, DEV_API_KEY)).toBe(401);
  });

  it("takes the key from the variable --api-key-env names", async () => {
    const serve = run(["serve", "--port", "0", "--tickets", "500", "--api-key-env", "MY_KEY"], {
      MY_KEY: "my-secret-key",
      TICKETS_API_KEY: "not-this-one",
    });
    const url = await listening(serve);
    expect(await statusOf(url, "my-secret-key")).toBe(200);
    expect(await statusOf(url, "not-this-one")).toBe(401);
    expect(await statusOf(url, DEV_API_KEY)).toBe(401);
  });

  it("ends with exit 0 promptly on SIGTERM, open keep-alive connections and all", async () => {
    const serve = run(["serve", "--port", "0", "--tickets", "500"]);
    const url = await listening(serve);
    expect(await statusOf(url, DEV_API_KEY)).toBe(200); // leaves a keep-alive connection open
    const sent = Date.now();
    serve.signal("SIGTERM");
    expect(await serve.exited(3_000)).toMatchObject({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(2_000);
    await expect(statusOf(url, DEV_API_KEY)).rejects.toThrow();
  });

  it("ends with exit 0 on SIGINT too", async () => {
    const serve = run(["serve", "--port", "0", "--tickets", "100"]);
    const url = await listening(serve);
    // The CLI prints its line just before it installs its signal handlers: one answered
    // request makes sure they are in place (see the report on that race).
    expect(await statusOf(url, DEV_API_KEY)).toBe(200);
    serve.signal("SIGINT");
    expect(await serve.exited(3_000)).toMatchObject({ code: 0, signal: null });
  });

  it.each([
    [["--fault", "nope"], /nope/],
    [["--port", "99999"], /--port/],
    [["--port", "-1"], /--port/],
    [["--tickets", "many"], /--tickets/],
  ])("serve %j is a usage error: exit 2 with one clear line", async (args, names) => {
    const serve = run(["serve", ...args]);
    expect((await serve.exited()).code).toBe(2);
    expect(serve.stdout()).toBe("");
    const lines = serve.stderr().trimEnd().split("\n");
    expect(lines, serve.stderr()).toHaveLength(1);
    expect(lines[0]).toMatch(names);
    expect(lines[0]).toMatch(/^tickets-harness: /);
    expect(serve.stderr()).not.toMatch(/at .*\.js:\d+/);
  });
});

describe("tickets-harness faults", () => {
  it("prints one line per fault, NAME<TAB>rule<TAB>description, at least 25", async () => {
    const faults = run(["faults"]);
    expect(await faults.exited()).toMatchObject({ code: 0, signal: null });
    const lines = faults.stdout().trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(25);
    const names: string[] = [];
    for (const line of lines) {
      const fields = line.split("\t");
      expect(fields, line).toHaveLength(3);
      const [name = "", rule = "", description = ""] = fields;
      expect(name, line).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule, line).toMatch(/^(docs|PROFILE\.md|performance)\b/);
      expect(description.trim().length, line).toBeGreaterThan(10);
      names.push(name);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(FAULTS.map((fault) => fault.name));
    expect(faults.stderr()).toBe("");
  });
});
