import { describe, expect, it } from "vitest";
import { responseSchemaConformance } from "../../../src/checks/passive/response-schema-conformance.js";
import { answered, details, judge, listAnswer } from "../../support/exchanges.js";

const byId = (body: unknown) =>
  answered({
    operationId: "getTicketDetails",
    path: `/api/v1/tickets/${details().id}/details`,
    body,
  });

describe("response_schema_conformance", () => {
  it("passes valid details, by id and in a list", () => {
    expect(judge(responseSchemaConformance, byId(details())).failures).toEqual([]);
    expect(
      judge(responseSchemaConformance, listAnswer("status=ongoing", [details()])).failures,
    ).toEqual([]);
  });

  it("fails a field of the wrong type, a missing field and an absent nullable field", () => {
    const wrongType = judge(responseSchemaConformance, byId(details({ pendingChatMessages: "2" })));
    expect(wrongType.failures.join()).toMatch(/\/pendingChatMessages: type/);
    const { workspaceId: _, ...missing } = details();
    expect(judge(responseSchemaConformance, byId(missing)).failures.join()).toMatch(/workspaceId/);
    const { assigneePicture: __, ...absent } = details();
    expect(judge(responseSchemaConformance, byId(absent)).failures.join()).toMatch(
      /assigneePicture/,
    );
  });

  it("fails a date-time without a zone, and passes one with an offset (RFC 3339)", () => {
    const noZone = judge(
      responseSchemaConformance,
      byId(details({ createdAt: "2026-11-30T10:00:00" })),
    );
    expect(noZone.failures.join()).toMatch(/\/createdAt: format/);
    const offset = judge(
      responseSchemaConformance,
      byId(details({ createdAt: "2026-11-30T11:00:00+01:00" })),
    );
    expect(offset.failures).toEqual([]);
  });

  it("fails an answer whose body is not JSON", () => {
    const verdict = judge(
      responseSchemaConformance,
      answered({ operationId: "getTicketDetails", rawBody: "<html>" }),
    );
    expect(verdict.failures).toHaveLength(1);
    expect(verdict.failures[0]).toMatch(/^getTicketDetails 200: /);
  });

  it("leaves profile rules (enum values) to profile_response_rules", () => {
    expect(
      judge(responseSchemaConformance, byId(details({ status: "in_progress" }))).failures,
    ).toEqual([]);
  });
});
