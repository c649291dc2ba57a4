/**
 * The coverage tally over hand-made exchanges: the statuses per operation against those
 * documented (a vendor's accepted substitute counting for the status it stands for), the
 * list filters by query and items, the lifecycle transitions by the state the answers
 * showed before them, what those answers cannot explain counted apart; and the warnings
 * for what was never exercised, each given to the first of its checks that ran.
 */
import { describe, expect, it } from "vitest";
import {
  CoverageTally,
  coverageWarnings,
  FILTERS,
  TRANSITIONS,
  withCoverageWarnings,
} from "../../src/checks/coverage.js";
import type { CheckResult } from "../../src/checks/model.js";
import { JudgedExchange } from "../../src/checks/passive/index.js";
import { effectiveProfile } from "../../src/checks/profile.js";
import type { Coverage } from "../../src/checks/results.js";
import { skippedResult } from "../../src/checks/runner.js";
import type { Exchange } from "../../src/client/index.js";
import type { ProfileOverrides } from "../../src/config/config.js";
import { ContractValidator } from "../../src/contract/validator.js";
import { type AnswerOptions, answered, details, listAnswer, row } from "../support/exchanges.js";

const validator = ContractValidator.load();
const T1 = "0b8f7e5c-3d2a-4c1b-9e8f-7a6b5c4d3e2f";
const T2 = "1b8f7e5c-3d2a-4c1b-9e8f-7a6b5c4d3e2f";
const UNSEEN = "2b8f7e5c-3d2a-4c1b-9e8f-7a6b5c4d3e2f";
const CHAT = "1c9a8f6d-4e3b-4d2c-8f9a-8b7c6d5e4f3a";
const OTHER_CHAT = "3c9a8f6d-4e3b-4d2c-8f9a-8b7c6d5e4f3a";
const TAG = "4d0b9a7e-5f4c-4e3d-9a0b-9c8d7e6f5a4b";
const USER = "2d0b9a7e-5f4c-4e3d-9a0b-9c8d7e6f5a4b";

function tally(exchanges: Exchange<unknown>[], profile: ProfileOverrides = {}): Coverage {
  const settings = { validator, profile: effectiveProfile(profile) };
  const coverage = new CoverageTally();
  for (const exchange of exchanges) coverage.observe(new JudgedExchange(exchange, settings));
  return coverage.coverage(validator);
}

/** An answered exchange whose request carried `body` as JSON. */
function sent(options: AnswerOptions & { sentBody?: unknown }): Exchange<unknown> {
  const exchange = answered(options);
  if (options.sentBody !== undefined) exchange.request.body = JSON.stringify(options.sentBody);
  return exchange;
}

const create = (status: "pending" | "ongoing", id: string, chatId = CHAT, answer = 200) =>
  sent({
    operationId: "createTicket",
    method: "POST",
    path: "/api/v1/tickets",
    status: answer,
    body:
      answer === 200
        ? row({ id, chatId, status, ...(status === "pending" ? { ongoingAt: null } : {}) })
        : { message: "conflict" },
    sentBody: { chatId, assigneeId: USER, ticketingTeamId: null, status },
  });

const write = (
  operationId: "takeoverTicket" | "completeTicket" | "updateTicketAssignee",
  id: string,
  status: number,
  after?: "ongoing" | "completed",
) =>
  sent({
    operationId,
    method: "PATCH",
    path: `/api/v1/tickets/${id}/${{ takeoverTicket: "takeover", completeTicket: "complete", updateTicketAssignee: "assignee" }[operationId]}`,
    status,
    body:
      status === 200
        ? row({
            id,
            status: after,
            completedAt: after === "completed" ? "2026-11-30T10:06:00.000Z" : null,
          })
        : { message: `answered ${status}` },
  });

const attach = (id: string, status: number) =>
  sent({
    operationId: "attachTicketTag",
    method: "POST",
    path: `/api/v1/tickets/${id}/tags`,
    status,
    body: status === 200 ? { ticketId: id, tagId: TAG } : { message: "no" },
    sentBody: { tagId: TAG },
  });

const remove = (id: string, status: number) =>
  answered({
    operationId: "removeTicketTag",
    method: "DELETE",
    path: `/api/v1/tickets/${id}/tags/${TAG}`,
    status,
    body: { message: status === 200 ? "removed" : "not attached" },
  });

/** An error answer of a read. */
const refusal = (
  operationId: "getTicketDetails" | "listTicketDetails",
  path: string,
  status: number,
) => answered({ operationId, path, status, body: { message: `answered ${status}` } });

const read = (id: string) =>
  answered({
    operationId: "getTicketDetails",
    path: `/api/v1/tickets/${id}/details`,
    body: details({ id }),
  });

const transitions = (coverage: Coverage) =>
  Object.fromEntries(coverage.transitions.map((t) => [t.transition, t.runs]));

describe("the coverage tally", () => {
  it("counts each operation's statuses against those the contract documents", () => {
    const coverage = tally([
      read(T1),
      read(T1),
      refusal("getTicketDetails", `/api/v1/tickets/${UNSEEN}/details`, 404),
      refusal("getTicketDetails", "/api/v1/tickets/nope/details", 500),
    ]);
    expect(coverage.operations.map((op) => op.operationId)).toEqual([
      "getTicketDetails",
      "listTicketDetails",
      "completeTicket",
      "createTicket",
      "attachTicketTag",
      "removeTicketTag",
      "takeoverTicket",
      "updateTicketAssignee",
    ]);
    const details_ = coverage.operations[0];
    expect(details_).toEqual({
      operationId: "getTicketDetails",
      route: "GET /api/v1/tickets/{id}/details",
      documented: [200, 400, 401, 404],
      observed: { "200": 2, "404": 1, "500": 1 },
      neverObserved: [400, 401],
      otherSideAnswered: [],
    });
    expect(coverage.operations[1]?.observed).toEqual({});
    expect(coverage.operations[1]?.neverObserved).toEqual([200, 400, 401]);
  });

  it("knows create's 404 as one side of an either/or: no gap when its 400 side answered", () => {
    const refused = (status: number) =>
      sent({
        operationId: "createTicket",
        method: "POST",
        path: "/api/v1/tickets",
        status,
        body: { message: "unknown chat" },
        sentBody: { chatId: UNSEEN, assigneeId: USER, ticketingTeamId: null, status: "pending" },
      });
    const took400 = tally([create("pending", T1), refused(400)]);
    const created = took400.operations.find((op) => op.operationId === "createTicket");
    expect(created?.neverObserved).toEqual([401, 404, 409]);
    expect(created?.otherSideAnswered).toEqual([404]);
    const messages = coverageWarnings(took400, { readOnly: false }).map((w) => w.message);
    expect(messages).toContain(
      "`createTicket` never answered its documented 401, 409: no request of the run exercised those cases (it answered 200 ×1, 400 ×1)",
    );
    // Neither side answered: 404 is a gap like any other.
    const neither = tally([create("pending", T1)]).operations.find(
      (op) => op.operationId === "createTicket",
    );
    expect(neither?.otherSideAnswered).toEqual([]);
  });

  it("counts a vendor's accepted substitute as the status it stands for", () => {
    const refused = refusal(
      "listTicketDetails",
      "/api/v1/tickets/details?status=pending&pageSize=0",
      422,
    );
    const vendor = tally([refused], { acceptedStatuses: { "400": [400, 422] } });
    expect(vendor.operations[1]?.observed).toEqual({ "422": 1 });
    expect(vendor.operations[1]?.neverObserved).toEqual([200, 401]);
    expect(vendor.filters.find((f) => f.filter === "pageSize")?.refused).toBe(1);
    // Under the default profile a 422 stands for nothing.
    expect(tally([refused]).operations[1]?.neverObserved).toEqual([200, 400, 401]);
  });

  it("counts the list queries that used each parameter, and the items they got", () => {
    const coverage = tally([
      listAnswer(`status=ongoing&chatIds=${CHAT}&chatIds=${OTHER_CHAT}&pageSize=5`, [
        details(),
        details({ id: T2 }),
      ]),
      listAnswer(`status=ongoing&tagIds=${TAG}`, []),
      listAnswer("status=pending&search=login&includeRemoved=true", [details()]),
      refusal("listTicketDetails", "/api/v1/tickets/details?status=pending&pageNumber=0", 400),
      refusal("listTicketDetails", "/api/v1/tickets/details?status=pending", 401),
    ]);
    expect(coverage.filters.map((f) => f.filter)).toEqual([...FILTERS]);
    const by = Object.fromEntries(coverage.filters.map((f) => [f.filter, f]));
    expect(by.status).toEqual({ filter: "status", queries: 3, nonEmpty: 2, items: 3, refused: 1 });
    expect(by.chatIds).toEqual({
      filter: "chatIds",
      queries: 1,
      nonEmpty: 1,
      items: 2,
      refused: 0,
    });
    expect(by.tagIds).toEqual({ filter: "tagIds", queries: 1, nonEmpty: 0, items: 0, refused: 0 });
    expect(by.search?.items).toBe(1);
    expect(by.includeRemoved?.queries).toBe(1);
    expect(by.pageNumber).toEqual({
      filter: "pageNumber",
      queries: 0,
      nonEmpty: 0,
      items: 0,
      refused: 1,
    });
    expect(by.assigneeIds?.queries).toBe(0);
  });

  it("counts each transition by the state the answers showed before it", () => {
    const coverage = tally([
      create("pending", T1),
      write("takeoverTicket", T1, 200, "ongoing"), // from pending
      write("takeoverTicket", T1, 200, "ongoing"), // from ongoing
      write("updateTicketAssignee", T1, 200, "ongoing"),
      create("ongoing", T2, CHAT, 409), // T1 holds the chat
      attach(T1, 200),
      attach(T1, 409), // attached already
      remove(T1, 200),
      remove(T1, 404), // not attached
      write("completeTicket", T1, 200, "completed"), // from ongoing
      write("completeTicket", T1, 409), // completed
      write("takeoverTicket", T1, 409),
      write("updateTicketAssignee", T1, 409),
      create("ongoing", T2, OTHER_CHAT),
      write("completeTicket", T2, 200, "completed"), // from ongoing
    ]);
    const runs = transitions(coverage);
    expect(Object.keys(runs)).toEqual(TRANSITIONS.map(([name]) => name));
    expect(runs).toEqual({
      "create pending": 1,
      "create ongoing": 1,
      "create on a chat with an open ticket (409)": 1,
      "takeover from pending": 1,
      "takeover from ongoing": 1,
      "takeover of a completed ticket (409)": 1,
      "assign (pending or ongoing)": 1,
      "assign a completed ticket (409)": 1,
      "complete from pending": 0,
      "complete from ongoing": 2,
      "complete a completed ticket (409)": 1,
      "tag attach": 1,
      "tag attach, already attached (409)": 1,
      "tag remove": 1,
      "tag remove, not attached (404)": 1,
    });
    expect(coverage.unattributed).toEqual([]);
  });

  it("learns a ticket's state from reads too, and counts apart what the answers do not explain", () => {
    const coverage = tally([
      listAnswer("status=pending", [details({ id: T1, status: "pending", ongoingAt: null })]),
      write("completeTicket", T1, 200, "completed"), // from pending: the list showed it
      remove(UNSEEN, 404), // a ticket no answer showed: the unknown-ids rule, not a transition
      write("takeoverTicket", T2, 404), // the same
      write("takeoverTicket", UNSEEN, 200, "ongoing"), // no answer showed its state before
      attach(T1, 409), // no answer of the run attached the tag
      create("pending", T2, OTHER_CHAT, 409), // no answer showed an open ticket there
      write("completeTicket", UNSEEN, 409), // UNSEEN is ongoing now (its takeover's row)
    ]);
    expect(transitions(coverage)["complete from pending"]).toBe(1);
    expect(coverage.unattributed).toEqual([
      {
        operationId: "takeoverTicket",
        status: 200,
        why: "no earlier answer showed the ticket's status",
        runs: 1,
      },
      {
        operationId: "attachTicketTag",
        status: 409,
        why: "no answer of the run attached that tag",
        runs: 1,
      },
      {
        operationId: "createTicket",
        status: 409,
        why: "no earlier answer showed an open ticket on the chat",
        runs: 1,
      },
      {
        operationId: "completeTicket",
        status: 409,
        why: "409 on a ticket last seen ongoing",
        runs: 1,
      },
    ]);
  });

  it("names a status outside the contract without repeating it", () => {
    const coverage = tally([
      listAnswer("status=pending", [details({ id: T1, status: "<b>weird</b>" })]),
      write("completeTicket", T1, 409),
    ]);
    expect(coverage.unattributed.map((attempt) => attempt.why)).toEqual([
      "409 on a ticket last seen outside the contract",
    ]);
  });
});

function result(id: string, verdict: CheckResult["verdict"] = "pass"): CheckResult {
  const info = { id, title: id, source: "profile", section: "PROFILE.md", rule: "a rule" } as const;
  const { skippedBecause: _, ...ran } = skippedResult({ ...info, mutates: false }, "");
  return { ...ran, verdict };
}

describe("the coverage warnings", () => {
  const partial = tally([
    read(T1),
    listAnswer(`status=ongoing&tagIds=${TAG}`, []),
    listAnswer("status=ongoing", [details()]),
    create("pending", T1),
  ]);

  it("say, one line each, what the run never exercised", () => {
    const warnings = coverageWarnings(partial, { readOnly: false });
    const lines = warnings.map((warning) => `${warning.to[0]}: ${warning.message}`);
    expect(lines).toContain(
      "status_code_conformance: `getTicketDetails` never answered its documented 400, 401, 404: no request of the run exercised those cases (it answered 200 ×1)",
    );
    expect(lines).toContain(
      "status_code_conformance: never answered at all, so none of their statuses was exercised: `completeTicket`, `attachTicketTag`, `removeTicketTag`, `takeoverTicket`, `updateTicketAssignee`",
    );
    expect(lines).toContain(
      "lifecycle_rules: every one of the 1 list queries with `tagIds` got an empty page: none showed it selecting a ticket",
    );
    expect(lines).toContain(
      "list_items_match_filters: no list query used `search` and got a page: that filter was never tried",
    );
    expect(lines).toContain(
      "list_pagination: no list query used `pageSize` and got a page: that filter was never tried",
    );
    const transitions = lines.filter((line) => line.includes("lifecycle transitions"));
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatch(
      /^lifecycle_rules: lifecycle transitions that never ran: create ongoing; /,
    );
    expect(lines.every((line) => !line.includes("\n"))).toBe(true);
  });

  it("leave the writes alone in a read-only run, and say it once when no list answered a page", () => {
    const readOnly = tally([
      read(T1),
      refusal("listTicketDetails", "/api/v1/tickets/details?status=pending", 401),
    ]);
    const messages = coverageWarnings(readOnly, { readOnly: true }).map((w) => w.message);
    expect(messages.some((message) => message.includes("never answered at all"))).toBe(false);
    expect(messages).toContain(
      "no list query was answered with a page: no list filter was exercised",
    );
    expect(messages.filter((message) => message.includes("filter"))).toHaveLength(1);
  });

  it("go to the first of their checks that ran: a pass becomes a warn, a skipped check gets none", () => {
    const results = [
      result("status_code_conformance"),
      result("list_items_match_filters", "fail"),
      result("lifecycle_rules", "skip"),
      result("lifecycle_model"),
      result("list_pagination", "skip"),
    ];
    const warned = withCoverageWarnings(results, [
      { to: ["status_code_conformance"], message: "a" },
      { to: ["list_items_match_filters"], message: "b" },
      { to: ["lifecycle_rules", "lifecycle_model"], message: "c" },
      { to: ["list_pagination"], message: "d" },
    ]);
    const by = Object.fromEntries(warned.map((check) => [check.id, check]));
    expect(by.status_code_conformance?.verdict).toBe("warn");
    expect(by.status_code_conformance?.warnings.map((w) => w.message)).toEqual(["a"]);
    expect(by.status_code_conformance?.warningCount).toBe(1);
    expect(by.list_items_match_filters?.verdict).toBe("fail");
    expect(by.lifecycle_rules?.warnings).toEqual([]);
    expect(by.lifecycle_model?.warnings).toEqual([{ checkId: "lifecycle_model", message: "c" }]);
    expect(by.list_pagination?.verdict).toBe("skip");
    expect(by.list_pagination?.warnings).toEqual([]);
    expect(results[0]?.verdict).toBe("pass");
  });
});
