import { describe, expect, it } from "vitest";
import { profileResponseRules } from "../../../src/checks/passive/profile-response-rules.js";
import { answered, details, judge } from "../../support/exchanges.js";

const byId = (body: unknown, status = 200) =>
  answered({
    operationId: "getTicketDetails",
    path: `/api/v1/tickets/${details().id}/details`,
    status,
    body,
  });

describe("profile_response_rules", () => {
  it("fails an enum value outside the profile, and passes each profile value", () => {
    expect(
      judge(profileResponseRules, byId(details({ status: "in_progress" }))).failures.join(),
    ).toMatch(/\/status: enum/);
    for (const status of ["pending", "ongoing", "completed"]) {
      expect(judge(profileResponseRules, byId(details({ status }))).failures).toEqual([]);
    }
  });

  it("takes a vendor's own enum values from the config", () => {
    const vendor = { enums: { status: ["pending", "ongoing", "completed", "in_progress"] } };
    expect(
      judge(profileResponseRules, byId(details({ status: "in_progress" })), vendor).failures,
    ).toEqual([]);
  });

  it("fails an error body that is not {message}", () => {
    expect(judge(profileResponseRules, byId({ error: "nope" }, 404)).failures.join()).toMatch(
      /message/,
    );
    expect(
      judge(profileResponseRules, byId({ message: "not found", code: 7 }, 404)).failures,
    ).toEqual([]);
  });

  it("warns, at the end of the run, of profile values never observed", () => {
    const run = {
      enums: [
        {
          field: "status",
          expected: ["pending", "ongoing", "completed"],
          observed: ["pending"],
          unexpected: [],
          unseen: ["ongoing", "completed"],
        },
        { field: "channelType", expected: ["web"], observed: [], unexpected: [], unseen: ["web"] },
      ],
    };
    const verdict = judge(profileResponseRules, undefined, {}, run);
    expect(verdict.warnings).toEqual([
      'status: never observed "ongoing", "completed" (seen: "pending")',
    ]);
  });
});
