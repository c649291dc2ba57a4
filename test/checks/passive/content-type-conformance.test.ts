import { describe, expect, it } from "vitest";
import { contentTypeConformance } from "../../../src/checks/passive/content-type-conformance.js";
import { answered, judge } from "../../support/exchanges.js";

const withType = (type: string | undefined) =>
  answered({ body: [], headers: type === undefined ? {} : { "content-type": type } });

describe("content_type_conformance", () => {
  it("passes application/json, with parameters and in any case", () => {
    for (const type of [
      "application/json",
      "application/json; charset=utf-8",
      "Application/JSON",
    ]) {
      expect(judge(contentTypeConformance, withType(type)).failures).toEqual([]);
    }
  });

  it("fails the nearest types that are not it", () => {
    for (const type of [
      "text/plain",
      "application/jsonl",
      "application/problem+json",
      "text/json",
    ]) {
      expect(judge(contentTypeConformance, withType(type)).failures).toHaveLength(1);
    }
  });

  it("fails a body without a content type, and judges no empty body", () => {
    const none = answered({ body: [] });
    delete none.response?.headers["content-type"];
    expect(judge(contentTypeConformance, none).failures).toEqual(['content-type ""']);
    expect(
      judge(
        contentTypeConformance,
        answered({ rawBody: "", headers: { "content-type": "text/html" } }),
      ).failures,
    ).toEqual([]);
  });
});
