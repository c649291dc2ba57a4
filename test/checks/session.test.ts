import { describe, expect, it } from "vitest";
import { PASSIVE_CHECKS, type PassiveCheck } from "../../src/checks/passive/index.js";
import { effectiveProfile } from "../../src/checks/profile.js";
import { skipReason } from "../../src/checks/runner.js";
import { Session } from "../../src/checks/session.js";
import type { TicketsClient } from "../../src/client/index.js";
import { ContractValidator } from "../../src/contract/validator.js";
import { Ledger } from "../../src/target/index.js";
import { RunStopped } from "../../src/util/run-stopped.js";
import { answered, details } from "../support/exchanges.js";

/** A client whose every call answers the same exchange. */
function clientAnswering(
  exchange = answered({ operationId: "listTicketDetails", body: [details()] }),
) {
  const answer = async () => exchange;
  const client: TicketsClient = new Proxy(
    {},
    {
      get: (_, name) =>
        name === "close" ? async () => {} : name === "withSignal" ? () => client : answer,
    },
  ) as TicketsClient;
  return client;
}

function spy(id: string): PassiveCheck & { judged: number } {
  const check = {
    id,
    title: id,
    source: "profile" as const,
    section: "test",
    rule: "test",
    mutates: false,
    passive: true as const,
    judged: 0,
    judge() {
      check.judged++;
    },
  };
  return check;
}

function session(passive: PassiveCheck[], overrides: { deadline?: number } = {}) {
  const fixtures = { chatIds: ["c"], userIds: ["u"], tagIds: ["t"], ticketingTeamIds: [] };
  return new Session({
    target: { client: clientAnswering(), fixtures, ledger: new Ledger(fixtures.chatIds) },
    validator: ContractValidator.load(),
    profile: effectiveProfile(),
    passive,
    seed: 1,
    runs: 1,
    readOnly: false,
    rate: 0,
    deadline: overrides.deadline ?? Date.now() + 60_000,
    commandLine: "npx tickets-harness check",
    maxWaitMs: 2000,
  });
}

describe("the session", () => {
  it("has only the enabled passive checks judge: a skipped one does not run at all", async () => {
    const [enabled, skipped] = [spy("enabled_check"), spy("skipped_check")];
    const run = session([enabled]);
    await run.clientFor("some_check").listTicketDetails({ status: "ongoing" });
    await run.clientFor("some_check").getTicketDetails("x");
    expect(enabled.judged).toBe(2);
    expect(skipped.judged).toBe(0);
    expect(run.tally("some_check").requests).toBe(2);
  });

  it("leaves a passive check out by --skip, --only and the config's profile.rules", () => {
    const [check] = PASSIVE_CHECKS.filter((candidate) => candidate.id === "list_order");
    const base = { only: [], skip: [], readOnly: false, profile: effectiveProfile() };
    expect(skipReason(check as PassiveCheck, base)).toBeUndefined();
    expect(skipReason(check as PassiveCheck, { ...base, skip: ["list_order"] })).toBe(
      "skipped (--skip)",
    );
    expect(skipReason(check as PassiveCheck, { ...base, only: ["auth_required"] })).toBe(
      "not selected (--only)",
    );
    const off = effectiveProfile({ rules: { list_order: false } });
    expect(skipReason(check as PassiveCheck, { ...base, profile: off })).toMatch(/switched off/);
  });

  it("stops a check with the one run-stopping error when the budget is spent; cleanup still sends", async () => {
    const run = session([], { deadline: Date.now() - 1 });
    await expect(run.clientFor("some_check").getTicketDetails("x")).rejects.toBeInstanceOf(
      RunStopped,
    );
    await expect(run.clientFor("cleanup").getTicketDetails("x")).resolves.toBeDefined();
  });
});
