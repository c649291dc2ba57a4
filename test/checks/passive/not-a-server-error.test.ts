import { describe, expect, it } from "vitest";
import { notAServerError } from "../../../src/checks/passive/not-a-server-error.js";
import { answered, judge } from "../../support/exchanges.js";

describe("not_a_server_error", () => {
  it("fails a 500 and a 503, whatever the operation", () => {
    expect(
      judge(notAServerError, answered({ status: 500, body: { message: "x" } })).failures,
    ).toEqual(["answered 500"]);
    expect(judge(notAServerError, answered({ status: 503, rawBody: "" })).failures).toEqual([
      "answered 503",
    ]);
  });

  it("passes a 499 and every 4xx: the nearest answers that are not a server error", () => {
    for (const status of [400, 404, 409, 429, 499]) {
      expect(judge(notAServerError, answered({ status, body: { message: "x" } })).failures).toEqual(
        [],
      );
    }
  });

  it("judges nothing when there was no answer", () => {
    const exchange = { ...answered({}), response: undefined };
    expect(judge(notAServerError, exchange).failures).toEqual([]);
  });
});
