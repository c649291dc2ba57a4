import { describe, expect, it } from "vitest";
import {
  consistencyProblems,
  detailsConsistency,
} from "../../../src/checks/passive/details-consistency.js";
import { answered, details, judge, listAnswer, row } from "../../support/exchanges.js";

describe("details_consistency", () => {
  it("passes consistent details", () => {
    expect(consistencyProblems(details())).toEqual([]);
    const team = details({
      ticketingTeamId: "8d6b5a3e-1f0c-4e9d-9a6b-5c4d3e2f1a0b",
      ticketingTeamName: "Support",
    });
    expect(consistencyProblems(team)).toEqual([]);
  });

  it("fails each broken pairing, one line each", () => {
    expect(consistencyProblems(details({ assigneeName: null }))).toEqual([
      "assigneeName is null but assigneeId is set",
    ]);
    expect(
      consistencyProblems(details({ assigneeId: null, assigneeName: null, assigneeEmail: null })),
    ).toEqual([]);
    expect(
      consistencyProblems(details({ ticketingTeamPicture: "https://example.com/t.png" })),
    ).toEqual(["ticketingTeamPicture is set but ticketingTeamId is null"]);
    expect(consistencyProblems(details({ channelType: null }))).toEqual([
      "channelType is null but channelId is set",
    ]);
    expect(consistencyProblems(details({ ownerEntity: "user", ownerEmail: null }))).toEqual([
      "ownerEntity is user but ownerEmail is null",
    ]);
    expect(consistencyProblems(details({ ownerIdentifier: null }))).toEqual([
      "ownerEntity is external_user but ownerIdentifier is null",
    ]);
    expect(consistencyProblems(details({ responderEntity: "user" }))).toEqual([
      "responderEntity is user but a responder version is set",
    ]);
  });

  it("holds pendingChatMessages at an integer >= 0: 0 passes, -1 and 0.5 fail", () => {
    expect(consistencyProblems(details({ pendingChatMessages: 0 }))).toEqual([]);
    expect(consistencyProblems(details({ pendingChatMessages: -1 }))).toHaveLength(1);
    expect(consistencyProblems(details({ pendingChatMessages: 0.5 }))).toHaveLength(1);
  });

  it("judges details (by id and in lists), not rows", () => {
    const broken = details({ assigneeName: null });
    expect(
      judge(detailsConsistency, listAnswer("status=ongoing", [details(), broken])).failures,
    ).toEqual(["listTicketDetails /1: assigneeName is null but assigneeId is set"]);
    const write = answered({ operationId: "takeoverTicket", method: "PATCH", body: row() });
    expect(judge(detailsConsistency, write).failures).toEqual([]);
  });
});
