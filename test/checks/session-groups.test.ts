/**
 * A group of requests sent at once through the session (`together`): it waits for the rate
 * limit once and takes as many slots as it has requests, starts every request in the same
 * tick (or staggered as asked), and when one of them stops the check, the run or gets no
 * answer, the others are still awaited before the stop is thrown.
 */
import { describe, expect, it } from "vitest";
import { CheckStopped } from "../../src/checks/check-stopped.js";
import { effectiveProfile } from "../../src/checks/profile.js";
import { Session } from "../../src/checks/session.js";
import type { Exchange, TicketsClient } from "../../src/client/index.js";
import { ContractValidator } from "../../src/contract/validator.js";
import { Ledger } from "../../src/target/index.js";
import { RunStopped } from "../../src/util/run-stopped.js";
import { answered, details } from "../support/exchanges.js";

/** A client that notes when each call starts and ends, answering after `delayMs`. */
function recordingClient(answer: (call: number) => Exchange<unknown>, delayMs = 20) {
  const log: { call: number; start: number; end?: number }[] = [];
  let calls = 0;
  const respond = async () => {
    const entry: { call: number; start: number; end?: number } = {
      call: calls++,
      start: performance.now(),
    };
    log.push(entry);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    entry.end = performance.now();
    return answer(entry.call);
  };
  const client: TicketsClient = new Proxy(
    {},
    {
      get: (_, name) =>
        name === "close" ? async () => {} : name === "withSignal" ? () => client : respond,
    },
  ) as TicketsClient;
  return { client, log };
}

const page = () => answered({ operationId: "listTicketDetails", body: [details()] });

function session(client: TicketsClient, rate = 0) {
  const fixtures = { chatIds: ["c"], userIds: ["u"], tagIds: ["t"], ticketingTeamIds: [] };
  return new Session({
    target: { client, fixtures, ledger: new Ledger(fixtures.chatIds) },
    validator: ContractValidator.load(),
    profile: effectiveProfile(),
    passive: [],
    seed: 1,
    runs: 1,
    readOnly: false,
    rate,
    deadline: Date.now() + 60_000,
    commandLine: "npx tickets-harness check",
    maxWaitMs: 2000,
  });
}

const NO_ANSWER = { kind: "connection" as const, message: "socket hang up" };
const list = (api: TicketsClient) => api.listTicketDetails({ status: "pending" });

describe("a group sent at once", () => {
  it("starts every request in one tick, all in flight together, each counted", async () => {
    const { client, log } = recordingClient(page);
    const run = session(client);
    const answers = await run.together("some_check", [list, list, list, list]);
    expect(answers).toHaveLength(4);
    const starts = log.map((entry) => entry.start);
    const ends = log.map((entry) => entry.end as number);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(5);
    expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
    expect(run.tally("some_check").requests).toBe(4);
  });

  it("under a rate limit waits once and takes a slot per request: the next request waits for all four", async () => {
    const { client, log } = recordingClient(page, 1);
    const run = session(client, 20); // 50 ms a slot
    await run.clientFor("some_check").getTicketDetails("x");
    const before = performance.now();
    await run.together("some_check", [list, list, list, list]);
    await run.clientFor("some_check").getTicketDetails("x");
    const group = log.slice(1, 5).map((entry) => entry.start);
    expect(Math.max(...group) - Math.min(...group)).toBeLessThan(10);
    // The group's first slot is 50 ms after the first request; the one after it, 4 slots later.
    expect(Math.min(...group) - before).toBeGreaterThanOrEqual(35);
    expect((log[5]?.start as number) - Math.min(...group)).toBeGreaterThanOrEqual(185);
  });

  it("staggers the starts when asked", async () => {
    const { client, log } = recordingClient(page, 1);
    await session(client).together("some_check", [list, list, list], { staggerMs: 5 });
    const [a, b, c] = log.map((entry) => entry.start) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(4);
    expect(c - a).toBeGreaterThanOrEqual(9);
  });

  it("a read with no answer is asked again, as outside a group", async () => {
    const blip = (call: number): Exchange<unknown> =>
      call === 1 ? { ...page(), response: undefined, error: NO_ANSWER } : page();
    const { client, log } = recordingClient(blip, 1);
    const answers = await session(client).together("some_check", [list, list]);
    expect(answers.map((answer) => answer.response?.status)).toEqual([200, 200]);
    expect(log).toHaveLength(3);
  });

  it("a write with no answer stops the check, after the others answered; then the check sends nothing", async () => {
    const lost = (call: number): Exchange<unknown> => {
      const create = answered({ method: "POST", operationId: "createTicket", status: 409 });
      return call === 1 ? { ...create, response: undefined, error: NO_ANSWER } : create;
    };
    const { client, log } = recordingClient(lost);
    const run = session(client);
    const create = (api: TicketsClient) =>
      api.createTicket({ chatId: "c", assigneeId: "u", ticketingTeamId: null, status: "pending" });
    await expect(run.together("some_check", [create, create, create])).rejects.toBeInstanceOf(
      CheckStopped,
    );
    expect(log).toHaveLength(3);
    expect(log.every((entry) => entry.end !== undefined)).toBe(true);
    expect(run.tally("some_check").requests).toBe(3);
    await expect(run.clientFor("some_check").getTicketDetails("x")).rejects.toBeInstanceOf(
      CheckStopped,
    );
  });

  it("a run stop wins over a check stop: an interrupt ends the group with RunStopped", async () => {
    const { client } = recordingClient(page);
    const run = session(client);
    const pending = run.together("some_check", [list, list]);
    run.interrupt("SIGINT");
    await expect(pending).rejects.toBeInstanceOf(RunStopped);
  });
});
