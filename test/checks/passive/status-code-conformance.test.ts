import { describe, expect, it } from "vitest";
import { statusCodeConformance } from "../../../src/checks/passive/status-code-conformance.js";
import { answered, judge, row } from "../../support/exchanges.js";

const create = (status: number) =>
  answered({
    operationId: "createTicket",
    method: "POST",
    path: "/api/v1/tickets",
    status,
    body: row(),
  });

describe("status_code_conformance", () => {
  it("fails a status the contract does not document for the operation", () => {
    const verdict = judge(statusCodeConformance, create(201));
    expect(verdict.failures).toEqual(["createTicket answered 201"]);
  });

  it("passes every documented status", () => {
    for (const status of [200, 400, 401, 404, 409]) {
      expect(judge(statusCodeConformance, create(status)).failures).toEqual([]);
    }
  });

  it("passes a vendor's accepted substitute (422 for 400) only when the config says so", () => {
    expect(judge(statusCodeConformance, create(422)).failures).toEqual([
      "createTicket answered 422",
    ]);
    const vendor = { acceptedStatuses: { "400": [400, 422] } };
    expect(judge(statusCodeConformance, create(422), vendor).failures).toEqual([]);
  });

  it("does not judge a request that names no operation", () => {
    expect(judge(statusCodeConformance, answered({ status: 299, body: {} })).failures).toEqual([]);
  });
});
