/**
 * Running the case table: each case through the proxies its expectation names, each exchange
 * judged as it comes back, the tickets the first cases create kept for the later ones.
 */
import { randomUUID } from "node:crypto";
import type { OperationId } from "../../contracts/types.js";
import type { Exchange } from "../../src/client/index.js";
import type { ReferenceServer } from "../../src/reference/index.js";
import { CASES, type Case, type Expectation, type Ids, type KeptTicket } from "./cases.js";
import { type ExchangeResult, type Expected, judgeExchange } from "./judge.js";
import { RunAborted } from "./lifetime.js";
import type { ProxyMode } from "./prism.js";
import type { Clients, Rig } from "./rig.js";
import type { Tap } from "./tap.js";

export interface CaseResult {
  operation: OperationId;
  case: string;
  exchanges: ExchangeResult[];
  pass: boolean;
}

export interface Outcome {
  results: CaseResult[];
  /** Why the cases stopped before the last one, when they did. */
  stoppedEarly?: string;
}

/** How many exchanges got no answer at all: the run is then incomplete. */
export function countUnanswered({ results }: Outcome): number {
  const exchanges = results.flatMap((result) => result.exchanges);
  return exchanges.filter((exchange) => exchange.error !== undefined).length;
}

/** The server's answers leave the run nothing to go on with (e.g. no ticket was created). */
class StoppedEarly extends Error {}

export async function runCases(rig: Rig, clients: Clients): Promise<Outcome> {
  const kept: Partial<Record<KeptTicket, string>> = {};
  const ids = idsFrom(rig.server.fixtures, kept);
  const results: CaseResult[] = [];
  try {
    for (const testCase of CASES) {
      const { result, last } = await runCase(testCase, rig, clients, ids);
      results.push(result);
      if (testCase.keeps) kept[testCase.keeps] = createdId(last, rig.tap);
    }
  } catch (error) {
    if (!(error instanceof StoppedEarly)) throw error;
    return { results, stoppedEarly: error.message };
  }
  return { results };
}

async function runCase(
  testCase: Case,
  rig: Rig,
  clients: Clients,
  ids: Ids,
): Promise<{ result: CaseResult; last?: Exchange<unknown> }> {
  const exchanges: ExchangeResult[] = [];
  let last: Exchange<unknown> | undefined;
  for (const { proxy, expected } of exchangesOf(testCase.expect)) {
    const forwardedBefore = rig.tap.forwarded;
    // So that createdId cannot read an earlier answer when this one never reached the server.
    rig.tap.lastBody = "";
    last = await testCase.send(clients[proxy], ids, testCase.operation);
    throwIfPrismDied(rig);
    const reachedServer = rig.tap.forwarded > forwardedBefore;
    const serverStatus = reachedServer ? rig.tap.lastStatus : undefined;
    exchanges.push(judgeExchange(proxy, expected, last, serverStatus));
  }
  const pass = exchanges.every((exchange) => exchange.pass);
  return { result: { operation: testCase.operation, case: testCase.name, exchanges, pass }, last };
}

/** A dead proxy answers nothing more: the run cannot go on. */
function throwIfPrismDied(rig: Rig): void {
  for (const proxy of Object.values(rig.proxies)) {
    if (proxy.exited) throw new RunAborted(`prism proxy (${proxy.mode}) died: ${proxy.exited}`);
  }
}

/** The exchanges a case makes: through which proxy, expecting what from whom. */
function exchangesOf(expect: Expectation): { proxy: ProxyMode; expected: Expected }[] {
  switch (expect.kind) {
    case "valid":
      return [{ proxy: "errors", expected: { status: expect.server, by: "server" } }];
    case "invalid":
      return [
        { proxy: "errors", expected: { status: [expect.prism], by: "prism" } },
        { proxy: "report", expected: { status: expect.server, by: "server" } },
      ];
    case "intercepted":
      return (["errors", "report"] as const).map((proxy) => ({
        proxy,
        expected: { status: [expect.prism], by: "prism" as const },
      }));
  }
}

/**
 * The new ticket's id: from the answer, or from the server's own answer as the tap kept it
 * when Prism (`--errors`) replaced it with its 500.
 */
function createdId(exchange: Exchange<unknown> | undefined, tap: Tap): string {
  const fromServer = (): unknown => {
    try {
      return JSON.parse(tap.lastBody);
    } catch {
      return undefined;
    }
  };
  for (const answer of [exchange?.response?.json, fromServer()]) {
    const id = (answer as { id?: unknown } | undefined)?.id;
    if (typeof id === "string") return id;
  }
  throw new StoppedEarly("createTicket gave no ticket id: the cases after it need one");
}

function idsFrom(
  fixtures: ReferenceServer["fixtures"],
  kept: Partial<Record<KeptTicket, string>>,
): Ids {
  const { chatIds, userIds, tagIds, ticketingTeamIds } = fixtures;
  const pick = (list: string[], index: number, what: string): string => {
    const value = list[index];
    if (value === undefined)
      throw new Error(`the server's fixtures have fewer than ${index + 1} ${what}`);
    return value;
  };
  const keptId = (name: KeptTicket): string => {
    const id = kept[name];
    if (id === undefined) throw new Error(`no ${name} yet: a case uses it before it is created`);
    return id;
  };
  return {
    chat: (index) => pick(chatIds, index, "chatIds"),
    user: (index) => pick(userIds, index % userIds.length, "userIds"),
    tag: (index) => pick(tagIds, index, "tagIds"),
    team: pick(ticketingTeamIds, 0, "ticketingTeamIds"),
    unknown: () => randomUUID(),
    get ticket() {
      return keptId("ticket");
    },
    get secondTicket() {
      return keptId("secondTicket");
    },
  };
}
