import { describe, expect, it } from "vitest";
import { timestampOrder, timestampProblems } from "../../../src/checks/passive/timestamp-order.js";
import { answered, judge, row } from "../../support/exchanges.js";

describe("timestamp_order", () => {
  it("passes equal timestamps: the nearest to out of order that is in order", () => {
    const at = "2026-11-30T10:00:00.000Z";
    expect(
      timestampProblems(row({ createdAt: at, ongoingAt: at, completedAt: at, updatedAt: at })),
    ).toEqual([]);
  });

  it("fails ongoingAt a millisecond before createdAt, and updatedAt before createdAt", () => {
    expect(timestampProblems(row({ ongoingAt: "2026-11-30T09:59:59.999Z" }))).toEqual([
      "ongoingAt 2026-11-30T09:59:59.999Z is before createdAt 2026-11-30T10:00:00.000Z",
    ]);
    expect(timestampProblems(row({ updatedAt: "2026-11-29T10:00:00.000Z" }))).toHaveLength(1);
  });

  it("compares instants, not text: an offset that is later in text but earlier in time fails", () => {
    // 10:30+01:00 is 09:30Z, before createdAt 10:00Z.
    expect(timestampProblems(row({ ongoingAt: "2026-11-30T10:30:00+01:00" }))).toHaveLength(1);
    expect(timestampProblems(row({ ongoingAt: "2026-11-30T11:30:00+01:00" }))).toEqual([]);
  });

  it("judges the row of a write, naming where", () => {
    const write = answered({
      operationId: "completeTicket",
      method: "PATCH",
      body: row({ completedAt: "2026-11-30T10:01:00.000Z" }),
    });
    expect(judge(timestampOrder, write).failures).toEqual([
      "completeTicket (body): completedAt 2026-11-30T10:01:00.000Z is before ongoingAt 2026-11-30T10:05:00.000Z",
    ]);
  });
});
